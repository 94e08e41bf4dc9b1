"""The BigQuery suite's shared state: one emulator and one build per session.

Generated raw data for three weeks around New Year 2022 (COVID postponements,
repeated loads, both feeds and the schedule) is loaded into ``nba_raw`` of one
emulator, the project is parsed once and ``dbt build`` runs once for the
bigquery target; every BigQuery test module reads that build (re-exported by
this folder's conftest.py). A build costs minutes on the emulator, so tests
share it: a test that changes raw data or the summary compares against a fresh
build of its own range (``EmulatorProject.fresh_summary_rows``) or a snapshot
it took itself, never against the state a previous test left. The emulator is
stopped when the session ends.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from bq_emulator import Emulator, running_emulator
from bq_harness import DateWindow, EmulatorProject, describe_failure
from bq_raw_loader import load_raw_tables

# The window loaded and built: it holds postponed games (2022-01-07) and the
# sample week's start.
WINDOW = DateWindow(date(2021, 12, 27), date(2022, 1, 16))


@pytest.fixture(scope="session")
def emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulator]:
    """The emulator process, stopped at the end however the tests went."""
    with running_emulator(tmp_path_factory.mktemp("bigquery-emulator")) as running:
        yield running


@pytest.fixture(scope="session")
def raw_duckdb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """WINDOW's raw tables, generated into a DuckDB file (the loader's source)."""
    from generate_raw_data import generate

    path = tmp_path_factory.mktemp("bigquery-raw") / "raw.duckdb"
    generate(path, seed=42, start_date=WINDOW.start, end_date=WINDOW.end)
    return path


@pytest.fixture(scope="session")
def project(
    emulator: Emulator, raw_duckdb: Path, tmp_path_factory: pytest.TempPathFactory
) -> EmulatorProject:
    """The raw tables in the emulator and the dbt project pointed at it."""
    bq = EmulatorProject(emulator, tmp_path_factory.mktemp("bigquery-dbt"))
    loaded = load_raw_tables(raw_duckdb, bq.client)
    assert all(table.rows for table in loaded), loaded
    bq.parse()
    return bq


@pytest.fixture(scope="session")
def build(project: EmulatorProject) -> Any:
    """``dbt build`` of the whole project over WINDOW, once per session."""
    return project.dbt("build", dbt_vars=WINDOW.as_vars())


@pytest.fixture(scope="session")
def built(project: EmulatorProject, build: Any) -> EmulatorProject:
    """The project after a successful build (tests that need the summary)."""
    if not build.success:
        pytest.fail(f"dbt build failed, see test_dbt_build:\n{describe_failure(build)}")
    return project


@pytest.fixture(scope="session")
def docs(built: EmulatorProject) -> Any:
    """``dbt docs generate`` without the catalog, which needs INFORMATION_SCHEMA."""
    return built.dbt("docs", "generate", "--empty-catalog")
