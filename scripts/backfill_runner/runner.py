"""The order of work: pre-flight, backup, sample week, chunks, final validation.

``execute`` is the one entry point: it runs a backfill, a dry run or a rollback
and turns every outcome into an exit code (0 done and valid, 1 a gate or test
failed, 2 bad usage, 130 interrupted with the checkpoint saved).
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from dbt_common.events.base_types import EventMsg

from backfill_runner.backup import Backup, restore_backup, take_backup
from backfill_runner.checkpoint import (
    Checkpoint,
    CheckpointStore,
    ChunkRecord,
    ChunkStatus,
    RunStatus,
    TestFailure,
    now_iso,
)
from backfill_runner.dbt_session import (
    DbtSession,
    Invocation,
    TargetInfo,
    describe_target,
)
from backfill_runner.errors import (
    EXIT_INTERRUPTED,
    EXIT_OK,
    BackfillError,
    ChunkFailed,
    DbtError,
    GateFailed,
    Interrupted,
    UsageError,
)
from backfill_runner.failing_rows import failing_rows
from backfill_runner.figures import (
    MonthFigures,
    SummaryFigures,
    daily_summary_figures,
    day_counts,
    logged_summary_figures,
    month_figures,
    raw_figures,
    summary_figures,
)
from backfill_runner.gates import (
    GateResult,
    Verdict,
    coverage_gates,
    dbt_test_gates,
    months_gate,
    null_band_gate,
    pct,
    played_has_minutes_gate,
    preflight_gate,
    sample_gate,
    tests_of,
    volume_gate,
)
from backfill_runner.inputs import (
    check_backfill_inputs,
    check_duckdb_file,
    target_output,
)
from backfill_runner.lock import TargetLock, pid_is_running
from backfill_runner.plan import ChunkSize, DateRange, split_range
from backfill_runner.progress import Console, Progress
from backfill_runner.report import ReportInput, ReportPaths, report_paths, write_report
from backfill_runner.settings import (
    MODEL_NAME,
    GateSettings,
    RunOptions,
    load_gate_settings,
)
from backfill_runner.signals import signals_held, sigterm_as_interrupt

MAX_BACKOFF_S = 60.0
# Every test of the summary and of every model and source it is built from
# (staging's corrupt-minutes, zero-minutes and game-id tests among them): each is
# range-scoped, so a chunk tests only its own days.
UPSTREAM_TESTS = f"+{MODEL_NAME},resource_type:test"
# The final validation: every test (unit tests too) of the summary and upstream.
FINAL_TESTS = f"+{MODEL_NAME}"
# Left out of each chunk's build; the final validation runs them on the range.
CHUNK_EXCLUDED_TESTS = "tag:gate_whole_range test_type:unit"


def contiguous_runs(records: list[ChunkRecord]) -> list[list[ChunkRecord]]:
    """Chunks in date order, split wherever one does not start the day after the
    previous one ends (a resumed run's gaps)."""
    runs: list[list[ChunkRecord]] = []
    for record in records:
        if runs and runs[-1][-1].range.end + timedelta(days=1) == record.range.start:
            runs[-1].append(record)
        else:
            runs.append([record])
    return runs


def default_log_file(options: RunOptions) -> Path:
    return (
        options.state_dir
        / "logs"
        / f"backfill_{options.target}_{options.range.slug}.log"
    )


def _describe_summary(figures: SummaryFigures) -> str:
    if not figures.table_exists:
        return f"{MODEL_NAME} does not exist yet"
    return f"{figures.rows:,} rows in the range, minutes NULL {pct(figures.null_rate)}"


def _failure_text(failures: list[TestFailure]) -> str:
    return "; ".join(
        f"dbt test {f.name} {f.status}"
        + (f" with {f.failures:,} failing rows" if f.failures is not None else "")
        + (f" ({f.message})" if f.message and f.failures is None else "")
        for f in failures
    )


@dataclass
class Backfill:
    """One runner invocation against one target."""

    options: RunOptions
    console: Console
    settings: GateSettings
    session: DbtSession
    sleep: Callable[[float], None] = time.sleep
    target: TargetInfo | None = field(default=None, init=False)
    store: CheckpointStore | None = field(default=None, init=False)
    checkpoint: Checkpoint | None = field(default=None, init=False)
    # an unfinished run discarded by --no-resume: its backup still holds the rows
    # from before any backfill, so the new run keeps it instead of copying a mix
    unfinished: Checkpoint | None = field(default=None, init=False)
    started: float = field(default_factory=time.monotonic, init=False)
    # day chunks as dbt microbatch batches of one invocation (_batch_run)
    microbatch: bool = field(default=False, init=False)

    # ---------------------------------------------------------------- helpers

    @property
    def window(self) -> DateRange:
        return self.options.range

    def _connect(self) -> None:
        """Parse the project and find out where the target points."""
        base_vars: dict[str, object] = {"stage_upstream": self.options.stage_upstream}
        if (
            self.options.chunk_size is ChunkSize.DAY
            and not self.options.chunk_tests
            and self.options.stage_upstream
        ):
            # the model turns microbatch where its engine's strategy allows it
            base_vars["backfill_batch_size"] = "day"
        self.session.base_vars = base_vars
        self.session.parse()
        if not self.options.rollback:  # a rollback reads only its backup
            check_backfill_inputs(self.session)
        self.microbatch = (
            self.session.model_config(MODEL_NAME).get("incremental_strategy")
            == "microbatch"
        )
        self.target = describe_target(self.session)
        self.store = CheckpointStore.for_run(
            self.options.state_dir,
            self.options.target,
            self.target.identity,
            MODEL_NAME,
            self.window,
        )

    def _save(self) -> None:
        assert self.store is not None and self.checkpoint is not None
        with signals_held():
            self.store.save(self.checkpoint)

    def _load_checkpoint(self) -> Checkpoint | None:
        assert self.store is not None
        try:
            return self.store.load()
        except (ValueError, KeyError, TypeError) as error:
            raise BackfillError(
                f"checkpoint {self.store.path} is unreadable ({error}); "
                "move it away or pass --no-resume"
            ) from None

    def _invoke(self, what: str, *args: str, window: DateRange) -> Invocation:
        """One dbt command, retried with backoff only on transient errors."""
        attempt = 0
        while True:
            attempt += 1
            invocation = self.session.invoke(*args, dbt_vars=window.as_vars())
            if invocation.success or not invocation.transient:
                return invocation
            if attempt > self.options.retries:
                return invocation
            delay = min(
                self.options.retry_backoff_s * 2 ** (attempt - 1), MAX_BACKOFF_S
            )
            self.console.warn(
                f"{what}: transient error, retry {attempt}/{self.options.retries} "
                f"in {delay:.0f}s: {invocation.error or 'see the node messages'}"
            )
            self.sleep(delay)

    def _mark_interrupted(self) -> None:
        """No chunk is left 'running' by a runner that is still alive to say so."""
        assert self.checkpoint is not None
        for chunk in self.checkpoint.chunks:
            if chunk.status is ChunkStatus.RUNNING:
                chunk.status = ChunkStatus.INTERRUPTED
                chunk.error = "interrupted"
                chunk.updated_at = now_iso()
        self.checkpoint.status = RunStatus.INTERRUPTED
        self._save()

    # ---------------------------------------------------------------- gates

    def _preflight(self) -> GateResult:
        gate = preflight_gate(raw_figures(self.session, self.window), self.settings)
        self._announce(gate)
        return gate

    def _announce(self, gate: GateResult) -> None:
        if gate.verdict is Verdict.ERROR:
            self.console.error(gate.describe())
        elif gate.verdict is Verdict.WARN:
            self.console.warn(gate.describe())
        else:
            self.console.info(gate.describe())

    # ---------------------------------------------------------------- steps

    def _start_or_resume(self) -> None:
        existing = self._load_checkpoint()
        if existing is not None and existing.status is RunStatus.ROLLED_BACK:
            self.console.info(
                "the last run on this range was rolled back; starting over"
            )
            existing = None
        if existing is not None and not self.options.resume:
            self.console.info(
                f"--no-resume: starting over ({existing.chunks_done}/"
                f"{len(existing.chunks)} chunks of the old checkpoint discarded)"
            )
            if existing.status is not RunStatus.DONE and existing.backup:
                self.unfinished = existing
            existing = None
        if existing is not None and existing.chunk_size != self.options.chunk_size:
            raise UsageError(
                f"the checkpoint for this range uses {existing.chunk_size} chunks; "
                f"pass --chunk-size {existing.chunk_size} to resume it, "
                "or --no-resume"
            )
        self.checkpoint = existing

    def _begin_writes(self) -> None:
        """First run: measure 'before' and back the range up, before any write."""
        assert self.target is not None
        if self.checkpoint is None:
            before = summary_figures(self.session, self.window)
            self.checkpoint = Checkpoint.new(
                self.options.target,
                self.target.identity,
                MODEL_NAME,
                self.window,
                self.options.chunk_size,
                split_range(self.window, self.options.chunk_size),
            )
            self.checkpoint.before = before.to_dict()
            self.console.info("before: " + _describe_summary(before))
            if self.unfinished is not None:
                self.checkpoint.before = self.unfinished.before
                self.checkpoint.backup = self.unfinished.backup
                self.console.info(
                    "keeping the backup (and 'before' figures) of the unfinished "
                    "run: they hold the rows from before any backfill"
                )
        else:
            self._describe_resume()
        self.checkpoint.status = RunStatus.RUNNING
        self.checkpoint.pid = os.getpid()
        self._save()
        if self.checkpoint.backup is None:
            before = self.checkpoint.before or {}
            backup = take_backup(
                self.session,
                MODEL_NAME,
                self.window,
                table_exists=bool(before.get("table_exists")),
                rows=int(before.get("rows") or 0),
            )
            self.checkpoint.backup = backup.to_dict()
            self._save()
            self.console.info(
                f"backup: {backup.rows:,} rows of the range copied to {backup.relation}"
                if backup.had_rows
                else "backup: nothing to copy (a rollback empties the range)"
            )

    def _describe_resume(self) -> None:
        assert self.checkpoint is not None
        todo = self.checkpoint.not_done()
        states: dict[str, int] = {}
        for chunk in todo:
            states[str(chunk.status)] = states.get(str(chunk.status), 0) + 1
        summary = ", ".join(
            f"{count} {state}" for state, count in sorted(states.items())
        )
        self.console.info(
            f"resuming: {self.checkpoint.chunks_done}/{len(self.checkpoint.chunks)} "
            f"chunks done; rebuilding {len(todo)} in date order ({summary})"
        )
        for chunk in todo:
            if chunk.status is ChunkStatus.RUNNING:
                self.console.warn(
                    f"chunk {chunk.range.label} was running when its runner stopped; "
                    "rebuilding it"
                )

    def _build_upstream(self) -> None:
        """Seeds (the tests read them) and the upstream work tables, once per run.

        Staged, staging and intermediate are tables over the whole range, so the
        chunks, the final tests and the figures all read one consistent build; a
        resumed run stages the whole range again (seconds, like one dbt run).
        """
        seeds = self._invoke("seeds", "seed", window=self.window)
        upstream = self._invoke(
            "upstream work tables",
            "run",
            "--select",
            f"+{MODEL_NAME}",
            "--exclude",
            MODEL_NAME,
            window=self.window,
        )
        for what, invocation in (
            ("loading the seeds", seeds),
            ("the upstream work tables", upstream),
        ):
            if invocation.success:
                continue
            errors = [
                f"{n.name}: {n.message}"
                for n in invocation.nodes
                if n.status == "error"
            ]
            raise DbtError(
                f"{what} failed: "
                + ("; ".join(errors) or invocation.error or "unknown error")
            )
        loaded = sum(n.resource_type == "seed" for n in seeds.nodes)
        built = sum(n.resource_type == "model" for n in upstream.nodes)
        upstream_text = (
            f"{built} staging and intermediate work tables built over "
            f"{self.window.label}"
            if built
            else "staging and intermediate compile into each chunk's query "
            "(--no-stage-upstream)"
        )
        self.console.info(f"upstream: {loaded} seeds loaded, {upstream_text}")

    def _build(
        self, label: str, window: DateRange, tests: bool = True
    ) -> tuple[Invocation, list[TestFailure]]:
        """``dbt build`` of the summary, its per-chunk tests and the tests of every
        model and source upstream of it (UPSTREAM_TESTS), over one window.

        Per chunk, the tests tagged gate_whole_range (coverage, month gaps, NULL
        band, spot checks: meaningless on a day or a week, and they warned on every
        short chunk) and the unit tests (they read fixtures, not the range) are left
        out: the final validation runs them once over the whole range. Without
        ``tests`` it is a plain ``dbt run`` (--no-chunk-tests).
        """
        # One relation is written: dbt looks it up instead of listing every
        # relation of every schema first (~30 ms of each chunk here).
        flags = ["--no-populate-cache"]
        if self.microbatch:
            flags += window.event_time_flags()
        if not tests:
            invocation = self._invoke(
                label, "run", "--select", MODEL_NAME, *flags, window=window
            )
            return invocation, []
        invocation = self._invoke(
            label,
            "build",
            "--select",
            MODEL_NAME,
            UPSTREAM_TESTS,
            "--exclude",
            CHUNK_EXCLUDED_TESTS,
            *flags,
            window=window,
        )
        _, problems = tests_of(invocation.nodes)
        warnings = [p for p in problems if p.status == "warn"]
        for warning in warnings:
            self.console.warn(f"{label}: {_failure_text([warning])}")
        return invocation, problems

    def _build_error(
        self, label: str, invocation: Invocation, failed: list[TestFailure]
    ) -> str:
        if failed:
            rows = failing_rows(self.session, invocation, {f.name for f in failed})
            return f"{label} failed: {_failure_text(failed)}" + (
                f"; {rows}" if rows else ""
            )
        errors = [
            f"{n.resource_type} {n.name}: {n.message}"
            for n in invocation.nodes
            if n.status == "error"
        ]
        detail = "; ".join(errors) or invocation.error or "dbt reported no detail"
        retried = " (transient; retries used up)" if invocation.transient else ""
        return f"{label} failed{retried}: {detail}"

    def _sample(self) -> None:
        assert self.checkpoint is not None
        sample = self.settings.sample_range
        if self.options.skip_sample:
            self.console.info("sample week: skipped (--skip-sample)")
            return
        if not self.window.contains(sample):
            self.console.info(
                f"sample week {sample.label}: not inside the range, skipped"
            )
            return
        done = self.checkpoint.sample or {}
        if done.get("verdict") in (Verdict.OK, Verdict.WARN):
            self.console.info(
                f"sample week {sample.label}: passed earlier ({done['value']})"
            )
            return
        self.console.info(f"sample week {sample.label}: building and testing")
        invocation, problems = self._build(f"sample week {sample.label}", sample)
        failed = [p for p in problems if p.status != "warn"]
        if not invocation.success or failed:
            message = self._build_error(
                f"sample week {sample.label}", invocation, failed
            )
            self.checkpoint.sample = {"verdict": Verdict.ERROR, "value": "build failed"}
            self._save()
            raise ChunkFailed(message)
        figures = logged_summary_figures(
            invocation.range_figures, sample
        ) or summary_figures(self.session, sample)
        gate = sample_gate(figures, sample, self.settings)
        self._announce(gate)
        self.checkpoint.sample = gate.to_dict()
        self._save()
        if gate.verdict is Verdict.ERROR:
            raise GateFailed(f"stopped by the {gate.describe()}")

    def _chunks(self) -> None:
        assert self.checkpoint is not None
        todo = self.checkpoint.not_done()
        progress = Progress(
            self.console, len(self.checkpoint.chunks), self.checkpoint.chunks_done
        )
        if self.microbatch:
            for run in contiguous_runs(todo):
                self._batch_run(run, progress)
        else:
            for record in todo:
                self._chunk(record, progress)
        self.console.clear_bar()

    def _batch_run(self, records: list[ChunkRecord], progress: Progress) -> None:
        """Consecutive day chunks as the batches of one microbatch ``dbt run``.

        dbt reports each batch as it ends; the checkpoint records it at once, so a
        crash loses at most the batch being written, as with one invocation per
        chunk. The rows of each day are counted in one query after the run.
        """
        assert self.checkpoint is not None
        window = DateRange(records[0].range.start, records[-1].range.end)
        for record in records:
            record.start_attempt()
        self._save()
        progress.starting(records[0].range)

        def on_event(message: EventMsg) -> None:
            if message.info.name != "LogBatchResult":
                return
            index = int(message.data.batch_index) - 1
            if not 0 <= index < len(records):
                return
            record = records[index]
            failed = str(message.data.status) in ("error", "skipped")
            record.status = ChunkStatus.FAILED if failed else ChunkStatus.DONE
            record.duration_s = round(float(message.data.execution_time), 3)
            record.updated_at = now_iso()
            if failed:
                record.error = f"batch {record.range.label}: {message.data.status}"
            self._save()
            if not failed:
                progress.finished(record.range, None, "", record.duration_s)

        self.session.listeners.append(on_event)
        try:
            invocation, _ = self._build(f"chunks {window.label}", window, tests=False)
        except KeyboardInterrupt:
            self._mark_interrupted()
            raise
        finally:
            self.session.listeners.remove(on_event)
        counts = daily_summary_figures(self.session, window)
        for record in records:
            if record.status is ChunkStatus.RUNNING:  # dbt never reported it
                record.status = ChunkStatus.FAILED
                record.error = self._build_error(
                    f"chunk {record.range.label}", invocation, []
                )
            if record.status is ChunkStatus.DONE:
                figures = counts.get(record.range.start, SummaryFigures.empty())
                record.rows_written = figures.rows
                record.minutes_null_rate = figures.null_rate
                progress.counted(figures.rows)
        failed = [r for r in records if r.status is ChunkStatus.FAILED]
        if failed:
            self.checkpoint.status = RunStatus.FAILED
        self._save()
        if failed:
            raise ChunkFailed(
                f"{len(failed)} chunk(s) failed, first {failed[0].range.label}: "
                f"{failed[0].error}"
            )

    def _chunk(self, record: ChunkRecord, progress: Progress) -> None:
        assert self.checkpoint is not None
        window = record.range
        label = f"chunk {window.label}"
        started = time.monotonic()
        try:
            record.start_attempt()
            # a signal held back during this save arrives right after it
            self._save()
            progress.starting(window)
            invocation, problems = self._build(
                label, window, tests=self.options.chunk_tests
            )
            record.invocation_id = invocation.invocation_id
            record.warnings = [p for p in problems if p.status == "warn"]
            failed = [p for p in problems if p.status != "warn"]
            if not invocation.success or failed:
                record.status = ChunkStatus.FAILED
                record.updated_at = now_iso()
                record.failed_tests = failed
                record.error = self._build_error(label, invocation, failed)
                record.duration_s = round(time.monotonic() - started, 3)
                self.checkpoint.status = RunStatus.FAILED
                self._save()
                raise ChunkFailed(record.error)
            # the post-hook's counts; a query only if they did not arrive
            figures = logged_summary_figures(
                invocation.range_figures, window
            ) or summary_figures(self.session, window)
            record.rows_written = figures.rows
            record.minutes_null_rate = figures.null_rate
            record.duration_s = round(time.monotonic() - started, 3)
            record.status = ChunkStatus.DONE
            record.updated_at = now_iso()
            self._save()
        except KeyboardInterrupt:
            if record.status is not ChunkStatus.DONE:  # done and saved: keep it
                record.status = ChunkStatus.INTERRUPTED
                record.updated_at = now_iso()
                record.error = "interrupted"
                record.duration_s = round(time.monotonic() - started, 3)
            self.checkpoint.status = RunStatus.INTERRUPTED
            self._save()
            raise
        progress.finished(
            window, figures.rows, pct(figures.null_rate), record.duration_s
        )

    def _validate(self) -> tuple[list[GateResult], list[MonthFigures], list[str]]:
        """dbt test over the whole range, then the range-wide gates."""
        self.console.info(f"final validation: dbt test over {self.window.label}")
        invocation = self._invoke(
            "final validation",
            "test",
            "--select",
            FINAL_TESTS,
            window=self.window,
        )
        tests, problems = tests_of(invocation.nodes)
        if not invocation.success and not problems:
            raise DbtError(f"final validation could not run: {invocation.error}")
        rows = failing_rows(
            self.session, invocation, {p.name for p in problems if p.status != "warn"}
        )
        if rows:
            self.console.error(f"final validation: {rows}")
        gates: list[GateResult] = []
        if self.checkpoint is not None and self.checkpoint.sample:
            sample = dict(self.checkpoint.sample)
            gates.append(
                GateResult(
                    name=str(sample.get("name", "sample week minutes NULL")),
                    value=str(sample.get("value", "")),
                    band=str(sample.get("band", "")),
                    verdict=Verdict(sample.get("verdict", Verdict.SKIPPED)),
                    detail=str(sample.get("detail", "")),
                )
            )
        gates.append(
            GateResult(
                "dbt tests (whole range)",
                f"{len(tests) - len(problems)} of {len(tests)} passed",
                "all pass",
                Verdict.ERROR
                if any(p.status != "warn" for p in problems)
                else (Verdict.WARN if problems else Verdict.OK),
            )
        )
        gates += dbt_test_gates(problems, self.window.label)
        months = month_figures(self.session, self.window)
        gates += [
            null_band_gate(months, self.settings),
            played_has_minutes_gate(months, self.settings),
            volume_gate(months, self.window, self.settings),
            *coverage_gates(months, self.settings),
            months_gate(months, self.settings),
        ]
        for gate in gates[1:] if self.checkpoint and self.checkpoint.sample else gates:
            self._announce(gate)
        notes = []
        if self.options.skip_sample:
            notes.append("the sample week gate was skipped (--skip-sample)")
        if not self.options.chunk_tests:
            notes.append(
                "chunks were built without their per-chunk tests (--no-chunk-tests);"
                " the final validation above ran every test over the whole range"
            )
        return gates, months, notes

    def _report(
        self,
        gates: list[GateResult],
        months: list[MonthFigures],
        notes: list[str],
        outcome: str,
    ) -> ReportPaths:
        assert self.checkpoint is not None and self.target is not None
        paths = report_paths(
            self.options.report_dir, self.options.target, MODEL_NAME, self.window
        )
        write_report(
            ReportInput(
                target=self.options.target,
                target_location=self.target.location,
                model=MODEL_NAME,
                window=self.window,
                chunk_size=str(self.checkpoint.chunk_size),
                outcome=outcome,
                duration_s=time.monotonic() - self.started,
                gates=gates,
                months=months,
                chunks=self.checkpoint.chunks,
                before=self.checkpoint.before,
                notes=notes,
            ),
            self.settings,
            paths,
        )
        self.console.info(f"report: {paths.markdown} (chart {paths.chart.name})")
        return paths

    # ---------------------------------------------------------------- modes

    def run(self) -> int:
        # the vars and the raw contract are checked before the lock and the log
        self._connect()
        lock = TargetLock.for_target(
            self.options.state_dir, self.options.target, self.console.warn
        )
        with lock:
            self.console.open_log(
                self.options.log_file or default_log_file(self.options)
            )
            self.console.info(
                f"backfill {MODEL_NAME} {self.window.label} on target "
                f"{self.options.target} in {self.options.chunk_size} chunks"
            )
            assert self.target is not None
            self.console.info(f"target {self.target.name}: {self.target.location}")
            self._start_or_resume()
            try:
                if self.checkpoint is not None and self.checkpoint.is_complete:
                    self.console.info(
                        "this range is already complete; nothing is rebuilt "
                        "(--no-resume rebuilds it). Validating it again."
                    )
                    self._build_upstream()  # the tests read the work tables
                else:
                    if self._preflight().verdict is Verdict.ERROR:
                        raise GateFailed(
                            "stopped before any write by the pre-flight gate"
                        )
                    self._begin_writes()
                    self._build_upstream()
                    self._sample()
                    self._chunks()
                gates, months, notes = self._validate()
                errors = [g for g in gates if g.verdict is Verdict.ERROR]
                outcome = "failed validation" if errors else "done"
                self._report(gates, months, notes, outcome)
                assert self.checkpoint is not None
                self.checkpoint.status = RunStatus.FAILED if errors else RunStatus.DONE
                self.checkpoint.validation = {
                    "outcome": outcome,
                    "gates": [g.to_dict() for g in gates],
                }
                self._save()
            except KeyboardInterrupt:
                if self.checkpoint is not None:
                    self._mark_interrupted()
                raise Interrupted(
                    "interrupted; the checkpoint is saved and a rerun resumes it"
                ) from None
            except (ChunkFailed, GateFailed, DbtError):
                if self.checkpoint is not None:
                    self.checkpoint.status = RunStatus.FAILED
                    self._save()
                raise
            if errors:
                raise GateFailed(
                    "validation failed: " + "; ".join(g.describe() for g in errors)
                )
            self.console.info(
                f"done: {self.window.label} on {self.options.target} "
                "is rebuilt and valid"
            )
            return EXIT_OK

    def dry_run(self) -> int:
        """The plan and the pre-flight figures; nothing is written anywhere."""
        self._connect()
        assert self.target is not None and self.store is not None
        out = self.console
        out.info(
            f"DRY RUN: nothing will be written (target {self.options.target}: "
            f"{self.target.location})"
        )
        lock = TargetLock.for_target(self.options.state_dir, self.options.target)
        if lock.path.exists():
            owner = lock._owner() or {}
            pid = int(owner.get("pid", -1))  # type: ignore[call-overload]
            state = "running" if pid_is_running(pid) else "stale"
            out.info(f"note: lock {lock.path} is held by pid {pid} ({state})")
        existing = None if not self.options.resume else self._load_checkpoint()
        gate = self._preflight()
        before = summary_figures(self.session, self.window)
        out.info("summary now: " + _describe_summary(before))
        sample = self.settings.sample_range
        if self.options.skip_sample or not self.window.contains(sample):
            out.info("sample week: would be skipped")
        else:
            out.info(f"sample week {sample.label}: would be built and tested first")
        chunks = split_range(self.window, self.options.chunk_size)
        statuses: dict[str, str] = {}
        if existing is not None and existing.status is not RunStatus.ROLLED_BACK:
            statuses = {c.start: str(c.status) for c in existing.chunks}
            out.info(
                f"checkpoint {self.store.path}: {existing.chunks_done}/"
                f"{len(existing.chunks)} chunks done"
            )
        else:
            out.info(
                "checkpoint: none; a run would start fresh and back the range up first"
            )
        counts = day_counts(self.session, self.window)
        out.info(f"plan: {len(chunks)} {self.options.chunk_size} chunks")
        out.info(
            f"  {'#':>4}  {'chunk':<23} {'rows now':>10} {'raw BDL rows':>13}  status"
        )
        for index, chunk in enumerate(chunks, start=1):
            inside = [c for c in counts if chunk.includes(c.game_date)]
            status = statuses.get(chunk.start.isoformat(), "pending")
            action = "skip (done)" if status == "done" else f"build ({status})"
            out.info(
                f"  {index:>4}  {chunk.label:<23} "
                f"{sum(c.summary_rows for c in inside):>10,} "
                f"{sum(c.raw_bdl_rows for c in inside):>13,}  {action}"
            )
        return 1 if gate.verdict is Verdict.ERROR else EXIT_OK

    def rollback(self) -> int:
        lock = TargetLock.for_target(
            self.options.state_dir, self.options.target, self.console.warn
        )
        with lock:
            self.console.open_log(
                self.options.log_file or default_log_file(self.options)
            )
            self._connect()
            assert self.store is not None
            checkpoint = self._load_checkpoint()
            if checkpoint is None or checkpoint.backup is None:
                raise BackfillError(
                    f"no backup is recorded for {self.window.label} on target "
                    f"{self.options.target} (checkpoint {self.store.path})"
                )
            if checkpoint.status is RunStatus.ROLLED_BACK:
                raise BackfillError(f"{self.window.label} was already rolled back")
            backup = Backup.from_dict(checkpoint.backup)
            self.console.info(
                f"rollback: restoring {backup.rows:,} rows of {self.window.label} from "
                f"{backup.relation}"
                if backup.had_rows
                else "rollback: the table had no rows before; emptying "
                f"{self.window.label}"
            )
            self.checkpoint = checkpoint
            with signals_held():
                restore_backup(self.session, backup)
                checkpoint.status = RunStatus.ROLLED_BACK
                self.store.save(checkpoint)
            after: SummaryFigures = summary_figures(self.session, self.window)
            self.console.info(
                f"rollback done: {after.rows:,} rows in the range, minutes NULL "
                f"{pct(after.null_rate)}"
            )
            return EXIT_OK


@contextmanager
def _artifacts_dir(options: RunOptions) -> Iterator[Path]:
    """dbt's target and log folders: a temporary one for a dry run."""
    if options.dry_run:
        with tempfile.TemporaryDirectory(prefix="backfill-dry-run-") as folder:
            yield Path(folder)
    else:
        yield options.state_dir / "dbt" / options.target


def execute(options: RunOptions, console: Console | None = None) -> int:
    """Run what the options ask for and return the exit code."""
    console = console or Console()
    try:
        settings = load_gate_settings(options.project_dir)
        # before dbt connects: dbt-duckdb would create a missing file
        check_duckdb_file(
            target_output(options.project_dir, options.profiles_dir, options.target)
        )
        with sigterm_as_interrupt(), _artifacts_dir(options) as artifacts:
            session = DbtSession(
                options.project_dir, options.profiles_dir, options.target, artifacts
            )
            backfill = Backfill(options, console, settings, session)
            if options.dry_run:
                if options.log_file is not None:
                    console.open_log(options.log_file)
                return backfill.dry_run()
            if options.rollback:
                return backfill.rollback()
            return backfill.run()
    except BackfillError as error:
        console.error(str(error))
        return error.exit_code
    except KeyboardInterrupt:
        console.error("interrupted")
        return EXIT_INTERRUPTED
    finally:
        console.close()
