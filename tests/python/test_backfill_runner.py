"""The backfill runner end to end: real dbt on generated data in DuckDB files.

One uninterrupted run (``reference``) is the yardstick: every interrupted,
killed, failed or resumed run must end with exactly its rows.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest
from backfill_runner.cli import main
from backfill_runner.progress import Console

PROJECT_DIR = Path(__file__).resolve().parents[2]
BACKFILL = PROJECT_DIR / "scripts" / "backfill.py"
START, END = "2021-12-20", "2022-01-20"  # conftest.TEST_WINDOW: 5 ISO-week chunks
# Most tests run a part of it: 3 week chunks, each a dbt build with ~30 tests.
SUB = {"start": "2022-01-03", "end": "2022-01-20"}
SUMMARY = "nba_analytics.player_game_summary"
BDL = "nba_raw.bdl_player_boxscores"
PROBE_ENV = "BACKFILL_PROBE_FAIL_DATE"
# day chunks without per-chunk tests: one dbt microbatch run on DuckDB
MICROBATCH = ("--chunk-size", "day", "--no-chunk-tests", "--skip-sample")
PROBE_TEST = "zz_backfill_runner_probe"

# A real singular dbt test, added to the project copy only: it fails on every
# summary row of the date in $BACKFILL_PROBE_FAIL_DATE, if that date is in range.
PROBE_SQL = """\
select game_date, game_id, player_lookup
from {{ ref('player_game_summary') }}
where
    game_date = cast('{{ env_var("BACKFILL_PROBE_FAIL_DATE", "1900-01-01") }}' as date)
    and {{ backfill_range_filter('game_date') }}
"""


@pytest.fixture(scope="session")
def runner_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the dbt project with the probe test added."""
    project = tmp_path_factory.mktemp("project") / "nba_backfill"
    shutil.copytree(
        PROJECT_DIR,
        project,
        ignore=shutil.ignore_patterns(
            ".git",
            ".venv*",
            "target",
            "logs",
            "data",
            "reports",
            ".backfill",
            "__pycache__",
            "*.duckdb",
            "*.duckdb.wal",
            ".pytest_cache",
            ".ruff_cache",
            "profiles.yml",
        ),
    )
    (project / "tests" / "data_tests" / f"{PROBE_TEST}.sql").write_text(PROBE_SQL)
    return project


@dataclass
class RunnerEnv:
    """One DuckDB file with its own state and report folders."""

    project: Path
    profiles: Path
    db: Path
    state: Path
    reports: Path

    def argv(self, *extra: str, start: str = START, end: str = END) -> list[str]:
        return [
            "--start-date", start,
            "--end-date", end,
            "--chunk-size", "week",
            "--project-dir", str(self.project),
            "--profiles-dir", str(self.profiles),
            "--state-dir", str(self.state),
            "--report-dir", str(self.reports),
            *extra,
        ]  # fmt: skip

    def run(self, *extra: str, **window: str) -> tuple[int, str]:
        """The runner in this process, as the CLI calls it; (exit code, output)."""
        output = io.StringIO()
        previous = os.environ.get("NBA_DUCKDB_PATH")
        os.environ["NBA_DUCKDB_PATH"] = str(self.db)
        try:
            code = main(self.argv(*extra, **window), console=Console(stream=output))
        finally:
            if previous is None:
                os.environ.pop("NBA_DUCKDB_PATH", None)
            else:
                os.environ["NBA_DUCKDB_PATH"] = previous
        return code, output.getvalue()

    def spawn(self, *extra: str, log: Path, **window: str) -> subprocess.Popen[bytes]:
        """The runner as a real process, the way an engineer starts it."""
        env = {**os.environ, "NBA_DUCKDB_PATH": str(self.db)}
        with log.open("wb") as handle:
            return subprocess.Popen(
                [sys.executable, str(BACKFILL), *self.argv(*extra, **window)],
                stdout=handle,
                stderr=subprocess.STDOUT,
                env=env,
            )

    def checkpoint(self) -> dict[str, Any] | None:
        files = sorted(self.state.glob("checkpoints/*/*/*.json"))
        return json.loads(files[0].read_text()) if files else None

    def report(self) -> tuple[dict[str, Any], str, Path]:
        (data,) = self.reports.glob("*.json")
        return json.loads(data.read_text()), data.with_suffix(".md").read_text(), data

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        # not read_only: dbt-duckdb keeps the file open in this process after an
        # in-process run, and DuckDB refuses a second, differently configured one
        with duckdb.connect(str(self.db)) as connection:
            return connection.execute(sql).fetchall()

    def execute(self, sql: str) -> None:
        with duckdb.connect(str(self.db)) as connection:
            connection.execute(sql)


