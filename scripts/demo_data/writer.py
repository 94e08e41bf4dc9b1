"""Temporary CSV files per table, loaded into DuckDB in one transaction."""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType

import duckdb

from demo_data.schema import RAW_SCHEMA, TABLES

NULL = "\\N"


class RawTableWriter:
    """Collects rows per raw table in CSV files, then replaces ``nba_raw`` in one go.

    Use as a context manager; the temporary directory goes away on exit.
    """

    def __init__(self) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="nba_raw_")
        directory = Path(self._tmp.name)
        self._paths = {table: directory / f"{table}.csv" for table in TABLES}
        self._files = {
            table: path.open("w", encoding="utf-8", newline="")
            for table, path in self._paths.items()
        }
        self._writers = {
            table: csv.writer(handle, lineterminator="\n")
            for table, handle in self._files.items()
        }
        self.counts = dict.fromkeys(TABLES, 0)

    def __enter__(self) -> RawTableWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._close_files()
        self._tmp.cleanup()

    def write(self, table: str, rows: Iterable[tuple[object, ...]]) -> None:
        """Append rows (tuples in the table's column order)."""
        writer = self._writers[table]
        count = 0
        for row in rows:
            # Booleans are written as True/False, which DuckDB reads as BOOLEAN.
            writer.writerow([NULL if value is None else value for value in row])
            count += 1
        self.counts[table] += count

    def _close_files(self) -> None:
        for handle in self._files.values():
            if not handle.closed:
                handle.close()

    def load(self, db_path: Path) -> None:
        """Drop and recreate schema ``nba_raw`` and its tables, in one transaction."""
        self._close_files()
        db_path.parent.mkdir(parents=True, exist_ok=True)
        with duckdb.connect(str(db_path)) as con:
            con.execute("BEGIN TRANSACTION")
            try:
                con.execute(f"DROP SCHEMA IF EXISTS {RAW_SCHEMA} CASCADE")
                con.execute(f"CREATE SCHEMA {RAW_SCHEMA}")
                for table, columns in TABLES.items():
                    ddl = ", ".join(f"{name} {kind}" for name, kind in columns)
                    con.execute(f"CREATE TABLE {RAW_SCHEMA}.{table} ({ddl})")
                    spec = ", ".join(f"'{name}': '{kind}'" for name, kind in columns)
                    path = str(self._paths[table]).replace("'", "''")
                    con.execute(
                        f"INSERT INTO {RAW_SCHEMA}.{table} SELECT * FROM read_csv("
                        f"'{path}', columns = {{{spec}}}, header = false, delim = ',', "
                        "quote = '\"', escape = '\"', nullstr = '\\N', "
                        "auto_detect = false, "
                        "parallel = false)"
                    )
                con.execute("COMMIT")
            except Exception:
                con.execute("ROLLBACK")
                raise
