"""Deadlines and alerts of many cases at once, on NumPy arrays.

A dashboard over every open case of a province reads a million clocks at one
instant.  :class:`CaseFacts` holds what the clock needs of each case as
equal-length columns, one row per case; :func:`read_batch` answers the
:class:`~govservice.cases.Reading` of every row at once as a
:class:`BatchReading` of arrays.  The answers are the scalar clock's
(:meth:`Clock.reading <govservice.cases.Clock.reading>`), field for field:
the same deemed acceptance, pauses, extensions, deadlines, timeliness and
alert, the same several clocks (acceptance, decision, delivery, hearing,
renewal), and only the events at or before the instant count.

Two ways in:

* :meth:`CaseFacts.from_cases` from folded :class:`~govservice.cases.Case`
  objects;
* :meth:`CaseFacts.from_event_columns` from columns of events (case row,
  event type code, local date, instant, amount — see
  :func:`~govservice.cases.event_amount`),
  folded with NumPy and no Python loop over events: what a store feeds.

Nothing here validates a history: the events were validated when they were
appended (:meth:`Clock.append <govservice.cases.Clock.append>`).  Facts from
an invalid history give undefined readings.

Example:
    >>> from govservice.calendars import china
    >>> from govservice.cases import Clock, event_from_dict
    >>> from govservice.cases.batch import CaseFacts, read_batch
    >>> from govservice.model import BUILTIN_RULES, Catalogue, Matter, TimeLimit, Unit
    >>> food = Matter("MR-001", "食品经营许可", "MR", "administrative_licensing", "promised",
    ...               statutory=TimeLimit(20, rule="alicensing.decision"), promised=TimeLimit(8))
    >>> catalogue = Catalogue(units=[Unit("MR", "市场监督管理局")], windows=[], staff=[],
    ...                       matters=[food], bundles=[], rules=BUILTIN_RULES)
    >>> clock = Clock(catalogue, china())
    >>> events = [
    ...     {"type": "submitted", "at": "2026-09-24T09:30:00+08:00", "matter": "MR-001",
    ...      "applicant": {"name": "张三", "kind": "person"}},
    ...     {"type": "accepted", "at": "2026-09-24T09:40:00+08:00"},
    ... ]
    >>> case = clock.case(event_from_dict({"case": "C1", **e}) for e in events)
    >>> facts = CaseFacts.from_cases([case], clock.calendar.timezone)
    >>> r = read_batch(clock, facts, "2026-09-30T12:00:00+08:00")
    >>> r.statutory_deadline, r.working_days_used
    (array(['2026-10-29'], dtype='datetime64[D]'), array([3]))
    >>> r.row(0) == clock.reading(case, "2026-09-30T12:00:00+08:00")
    True

.. versionadded:: 0.1
"""

from __future__ import annotations

import importlib
import itertools
import weakref
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta, tzinfo
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import numpy as np
import numpy.typing as npt

from govservice.calendars.instants import InstantLike, parse_instant
from govservice.cases.alerts import ALERTS_BY_CODE, Alert
from govservice.cases.clock import Case, CaseState, Clock, Reading, limit_in_force, limits_of
from govservice.cases.events import EVENT_TYPES, EventError, Extended
from govservice.exceptions import N_, Message
from govservice.model import COMPANION_CLOCKS, LimitUnit, RuleBook, TimeLimit, TimeLimitRule

__all__ = [
    "EVENT_CODES",
    "FACTS",
    "NOT_SUBMITTED",
    "STATES",
    "STATE_CODES",
    "BatchReading",
    "CaseFacts",
    "event_amount",
    "read_batch",
]

DateArray = npt.NDArray[np.datetime64]
IntArray = npt.NDArray[np.int64]
Int8Array = npt.NDArray[np.int8]
BoolArray = npt.NDArray[np.bool_]
MaskedIntArray = np.ma.MaskedArray[Any, np.dtype[np.int64]]

EVENT_CODES: Mapping[str, int] = MappingProxyType({name: i for i, name in enumerate(EVENT_TYPES)})
"""Event type name → its code in event columns, in the order of ``EVENT_TYPES``.

``submitted`` 0, ``correction_requested`` 1, ``correction_received`` 2,
``accepted`` 3, ``rejected`` 4, ``suspended`` 5, ``resumed`` 6, ``extended`` 7,
``decided`` 8, ``delivered`` 9, ``withdrawn`` 10, ``evaluated`` 11,
``hearing_requested`` 12, ``hearing_held`` 13, ``procedure_changed`` 14.

.. versionadded:: 0.1
"""

STATES: tuple[CaseState, ...] = tuple(CaseState)
"""The case states in code order: ``STATES[code]`` is the state of a code.

.. versionadded:: 0.1
"""

STATE_CODES: Mapping[CaseState, int] = MappingProxyType({s: i for i, s in enumerate(STATES)})
"""Case state → its code in batch arrays (``submitted`` 0 … ``withdrawn`` 7).

.. versionadded:: 0.1
"""

NOT_SUBMITTED = -1
"""The state code of a case not yet submitted at the instant read.

The scalar clock raises :class:`~govservice.cases.EventError` for such a
case; a batch marks its row with this code and leaves its other fields empty.

.. versionadded:: 0.1
"""

FACTS: tuple[str, ...] = (
    "submitted",
    "correction_requested",
    "correction_received",
    "accepted",
    "rejected",
    "decided",
    "withdrawn",
    "delivered",
    "hearing_requested",
    "hearing_held",
)
"""The events a case has at most once; :class:`CaseFacts` has a date and an instant of each.

.. versionadded:: 0.1
"""

_NAT_D = np.datetime64("NaT", "D")
_NAT_T = np.datetime64("NaT", "us")
_MAX_D = np.datetime64("9999-12-31", "D")
_OPEN = np.array([s.open for s in STATES], dtype=np.bool_)
_S = {s: np.int8(i) for i, s in enumerate(STATES)}
_SUSPENDED, _RESUMED = EVENT_CODES["suspended"], EVENT_CODES["resumed"]
_EXTENDED, _WITHDRAWN = EVENT_CODES["extended"], EVENT_CODES["withdrawn"]
_HEARING_REQUESTED, _HEARING_HELD = EVENT_CODES["hearing_requested"], EVENT_CODES["hearing_held"]
_SUBMITTED, _DECIDED = EVENT_CODES["submitted"], EVENT_CODES["decided"]
_PROCEDURE = EVENT_CODES["procedure_changed"]
_ORDINAL_1970 = date(1970, 1, 1).toordinal()
_RED = np.int8(Alert.RED.code)
_UNITS = {LimitUnit.WORKING_DAYS: 0, LimitUnit.DAYS: 1, LimitUnit.WORKING_HOURS: 2}
_WD, _DAYS, _HOURS, _NO_LIMIT = 0, 1, 2, -1
# rule look-up keys: matter index << _SHIFT | (day number + _OFFSET); any date() fits
_SHIFT, _OFFSET = 23, 1 << 22


# ------------------------------------------------------------------ converters


def _ids(value: Any) -> npt.NDArray[Any]:
    return np.asarray(value)


def _int32(value: Any) -> npt.NDArray[np.int32]:
    return np.asarray(value, dtype=np.int32)


def _int8(value: Any) -> Int8Array:
    return np.asarray(value, dtype=np.int8)


def _int64(value: Any) -> IntArray:
    return np.asarray(value, dtype=np.int64)


def _bools(value: Any) -> BoolArray:
    return np.asarray(value, dtype=np.bool_)


def _dates(value: Any) -> DateArray:
    out: DateArray = np.asarray(value, dtype="datetime64[D]")
    return out


def _instants(value: Any) -> DateArray:
    arr = np.asarray(value)
    if arr.dtype.kind != "M":
        arr = np.asarray(value, dtype="datetime64[us]")
    out: DateArray = arr.astype("datetime64[us]", copy=False)
    return out


