"""How fast a backfill is, against the alternatives, and how it scales (issue 6).

    .venv/bin/python benchmarks/run_benchmarks.py --repeats 3 --scale-max 10

Measures, in one invocation, over the full window on the embedded DuckDB target:

1. the runner (scripts/backfill.py's Python API) at day, week and month chunks,
   with its per-chunk tests on and off (--no-chunk-tests);
2. the naive wrapper: one ``dbt run --vars ...`` subprocess per chunk;
3. the floor: one ``dbt build`` (and one ``dbt run``) of the whole range;
4. scale: generated data at 1x, 3x and 10x with month chunks, per million rows;
5. the runner process's peak RSS and its overhead per chunk: the chunk phase's
   wall time minus the SQL time dbt reports (the union of its nodes' ``execute``
   timings, so two threads running tests at once are not counted twice).

Every measurement runs in its own process, on its own copy of the generated raw
data, with its own dbt target and state folders under --work-dir: nothing touches
the project's target folder or data/. Medians over --repeats; ratios are to the
floor measured in the same invocation (the machine is shared, so absolute times
move with its load while ratios hold).

The naive wrapper is slow per chunk (each subprocess starts Python, loads dbt and
parses the project again, as a change of --vars defeats partial parsing). Where a
chunk size has more chunks than --naive-max-chunks, that many evenly spaced
chunks are timed and the total is extrapolated (marked "extrapolated").
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

PROJECT_DIR = Path(__file__).resolve().parents[1]
SCRIPTS_DIR = PROJECT_DIR / "scripts"
sys.path.insert(0, str(SCRIPTS_DIR))

from backfill_runner.plan import ChunkSize, DateRange, split_range  # noqa: E402

FULL_WINDOW = DateRange(date(2021, 10, 1), date(2024, 5, 1))
# --tiny: the default sample week, for CI (seconds, not minutes)
TINY_WINDOW = DateRange(date(2022, 1, 10), date(2022, 1, 12))
# --sample-day-tests: where the sampled day chunks start (mid-season)
SAMPLE_START = date(2022, 1, 3)
MODEL = "player_game_summary"
SEED = "spot_checks"
CHUNK_SIZES = (ChunkSize.DAY, ChunkSize.WEEK, ChunkSize.MONTH)
DEFAULT_OUTPUT = PROJECT_DIR / "benchmarks" / "results.md"


# --------------------------------------------------------------------- results


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


# --------------------------------------------------------------------- helpers


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


# --------------------------------------------------------------------- data


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


# --------------------------------------------------------------------- cases


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
            str(Path(__file__).resolve()),
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


def runner_child(spec: dict[str, Any]) -> int:
    """In the child process: run a backfill, timing its phases and dbt's SQL."""
    import io

    from backfill_runner import chunks as chunk_steps
    from backfill_runner import modes
    from backfill_runner.checkpoint import ChunkStatus
    from backfill_runner.context import RunContext
    from backfill_runner.dbt_session import DbtSession
    from backfill_runner.plan import make_range
    from backfill_runner.progress import Console
    from backfill_runner.settings import RunOptions, load_gate_settings

    state = Path(spec["state_dir"])
    window = make_range(spec["start"], spec["end"])
    sampled = int(spec.get("sample_chunks") or 0)
    options = RunOptions(
        range=window,
        chunk_size=ChunkSize(spec["chunk_size"]),
        target="duckdb",
        project_dir=PROJECT_DIR,
        profiles_dir=Path(spec["profiles_dir"]),
        state_dir=state,
        report_dir=state / "reports",
        chunk_tests=bool(spec["chunk_tests"]),
        stage_upstream=bool(spec.get("stage_upstream", True)),
        retries=0,
    )
    session = DbtSession(
        PROJECT_DIR,
        options.profiles_dir,
        options.target,
        state / "dbt",
        manifest_reuse=spec["manifest_reuse"],
    )
    phases: dict[str, float] = {}
    current = {"phase": "setup"}
    sql = {"chunks": 0.0}
    calls = {"chunks": 0}
    invoke = session.invoke

    def timed_invoke(*args: str, dbt_vars: dict[str, Any] | None = None) -> Any:
        invocation = invoke(*args, dbt_vars=dbt_vars)
        if current["phase"] == "chunks":
            sql["chunks"] += sql_seconds(invocation.raw_result)
            calls["chunks"] += 1
        return invocation

    session.invoke = timed_invoke  # type: ignore[method-assign]
    ctx = RunContext(
        options,
        Console(stream=io.StringIO()),
        load_gate_settings(PROJECT_DIR),
        session,
    )

    def timed(name: str, function: Any) -> Any:
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            current["phase"] = name
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                phases[name] = time.perf_counter() - started
                current["phase"] = "other"

        return wrapped

    # the steps of modes.backfill, each timed under its own name
    ctx.connect = timed("connect", ctx.connect)  # type: ignore[method-assign]
    build_chunks = chunk_steps.build_chunks
    if sampled:
        # build only `sampled` chunks from SAMPLE_START; the rest count as done
        def sampled_chunks(context: Any) -> None:
            assert context.checkpoint is not None
            todo = [
                c for c in context.checkpoint.chunks if c.range.start >= SAMPLE_START
            ]
            keep = {id(c) for c in todo[:sampled]}
            for record in context.checkpoint.chunks:
                if id(record) not in keep:
                    record.status = ChunkStatus.DONE
            chunk_steps.build_chunks(context)
            # the rest of the range in one untimed run, so that the final
            # validation sees the whole range; its time is taken off the wall
            started = time.perf_counter()
            session.invoke("run", "--select", MODEL, dbt_vars=window.as_vars())
            phases["untimed_fill"] = time.perf_counter() - started

        build_chunks = sampled_chunks
    for name, attribute, function in (
        ("preflight", "preflight", modes.preflight),
        ("build_upstream", "build_upstream", modes.build_upstream),
        ("sample", "build_sample", modes.build_sample),
        ("chunks", "build_chunks", build_chunks),
        ("validate", "final_validation", modes.final_validation),
        ("diff", "diff_range", modes.diff_range),
        ("publish", "publish_range", modes.publish_range),
        ("report", "_report", modes._report),
    ):
        setattr(modes, attribute, timed(name, function))
    from backfill_runner.errors import GateFailed

    try:
        code = modes.backfill(ctx)
        outcome = "done"
    except GateFailed as error:  # after the final validation: timing is complete
        code, outcome = 1, f"validation failed: {str(error)[:200]}"
    assert ctx.checkpoint is not None
    Path(spec["out"]).write_text(
        json.dumps(
            {
                "exit": code,
                "outcome": outcome,
                "chunks": sampled or len(ctx.checkpoint.chunks),
                "chunk_phase_s": phases.get("chunks"),
                "chunk_sql_s": sql["chunks"],
                "chunk_invocations": calls["chunks"],
                "phases": phases,
            }
        )
    )
    return 0  # measured; a failed validation is reported as the outcome


