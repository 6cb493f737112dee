"""Each case's events packed as fixed-width binary records: a store read as columns fast.

A store that keeps them (SQLite) writes into each case's summary row, in the
transaction that appends the events, the case's events as records of
:data:`PACKED`, in order: the type code (``EVENT_CODES``), the instant (UTC
microseconds since the epoch), the amount (:func:`~govservice.cases.event_amount`)
and the actor, an index into the store's table of actors (0: none).  Reading
every event is then one row per case, joined and viewed with NumPy
(:func:`unpack`), instead of one row per event through the database driver.
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
"""One event's record: 21 bytes, little-endian, unaligned."""

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
    """*events* as :data:`PACKED` records; *actors* gives each actor's index."""
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
    """The events of *packs*, one per case: (each event's case row, the records)."""
    counts = np.fromiter(map(len, packs), np.int64, len(packs)) // PACKED.itemsize
    records = np.frombuffer(b"".join(packs), dtype=PACKED)
    return np.repeat(np.arange(len(packs), dtype=np.int64), counts), records
