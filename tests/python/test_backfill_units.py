"""The runner's pure parts: chunking, checkpoint, lock, verdicts, retries, usage."""

from __future__ import annotations

import io
import itertools
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from backfill_runner.checkpoint import (
    Checkpoint,
    CheckpointStore,
    ChunkStatus,
)
from backfill_runner.cli import main
from backfill_runner.context import RunContext
from backfill_runner.dbt_session import Invocation, NodeOutcome, is_transient
from backfill_runner.errors import AlreadyRunning, UsageError
from backfill_runner.figures import logged_summary_figures
from backfill_runner.lock import TargetLock, pid_is_running
from backfill_runner.plan import ChunkSize, DateRange, make_range, split_range
from backfill_runner.progress import Console
from backfill_runner.publishing import RangeDiff
from backfill_runner.settings import RunOptions, load_gate_settings
from backfill_runner.verdicts import TestVerdict, blocking, problems, summary

PROJECT_DIR = Path(__file__).resolve().parents[2]


def d(text: str) -> date:
    return date.fromisoformat(text)


# ------------------------------------------------------------------ chunking


def test_month_chunks_are_calendar_months_clipped_at_the_ends() -> None:
    chunks = split_range(DateRange(d("2021-10-15"), d("2022-01-10")), ChunkSize.MONTH)
    assert [(c.start.isoformat(), c.end.isoformat()) for c in chunks] == [
        ("2021-10-15", "2021-10-31"),
        ("2021-11-01", "2021-11-30"),
        ("2021-12-01", "2021-12-31"),
        ("2022-01-01", "2022-01-10"),
    ]


def test_week_chunks_run_monday_to_sunday() -> None:
    chunks = split_range(DateRange(d("2022-01-05"), d("2022-01-20")), ChunkSize.WEEK)
    assert [c.label for c in chunks] == [
        "2022-01-05..2022-01-09",
        "2022-01-10..2022-01-16",
        "2022-01-17..2022-01-20",
    ]
    assert all(c.start.weekday() == 0 for c in chunks[1:])


def test_chunks_cover_the_full_window_without_gaps() -> None:
    window = DateRange(d("2021-10-01"), d("2024-05-01"))
    for size, expected in ((ChunkSize.MONTH, 32), (ChunkSize.DAY, 944)):
        chunks = split_range(window, size)
        assert len(chunks) == expected
        assert sum(c.days for c in chunks) == window.days
        for before, after in itertools.pairwise(chunks):
            assert (after.start - before.end).days == 1


@pytest.mark.parametrize(
    ("start", "end", "fragment"),
    [
        ("2022-13-01", "2022-12-31", "not a calendar date"),
        ("2022-02-30", "2022-03-01", "not a calendar date"),
        ("22-01-01", "2022-01-02", "expected YYYY-MM-DD"),
        ("2022/01/01", "2022-01-02", "expected YYYY-MM-DD"),
        ("2022-01-10", "2022-01-01", "reversed"),
    ],
)
def test_bad_dates_raise_usage_errors(start: str, end: str, fragment: str) -> None:
    with pytest.raises(UsageError, match=fragment) as raised:
        make_range(start, end)
    assert raised.value.exit_code == 2


# ------------------------------------------------------------------ CLI usage


@pytest.mark.parametrize(
    "argv",
    [
        ["--start-date", "2022-01-10", "--end-date", "2022-01-01"],
        ["--start-date", "2022-02-30", "--end-date", "2022-03-01"],
        ["--start-date", "yesterday", "--end-date", "2022-03-01"],
        ["--start-date", "2022-01-01"],
        [
            "--start-date",
            "2022-01-01",
            "--end-date",
            "2022-01-02",
            "--chunk-size",
            "year",
        ],
        ["--start-date", "2022-01-01", "--end-date", "2022-01-02", "--retries", "-1"],
        [
            "--start-date",
            "2022-01-01",
            "--end-date",
            "2022-01-02",
            "--rollback",
            "--dry-run",
        ],
    ],
)
def test_bad_usage_exits_2(argv: list[str], tmp_path: Path) -> None:
    argv = [
        *argv,
        "--profiles-dir",
        str(PROJECT_DIR),
        "--state-dir",
        str(tmp_path / "s"),
    ]
    try:
        code = main(argv)
    except SystemExit as exit_:
        code = exit_.code
    assert code == 2
    assert not (tmp_path / "s").exists()