# --------------------------------------------------------------------- suite


@dataclass
class Config:
    repeats: int
    day_repeats: int
    scale_max: int
    tiny: bool
    work_dir: Path
    output: Path | None
    naive_max_chunks: int
    compare_manifest_copy: bool
    compare_inline_upstream: bool
    sample_day_tests: int
    only: tuple[str, ...] = ()


def run_suite(config: Config, log: Callable[[str], None]) -> dict[str, Any]:
    config.work_dir.mkdir(parents=True, exist_ok=True)
    profiles = config.work_dir / "profiles"
    profiles.mkdir(exist_ok=True)
    shutil.copy(PROJECT_DIR / "profiles.yml.example", profiles / "profiles.yml")
    ctx = Context(config.work_dir, profiles, config.naive_max_chunks, log)
    scales = [s for s in (1, 3, 10) if s <= config.scale_max] or [1]
    if config.tiny:
        scales = [1]
    datasets: dict[int, Dataset] = {}
    for scale in scales:
        log(f"generating raw data at scale {scale}x")
        datasets[scale] = make_dataset(config.work_dir, scale, config.tiny)
    base = datasets[1]

    cases: dict[str, Case] = {}

    def measure(
        key: str, label: str, repeats: int, scale: int, fn: Callable[[str], Sample]
    ) -> None:
        if config.only and not any(part in key for part in config.only):
            return
        case = cases.setdefault(key, Case(key, label, scale))
        for attempt in range(repeats):
            log(f"{label} (scale {scale}x), run {attempt + 1}/{repeats}")
            try:
                sample = fn(f"{key}_{attempt}")
            except RuntimeError as error:  # a failed run is reported, not fatal
                lines = [x for x in str(error).splitlines()[1:] if x.strip()]
                case.errors.append((lines[-1] if lines else str(error))[:300])
                log(f"  failed: {case.errors[-1]}")
                continue
            log(f"  {sample.wall_s:.1f}s")
            case.samples.append(sample)
            # keep what is measured so far: a long run that fails late loses nothing
            (config.work_dir / "partial_results.json").write_text(
                json.dumps(
                    {k: [asdict(x) for x in c.samples] for k, c in cases.items()},
                    indent=1,
                )
            )

    # interleave the repeats so that load changes hit every case alike
    for attempt in range(config.repeats):
        measure(
            "floor_build",
            "floor: one dbt build of the range",
            1,
            1,
            lambda n: run_floor(ctx, base, "build", n),
        )
        measure(
            "floor_run",
            "floor: one dbt run of the range",
            1,
            1,
            lambda n: run_floor(ctx, base, "run", n),
        )
        sizes = (ChunkSize.DAY, ChunkSize.MONTH) if config.tiny else CHUNK_SIZES
        for size in sizes:
            repeats = 1
            if size is not ChunkSize.MONTH and attempt >= config.day_repeats:
                continue
            for tests in (True, False):
                sample_days = (
                    config.sample_day_tests if size is ChunkSize.DAY and tests else 0
                )
                measure(
                    f"runner_{size}_{'tests' if tests else 'notests'}",
                    f"runner, {size} chunks, per-chunk tests "
                    f"{'on' if tests else 'off'}",
                    repeats,
                    1,
                    lambda n, s=size, t=tests, k=sample_days: run_runner(
                        ctx, base, s, t, n, sample_chunks=k
                    ),
                )
            measure(
                f"naive_{size}",
                f"naive wrapper, {size} chunks (dbt run)",
                repeats,
                1,
                lambda n, s=size: run_naive(ctx, base, s, n),
            )
        if config.compare_inline_upstream:
            for tests in (True, False):
                measure(
                    f"runner_month_{'tests' if tests else 'notests'}_inline",
                    f"runner, month chunks, per-chunk tests {'on' if tests else 'off'}"
                    ", upstream inline (--no-stage-upstream)",
                    1,
                    1,
                    lambda n, t=tests: run_runner(
                        ctx, base, ChunkSize.MONTH, t, n, stage_upstream=False
                    ),
                )
        if config.compare_manifest_copy:
            measure(
                "runner_month_notests_copy",
                "runner, month chunks, tests off, manifest deep copy",
                1,
                1,
                lambda n: run_runner(
                    ctx, base, ChunkSize.MONTH, False, n, manifest_reuse="copy"
                ),
            )
    for scale in scales:
        if scale == 1:
            continue
        for _ in range(1):  # one run per scale: 10x alone takes ~10 min
            measure(
                f"scale_{scale}",
                f"runner, month chunks, per-chunk tests off, {scale}x",
                1,
                scale,
                lambda n, d=datasets[scale]: run_runner(
                    ctx, d, ChunkSize.MONTH, False, n
                ),
            )
    return {"cases": cases, "datasets": datasets, "config": config}


