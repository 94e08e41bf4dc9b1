"""The runner adds up figures of several ranges field by field, with one helper."""

from __future__ import annotations

from datetime import date

from backfill_runner.figures import MonthFigures, SummaryFigures, logged_daily_figures
from backfill_runner.plan import DateRange
from backfill_runner.report import Rollup


def test_a_month_batch_sums_the_figures_of_its_days() -> None:
    days = [
        SummaryFigures(True, rows=10, null_rows=4, active_rows=6, active_null_rows=1),
        SummaryFigures(False, rows=0, null_rows=0, active_rows=0, active_null_rows=0),
        SummaryFigures(True, rows=5, null_rows=2, active_rows=3, active_null_rows=0),
    ]
    month = SummaryFigures.total(iter(days))
    assert month == SummaryFigures(
        True, rows=15, null_rows=6, active_rows=9, active_null_rows=1
    )
    assert month.null_rate == 6 / 15


def test_a_season_rollup_sums_its_months() -> None:
    months = [
        MonthFigures(date(2021, 10, 1), 2021, 100, 40, 60, 0, 90, 80),
        MonthFigures(date(2021, 11, 1), 2021, 200, 80, 120, 1, 180, 170),
    ]
    season = Rollup.of("2021-22", months)
    assert season.label == "2021-22"
    assert (season.summary_rows, season.null_rows) == (300, 120)
    assert (season.active_rows, season.active_null_rows) == (180, 1)
    assert (season.raw_bdl_rows, season.compared_bdl_rows) == (270, 250)


def test_the_day_figures_a_microbatch_post_hook_logged_for_the_range() -> None:
    counts = {
        "summary_rows": 10,
        "null_rows": 4,
        "active_rows": 6,
        "active_null_rows": 1,
    }
    january = DateRange(date(2022, 1, 1), date(2022, 1, 2))
    logged = [
        # the range's total only (not a microbatch run), then another range
        {"start_date": "2022-01-01", "end_date": "2022-01-02", **counts},
        {
            "start_date": "2021-12-30",
            "end_date": "2021-12-31",
            **counts,
            "days": {"2021-12-30": counts},
        },
    ]
    assert logged_daily_figures(logged, january) is None
    logged.append(
        {
            "start_date": "2022-01-01",
            "end_date": "2022-01-02",
            **counts,
            "days": {"2022-01-02": counts},
        }
    )
    assert logged_daily_figures(logged, january) == {
        date(2022, 1, 2): SummaryFigures(
            True, rows=10, null_rows=4, active_rows=6, active_null_rows=1
        )
    }
