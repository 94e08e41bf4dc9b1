"""The emulator harness itself: what it reports when dbt fails."""

from __future__ import annotations

import json

from bq_harness import EmulatorProject, describe_failure


def test_describe_failure_of_a_failed_run_operation(project: EmulatorProject) -> None:
    """A run-operation's result rows have no node; the failure is still named."""
    result = project.dbt(
        "run-operation",
        "publish_range",
        "--args",
        json.dumps(
            {"start_date": "2022-01-02", "end_date": "2022-01-01", "publish_id": "x"}
        ),
    )
    assert not result.success
    described = describe_failure(result)
    assert "macro.nba_backfill.publish_range: error" in described
