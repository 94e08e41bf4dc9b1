"""Teams, players with stable identities, season rosters (with trades) and injuries."""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from demo_data.lookup import bdl_player_lookup, player_lookup
from demo_data.names import (
    ACCENTED_FIRST_NAMES,
    ACCENTED_LAST_NAMES,
    ANCHORS,
    FIRST_NAMES,
    LAST_NAMES,
    SUFFIXES,
)
from demo_data.season_dates import season_spec

EAST: tuple[str, ...] = (
    "ATL", "BOS", "BKN", "CHA", "CHI", "CLE", "DET", "IND",
    "MIA", "MIL", "NYK", "ORL", "PHI", "TOR", "WAS",
)  # fmt: skip
WEST: tuple[str, ...] = (
    "DAL", "DEN", "GSW", "HOU", "LAC", "LAL", "MEM", "MIN",
    "NOP", "OKC", "PHX", "POR", "SAC", "SAS", "UTA",
)  # fmt: skip
TEAMS: tuple[str, ...] = tuple(sorted(EAST + WEST))

# The first season whose rosters are built from scratch; later ones evolve from it,
# so a small window gives the same players as the full default window.
BASE_SEASON = 2021
TWO_WAY_RANK = 15  # roster ranks from here on are two-way / end-of-bench players
ROSTER_SIZES: tuple[tuple[int, float], ...] = (
    (17, 0.45),
    (18, 0.35),
    (19, 0.13),
    (20, 0.07),
)

