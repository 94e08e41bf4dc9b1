"""What every step of a run shares: the options, the console, the dbt session,
the checkpoint and how a dbt command is invoked (retried on transient errors)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from backfill_runner.checkpoint import (
    Checkpoint,
    CheckpointStore,
    ChunkStatus,
    RunStatus,
    now_iso,
)
from backfill_runner.dbt_session import (
    DbtSession,
    Invocation,
    TargetInfo,
    describe_target,
)
from backfill_runner.errors import BackfillError
from backfill_runner.inputs import check_backfill_inputs
from backfill_runner.plan import ChunkSize, DateRange
from backfill_runner.progress import Console
from backfill_runner.settings import MODEL_NAME, GateSettings, RunOptions
from backfill_runner.signals import raise_if_interrupted, signals_held
from backfill_runner.verdicts import TestVerdict

MAX_BACKOFF_S = 60.0


@dataclass
class RunContext:
    """One runner invocation against one target."""

    options: RunOptions
    console: Console
    settings: GateSettings
    session: DbtSession
    sleep: Callable[[float], None] = time.sleep
    target: TargetInfo | None = field(default=None, init=False)
    store: CheckpointStore | None = field(default=None, init=False)
    checkpoint: Checkpoint | None = field(default=None, init=False)
    # chunks as dbt microbatch batches of one invocation (chunks.py)
    microbatch: bool = field(default=False, init=False)
    started: float = field(default_factory=time.monotonic, init=False)
    # failing rows kept with dbt test --store-failures (off: a dry run writes
    # nothing, and runs the failing test's SQL instead)
    store_failures: bool = True
    # this run's verdicts of backfill_upstream_tests (validation.upstream_tests);
    # None while they have not run, and then the final validation runs them
    upstream_verdicts: list[TestVerdict] | None = field(default=None, init=False)

    @property
    def window(self) -> DateRange:
        return self.options.range

    def connect(self, audit: bool = True) -> None:
        """Parse the project and find out where the target points.

        With ``audit`` (every mode but the dry run) the summary and its tests are
        the audit copy's (var backfill_audit): nothing the runner builds is
        written into the live table except by the publish. The vars and the raw
        contract are checked here (not for a rollback, which reads only what it
        restores); execute connects before it takes the lock or opens the log,
        so a later call is a no-op.
        """
        if self.target is not None:
            return
        base_vars: dict[str, object] = {
            # a dry run builds no work tables: what it compiles reads raw data
            "stage_upstream": self.options.stage_upstream and not self.options.dry_run,
            "backfill_audit": audit,
        }
        size = self.options.chunk_size
        if (
            self.options.stage_upstream
            and not self.options.chunk_tests
            and size in (ChunkSize.DAY, ChunkSize.MONTH)
        ):
            # the model turns microbatch, a batch per chunk, where its engine's
            # strategy allows it (dbt has no week batches). Day and month
            # chunks with per-chunk tests are built a group per statement
            # instead (chunks.py, TESTED_GROUPS)
            base_vars["backfill_batch_size"] = str(size)
        self.session.base_vars = base_vars
        self.session.parse()
        self.console.info(self.session.parse_summary)
        if not self.options.rollback:
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

    def save(self) -> None:
        assert self.store is not None and self.checkpoint is not None
        with signals_held():
            self.store.save(self.checkpoint)

    def load_checkpoint(self) -> Checkpoint | None:
        assert self.store is not None
        try:
            return self.store.load()
        except (ValueError, KeyError, TypeError) as error:
            raise BackfillError(
                f"checkpoint {self.store.path} is unreadable ({error}); "
                "move it away or pass --no-resume"
            ) from None

    def discard_checkpoint(self) -> None:
        """--no-resume: the old checkpoint goes, readable or not."""
        assert self.store is not None
        if self.store.path.exists():
            self.store.path.unlink()
            self.console.info(f"--no-resume: discarded {self.store.path}")

    def invoke(
        self,
        what: str,
        *args: str,
        window: DateRange,
        extra_vars: dict[str, str] | None = None,
    ) -> Invocation:
        """One dbt command over a window (its vars, and ``extra_vars``), retried
        with backoff only on transient errors.

        A signal that arrived during the call interrupts the run, whatever dbt
        returned (signals.py).
        """
        attempt = 0
        while True:
            attempt += 1
            invocation = self.session.invoke(*args, dbt_vars=window.as_vars(extra_vars))
            raise_if_interrupted()
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

    def mark_interrupted(self) -> None:
        """No chunk is left 'running' by a runner that is still alive to say so."""
        assert self.checkpoint is not None
        for chunk in self.checkpoint.chunks:
            if chunk.status is ChunkStatus.RUNNING:
                chunk.status = ChunkStatus.INTERRUPTED
                chunk.error = "interrupted"
                chunk.updated_at = now_iso()
        self.checkpoint.status = RunStatus.INTERRUPTED
        self.save()


def default_log_file(options: RunOptions) -> Path:
    return (
        options.state_dir
        / "logs"
        / f"backfill_{options.target}_{options.range.slug}.log"
    )
