"""When a case is late, and by how many working days: the one definition.

Statistics, the assessment and the report all count lateness here.

**Late.** A case's *deadline* is the last day of its promised limit where the
matter has a promise, else of its statutory limit (for a limit in working
hours, the instant it ends).  A case is *late* when it was decided after its
deadline, or when it is still open after its deadline at the instant read.
The day of the deadline is still on time: a decision on Saturday after a
Friday deadline is late.

A case due on a month's last day and undecided at the month's end is late
at that end: its deadline has passed.

**Days late.** The working days from the deadline (not counted) to the
decision or the day read (counted).  A late case is at least one day late,
even when no working day has passed since its deadline (a decision on the
weekend after a Friday deadline, or after a deadline's hour on its own day).

**Past the law.** The same with the statutory deadline alone.

.. versionadded:: 0.1
"""

from __future__ import annotations

from datetime import date, timedelta

import attrs
import numpy as np
import numpy.typing as npt

from govservice.calendars import WorkingDayCalendar
from govservice.cases.batch import BatchReading, _instant

__all__ = ["Lateness", "lateness"]

_BoolArray = npt.NDArray[np.bool_]


@attrs.frozen(eq=False)
class Lateness:
    """Each case's lateness at the instant a :class:`~govservice.cases.BatchReading` was read.

    Attributes:
        deadline: the promised deadline's day, else the statutory one's (``NaT``
            while no limit runs).
        stop: the day lateness is counted to: the decision's, else the last day
            begun by the instant read (a month's last day, read at its end).
        late: decided after the deadline, or open after it at the instant read.
        statutory: late against the statutory deadline.
        days: working days late (at least 1 when late, else 0).

    .. versionadded:: 0.1
    """

    deadline: npt.NDArray[np.datetime64]
    stop: npt.NDArray[np.datetime64]
    late: _BoolArray
    statutory: _BoolArray
    days: npt.NDArray[np.int64]

    def late_before(self, start: date) -> _BoolArray:
        """Late already at the end of the day before *start*: the lateness began earlier.

        By then the deadline had passed, and the case was open or decided late.
        """
        before = np.datetime64(start, "D") - np.timedelta64(1, "D")
        out: _BoolArray = self.late & (self.deadline <= before)
        return out

    def days_since(self, calendar: WorkingDayCalendar, start: date) -> npt.NDArray[np.int64]:
        """The days late that accrued on or after *start*: a period's share of the lateness.

        The days late now less the days late at the end of the day before
        *start*, so the shares of successive months add up to the days late.
        """
        before = np.datetime64(start, "D") - np.timedelta64(1, "D")
        earlier = self.late_before(start)
        out = self.days.copy()
        rows = np.flatnonzero(earlier)
        if len(rows):
            then = np.maximum(calendar.working_days_between(self.deadline[rows], before), 1)
            out[rows] -= then
        return out


def lateness(reading: BatchReading, calendar: WorkingDayCalendar) -> Lateness:
    """The lateness of every case of *reading*, by the definition above.

    Args:
        reading: the cases' clocks at one instant.
        calendar: counts the working days late (the centre's).
    """
    r = reading
    at_d = np.datetime64(r.at.astimezone(r.timezone).date(), "D")
    at_t = _instant(r.at)
    has_promise = ~np.isnat(r.promised_deadline)
    deadline = np.where(has_promise, r.promised_deadline, r.statutory_deadline)
    deadline_at = np.where(has_promise, r.promised_deadline_at, r.statutory_deadline_at)
    on_time = np.where(has_promise, r.on_time_promised, r.on_time_statutory)
    decided = ~np.isnat(r.decided_on)
    opened = r.open

    def past(day: npt.NDArray[np.datetime64], instant: npt.NDArray[np.datetime64]) -> _BoolArray:
        out: _BoolArray = ~np.isnat(day) & ((at_d > day) | (~np.isnat(instant) & (at_t > instant)))
        return out

    late = (decided & (on_time == 0)) | (opened & past(deadline, deadline_at))
    statutory = (decided & (r.on_time_statutory == 0)) | (
        opened & past(r.statutory_deadline, r.statutory_deadline_at)
    )
    # an open case counts to the last day begun by the instant: the month's last day when
    # read at the first instant of the next
    last = np.datetime64((r.at - timedelta(microseconds=1)).astimezone(r.timezone).date(), "D")
    stop = np.where(decided, r.decided_on, last)
    days = np.zeros(len(late), dtype=np.int64)
    rows = np.flatnonzero(late)
    if len(rows):
        days[rows] = np.maximum(calendar.working_days_between(deadline[rows], stop[rows]), 1)
    return Lateness(deadline, stop, late, statutory, days)
