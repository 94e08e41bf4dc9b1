"""The durable record of a backfill: one JSON file per target, model and range.

Every write goes to a temporary file in the same folder, is fsynced, and replaces the
old file with ``os.replace``; a crash leaves either the old or the new checkpoint,
never half of one.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from backfill_runner.plan import ChunkSize, DateRange
from backfill_runner.verdicts import TestVerdict

# 2: write-audit-publish (chunks go to the audit copy; publishes are recorded
# in the database, not here)
# 3: the audit copy's fingerprint is the row count and two sums of hash slices
# (backfill_hash_digest), not an md5 of every hash: a format 2 one never matches
FORMAT_VERSION = 3


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class ChunkStatus(StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    INTERRUPTED = "interrupted"


class RunStatus(StrEnum):
    RUNNING = "running"
    # every chunk built into the audit copy and every blocking test passed;
    # not published (--no-publish, or stopped before the publish)
    AUDITED = "audited"
    # published (or the live table already held exactly the audited rows)
    DONE = "done"
    FAILED = "failed"
    INTERRUPTED = "interrupted"
    ROLLED_BACK = "rolled_back"


@dataclass
class ChunkRecord:
    start: str
    end: str
    status: ChunkStatus = ChunkStatus.PENDING
    rows_written: int | None = None
    minutes_null_rate: float | None = None
    duration_s: float | None = None
    invocation_id: str | None = None
    attempts: int = 0
    error: str | None = None
    failed_tests: list[TestVerdict] = field(default_factory=list)
    warnings: list[TestVerdict] = field(default_factory=list)
    updated_at: str | None = None
    # the group of chunks whose one dbt build tested this chunk (chunks.py):
    # its verdicts are the group's, each chunk judged on its own
    tested_in: str | None = None

    @property
    def range(self) -> DateRange:
        return DateRange(date.fromisoformat(self.start), date.fromisoformat(self.end))

    def start_attempt(self) -> None:
        """Mark the chunk running, forgetting the outcome of an earlier attempt."""
        self.status = ChunkStatus.RUNNING
        self.updated_at = now_iso()
        self.attempts += 1
        self.error = None
        self.failed_tests = []
        self.tested_in = None

    def to_dict(self) -> dict[str, Any]:
        # by hand: dataclasses.asdict deep-copies, half of a save with 944 chunks
        values = {name: getattr(self, name) for name in _CHUNK_FIELDS}
        for key in ("failed_tests", "warnings"):
            values[key] = [item.to_dict() for item in values[key]]
        return values

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ChunkRecord:
        values = dict(data)
        values["status"] = ChunkStatus(values["status"])
        for key in ("failed_tests", "warnings"):
            values[key] = [TestVerdict.from_dict(item) for item in values.get(key, [])]
        return cls(**values)


_CHUNK_FIELDS = tuple(item.name for item in fields(ChunkRecord))


@dataclass
class Checkpoint:
    """What a runner did on one range; ``key`` names the file it lives in."""

    target: str
    target_identity: str
    model: str
    start_date: str
    end_date: str
    chunk_size: ChunkSize
    chunks: list[ChunkRecord]
    status: RunStatus = RunStatus.RUNNING
    created_at: str = field(default_factory=now_iso)
    updated_at: str = field(default_factory=now_iso)
    pid: int | None = None
    # each step's dbt test verdicts (TestVerdict dicts), as dbt reported them
    preflight: list[dict[str, Any]] | None = None
    sample: list[dict[str, Any]] | None = None
    validation: list[dict[str, Any]] | None = None
    # the diff of the audited range against the live table (publishing.RangeDiff)
    diff: dict[str, Any] | None = None
    # what the publish logged (macros/runner/publish.sql); the database's own
    # record is nba_analytics.backfill_publishes
    publish: dict[str, Any] | None = None
    version: int = FORMAT_VERSION

    @classmethod
    def new(
        cls,
        target: str,
        target_identity: str,
        model: str,
        whole: DateRange,
        size: ChunkSize,
        chunks: list[DateRange],
    ) -> Checkpoint:
        return cls(
            target=target,
            target_identity=target_identity,
            model=model,
            start_date=whole.start.isoformat(),
            end_date=whole.end.isoformat(),
            chunk_size=size,
            chunks=[
                ChunkRecord(chunk.start.isoformat(), chunk.end.isoformat())
                for chunk in chunks
            ],
            pid=os.getpid(),
        )

    @property
    def range(self) -> DateRange:
        return DateRange(
            date.fromisoformat(self.start_date), date.fromisoformat(self.end_date)
        )

    def not_done(self) -> list[ChunkRecord]:
        """Every chunk still to build, in date order (resume-skips-failures)."""
        return sorted(
            (chunk for chunk in self.chunks if chunk.status is not ChunkStatus.DONE),
            key=lambda chunk: chunk.start,
        )

    @property
    def chunks_done(self) -> int:
        return sum(chunk.status is ChunkStatus.DONE for chunk in self.chunks)

    @property
    def is_complete(self) -> bool:
        return not self.not_done()

    def to_dict(self) -> dict[str, Any]:
        values = {item.name: getattr(self, item.name) for item in fields(self)}
        values["chunks"] = [chunk.to_dict() for chunk in self.chunks]
        return values

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Checkpoint:
        values = dict(data)
        if values.get("version") != FORMAT_VERSION:
            raise ValueError(
                f"checkpoint format {values.get('version')} is not the format "
                f"this version reads ({FORMAT_VERSION})"
            )
        values["chunk_size"] = ChunkSize(values["chunk_size"])
        values["status"] = RunStatus(values["status"])
        values["chunks"] = [ChunkRecord.from_dict(item) for item in values["chunks"]]
        return cls(**values)


def target_slug(target: str, identity: str) -> str:
    """The target's name plus a short hash of where it points (file, project)."""
    digest = hashlib.sha256(identity.encode()).hexdigest()[:10]
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in target)
    return f"{safe}-{digest}"


@dataclass(frozen=True, slots=True)
class CheckpointStore:
    """One checkpoint file: load it, save it atomically, or remove it."""

    path: Path

    @classmethod
    def for_run(
        cls, state_dir: Path, target: str, identity: str, model: str, whole: DateRange
    ) -> CheckpointStore:
        folder = state_dir / "checkpoints" / target_slug(target, identity) / model
        return cls(folder / f"{whole.start.isoformat()}_{whole.end.isoformat()}.json")

    def load(self) -> Checkpoint | None:
        try:
            text = self.path.read_text()
        except FileNotFoundError:
            return None
        return Checkpoint.from_dict(json.loads(text))

    def save(self, checkpoint: Checkpoint) -> None:
        checkpoint.updated_at = now_iso()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # one line: indenting tripled the time of a save with hundreds of chunks
        text = json.dumps(checkpoint.to_dict(), sort_keys=True) + "\n"
        handle, temp_name = tempfile.mkstemp(
            prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent
        )
        try:
            with os.fdopen(handle, "w") as temp_file:
                temp_file.write(text)
                temp_file.flush()
                os.fsync(temp_file.fileno())
            Path(temp_name).replace(self.path)
        except BaseException:
            Path(temp_name).unlink(missing_ok=True)
            raise
        # make the rename itself durable
        directory = os.open(self.path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
