"""The backfill runner end to end: real dbt on generated data in DuckDB files.

One uninterrupted run (``reference``) is the yardstick: every interrupted,
killed, failed or resumed run must end with exactly its rows. The runner
writes every chunk into the audit copy (AUDIT) and publishes into the live
table (SUMMARY) only when dbt's tests passed.
"""

from __future__ import annotations

import hashlib
import json
import re
import signal
from datetime import date
from pathlib import Path

import pytest
from runner_fixtures import (
    AUDIT,
    BDL,
    END,
    MICROBATCH,
    ONE_CHUNK,
    PROBE_ENV,
    PROBE_TEST,
    START,
    SUB,
    SUMMARY,
    TWO_CHUNKS,
    RunnerEnv,
    assert_same_summary,
    chunks_done,
    copy_env,
    log_has,
    wait_for,
)

GAMEBOOK = "nba_raw.nbac_gamebook_player_stats"


def _between(window: dict[str, str]) -> str:
    return f"game_date between '{window['start']}' and '{window['end']}'"


PART = _between(SUB)
# The publish tests: one chunk is enough to plan, publish and roll back a range.
PUBLISHED = _between(ONE_CHUNK)


def _incident(env: RunnerEnv, where: str = PART) -> None:
    """The incident: minutes lost on every live row of SUB (or of where)."""
    env.execute(f"update {SUMMARY} set minutes_played = null where {where}")


def _kill_9_at(env: RunnerEnv, log: Path, moment: str) -> None:
    """Start a run over SUB and kill -9 it after its first chunk, or as soon as
    it announces the publish (in the publish's transaction, or just after)."""
    process = env.spawn("--skip-sample", log=log, **SUB)
    if moment == "first chunk":
        wait_for(lambda: chunks_done(env) >= 1, 120, "the first chunk")
    else:
        wait_for(lambda: log_has(log, "publish: replacing"), 180, "the publish")
    process.kill()
    assert process.wait(30) == -signal.SIGKILL


# ------------------------------------------------------------------ report


