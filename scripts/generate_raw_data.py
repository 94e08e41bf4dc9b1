"""Generate deterministic demo raw data into the ``nba_raw`` schema of a DuckDB file.

    nba-demo-data --db data/nba.duckdb --seed 42 --scale 1 \\
        --start-date 2021-10-01 --end-date 2024-05-01

(``python scripts/generate_raw_data.py`` runs the same.)

Fills ``nba_raw.nbac_schedule``, ``nba_raw.nbac_gamebook_player_stats`` and
``nba_raw.bdl_player_boxscores`` (the raw contract of docs/domain.md) with the shape,
magnitudes and quirks that page describes. The same seed gives identical tables.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from demo_data.gaps import (
    INCOMPLETE_BOX_SCORE_RATE,
    OVERTIME_RATE,
    WITHOUT_INACTIVE_RATE,
    GapRates,
)
from demo_data.pipeline import (
    DEFAULT_DB,
    DEFAULT_END,
    DEFAULT_SCALE,
    DEFAULT_SEED,
    DEFAULT_START,
    GenerationSummary,
    generate,
    resolve_window,
)

__all__ = ["GenerationSummary", "build_parser", "generate", "main", "resolve_window"]


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not a date in YYYY-MM-DD form: {text!r}"
        ) from None


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be >= 1, got {value}")
    return value


def _share(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, got {value}")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The command-line interface."""
    parser = argparse.ArgumentParser(
        description="Generate deterministic demo raw data (nba_raw) into a DuckDB file."
    )
    parser.add_argument(
        "--db",
        type=Path,
        default=DEFAULT_DB,
        help=f"DuckDB file (default {DEFAULT_DB})",
    )
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help="random seed (default 42)"
    )
    parser.add_argument(
        "--scale",
        type=_positive_int,
        default=DEFAULT_SCALE,
        help="k >= 1: k times the seasons, extending the window forward (default 1)",
    )
    parser.add_argument(
        "--start-date",
        type=_iso_date,
        default=DEFAULT_START,
        help="first day (default 2021-10-01)",
    )
    parser.add_argument(
        "--end-date",
        type=_iso_date,
        default=DEFAULT_END,
        help="last day (default 2024-05-01)",
    )
    gaps = parser.add_argument_group(
        "real-world gaps", "how often the feeds carry the gaps of real box scores"
    )
    gaps.add_argument(
        "--incomplete-box-score-rate",
        type=_share,
        default=INCOMPLETE_BOX_SCORE_RATE,
        help="share of team-games whose box score lacks a player who played (both "
        "feeds; about 216 of 240 team minutes; default "
        f"{INCOMPLETE_BOX_SCORE_RATE})",
    )
    gaps.add_argument(
        "--without-inactive-rate",
        type=_share,
        default=WITHOUT_INACTIVE_RATE,
        help="share of games whose feeds list no inactive players "
        f"(1 gives a feed without inactive players; default {WITHOUT_INACTIVE_RATE})",
    )
    gaps.add_argument(
        "--overtime-rate",
        type=_share,
        default=OVERTIME_RATE,
        help="share of games that go to overtime; Ball Don't Lie's period is the "
        f"last period played (default {OVERTIME_RATE})",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments, generate, print the summary; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.end_date < args.start_date:
        parser.error(
            f"argument --end-date: {args.end_date} is before "
            f"--start-date {args.start_date}"
        )
    summary = generate(
        db_path=args.db,
        seed=args.seed,
        scale=args.scale,
        start_date=args.start_date,
        end_date=args.end_date,
        gaps=GapRates(
            incomplete_box_score=args.incomplete_box_score_rate,
            without_inactive=args.without_inactive_rate,
            overtime=args.overtime_rate,
        ),
    )
    print(
        f"wrote {summary.db_path}: {summary.start_date} .. {summary.end_date} "
        f"(seasons {summary.seasons[0]}-{(summary.seasons[0] + 1) % 100:02d} .. "
        f"{summary.seasons[-1]}-{(summary.seasons[-1] + 1) % 100:02d}), "
        f"{summary.games:,} games, {summary.game_dates:,} dates with regular-season, "
        f"play-in or playoff games; nbac_schedule {summary.schedule_rows:,}, "
        f"nbac_gamebook_player_stats {summary.gamebook_rows:,} "
        f"({summary.gamebook_active_rows:,} active), "
        f"bdl_player_boxscores {summary.bdl_rows:,}; "
        f"took {summary.elapsed_seconds:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
