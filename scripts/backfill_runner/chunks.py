"""Building the range into the audit copy: the upstream work tables, the sample
week, then every chunk not done yet, in date order, checkpointed one by one."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import NamedTuple

from dbt_common.events.base_types import EventMsg

from backfill_runner.checkpoint import ChunkRecord, ChunkStatus, RunStatus, now_iso
from backfill_runner.context import RunContext
from backfill_runner.dbt_session import Invocation
from backfill_runner.errors import ChunkFailed, DbtError, GateFailed
from backfill_runner.failing_rows import failing_days
from backfill_runner.figures import (
    SummaryFigures,
    daily_summary_figures,
    logged_daily_figures,
    logged_summary_figures,
    summary_figures,
)
from backfill_runner.plan import ChunkSize, DateRange, season_of
from backfill_runner.progress import Progress
from backfill_runner.settings import MODEL_NAME
from backfill_runner.signals import interrupt_requested, raise_if_interrupted
from backfill_runner.validation import (
    CHUNK_SELECTOR,
    SAMPLE_SELECTOR,
    UPSTREAM_SELECTOR,
    announce,
    judged,
)
from backfill_runner.verdicts import TestVerdict, blocking, pct, problems, summary

# The var that makes the chunk tests judge each chunk (a day or a month) on its
# own when one dbt build tests many (macros/tests/_helpers.sql, nba_test_period)
TEST_PERIOD_VAR = "backfill_test_period"


def contiguous_runs(
    records: list[ChunkRecord], group_of: Callable[[date], object] | None = None
) -> list[list[ChunkRecord]]:
    """Chunks in date order, split wherever one does not start the day after the
    previous one ends (a resumed run's gaps) and, with ``group_of``, where the
    group of a chunk's first day changes."""
    runs: list[list[ChunkRecord]] = []
    for record in records:
        last = runs[-1][-1].range if runs else None
        first = record.range.start
        if (
            last is not None
            and last.end + timedelta(days=1) == first
            and (group_of is None or group_of(last.start) == group_of(first))
        ):
            runs[-1].append(record)
        else:
            runs.append([record])
    return runs


def _calendar_month(day: date) -> tuple[int, int]:
    return day.year, day.month


class TestedGroup(NamedTuple):
    """Which chunks one dbt build builds and tests together."""

    span: str  # as the console says it
    key: Callable[[date], object]  # chunks of one key are one group


# With per-chunk tests, consecutive pending chunks are built and tested by one
# dbt build, each chunk judged on its own (var backfill_test_period): day
# chunks a calendar month at a time, month chunks a season at a time. The
# group is what a failure or a crash costs: about one month chunk's build for
# a month of days, one work-table statement's season for months.
TESTED_GROUPS: dict[ChunkSize, TestedGroup] = {
    ChunkSize.DAY: TestedGroup("a calendar month", _calendar_month),
    ChunkSize.MONTH: TestedGroup("a season", season_of),
}


def _node_errors(invocation: Invocation) -> str:
    errors = [
        f"{n.resource_type} {n.name}: {n.message}"
        for n in invocation.nodes
        if n.status == "error" and n.resource_type not in ("test", "unit_test")
    ]
    return "; ".join(errors) or invocation.error or "dbt reported no detail"


def build_error(label: str, invocation: Invocation, failed: list[TestVerdict]) -> str:
    if failed:
        return f"{label} failed: " + "; ".join(v.headline() for v in failed)
    retried = " (transient; retries used up)" if invocation.transient else ""
    return f"{label} failed{retried}: {_node_errors(invocation)}"


def build_upstream(ctx: RunContext) -> None:
    """Seeds (the tests read them) and the upstream work tables, once per run.

    Staged, staging and intermediate are tables over the whole range, so the
    chunks, the final tests and the figures all read one consistent build; a
    resumed run stages the whole range again (seconds, like one dbt run).
    """
    seeds = ctx.invoke("seeds", "seed", window=ctx.window)
    upstream = ctx.invoke(
        "upstream work tables",
        "run",
        "--selector",
        UPSTREAM_SELECTOR,
        window=ctx.window,
    )
    for what, invocation in (
        ("loading the seeds", seeds),
        ("the upstream work tables", upstream),
    ):
        if not invocation.success:
            raise DbtError(f"{what} failed: {_node_errors(invocation)}")
    loaded = sum(n.resource_type == "seed" for n in seeds.nodes)
    built = sum(n.resource_type == "model" for n in upstream.nodes)
    upstream_text = (
        f"{built} staging and intermediate work tables built over {ctx.window.label}"
        if built
        else "staging and intermediate compile into each chunk's query "
        "(--no-stage-upstream)"
    )
    ctx.console.info(f"upstream: {loaded} seeds loaded, {upstream_text}")


def build(
    ctx: RunContext,
    label: str,
    window: DateRange,
    selector: str | None,
    warnings_named_later: bool = False,
    extra_vars: dict[str, str] | None = None,
) -> tuple[Invocation, list[TestVerdict]]:
    """``dbt build --selector`` over one window into the audit copy, or a plain
    ``dbt run`` of the summary without a selector (--no-chunk-tests)."""
    # One relation is written: dbt looks it up instead of listing every
    # relation of every schema first (~30 ms of each chunk here).
    flags = ["--no-populate-cache"]
    if ctx.microbatch:
        flags += window.event_time_flags()
    if selector is None:
        invocation = ctx.invoke(
            label, "run", "--select", MODEL_NAME, *flags, window=window
        )
        return invocation, []
    invocation = ctx.invoke(
        label,
        "build",
        "--selector",
        selector,
        *flags,
        window=window,
        extra_vars=extra_vars,
    )
    verdicts = judged(ctx, invocation, window, warnings_named_later, extra_vars)
    announce(ctx, label, verdicts)
    return invocation, verdicts


def build_sample(ctx: RunContext) -> None:
    """The sample week first, judged by its own test (pgs_sample_week_null_band)."""
    assert ctx.checkpoint is not None
    sample = ctx.settings.sample_range
    if ctx.options.skip_sample:
        ctx.console.info("sample week: skipped (--skip-sample)")
        return
    if not ctx.window.contains(sample):
        ctx.console.info(f"sample week {sample.label}: not inside the range, skipped")
        return
    done = ctx.checkpoint.sample
    if done is not None and not blocking(TestVerdict.from_dict(v) for v in done):
        ctx.console.info(f"sample week {sample.label}: passed earlier")
        return
    label = f"sample week {sample.label}"
    ctx.console.info(f"{label}: building and testing")
    invocation, verdicts = build(ctx, label, sample, SAMPLE_SELECTOR)
    ctx.checkpoint.sample = [v.to_dict() for v in verdicts]
    ctx.save()
    failed = blocking(verdicts)
    if failed:
        raise GateFailed(f"stopped by the {build_error(label, invocation, failed)}")
    if not invocation.success:
        raise ChunkFailed(build_error(label, invocation, []))
    ctx.console.info(f"{label}: {summary(verdicts)}")


def build_chunks(ctx: RunContext) -> None:
    assert ctx.checkpoint is not None
    todo = ctx.checkpoint.not_done()
    progress = Progress(
        ctx.console, len(ctx.checkpoint.chunks), ctx.checkpoint.chunks_done
    )
    grouped = TESTED_GROUPS.get(ctx.options.chunk_size)
    if ctx.options.chunk_tests and grouped is not None:
        for group in contiguous_runs(todo, grouped.key):
            _tested_group(ctx, group, progress)
    elif ctx.microbatch:
        for run in contiguous_runs(todo):
            _batch_run(ctx, run, progress)
    else:
        for record in todo:
            _chunk(ctx, record, progress)
    ctx.console.clear_bar()


def _chunk(ctx: RunContext, record: ChunkRecord, progress: Progress) -> None:
    assert ctx.checkpoint is not None
    window = record.range
    label = f"chunk {window.label}"
    started = time.monotonic()
    try:
        record.start_attempt()
        # a signal held back during this save arrives right after it
        ctx.save()
        progress.starting(window)
        invocation, verdicts = build(
            ctx,
            label,
            window,
            CHUNK_SELECTOR if ctx.options.chunk_tests else None,
            warnings_named_later=True,
        )
        record.invocation_id = invocation.invocation_id
        record.warnings = [v for v in problems(verdicts) if v.status == "warn"]
        failed = blocking(verdicts)
        if not invocation.success or failed:
            record.status = ChunkStatus.FAILED
            record.updated_at = now_iso()
            record.failed_tests = failed
            record.error = build_error(label, invocation, failed)
            record.duration_s = round(time.monotonic() - started, 3)
            ctx.checkpoint.status = RunStatus.FAILED
            ctx.save()
            raise ChunkFailed(record.error)
        # the post-hook's counts; a query only if they did not arrive
        figures = logged_summary_figures(
            invocation.range_figures, window
        ) or summary_figures(ctx.session, window)
        record.rows_written = figures.rows
        record.minutes_null_rate = figures.null_rate
        record.duration_s = round(time.monotonic() - started, 3)
        record.status = ChunkStatus.DONE
        record.updated_at = now_iso()
        ctx.save()
    except KeyboardInterrupt:
        if record.status is not ChunkStatus.DONE:  # done and saved: keep it
            record.status = ChunkStatus.INTERRUPTED
            record.updated_at = now_iso()
            record.error = "interrupted"
            record.duration_s = round(time.monotonic() - started, 3)
        ctx.checkpoint.status = RunStatus.INTERRUPTED
        ctx.save()
        raise
    progress.finished(window, figures.rows, pct(figures.null_rate), record.duration_s)


def _batch_run(ctx: RunContext, records: list[ChunkRecord], progress: Progress) -> None:
    """Consecutive chunks (days, or months on BigQuery) as the batches of one
    microbatch ``dbt run``, one batch per chunk, without per-chunk tests.

    dbt reports each batch as it ends and the checkpoint records it done at
    once, so a crash loses at most the batch being written. The rows of each
    day come from the summary's post-hook after the run. A batch that dbt
    reports failed after a signal arrived was cut short by it: it is recorded
    interrupted, never failed.
    """
    window, label = _start_run(ctx, records, progress)

    def on_event(message: EventMsg) -> None:
        if message.info.name != "LogBatchResult":
            return
        index = int(message.data.batch_index) - 1
        if not 0 <= index < len(records):
            return
        record = records[index]
        failed = str(message.data.status) in ("error", "skipped")
        if failed and interrupt_requested():
            return  # left running; mark_interrupted records it
        record.duration_s = round(float(message.data.execution_time), 3)
        record.updated_at = now_iso()
        if failed:
            record.status = ChunkStatus.FAILED
            record.error = f"batch {record.range.label}: {message.data.status}"
        else:
            record.status = ChunkStatus.DONE
        ctx.save()
        if not failed:
            progress.finished(record.range, None, "", record.duration_s)

    ctx.session.listeners.append(on_event)
    try:
        invocation, _ = build(ctx, label, window, None)
        counts = _daily_counts(ctx, invocation, window)
        raise_if_interrupted()
    except KeyboardInterrupt:
        ctx.mark_interrupted()
        raise
    finally:
        ctx.session.listeners.remove(on_event)
    for record in records:
        if record.status is ChunkStatus.RUNNING:  # dbt never reported it
            record.status = ChunkStatus.FAILED
            record.error = build_error(f"chunk {record.range.label}", invocation, [])
        if record.status is ChunkStatus.DONE:
            _record_figures(record, counts)
            progress.counted(record.rows_written or 0)
    _end_of_run(ctx, records)


def _tested_group(
    ctx: RunContext, records: list[ChunkRecord], progress: Progress
) -> None:
    """Consecutive chunks of one group (TESTED_GROUPS), with per-chunk tests, as
    one ``dbt build --selector backfill_chunk`` over the group: one range
    replacement writes every chunk, then the chunk tests run once over the
    group, each chunk judged on its own (var backfill_test_period: the chunk
    size).

    The group is the unit that is built, retried and resumed: a chunk is done
    only when its group's tests passed (_judge_group), and a failure or a
    signal leaves no chunk of it done. Each chunk's rows come from the
    summary's post-hook, and each chunk records its share of the group's
    build time.
    """
    started = time.monotonic()
    window, label = _start_run(ctx, records, progress)
    try:
        invocation, verdicts = build(
            ctx,
            label,
            window,
            CHUNK_SELECTOR,
            warnings_named_later=True,
            extra_vars={TEST_PERIOD_VAR: str(ctx.options.chunk_size)},
        )
        counts = _daily_counts(ctx, invocation, window)
        failed_days = _failing_days(ctx, blocking(verdicts))
        raise_if_interrupted()
    except KeyboardInterrupt:
        ctx.mark_interrupted()
        raise
    share = round((time.monotonic() - started) / len(records), 3)
    _judge_group(ctx, label, records, invocation, verdicts, failed_days)
    for record in records:
        record.duration_s = share
        if record.status is ChunkStatus.DONE:
            _record_figures(record, counts)
            progress.finished(
                record.range,
                record.rows_written,
                pct(record.minutes_null_rate),
                share,
            )
    _end_of_run(ctx, records)


def _start_run(
    ctx: RunContext, records: list[ChunkRecord], progress: Progress
) -> tuple[DateRange, str]:
    """Consecutive chunks marked running and saved before one dbt invocation
    builds them all; the range they span and its label."""
    window = DateRange(records[0].range.start, records[-1].range.end)
    for record in records:
        record.start_attempt()
    ctx.save()
    progress.starting(records[0].range)
    return window, f"chunks {window.label}"


def _daily_counts(
    ctx: RunContext, invocation: Invocation, window: DateRange
) -> dict[date, SummaryFigures]:
    """Each day's counts: the post-hook's, or one query if they did not arrive."""
    counts = logged_daily_figures(invocation.range_figures, window)
    return counts if counts is not None else daily_summary_figures(ctx.session, window)


def _record_figures(record: ChunkRecord, counts: dict[date, SummaryFigures]) -> None:
    figures = SummaryFigures.total(
        found for day, found in counts.items() if record.range.includes(day)
    )
    record.rows_written = figures.rows
    record.minutes_null_rate = figures.null_rate


def _end_of_run(ctx: RunContext, records: list[ChunkRecord]) -> None:
    """Saves the records of one dbt invocation; a failed chunk fails the run."""
    assert ctx.checkpoint is not None
    failed = [r for r in records if r.status is ChunkStatus.FAILED]
    if failed:
        ctx.checkpoint.status = RunStatus.FAILED
    ctx.save()
    if failed:
        first = next((r for r in failed if r.failed_tests), failed[0])
        raise ChunkFailed(
            f"{len(failed)} chunk(s) failed, first {first.range.label}: {first.error}"
        )


def _failing_days(
    ctx: RunContext, failed: list[TestVerdict]
) -> dict[str, list[date] | None]:
    """The days each failing test's stored rows name (None: they name none)."""
    return {v.name: failing_days(ctx.session, v) for v in failed}


def _judge_group(
    ctx: RunContext,
    label: str,
    records: list[ChunkRecord],
    invocation: Invocation,
    verdicts: list[TestVerdict],
    failed_days: dict[str, list[date] | None],
) -> None:
    """The verdict of a group of chunks, from its dbt build: every chunk is
    done when the build succeeded and no chunk test blocked; otherwise no chunk
    of the group is done (a resume rebuilds the group), each failing test is
    recorded on the chunks that hold the days its failing rows name (on every
    chunk when they name none), and the error of every chunk names the failing
    days."""
    failed = blocking(verdicts)
    warnings = [v for v in problems(verdicts) if v.status == "warn"]
    for record in records:
        record.invocation_id = invocation.invocation_id
        record.tested_in = label
        record.warnings = warnings
    if invocation.success and not failed:
        for record in records:
            record.status = ChunkStatus.DONE
            record.updated_at = now_iso()
        return
    named = sorted({day for days in failed_days.values() for day in days or []})
    where = (
        "failing days " + ", ".join(day.isoformat() for day in named)
        if named
        else "no failing day named by the rows"
    )
    error = f"{build_error(label, invocation, failed)} ({where})"
    for record in records:
        record.failed_tests = [
            v
            for v in failed
            if failed_days.get(v.name) is None
            or any(record.range.includes(day) for day in failed_days[v.name] or [])
        ]
        record.status = ChunkStatus.FAILED
        record.updated_at = now_iso()
        record.error = (
            error
            if record.failed_tests or not failed
            else f"not done, its group failed: {error}"
        )
