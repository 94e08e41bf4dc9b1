"""``generate()``: window, seasons, simulation and load, tied together."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from demo_data.feeds import game_rows
from demo_data.games import SeasonContext, simulate_game
from demo_data.gaps import NO_GAPS, GapRates, plan_gaps
from demo_data.quirks import plan_quirks
from demo_data.schedule_feed import schedule_row
from demo_data.scheduled_games import ALL_STAR, PRESEASON
from demo_data.schema import BDL, GAMEBOOK, SCHEDULE
from demo_data.season_calendar import build_calendar
from demo_data.season_dates import season_of
from demo_data.teams_players import build_injuries, build_rosters, team_strengths
from demo_data.writer import RawTableWriter

DEFAULT_DB = Path("data/nba.duckdb")
DEFAULT_SEED = 42
DEFAULT_SCALE = 1
DEFAULT_START = date(2021, 10, 1)
DEFAULT_END = date(2024, 5, 1)


@dataclass(frozen=True, slots=True)
class GenerationSummary:
    """What ``generate()`` wrote: the covered window and row counts per table."""

    db_path: Path
    seed: int
    scale: int
    start_date: date
    end_date: date
    seasons: tuple[int, ...]
    first_game_date: date | None
    last_game_date: date | None
    schedule_rows: int
    gamebook_rows: int
    gamebook_active_rows: int
    bdl_rows: int
    games: int
    game_dates: int  # dates with a regular-season, play-in or playoff game
    elapsed_seconds: float
    rows_by_season: dict[int, tuple[int, int, int]] = field(default_factory=dict)

    @property
    def row_counts(self) -> dict[str, int]:
        """Rows per raw table."""
        return {
            SCHEDULE: self.schedule_rows,
            GAMEBOOK: self.gamebook_rows,
            BDL: self.bdl_rows,
        }


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def resolve_window(
    start_date: date, end_date: date, scale: int
) -> tuple[date, date, tuple[int, ...]]:
    """The window after scaling: ``scale`` times the seasons, extending the end.

    The default 2021-10-01 .. 2024-05-01 touches three seasons; scale 3 gives nine
    (2021-22 .. 2029-30), ending 2030-05-01.
    """
    if scale < 1:
        raise ValueError("scale must be >= 1")
    if end_date < start_date:
        raise ValueError("end_date must not be before start_date")
    first, last = season_of(start_date), season_of(end_date)
    touched = last - first + 1
    end = _add_years(end_date, (scale - 1) * touched)
    return start_date, end, tuple(range(first, season_of(end) + 1))


def generate(
    db_path: Path = DEFAULT_DB,
    seed: int = DEFAULT_SEED,
    scale: int = DEFAULT_SCALE,
    start_date: date = DEFAULT_START,
    end_date: date = DEFAULT_END,
    progress: Callable[[str], None] | None = None,
    gaps: GapRates | None = None,
) -> GenerationSummary:
    """Fill ``nba_raw`` of the DuckDB file ``db_path`` with deterministic demo data.

    Only games dated inside the (scaled) window are written. The schema ``nba_raw`` is
    replaced in one transaction; other schemas in the file are left alone. ``gaps``
    sets how often the real-world gaps occur (default: ``GapRates()``).
    """
    rates = gaps or GapRates()
    started = time.perf_counter()
    report = progress or (lambda message: print(message, file=sys.stderr))
    start, end, seasons = resolve_window(start_date, end_date, scale)
    players, rosters = build_rosters(seed, seasons)
    game_days: set[date] = set()
    all_days: set[date] = set()
    games = active = 0
    by_season: dict[int, tuple[int, int, int]] = {}
    with RawTableWriter() as writer:
        for season in seasons:
            season_started = time.perf_counter()
            before = dict(writer.counts)
            strengths = team_strengths(seed, season)
            calendar = build_calendar(seed, season, strengths)
            plans = plan_quirks(seed, calendar)
            gap_plans = plan_gaps(seed, calendar, rates)
            season_rosters = rosters[season]
            ctx = SeasonContext(
                seed=seed,
                players=players,
                rosters=season_rosters,
                injuries=build_injuries(seed, season, season_rosters.player_ids()),
                strengths=strengths,
                overtime_share=rates.overtime,
            )
            schedule: list[tuple[date, str, tuple[object, ...]]] = [
                (game.game_date, game.nba_game_id, schedule_row(game, None, seed))
                for game in calendar.postponed
                if start <= game.game_date <= end
            ]
            for game in calendar.games:
                if not start <= game.game_date <= end:
                    continue
                result = simulate_game(ctx, game)
                schedule.append(
                    (game.game_date, game.nba_game_id, schedule_row(game, result, seed))
                )
                rows = game_rows(
                    result,
                    plans[game.nba_game_id],
                    seed,
                    gap_plans.get(game.nba_game_id, NO_GAPS),
                )
                writer.write(GAMEBOOK, rows.gamebook)
                writer.write(BDL, rows.bdl)
                active += rows.gamebook_active
                games += 1
                all_days.add(game.game_date)
                if game.kind not in (PRESEASON, ALL_STAR):
                    game_days.add(game.game_date)
            schedule.sort(key=lambda item: (item[0], item[1]))
            writer.write(SCHEDULE, (row for _, _, row in schedule))
            counts = tuple(
                writer.counts[table] - before[table]
                for table in (SCHEDULE, GAMEBOOK, BDL)
            )
            by_season[season] = (counts[0], counts[1], counts[2])
            report(
                f"season {season}-{(season + 1) % 100:02d}: "
                f"schedule {counts[0]:,} rows, "
                f"gamebook {counts[1]:,}, bdl {counts[2]:,} "
                f"({time.perf_counter() - season_started:.1f} s)"
            )
        writer.load(Path(db_path))
        counts_total = dict(writer.counts)
    return GenerationSummary(
        db_path=Path(db_path),
        seed=seed,
        scale=scale,
        start_date=start,
        end_date=end,
        seasons=seasons,
        first_game_date=min(all_days, default=None),
        last_game_date=max(all_days, default=None),
        schedule_rows=counts_total[SCHEDULE],
        gamebook_rows=counts_total[GAMEBOOK],
        gamebook_active_rows=active,
        bdl_rows=counts_total[BDL],
        games=games,
        game_dates=len(game_days),
        elapsed_seconds=time.perf_counter() - started,
        rows_by_season=by_season,
    )