# --------------------------------------------------------------------- report


def machine() -> dict[str, str]:
    import dbt.version
    import duckdb

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    return {
        "nproc": str(os.cpu_count()),
        "memory": memory,
        "cpu": cpu,
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "dbt-core": dbt.version.__version__,
        "load average at the end": " ".join(f"{v:.1f}" for v in load),
    }


def _fmt(value: float | None, digits: int = 1, suffix: str = "") -> str:
    return "" if value is None else f"{value:,.{digits}f}{suffix}"


def render(suite: dict[str, Any], command: str) -> str:
    cases: dict[str, Case] = suite["cases"]
    datasets: dict[int, Dataset] = suite["datasets"]
    floor_build = (
        cases["floor_build"].median("wall_s") if "floor_build" in cases else None
    )
    floor_run = cases["floor_run"].median("wall_s") if "floor_run" in cases else None
    rows_1x = next(
        (c.median("rows") for c in cases.values() if c.scale == 1 and c.samples),
        None,
    )
    lines = [
        f"Command: `{command}`",
        "",
        f"Window: {datasets[1].window.label} "
        f"({rows_1x or 0:,.0f} summary rows at 1x). "
        "Times are medians in seconds of the runs shown; ratios are to the floor "
        "of the same invocation: a runner or wrapper with per-chunk tests (and the "
        "naive wrapper) against `dbt build`, without them against `dbt run`.",
        "",
        "| case | chunks | runs | wall s | x floor | chunk phase s | SQL s in chunks "
        "| overhead / chunk ms | peak RSS MiB | s per M rows |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for case in cases.values():
        wall = case.median("wall_s")
        rows = case.median("rows")
        # every case without per-chunk tests (scale runs included) against dbt run
        if (
            case.key.startswith(("floor_run", "scale_"))
            or "_notests" in case.key
            or case.key.endswith("_copy")
        ):
            floor = floor_run
        else:
            floor = floor_build
        if case.key.startswith("naive"):
            floor = floor_run
        ratio = wall / floor if wall and floor else None
        phase = case.median("chunk_phase_s")
        sql = case.median("sql_s")
        chunks = case.median("chunks") or 0
        overhead = (
            (phase - sql) / chunks * 1000
            if phase is not None and sql is not None and chunks
            else None
        )
        per_million = wall / (rows / 1e6) if wall and rows else None
        label = case.label + (" (extrapolated)" if case.extrapolated else "")
        lines.append(
            f"| {label} | {chunks:,.0f} | {len(case.samples)} | {_fmt(wall)} "
            f"| {_fmt(ratio, 2)} | {_fmt(phase)} | {_fmt(sql)} | {_fmt(overhead, 0)} "
            f"| {_fmt(case.median('peak_rss_mib'), 0)} | {_fmt(per_million)} |"
        )
    scale_rows = []
    base = cases.get("runner_month_notests")
    if base is not None and base.median("wall_s"):
        for scale in sorted(datasets):
            case = base if scale == 1 else cases.get(f"scale_{scale}")
            if case is None:
                continue
            wall = case.median("wall_s") or 0.0
            rows = case.median("rows") or 0.0
            scale_rows.append(
                f"| {scale}x | {datasets[scale].window.label} | {rows:,.0f} "
                f"| {wall:.1f} | {wall / base.median('wall_s'):.2f} "
                f"| {wall / (rows / 1e6) if rows else 0:.1f} "
                f"| {_fmt(case.median('peak_rss_mib'), 0)} |"
            )
    if scale_rows:
        lines += [
            "",
            "Scale (runner, month chunks, per-chunk tests off; final validation on):",
            "",
            "| scale | window | summary rows | wall s | x 1x | s per M rows "
            "| peak RSS MiB |",
            "|---|---|---:|---:|---:|---:|---:|",
            *scale_rows,
        ]
    phases = [
        (case.label, case.samples[-1].phases)
        for case in cases.values()
        if case.samples and case.samples[-1].phases
    ]
    if phases:
        names = list(phases[0][1])
        lines += [
            "",
            "Runner phases (last run of each case, seconds):",
            "",
            "| case | " + " | ".join(names) + " |",
            "|---|" + "---:|" * len(names),
        ]
        for label, values in phases:
            lines.append(
                f"| {label} | "
                + " | ".join(_fmt(values.get(n), 1) for n in names)
                + " |"
            )
    notes = []
    for case in cases.values():
        for error in case.errors:
            notes.append(f"- {case.label}: a run failed ({error})")
        outcomes = {s.outcome for s in case.samples if s.outcome != "done"}
        for outcome in sorted(outcomes):
            notes.append(f"- {case.label}: the runner finished with {outcome}")
    if notes:
        lines += ["", "Notes:", "", *notes]
    info = machine()
    lines += [
        "",
        "Machine: " + "; ".join(f"{k} {v}" for k, v in info.items()),
    ]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------- CLI


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--repeats",
        type=int,
        default=3,
        help="runs of each case; the table shows medians (default 3)",
    )
    parser.add_argument(
        "--day-repeats",
        type=int,
        default=1,
        help="runs of the day- and week-chunk cases, the slowest (default 1); "
        "floors and month chunks get --repeats",
    )
    parser.add_argument(
        "--scale-max",
        type=int,
        default=10,
        help="largest data scale among 1, 3, 10 (default 10)",
    )
    parser.add_argument(
        "--naive-max-chunks",
        type=int,
        default=40,
        help="naive wrapper: time at most this many chunks per "
        "chunk size and extrapolate (default 40)",
    )
    parser.add_argument(
        "--sample-day-tests",
        type=int,
        default=0,
        metavar="N",
        help="day chunks with per-chunk tests: build only N days "
        "from 2022-01-03 and extrapolate the chunk phase (that "
        "case alone takes ~30 min here); 0 builds them all "
        "(default)",
    )
    parser.add_argument(
        "--compare-manifest-copy",
        action="store_true",
        help="also run month chunks with a deep copy of the "
        "manifest per invocation instead of the in-place reset",
    )
    parser.add_argument(
        "--compare-inline-upstream",
        action="store_true",
        help="also run month chunks with --no-stage-upstream: staging and "
        "intermediate compiled into every chunk's query instead of staged once",
    )
    parser.add_argument(
        "--tiny",
        action="store_true",
        help="two weeks of data, one run of each case, scale 1 "
        "only: checks that the benchmark runs (CI), times mean "
        "nothing",
    )
    parser.add_argument(
        "--work-dir",
        type=Path,
        default=None,
        help="generated data, dbt targets and state (default: a "
        "temporary folder, removed at the end)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=DEFAULT_OUTPUT,
        help=f"Markdown file for the table (default {DEFAULT_OUTPUT}"
        "); '-' for stdout only",
    )
    parser.add_argument(
        "--only",
        metavar="PARTS",
        help="run only the cases whose key holds one of these comma-separated "
        "parts, e.g. floor,month,scale (keys: floor_build, floor_run, "
        "runner_<size>_tests, runner_<size>_notests, naive_<size>, scale_<k>)",
    )
    parser.add_argument("--runner-child", help=argparse.SUPPRESS)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.runner_child:
        return runner_child(json.loads(args.runner_child))
    if args.tiny:
        args.repeats, args.day_repeats, args.scale_max = 1, 1, 1
        args.naive_max_chunks = min(args.naive_max_chunks, 2)
    command = "python benchmarks/run_benchmarks.py " + " ".join(
        sys.argv[1:] if argv is None else argv
    )

    def log(message: str) -> None:
        print(f"[{datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)

    temporary = args.work_dir is None
    work_dir = args.work_dir or Path(tempfile.mkdtemp(prefix="nba-bench-"))
    config = Config(
        repeats=args.repeats,
        day_repeats=min(args.day_repeats, args.repeats),
        scale_max=args.scale_max,
        tiny=args.tiny,
        work_dir=work_dir.resolve(),
        output=None if str(args.output) == "-" else args.output,
        naive_max_chunks=args.naive_max_chunks,
        compare_manifest_copy=args.compare_manifest_copy,
        compare_inline_upstream=args.compare_inline_upstream,
        sample_day_tests=0 if args.tiny else args.sample_day_tests,
        only=tuple(p for p in (args.only or "").split(",") if p),
    )
    try:
        suite = run_suite(config, log)
        text = render(suite, command.strip())
        raw = {
            key: [asdict(s) for s in case.samples]
            for key, case in suite["cases"].items()
        }
    finally:
        if temporary:
            shutil.rmtree(work_dir, ignore_errors=True)
    print(text)
    if config.output is not None:
        config.output.parent.mkdir(parents=True, exist_ok=True)
        config.output.write_text(text)
        config.output.with_suffix(".json").write_text(json.dumps(raw, indent=1))
        log(f"wrote {config.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
