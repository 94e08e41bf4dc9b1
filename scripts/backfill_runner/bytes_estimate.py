"""What a BigQuery backfill would bill, estimated before anything is written.

A dry run on the BigQuery target compiles each chunk's query (dbt compile of the
summary with the chunk's vars) and submits it as a BigQuery dry-run job
(``QueryJobConfig(dry_run=True)``): BigQuery plans it, reads nothing, bills
nothing and answers with the bytes it would process. The cost is those bytes at
the on-demand price per TiB (``--price-per-tib``).

A dry run builds no work tables, so each chunk's query is compiled with staging
and intermediate inline (they read the raw partitions of the chunk, which a real
run reads once in its upstream step). The client is dbt-bigquery's own, made
from the target's credentials as dbt renders them from profiles.yml.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from backfill_runner.dbt_session import DbtSession
from backfill_runner.errors import DbtError
from backfill_runner.plan import DateRange
from backfill_runner.settings import MODEL_NAME

TIB = 1024**4
_UNITS = ("B", "KiB", "MiB", "GiB", "TiB", "PiB")


@dataclass(frozen=True, slots=True)
class ChunkBytes:
    """One chunk's estimate: the bytes BigQuery would process, or why unknown."""

    chunk: DateRange
    bytes_processed: int | None
    error: str | None = None


def format_bytes(count: int) -> str:
    value = float(count)
    for unit in _UNITS:
        if abs(value) < 1024 or unit == _UNITS[-1]:
            return f"{value:,.0f} {unit}" if unit == "B" else f"{value:,.2f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")


def cost_usd(count: int, price_per_tib: float) -> float:
    return count / TIB * price_per_tib


def estimate_lines(estimates: list[ChunkBytes], price_per_tib: float) -> list[str]:
    """The dry run's bytes table: one line per chunk, then the total."""
    lines = [
        "bytes each chunk's query would process (BigQuery dry-run jobs; "
        f"on-demand cost at {price_per_tib:g} USD/TiB):",
        f"  {'#':>4}  {'chunk':<23} {'bytes':>14} {'cost, USD':>10}",
    ]
    for index, estimate in enumerate(estimates, start=1):
        count = estimate.bytes_processed
        if count is None:
            figures = f"{'unknown':>14} {'':>10}  {estimate.error}"
        else:
            figures = (
                f"{format_bytes(count):>14} {cost_usd(count, price_per_tib):>10.4f}"
            )
        lines.append(f"  {index:>4}  {estimate.chunk.label:<23} {figures}")
    known = [e.bytes_processed for e in estimates if e.bytes_processed is not None]
    total = sum(known)
    unknown = len(estimates) - len(known)
    lines.append(
        f"  total: {format_bytes(total)}, {cost_usd(total, price_per_tib):.4f} USD"
        + (
            f" ({unknown} of {len(estimates)} chunks unknown: the total counts "
            "the others)"
            if unknown
            else ""
        )
    )
    return lines


def chunk_query(session: DbtSession, chunk: DateRange) -> str:
    """The summary's SELECT for one chunk, as dbt compiles it."""
    invocation = session.invoke(
        "compile",
        "--select",
        MODEL_NAME,
        "--indirect-selection",
        "empty",
        "--no-populate-cache",
        dbt_vars=chunk.as_vars(),
    )
    results = getattr(invocation.raw_result, "results", None)
    if not invocation.success or not results:
        raise DbtError(f"dbt compile of {MODEL_NAME} failed: {invocation.error}")
    return str(results[0].node.compiled_code)


def bigquery_client(project_dir: Path, profiles_dir: Path, target: str) -> Any:
    """dbt-bigquery's client for the target, from the credentials dbt renders."""
    import yaml
    from dbt.adapters.bigquery.clients import create_bigquery_client
    from dbt.config.profile import Profile, read_profile
    from dbt.config.renderer import ProfileRenderer
    from dbt_common.context import set_invocation_context

    set_invocation_context(dict(os.environ))
    project = yaml.safe_load((project_dir / "dbt_project.yml").read_text()) or {}
    profile = Profile.from_raw_profiles(
        read_profile(str(profiles_dir)),
        str(project.get("profile", "")),
        ProfileRenderer({}),
        target_override=target,
    )
    return create_bigquery_client(profile.credentials)


def dry_run_bytes(client: Any, sql: str) -> int:
    """The bytes BigQuery would process for sql: a dry-run job, nothing runs."""
    from google.cloud import bigquery

    job = client.query(
        sql, job_config=bigquery.QueryJobConfig(dry_run=True, use_query_cache=False)
    )
    return int(job.total_bytes_processed or 0)


def estimate_chunks(
    chunks: list[DateRange],
    query_of: Callable[[DateRange], str],
    bytes_of: Callable[[str], int],
) -> list[ChunkBytes]:
    """Every chunk's estimate; a chunk BigQuery refuses is unknown, with why."""
    estimates = []
    for chunk in chunks:
        sql = query_of(chunk)  # a compile error is the project's, not BigQuery's
        try:
            count: int | None = bytes_of(sql)
            error = None
        except Exception as refused:  # BigQuery's answer, whatever its class
            count, error = None, _first_line(str(refused))
        estimates.append(ChunkBytes(chunk, count, error))
    return estimates


def _first_line(text: str) -> str:
    return (text.strip().splitlines() or ["no detail"])[0][:200]
