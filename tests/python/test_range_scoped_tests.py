"""Every generic test, dbt's own included, reads only the backfill range.

get_where_subquery (macros/tests/get_where_subquery.sql) limits the model a test
reads to the vars' range on its event_time column, together with the test's own
`where` config. So a chunk's test fails on a broken row inside the chunk and not
on one outside it, whether the test is dbt's (not_null, accepted_values) or the
project's (pgs_primary_key, which has no range logic of its own).
"""

from __future__ import annotations

from built_project import SUMMARY, DbtHarness, break_and_test

BROKEN_DAY = "2022-01-05"
INSIDE = {"start_date": BROKEN_DAY, "end_date": BROKEN_DAY}
OUTSIDE = {"start_date": "2022-01-10", "end_date": "2022-01-12"}
ON_THE_DAY = f"game_date = date '{BROKEN_DAY}'"
DID_NOT_PLAY = "player_status = 'dnp'"
TESTS = {
    "pgs_primary_key": "a second copy of one row",
    "not_null_player_game_summary_team_abbr": "a row without a team",
    "pgs_player_status_accepted": "a status outside the three",
    "pgs_usage_rate_present": "an active player with minutes and no usage_rate",
}


def one_row(condition: str) -> str:
    return (
        f"game_id || player_lookup = (select min(game_id || player_lookup) "
        f"from {SUMMARY} where {ON_THE_DAY} and {condition})"
    )


BREAK_THE_DAY = [
    f"insert into {SUMMARY} select * from {SUMMARY} where {one_row('is_active')}",
    f"update {SUMMARY} set team_abbr = null where {one_row('not is_active')}",
    f"update {SUMMARY} set player_status = 'benched' where {one_row(DID_NOT_PLAY)}",
    f"update {SUMMARY} set usage_rate = null "
    f"where {one_row('is_active and minutes_played > 0')}",
]


def test_rows_broken_outside_the_range_do_not_fail_a_chunk(
    broken: DbtHarness,
) -> None:
    assert broken.query(f"select count(*) from {SUMMARY} where {ON_THE_DAY}")[0][0]
    outside = break_and_test(broken, BREAK_THE_DAY, list(TESTS), dbt_vars=OUTSIDE)
    assert outside == dict.fromkeys(TESTS, "pass")
    inside = break_and_test(broken, [], list(TESTS), dbt_vars=INSIDE)
    assert inside == dict.fromkeys(TESTS, "fail")
    # and without a range every row counts
    assert break_and_test(broken, [], list(TESTS)) == dict.fromkeys(TESTS, "fail")


def test_a_where_config_still_applies_within_the_range(broken: DbtHarness) -> None:
    # players who did not play have no usage_rate by rule: not a failure
    result = break_and_test(
        broken,
        [f"update {SUMMARY} set usage_rate = null where not is_active"],
        ["pgs_usage_rate_present"],
        dbt_vars=INSIDE,
    )
    assert result == {"pgs_usage_rate_present": "pass"}
