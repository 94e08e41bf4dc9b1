"""Edits of the emulator's raw tables and the checks the BigQuery tests share."""

from __future__ import annotations

from typing import Any

import pytest
from bq_harness import DateWindow, EmulatorProject

GAMEBOOK = "nbac_gamebook_player_stats"
BOXSCORES = "bdl_player_boxscores"


def bump_plus_minus(bq: EmulatorProject, by: int) -> None:
    """Change every active gamebook row, as a corrected reload of the feed would.

    plus_minus, because no gate bounds it (points would break the points range
    and the spot checks). BigQuery DML through MERGE: the emulator has no UPDATE.
    """
    bq.execute(
        f"merge `{bq.raw_table_id(GAMEBOOK)}` as raw_row "
        "using (select 1 as one) as change on true "
        "when matched and raw_row.player_status = 'active' "
        "and raw_row.plus_minus is not null "
        f"then update set plus_minus = raw_row.plus_minus + {by}"
    )


def delete_raw_player(bq: EmulatorProject, game_id: str, player_lookup: str) -> None:
    """Remove a player's rows of a game from both feeds (MERGE: no DELETE here)."""
    for table in (GAMEBOOK, BOXSCORES):
        bq.execute(
            f"merge `{bq.raw_table_id(table)}` as raw_row "
            "using (select 1 as one) as change on false "
            f"when not matched by source and raw_row.game_id = '{game_id}' "
            f"and raw_row.player_lookup = '{player_lookup}' then delete"
        )


def outside(window: DateWindow) -> str:
    return f"not ({window.between()})"


def assert_same_rows(
    actual: list[tuple[Any, ...]], expected: list[tuple[Any, ...]], what: str
) -> None:
    if actual == expected:
        return
    missing = sorted(set(expected) - set(actual))
    extra = sorted(set(actual) - set(expected))
    pytest.fail(
        f"{what}: {len(actual)} rows, expected {len(expected)}; "
        f"{len(missing)} missing, e.g. {missing[:2]}; "
        f"{len(extra)} unexpected, e.g. {extra[:2]}"
    )


def assert_runner_ok(run: Any, what: str) -> None:
    assert run.returncode == 0, (
        f"{what}: scripts/backfill.py exited {run.returncode}\n"
        f"stdout:\n{run.stdout[-3000:]}\nstderr:\n{run.stderr[-3000:]}"
    )


def chunk_states(bq: EmulatorProject, window: DateWindow) -> list[tuple[str, str]]:
    checkpoint = bq.checkpoint(window)
    return [(c["start"], c["status"]) for c in checkpoint["chunks"]]
