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
CHILD_USAGE = Path(__file__).with_name("child_usage.py")

FULL_WINDOW = DateRange(date(2021, 10, 1), date(2024, 5, 1))
# --tiny: the default sample week, for CI (seconds, not minutes)
TINY_WINDOW = DateRange(date(2022, 1, 10), date(2022, 1, 12))
# --sample-day-tests: where the sampled day chunks start (mid-season)
SAMPLE_START = date(2022, 1, 3)
MODEL = "player_game_summary"
CHUNK_SIZES = (ChunkSize.DAY, ChunkSize.WEEK, ChunkSize.MONTH)


@dataclass
class Sample:
    """One timed run of one case."""

    wall_s: float
    # user + system CPU seconds of the process and its children (wait4)
    cpu_s: float | None = None
    chunks: int = 0
    rows: int = 0
    chunk_phase_s: float | None = None
    sql_s: float | None = None
    invocations: int = 0
    peak_rss_mib: float | None = None
    extrapolated: bool = False
    phases: dict[str, float] = field(default_factory=dict)
    # the runner's peak RSS so far at the end of each phase (MiB)
    peak_rss_by_phase: dict[str, float] = field(default_factory=dict)
    outcome: str = "done"
    # what dbt said about reusing its saved parse (the runner's log line)
    parse: str | None = None


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


@dataclass(frozen=True)
class ChildRun:
    """What one finished process cost."""

    wall_s: float
    cpu_s: float
    peak_rss_mib: float
    output: str


def _run_child(
    command: list[str], env: dict[str, str], cwd: Path = PROJECT_DIR
) -> ChildRun:
    """Run a process to the end: its wall and CPU time, peak RSS and output.

    It starts through child_usage.py, so that its peak RSS is its own and not
    this process's (see there)."""
    started = time.perf_counter()
    with (
        tempfile.TemporaryFile(mode="w+") as output,
        tempfile.TemporaryDirectory() as folder,
    ):
        usage_path = Path(folder) / "usage.json"
        launcher = [sys.executable, str(CHILD_USAGE), str(usage_path)]
        process = subprocess.run(
            launcher + command,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            cwd=cwd,
        )
        wall = time.perf_counter() - started
        output.seek(0)
        text = output.read()
        if process.returncode != 0:
            raise RuntimeError(
                f"{' '.join(command[:4])}... exited {process.returncode}:\n"
                f"{text[-3000:]}"
            )
        usage = json.loads(usage_path.read_text())
    return ChildRun(wall, usage["cpu_s"], usage["peak_rss_mib"], text)


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


def load_seeds(ctx: Context, dataset: Dataset) -> None:
    """The project's seeds into the raw file, once: the summary reads a seed
    (acknowledged raw defects), so a bare ``dbt run`` needs it loaded, as a
    user's database would have it. The runner and ``dbt build`` load it again."""
    target = ctx.work_dir / "dbt" / f"seed_x{dataset.scale}"
    _run_child(
        _dbt_command(ctx, "seed", [], target, dataset.window), _env(dataset.path)
    )


def fresh_copy(dataset: Dataset, work_dir: Path, name: str) -> Path:
    """A copy of the raw file for one run: every run starts from raw data only."""
    target = work_dir / "runs" / f"{name}.duckdb"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(dataset.path, target)
    return target


def count_rows(db_path: Path) -> int:
    """Summary rows the run built: the live table's, or the runner's audit copy's
    when it published nothing (the generated data at 10x and 27x has incomplete
    box scores the demo's acknowledgements do not list, so its final validation
    fails and the run stops before the publish)."""
    import duckdb

    with duckdb.connect(str(db_path), read_only=True) as connection:
        for schema in ("nba_analytics", "nba_backfill_audit"):
            try:
                row = connection.execute(
                    f"select count(*) from {schema}.player_game_summary"
                ).fetchone()
            except duckdb.CatalogException:
                continue
            return int(row[0]) if row else 0
    return 0


@dataclass(frozen=True)
class Context:
    work_dir: Path
    profiles_dir: Path
    naive_max_chunks: int
    log: Callable[[str], None]


def _dbt_command(
    ctx: Context,
    command: str,
    select: list[str],
    target: Path,
    window: DateRange,
    extra_vars: dict[str, Any] | None = None,
) -> list[str]:
    """A fresh ``dbt`` process for one range, as a user would start it."""
    return [
        _dbt_executable(),
        command,
        *(["--select", *select] if select else []),
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
        json.dumps({**window.as_vars(), **(extra_vars or {})}),
    ]


