"""The demo generator's output contract: the window and counts it reports, the
same rows for the same seed, the raw tables' columns and types.

The generated data and the reference rules are in generated_raw_data.py.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from demo_data.schema import BDL_COLUMNS, GAMEBOOK_COLUMNS, SCHEDULE_COLUMNS
from generate_raw_data import GenerationSummary, generate
from generated_raw_data import (
    END,
    GAMEBOOK,
    SCHEDULE,
    START,
    TABLES,
    table_rows,
)


def test_summary_reports_window_and_counts(
    generated: tuple[Path, GenerationSummary], con: duckdb.DuckDBPyConnection
) -> None:
    _, summary = generated
    assert (summary.start_date, summary.end_date) == (START, END)
    assert summary.seasons == (2021,)
    for table, count in summary.row_counts.items():
        assert con.sql(f"select count(*) from nba_raw.{table}").fetchone() == (count,)
    dates = con.sql(f"select min(game_date), max(game_date) from {SCHEDULE}").fetchone()
    assert dates is not None and dates[0] >= START and dates[1] <= END
    active = con.sql(
        f"select count(*) from {GAMEBOOK} where player_status = 'active'"
    ).fetchone()
    assert active == (summary.gamebook_active_rows,)


def test_same_seed_same_rows_other_seed_differs(
    generated: tuple[Path, GenerationSummary], tmp_path: Path
) -> None:
    again, other = tmp_path / "again.duckdb", tmp_path / "other.duckdb"
    generate(again, seed=42, start_date=START, end_date=END, progress=lambda _: None)
    generate(other, seed=7, start_date=START, end_date=END, progress=lambda _: None)
    first = table_rows(generated[0])
    assert table_rows(again) == first
    different = table_rows(other)
    for table in TABLES:
        assert different[table] != first[table]


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        ("nbac_schedule", SCHEDULE_COLUMNS),
        ("nbac_gamebook_player_stats", GAMEBOOK_COLUMNS),
        ("bdl_player_boxscores", BDL_COLUMNS),
    ],
)
def test_columns_and_types(
    con: duckdb.DuckDBPyConnection, table: str, expected: tuple[tuple[str, str], ...]
) -> None:
    actual = con.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_schema = 'nba_raw' and table_name = ? order by ordinal_position",
        [table],
    ).fetchall()
    assert actual == list(expected)


def test_contract_column_lists() -> None:
    gamebook = [name for name, _ in GAMEBOOK_COLUMNS]
    assert gamebook == [
        "game_id", "game_code", "game_date", "season_year", "home_team_abbr",
        "away_team_abbr", "team_abbr", "player_name", "player_name_original",
        "player_lookup", "player_status", "dnp_reason", "minutes", "points",
        "field_goals_made", "field_goals_attempted", "three_pointers_made",
        "three_pointers_attempted", "free_throws_made", "free_throws_attempted",
        "offensive_rebounds", "defensive_rebounds", "total_rebounds", "assists",
        "steals", "blocks", "turnovers", "personal_fouls", "plus_minus",
        "source_file_path", "processed_at",
    ]  # fmt: skip
    assert dict(SCHEDULE_COLUMNS)["home_team_score"] == "BIGINT"
    assert dict(BDL_COLUMNS)["game_status"] == "VARCHAR"
    assert [name for name, _ in BDL_COLUMNS][-3:] == [
        "source_file_path",
        "created_at",
        "processed_at",
    ]
