"""Lineups and coherent box scores for one game: the truth both feeds derive from."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date

from demo_data.scheduled_games import ALL_STAR, PLAYOFFS, PRESEASON, ScheduledGame
from demo_data.teams_players import (
    EAST,
    TWO_WAY_RANK,
    InjurySpell,
    Player,
    SeasonRosters,
    injury_on,
)

ACTIVE = "active"
DNP = "dnp"
INACTIVE = "inactive"

COACH_DECISION = "DNP - Coach's Decision"
ACTIVE_COUNTS: tuple[tuple[int, float], ...] = (
    (8, 4), (9, 14), (10, 32), (11, 29), (12, 13), (13, 6), (14, 2),
)  # fmt: skip
PRESEASON_ACTIVE_COUNTS: tuple[tuple[int, float], ...] = (
    (11, 15), (12, 30), (13, 30), (14, 20), (15, 5),
)  # fmt: skip
# Relative minutes by position in the rotation (starters first).
ROTATION_WEIGHTS: tuple[float, ...] = (
    34, 33, 32, 31, 29, 26, 24, 22, 20, 17, 14, 11, 9, 7, 6, 5, 4, 4, 3, 3,
)  # fmt: skip
GAME_ACTIVE_LIST = 13  # players on the game's active list; the rest are inactive
OVERTIME_SHARE = 0.06
ZERO_MINUTES_SHARE = 0.004  # games with an active player who logged 0:00
MAX_POINTS = 70


@dataclass(slots=True)
class PlayerLine:
    """One player's line in the true box score; ``seconds`` is None unless active."""

    player: Player
    team: str
    status: str
    dnp_reason: str | None
    seconds: int | None = None
    fgm: int = 0
    fga: int = 0
    tpm: int = 0
    tpa: int = 0
    ftm: int = 0
    fta: int = 0
    oreb: int = 0
    dreb: int = 0
    ast: int = 0
    stl: int = 0
    blk: int = 0
    tov: int = 0
    pf: int = 0
    plus_minus: int = 0

    @property
    def points(self) -> int:
        """2 x two-pointers + 3 x three-pointers + free throws."""
        return 2 * (self.fgm - self.tpm) + 3 * self.tpm + self.ftm

    @property
    def shooting(self) -> tuple[int, int, int, int, int, int]:
        """fgm, fga, tpm, tpa, ftm, fta: the order both player feeds print them."""
        return (self.fgm, self.fga, self.tpm, self.tpa, self.ftm, self.fta)


@dataclass(slots=True)
class GameResult:
    """A simulated game: away team's lines first, then the home team's."""

    game: ScheduledGame
    overtimes: int
    home_score: int
    away_score: int
    lines: list[PlayerLine]

    @property
    def team_seconds(self) -> int:
        """Seconds a team's active players add up to: (48 + 5 x OT) x 5 x 60."""
        return (48 + 5 * self.overtimes) * 5 * 60


@dataclass(frozen=True, slots=True)
class SeasonContext:
    """Everything a game simulation needs about its season."""

    seed: int
    players: dict[int, Player]
    rosters: SeasonRosters
    injuries: dict[int, tuple[InjurySpell, ...]]
    strengths: dict[str, float]
    overtime_share: float = OVERTIME_SHARE


def _poisson(rng: random.Random, lam: float) -> int:
    if lam <= 0.0:
        return 0
    if lam > 30.0:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit, count, product = math.exp(-lam), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def _binomial(rng: random.Random, trials: int, chance: float) -> int:
    return sum(1 for _ in range(trials) if rng.random() < chance)


def _choice_weighted(rng: random.Random, table: tuple[tuple[int, float], ...]) -> int:
    values, weights = zip(*table, strict=True)
    return rng.choices(values, weights=weights)[0]


def _unavailable_reason(
    rng: random.Random, rank: int, injury: str | None, kind: str
) -> tuple[str, str] | None:
    """(status, dnp_reason) for a player who cannot or will not play, else None."""
    if injury is not None:
        if rng.random() < 0.7:
            return INACTIVE, f"Inactive - Injury/Illness - {injury}"
        return DNP, f"DNP - Injury/Illness - {injury}"
    if rank >= TWO_WAY_RANK and kind != PRESEASON and rng.random() < 0.45:
        return INACTIVE, "Inactive - G League - On Assignment"
    if rng.random() < 0.004:
        return INACTIVE, rng.choice(("NWT - Personal", "NWT - Not With Team"))
    rest_share = 0.3 if kind == PRESEASON else 0.0 if kind == PLAYOFFS else 0.012
    if rank < 8 and rng.random() < rest_share:
        return (
            (INACTIVE, "Inactive - Rest") if rng.random() < 0.5 else (DNP, "DNP - Rest")
        )
    return None


