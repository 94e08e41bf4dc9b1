"""The first rows a failing dbt test returned, so a message names what failed.

Every test here returns diagnostic columns (game, player, raw value, observed and
expected values); the runner reruns a failing test's compiled SQL with a limit
and puts those rows into the error it prints.
"""

from __future__ import annotations

from typing import Any

from backfill_runner.dbt_session import DbtSession, Invocation
from backfill_runner.errors import DbtError

ROWS_SHOWN = 6


def _value(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, str):
        return repr(value)
    return str(value)


def failing_rows(
    session: DbtSession, invocation: Invocation, test_names: set[str]
) -> str:
    """'test: column=value, ...; ...' for the named tests of an invocation, or ''.

    A test whose rows cannot be read again (the query fails) is left out: the
    failure itself is already reported by dbt's result.
    """
    described = []
    for node in invocation.nodes:
        if node.name not in test_names or not node.compiled_code:
            continue
        sql = (
            "{% raw %}select * from (\n"
            f"{node.compiled_code}\n"
            f") as failing_rows limit {ROWS_SHOWN}{{% endraw %}}"
        )
        try:
            rows = session.query(sql)
        except DbtError:
            continue
        if rows:
            text = "; ".join(
                ", ".join(f"{name}={_value(value)}" for name, value in row.items())
                for row in rows
            )
            described.append(f"{node.name} rows: {text}")
    return " | ".join(described)
