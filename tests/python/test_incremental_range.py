"""player_game_summary replaces exactly the range it is given, on a real DuckDB."""

from __future__ import annotations

import json

import pytest
from dbt_harness import DbtHarness

SUMMARY = "nba_analytics.player_game_summary"
GAMEBOOK = "nba_raw.nbac_gamebook_player_stats"
BOXSCORES = "nba_raw.bdl_player_boxscores"
WINDOW = {"start_date": "2021-12-20", "end_date": "2022-01-20"}
CHUNK = {"start_date": "2022-01-05", "end_date": "2022-01-09"}


@pytest.fixture(autouse=True)
def seeds_loaded(dbt_harness: DbtHarness) -> None:
    """The summary reads the acknowledged-defects seed, so it must exist first."""
    result = dbt_harness.invoke("seed")
    assert result.success, result.exception


def build(harness: DbtHarness, dbt_vars: dict[str, str], *extra: str) -> None:
    """dbt run: the data tests have suites of their own."""
    result = harness.invoke("run", *extra, dbt_vars=dbt_vars)
    assert result.success, result.exception or [
        (r.node.name, r.message) for r in result.result
    ]


def summary_rows(harness: DbtHarness, where: str = "true") -> list[tuple]:
    return harness.query(
        f"select * from {SUMMARY} where {where} order by game_id, player_lookup"
    )


def in_chunk(column: str = "game_date") -> str:
    return f"{column} between '{CHUNK['start_date']}' and '{CHUNK['end_date']}'"


def bump_points(harness: DbtHarness, where: str) -> None:
    """Change every active gamebook row matched, as a corrected reload would."""
    harness.execute(
        f"update {GAMEBOOK} set points = points + 100 "
        f"where player_status = 'active' and points is not null and {where}"
    )


def test_rerun_replaces_only_the_range(dbt_harness: DbtHarness) -> None:
    build(dbt_harness, WINDOW)
    before_outside = summary_rows(dbt_harness, f"not ({in_chunk()})")
    before_inside = summary_rows(dbt_harness, in_chunk())
    assert before_outside and before_inside

    # raw changes on both sides of the chunk; only the chunk's may reach the table
    bump_points(dbt_harness, "true")
    build(dbt_harness, CHUNK, "--select", "player_game_summary")

    assert summary_rows(dbt_harness, f"not ({in_chunk()})") == before_outside
    after_inside = summary_rows(dbt_harness, in_chunk())
    assert len(after_inside) == len(before_inside)
    assert after_inside != before_inside
    (stale,) = dbt_harness.query(
        f"select count(*) from {SUMMARY} s join {GAMEBOOK} g "
        "on s.game_id = g.game_id and s.primary_source_used = 'nbac_gamebook' "
        "and s.player_lookup = g.player_lookup and g.player_status = 'active' "
        f"where {in_chunk('s.game_date')} and s.points != g.points"
    )[0]
    assert stale == 0


def test_same_range_twice_gives_identical_rows(dbt_harness: DbtHarness) -> None:
    build(dbt_harness, WINDOW)
    first = summary_rows(dbt_harness)
    build(dbt_harness, CHUNK, "--select", "player_game_summary")
    build(dbt_harness, CHUNK, "--select", "player_game_summary")
    assert summary_rows(dbt_harness) == first


def test_row_that_vanished_from_raw_vanishes_from_summary(
    dbt_harness: DbtHarness,
) -> None:
    build(dbt_harness, WINDOW)
    game_id, player_lookup = dbt_harness.query(
        f"select game_id, player_lookup from {SUMMARY} "
        f"where {in_chunk()} and primary_source_used = 'nbac_gamebook' "
        "and is_active order by game_id, player_lookup limit 1"
    )[0]
    for table in (GAMEBOOK, BOXSCORES):
        dbt_harness.execute(
            f"delete from {table} where game_id = '{game_id}' "
            f"and player_lookup = '{player_lookup}'"
        )
    build(dbt_harness, CHUNK, "--select", "player_game_summary")
    assert not dbt_harness.query(
        f"select 1 from {SUMMARY} where game_id = '{game_id}' "
        f"and player_lookup = '{player_lookup}'"
    )


def test_full_refresh_rebuilds_everything_raw_holds(dbt_harness: DbtHarness) -> None:
    build(dbt_harness, CHUNK)
    chunk_only = summary_rows(dbt_harness)
    build(dbt_harness, {}, "--full-refresh", "--select", "player_game_summary")
    everything = summary_rows(dbt_harness)
    assert len(everything) > len(chunk_only)
    (outside,) = dbt_harness.query(
        f"select count(*) from {SUMMARY} where not ({in_chunk()})"
    )[0]
    assert outside > 0
    # a full refresh equals a range build over all the raw dates
    build(dbt_harness, WINDOW, "--select", "player_game_summary")
    assert summary_rows(dbt_harness) == everything


