"""``--dry-run --target bigquery``: each chunk's query sent as a BigQuery dry-run
job, the bytes it would process printed per chunk and in total, nothing written.

The emulator refuses dry-run jobs (it answers "dry-run jobs" unsupported), so
what this shows is the path: every chunk's compiled query reaches BigQuery as a
dry-run job, each refusal is printed against its chunk, the total says how many
chunks are unknown, and no table appears or changes. The figures themselves are
BigQuery's (tests/python/test_bytes_estimate.py checks how they are printed);
the README's "tested where" table says so.
"""

from __future__ import annotations

from datetime import date

from bq_checks import assert_runner_ok
from bq_harness import DateWindow, EmulatorProject

# two month chunks of the suite's raw data
WINDOW = DateWindow(date(2021, 12, 27), date(2022, 1, 16))
CHUNKS = ("2021-12-27..2021-12-31", "2022-01-01..2022-01-16")


def warehouse(bq: EmulatorProject) -> dict[str, int]:
    """Every table of the emulator and its row count."""
    return {
        f"{dataset.dataset_id}.{table.table_id}": bq.client.get_table(
            table.reference
        ).num_rows
        for dataset in bq.client.list_datasets()
        for table in bq.client.list_tables(dataset.reference)
    }


def test_dry_run_sends_each_chunk_as_a_dry_run_job_and_writes_nothing(
    project: EmulatorProject,
) -> None:
    before = warehouse(project)
    run = project.run_backfill(
        WINDOW, "month", "--dry-run", "--skip-sample", "--price-per-tib", "5"
    )
    assert_runner_ok(run, "dry run")
    lines = run.stdout.splitlines()
    (header,) = [i for i, line in enumerate(lines) if "would process" in line]
    assert "at 5 USD/TiB" in lines[header]
    rows = lines[header + 2 : header + 2 + len(CHUNKS)]
    for chunk, row in zip(CHUNKS, rows, strict=True):
        # the emulator's answer to a dry-run job, against its chunk
        assert chunk in row and "unknown" in row and "dry-run jobs" in row, row
    assert lines[header + 2 + len(CHUNKS)].strip().startswith("total: 0 B")
    assert "(2 of 2 chunks unknown" in lines[header + 2 + len(CHUNKS)]
    assert warehouse(project) == before
    checkpoint = f"{WINDOW.start.isoformat()}_{WINDOW.end.isoformat()}.json"
    assert not list(project.runner_state_dir.glob(f"checkpoints/*/*/{checkpoint}"))
