"""The cases a benchmark measures: the runner, the naive wrapper and the floor.

Each case runs in its own process on its own copy of the generated raw data and
returns a Sample (wall time, chunks, rows, peak RSS, SQL time); a Case collects
the samples of one line of the table.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from backfill_runner.plan import ChunkSize, DateRange, split_range

PROJECT_DIR = Path(__file__).resolve().parents[1]

FULL_WINDOW = DateRange(date(2021, 10, 1), date(2024, 5, 1))
# --tiny: the default sample week, for CI (seconds, not minutes)
TINY_WINDOW = DateRange(date(2022, 1, 10), date(2022, 1, 12))
# --sample-day-tests: where the sampled day chunks start (mid-season)
SAMPLE_START = date(2022, 1, 3)
MODEL = "player_game_summary"
SEED = "spot_checks"
CHUNK_SIZES = (ChunkSize.DAY, ChunkSize.WEEK, ChunkSize.MONTH)


@dataclass
class Sample:
    """One timed run of one case."""

    wall_s: float
    chunks: int = 0
    rows: int = 0
    chunk_phase_s: float | None = None
    sql_s: float | None = None
    invocations: int = 0
    peak_rss_mib: float | None = None
    extrapolated: bool = False
    phases: dict[str, float] = field(default_factory=dict)
    outcome: str = "done"


@dataclass
class Case:
    """A line of the table: what was run and its samples."""

    key: str
    label: str
    scale: int = 1
    samples: list[Sample] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def median(self, attribute: str) -> float | None:
        values = [getattr(s, attribute) for s in self.samples]
        values = [v for v in values if v is not None]
        return statistics.median(values) if values else None

    @property
    def extrapolated(self) -> bool:
        return any(s.extrapolated for s in self.samples)


def _dbt_executable() -> str:
    candidate = Path(sys.executable).with_name("dbt")
    return str(candidate) if candidate.exists() else "dbt"


def _env(db_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["NBA_DUCKDB_PATH"] = str(db_path)
    env["NBA_TARGET"] = "duckdb"
    env["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "false"
    return env


def _run_child(command: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Run a process to the end: (wall seconds, peak RSS MiB, combined output)."""
    started = time.perf_counter()
    with tempfile.TemporaryFile(mode="w+") as output:
        process = subprocess.Popen(
            command, env=env, stdout=output, stderr=subprocess.STDOUT, cwd=PROJECT_DIR
        )
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - started
        output.seek(0)
        text = output.read()
    if process.returncode != 0:
        raise RuntimeError(
            f"{' '.join(command[:4])}... exited {process.returncode}:\n{text[-3000:]}"
        )
    return wall, usage.ru_maxrss / 1024, text  # Linux: ru_maxrss is in KiB


def _union_seconds(intervals: list[tuple[datetime, datetime]]) -> float:
    """Length of the union of time intervals (overlaps counted once)."""
    total = 0.0
    end: datetime | None = None
    start: datetime | None = None
    for begin, finish in sorted(intervals):
        if end is None or begin > end:
            if end is not None and start is not None:
                total += (end - start).total_seconds()
            start, end = begin, finish
        elif finish > end:
            end = finish
    if end is not None and start is not None:
        total += (end - start).total_seconds()
    return total


def sql_seconds(raw_result: Any) -> float:
    """SQL time of one invocation: the union of its nodes' execute timings."""
    intervals = []
    for result in getattr(raw_result, "results", None) or []:
        for timing in getattr(result, "timing", None) or []:
            if timing.name == "execute" and timing.started_at and timing.completed_at:
                intervals.append((timing.started_at, timing.completed_at))
    return _union_seconds(intervals)


@dataclass(frozen=True)
class Dataset:
    scale: int
    path: Path
    window: DateRange
    summary_rows: int | None = None


def make_dataset(work_dir: Path, scale: int, tiny: bool) -> Dataset:
    from generate_raw_data import generate

    path = work_dir / f"raw_x{scale}{'_tiny' if tiny else ''}.duckdb"
    base = TINY_WINDOW if tiny else FULL_WINDOW
    if path.exists():
        path.unlink()
    summary = generate(
        path, seed=42, scale=scale, start_date=base.start, end_date=base.end
    )
    return Dataset(scale, path, DateRange(summary.start_date, summary.end_date))


def fresh_copy(dataset: Dataset, work_dir: Path, name: str) -> Path:
    """A copy of the raw file for one run: every run starts from raw data only."""
    target = work_dir / "runs" / f"{name}.duckdb"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(dataset.path, target)
    return target


def count_rows(db_path: Path) -> int:
    import duckdb

    with duckdb.connect(str(db_path), read_only=True) as connection:
        row = connection.execute(
            "select count(*) from nba_analytics.player_game_summary"
        ).fetchone()
    return int(row[0]) if row else 0


