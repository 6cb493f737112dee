"""Each case's events packed as fixed-width binary records: a store read as columns fast.

A store that keeps them (SQLite, the PostgreSQL plugin: ``Transaction.keeps_columns``)
writes into each case's summary row, in the transaction that appends the events, the
case's events as records of :data:`PACKED`, in order.  Reading every event is then one
row per case, joined and viewed with NumPy (:func:`unpack`), instead of one row per event
through the database driver.  The public names are :data:`govservice.storage.PACKED`,
:func:`govservice.storage.pack` and :func:`govservice.storage.unpack`.
"""

from __future__ import annotations

import json
import struct
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import numpy as np
import numpy.typing as npt

from govservice.cases import Event, EventError, event_from_dict
from govservice.cases.batch import EVENT_CODES
from govservice.exceptions import N_, StoreError

__all__ = ["PACKED", "amount_of", "pack", "pack_stored", "unpack"]

PACKED = np.dtype([("type", "<i1"), ("at", "<i8"), ("amount", "<i8"), ("actor", "<i4")])
"""One event's record (documented as :data:`govservice.storage.PACKED`)."""

_RECORD = struct.Struct("<bqqi")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_EPOCH_DAY = _EPOCH.toordinal()
_MICRO = timedelta(microseconds=1)
_OFFSETS: dict[timezone, int] = {}
"""Each fixed offset met, in microseconds."""


def _micros(at: datetime) -> int:
    """``(at - _EPOCH) // _MICRO``: the microseconds of *at* since the epoch, from its parts.

    Subtracting aware datetimes asks both time zones for their offsets and
    builds a ``timedelta``, which costs more than the rest of an event's
    record; for a fixed offset (an instant as parsed from its ISO text) the
    offset is kept and the rest is arithmetic on the day and time of day.
    """
    tz = at.tzinfo
    if type(tz) is not timezone:
        return (at - _EPOCH) // _MICRO
    offset = _OFFSETS.get(tz)
    if offset is None:
        if len(_OFFSETS) >= 1000:  # bounds on memory, far above what a store meets
            _OFFSETS.clear()
        offset = _OFFSETS[tz] = tz.utcoffset(None) // _MICRO
    seconds = (at.toordinal() - _EPOCH_DAY) * 86_400 + at.hour * 3600 + at.minute * 60 + at.second
    return seconds * 1_000_000 + at.microsecond - offset


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
        [
            record(codes[e.type], _micros(e.at), amount_of(e), 0 if e.by is None else actors[e.by])
            for e in events
        ]
    )


def pack_stored(
    cases: Iterable[tuple[str, Sequence[str]]],
    actor_ids: Callable[[Collection[str]], Mapping[str, int]],
) -> Iterator[tuple[bytes, str]]:
    """Each of *cases* packed from its stored events: for upgrading a store written before.

    One case at a time, so memory stays flat however large the store.

    Args:
        cases: each case's id and stored bodies (JSON text), in order.
        actor_ids: adds actors to the store's table of actors and gives each
            one's index (``Transaction.actor_ids``); called with the actors a
            case brings that earlier cases did not.

    Returns:
        Each case's events packed (:func:`pack`), and its id.

    Raises:
        StoreError: a stored event cannot be read, naming its case.

    .. versionadded:: 0.1
    """
    actors: dict[str, int] = {}
    for case, bodies in cases:
        try:
            events = [event_from_dict(json.loads(body)) for body in bodies]
        except (EventError, ValueError) as e:
            raise StoreError(
                N_("case %(case)r: a stored event cannot be read (%(error)s)"), case=case, error=e
            ) from None
        new = {e.by for e in events if e.by is not None and e.by not in actors}
        if new:
            actors.update(actor_ids(new))
        yield pack(events, actors), case


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
