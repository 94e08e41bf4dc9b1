"""The runner's command line: bad usage exits 2 before anything is written,
and --help explains every option."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from backfill_runner.cli import main
from dbt_harness import PROJECT_DIR


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
            "--price-per-tib",
            "-1",
        ],
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
