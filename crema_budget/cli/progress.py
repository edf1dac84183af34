"""A sign of life on standard error for work that takes more than a second (a 19 MB
file takes a quarter of a minute): Rich's spinner with what is being done, only on
a terminal, never in a pipe or in CI, never when JSON goes to standard output, and
gone before anything is printed. Rich is imported only once the second has passed.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

#: Seconds of silence before the spinner shows: a quick run never shows it.
DELAY = 1.0

_enabled = True


def disable() -> None:
    """No spinner for this run (JSON to standard output: a script reads it)."""
    global _enabled
    _enabled = False


def enable() -> None:
    global _enabled
    _enabled = True


def wanted() -> bool:
    """Whether a spinner may show: standard error is a terminal, not CI's log."""
    if not _enabled or os.environ.get("CI") or os.environ.get("TERM") == "dumb":
        return False
    try:
        return sys.stderr is not None and sys.stderr.isatty()
    except ValueError:  # a closed standard error
        return False


@contextmanager
def working(message: str) -> Iterator[None]:
    """Show ``message`` with a spinner if the work inside takes over :data:`DELAY`
    seconds; remove it when the work ends."""
    if not wanted():
        yield
        return
    lock = threading.Lock()
    shown: list[Any] = []
    finished = threading.Event()

    def start() -> None:
        from rich.console import Console

        with lock:
            if finished.is_set():
                return
            status = Console(file=sys.stderr, highlight=False).status(message)
            status.start()
            shown.append(status)

    timer = threading.Timer(DELAY, start)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        with lock:
            finished.set()
            timer.cancel()
            for status in shown:
                status.stop()