def make_env(base: Path, db_source: Path, project: Path, profiles: Path) -> RunnerEnv:
    base.mkdir(parents=True, exist_ok=True)
    db = base / "nba.duckdb"
    # fold the write-ahead log of a file written in this process into the file
    with duckdb.connect(str(db_source)) as connection:
        connection.execute("checkpoint")
    shutil.copy(db_source, db)
    return RunnerEnv(project, profiles, db, base / "state", base / "reports")


@pytest.fixture(scope="session")
def reference(
    tmp_path_factory: pytest.TempPathFactory,
    raw_db_template: Path,
    profiles_dir: Path,
    runner_project: Path,
) -> RunnerEnv:
    """One uninterrupted run over the window, sample week included."""
    env = make_env(
        tmp_path_factory.mktemp("reference"),
        raw_db_template,
        runner_project,
        profiles_dir,
    )
    code, output = env.run()
    assert code == 0, output
    return env


@pytest.fixture
def fresh(
    tmp_path: Path,
    raw_db_template: Path,
    profiles_dir: Path,
    runner_project: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[RunnerEnv]:
    """Raw data only, nothing built yet."""
    monkeypatch.delenv(PROBE_ENV, raising=False)
    yield make_env(tmp_path, raw_db_template, runner_project, profiles_dir)


def assert_same_summary(env: RunnerEnv, reference: RunnerEnv) -> None:
    """Every row of SUB equal, duplicates included; nothing outside SUB."""
    ordered = (
        f"select * from {SUMMARY} where game_date between '{SUB['start']}' "
        f"and '{SUB['end']}' order by all"
    )
    (total,) = env.query(f"select count(*) from {SUMMARY}")[0]
    rows = env.query(ordered)
    expected = reference.query(ordered)
    assert total == len(rows)
    assert len(rows) == len(expected)
    assert rows == expected


def wait_for(predicate: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def chunks_done(env: RunnerEnv) -> int:
    checkpoint = env.checkpoint()
    if checkpoint is None:
        return 0
    return sum(chunk["status"] == "done" for chunk in checkpoint["chunks"])


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

    # the Markdown shows the same figures, the gate table and the chart
    assert "| gate | value | band | verdict |" in markdown
    for gate in data["gates"]:
        assert f"| {gate['name']} | {gate['value']} |" in markdown
    assert f"{100 * nulls / rows:.2f}% ({nulls:,} of {rows:,} rows)" in markdown
    assert "n/a (the table did not exist)" in markdown  # 'before' on a fresh database
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
    assert checkpoint["sample"]["verdict"] == "ok"


def test_a_completed_range_is_not_rebuilt(
    reference: RunnerEnv,
) -> None:
    before = reference.checkpoint()
    assert before is not None
    code, output = reference.run()
    assert code == 0, output
    assert "already complete" in output
    after = reference.checkpoint()
    assert after is not None
    assert [c["invocation_id"] for c in after["chunks"]] == [
        c["invocation_id"] for c in before["chunks"]
    ]


def test_inline_upstream_writes_the_same_rows_as_staged_work_tables(
    fresh: RunnerEnv, reference: RunnerEnv
) -> None:
    work_tables = (
        "select count(*) from information_schema.tables "
        "where table_schema = 'nba_backfill_work'"
    )
    code, output = fresh.run("--no-stage-upstream", "--skip-sample", **SUB)
    assert code == 0, output
    assert "compile into each chunk's query" in output
    assert fresh.query(work_tables) == [(0,)]
    # the reference staged them: seven tables over its whole window
    assert reference.query(work_tables) == [(7,)]
    assert_same_summary(fresh, reference)


def test_day_chunks_without_tests_run_as_microbatch_and_resume_their_gaps(
    fresh: RunnerEnv, reference: RunnerEnv
) -> None:
    code, output = fresh.run(*MICROBATCH, **SUB)
    assert code == 0, output
    assert "chunk 18/18 2022-01-20..2022-01-20 done" in output
    assert_same_summary(fresh, reference)
    checkpoint = fresh.checkpoint()
    assert checkpoint is not None
    per_day = dict(
        fresh.query(
            f"select cast(game_date as varchar), count(*) from {SUMMARY} group by 1"
        )
    )
    for chunk in checkpoint["chunks"]:
        assert chunk["status"] == "done"
        assert chunk["rows_written"] == per_day.get(chunk["start"], 0)
        assert chunk["duration_s"] is not None

    # two gaps, as a crash and a failed batch would leave them: rows gone,
    # chunks not done
    gaps = {"2022-01-05", "2022-01-06", "2022-01-07", "2022-01-12"}
    for chunk in checkpoint["chunks"]:
        if chunk["start"] in gaps:
            chunk["status"] = "failed"
    checkpoint["status"] = "failed"
    (path,) = fresh.state.glob("checkpoints/*/*/*.json")
    path.write_text(json.dumps(checkpoint))
    fresh.execute(
        f"delete from {SUMMARY} where cast(game_date as varchar) in "
        f"({', '.join(repr(day) for day in sorted(gaps))})"
    )
    code, output = fresh.run(*MICROBATCH, **SUB)
    assert code == 0, output
    assert "resuming: 14/18 chunks done; rebuilding 4" in output
    assert_same_summary(fresh, reference)
    resumed = fresh.checkpoint()
    assert resumed is not None
    rebuilt = {c["start"] for c in resumed["chunks"] if c["attempts"] == 2}
    assert rebuilt == gaps


# ------------------------------------------------------------------ dry run


def test_dry_run_leaves_the_database_byte_for_byte_unchanged(
    reference: RunnerEnv, tmp_path: Path
) -> None:
    env = make_env(tmp_path, reference.db, reference.project, reference.profiles)
    digest = hashlib.sha256(env.db.read_bytes()).hexdigest()
    files = sorted(p.name for p in tmp_path.iterdir())

    code, output = env.run("--dry-run")

    assert code == 0, output
    assert hashlib.sha256(env.db.read_bytes()).hexdigest() == digest
    assert sorted(p.name for p in tmp_path.iterdir()) == files  # no state, no report
    assert "DRY RUN" in output and "plan: 5 week chunks" in output
    assert "gate pre-flight raw minutes NULL" in output
    # the rows each chunk would replace
    (rows,) = env.query(
        f"select count(*) from {SUMMARY} where game_date between '2022-01-10' "
        "and '2022-01-16'"
    )[0]
    assert re.search(rf"2022-01-10\.\.2022-01-16 +{rows:,} ", output)


# ------------------------------------------------------------------ gates


def test_a_failing_gate_exits_1_with_its_value_and_band(fresh: RunnerEnv) -> None:
    # one Ball Don't Lie row in ten loses its minutes: the pre-flight must stop
    fresh.execute(f"update {BDL} set minutes = null where hash(player_lookup) % 10 = 0")
    (rate,) = fresh.query(
        f"select avg(case when minutes is null then 1 else 0 end) from {BDL} "
        f"where game_date between '{START}' and '{END}'"
    )[0]

    code, output = fresh.run("--skip-sample")

    assert code == 1
    assert (
        f"gate pre-flight raw minutes NULL: {100 * rate:.2f}% (error; "
        "band ok < 1%; warn to 5%; stop above)"
    ) in output
    assert "stopped before any write by the pre-flight gate" in output
    tables = fresh.query(
        "select count(*) from information_schema.tables "
        "where table_schema = 'nba_analytics'"
    )
    assert tables == [(0,)]


# ------------------------------------------------------------------ resume


def test_a_failed_chunk_stops_the_run_and_is_retried_on_resume(
    fresh: RunnerEnv, reference: RunnerEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(PROBE_ENV, "2022-01-12")

    code, output = fresh.run("--skip-sample", **SUB)

    (failing,) = fresh.query(
        f"select count(*) from {SUMMARY} where game_date = '2022-01-12'"
    )[0]
    assert code == 1
    assert (
        f"chunk 2022-01-10..2022-01-16 failed: dbt test {PROBE_TEST} fail "
        f"with {failing:,} failing rows"
    ) in output
    first = fresh.checkpoint()
    assert first is not None
    assert [c["status"] for c in first["chunks"]] == ["done", "failed", "pending"]
    assert first["chunks"][1]["failed_tests"][0]["failures"] == failing

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


def test_sigterm_mid_microbatch_run_exits_130_and_a_rerun_resumes(
    fresh: RunnerEnv, reference: RunnerEnv, tmp_path: Path
) -> None:
    log = tmp_path / "first.log"
    process = fresh.spawn(*MICROBATCH, log=log, **SUB)
    wait_for(lambda: chunks_done(fresh) >= 1, 120, "the first batch")
    process.send_signal(signal.SIGTERM)
    assert process.wait(60) == 130, log.read_text()

    interrupted = fresh.checkpoint()
    assert interrupted is not None and interrupted["status"] == "interrupted"
    statuses = [c["status"] for c in interrupted["chunks"]]
    assert "running" not in statuses and "interrupted" in statuses
    assert statuses[0] == "done"

    code, output = fresh.run(*MICROBATCH, **SUB)
    assert code == 0, output
    done = sum(status == "done" for status in statuses)
    assert f"resuming: {done}/18 chunks done" in output
    assert_same_summary(fresh, reference)


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


# ------------------------------------------------------------------ rollback


def test_rollback_restores_the_rows_the_backfill_replaced(
    reference: RunnerEnv, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = make_env(tmp_path, reference.db, reference.project, reference.profiles)
    window = {"start": "2022-01-03", "end": "2022-01-16"}
    part = f"game_date between '{window['start']}' and '{window['end']}'"
    # the incident: minutes lost on every row of the range
    env.execute(f"update {SUMMARY} set minutes_played = null where {part}")
    env.execute(f"create table main.earlier as select * from {SUMMARY}")

    # a first run stops after rewriting one chunk ...
    monkeypatch.setenv(PROBE_ENV, "2022-01-12")
    code, output = env.run("--skip-sample", **window)
    assert code == 1, output
    monkeypatch.delenv(PROBE_ENV)
    # ... and --no-resume starts over, keeping the backup from before any write
    code, output = env.run("--skip-sample", "--no-resume", **window)

    assert code == 0, output
    assert "keeping the backup" in output
    checkpoint = env.checkpoint()
    assert checkpoint is not None
    assert [c["attempts"] for c in checkpoint["chunks"]] == [1, 1]
    data, markdown, _ = env.report()
    assert data["before"]["null_rate"] == 1.0
    assert "| before | 100.00% (" in markdown
    (fixed,) = env.query(f"select count(minutes_played) from {SUMMARY} where {part}")[0]
    assert fixed > 0

    code, output = env.run("--rollback", **window)

    assert code == 0, output
    differences = env.query(
        f"select count(*) from ((select * from {SUMMARY} except all "
        f"select * from main.earlier) union all (select * from main.earlier "
        f"except all select * from {SUMMARY}))"
    )
    assert differences == [(0,)]
    checkpoint = env.checkpoint()
    assert checkpoint is not None and checkpoint["status"] == "rolled_back"
