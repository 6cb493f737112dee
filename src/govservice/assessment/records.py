"""The records of one period that the assessment rules read.

:func:`collect_period` gathers them from a store: each case handled in the
period with the facts its clock gives at the period's end, the inspections,
complaints, commendations, service records and votes of the period, the
evaluations and the rectifications bad reviews opened.
"""

from __future__ import annotations

import calendar as _calendar
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, TypeVar, overload

import attrs
import numpy as np
import numpy.typing as npt

from govservice.calendars import WorkingDayCalendar
from govservice.calendars.instants import check_day
from govservice.cases import Clock
from govservice.cases.table import CaseTable
from govservice.exceptions import N_, CalendarDataMissing, Message
from govservice.model import Staff
from govservice.supervision import (
    DEFAULT_BAD_REVIEW_DAYS,
    Commendation,
    Complaint,
    Evaluation,
    Inspection,
    Rectification,
    ServiceRecord,
    Vote,
    from_record,
    rectifications,
)

if TYPE_CHECKING:
    from govservice.storage import EventStore

__all__ = [
    "CaseRecord",
    "Period",
    "PeriodRecords",
    "collect_period",
    "months_of",
    "period_table",
]

_T = TypeVar("_T")


def _in_range(instance: Any, attribute: attrs.Attribute[Any], day: Any) -> None:
    if not isinstance(day, date) or isinstance(day, datetime):
        raise TypeError(
            Message(
                N_("'%(name)s' must be a date, got %(type)s %(day)r"),
                {"name": attribute.name, "type": type(day).__name__, "day": day},
            )
        )
    if attribute.name == "start":
        check_day(day, Message(N_("the period's start %(day)s"), {"day": day}))
    else:
        check_day(day, Message(N_("the period's end %(day)s"), {"day": day}))


@attrs.frozen
class Period:
    """A span of local dates, both ends included, e.g. a month.

    Both ends lie from 1949-10-01 to 2199-12-31
    (``govservice.calendars.instants.FIRST_DAY``, ``LAST_DAY``); others are refused with
    a :class:`~govservice.exceptions.CalendarError`.

    .. versionadded:: 0.1
    """

    start: date = attrs.field(validator=_in_range)
    end: date = attrs.field(validator=_in_range)

    @classmethod
    def month(cls, value: str) -> Period:
        """The month ``"YYYY-MM"``.

        Raises:
            ValueError: not a month.
        """
        try:
            year, month = (int(p) for p in value.split("-"))
            last = _calendar.monthrange(year, month)[1]
        except (ValueError, _calendar.IllegalMonthError):
            raise ValueError(
                Message(N_("not a month (expected YYYY-MM): %(value)r"), {"value": value})
            ) from None
        return cls(date(year, month, 1), date(year, month, last))

    @property
    def label(self) -> str:
        """``"2026-05"`` for a whole month, else ``"start–end"``."""
        whole = self.start.day == 1 and self.end == Period.month(self.start.strftime("%Y-%m")).end
        return self.start.strftime("%Y-%m") if whole else f"{self.start}–{self.end}"

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    def end_instant(self, tz: Any) -> datetime:
        """The first instant after the period, in timezone *tz*: the one it is read at.

        A period runs from its first day at 00:00 to its last day at 24:00,
        local time, and is read as of that end: the events before this instant
        count, one at it belongs to the next period (a case received at 00:00
        on 1 June is June's, not open at the end of May; one decided at that
        instant is open and possibly late at the end of May, decided in June),
        and the deadlines are compared with the day after the period (a case
        due on its last day and open at its end is late at that end).  Every
        period figure, assessment and report is read so
        (:class:`~govservice.cases.table.CaseTable`).
        """
        return datetime.combine(self.end + timedelta(days=1), time(0), tzinfo=tz)


# without slots: a frozen class keeps its fields in a dict, set at once, where a slotted one
# calls object.__setattr__ per field — 0.74 against 1.17 µs a record here, and a half-year
# report makes a million of them
@attrs.frozen(slots=False)
class CaseRecord:
    """A case as the assessment sees it at the period's end.

    Attributes:
        case: the id.
        matter: the matter code.
        unit: its unit.
        window: the window that handled it.
        staff: the staff member who handled it (who decided it; while
            undecided, the last to act — :meth:`CaseTable.handled_by
            <govservice.cases.table.CaseTable.handled_by>`).
        decided_on: the decision date, if decided by the period's end.
        promised_deadline: the deadline of the promise (the statutory one
            where there is none).
        statutory_deadline: the statutory deadline.
        overdue_days: the working days of lateness that fall in the period
            (:meth:`Lateness.days_since <govservice.cases.late.Lateness.days_since>`:
            at least 1 in the period the lateness began); 0 if not late.
        overdue_statutory: past the statutory deadline (at the decision, or at
            the period's end while open).
        became_late: the lateness began in the period (its deadline passed in
            it), so the period charges what is charged once per late case.

    .. versionadded:: 0.1
    """

    case: str
    matter: str
    unit: str | None
    window: str | None
    staff: str | None
    decided_on: date | None
    promised_deadline: date | None
    statutory_deadline: date | None
    overdue_days: int
    overdue_statutory: bool
    became_late: bool = False