def test_report_figures_equal_independent_sql(reference: RunnerEnv) -> None:
    data, markdown, path = reference.report()
    window = f"game_date between '{START}' and '{END}'"

    rows, nulls, active = reference.query(
        f"select count(*), count(*) filter (minutes_played is null), "
        f"count(*) filter (is_active) from {SUMMARY} where {window}"
    )[0]
    (raw_rows,) = reference.query(f"select count(*) from {BDL} where {window}")[0]
    # coverage compares with the Ball Don't Lie rows of the summarised games,
    # newest load (scraped file) of each game only
    compared_sql = f"""
        with loads as (
            select game_date, game_id, source_file_path,
                max(processed_at) as loaded_at
            from {BDL} group by all
        ),
        newest as (
            select game_date, game_id,
                arg_max(source_file_path, (loaded_at, source_file_path))
                    as source_file_path
            from loads group by all
        ),
        summarised as (select distinct game_date, game_id from {SUMMARY})
        select date_trunc('month', game_date)::date, count(*)
        from {BDL}
        inner join newest using (game_date, game_id, source_file_path)
        inner join summarised using (game_date, game_id)
        where {window}
        group by 1
    """
    compared_months = {m.isoformat(): n for m, n in reference.query(compared_sql)}
    compared = sum(compared_months.values())
    after = data["after"]
    assert (after["summary_rows"], after["null_rows"], after["active_rows"]) == (
        rows, nulls, active,
    )  # fmt: skip
    assert (after["raw_bdl_rows"], after["compared_bdl_rows"]) == (raw_rows, compared)
    assert after["null_rate"] == pytest.approx(nulls / rows)
    assert after["coverage"] == pytest.approx(active / compared)
    # the demo data lands in the domain's bands
    assert 0.35 <= after["null_rate"] <= 0.45
    assert 0.70 <= after["coverage"] <= 0.90

    seasons = reference.query(
        f"select season_year, count(*) from {SUMMARY} where {window} "
        "group by 1 order by 1"
    )
    assert [(s["label"], s["summary_rows"]) for s in data["seasons"]] == [
        (f"{year}-{(year + 1) % 100:02d}", count) for year, count in seasons
    ]

    summary_months = {
        month.isoformat(): (count, active_rows)
        for month, count, active_rows in reference.query(
            f"select date_trunc('month', game_date)::date, count(*), "
            f"count(*) filter (is_active) from {SUMMARY} where {window} group by 1"
        )
    }
    raw_months = {
        month.isoformat(): count
        for month, count in reference.query(
            f"select date_trunc('month', game_date)::date, count(*) from {BDL} "
            f"where {window} group by 1"
        )
    }
    assert {m["month"] for m in data["months"]} == set(raw_months) | set(summary_months)
    for month in data["months"]:
        count, active_rows = summary_months[month["month"]]
        assert (month["summary_rows"], month["active_rows"]) == (count, active_rows)
        assert month["raw_bdl_rows"] == raw_months[month["month"]]
        assert month["compared_bdl_rows"] == compared_months[month["month"]]
        assert month["coverage"] == pytest.approx(
            active_rows / compared_months[month["month"]]
        )

    # every verdict is a dbt test's: the pre-flight's, the upstream tests', the
    # sample week's and the final validation's, all passed but the demo's
    # acknowledged incomplete box scores, which warn (chunks 2021-12-20.. and
    # 2022-01-10..) and are listed
    steps = {t["step"] for t in data["tests"]}
    assert steps == {
        "pre-flight",
        "upstream tests",
        "sample week",
        "final validation",
        "chunk 2021-12-20..2021-12-26",
        "chunk 2022-01-10..2022-01-16",
    }
    assert {t["status"] for t in data["tests"]} == {"pass", "warn"}
    assert {t["name"] for t in data["tests"] if t["status"] == "warn"} == {
        "pgs_team_minutes_add_up"
    }
    assert "| final validation | " in markdown and " passed |" in markdown
    # a fresh database: everything added, and published
    assert data["diff"]["live_exists"] is False
    assert (data["diff"]["added"], data["diff"]["removed"]) == (rows, 0)
    assert data["published"]["rows_published"] == rows
    assert data["published"]["rows_replaced"] == 0
    assert f"{100 * nulls / rows:.2f}% ({nulls:,} of {rows:,} rows)" in markdown
    for season in data["seasons"]:
        assert f"| {season['label']} | {season['summary_rows']:,} |" in markdown
    chart = path.with_suffix(".png")
    assert f"]({chart.name})" in markdown
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    checkpoint = reference.checkpoint()
    assert checkpoint is not None and checkpoint["status"] == "done"
    assert [c["status"] for c in checkpoint["chunks"]] == ["done"] * 5
    assert sum(c["rows_written"] for c in checkpoint["chunks"]) == rows
    assert len({c["invocation_id"] for c in checkpoint["chunks"]}) == 5
    # the sample week holds 20220115_LAC_LAL, an acknowledged incomplete box score
    assert {(v["name"], v["status"]) for v in checkpoint["sample"]} - {
        (v["name"], "pass") for v in checkpoint["sample"]
    } == {("pgs_team_minutes_add_up", "warn")}
    assert "pgs_sample_week_null_band" in {v["name"] for v in checkpoint["sample"]}


def test_a_rerun_over_unchanged_raw_data_rebuilds_nothing_and_diffs_empty(
    reference: RunnerEnv,
) -> None:
    before = reference.checkpoint()
    assert before is not None
    live = reference.table_hash()
    code, output = reference.run()
    assert code == 0, output
    assert "already built into the audit copy" in output
    # the same command on the same state folder: dbt's saved parse is reused
    assert "dbt parse: reused the saved parse" in output, output
    assert "diff vs live: 0 added, 0 removed, 0 changed" in output
    assert "the live table already holds exactly these rows" in output
    after = reference.checkpoint()
    assert after is not None
    assert [c["invocation_id"] for c in after["chunks"]] == [
        c["invocation_id"] for c in before["chunks"]
    ]
    data, markdown, _ = reference.report()
    assert (data["diff"]["added"], data["diff"]["removed"]) == (0, 0)
    assert data["diff"]["changed"] == 0 and data["diff"]["changed_columns"] == {}
    assert data["published"] is None
    assert "No row differs" in markdown
    assert reference.table_hash() == live