def test_help_explains_every_option() -> None:
    result = subprocess.run(
        [sys.executable, str(PROJECT_DIR / "scripts" / "backfill.py"), "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    for option in (
        "--start-date",
        "--end-date",
        "--chunk-size",
        "--target",
        "--resume, --no-resume",
        "--dry-run",
        "--skip-sample",
        "--retries",
        "--log-file",
        "--rollback",
        "130",
    ):
        assert option in result.stdout


# ------------------------------------------------------------------ checkpoint


def _checkpoint() -> Checkpoint:
    window = DateRange(d("2022-01-01"), d("2022-03-31"))
    return Checkpoint.new(
        "duckdb",
        "duckdb:/x",
        "m",
        window,
        ChunkSize.MONTH,
        split_range(window, ChunkSize.MONTH),
    )


def test_checkpoint_round_trips_and_leaves_no_temp_files(tmp_path: Path) -> None:
    store = CheckpointStore(tmp_path / "cp" / "range.json")
    checkpoint = _checkpoint()
    checkpoint.chunks[0].status = ChunkStatus.DONE
    checkpoint.chunks[0].rows_written = 10
    store.save(checkpoint)
    loaded = store.load()
    assert loaded is not None and loaded.to_dict() == checkpoint.to_dict()
    assert [p.name for p in store.path.parent.iterdir()] == ["range.json"]


def test_a_crash_while_saving_keeps_the_old_checkpoint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = CheckpointStore(tmp_path / "range.json")
    checkpoint = _checkpoint()
    store.save(checkpoint)
    before = store.path.read_text()
    checkpoint.chunks[0].status = ChunkStatus.DONE

    def crash(fd: int) -> None:
        raise OSError("disk gone")

    monkeypatch.setattr(os, "fsync", crash)
    with pytest.raises(OSError, match="disk gone"):
        store.save(checkpoint)
    assert store.path.read_text() == before
    assert [p.name for p in tmp_path.iterdir()] == ["range.json"]


def test_resume_retries_every_chunk_not_done_in_date_order() -> None:
    """resume-skips-failures: a failed early chunk is retried, later ones done."""
    checkpoint = _checkpoint()
    january, february, march = checkpoint.chunks
    january.status = ChunkStatus.FAILED
    february.status = ChunkStatus.DONE
    march.status = ChunkStatus.INTERRUPTED
    assert [c.start for c in checkpoint.not_done()] == ["2022-01-01", "2022-03-01"]
    assert not checkpoint.is_complete


def test_checkpoints_are_keyed_by_target_database_model_and_range(
    tmp_path: Path,
) -> None:
    window = DateRange(d("2022-01-01"), d("2022-01-31"))
    paths = {
        CheckpointStore.for_run(tmp_path, target, identity, "m", span).path
        for target, identity, span in [
            ("duckdb", "duckdb:/a.duckdb", window),
            ("duckdb", "duckdb:/b.duckdb", window),
            ("bigquery", "bigquery:p/d", window),
            ("duckdb", "duckdb:/a.duckdb", DateRange(d("2022-01-01"), d("2022-01-30"))),
        ]
    }
    assert len(paths) == 4


# ------------------------------------------------------------------ lock


def test_a_live_lock_refuses_a_second_runner(tmp_path: Path) -> None:
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        lock = TargetLock.for_target(tmp_path, "duckdb")
        lock.path.parent.mkdir(parents=True)
        lock.path.write_text(json.dumps({"pid": sleeper.pid}))
        with pytest.raises(
            AlreadyRunning, match=f"already running .*pid {sleeper.pid}"
        ):
            lock.acquire()
        assert json.loads(lock.path.read_text())["pid"] == sleeper.pid
    finally:
        sleeper.kill()
        sleeper.wait()


def test_a_stale_lock_is_taken_over_with_a_notice(tmp_path: Path) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    assert not pid_is_running(dead.pid)
    notices: list[str] = []
    lock = TargetLock.for_target(tmp_path, "duckdb", notices.append)
    lock.path.parent.mkdir(parents=True)
    lock.path.write_text(json.dumps({"pid": dead.pid}))
    with lock:
        assert json.loads(lock.path.read_text())["pid"] == os.getpid()
    assert not lock.path.exists()
    assert len(notices) == 1 and f"pid {dead.pid}" in notices[0]


# ------------------------------------------------------------------ verdicts


def test_verdicts_are_dbt_statuses_and_only_fail_and_error_block() -> None:
    verdicts = [
        TestVerdict("a", "pass"),
        TestVerdict("b", "warn", 1, "Got 1 result, configured to warn if >= 1"),
        TestVerdict("c", "fail", 2, "Got 2 results, configured to fail if != 0"),
        TestVerdict("d", "error", None, "Database Error"),
    ]
    assert [v.name for v in problems(verdicts)] == ["b", "c", "d"]
    assert [v.name for v in blocking(verdicts)] == ["c", "d"]
    assert summary(verdicts) == "1 passed, 1 warned, 1 failed, 1 errored"
    assert verdicts[2].headline() == (
        "dbt test c fail: Got 2 results, configured to fail if != 0"
    )


def test_failing_rows_are_shown_with_where_the_rest_is_kept() -> None:
    verdict = TestVerdict(
        "pgs_team_minutes_add_up",
        "fail",
        1,
        stored_in='"db"."nba_backfill_audit_failures"."pgs_team_minutes_add_up"',
        rows=[{"game_id": "20220112_NOP_ORL", "team_abbr": "NOP",
               "observed_minutes": 214.2, "expected_minutes": 240}],
    )  # fmt: skip
    assert verdict.row_lines() == [
        "game_id=20220112_NOP_ORL team_abbr=NOP observed_minutes=214.2 "
        "expected_minutes=240",
        'all failing rows: "db"."nba_backfill_audit_failures".'
        '"pgs_team_minutes_add_up"',
    ]
    assert TestVerdict.from_dict(verdict.to_dict()) == verdict


def test_a_diff_is_empty_only_without_added_removed_or_changed_rows() -> None:
    base = {
        "start_date": "2022-01-01", "end_date": "2022-01-31",
        "live_relation": "l", "audit_relation": "a", "live_exists": True,
        "added": 0, "removed": 0, "changed": 0, "live_rows": 10,
        "audit_rows": 10, "live_minutes_null": 4, "audit_minutes_null": 4,
    }  # fmt: skip
    assert RangeDiff.from_dict(base).is_empty
    for key in ("added", "removed", "changed"):
        assert not RangeDiff.from_dict({**base, key: 1}).is_empty
    changed = RangeDiff.from_dict(
        {**base, "changed": 1, "changed_columns": {"plus_minus": 1}}
    )
    assert changed.headline() == (
        "diff vs live: 0 added, 0 removed, 1 changed (by column: plus_minus 1); "
        "minutes NULL 40.00% -> 40.00%"
    )


# ------------------------------------------------------------------ retries


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


class _FlakySession:
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


def _context(
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


def test_transient_errors_are_retried_with_backoff(tmp_path: Path) -> None:
    session = _FlakySession(2, "429 Too Many Requests: rate limit exceeded")
    sleeps: list[float] = []
    runner = _context(tmp_path, session, sleeps, retries=3)
    invocation = runner.invoke("chunk", "build", window=runner.window)
    assert invocation.success and session.calls == 3
    assert sleeps == [2.0, 4.0]


def test_other_errors_are_not_retried(tmp_path: Path) -> None:
    session = _FlakySession(5, "Binder Error: column x not found")
    sleeps: list[float] = []
    runner = _context(tmp_path, session, sleeps, retries=3)
    invocation = runner.invoke("chunk", "build", window=runner.window)
    assert not invocation.success and session.calls == 1 and sleeps == []


def test_retries_run_out(tmp_path: Path) -> None:
    session = _FlakySession(9, "Connection reset by peer")
    sleeps: list[float] = []
    runner = _context(tmp_path, session, sleeps, retries=2)
    invocation = runner.invoke("chunk", "build", window=runner.window)
    assert not invocation.success and invocation.transient and session.calls == 3


def test_logged_figures_count_only_for_their_own_range() -> None:
    chunk = DateRange(date(2022, 1, 5), date(2022, 1, 9))
    logged = [
        {"start_date": "2022-01-05", "end_date": "2022-01-09", "full_refresh": False,
         "summary_rows": 10, "null_rows": 4, "active_rows": 6, "active_null_rows": 0},
        {"start_date": "2022-01-01", "end_date": "2022-01-09", "full_refresh": False,
         "summary_rows": 99, "null_rows": 9, "active_rows": 9, "active_null_rows": 9},
    ]  # fmt: skip
    figures = logged_summary_figures(logged, chunk)
    assert figures is not None
    assert (figures.rows, figures.null_rows, figures.active_rows) == (10, 4, 6)
    assert figures.null_rate == 0.4
    # a full refresh counts the whole table, whatever its vars say
    refreshed = [{**logged[0], "full_refresh": True}]
    assert logged_summary_figures(refreshed, chunk) is None
    assert logged_summary_figures([], chunk) is None


def test_contiguous_runs_split_at_every_gap() -> None:
    from backfill_runner.checkpoint import ChunkRecord
    from backfill_runner.chunks import contiguous_runs

    days = ["2022-01-01", "2022-01-02", "2022-01-04", "2022-01-05", "2022-01-09"]
    records = [ChunkRecord(start=day, end=day) for day in days]
    runs = contiguous_runs(records)
    assert [[r.start for r in run] for run in runs] == [
        ["2022-01-01", "2022-01-02"],
        ["2022-01-04", "2022-01-05"],
        ["2022-01-09"],
    ]
    assert contiguous_runs([]) == []
