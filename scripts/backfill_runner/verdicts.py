"""Verdicts, as dbt gave them: one per test node of a dbt result.

The runner judges nothing itself. Each rule is a dbt test (bands through the
test's warn_if / error_if), and a verdict is the status dbt reported for it:
pass, warn, fail or error. Failing and warning tests carry their first rows,
read back from where ``dbt test --store-failures`` stored them (failing_rows.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from backfill_runner.dbt_session import Invocation

TEST_TYPES = ("test", "unit_test")
# dbt statuses that stop a publish; "warn" is reported and does not
BLOCKING = ("fail", "error")
PROBLEMS = ("fail", "error", "warn")


@dataclass
class TestVerdict:
    """One dbt test's outcome in one step of a run (a chunk, the final tests)."""

    __test__ = False  # not a pytest class, whatever its name

    name: str
    status: str
    failures: int | None = None
    message: str | None = None
    # where the failing rows are kept, and the first few of them
    stored_in: str | None = None
    rows: list[dict[str, Any]] = field(default_factory=list)
    # where the rows are named instead, when this step did not name them
    rows_named_in: str | None = None

    @property
    def blocking(self) -> bool:
        return self.status in BLOCKING

    @property
    def problem(self) -> bool:
        return self.status in PROBLEMS

    def headline(self) -> str:
        """dbt's own words: 'dbt test x fail: Got 2 results, configured to ...'."""
        text = f"dbt test {self.name} {self.status}"
        return f"{text}: {self.message}" if self.message else text

    def row_lines(self, limit: int = 5) -> list[str]:
        """The first failing rows, one line each, as column=value pairs."""
        lines = [
            " ".join(f"{key}={value}" for key, value in row.items())
            for row in self.rows[:limit]
        ]
        if self.stored_in:
            lines.append(f"all failing rows: {self.stored_in}")
        if self.rows_named_in:
            lines.append(f"rows: {self.rows_named_in}")
        return lines

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TestVerdict:
        return cls(**data)


def verdicts_of(invocation: Invocation) -> list[TestVerdict]:
    """Every test node of a dbt result, as dbt reported it."""
    return [
        TestVerdict(node.name, node.status, node.failures, node.message)
        for node in invocation.nodes
        if node.resource_type in TEST_TYPES
    ]


def problems(verdicts: Iterable[TestVerdict]) -> list[TestVerdict]:
    return [v for v in verdicts if v.problem]


def blocking(verdicts: Iterable[TestVerdict]) -> list[TestVerdict]:
    return [v for v in verdicts if v.blocking]


def summary(verdicts: Sequence[TestVerdict]) -> str:
    """'41 passed, 1 warned, 1 failed' over a step's tests."""
    counts: dict[str, int] = {}
    for verdict in verdicts:
        counts[verdict.status] = counts.get(verdict.status, 0) + 1
    words = {"pass": "passed", "warn": "warned", "fail": "failed", "error": "errored"}
    parts = [
        f"{counts[status]} {words.get(status, status)}"
        for status in ("pass", "warn", "fail", "error", "skipped")
        if counts.get(status)
    ]
    return ", ".join(parts) or "no tests"


def pct(value: float | None, digits: int = 2) -> str:
    return "n/a" if value is None else f"{100 * value:.{digits}f}%"
