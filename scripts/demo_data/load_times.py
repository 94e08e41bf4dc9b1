"""When a feed's file was loaded: a time on a day, spread by the feed's own draw."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta


def load_stamp(
    day: date, hour: int, rng: random.Random, spread_minutes: int
) -> datetime:
    return datetime.combine(day, time(hour)) + timedelta(
        minutes=rng.randrange(spread_minutes), seconds=rng.randrange(60)
    )
