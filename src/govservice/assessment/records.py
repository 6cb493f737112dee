"""The records of one period that the assessment rules read.

:func:`collect_period` gathers them from a store: each case handled in the
period with the facts its clock gives at the period's end, the inspections,
complaints, commendations, service records and votes of the period, the
evaluations and the rectifications bad reviews opened.
"""

from __future__ import annotations

import calendar as _calendar
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

import attrs

from govservice.cases import Case, Clock
from govservice.model import Catalogue, Staff
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

__all__ = ["CaseRecord", "Period", "PeriodRecords", "case_record", "collect_period"]


@attrs.frozen
class Period:
    """A span of local dates, both ends included, e.g. a month.

    .. versionadded:: 0.1
    """

    start: date
    end: date

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
            raise ValueError(f"not a month (expected YYYY-MM): {value!r}") from None
        return cls(date(year, month, 1), date(year, month, last))

    @property
    def label(self) -> str:
        """``"2026-05"`` for a whole month, else ``"start–end"``."""
        whole = self.start.day == 1 and self.end == Period.month(self.start.strftime("%Y-%m")).end
        return self.start.strftime("%Y-%m") if whole else f"{self.start}–{self.end}"

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    def end_instant(self, tz: Any) -> datetime:
        """The first instant after the period, in timezone *tz*."""
        return datetime.combine(self.end + timedelta(days=1), time(0), tzinfo=tz)


@attrs.frozen
class CaseRecord:
    """A case as the assessment sees it at the period's end.

    Attributes:
        case: the id.
        matter: the matter code.
        unit: its unit.
        window: the window that handled it.
        staff: the staff member who decided it (or accepted it).
        decided_on: the decision date, if decided by the period's end.
        promised_deadline: the deadline of the promise (the statutory one
            where there is none).
        statutory_deadline: the statutory deadline.
        overdue_days: working days past the promised deadline (at the decision,
            or at the period's end while open); 0 if not overdue.
        overdue_statutory: past the statutory deadline.

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


@attrs.frozen(kw_only=True)
class PeriodRecords:
    """Everything the assessment rules read for one period.

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
    evaluations: tuple[Evaluation, ...] = ()
    rectifications: tuple[Rectification, ...] = ()


def _handlers(case: Case, catalogue: Catalogue) -> tuple[str | None, str | None]:
    """The (window, staff) that handled *case*: the staff of the latest act."""
    staff = None
    for event in reversed(case.events):
        if event.by and event.by in catalogue.staff:
            staff = event.by
            break
    if staff is not None:
        return catalogue.staff[staff].window, staff
    first = case.events[0].by
    return (first if first in catalogue.windows else None), None


def case_record(case: Case, clock: Clock, period: Period) -> CaseRecord | None:
    """The case as the assessment sees it, or ``None`` if not handled in *period*.

    A case counts in the period when it was decided in it, or is still open
    at its end after being received by then.
    """
    tz = clock.calendar.timezone
    at = period.end_instant(tz)
    if case.submitted_at >= at:
        return None
    r = clock.reading(case, at)
    if r.decided_on is not None and r.decided_on not in period:
        return None
    if r.decided_on is None and not r.state.open:
        return None
    window, staff = _handlers(case, clock.catalogue)
    basis = r.promised_deadline or r.statutory_deadline
    end = r.decided_on or period.end
    overdue = 0
    if basis is not None and end > basis:
        overdue = clock.calendar.working_days_between(basis, end)
    matter = clock.catalogue.matters.get(case.matter)
    return CaseRecord(
        case=case.id,
        matter=case.matter,
        unit=matter.unit if matter else None,
        window=window,
        staff=staff,
        decided_on=r.decided_on,
        promised_deadline=r.promised_deadline,
        statutory_deadline=r.statutory_deadline,
        overdue_days=overdue,
        overdue_statutory=r.statutory_deadline is not None and end > r.statutory_deadline,
    )


def _in(period: Period, t: datetime, tz: Any) -> bool:
    return t.astimezone(tz).date() in period


def collect_period(
    store: EventStore,
    period: Period,
    *,
    bad_review_days: int = DEFAULT_BAD_REVIEW_DAYS,
) -> PeriodRecords:
    """Gather the records of *period* from *store* for the assessment."""
    clock = store.clock
    tz = clock.calendar.timezone
    catalogue = clock.catalogue
    cases: list[CaseRecord] = []
    evaluations: list[Evaluation] = []
    for row in store.cases(until=period.end):
        case = store.case(row.case)
        rec = case_record(case, clock, period)
        if rec is not None:
            cases.append(rec)
        ev = case.evaluation
        if ev is not None and _in(period, ev.at, tz):
            window, staff = _handlers(case, catalogue)
            matter = catalogue.matters.get(case.matter)
            evaluations.append(
                Evaluation(
                    case=case.id,
                    at=ev.at,
                    level=ev.level,
                    channel=ev.channel,
                    matter=case.matter,
                    unit=matter.unit if matter else None,
                    window=window,
                    staff=staff,
                )
            )

    def of(kind: str, when: str = "at") -> list[Any]:
        out = []
        for data in store.records(kind):
            record = from_record(kind, data)
            if _in(period, getattr(record, when), tz):
                out.append(record)
        return out

    done = {
        r.case: r.rectified_at
        for r in (from_record("rectification", d) for d in store.records("rectification"))
        if r.rectified_at is not None
    }
    complaints = [from_record("complaint", d) for d in store.records("complaint")]
    return PeriodRecords(
        period=period,
        windows=tuple(catalogue.windows),
        staff=tuple(catalogue.staff),
        staff_members=tuple(catalogue.staff.values()),
        cases=tuple(cases),
        inspections=tuple(of("inspection")),
        complaints=tuple(
            c for c in complaints if c.verified_at is not None and _in(period, c.verified_at, tz)
        ),
        commendations=tuple(of("commendation")),
        services=tuple(of("service")),
        votes=tuple(of("vote")),
        evaluations=tuple(evaluations),
        rectifications=tuple(
            rectifications(evaluations, clock.calendar, working_days=bad_review_days, done=done)
        ),
    )
