"""One played game as both player feeds see it: its rows' shared fields and rng.

Each feed module (``gamebook_feed``, ``bdl_feed``) draws from the one ``rng`` of
the game in a fixed order, so a seed gives the same rows every time.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from demo_data.games import GameResult
from demo_data.quirks import GameQuirks
from demo_data.scheduled_games import ScheduledGame

Row = tuple[object, ...]


@dataclass(slots=True)
class FeedGame:
    """A played game, its quirks and the random draws its feeds share."""

    result: GameResult
    quirks: GameQuirks
    seed: int
    game: ScheduledGame = field(init=False)
    rng: random.Random = field(init=False)
    # Formatted once per game: the CSV writer would otherwise format them per row.
    canonical_id: str = field(init=False)
    game_code: str = field(init=False)
    day: str = field(init=False)

    def __post_init__(self) -> None:
        self.game = self.result.game
        self.rng = random.Random(
            f"{self.seed}|feeds|{self.game.nba_game_id}|{self.game.game_date}"
        )
        self.canonical_id = self.game.canonical_id
        self.game_code = self.game.game_code
        self.day = self.game.game_date.isoformat()
