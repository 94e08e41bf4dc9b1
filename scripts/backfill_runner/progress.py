"""What the runner shows: messages to the console and the log file, a progress bar.

On a terminal the bar is redrawn in place; without one (CI, a redirected log) each
chunk prints one line instead. Every message also goes to the log file.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TextIO

from backfill_runner.plan import DateRange

_CLEAR_LINE = "\r\033[K"


def format_duration(seconds: float) -> str:
    seconds = max(round(seconds), 0)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@dataclass
class Console:
    """Writes messages to a stream and, when given, appends them to a log file."""

    stream: TextIO = field(default_factory=lambda: sys.stdout)
    log_path: Path | None = None
    is_tty: bool | None = None
    _log: TextIO | None = field(default=None, init=False, repr=False)
    _bar: str = field(default="", init=False, repr=False)

    def __post_init__(self) -> None:
        if self.is_tty is None:
            self.is_tty = bool(getattr(self.stream, "isatty", lambda: False)())

    def open_log(self, path: Path | None) -> None:
        if path is None:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        self.log_path = path
        self._log = path.open("a", encoding="utf-8")

    def close(self) -> None:
        self.clear_bar()
        if self._log is not None:
            self._log.close()
            self._log = None

    def log(self, level: str, message: str) -> None:
        if self._log is None:
            return
        stamp = datetime.now().isoformat(timespec="seconds")
        for line in message.splitlines() or [""]:
            self._log.write(f"{stamp} {level:<5} {line}\n")
        self._log.flush()

    def _write(self, text: str) -> None:
        if self.is_tty and self._bar:
            self.stream.write(_CLEAR_LINE)
        self.stream.write(text + "\n")
        if self.is_tty and self._bar:
            self.stream.write(self._bar)
        self.stream.flush()

    def info(self, message: str) -> None:
        self.log("INFO", message)
        self._write(message)

    def warn(self, message: str) -> None:
        self.log("WARN", message)
        self._write(f"WARNING: {message}")

    def error(self, message: str) -> None:
        self.log("ERROR", message)
        self._write(f"ERROR: {message}")

    def bar(self, text: str) -> None:
        """Redraw the progress bar (terminal only)."""
        if not self.is_tty:
            return
        self._bar = text
        self.stream.write(_CLEAR_LINE + text)
        self.stream.flush()

    def clear_bar(self) -> None:
        if self.is_tty and self._bar:
            self.stream.write(_CLEAR_LINE)
            self.stream.flush()
        self._bar = ""


@dataclass
class Progress:
    """Chunk progress: rows so far, elapsed time and an ETA from this run's pace."""

    console: Console
    total: int
    done_before: int = 0
    width: int = 28
    started: float = field(default_factory=time.monotonic)
    done_now: int = 0
    rows: int = 0

    def _eta(self) -> str:
        remaining = self.total - self.done_before - self.done_now
        if not self.done_now:
            return "--:--"
        pace = (time.monotonic() - self.started) / self.done_now
        return format_duration(pace * remaining)

    def _bar_text(self, chunk: DateRange | None, state: str) -> str:
        done = self.done_before + self.done_now
        filled = int(self.width * done / self.total) if self.total else self.width
        bar = "#" * filled + "-" * (self.width - filled)
        where = f" {state} {chunk.label}" if chunk else ""
        return (
            f"[{bar}] {done}/{self.total}{where} rows {self.rows:,} "
            f"elapsed {format_duration(time.monotonic() - self.started)} "
            f"ETA {self._eta()}"
        )

    def counted(self, rows: int) -> None:
        """Rows of chunks reported earlier without them (a microbatch run)."""
        self.rows += rows

    def starting(self, chunk: DateRange) -> None:
        self.console.bar(self._bar_text(chunk, "building"))

    def finished(
        self, chunk: DateRange, rows: int | None, null_rate: str, seconds: float
    ) -> None:
        """A chunk is done; rows None when they are counted after its batch run."""
        self.done_now += 1
        self.rows += rows or 0
        index = self.done_before + self.done_now
        figures = (
            f"{rows:,} rows, minutes NULL {null_rate}, " if rows is not None else ""
        )
        line = (
            f"chunk {index}/{self.total} {chunk.label} done: {figures}{seconds:.1f}s "
            f"(elapsed {format_duration(time.monotonic() - self.started)}, "
            f"ETA {self._eta()})"
        )
        if self.console.is_tty:
            self.console.log("INFO", line)
            self.console.bar(self._bar_text(None, ""))
        else:
            self.console.info(line)
