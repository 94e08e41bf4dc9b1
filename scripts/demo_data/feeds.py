"""Which players each player feed lists for a game, and the rows that gives.

The feeds themselves are ``gamebook_feed`` and ``bdl_feed`` (the schedule's is
``schedule_feed``), the minute encodings ``minute_formats``. Rows are plain
tuples in the column order of ``demo_data.schema``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from demo_data.bdl_feed import bdl_rows
from demo_data.feed_game import FeedGame, Row
from demo_data.gamebook_feed import gamebook_rows
from demo_data.games import ACTIVE, DNP, INACTIVE, GameResult, PlayerLine
from demo_data.gaps import MISSING_PLAYER_SECONDS, NO_GAPS, GameGaps
from demo_data.quirks import GameQuirks, snap_to_whole_minute

# Active gamebook rows whose minutes the feed left NULL. 0: a player who played
# without minutes stops a backfill (assert_no_corrupt_minutes), so the demo has
# none; the draw stays, so every other value of the demo data is unchanged.
NULL_MINUTES_SHARE = 0.0
BDL_KEEP_DNP = 0.62  # share of dnp players Ball Don't Lie lists
BDL_KEEP_INACTIVE = 0.45  # share of inactive players Ball Don't Lie lists


@dataclass(slots=True)
class GameRows:
    """The raw rows one game contributes."""

    gamebook: list[Row] = field(default_factory=list)
    bdl: list[Row] = field(default_factory=list)
    gamebook_active: int = 0


def game_rows(
    result: GameResult, quirks: GameQuirks, seed: int, gaps: GameGaps = NO_GAPS
) -> GameRows:
    """Gamebook and Ball Don't Lie rows of one played game."""
    feed = FeedGame(result, quirks, seed)
    rng, lines = feed.rng, result.lines
    sixty = snap_to_whole_minute(rng, result) if quirks.sixty_seconds else None
    # Players who played at least a minute, so Ball Don't Lie shows minutes > 0.
    played = [
        line
        for line in lines
        if line.status == ACTIVE and (line.seconds or 0) >= 60 and line is not sixty
    ]
    played.sort(key=lambda line: line.seconds or 0)
    bench_half = played[: max(1, len(played) // 2)]
    bdl_only = set(
        id(line)
        for line in rng.sample(
            bench_half, min(quirks.bdl_only_players, len(bench_half))
        )
    )
    others = [line for line in played if id(line) not in bdl_only]
    bdl_dropped = set(
        id(line)
        for line in rng.sample(others, min(quirks.bdl_dropped_active, len(others)))
    )
    null_minutes = set(
        id(line)
        for line in lines
        if line.status == ACTIVE
        and line is not sixty
        and id(line) not in bdl_dropped
        and rng.random() < NULL_MINUTES_SHARE
    )
    for line in lines:
        if line.status == ACTIVE or line is sixty:
            continue
        keep = BDL_KEEP_DNP if line.status == DNP else BDL_KEEP_INACTIVE
        if rng.random() >= keep:
            bdl_dropped.add(id(line))

    # gaps leave rows out of both feeds: no backfill can bring them back
    left_out = _left_out_by_gaps(lines, gaps)
    bdl_dropped |= left_out
    rows = GameRows()
    if not quirks.gamebook_missing:
        listed = [
            line
            for line in lines
            if id(line) not in bdl_only and id(line) not in left_out
        ]
        rows.gamebook, rows.gamebook_active = gamebook_rows(
            feed, listed, sixty, null_minutes
        )
    if not quirks.bdl_missing:
        listed = [line for line in lines if id(line) not in bdl_dropped]
        rows.bdl = bdl_rows(feed, listed)
    return rows


def _left_out_by_gaps(lines: list[PlayerLine], gaps: GameGaps) -> set[int]:
    """Lines neither feed lists: the inactive players of a feed without them,
    and the player an incomplete box score lacks."""
    left_out = (
        {id(line) for line in lines if line.status == INACTIVE}
        if gaps.without_inactive
        else set()
    )
    played = [
        line
        for line in lines
        if line.team == gaps.incomplete_team and line.status == ACTIVE and line.seconds
    ]
    if played:
        missing = min(
            played,
            key=lambda line: abs((line.seconds or 0) - MISSING_PLAYER_SECONDS),
        )
        left_out.add(id(missing))
    return left_out
