"""The benchmark script runs end to end on a tiny dataset (no timing is checked)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from dbt_harness import PROJECT_DIR


def test_benchmark_script_runs_tiny(tmp_path: Path) -> None:
    output = tmp_path / "results.md"
    completed = subprocess.run(
        [
            sys.executable,
            str(PROJECT_DIR / "benchmarks" / "run_benchmarks.py"),
            "--tiny",
            # one timed dbt run per naive case (the day case is extrapolated
            # from it): each is a dbt process with a full parse of its own
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
        "runner, day chunks, per-chunk tests on",
        "runner, month chunks, per-chunk tests off",
        "naive wrapper, month chunks",
        "Machine: nproc",
    ):
        assert case in table
    assert output.with_suffix(".json").is_file()