class _Deferred(Sequence[_T]):
    """A tuple made when first read: records no rule reads cost nothing.

    It equals, and hashes as, the tuple it stands for.
    """

    __slots__ = ("_items", "_make")

    def __init__(self, make: Callable[[], Iterable[_T]]) -> None:
        self._make: Callable[[], Iterable[_T]] | None = make
        self._items: tuple[_T, ...] = ()

    @property
    def _all(self) -> tuple[_T, ...]:
        if self._make is not None:
            self._items, self._make = tuple(self._make()), None
        return self._items

    @overload
    def __getitem__(self, index: int) -> _T: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[_T, ...]: ...
    def __getitem__(self, index: int | slice) -> _T | tuple[_T, ...]:
        return self._all[index]

    def __len__(self) -> int:
        return len(self._all)

    def __iter__(self) -> Iterator[_T]:
        return iter(self._all)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, _Deferred):
            other = other._all
        return self._all == other if isinstance(other, tuple) else NotImplemented

    def __hash__(self) -> int:
        return hash(self._all)

    def __repr__(self) -> str:
        return repr(self._all)


@attrs.frozen(kw_only=True)
class PeriodRecords:
    """Everything the assessment rules read for one period.

    The evaluations gathered by :func:`collect_period` are made when first
    read (no built-in rule reads them; a plugin's may).

    .. versionadded:: 0.1
    """

    period: Period
    windows: tuple[str, ...]
    staff: tuple[str, ...]
    staff_members: tuple[Staff, ...] = ()
    cases: tuple[CaseRecord, ...] = ()
    inspections: tuple[Inspection, ...] = ()
    complaints: tuple[Complaint, ...] = ()
    commendations: tuple[Commendation, ...] = ()
    services: tuple[ServiceRecord, ...] = ()
    votes: tuple[Vote, ...] = ()
    evaluations: Sequence[Evaluation] = ()
    rectifications: tuple[Rectification, ...] = ()


def months_of(period: Period) -> list[Period]:
    """The calendar months of *period*, each clipped to it."""
    out = []
    start = period.start
    while start <= period.end:
        month = Period.month(start.strftime("%Y-%m"))
        out.append(Period(max(month.start, period.start), min(month.end, period.end)))
        start = month.end + timedelta(days=1)
    return out


def _in(period: Period, t: datetime, tz: Any) -> bool:
    return t.astimezone(tz).date() in period


def _case_records(table: CaseTable, clock: Clock, period: Period) -> list[CaseRecord]:
    """The cases handled in *period*: decided in it, or open at its end (batch clock).

    Read as of the period's end: who handled each case, and its lateness by
    the one definition (:mod:`govservice.cases.late`), of which each month is
    charged the working days that fall in it.
    """
    f = table.facts
    at = period.end_instant(clock.calendar.timezone)
    r = table.read(clock, at)
    staff, window = table.handled_by(at)
    start, end = np.datetime64(period.start, "D"), np.datetime64(period.end, "D")
    decided = ~np.isnat(r.decided_on) & (r.decided_on >= start) & (r.decided_on <= end)
    rows = np.flatnonzero(decided | r.open)
    late = table.lateness(clock, at)
    overdue = late.days_since(clock.calendar, period.start)
    began = late.late & ~late.late_before(period.start)
    matter = f.matter[rows]
    units = np.array([_unit_of(clock, code) for code in f.matter_codes], dtype=object)
    # each field as a list, NumPy dates as datetime.date (NaT: None), the records made by map
    return list(
        map(
            CaseRecord,
            map(str, f.case[rows].tolist()),
            np.array(f.matter_codes, dtype=object)[matter].tolist(),
            units[matter].tolist(),
            _or_none(window[rows]),
            _or_none(staff[rows]),
            r.decided_on[rows].astype(object).tolist(),
            r.promised_deadline[rows].astype(object).tolist(),
            r.statutory_deadline[rows].astype(object).tolist(),
            overdue[rows].tolist(),
            late.statutory[rows].tolist(),
            began[rows].tolist(),
        )
    )


def _or_none(codes: npt.NDArray[Any]) -> list[str | None]:
    """The strings of *codes*, ``None`` for the empty ones."""
    out: list[str | None] = codes.tolist()
    empty = np.flatnonzero(codes == "").tolist()
    for k in empty:
        out[k] = None
    return out


def _unit_of(clock: Clock, code: str) -> str | None:
    matter = clock.catalogue.matters.get(code)
    return matter.unit if matter else None


