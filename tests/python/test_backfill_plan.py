"""The runner's plan: a range split into day, week or month chunks, and
consecutive pending days grouped into one microbatch run."""

from __future__ import annotations

import itertools

import pytest
from backfill_runner.errors import UsageError
from backfill_runner.plan import ChunkSize, DateRange, make_range, split_range
from runner_unit_fixtures import d


def test_month_chunks_are_calendar_months_clipped_at_the_ends() -> None:
    chunks = split_range(DateRange(d("2021-10-15"), d("2022-01-10")), ChunkSize.MONTH)
    assert [(c.start.isoformat(), c.end.isoformat()) for c in chunks] == [
        ("2021-10-15", "2021-10-31"),
        ("2021-11-01", "2021-11-30"),
        ("2021-12-01", "2021-12-31"),
        ("2022-01-01", "2022-01-10"),
    ]


def test_week_chunks_run_monday_to_sunday() -> None:
    chunks = split_range(DateRange(d("2022-01-05"), d("2022-01-20")), ChunkSize.WEEK)
    assert [c.label for c in chunks] == [
        "2022-01-05..2022-01-09",
        "2022-01-10..2022-01-16",
        "2022-01-17..2022-01-20",
    ]
    assert all(c.start.weekday() == 0 for c in chunks[1:])


def test_chunks_cover_the_full_window_without_gaps() -> None:
    window = DateRange(d("2021-10-01"), d("2024-05-01"))
    for size, expected in ((ChunkSize.MONTH, 32), (ChunkSize.DAY, 944)):
        chunks = split_range(window, size)
        assert len(chunks) == expected
        assert sum(c.days for c in chunks) == window.days
        for before, after in itertools.pairwise(chunks):
            assert (after.start - before.end).days == 1


@pytest.mark.parametrize(
    ("start", "end", "fragment"),
    [
        ("2022-13-01", "2022-12-31", "not a calendar date"),
        ("2022-02-30", "2022-03-01", "not a calendar date"),
        ("22-01-01", "2022-01-02", "expected YYYY-MM-DD"),
        ("2022/01/01", "2022-01-02", "expected YYYY-MM-DD"),
        ("2022-01-10", "2022-01-01", "reversed"),
    ],
)
def test_bad_dates_raise_usage_errors(start: str, end: str, fragment: str) -> None:
    with pytest.raises(UsageError, match=fragment) as raised:
        make_range(start, end)
    assert raised.value.exit_code == 2


def test_contiguous_runs_split_at_every_gap() -> None:
    from backfill_runner.checkpoint import ChunkRecord
    from backfill_runner.chunks import contiguous_runs

    days = ["2022-01-01", "2022-01-02", "2022-01-04", "2022-01-05", "2022-01-09"]
    records = [ChunkRecord(start=day, end=day) for day in days]
    runs = contiguous_runs(records)
    assert [[r.start for r in run] for run in runs] == [
        ["2022-01-01", "2022-01-02"],
        ["2022-01-04", "2022-01-05"],
        ["2022-01-09"],
    ]
    assert contiguous_runs([]) == []


def test_tested_groups_are_a_month_of_days_and_a_season_of_months() -> None:
    from backfill_runner.checkpoint import ChunkRecord
    from backfill_runner.chunks import TESTED_GROUPS, contiguous_runs
    from backfill_runner.plan import season_of

    assert season_of(d("2021-10-19")) == season_of(d("2022-06-30")) == 2021
    assert season_of(d("2022-07-01")) == 2022

    def groups(start: str, end: str, size: ChunkSize) -> list[str]:
        window = make_range(start, end)
        records = [
            ChunkRecord(start=c.start.isoformat(), end=c.end.isoformat())
            for c in split_range(window, size)
        ]
        return [
            f"{run[0].start}..{run[-1].end}"
            for run in contiguous_runs(records, TESTED_GROUPS[size].key)
        ]

    assert groups("2022-01-30", "2022-02-02", ChunkSize.DAY) == [
        "2022-01-30..2022-01-31",
        "2022-02-01..2022-02-02",
    ]
    # a season runs from July to June: the month chunks of 2021-22, then 2022-23's
    assert groups("2021-10-15", "2022-11-30", ChunkSize.MONTH) == [
        "2021-10-15..2022-06-30",
        "2022-07-01..2022-11-30",
    ]
    assert ChunkSize.WEEK not in TESTED_GROUPS
