"""Real-world gaps of public feeds, at rates the user chooses.

Real box scores are not tidy (docs/domain.md, "What real feeds look like"): about
one team-game in a thousand lacks a player who played, some feeds list the
players who did not play but not the inactive ones, and about 6% of games go to
overtime. The default demo data carries a few incomplete box scores, so the
backfill shows how one is found and acknowledged (seeds/acknowledged_raw_defects.csv).

Gaps draw from their own random stream, so changing a rate moves no other quirk.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from demo_data.scheduled_games import ALL_STAR, PRESEASON, SeasonCalendar

# About one team-game in a thousand lacks a player who played (docs/domain.md,
# "What real feeds look like").
INCOMPLETE_BOX_SCORE_RATE = 0.001
WITHOUT_INACTIVE_RATE = 0.0
OVERTIME_RATE = 0.06
# The player left out of an incomplete box score: the one closest to 24 minutes,
# so the team's minutes add up to about 216 of 240.
MISSING_PLAYER_SECONDS = 24 * 60


@dataclass(frozen=True, slots=True)
class GapRates:
    """How often each gap occurs, each a share from 0 to 1."""

    incomplete_box_score: float = INCOMPLETE_BOX_SCORE_RATE  # of team-games
    without_inactive: float = WITHOUT_INACTIVE_RATE  # of games
    overtime: float = OVERTIME_RATE  # of games

    def __post_init__(self) -> None:
        for name in ("incomplete_box_score", "without_inactive", "overtime"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"gap rate {name} must be between 0 and 1: {value}")


@dataclass(frozen=True, slots=True)
class GameGaps:
    """The gaps of one game's feeds."""

    incomplete_team: str | None = None  # the team whose box score lacks a player
    without_inactive: bool = False  # neither feed lists the inactive players


NO_GAPS = GameGaps()


def plan_gaps(
    seed: int, calendar: SeasonCalendar, rates: GapRates
) -> dict[str, GameGaps]:
    """Gaps per NBA game id of the season's summarised games (pure in the seed)."""
    rng = random.Random(f"{seed}|gaps|{calendar.season}")
    plans: dict[str, GameGaps] = {}
    for game in calendar.games:
        if game.kind in (PRESEASON, ALL_STAR):
            continue
        # every draw is made for every game, so one rate never moves another gap
        away_incomplete = rng.random() < rates.incomplete_box_score
        home_incomplete = rng.random() < rates.incomplete_box_score
        without_inactive = rng.random() < rates.without_inactive
        team = game.away if away_incomplete else game.home if home_incomplete else None
        if team is not None or without_inactive:
            plans[game.nba_game_id] = GameGaps(team, without_inactive)
    return plans
