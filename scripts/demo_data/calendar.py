"""The season calendar: preseason, regular season, All-Star, play-in, playoffs.

Postponed regular-season games move to a make-up date.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from itertools import combinations
from types import MappingProxyType

from demo_data.season_dates import REGULAR_SEASON_GAMES, SeasonSpec, season_spec
from demo_data.teams_players import EAST, TEAMS, WEST

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

# Relative number of games per weekday (Monday first).
WEEKDAY_WEIGHT: tuple[float, ...] = (1.0, 0.9, 1.35, 0.55, 1.2, 1.05, 0.85)
FINALS_GAPS: tuple[int, ...] = (3, 3, 2, 3, 3, 3)
SERIES_LENGTHS: tuple[tuple[int, float], ...] = (
    (4, 0.2),
    (5, 0.25),
    (6, 0.3),
    (7, 0.25),
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


def _game_id(kind: str, season: int, sequence: int) -> str:
    return f"{ID_PREFIX[kind]}{season % 100:02d}{sequence:05d}"


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=offset) for offset in range((last - first).days + 1)]


def build_calendar(
    seed: int, season: int, strengths: dict[str, float]
) -> SeasonCalendar:
    """The full calendar of ``season``; a pure function of (seed, season, strengths)."""
    rng = random.Random(f"{seed}|calendar|{season}")
    spec = season_spec(season)
    preseason = _preseason(rng, spec)
    regular, postponed = _regular_season(rng, spec)
    east = _seeding(rng, EAST, strengths)
    west = _seeding(rng, WEST, strengths)
    all_star = ScheduledGame(
        _game_id(ALL_STAR, season, 1), season, ALL_STAR, spec.all_star, east[0], west[0]
    )
    play_in, east, west = _play_in(rng, spec, east, west)
    playoffs = _playoffs(rng, spec, east, west, strengths)
    games = sorted(
        [*preseason, *regular, all_star, *play_in, *playoffs],
        key=lambda game: (game.game_date, game.nba_game_id),
    )
    return SeasonCalendar(season, spec, tuple(games), tuple(postponed))


def _preseason(rng: random.Random, spec: SeasonSpec) -> list[ScheduledGame]:
    counts: Counter[str] = Counter()
    games: list[ScheduledGame] = []
    for day in _days(spec.preseason_start, spec.preseason_end):
        wanted = rng.randint(2, 7)
        teams = [team for team in TEAMS if counts[team] < 5]
        rng.shuffle(teams)
        teams.sort(key=lambda team: counts[team])
        teams = teams[: 2 * wanted]
        rng.shuffle(teams)
        for home, away in zip(teams[0::2], teams[1::2], strict=False):
            counts[home] += 1
            counts[away] += 1
            games.append(
                ScheduledGame(
                    _game_id(PRESEASON, spec.season, len(games) + 1),
                    spec.season,
                    PRESEASON,
                    day,
                    home,
                    away,
                )
            )
    return games


def _regular_matchups(rng: random.Random) -> list[tuple[str, str]]:
    """1,230 (home, away) pairs: 82 games and 41 home games per team."""
    pairs: list[tuple[str, str]] = []
    for team_a, team_b in combinations(TEAMS, 2):
        pairs += [(team_a, team_b), (team_b, team_a)]
    for conference in (EAST, WEST):
        order = list(conference)
        rng.shuffle(order)
        size = len(order)
        for index, home in enumerate(order):
            for offset in (1, 2, 3, 4, 5, 6, 7, 10, 11, 12, 13, 14):
                pairs.append((home, order[(index + offset) % size]))
    rng.shuffle(pairs)
    if len(pairs) != REGULAR_SEASON_GAMES:
        raise AssertionError(
            f"expected {REGULAR_SEASON_GAMES} matchups, got {len(pairs)}"
        )
    return pairs


def _daily_target(
    rng: random.Random, spec: SeasonSpec, day: date, games_left: int, days_left: int
) -> int:
    if day == spec.regular_start:
        return 2
    if day.month == 12 and day.day == 25:
        return 5
    expected = (
        games_left / days_left * WEEKDAY_WEIGHT[day.weekday()] * rng.uniform(0.75, 1.25)
    )
    return max(1, min(15, round(expected)))


def _regular_season(
    rng: random.Random, spec: SeasonSpec
) -> tuple[list[ScheduledGame], list[ScheduledGame]]:
    pool = _regular_matchups(rng)
    dates = [
        day
        for day in _days(spec.regular_start, spec.regular_end)
        if day not in spec.no_game_days
    ]
    remaining: Counter[str] = Counter()
    for home, away in pool:
        remaining[home] += 1
        remaining[away] += 1
    busy: dict[date, set[str]] = {day: set() for day in dates}
    placed: list[tuple[date, str, str]] = []
    for index, day in enumerate(dates):
        target = _daily_target(rng, spec, day, len(pool), len(dates) - index)
        before = (
            busy.get(day - timedelta(days=1), set()),
            busy.get(day - timedelta(days=2), set()),
        )
        tired = before[0] & before[1]
        scored = sorted(
            (-(remaining[home] + remaining[away] + 8.0 * rng.random()), position)
            for position, (home, away) in enumerate(pool)
        )
        taken: list[int] = []
        today = busy[day]
        for _, position in scored:
            if len(taken) >= target:
                break
            home, away = pool[position]
            if home in today or away in today or home in tired or away in tired:
                continue
            today.update((home, away))
            taken.append(position)
        for position in sorted(taken, reverse=True):
            home, away = pool.pop(position)
            remaining[home] -= 1
            remaining[away] -= 1
            placed.append((day, home, away))
    for home, away in pool:  # leftovers: the latest day both teams are free
        day = next(
            day
            for day in reversed(dates)
            if home not in busy[day] and away not in busy[day]
        )
        busy[day].update((home, away))
        placed.append((day, home, away))

    order = [rng.random() for _ in placed]
    ranked = sorted(
        range(len(placed)), key=lambda position: (placed[position][0], order[position])
    )
    games = [
        ScheduledGame(
            _game_id(REGULAR, spec.season, sequence),
            spec.season,
            REGULAR,
            placed[position][0],
            placed[position][1],
            placed[position][2],
        )
        for sequence, position in enumerate(ranked, start=1)
    ]
    return _postpone(rng, spec, games, dates, busy)


def _postpone(
    rng: random.Random,
    spec: SeasonSpec,
    games: list[ScheduledGame],
    dates: list[date],
    busy: dict[date, set[str]],
) -> tuple[list[ScheduledGame], list[ScheduledGame]]:
    """Move some games to a make-up date; returns (played games, original entries)."""
    season = spec.season
    if season == 2021:
        windows = [
            (date(2021, 12, 18), date(2022, 1, 16), 44),
            (date(2021, 11, 1), date(2022, 3, 15), 6),
        ]
    else:
        windows = [(date(season, 11, 1), date(season + 1, 3, 15), 6)]
    chosen: dict[int, date] = {}
    for first, last, count in windows:
        candidates = [
            index
            for index, game in enumerate(games)
            if first <= game.game_date <= last and index not in chosen
        ]
        for index in sorted(rng.sample(candidates, min(count, len(candidates)))):
            game = games[index]
            free = [
                day
                for day in dates
                if day > game.game_date + timedelta(days=2)
                and game.home not in busy[day]
                and game.away not in busy[day]
            ]
            if not free:
                continue
            soon = [day for day in free if day <= game.game_date + timedelta(days=25)]
            makeup = (
                rng.choice(soon) if soon and rng.random() < 0.4 else rng.choice(free)
            )
            busy[makeup].update((game.home, game.away))
            busy[game.game_date].difference_update((game.home, game.away))
            chosen[index] = makeup
    postponed = [games[index] for index in sorted(chosen)]
    played = [
        replace(game, game_date=chosen[index], original_date=game.game_date)
        if index in chosen
        else game
        for index, game in enumerate(games)
    ]
    return played, postponed


def _seeding(
    rng: random.Random, conference: tuple[str, ...], strengths: dict[str, float]
) -> list[str]:
    noisy = {team: strengths[team] + rng.gauss(0.0, 0.02) for team in conference}
    return sorted(conference, key=lambda team: (-noisy[team], team))


def _play_in(
    rng: random.Random, spec: SeasonSpec, east: list[str], west: list[str]
) -> tuple[list[ScheduledGame], list[str], list[str]]:
    """Six play-in games; returns them and both conferences' final 1-8 seeds."""
    games: list[ScheduledGame] = []

    def play(day_offset: int, home: str, away: str) -> tuple[str, str]:
        winner = home if rng.random() < 0.6 else away
        day = spec.play_in_start + timedelta(days=day_offset)
        games.append(
            ScheduledGame(
                _game_id(PLAY_IN, spec.season, len(games) + 1),
                spec.season,
                PLAY_IN,
                day,
                home,
                away,
                winner=winner,
            )
        )
        return winner, away if winner == home else home

    first_round = {}
    for offset, seeds in ((0, east), (1, west)):
        first_round[offset] = (
            play(offset, seeds[6], seeds[7]),
            play(offset, seeds[8], seeds[9]),
        )
    final_seeds = []
    for offset, seeds in ((0, east), (1, west)):
        (winner_a, loser_a), (winner_b, _) = first_round[offset]
        winner_c, _ = play(offset + 2, loser_a, winner_b)
        final_seeds.append([*seeds[:6], winner_a, winner_c])
    return games, final_seeds[0], final_seeds[1]


