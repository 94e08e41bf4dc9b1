"""The figures the report and the progress lines describe, queried through dbt.

They describe and never judge: every verdict is a dbt test's (verdicts.py).

Each query is Jinja SQL run with ``dbt show --inline`` on the parsed project, so
``source()``, ``ref()`` and the project's cross-database macros render it for
whichever engine the target is (DuckDB or BigQuery). Range bounds come from
validated ``date`` objects, never from raw text. Raw tables are always filtered on
``game_date``, which BigQuery's partition filter requires.

Coverage vs raw is ``summary rows of players who played`` (``is_active``) divided by
the Ball Don't Lie rows of the games the summary covers (final regular-season,
play-in and playoff games), newest load only, by month and overall: the rows the
project's pgs_coverage_vs_raw tests compare with. Over every raw row as loaded the
ratio would count preseason games and repeated loads (68% overall on the demo data,
33-45% in October); that count is reported beside it. In the runner the summary is
the audit copy (var backfill_audit); in a dry run, the live table.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from backfill_runner.dbt_session import DbtSession, as_date
from backfill_runner.plan import DateRange
from backfill_runner.settings import (
    COVERAGE_RAW_MODEL,
    DATE_COLUMN,
    MODEL_NAME,
    SUMMARISED_GAMES_MODEL,
)


def _between(column: str, window: DateRange) -> str:
    return (
        f"{column} between cast('{window.start.isoformat()}' as date)"
        f" and cast('{window.end.isoformat()}' as date)"
    )


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _int(row: dict[str, Any], key: str) -> int:
    value = row.get(key)
    return int(value) if value is not None else 0


def summed(parts: Iterable[Any], names: Sequence[str]) -> dict[str, int]:
    """Each named count added up over parts: the figures of several ranges as one."""
    found = list(parts)
    return {name: sum(getattr(part, name) for part in found) for name in names}


@dataclass(frozen=True, slots=True)
class SummaryFigures:
    """The summary's rows in a range and how many lack minutes."""

    table_exists: bool
    rows: int
    null_rows: int
    active_rows: int
    active_null_rows: int

    @property
    def null_rate(self) -> float | None:
        return _rate(self.null_rows, self.rows)

    @property
    def active_null_rate(self) -> float | None:
        return _rate(self.active_null_rows, self.active_rows)

    @classmethod
    def empty(cls) -> SummaryFigures:
        return cls(True, 0, 0, 0, 0)

    @classmethod
    def from_counts(cls, row: dict[str, Any]) -> SummaryFigures:
        """From the columns of range_figure_columns (a query or the post-hook)."""
        return cls(
            table_exists=True,
            rows=_int(row, "summary_rows"),
            null_rows=_int(row, "null_rows"),
            active_rows=_int(row, "active_rows"),
            active_null_rows=_int(row, "active_null_rows"),
        )

    @classmethod
    def total(cls, parts: Iterable[SummaryFigures]) -> SummaryFigures:
        """The figures of several ranges (the days of a month batch) together."""
        counts = ("rows", "null_rows", "active_rows", "active_null_rows")
        return cls(table_exists=True, **summed(parts, counts))

    def to_dict(self) -> dict[str, Any]:
        return {
            "table_exists": self.table_exists,
            "rows": self.rows,
            "null_rows": self.null_rows,
            "active_rows": self.active_rows,
            "active_null_rows": self.active_null_rows,
            "null_rate": self.null_rate,
        }


# the columns the summary's post-hook logs for every run (macros/runner)
_COUNTS = " {{ range_figure_columns() }}"


def _logged_for(
    logged: list[dict[str, Any]], window: DateRange
) -> Iterator[dict[str, Any]]:
    """What the summary's post-hook logged for exactly this range, newest first."""
    bounds = (window.start.isoformat(), window.end.isoformat())
    for figures in reversed(logged):
        if (figures.get("start_date"), figures.get("end_date")) == bounds:
            yield figures


