"""Real dbt runs against one DuckDB file: the harness every integration test uses."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

PROJECT_DIR = Path(__file__).resolve().parents[2]


@contextmanager
def duckdb_path_set(db_path: Path) -> Iterator[None]:
    """``NBA_DUCKDB_PATH`` (the profile's database) set to db_path for a block."""
    previous = os.environ.get("NBA_DUCKDB_PATH")
    os.environ["NBA_DUCKDB_PATH"] = str(db_path)
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("NBA_DUCKDB_PATH", None)
        else:
            os.environ["NBA_DUCKDB_PATH"] = previous


def query_file(db_path: Path, sql: str) -> list[tuple[Any, ...]]:
    """The rows of one statement on a DuckDB file.

    Not read_only: dbt-duckdb keeps the file open in this process after an
    in-process run, and DuckDB refuses a second, differently configured one.
    """
    with duckdb.connect(str(db_path)) as connection:
        return connection.execute(sql).fetchall()


def execute_file(db_path: Path, sql: str) -> None:
    with duckdb.connect(str(db_path)) as connection:
        connection.execute(sql)


@dataclass
class DbtHarness:
    """Runs dbt for real against one DuckDB file, with its own target folder."""

    db_path: Path
    target_path: Path
    profiles_dir: Path

    def invoke(
        self,
        *args: str,
        dbt_vars: dict[str, Any] | None = None,
        runner: Any = None,
    ) -> Any:
        """Runs one dbt command; pass runner to reuse a parsed manifest."""
        from dbt.cli.main import dbtRunner

        command = [
            *args,
            "--project-dir",
            str(PROJECT_DIR),
            "--profiles-dir",
            str(self.profiles_dir),
            "--target-path",
            str(self.target_path),
            "--log-path",
            str(self.target_path / "logs"),
            "--quiet",
        ]
        if dbt_vars is not None:
            command += ["--vars", json.dumps(dbt_vars)]
        with duckdb_path_set(self.db_path):
            return (runner or dbtRunner()).invoke(command)

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        return query_file(self.db_path, sql)

    def execute(self, sql: str) -> None:
        execute_file(self.db_path, sql)
