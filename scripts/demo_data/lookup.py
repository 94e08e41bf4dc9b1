"""The ``player_lookup`` rule (docs/domain.md) and Ball Don't Lie's lossy one."""

from __future__ import annotations

import re
import unicodedata

_OUTSIDE_KEY_CHARS = re.compile(r"[^a-z0-9]")


def player_lookup(name: str) -> str:
    """NFKD-normalise, strip combining marks, lowercase, keep only ``[a-z0-9]``.

    >>> player_lookup("Nikola Jokić")
    'nikolajokic'
    >>> player_lookup("Tim Hardaway Jr.")
    'timhardawayjr'
    """
    decomposed = unicodedata.normalize("NFKD", name)
    base = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _OUTSIDE_KEY_CHARS.sub("", base.lower())


def bdl_player_lookup(name: str) -> str:
    """Ball Don't Lie's key: accented letters are dropped, not transliterated.

    >>> bdl_player_lookup("Nikola Jokić")
    'nikolajoki'
    """
    return _OUTSIDE_KEY_CHARS.sub("", name.lower())
