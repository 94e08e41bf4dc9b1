"""The backup of a range before the first write, and the rollback that restores it.

Both are dbt run-operations of macros/runner/backup.sql, dispatched per engine
(a DuckDB table copy; a create-as-select and an atomic MERGE on BigQuery).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from backfill_runner.checkpoint import now_iso
from backfill_runner.dbt_session import DbtSession
from backfill_runner.plan import DateRange
from backfill_runner.settings import DATE_COLUMN


@dataclass(frozen=True, slots=True)
class Backup:
    """Where the range's earlier rows are kept; had_rows false: there were none."""

    database: str
    schema: str
    identifier: str
    backup_identifier: str
    start_date: str
    end_date: str
    had_rows: bool
    rows: int
    created_at: str

    @property
    def relation(self) -> str:
        return f"{self.schema}.{self.backup_identifier}"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Backup:
        return cls(**data)

    def _macro_args(self) -> dict[str, Any]:
        return {
            "database": self.database,
            "schema": self.schema,
            "identifier": self.identifier,
            "backup_identifier": self.backup_identifier,
            "column": DATE_COLUMN,
            "start_date": self.start_date,
            "end_date": self.end_date,
        }


def backup_identifier(model: str, window: DateRange) -> str:
    return f"{model}__backup_{window.slug}"


def take_backup(
    session: DbtSession, model: str, window: DateRange, table_exists: bool, rows: int
) -> Backup:
    """Copy the range's current rows (none to copy when the table is absent)."""
    database, schema, identifier = session.model_relation(model)
    backup = Backup(
        database=database,
        schema=schema,
        identifier=identifier,
        backup_identifier=backup_identifier(model, window),
        start_date=window.start.isoformat(),
        end_date=window.end.isoformat(),
        had_rows=table_exists,
        rows=rows,
        created_at=now_iso(),
    )
    if table_exists:
        session.run_operation("backfill_backup_range", backup._macro_args())
    return backup


def restore_backup(session: DbtSession, backup: Backup) -> None:
    """Replace the range with the backup's rows (or empty it if there were none)."""
    session.run_operation(
        "backfill_restore_range", {**backup._macro_args(), "had_rows": backup.had_rows}
    )
