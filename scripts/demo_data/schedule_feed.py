"""The NBA.com schedule feed: one row per game, final or postponed."""

from __future__ import annotations

import random
from datetime import timedelta

from demo_data.games import GameResult
from demo_data.load_times import load_stamp
from demo_data.scheduled_games import ALL_STAR, PLAYOFFS, REGULAR, ScheduledGame

Row = tuple[object, ...]


def schedule_row(game: ScheduledGame, result: GameResult | None, seed: int) -> Row:
    """The NBA.com schedule row; ``result`` None: the game was not played that day."""
    rng = random.Random(f"{seed}|schedule|{game.nba_game_id}|{game.game_date}")
    if result is None:
        status, home_score, away_score = 1, None, None
        processed = load_stamp(game.game_date - timedelta(days=1), 9, rng, 120)
    else:
        status, home_score, away_score = 3, result.home_score, result.away_score
        processed = load_stamp(game.game_date + timedelta(days=1), 5, rng, 60)
    return (
        game.nba_game_id,
        game.game_code,
        game.season,
        game.game_date,
        status,
        game.home,
        game.away,
        home_score,
        away_score,
        game.kind == REGULAR,
        game.kind == PLAYOFFS,
        game.kind == ALL_STAR,
        processed,
    )
