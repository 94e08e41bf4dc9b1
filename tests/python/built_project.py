"""A clean, fully built project to break: the fixtures of the tested-tests modules.

``built`` runs one `dbt build --full-refresh` over the conftest window per session
(every test passes on it); ``broken`` hands each test its own copy of that
database to break with SQL; ``break_and_test`` runs the statements, then the
named dbt tests, and returns each test's status.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from dbt_harness import DbtHarness

SUMMARY = "nba_analytics.player_game_summary"
GAMEBOOK = "nba_raw.nbac_gamebook_player_stats"
BOXSCORES = "nba_raw.bdl_player_boxscores"


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


@pytest.fixture(scope="session")
def built(
    raw_db_template: Path,
    profiles_dir: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> BuiltProject:
    folder = tmp_path_factory.mktemp("generic_tests")
    db_path = folder / "nba.duckdb"
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
    """A copy of the clean built database to break."""
    # the clean file's name: dbt-duckdb names the database after it, so the
    # harness's parse of the clean project serves this copy too
    db_path = tmp_path / built.harness.db_path.name
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