def _codes(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


def _utc(t: datetime | None) -> datetime | None:
    """A naive UTC datetime for NumPy (which refuses aware ones)."""
    return None if t is None else t.astimezone(UTC).replace(tzinfo=None)


def _instant(t: datetime) -> np.datetime64:
    return np.datetime64(t.astimezone(UTC).replace(tzinfo=None), "us")


def _aware(x: np.datetime64, tz: tzinfo) -> datetime:
    naive: datetime = x.astype("datetime64[us]").item()
    return naive.replace(tzinfo=UTC).astimezone(tz)


def _date(x: np.datetime64) -> date | None:
    if np.isnat(x):
        return None
    d: date = x.astype("datetime64[D]").item()
    return d


def _tri(x: np.integer[Any]) -> bool | None:
    return None if x < 0 else bool(x)


def event_amount(data: Mapping[str, Any]) -> int:
    """The amount an event carries in event columns, from its JSON object.

    An extension's ``working_days``; an evaluation's ``level``; a decision's
    outcome, 1 approved and 0 denied; a change of procedure's target, 1
    simplified and 0 ordinary; a renewal application's expiry
    (``renewal_of.expires_on``) as its proleptic ordinal
    (:meth:`datetime.date.toordinal`, so never 0); else 0.

    .. versionadded:: 0.1
    """
    kind = data.get("type")
    if kind == "extended":
        return int(data["working_days"])
    if kind == "evaluated":
        return int(data["level"])
    if kind == "decided":
        return int(data.get("outcome") == "approved")
    if kind == "procedure_changed":
        return int(data.get("to") == "simplified")
    if kind == "submitted" and isinstance(data.get("renewal_of"), Mapping):
        return date.fromisoformat(data["renewal_of"]["expires_on"]).toordinal()
    return 0


# ------------------------------------------------------------------- the facts


@attrs.frozen(eq=False, repr=False)
class CaseFacts:
    """What the clock needs of many cases: equal-length columns, one row per case.

    Every event a case has at most once (``FACTS``) has two columns: its
    local date in the centre's timezone, ``<event>_on`` (``datetime64[D]``), and
    its exact instant, ``<event>_at`` (``datetime64[us]``, UTC, naive as NumPy
    wants).  Both are ``NaT`` when the case has no such event.  The dates drive
    the day counts; the instants decide which events happened by the instant
    read, and the limits in working hours.

    Suspensions and extensions, which a case may have several of, are in
    side tables: one row per suspension (``suspension_*``) and per extension
    (``extension_*``), each naming its case by row index, in order of case and
    then time.  A suspension still running has ``NaT`` as its end; one ended
    by the withdrawal of its case ends at the withdrawal, as in
    :class:`~govservice.cases.Suspension`.

    The columns are read-only by convention; build facts with
    :meth:`from_cases` or :meth:`from_event_columns` rather than by hand.
    Nothing is validated but the lengths of the columns.

    Attributes:
        case: the case ids (any dtype; a reading names a case by ``str(id)``).
        matter: the matter (or bundle) of each case, an index into *matter_codes*.
        matter_codes: the distinct matter and bundle codes.
        submitted_on: local date of ``submitted`` (never ``NaT``).
        submitted_at: its instant.
        correction_requested_on: the local date of ``correction_requested``.
        correction_requested_at: the instant of ``correction_requested``.
        correction_received_on: the local date of ``correction_received``.
        correction_received_at: the instant of ``correction_received``.
        accepted_on: the local date of ``accepted``.
        accepted_at: the instant of ``accepted``.
        rejected_on: the local date of ``rejected``.
        rejected_at: the instant of ``rejected``.
        decided_on: the local date of ``decided``.
        decided_at: the instant of ``decided``.
        withdrawn_on: the local date of ``withdrawn``.
        withdrawn_at: the instant of ``withdrawn``.
        delivered_on: the local date of ``delivered``.
        delivered_at: the instant of ``delivered``.
        state: the code (``STATE_CODES``) of the state after the last event.
        extended_by: the total extension after the last event.
        last_at: the instant of the last event (an evaluation included).
        suspension_row: the row of each suspension's case (``int64``).
        suspension_start_on: the local date when it began.
        suspension_start_at: the instant when it began.
        suspension_end_on: the local date when it ended; ``NaT`` while it lasts.
        suspension_end_at: the instant when it ended; ``NaT`` while it lasts.
        extension_row: the row of each extension's case (``int64``).
        extension_at: the instant of the ``extended`` event.
        extension_days: its ``working_days`` (in the unit of the statutory limit).
        hearing_requested_on: the local date of ``hearing_requested``.
        hearing_requested_at: its instant; the hearing's pause is also a
            suspension (行政许可法 Art. 45).
        hearing_held_on: the local date of ``hearing_held``.
        hearing_held_at: its instant.
        approved: whether the decision (if any) approved (行政许可法 Art. 44's
            delivery clock starts only then).
        simplified_at: when the case changed to the simplified procedure
            (``NaT``: never).
        ordinary_at: when it changed back to the ordinary procedure.
        renewal_expires_on: the expiry of the licence a renewal renews
            (``NaT``: not a renewal).

    .. versionadded:: 0.1
    """

    case: npt.NDArray[Any] = attrs.field(converter=_ids)
    matter: npt.NDArray[np.int32] = attrs.field(converter=_int32)
    matter_codes: tuple[str, ...] = attrs.field(converter=_codes)
    submitted_on: DateArray = attrs.field(converter=_dates)
    submitted_at: DateArray = attrs.field(converter=_instants)
    correction_requested_on: DateArray = attrs.field(converter=_dates)
    correction_requested_at: DateArray = attrs.field(converter=_instants)
    correction_received_on: DateArray = attrs.field(converter=_dates)
    correction_received_at: DateArray = attrs.field(converter=_instants)
    accepted_on: DateArray = attrs.field(converter=_dates)
    accepted_at: DateArray = attrs.field(converter=_instants)
    rejected_on: DateArray = attrs.field(converter=_dates)
    rejected_at: DateArray = attrs.field(converter=_instants)
    decided_on: DateArray = attrs.field(converter=_dates)
    decided_at: DateArray = attrs.field(converter=_instants)
    withdrawn_on: DateArray = attrs.field(converter=_dates)
    withdrawn_at: DateArray = attrs.field(converter=_instants)
    delivered_on: DateArray = attrs.field(converter=_dates)
    delivered_at: DateArray = attrs.field(converter=_instants)
    state: Int8Array = attrs.field(converter=_int8)
    extended_by: IntArray = attrs.field(converter=_int64)
    last_at: DateArray = attrs.field(converter=_instants)
    suspension_row: IntArray = attrs.field(converter=_int64)
    suspension_start_on: DateArray = attrs.field(converter=_dates)
    suspension_start_at: DateArray = attrs.field(converter=_instants)
    suspension_end_on: DateArray = attrs.field(converter=_dates)
    suspension_end_at: DateArray = attrs.field(converter=_instants)
    extension_row: IntArray = attrs.field(converter=_int64)
    extension_at: DateArray = attrs.field(converter=_instants)
    extension_days: IntArray = attrs.field(converter=_int64)
    hearing_requested_on: DateArray = attrs.field(converter=_dates)
    hearing_requested_at: DateArray = attrs.field(converter=_instants)
    hearing_held_on: DateArray = attrs.field(converter=_dates)
    hearing_held_at: DateArray = attrs.field(converter=_instants)
    approved: BoolArray = attrs.field(converter=_bools)
    simplified_at: DateArray = attrs.field(converter=_instants)
    ordinary_at: DateArray = attrs.field(converter=_instants)
    renewal_expires_on: DateArray = attrs.field(converter=_dates)

    def __attrs_post_init__(self) -> None:
        for what, names in (
            ("case", _CASE_COLUMNS),
            ("suspension", _SUSPENSION_COLUMNS),
            ("extension", _EXTENSION_COLUMNS),
        ):
            lengths = {name: len(getattr(self, name)) for name in names}
            if len(set(lengths.values())) > 1:
                raise ValueError(f"the {what} columns of CaseFacts differ in length: {lengths}")

    def __len__(self) -> int:
        """The number of cases."""
        return len(self.case)

    def __repr__(self) -> str:
        return (
            f"<CaseFacts: {len(self):,} cases, {len(self.matter_codes)} matters, "
            f"{len(self.suspension_row):,} suspensions, {len(self.extension_row):,} extensions>"
        )

    # -------------------------------------------------------------- building

    @classmethod
    def from_cases(cls, cases: Iterable[Case], timezone: tzinfo | str) -> CaseFacts:
        """The facts of folded cases, one row per case in the order given.

        Args:
            cases: cases from :meth:`Clock.case <govservice.cases.Clock.case>`.
            timezone: the centre's timezone (a :class:`~zoneinfo.ZoneInfo` or an
                IANA name), for the local dates: the clock's
                ``calendar.timezone``.
        """
        tz = ZoneInfo(timezone) if isinstance(timezone, str) else timezone
        ids: list[str] = []
        matters: list[int] = []
        codes: dict[str, int] = {}
        on: dict[str, list[date | None]] = {name: [] for name in FACTS}
        at: dict[str, list[datetime | None]] = {name: [] for name in FACTS}
        state: list[int] = []
        extended_by: list[int] = []
        last_at: list[datetime | None] = []
        s_row: list[int] = []
        s_start: list[datetime] = []
        s_end: list[datetime | None] = []
        e_row: list[int] = []
        e_at: list[datetime] = []
        e_days: list[int] = []
        approved: list[bool] = []
        simplified: list[datetime | None] = []
        ordinary: list[datetime | None] = []
        expires: list[date | None] = []
        for i, c in enumerate(cases):
            ids.append(c.id)
            approved.append(c.outcome == "approved")
            simplified.append(c.simplified_at)
            ordinary.append(c.ordinary_at)
            expires.append(None if c.renewal_of is None else c.renewal_of.expires_on)
            matters.append(codes.setdefault(c.matter, len(codes)))
            for name in FACTS:
                t: datetime | None = getattr(c, f"{name}_at")
                on[name].append(None if t is None else t.astimezone(tz).date())
                at[name].append(_utc(t))
            state.append(STATE_CODES[c.state])
            extended_by.append(c.extended_by)
            last_at.append(_utc(c.last_at))
            for s in c.suspensions:
                s_row.append(i)
                s_start.append(s.start)
                s_end.append(s.end)
            for e in c.events:
                if isinstance(e, Extended):
                    e_row.append(i)
                    e_at.append(e.at)
                    e_days.append(e.working_days)

        def local(ts: Sequence[datetime | None]) -> DateArray:
            return _dates([None if x is None else x.astimezone(tz).date() for x in ts])

        def instants(ts: Sequence[datetime | None]) -> DateArray:
            return _instants(np.array([_utc(x) for x in ts], dtype="datetime64[us]"))

        columns: dict[str, Any] = {}
        for name in FACTS:
            columns[f"{name}_on"] = _dates(on[name])
            columns[f"{name}_at"] = _instants(np.array(at[name], dtype="datetime64[us]"))
        return cls(
            case=np.array(ids, dtype=object),
            matter=matters,
            matter_codes=tuple(codes),
            state=state,
            extended_by=extended_by,
            last_at=np.array(last_at, dtype="datetime64[us]"),
            suspension_row=np.array(s_row, dtype=np.int64),
            suspension_start_on=local(s_start),
            suspension_start_at=instants(s_start),
            suspension_end_on=local(s_end),
            suspension_end_at=instants(s_end),
            extension_row=np.array(e_row, dtype=np.int64),
            extension_at=instants(e_at),
            extension_days=np.array(e_days, dtype=np.int64),
            approved=approved,
            simplified_at=instants(simplified),
            ordinary_at=instants(ordinary),
            renewal_expires_on=_dates(expires),
            **columns,
        )

    @classmethod
    def from_event_columns(
        cls,
        case: npt.ArrayLike,
        matter: npt.ArrayLike,
        *,
        event_row: npt.ArrayLike,
        event_type: npt.ArrayLike,
        event_on: npt.ArrayLike,
        event_at: npt.ArrayLike,
        event_amount: npt.ArrayLike,
        matter_codes: Sequence[str] | None = None,
    ) -> CaseFacts:
        """Fold columns of events into facts, with NumPy only (no loop over events).

        This is what a store feeds: one row per case (*case*, *matter*) and one
        row per event (the ``event_*`` columns, all of one length), the events
        sorted by case row and then by time, each case's in the order they
        were appended, every case starting with its ``submitted`` event.  The
        events must form valid histories (they were validated when appended);
        nothing is checked here but that every case was submitted.

        Args:
            case: the case ids, one per case.
            matter: each case's matter or bundle code: strings, or indices into
                *matter_codes* when that is given (faster for a million cases).
            event_row: the row in *case* of each event's case (integers).
            event_type: each event's type code, ``EVENT_CODES``.
            event_on: each event's local date in the centre's timezone
                (``datetime64[D]``).
            event_at: each event's instant (``datetime64``, any unit, UTC).
            event_amount: each event's amount (:func:`~govservice.cases.event_amount`): an
                extension's working days, a decision's approval, a change of
                procedure's target, a renewal's expiry; 0 for other types.
            matter_codes: the codes that integer *matter* values index.

        Raises:
            EventError: a case has no ``submitted`` event.
        """
        ids = np.asarray(case)
        n = len(ids)
        if matter_codes is None:
            codes_arr, inverse = np.unique(np.asarray(matter).astype(str), return_inverse=True)
            codes = tuple(str(c) for c in codes_arr)
            mi = inverse.reshape(-1).astype(np.int32)
        else:
            codes = tuple(matter_codes)
            mi = np.asarray(matter, dtype=np.int32)
        row = np.asarray(event_row, dtype=np.int64)
        typ = np.asarray(event_type, dtype=np.int8)
        on = _dates(event_on)
        at = _instants(event_at)
        amount = np.asarray(event_amount, dtype=np.int64)
        if not len(row) == len(typ) == len(on) == len(at) == len(amount):
            raise ValueError("the event columns differ in length")

        # Group the events by type, keeping their order within a type.
        order = np.argsort(typ, kind="stable")
        bounds = np.concatenate(([0], np.cumsum(np.bincount(typ, minlength=len(EVENT_CODES)))))

        def of(code: int) -> npt.NDArray[np.intp]:
            return order[bounds[code] : bounds[code + 1]]

        columns: dict[str, DateArray] = {}
        for name in FACTS:
            idx = of(EVENT_CODES[name])
            d = np.full(n, _NAT_D)
            t = np.full(n, _NAT_T)
            d[row[idx]] = on[idx]
            t[row[idx]] = at[idx]
            columns[f"{name}_on"] = d
            columns[f"{name}_at"] = t
        missing = np.isnat(columns["submitted_on"])
        if missing.any():
            first = ids[int(np.argmax(missing))]
            raise EventError(str(first), None, N_("a case needs at least its 'submitted' event"))

        # Suspensions — a hearing's too, from its request (行政许可法 Arts. 45, 47) — each
        # ends at the next resumed, hearing_held or withdrawn event of its case.
        opening = (_SUSPENDED, _HEARING_REQUESTED)
        sidx = np.sort(
            np.concatenate([of(c) for c in (*opening, _RESUMED, _HEARING_HELD, _WITHDRAWN)])
        )
        styp, srow = typ[sidx], row[sidx]
        is_start = np.isin(styp, opening)
        starts = np.flatnonzero(is_start)
        nxt = starts + 1
        has_next = nxt < len(sidx)
        nxt = np.where(has_next, nxt, 0)
        closed = has_next & (srow[nxt] == srow[starts]) & ~is_start[nxt]
        ends = sidx[nxt]

        # Amounts: a decision's approval, a change of procedure's target, a renewal's expiry.
        approved = np.zeros(n, dtype=np.bool_)
        dec = of(_DECIDED)
        approved[row[dec]] = amount[dec] == 1
        procedure = {"simplified_at": np.full(n, _NAT_T), "ordinary_at": np.full(n, _NAT_T)}
        changes = of(_PROCEDURE)
        for name, code in (("simplified_at", 1), ("ordinary_at", 0)):
            mine = changes[amount[changes] == code]
            procedure[name][row[mine]] = at[mine]
        renewal_expires_on = np.full(n, _NAT_D)
        sub = of(_SUBMITTED)
        renewals = sub[amount[sub] > 0]
        renewal_expires_on[row[renewals]] = (amount[renewals] - _ORDINAL_1970).astype(
            "datetime64[D]"
        )

        ext = of(_EXTENDED)
        ext_row, ext_days = row[ext], amount[ext]
        extended_by = np.bincount(ext_row, weights=ext_days, minlength=n).astype(np.int64)

        last = np.flatnonzero(np.concatenate((row[1:] != row[:-1], [True]))) if len(row) else row
        last_at = np.full(n, _NAT_T)
        last_at[row[last]] = at[last]

        facts = cls(
            case=ids,
            matter=mi,
            matter_codes=codes,
            state=np.zeros(n, dtype=np.int8),
            extended_by=extended_by,
            last_at=last_at,
            suspension_row=srow[starts],
            suspension_start_on=on[sidx[starts]],
            suspension_start_at=at[sidx[starts]],
            suspension_end_on=np.where(closed, on[ends], _NAT_D),
            suspension_end_at=np.where(closed, at[ends], _NAT_T),
            extension_row=ext_row,
            extension_at=at[ext],
            extension_days=ext_days,
            approved=approved,
            renewal_expires_on=renewal_expires_on,
            **procedure,
            **columns,
        )
        return attrs.evolve(facts, state=_states(facts, None))


_CASE_COLUMNS = (
    "case",
    "matter",
    *(f"{name}_{x}" for name in FACTS for x in ("on", "at")),
    "state",
    "extended_by",
    "last_at",
    "approved",
    "simplified_at",
    "ordinary_at",
    "renewal_expires_on",
)
_SUSPENSION_COLUMNS = tuple(
    f"suspension_{x}" for x in ("row", "start_on", "start_at", "end_on", "end_at")
)
_EXTENSION_COLUMNS = ("extension_row", "extension_at", "extension_days")


def _states(f: CaseFacts, t64: np.datetime64 | None) -> Int8Array:
    """The state code of every case at instant *t64* (``None``: after the last event).

    The state follows from which events have happened: an ended case is in
    its end state; a running suspension (a hearing's too) suspends; acceptance,
    a resumption, a held hearing, an extension or a change of procedure leaves
    a case in progress; a correction requested and not received awaits it;
    otherwise the case is submitted.
    """

    def happened(x: DateArray) -> BoolArray:
        return ~np.isnat(x) if t64 is None else x <= t64

    n = len(f)
    begun = happened(f.suspension_start_at)
    ended = happened(f.suspension_end_at)
    suspended = np.zeros(n, dtype=np.bool_)
    suspended[f.suspension_row[begun & ~ended]] = True
    progressed = happened(f.accepted_at) | happened(f.simplified_at) | happened(f.ordinary_at)
    progressed[f.suspension_row[begun & ended]] = True
    progressed[f.extension_row[happened(f.extension_at)]] = True

    state = np.full(n, _S[CaseState.SUBMITTED], dtype=np.int8)
    state[happened(f.correction_requested_at) & ~happened(f.correction_received_at)] = _S[
        CaseState.AWAITING_CORRECTION
    ]
    state[progressed] = _S[CaseState.IN_PROGRESS]
    state[suspended] = _S[CaseState.SUSPENDED]
    state[happened(f.decided_at)] = _S[CaseState.DECIDED]
    state[happened(f.delivered_at)] = _S[CaseState.DELIVERED]
    state[happened(f.rejected_at)] = _S[CaseState.REJECTED]
    state[happened(f.withdrawn_at)] = _S[CaseState.WITHDRAWN]
    state[~happened(f.submitted_at)] = NOT_SUBMITTED
    return state


# --------------------------------------------------------------------- rules


@attrs.frozen
class _Limits:
    """The rules of every row at the instant read, as columns (one value per case).

    ``*_unit`` is a unit code (``_WD``, ``_DAYS``, ``_HOURS``) or ``_NO_LIMIT``.
    """

    stat_amount: IntArray
    stat_unit: Int8Array
    prom_amount: IntArray
    prom_unit: Int8Array
    receipt: BoolArray
    acceptance_limit: IntArray
    restarts: BoolArray
    deemed: Int8Array  # 0: never, 1: on arrival, 2: when the review ends
    after_correction: BoolArray
    correction_pauses: BoolArray
    dates_to_start: BoolArray
    companions: dict[str, tuple[Int8Array, IntArray]]  # attribute -> (unit, amount)


_DEEMED = {None: 0, "arrival": 1, "review_end": 2}

# facts → (the clock, each row's version by receipt, by the last instant read, its limits)
_LIMITS: weakref.WeakKeyDictionary[CaseFacts, tuple[Clock, IntArray, IntArray, _Limits]] = (
    weakref.WeakKeyDictionary()
)


def _unit(limit: TimeLimit | None) -> int:
    return _NO_LIMIT if limit is None else _UNITS[limit.unit]


def _day_number(d: date) -> int:
    return int(np.datetime64(d, "D").astype(np.int64))


def _profile(
    counted: TimeLimit, promised: TimeLimit | None, rule: TimeLimitRule
) -> tuple[Any, ...]:
    """What the batch needs of one (matter, rule version): limits, acceptance, companions."""
    limit = -1 if rule.acceptance_limit is None else rule.acceptance_limit
    return (
        counted.amount,
        _unit(counted),
        0 if promised is None else promised.amount,
        _unit(promised),
        rule.counts_from == "receipt",
        limit,
        rule.correction_restarts,
        _DEEMED[rule.deemed_acceptance],
        rule.deemed_after_correction,
        rule.correction_pauses,
        limit >= 0 and rule.deemed_acceptance is not None,
        rule.in_force_by == "acceptance",
        *(getattr(rule, name) for name in COMPANION_CLOCKS),
    )


def _limits(clock: Clock, f: CaseFacts, accepted_on: DateArray) -> _Limits:
    """Resolve each matter's rule versions once, then each row's version and companions.

    A row's version is the one in force on the day it was received, or, for a
    rule whose version goes by acceptance, on *accepted_on* (``NaT``: not yet
    accepted); its companion clocks' rules are those in force on the day of
    receipt, as :meth:`Clock.case <govservice.cases.Clock.case>` resolves them.

    The rows' versions by receipt, and the last limits made, are kept with
    *f* for its next reading by the same clock (a report reads each month's
    end): the limits are made again only where a version by acceptance changed.
    """
    cat = clock.catalogue
    used = np.bincount(f.matter.astype(np.int64), minlength=len(f.matter_codes)) > 0

    def first_case(j: int) -> str:
        return str(f.case[int(np.argmax(f.matter == j))])

    keys: list[int] = []
    owner: list[int] = []
    until: list[int] = []
    rule_of: dict[int, str] = {}
    profiles: list[tuple[Any, ...]] = []
    for j, code in enumerate(f.matter_codes):
        if not used[j]:
            continue
        limits = limits_of(cat, code)
        if limits is None:
            raise EventError(
                first_case(j),
                None,
                Message(
                    N_("unknown matter %(matter)r (not in %(catalogue)s)"),
                    {"matter": code, "catalogue": cat.source or Message(N_("the catalogue"))},
                ),
            )
        statutory, promised = limits
        rule_id = rule_of[j] = statutory.rule or "alicensing.joint"
        try:
            versions = cat.rules.versions(rule_id)
        except KeyError as e:
            raise EventError(first_case(j), None, _no_rule(e)) from None
        latest = cat.rules.latest(rule_id)
        for rule in versions:
            start = 0 if rule.valid_from is None else _day_number(rule.valid_from) + _OFFSET
            keys.append(j << _SHIFT | start)
            owner.append(j)
            until.append(
                np.iinfo(np.int64).max
                if rule.valid_until is None
                else _day_number(rule.valid_until)
            )
            profiles.append(_profile(limit_in_force(statutory, rule, latest), promised, rule))
    key_arr = np.array(keys, dtype=np.int64)
    owner_arr = np.array(owner, dtype=np.int64)
    until_arr = np.array(until, dtype=np.int64)
    cols = list(zip(*profiles, strict=True)) if profiles else [()] * (12 + len(COMPANION_CLOCKS))
    by_acceptance = np.array(cols[11], dtype=np.bool_)

    def lookup(days: DateArray, rows: npt.NDArray[np.intp]) -> npt.NDArray[np.intp]:
        day = days.astype(np.int64)
        key = f.matter[rows].astype(np.int64) << _SHIFT | (day + _OFFSET)
        p = np.searchsorted(key_arr, key, side="right") - 1
        pc = np.maximum(p, 0)
        bad = (p < 0) | (owner_arr[pc] != f.matter[rows]) | (day > until_arr[pc])
        if bad.any():
            i = int(rows[np.argmax(bad)])
            try:
                cat.rules.resolve(rule_of[int(f.matter[i])], days[np.argmax(bad)].item())
            except KeyError as e:
                raise EventError(str(f.case[i]), None, _no_rule(e)) from None
            raise AssertionError("unreachable: the rule resolves")  # pragma: no cover
        return pc

    kept = _LIMITS.get(f)
    if kept is not None and kept[0] is clock:
        by_receipt = kept[1]
    else:
        kept = None
        by_receipt = lookup(f.submitted_on, np.arange(len(f)))
    later = np.flatnonzero(by_acceptance[by_receipt] & ~np.isnat(accepted_on))
    p = by_receipt
    if len(later):
        p = by_receipt.copy()
        p[later] = lookup(accepted_on[later], later)
    if kept is not None and np.array_equal(kept[2], p):
        return kept[3]

    def column(k: int, dtype: Any) -> npt.NDArray[Any]:
        return np.array(cols[k], dtype=dtype)[p]

    companions: dict[str, tuple[Int8Array, IntArray]] = {}
    for k, name in enumerate(COMPANION_CLOCKS, start=12):
        unit = np.full(len(f), _NO_LIMIT, dtype=np.int8)
        amount = np.zeros(len(f), dtype=np.int64)
        for rule_id in {x for x in cols[k] if x is not None}:  # a few, per profile
            named = np.array([x == rule_id for x in cols[k]], dtype=np.bool_)
            rows = np.flatnonzero(named[p])
            _companion_rules(cat.rules, rule_id, f, rows, unit, amount)
        companions[name] = (unit, amount)
    made = _Limits(
        stat_amount=column(0, np.int64),
        stat_unit=column(1, np.int8),
        prom_amount=column(2, np.int64),
        prom_unit=column(3, np.int8),
        receipt=column(4, np.bool_),
        acceptance_limit=column(5, np.int64),
        restarts=column(6, np.bool_),
        deemed=column(7, np.int8),
        after_correction=column(8, np.bool_),
        correction_pauses=column(9, np.bool_),
        dates_to_start=column(10, np.bool_),
        companions=companions,
    )
    for column_ in (
        *attrs.astuple(made, recurse=False)[:-1],
        *itertools.chain(*companions.values()),
    ):
        column_.flags.writeable = False  # shared by the readings of *f*
    _LIMITS[f] = (clock, by_receipt, p, made)
    return made


def _companion_rules(
    rules: RuleBook,
    rule_id: str,
    f: CaseFacts,
    rows: npt.NDArray[np.intp],
    unit: Int8Array,
    amount: IntArray,
) -> None:
    """Fill *unit* and *amount* of *rows* with the version of *rule_id* in force on receipt."""
    days = f.submitted_on[rows]
    found = np.zeros(len(rows), dtype=np.bool_)
    try:
        versions = rules.versions(rule_id)
    except KeyError:
        versions = ()
    for version in versions:
        start = np.datetime64(version.valid_from or date.min, "D")
        end = np.datetime64(version.valid_until or date.max, "D")
        mine = (days >= start) & (days <= end)
        unit[rows[mine]] = _UNITS[version.limit.unit]
        amount[rows[mine]] = version.limit.amount
        found |= mine
    if not found.all():
        i = int(np.argmax(~found))
        try:
            rules.resolve(rule_id, days[i].item())
        except KeyError as e:
            raise EventError(str(f.case[rows[i]]), None, _no_rule(e)) from None
        raise AssertionError("unreachable: the rule resolves")  # pragma: no cover


# ------------------------------------------------------------------ readings


@attrs.frozen(eq=False, repr=False)
class BatchReading:
    """The clocks of many cases at one instant: the fields of a reading, as arrays.

    Row *i* is the reading of row *i* of the :class:`CaseFacts` read;
    :meth:`row` gives it as a :class:`~govservice.cases.Reading`, equal to the
    scalar clock's.  What the scalar reading gives as ``None``:

    * dates and instants are ``NaT``;
    * ``on_time_promised``, ``on_time_statutory``, ``on_time_delivery``,
      ``on_time_hearing``, ``deemed_renewed`` and ``late_renewal_application``
      are ``int8`` codes: ``-1`` for ``None``, ``0`` for ``False``, ``1`` for
      ``True``;
    * ``remaining_working_days`` is a masked array, masked where ``None``
      (the case is not open);
    * a case not yet submitted at ``at`` (the scalar clock raises
      :class:`~govservice.cases.EventError`) has state ``NOT_SUBMITTED``,
      empty dates, zero counts, no alert.

    Dates are local dates of the centre's timezone; instants
    (``*_deadline_at``, set only for limits in working hours) are UTC.  On a
    provisional calendar, ask ``calendar.is_provisional`` of a date column to
    find the answers that rest on estimates.

    Attributes:
        at: the instant read.
        timezone: the centre's timezone.
        case: the case ids.
        matter: each case's matter, an index into *matter_codes*.
        matter_codes: the matter and bundle codes.
        state: the state codes (``STATE_CODES``; ``NOT_SUBMITTED``).
        submitted_on: the local date the materials arrived.
        accepted_on: acceptance (the submission date when deemed).
        deemed_accepted: 行政许可法 Art. 32's deemed acceptance.
        counting_from: the day the decision clocks count from.
        statutory_deadline: the last day of the statutory limit.
        promised_deadline: the last day of the promised limit.
        statutory_deadline_at: the instant of a statutory limit in working hours.
        promised_deadline_at: the same for the promised limit.
        working_days_used: working days counted, pauses excluded.
        paused_working_days: working days taken out by suspensions.
        extended_by: the extension granted by the instant.
        decided_on: the decision's date.
        on_time_promised: decided within the promise (-1/0/1).
        on_time_statutory: decided within the law (-1/0/1).
        alert: the alert codes (:attr:`Alert.code <govservice.cases.Alert.code>`),
            the gravest of every running clock's.
        remaining_working_days: working days to the watched deadline, masked
            where the case is not open.
        acceptance_deadline: the last day to accept or tell every correction.
        delivery_deadline: the last day to deliver the licence (Art. 44).
        on_time_delivery: delivered by then (-1/0/1).
        hearing_deadline: the last day to hold the hearing (Art. 47).
        on_time_hearing: held by then (-1/0/1).
        renewal_deadline: a renewal's licence expiry (Art. 50).
        deemed_renewed: renewal deemed granted (-1/0/1).
        late_renewal_application: applied for later than 30 days before expiry
            (-1/0/1).

    .. versionadded:: 0.1
    """

    at: datetime
    timezone: tzinfo
    case: npt.NDArray[Any]
    matter: npt.NDArray[np.int32]
    matter_codes: tuple[str, ...]
    state: Int8Array
    submitted_on: DateArray
    accepted_on: DateArray
    deemed_accepted: BoolArray
    counting_from: DateArray
    statutory_deadline: DateArray
    promised_deadline: DateArray
    statutory_deadline_at: DateArray
    promised_deadline_at: DateArray
    working_days_used: IntArray
    paused_working_days: IntArray
    extended_by: IntArray
    decided_on: DateArray
    on_time_promised: Int8Array
    on_time_statutory: Int8Array
    alert: Int8Array
    remaining_working_days: MaskedIntArray
    acceptance_deadline: DateArray
    delivery_deadline: DateArray
    on_time_delivery: Int8Array
    hearing_deadline: DateArray
    on_time_hearing: Int8Array
    renewal_deadline: DateArray
    deemed_renewed: Int8Array
    late_renewal_application: Int8Array

    def __len__(self) -> int:
        """The number of cases."""
        return len(self.state)

    def __repr__(self) -> str:
        return f"<BatchReading of {len(self):,} cases at {self.at.isoformat()}>"

    @property
    def exists(self) -> BoolArray:
        """Which cases were submitted by the instant read."""
        out: BoolArray = self.state >= 0
        return out

    @property
    def open(self) -> BoolArray:
        """Which cases still await a decision (their state is open)."""
        out: BoolArray = self.exists & _OPEN[np.maximum(self.state, 0)]
        return out

    def row(self, i: int) -> Reading:
        """The reading of row *i*, as the scalar clock gives it.

        Raises:
            EventError: the case was not yet submitted at ``at``, as the
                scalar clock raises.
        """
        code = int(self.state[i])
        case = str(self.case[i])
        if code < 0:
            reason = Message(
                N_("the case did not exist yet at %(at)s"), {"at": self.at.isoformat()}
            )
            raise EventError(case, None, reason)
        submitted_on = _date(self.submitted_on[i])
        assert submitted_on is not None

        def instant(x: np.datetime64) -> datetime | None:
            return None if np.isnat(x) else _aware(x, self.timezone)

        masked = bool(np.ma.getmaskarray(self.remaining_working_days)[i])
        return Reading(
            case=case,
            matter=self.matter_codes[int(self.matter[i])],
            at=self.at,
            state=STATES[code],
            submitted_on=submitted_on,
            accepted_on=_date(self.accepted_on[i]),
            deemed_accepted=bool(self.deemed_accepted[i]),
            counting_from=_date(self.counting_from[i]),
            statutory_deadline=_date(self.statutory_deadline[i]),
            promised_deadline=_date(self.promised_deadline[i]),
            statutory_deadline_at=instant(self.statutory_deadline_at[i]),
            promised_deadline_at=instant(self.promised_deadline_at[i]),
            working_days_used=int(self.working_days_used[i]),
            paused_working_days=int(self.paused_working_days[i]),
            extended_by=int(self.extended_by[i]),
            decided_on=_date(self.decided_on[i]),
            on_time_promised=_tri(self.on_time_promised[i]),
            on_time_statutory=_tri(self.on_time_statutory[i]),
            alert=ALERTS_BY_CODE[int(self.alert[i])],
            remaining_working_days=None if masked else int(self.remaining_working_days.data[i]),
            acceptance_deadline=_date(self.acceptance_deadline[i]),
            delivery_deadline=_date(self.delivery_deadline[i]),
            on_time_delivery=_tri(self.on_time_delivery[i]),
            hearing_deadline=_date(self.hearing_deadline[i]),
            on_time_hearing=_tri(self.on_time_hearing[i]),
            renewal_deadline=_date(self.renewal_deadline[i]),
            deemed_renewed=_tri(self.deemed_renewed[i]),
            late_renewal_application=_tri(self.late_renewal_application[i]),
        )

    def to_pandas(self) -> Any:
        """The readings as a :class:`pandas.DataFrame`, one row per case.

        Codes become their values (``state``: ``"in_progress"``, …, ``None``
        when not submitted; ``alert``: ``"none"`` … ``"red"``); the timeliness
        columns are nullable booleans and ``remaining_working_days`` a
        nullable integer; dates are midnight timestamps, instants aware (UTC).

        Raises:
            ImportError: pandas is not installed (``pip install 'govservice[pandas]'``).
        """
        try:
            pd = importlib.import_module("pandas")
        except ImportError:
            raise ImportError(
                "BatchReading.to_pandas() needs pandas, an optional dependency of govservice: "
                "pip install 'govservice[pandas]'"
            ) from None
        states = np.array([None, *(s.value for s in STATES)], dtype=object)
        alerts = np.array([a.value for a in ALERTS_BY_CODE], dtype=object)

        def dates(x: DateArray) -> Any:
            return x.astype("datetime64[s]")

        def utc(x: DateArray) -> Any:
            return pd.Series(x).dt.tz_localize("UTC")

        def tri(x: Int8Array) -> Any:
            return pd.array(np.where(x < 0, None, x == 1), dtype="boolean")

        rem = self.remaining_working_days
        return pd.DataFrame(
            {
                "case": self.case,
                "matter": np.array(self.matter_codes, dtype=object)[self.matter],
                "state": states[self.state.astype(np.int64) + 1],
                "submitted_on": dates(self.submitted_on),
                "accepted_on": dates(self.accepted_on),
                "deemed_accepted": self.deemed_accepted,
                "counting_from": dates(self.counting_from),
                "statutory_deadline": dates(self.statutory_deadline),
                "promised_deadline": dates(self.promised_deadline),
                "statutory_deadline_at": utc(self.statutory_deadline_at),
                "promised_deadline_at": utc(self.promised_deadline_at),
                "working_days_used": self.working_days_used,
                "paused_working_days": self.paused_working_days,
                "extended_by": self.extended_by,
                "decided_on": dates(self.decided_on),
                "on_time_promised": tri(self.on_time_promised),
                "on_time_statutory": tri(self.on_time_statutory),
                "alert": alerts[self.alert],
                "remaining_working_days": pd.arrays.IntegerArray(
                    np.ma.getdata(rem), np.ma.getmaskarray(rem)
                ),
                "acceptance_deadline": dates(self.acceptance_deadline),
                "delivery_deadline": dates(self.delivery_deadline),
                "on_time_delivery": tri(self.on_time_delivery),
                "hearing_deadline": dates(self.hearing_deadline),
                "on_time_hearing": tri(self.on_time_hearing),
                "renewal_deadline": dates(self.renewal_deadline),
                "deemed_renewed": tri(self.deemed_renewed),
                "late_renewal_application": tri(self.late_renewal_application),
            }
        )


def read_batch(
    clock: Clock, facts: CaseFacts, at: InstantLike, *, before: bool = False
) -> BatchReading:
    """The clocks of every case of *facts* at instant *at*, as arrays.

    Row for row equal to :meth:`Clock.reading <govservice.cases.Clock.reading>`
    of the same case at the same instant (see :class:`BatchReading` for how
    ``None`` is shown): only the events at or before *at* count, the rule is
    the version in force on the day each case was received (or accepted, for
    a rule whose version goes by acceptance), and limits in working days and
    calendar days are counted on arrays.  Limits in working hours are counted
    case by case with the clock's opening hours; they are few.

    Args:
        clock: the catalogue, calendar, opening hours and alert policy.
        facts: the cases.
        at: an aware instant.
        before: count only the events before *at*, not one at it: a period
            read at its end (:meth:`Period.end_instant
            <govservice.assessment.Period.end_instant>`), the day read still *at*'s.

    Raises:
        CalendarError: *at* is naive.
        CalendarDataMissing: the calendar lacks a year some case's answer needs
            (the scalar clock would raise it for that case).
        EventError: a case's matter is not in the catalogue, or no version of
            its rule was in force on the day it was received.
    """
    t = parse_instant(at, what="'at'")
    cal, pcal = clock.calendar, clock.promised_calendar
    tz = cal.timezone
    at_date = t.astimezone(tz).date()
    at_d = np.datetime64(at_date, "D")
    t64 = _instant(t)
    seen = t64 - np.timedelta64(1, "us") if before else t64  # instants in whole microseconds
    f = facts
    n = len(f)

    def happened(x: DateArray) -> BoolArray:
        out: BoolArray = x <= seen
        return out

    exists = happened(f.submitted_at)
    creq, crec = happened(f.correction_requested_at), happened(f.correction_received_at)
    acc, rej = happened(f.accepted_at), happened(f.rejected_at)
    dec, wdr = happened(f.decided_at), happened(f.withdrawn_at)
    state = _states(f, seen)

    lim = _limits(clock, f, np.where(acc, f.accepted_on, _NAT_D))
    receipt = lim.receipt
    sub_on = f.submitted_on

    # The acceptance clock and deemed acceptance (行政许可法 Art. 32; 行政复议法): the
    # first answer, or else the withdrawal or the instant read, later than the limit;
    # after corrections asked for in time arrive, the limit again where the rule says.
    acceptance_deadline = np.full(n, _NAT_D)
    deemed = np.zeros(n, dtype=np.bool_)
    deemed_on, deemed_at = np.full(n, _NAT_D), np.full(n, _NAT_T)
    rows = np.flatnonzero(exists & (lim.acceptance_limit >= 0))
    if len(rows):
        days = lim.acceptance_limit[rows]
        ended = np.where(wdr[rows], f.withdrawn_on[rows], at_d)
        c_r, a_r, j_r = creq[rows], acc[rows], rej[rows]
        refused_on = np.where(j_r, f.rejected_on[rows], _NAT_D)
        answer = np.where(a_r, f.accepted_on[rows], refused_on)
        first = np.where(c_r, f.correction_requested_on[rows], answer)
        limit1 = cal.add_working_days(sub_on[rows], days)
        late1 = np.where(c_r | a_r | j_r, first, ended) > limit1
        second = ~late1 & c_r & crec[rows] & lim.after_correction[rows]
        limit2 = np.full(len(rows), _NAT_D)
        if second.any():
            limit2[second] = cal.add_working_days(
                f.correction_received_on[rows][second], days[second]
            )
        late2 = second & (np.where(a_r | j_r, answer, ended) > limit2)
        deadline = np.where(second, limit2, limit1)
        kind = lim.deemed[rows]
        is_deemed = (late1 | late2) & (kind > 0)
        on_arrival = np.where(late1, sub_on[rows], f.correction_received_on[rows])
        at_arrival = np.where(late1, f.submitted_at[rows], f.correction_received_at[rows])
        review_end = is_deemed & (kind == 2)
        acceptance_deadline[rows] = deadline
        deemed[rows] = is_deemed
        deemed_on[rows] = np.where(is_deemed, np.where(review_end, deadline, on_arrival), _NAT_D)
        deemed_at[rows] = np.where(is_deemed, at_arrival, _NAT_T)
        if review_end.any():
            deemed_at[rows[review_end]] = _midnights_after(clock, deadline[review_end])

    # When the decision clocks start: the receipt (or the corrections), else the acceptance.
    restart = receipt & creq & lim.restarts
    received_on = np.where(restart, np.where(crec, f.correction_received_on, _NAT_D), sub_on)
    received_at = np.where(
        restart, np.where(crec, f.correction_received_at, _NAT_T), f.submitted_at
    )
    start_on = np.where(
        receipt, received_on, np.where(deemed, deemed_on, np.where(acc, f.accepted_on, _NAT_D))
    )
    start_at = np.where(
        receipt, received_at, np.where(deemed, deemed_at, np.where(acc, f.accepted_at, _NAT_T))
    )
    start_on[~exists] = _NAT_D
    recorded_on = np.where(receipt & lim.dates_to_start, start_on, f.accepted_on)
    accepted_on = np.where(deemed, deemed_on, np.where(acc, recorded_on, _NAT_D))
    promote = deemed & (
        (state == _S[CaseState.SUBMITTED]) | (state == _S[CaseState.AWAITING_CORRECTION])
    )
    state[promote] = _S[CaseState.IN_PROGRESS]
    open_ = exists & _OPEN[np.maximum(state, 0)]
    decided_on = np.where(dec, f.decided_on, _NAT_D)
    ext_now = happened(f.extension_at)
    extended_by = np.bincount(
        f.extension_row[ext_now], weights=f.extension_days[ext_now], minlength=n
    ).astype(np.int64)

    # The decision limit: the simplified procedure's while a case is under it.
    simp_unit, simp_amount = lim.companions["simplified_rule"]
    simplified = happened(f.simplified_at) & ~happened(f.ordinary_at) & (simp_unit != _NO_LIMIT)
    stat_unit = np.where(simplified, simp_unit, lim.stat_unit)
    stat_amount = np.where(simplified, simp_amount, lim.stat_amount)

    # Out-arrays, filled below for the cases whose decision clocks run.
    counting_from = np.full(n, _NAT_D)
    stat_d, prom_d = np.full(n, _NAT_D), np.full(n, _NAT_D)
    stat_t, prom_t = np.full(n, _NAT_T), np.full(n, _NAT_T)
    used, paused = np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int64)
    ots, otp = np.full(n, -1, dtype=np.int8), np.full(n, -1, dtype=np.int8)
    alert = np.zeros(n, dtype=np.int8)
    remaining = np.zeros(n, dtype=np.int64)
    has_remaining = np.zeros(n, dtype=np.bool_)

    a = np.flatnonzero(~np.isnat(start_on) & ~rej)
    k = len(a)
    if k:
        s_on, s_at = start_on[a], start_at[a]
        d_a, w_a = dec[a], wdr[a]
        stopped = d_a | w_a
        end_on = np.where(stopped, np.where(d_a, f.decided_on[a], f.withdrawn_on[a]), at_d)
        end_at = np.where(stopped, np.where(d_a, f.decided_at[a], f.withdrawn_at[a]), t64)

        # Pauses of cases whose clocks run, begun by the instant: suspensions (a hearing's
        # too), and the time for corrections where the rule does not count it
        # (行政复议法实施条例 Art. 29); one not ended by the instant lasts to where the clocks stop.
        pos = np.full(n, -1, dtype=np.int64)
        pos[a] = np.arange(k)
        spos = pos[f.suspension_row]
        sel = np.flatnonzero(happened(f.suspension_start_at) & (spos >= 0))
        s_closed = happened(f.suspension_end_at[sel])
        c_rows = np.flatnonzero(lim.correction_pauses[a] & creq[a])
        c_closed = crec[a][c_rows]
        spos = np.concatenate([spos[sel], c_rows])
        pause_a_on = np.concatenate(
            [f.suspension_start_on[sel], f.correction_requested_on[a][c_rows]]
        )
        pause_b_on = np.concatenate(
            [
                np.where(s_closed, f.suspension_end_on[sel], end_on[spos[: len(sel)]]),
                np.where(c_closed, f.correction_received_on[a][c_rows], end_on[c_rows]),
            ]
        )
        paused_wd = np.zeros(k, dtype=np.int64)
        paused_days = np.zeros(k, dtype=np.int64)
        if len(spos):
            pw = np.maximum(cal.working_days_between(pause_a_on, pause_b_on), 0)
            paused_wd = np.bincount(spos, weights=pw, minlength=k).astype(np.int64)
            pdays = (pause_b_on - pause_a_on).astype(np.int64)
            paused_days = np.bincount(spos, weights=pdays, minlength=k).astype(np.int64)
        paused_wd_p = paused_wd
        if pcal is not cal and len(spos):  # hall days counted for promises
            pw = np.maximum(pcal.working_days_between(pause_a_on, pause_b_on), 0)
            paused_wd_p = np.bincount(spos, weights=pw, minlength=k).astype(np.int64)

        ext_a = extended_by[a]
        s_unit, p_unit = stat_unit[a], lim.prom_unit[a]
        s_amount, p_amount = stat_amount[a], lim.prom_amount[a]
        sd, pd_ = np.full(k, _NAT_D), np.full(k, _NAT_D)
        st, pt = np.full(k, _NAT_T), np.full(k, _NAT_T)
        for c, unit, amount, extension, pwd, out in (
            (cal, s_unit, s_amount, ext_a, paused_wd, sd),
            (pcal, p_unit, p_amount, 0, paused_wd_p, pd_),
        ):
            m = unit == _WD
            if m.any():
                out[m] = c.add_working_days(s_on[m], (amount + extension + pwd)[m])
            m = unit == _DAYS
            if m.any():
                shifted = s_on[m] + (amount + extension + paused_days)[m].astype("timedelta64[D]")
                out[m] = c.next_working_day(shifted)

        hours = np.flatnonzero((s_unit == _HOURS) | (p_unit == _HOURS))
        if len(hours):
            pause_a_at = np.concatenate(
                [f.suspension_start_at[sel], f.correction_requested_at[a][c_rows]]
            )
            pause_b_at = np.concatenate(
                [
                    np.where(s_closed, f.suspension_end_at[sel], end_at[spos[: len(sel)]]),
                    np.where(c_closed, f.correction_received_at[a][c_rows], end_at[c_rows]),
                ]
            )
            _hours_deadlines(
                clock,
                hours,
                start=s_at,
                pauses=(spos, pause_a_at, pause_b_at),
                limits=(s_unit, s_amount + ext_a, p_unit, p_amount),
                out=(sd, st, pd_, pt),
            )

        u = np.zeros(k, dtype=np.int64)
        m = end_on > s_on
        if m.any():
            u[m] = np.maximum(cal.working_days_between(s_on[m], end_on[m]) - paused_wd[m], 0)

        dec_on_a, dec_at_a = f.decided_on[a], f.decided_at[a]

        def on_time(deadline_d: DateArray, deadline_t: DateArray, has: BoolArray) -> Int8Array:
            ok = np.where(~np.isnat(deadline_t), dec_at_a <= deadline_t, dec_on_a <= deadline_d)
            out = np.full(k, -1, dtype=np.int8)
            m = d_a & has
            out[m] = ok[m]
            return out

        has_prom = p_unit != _NO_LIMIT
        ots_a = on_time(sd, st, np.ones(k, dtype=np.bool_))
        otp_a = on_time(pd_, pt, has_prom)

        basis_d, basis_t = np.where(has_prom, pd_, sd), np.where(has_prom, pt, st)
        rem = cal.working_days_between(np.full(k, at_d), basis_d)
        if pcal is not cal and has_prom.any():
            rem[has_prom] = pcal.working_days_between(np.full(k, at_d)[has_prom], pd_[has_prom])
        rem = np.where(~np.isnat(basis_t) & (t64 > basis_t), np.minimum(rem, -1), rem)
        open_a = open_[a]
        al = np.zeros(k, dtype=np.int8)
        if open_a.any():
            past = (at_d > sd) | (~np.isnat(st) & (t64 > st))
            al[open_a] = clock.alert_policy.levels(rem[open_a], past[open_a])
        basis_ok = np.where(has_prom, otp_a == 1, ots_a == 1)
        al[~open_a & d_a & ~basis_ok] = _RED

        counting_from[a] = s_on
        stat_d[a], prom_d[a], stat_t[a], prom_t[a] = sd, pd_, st, pt
        used[a], paused[a] = u, paused_wd
        ots[a], otp[a] = ots_a, otp_a
        alert[a] = al
        remaining[a] = rem
        has_remaining[a] = open_a

    # The clocks beside the decision: delivery (Art. 44), hearing (Art. 47), renewal (Art. 50).
    delivery_d, on_time_delivery, delivery_alert = _companion(
        clock,
        lim.companions["delivery_rule"],
        t,
        begun=dec & f.approved,
        start=(f.decided_on, f.decided_at),
        stop=(happened(f.delivered_at), f.delivered_on, f.delivered_at),
        running=state == _S[CaseState.DECIDED],
    )
    hearing_d, on_time_hearing, hearing_alert = _companion(
        clock,
        lim.companions["hearing_rule"],
        t,
        begun=happened(f.hearing_requested_at),
        start=(f.hearing_requested_on, f.hearing_requested_at),
        stop=(happened(f.hearing_held_at), f.hearing_held_on, f.hearing_held_at),
        running=open_,
    )
    renewal_d, deemed_renewed, late_renewal, renewal_alert = _renewals(
        clock,
        lim.companions["renewal_rule"],
        f,
        at_d,
        exists=exists,
        answered=(dec, rej, wdr),
        running=open_,
    )
    alert = np.maximum.reduce([alert, delivery_alert, hearing_alert, renewal_alert])

    empty = ~exists
    return BatchReading(
        at=t,
        timezone=tz,
        case=f.case,
        matter=f.matter,
        matter_codes=f.matter_codes,
        state=state,
        submitted_on=np.where(empty, _NAT_D, sub_on),
        accepted_on=np.where(empty, _NAT_D, accepted_on),
        deemed_accepted=deemed,
        counting_from=counting_from,
        statutory_deadline=stat_d,
        promised_deadline=prom_d,
        statutory_deadline_at=stat_t,
        promised_deadline_at=prom_t,
        working_days_used=used,
        paused_working_days=paused,
        extended_by=extended_by,
        decided_on=decided_on,
        on_time_promised=otp,
        on_time_statutory=ots,
        alert=alert,
        remaining_working_days=np.ma.MaskedArray(remaining, mask=~has_remaining),
        acceptance_deadline=acceptance_deadline,
        delivery_deadline=delivery_d,
        on_time_delivery=on_time_delivery,
        hearing_deadline=hearing_d,
        on_time_hearing=on_time_hearing,
        renewal_deadline=renewal_d,
        deemed_renewed=deemed_renewed,
        late_renewal_application=late_renewal,
    )


