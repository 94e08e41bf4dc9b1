"""Microbatch on BigQuery: each batch is the project's replace-range MERGE.

The runner's month chunks without per-chunk tests run as one dbt microbatch
invocation, a batch per month, with ``concurrent_batches`` on; each batch is one
``MERGE ... ON FALSE`` over the batch's literal dates (no scripting, which the
emulator lacks), so a batch that comes back empty still empties its range.

Four days around New Year 2022 of the suite's raw data (bq_fixtures.py) make two
month batches, the first clipped to the run's range, or four day batches, the
two between the first and the last run concurrently. Everything here writes the
audit copy only, never the live summary the other modules read, and the raw rows
a test removes are put back.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from bq_checks import assert_runner_ok, chunk_states
from bq_harness import SUMMARY_MODEL, DateWindow, EmulatorProject, node_failures
from bq_pruning import StatementLog, unpruned_statements

pytestmark = pytest.mark.bigquery

# Two month batches: 2021-12-30..31 (its month clipped to the range), 2022-01.
WINDOW = DateWindow(date(2021, 12, 30), date(2022, 1, 2))
DECEMBER = DateWindow(date(2021, 12, 30), date(2021, 12, 31))
JANUARY = DateWindow(date(2022, 1, 1), date(2022, 1, 2))
RAW_FEEDS = ("nbac_gamebook_player_stats", "bdl_player_boxscores")
# what the runner passes to its one parse for month chunks without tests
MICROBATCH_VARS = {
    "backfill_batch_size": "month",
    "stage_upstream": True,
    "backfill_audit": True,
}


def audit_rows(bq: EmulatorProject, window: DateWindow) -> list[tuple[Any, ...]]:
    audit = bq.summary_table_id().replace(".nba_analytics.", ".nba_backfill_audit.")
    columns = ", ".join(f.name for f in bq.client.get_table(audit).schema)
    return bq.query(
        f"select {columns} from `{audit}` where {window.between()} "
        "order by game_id, player_lookup"
    )


def runner_dbt_log(bq: EmulatorProject) -> Path:
    return bq.runner_state_dir / "dbt" / "bigquery" / "logs" / "dbt.log"


def log_size(path: Path) -> int:
    return path.stat().st_size if path.exists() else 0


def backfill_logged(project: EmulatorProject, what: str, *args: str) -> str:
    """The runner over WINDOW (chunk size and options in args), checked to end
    well; the dbt log it wrote."""
    log = runner_dbt_log(project)
    logged_before = log_size(log)
    run = project.run_backfill(WINDOW, *args)
    assert_runner_ok(run, what)
    with log.open("rb") as text:
        text.seek(logged_before)
        return text.read().decode(errors="replace")


def run_window_as_microbatch(
    runner: EmulatorProject,
    batches: int,
    callbacks: list[Any],
    batch_size: str = "month",
) -> None:
    """One `dbt run` of the summary over WINDOW's event times, in batches."""
    result = runner.dbt(
        "run",
        "--select",
        SUMMARY_MODEL,
        "--event-time-start",
        WINDOW.start.isoformat(),
        "--event-time-end",
        (WINDOW.end + timedelta(days=1)).isoformat(),
        dbt_vars={
            **MICROBATCH_VARS,
            "backfill_batch_size": batch_size,
            **WINDOW.as_vars(),
        },
        callbacks=callbacks,
    )
    assert result.success, node_failures(result) or result.exception
    (model,) = [r for r in result.result.results if r.node.name == SUMMARY_MODEL]
    assert len(model.batch_results.successful) == batches


