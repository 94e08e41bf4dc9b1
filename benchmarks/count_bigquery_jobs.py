"""How many BigQuery jobs a backfill issues, counted on the BigQuery API emulator.

    .venv/bin/python benchmarks/count_bigquery_jobs.py            # ~6 min here
    .venv/bin/python benchmarks/count_bigquery_jobs.py --output -

On BigQuery a backfill's time is its jobs: each statement dbt sends is a query
job with a second or more of latency, whatever its size. This script starts the
emulator (``make emulator``), loads generated raw data for three month chunks
(2021-11-01..2022-01-31) and runs the backfill runner in this process (its
Python API, the same code as ``nba-backfill --target bigquery``) at month
chunks with and without per-chunk tests. Every HTTP request the BigQuery client
sends is counted, by the runner step (the dbt invocation) it belongs to and the
dbt node that sent it: a query job (``jobs.insert`` / ``jobs.query``), a poll of
a job's results, or a metadata request (tables and datasets: get, list, create,
delete). Counting wraps the client's request function; every request still goes
to the emulator and is answered by it.

Each counted run starts from the same state: a warm-up run first creates the
live table, then every run changes the raw rows of the range (plus_minus + 1),
so each one builds, tests, diffs, backs up and publishes. The projection prices
each query job at --job-latency seconds, runs the tests of one dbt invocation
--threads at a time (the profile's threads), and prices each metadata request
at --metadata-latency seconds; polls are part of their job's latency.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

PROJECT_DIR = Path(__file__).resolve().parents[1]
sys.path[:0] = [
    str(PROJECT_DIR / "scripts"),
    str(PROJECT_DIR / "tests" / "python" / "bigquery"),
]

from backfill_runner import runner as backfill_runner  # noqa: E402
from backfill_runner.checkpoint import ChunkRecord  # noqa: E402
from backfill_runner.chunks import TESTED_GROUPS, contiguous_runs  # noqa: E402
from backfill_runner.dbt_session import DbtSession  # noqa: E402
from backfill_runner.plan import ChunkSize, DateRange, split_range  # noqa: E402
from backfill_runner.progress import Console  # noqa: E402
from backfill_runner.settings import RunOptions  # noqa: E402
from bq_emulator import running_emulator  # noqa: E402
from bq_harness import emulator_profile  # noqa: E402
from bq_raw_loader import load_raw_tables  # noqa: E402
from generate_raw_data import generate  # noqa: E402
from google.cloud.bigquery import _http as bigquery_http  # noqa: E402

WINDOW = DateRange(date(2021, 11, 1), date(2022, 1, 31))
FULL_WINDOW = DateRange(date(2021, 10, 1), date(2024, 5, 1))
PROFILE_THREADS = 8  # profiles.yml.example, target bigquery

# The runner's steps, by the dbt invocation that runs them.
STEPS = (
    ("inputs check", ("run-operation", "check_backfill_inputs")),
    ("target", ("compile",)),
    ("pre-flight", ("test", "backfill_preflight")),
    ("seeds", ("seed",)),
    ("upstream work tables", ("run", "backfill_upstream")),
    ("sample week", ("build", "backfill_sample")),
    ("chunks", ("build", "backfill_chunk")),
    ("chunks", ("run", "player_game_summary")),
    ("upstream tests (once)", ("test", "backfill_upstream_tests")),
    ("final validation", ("test", "backfill_final_validation")),
    ("final validation", ("test", "backfill_summary_validation")),
    ("failing rows", ("test", "--store-failures")),
    ("diff", ("run-operation", "diff_range")),
    ("publish (backup, record, MERGE)", ("run-operation", "publish_range")),
    ("figures and report", ("show",)),
)


def step_of(args: tuple[str, ...]) -> str:
    for name, needles in STEPS:
        if args[0] == needles[0] and all(n in args for n in needles[1:]):
            return name
    return " ".join(args[:3])


@dataclass
class Tally:
    """What one step sent: dbt invocations, jobs by node kind, metadata, polls."""

    invocations: int = 0
    jobs: Counter[str] = field(default_factory=Counter)
    metadata: int = 0
    polls: int = 0
    # per invocation: (test jobs, other jobs), for the projection
    per_invocation: list[list[int]] = field(default_factory=list)
    # what was sent, for --statements: (node, request or the job's SQL)
    sent: list[tuple[str, str]] = field(default_factory=list)

    @property
    def job_count(self) -> int:
        return sum(self.jobs.values())

    def seconds(self, job_s: float, metadata_s: float, threads: int) -> float:
        serial = sum(
            math.ceil(tests / threads) + other for tests, other in self.per_invocation
        )
        return serial * job_s + self.metadata * metadata_s


@dataclass
class Counting:
    """Counts every request of the BigQuery client, by step and node."""

    steps: dict[str, Tally] = field(default_factory=dict)
    _step: str = "parse"
    _local: threading.local = field(default_factory=threading.local)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def tally(self) -> Tally:
        return self.steps.setdefault(self._step, Tally())

    def start_invocation(self, args: tuple[str, ...]) -> None:
        with self._lock:
            self._step = step_of(args)
            tally = self.tally()
            tally.invocations += 1
            tally.per_invocation.append([0, 0])

    def request(self, method: str, path: str, data: Any) -> None:
        from dbt_common.events.contextvars import get_node_info

        node = get_node_info() or {}
        kind = str(node.get("resource_type") or "operation")
        name = f"{kind} {node.get('node_name') or ''}".strip()
        with self._lock:
            tally = self.tally()
            if method == "POST" and path.rstrip("/").endswith(("/jobs", "/queries")):
                tally.jobs[kind] += 1
                if tally.per_invocation:
                    tally.per_invocation[-1][0 if kind == "test" else 1] += 1
                query = (data or {}).get("configuration", {}).get("query", {})
                sql = str(query.get("query") or (data or {}).get("query") or "")
                tally.sent.append((name, "job: " + " ".join(sql.split())[:300]))
            elif method == "GET" and ("/queries/" in path or "/jobs/" in path):
                tally.polls += 1
            else:
                tally.metadata += 1
                tally.sent.append((name, f"{method} {path}"))


@contextmanager
def counted(counting: Counting) -> Iterator[None]:
    """The client's requests and the runner's dbt invocations, counted."""
    original_request = bigquery_http.Connection.api_request
    original_invoke = DbtSession.invoke

    def api_request(self: Any, method: str, path: str, *args: Any, **kw: Any) -> Any:
        counting.request(method, path, kw.get("data"))
        return original_request(self, method, path, *args, **kw)

    def invoke(self: DbtSession, *args: str, **kw: Any) -> Any:
        counting.start_invocation(args)
        return original_invoke(self, *args, **kw)

    bigquery_http.Connection.api_request = api_request  # type: ignore[method-assign]
    DbtSession.invoke = invoke  # type: ignore[method-assign]
    try:
        yield
    finally:
        bigquery_http.Connection.api_request = original_request  # type: ignore[method-assign]
        DbtSession.invoke = original_invoke  # type: ignore[method-assign]


def run_case(
    profiles_dir: Path, work_dir: Path, chunk_tests: bool
) -> tuple[int, Counting]:
    options = RunOptions(
        range=WINDOW,
        chunk_size=ChunkSize.MONTH,
        target="bigquery",
        project_dir=PROJECT_DIR,
        profiles_dir=profiles_dir,
        state_dir=work_dir / "state",
        report_dir=work_dir / "reports",
        resume=False,
        chunk_tests=chunk_tests,
        retries=0,
    )
    counting = Counting()
    with counted(counting):
        code = backfill_runner.execute(options, Console(stream=_Discard()))
    return code, counting


class _Discard:
    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass


def change_raw_rows(client: Any, project: str) -> None:
    """Every active gamebook row's plus_minus + 1: a corrected reload, so the
    next run has a diff and publishes (MERGE: the emulator has no UPDATE)."""
    client.query(
        f"merge `{project}.nba_raw.nbac_gamebook_player_stats` as raw_row "
        "using (select 1 as one) as change on true "
        "when matched and raw_row.player_status = 'active' "
        "and raw_row.plus_minus is not null "
        "then update set plus_minus = raw_row.plus_minus + 1"
    ).result()


def build_units(window: DateRange, chunk_tests: bool) -> int:
    """What the chunk step's jobs scale with over a window of month chunks: its
    groups with per-chunk tests (a season each, one dbt build and one set of
    test jobs), its chunks without them (one microbatch batch each)."""
    records = [
        ChunkRecord(start=chunk.start.isoformat(), end=chunk.end.isoformat())
        for chunk in split_range(window, ChunkSize.MONTH)
    ]
    if not chunk_tests:
        return len(records)
    return len(contiguous_runs(records, TESTED_GROUPS[ChunkSize.MONTH].key))


def render(
    cases: list[tuple[str, bool, Counting]],
    job_s: float,
    metadata_s: float,
    threads: int,
) -> str:
    chunks = len(split_range(WINDOW, ChunkSize.MONTH))
    out = [
        f"Window {WINDOW.start}..{WINDOW.end}, {chunks} month chunks. Query jobs "
        "by the dbt node that sent them (model, test, seed, operation: a "
        "run-operation macro or a hook), metadata requests, and the "
        f"projection at {job_s:g} s a job, {metadata_s:g} s a metadata request, "
        f"tests {threads} at a time.",
        "",
    ]
    for title, chunk_tests, counting in cases:
        unit = "group" if chunk_tests else "chunk"
        units = build_units(WINDOW, chunk_tests)
        full_units = build_units(FULL_WINDOW, chunk_tests)
        out += [
            f"### {title}",
            "",
            "| step | dbt invocations | query jobs | of them tests | metadata "
            "requests | job polls | projected, s |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        total = Tally()
        for step, tally in counting.steps.items():
            seconds = tally.seconds(job_s, metadata_s, threads)
            out.append(
                f"| {step} | {tally.invocations} | {tally.job_count} | "
                f"{tally.jobs['test']} | {tally.metadata} | {tally.polls} | "
                f"{seconds:.0f} |"
            )
            total.invocations += tally.invocations
            total.jobs.update(tally.jobs)
            total.metadata += tally.metadata
            total.polls += tally.polls
            total.per_invocation += tally.per_invocation
        seconds = total.seconds(job_s, metadata_s, threads)
        out.append(
            f"| **whole backfill** | {total.invocations} | {total.job_count} | "
            f"{total.jobs['test']} | {total.metadata} | {total.polls} | "
            f"{seconds:.0f} |"
        )
        chunk = counting.steps.get("chunks", Tally())
        chunk_s = chunk.seconds(job_s, metadata_s, threads)
        fixed_s = seconds - chunk_s
        out += [
            f"| one {unit} (chunks / {units}) | {chunk.invocations / units:.1f} | "
            f"{chunk.job_count / units:.1f} | {chunk.jobs['test'] / units:.1f} | "
            f"{chunk.metadata / units:.1f} | {chunk.polls / units:.1f} | "
            f"{chunk_s / units:.0f} |",
            "",
            f"Full window {FULL_WINDOW.start}..{FULL_WINDOW.end} "
            f"({len(split_range(FULL_WINDOW, ChunkSize.MONTH))} month chunks, "
            f"{full_units} {unit}s), projected: {fixed_s:.0f} s outside the "
            f"chunks + {full_units} x {chunk_s / units:.0f} s = "
            f"**{(fixed_s + full_units * chunk_s / units) / 60:.1f} min**.",
            "",
        ]
    return "\n".join(out)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--job-latency", type=float, default=1.5, metavar="S")
    parser.add_argument("--metadata-latency", type=float, default=0.3, metavar="S")
    parser.add_argument("--threads", type=int, default=PROFILE_THREADS)
    parser.add_argument(
        "--output", default="-", help="Markdown file for the tables, - for stdout"
    )
    parser.add_argument(
        "--statements",
        type=Path,
        help="also write every request of each case, by step, to this JSON file",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bigquery-jobs-") as folder:
        work = Path(folder)
        with running_emulator(work / "emulator") as emulator:
            raw = work / "raw.duckdb"
            generate(raw, seed=42, start_date=WINDOW.start, end_date=WINDOW.end)
            client = emulator.client()
            load_raw_tables(raw, client)
            profiles = work / "profiles"
            profiles.mkdir()
            profile = emulator_profile(emulator, "nba_analytics", args.threads)
            (profiles / "profiles.yml").write_text(yaml.safe_dump(profile))
            cases = []
            # warm-up: creates the live table, so each counted run replaces it
            run_case(profiles, work / "warm-up", chunk_tests=False)
            for title, chunk_tests in (
                ("Month chunks with per-chunk tests", True),
                ("Month chunks without per-chunk tests (one microbatch run)", False),
            ):
                change_raw_rows(client, emulator.project)
                code, counting = run_case(profiles, work / title[:20], chunk_tests)
                if code != 0:
                    raise SystemExit(f"{title}: the runner exited {code}")
                cases.append((title, chunk_tests, counting))
    table = render(cases, args.job_latency, args.metadata_latency, args.threads)
    if args.statements is not None:
        args.statements.write_text(
            json.dumps(
                {
                    title: {step: t.sent for step, t in counting.steps.items()}
                    for title, _, counting in cases
                },
                indent=1,
            )
        )
    if args.output == "-":
        print(table)
    else:
        Path(args.output).write_text(table + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
