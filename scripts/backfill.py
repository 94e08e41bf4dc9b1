"""Backfill player_game_summary over a date range: see --help.

The installed command is ``nba-backfill``; this shim runs the same from a clone:
python scripts/backfill.py --start-date 2021-10-01 --end-date 2024-05-01
"""

from __future__ import annotations

import sys

from backfill_runner.cli import main

if __name__ == "__main__":
    sys.exit(main())
