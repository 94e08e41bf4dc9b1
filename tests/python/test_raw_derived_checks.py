"""The raw-derived checks and the acknowledged raw defects are tested.

Each raw-derived check takes its expected value from the raw rows of the same
range; each is shown failing on the fixture that breaks it (a dropped player, a
duplicated load, NULL minutes for a played player). The acknowledgements seed is
shown excusing exactly its team-games, reporting a stale row and rejecting a
malformed one. A feed without inactive players passes the raw-derived checks
while the fixed NULL band only warns.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import duckdb
from built_project import (
    GAMEBOOK,
    SUMMARY,
    BuiltProject,
    DbtHarness,
    break_and_test,
    statuses,
)

ACKNOWLEDGED = "nba_seeds.acknowledged_raw_defects"
RAW_DERIVED = [
    "assert_summary_rows_match_raw_listing",
    "assert_minutes_null_count_matches_raw",
    "assert_team_totals_match_feed",
]
TEAM_MINUTES = "pgs_team_minutes_add_up"
# the demo's incomplete box scores inside the conftest window (seed 42)
WINDOW_DEFECTS = {("20211223_CHI_NYK", "NYK"), ("20220115_LAC_LAL", "LAC")}
# the conftest window: the shipped acknowledgements of other games are out of it
WINDOW = {"start_date": "2021-12-20", "end_date": "2022-01-20"}


def rows_of(harness: DbtHarness, test_name: str) -> list[dict[str, Any]]:
    """The rows a test's compiled query returns (what dbt counted)."""
    compiled = next(harness.target_path.joinpath("compiled").rglob(f"{test_name}.sql"))
    with duckdb.connect(str(harness.db_path)) as connection:
        cursor = connection.execute(compiled.read_text())
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


# ------------------------------------------------------------ raw-derived checks


def test_clean_data_passes_the_raw_derived_checks(built: BuiltProject) -> None:
    assert {name: built.statuses[name] for name in RAW_DERIVED} == dict.fromkeys(
        RAW_DERIVED, "pass"
    )


def test_a_dropped_player_fails_the_row_and_null_count_checks(
    broken: DbtHarness,
) -> None:
    # one dnp row lost: the volume band cannot see one row, the raw listing can
    result = break_and_test(
        broken,
        [
            f"delete from {SUMMARY} where game_id || player_lookup = ("
            f"select min(game_id || player_lookup) from {SUMMARY} "
            "where player_status = 'dnp')"
        ],
        [*RAW_DERIVED, "pgs_volume_per_game"],
    )
    assert result == {
        "assert_summary_rows_match_raw_listing": "fail",
        "assert_minutes_null_count_matches_raw": "fail",
        "assert_team_totals_match_feed": "pass",
        "pgs_volume_per_game": "pass",
    }


def test_a_duplicated_load_fails_the_row_and_team_total_checks(
    broken: DbtHarness,
) -> None:
    # an older load of one played row kept beside the newest one
    result = break_and_test(
        broken,
        [
            f"insert into {SUMMARY} select * replace ("
            "processed_at - interval 1 day as processed_at) "
            f"from {SUMMARY} where game_id || player_lookup = ("
            f"select min(game_id || player_lookup) from {SUMMARY} where is_active)"
        ],
        RAW_DERIVED,
    )
    assert result == {
        "assert_summary_rows_match_raw_listing": "fail",
        "assert_minutes_null_count_matches_raw": "pass",
        "assert_team_totals_match_feed": "fail",
    }


def test_a_row_of_an_older_raw_load_fails_the_row_check(broken: DbtHarness) -> None:
    # a newer gamebook load of one game that no longer lists one inactive
    # player (one Ball Don't Lie does not list either): the summary, built from
    # the older load, still has him
    game = (
        f"(select min(game_id) from {GAMEBOOK} as g where player_status = "
        "'inactive' and player_lookup not in (select player_lookup from "
        "nba_raw.bdl_player_boxscores as b where b.game_id = g.game_id))"
    )
    dropped = (
        f"(select min(player_lookup) from {GAMEBOOK} as g where game_id = {game} "
        "and player_status = 'inactive' and player_lookup not in (select "
        "player_lookup from nba_raw.bdl_player_boxscores as b where b.game_id = "
        "g.game_id))"
    )
    result = break_and_test(
        broken,
        [
            f"insert into {GAMEBOOK} select * replace (processed_at + interval 1 "
            "day as processed_at, source_file_path || '.newer' as "
            f"source_file_path) from {GAMEBOOK} where game_id = {game} and "
            f"player_lookup != {dropped}"
        ],
        ["assert_summary_rows_match_raw_listing"],
    )
    assert result == {"assert_summary_rows_match_raw_listing": "fail"}


