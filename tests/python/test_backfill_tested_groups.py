"""Chunks with per-chunk tests are built and tested in groups: the days of a
month, or the months of a season, are built by one ``dbt build --selector
backfill_chunk`` (one range replacement) and its chunk tests run once over
them, each chunk judged on its own (var backfill_test_period). A chunk is done
only after its group's tests passed: a failed group and a group cut short by a
signal are rebuilt whole on resume, and end with the rows of the reference run.
"""

from __future__ import annotations

import signal
from datetime import date
from pathlib import Path

import pytest
from runner_fixtures import (
    AUDIT,
    PROBE_ENV,
    PROBE_TEST,
    RunnerEnv,
    assert_same_summary,
    wait_for,
)

# two groups: the last two days of December, the first two of January
DAYS = {"start": "2021-12-30", "end": "2022-01-02"}
DAY_CHUNKS = ("--chunk-size", "day", "--skip-sample")
DECEMBER = "chunks 2021-12-30..2021-12-31"
JANUARY = "chunks 2022-01-01..2022-01-02"


def _status(env: RunnerEnv, day: str) -> str | None:
    checkpoint = env.checkpoint()
    chunks = {c["start"]: c["status"] for c in (checkpoint or {}).get("chunks", [])}
    return chunks.get(day)


def test_a_failing_day_fails_its_group_is_named_and_the_group_is_rebuilt(
    fresh: RunnerEnv, reference: RunnerEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(PROBE_ENV, "2022-01-02")

    code, output = fresh.run(*DAY_CHUNKS, **DAYS)

    assert code == 1, output
    assert f"dbt test {PROBE_TEST} fail" in output
    assert "(failing days 2022-01-02)" in output
    first = fresh.checkpoint()
    assert first is not None and first["status"] == "failed"
    chunks = {c["start"]: c for c in first["chunks"]}
    # December's group passed its tests: done, tested by its own build
    for day in ("2021-12-30", "2021-12-31"):
        assert chunks[day]["status"] == "done"
        assert chunks[day]["tested_in"] == DECEMBER
    # January's group is not done: the named day carries the failing test,
    # the other day of the group is failed with it, not judged clean
    assert chunks["2022-01-02"]["status"] == "failed"
    assert [v["name"] for v in chunks["2022-01-02"]["failed_tests"]] == [PROBE_TEST]
    assert chunks["2022-01-01"]["status"] == "failed"
    assert chunks["2022-01-01"]["failed_tests"] == []
    assert "its group failed" in chunks["2022-01-01"]["error"]
    # the group's tests judged each day (var backfill_test_period: day), as
    # compiled by the group's build, the last to compile them in this run
    (compiled,) = fresh.state.glob(
        "dbt/*/target/compiled/**/pgs_played_has_minutes.sql"
    )
    assert "cast(game_date as date) as test_period" in compiled.read_text()

    monkeypatch.delenv(PROBE_ENV)
    code, output = fresh.run(*DAY_CHUNKS, **DAYS)

    assert code == 0, output
    assert "resuming: 2/4 chunks done; rebuilding 2 in date order" in output
    second = fresh.checkpoint()
    assert second is not None
    assert [c["attempts"] for c in second["chunks"]] == [1, 1, 2, 2]
    assert {c["tested_in"] for c in second["chunks"]} == {DECEMBER, JANUARY}
    # each day's rows, from the post-hook's figures of its group's build
    per_day = dict(
        fresh.query(
            f"select cast(game_date as varchar), count(*) from {AUDIT} group by 1"
        )
    )
    for chunk in second["chunks"]:
        assert chunk["rows_written"] == per_day.get(chunk["start"], 0)
    # the grouped build writes exactly the rows of one dbt build per chunk
    assert_same_summary(fresh, reference, table=AUDIT, window=DAYS)
    assert_same_summary(fresh, reference, window=DAYS)


def test_sigterm_mid_group_leaves_no_untested_day_done_and_a_rerun_resumes(
    fresh: RunnerEnv, reference: RunnerEnv, tmp_path: Path
) -> None:
    log = tmp_path / "first.log"
    process = fresh.spawn(*DAY_CHUNKS, log=log, **DAYS)
    # December's group done, January's build and tests under way
    wait_for(lambda: _status(fresh, "2022-01-01") == "running", 180, "January")
    process.send_signal(signal.SIGTERM)
    assert process.wait(60) == 130, log.read_text()

    interrupted = fresh.checkpoint()
    assert interrupted is not None and interrupted["status"] == "interrupted"
    statuses = {c["start"]: c["status"] for c in interrupted["chunks"]}
    assert "running" not in statuses.values()
    for chunk in interrupted["chunks"]:
        # a day is done only with the verdicts of its group's tests
        assert (chunk["status"] == "done") == (chunk["tested_in"] is not None)
    assert statuses["2021-12-30"] == statuses["2021-12-31"] == "done"
    # January was cut short before its tests' verdicts
    assert statuses["2022-01-01"] == statuses["2022-01-02"] == "interrupted"

    code, output = fresh.run(*DAY_CHUNKS, **DAYS)

    assert code == 0, output
    resumed = fresh.checkpoint()
    assert resumed is not None
    assert [c["status"] for c in resumed["chunks"]] == ["done"] * 4
    assert_same_summary(fresh, reference, window=DAYS)


def test_month_chunks_of_a_season_are_one_group_judged_month_by_month(
    fresh: RunnerEnv, reference: RunnerEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    months = ("--chunk-size", "month", "--skip-sample")
    group = "chunks 2021-12-30..2022-01-02"
    monkeypatch.setenv(PROBE_ENV, "2022-01-02")

    code, output = fresh.run(*months, **DAYS)

    assert code == 1, output
    assert "in month chunks (built and tested a season at a time)" in output
    assert "(failing days 2022-01-02)" in output
    first = fresh.checkpoint()
    assert first is not None
    # December and January are one group (one season): January carries the
    # failing test, December is not done either, and not judged clean
    december, january = first["chunks"]
    assert (january["start"], january["status"]) == ("2022-01-01", "failed")
    assert [v["name"] for v in january["failed_tests"]] == [PROBE_TEST]
    assert december["status"] == "failed" and december["failed_tests"] == []
    assert "its group failed" in december["error"]
    # the group's tests judged each month
    (compiled,) = fresh.state.glob(
        "dbt/*/target/compiled/**/pgs_played_has_minutes.sql"
    )
    text = compiled.read_text()
    assert "as test_period" in text
    assert "cast(game_date as date) as test_period" not in text
    assert "cast(null as date) as test_period" not in text

    monkeypatch.delenv(PROBE_ENV)
    code, output = fresh.run(*months, **DAYS)

    assert code == 0, output
    second = fresh.checkpoint()
    assert second is not None
    assert [(c["attempts"], c["tested_in"]) for c in second["chunks"]] == [
        (2, group),
        (2, group),
    ]
    per_month = dict(
        fresh.query(
            "select cast(date_trunc('month', game_date) as date), count(*) "
            f"from {AUDIT} group by 1"
        )
    )
    for chunk in second["chunks"]:
        month_start = date.fromisoformat(chunk["start"]).replace(day=1)
        assert chunk["rows_written"] == per_month[month_start]
    assert_same_summary(fresh, reference, window=DAYS)
