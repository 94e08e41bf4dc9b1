"""Command line: parse the arguments into RunOptions and hand them to the runner."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from backfill_runner.errors import EXIT_USAGE, UsageError
from backfill_runner.plan import ChunkSize, make_range
from backfill_runner.progress import Console
from backfill_runner.runner import execute
from backfill_runner.settings import DEFAULT_PRICE_PER_TIB_USD, RunOptions

PROJECT_DIR = Path(__file__).resolve().parents[2]

DESCRIPTION = """\
Rebuild nba_analytics.player_game_summary from the raw box scores over a date
range, one chunk at a time, with the validation gates of docs/domain.md.

Write, audit, publish: nothing reaches the live table before dbt's tests pass.
Order of work: the pre-flight tests of the raw tables (read-only), the sample
week, every chunk as one `dbt build --selector backfill_chunk` into the audit
copy (schema nba_backfill_audit), `dbt test` over the whole range, the diff of
the audit copy against the live table, then the publish (one atomic step, the
replaced rows backed up first) and a report (Markdown + PNG chart). Progress is
saved in a checkpoint after every chunk; a rerun resumes it."""

EPILOG = """\
exit codes:
  0    audited and published, or audited with --no-publish (warnings may have
       been printed)
  1    a dbt test failed (the message names it and its first failing rows),
       a chunk failed, or another runner holds the target; nothing published
  2    bad usage or input: bad dates, a reversed range, options that do not fit
       together, a target the profile lacks, a bad var, a DuckDB file that does
       not exist, raw data that breaks the raw contract (checked before any write)
  130  interrupted (Ctrl-C or SIGTERM); the checkpoint is intact, rerun to resume