def team_lineup(
    rng: random.Random,
    ctx: SeasonContext,
    team: str,
    roster: tuple[int, ...],
    day: date,
    kind: str,
) -> list[PlayerLine]:
    """Every listed player of a team with status and reason; active ones first."""
    unavailable: dict[int, tuple[str, str]] = {}
    healthy: list[int] = []
    for rank, pid in enumerate(roster):
        reason = _unavailable_reason(
            rng, rank, injury_on(ctx.injuries.get(pid, ()), day), kind
        )
        if reason is None:
            healthy.append(pid)
        else:
            unavailable[pid] = reason
    for pid in roster:  # a team always dresses at least eight players
        if len(healthy) >= 8:
            break
        if pid in unavailable:
            del unavailable[pid]
            healthy.append(pid)
    position = {pid: rank + rng.gauss(0.0, 1.2) for rank, pid in enumerate(roster)}
    healthy.sort(key=lambda pid: position[pid])
    wanted = _choice_weighted(
        rng, PRESEASON_ACTIVE_COUNTS if kind == PRESEASON else ACTIVE_COUNTS
    )
    if kind == ALL_STAR:
        wanted = len(healthy)
    playing = healthy[:wanted]
    playing.sort(key=roster.index)
    bench = healthy[wanted:]
    lines = [_new_line(ctx, pid, team, ACTIVE, None) for pid in playing]
    for pid in roster:
        if pid in unavailable:
            status, reason = unavailable[pid]
            lines.append(_new_line(ctx, pid, team, status, reason))
        elif pid in bench:
            lines.append(_new_line(ctx, pid, team, DNP, COACH_DECISION))
    return lines


def _new_line(
    ctx: SeasonContext, pid: int, team: str, status: str, reason: str | None
) -> PlayerLine:
    """A fresh line for player ``pid``."""
    return PlayerLine(ctx.players[pid], team, status, reason)


def _allocate_seconds(
    rng: random.Random, count: int, total: int, cap: int, zero: int | None
) -> list[int]:
    weights = [
        ROTATION_WEIGHTS[index] * rng.uniform(0.7, 1.3) for index in range(count)
    ]
    if count >= 11 and rng.random() < 0.3:
        weights[-1] = rng.uniform(0.05, 1.5)  # garbage time only
    if zero is not None:
        weights[zero] = 0.0
    scale = total / sum(weights)
    seconds = [int(weight * scale) for weight in weights]
    order = sorted(range(count), key=lambda index: -weights[index])
    for step in range(total - sum(seconds)):
        seconds[order[step % count]] += 1
    while max(seconds) > cap:
        excess = sum(value - cap for value in seconds if value > cap)
        seconds = [min(value, cap) for value in seconds]
        room = [index for index in order if 0 < seconds[index] < cap]
        for step in range(excess):
            seconds[room[step % len(room)]] += 1
    return seconds


def _fill_stats(rng: random.Random, line: PlayerLine, factor: float) -> None:
    player, minutes = line.player, (line.seconds or 0) / 60.0
    if minutes <= 0.0:
        return
    line.fga = _poisson(rng, 0.352 * factor * minutes)
    line.fgm = _binomial(rng, line.fga, player.fg_pct)
    line.tpa = _binomial(rng, line.fga, player.three_share)
    line.tpm = min(_binomial(rng, line.tpa, player.three_pct), line.fgm)
    line.fta = _poisson(rng, player.fta_rate * minutes)
    line.ftm = _binomial(rng, line.fta, player.ft_pct)
    line.oreb = _poisson(rng, player.oreb_rate * minutes)
    line.dreb = _poisson(rng, player.dreb_rate * minutes)
    line.ast = _poisson(rng, player.ast_rate * minutes)
    line.stl = _poisson(rng, player.stl_rate * minutes)
    line.blk = _poisson(rng, player.blk_rate * minutes)
    line.tov = _poisson(rng, player.tov_rate * minutes)
    line.pf = min(6, _poisson(rng, player.pf_rate * minutes))
    while line.points > MAX_POINTS:
        line.fgm -= 1
        line.tpm = min(line.tpm, line.fgm)