def run_floor(ctx: Context, dataset: Dataset, command: str, name: str) -> Sample:
    """One dbt invocation (a fresh process, as a user would run it) for the range.

    ``build``: a plain ``dbt build`` of the range, the whole project: the seeds,
    the model, every data and unit test (the runner runs the same tests).
    ``run``: ``dbt run`` of the summary. ``microbatch``: a bare microbatch
    ``dbt run --event-time-start/--event-time-end`` of the range's days, on
    upstream work tables as the runner builds them (vars stage_upstream and
    backfill_batch_size: day)."""
    db = fresh_copy(dataset, ctx.work_dir, name)
    target = ctx.work_dir / "dbt" / name
    shutil.rmtree(target, ignore_errors=True)
    if command == "build":
        argv = _dbt_command(ctx, "build", [], target, dataset.window)
    elif command == "microbatch":
        argv = _dbt_command(
            ctx,
            "run",
            [f"+{MODEL}"],
            target,
            dataset.window,
            {"stage_upstream": True, "backfill_batch_size": "day"},
        )
        argv += dataset.window.event_time_flags()
    else:
        argv = _dbt_command(ctx, "run", [MODEL], target, dataset.window)
    child = _run_child(argv, _env(db))
    return Sample(
        wall_s=child.wall_s,
        cpu_s=child.cpu_s,
        chunks=1,
        rows=count_rows(db),
        peak_rss_mib=child.peak_rss_mib,
    )


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
        child = _run_child(_dbt_command(ctx, "run", [MODEL], target, chunk), _env(db))
        walls.append(child.wall_s)
        peak = max(peak, child.peak_rss_mib)
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
    second_run: bool = False,
) -> Sample:
    """The runner end to end (pre-flight, upstream work tables and their tests,
    sample week, chunks into the audit copy, final validation, diff, publish,
    report) in a child process, so its peak RSS and CPU time are its own.

    With ``sample_chunks``, the chunk phase builds only that many chunks, from
    SAMPLE_START on (mid-season: every day has games, so the estimate errs high),
    and its time is scaled up to all the window's chunks. With ``second_run``
    the same command runs twice on the same state and data, and the second run
    is measured (it reuses the first one's saved parse; every chunk is built, so
    it validates, diffs and finds nothing to publish)."""
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
    command = [
        sys.executable,
        str(Path(__file__).with_name("run_benchmarks.py")),
        "--runner-child",
        json.dumps(spec),
    ]
    if second_run:
        _run_child(command, _env(db))
    child = _run_child(command, _env(db))
    measured = json.loads(Path(spec["out"]).read_text())
    all_chunks = len(split_range(dataset.window, size))
    factor = all_chunks / max(measured["chunks"], 1)
    phase = measured["chunk_phase_s"] or 0.0
    wall = child.wall_s - measured["phases"].get("untimed_fill", 0.0)
    return Sample(
        wall_s=wall + phase * (factor - 1),
        cpu_s=None if factor != 1 else child.cpu_s,
        chunks=all_chunks,
        rows=count_rows(db),
        chunk_phase_s=phase * factor,
        sql_s=measured["chunk_sql_s"] * factor,
        invocations=round(measured["chunk_invocations"] * factor),
        peak_rss_mib=child.peak_rss_mib,
        phases=measured["phases"],
        peak_rss_by_phase=measured.get("peak_rss_by_phase", {}),
        extrapolated=factor != 1,
        outcome=measured.get("outcome", "done"),
        parse=measured.get("parse"),
    )


# the runner before write-audit-publish (issue 11): its own project, runner and
# generator, extracted from git, run with this venv
PRE_WAP_COMMIT = "3bc57cc"


def extract_pre_wap(work_dir: Path) -> Path:
    """The project at PRE_WAP_COMMIT, extracted with ``git archive``."""
    tree = work_dir / f"pre_wap_{PRE_WAP_COMMIT}"
    if (tree / "scripts" / "backfill.py").exists():
        return tree
    tree.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(
        ["git", "archive", PRE_WAP_COMMIT],
        cwd=PROJECT_DIR,
        check=True,
        capture_output=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    return tree


def make_pre_wap_dataset(work_dir: Path, tree: Path, base: Dataset) -> Dataset:
    """The same window and scale from the old tree's own generator: the old
    project's raw contract (the new one's raw quirks would fail its gates)."""
    path = work_dir / f"raw_pre_wap_x{base.scale}.duckdb"
    path.unlink(missing_ok=True)
    _run_child(
        [
            sys.executable,
            str(tree / "scripts" / "generate_raw_data.py"),
            "--db",
            str(path),
            "--scale",
            str(base.scale),
            "--start-date",
            base.window.start.isoformat(),
            "--end-date",
            base.window.end.isoformat(),
        ],
        {**os.environ, "PYTHONPATH": str(tree / "scripts")},
        cwd=tree,
    )
    return Dataset(base.scale, path, base.window)


def run_pre_wap(ctx: Context, tree: Path, dataset: Dataset, name: str) -> Sample:
    """The pre-redesign runner's command line at month chunks with per-chunk
    tests (its defaults): parse, pre-flight, backup, upstream, sample week,
    chunks written into the live table, the final tests, the report."""
    db = fresh_copy(dataset, ctx.work_dir, name)
    state = ctx.work_dir / "state" / name
    shutil.rmtree(state, ignore_errors=True)
    child = _run_child(
        [
            sys.executable,
            str(tree / "scripts" / "backfill.py"),
            "--start-date",
            dataset.window.start.isoformat(),
            "--end-date",
            dataset.window.end.isoformat(),
            "--profiles-dir",
            str(ctx.profiles_dir),
            "--state-dir",
            str(state),
            "--report-dir",
            str(state / "reports"),
        ],
        {**_env(db), "PYTHONPATH": str(tree / "scripts")},
        cwd=tree,
    )
    return Sample(
        wall_s=child.wall_s,
        cpu_s=child.cpu_s,
        chunks=len(split_range(dataset.window, ChunkSize.MONTH)),
        rows=count_rows(db),
        peak_rss_mib=child.peak_rss_mib,
    )