def _midnights_after(clock: Clock, days: DateArray) -> DateArray:
    """The UTC instants at which the days after *days* begin, in the clock's timezone."""
    firsts = {d: _instant(clock._midnight_after(d)) for d in set(days.tolist())}
    return np.array([firsts[d] for d in days.tolist()], dtype="datetime64[us]")


def _companion(
    clock: Clock,
    rule: tuple[Int8Array, IntArray],
    t: datetime,
    *,
    begun: BoolArray,
    start: tuple[DateArray, DateArray],
    stop: tuple[BoolArray, DateArray, DateArray],
    running: BoolArray,
) -> tuple[DateArray, Int8Array, Int8Array]:
    """A clock beside the decision: its deadline, timeliness codes and alert codes.

    As :meth:`Clock.reading <govservice.cases.Clock.reading>` counts it: from
    its start event under its rule's limit (*rule*: each row's unit code and
    amount, ``_NO_LIMIT`` without one) to its stop event; red once stopped
    late; while it runs (*running*), the alert policy on the working days left.
    """
    unit, amount = rule
    n = len(unit)
    deadline, deadline_t = np.full(n, _NAT_D), np.full(n, _NAT_T)
    on_time = np.full(n, -1, dtype=np.int8)
    alert = np.zeros(n, dtype=np.int8)
    on = begun & (unit != _NO_LIMIT)
    if not on.any():
        return deadline, on_time, alert
    start_on, start_at = start
    cal = clock.calendar
    m = on & (unit == _WD)
    if m.any():
        deadline[m] = cal.add_working_days(start_on[m], amount[m])
    m = on & (unit == _DAYS)
    if m.any():
        deadline[m] = cal.next_working_day(start_on[m] + amount[m].astype("timedelta64[D]"))
    for i in np.flatnonzero(on & (unit == _HOURS)).tolist():
        begin = start_at[i].astype("datetime64[us]").item().replace(tzinfo=UTC)
        end = clock.hours.add_working_hours(begin, timedelta(hours=int(amount[i])))
        deadline[i] = np.datetime64(end.astimezone(clock.calendar.timezone).date(), "D")
        deadline_t[i] = _instant(end)
    stopped, stop_on, stop_at = stop
    done = on & stopped
    ok = np.where(~np.isnat(deadline_t), stop_at <= deadline_t, stop_on <= deadline)
    on_time[done] = ok[done]
    alert[done & ~ok] = _RED
    live = on & ~stopped & running
    if live.any():
        at_d = np.datetime64(t.astimezone(cal.timezone).date(), "D")
        rem = cal.working_days_between(np.full(int(live.sum()), at_d), deadline[live])
        past = (at_d > deadline[live]) | (
            ~np.isnat(deadline_t[live]) & (_instant(t) > deadline_t[live])
        )
        alert[live] = clock.alert_policy.levels(rem, past)
    return deadline, on_time, alert


