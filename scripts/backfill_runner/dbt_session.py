"""dbt through its programmatic API: the project parsed once, the manifest reused.

dbt records compile state on the manifest's nodes (``compiled``,
``extra_ctes_injected``): reused as is, the second invocation skips injecting the
ephemeral staging and intermediate CTEs and the mart fails with
"__dbt__cte__... does not exist" (dbt-core 1.11). Two ways to hand each invocation
a clean manifest (``manifest_reuse``):

- ``"reset"`` (default): clear that state in place with
  ``manifest_reset.reset_compiled_state`` (microseconds), and drop the inline
  nodes ``show --inline`` / ``compile --inline`` add;
- ``"copy"``: a deep copy of the nodes per invocation (~70 ms here, more on a big
  project). The copy is made with ``dataclasses.replace``: pickling or ``copy`` of a
  Manifest goes through its ``__reduce_ex__``, which leaves out ``fixtures`` and
  shifts every lookup by one field.

benchmarks/README.md has the measured difference.

Every invocation runs with ``--log-level none`` (dbt prints nothing; the runner shows
its own progress) and writes dbt.log under ``artifacts_dir``, never into the
project's own target folder. Results are read from dbt's result objects, so the
JSON artifacts (manifest.json, run_results.json) are not written unless
``write_json`` is set: writing the manifest cost ~5% of each invocation.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from dbt.cli.main import dbtRunner
from dbt_common.events.base_types import EventMsg
from dbt_common.invocation import get_invocation_id

from backfill_runner.errors import DbtError
from backfill_runner.manifest_reset import reset_compiled_state

# Events whose text is the only place dbt reports a run-operation's error.
_ERROR_EVENTS = {
    "RunningOperationCaughtError",
    "RunningOperationUncaughtError",
    "MainEncounteredError",
}

# What dbt says about reusing its saved parse (target/partial_parse.msgpack).
_PARSE_EVENTS = {
    "PartialParsingSkipParsing",
    "PartialParsingEnabled",
    "UnableToPartialParse",
    "PartialParsingNotEnabled",
}

# Structured results the project's macros log as "<prefix> {json}" debug events:
# what a run of the summary wrote (its post-hook, macros/runner/log_range_figures.sql)
# and the runner's operations (macros/runner/diff_range.sql, publish.sql).
RANGE_FIGURES = "range figures"
RANGE_DIFF = "range diff"
RANGE_PUBLISH = "range publish"
RANGE_ROLLBACK = "range rollback"
RANGE_BUILT_FROM = "range built from"
LOGGED_RESULTS = (
    RANGE_FIGURES,
    RANGE_DIFF,
    RANGE_PUBLISH,
    RANGE_ROLLBACK,
    RANGE_BUILT_FROM,
)

# Errors worth retrying: the connection or the service, never the SQL or the data.
_TRANSIENT = re.compile(
    "|".join(
        [
            r"rate ?limit",
            r"ratelimitexceeded",
            r"quota exceeded",
            r"too many requests",
            r"\b429\b",
            r"\b50[234]\b",
            r"service unavailable",
            r"backenderror",
            r"internal error encountered",
            r"connection (reset|refused|aborted|closed)",
            r"broken pipe",
            r"timed? ?out",
            r"temporarily unavailable",
            r"could not set lock on file",
        ]
    ),
    re.IGNORECASE,
)


def is_transient(message: str) -> bool:
    """True for connection and rate-limit errors, which a retry can cure."""
    return bool(_TRANSIENT.search(message))


def logged_result(message: EventMsg) -> tuple[str, dict[str, Any]] | None:
    """The structured result a macro logged in one event (backfill_log_result:
    one of LOGGED_RESULTS, a space, then JSON), as (prefix, payload)."""
    if message.info.name not in ("JinjaLogDebug", "JinjaLogInfo"):
        return None
    prefix, _, payload = str(message.data.msg).partition(" {")
    if prefix not in LOGGED_RESULTS or not payload:
        return None
    return prefix, json.loads("{" + payload)


@dataclass(frozen=True, slots=True)
class NodeOutcome:
    """One node of a dbt result: a model, a test, a unit test or a hook."""

    name: str
    resource_type: str
    status: str
    failures: int | None
    message: str | None
    adapter_response: dict[str, Any]
    # where dbt stored a test's failing rows (dbt test --store-failures)
    relation_name: str | None = None
    # the SQL dbt ran for the node (a test's query, for its failing rows)
    compiled_code: str | None = None


@dataclass(frozen=True, slots=True)
class Invocation:
    """What one dbt invocation returned, in plain values."""

    command: str
    success: bool
    invocation_id: str
    nodes: list[NodeOutcome]
    error: str | None
    raw_result: Any = None
    # the structured results macros logged, by prefix (LOGGED_RESULTS)
    logged: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    @property
    def range_figures(self) -> list[dict[str, Any]]:
        """What the summary's post-hook logged: one dict per run of the model."""
        return self.logged.get(RANGE_FIGURES, [])

    def last_logged(self, prefix: str) -> dict[str, Any]:
        """The last result a macro logged under prefix; DbtError if none."""
        found = self.logged.get(prefix)
        if not found:
            raise DbtError(f"dbt {self.command} logged no '{prefix}' result")
        return found[-1]

    @property
    def transient(self) -> bool:
        text = " ".join(
            [self.error or ""]
            + [node.message or "" for node in self.nodes if node.status == "error"]
        )
        return bool(text.strip()) and is_transient(text)


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


