"""Shared fixtures: generated raw data in a real DuckDB file, and real dbt runs."""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest

PROJECT_DIR = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT_DIR / "scripts"))

# A window that holds COVID postponements, repeated loads and the default sample
# week (2022-01-10..2022-01-17), small enough to build in seconds.
TEST_WINDOW = (date(2021, 12, 20), date(2022, 1, 20))


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


@pytest.fixture(scope="session")
def profiles_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("profiles")
    shutil.copy(PROJECT_DIR / "profiles.yml.example", folder / "profiles.yml")
    return folder


@pytest.fixture(scope="session")
def raw_db_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Raw tables for TEST_WINDOW, generated once per session."""
    from generate_raw_data import generate

    path = tmp_path_factory.mktemp("raw") / "raw.duckdb"
    generate(path, seed=42, start_date=TEST_WINDOW[0], end_date=TEST_WINDOW[1])
    return path


@pytest.fixture
def dbt_harness(
    raw_db_template: Path, profiles_dir: Path, tmp_path: Path
) -> Iterator[DbtHarness]:
    db_path = tmp_path / "nba.duckdb"
    shutil.copy(raw_db_template, db_path)
    yield DbtHarness(db_path, tmp_path / "target", profiles_dir)


# ---- a clean full build per test module, and broken copies of it to test the
# tests on (test_generic_tests, test_raw_derived_checks)


def statuses(result: Any) -> dict[str, str]:
    """Test name -> status (pass, warn, fail, error) of a dbt invocation."""
    assert result.result is not None, result.exception
    return {
        item.node.name: str(item.status)
        for item in result.result.results
        if item.node.resource_type in {"test", "unit_test"}
    }


@dataclass
class BuiltProject:
    """The clean database after one full build, and that build's test statuses."""

    harness: DbtHarness
    statuses: dict[str, str]


@pytest.fixture(scope="module")
def built(
    raw_db_template: Path,
    profiles_dir: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> BuiltProject:
    folder = tmp_path_factory.mktemp("generic_tests")
    db_path = folder / "clean.duckdb"
    shutil.copy(raw_db_template, db_path)
    harness = DbtHarness(db_path, folder / "target", profiles_dir)
    result = harness.invoke("build", "--full-refresh")
    return BuiltProject(harness, statuses(result))


def copy_database(source: Path, target: Path) -> None:
    """Copy a DuckDB file with its write-ahead log: dbt may still hold the source
    open in this process, so its latest writes can sit in the WAL."""
    shutil.copy(source, target)
    wal = source.with_name(source.name + ".wal")
    if wal.exists():
        shutil.copy(wal, target.with_name(target.name + ".wal"))


@pytest.fixture
def broken(built: BuiltProject, tmp_path: Path) -> Iterator[DbtHarness]:
    """A copy of the clean built database to break; shares the parse cache."""
    db_path = tmp_path / "broken.duckdb"
    copy_database(built.harness.db_path, db_path)
    yield DbtHarness(db_path, built.harness.target_path, built.harness.profiles_dir)


def break_and_test(
    harness: DbtHarness,
    statements: list[str],
    select: list[str],
    dbt_vars: dict[str, Any] | None = None,
) -> dict[str, str]:
    for statement in statements:
        harness.execute(statement)
    return statuses(harness.invoke("test", "--select", *select, dbt_vars=dbt_vars))


# The runner's end-to-end fixtures live in their own module; importing them
# here makes them available to every test file.
from runner_fixtures import fresh, reference, runner_project  # noqa: E402, F401
