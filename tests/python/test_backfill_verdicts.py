"""The runner's verdicts are dbt's: test statuses, failing rows and where the
rest is kept, an empty diff, the figures dbt logged for a range."""

from __future__ import annotations

from datetime import date

from backfill_runner.figures import logged_summary_figures
from backfill_runner.plan import DateRange
from backfill_runner.publishing import RangeDiff
from backfill_runner.verdicts import TestVerdict, blocking, problems, summary


def test_verdicts_are_dbt_statuses_and_only_fail_and_error_block() -> None:
    verdicts = [
        TestVerdict("a", "pass"),
        TestVerdict("b", "warn", 1, "Got 1 result, configured to warn if >= 1"),
        TestVerdict("c", "fail", 2, "Got 2 results, configured to fail if != 0"),
        TestVerdict("d", "error", None, "Database Error"),
    ]
    assert [v.name for v in problems(verdicts)] == ["b", "c", "d"]
    assert [v.name for v in blocking(verdicts)] == ["c", "d"]
    assert summary(verdicts) == "1 passed, 1 warned, 1 failed, 1 errored"
    assert verdicts[2].headline() == (
        "dbt test c fail: Got 2 results, configured to fail if != 0"
    )


def test_failing_rows_are_shown_with_where_the_rest_is_kept() -> None:
    verdict = TestVerdict(
        "pgs_team_minutes_add_up",
        "fail",
        1,
        stored_in='"db"."nba_backfill_audit_failures"."pgs_team_minutes_add_up"',
        rows=[{"game_id": "20220112_NOP_ORL", "team_abbr": "NOP",
               "observed_minutes": 214.2, "expected_minutes": 240}],
    )  # fmt: skip
    assert verdict.row_lines() == [
        "game_id=20220112_NOP_ORL team_abbr=NOP observed_minutes=214.2 "
        "expected_minutes=240",
        'all failing rows: "db"."nba_backfill_audit_failures".'
        '"pgs_team_minutes_add_up"',
    ]
    assert TestVerdict.from_dict(verdict.to_dict()) == verdict


def test_a_diff_is_empty_only_without_added_removed_or_changed_rows() -> None:
    base = {
        "start_date": "2022-01-01", "end_date": "2022-01-31",
        "live_relation": "l", "audit_relation": "a", "live_exists": True,
        "added": 0, "removed": 0, "changed": 0, "live_rows": 10,
        "audit_rows": 10, "live_minutes_null": 4, "audit_minutes_null": 4,
    }  # fmt: skip
    assert RangeDiff.from_dict(base).is_empty
    for key in ("added", "removed", "changed"):
        assert not RangeDiff.from_dict({**base, key: 1}).is_empty
    changed = RangeDiff.from_dict(
        {**base, "changed": 1, "changed_columns": {"plus_minus": 1}}
    )
    assert changed.headline() == (
        "diff vs live: 0 added, 0 removed, 1 changed (by column: plus_minus 1); "
        "minutes NULL 40.00% -> 40.00%"
    )


def test_logged_figures_count_only_for_their_own_range() -> None:
    chunk = DateRange(date(2022, 1, 5), date(2022, 1, 9))
    logged = [
        {"start_date": "2022-01-05", "end_date": "2022-01-09", "full_refresh": False,
         "summary_rows": 10, "null_rows": 4, "active_rows": 6, "active_null_rows": 0},
        {"start_date": "2022-01-01", "end_date": "2022-01-09", "full_refresh": False,
         "summary_rows": 99, "null_rows": 9, "active_rows": 9, "active_null_rows": 9},
    ]  # fmt: skip
    figures = logged_summary_figures(logged, chunk)
    assert figures is not None
    assert (figures.rows, figures.null_rows, figures.active_rows) == (10, 4, 6)
    assert figures.null_rate == 0.4
    # a full refresh counts the whole table, whatever its vars say
    refreshed = [{**logged[0], "full_refresh": True}]
    assert logged_summary_figures(refreshed, chunk) is None
    assert logged_summary_figures([], chunk) is None
