"""What the runner can be asked to do, one function per mode.

- ``backfill``: pre-flight, sample week, every chunk into the audit copy, the
  final validation, the diff against the live table, then the publish (not with
  --no-publish: a plan) and the report. A range whose chunks are all built is
  not rebuilt: it is validated, diffed and published (--publish-only insists on
  that, and on raw data unchanged since the audit).
- ``dry_run``: the plan and the pre-flight; nothing is written anywhere.
- ``rollback``: restore what the newest publish of the range replaced.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable

from backfill_runner.acknowledged_defects import (
    console_lines,
    read_acknowledged_defects,
)
from backfill_runner.bytes_estimate import (
    bigquery_client,
    chunk_query,
    dry_run_bytes,
    estimate_chunks,
    estimate_lines,
)
from backfill_runner.checkpoint import Checkpoint, ChunkStatus, RunStatus
from backfill_runner.chunks import (
    TESTED_GROUPS,
    build_chunks,
    build_sample,
    build_upstream,
)
from backfill_runner.context import RunContext
from backfill_runner.errors import (
    EXIT_OK,
    BackfillError,
    GateFailed,
    UsageError,
)
from backfill_runner.figures import day_counts, month_figures
from backfill_runner.lock import TargetLock, pid_is_running
from backfill_runner.plan import DateRange, split_range
from backfill_runner.publishing import (
    BuiltFrom,
    RangeDiff,
    diff_range,
    new_publish_id,
    publish_range,
    range_built_from,
    rollback_range,
)
from backfill_runner.report import ReportInput, ReportPaths, report_paths, write_report
from backfill_runner.settings import MODEL_NAME
from backfill_runner.validation import final_validation, preflight, upstream_tests
from backfill_runner.verdicts import TestVerdict, blocking

DIFF_EXAMPLES_SHOWN = 6


def _start_or_resume(ctx: RunContext) -> None:
    if not ctx.options.resume:
        ctx.discard_checkpoint()  # readable or not: --no-resume starts over
        ctx.checkpoint = None
        return
    existing = ctx.load_checkpoint()
    if existing is not None and existing.status is RunStatus.ROLLED_BACK:
        ctx.console.info("the last run on this range was rolled back; starting over")
        existing = None
    if existing is not None and existing.chunk_size != ctx.options.chunk_size:
        raise UsageError(
            f"the checkpoint for this range uses {existing.chunk_size} chunks; "
            f"pass --chunk-size {existing.chunk_size} to resume it, or --no-resume"
        )
    ctx.checkpoint = existing


def _describe_resume(ctx: RunContext) -> None:
    assert ctx.checkpoint is not None
    todo = ctx.checkpoint.not_done()
    states: dict[str, int] = {}
    for chunk in todo:
        states[str(chunk.status)] = states.get(str(chunk.status), 0) + 1
    summary = ", ".join(f"{count} {state}" for state, count in sorted(states.items()))
    ctx.console.info(
        f"resuming: {ctx.checkpoint.chunks_done}/{len(ctx.checkpoint.chunks)} "
        f"chunks done; rebuilding {len(todo)} in date order ({summary})"
    )
    for chunk in todo:
        if chunk.status is ChunkStatus.RUNNING:
            ctx.console.warn(
                f"chunk {chunk.range.label} was running when its runner stopped; "
                "rebuilding it"
            )


def _begin(ctx: RunContext, preflight_verdicts: list[TestVerdict]) -> None:
    assert ctx.target is not None
    if ctx.checkpoint is None:
        ctx.checkpoint = Checkpoint.new(
            ctx.options.target,
            ctx.target.identity,
            MODEL_NAME,
            ctx.window,
            ctx.options.chunk_size,
            split_range(ctx.window, ctx.options.chunk_size),
        )
    else:
        _describe_resume(ctx)
    ctx.checkpoint.preflight = [v.to_dict() for v in preflight_verdicts]
    ctx.checkpoint.status = RunStatus.RUNNING
    ctx.checkpoint.pid = os.getpid()
    ctx.save()


def _show_diff(ctx: RunContext, diff: RangeDiff) -> None:
    ctx.console.info(diff.headline())
    for example in diff.examples[:DIFF_EXAMPLES_SHOWN]:
        columns = example.get("changed_columns") or ""
        ctx.console.info(
            f"    {example['change']}: {example['game_id']} "
            f"{example['player_lookup']}" + (f" ({columns})" if columns else "")
        )


def _check_unchanged_since_audit(
    ctx: RunContext, built_from_now: Callable[[], BuiltFrom]
) -> None:
    """A range built by an earlier run is tested and published again only if its
    raw rows are the ones it was built from and the audit copy still holds the
    rows that run built."""
    assert ctx.checkpoint is not None
    audited = ctx.checkpoint.diff
    if audited is None:
        if ctx.options.publish_only:
            raise BackfillError(
                "--publish-only: this range has no completed audit to publish; "
                "run it without --publish-only"
            )
        return
    then, now = RangeDiff.from_dict(audited).built_from, built_from_now()
    if then.raw != now.raw:
        raise BackfillError(
            f"the raw data of {ctx.window.label} changed since it was audited "
            f"(rows, newest load, sum of load times: {then.raw} then, "
            f"{now.raw} now); rebuild it with --no-resume"
        )
    if then.audit_fingerprint != now.audit_fingerprint:
        raise BackfillError(
            f"the audit copy of {ctx.window.label} changed since it was audited "
            "(another run rebuilt part of it); rebuild it with --no-resume"
        )


def _report(
    ctx: RunContext,
    outcome: str,
    verdicts: list[TestVerdict],
    diff: RangeDiff | None,
    published: dict[str, object] | None,
) -> ReportPaths:
    assert ctx.checkpoint is not None and ctx.target is not None
    paths = report_paths(
        ctx.options.report_dir, ctx.options.target, MODEL_NAME, ctx.window
    )
    notes = []
    if ctx.options.skip_sample:
        notes.append("the sample week was skipped (--skip-sample)")
    if not ctx.options.chunk_tests:
        notes.append(
            "chunks were built without their per-chunk tests (--no-chunk-tests);"
            " the final validation ran every test over the whole range"
        )

    def steps(name: str, saved: list[dict[str, object]] | None) -> list:
        return [(name, TestVerdict.from_dict(v)) for v in saved or []]

    acknowledged = read_acknowledged_defects(ctx.session, verdicts)
    for line in console_lines(acknowledged):
        ctx.console.info(line)
    # a group of day chunks tested at once (chunks.py) reports its warnings
    # once, under the group's label; a failing test under each day it names
    chunk_steps = list(
        {
            (label, verdict.name, verdict.status): (label, verdict)
            for chunk in ctx.checkpoint.chunks
            for verdict, label in [
                *((v, f"chunk {chunk.range.label}") for v in chunk.failed_tests),
                *(
                    (v, chunk.tested_in or f"chunk {chunk.range.label}")
                    for v in chunk.warnings
                ),
            ]
        }.values()
    )
    write_report(
        ReportInput(
            target=ctx.options.target,
            target_location=ctx.target.location,
            model=MODEL_NAME,
            window=ctx.window,
            chunk_size=str(ctx.checkpoint.chunk_size),
            outcome=outcome,
            duration_s=time.monotonic() - ctx.started,
            steps=[
                *steps("pre-flight", ctx.checkpoint.preflight),
                *steps("sample week", ctx.checkpoint.sample),
                *chunk_steps,
                *[
                    (
                        "upstream tests"
                        if any(v is u for u in ctx.upstream_verdicts or [])
                        else "final validation",
                        v,
                    )
                    for v in verdicts
                ],
            ],
            diff=diff,
            published=published,
            months=month_figures(ctx.session, ctx.window),
            chunks=ctx.checkpoint.chunks,
            notes=notes,
            acknowledged=acknowledged,
        ),
        ctx.settings,
        paths,
    )
    ctx.console.info(f"report: {paths.markdown} (chart {paths.chart.name})")
    return paths


def backfill(ctx: RunContext) -> int:
    grouped = TESTED_GROUPS.get(ctx.options.chunk_size)
    together = (
        f" (built and tested {grouped.span} at a time)"
        if grouped and ctx.options.chunk_tests
        else ""
    )
    ctx.console.info(
        f"backfill {MODEL_NAME} {ctx.window.label} on target "
        f"{ctx.options.target} in {ctx.options.chunk_size} chunks{together}, "
        "into the audit copy first"
    )
    ctx.connect(audit=True)
    assert ctx.target is not None
    ctx.console.info(f"target {ctx.target.name}: {ctx.target.location}")
    _start_or_resume(ctx)
    try:
        if ctx.checkpoint is not None and ctx.checkpoint.is_complete:
            # refused before anything is rebuilt or tested; checked again on
            # the diff, in case the raw data changes while this run tests it
            _check_unchanged_since_audit(
                ctx, lambda: range_built_from(ctx.session, ctx.window)
            )
            ctx.console.info(
                "every chunk of this range is already built into the audit copy; "
                "nothing is rebuilt (--no-resume rebuilds it). Validating it again."
            )
            build_upstream(ctx)  # the tests read the work tables
            _test_upstream(ctx)
        elif ctx.options.publish_only:
            raise BackfillError(
                "--publish-only: this range is not completely built and audited; "
                "run it without --publish-only"
            )
        else:
            checked = preflight(ctx)
            if blocking(checked):
                raise GateFailed("stopped before any write by the pre-flight")
            _begin(ctx, checked)
            build_upstream(ctx)
            _test_upstream(ctx)
            build_sample(ctx)
            build_chunks(ctx)
        return _audit_and_publish(ctx)
    except KeyboardInterrupt:
        if ctx.checkpoint is not None:
            ctx.mark_interrupted()
        raise
    except BackfillError:
        if ctx.checkpoint is not None and ctx.checkpoint.status is RunStatus.RUNNING:
            ctx.checkpoint.status = RunStatus.FAILED
            ctx.save()
        raise


def _test_upstream(ctx: RunContext) -> None:
    """The upstream tests, once over the range, before any chunk (with per-chunk
    tests): a blocking one stops the run before the summary is written."""
    failed = blocking(upstream_tests(ctx))
    if failed:
        raise GateFailed(
            "stopped before any chunk by the upstream tests: "
            + "; ".join(v.headline() for v in failed)
        )


def _audit_and_publish(ctx: RunContext) -> int:
    assert ctx.checkpoint is not None
    verdicts = final_validation(ctx)
    ctx.checkpoint.validation = [v.to_dict() for v in verdicts]
    diff = diff_range(ctx.session, ctx.window)
    _show_diff(ctx, diff)
    if ctx.checkpoint.status is not RunStatus.RUNNING:
        # built by an earlier run: only worth testing or publishing if its raw
        # rows are the ones it was built from
        _check_unchanged_since_audit(ctx, lambda: diff.built_from)
    ctx.checkpoint.diff = diff.to_dict()
    failed = blocking(verdicts)
    published = None
    if failed:
        outcome = "failed validation: not published"
        ctx.checkpoint.status = RunStatus.FAILED
    else:
        ctx.checkpoint.status = RunStatus.AUDITED
        ctx.save()
        if not ctx.options.publish:
            outcome = "audited, not published (--no-publish)"
        elif diff.is_empty:
            outcome = "done: the live table already holds exactly these rows"
            ctx.checkpoint.status = RunStatus.DONE
        else:
            ctx.console.info(f"publish: replacing {ctx.window.label} in the live table")
            published = publish_range(
                ctx.session, ctx.window, new_publish_id(ctx.window)
            )
            ctx.checkpoint.publish = published
            ctx.checkpoint.status = RunStatus.DONE
            outcome = "published"
            backup = published.get("backup_relation")
            ctx.console.info(
                f"published {published['rows_published']:,} rows "
                f"({published['rows_replaced']:,} replaced"
                + (f", kept in {backup}" if backup else "")
                + f"); recorded in {published['log_relation']}"
            )
    ctx.save()
    _report(ctx, outcome, verdicts, diff, published)
    if failed:
        raise GateFailed(
            "validation failed, nothing published: "
            + "; ".join(v.headline() for v in failed)
        )
    ctx.console.info(f"{outcome}: {ctx.window.label} on {ctx.options.target}")
    return EXIT_OK


def dry_run(ctx: RunContext) -> int:
    """The plan and the pre-flight; nothing is written anywhere."""
    ctx.store_failures = False
    ctx.connect(audit=False)
    assert ctx.target is not None and ctx.store is not None
    out = ctx.console
    out.info(
        f"DRY RUN: nothing will be written (target {ctx.options.target}: "
        f"{ctx.target.location})"
    )
    lock = TargetLock.for_target(ctx.options.state_dir, ctx.options.target)
    if lock.path.exists():
        owner = lock._owner() or {}
        pid = int(owner.get("pid", -1))  # type: ignore[call-overload]
        state = "running" if pid_is_running(pid) else "stale"
        out.info(f"note: lock {lock.path} is held by pid {pid} ({state})")
    existing = ctx.load_checkpoint() if ctx.options.resume else None
    checked = preflight(ctx)
    sample = ctx.settings.sample_range
    if ctx.options.skip_sample or not ctx.window.contains(sample):
        out.info("sample week: would be skipped")
    else:
        out.info(f"sample week {sample.label}: would be built and tested first")
    chunks = split_range(ctx.window, ctx.options.chunk_size)
    statuses: dict[str, str] = {}
    if existing is not None and existing.status is not RunStatus.ROLLED_BACK:
        statuses = {c.start: str(c.status) for c in existing.chunks}
        out.info(
            f"checkpoint {ctx.store.path}: {existing.chunks_done}/"
            f"{len(existing.chunks)} chunks done"
        )
    else:
        out.info("checkpoint: none; a run would start fresh")
    counts = day_counts(ctx.session, ctx.window)
    out.info(
        f"plan: {len(chunks)} {ctx.options.chunk_size} chunks built into the "
        "audit copy, tested, diffed against the live table, then published"
        + ("" if ctx.options.publish else " (not: --no-publish)")
    )
    out.info(
        f"  {'#':>4}  {'chunk':<23} {'live rows':>10} {'raw BDL rows':>13}  status"
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
    if ctx.target.type == "bigquery":
        to_build = [c for c in chunks if statuses.get(c.start.isoformat()) != "done"]
        _estimate_bytes(ctx, to_build)
    return 1 if blocking(checked) else EXIT_OK


def _estimate_bytes(ctx: RunContext, chunks: list[DateRange]) -> None:
    """Each chunk's query as a BigQuery dry-run job: bytes and on-demand cost."""
    client = bigquery_client(
        ctx.options.project_dir, ctx.options.profiles_dir, ctx.options.target
    )
    estimates = estimate_chunks(
        chunks,
        lambda chunk: chunk_query(ctx.session, chunk),
        lambda sql: dry_run_bytes(client, sql),
    )
    for line in estimate_lines(estimates, ctx.options.price_per_tib):
        ctx.console.info(line)


def rollback(ctx: RunContext) -> int:
    """Restore what the newest publish of the range replaced (the database's own
    record of it, nba_analytics.backfill_publishes: no state folder needed)."""
    ctx.connect(audit=True)
    assert ctx.store is not None
    restored = rollback_range(ctx.session, ctx.window)
    backup = restored.get("backup_relation")
    ctx.console.info(
        f"rollback of publish {restored['publish_id']}: "
        + (
            f"{restored['rows_restored']:,} rows of {ctx.window.label} restored "
            f"from {backup}"
            if backup
            else f"the range held no rows before; {ctx.window.label} emptied"
        )
    )
    try:
        checkpoint = ctx.store.load()
    except (ValueError, KeyError, TypeError):
        checkpoint = None
    if checkpoint is not None:
        ctx.checkpoint = checkpoint
        checkpoint.status = RunStatus.ROLLED_BACK
        ctx.save()
    return EXIT_OK
