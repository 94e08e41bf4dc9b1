"""The NBA.com gamebook's rows of one game: printed names, every minute encoding
the gamebook uses, and sometimes an older load of the same file."""

from __future__ import annotations

from datetime import datetime, timedelta

from demo_data.feed_game import FeedGame, Row
from demo_data.games import ACTIVE, INACTIVE, PlayerLine
from demo_data.load_times import load_stamp
from demo_data.lookup import player_lookup
from demo_data.minute_formats import iso_minutes, mmss, sixty_seconds
from demo_data.older_loads import StatColumns, older_load

_NO_STATS: tuple[None, ...] = (None,) * 16

# How a gamebook prints the minutes of a player who did not play.
NOT_PLAYED_MINUTES: tuple[tuple[str | None, float], ...] = (
    (None, 40),
    ("", 25),
    ("-", 20),
    ("DNP", 15),
)
# Where the minutes and the stats an older load may differ in stand in a row.
_MINUTES, _POINTS, _FGM, _FGA, _TPM = 12, 13, 14, 15, 16
_STATUS = 10


def gamebook_rows(
    feed: FeedGame,
    listed: list[PlayerLine],
    sixty: PlayerLine | None,
    null_minutes: set[int],
) -> tuple[list[Row], int]:
    """The gamebook rows of the listed players, and how many are active rows.

    ``sixty`` is the player printed ``13:60``; ``null_minutes`` the ids of the
    active lines printed without minutes.
    """
    rng, game = feed.rng, feed.game
    names = _printed_names(feed, listed)
    values, weights = zip(*NOT_PLAYED_MINUTES, strict=True)
    house_style = rng.choices(values, weights=weights)[0]
    minutes: dict[int, str | None] = {}
    for line in listed:
        if line.status != ACTIVE:
            style = (
                house_style
                if rng.random() < 0.85
                else rng.choices(values, weights=weights)[0]
            )
            minutes[id(line)] = style
        elif id(line) in null_minutes:
            minutes[id(line)] = None
        elif line is sixty:
            minutes[id(line)] = sixty_seconds(line.seconds or 0)
        elif feed.quirks.iso_minutes:
            minutes[id(line)] = iso_minutes(line.seconds or 0)
        else:
            minutes[id(line)] = mmss(line.seconds or 0)
    processed = load_stamp(game.game_date + timedelta(days=1), 6, rng, 180)
    load = _load(feed, processed)
    latest = [
        _row(feed, line, names[id(line)], minutes[id(line)], load) for line in listed
    ]
    active = sum(1 for line in listed if line.status == ACTIVE)
    if not feed.quirks.gamebook_reload:
        return latest, active
    older_at = processed - timedelta(
        hours=rng.randint(3, 30), minutes=rng.randrange(60)
    )
    older_file = _load(feed, older_at)
    older = [
        _row(feed, line, names[id(line)], minutes[id(line)], older_file)
        for line in listed
    ]
    minutes_text = iso_minutes if feed.quirks.iso_minutes else mmss
    columns = StatColumns(_MINUTES, _POINTS, _FGM, _FGA, _TPM, minutes_text)
    older = older_load(rng, older, listed, columns)
    older_active = sum(1 for row in older if row[_STATUS] == ACTIVE)
    if rng.random() < 0.5:
        return older + latest, active + older_active
    return latest + older, active + older_active


def _printed_names(
    feed: FeedGame, listed: list[PlayerLine]
) -> dict[int, tuple[str, str]]:
    """(player_name, player_lookup) per line; some list inactives by last name."""
    names = {id(line): (line.player.full_name, line.player.lookup) for line in listed}
    if not feed.quirks.last_name_inactive:
        return names
    taken = {lookup for _, lookup in names.values()}
    for line in listed:
        if line.status != INACTIVE:
            continue
        short = line.player.last_name
        lookup = player_lookup(short)
        if lookup and lookup not in taken:
            taken.add(lookup)
            names[id(line)] = (short, lookup)
    return names


def _load(feed: FeedGame, processed: datetime) -> tuple[str, str]:
    """(source_file_path, processed_at) of one load of the gamebook."""
    game = feed.game
    folder = (
        f"gs://nba-scraped-data/nba-com/gamebooks-data/{feed.day}/"
        f"{game.game_date:%Y%m%d}-{game.away}{game.home}/"
    )
    return (
        f"{folder}{processed:%Y%m%d_%H%M%S}.json",
        f"{processed:%Y-%m-%d %H:%M:%S}",
    )


def _row(
    feed: FeedGame,
    line: PlayerLine,
    name: tuple[str, str],
    minutes: str | None,
    load: tuple[str, str],
) -> Row:
    game = feed.game
    head = (
        feed.canonical_id,
        feed.game_code,
        feed.day,
        game.season,
        game.home,
        game.away,
        line.team,
        name[0],
        name[0],
        name[1],
        line.status,
        line.dnp_reason,
        minutes,
    )
    if line.status != ACTIVE:
        return (*head, *_NO_STATS, *load)
    return (
        *head,
        line.points,
        *line.shooting,
        line.oreb,
        line.dreb,
        line.oreb + line.dreb,
        line.ast,
        line.stl,
        line.blk,
        line.tov,
        line.pf,
        line.plus_minus,
        *load,
    )