def test_month_microbatch_backfill_equals_sequential_chunks(
    project: EmulatorProject, tmp_path: Path
) -> None:
    """Month chunks as one microbatch run (concurrent batches on) give exactly
    the rows of the same chunks built one dbt invocation each."""
    logged = backfill_logged(
        project,
        "month chunks as microbatch batches",
        "month",
        "--no-chunk-tests",
        "--skip-sample",
        "--no-publish",
    )
    # one invocation, its batches the two chunks
    assert "Batch 1 of 2" in logged and "Batch 2 of 2" in logged, logged[-2000:]
    assert chunk_states(project, WINDOW) == [
        ("2021-12-30", "done"),
        ("2022-01-01", "done"),
    ]
    checkpoint = project.checkpoint(WINDOW)
    batched = audit_rows(project, WINDOW)
    assert batched
    assert [c["rows_written"] for c in checkpoint["chunks"]] == [
        len(audit_rows(project, DECEMBER)),
        len(audit_rows(project, JANUARY)),
    ]

    # the same chunks one dbt run each (merge strategy), on an emptied range
    sequential = EmulatorProject(project.emulator, tmp_path)
    sequential.parse(dbt_vars={"stage_upstream": True, "backfill_audit": True})
    sequential.execute(
        f"merge `{sequential.summary_table_id()}` as row_ using (select 1) on false "
        f"when not matched by source and row_.{WINDOW.between()} then delete"
    )
    assert audit_rows(project, WINDOW) == []
    for chunk in (DECEMBER, JANUARY):
        result = sequential.dbt(
            "run",
            "--select",
            SUMMARY_MODEL,
            dbt_vars={
                "stage_upstream": True,
                "backfill_audit": True,
                **chunk.as_vars(),
            },
        )
        assert result.success, node_failures(result)
    assert audit_rows(project, WINDOW) == batched


def test_empty_batch_empties_its_range(
    project: EmulatorProject, tmp_path: Path
) -> None:
    """A month batch whose raw rows all vanished deletes its dates' rows (the
    MERGE's delete clause does not depend on the batch's rows), and every
    statement of the run filters game_date with literal dates."""
    runner = EmulatorProject(project.emulator, tmp_path)
    runner.parse(dbt_vars=MICROBATCH_VARS)
    run_vars = {**MICROBATCH_VARS, **WINDOW.as_vars()}
    seeded = runner.dbt("seed", dbt_vars=run_vars)
    assert seeded.success, node_failures(seeded)
    upstream = runner.dbt("run", "--selector", "backfill_upstream", dbt_vars=run_vars)
    assert upstream.success, node_failures(upstream)

    def microbatch_run(log: StatementLog | None = None) -> None:
        run_window_as_microbatch(runner, batches=2, callbacks=[log] if log else [])

    microbatch_run()  # the first batch creates the audit copy if it is missing
    microbatch_run()  # both batches MERGE into it
    summary = f"`{runner.summary_table_id()}`"
    assert runner.query(f"select count(*) from {summary} where {DECEMBER.between()}")[
        0
    ][0]
    january = runner.summary_rows(JANUARY.between())

    backups = []
    for feed in RAW_FEEDS:
        backup = f"`{runner.raw_table_id(feed)}_before_vanishing`"
        runner.execute(
            f"create table {backup} as select * from "
            f"`{runner.raw_table_id(feed)}` where {DECEMBER.between()}"
        )
        backups.append((feed, backup))
        runner.execute(
            f"merge `{runner.raw_table_id(feed)}` as raw_row "
            "using (select 1 as one) as change on false "
            f"when not matched by source and raw_row.{DECEMBER.between()} "
            "then delete"
        )
    try:
        rebuilt = runner.dbt(
            "run", "--selector", "backfill_upstream", dbt_vars=run_vars
        )
        assert rebuilt.success, node_failures(rebuilt)
        log = StatementLog()
        microbatch_run(log)
        assert runner.summary_rows(DECEMBER.between()) == []
        assert runner.summary_rows(JANUARY.between()) == january
        merges = [s for s in log.statements if re.search(r"(?i)\bmerge\s", s)]
        assert len(merges) == 2, merges
        assert unpruned_statements(log.statements) == []
    finally:
        for feed, backup in backups:
            table = runner.client.get_table(runner.raw_table_id(feed))
            columns = ", ".join(f"`{field.name}`" for field in table.schema)
            runner.execute(
                f"insert into `{runner.raw_table_id(feed)}` ({columns}) "
                f"select {columns} from {backup}"
            )
            runner.execute(f"drop table {backup}")