INJURY_PARTS: tuple[str, ...] = (
    "Knee", "Ankle", "Hamstring", "Hip", "Foot", "Wrist", "Shoulder", "Calf",
    "Groin", "Hand", "Thumb", "Achilles", "Back", "Quadriceps",
)  # fmt: skip
INJURY_KINDS: tuple[str, ...] = (
    "Soreness", "Sprain", "Strain", "Contusion", "Tendinopathy", "Fracture",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Player:
    """A player's stable identity and per-minute profile."""

    player_id: int
    bdl_player_id: int
    full_name: str
    last_name: str
    lookup: str
    bdl_lookup: str
    usage: float
    fg_pct: float
    three_share: float
    three_pct: float
    fta_rate: float
    ft_pct: float
    oreb_rate: float
    dreb_rate: float
    ast_rate: float
    stl_rate: float
    blk_rate: float
    tov_rate: float
    pf_rate: float


@dataclass(frozen=True, slots=True)
class SeasonRosters:
    """Rosters of one season, ordered by rank, before and after the trade deadline."""

    season: int
    trade_deadline: date
    opening: dict[str, tuple[int, ...]]
    after_deadline: dict[str, tuple[int, ...]]
    ratings: dict[int, float]

    def roster(self, team: str, day: date) -> tuple[int, ...]:
        """Player ids of ``team`` on ``day``, best first."""
        rosters = self.after_deadline if day > self.trade_deadline else self.opening
        return rosters[team]

    def player_ids(self) -> set[int]:
        """Every player on any roster this season."""
        ids: set[int] = set()
        for rosters in (self.opening, self.after_deadline):
            for roster in rosters.values():
                ids.update(roster)
        return ids


@dataclass(frozen=True, slots=True)
class InjurySpell:
    """A stretch of days a player is out, with the gamebook's injury wording."""

    start: date
    end: date
    description: str


class PlayerFactory:
    """Creates players with globally unique ``player_lookup`` values."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._used: set[str] = set()
        self._used_last: set[str] = set()
        self.players: dict[int, Player] = {}

    def create(self, rating: float, full_name: str | None = None) -> Player:
        """A new player; a random name unless ``full_name`` is given."""
        rng = self._rng
        while full_name is None:
            candidate = self._random_name()
            if player_lookup(candidate) not in self._used:
                full_name = candidate
        lookup = player_lookup(full_name)
        if lookup in self._used:
            raise ValueError(f"duplicate player_lookup {lookup!r}")
        self._used.add(lookup)
        player_id = len(self.players) + 1
        first, _, last = full_name.partition(" ")
        guard, big = rng.random() < 0.4, rng.random() < 0.3
        usage = min(1.75, max(0.45, 0.5 + 0.95 * rating + rng.gauss(0.0, 0.08)))
        player = Player(
            player_id=player_id,
            bdl_player_id=100 + 7 * player_id + rng.randrange(7),
            full_name=full_name,
            last_name=last or first,
            lookup=lookup,
            bdl_lookup=bdl_player_lookup(full_name),
            usage=usage,
            fg_pct=rng.uniform(0.53, 0.62) if big else rng.uniform(0.41, 0.49),
            three_share=rng.uniform(0.02, 0.25) if big else rng.uniform(0.32, 0.58),
            three_pct=rng.uniform(0.30, 0.41),
            fta_rate=0.09 * usage * rng.uniform(0.6, 1.4) * (1.2 if big else 1.0),
            ft_pct=rng.uniform(0.58, 0.75) if big else rng.uniform(0.72, 0.92),
            oreb_rate=rng.uniform(0.06, 0.10) if big else rng.uniform(0.015, 0.04),
            dreb_rate=rng.uniform(0.18, 0.26) if big else rng.uniform(0.09, 0.15),
            ast_rate=rng.uniform(0.13, 0.24) if guard else rng.uniform(0.05, 0.11),
            stl_rate=rng.uniform(0.02, 0.045),
            blk_rate=rng.uniform(0.03, 0.07) if big else rng.uniform(0.005, 0.02),
            tov_rate=rng.uniform(0.04, 0.07) * usage,
            pf_rate=rng.uniform(0.06, 0.11),
        )
        self.players[player_id] = player
        return player

    def _random_name(self) -> str:
        rng = self._rng
        roll = rng.random()
        first = rng.choice(ACCENTED_FIRST_NAMES if roll < 0.04 else FIRST_NAMES)
        last = rng.choice(ACCENTED_LAST_NAMES if rng.random() < 0.12 else LAST_NAMES)
        if rng.random() < 0.5 and last in self._used_last:
            last = rng.choice(LAST_NAMES)
        self._used_last.add(last)
        name = f"{first} {last}"
        if rng.random() < 0.045:
            name = f"{name} {rng.choice(SUFFIXES)}"
        return name


def _roster_size(rng: random.Random) -> int:
    sizes, weights = zip(*ROSTER_SIZES, strict=True)
    return rng.choices(sizes, weights=weights)[0]


def _slot_rating(rng: random.Random, rank: int) -> float:
    return max(0.03, min(0.97, 0.9 - 0.045 * rank + rng.gauss(0.0, 0.035)))


def _ranked(ids: Iterable[int], ratings: dict[int, float]) -> tuple[int, ...]:
    return tuple(sorted(ids, key=lambda pid: (-ratings[pid], pid)))


def build_rosters(
    seed: int, seasons: Iterable[int]
) -> tuple[dict[int, Player], dict[int, SeasonRosters]]:
    """Players and rosters for every season in ``seasons`` (a contiguous range).

    Rosters start at ``min(BASE_SEASON, first season)`` and evolve one season at a time
    (retirements, free agency, rookies, deadline trades), so identities are stable.
    """
    wanted = sorted(set(seasons))
    first = min(BASE_SEASON, wanted[0])
    rng = random.Random(f"{seed}|rosters")
    factory = PlayerFactory(rng)
    ratings: dict[int, float] = {}
    anchor_ids: set[int] = set()
    rosters: dict[str, list[int]] = {}

    for team in TEAMS:
        size = _roster_size(rng)
        team_anchors = [anchor for anchor in ANCHORS if anchor.team == team]
        members: list[int] = []
        for anchor in team_anchors:
            player = factory.create(anchor.rating, anchor.full_name)
            ratings[player.player_id] = anchor.rating
            anchor_ids.add(player.player_id)
            members.append(player.player_id)
        for rank in range(len(team_anchors), size):
            rating = _slot_rating(rng, rank)
            player = factory.create(rating)
            ratings[player.player_id] = rating
            members.append(player.player_id)
        rosters[team] = list(_ranked(members, ratings))

    result: dict[int, SeasonRosters] = {}
    for season in range(first, wanted[-1] + 1):
        if season > first:
            _offseason(rng, factory, rosters, ratings, anchor_ids, season)
        opening = {team: tuple(roster) for team, roster in rosters.items()}
        _deadline_trades(rng, rosters, ratings, anchor_ids)
        after = {team: tuple(roster) for team, roster in rosters.items()}
        if season >= wanted[0]:
            result[season] = SeasonRosters(
                season=season,
                trade_deadline=season_spec(season).trade_deadline,
                opening=opening,
                after_deadline=after,
                ratings=dict(ratings),
            )
    return factory.players, result


def _deadline_trades(
    rng: random.Random,
    rosters: dict[str, list[int]],
    ratings: dict[int, float],
    anchor_ids: set[int],
) -> None:
    for _ in range(rng.randint(5, 9)):
        team_a, team_b = rng.sample(TEAMS, 2)
        pool_a = [pid for pid in rosters[team_a][3:14] if pid not in anchor_ids]
        pool_b = [pid for pid in rosters[team_b][3:14] if pid not in anchor_ids]
        if not pool_a or not pool_b:
            continue
        out_a, out_b = rng.choice(pool_a), rng.choice(pool_b)
        rosters[team_a][rosters[team_a].index(out_a)] = out_b
        rosters[team_b][rosters[team_b].index(out_b)] = out_a
        for team in (team_a, team_b):
            rosters[team] = list(_ranked(rosters[team], ratings))


def _offseason(
    rng: random.Random,
    factory: PlayerFactory,
    rosters: dict[str, list[int]],
    ratings: dict[int, float],
    anchor_ids: set[int],
    season: int,
) -> None:
    free_agents: list[int] = []
    for team in TEAMS:
        kept: list[int] = []
        for pid in rosters[team]:
            protected = pid in anchor_ids and season <= BASE_SEASON + 3
            ratings[pid] = max(0.03, min(0.99, ratings[pid] + rng.gauss(0.0, 0.05)))
            roll = rng.random()
            if protected or roll >= 0.20:
                kept.append(pid)
            elif roll >= 0.08:
                free_agents.append(pid)  # the rest retire
        rosters[team] = kept
    rng.shuffle(free_agents)
    for team in TEAMS:
        size = _roster_size(rng)
        roster = rosters[team]
        while len(roster) < size:
            if free_agents and rng.random() < 0.6:
                roster.append(free_agents.pop())
            else:
                rating = max(0.05, min(0.8, rng.betavariate(2.0, 5.0)))
                player = factory.create(rating)
                ratings[player.player_id] = rating
                roster.append(player.player_id)
        ranked = list(_ranked(roster, ratings))
        while len(ranked) > size:
            ranked.pop()
        rosters[team] = ranked


def team_strengths(seed: int, season: int) -> dict[str, float]:
    """A scoring factor per team for one season (about 0.94 .. 1.06)."""
    rng = random.Random(f"{seed}|strength|{season}")
    return {team: 1.0 + max(-0.06, min(0.06, rng.gauss(0.0, 0.025))) for team in TEAMS}


def _injury_description(rng: random.Random, season: int, start: date) -> str:
    covid = season == 2021 and date(2021, 12, 10) <= start <= date(2022, 1, 20)
    if covid and rng.random() < 0.7:
        return "Health and Safety Protocols"
    if rng.random() < 0.08:
        return "Illness"
    side = rng.choice(("Left", "Right"))
    return f"{side} {rng.choice(INJURY_PARTS)}; {rng.choice(INJURY_KINDS)}"


def build_injuries(
    seed: int, season: int, player_ids: Iterable[int]
) -> dict[int, tuple[InjurySpell, ...]]:
    """Injury spells per player for one season; pure in (seed, season, player)."""
    spec = season_spec(season)
    first_day = spec.preseason_start
    season_days = (spec.last_day - first_day).days
    spells: dict[int, tuple[InjurySpell, ...]] = {}
    for pid in sorted(player_ids):
        rng = random.Random(f"{seed}|injury|{season}|{pid}")
        found: list[InjurySpell] = []
        count = sum(1 for _ in range(4) if rng.random() < 0.3)
        for _ in range(count):
            start = first_day + timedelta(days=rng.randrange(season_days))
            roll = rng.random()
            if roll < 0.6:
                length = rng.randint(1, 5)
            elif roll < 0.9:
                length = rng.randint(6, 20)
            else:
                length = rng.randint(21, 80)
            end = start + timedelta(days=length - 1)
            found.append(
                InjurySpell(start, end, _injury_description(rng, season, start))
            )
        if season == 2021 and rng.random() < 0.22:
            start = date(2021, 12, 12) + timedelta(days=rng.randrange(36))
            end = start + timedelta(days=rng.randint(6, 11))
            found.append(InjurySpell(start, end, "Health and Safety Protocols"))
        spells[pid] = tuple(sorted(found, key=lambda spell: spell.start))
    return spells


def injury_on(spells: tuple[InjurySpell, ...], day: date) -> str | None:
    """The injury description in force on ``day``, if any."""
    for spell in spells:
        if spell.start <= day <= spell.end:
            return spell.description
    return None
