"""Storage: an append-only event store that loses nothing.

``memory://`` and ``sqlite:///path/to/file.db`` (the embedded default) are
built in; other schemes come from plugins through the
:ref:`open_store <plugin-hook-open-store>` hook (``postgresql://`` from the
``govservice-postgres`` plugin).

Example:
    >>> from govservice.storage import open_store
    >>> store = open_store("memory://")
    >>> store.cases()
    []

.. versionadded:: 0.1
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from govservice.storage import _packed
from govservice.storage._bodies import content_id
from govservice.storage._packed import pack, pack_stored, unpack
from govservice.storage.base import (
    AppendResult,
    CaseRow,
    CheckReport,
    EventStore,
    StoreContext,
    Transaction,
)
from govservice.storage.memory import MemoryStore
from govservice.storage.sqlite import SQLiteStore

if TYPE_CHECKING:
    from govservice.center import ServiceCenter

PACKED = _packed.PACKED
"""One packed event's layout, 21 bytes, little-endian and unaligned.

======== ====== ==========================================================
field    type   value
======== ====== ==========================================================
type     int8   the event's type code (``govservice.cases.batch.EVENT_CODES``)
at       int64  the instant, in UTC microseconds since 1970-01-01
amount   int64  its amount, as :func:`~govservice.cases.event_amount` computes it
actor    int32  who acted (``by``): an index into the store's table of actors; 0: none
======== ====== ==========================================================

.. versionadded:: 0.1
"""

__all__ = [
    "PACKED",
    "AppendResult",
    "CaseRow",
    "CheckReport",
    "EventStore",
    "MemoryStore",
    "SQLiteStore",
    "StoreContext",
    "Transaction",
    "content_id",
    "open_builtin",
    "open_store",
    "pack",
    "pack_stored",
    "unpack",
]


def open_builtin(
    url: str, context: StoreContext | None = None, *, readonly: bool = False
) -> EventStore | None:
    """Open a built-in store (``memory://``, ``sqlite:///…``), or ``None`` for another scheme."""
    if url == "memory://" or url.startswith("memory://"):
        return MemoryStore(url, context)
    if url.startswith("sqlite:"):
        return SQLiteStore(url, context, readonly=readonly)
    return None


def open_store(
    url: str, *, center: ServiceCenter | None = None, readonly: bool = False
) -> EventStore:
    """Open the store at *url* for *center* (a default centre if not given).

    The centre gives the store its rules and calendar for validating events,
    and its plugins the schemes beyond the built-in ones.  With *readonly*,
    see :meth:`ServiceCenter.open_store <govservice.center.ServiceCenter.open_store>`.

    Raises:
        StoreError: no plugin handles the URL's scheme, or the store cannot
            be opened.
    """
    if center is None:
        from govservice.center import ServiceCenter

        center = ServiceCenter()
    return center.open_store(url, readonly=readonly)