def _evaluations(
    table: CaseTable, clock: Clock, period: Period, *, since: date | None = None
) -> list[Evaluation]:
    """The 好差评 evaluations made in *period* (timed at the start of their local day).

    With *since*, the bad reviews made from that day to the period's end instead.
    """
    f = table.facts
    tz = clock.calendar.timezone
    start = np.datetime64(since or period.start, "D")
    end = np.datetime64(period.end, "D")
    chosen = ~np.isnat(table.evaluated_on) & (table.evaluated_on >= start)
    chosen &= table.evaluated_on <= end
    if since is not None:
        chosen &= (table.level >= 1) & (table.level <= 2)  # Evaluation.bad
    rows = np.flatnonzero(chosen)
    staff, window = table.handled_by(period.end_instant(tz))
    matter = f.matter[rows]
    units = np.array([_unit_of(clock, code) for code in f.matter_codes], dtype=object)
    days = table.evaluated_on[rows].astype(object).tolist()
    midnight = {d: datetime.combine(d, time(0), tzinfo=tz) for d in set(days)}
    columns = zip(  # as lists: NumPy scalars one at a time cost more than the records
        map(str, f.case[rows].tolist()),
        map(midnight.__getitem__, days),
        table.level[rows].tolist(),
        np.array(f.matter_codes, dtype=object)[matter].tolist(),
        units[matter].tolist(),
        _or_none(window[rows]),
        _or_none(staff[rows]),
        strict=True,
    )
    return [
        Evaluation(
            case=cid,
            at=at,
            level=level,
            channel="",
            matter=code,
            unit=unit,
            window=window,
            staff=staff,
        )
        for cid, at, level, code, unit, window, staff in columns
    ]


def _looks_back_to(period: Period, calendar: WorkingDayCalendar, bad_review_days: int) -> date:
    """The earliest day *period*'s assessment reads anything of: the one bound.

    It reads the cases decided in the period or open at its end (their last
    event is in the period or later, or they are open still), and the bad
    reviews whose rectification falls due in it, *bad_review_days* working days
    after the review: those made from that many working days before the
    period's start (the due day of any earlier one is before the start), and
    never more than a year back.
    """
    year_before = period.start - timedelta(days=366)
    if bad_review_days < 1:  # due on the day of the review or before
        return period.start
    try:
        first = calendar.add_working_days(period.start, -bad_review_days)
    except CalendarDataMissing:  # before the calendar's first year
        return year_before
    return max(year_before, first)


def period_table(
    store: EventStore, period: Period, *, bad_review_days: int = DEFAULT_BAD_REVIEW_DAYS
) -> CaseTable:
    """The cases of *store* that *period*'s assessment (and report) can read.

    Those received by the period's end (its last day: the events before its end
    instant count, :meth:`Period.end_instant`); of those closed (delivered,
    rejected or withdrawn), only the ones whose last event is on or after the earliest day
    the period looks back to: that of the first bad review whose
    rectification, *bad_review_days* working days later, falls due in the
    period.  A case closed earlier was neither decided in the period nor open
    at its end, and its review, if any, was due before the period.  So a month
    of a long history reads its own cases, those still open and those closed
    in the few weeks before, not every year, and its figures are those of the
    whole store's table
    (:meth:`CaseTable.from_store <govservice.cases.table.CaseTable.from_store>`).

    .. versionadded:: 0.1
    """
    since = _looks_back_to(period, store.clock.calendar, bad_review_days)
    return CaseTable.from_store(store, until=period.end, changed_since=since)


def collect_period(
    store: EventStore,
    period: Period,
    *,
    bad_review_days: int = DEFAULT_BAD_REVIEW_DAYS,
    table: CaseTable | None = None,
) -> PeriodRecords:
    """Gather the records of *period* from *store* for the assessment.

    Cases come through the batch clock (the store's events as NumPy columns),
    so a month of a large centre is gathered in a second or two; only the cases
    the period can read (:func:`period_table`), however long the store's
    history.  Pass a *table* that holds at least those (the whole store's, or
    a longer period's) when assessing several periods, to read the events once.
    """
    clock = store.clock
    tz = clock.calendar.timezone
    catalogue = clock.catalogue
    if table is None:
        table = period_table(store, period, bad_review_days=bad_review_days)

    def of(kind: str) -> list[Any]:
        records = (from_record(kind, data) for data in store.records(kind))
        return [r for r in records if _in(period, r.at, tz)]

    done = {
        r.case: r.rectified_at
        for r in (from_record("rectification", d) for d in store.records("rectification"))
        if r.rectified_at is not None
    }
    complaints = [from_record("complaint", d) for d in store.records("complaint")]
    since = _looks_back_to(period, clock.calendar, bad_review_days)
    reviewed = _evaluations(table, clock, period, since=since)
    opened = rectifications(reviewed, clock.calendar, working_days=bad_review_days, done=done)
    return PeriodRecords(
        period=period,
        windows=tuple(catalogue.windows),
        staff=tuple(catalogue.staff),
        staff_members=tuple(catalogue.staff.values()),
        cases=tuple(_case_records(table, clock, period)),
        inspections=tuple(of("inspection")),
        complaints=tuple(
            c for c in complaints if c.verified_at is not None and _in(period, c.verified_at, tz)
        ),
        commendations=tuple(of("commendation")),
        services=tuple(of("service")),
        votes=tuple(of("vote")),
        evaluations=_Deferred(lambda: _evaluations(table, clock, period)),
        rectifications=tuple(r for r in opened if r.due in period),
    )
