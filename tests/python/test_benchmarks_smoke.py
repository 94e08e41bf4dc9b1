"""The benchmark script runs end to end on a tiny dataset (no timing is checked)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from dbt_harness import PROJECT_DIR

# One case of each kind the script times: a floor (the three floors differ in
# their dbt arguments only), the runner with and without per-chunk tests (the
# latter is the scale table's base) and the naive wrapper. Each is a process
# with a full parse, so every case more costs the suite seconds.
CASES = (
    "floor_build",
    "runner_month_tests",
    "runner_month_notests",
    "naive_day",
)


def test_benchmark_script_runs_tiny(tmp_path: Path) -> None:
    output = tmp_path / "results.md"
    completed = subprocess.run(
        [
            sys.executable,
            str(PROJECT_DIR / "benchmarks" / "run_benchmarks.py"),
            "--tiny",
            # each case once; the naive wrapper at day chunks is extrapolated
            # from one timed dbt run
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
        "runner, month chunks, per-chunk tests on",
        "runner, month chunks, per-chunk tests off",
        "naive wrapper, day chunks (dbt run) (extrapolated)",
        "Scale (runner, month chunks, per-chunk tests off",
        "The audit step of the runner at month chunks",
        "Machine: nproc",
    ):
        assert case in table
    # --only ran the cases it names and no other
    for case in (
        "floor: one dbt run of the range",
        "runner, day chunks, per-chunk tests on",
        "naive wrapper, month",
    ):
        assert case not in table
    assert output.with_suffix(".json").is_file()