def _series_lengths(rng: random.Random, target: int | None) -> list[int]:
    lengths_, weights = zip(*SERIES_LENGTHS, strict=True)
    lengths = [rng.choices(lengths_, weights=weights)[0] for _ in range(15)]
    while target is not None and sum(lengths) != target:
        index = rng.randrange(15)
        step = 1 if sum(lengths) < target else -1
        if 4 <= lengths[index] + step <= 7:
            lengths[index] += step
    return lengths


@dataclass(slots=True)
class _Series:
    high: str
    low: str
    length: int
    winner: str
    loser: str
    round_no: int
    number: int
    dates: list[date]


def _playoffs(
    rng: random.Random,
    spec: SeasonSpec,
    east: list[str],
    west: list[str],
    strengths: dict[str, float],
) -> list[ScheduledGame]:
    for _ in range(500):
        lengths = _series_lengths(rng, spec.playoff_games)
        series = _bracket(rng, east, west, strengths, lengths)
        if _schedule_playoffs(rng, spec, series):
            break
    else:
        raise RuntimeError(f"could not fit the {spec.season} playoffs in their dates")
    games: list[ScheduledGame] = []
    for item in series:
        wins = [True] * 3 + [False] * (item.length - 4)
        rng.shuffle(wins)
        wins.append(True)
        for number, (day, winner_won) in enumerate(
            zip(item.dates, wins, strict=True), start=1
        ):
            high_home = number in (1, 2, 5, 7)
            home, away = (item.high, item.low) if high_home else (item.low, item.high)
            games.append(
                ScheduledGame(
                    f"{ID_PREFIX[PLAYOFFS]}{spec.season % 100:02d}00"
                    f"{item.round_no}{item.number}{number}",
                    spec.season,
                    PLAYOFFS,
                    day,
                    home,
                    away,
                    winner=item.winner if winner_won else item.loser,
                )
            )
    return games