def _renewals(
    clock: Clock,
    rule: tuple[Int8Array, IntArray],
    f: CaseFacts,
    at_d: np.datetime64,
    *,
    exists: BoolArray,
    answered: tuple[BoolArray, BoolArray, BoolArray],
    running: BoolArray,
) -> tuple[DateArray, Int8Array, Int8Array, Int8Array]:
    """The renewal clock (行政许可法 Art. 50): deadline, deemed renewal, late application, alert."""
    unit, amount = rule
    n = len(f)
    deadline = np.full(n, _NAT_D)
    deemed, late = np.full(n, -1, dtype=np.int8), np.full(n, -1, dtype=np.int8)
    alert = np.zeros(n, dtype=np.int8)
    on = exists & ~np.isnat(f.renewal_expires_on) & (unit != _NO_LIMIT)
    if not on.any():
        return deadline, deemed, late, alert
    cal = clock.calendar
    expires = f.renewal_expires_on
    deadline[on] = expires[on]
    dec, rej, wdr = answered
    first = np.minimum(
        np.minimum(np.where(dec, f.decided_on, _MAX_D), np.where(rej, f.rejected_on, _MAX_D)),
        np.where(wdr, f.withdrawn_on, _MAX_D),
    )
    some = dec | rej | wdr
    lapsed = on & (np.where(some, first, at_d) > expires)
    latest = np.full(n, _NAT_D)
    m = on & (unit == _WD)
    if m.any():
        latest[m] = cal.add_working_days(expires[m], -amount[m])
    m = on & (unit != _WD)
    if m.any():
        latest[m] = expires[m] - amount[m].astype("timedelta64[D]")
    deemed[on] = lapsed[on]
    late[on] = (f.submitted_on > latest)[on]
    alert[lapsed] = _RED
    live = on & ~lapsed & ~some & running
    if live.any():
        rem = cal.working_days_between(np.full(int(live.sum()), at_d), expires[live])
        alert[live] = clock.alert_policy.levels(rem, np.zeros(len(rem), dtype=np.bool_))
    return deadline, deemed, late, alert


