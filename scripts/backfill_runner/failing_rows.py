"""Name the rows behind a failing or warning test, the way dbt keeps them.

The tests that did not pass are run once more with ``dbt test --store-failures``
over the same range: dbt writes each one's rows into a table of schema
nba_backfill_audit_failures and reports where (the node's relation_name), and the
first rows are read from there with ``dbt show``. A dry run writes nothing, so
it runs the test's own compiled SQL through ``dbt show`` instead. Nothing
re-implements a test; a passing run pays nothing for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from backfill_runner.dbt_session import DbtSession
from backfill_runner.errors import DbtError
from backfill_runner.plan import DateRange
from backfill_runner.verdicts import TestVerdict

FIRST_ROWS = 5


def _plain(value: Any) -> Any:
    """A JSON-ready value (dates and timestamps as ISO text)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _first_rows(session: DbtSession, sql: str) -> list[dict[str, Any]]:
    try:
        return [
            {key: _plain(value) for key, value in row.items()}
            for row in session.query(sql, limit=FIRST_ROWS)
        ]
    except DbtError as error:
        return [{"rows unavailable": str(error).splitlines()[0]}]


def name_failing_rows(
    session: DbtSession,
    verdicts: Sequence[TestVerdict],
    window: DateRange,
    store: bool = True,
    extra_vars: dict[str, str] | None = None,
) -> None:
    """Fill in stored_in and rows of every failing or warning data test, run
    with the same vars as the step that judged it (``extra_vars``)."""
    wanted = {v.name: v for v in verdicts if v.status in ("fail", "warn")}
    if not wanted:
        return
    invocation = session.invoke(
        "test",
        "--select",
        *sorted(wanted),
        *(["--store-failures"] if store else []),
        dbt_vars=window.as_vars(extra_vars),
    )
    for node in invocation.nodes:
        verdict = wanted.get(node.name)
        if verdict is None:
            continue
        if store and node.relation_name:
            verdict.stored_in = node.relation_name
            verdict.rows = _first_rows(session, f"select * from {node.relation_name}")
        elif node.compiled_code:
            verdict.rows = _first_rows(session, node.compiled_code)


# The column that names the day of a failing row: the chunk period a grouped
# test judged it in (macros/tests/_helpers.sql, nba_test_period), else the
# row's own date (a row-level test), else the empty day of no_in_season_gap.
DAY_COLUMNS = ("test_period", "game_date", "period_start")


# A test whose rows carry their own level (macros/tests/_helpers.sql's band,
# the acknowledgeable tests' outcome) fails on its error rows only: the others
# are warnings, which do not make their day fail.
ERROR_LEVELS = {"band": "error", "outcome": "failure"}


def failing_days(session: DbtSession, verdict: TestVerdict) -> list[date] | None:
    """Every day the stored failing rows of a test name (its error rows, when
    its rows carry a level), or None when its rows name no day (or were not
    stored)."""
    if not verdict.stored_in or not verdict.rows:
        return None
    first = verdict.rows[0]
    column = next((c for c in DAY_COLUMNS if c in first), None)
    if column is None:
        return None
    errors_only = "".join(
        f" and {level} = '{value}'"
        for level, value in ERROR_LEVELS.items()
        if level in first
    )
    try:
        rows = session.query(
            f"select distinct {column} as day from {verdict.stored_in} "
            f"where {column} is not null{errors_only} order by 1"
        )
    except DbtError:
        return None  # the test's verdict stands; only the naming is lost
    days = [date.fromisoformat(str(row["day"])[:10]) for row in rows]
    return days or None
