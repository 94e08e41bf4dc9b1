"""Dates, inclusive date ranges and the split of a range into chunks."""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from backfill_runner.errors import UsageError


class ChunkSize(StrEnum):
    """How a range is cut: calendar days, ISO weeks (Monday first) or months."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"


# The first month of an NBA season: July, between the finals and the next
# preseason (the work tables are built a season per statement on the same
# boundary, macros/backfill/work_tables_by_season.sql).
SEASON_FIRST_MONTH = 7


def season_of(day: date) -> int:
    """The year the season of a day starts in (2021 for 2021-10-19 and for
    2022-04-10)."""
    return day.year if day.month >= SEASON_FIRST_MONTH else day.year - 1


@dataclass(frozen=True, slots=True, order=True)
class DateRange:
    """An inclusive range of dates."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise UsageError(
                f"the range is reversed: start {self.start} is after end {self.end}"
            )

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def contains(self, other: DateRange) -> bool:
        return self.start <= other.start and other.end <= self.end

    def overlaps(self, other: DateRange) -> bool:
        return self.start <= other.end and other.start <= self.end

    def includes(self, day: date) -> bool:
        return self.start <= day <= self.end

    def as_vars(self, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        """The range as dbt takes it (a run's vars, a run-operation's args),
        with ``extra`` ones."""
        scope = {"start_date": self.start.isoformat(), "end_date": self.end.isoformat()}
        return {**scope, **(extra or {})}

    def event_time_flags(self) -> list[str]:
        """dbt's microbatch bounds for this range (the end is exclusive)."""
        return [
            "--event-time-start",
            self.start.isoformat(),
            "--event-time-end",
            (self.end + timedelta(days=1)).isoformat(),
        ]

    @property
    def label(self) -> str:
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    @property
    def slug(self) -> str:
        return f"{self.start:%Y%m%d}_{self.end:%Y%m%d}"


def parse_date(text: str, what: str) -> date:
    """A YYYY-MM-DD calendar date, or a UsageError that names the argument."""
    value = text.strip()
    parts = value.split("-")
    if len(parts) != 3 or [len(part) for part in parts] != [4, 2, 2]:
        raise UsageError(f"{what} {text!r} is not a date: expected YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise UsageError(f"{what} {text!r} is not a calendar date ({error})") from None


def make_range(start_text: str, end_text: str) -> DateRange:
    return DateRange(
        parse_date(start_text, "--start-date"), parse_date(end_text, "--end-date")
    )


def _period_end(day: date, size: ChunkSize) -> date:
    if size is ChunkSize.DAY:
        return day
    if size is ChunkSize.WEEK:
        return day + timedelta(days=6 - day.weekday())
    last_day = calendar.monthrange(day.year, day.month)[1]
    return day.replace(day=last_day)


def split_range(whole: DateRange, size: ChunkSize) -> list[DateRange]:
    """Calendar-aligned chunks in date order; the first and last are clipped."""
    chunks: list[DateRange] = []
    start = whole.start
    while start <= whole.end:
        end = min(_period_end(start, size), whole.end)
        chunks.append(DateRange(start, end))
        start = end + timedelta(days=1)
    return chunks