@dataclass
class DbtSession:
    """A parsed dbt project bound to one target."""

    project_dir: Path
    profiles_dir: Path
    target: str
    artifacts_dir: Path
    manifest_reuse: Literal["reset", "copy"] = "reset"
    write_json: bool = False
    # vars every invocation gets (the parse included), under the per-call ones
    base_vars: dict[str, Any] = field(default_factory=dict)
    manifest: Any = field(default=None, init=False, repr=False)
    _errors: list[str] = field(default_factory=list, init=False, repr=False)
    _logged: dict[str, list[dict[str, Any]]] = field(
        default_factory=dict, init=False, repr=False
    )
    # called with every dbt event of later invocations (e.g. microbatch results)
    listeners: list[Callable[[EventMsg], None]] = field(
        default_factory=list, init=False, repr=False
    )
    _parse_seconds: float = field(default=0.0, init=False, repr=False)
    _parsed_ids: frozenset[str] = field(default=frozenset(), init=False, repr=False)
    # how the last parse went, in dbt's words (partial parsing reused or why not)
    parse_notes: list[str] = field(default_factory=list, init=False, repr=False)

    def _common_args(self) -> list[str]:
        return [
            "--project-dir",
            str(self.project_dir),
            "--profiles-dir",
            str(self.profiles_dir),
            "--target",
            self.target,
            "--target-path",
            str(self.artifacts_dir / "target"),
            "--log-path",
            str(self.artifacts_dir / "logs"),
            "--log-level",
            "none",
            "--log-level-file",
            "info",
            "--write-json" if self.write_json else "--no-write-json",
        ]

    def _vars_args(self, dbt_vars: dict[str, Any] | None) -> list[str]:
        merged = {**self.base_vars, **(dbt_vars or {})}
        return ["--vars", json.dumps(merged, default=str)] if merged else []

    def _collect(self, message: EventMsg) -> None:
        for listener in self.listeners:
            listener(message)
        if message.info.name in _PARSE_EVENTS:
            self.parse_notes.append(str(message.info.msg))
        elif message.info.name in _ERROR_EVENTS:
            self._errors.append(str(getattr(message.data, "exc", "") or message.data))
        elif (logged := logged_result(message)) is not None:
            prefix, payload = logged
            self._logged.setdefault(prefix, []).append(payload)

    def parse(self) -> None:
        """Parse the project once; every later invocation reuses the manifest.

        dbt saves the parse in the target folder (partial_parse.msgpack, under
        ``artifacts_dir``, which outlives the run) and the next run with the
        same project and vars reuses it; ``parse_summary`` says which happened.
        """
        self.parse_notes = []
        started = time.perf_counter()
        outcome = dbtRunner(callbacks=[self._collect]).invoke(
            ["parse", *self._common_args(), *self._vars_args(None)]
        )
        if not outcome.success or outcome.result is None:
            raise DbtError(f"dbt parse failed: {outcome.exception or self._errors}")
        self.manifest = outcome.result
        self._parsed_ids = frozenset(self.manifest.nodes)
        self._parse_seconds = time.perf_counter() - started

    @property
    def parse_summary(self) -> str:
        """One line: whether the saved parse was reused, in dbt's words."""
        notes = self.parse_notes
        reused = any(
            "skipping parsing" in n or "Partial parsing enabled" in n for n in notes
        )
        how = "reused the saved parse" if reused else "full parse"
        said = "; ".join(dict.fromkeys(notes)) or "dbt said nothing about it"
        return f"dbt parse: {how} in {self._parse_seconds:.1f}s ({said})"

    def fresh_manifest(self) -> Any:
        """The parsed manifest without the compile state of earlier invocations."""
        if self.manifest is None:
            self.parse()
        if self.manifest_reuse == "copy":
            return dataclasses.replace(
                self.manifest, nodes=copy.deepcopy(self.manifest.nodes)
            )
        # show/compile --inline add a node of their own: forget it too
        for unique_id in set(self.manifest.nodes) - self._parsed_ids:
            del self.manifest.nodes[unique_id]
        reset_compiled_state(self.manifest)
        return self.manifest

    def invoke(self, *args: str, dbt_vars: dict[str, Any] | None = None) -> Invocation:
        """Run one dbt command on the parsed manifest; KeyboardInterrupt propagates."""
        if self.manifest is None:
            self.parse()
        command = [*args, *self._common_args(), *self._vars_args(dbt_vars)]
        self._errors = []
        self._logged = {}
        outcome = dbtRunner(
            manifest=self.fresh_manifest(), callbacks=[self._collect]
        ).invoke(command)
        if isinstance(outcome.exception, KeyboardInterrupt):
            raise outcome.exception
        invocation_id = get_invocation_id()
        nodes: list[NodeOutcome] = []
        results = getattr(outcome.result, "results", None) or []
        for result in results:
            # run-operation returns artifact rows, with a unique_id and no node
            node = getattr(result, "node", None)
            unique_id = getattr(result, "unique_id", "") or ""
            response = result.adapter_response
            nodes.append(
                NodeOutcome(
                    name=node.name if node else unique_id.rsplit(".", 1)[-1],
                    resource_type=str(node.resource_type) if node else "operation",
                    status=str(result.status),
                    failures=result.failures,
                    message=result.message,
                    adapter_response=dict(response) if response else {},
                    relation_name=getattr(node, "relation_name", None),
                    compiled_code=getattr(node, "compiled_code", None),
                )
            )
        errors = list(self._errors)
        if outcome.exception is not None:
            errors.insert(0, str(outcome.exception))
        return Invocation(
            command=args[0],
            success=bool(outcome.success),
            invocation_id=invocation_id,
            nodes=nodes,
            error="; ".join(errors) or None,
            raw_result=outcome.result,
            logged=dict(self._logged),
        )

    def query(
        self, sql: str, dbt_vars: dict[str, Any] | None = None, limit: int = -1
    ) -> list[dict[str, Any]]:
        """Rows of a read-only query (Jinja allowed: ref, source, macros)."""
        invocation = self.invoke(
            "show", "--inline", sql, "--limit", str(limit), dbt_vars=dbt_vars
        )
        if not invocation.success or not invocation.raw_result.results:
            raise DbtError(f"query failed: {invocation.error}\n{sql}")
        table = invocation.raw_result.results[0].agate_table
        names = list(table.column_names)
        return [
            {name: _plain(value) for name, value in zip(names, row, strict=True)}
            for row in table.rows
        ]

    def compile_inline(self, sql: str) -> str:
        invocation = self.invoke("compile", "--inline", sql)
        if not invocation.success or not invocation.raw_result.results:
            raise DbtError(f"compile failed: {invocation.error}")
        return str(invocation.raw_result.results[0].node.compiled_code)

    def run_operation(self, macro: str, macro_args: dict[str, Any]) -> Invocation:
        invocation = self.invoke(
            "run-operation",
            macro,
            "--args",
            json.dumps(macro_args, default=str),
        )
        if not invocation.success:
            raise DbtError(f"dbt run-operation {macro} failed: {invocation.error}")
        return invocation

    def _model_node(self, model: str) -> Any:
        if self.manifest is None:
            self.parse()
        for node in self.manifest.nodes.values():
            if node.resource_type == "model" and node.name == model:
                return node
        raise DbtError(f"model {model} is not in the project")

    def model_config(self, model: str) -> dict[str, Any]:
        """A model's config as parsed (with this session's vars)."""
        return dict(self._model_node(model).config.to_dict())

    def model_relation(self, model: str) -> tuple[str, str, str]:
        """(database, schema, identifier) of a model, from the manifest."""
        node = self._model_node(model)
        return node.database, node.schema, node.alias


@dataclass(frozen=True, slots=True)
class TargetInfo:
    """Where a target points: its name, engine and database location."""

    name: str
    type: str
    location: str

    @property
    def identity(self) -> str:
        return f"{self.type}:{self.location}"


def describe_target(session: DbtSession) -> TargetInfo:
    """Ask dbt (no query runs) which database the target points at."""
    text = session.compile_inline(
        "{{ target.name }}|{{ target.type }}|{{ target.get('path', '') }}"
        "|{{ target.database }}|{{ target.schema }}"
    )
    name, kind, path, database, schema = (part.strip() for part in text.split("|"))
    if path and path != ":memory:" and "://" not in path and not path.startswith("md:"):
        location = str(Path(path).resolve())
    else:
        location = f"{path or database}/{schema}"
    return TargetInfo(name=name, type=kind, location=location)


def as_date(value: Any) -> date:
    """A date from whatever the engine returned (date, datetime or text)."""
    if hasattr(value, "date") and callable(value.date):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])
