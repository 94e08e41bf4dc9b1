"""The dbt project pointed at a running BigQuery emulator.

``EmulatorProject`` writes a profile whose ``bigquery`` target is the emulator,
parses the project once and reuses the manifest for every dbt command (as the
backfill runner does), reads tables through google-cloud-bigquery, and runs the
backfill runner's CLI as a subprocess. Every dbt artifact, log, checkpoint and
report goes under the project's work folder, never into the repository.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from bq_emulator import PROJECT_DIR, Emulator
from google.cloud import bigquery

TARGET = "bigquery"
SUMMARY_MODEL = "player_game_summary"
SUMMARY_KEY = ("game_id", "player_lookup")
BACKFILL_SCRIPT = PROJECT_DIR / "scripts" / "backfill.py"
# Node statuses of a dbt result that are not a failure.
OK_STATUSES = {"success", "pass", "warn", "no-op"}
# (profile, parse vars) -> the manifest of that parse: the same project, profile
# and vars parse to the same manifest whatever the work folder, and a full parse
# for the bigquery target costs 5-10 s
_MANIFESTS: dict[str, Any] = {}


@dataclass(frozen=True, slots=True)
class DateWindow:
    """An inclusive range of game dates."""

    start: date
    end: date

    def as_vars(self) -> dict[str, str]:
        return {"start_date": self.start.isoformat(), "end_date": self.end.isoformat()}

    def between(self, column: str = "game_date") -> str:
        return (
            f"{column} between date '{self.start.isoformat()}' "
            f"and date '{self.end.isoformat()}'"
        )

    @property
    def label(self) -> str:
        return f"{self.start.isoformat()}..{self.end.isoformat()}"


def emulator_profile(emulator: Emulator, dataset: str, threads: int) -> dict[str, Any]:
    """profiles.yml for the emulator: the one auth method that never calls Google."""
    return {
        "nba_backfill": {
            "target": TARGET,
            "outputs": {
                TARGET: {
                    "type": "bigquery",
                    "method": "oauth-secrets",
                    # a literal fake token: nothing is sent to Google
                    "token": "fake-token-for-the-emulator",
                    "api_endpoint": emulator.url,
                    "project": emulator.project,
                    "dataset": dataset,
                    "location": "US",
                    # a failure is a failure: no retry hides it or slows the suite
                    "job_retries": 0,
                    "job_execution_timeout_seconds": 300,
                    "threads": threads,
                }
            },
        }
    }


def node_failures(result: Any) -> list[str]:
    """'<node>: <status>: <message>' for every node of a dbt result that failed
    (a run-operation's rows name their macro by unique_id and have no node)."""
    rows = getattr(result.result, "results", None) or []
    return [
        f"{getattr(getattr(r, 'node', None), 'unique_id', None) or r.unique_id}: "
        f"{r.status}: {r.message}"
        for r in rows
        if str(r.status) not in OK_STATUSES
    ]


def describe_failure(result: Any) -> str:
    return "\n".join([str(result.exception or ""), *node_failures(result)]).strip()


@dataclass
class EmulatorProject:
    """The nba_backfill dbt project, its bigquery target on the emulator."""

    emulator: Emulator
    work_dir: Path
    dataset: str = "nba_analytics"
    threads: int = 4
    client: bigquery.Client = field(init=False, repr=False)
    manifest: Any = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self.client = self.emulator.client()
        self.profiles_dir.mkdir(parents=True, exist_ok=True)
        profile = emulator_profile(self.emulator, self.dataset, self.threads)
        (self.profiles_dir / "profiles.yml").write_text(yaml.safe_dump(profile))

    # ------------------------------------------------------------ folders

    @property
    def profiles_dir(self) -> Path:
        return self.work_dir / "profiles"

    @property
    def target_path(self) -> Path:
        return self.work_dir / "dbt" / "target"

    @property
    def runner_state_dir(self) -> Path:
        return self.work_dir / "backfill"

    @property
    def report_dir(self) -> Path:
        return self.work_dir / "reports"

    # ------------------------------------------------------------ dbt

    def _common_args(self) -> list[str]:
        return [
            "--project-dir",
            str(PROJECT_DIR),
            "--profiles-dir",
            str(self.profiles_dir),
            "--target",
            TARGET,
            "--target-path",
            str(self.target_path),
            "--log-path",
            str(self.work_dir / "dbt" / "logs"),
            "--quiet",
        ]

    def parse(self, dbt_vars: dict[str, Any] | None = None) -> None:
        """Parse once; dbt_vars that decide schemas (backfill_audit) go here,
        as the runner passes its base vars to its one parse. A parse with the
        same profile and vars in this session is reused (``dbt`` copies the
        nodes for every command)."""
        from dbt.cli.main import dbtRunner

        profile = emulator_profile(self.emulator, self.dataset, self.threads)
        key = json.dumps([profile, dbt_vars], sort_keys=True, default=str)
        if key not in _MANIFESTS:
            command = ["parse", *self._common_args()]
            if dbt_vars is not None:
                command += ["--vars", json.dumps(dbt_vars)]
            result = dbtRunner().invoke(command)
            if not result.success:
                raise RuntimeError(f"dbt parse failed: {describe_failure(result)}")
            _MANIFESTS[key] = result.result
        self.manifest = _MANIFESTS[key]

    def dbt(
        self,
        *args: str,
        dbt_vars: dict[str, Any] | None = None,
        callbacks: list[Callable[[Any], None]] | None = None,
    ) -> Any:
        """One dbt command on the parsed manifest; returns dbt's result object.

        ``callbacks`` get every event of the command (dbtRunner's callbacks).

        Each command gets its own copy of the manifest: dbt marks the nodes it
        compiles in place, and a model compiled by ``dbt compile`` or ``docs
        generate`` then runs without its ephemeral CTEs in a later command.
        """
        from dbt.cli.main import dbtRunner

        if self.manifest is None:
            self.parse()
        command = [*args, *self._common_args()]
        if dbt_vars is not None:
            command += ["--vars", json.dumps(dbt_vars)]
        # Manifest.deepcopy() fails on a project with selectors.yml (dbt-core
        # 1.11 copies each selector, a plain dict, with from_dict); the nodes
        # are what a command marks, so they are what is copied
        manifest = dataclasses.replace(
            self.manifest, nodes=copy.deepcopy(self.manifest.nodes)
        )
        return dbtRunner(manifest=manifest, callbacks=callbacks or []).invoke(command)

    def summary_table_id(self) -> str:
        if self.manifest is None:
            self.parse()
        for node in self.manifest.nodes.values():
            if node.resource_type == "model" and node.name == SUMMARY_MODEL:
                return f"{node.database}.{node.schema}.{node.alias}"
        raise LookupError(f"model {SUMMARY_MODEL} is not in the manifest")

    def compiled_model_sql(self, model: str, window: DateWindow) -> str:
        """The model's own SELECT, compiled with the window's vars."""
        result = self.dbt(
            "compile",
            "--select",
            model,
            "--indirect-selection",
            "empty",
            dbt_vars=window.as_vars(),
        )
        assert result.success, describe_failure(result)
        (compiled,) = [r.node.compiled_code for r in result.result.results]
        return str(compiled)

    # ------------------------------------------------------------ SQL

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        return [tuple(row.values()) for row in self.client.query(sql).result()]

    def execute(self, sql: str) -> None:
        self.client.query(sql).result()

    def raw_table_id(self, table: str) -> str:
        return f"{self.emulator.project}.nba_raw.{table}"

    def summary_columns(self) -> list[str]:
        return [f.name for f in self.client.get_table(self.summary_table_id()).schema]

    def summary_rows(self, where: str = "true") -> list[tuple[Any, ...]]:
        """Every column of the summary's rows, in key order."""
        columns = ", ".join(self.summary_columns())
        return self.query(
            f"select {columns} from `{self.summary_table_id()}` where {where} "
            f"order by {', '.join(SUMMARY_KEY)}"
        )

    def fresh_summary_rows(self, window: DateWindow) -> list[tuple[Any, ...]]:
        """The rows a fresh build of window gives: the model's SELECT, run as is."""
        columns = ", ".join(self.summary_columns())
        sql = self.compiled_model_sql(SUMMARY_MODEL, window)
        return self.query(
            f"select {columns} from ({sql}) as fresh where {window.between()} "
            f"order by {', '.join(SUMMARY_KEY)}"
        )

    def duplicate_keys(self) -> list[tuple[Any, ...]]:
        key = ", ".join(SUMMARY_KEY)
        return self.query(
            f"select {key}, count(*) as copies from `{self.summary_table_id()}` "
            f"group by {key} having count(*) > 1"
        )

    # ------------------------------------------------------------ runner

    def run_backfill(
        self, window: DateWindow, chunk_size: str, *extra: str, timeout_s: float = 300
    ) -> subprocess.CompletedProcess[str]:
        """``scripts/backfill.py --target bigquery`` as a user runs it."""
        command = [
            sys.executable,
            str(BACKFILL_SCRIPT),
            "--target",
            TARGET,
            "--start-date",
            window.start.isoformat(),
            "--end-date",
            window.end.isoformat(),
            "--chunk-size",
            chunk_size,
            "--retries",
            "0",
            "--project-dir",
            str(PROJECT_DIR),
            "--profiles-dir",
            str(self.profiles_dir),
            "--state-dir",
            str(self.runner_state_dir),
            "--report-dir",
            str(self.report_dir),
            *extra,
        ]
        env = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
        return subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=timeout_s,
            env=env,
            check=False,
        )

    def report(self, window: DateWindow) -> dict[str, Any]:
        """The JSON twin of the runner's report of a window."""
        slug = f"{window.start:%Y%m%d}_{window.end:%Y%m%d}"
        path = self.report_dir / f"backfill_{TARGET}_{SUMMARY_MODEL}_{slug}.json"
        return dict(json.loads(path.read_text()))

    def checkpoint(self, window: DateWindow) -> dict[str, Any]:
        """The runner's checkpoint of a window (its own artifact, JSON)."""
        name = f"{window.start.isoformat()}_{window.end.isoformat()}.json"
        (path,) = self.runner_state_dir.glob(f"checkpoints/*/{SUMMARY_MODEL}/{name}")
        return dict(json.loads(path.read_text()))