def test_one_changed_raw_value_shows_exactly_that_row_and_column(
    reference: RunnerEnv, tmp_path: Path
) -> None:
    env = copy_env(reference, tmp_path)
    (game_id, player) = env.query(
        f"select game_id, player_lookup from {GAMEBOOK} where {PART} "
        "and player_status = 'active' order by game_id, player_lookup limit 1"
    )[0]
    env.execute(
        f"update {GAMEBOOK} set plus_minus = plus_minus + 7 "
        f"where game_id = '{game_id}' and player_lookup = '{player}'"
    )
    live = env.table_hash()

    code, output = env.run("--skip-sample", "--no-publish", **SUB)

    assert code == 0, output
    data, markdown, _ = env.report()
    diff = data["diff"]
    assert (diff["added"], diff["removed"], diff["changed"]) == (0, 0, 1)
    # plus_minus, and the row hash that covers every content column
    assert diff["changed_columns"] == {"plus_minus": 1, "data_hash": 1}
    assert diff["examples"] == [
        {"change": "changed", "game_id": game_id, "player_lookup": player,
         "changed_columns": "plus_minus data_hash"}
    ]  # fmt: skip
    assert f"changed: {game_id} {player} (plus_minus data_hash)" in output
    assert "| plus_minus | 1 |" in markdown
    assert "audited, not published (--no-publish)" in output
    assert env.table_hash() == live  # a plan publishes nothing


