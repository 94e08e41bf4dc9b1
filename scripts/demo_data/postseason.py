"""The post-season: conference seeding, the play-in and the playoff bracket."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from demo_data.scheduled_games import (
    ID_PREFIX,
    PLAY_IN,
    PLAYOFFS,
    ScheduledGame,
    game_id,
)
from demo_data.season_dates import SeasonSpec

FINALS_GAPS: tuple[int, ...] = (3, 3, 2, 3, 3, 3)
SERIES_LENGTHS: tuple[tuple[int, float], ...] = (
    (4, 0.2),
    (5, 0.25),
    (6, 0.3),
    (7, 0.25),
)


def conference_seeding(
    rng: random.Random, conference: tuple[str, ...], strengths: dict[str, float]
) -> list[str]:
    noisy = {team: strengths[team] + rng.gauss(0.0, 0.02) for team in conference}
    return sorted(conference, key=lambda team: (-noisy[team], team))


def play_in_games(
    rng: random.Random, spec: SeasonSpec, east: list[str], west: list[str]
) -> tuple[list[ScheduledGame], list[str], list[str]]:
    """Six play-in games; returns them and both conferences' final 1-8 seeds."""
    games: list[ScheduledGame] = []

    def play(day_offset: int, home: str, away: str) -> tuple[str, str]:
        winner = home if rng.random() < 0.6 else away
        day = spec.play_in_start + timedelta(days=day_offset)
        games.append(
            ScheduledGame(
                game_id(PLAY_IN, spec.season, len(games) + 1),
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


def playoff_games(
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
