"""Fixtures of the runner's end-to-end tests: a copy of the dbt project with a
probe test, one DuckDB file per run with its own state and report folders, the
reference run every other run is compared with, and helpers to read them."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import chdir, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest
from backfill_runner.cli import main
from backfill_runner.progress import Console
from dbt_harness import PROJECT_DIR, duckdb_path_set, execute_file, query_file

BACKFILL = PROJECT_DIR / "scripts" / "backfill.py"
START, END = "2021-12-20", "2022-01-20"  # conftest.TEST_WINDOW: 5 ISO-week chunks
# Most tests run a part of it: 3 week chunks, each a dbt build with ~30 tests.
SUB = {"start": "2022-01-03", "end": "2022-01-20"}
# Tests whose property needs a checkpoint but not several chunks: one week chunk.
ONE_CHUNK = {"start": "2022-01-10", "end": "2022-01-16"}
# Tests whose property needs the manifest reused across chunks: two week chunks.
TWO_CHUNKS = {"start": "2022-01-10", "end": "2022-01-20"}
SUMMARY = "nba_analytics.player_game_summary"
# where the runner builds and tests a range before publishing it
AUDIT = "nba_backfill_audit.player_game_summary"
BDL = "nba_raw.bdl_player_boxscores"
PROBE_ENV = "BACKFILL_PROBE_FAIL_DATE"
# day chunks without per-chunk tests: one dbt microbatch run on DuckDB
MICROBATCH = ("--chunk-size", "day", "--no-chunk-tests", "--skip-sample")
PROBE_TEST = "zz_backfill_runner_probe"
# The runner's options that change the vars it parses with (RunContext.connect):
# runs that share these, and the project, can share one saved parse. A run
# whose parse differs anyway (a probe date, other vars) makes dbt parse in full:
# the key only decides which saved parse a run starts from.
PARSE_OPTIONS = frozenset(
    {"--chunk-size", "day", "month", "--no-chunk-tests", "--no-stage-upstream"}
)
# (project, parse options) -> the partial_parse.msgpack of the first such run
_SAVED_PARSES: dict[tuple[str, frozenset[str]], bytes] = {}

# A real singular dbt test, added to the project copy only: it fails on every
# summary row of the date in $BACKFILL_PROBE_FAIL_DATE, if that date is in range.
PROBE_SQL = """\
select game_date, game_id, player_lookup
from {{ ref('player_game_summary') }}
where
    game_date = cast('{{ env_var("BACKFILL_PROBE_FAIL_DATE", "1900-01-01") }}' as date)
    and {{ backfill_range_filter('game_date') }}
"""


@pytest.fixture(scope="session")
def runner_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the dbt project with the probe test added."""
    project = tmp_path_factory.mktemp("project") / "nba_backfill"
    shutil.copytree(
        PROJECT_DIR,
        project,
        ignore=shutil.ignore_patterns(
            ".git",
            ".venv*",
            "target",
            "logs",
            "data",
            "reports",
            ".backfill",
            "__pycache__",
            "*.duckdb",
            "*.duckdb.wal",
            ".pytest_cache",
            ".ruff_cache",
            "profiles.yml",
        ),
    )
    (project / "tests" / "data_tests" / f"{PROBE_TEST}.sql").write_text(PROBE_SQL)
    return project


