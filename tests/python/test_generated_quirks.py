"""The quirks of real feeds the demo generator writes: minute encodings,
repeated loads, postponements, overtime, season types, All-Star and preseason.

The generated data and the reference rules are in generated_raw_data.py.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
from generated_raw_data import (
    GAMEBOOK,
    SCHEDULE,
    generated_window,
    reference_lookup,
)


def test_quirks_present(con: duckdb.DuckDBPyConnection) -> None:
    def one(sql: str) -> object:
        row = con.sql(sql).fetchone()
        assert row is not None
        return row[0]

    # Postponed: status 1 and NULL scores on the original date, played later (same id).
    postponed = con.sql(
        "select game_id, game_date, game_code from nba_raw.nbac_schedule "
        "where game_status = 1 and home_team_score is null"
    ).fetchall()
    assert len(postponed) >= 20
    made_up = one(
        f"select count(*) from {SCHEDULE} as a join {SCHEDULE} as b "
        "using (game_id) where a.game_status = 1 and b.game_status = 3 "
        "and b.game_date > a.game_date and b.game_code <> a.game_code"
    )
    assert made_up >= 1
    originals = {f"{day:%Y%m%d}_{code[9:12]}_{code[12:]}" for _, day, code in postponed}
    feed_ids = {
        row[0]
        for row in con.sql(
            "select game_id from nba_raw.nbac_gamebook_player_stats union "
            "select game_id from nba_raw.bdl_player_boxscores"
        ).fetchall()
    }
    assert not originals & feed_ids
    # Repeated loads in both feeds, the newest differs from the older one.
    for table in ("nbac_gamebook_player_stats", "bdl_player_boxscores"):
        reloaded = one(
            f"select count(*) from (select game_id from nba_raw.{table} "
            "group by 1 having count(distinct processed_at) > 1)"
        )
        assert reloaded >= 1, table
    # A game only Ball Don't Lie has.
    assert one(
        "select count(distinct game_id) from bdl "
        "where game_id not in (select game_id from gb)"
    )
    # Players who played that only Ball Don't Lie lists, in games the gamebook has.
    listed = {
        (g, lookup)
        for g, lookup in con.sql("select game_id, player_lookup from gb").fetchall()
    }
    gamebook_games = {game_id for game_id, _ in listed}
    bdl_only = [
        (game_id, name)
        for game_id, name in con.sql(
            "select game_id, player_full_name from bdl where minutes <> '00'"
        ).fetchall()
        if game_id in gamebook_games and (game_id, reference_lookup(name)) not in listed
    ]
    assert len(bdl_only) >= 20
    # Gamebook players Ball Don't Lie lacks.
    assert one(
        "select count(*) from gb where game_id in (select game_id from bdl) "
        "and not exists (select 1 from bdl where bdl.game_id = gb.game_id "
        "and bdl.player_full_name = gb.player_name)"
    )
    # Minute encodings and name quirks.
    gamebook = "nba_raw.nbac_gamebook_player_stats"
    assert one(f"select count(*) from {gamebook} where minutes like '%:60'")
    # a player who played always has minutes: missing ones stop a backfill
    assert not one(
        f"select count(*) from {gamebook} "
        "where player_status = 'active' and minutes is null"
    )
    assert one(f"select count(*) from {gamebook} where player_status = 'inactive' "
               "and player_name not like '% %'")  # fmt: skip
    assert one(f"select count(*) from {gamebook} where dnp_reason like 'NWT%'")
    assert one(
        f"select count(*) from {gamebook} where dnp_reason like 'Inactive - G League%'"
    )
    encodings = {
        row[0]
        for row in con.sql(
            f"select distinct minutes from {gamebook} where player_status <> 'active'"
        ).fetchall()
    }
    assert encodings == {None, "", "-", "DNP"}
    assert one("select count(*) from bdl where period > 4")


def test_iso_minutes_and_season_types(tmp_path: Path) -> None:
    db_path = tmp_path / "spring.duckdb"
    with generated_window(db_path, date(2024, 4, 8), date(2024, 4, 24)) as connection:
        iso = connection.sql(
            f"select count(*) from {GAMEBOOK} where minutes like 'PT%M%S'"
        ).fetchone()
        prefixes = dict(
            connection.sql(
                f"select left(game_id, 3), count(*) from {SCHEDULE} group by 1"
            ).fetchall()
        )
        postseason = connection.sql(
            "select bool_and(is_postseason) from nba_raw.bdl_player_boxscores "
            "where game_date >= '2024-04-16'"
        ).fetchone()
    assert iso is not None and iso[0] > 100
    assert prefixes["005"] == 6 and prefixes["002"] > 50 and prefixes["004"] > 10
    assert postseason == (True,)


def test_all_star_and_preseason_in_raw_tables(tmp_path: Path) -> None:
    db_path = tmp_path / "feb.duckdb"
    with generated_window(db_path, date(2022, 2, 18), date(2022, 2, 22)) as connection:
        star = connection.sql(
            f"select game_id, is_all_star from {SCHEDULE} where game_id like '003%'"
        ).fetchall()
        feeds = connection.sql(
            "select (select count(*) from nba_raw.nbac_gamebook_player_stats), "
            "(select count(*) from nba_raw.bdl_player_boxscores)"
        ).fetchone()
    assert star == [("0032100001", True)]
    assert feeds is not None and min(feeds) > 20
