"""Columns and DuckDB types of the three raw tables (docs/domain.md), in order."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

RAW_SCHEMA = "nba_raw"
SCHEDULE = "nbac_schedule"
GAMEBOOK = "nbac_gamebook_player_stats"
BDL = "bdl_player_boxscores"

Columns = tuple[tuple[str, str], ...]

SCHEDULE_COLUMNS: Columns = (
    ("game_id", "VARCHAR"),
    ("game_code", "VARCHAR"),
    ("season_year", "BIGINT"),
    ("game_date", "DATE"),
    ("game_status", "BIGINT"),
    ("home_team_tricode", "VARCHAR"),
    ("away_team_tricode", "VARCHAR"),
    ("home_team_score", "BIGINT"),
    ("away_team_score", "BIGINT"),
    ("is_regular_season", "BOOLEAN"),
    ("is_playoffs", "BOOLEAN"),
    ("is_all_star", "BOOLEAN"),
    ("processed_at", "TIMESTAMP"),
)

_GAMEBOOK_STATS = (
    "points",
    "field_goals_made",
    "field_goals_attempted",
    "three_pointers_made",
    "three_pointers_attempted",
    "free_throws_made",
    "free_throws_attempted",
    "offensive_rebounds",
    "defensive_rebounds",
    "total_rebounds",
    "assists",
    "steals",
    "blocks",
    "turnovers",
    "personal_fouls",
    "plus_minus",
)

GAMEBOOK_COLUMNS: Columns = (
    ("game_id", "VARCHAR"),
    ("game_code", "VARCHAR"),
    ("game_date", "DATE"),
    ("season_year", "BIGINT"),
    ("home_team_abbr", "VARCHAR"),
    ("away_team_abbr", "VARCHAR"),
    ("team_abbr", "VARCHAR"),
    ("player_name", "VARCHAR"),
    ("player_name_original", "VARCHAR"),
    ("player_lookup", "VARCHAR"),
    ("player_status", "VARCHAR"),
    ("dnp_reason", "VARCHAR"),
    ("minutes", "VARCHAR"),
    *((name, "BIGINT") for name in _GAMEBOOK_STATS),
    ("source_file_path", "VARCHAR"),
    ("processed_at", "TIMESTAMP"),
)

_BDL_STATS = (
    "points",
    "assists",
    "rebounds",
    "offensive_rebounds",
    "defensive_rebounds",
    "steals",
    "blocks",
    "turnovers",
    "personal_fouls",
    "field_goals_made",
    "field_goals_attempted",
    "three_pointers_made",
    "three_pointers_attempted",
    "free_throws_made",
    "free_throws_attempted",
)

BDL_COLUMNS: Columns = (
    ("game_id", "VARCHAR"),
    ("game_date", "DATE"),
    ("season_year", "BIGINT"),
    ("game_status", "VARCHAR"),
    ("period", "BIGINT"),
    ("is_postseason", "BOOLEAN"),
    ("home_team_abbr", "VARCHAR"),
    ("away_team_abbr", "VARCHAR"),
    ("home_team_score", "BIGINT"),
    ("away_team_score", "BIGINT"),
    ("team_abbr", "VARCHAR"),
    ("player_full_name", "VARCHAR"),
    ("player_lookup", "VARCHAR"),
    ("bdl_player_id", "BIGINT"),
    ("minutes", "VARCHAR"),
    *((name, "BIGINT") for name in _BDL_STATS),
    ("source_file_path", "VARCHAR"),
    ("created_at", "TIMESTAMP"),
    ("processed_at", "TIMESTAMP"),
)

TABLES: Mapping[str, Columns] = MappingProxyType(
    {
        SCHEDULE: SCHEDULE_COLUMNS,
        GAMEBOOK: GAMEBOOK_COLUMNS,
        BDL: BDL_COLUMNS,
    }
)
