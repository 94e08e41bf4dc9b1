"""The benchmark script runs end to end on a tiny dataset (no timing is checked)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from dbt_harness import PROJECT_DIR

CASES = (
    "floor_build",
    "floor_run",
    "floor_microbatch",
    "runner_month_tests",
    "runner_month_notests",
    "runner_day_tests",
    "naive_day",
)


def test_benchmark_script_runs_tiny(tmp_path: Path) -> None:
    output = tmp_path / "results.md"
    completed = subprocess.run(
        [
            sys.executable,
            str(PROJECT_DIR / "benchmarks" / "run_benchmarks.py"),
            "--tiny",
            # each case once: every floor, the runner with per-chunk tests at
            # month and day chunks and without them at month chunks (the scale
            # table's base), the naive wrapper at day chunks, extrapolated from
            # one timed dbt run; each case is a process with a full parse
            "--only",
            ",".join(f"={key}" for key in CASES),
            "--naive-max-chunks",
            "1",
            "--work-dir",
            str(tmp_path / "work"),
            "--output",
            str(output),
        ],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=tmp_path,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    table = output.read_text()
    assert table == completed.stdout.strip() + "\n"
    for case in (
        "floor: one dbt build of the range",
        "floor: one dbt run of the range",
        "floor: one bare microbatch dbt run",
        "runner, month chunks, per-chunk tests on",
        "runner, day chunks, per-chunk tests on",
        "runner, month chunks, per-chunk tests off",
        "naive wrapper, day chunks (dbt run) (extrapolated)",
        "Scale (runner, month chunks, per-chunk tests off",
        "The audit step of the runner at month chunks",
        "Machine: nproc",
    ):
        assert case in table
    # --only ran the cases it names and no other
    for case in ("runner, day chunks, per-chunk tests off", "naive wrapper, month"):
        assert case not in table
    assert output.with_suffix(".json").is_file()
