"""The runner's exceptions; each carries the process exit code it stands for."""

from __future__ import annotations

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class BackfillError(Exception):
    """A run that cannot go on; ``exit_code`` is what the CLI returns."""

    exit_code: int = EXIT_FAILED


class UsageError(BackfillError):
    """Bad arguments: dates, ranges or options that do not fit together."""

    exit_code = EXIT_USAGE


class GateFailed(BackfillError):
    """A validation gate is in its error band."""


class ChunkFailed(BackfillError):
    """A chunk's dbt build failed: a test, the model, or retries ran out."""


class AlreadyRunning(BackfillError):
    """Another runner holds the target's lock."""


class DbtError(BackfillError):
    """dbt itself failed outside a chunk (parse, a query, an operation)."""


class Interrupted(BackfillError):
    """Ctrl-C or SIGTERM; the checkpoint was saved first."""

    exit_code = EXIT_INTERRUPTED
