"""A store's events as NumPy columns, for the batch clock and statistics.

:func:`event_columns` reads the events of a store's cases (all, or those a period
needs) as columns — the case of each event, its type code, local date, instant and
amount — sorted by case and then by position in the case, ready for
:meth:`CaseFacts.from_event_columns <govservice.cases.CaseFacts.from_event_columns>`.
A store that keeps each case's events packed (SQLite, PostgreSQL) is read one
row per case; other stores through their event bodies.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from govservice.cases.batch import EVENT_CODES, event_amount
from govservice.storage._packed import unpack
from govservice.storage.base import EventStore

__all__ = ["EventColumns", "event_columns"]


@attrs.frozen(eq=False)
class EventColumns:
    """Every event of a store as columns, and a row per case.

    Attributes:
        case: the case ids, in order of first appearance.
        matter: each case's matter, an index into *matter_codes*.
        matter_codes: the distinct matter and bundle codes.
        window: the window that received each case (``""`` when unknown).
        event_row: each event's case, a row of *case*; sorted by case, then order.
        event_type: each event's type code (``EVENT_CODES``).
        event_on: each event's local date in the store's timezone.
        event_at: each event's instant (UTC, ``datetime64[us]``).
        event_amount: each event's amount (:func:`~govservice.cases.event_amount`):
            an extension's working days, an evaluation's level, a decision's
            approval, a change of procedure's target, a renewal's expiry, else 0.
        event_actor: the staff member or window that acted, an index into *actors*.
        actors: the distinct actors; the first, ``""``, is none recorded.

    .. versionadded:: 0.1
    """

    case: npt.NDArray[Any]
    matter: npt.NDArray[np.int32]
    matter_codes: tuple[str, ...]
    window: npt.NDArray[Any]
    event_row: npt.NDArray[np.int64]
    event_type: npt.NDArray[np.int8]
    event_on: npt.NDArray[np.datetime64]
    event_at: npt.NDArray[np.datetime64]
    event_amount: npt.NDArray[np.int64]
    event_actor: npt.NDArray[np.int32]
    actors: tuple[str, ...]

    @property
    def event_by(self) -> npt.NDArray[Any]:
        """The staff member or window that acted in each event (``""`` when not recorded)."""
        return np.array(self.actors, dtype=object)[self.event_actor]


_OFFSETS: dict[str, int] = {}


def _offset_seconds(text: str) -> int:
    """Seconds east of UTC of an ISO offset suffix (``+08:00``, ``Z``)."""
    seconds = _OFFSETS.get(text)
    if seconds is None:
        offset = datetime.fromisoformat("2000-01-01T00:00:00" + text).utcoffset()
        seconds = _OFFSETS[text] = int(offset.total_seconds()) if offset is not None else 0
    return seconds


_ISO = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?(Z|[+-]\d\d:\d\d)$")


def _instants(texts: list[str]) -> npt.NDArray[np.datetime64]:
    """UTC instants of ISO 8601 strings with offsets, as ``datetime64[us]``."""
    parts = []
    for t in texts:
        m = _ISO.match(t)
        if m is None:  # an unusual but valid form: let the standard library read it
            utc = datetime.fromisoformat(t).astimezone(UTC).replace(tzinfo=None)
            parts.append((utc.isoformat(), 0, 0))
            continue
        micro = int((m.group(2) or "0").ljust(6, "0"))
        parts.append((m.group(1), micro, _offset_seconds(m.group(3))))
    local = np.array([p[0] for p in parts], dtype="datetime64[us]")
    micro_arr = np.array([p[1] for p in parts], dtype="timedelta64[us]")
    offsets = np.array([p[2] for p in parts], dtype=np.int64) * 1_000_000
    out: npt.NDArray[np.datetime64] = local + micro_arr - offsets.astype("timedelta64[us]")
    return out


def _local_dates(at: npt.NDArray[np.datetime64], tz: tzinfo) -> npt.NDArray[np.datetime64]:
    """Local dates of UTC instants in *tz* (vectorised when the offset does not change)."""
    if not len(at):
        return at.astype("datetime64[D]")
    lo, hi = at.min().astype(datetime), at.max().astype(datetime)
    probes = [lo + timedelta(days=k) for k in range(0, (hi - lo).days + 2, 15)] + [hi]
    offsets = {
        tz.utcoffset(p.replace(tzinfo=UTC).astimezone(tz).replace(tzinfo=None)) for p in probes
    }
    if len(offsets) == 1:
        (offset,) = offsets
        shift = np.timedelta64(int(offset.total_seconds()) if offset else 0, "s")
        out: npt.NDArray[np.datetime64] = (at + shift).astype("datetime64[D]")
        return out
    return np.array(
        [
            np.datetime64(x.astype(datetime).replace(tzinfo=UTC).astimezone(tz).date(), "D")
            for x in at
        ],
        dtype="datetime64[D]",
    )


def _columns(
    rows: Iterable[tuple[str, str, str, int, str | None]],
    cases: dict[str, tuple[str, str]],
    tz: tzinfo,
) -> EventColumns:
    """Build the columns from (case, type, at, amount, by) rows in case order; *at* ISO text."""
    order = {cid: k for k, cid in enumerate(cases)}
    rows = list(rows)
    codes = sorted({m for m, _ in cases.values()})
    index = {c: k for k, c in enumerate(codes)}
    case_col, type_col, at_col, amount_col, by_col = zip(*rows, strict=True) if rows else ((),) * 5
    at = _instants(list(at_col))
    actors = ("", *sorted({b for b in by_col if b}))
    actor = {b: k for k, b in enumerate(actors)}
    return EventColumns(
        case=np.array(list(cases), dtype=object),
        matter=np.array([index[m] for m, _ in cases.values()], dtype=np.int32),
        matter_codes=tuple(codes),
        window=np.array([w for _, w in cases.values()], dtype=object),
        event_row=np.fromiter(map(order.__getitem__, case_col), np.int64, len(rows)),
        event_type=np.fromiter(map(EVENT_CODES.__getitem__, type_col), np.int8, len(rows)),
        event_on=_local_dates(at, tz),
        event_at=at,
        event_amount=np.array(amount_col, dtype=np.int64),
        event_actor=np.array([actor[b or ""] for b in by_col], dtype=np.int32),
        actors=actors,
    )


def _packed_columns(
    rows: list[tuple[str, str, bytes]], known: Mapping[str, int], tz: tzinfo
) -> EventColumns:
    """The columns of a store that keeps each case's events packed: one row per case.

    *rows* are each case's (id, matter, packed events), *known* each actor's index.
    """
    case_col, matter_col, packs = zip(*rows, strict=True) if rows else ((),) * 3
    actors = [""] * (max(known.values(), default=0) + 1)  # actor 0: none
    for name, k in known.items():
        actors[k] = name
    codes = sorted(set(matter_col))
    index = {c: k for k, c in enumerate(codes)}
    event_row, records = unpack(packs)
    at = records["at"].astype("datetime64[us]")
    actor = records["actor"].astype(np.int32)
    # the window that received a case is who recorded its first event, 'submitted'
    row = np.arange(len(rows))
    first = np.minimum(np.searchsorted(event_row, row), max(len(actor) - 1, 0))
    has = (event_row[first] == row) if len(actor) else np.zeros(len(rows), np.bool_)
    received = np.where(has, actor[first] if len(actor) else 0, 0)
    return EventColumns(
        case=np.array(case_col, dtype=object),
        matter=np.fromiter(map(index.__getitem__, matter_col), np.int32, len(rows)),
        matter_codes=tuple(codes),
        window=np.array(actors, dtype=object)[received],
        event_row=event_row,
        event_type=records["type"].copy(),
        event_on=_local_dates(at, tz),
        event_at=at,
        event_amount=records["amount"].astype(np.int64),
        event_actor=actor,
        actors=tuple(actors),
    )


def event_columns(store: EventStore, where: Mapping[str, Any]) -> EventColumns:
    """The events of *store*'s cases matching *where* as columns, by case, then position.

    *where* as ``govservice.storage.base.sql_where``'s (``{}``: every case).
    """
    tz = store.clock.calendar.timezone
    packed = store._packed_cases(where)
    if packed is not None:  # the actors read after the packs: every actor they name is there
        return _packed_columns(packed, store._actor_index(), tz)
    cases = {r.case: (r.matter, r.window or "") for r in store._case_rows(where)}
    by_case: dict[str, list[tuple[str, str, str, int, str | None]]] = {cid: [] for cid in cases}
    for body in store._bodies():
        e = json.loads(body)
        if e["case"] in by_case:
            by_case[e["case"]].append((e["case"], e["type"], e["at"], event_amount(e), e.get("by")))
    return _columns((row for rows in by_case.values() for row in rows), cases, tz)
