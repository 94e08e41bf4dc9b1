"""Partition pruning on the emulator: every statement dbt-bigquery sends for one
chunk of a backfill filters game_date with literal dates (bq_pruning.py)."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

from bq_harness import DateWindow, EmulatorProject, node_failures
from bq_pruning import StatementLog, unpruned_statements

# The chunk whose every statement is checked for partition pruning.
PRUNED_CHUNK = DateWindow(date(2022, 1, 10), date(2022, 1, 10))


def test_every_statement_of_a_chunk_prunes_partitions(
    built: EmulatorProject, tmp_path: Path
) -> None:
    """The statements the runner issues for one chunk, captured from dbt-bigquery
    as it sends them, each filter game_date with literal dates wherever they name
    the summary or a raw feed: the upstream work tables, the chunk's model (its
    MERGE into the audit copy) and tests, the final validation, the diff, the
    check of a rerun (range_built_from), the publish with its backup, and the
    rollback. A name not filtered is a scan of
    every partition, billed."""
    chunk = PRUNED_CHUNK.as_vars()
    # the runner's own parse, with its base vars only (the range is given per
    # command): with backfill_audit the summary is the audit copy
    base_vars = {"backfill_audit": True, "stage_upstream": True}
    audit_vars = {**chunk, **base_vars}
    runner = EmulatorProject(built.emulator, tmp_path)
    runner.parse(dbt_vars=base_vars)
    log = StatementLog()
    steps = [
        ("run-operation", "check_backfill_inputs"),
        ("run", "--selector", "backfill_upstream"),
        # the first build creates the audit copy; the second is the chunk's MERGE
        ("build", "--selector", "backfill_chunk", "--no-populate-cache"),
        ("build", "--selector", "backfill_chunk", "--no-populate-cache"),
        ("test", "--selector", "backfill_final_validation"),
        ("run-operation", "diff_range", "--args", json.dumps(chunk)),
        # a rerun of a range already built checks this before anything else
        ("run-operation", "range_built_from", "--args", json.dumps(chunk)),
        (
            "run-operation",
            "publish_range",
            "--args",
            json.dumps({**chunk, "publish_id": "pruning_check"}),
        ),
        ("run-operation", "rollback_range", "--args", json.dumps(chunk)),
    ]
    for step in steps:
        result = runner.dbt(*step, dbt_vars=audit_vars, callbacks=[log])
        failures = [] if step[0] == "run-operation" else node_failures(result)
        assert result.success, f"{step}: {result.exception} {failures}"

    issued = "\n".join(log.statements).lower()
    summary = "`{}`.`player_game_summary`"
    for what, pattern in {
        "the model's MERGE into the audit copy": r"merge\s+(?:into\s+)?`[^`]+`\."
        + summary.format("nba_backfill_audit"),
        "the backup": r"create table `[^`]+`\.`nba_backfill_backup`\.",
        "the publish and the rollback": r"(?s)(merge\s+(?:into\s+)?`[^`]+`\."
        + summary.format("nba_analytics")
        + ".*){2}",
        "a test of the audit copy": r"from `[^`]+`\."
        + summary.format("nba_backfill_audit"),
    }.items():
        assert re.search(pattern, issued), f"{what} was not among the statements"
    offenders = unpruned_statements(log.statements)
    assert offenders == [], "statements that scan every partition:\n" + "\n\n".join(
        f"-- {', '.join(tables)}\n{sql}" for tables, sql in offenders
    )