def test_null_minutes_for_a_played_player_fail_the_raw_derived_checks(
    broken: DbtHarness,
) -> None:
    # one played row without minutes: within played-has-minutes' 0.5%, but the
    # raw feeds give him minutes
    result = break_and_test(
        broken,
        [
            f"update {SUMMARY} set minutes_played = null, usage_rate = null "
            "where game_id || player_lookup = (select min(game_id || "
            f"player_lookup) from {SUMMARY} where is_active and "
            "minutes_played > 10)"
        ],
        [*RAW_DERIVED, "pgs_played_has_minutes"],
    )
    assert result == {
        "assert_summary_rows_match_raw_listing": "pass",
        "assert_minutes_null_count_matches_raw": "fail",
        "assert_team_totals_match_feed": "fail",
        "pgs_played_has_minutes": "pass",
    }


# ------------------------------------------------------ acknowledged raw defects


def test_acknowledged_defects_only_warn_and_are_listed(broken: DbtHarness) -> None:
    result = break_and_test(broken, [], [TEAM_MINUTES], dbt_vars=WINDOW)
    assert result == {TEAM_MINUTES: "warn"}
    rows = rows_of(broken, TEAM_MINUTES)
    assert {(row["game_id"], row["team_abbr"]) for row in rows} == WINDOW_DEFECTS
    assert {row["outcome"] for row in rows} == {"acknowledged"}
    for row in rows:
        # observed and expected minutes: a player of about 24 minutes is missing
        assert 20 <= row["expected_minutes"] - row["observed_minutes"] <= 30, row
        assert row["acknowledgement_reason"]


def test_without_acknowledgements_the_defects_fail(broken: DbtHarness) -> None:
    result = break_and_test(
        broken, [f"delete from {ACKNOWLEDGED}"], [TEAM_MINUTES], dbt_vars=WINDOW
    )
    assert result == {TEAM_MINUTES: "fail"}
    rows = rows_of(broken, TEAM_MINUTES)
    assert {(row["game_id"], row["team_abbr"]) for row in rows} == WINDOW_DEFECTS
    assert {row["outcome"] for row in rows} == {"failure"}


def test_an_acknowledgement_excuses_its_team_game_only(broken: DbtHarness) -> None:
    # the other team of an acknowledged game loses minutes: it still fails
    result = break_and_test(
        broken,
        [
            f"update {SUMMARY} set minutes_played = minutes_played - 5 where "
            "game_id = '20211223_CHI_NYK' and team_abbr = 'CHI' and "
            "player_lookup = (select max(player_lookup) from "
            f"{SUMMARY} where game_id = '20211223_CHI_NYK' and team_abbr = 'CHI'"
            " and minutes_played > 10)"
        ],
        [TEAM_MINUTES],
        dbt_vars=WINDOW,
    )
    assert result == {TEAM_MINUTES: "fail"}
    failures = {
        (row["game_id"], row["team_abbr"])
        for row in rows_of(broken, TEAM_MINUTES)
        if row["outcome"] == "failure"
    }
    assert failures == {("20211223_CHI_NYK", "CHI")}


