"""The runner retries only transient dbt errors (connection, rate limit), with
backoff, as often as --retries allows."""

from __future__ import annotations

from pathlib import Path

import pytest
from backfill_runner.dbt_session import is_transient
from runner_unit_fixtures import FlakySession, run_context


@pytest.mark.parametrize(
    ("message", "transient"),
    [
        ("403 Exceeded rate limits: too many table update operations", True),
        ("Connection reset by peer", True),
        ('IO Error: Could not set lock on file "x.duckdb"', True),
        ("503 Service Unavailable", True),
        ("Binder Error: column minutes_played not found", False),
        ("Compilation Error in test assert_players_kept", False),
    ],
)
def test_only_connection_and_rate_limit_errors_are_transient(
    message: str, transient: bool
) -> None:
    assert is_transient(message) is transient


def test_transient_errors_are_retried_with_backoff(tmp_path: Path) -> None:
    session = FlakySession(2, "429 Too Many Requests: rate limit exceeded")
    sleeps: list[float] = []
    runner = run_context(tmp_path, session, sleeps, retries=3)
    invocation = runner.invoke("chunk", "build", window=runner.window)
    assert invocation.success and session.calls == 3
    assert sleeps == [2.0, 4.0]


def test_other_errors_are_not_retried(tmp_path: Path) -> None:
    session = FlakySession(5, "Binder Error: column x not found")
    sleeps: list[float] = []
    runner = run_context(tmp_path, session, sleeps, retries=3)
    invocation = runner.invoke("chunk", "build", window=runner.window)
    assert not invocation.success and session.calls == 1 and sleeps == []


def test_retries_run_out(tmp_path: Path) -> None:
    session = FlakySession(9, "Connection reset by peer")
    sleeps: list[float] = []
    runner = run_context(tmp_path, session, sleeps, retries=2)
    invocation = runner.invoke("chunk", "build", window=runner.window)
    assert not invocation.success and invocation.transient and session.calls == 3
