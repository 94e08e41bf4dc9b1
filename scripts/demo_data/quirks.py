"""Which games carry which feed quirks (docs/domain.md says why they matter).

Game-level quirks follow fixed cycles over a season's games (offsets drawn from the
seed), so every stretch of about 100 games holds each of them: a two-week window is
enough to see reloads, a game the gamebook lacks and players only one source lists.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType

from demo_data.games import ACTIVE, GameResult, PlayerLine
from demo_data.scheduled_games import ALL_STAR, PRESEASON, REGULAR, SeasonCalendar

GAMEBOOK_RELOAD_EVERY = 50  # ~2% of games loaded twice into the gamebook
BDL_RELOAD_EVERY = 100  # ~1% into Ball Don't Lie
GAMEBOOK_MISSING_EVERY = 85  # ~15 games a season the gamebook lacks
BDL_MISSING_SEASON = 2021  # the season whose Ball Don't Lie lacks seven games
BDL_MISSING_GAMES = 7
BDL_MISSING_EVERY = 175
SIXTY_SECONDS_EVERY = 13  # one "13:60"-style value every 13th game date
BDL_ONLY_PER_DAY = 3  # players who played, missing from the gamebook, per game date
LAST_NAME_INACTIVE_SHARE = (
    0.3  # games whose gamebook lists inactive players by last name
)
# Share of games whose gamebook prints minutes as "PT34M12.00S" (newer feed).
ISO_SHARE: Mapping[int, float] = MappingProxyType({2023: 0.35})
ISO_SHARE_LATER = 0.6  # seasons after 2023


@dataclass(slots=True)
class GameQuirks:
    """The quirks one game carries in the raw feeds."""

    gamebook_missing: bool = False
    bdl_missing: bool = False
    gamebook_reload: bool = False
    bdl_reload: bool = False
    iso_minutes: bool = False
    sixty_seconds: bool = False
    last_name_inactive: bool = False
    bdl_only_players: int = 0
    bdl_dropped_active: int = 0


def _iso_share(season: int) -> float:
    if season < 2023:
        return 0.0
    return ISO_SHARE.get(season, ISO_SHARE_LATER)


def plan_quirks(seed: int, calendar: SeasonCalendar) -> dict[str, GameQuirks]:
    """Quirks per NBA game id for every game of the season (pure in the seed)."""
    rng = random.Random(f"{seed}|quirks|{calendar.season}")
    plans: dict[str, GameQuirks] = {}
    iso_share = _iso_share(calendar.season)
    for game in calendar.games:
        plans[game.nba_game_id] = GameQuirks(
            iso_minutes=rng.random() < iso_share,
            last_name_inactive=rng.random() < LAST_NAME_INACTIVE_SHARE,
        )

    eligible = [
        game for game in calendar.games if game.kind not in (PRESEASON, ALL_STAR)
    ]
    gamebook_reload = rng.randrange(GAMEBOOK_RELOAD_EVERY)
    bdl_reload = rng.randrange(BDL_RELOAD_EVERY)
    gamebook_missing = rng.randrange(GAMEBOOK_MISSING_EVERY)
    for index, game in enumerate(eligible):
        plan = plans[game.nba_game_id]
        plan.gamebook_reload = index % GAMEBOOK_RELOAD_EVERY == gamebook_reload
        plan.bdl_reload = index % BDL_RELOAD_EVERY == bdl_reload
        plan.gamebook_missing = index % GAMEBOOK_MISSING_EVERY == gamebook_missing

    if calendar.season == BDL_MISSING_SEASON:
        regular = [game for game in eligible if game.kind == REGULAR]
        start = rng.randrange(
            len(regular) - BDL_MISSING_EVERY * (BDL_MISSING_GAMES - 1)
        )
        for step in range(BDL_MISSING_GAMES):
            plan = plans[regular[start + step * BDL_MISSING_EVERY].nba_game_id]
            plan.bdl_missing = True
            plan.gamebook_missing = False  # every game is in at least one source

    by_day: dict[date, list[str]] = defaultdict(list)
    for game in eligible:
        by_day[game.game_date].append(game.nba_game_id)
    sixty = rng.randrange(SIXTY_SECONDS_EVERY)
    for day_index, day in enumerate(sorted(by_day)):
        both = [
            game_id
            for game_id in by_day[day]
            if not plans[game_id].gamebook_missing and not plans[game_id].bdl_missing
        ]
        if not both:
            continue
        for _ in range(min(BDL_ONLY_PER_DAY, 2 * len(both))):
            plans[rng.choice(both)].bdl_only_players += 1
        if rng.random() < 0.5:
            plans[rng.choice(both)].bdl_dropped_active += 1
        if day_index % SIXTY_SECONDS_EVERY == sixty:
            clock = [game_id for game_id in both if not plans[game_id].iso_minutes]
            if clock:
                plans[rng.choice(clock)].sixty_seconds = True
    return plans


def snap_to_whole_minute(rng: random.Random, result: GameResult) -> PlayerLine | None:
    """Shift seconds between teammates so one has whole minutes; return him."""
    cap = result.team_seconds // 5
    candidates = [
        line
        for line in result.lines
        if line.status == ACTIVE and (line.seconds or 0) >= 120
    ]
    rng.shuffle(candidates)
    for line in candidates:
        seconds = line.seconds or 0
        target = round(seconds / 60) * 60
        delta = target - seconds
        partners = [
            other
            for other in result.lines
            if other.team == line.team
            and other is not line
            and other.status == ACTIVE
            and 60 < (other.seconds or 0) - delta < cap
        ]
        if partners:
            partner = rng.choice(partners)
            line.seconds = target
            partner.seconds = (partner.seconds or 0) - delta
            return line
    return None
