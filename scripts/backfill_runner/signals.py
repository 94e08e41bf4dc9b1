"""Signals: SIGTERM handled like Ctrl-C, and both held back while a file is saved.

dbt catches an interrupt in its own way: it cancels the open connections, and a
query in flight (a microbatch batch) then ends as an error ("Connection already
closed") before, or instead of, the KeyboardInterrupt reaching the runner. So
the handler also raises a flag that the runner checks after every dbt call and
before it records a failure: once a signal arrived, the run is interrupted,
whatever dbt made of it.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

_HELD = {signal.SIGINT, signal.SIGTERM}
# set by the handler below; one per process, as signals are
_INTERRUPTED = threading.Event()


def _raise_interrupt(signum: int, frame: FrameType | None) -> None:
    _INTERRUPTED.set()
    raise KeyboardInterrupt(f"signal {signal.Signals(signum).name}")


def interrupt_requested() -> bool:
    """True once Ctrl-C or SIGTERM arrived inside sigterm_as_interrupt."""
    return _INTERRUPTED.is_set()


def raise_if_interrupted() -> None:
    if _INTERRUPTED.is_set():
        raise KeyboardInterrupt("signal received during a dbt call")


@contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """While inside, SIGTERM and Ctrl-C raise KeyboardInterrupt and set the flag."""
    _INTERRUPTED.clear()
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {sig: signal.signal(sig, _raise_interrupt) for sig in _HELD}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@contextmanager
def signals_held() -> Iterator[None]:
    """Delay Ctrl-C and SIGTERM until the block is over (e.g. a checkpoint save)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _HELD)
