"""Turns a simulated game into rows of the two player feeds, quirks included.

The schedule feed is ``schedule_feed``; the minute encodings ``minute_formats``.

Rows are plain tuples in the column order of ``demo_data.schema``.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from demo_data.games import ACTIVE, DNP, INACTIVE, GameResult, PlayerLine
from demo_data.gaps import MISSING_PLAYER_SECONDS, NO_GAPS, GameGaps
from demo_data.load_times import load_stamp
from demo_data.lookup import player_lookup
from demo_data.minute_formats import bdl_minutes, iso_minutes, mmss, sixty_seconds
from demo_data.quirks import GameQuirks, snap_to_whole_minute
from demo_data.scheduled_games import (
    PLAY_IN,
    PLAYOFFS,
)

Row = tuple[object, ...]

_NO_STATS: tuple[None, ...] = (None,) * 16

# Active gamebook rows whose minutes the feed left NULL. 0: a player who played
# without minutes stops a backfill (assert_no_corrupt_minutes), so the demo has
# none; the draw stays, so every other value of the demo data is unchanged.
NULL_MINUTES_SHARE = 0.0
BDL_KEEP_DNP = 0.62  # share of dnp players Ball Don't Lie lists
BDL_KEEP_INACTIVE = 0.45  # share of inactive players Ball Don't Lie lists
# How a gamebook prints the minutes of a player who did not play.
NOT_PLAYED_MINUTES: tuple[tuple[str | None, float], ...] = (
    (None, 40),
    ("", 25),
    ("-", 20),
    ("DNP", 15),
)


@dataclass(frozen=True, slots=True)
class _StatColumns:
    """Positions of the columns an older load may differ in, and the minutes format."""

    minutes: int
    points: int
    fgm: int
    fga: int
    tpm: int
    minutes_text: Callable[[int], str]


@dataclass(slots=True)
class GameRows:
    """The raw rows one game contributes."""

    gamebook: list[Row] = field(default_factory=list)
    bdl: list[Row] = field(default_factory=list)
    gamebook_active: int = 0


class _GameFeeds:
    """Builds both feeds' rows for one game."""

    def __init__(
        self, result: GameResult, quirks: GameQuirks, gaps: GameGaps, seed: int
    ) -> None:
        self.result = result
        self.quirks = quirks
        self.gaps = gaps
        self.game = result.game
        self.rng = random.Random(
            f"{seed}|feeds|{self.game.nba_game_id}|{self.game.game_date}"
        )
        # Formatted once per game: the CSV writer would otherwise format them per row.
        self.canonical_id = self.game.canonical_id
        self.game_code = self.game.game_code
        self.day = self.game.game_date.isoformat()
        self.gamebook_dir = (
            f"gs://nba-scraped-data/nba-com/gamebooks-data/{self.day}/"
            f"{self.game.game_date:%Y%m%d}-{self.game.away}{self.game.home}/"
        )
        self.bdl_dir = f"gs://nba-scraped-data/ball-dont-lie/boxscores/{self.day}/"

    def build(self) -> GameRows:
        rng, quirks, lines = self.rng, self.quirks, self.result.lines
        sixty = snap_to_whole_minute(rng, self.result) if quirks.sixty_seconds else None
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
        left_out = self._left_out_by_gaps()
        bdl_dropped |= left_out
        rows = GameRows()
        if not quirks.gamebook_missing:
            listed = [
                line
                for line in lines
                if id(line) not in bdl_only and id(line) not in left_out
            ]
            rows.gamebook, rows.gamebook_active = self._gamebook(
                listed, sixty, null_minutes
            )
        if not quirks.bdl_missing:
            rows.bdl = self._bdl(
                [line for line in lines if id(line) not in bdl_dropped]
            )
        return rows

    def _left_out_by_gaps(self) -> set[int]:
        """Lines neither feed lists: the inactive players of a feed without them,
        and the player an incomplete box score lacks."""
        lines = self.result.lines
        left_out = (
            {id(line) for line in lines if line.status == INACTIVE}
            if self.gaps.without_inactive
            else set()
        )
        team = self.gaps.incomplete_team
        played = [
            line
            for line in lines
            if line.team == team and line.status == ACTIVE and line.seconds
        ]
        if played:
            missing = min(
                played,
                key=lambda line: abs((line.seconds or 0) - MISSING_PLAYER_SECONDS),
            )
            left_out.add(id(missing))
        return left_out

    # -- gamebook -------------------------------------------------------------------
    def _gamebook(
        self, listed: list[PlayerLine], sixty: PlayerLine | None, null_minutes: set[int]
    ) -> tuple[list[Row], int]:
        rng, game = self.rng, self.game
        names = self._printed_names(listed)
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
            elif self.quirks.iso_minutes:
                minutes[id(line)] = iso_minutes(line.seconds or 0)
            else:
                minutes[id(line)] = mmss(line.seconds or 0)
        processed = load_stamp(game.game_date + timedelta(days=1), 6, rng, 180)
        load = self._gamebook_load(processed)
        latest = [
            self._gamebook_row(line, names[id(line)], minutes[id(line)], load)
            for line in listed
        ]
        active = sum(1 for line in listed if line.status == ACTIVE)
        if not self.quirks.gamebook_reload:
            return latest, active
        older_at = processed - timedelta(
            hours=rng.randint(3, 30), minutes=rng.randrange(60)
        )
        older_load = self._gamebook_load(older_at)
        older = [
            self._gamebook_row(line, names[id(line)], minutes[id(line)], older_load)
            for line in listed
        ]
        minutes_text = iso_minutes if self.quirks.iso_minutes else mmss
        older = self._older_load(
            older, listed, _StatColumns(12, 13, 14, 15, 16, minutes_text)
        )
        older_active = sum(1 for row in older if row[10] == ACTIVE)
        if rng.random() < 0.5:
            return older + latest, active + older_active
        return latest + older, active + older_active

    def _printed_names(self, listed: list[PlayerLine]) -> dict[int, tuple[str, str]]:
        """(player_name, player_lookup) per line; some list inactives by last name."""
        names = {
            id(line): (line.player.full_name, line.player.lookup) for line in listed
        }
        if not self.quirks.last_name_inactive:
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

    def _gamebook_load(self, processed: datetime) -> tuple[str, str]:
        """(source_file_path, processed_at) of one load of the gamebook."""
        return (
            f"{self.gamebook_dir}{processed:%Y%m%d_%H%M%S}.json",
            f"{processed:%Y-%m-%d %H:%M:%S}",
        )

    def _gamebook_row(
        self,
        line: PlayerLine,
        name: tuple[str, str],
        minutes: str | None,
        load: tuple[str, str],
    ) -> Row:
        game = self.game
        head = (
            self.canonical_id,
            self.game_code,
            self.day,
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
            line.fgm,
            line.fga,
            line.tpm,
            line.tpa,
            line.ftm,
            line.fta,
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

    def _older_load(
        self, rows: list[Row], listed: list[PlayerLine], columns: _StatColumns
    ) -> list[Row]:
        """An older load differs: a stat fix, a missing player or other minutes."""
        rng = self.rng
        kind = rng.choice(("points", "missing", "minutes"))
        if kind == "missing":
            del rows[rng.randrange(len(rows))]
            return rows
        scorers = [
            index
            for index, line in enumerate(listed)
            if line.status == ACTIVE and line.fgm > 0 and (line.seconds or 0) > 60
        ]
        if not scorers:
            return rows
        index = rng.choice(scorers)
        line, row = listed[index], list(rows[index])
        if kind == "points":  # one field goal more or less, still coherent
            step = rng.choice((-1, 1))
            row[columns.fgm] = line.fgm + step
            row[columns.fga] = line.fga + max(step, 0)
            row[columns.tpm] = min(line.tpm, line.fgm + step)
            row[columns.points] = (
                2 * (line.fgm + step - row[columns.tpm])
                + 3 * row[columns.tpm]
                + line.ftm
            )
        else:
            row[columns.minutes] = columns.minutes_text((line.seconds or 0) - 60)
        rows[index] = tuple(row)
        return rows

    # -- Ball Don't Lie --------------------------------------------------------------
    def _bdl(self, listed: list[PlayerLine]) -> list[Row]:
        rng, game = self.rng, self.game
        created = load_stamp(game.game_date + timedelta(days=1), 3, rng, 120)
        processed = created + timedelta(
            minutes=rng.randint(1, 20), seconds=rng.randrange(60)
        )
        load = self._bdl_load(created, processed)
        latest = [self._bdl_row(line, load) for line in listed]
        if not self.quirks.bdl_reload:
            return latest
        older_created = created - timedelta(
            hours=rng.randint(3, 20), minutes=rng.randrange(60)
        )
        older_processed = older_created + timedelta(minutes=rng.randint(1, 20))
        older_load = self._bdl_load(older_created, older_processed)
        older = [self._bdl_row(line, older_load) for line in listed]
        older = self._older_load(
            older, listed, _StatColumns(14, 15, 24, 25, 26, bdl_minutes)
        )
        return older + latest if rng.random() < 0.5 else latest + older

    def _bdl_load(self, created: datetime, processed: datetime) -> tuple[str, str, str]:
        """(source_file_path, created_at, processed_at) of one Ball Don't Lie load."""
        return (
            f"{self.bdl_dir}{created:%Y%m%d_%H%M%S}.json",
            f"{created:%Y-%m-%d %H:%M:%S}",
            f"{processed:%Y-%m-%d %H:%M:%S}",
        )

    def _bdl_row(self, line: PlayerLine, load: tuple[str, str, str]) -> Row:
        game, result, player = self.game, self.result, line.player
        played = line.status == ACTIVE
        seconds = line.seconds or 0
        return (
            self.canonical_id,
            self.day,
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
            line.points if played else 0,
            line.ast if played else 0,
            line.oreb + line.dreb if played else 0,
            line.oreb if played else 0,
            line.dreb if played else 0,
            line.stl if played else 0,
            line.blk if played else 0,
            line.tov if played else 0,
            line.pf if played else 0,
            line.fgm if played else 0,
            line.fga if played else 0,
            line.tpm if played else 0,
            line.tpa if played else 0,
            line.ftm if played else 0,
            line.fta if played else 0,
            *load,
        )


def game_rows(
    result: GameResult, quirks: GameQuirks, seed: int, gaps: GameGaps = NO_GAPS
) -> GameRows:
    """Gamebook and Ball Don't Lie rows of one played game."""
    return _GameFeeds(result, quirks, gaps, seed).build()