def logged_summary_figures(
    logged: list[dict[str, Any]], window: DateRange
) -> SummaryFigures | None:
    """The counts the summary's post-hook logged for exactly this range, if any."""
    for figures in _logged_for(logged, window):
        if not figures.get("full_refresh"):
            return SummaryFigures.from_counts(figures)
    return None


def logged_daily_figures(
    logged: list[dict[str, Any]], window: DateRange
) -> dict[date, SummaryFigures] | None:
    """Each day's counts, as a microbatch run's post-hook logged them for
    exactly this range (macros/runner/log_range_figures.sql), if it did."""
    for figures in _logged_for(logged, window):
        if isinstance(figures.get("days"), dict):
            return {
                date.fromisoformat(day): SummaryFigures.from_counts(counts)
                for day, counts in figures["days"].items()
            }
    return None


def summary_figures(session: DbtSession, window: DateRange) -> SummaryFigures:
    """Counts over a range; all zero with table_exists false before the first run."""
    sql = f"""
{{%- set summary = load_relation(ref('{MODEL_NAME}')) -%}}
{{%- if summary is none %}}
select 0 as table_exists
{{%- else %}}
select 1 as table_exists,{_COUNTS}
from {{{{ summary }}}}
where {_between(DATE_COLUMN, window)}
{{%- endif %}}
"""
    row = session.query(sql)[0]
    if not _int(row, "table_exists"):
        return SummaryFigures(False, 0, 0, 0, 0)
    return SummaryFigures.from_counts(row)


def daily_summary_figures(
    session: DbtSession, window: DateRange
) -> dict[date, SummaryFigures]:
    """The counts of every date of a range that holds rows, in one query."""
    sql = f"""
select {DATE_COLUMN} as game_date,{_COUNTS}
from {{{{ ref('{MODEL_NAME}') }}}}
where {_between(DATE_COLUMN, window)}
group by 1
"""
    return {
        as_date(row["game_date"]): SummaryFigures.from_counts(row)
        for row in session.query(sql)
    }


@dataclass(frozen=True, slots=True)
class MonthFigures:
    """One (month, season) of the summary next to the raw Ball Don't Lie rows."""

    month: date
    season_year: int
    summary_rows: int
    null_rows: int
    active_rows: int
    active_null_rows: int
    raw_bdl_rows: int
    compared_bdl_rows: int

    @property
    def null_rate(self) -> float | None:
        return _rate(self.null_rows, self.summary_rows)

    @property
    def coverage(self) -> float | None:
        return _rate(self.active_rows, self.compared_bdl_rows)