class BatchSchedule:
    """How dbt scheduled each batch: its MicrobatchExecutionDebug events."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def __call__(self, message: Any) -> None:
        if message.info.name == "MicrobatchExecutionDebug":
            self.messages.append(str(message.data.msg))

    def concurrent(self) -> list[str]:
        return [m for m in self.messages if m.endswith("is being run concurrently")]


def test_day_batches_run_concurrently_and_equal_sequential_batches(
    project: EmulatorProject, tmp_path: Path
) -> None:
    """With dbt-bigquery declaring microbatch concurrency, the batches between the
    first and the last run at the same time (they replace disjoint partitions),
    and give the rows the same range gets from batches run one by one."""
    sequential = EmulatorProject(project.emulator, tmp_path / "sequential")
    sequential.parse(dbt_vars=MICROBATCH_VARS)  # month batches
    concurrent = EmulatorProject(project.emulator, tmp_path / "concurrent")
    concurrent.parse(dbt_vars={**MICROBATCH_VARS, "backfill_batch_size": "day"})
    run_vars = {**MICROBATCH_VARS, **WINDOW.as_vars()}

    def microbatch_run(
        runner: EmulatorProject, batches: int, batch_size: str
    ) -> BatchSchedule:
        schedule = BatchSchedule()
        run_window_as_microbatch(runner, batches, [schedule], batch_size)
        return schedule

    seeded = sequential.dbt("seed", dbt_vars=run_vars)
    assert seeded.success, node_failures(seeded)
    upstream = sequential.dbt(
        "run", "--selector", "backfill_upstream", dbt_vars=run_vars
    )
    assert upstream.success, node_failures(upstream)
    # the last batch always runs alone, so two month batches run one by one
    assert microbatch_run(sequential, 2, "month").concurrent() == []
    one_by_one = audit_rows(project, WINDOW)
    assert one_by_one

    sequential.execute(
        f"merge `{sequential.summary_table_id()}` as row_ using (select 1) on false "
        f"when not matched by source and row_.{WINDOW.between()} then delete"
    )
    assert audit_rows(project, WINDOW) == []
    schedule = microbatch_run(concurrent, 4, "day")
    # dbt runs the first and the last of four day batches alone, the two
    # between them concurrently
    assert len(schedule.concurrent()) == 2, schedule.messages
    assert audit_rows(project, WINDOW) == one_by_one


def test_month_chunks_with_tests_build_their_season_in_one_invocation(
    project: EmulatorProject, tmp_path: Path
) -> None:
    """Month chunks with per-chunk tests: a season's months are one ``dbt build
    --selector backfill_chunk``, the summary one MERGE over them, whose chunk
    tests judge each month on its own (backfill_test_period: month, the
    riskier SQL of the two periods: date_trunc); the rows equal one dbt run of
    the range. Day chunks take the same path a month of days at a time."""
    logged = backfill_logged(
        project,
        "month chunks with per-chunk tests",
        "month",
        "--skip-sample",
        "--no-publish",
        "--no-resume",
    )
    # December's two days and January's two, one season: one build of the
    # summary as one range replacement, not batches
    built_summary = re.findall(r"OK created sql incremental model \S+", logged)
    assert len(built_summary) == 1, logged[-2000:]
    assert "Batch 1 of" not in logged
    checkpoint = project.checkpoint(WINDOW)
    group = "chunks 2021-12-30..2022-01-02"
    assert [
        (c["start"], c["status"], c["tested_in"]) for c in checkpoint["chunks"]
    ] == [
        ("2021-12-30", "done", group),
        ("2022-01-01", "done", group),
    ]
    built = audit_rows(project, WINDOW)
    assert built

    plain = EmulatorProject(project.emulator, tmp_path)
    plain.parse(dbt_vars={"stage_upstream": True, "backfill_audit": True})
    plain.execute(
        f"merge `{plain.summary_table_id()}` as row_ using (select 1) on false "
        f"when not matched by source and row_.{WINDOW.between()} then delete"
    )
    result = plain.dbt(
        "run",
        "--select",
        SUMMARY_MODEL,
        dbt_vars={"stage_upstream": True, "backfill_audit": True, **WINDOW.as_vars()},
    )
    assert result.success, node_failures(result)
    assert audit_rows(project, WINDOW) == built
