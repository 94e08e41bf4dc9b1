"""The run's options, and the gate thresholds read from dbt_project.yml vars."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from backfill_runner.errors import UsageError
from backfill_runner.inputs import target_output
from backfill_runner.plan import ChunkSize, DateRange

MODEL_NAME = "player_game_summary"
DATE_COLUMN = "game_date"
# The report's coverage figures compare with the Ball Don't Lie rows of the
# games the summary covers, newest load only: the rows the pgs_coverage_vs_raw
# tests compare with (see the gate_coverage doc block). They describe; the
# tests judge.
COVERAGE_RAW_MODEL = "stg_nba_raw__bdl_player_boxscores"
SUMMARISED_GAMES_MODEL = "int_games__schedule_facts"
# BigQuery on-demand analysis price per TiB processed (US multi-region), the dry
# run's default for its cost estimate (--price-per-tib)
DEFAULT_PRICE_PER_TIB_USD = 6.25


@dataclass(frozen=True, slots=True)
class GateSettings:
    """Gate thresholds, fractions not percents (dbt_project.yml ``gate_*`` vars)."""

    preflight_raw_null_warn: float
    preflight_raw_null_error: float
    sample_start_date: date
    sample_end_date: date
    sample_null_ok_min: float
    sample_null_ok_max: float
    sample_null_warn_max: float
    played_minutes_null_max: float
    null_band_ok_min: float
    null_band_ok_max: float
    null_band_warn_max: float
    volume_min: int
    volume_max: int
    coverage_ok_min: float
    coverage_ok_max: float
    coverage_warn_min: float
    month_null_max: float

    @property
    def sample_range(self) -> DateRange:
        return DateRange(self.sample_start_date, self.sample_end_date)

    @classmethod
    def from_vars(cls, project_vars: dict[str, Any]) -> GateSettings:
        values: dict[str, Any] = {}
        for field in fields(cls):
            key = f"gate_{field.name}"
            if key not in project_vars:
                raise UsageError(f"dbt_project.yml has no var {key}")
            raw = project_vars[key]
            try:
                if field.name.endswith("_date"):
                    values[field.name] = date.fromisoformat(str(raw))
                elif field.name.startswith("volume_"):
                    values[field.name] = int(raw)
                else:
                    values[field.name] = float(raw)
            except (TypeError, ValueError):
                # the rule itself is dbt's (gate_var_rules), checked before a run
                raise UsageError(
                    f"dbt_project.yml var {key} = {raw!r} is not a "
                    + ("date" if field.name.endswith("_date") else "number")
                ) from None
        return cls(**values)


def load_gate_settings(project_dir: Path) -> GateSettings:
    """The thresholds as the project declares them (one place for dbt and runner)."""
    project = yaml.safe_load((project_dir / "dbt_project.yml").read_text())
    return GateSettings.from_vars(project.get("vars") or {})


@dataclass(frozen=True, slots=True)
class RunOptions:
    """Everything one invocation of the runner was asked to do."""

    range: DateRange
    chunk_size: ChunkSize
    target: str
    project_dir: Path
    profiles_dir: Path
    state_dir: Path
    report_dir: Path
    log_file: Path | None = None
    resume: bool = True
    dry_run: bool = False
    skip_sample: bool = False
    chunk_tests: bool = True
    # staging and intermediate built once per run as work tables (dbt var
    # stage_upstream) instead of compiled into every chunk's query
    stage_upstream: bool = True
    rollback: bool = False
    # publish the audited range into the live table (--no-publish: a plan)
    publish: bool = True
    # publish an audited range without rebuilding it
    publish_only: bool = False
    retries: int = 3
    retry_backoff_s: float = 5.0
    # on-demand BigQuery price per TiB processed, for the dry run's cost estimate
    price_per_tib: float = DEFAULT_PRICE_PER_TIB_USD

    def __post_init__(self) -> None:
        if self.retries < 0:
            raise UsageError(f"--retries must be 0 or more, not {self.retries}")
        if self.retry_backoff_s < 0:
            raise UsageError("--retry-backoff must be 0 or more seconds")
        if not self.price_per_tib >= 0:
            raise UsageError(
                "--price-per-tib must be a price of 0 or more, not "
                f"{self.price_per_tib}"
            )
        modes = [
            name
            for name, chosen in (
                ("--rollback", self.rollback),
                ("--dry-run", self.dry_run),
                ("--publish-only", self.publish_only),
            )
            if chosen
        ]
        if len(modes) > 1:
            raise UsageError(f"{' and '.join(modes)} do not go together")
        if self.publish_only and not self.publish:
            raise UsageError("--publish-only and --no-publish do not go together")
        if not (self.project_dir / "dbt_project.yml").is_file():
            raise UsageError(f"no dbt_project.yml in --project-dir {self.project_dir}")
        if not (self.profiles_dir / "profiles.yml").is_file():
            raise UsageError(
                f"no profiles.yml in --profiles-dir {self.profiles_dir} "
                "(copy profiles.yml.example there)"
            )
        # the target names folders and files: only the profile's own outputs
        target_output(self.project_dir, self.profiles_dir, self.target)