def month_figures(session: DbtSession, window: DateRange) -> list[MonthFigures]:
    """Per month and season; months with neither summary nor raw rows are absent.

    The compared rows come from ephemeral models that read the range from the
    vars, so the query runs with the window's vars.
    """
    month = f"cast({{{{ month_start('{DATE_COLUMN}') }}}} as date)"
    compared_month = month.replace(f"'{DATE_COLUMN}'", f"'boxscores.{DATE_COLUMN}'")
    sql = f"""
{{%- set summary = load_relation(ref('{MODEL_NAME}')) -%}}
with loaded_rows as (
    select
        {month} as month_start,
        season_year,
        count(*) as raw_bdl_rows
    from {{{{ source('nba_raw', 'bdl_player_boxscores') }}}}
    where {_between(DATE_COLUMN, window)}
    group by 1, 2
),
compared_rows as (
    select
        {compared_month} as month_start,
        games.season_year,
        count(*) as compared_bdl_rows
    from {{{{ ref('{COVERAGE_RAW_MODEL}') }}}} as boxscores
    inner join {{{{ ref('{SUMMARISED_GAMES_MODEL}') }}}} as games
        on
            boxscores.{DATE_COLUMN} = games.{DATE_COLUMN}
            and boxscores.game_id = games.game_id
    where
        games.is_summarised
        and {_between("boxscores." + DATE_COLUMN, window)}
    group by 1, 2
),
raw_rows as (
    select
        coalesce(loaded_rows.month_start, compared_rows.month_start)
            as month_start,
        coalesce(loaded_rows.season_year, compared_rows.season_year)
            as season_year,
        coalesce(loaded_rows.raw_bdl_rows, 0) as raw_bdl_rows,
        coalesce(compared_rows.compared_bdl_rows, 0) as compared_bdl_rows
    from loaded_rows
    full outer join compared_rows
        on
            loaded_rows.month_start = compared_rows.month_start
            and loaded_rows.season_year = compared_rows.season_year
),
summary_rows as (
{{%- if summary is none %}}
    select
        cast(null as date) as month_start,
        0 as season_year,
        0 as summary_rows,
        0 as null_rows,
        0 as active_rows,
        0 as active_null_rows
    from raw_rows
    where 1 = 0
{{%- else %}}
    select
        {month} as month_start,
        season_year,{_COUNTS}
    from {{{{ summary }}}}
    where {_between(DATE_COLUMN, window)}
    group by 1, 2
{{%- endif %}}
)
select
    coalesce(summary_rows.month_start, raw_rows.month_start) as month_start,
    coalesce(summary_rows.season_year, raw_rows.season_year) as season_year,
    coalesce(summary_rows.summary_rows, 0) as summary_rows,
    coalesce(summary_rows.null_rows, 0) as null_rows,
    coalesce(summary_rows.active_rows, 0) as active_rows,
    coalesce(summary_rows.active_null_rows, 0) as active_null_rows,
    coalesce(raw_rows.raw_bdl_rows, 0) as raw_bdl_rows,
    coalesce(raw_rows.compared_bdl_rows, 0) as compared_bdl_rows
from summary_rows
full outer join raw_rows
    on
        summary_rows.month_start = raw_rows.month_start
        and summary_rows.season_year = raw_rows.season_year
order by 1, 2
"""
    return [
        MonthFigures(
            month=as_date(row["month_start"]),
            season_year=_int(row, "season_year"),
            summary_rows=_int(row, "summary_rows"),
            null_rows=_int(row, "null_rows"),
            active_rows=_int(row, "active_rows"),
            active_null_rows=_int(row, "active_null_rows"),
            raw_bdl_rows=_int(row, "raw_bdl_rows"),
            compared_bdl_rows=_int(row, "compared_bdl_rows"),
        )
        for row in session.query(sql, dbt_vars=window.as_vars())
    ]


@dataclass(frozen=True, slots=True)
class DayCounts:
    """Rows on one date: the summary's now, and the raw Ball Don't Lie rows."""

    game_date: date
    summary_rows: int
    raw_bdl_rows: int


def day_counts(session: DbtSession, window: DateRange) -> list[DayCounts]:
    """What each date holds now; the dry run sums it per chunk."""
    sql = f"""
{{%- set summary = load_relation(ref('{MODEL_NAME}')) -%}}
with raw_rows as (
    select {DATE_COLUMN} as game_date, count(*) as raw_bdl_rows
    from {{{{ source('nba_raw', 'bdl_player_boxscores') }}}}
    where {_between(DATE_COLUMN, window)}
    group by 1
),
summary_rows as (
{{%- if summary is none %}}
    select game_date, 0 as summary_rows from raw_rows where 1 = 0
{{%- else %}}
    select {DATE_COLUMN} as game_date, count(*) as summary_rows
    from {{{{ summary }}}}
    where {_between(DATE_COLUMN, window)}
    group by 1
{{%- endif %}}
)
select
    coalesce(summary_rows.game_date, raw_rows.game_date) as game_date,
    coalesce(summary_rows.summary_rows, 0) as summary_rows,
    coalesce(raw_rows.raw_bdl_rows, 0) as raw_bdl_rows
from summary_rows
full outer join raw_rows on summary_rows.game_date = raw_rows.game_date
order by 1
"""
    return [
        DayCounts(
            game_date=as_date(row["game_date"]),
            summary_rows=_int(row, "summary_rows"),
            raw_bdl_rows=_int(row, "raw_bdl_rows"),
        )
        for row in session.query(sql)
    ]
