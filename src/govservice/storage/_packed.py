"""Each case's events packed as fixed-width binary records: a store read as columns fast.

A store that keeps them (SQLite, the PostgreSQL plugin: ``Transaction.keeps_columns``)
writes into each case's summary row, in the transaction that appends the events, the
case's events as records of :data:`PACKED`, in order.  Reading every event is then one
row per case, joined and viewed with NumPy (:func:`unpack`), instead of one row per event
through the database driver.  The public names are :data:`govservice.storage.PACKED`,
:func:`govservice.storage.pack` and :func:`govservice.storage.unpack`.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import numpy.typing as npt

from govservice.cases import Event
from govservice.cases.batch import EVENT_CODES

__all__ = ["PACKED", "amount_of", "pack", "unpack"]

PACKED = np.dtype([("type", "<i1"), ("at", "<i8"), ("amount", "<i8"), ("actor", "<i4")])
"""One event's record (documented as :data:`govservice.storage.PACKED`)."""

_RECORD = struct.Struct("<bqqi")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICRO = timedelta(microseconds=1)

_AMOUNTS: dict[str, Callable[[Any], int]] = {
    "extended": lambda e: int(e.working_days),
    "evaluated": lambda e: int(e.level),
    "decided": lambda e: int(e.outcome == "approved"),
    "procedure_changed": lambda e: int(e.to == "simplified"),
    "submitted": lambda e: e.renewal_of.expires_on.toordinal() if e.renewal_of else 0,
}


def amount_of(event: Event) -> int:
    """The amount of *event* in event columns.

    As :func:`~govservice.cases.event_amount` computes it from the event's JSON object.
    """
    get = _AMOUNTS.get(event.type)
    return 0 if get is None else get(event)


def pack(events: Iterable[Event], actors: Mapping[str, int]) -> bytes:
    """*events* (one case's, in order) as :data:`~govservice.storage.PACKED` records, joined.

    A store that keeps packed events writes this, for each case an append
    touches, into the case's summary row (``Transaction.upsert_cases``).

    Args:
        events: the events, in their order in the case.
        actors: each actor's index in the store's table of actors
            (``Transaction.actor_ids``); indexes start at 1, 0 is no actor.

    Raises:
        KeyError: an event's actor is missing from *actors*.

    :doc:`/storage` (packed events) shows it with :func:`unpack`.

    .. versionadded:: 0.1
    """
    record, codes = _RECORD.pack, EVENT_CODES
    return b"".join(
        record(
            codes[e.type],
            (e.at - _EPOCH) // _MICRO,
            amount_of(e),
            0 if e.by is None else actors[e.by],
        )
        for e in events
    )


def unpack(packs: Sequence[bytes]) -> tuple[npt.NDArray[np.int64], npt.NDArray[Any]]:
    """The events of *packs* (one per case, as :func:`pack` gives them) as one array.

    Returns:
        For each event, the index of its case in *packs*; and every event's
        :data:`~govservice.storage.PACKED` record, in the order of *packs* (a read-only view).

    .. versionadded:: 0.1
    """
    counts = np.fromiter(map(len, packs), np.int64, len(packs)) // PACKED.itemsize
    records = np.frombuffer(b"".join(packs), dtype=PACKED)
    return np.repeat(np.arange(len(packs), dtype=np.int64), counts), records
