"""An older load of a feed's file for a game, as repeated loads leave in raw.

Both player feeds are sometimes loaded twice; the older load differs from the
newest by a stat fix, a missing player or other minutes, so staging must keep
the newest load.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from demo_data.feed_game import Row
from demo_data.games import ACTIVE, PlayerLine


@dataclass(frozen=True, slots=True)
class StatColumns:
    """Positions of the columns an older load may differ in, and the minutes format."""

    minutes: int
    points: int
    fgm: int
    fga: int
    tpm: int
    minutes_text: Callable[[int], str]


def older_load(
    rng: random.Random, rows: list[Row], listed: list[PlayerLine], columns: StatColumns
) -> list[Row]:
    """The rows of an older load: a stat fix, a missing player or other minutes."""
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
            2 * (line.fgm + step - row[columns.tpm]) + 3 * row[columns.tpm] + line.ftm
        )
    else:
        row[columns.minutes] = columns.minutes_text((line.seconds or 0) - 60)
    rows[index] = tuple(row)
    return rows