def _bracket(
    rng: random.Random,
    east: list[str],
    west: list[str],
    strengths: dict[str, float],
    lengths: list[int],
) -> list[_Series]:
    series: list[_Series] = []
    lengths = list(lengths)

    def play(high: str, low: str, round_no: int, number: int) -> str:
        winner = high if rng.random() < 0.68 else low
        loser = low if winner == high else high
        series.append(
            _Series(high, low, lengths.pop(0), winner, loser, round_no, number, [])
        )
        return winner

    champions = []
    alive = {"E": east[:8], "W": west[:8]}
    numbers = {1: 0, 2: 0, 3: 0}
    for round_no in (1, 2, 3):
        for conference in ("E", "W"):
            seeds = alive[conference]
            pairs = (
                [(0, 7), (3, 4), (2, 5), (1, 6)]
                if round_no == 1
                else [(index, index + 1) for index in range(0, len(seeds), 2)]
            )
            winners = []
            for top, bottom in pairs:
                high, low = seeds[top], seeds[bottom]
                if round_no > 1 and _seed_rank(high, east, west) > _seed_rank(
                    low, east, west
                ):
                    high, low = low, high
                winners.append(play(high, low, round_no, numbers[round_no]))
                numbers[round_no] += 1
            alive[conference] = winners
        if round_no == 3:
            champions = [alive["E"][0], alive["W"][0]]
    high, low = sorted(champions, key=lambda team: (-strengths[team], team))
    play(high, low, 4, 0)
    return series


def _seed_rank(team: str, east: list[str], west: list[str]) -> int:
    """Seed (0-based) of ``team`` within its conference."""
    return east.index(team) if team in east else west.index(team)


def _schedule_playoffs(
    rng: random.Random, spec: SeasonSpec, series: list[_Series]
) -> bool:
    start = spec.playoffs_start
    last = start
    for round_no in (1, 2, 3):
        in_round = [item for item in series if item.round_no == round_no]
        by_length = sorted(in_round, key=lambda item: -item.length)
        half = (len(in_round) + 1) // 2
        for rank, item in enumerate(by_length):
            offset = 0 if rank < half else 1
            item.dates = [
                start + timedelta(days=offset + 2 * game) for game in range(item.length)
            ]
        last = max(item.dates[-1] for item in in_round)
        start = last + timedelta(days=rng.choice((1, 2)))
    finals = series[-1]
    span = sum(FINALS_GAPS[: finals.length - 1])
    if spec.playoffs_end is not None:
        first = spec.playoffs_end - timedelta(days=span)
        if first < last + timedelta(days=2):
            return False
    else:
        first = last + timedelta(days=rng.randint(3, 5))
    finals.dates = [first]
    for gap in FINALS_GAPS[: finals.length - 1]:
        finals.dates.append(finals.dates[-1] + timedelta(days=gap))
    return finals.dates[-1] <= spec.last_day
