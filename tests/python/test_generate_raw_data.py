"""Tests of scripts/generate_raw_data.py (the deterministic demo raw-data generator).

The generated data and the reference rules are in generated_raw_data.py.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from pathlib import Path

import duckdb
import pytest
from demo_data.schema import BDL_COLUMNS, GAMEBOOK_COLUMNS, SCHEDULE_COLUMNS
from generate_raw_data import GenerationSummary, generate, main, resolve_window
from generated_raw_data import (
    BOXSCORES,
    END,
    GAMEBOOK,
    SCHEDULE,
    START,
    TABLES,
    con,
    generated,
    parse_seconds,
    reference_lookup,
    table_rows,
)

__all__ = ["con", "generated"]  # fixtures


def test_summary_reports_window_and_counts(
    generated: tuple[Path, GenerationSummary], con: duckdb.DuckDBPyConnection
) -> None:
    _, summary = generated
    assert (summary.start_date, summary.end_date) == (START, END)
    assert summary.seasons == (2021,)
    for table, count in summary.row_counts.items():
        assert con.sql(f"select count(*) from nba_raw.{table}").fetchone() == (count,)
    dates = con.sql(f"select min(game_date), max(game_date) from {SCHEDULE}").fetchone()
    assert dates is not None and dates[0] >= START and dates[1] <= END
    active = con.sql(
        f"select count(*) from {GAMEBOOK} where player_status = 'active'"
    ).fetchone()
    assert active == (summary.gamebook_active_rows,)


def test_same_seed_same_rows_other_seed_differs(
    generated: tuple[Path, GenerationSummary], tmp_path: Path
) -> None:
    again, other = tmp_path / "again.duckdb", tmp_path / "other.duckdb"
    generate(again, seed=42, start_date=START, end_date=END, progress=lambda _: None)
    generate(other, seed=7, start_date=START, end_date=END, progress=lambda _: None)
    first = table_rows(generated[0])
    assert table_rows(again) == first
    different = table_rows(other)
    for table in TABLES:
        assert different[table] != first[table]


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        ("nbac_schedule", SCHEDULE_COLUMNS),
        ("nbac_gamebook_player_stats", GAMEBOOK_COLUMNS),
        ("bdl_player_boxscores", BDL_COLUMNS),
    ],
)
def test_columns_and_types(
    con: duckdb.DuckDBPyConnection, table: str, expected: tuple[tuple[str, str], ...]
) -> None:
    actual = con.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_schema = 'nba_raw' and table_name = ? order by ordinal_position",
        [table],
    ).fetchall()
    assert actual == list(expected)


def test_contract_column_lists() -> None:
    gamebook = [name for name, _ in GAMEBOOK_COLUMNS]
    assert gamebook == [
        "game_id", "game_code", "game_date", "season_year", "home_team_abbr",
        "away_team_abbr", "team_abbr", "player_name", "player_name_original",
        "player_lookup", "player_status", "dnp_reason", "minutes", "points",
        "field_goals_made", "field_goals_attempted", "three_pointers_made",
        "three_pointers_attempted", "free_throws_made", "free_throws_attempted",
        "offensive_rebounds", "defensive_rebounds", "total_rebounds", "assists",
        "steals", "blocks", "turnovers", "personal_fouls", "plus_minus",
        "source_file_path", "processed_at",
    ]  # fmt: skip
    assert dict(SCHEDULE_COLUMNS)["home_team_score"] == "BIGINT"
    assert dict(BDL_COLUMNS)["game_status"] == "VARCHAR"
    assert [name for name, _ in BDL_COLUMNS][-3:] == [
        "source_file_path",
        "created_at",
        "processed_at",
    ]


def test_ids_and_one_game_per_team_per_date(con: duckdb.DuckDBPyConnection) -> None:
    schedule = con.sql(
        "select game_id, game_code, game_date, game_status, home_team_tricode, "
        "away_team_tricode from nba_raw.nbac_schedule"
    ).fetchall()
    busy: dict[date, list[str]] = defaultdict(list)
    for game_id, game_code, day, status, home, away in schedule:
        assert re.fullmatch(r"00[1-5]21\d{5}", game_id)
        assert game_code == f"{day:%Y%m%d}/{away}{home}"
        assert home != away
        if status == 3:
            busy[day] += [home, away]
    for teams in busy.values():
        assert len(teams) == len(set(teams))
    for table in ("nbac_gamebook_player_stats", "bdl_player_boxscores"):
        bad = con.sql(
            f"select count(*) from nba_raw.{table} where game_id <> "
            "strftime(game_date, '%Y%m%d') || '_' || away_team_abbr || '_' "
            "|| home_team_abbr"
        ).fetchone()
        assert bad == (0,)


def test_lookups_unique_per_game(con: duckdb.DuckDBPyConnection) -> None:
    for view in ("gb", "bdl"):
        dupes = con.sql(
            f"select count(*) from (select game_id, player_lookup from {view} "
            "group by all having count(*) > 1)"
        ).fetchone()
        assert dupes == (0,)


def test_team_minutes_add_up_exactly(con: duckdb.DuckDBPyConnection) -> None:
    periods = dict(con.sql("select distinct game_id, period from bdl").fetchall())
    rows = con.sql(
        "select game_id, team_abbr, player_lookup, minutes from gb "
        "where player_status = 'active'"
    ).fetchall()
    seconds: dict[tuple[str, str], list[int | None]] = defaultdict(list)
    listed: set[tuple[str, str]] = set()
    for game_id, team, lookup, minutes in rows:
        seconds[(game_id, team)].append(parse_seconds(minutes))
        listed.add((game_id, lookup))
    bdl_only = {
        (game_id, team)
        for game_id, team, name in con.sql(
            "select game_id, team_abbr, player_full_name from bdl where minutes <> '00'"
        ).fetchall()
        if (game_id, reference_lookup(name)) not in listed
    }
    checked = 0
    for (game_id, team), values in seconds.items():
        if None in values or (game_id, team) in bdl_only or game_id not in periods:
            continue
        overtimes = periods[game_id] - 4
        assert sum(v for v in values if v is not None) == (48 + 5 * overtimes) * 5 * 60
        checked += 1
    assert checked > 150


def test_stats_are_coherent(con: duckdb.DuckDBPyConnection) -> None:
    common = """
        field_goals_made > field_goals_attempted
        or three_pointers_made > three_pointers_attempted
        or three_pointers_made > field_goals_made
        or free_throws_made > free_throws_attempted
        or points <> 2 * (field_goals_made - three_pointers_made)
                     + 3 * three_pointers_made + free_throws_made
        or points > 70 or points < 0
    """
    for table, rebounds in (
        ("nba_raw.nbac_gamebook_player_stats", "total_rebounds"),
        ("nba_raw.bdl_player_boxscores", "rebounds"),
    ):
        bad = con.sql(
            f"select count(*) from {table} where {common} "
            f"or {rebounds} <> offensive_rebounds + defensive_rebounds"
        ).fetchone()
        assert bad == (0,), table
    not_played = con.sql(
        f"select count(*) from {GAMEBOOK} where player_status <> 'active' "
        "and (points is not null or assists is not null or plus_minus is not null "
        "or coalesce(minutes, '') not in ('', '-', 'DNP'))"
    ).fetchone()
    assert not_played == (0,)
    null_stats = con.sql(
        f"select count(*) from {BOXSCORES} where points is null or minutes is null"
    ).fetchone()
    assert null_stats == (0,)
    bdl_format = con.sql(
        "select count(*) from nba_raw.bdl_player_boxscores "
        "where not regexp_full_match(minutes, '[0-9]{2}')"
    ).fetchone()
    assert bdl_format == (0,)


def test_scores_are_sums_of_player_points(con: duckdb.DuckDBPyConnection) -> None:
    # except the incomplete box scores the demo data carries on purpose (both
    # feeds lack a player who played), each acknowledged in the shipped seed
    seed = Path(__file__).resolve().parents[2] / "seeds/acknowledged_raw_defects.csv"
    acknowledged = {
        tuple(line.split(",")[:2]) for line in seed.read_text().splitlines()[1:]
    }
    mismatched = con.sql(
        """
        with players as (
            select coalesce(g.game_id, b.game_id) as game_id,
                   coalesce(g.team_abbr, b.team_abbr) as team,
                   coalesce(g.points, b.points, 0) as points
            from gb as g
            full join (select *, player_full_name as name from bdl) as b
              on g.game_id = b.game_id and g.player_name = b.name
        ),
        totals as (
            select game_id, team, sum(points) as points from players group by all
        )
        select t.game_id, t.team
        from nba_raw.nbac_schedule as s
        join totals as t
          on t.game_id = strftime(s.game_date, '%Y%m%d') || '_' || s.away_team_tricode
             || '_' || s.home_team_tricode
        where s.game_status = 3
          and t.points <> case when t.team = s.home_team_tricode
                               then s.home_team_score else s.away_team_score end
        """
    ).fetchall()
    assert mismatched and set(mismatched) <= acknowledged


def test_player_lookup_rule() -> None:
    from demo_data.lookup import bdl_player_lookup, player_lookup

    assert player_lookup("Nikola Jokić") == "nikolajokic"
    assert player_lookup("Tim Hardaway Jr.") == "timhardawayjr"
    assert player_lookup("Kristaps Porziņģis") == "kristapsporzingis"
    assert player_lookup("Jonas Valančiūnas") == "jonasvalanciunas"
    assert player_lookup("Robert Williams III") == "robertwilliamsiii"
    assert bdl_player_lookup("Nikola Jokić") == "nikolajoki"


def test_lookups_in_both_feeds(con: duckdb.DuckDBPyConnection) -> None:
    gamebook = con.sql(
        f"select distinct player_name, player_lookup from {GAMEBOOK}"
    ).fetchall()
    for name, lookup in gamebook:
        assert lookup == reference_lookup(name), name
    accented = {name for name, _ in gamebook if not name.isascii()}
    assert {"Nikola Jokić", "Luka Dončić", "Jonas Valančiūnas"} <= accented
    assert any(name.endswith((" Jr.", " Sr.", " III")) for name, _ in gamebook)
    bdl = con.sql(
        f"select distinct player_full_name, player_lookup from {BOXSCORES}"
    ).fetchall()
    for name, lookup in bdl:
        assert lookup == re.sub(r"[^a-z0-9]", "", name.lower()), name
    assert ("Nikola Jokić", "nikolajoki") in bdl


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
    generate(
        db_path,
        start_date=date(2024, 4, 8),
        end_date=date(2024, 4, 24),
        progress=lambda _: None,
    )
    with duckdb.connect(str(db_path), read_only=True) as connection:
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
    generate(
        db_path,
        start_date=date(2022, 2, 18),
        end_date=date(2022, 2, 22),
        progress=lambda _: None,
    )
    with duckdb.connect(str(db_path), read_only=True) as connection:
        star = connection.sql(
            f"select game_id, is_all_star from {SCHEDULE} where game_id like '003%'"
        ).fetchall()
        feeds = connection.sql(
            "select (select count(*) from nba_raw.nbac_gamebook_player_stats), "
            "(select count(*) from nba_raw.bdl_player_boxscores)"
        ).fetchone()
    assert star == [("0032100001", True)]
    assert feeds is not None and min(feeds) > 20


def test_rerun_keeps_other_schemas(tmp_path: Path) -> None:
    db_path = tmp_path / "built.duckdb"
    window = {"start_date": date(2022, 1, 3), "end_date": date(2022, 1, 5)}
    first = generate(db_path, progress=lambda _: None, **window)
    with duckdb.connect(str(db_path)) as connection:
        connection.execute("create schema nba_analytics")
        connection.execute("create table nba_analytics.keep as select 1 as x")
        connection.execute("create table nba_raw.stray as select 1 as x")
    second = generate(db_path, progress=lambda _: None, **window)
    assert second.row_counts == first.row_counts
    with duckdb.connect(str(db_path), read_only=True) as connection:
        assert connection.sql("select x from nba_analytics.keep").fetchall() == [(1,)]
        tables = connection.sql(
            "select table_name from information_schema.tables "
            "where table_schema = 'nba_raw' order by 1"
        ).fetchall()
    assert [name for (name,) in tables] == sorted(TABLES)


def test_scale_extends_window_by_whole_seasons() -> None:
    start, end, seasons = resolve_window(date(2021, 10, 1), date(2024, 5, 1), 3)
    assert (start, end) == (date(2021, 10, 1), date(2030, 5, 1))
    assert seasons == tuple(range(2021, 2030))
    assert resolve_window(date(2021, 10, 1), date(2024, 5, 1), 1)[1] == date(2024, 5, 1)


@pytest.mark.parametrize(
    ("argv", "argument"),
    [
        (["--start-date", "2022-13-01"], "--start-date"),
        (["--end-date", "yesterday"], "--end-date"),
        (["--start-date", "2022-02-01", "--end-date", "2022-01-01"], "--end-date"),
        (["--scale", "0"], "--scale"),
        (["--scale", "two"], "--scale"),
        (["--seed", "x"], "--seed"),
    ],
)
def test_bad_arguments_exit_2(
    argv: list[str], argument: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--db", str(tmp_path / "never.duckdb"), *argv])
    assert exit_info.value.code == 2
    assert argument in capsys.readouterr().err
    assert not (tmp_path / "never.duckdb").exists()
