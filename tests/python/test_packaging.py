"""The project installs like a Python tool: console scripts, a wheel that holds
every module, and an environment that is exactly the lock."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from importlib import metadata
from pathlib import Path

import pytest
from conftest import PROJECT_DIR

LOCK = PROJECT_DIR / "requirements.lock"
# name[extras]==version at the start of a requirement
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;\\]+)")


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def locked_versions(text: str) -> dict[str, str]:
    return {
        normalise(match.group(1)): match.group(2)
        for match in map(PIN.match, text.splitlines())
        if match
    }


@pytest.mark.parametrize(
    ("command", "usage"),
    [
        ("nba-backfill", "usage: nba-backfill"),
        ("nba-demo-data", "usage: nba-demo-data"),
    ],
)
def test_console_scripts_print_their_help(command: str, usage: str) -> None:
    executable = Path(sys.executable).with_name(command)
    completed = subprocess.run(
        [str(executable), "--help"], capture_output=True, text=True, check=False
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.startswith(usage)


def test_every_locked_package_has_an_exact_version_and_hashes() -> None:
    text = LOCK.read_text()
    requirements = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n\n", 1)[-1])
    requirements = [r for r in requirements if r.strip() and not r.startswith("#")]
    assert requirements
    for requirement in requirements:
        assert PIN.match(requirement), requirement.splitlines()[0]
        assert "--hash=sha256:" in requirement, requirement.splitlines()[0]


def test_the_required_pins_hold_in_the_lock() -> None:
    locked = locked_versions(LOCK.read_text())
    assert locked["dbt-core"].startswith("1.11.")
    assert locked["sqlfluff"] == "4.4.0"
    assert locked["sqlfluff-templater-dbt"] == "4.4.0"
    assert locked["duckdb"] == "1.4.4"


def test_the_environment_is_exactly_the_lock() -> None:
    """What `make install` put in this venv: every locked version, nothing else."""
    locked = locked_versions(LOCK.read_text())
    installed = {
        normalise(dist.metadata["Name"]): dist.version
        for dist in metadata.distributions()
    }
    installed.pop("nba-backfill")
    assert installed == locked


def test_the_wheel_holds_every_module_and_both_commands(tmp_path: Path) -> None:
    # built from a copy: setuptools builds in the source tree
    source = tmp_path / "source"
    for name in ("pyproject.toml", "README.md"):
        source.mkdir(exist_ok=True)
        shutil.copy(PROJECT_DIR / name, source / name)
    shutil.copytree(
        PROJECT_DIR / "scripts",
        source / "scripts",
        ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"),
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("nba_backfill-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        entry_points = next(
            archive.read(name).decode()
            for name in names
            if name.endswith(".dist-info/entry_points.txt")
        )
    expected = {
        path.relative_to(PROJECT_DIR / "scripts").as_posix()
        for package in ("backfill_runner", "demo_data")
        for path in (PROJECT_DIR / "scripts" / package).glob("*.py")
    } | {"generate_raw_data.py"}
    assert expected <= names
    assert "nba-backfill = backfill_runner.cli:main" in entry_points
    assert "nba-demo-data = generate_raw_data:main" in entry_points
