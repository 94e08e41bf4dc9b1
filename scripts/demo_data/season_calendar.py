"""The season calendar: preseason, regular season, All-Star, play-in, playoffs.

Postponed regular-season games move to a make-up date. Named so as not to shadow
the standard library's ``calendar``.
"""

from __future__ import annotations

import random

from demo_data.postseason import conference_seeding, play_in_games, playoff_games
from demo_data.regular_season import preseason_games, regular_season_games
from demo_data.scheduled_games import ALL_STAR, ScheduledGame, SeasonCalendar, game_id
from demo_data.season_dates import season_spec
from demo_data.teams_players import EAST, WEST


def build_calendar(
    seed: int, season: int, strengths: dict[str, float]
) -> SeasonCalendar:
    """The full calendar of ``season``; a pure function of (seed, season, strengths)."""
    rng = random.Random(f"{seed}|calendar|{season}")
    spec = season_spec(season)
    preseason = preseason_games(rng, spec)
    regular, postponed = regular_season_games(rng, spec)
    east = conference_seeding(rng, EAST, strengths)
    west = conference_seeding(rng, WEST, strengths)
    all_star = ScheduledGame(
        game_id(ALL_STAR, season, 1), season, ALL_STAR, spec.all_star, east[0], west[0]
    )
    play_in, east, west = play_in_games(rng, spec, east, west)
    playoffs = playoff_games(rng, spec, east, west, strengths)
    games = sorted(
        [*preseason, *regular, all_star, *play_in, *playoffs],
        key=lambda game: (game.game_date, game.nba_game_id),
    )
    return SeasonCalendar(season, spec, tuple(games), tuple(postponed))
