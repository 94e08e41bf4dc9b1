"""Key dates of an NBA season (docs/domain.md, Calendar): known seasons pinned."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from types import MappingProxyType

# Playoff game counts and end dates of the known seasons (docs/domain.md, Calendar).
KNOWN_PLAYOFFS: Mapping[int, tuple[int, date]] = MappingProxyType(
    {
        2021: (87, date(2022, 6, 16)),
        2022: (84, date(2023, 6, 12)),
        2023: (82, date(2024, 6, 17)),
    }
)

REGULAR_SEASON_GAMES = 1230


@dataclass(frozen=True, slots=True)
class SeasonSpec:
    """The fixed dates of one season (``season`` is the start year)."""

    season: int
    preseason_start: date
    preseason_end: date
    regular_start: date
    regular_end: date
    all_star: date
    trade_deadline: date
    play_in_start: date
    playoffs_start: date
    playoff_games: int | None
    playoffs_end: date | None
    no_game_days: frozenset[date]

    @property
    def last_day(self) -> date:
        """The last day the season can have a game on."""
        return date(self.season + 1, 6, 30)


def _weekday_on_or_after(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    return _weekday_on_or_after(date(year, month, 1), weekday) + timedelta(weeks=n - 1)


def season_of(day: date) -> int:
    """Start year of the season of ``day`` (July-September map to the one before)."""
    return day.year if day.month >= 10 else day.year - 1


def season_spec(season: int) -> SeasonSpec:
    """Dates of ``season``; the three known seasons match docs/domain.md exactly."""
    regular_start = _weekday_on_or_after(date(season, 10, 18), 1)  # Tuesday
    regular_end = _weekday_on_or_after(date(season + 1, 4, 9), 6)  # Sunday
    all_star = _nth_weekday(season + 1, 2, 6, 3)  # third Sunday of February
    thanksgiving = _nth_weekday(season, 11, 3, 4)
    break_days = {all_star + timedelta(days=offset) for offset in range(-2, 4)}
    no_game_days = frozenset({thanksgiving, date(season, 12, 24), *break_days})
    playoff_games, playoffs_end = KNOWN_PLAYOFFS.get(season, (None, None))
    return SeasonSpec(
        season=season,
        preseason_start=regular_start - timedelta(days=16),
        preseason_end=regular_start - timedelta(days=3),
        regular_start=regular_start,
        regular_end=regular_end,
        all_star=all_star,
        trade_deadline=all_star - timedelta(days=10),
        play_in_start=regular_end + timedelta(days=2),
        playoffs_start=regular_end + timedelta(days=6),
        playoff_games=playoff_games,
        playoffs_end=playoffs_end,
        no_game_days=no_game_days,
    )