def _hours_deadlines(
    clock: Clock,
    rows: npt.NDArray[np.intp],
    *,
    start: DateArray,
    pauses: tuple[IntArray, DateArray, DateArray],
    limits: tuple[Int8Array, IntArray, Int8Array, IntArray],
    out: tuple[DateArray, DateArray, DateArray, DateArray],
) -> None:
    """Deadlines in working hours, case by case with the clock's opening hours.

    As :meth:`Clock.reading <govservice.cases.Clock.reading>` counts them: the
    working hours of the pauses are added to the limit, from the start instant;
    the statutory limit on the statutory calendar's hours, the promised one on
    the promised calendar's.
    """
    tz = clock.calendar.timezone
    spos, pause_a, pause_b = pauses
    wanted = np.zeros(len(start), dtype=np.bool_)
    wanted[rows] = True
    by_row: dict[int, list[tuple[datetime, datetime]]] = {}
    js = np.flatnonzero(wanted[spos])  # suspensions are in order of case, then time
    for r, x, y in zip(
        spos[js].tolist(), _utc_list(pause_a[js]), _utc_list(pause_b[js]), strict=True
    ):
        by_row.setdefault(r, []).append((x, y))
    begins = _utc_list(start[rows])
    for hours, unit, amount, d_out, t_out in zip(
        (clock.hours, clock.promised_hours),
        limits[::2],
        limits[1::2],
        out[::2],
        out[1::2],
        strict=True,
    ):
        mine = unit[rows] == _HOURS
        if not mine.any():
            continue
        todo = rows[mine]
        days: list[date] = []
        ends: list[datetime] = []
        for r, begin, n in zip(
            todo.tolist(),
            itertools.compress(begins, mine.tolist()),
            amount[todo].tolist(),
            strict=True,
        ):
            paused_h = sum(hours.working_hours_between(x, y) for x, y in by_row.get(r, ()))
            end = hours.add_working_hours(begin, timedelta(hours=n + paused_h))
            days.append(end.astimezone(tz).date())
            ends.append(end.astimezone(UTC).replace(tzinfo=None))
        d_out[todo] = np.array(days, dtype="datetime64[D]")
        t_out[todo] = np.array(ends, dtype="datetime64[us]")


def _utc_list(x: DateArray) -> list[datetime]:
    """Aware UTC datetimes of an array of instants (none ``NaT``)."""
    naive: list[datetime] = x.astype("datetime64[us]").tolist()
    return [t.replace(tzinfo=UTC) for t in naive]


def _no_rule(error: KeyError) -> Message:
    """The reason a case is refused when its matter's time-limit rule is not in force."""
    return Message(N_("no time-limit rule: %(error)s"), {"error": error})
