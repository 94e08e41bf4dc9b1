"""The run's inputs checked before any path is built or anything is written.

The target must be an output of the project's profile (it names folders and
files, so an unknown one, or a relative path, must stop here). A DuckDB target's file
must exist: dbt-duckdb creates a missing file on connect, so this check is the
one that cannot wait for dbt. The rest of the raw contract (schema, tables,
columns, types) is checked by dbt itself (macro check_raw_contract).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml
from dbt.config.renderer import ProfileRenderer
from dbt_common.context import set_invocation_context

from backfill_runner.dbt_session import DbtSession
from backfill_runner.errors import UsageError

RAW_CONTRACT = (
    "the raw contract is models/staging/nba_raw/_nba_raw__sources.yml "
    "(docs/domain.md, section 3); demo data: "
    "python scripts/generate_raw_data.py --db <file>"
)


def _profile_outputs(project_dir: Path, profiles_dir: Path) -> tuple[str, dict]:
    project = yaml.safe_load((project_dir / "dbt_project.yml").read_text()) or {}
    name = str(project.get("profile", ""))
    profiles = yaml.safe_load((profiles_dir / "profiles.yml").read_text()) or {}
    profile = profiles.get(name)
    outputs = profile.get("outputs") if isinstance(profile, dict) else None
    if not isinstance(outputs, dict) or not outputs:
        raise UsageError(
            f"profiles.yml in {profiles_dir} has no outputs for profile '{name}'"
        )
    return name, outputs


def target_output(project_dir: Path, profiles_dir: Path, target: str) -> dict:
    """The profile's output for target, or a UsageError listing the valid ones."""
    name, outputs = _profile_outputs(project_dir, profiles_dir)
    if target not in outputs:
        raise UsageError(
            f"unknown --target {target!r}: profile '{name}' in "
            f"{profiles_dir / 'profiles.yml'} has the targets "
            + ", ".join(sorted(outputs))
        )
    output = outputs[target]
    return output if isinstance(output, dict) else {}


def missing_duckdb_file(output: dict[str, Any]) -> Path | None:
    """The DuckDB file a duckdb output points at, if it does not exist."""
    if output.get("type") != "duckdb":
        return None
    set_invocation_context(os.environ)
    path = str(ProfileRenderer({}).render_value(output.get("path", "")))
    if not path or path == ":memory:" or "://" in path or path.startswith("md:"):
        return None
    file = Path(path).resolve()
    return None if file.is_file() else file


def check_duckdb_file(output: dict[str, Any]) -> None:
    missing = missing_duckdb_file(output)
    if missing is not None:
        raise UsageError(
            f"the DuckDB file {missing} does not exist (NBA_DUCKDB_PATH or the "
            f"profile's path); nothing was created. It must hold the raw schema: "
            f"{RAW_CONTRACT}"
        )


def _dbt_message(error: str) -> str:
    """dbt's error without its macro call stack and headline."""
    lines = [
        line.strip()
        for line in error.splitlines()
        if line.strip()
        and not line.strip().startswith(">")
        and not line.strip().startswith("Compilation Error in macro")
    ]
    return " ".join(lines) or error


def check_backfill_inputs(session: DbtSession) -> None:
    """The vars and the raw contract, checked by dbt (macro check_backfill_inputs)
    before the runner writes anything; a UsageError names what is wrong."""
    invocation = session.invoke("run-operation", "check_backfill_inputs")
    if not invocation.success:
        raise UsageError(_dbt_message(invocation.error or "no detail from dbt"))
