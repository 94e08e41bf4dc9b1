"""Fixtures of the runner's unit tests: dates, a run context without dbt, and a
dbt session whose first calls fail with a transient error."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from backfill_runner.context import RunContext
from backfill_runner.dbt_session import Invocation, NodeOutcome
from backfill_runner.plan import ChunkSize, DateRange
from backfill_runner.progress import Console
from backfill_runner.settings import RunOptions, load_gate_settings
from dbt_harness import PROJECT_DIR


def d(text: str) -> date:
    return date.fromisoformat(text)


class FlakySession:
    """A session whose first calls fail with a transient error."""

    def __init__(self, failures: int, message: str) -> None:
        self.failures = failures
        self.message = message
        self.calls = 0

    def invoke(self, *args: str, dbt_vars: dict[str, str] | None = None) -> Invocation:
        self.calls += 1
        ok = self.calls > self.failures
        node = NodeOutcome(
            "player_game_summary",
            "model",
            "success" if ok else "error",
            None,
            None if ok else self.message,
            {},
        )
        return Invocation(args[0], ok, f"id{self.calls}", [node], None)


def run_context(
    tmp_path: Path, session: object, sleeps: list[float], retries: int
) -> RunContext:
    # the runner accepts only a target of the profile
    (tmp_path / "profiles.yml").write_text(
        "nba_backfill: {outputs: {duckdb: {type: duckdb, path: nba.duckdb}}}\n"
    )
    options = RunOptions(
        range=DateRange(d("2022-01-01"), d("2022-01-31")),
        chunk_size=ChunkSize.MONTH,
        target="duckdb",
        project_dir=PROJECT_DIR,
        profiles_dir=tmp_path,
        state_dir=tmp_path / "state",
        report_dir=tmp_path / "reports",
        retries=retries,
        retry_backoff_s=2.0,
    )
    return RunContext(
        options,
        Console(stream=io.StringIO()),
        load_gate_settings(PROJECT_DIR),
        session,  # type: ignore[arg-type]
        sleep=sleeps.append,
    )
