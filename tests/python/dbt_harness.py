"""Real dbt runs against one DuckDB file: the harness every integration test uses."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

PROJECT_DIR = Path(__file__).resolve().parents[2]


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
        previous = os.environ.get("NBA_DUCKDB_PATH")
        os.environ["NBA_DUCKDB_PATH"] = str(self.db_path)
        try:
            return (runner or dbtRunner()).invoke(command)
        finally:
            if previous is None:
                os.environ.pop("NBA_DUCKDB_PATH", None)
            else:
                os.environ["NBA_DUCKDB_PATH"] = previous

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        with duckdb.connect(str(self.db_path)) as connection:
            return connection.execute(sql).fetchall()

    def execute(self, sql: str) -> None:
        with duckdb.connect(str(self.db_path)) as connection:
            connection.execute(sql)
