"""Shared fixtures: generated raw data in a real DuckDB file, and real dbt runs.

Under pytest-xdist (``make test`` runs ``pytest -n 2``) every test is its own unit
of work, except the BigQuery emulator suite (tests/python/bigquery/): one unit, so
one worker runs it all on one emulator and one build.

The harness lives in dbt_harness.py, the clean built project to break in
built_project.py, the runner's end-to-end fixtures in runner_fixtures.py, the
generator's output in generated_raw_data.py; they are re-exported here for the
test modules.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from built_project import broken, built
from dbt_harness import PROJECT_DIR, DbtHarness
from generated_raw_data import con, generated
from runner_fixtures import fresh, reference, runner_project

__all__ = [
    "PROJECT_DIR",
    "TEST_WINDOW",
    "DbtHarness",
    "broken",
    "built",
    "con",
    "fresh",
    "generated",
    "reference",
    "runner_project",
]

BIGQUERY_SUITE = Path(__file__).resolve().parent / "bigquery"

# A window that holds COVID postponements, repeated loads and the default sample
# week (2022-01-10..2022-01-17), small enough to build in seconds.
TEST_WINDOW = (date(2021, 12, 20), date(2022, 1, 20))


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


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """xdist's load scheduling, with the BigQuery suite as one unit of work.

    (``--dist loadgroup`` would do it, but xdist 3.8 sets the group on a node
    attribute pytest 9 no longer reads, so every test lands anywhere.)
    """
    from xdist.scheduler import LoadScopeScheduling

    suite = (BIGQUERY_SUITE.relative_to(config.rootpath).as_posix()) + "/"

    class BigQueryOnOneWorker(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return "bigquery" if nodeid.startswith(suite) else nodeid

    return BigQueryOnOneWorker(config, log)
