"""The suite: which cases run, how often, in which order, at which scales."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from backfill_runner.plan import ChunkSize
from benchmark_cases import (
    CHUNK_SIZES,
    PROJECT_DIR,
    Case,
    Context,
    Dataset,
    Sample,
    extract_pre_wap,
    load_seeds,
    make_dataset,
    make_pre_wap_dataset,
    run_floor,
    run_naive,
    run_pre_wap,
    run_runner,
)

# data scales: k times the window's seasons; 27x is about all of NBA history
SCALES = (1, 3, 10, 27)


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
    compare_pre_wap: bool = False


def run_suite(config: Config, log: Callable[[str], None]) -> dict[str, Any]:
    config.work_dir.mkdir(parents=True, exist_ok=True)
    profiles = config.work_dir / "profiles"
    profiles.mkdir(exist_ok=True)
    shutil.copy(PROJECT_DIR / "profiles.yml.example", profiles / "profiles.yml")
    ctx = Context(config.work_dir, profiles, config.naive_max_chunks, log)
    scales = [s for s in SCALES if s <= config.scale_max] or [1]
    if config.tiny:
        scales = [1]
    datasets: dict[int, Dataset] = {}

    def selected(key: str) -> bool:
        """--only: a part matches every key holding it, "=key" that key alone."""
        return not config.only or any(
            key == part[1:] if part.startswith("=") else part in key
            for part in config.only
        )

    for scale in scales:
        if scale == 1 or selected(f"scale_{scale}"):
            log(f"generating raw data at scale {scale}x")
            datasets[scale] = make_dataset(config.work_dir, scale, config.tiny)
            load_seeds(ctx, datasets[scale])
    base = datasets[1]
    pre_wap: tuple[Path, Dataset] | None = None
    if config.compare_pre_wap and selected("pre_wap_month_tests"):
        tree = extract_pre_wap(config.work_dir)
        log(f"raw data for the pre-redesign runner ({tree.name}), its own generator")
        pre_wap = (tree, make_pre_wap_dataset(config.work_dir, tree, base))

    cases: dict[str, Case] = {}

    def measure(
        key: str, label: str, repeats: int, scale: int, fn: Callable[[str], Sample]
    ) -> None:
        if not selected(key):
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

    stopped = None
    try:  # SIGTERM (run_benchmarks.py) stops early and keeps what is measured
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
            measure(
                "floor_microbatch",
                "floor: one bare microbatch dbt run of the range's days",
                1,
                1,
                lambda n: run_floor(ctx, base, "microbatch", n),
            )
            if pre_wap is not None:
                tree, old_data = pre_wap
                measure(
                    "pre_wap_month_tests",
                    f"pre-redesign runner ({tree.name.rsplit('_', 1)[-1]}), month "
                    "chunks, per-chunk tests on",
                    1,
                    1,
                    lambda n, t=tree, d=old_data: run_pre_wap(ctx, t, d, n),
                )
            # month first: the headline case is measured even if a run is
            # stopped early
            sizes = (
                (ChunkSize.MONTH, ChunkSize.DAY) if config.tiny else CHUNK_SIZES[::-1]
            )
            for size in sizes:
                repeats = 1
                if size is not ChunkSize.MONTH and attempt >= config.day_repeats:
                    continue
                for tests in (True, False):
                    sample_days = (
                        config.sample_day_tests
                        if size is ChunkSize.DAY and tests
                        else 0
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
            if not config.tiny:
                # the CI smoke run stays short; test_backfill_runner.py checks the
                # reused parse
                measure(
                    "runner_month_tests_rerun",
                    "runner, month chunks, per-chunk tests on, second run of the same "
                    "command",
                    1,
                    1,
                    lambda n: run_runner(
                        ctx, base, ChunkSize.MONTH, True, n, second_run=True
                    ),
                )
            if config.compare_inline_upstream:
                for tests in (True, False):
                    measure(
                        f"runner_month_{'tests' if tests else 'notests'}_inline",
                        "runner, month chunks, per-chunk tests "
                        f"{'on' if tests else 'off'}, upstream inline "
                        "(--no-stage-upstream)",
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
        for scale in datasets:
            if scale == 1:
                continue
            for _ in range(1):  # one run per scale: 27x alone takes ~10 min
                measure(
                    f"scale_{scale}",
                    f"runner, month chunks, per-chunk tests off, {scale}x",
                    1,
                    scale,
                    lambda n, d=datasets[scale]: run_runner(
                        ctx, d, ChunkSize.MONTH, False, n
                    ),
                )
    except KeyboardInterrupt:
        stopped = (
            "stopped early (SIGTERM): the cases after the last one shown did not run"
        )
        log(stopped)
    return {"cases": cases, "datasets": datasets, "config": config, "stopped": stopped}
