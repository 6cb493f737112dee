"""Working days and working hours for China's government service centres.

The national calendar covers 2004 through the latest announced year with the
State Council's yearly arrangements (statutory holidays, swapped rest days and
make-up working days), each year citing its notice.  Local adjustments layer
over it; opening hours turn it into working hours.

Example:
    >>> from datetime import date
    >>> from govservice.calendars import china
    >>> cal = china()
    >>> cal.is_working_day(date(2026, 2, 14))   # a Saturday worked for Spring Festival
    True
    >>> cal.add_working_days(date(2026, 9, 30), 1)
    datetime.date(2026, 10, 8)

.. versionadded:: 0.1

"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from govservice.calendars.data_files import (
    FESTIVALS,
    HolidayYear,
    load_adjustments,
    load_estimates,
    load_years,
    national_estimates,
    national_years,
)
from govservice.calendars.days import (
    AdjustmentKind,
    CalendarAdjustment,
    DayInfo,
    DayKind,
    Holiday,
    Notice,
    ProvisionalDate,
)
from govservice.calendars.hours import OpeningHours, Schedule, Session, WorkingHours
from govservice.calendars.instants import local_date, parse_instant
from govservice.calendars.working_days import WorkingDayCalendar

__all__ = [
    "FESTIVALS",
    "AdjustmentKind",
    "CalendarAdjustment",
    "DayInfo",
    "DayKind",
    "Holiday",
    "HolidayYear",
    "Notice",
    "OpeningHours",
    "ProvisionalDate",
    "Schedule",
    "Session",
    "WorkingDayCalendar",
    "WorkingHours",
    "china",
    "load_adjustments",
    "load_estimates",
    "load_years",
    "local_date",
    "parse_instant",
]


@cache
def _china(timezone: str, provisional: bool) -> WorkingDayCalendar:
    return WorkingDayCalendar(
        national_years(),
        timezone=timezone,
        estimates=national_estimates() if provisional else (),
    )


def china(
    *,
    timezone: str = "Asia/Shanghai",
    provisional: bool = False,
    adjustments: Iterable[CalendarAdjustment] = (),
) -> WorkingDayCalendar:
    """The national working-day calendar of China from the built-in data.

    Args:
        timezone: the centre's timezone; instants are converted to it before
            their date is taken.
        provisional: also answer for years without an announced arrangement,
            from an estimate (weekends and the statutory days of the 2024
            全国年节及纪念日放假办法, no swaps); such answers are marked
            (:class:`ProvisionalDate`, ``DayInfo.provisional``).  Without
            it those years raise :class:`~govservice.exceptions.CalendarDataMissing`.
        adjustments: local adjustments layered over the national data.  The
            calendar returned counts for statutory limits (lawful local days
            only); its ``promised`` and ``hall`` views count hall days too.

    The built calendar is cached, so calling ``china()`` again is cheap.

    """
    cal = _china(timezone, provisional)
    adjustments = tuple(adjustments)
    return cal.with_adjustments(adjustments) if adjustments else cal
