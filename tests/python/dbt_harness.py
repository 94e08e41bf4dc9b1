"""Real dbt runs against one DuckDB file: the harness every integration test uses.

dbt parses the project for every command it is not handed a manifest for, and its
partial parse never applies here: the profile's DuckDB path is part of what it
checks, and every test has a file of its own. So the harness parses once per
database name and set of parse-time vars, and hands each command a copy of that
manifest, as the backfill runner does. The range vars (``start_date``,
``end_date``) are read when a node runs, never at parse time
(docs/architecture.md, "How a range is replaced"), so they are given to each
command and are not part of what a parse is kept for.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

PROJECT_DIR = Path(__file__).resolve().parents[2]
# vars that reach SQL only when a node runs: a parse is reused across them
RUN_TIME_VARS = frozenset(
    {"start_date", "end_date", "backfill_test_period", "stage_upstream_by_season"}
)
# commands that must parse for themselves
PARSING_COMMANDS = frozenset({"parse", "debug", "deps", "clean"})
# (database name, profiles folder, parse-time vars) -> parsed manifest, or None
# when that parse failed (the command then parses, and fails, for itself)
_MANIFESTS: dict[tuple[str, str, str], Any] = {}


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


def _copy_nodes(manifest: Any) -> Any:
    """A manifest a command may mark: dbt compiles nodes in place, and a node
    compiled once keeps that range's SQL in a later command. Nodes are what it
    marks (Manifest.deepcopy fails on selectors.yml's plain dicts)."""
    return dataclasses.replace(manifest, nodes=copy.deepcopy(manifest.nodes))


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

        with duckdb_path_set(self.db_path):
            if runner is None and args[0] not in PARSING_COMMANDS:
                manifest = self._parsed_manifest(dbt_vars or {})
                if manifest is not None:
                    runner = dbtRunner(manifest=_copy_nodes(manifest))
            return (runner or dbtRunner()).invoke(self._command(args, dbt_vars))

    def _command(
        self, args: tuple[str, ...], dbt_vars: dict[str, Any] | None
    ) -> list[str]:
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
        return command + (["--vars", json.dumps(dbt_vars)] if dbt_vars else [])

    def _parsed_manifest(self, dbt_vars: dict[str, Any]) -> Any:
        """The manifest of one parse with dbt_vars' parse-time vars (kept)."""
        from dbt.cli.main import dbtRunner

        parse_vars = {k: v for k, v in dbt_vars.items() if k not in RUN_TIME_VARS}
        key = (
            self.db_path.name,  # dbt-duckdb names the database after the file
            str(self.profiles_dir),
            json.dumps(parse_vars, sort_keys=True, default=str),
        )
        if key not in _MANIFESTS:
            command = self._command(("parse", "--no-partial-parse"), parse_vars)
            parsed = dbtRunner().invoke(command)
            _MANIFESTS[key] = parsed.result if parsed.success else None
        return _MANIFESTS[key]

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        return query_file(self.db_path, sql)

    def execute(self, sql: str) -> None:
        execute_file(self.db_path, sql)