def test_a_stale_acknowledgement_warns_with_its_row(broken: DbtHarness) -> None:
    # acknowledged, but the team's minutes add up: the raw data was fixed
    result = break_and_test(
        broken,
        [
            f"delete from {ACKNOWLEDGED} where game_id = '20220115_LAC_LAL'",
            f"insert into {ACKNOWLEDGED} values ('20220105_CHI_SAS', 'CHI', "
            f"'{TEAM_MINUTES}', 'checked the gamebook', date '2026-11-30')",
            # the LAC game is now unacknowledged: give LAC its minutes back
            f"update {SUMMARY} set minutes_played = minutes_played + 24 where "
            "game_id = '20220115_LAC_LAL' and team_abbr = 'LAC' and "
            "player_lookup = (select max(player_lookup) from "
            f"{SUMMARY} where game_id = '20220115_LAC_LAL' and team_abbr = 'LAC'"
            " and minutes_played > 10)",
        ],
        [TEAM_MINUTES],
        dbt_vars=WINDOW,
    )
    stale_game = broken.query(
        f"select count(*) from {SUMMARY} where game_id = '20220105_CHI_SAS' "
        "and team_abbr = 'CHI'"
    )[0][0]
    assert stale_game > 0, "the stale acknowledgement must name a real team-game"
    assert result == {TEAM_MINUTES: "warn"}
    rows = rows_of(broken, TEAM_MINUTES)
    assert {(row["game_id"], row["team_abbr"], row["outcome"]) for row in rows} == {
        ("20211223_CHI_NYK", "NYK", "acknowledged"),
        ("20220105_CHI_SAS", "CHI", "stale"),
    }


def test_a_malformed_acknowledgement_fails_with_a_clear_message(
    broken: DbtHarness,
) -> None:
    result = break_and_test(
        broken,
        [
            f"insert into {ACKNOWLEDGED} values "
            "('20220105_CHI_SAS', 'CHI', 'pgs_team_minutes', 'typo', "
            "date '2026-11-30'), "
            "('2022-01-05_CHI_SAS', 'CHI', 'pgs_team_minutes_add_up', 'dashes', "
            "date '2026-11-30'), "
            "('20220105_CHI_SAS', 'BOS', 'pgs_team_minutes_add_up', 'team', "
            "date '2026-11-30'), "
            "('20220231_CHI_SAS', 'CHI', 'pgs_games_complete', 'no such day', "
            "date '2026-11-30')"
        ],
        ["acknowledged_raw_defects_valid", TEAM_MINUTES],
        dbt_vars=WINDOW,
    )
    # the typos excuse nothing: the acknowledged rows still only warn
    assert result == {"acknowledged_raw_defects_valid": "fail", TEAM_MINUTES: "warn"}
    messages = sorted(
        row["problem"] for row in rows_of(broken, "acknowledged_raw_defects_valid")
    )
    assert messages == sorted(
        [
            'unknown test_name "pgs_team_minutes": acknowledgements can excuse '
            "only pgs_games_complete, pgs_team_minutes_add_up",
            'malformed game_id "2022-01-05_CHI_SAS": expected YYYYMMDD_AWAY_HOME '
            "with a real date and two different teams, e.g. 20211019_BKN_MIL",
            'team_abbr "BOS" is not a team of the game, CHI or SAS',
            'malformed game_id "20220231_CHI_SAS": expected YYYYMMDD_AWAY_HOME '
            "with a real date and two different teams, e.g. 20211019_BKN_MIL",
        ]
    )


# ------------------------------------------------ a feed without inactive players

NO_INACTIVE_WINDOW = (date(2022, 1, 3), date(2022, 1, 9))


def test_a_feed_without_inactive_players_passes_the_raw_derived_checks(
    profiles_dir: Path, tmp_path: Path
) -> None:
    from demo_data.gaps import GapRates
    from generate_raw_data import generate

    db_path = tmp_path / "no_inactive.duckdb"
    generate(
        db_path,
        seed=42,
        start_date=NO_INACTIVE_WINDOW[0],
        end_date=NO_INACTIVE_WINDOW[1],
        gaps=GapRates(without_inactive=1.0),
        progress=lambda _: None,
    )
    harness = DbtHarness(db_path, tmp_path / "target", profiles_dir)
    inactive = harness.query(
        f"select count(*) from {GAMEBOOK} where player_status = 'inactive'"
    )[0][0]
    assert inactive == 0
    result = statuses(harness.invoke("build", "--full-refresh"))
    null_rate = harness.query(
        f"select avg(case when minutes_played is null then 1.0 else 0 end) "
        f"from {SUMMARY}"
    )[0][0]
    assert null_rate < 0.35, null_rate  # about 17% in real feeds of this kind
    assert {name: result[name] for name in RAW_DERIVED} == dict.fromkeys(
        RAW_DERIVED, "pass"
    )
    assert result["pgs_minutes_null_band"] == "warn"
    failed = {name for name, status in result.items() if status in {"fail", "error"}}
    assert failed == set()
