"""The runner's selections (selectors.yml) against dbt's own list of the tests
upstream of the summary, and the docs overview's list of what a backfill validates.

A backfill runs the pre-flight, the sample week, the chunks and the final
validation; together they must run every data and unit test of the summary and
of every model and source it is built from, each once over the range, and the
docs overview (models/overview.md, the one table of the failures and the tests
guarding each) must name every named test among them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from backfill_runner.validation import (
    CHUNK_SELECTOR,
    FINAL_SELECTOR,
    PREFLIGHT_SELECTOR,
    SAMPLE_SELECTOR,
    SUMMARY_VALIDATION_SELECTOR,
    TESTS_SELECTOR,
    UPSTREAM_SELECTOR,
    UPSTREAM_TESTS_SELECTOR,
)
from dbt_harness import PROJECT_DIR, DbtHarness

TEST_TYPES = ("test", "unit_test")


def _ls(harness: DbtHarness, *selection: str) -> set[str]:
    result = harness.invoke(
        "ls", *selection, "--resource-type", "test", "--resource-type", "unit_test",
        "--output", "name",
    )  # fmt: skip
    assert result.success, result.exception
    return set(result.result)


@pytest.fixture(scope="module")
def listed(
    raw_db_template: Path, profiles_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, set[str]]:
    harness = DbtHarness(
        raw_db_template, tmp_path_factory.mktemp("ls") / "target", profiles_dir
    )
    selections = {
        name: _ls(harness, "--selector", name)
        for name in (
            TESTS_SELECTOR,
            PREFLIGHT_SELECTOR,
            SAMPLE_SELECTOR,
            CHUNK_SELECTOR,
            FINAL_SELECTOR,
            UPSTREAM_TESTS_SELECTOR,
            SUMMARY_VALIDATION_SELECTOR,
        )
    }
    selections["upstream of the summary"] = _ls(
        harness, "--select", "+player_game_summary"
    )
    selections["upstream models"] = set(
        harness.invoke(
            "ls", "--selector", UPSTREAM_SELECTOR, "--resource-type", "model",
            "--output", "name",
        ).result
    )  # fmt: skip
    return selections


def test_the_runner_runs_every_test_upstream_of_the_summary_once(
    listed: dict[str, set[str]],
) -> None:
    upstream = listed["upstream of the summary"]
    assert listed[TESTS_SELECTOR] == upstream
    # the steps of one backfill: pre-flight, sample week, final validation
    # (the chunks' tests run again in the final validation, over the range)
    preflight, final = listed[PREFLIGHT_SELECTOR], listed[FINAL_SELECTOR]
    sample_only = listed[SAMPLE_SELECTOR] - listed[CHUNK_SELECTOR]
    assert preflight | sample_only | final == upstream
    assert not (preflight & final) and not (sample_only & final)
    assert preflight == {"assert_preflight_raw_minutes_null_rate"}
    assert sample_only == {"pgs_sample_week_null_band"}
    # every chunk test is also in the final validation
    assert listed[CHUNK_SELECTOR] <= final
    # with per-chunk tests the final validation is split in two: the upstream
    # tests, once before the chunks, and the rest after them; each test once
    upstream_tests = listed[UPSTREAM_TESTS_SELECTOR]
    rest = listed[SUMMARY_VALIDATION_SELECTOR]
    assert upstream_tests | rest == final and not (upstream_tests & rest)
    # a chunk runs the summary's tests; the staging tests the issue named run
    # before any chunk, over the whole range
    assert not (listed[CHUNK_SELECTOR] & upstream_tests)
    assert {"pgs_team_minutes_add_up", "assert_summary_rows_match_raw_listing"} <= (
        listed[CHUNK_SELECTOR]
    )
    assert {
        "assert_no_corrupt_minutes",
        "assert_zero_minutes_read_as_zero",
        "assert_game_id_orientation",
        "assert_feed_games_in_schedule",
        "acknowledged_raw_defects_valid",
    } <= upstream_tests
    # every test a chunk ran before this split still runs per chunk or before
    # the chunks: the upstream tests read no table a chunk writes
    assert not any("player_game_summary" in name for name in upstream_tests)


def test_the_upstream_selection_is_the_models_the_summary_reads(
    listed: dict[str, set[str]],
) -> None:
    models = listed["upstream models"]
    assert "player_game_summary" not in models
    assert {m.split("__")[0] for m in models} == {
        "stg_nba_raw",
        "int_games",
        "int_player_games",
        "int_team_games",
        "int_gamebook_players",
    }


def test_the_docs_overview_names_every_named_test_a_backfill_runs(
    listed: dict[str, set[str]],
) -> None:
    overview = (PROJECT_DIR / "models" / "overview.md").read_text()
    named = {
        name
        for name in listed["upstream of the summary"]
        if re.match(r"(pgs|assert|stg)_", name)
    }
    assert sorted(name for name in named if f"`{name}`" not in overview) == []
    # and the overview names no test the runner does not run
    mentioned = set(re.findall(r"`((?:pgs|assert|stg)_[a-z0-9_]+)`", overview))
    assert mentioned - named == set()