def test_reused_manifest_replaces_each_chunks_own_range(
    dbt_harness: DbtHarness,
) -> None:
    """The runner parses once and invokes dbt per chunk with new vars."""
    from backfill_runner.manifest_reset import reset_compiled_state
    from dbt.cli.main import dbtRunner

    build(dbt_harness, WINDOW)
    reference = summary_rows(dbt_harness)
    dbt_harness.execute(f"delete from {SUMMARY}")

    parsed = dbt_harness.invoke("parse")
    assert parsed.success
    runner = dbtRunner(manifest=parsed.result)
    chunks = [
        ("2021-12-20", "2021-12-31"),
        ("2022-01-01", "2022-01-10"),
        ("2022-01-11", "2022-01-20"),
    ]
    for start, end in chunks:
        reset_compiled_state(parsed.result)
        result = dbt_harness.invoke(
            "run",
            "--select",
            "player_game_summary",
            dbt_vars={"start_date": start, "end_date": end},
            runner=runner,
        )
        assert result.success
        (outside,) = dbt_harness.query(
            f"select count(*) from {SUMMARY} where game_date > '{end}'"
        )[0]
        assert outside == 0, f"chunk {start}..{end} wrote rows past its end"
    assert summary_rows(dbt_harness) == reference

    # the same reused manifest still refuses a bad range, without a reparse
    reset_compiled_state(parsed.result)
    bad = dbt_harness.invoke(
        "run",
        "--select",
        "player_game_summary",
        dbt_vars={"start_date": "2022-01-09", "end_date": "2022-01-05"},
        runner=runner,
    )
    assert not bad.success
    assert summary_rows(dbt_harness) == reference


def test_chunks_over_staged_work_tables_equal_the_ephemeral_build(
    dbt_harness: DbtHarness,
) -> None:
    """The runner's mode: upstream built once as tables, the mart per chunk; each
    chunk's post-hook logs what it wrote."""
    from backfill_runner.dbt_session import RANGE_FIGURES
    from dbt.cli.main import dbtRunner

    build(dbt_harness, WINDOW)
    reference = summary_rows(dbt_harness)
    dbt_harness.execute(f"delete from {SUMMARY}")

    staged = {**WINDOW, "stage_upstream": True}
    build(dbt_harness, staged, "--exclude", "player_game_summary")
    (work_tables,) = dbt_harness.query(
        "select count(*) from information_schema.tables "
        "where table_schema = 'nba_backfill_work'"
    )[0]
    assert work_tables == 7

    logged: list[dict] = []

    def collect(message: object) -> None:
        text = str(getattr(message.data, "msg", ""))  # type: ignore[attr-defined]
        prefix = f"{RANGE_FIGURES} "
        if text.startswith(prefix):
            logged.append(json.loads(text[len(prefix) :]))

    runner = dbtRunner(callbacks=[collect])
    for start, end in [("2021-12-20", "2022-01-04"), ("2022-01-05", "2022-01-20")]:
        chunk = {"start_date": start, "end_date": end, "stage_upstream": True}
        result = dbt_harness.invoke(
            "run", "--select", "player_game_summary", dbt_vars=chunk, runner=runner
        )
        assert result.success
        (rows, null_rows) = dbt_harness.query(
            f"select count(*), count(*) - count(minutes_played) from {SUMMARY} "
            f"where game_date between '{start}' and '{end}'"
        )[0]
        assert rows > 0
        assert logged[-1]["start_date"] == start
        assert logged[-1]["end_date"] == end
        assert logged[-1]["summary_rows"] == rows
        assert logged[-1]["null_rows"] == null_rows
    assert summary_rows(dbt_harness) == reference


@pytest.mark.parametrize(
    ("dbt_vars", "message"),
    [
        ({"start_date": "2022-01-32", "end_date": "2022-02-01"}, "start_date"),
        ({"start_date": "2022/01/05", "end_date": "2022-01-09"}, "start_date"),
        ({"start_date": "2022-01-09", "end_date": "2022-01-05"}, "reversed"),
        ({"start_date": "2022-01-05"}, "end_date is missing"),
        ({"start_date": "2022-01-05", "end_date": 20220109}, "end_date"),
        (
            {"start_date": "2022-01-05'; drop table x; --", "end_date": "2022-01-09"},
            "start_date",
        ),
        ({}, "required"),
    ],
)
def test_bad_vars_fail_before_anything_is_written(
    dbt_harness: DbtHarness, dbt_vars: dict, message: str
) -> None:
    build(dbt_harness, WINDOW)
    before = summary_rows(dbt_harness)
    bump_points(dbt_harness, "true")
    result = dbt_harness.invoke("run", dbt_vars=dbt_vars)
    assert not result.success
    assert message in str(result.exception or [r.message for r in result.result])
    assert summary_rows(dbt_harness) == before