example:
  nba-backfill --start-date 2021-10-01 --end-date 2024-05-01"""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="nba-backfill",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--start-date",
        required=True,
        metavar="YYYY-MM-DD",
        help="first game date of the range (inclusive)",
    )
    parser.add_argument(
        "--end-date",
        required=True,
        metavar="YYYY-MM-DD",
        help="last game date of the range (inclusive)",
    )
    parser.add_argument(
        "--chunk-size",
        choices=[size.value for size in ChunkSize],
        default=ChunkSize.MONTH.value,
        help="build the range by calendar day, ISO week or month (default: month)",
    )
    parser.add_argument(
        "--target",
        default=os.environ.get("NBA_TARGET", "duckdb"),
        help="dbt target of profiles.yml: duckdb (embedded) or bigquery; any "
        "other name exits 2 (default: $NBA_TARGET, else duckdb)",
    )
    parser.add_argument(
        "--resume",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="--resume (default) rebuilds only the chunks of the checkpoint that are "
        "not done (failed, interrupted, never started), in date order, and does not "
        "rebuild a completed range; --no-resume discards the checkpoint and rebuilds "
        "every chunk (the backup of an unfinished run is kept for --rollback)",
    )
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="print the plan (chunks, pre-flight figures, rows each chunk would "
        "replace) and write nothing: no table, no checkpoint, no backup, no lock",
    )
    parser.add_argument(
        "--price-per-tib",
        type=float,
        default=DEFAULT_PRICE_PER_TIB_USD,
        metavar="USD",
        help="on the BigQuery target, --dry-run submits each chunk's query as a "
        "BigQuery dry-run job and prints the bytes it would process, with their "
        "on-demand cost at this price per TiB (default: %(default)s, BigQuery's "
        "US on-demand price)",
    )
    parser.add_argument(
        "--skip-sample",
        action="store_true",
        help="do not build and gate the sample week before the chunks",
    )
    parser.add_argument(
        "--chunk-tests",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="--chunk-tests (default) builds each chunk with its gate_chunk tests "
        "and stops at the first chunk that fails one; --no-chunk-tests builds the "
        "chunks with dbt run and leaves every test to the final validation over "
        "the whole range (faster with day chunks; a bad chunk is found at the end, "
        "and --rollback restores the range)",
    )
    parser.add_argument(
        "--stage-upstream",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="--stage-upstream (default) builds staging and intermediate once per "
        "run as work tables in schema nba_backfill_work over the whole range, and "
        "each chunk reads its days from them; --no-stage-upstream compiles them "
        "into every chunk's query, as a plain dbt run does (several times slower "
        "with small chunks: benchmarks/README.md)",
    )
    parser.add_argument(
        "--retries",
        type=int,
        default=3,
        metavar="N",
        help="retries of a dbt command that failed on a transient error (connection, "
        "rate limit), with exponential backoff; other errors are never retried "
        "(default: 3)",
    )
    parser.add_argument(
        "--retry-backoff",
        type=float,
        default=5.0,
        metavar="SECONDS",
        help="first backoff delay, doubled at each retry up to 60s (default: 5)",
    )
    parser.add_argument(
        "--log-file",
        type=Path,
        metavar="PATH",
        help="append every message to this file (default: "
        ".backfill/logs/backfill_<target>_<range>.log; a dry run logs only here)",
    )
    parser.add_argument(
        "--publish",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="--publish (default) replaces the range in the live table once every "
        "blocking test passed; --no-publish stops after the tests, the diff and "
        "the report (a plan of what a publish would change)",
    )
    parser.add_argument(
        "--publish-only",
        action="store_true",
        help="publish a range whose chunks are all built and audited, without "
        "rebuilding them: the final tests and the diff run again, and the raw "
        "rows must be the ones it was built from",
    )
    parser.add_argument(
        "--rollback",
        action="store_true",
        help="restore the rows the newest publish of exactly this range replaced, "
        "from the backup it took (recorded in nba_analytics.backfill_publishes)",
    )
    paths = parser.add_argument_group("paths")
    paths.add_argument(
        "--project-dir",
        type=Path,
        default=PROJECT_DIR,
        help="the dbt project (default: this repository)",
    )
    paths.add_argument(
        "--profiles-dir",
        type=Path,
        default=None,
        help="folder with profiles.yml (default: $DBT_PROFILES_DIR, else the "
        "project folder)",
    )
    paths.add_argument(
        "--state-dir",
        type=Path,
        default=None,
        help="checkpoints, locks, logs and dbt artifacts (default: "
        "<project>/.backfill)",
    )
    paths.add_argument(
        "--report-dir",
        type=Path,
        default=None,
        help="where the report goes (default: <project>/reports)",
    )
    return parser


def options_from_args(args: argparse.Namespace) -> RunOptions:
    project_dir = args.project_dir.resolve()
    profiles_dir = args.profiles_dir or Path(
        os.environ.get("DBT_PROFILES_DIR") or project_dir
    )
    return RunOptions(
        range=make_range(args.start_date, args.end_date),
        chunk_size=ChunkSize(args.chunk_size),
        target=args.target,
        project_dir=project_dir,
        profiles_dir=profiles_dir.resolve(),
        state_dir=(args.state_dir or project_dir / ".backfill").resolve(),
        report_dir=(args.report_dir or project_dir / "reports").resolve(),
        log_file=args.log_file.resolve() if args.log_file else None,
        resume=args.resume,
        dry_run=args.dry_run,
        skip_sample=args.skip_sample,
        chunk_tests=args.chunk_tests,
        stage_upstream=args.stage_upstream,
        rollback=args.rollback,
        publish=args.publish,
        publish_only=args.publish_only,
        retries=args.retries,
        retry_backoff_s=args.retry_backoff,
        price_per_tib=args.price_per_tib,
    )


def main(argv: Sequence[str] | None = None, console: Console | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        options = options_from_args(args)
    except UsageError as error:
        parser.print_usage(sys.stderr)
        print(f"{parser.prog}: error: {error}", file=sys.stderr)
        return error.exit_code
    return execute(options, console)
