"""How each feed prints a player's minutes (docs/domain.md, minute encodings)."""

from __future__ import annotations


def mmss(seconds: int) -> str:
    """``"35:42"``, ``"0:48"``."""
    return f"{seconds // 60}:{seconds % 60:02d}"


def iso_minutes(seconds: int) -> str:
    """``"PT34M12.00S"`` (newer NBA.com feeds)."""
    return f"PT{seconds // 60:02d}M{seconds % 60:02d}.00S"


def sixty_seconds(seconds: int) -> str:
    """``"13:60"`` for 14:00 (the feed's rounding quirk); needs a whole minute."""
    return f"{seconds // 60 - 1}:60"


def bdl_minutes(seconds: int) -> str:
    """Zero-padded whole minutes, half up: 1,770 s is ``"30"``, 29 s is ``"00"``."""
    return f"{(seconds + 30) // 60:02d}"
