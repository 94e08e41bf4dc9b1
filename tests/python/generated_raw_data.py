"""Generated demo raw data for the generator's tests, and reference rules written
apart from the generator to check it against."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import duckdb
import pytest
from generate_raw_data import GenerationSummary, generate

# Late December 2021 - early January 2022: COVID postponements and every other quirk.
START = date(2021, 12, 20)
END = date(2022, 1, 10)
TABLES = ("nbac_schedule", "nbac_gamebook_player_stats", "bdl_player_boxscores")
SCHEDULE = "nba_raw.nbac_schedule"
GAMEBOOK = "nba_raw.nbac_gamebook_player_stats"
BOXSCORES = "nba_raw.bdl_player_boxscores"


def reference_lookup(name: str) -> str:
    """docs/domain.md's player_lookup rule, written apart from the generator."""
    text = "".join(
        ch
        for ch in unicodedata.normalize("NFKD", name)
        if not unicodedata.combining(ch)
    )
    return re.sub(r"[^a-z0-9]", "", text.lower())


def parse_seconds(minutes: str | None) -> int | None:
    """Seconds of a gamebook minutes value ("35:42", "13:60", "PT34M12.00S")."""
    if minutes is None:
        return None
    clock = re.fullmatch(r"(\d+):(\d{2})", minutes)
    if clock:
        return int(clock[1]) * 60 + int(clock[2])
    iso = re.fullmatch(r"PT(\d+)M(\d+)\.00S", minutes)
    if iso:
        return int(iso[1]) * 60 + int(iso[2])
    raise AssertionError(f"unexpected active minutes value {minutes!r}")


@pytest.fixture(scope="session")
def generated(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, GenerationSummary]:
    db_path = tmp_path_factory.mktemp("raw") / "nba.duckdb"
    summary = generate(
        db_path, seed=42, start_date=START, end_date=END, progress=lambda _: None
    )
    return db_path, summary


@pytest.fixture(scope="session")
def con(generated: tuple[Path, GenerationSummary]) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect(str(generated[0]), read_only=True)
    connection.execute(
        """
        create temp view gb as
        select * from nba_raw.nbac_gamebook_player_stats
        qualify processed_at = max(processed_at) over (partition by game_id);
        create temp view bdl as
        select * from nba_raw.bdl_player_boxscores
        qualify processed_at = max(processed_at) over (partition by game_id);
        """
    )
    return connection


def table_rows(db_path: Path) -> dict[str, list[tuple[object, ...]]]:
    with duckdb.connect(str(db_path), read_only=True) as connection:
        return {
            table: connection.sql(
                f"select * from nba_raw.{table} order by rowid"
            ).fetchall()
            for table in TABLES
        }


@contextmanager
def generated_window(
    db_path: Path, start: date, end: date
) -> Iterator[duckdb.DuckDBPyConnection]:
    """Demo raw data for a window of its own (default seed), opened read-only."""
    generate(db_path, start_date=start, end_date=end, progress=lambda _: None)
    with duckdb.connect(str(db_path), read_only=True) as connection:
        yield connection
