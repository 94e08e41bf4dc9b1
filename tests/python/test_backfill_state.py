"""The runner's state on disk: the checkpoint (atomic, keyed, resumed in date
order) and the one-runner-per-target lock."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from backfill_runner.checkpoint import (
    Checkpoint,
    CheckpointStore,
    ChunkStatus,
)
from backfill_runner.errors import AlreadyRunning
from backfill_runner.lock import TargetLock, pid_is_running
from backfill_runner.plan import ChunkSize, DateRange, split_range
from runner_unit_fixtures import d

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


def test_a_checkpoint_of_an_earlier_format_is_refused_naming_both_formats(
    tmp_path: Path,
) -> None:
    # format 2 recorded the audit copy's fingerprint as an md5 of every hash;
    # compared with today's digest it would read as an audit copy rewritten
    store = CheckpointStore(tmp_path / "range.json")
    store.save(_checkpoint())
    data = json.loads(store.path.read_text())
    store.path.write_text(json.dumps({**data, "version": 2}))
    with pytest.raises(
        ValueError, match=r"format 2 is not the format this version reads \(3\)"
    ):
        store.load()


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
