"""The cyclic garbage collector paused while a lot of objects are made."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """The cyclic garbage collector paused: for work that makes many objects and no cycles.

    Each collection of the oldest generation walks every object alive, and
    appending a long import, or reading a million cases' rows for a report,
    would trigger many; reference counting frees what the work discards.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