@dataclass
class RunnerEnv:
    """One DuckDB file with its own state and report folders.

    With ``shared_parse`` the runner runs in the file's folder with
    ``NBA_DUCKDB_PATH`` relative to it, so every env's profile is the same to
    dbt (its saved-parse check hashes the connection's path), and the state
    folder starts with the saved parse of an earlier run with the same project
    and parse options: dbt reuses it instead of a full parse of 5-10 s.
    """

    project: Path
    profiles: Path
    db: Path
    state: Path
    reports: Path
    shared_parse: bool = True

    def argv(self, *extra: str, start: str = START, end: str = END) -> list[str]:
        return [
            "--start-date", start,
            "--end-date", end,
            "--chunk-size", "week",
            "--project-dir", str(self.project),
            "--profiles-dir", str(self.profiles),
            "--state-dir", str(self.state),
            "--report-dir", str(self.reports),
            *extra,
        ]  # fmt: skip

    def run(self, *extra: str, **window: str) -> tuple[int, str]:
        """The runner in this process, as the CLI calls it; (exit code, output)."""
        output = io.StringIO()
        self._start_from_saved_parse(extra)
        with self._duckdb_path():
            code = main(self.argv(*extra, **window), console=Console(stream=output))
        self._save_parse(extra)
        return code, output.getvalue()

    def spawn(self, *extra: str, log: Path, **window: str) -> subprocess.Popen[bytes]:
        """The runner as a real process, the way an engineer starts it."""
        self._start_from_saved_parse(extra)
        path = self.db.name if self.shared_parse else str(self.db)
        env = {**os.environ, "NBA_DUCKDB_PATH": path}
        with log.open("wb") as handle:
            return subprocess.Popen(
                [sys.executable, str(BACKFILL), *self.argv(*extra, **window)],
                stdout=handle,
                stderr=subprocess.STDOUT,
                env=env,
                cwd=self.db.parent,
            )

    @contextmanager
    def _duckdb_path(self) -> Iterator[None]:
        if not self.shared_parse:
            with duckdb_path_set(self.db):
                yield
            return
        from dbt.adapters.duckdb.connections import DuckDBConnectionManager

        # dbt-duckdb keeps one environment per process while the profile's
        # credentials stay equal, and a relative path is equal for every env
        DuckDBConnectionManager.close_all_connections()
        with chdir(self.db.parent), duckdb_path_set(Path(self.db.name)):
            yield

    def _parse_key(self, extra: tuple[str, ...]) -> tuple[str, frozenset[str]]:
        return str(self.project), frozenset(PARSE_OPTIONS.intersection(extra))

    def _saved_parse_file(self) -> Path:
        return self.state / "dbt" / "duckdb" / "target" / "partial_parse.msgpack"

    def _start_from_saved_parse(self, extra: tuple[str, ...]) -> None:
        # a dry run parses in a temporary folder and must leave no state folder
        if not self.shared_parse or "--dry-run" in extra:
            return
        saved = _SAVED_PARSES.get(self._parse_key(extra))
        file = self._saved_parse_file()
        if saved is not None and not file.exists():
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_bytes(saved)

    def _save_parse(self, extra: tuple[str, ...]) -> None:
        file = self._saved_parse_file()
        if self.shared_parse and file.exists():
            _SAVED_PARSES.setdefault(self._parse_key(extra), file.read_bytes())

    def checkpoint(self) -> dict[str, Any] | None:
        files = sorted(self.state.glob("checkpoints/*/*/*.json"))
        return json.loads(files[0].read_text()) if files else None

    def report(self) -> tuple[dict[str, Any], str, Path]:
        (data,) = self.reports.glob("*.json")
        return json.loads(data.read_text()), data.with_suffix(".md").read_text(), data

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        return query_file(self.db, sql)

    def execute(self, sql: str) -> None:
        execute_file(self.db, sql)

    def table_hash(self, table: str = SUMMARY) -> tuple[int, str]:
        """Row count and a hash of every row of a table, in a stable order."""
        rows = self.query(f"select * from {table} order by all")
        return len(rows), hashlib.sha256(repr(rows).encode()).hexdigest()


def make_env(
    base: Path,
    db_source: Path,
    project: Path,
    profiles: Path,
    shared_parse: bool = True,
) -> RunnerEnv:
    base.mkdir(parents=True, exist_ok=True)
    db = base / "nba.duckdb"
    # fold the write-ahead log of a file written in this process into the file
    with duckdb.connect(str(db_source)) as connection:
        connection.execute("checkpoint")
    shutil.copy(db_source, db)
    return RunnerEnv(
        project, profiles, db, base / "state", base / "reports", shared_parse
    )


@pytest.fixture(scope="session")
def reference(
    tmp_path_factory: pytest.TempPathFactory,
    raw_db_template: Path,
    profiles_dir: Path,
    runner_project: Path,
) -> RunnerEnv:
    """One uninterrupted run over the window, sample week included."""
    env = make_env(
        tmp_path_factory.mktemp("reference"),
        raw_db_template,
        runner_project,
        profiles_dir,
    )
    code, output = env.run()
    assert code == 0, output
    return env


@pytest.fixture
def fresh(
    tmp_path: Path,
    raw_db_template: Path,
    profiles_dir: Path,
    runner_project: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[RunnerEnv]:
    """Raw data only, nothing built yet."""
    monkeypatch.delenv(PROBE_ENV, raising=False)
    yield make_env(tmp_path, raw_db_template, runner_project, profiles_dir)


def assert_same_summary(
    env: RunnerEnv,
    reference: RunnerEnv,
    table: str = SUMMARY,
    window: dict[str, str] = SUB,
) -> None:
    """Every row of the window (SUB) equal, duplicates included; nothing outside."""
    ordered = (
        f"select * from {table} where game_date between '{window['start']}' "
        f"and '{window['end']}' order by all"
    )
    expected_sql = ordered.replace(table, SUMMARY)
    (total,) = env.query(f"select count(*) from {table}")[0]
    rows = env.query(ordered)
    expected = reference.query(expected_sql)
    assert total == len(rows)
    assert len(rows) == len(expected)
    assert rows == expected


def copy_env(source: RunnerEnv, base: Path) -> RunnerEnv:
    """A new env on a copy of an env's database (live table included), with a
    state folder of its own."""
    return make_env(base, source.db, source.project, source.profiles)


def log_has(log: Path, text: str) -> bool:
    return log.exists() and text in log.read_text(errors="replace")


def wait_for(predicate: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def chunks_done(env: RunnerEnv) -> int:
    checkpoint = env.checkpoint()
    if checkpoint is None:
        return 0
    return sum(chunk["status"] == "done" for chunk in checkpoint["chunks"])