@dataclass(frozen=True)
class Context:
    work_dir: Path
    profiles_dir: Path
    naive_max_chunks: int
    log: Callable[[str], None]


def _dbt_command(
    ctx: Context, command: str, select: list[str], target: Path, window: DateRange
) -> list[str]:
    """A fresh ``dbt`` process for one range, as a user would start it."""
    return [
        _dbt_executable(),
        command,
        "--select",
        *select,
        "--project-dir",
        str(PROJECT_DIR),
        "--profiles-dir",
        str(ctx.profiles_dir),
        "--target-path",
        str(target),
        "--log-path",
        str(target / "logs"),
        "--quiet",
        "--vars",
        json.dumps(window.as_vars()),
    ]


def run_floor(ctx: Context, dataset: Dataset, command: str, name: str) -> Sample:
    """One dbt invocation (a fresh process, as a user would run it) for the range."""
    db = fresh_copy(dataset, ctx.work_dir, name)
    target = ctx.work_dir / "dbt" / name
    shutil.rmtree(target, ignore_errors=True)
    # the seed the spot-check test reads, the model and the model's tests: the
    # same nodes the runner builds
    select = [f"{SEED} {MODEL}"] if command == "build" else [MODEL]
    wall, rss, _ = _run_child(
        _dbt_command(ctx, command, select, target, dataset.window), _env(db)
    )
    return Sample(wall_s=wall, chunks=1, rows=count_rows(db), peak_rss_mib=rss)


def run_naive(ctx: Context, dataset: Dataset, size: ChunkSize, name: str) -> Sample:
    """One ``dbt run --vars`` subprocess per chunk, in date order."""
    db = fresh_copy(dataset, ctx.work_dir, name)
    target = ctx.work_dir / "dbt" / name
    shutil.rmtree(target, ignore_errors=True)
    chunks = split_range(dataset.window, size)
    timed = chunks
    if len(chunks) > ctx.naive_max_chunks:
        step = len(chunks) / ctx.naive_max_chunks
        timed = [chunks[int(i * step)] for i in range(ctx.naive_max_chunks)]
    walls = []
    peak = 0.0
    for chunk in timed:
        wall, rss, _ = _run_child(
            _dbt_command(ctx, "run", [MODEL], target, chunk), _env(db)
        )
        walls.append(wall)
        peak = max(peak, rss)
    total = sum(walls) * len(chunks) / len(timed)
    return Sample(
        wall_s=total,
        chunks=len(chunks),
        rows=count_rows(db) if len(timed) == len(chunks) else 0,
        peak_rss_mib=peak,
        extrapolated=len(timed) != len(chunks),
    )


def run_runner(
    ctx: Context,
    dataset: Dataset,
    size: ChunkSize,
    chunk_tests: bool,
    name: str,
    manifest_reuse: str = "reset",
    sample_chunks: int = 0,
    stage_upstream: bool = True,
) -> Sample:
    """The runner end to end (pre-flight, backup, sample week, chunks, final
    validation, report) in a child process, so its peak RSS is its own.

    With ``sample_chunks``, the chunk phase builds only that many chunks, from
    SAMPLE_START on (mid-season: every day has games, so the estimate errs high),
    and its time is scaled up to all the window's chunks."""
    db = fresh_copy(dataset, ctx.work_dir, name)
    state = ctx.work_dir / "state" / name
    shutil.rmtree(state, ignore_errors=True)
    spec = {
        "start": dataset.window.start.isoformat(),
        "end": dataset.window.end.isoformat(),
        "chunk_size": str(size),
        "chunk_tests": chunk_tests,
        "profiles_dir": str(ctx.profiles_dir),
        "state_dir": str(state),
        "manifest_reuse": manifest_reuse,
        "stage_upstream": stage_upstream,
        "out": str(state / "measure.json"),
        "sample_chunks": sample_chunks,
    }
    wall, rss, _ = _run_child(
        [
            sys.executable,
            str(Path(__file__).with_name("run_benchmarks.py")),
            "--runner-child",
            json.dumps(spec),
        ],
        _env(db),
    )
    measured = json.loads(Path(spec["out"]).read_text())
    all_chunks = len(split_range(dataset.window, size))
    factor = all_chunks / measured["chunks"]
    phase = measured["chunk_phase_s"]
    wall -= measured["phases"].get("untimed_fill", 0.0)
    return Sample(
        wall_s=wall + phase * (factor - 1),
        chunks=all_chunks,
        rows=count_rows(db),
        chunk_phase_s=phase * factor,
        sql_s=measured["chunk_sql_s"] * factor,
        invocations=round(measured["chunk_invocations"] * factor),
        peak_rss_mib=rss,
        phases=measured["phases"],
        extrapolated=factor != 1,
        outcome=measured.get("outcome", "done"),
    )
