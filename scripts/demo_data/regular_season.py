"""The preseason and the regular season; postponed games move to a make-up date."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import replace
from datetime import date, timedelta
from itertools import combinations

from demo_data.scheduled_games import (
    PRESEASON,
    REGULAR,
    ScheduledGame,
    calendar_days,
    game_id,
)
from demo_data.season_dates import REGULAR_SEASON_GAMES, SeasonSpec
from demo_data.teams_players import EAST, TEAMS, WEST

# Relative number of games per weekday (Monday first).
WEEKDAY_WEIGHT: tuple[float, ...] = (1.0, 0.9, 1.35, 0.55, 1.2, 1.05, 0.85)


def preseason_games(rng: random.Random, spec: SeasonSpec) -> list[ScheduledGame]:
    counts: Counter[str] = Counter()
    games: list[ScheduledGame] = []
    for day in calendar_days(spec.preseason_start, spec.preseason_end):
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
                    game_id(PRESEASON, spec.season, len(games) + 1),
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


def regular_season_games(
    rng: random.Random, spec: SeasonSpec
) -> tuple[list[ScheduledGame], list[ScheduledGame]]:
    pool = _regular_matchups(rng)
    dates = [
        day
        for day in calendar_days(spec.regular_start, spec.regular_end)
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
            game_id(REGULAR, spec.season, sequence),
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
