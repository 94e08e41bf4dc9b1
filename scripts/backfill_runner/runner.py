"""The one entry point: run what the options ask for, return the exit code.

0 done (published, or audited with --no-publish), 1 a test or a chunk failed
(nothing published), 2 bad usage, 130 interrupted with the checkpoint saved.
The modes themselves are in modes.py.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from backfill_runner import modes
from backfill_runner.context import RunContext, default_log_file
from backfill_runner.dbt_session import DbtSession
from backfill_runner.errors import EXIT_INTERRUPTED, BackfillError
from backfill_runner.inputs import check_duckdb_file, target_output
from backfill_runner.lock import TargetLock
from backfill_runner.progress import Console
from backfill_runner.settings import RunOptions, load_gate_settings
from backfill_runner.signals import sigterm_as_interrupt


@contextmanager
def _artifacts_dir(options: RunOptions) -> Iterator[Path]:
    """dbt's target and log folders: a temporary one for a dry run."""
    if options.dry_run:
        with tempfile.TemporaryDirectory(prefix="backfill-dry-run-") as folder:
            yield Path(folder)
    else:
        yield options.state_dir / "dbt" / options.target


def execute(options: RunOptions, console: Console | None = None) -> int:
    """Run what the options ask for and return the exit code."""
    console = console or Console()
    try:
        settings = load_gate_settings(options.project_dir)
        # before dbt connects: dbt-duckdb would create a missing file
        check_duckdb_file(
            target_output(options.project_dir, options.profiles_dir, options.target)
        )
        with sigterm_as_interrupt(), _artifacts_dir(options) as artifacts:
            session = DbtSession(
                options.project_dir, options.profiles_dir, options.target, artifacts
            )
            ctx = RunContext(options, console, settings, session)
            if options.dry_run:
                if options.log_file is not None:
                    console.open_log(options.log_file)
                return modes.dry_run(ctx)
            lock = TargetLock.for_target(
                options.state_dir, options.target, console.warn
            )
            # a live runner first (it holds the database), then the vars and the
            # raw contract: all before the lock, the log or any write
            lock.refuse_if_held()
            ctx.connect(audit=True)
            with lock:
                console.open_log(options.log_file or default_log_file(options))
                if options.rollback:
                    return modes.rollback(ctx)
                return modes.backfill(ctx)
    except BackfillError as error:
        console.error(str(error))
        return error.exit_code
    except KeyboardInterrupt:
        console.error("interrupted; the checkpoint is saved and a rerun resumes it")
        return EXIT_INTERRUPTED
    finally:
        console.close()
