"""How fast a backfill is, against the alternatives, and how it scales (issue 6).

    .venv/bin/python benchmarks/run_benchmarks.py --repeats 3 --scale-max 10

Measures, in one invocation, over the full window on the embedded DuckDB target:

1. the runner (scripts/backfill.py's Python API) at day, week and month chunks,
   with its per-chunk tests on and off (--no-chunk-tests);
2. the naive wrapper: one ``dbt run --vars ...`` subprocess per chunk;
3. the floor: one plain ``dbt build`` (and one ``dbt run``, and one bare
   microbatch ``dbt run --event-time-start/--event-time-end``) of the range;
4. scale: generated data at 1x, 3x, 10x and 27x (about all of NBA history) with
   month chunks, per million rows;
5. the runner process's peak RSS and its overhead per chunk: the chunk phase's
   wall time minus the SQL time dbt reports (the union of its nodes' ``execute``
   timings, so two threads running tests at once are not counted twice), and
   every process's CPU time (user + system, its children included);
6. with --compare-pre-wap, the runner before write-audit-publish (commit
   3bc57cc) at month chunks with per-chunk tests, and a second run of the same
   command (it reuses the saved parse).

Every measurement runs in its own process, on its own copy of the generated raw
data, with its own dbt target and state folders under --work-dir: nothing touches
the project's target folder or data/. Medians over --repeats; ratios are to the
floor measured in the same invocation (the machine is shared, so absolute times
move with its load while ratios hold).

The naive wrapper is slow per chunk (each subprocess starts Python, loads dbt and
parses the project again, as a change of --vars defeats partial parsing). Where a
chunk size has more chunks than --naive-max-chunks, that many evenly spaced
chunks are timed and the total is extrapolated (marked "extrapolated").

This file is the command line. The cases are in benchmark_cases.py (the runner's
own process in benchmark_runner_child.py), which cases run and how often in
benchmark_suite.py, the Markdown table in benchmark_rendering.py.
"""

from __future__ import annotations

import argparse
import json
import shutil
import signal
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime
from pathlib import Path

from benchmark_cases import PROJECT_DIR
from benchmark_rendering import render
from benchmark_runner_child import runner_child
from benchmark_suite import Config, run_suite

DEFAULT_OUTPUT = PROJECT_DIR / "benchmarks" / "results.md"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--repeats",
        type=int,
        default=3,
        help="runs of each case; the table shows medians (default 3)",
    )
    parser.add_argument(
        "--day-repeats",
        type=int,
        default=1,
        help="runs of the day- and week-chunk cases, the slowest (default 1); "
        "floors and month chunks get --repeats",
    )
    parser.add_argument(
        "--scale-max",
        type=int,
        default=10,
        help="largest data scale among 1, 3, 10, 27 (27x: about all of NBA "
        "history; default 10)",
    )
    parser.add_argument(
        "--naive-max-chunks",
        type=int,
        default=40,
        help="naive wrapper: time at most this many chunks per "
        "chunk size and extrapolate (default 40)",
    )
    parser.add_argument(
        "--sample-day-tests",
        type=int,
        default=0,
        metavar="N",
        help="day chunks with per-chunk tests: build only N days "
        "from 2022-01-03 and extrapolate the chunk phase; 0 builds "
        "them all (default; a month of days is one dbt build, so the "
        "full window takes minutes: extrapolating its per-group cost "
        "from a few days overstates it)",
    )
    parser.add_argument(
        "--compare-manifest-copy",
        action="store_true",
        help="also run month chunks with a deep copy of the "
        "manifest per invocation instead of the in-place reset",
    )
    parser.add_argument(
        "--compare-inline-upstream",
        action="store_true",
        help="also run month chunks with --no-stage-upstream: staging and "
        "intermediate compiled into every chunk's query instead of staged once",
    )
    parser.add_argument(
        "--compare-pre-wap",
        action="store_true",
        help="also run the pre-redesign runner (commit 3bc57cc, extracted with "
        "git archive into --work-dir, its own generator's data, this venv) at "
        "month chunks with per-chunk tests",
    )
    parser.add_argument(
        "--tiny",
        action="store_true",
        help="two weeks of data, one run of each case, scale 1 "
        "only: checks that the benchmark runs (CI), times mean "
        "nothing",
    )
    parser.add_argument(
        "--work-dir",
        type=Path,
        default=None,
        help="generated data, dbt targets and state (default: a "
        "temporary folder, removed at the end)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=DEFAULT_OUTPUT,
        help=f"Markdown file for the table (default {DEFAULT_OUTPUT}"
        "); '-' for stdout only",
    )
    parser.add_argument(
        "--only",
        metavar="PARTS",
        help="run only the cases whose key holds one of these comma-separated "
        "parts, e.g. floor,month,scale (keys: floor_build, floor_run, "
        "floor_microbatch, pre_wap_month_tests, runner_<size>_tests, "
        "runner_<size>_notests, runner_month_tests_rerun, naive_<size>, "
        "scale_<k>; =<key> selects that key alone)",
    )
    parser.add_argument("--runner-child", help=argparse.SUPPRESS)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.runner_child:
        return runner_child(json.loads(args.runner_child))
    if args.tiny:
        args.repeats, args.day_repeats, args.scale_max = 1, 1, 1
        args.naive_max_chunks = min(args.naive_max_chunks, 2)
    command = "python benchmarks/run_benchmarks.py " + " ".join(
        sys.argv[1:] if argv is None else argv
    )

    def log(message: str) -> None:
        print(f"[{datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    temporary = args.work_dir is None
    work_dir = args.work_dir or Path(tempfile.mkdtemp(prefix="nba-bench-"))
    config = Config(
        repeats=args.repeats,
        day_repeats=min(args.day_repeats, args.repeats),
        scale_max=args.scale_max,
        tiny=args.tiny,
        work_dir=work_dir.resolve(),
        output=None if str(args.output) == "-" else args.output,
        naive_max_chunks=args.naive_max_chunks,
        compare_manifest_copy=args.compare_manifest_copy,
        compare_inline_upstream=args.compare_inline_upstream,
        sample_day_tests=0 if args.tiny else args.sample_day_tests,
        only=tuple(p for p in (args.only or "").split(",") if p),
        compare_pre_wap=args.compare_pre_wap,
    )
    try:
        suite = run_suite(config, log)
        text = render(suite, command.strip())
        raw = {
            key: [asdict(s) for s in case.samples]
            for key, case in suite["cases"].items()
        }
    finally:
        if temporary:
            shutil.rmtree(work_dir, ignore_errors=True)
    print(text)
    if config.output is not None:
        config.output.parent.mkdir(parents=True, exist_ok=True)
        config.output.write_text(text)
        config.output.with_suffix(".json").write_text(json.dumps(raw, indent=1) + "\n")
        log(f"wrote {config.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
