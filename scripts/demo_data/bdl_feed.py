"""Ball Don't Lie's rows of one game: whole minutes as text, zeros for players
who did not play, and sometimes an older load of the same file."""

from __future__ import annotations

from datetime import datetime, timedelta

from demo_data.feed_game import FeedGame, Row
from demo_data.games import ACTIVE, PlayerLine
from demo_data.load_times import load_stamp
from demo_data.minute_formats import bdl_minutes
from demo_data.older_loads import StatColumns, older_load
from demo_data.scheduled_games import PLAY_IN, PLAYOFFS

_NOT_PLAYED_STATS = (0,) * 15
# Where the minutes and the stats an older load may differ in stand in a row.
_COLUMNS = StatColumns(
    minutes=14, points=15, fgm=24, fga=25, tpm=26, minutes_text=bdl_minutes
)


def bdl_rows(feed: FeedGame, listed: list[PlayerLine]) -> list[Row]:
    """The Ball Don't Lie rows of the listed players."""
    rng, game = feed.rng, feed.game
    created = load_stamp(game.game_date + timedelta(days=1), 3, rng, 120)
    processed = created + timedelta(
        minutes=rng.randint(1, 20), seconds=rng.randrange(60)
    )
    load = _load(feed, created, processed)
    latest = [_row(feed, line, load) for line in listed]
    if not feed.quirks.bdl_reload:
        return latest
    older_created = created - timedelta(
        hours=rng.randint(3, 20), minutes=rng.randrange(60)
    )
    older_processed = older_created + timedelta(minutes=rng.randint(1, 20))
    older_file = _load(feed, older_created, older_processed)
    older = [_row(feed, line, older_file) for line in listed]
    older = older_load(rng, older, listed, _COLUMNS)
    return older + latest if rng.random() < 0.5 else latest + older


def _load(
    feed: FeedGame, created: datetime, processed: datetime
) -> tuple[str, str, str]:
    """(source_file_path, created_at, processed_at) of one Ball Don't Lie load."""
    folder = f"gs://nba-scraped-data/ball-dont-lie/boxscores/{feed.day}/"
    return (
        f"{folder}{created:%Y%m%d_%H%M%S}.json",
        f"{created:%Y-%m-%d %H:%M:%S}",
        f"{processed:%Y-%m-%d %H:%M:%S}",
    )


def _row(feed: FeedGame, line: PlayerLine, load: tuple[str, str, str]) -> Row:
    game, result, player = feed.game, feed.result, line.player
    played = line.status == ACTIVE
    seconds = line.seconds or 0
    # the feed prints zeros, not NULLs, for a player who did not play
    stats = (
        (
            line.points,
            line.ast,
            line.oreb + line.dreb,
            line.oreb,
            line.dreb,
            line.stl,
            line.blk,
            line.tov,
            line.pf,
            *line.shooting,
        )
        if played
        else _NOT_PLAYED_STATS
    )
    return (
        feed.canonical_id,
        feed.day,
        game.season,
        "Final",
        4 + result.overtimes,
        game.kind in (PLAY_IN, PLAYOFFS),
        game.home,
        game.away,
        result.home_score,
        result.away_score,
        line.team,
        player.full_name,
        player.bdl_lookup,
        player.bdl_player_id,
        bdl_minutes(seconds) if played else "00",
        *stats,
        *load,
    )
