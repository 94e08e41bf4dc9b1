"""One runner per target: a lock file holding the owner's pid.

The file is created with O_EXCL, so two runners cannot both get it. A lock whose
pid is no longer running (a runner killed with -9) is taken over with a notice.
"""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from backfill_runner.checkpoint import now_iso
from backfill_runner.errors import AlreadyRunning


def pid_is_running(pid: int) -> bool:
    """True when pid is a live process (a zombie counts as dead)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    stat = Path(f"/proc/{pid}/stat")
    try:
        state = stat.read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state not in {"Z", "X"}


@dataclass
class TargetLock:
    """``with TargetLock(path, target, notice):`` holds the target for the block."""

    path: Path
    target: str
    notice: Callable[[str], None] = print
    held: bool = field(default=False, init=False)

    @classmethod
    def for_target(
        cls, state_dir: Path, target: str, notice: Callable[[str], None] = print
    ) -> TargetLock:
        safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in target)
        return cls(state_dir / "locks" / f"{safe}.lock", target, notice)

    def _owner(self) -> dict[str, object] | None:
        try:
            return json.loads(self.path.read_text())
        except FileNotFoundError:
            return None
        except (OSError, ValueError):
            # half-written by a runner killed while creating it
            return {"pid": -1}

    def _create(self) -> bool:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            handle = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            return False
        owner = {"pid": os.getpid(), "host": socket.gethostname(), "since": now_iso()}
        with os.fdopen(handle, "w") as lock_file:
            lock_file.write(json.dumps(owner) + "\n")
            lock_file.flush()
            os.fsync(lock_file.fileno())
        return True

    def _refusal(self, owner: dict[str, object]) -> AlreadyRunning | None:
        """The error for a lock a live runner holds; None for a stale one."""
        pid = int(owner.get("pid", -1))  # type: ignore[call-overload]
        host = owner.get("host")
        same_host = host in (None, socket.gethostname())
        if same_host and not pid_is_running(pid):
            return None
        where = "" if same_host else f" on host {host}"
        return AlreadyRunning(
            f"a backfill is already running on target {self.target} "
            f"(pid {pid}{where}); lock file {self.path}. Nothing was changed."
        )

    def refuse_if_held(self) -> None:
        """Read-only: refuse at once when a live runner holds the target (its
        database may be open), before anything is checked or written."""
        owner = self._owner()
        refusal = self._refusal(owner) if owner is not None else None
        if refusal is not None:
            raise refusal

    def acquire(self) -> None:
        for _ in range(3):
            if self._create():
                self.held = True
                return
            owner = self._owner()
            if owner is None:
                continue  # released between our two looks; try again
            refusal = self._refusal(owner)
            if refusal is not None:
                raise refusal
            pid = owner.get("pid")
            self.notice(
                f"taking over a stale lock on target {self.target}: pid {pid} "
                f"(since {owner.get('since', '?')}) is no longer running"
            )
            if self._owner() == owner:
                self.path.unlink(missing_ok=True)
        raise AlreadyRunning(f"could not take the lock {self.path}; try again")

    def release(self) -> None:
        if not self.held:
            return
        owner = self._owner()
        if owner is not None and owner.get("pid") == os.getpid():
            self.path.unlink(missing_ok=True)
        self.held = False

    def __enter__(self) -> TargetLock:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.release()
