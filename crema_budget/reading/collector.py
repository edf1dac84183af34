"""Python's cyclic garbage collector, paused while a reader makes many objects at once."""

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for the block, then restore it as it was.

    A reader allocates hundreds of thousands of small objects (a file's records, an
    invoice's tree of elements) and frees none of them, or all of them at once, so the
    collector would run again and again to find nothing, and each run would move the
    survivors to an older generation that a full collection walks again. Nothing read is
    a cycle: reference counting frees everything as usual.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
