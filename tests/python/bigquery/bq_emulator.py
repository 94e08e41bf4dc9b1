"""A local BigQuery API emulator (crucible) for the BigQuery test suite.

``running_emulator`` starts ``crucible serve --dialect bigquery`` on a free loopback
port, waits until its health endpoint answers, yields where it listens, and stops it
(SIGTERM, then SIGKILL) however the block ends. State is in memory: every start is
an empty warehouse.

The emulator lives in its own venv (``make emulator``, requirements-emulator.lock),
because it pins a duckdb of its own.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from google.auth.credentials import AnonymousCredentials
from google.cloud import bigquery

PROJECT_DIR = Path(__file__).resolve().parents[3]
DEFAULT_BINARY = PROJECT_DIR / ".venv-emulator" / "bin" / "crucible"
HEALTH_PATH = "/_crucible/health"


class EmulatorError(RuntimeError):
    """The emulator could not be found, started, or did not become healthy."""


@dataclass(frozen=True, slots=True)
class Emulator:
    """A running emulator: where it listens and the GCP project tests use."""

    host: str
    port: int
    project: str
    log_path: Path

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def client(self) -> bigquery.Client:
        """A google-cloud-bigquery client that talks only to the emulator."""
        return bigquery.Client(
            project=self.project,
            credentials=AnonymousCredentials(),
            client_options={"api_endpoint": self.url},
        )


def emulator_binary() -> Path:
    """``$CRUCIBLE_BIN``, else the project's .venv-emulator; error if missing."""
    binary = Path(os.environ.get("CRUCIBLE_BIN") or DEFAULT_BINARY)
    if not binary.is_file():
        raise EmulatorError(
            f"no BigQuery emulator at {binary}: run `make emulator` "
            "(or set CRUCIBLE_BIN), or deselect these tests with -m 'not bigquery'"
        )
    return binary


def free_port(host: str = "127.0.0.1") -> int:
    """A port nobody listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def is_healthy(url: str, timeout_s: float = 1.0) -> bool:
    try:
        with urllib.request.urlopen(url + HEALTH_PATH, timeout=timeout_s) as reply:
            return reply.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _stop(process: subprocess.Popen[bytes], grace_s: float = 10.0) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(grace_s)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _wait_healthy(
    process: subprocess.Popen[bytes], url: str, log_path: Path, timeout_s: float
) -> None:
    deadline = time.monotonic() + timeout_s
    while not is_healthy(url):
        if process.poll() is not None:
            raise EmulatorError(
                f"the emulator exited with code {process.returncode} before it was "
                f"healthy; its log:\n{log_path.read_text(errors='replace')[-2000:]}"
            )
        if time.monotonic() > deadline:
            raise EmulatorError(
                f"the emulator at {url} was not healthy after {timeout_s:.0f}s "
                f"(log {log_path})"
            )
        time.sleep(0.1)


@contextmanager
def running_emulator(
    log_dir: Path,
    project: str = "local-project",
    host: str = "127.0.0.1",
    timeout_s: float = 30.0,
    attempts: int = 3,
) -> Iterator[Emulator]:
    """Start the emulator, yield it once healthy, always stop it afterwards.

    The port is free when picked but could be taken before the server binds it,
    so a server that dies at start-up is retried on a new port.
    """
    binary = emulator_binary()
    log_dir.mkdir(parents=True, exist_ok=True)
    for attempt in range(1, attempts + 1):
        port = free_port(host)
        emulator = Emulator(host, port, project, log_dir / f"crucible-{port}.log")
        command = [
            str(binary),
            "serve",
            "--dialect",
            "bigquery",
            "--host",
            host,
            "--port",
            str(port),
        ]
        with emulator.log_path.open("wb") as log:
            process = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
            )
        try:
            try:
                _wait_healthy(process, emulator.url, emulator.log_path, timeout_s)
            except EmulatorError:
                if process.poll() is not None and attempt < attempts:
                    continue  # most likely the port was taken meanwhile
                raise
            yield emulator
            return
        finally:
            _stop(process)
