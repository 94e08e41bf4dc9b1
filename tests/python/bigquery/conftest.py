"""Fixtures of the BigQuery emulator suite (bq_fixtures.py), for every module here.

Every test in this folder is marked ``bigquery`` (``-m 'not bigquery'`` skips the
suite). Under ``pytest -n 2`` (``make test``) they all run on one worker, one
emulator and one build for all of them (tests/python/conftest.py schedules them).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bq_fixtures import build, built, docs, emulator, project, raw_duckdb

__all__ = ["build", "built", "docs", "emulator", "project", "raw_duckdb"]

SUITE_DIR = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if SUITE_DIR in item.path.resolve().parents:
            item.add_marker(pytest.mark.bigquery)
