"""The project installs like a Python tool: console scripts, a wheel that holds
every module, and an environment that is exactly the lock."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from importlib import metadata
from pathlib import Path

import pytest
from dbt_harness import PROJECT_DIR

LOCK = PROJECT_DIR / "requirements.lock"
EMULATOR_LOCK = PROJECT_DIR / "requirements-emulator.lock"
LIST_DISTRIBUTIONS = (
    "from importlib import metadata\n"
    "for d in metadata.distributions(): print(f\"{d.metadata['Name']}=={d.version}\")"
)
PRINT_PURELIB = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
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


@pytest.mark.bigquery
def test_the_emulator_environment_is_exactly_its_lock() -> None:
    """What `make emulator` put in .venv-emulator: every version of
    requirements-emulator.lock, nothing else (the same check, in that venv)."""
    python = PROJECT_DIR / ".venv-emulator" / "bin" / "python"
    assert python.is_file(), f"no {python}: run `make emulator`"
    listed = subprocess.run(
        [str(python), "-c", LIST_DISTRIBUTIONS],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    installed = {
        normalise(name): version
        for name, version in (line.split("==") for line in listed.splitlines())
    }
    assert installed == locked_versions(EMULATOR_LOCK.read_text())


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's wheel, built from a copy (setuptools builds in the tree)."""
    folder = tmp_path_factory.mktemp("wheel")
    source = folder / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(PROJECT_DIR / name, source / name)
    shutil.copytree(
        PROJECT_DIR / "scripts",
        source / "scripts",
        ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"),
    )
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check"]
    subprocess.run(
        [
            *pip,
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(folder),
            str(source),
        ],
        check=True,
        capture_output=True,
    )
    (built,) = folder.glob("nba_backfill-*.whl")
    return built


def test_the_wheel_holds_every_module_and_both_commands(wheel: Path) -> None:
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


def test_a_fresh_venv_with_the_wheel_has_both_commands(
    wheel: Path, tmp_path: Path
) -> None:
    """The wheel installed (not editable) into a new venv; its dependencies come
    from this venv's site-packages through a .pth line, so no network is needed."""
    fresh = tmp_path / "fresh"
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(fresh)], check=True
    )
    python = fresh / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", PRINT_PURELIB],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    (Path(purelib) / "locked_dependencies.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n"
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--disable-pip-version-check",
            "--python",
            str(python),
            "install",
            "--quiet",
            "--no-deps",
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    for command in ("nba-backfill", "nba-demo-data"):
        completed = subprocess.run(
            [str(fresh / "bin" / command), "--help"],
            capture_output=True,
            text=True,
            check=False,
        )
        assert completed.returncode == 0, completed.stderr
        assert completed.stdout.startswith(f"usage: {command}")
    # the commands run the wheel's code, not this checkout's editable install
    origin = subprocess.run(
        [str(python), "-c", "import backfill_runner; print(backfill_runner.__file__)"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert origin.startswith(str(fresh)), origin
