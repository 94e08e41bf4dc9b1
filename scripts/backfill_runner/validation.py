"""The runner's dbt test steps and how their verdicts are shown.

Each step is one dbt invocation of a named selection (selectors.yml) over a
range; its verdicts are dbt's result objects, and the failing and warning tests
get their first rows named (failing_rows.py). Nothing here computes a figure to
judge: a rule lives in its dbt test alone.
"""

from __future__ import annotations

from collections.abc import Sequence

from backfill_runner.context import RunContext
from backfill_runner.dbt_session import Invocation
from backfill_runner.errors import DbtError
from backfill_runner.failing_rows import name_failing_rows
from backfill_runner.plan import DateRange
from backfill_runner.verdicts import (
    TestVerdict,
    blocking,
    problems,
    summary,
    verdicts_of,
)

# The runner's selections, defined in selectors.yml
UPSTREAM_SELECTOR = "backfill_upstream"
TESTS_SELECTOR = "backfill_tests"
CHUNK_SELECTOR = "backfill_chunk"
SAMPLE_SELECTOR = "backfill_sample"
FINAL_SELECTOR = "backfill_final_validation"
UPSTREAM_TESTS_SELECTOR = "backfill_upstream_tests"
SUMMARY_VALIDATION_SELECTOR = "backfill_summary_validation"
PREFLIGHT_SELECTOR = "backfill_preflight"


def announce(ctx: RunContext, where: str, verdicts: Sequence[TestVerdict]) -> None:
    """Every failing or warning test with its first rows, then the summary."""
    for verdict in problems(verdicts):
        say = ctx.console.warn if verdict.status == "warn" else ctx.console.error
        say(f"{where}: {verdict.headline()}")
        for line in verdict.row_lines():
            say(f"    {line}")


# A chunk's warnings without a failure: the same test runs over the whole range
# in the final validation, which names its rows (a warning blocks nothing).
ROWS_IN_FINAL_VALIDATION = (
    "named by the final validation, which runs this test over the whole range"
)


def judged(
    ctx: RunContext,
    invocation: Invocation,
    window: DateRange,
    warnings_named_later: bool = False,
    extra_vars: dict[str, str] | None = None,
) -> list[TestVerdict]:
    """The invocation's test verdicts, with the failing rows named (by the
    tests run again with the invocation's vars, ``extra_vars`` included).

    With ``warnings_named_later`` (a chunk) warnings alone are not run again
    with --store-failures: each is a test the final validation runs over the
    whole range and names there. A chunk that fails names every row at once."""
    verdicts = verdicts_of(invocation)
    if warnings_named_later and not blocking(verdicts):
        for verdict in problems(verdicts):
            verdict.rows_named_in = ROWS_IN_FINAL_VALIDATION
        return verdicts
    name_failing_rows(
        ctx.session, verdicts, window, store=ctx.store_failures, extra_vars=extra_vars
    )
    return verdicts


def run_tests(
    ctx: RunContext, what: str, selector: str, window: DateRange
) -> list[TestVerdict]:
    """``dbt test --selector`` over a range: every verdict, announced."""
    invocation = ctx.invoke(what, "test", "--selector", selector, window=window)
    verdicts = judged(ctx, invocation, window)
    if not invocation.success and not problems(verdicts):
        raise DbtError(f"{what} could not run: {invocation.error}")
    announce(ctx, what, verdicts)
    ctx.console.info(f"{what}: {summary(verdicts)} ({window.label})")
    return verdicts


def preflight(ctx: RunContext) -> list[TestVerdict]:
    """The raw tables' tests over the range, before anything is written."""
    return run_tests(ctx, "pre-flight", PREFLIGHT_SELECTOR, ctx.window)


def upstream_tests(ctx: RunContext) -> list[TestVerdict]:
    """With per-chunk tests: the tests of the upstream models, sources and seeds,
    once over the whole range, right after the upstream is built and before any
    chunk. The chunks do not change those tables, so running them per chunk
    repeated the same verdicts (half of a month chunk's tests); the final
    validation then leaves them out. Without per-chunk tests every test waits
    for the final validation."""
    if not ctx.options.chunk_tests:
        return []  # upstream_verdicts stays None: the final validation runs them
    ctx.upstream_verdicts = run_tests(
        ctx, "upstream tests", UPSTREAM_TESTS_SELECTOR, ctx.window
    )
    return ctx.upstream_verdicts


def final_validation(ctx: RunContext) -> list[TestVerdict]:
    """Every test once over the whole range, on the audit copy: the upstream
    tests' verdicts of this run and every other test now."""
    if ctx.upstream_verdicts is None:
        return run_tests(ctx, "final validation", FINAL_SELECTOR, ctx.window)
    rest = run_tests(ctx, "final validation", SUMMARY_VALIDATION_SELECTOR, ctx.window)
    return [*ctx.upstream_verdicts, *rest]
