"""Diff, publish and rollback of a range: dbt run-operations of the project's
macros (macros/runner/diff_range.sql, publish.sql), read back from the
structured results they log. The SQL, and which engine runs which statement,
lives in the macros; this module only calls them and reads their answer.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from backfill_runner.dbt_session import (
    RANGE_BUILT_FROM,
    RANGE_DIFF,
    RANGE_PUBLISH,
    RANGE_ROLLBACK,
    DbtSession,
)
from backfill_runner.plan import DateRange
from backfill_runner.verdicts import pct


@dataclass(frozen=True, slots=True)
class BuiltFrom:
    """What an audit of a range stands on: the raw rows of the range (count,
    newest load, sum of load times: a reload changes it) and a digest of the
    audit copy's rows."""

    raw_rows: int
    raw_loaded_at: str | None
    raw_load_seconds: int
    audit_fingerprint: str | None

    @property
    def raw(self) -> tuple[int, str | None, int]:
        return (self.raw_rows, self.raw_loaded_at, self.raw_load_seconds)


@dataclass(frozen=True, slots=True)
class RangeDiff:
    """The audit copy against the live table over a range, by key."""

    start_date: str
    end_date: str
    live_relation: str
    audit_relation: str
    live_exists: bool
    added: int
    removed: int
    changed: int
    live_rows: int
    audit_rows: int
    live_minutes_null: int
    audit_minutes_null: int
    changed_columns: dict[str, int] = field(default_factory=dict)
    examples: list[dict[str, str]] = field(default_factory=list)
    # what the audit stands on (BuiltFrom)
    raw_rows: int = 0
    raw_loaded_at: str | None = None
    raw_load_seconds: int = 0
    audit_fingerprint: str | None = None

    @property
    def built_from(self) -> BuiltFrom:
        return BuiltFrom(
            self.raw_rows,
            self.raw_loaded_at,
            self.raw_load_seconds,
            self.audit_fingerprint,
        )

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

    @property
    def null_rate_before(self) -> float | None:
        return self.live_minutes_null / self.live_rows if self.live_rows else None

    @property
    def null_rate_after(self) -> float | None:
        return self.audit_minutes_null / self.audit_rows if self.audit_rows else None

    def headline(self) -> str:
        columns = ", ".join(f"{k} {v:,}" for k, v in self.changed_columns.items())
        return (
            f"diff vs live: {self.added:,} added, {self.removed:,} removed, "
            f"{self.changed:,} changed"
            + (f" (by column: {columns})" if columns else "")
            + f"; minutes NULL {pct(self.null_rate_before)} -> "
            f"{pct(self.null_rate_after)}"
        )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RangeDiff:
        names = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in names})


def diff_range(session: DbtSession, window: DateRange) -> RangeDiff:
    invocation = session.run_operation(
        "diff_range",
        window.as_vars(),
    )
    return RangeDiff.from_dict(invocation.last_logged(RANGE_DIFF))


def range_built_from(session: DbtSession, window: DateRange) -> BuiltFrom:
    """What the range's audit stands on now, without the diff (one query)."""
    invocation = session.run_operation(
        "range_built_from",
        window.as_vars(),
    )
    return BuiltFrom(**invocation.last_logged(RANGE_BUILT_FROM))


def new_publish_id(window: DateRange) -> str:
    """Unique per publish: it names the publish's own backup table."""
    return f"{window.slug}_{datetime.now(UTC):%Y%m%dT%H%M%S%f}"


def publish_range(
    session: DbtSession, window: DateRange, publish_id: str
) -> dict[str, Any]:
    invocation = session.run_operation(
        "publish_range",
        window.as_vars({"publish_id": publish_id}),
    )
    return invocation.last_logged(RANGE_PUBLISH)


def rollback_range(session: DbtSession, window: DateRange) -> dict[str, Any]:
    invocation = session.run_operation(
        "rollback_range",
        window.as_vars(),
    )
    return invocation.last_logged(RANGE_ROLLBACK)