def test_the_diff_names_the_first_keys_of_each_kind_of_change(
    reference: RunnerEnv, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each kind's examples are its first keys by (game_id, player_lookup), each
    from a query of its own, and a kind that did not occur has none."""
    from backfill_runner.dbt_session import DbtSession
    from backfill_runner.plan import DateRange
    from backfill_runner.publishing import diff_range

    env = copy_env(reference, tmp_path)
    keys = env.query(
        f"select game_id, player_lookup from {AUDIT} where {PUBLISHED} "
        "and plus_minus is not null order by player_lookup desc, game_id limit 12"
    )
    added, removed, changed = keys[:5], keys[5:7], keys[7:]

    def where(picked: list[tuple[str, str]]) -> str:
        return " or ".join(
            f"(game_id = '{g}' and player_lookup = '{p}')" for g, p in picked
        )

    env.execute(f"delete from {SUMMARY} where {where(added)}")
    env.execute(f"delete from {AUDIT} where {where(removed)}")
    env.execute(
        f"update {AUDIT} set plus_minus = plus_minus + 1 where {where(changed)}"
    )
    monkeypatch.setenv("NBA_DUCKDB_PATH", str(env.db))
    session = DbtSession(env.project, env.profiles, "duckdb", tmp_path / "dbt")
    window = DateRange(
        date.fromisoformat(ONE_CHUNK["start"]), date.fromisoformat(ONE_CHUNK["end"])
    )

    diff = diff_range(session, window)

    assert (diff.added, diff.removed, diff.changed) == (5, 2, 5)
    expected = (
        [("added", g, p, "") for g, p in sorted(added)[:3]]
        + [("changed", g, p, "plus_minus") for g, p in sorted(changed)[:3]]
        + [("removed", g, p, "") for g, p in sorted(removed)]
    )
    assert [
        (e["change"], e["game_id"], e["player_lookup"], e["changed_columns"])
        for e in diff.examples
    ] == expected

    env.execute(f"delete from {AUDIT} where {where(added)}")
    assert [e["change"] for e in diff_range(session, window).examples] == [
        "changed", "changed", "changed", "removed", "removed"
    ]  # fmt: skip


def test_inline_upstream_writes_the_same_rows_as_staged_work_tables(
    fresh: RunnerEnv, reference: RunnerEnv
) -> None:
    work_tables = (
        "select count(*) from information_schema.tables "
        "where table_schema = 'nba_backfill_work'"
    )
    # two chunks: the second must compile the ephemeral chain with its own range
    code, output = fresh.run("--no-stage-upstream", "--skip-sample", **TWO_CHUNKS)
    assert code == 0, output
    assert "compile into each chunk's query" in output
    assert "chunk 2/2 2022-01-17..2022-01-20 done" in output
    assert fresh.query(work_tables) == [(0,)]
    # the reference staged them: seven tables over its whole window
    assert reference.query(work_tables) == [(7,)]
    assert_same_summary(fresh, reference, window=TWO_CHUNKS)


def test_day_chunks_without_tests_run_as_microbatch_and_resume_their_gaps(
    fresh: RunnerEnv, reference: RunnerEnv
) -> None:
    code, output = fresh.run(*MICROBATCH, **SUB)
    assert code == 0, output
    assert "chunk 18/18 2022-01-20..2022-01-20 done" in output
    assert_same_summary(fresh, reference)
    assert_same_summary(fresh, reference, table=AUDIT)
    checkpoint = fresh.checkpoint()
    assert checkpoint is not None
    per_day = dict(
        fresh.query(
            f"select cast(game_date as varchar), count(*) from {AUDIT} group by 1"
        )
    )
    for chunk in checkpoint["chunks"]:
        assert chunk["status"] == "done"
        assert chunk["rows_written"] == per_day.get(chunk["start"], 0)
        assert chunk["duration_s"] is not None

    # two gaps in the audit copy, as a crash and a failed batch would leave
    # them: rows gone, chunks not done
    gaps = {"2022-01-05", "2022-01-06", "2022-01-07", "2022-01-12"}
    for chunk in checkpoint["chunks"]:
        if chunk["start"] in gaps:
            chunk["status"] = "failed"
    checkpoint["status"] = "failed"
    (path,) = fresh.state.glob("checkpoints/*/*/*.json")
    path.write_text(json.dumps(checkpoint))
    fresh.execute(
        f"delete from {AUDIT} where cast(game_date as varchar) in "
        f"({', '.join(repr(day) for day in sorted(gaps))})"
    )
    code, output = fresh.run(*MICROBATCH, **SUB)
    assert code == 0, output
    assert "resuming: 14/18 chunks done; rebuilding 4" in output
    assert_same_summary(fresh, reference, table=AUDIT)
    assert_same_summary(fresh, reference)
    resumed = fresh.checkpoint()
    assert resumed is not None
    rebuilt = {c["start"] for c in resumed["chunks"] if c["attempts"] == 2}
    assert rebuilt == gaps


# ------------------------------------------------------------------ dry run


def test_dry_run_leaves_the_database_byte_for_byte_unchanged(
    reference: RunnerEnv, tmp_path: Path
) -> None:
    env = copy_env(reference, tmp_path)
    digest = hashlib.sha256(env.db.read_bytes()).hexdigest()
    files = sorted(p.name for p in tmp_path.iterdir())

    code, output = env.run("--dry-run")

    assert code == 0, output
    assert hashlib.sha256(env.db.read_bytes()).hexdigest() == digest
    assert sorted(p.name for p in tmp_path.iterdir()) == files  # no state, no report
    assert "DRY RUN" in output and "plan: 5 week chunks" in output
    assert "pre-flight: 1 passed" in output
    # the live rows each chunk would replace
    (rows,) = env.query(
        f"select count(*) from {SUMMARY} where game_date between '2022-01-10' "
        "and '2022-01-16'"
    )[0]
    assert re.search(rf"2022-01-10\.\.2022-01-16 +{rows:,} ", output)


# ------------------------------------------------------------------ verdicts


def test_a_failing_preflight_exits_1_before_any_write_naming_its_rows(
    fresh: RunnerEnv,
) -> None:
    # one Ball Don't Lie row in ten loses its minutes: the pre-flight must stop
    fresh.execute(f"update {BDL} set minutes = null where hash(player_lookup) % 10 = 0")
    (rate,) = fresh.query(
        f"select avg(case when minutes is null then 1 else 0 end) from {BDL} "
        f"where game_date between '{START}' and '{END}'"
    )[0]

    code, output = fresh.run("--skip-sample")

    assert code == 1
    assert "dbt test assert_preflight_raw_minutes_null_rate fail" in output
    assert "feed=bdl_boxscores" in output and "band=error" in output
    assert f"observed_null_rate={rate}" in output
    assert "stopped before any write by the pre-flight" in output
    tables = fresh.query(
        "select count(*) from information_schema.tables "
        "where table_schema in ('nba_analytics', 'nba_backfill_audit')"
    )
    assert tables == [(0,)]


def test_a_broken_chunk_exits_1_names_its_rows_and_leaves_live_untouched(
    reference: RunnerEnv, tmp_path: Path
) -> None:
    env = copy_env(reference, tmp_path)
    # one player's "MM:SS" loses 20 minutes: his team no longer adds up to 240
    (game_id, player, team) = env.query(
        f"select game_id, player_lookup, team_abbr from {GAMEBOOK} "
        "where game_date = '2022-01-12' and player_status = 'active' "
        "and minutes like '3_:__' order by all limit 1"
    )[0]
    env.execute(
        f"update {GAMEBOOK} set minutes = '1' || substr(minutes, 2) "
        f"where game_id = '{game_id}' and player_lookup = '{player}'"
    )
    live = env.table_hash()

    code, output = env.run("--skip-sample", **SUB)

    assert code == 1, output
    assert "chunk 2022-01-10..2022-01-16: dbt test pgs_team_minutes_add_up fail" in (
        output
    )
    line = next(
        row
        for row in output.splitlines()
        if f"game_id={game_id}" in row and f"team_abbr={team}" in row
    )
    assert re.search(r"observed_minutes=2[12]\d(\.\d+)? ", line), line
    assert "expected_minutes=240" in line
    assert '"nba_backfill_audit_failures"."pgs_team_minutes_add_up"' in output
    assert env.table_hash() == live
    # the audit copy keeps the failed chunk for inspection
    (kept,) = env.query(f"select count(*) from {AUDIT} where game_date = '2022-01-12'")[
        0
    ]
    assert kept > 0
    stored = env.query(
        "select count(*) from nba_backfill_audit_failures.pgs_team_minutes_add_up "
        f"where game_id = '{game_id}' and team_abbr = '{team}'"
    )
    assert stored == [(1,)]


def test_a_month_at_exactly_the_null_limit_gets_one_verdict_everywhere(
    reference: RunnerEnv, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Month NULL limit 90%: dbt's test, the console and the report agree."""
    env = copy_env(reference, tmp_path)
    window = {"start": "2022-01-03", "end": "2022-01-20"}  # one month, 2022-01
    code, output = env.run("--skip-sample", "--no-publish", **window)
    assert code == 0, output
    # make 2022-01 of the audit copy exactly 90% NULL: a multiple of ten rows,
    # nine in ten of them without minutes
    (rows,) = env.query(f"select count(*) from {AUDIT} where {PART}")[0]
    extra = rows % 10
    env.execute(
        f"delete from {AUDIT} where (game_id, player_lookup) in (select game_id, "
        f"player_lookup from {AUDIT} where {PART} and minutes_played is null "
        f"order by all limit {extra})"
    )
    (rows, nulls) = env.query(
        f"select count(*), count(*) filter (minutes_played is null) from {AUDIT} "
        f"where {PART}"
    )[0]
    to_null = rows * 9 // 10 - nulls
    env.execute(
        f"update {AUDIT} set minutes_played = null where (game_id, player_lookup) "
        f"in (select game_id, player_lookup from {AUDIT} where {PART} and "
        f"minutes_played is not null order by all limit {to_null})"
    )
    assert env.query(
        f"select count(*) filter (minutes_played is null) * 10 = count(*) * 9 "
        f"from {AUDIT} where {PART}"
    ) == [(True,)]

    # the runner refuses to trust an audit copy changed behind its back; this
    # one is changed on purpose, so the checkpoint forgets what it audited
    checkpoint = env.checkpoint()
    assert checkpoint is not None
    checkpoint["diff"] = None
    (path,) = env.state.glob("checkpoints/*/*/*.json")
    path.write_text(json.dumps(checkpoint))

    code, output = env.run("--skip-sample", **window)

    # the console
    assert code == 1, output
    assert "dbt test pgs_minutes_null_by_month fail" in output
    assert "group_key=2022-01-01" in output and "observed_null_rate=0.9 " in output
    # the report
    data, markdown, _ = env.report()
    (verdict,) = [
        t for t in data["tests"]
        if t["name"] == "pgs_minutes_null_by_month" and t["step"] == "final validation"
    ]  # fmt: skip
    assert verdict["status"] == "fail"
    assert verdict["rows"][0]["observed_null_rate"] == 0.9
    assert "dbt test pgs_minutes_null_by_month fail" in markdown
    assert data["published"] is None
    # dbt's own verdict on the same rows
    from dbt.cli.main import dbtRunner

    monkeypatch.setenv("NBA_DUCKDB_PATH", str(env.db))
    result = dbtRunner().invoke(
        [
            "test", "--select", "pgs_minutes_null_by_month",
            "--project-dir", str(env.project), "--profiles-dir", str(env.profiles),
            "--target-path", str(tmp_path / "target"), "--quiet",
            "--vars", json.dumps({**{"start_date": window["start"],
                                     "end_date": window["end"]},
                                  "backfill_audit": True}),
        ]
    )  # fmt: skip
    assert [
        str(r.status) for r in result.result.results if r.node.resource_type == "test"
    ] == ["fail"]


# ------------------------------------------------------------------ resume


def test_a_failed_chunk_stops_the_run_and_is_retried_on_resume(
    fresh: RunnerEnv, reference: RunnerEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(PROBE_ENV, "2022-01-12")

    code, output = fresh.run("--skip-sample", **SUB)

    (failing,) = fresh.query(
        f"select count(*) from {AUDIT} where game_date = '2022-01-12'"
    )[0]
    assert code == 1
    assert (
        f"chunk 2022-01-10..2022-01-16 failed: dbt test {PROBE_TEST} fail: "
        f"Got {failing:,} results, configured to fail if != 0"
    ) in output
    assert "game_date=2022-01-12 game_id=" in output  # the probe's rows, named
    first = fresh.checkpoint()
    assert first is not None
    assert [c["status"] for c in first["chunks"]] == ["done", "failed", "pending"]
    assert first["chunks"][1]["failed_tests"][0]["failures"] == failing
    # nothing was published
    tables = fresh.query(
        "select count(*) from information_schema.tables "
        "where table_schema = 'nba_analytics' and table_name = 'player_game_summary'"
    )
    assert tables == [(0,)]

    monkeypatch.delenv(PROBE_ENV)
    code, output = fresh.run("--skip-sample", **SUB)

    assert code == 0, output
    assert "resuming: 1/3 chunks done; rebuilding 2 in date order" in output
    second = fresh.checkpoint()
    assert second is not None
    assert [c["status"] for c in second["chunks"]] == ["done"] * 3
    assert [c["attempts"] for c in second["chunks"]] == [1, 2, 1]
    # the chunk done before was not rebuilt
    assert second["chunks"][0]["invocation_id"] == first["chunks"][0]["invocation_id"]
    assert_same_summary(fresh, reference)


def test_an_unreadable_checkpoint_says_so_and_no_resume_starts_over(
    fresh: RunnerEnv, reference: RunnerEnv
) -> None:
    # one chunk is enough for a checkpoint to lose
    code, output = fresh.run("--skip-sample", "--no-publish", **ONE_CHUNK)
    assert code == 0, output
    (path,) = fresh.state.glob("checkpoints/*/*/*.json")
    path.write_text(path.read_text()[:40])  # truncated

    code, output = fresh.run("--skip-sample", **ONE_CHUNK)
    assert code == 1
    assert "is unreadable" in output and "--no-resume" in output

    code, output = fresh.run("--skip-sample", "--no-resume", **ONE_CHUNK)
    assert code == 0, output
    assert "--no-resume: discarded" in output
    assert_same_summary(fresh, reference, window=ONE_CHUNK)


def test_sigterm_mid_chunk_exits_130_and_a_rerun_resumes(
    fresh: RunnerEnv, reference: RunnerEnv, tmp_path: Path
) -> None:
    process = fresh.spawn("--skip-sample", log=tmp_path / "first.log", **SUB)
    wait_for(lambda: chunks_done(fresh) >= 1, 120, "the first chunk")
    process.send_signal(signal.SIGTERM)
    assert process.wait(60) == 130, (tmp_path / "first.log").read_text()

    interrupted = fresh.checkpoint()
    assert interrupted is not None and interrupted["status"] == "interrupted"
    statuses = [c["status"] for c in interrupted["chunks"]]
    assert "running" not in statuses and statuses[0] == "done"
    assert not list(fresh.state.glob("locks/*.lock"))  # released on the way out

    code, output = fresh.run("--skip-sample", **SUB)

    assert code == 0, output
    done_before = [c for c in interrupted["chunks"] if c["status"] == "done"]
    resumed = fresh.checkpoint()
    assert resumed is not None
    assert [c["status"] for c in resumed["chunks"]] == ["done"] * 3
    for before in done_before:
        (after,) = [c for c in resumed["chunks"] if c["start"] == before["start"]]
        assert after["invocation_id"] == before["invocation_id"]
    assert_same_summary(fresh, reference)


@pytest.mark.parametrize("batches_before_signal", [1, 4, 9])
def test_sigterm_mid_microbatch_run_always_exits_130_interrupted(
    fresh: RunnerEnv, reference: RunnerEnv, tmp_path: Path, batches_before_signal: int
) -> None:
    log = tmp_path / "first.log"
    process = fresh.spawn(*MICROBATCH, log=log, **SUB)
    wait_for(lambda: chunks_done(fresh) >= batches_before_signal, 120, "the batches")
    process.send_signal(signal.SIGTERM)
    assert process.wait(60) == 130, log.read_text()

    text = log.read_text()
    assert "Connection already closed" not in text
    interrupted = fresh.checkpoint()
    assert interrupted is not None and interrupted["status"] == "interrupted"
    statuses = [c["status"] for c in interrupted["chunks"]]
    assert "running" not in statuses and "failed" not in statuses
    assert statuses[0] == "done"

    code, output = fresh.run(*MICROBATCH, **SUB)
    assert code == 0, output
    done = sum(status == "done" for status in statuses)
    assert f"resuming: {done}/18 chunks done" in output
    assert_same_summary(fresh, reference)


@pytest.mark.parametrize("moment", ["first chunk", "publish"])
def test_kill_9_leaves_live_before_or_after_and_either_rerun_finishes(
    reference: RunnerEnv, tmp_path: Path, moment: str
) -> None:
    """kill -9 after the first chunk or at the publish leaves the live table as
    it was or as the reference has it. Either rerun finishes the range: one
    with the state folder, and one on a copy of the database whose state
    folder was lost, after which --rollback brings back the rows from before
    any backfill (issue: a second backup used to overwrite the first with
    half-written rows). One killed run serves both reruns."""
    env = copy_env(reference, tmp_path / "killed")
    _incident(env)
    before = env.table_hash()
    after = reference.table_hash()
    log = tmp_path / "killed.log"
    _kill_9_at(env, log, moment)

    assert env.table_hash() in (before, after), log.read_text()
    # the database as the kill left it, without its state folder
    lost = copy_env(env, tmp_path / "state_lost")

    code, output = env.run("--skip-sample", **SUB)
    assert code == 0, output
    assert env.table_hash() == after

    code, output = lost.run("--skip-sample", **SUB)
    assert code == 0, output
    assert lost.table_hash() == after
    code, output = lost.run("--rollback", **SUB)
    assert code == 0, output
    assert lost.table_hash() == before


def test_kill_9_then_rerun_gives_identical_rows_and_a_second_runner_is_refused(
    fresh: RunnerEnv, reference: RunnerEnv, tmp_path: Path
) -> None:
    process = fresh.spawn("--skip-sample", log=tmp_path / "killed.log", **SUB)
    wait_for(lambda: list(fresh.state.glob("locks/*.lock")), 60, "the lock")

    # a second runner on the same target is refused and changes nothing
    code, output = fresh.run("--skip-sample", **SUB)
    assert code == 1
    assert f"already running on target duckdb (pid {process.pid})" in output
    assert not fresh.reports.exists()

    wait_for(lambda: chunks_done(fresh) >= 1, 120, "the first chunk")
    process.kill()
    assert process.wait(30) == -signal.SIGKILL

    code, output = fresh.run("--skip-sample", **SUB)

    assert code == 0, output
    assert f"taking over a stale lock on target duckdb: pid {process.pid}" in output
    assert_same_summary(fresh, reference)


# ------------------------------------------------------------------ publish


def test_plan_then_publish_only_then_rollback_restores_the_replaced_rows(
    reference: RunnerEnv, tmp_path: Path
) -> None:
    env = copy_env(reference, tmp_path)
    _incident(env, PUBLISHED)
    env.execute(f"create table main.earlier as select * from {SUMMARY}")
    earlier = env.table_hash()

    code, output = env.run("--skip-sample", "--no-publish", **ONE_CHUNK)
    assert code == 0, output
    assert env.table_hash() == earlier  # a plan publishes nothing
    data, _, _ = env.report()
    played = env.query(
        f"select count(*) from {SUMMARY} where {PUBLISHED} and is_active"
    )
    assert data["diff"]["changed_columns"]["minutes_played"] == played[0][0]
    assert data["diff"]["live_minutes_null"] == data["diff"]["live_rows"]
    planned = env.checkpoint()
    assert planned is not None and planned["status"] == "audited"

    code, output = env.run("--skip-sample", "--publish-only", **ONE_CHUNK)
    assert code == 0, output
    assert "published" in output
    published = env.checkpoint()
    assert published is not None and published["status"] == "done"
    # published without a rebuild
    assert [c["invocation_id"] for c in published["chunks"]] == [
        c["invocation_id"] for c in planned["chunks"]
    ]
    assert env.table_hash() == reference.table_hash()
    (log_row,) = env.query(
        "select start_date, end_date, rows_published, rows_replaced, "
        "raw_loaded_at is not null, rolled_back_at from "
        f"nba_analytics.backfill_publishes where start_date = '{ONE_CHUNK['start']}'"
    )
    assert [str(v) for v in log_row[:2]] == [ONE_CHUNK["start"], ONE_CHUNK["end"]]
    assert log_row[2] == log_row[3] and log_row[4] is True and log_row[5] is None

    code, output = env.run("--rollback", **ONE_CHUNK)
    assert code == 0, output
    assert env.table_hash() == earlier
    assert env.query(
        "select rolled_back_at is not null from nba_analytics.backfill_publishes "
        f"where start_date = '{ONE_CHUNK['start']}'"
    ) == [(True,)]
    checkpoint = env.checkpoint()
    assert checkpoint is not None and checkpoint["status"] == "rolled_back"


def test_publish_only_refuses_a_range_whose_raw_data_or_audit_copy_changed(
    reference: RunnerEnv, tmp_path: Path
) -> None:
    env = copy_env(reference, tmp_path)
    code, output = env.run("--skip-sample", "--no-publish", **ONE_CHUNK)
    assert code == 0, output
    env.execute(
        f"update {BDL} set processed_at = processed_at + interval 1 day "
        f"where {PUBLISHED} and player_lookup = (select min(player_lookup) from {BDL} "
        f"where {PUBLISHED})"
    )
    live = env.table_hash()
    code, output = env.run("--skip-sample", "--publish-only", **ONE_CHUNK)
    assert code == 1
    assert "raw data of" in output and "changed since it was audited" in output
    assert "--no-resume" in output
    assert env.table_hash() == live
    _refused_before_any_rebuild(output)

    # the raw data back as audited, but part of the audit copy rewritten (as
    # another run over an overlapping range would)
    env.execute(
        f"update {BDL} set processed_at = processed_at - interval 1 day "
        f"where {PUBLISHED} and player_lookup = (select min(player_lookup) from {BDL} "
        f"where {PUBLISHED})"
    )
    env.execute(
        f"update {AUDIT} set data_hash = md5(data_hash) where game_date = '2022-01-10'"
    )
    code, output = env.run("--skip-sample", "--publish-only", **ONE_CHUNK)
    assert code == 1
    assert "the audit copy of 2022-01-10..2022-01-16 changed" in output
    assert env.table_hash() == live
    _refused_before_any_rebuild(output)


def _refused_before_any_rebuild(output: str) -> None:
    """A refused run built, tested and diffed nothing (it costs one query)."""
    for step in ("upstream:", "upstream tests", "final validation", "diff vs live"):
        assert step not in output, output
