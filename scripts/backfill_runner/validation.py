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
from backfill_runner.verdicts import TestVerdict, problems, summary, verdicts_of

# The runner's selections, defined in selectors.yml
UPSTREAM_SELECTOR = "backfill_upstream"
TESTS_SELECTOR = "backfill_tests"
CHUNK_SELECTOR = "backfill_chunk"
SAMPLE_SELECTOR = "backfill_sample"
FINAL_SELECTOR = "backfill_final_validation"
PREFLIGHT_SELECTOR = "backfill_preflight"


def announce(ctx: RunContext, where: str, verdicts: Sequence[TestVerdict]) -> None:
    """Every failing or warning test with its first rows, then the summary."""
    for verdict in problems(verdicts):
        say = ctx.console.warn if verdict.status == "warn" else ctx.console.error
        say(f"{where}: {verdict.headline()}")
        for line in verdict.row_lines():
            say(f"    {line}")


def judged(
    ctx: RunContext, invocation: Invocation, window: DateRange
) -> list[TestVerdict]:
    """The invocation's test verdicts, with the failing rows named."""
    verdicts = verdicts_of(invocation)
    name_failing_rows(ctx.session, verdicts, window, store=ctx.store_failures)
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


def final_validation(ctx: RunContext) -> list[TestVerdict]:
    """Every test once over the whole range, on the audit copy."""
    return run_tests(ctx, "final validation", FINAL_SELECTOR, ctx.window)
