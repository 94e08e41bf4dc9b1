"""The upstream work tables built one season per statement on DuckDB
(macros/backfill/work_tables_by_season.sql): the rows of one statement over the
range, within a memory cap that one statement over the same range exceeds."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest
from dbt_harness import PROJECT_DIR, DbtHarness

# three seasons, so one statement over the range holds three times a season
WINDOW = {"start_date": "2021-10-01", "end_date": "2024-05-01"}
STAGED = {**WINDOW, "stage_upstream": True}
ONE_STATEMENT = {**STAGED, "stage_upstream_by_season": False}
GAMEBOOK = "stg_nba_raw__nbac_gamebook_player_stats"
WORK = "nba_backfill_work"
# DuckDB here needs ~150-175 MB for a season of the gamebook's staging and
# ~250-350 MB for the three at once (measured with duckdb 1.4.4, 2 threads)
CAP = "210MB"


def capped_profiles(folder: Path) -> Path:
    """profiles.yml.example's DuckDB target under CAP, with spilling to disk off
    (a statement over the cap fails instead of spilling) and one dbt thread (one
    model at a time, so a model has the whole cap)."""
    folder.mkdir(parents=True, exist_ok=True)
    text = (PROJECT_DIR / "profiles.yml.example").read_text()
    capped = text.replace("      threads: 2\n", "      threads: 1\n", 1).replace(
        "        memory_limit: \"{{ env_var('NBA_DUCKDB_MEMORY_LIMIT', '512MB') }}\"\n",
        f"        memory_limit: {CAP}\n        temp_directory: ''\n",
        1,
    )
    assert capped.count(CAP) == 1 and "temp_directory" in capped
    (folder / "profiles.yml").write_text(capped)
    return folder


def invoke(harness: DbtHarness, dbt_vars: dict[str, Any], *selection: str) -> Any:
    return harness.invoke("run", *selection, dbt_vars=dbt_vars)


def failures(result: Any) -> list[tuple[str, str]]:
    return [(r.node.name, r.message) for r in result.result or [] if r.message]


@pytest.fixture(scope="module")
def three_seasons(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from generate_raw_data import generate

    path = tmp_path_factory.mktemp("seasons") / "raw.duckdb"
    generate(
        path,
        seed=42,
        start_date=date.fromisoformat(WINDOW["start_date"]),
        end_date=date.fromisoformat(WINDOW["end_date"]),
        progress=lambda _: None,
    )
    return path


def closed_copy(db_path: Path, copy: Path) -> Path:
    """A copy of a file dbt-duckdb still holds open in this process (with its
    own settings, which a second connection here may not differ from)."""
    shutil.copy(db_path, copy)
    wal = db_path.with_name(db_path.name + ".wal")
    if wal.exists():
        shutil.copy(wal, copy.with_name(copy.name + ".wal"))
    return copy


def harness_on(raw: Path, folder: Path, profiles: Path) -> DbtHarness:
    folder.mkdir(parents=True, exist_ok=True)
    db_path = folder / "nba.duckdb"
    shutil.copy(raw, db_path)
    return DbtHarness(db_path, folder / "target", profiles)


@pytest.fixture(scope="module")
def by_season(
    three_seasons: Path, tmp_path_factory: pytest.TempPathFactory
) -> DbtHarness:
    """The upstream work tables of the three seasons, built by season under CAP."""
    folder = tmp_path_factory.mktemp("by_season")
    harness = harness_on(three_seasons, folder, capped_profiles(folder / "profiles"))
    result = invoke(harness, STAGED, "--selector", "backfill_upstream")
    assert result.success, failures(result) or result.exception
    return harness


def test_season_by_season_gives_the_rows_of_one_statement(
    by_season: DbtHarness, three_seasons: Path, tmp_path: Path, profiles_dir: Path
) -> None:
    one = harness_on(three_seasons, tmp_path, profiles_dir)
    result = invoke(one, ONE_STATEMENT, "--selector", "backfill_upstream")
    assert result.success, failures(result) or result.exception
    built = sorted(
        r.node.name for r in result.result if r.node.resource_type == "model"
    )
    assert len(built) == 7  # the 3 staging and 4 intermediate work tables

    # the build was split: a table, then an insert per further season
    run_sql = next((by_season.target_path / "run").rglob(f"{GAMEBOOK}.sql"))
    assert run_sql.read_text().count(f'insert into "nba"."{WORK}".') == 2

    with duckdb.connect() as connection:
        for name, harness in (("by_season", by_season), ("one", one)):
            copy = closed_copy(harness.db_path, tmp_path / f"{name}.duckdb")
            connection.execute(f"attach '{copy}' as {name} (read_only)")
        for model in built:
            rows = connection.execute(
                f"select count(*) from by_season.{WORK}.{model}"
            ).fetchone()[0]
            assert rows > 0, model
            for left, right in (("by_season", "one"), ("one", "by_season")):
                (missing,) = connection.execute(
                    f"select count(*) from (select * from {left}.{WORK}.{model} "
                    f"except all select * from {right}.{WORK}.{model})"
                ).fetchone()
                assert missing == 0, (model, left, right)


def test_one_statement_over_the_seasons_exceeds_the_cap(
    by_season: DbtHarness, three_seasons: Path, tmp_path: Path
) -> None:
    """The same cap, the same data: built in one statement, the gamebook's
    staging table runs out of memory (built by season above, it fits)."""
    harness = harness_on(
        three_seasons, tmp_path, capped_profiles(tmp_path / "profiles")
    )
    result = invoke(harness, ONE_STATEMENT, "--select", GAMEBOOK)
    assert not result.success
    assert any("Out of Memory" in message for _, message in failures(result)), failures(
        result
    )
