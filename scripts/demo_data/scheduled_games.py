"""The games of a season calendar: their kinds, NBA ids and canonical ids."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from types import MappingProxyType

from demo_data.season_dates import SeasonSpec

PRESEASON = "preseason"
REGULAR = "regular"
ALL_STAR = "all_star"
PLAY_IN = "play_in"
PLAYOFFS = "playoffs"

ID_PREFIX: Mapping[str, str] = MappingProxyType(
    {
        PRESEASON: "001",
        REGULAR: "002",
        ALL_STAR: "003",
        PLAYOFFS: "004",
        PLAY_IN: "005",
    }
)


@dataclass(frozen=True, slots=True)
class ScheduledGame:
    """One game on the calendar (``game_date`` is the day it is played)."""

    nba_game_id: str
    season: int
    kind: str
    game_date: date
    home: str
    away: str
    winner: str | None = None
    original_date: date | None = None

    @property
    def canonical_id(self) -> str:
        """``YYYYMMDD_AWAY_HOME``."""
        return f"{self.game_date:%Y%m%d}_{self.away}_{self.home}"

    @property
    def game_code(self) -> str:
        """``YYYYMMDD/AWAYHOME``."""
        return f"{self.game_date:%Y%m%d}/{self.away}{self.home}"


@dataclass(frozen=True, slots=True)
class SeasonCalendar:
    """Every game of one season; ``postponed`` holds the original-date entries."""

    season: int
    spec: SeasonSpec
    games: tuple[ScheduledGame, ...]
    postponed: tuple[ScheduledGame, ...]


def game_id(kind: str, season: int, sequence: int) -> str:
    return f"{ID_PREFIX[kind]}{season % 100:02d}{sequence:05d}"


def calendar_days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=offset) for offset in range((last - first).days + 1)]