def _team_box(
    rng: random.Random,
    active: list[PlayerLine],
    game_seconds: int,
    factor: float,
    zero: bool,
) -> None:
    zero_index = len(active) - 1 if zero else None
    seconds = _allocate_seconds(
        rng, len(active), 5 * game_seconds, game_seconds, zero_index
    )
    for line, value in zip(active, seconds, strict=True):
        line.seconds = value
    played = sum(line.seconds or 0 for line in active)
    mean_usage = (
        sum(line.player.usage * (line.seconds or 0) for line in active) / played
    )
    for line in active:
        _fill_stats(rng, line, factor * line.player.usage / mean_usage)


def _plus_minus(
    rng: random.Random, active: list[PlayerLine], margin: int, game_seconds: int
) -> None:
    on_court = [line for line in active if line.seconds]
    for line in on_court:
        share = (line.seconds or 0) / game_seconds
        line.plus_minus = round(margin * share + rng.gauss(0.0, 4.0) * share)
    residual = 5 * margin - sum(line.plus_minus for line in on_court)
    step = 1 if residual > 0 else -1
    for index in range(abs(residual)):
        on_court[index % len(on_court)].plus_minus += step


def _score(active: list[PlayerLine]) -> int:
    return sum(line.points for line in active)


def all_star_roster(
    ctx: SeasonContext, conference_is_east: bool, day: date
) -> tuple[int, ...]:
    """The 13 best-rated players of a conference on ``day``."""
    teams = [
        team for team in ctx.rosters.opening if (team in EAST) == conference_is_east
    ]
    pool = [pid for team in teams for pid in ctx.rosters.roster(team, day)]
    ratings = ctx.rosters.ratings
    return tuple(sorted(pool, key=lambda pid: (-ratings[pid], pid))[:13])


def simulate_game(ctx: SeasonContext, game: ScheduledGame) -> GameResult:
    """The true box score of ``game``; a pure function of (seed, game)."""
    rng = random.Random(f"{ctx.seed}|game|{game.nba_game_id}|{game.game_date}")
    day, kind = game.game_date, game.kind
    if kind == ALL_STAR:
        rosters = {
            game.away: all_star_roster(ctx, False, day),
            game.home: all_star_roster(ctx, True, day),
        }
    else:
        rosters = {
            team: ctx.rosters.roster(team, day) for team in (game.away, game.home)
        }
    lineups = {
        team: team_lineup(rng, ctx, team, rosters[team], day, kind) for team in rosters
    }
    overtimes = 0
    if kind != ALL_STAR and rng.random() < ctx.overtime_share:
        overtimes = _choice_weighted(rng, ((1, 82), (2, 15), (3, 3)))
    game_seconds = (48 + 5 * overtimes) * 60
    zero_team = game.home if rng.random() < 0.5 else game.away
    zero = kind != ALL_STAR and rng.random() < ZERO_MINUTES_SHARE
    active = {
        team: [line for line in lineups[team] if line.status == ACTIVE]
        for team in lineups
    }
    base = {
        team: (1.3 if kind == ALL_STAR else 1.0) * ctx.strengths[team]
        for team in lineups
    }
    if game.winner is not None:
        loser = game.home if game.winner == game.away else game.away
        base[game.winner] *= 1.05
        base[loser] *= 0.95
    for attempt in range(25):
        for team in lineups:
            _team_box(
                rng, active[team], game_seconds, base[team], zero and team == zero_team
            )
        scores = {team: _score(active[team]) for team in lineups}
        if (
            game.winner is None
            or scores[game.winner] > max(scores.values()) - 1
            or attempt == 24
        ):
            break
    scores = {team: _score(active[team]) for team in lineups}
    while scores[game.home] == scores[game.away] or (
        game.winner is not None and scores[game.winner] < max(scores.values())
    ):
        team = game.winner or rng.choice((game.home, game.away))
        shooter = rng.choice([line for line in active[team] if line.seconds])
        shooter.fta += 1
        shooter.ftm += 1
        scores[team] += 1
    for team in lineups:
        other = game.home if team == game.away else game.away
        _plus_minus(rng, active[team], scores[team] - scores[other], game_seconds)
    return GameResult(
        game=game,
        overtimes=overtimes,
        home_score=scores[game.home],
        away_score=scores[game.away],
        lines=lineups[game.away] + lineups[game.home],
    )
