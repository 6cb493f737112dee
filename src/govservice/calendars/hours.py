"""Opening hours and limits counted in working hours.

A hall opens on working days only, in one or more sessions a day (a morning
and an afternoon session around the lunch break), and many halls keep summer
and winter schedules.  :class:`WorkingHours` joins a working-day calendar to
opening hours and counts time only while the hall is open.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, time, timedelta
from itertools import pairwise

import attrs

from govservice.calendars.instants import InstantLike, parse_instant
from govservice.calendars.working_days import WorkingDayCalendar
from govservice.exceptions import CalendarError
from govservice.text import N_, Message

__all__ = ["OpeningHours", "Schedule", "Session", "WorkingHours"]


def _to_time(value: time | str) -> time:
    if isinstance(value, time):
        return value
    try:
        return time.fromisoformat(value)
    except (TypeError, ValueError):
        raise CalendarError(
            Message(N_("not a time of day (expected HH:MM): %(value)r"), {"value": value})
        ) from None


def _session_order(instance: Session, attribute: attrs.Attribute[time], value: time) -> None:
    if value <= instance.start:
        raise CalendarError(
            Message(
                N_("'end' must be after 'start' (got %(value)s <= %(value2)s)"),
                {
                    "value": value.isoformat("minutes"),
                    "value2": instance.start.isoformat("minutes"),
                },
            )
        )


@attrs.frozen
class Session:
    """One opening session of a day, e.g. 09:00–12:00.

    Args:
        start: opening time (a :class:`~datetime.time` or ``"HH:MM"``).
        end: closing time, after *start*.

    .. versionadded:: 0.1

    """

    start: time = attrs.field(converter=_to_time)
    end: time = attrs.field(converter=_to_time, validator=_session_order)

    @property
    def seconds(self) -> float:
        """Length of the session in seconds."""
        return (
            datetime.combine(date.min, self.end) - datetime.combine(date.min, self.start)
        ).total_seconds()

    def __str__(self) -> str:
        return f"{self.start.isoformat('minutes')}–{self.end.isoformat('minutes')}"


@functools.cache
def _month_day(value: str) -> tuple[int, int]:
    try:
        month, day = (int(p) for p in value.split("-"))
        date(2024, month, day)  # a leap year accepts 02-29
    except (ValueError, AttributeError):
        raise CalendarError(
            Message(N_("not a month-day (expected MM-DD): %(value)r"), {"value": value})
        ) from None
    return month, day


def _sessions(value: Sequence[Session | tuple[str, str]]) -> tuple[Session, ...]:
    sessions = tuple(s if isinstance(s, Session) else Session(*s) for s in value)
    for a, b in pairwise(sessions):
        if b.start < a.end:
            raise CalendarError(
                Message(
                    N_("sessions overlap or are out of order: %(a)s then %(b)s"), {"a": a, "b": b}
                )
            )
    return sessions


@attrs.frozen
class Schedule:
    """The sessions of every working day within a season.

    Args:
        name: e.g. ``"summer"`` or ``"夏季作息"``.
        sessions: the day's sessions in order, as :class:`Session` objects or
            ``("09:00", "12:00")`` pairs.
        start: the first day of the season as ``"MM-DD"`` (default all year).
        end: the last day of the season as ``"MM-DD"``; a season may run over
            the new year (``start="10-01", end="04-30"``).

    .. versionadded:: 0.1

    """

    name: str
    sessions: tuple[Session, ...] = attrs.field(converter=_sessions)
    start: str = attrs.field(default="01-01", validator=lambda _i, _a, v: _month_day(v))
    end: str = attrs.field(default="12-31", validator=lambda _i, _a, v: _month_day(v))

    def applies_to(self, d: date) -> bool:
        """Whether *d* falls in this schedule's season."""
        md = (d.month, d.day)
        lo, hi = _month_day(self.start), _month_day(self.end)
        return lo <= md <= hi if lo <= hi else (md >= lo or md <= hi)


def _schedules(value: Iterable[Schedule]) -> tuple[Schedule, ...]:
    return tuple(value)


@attrs.frozen
class OpeningHours:
    """A hall's opening hours: schedules by season; the first that applies wins.

    Example:
        >>> from datetime import date
        >>> from govservice.calendars import OpeningHours
        >>> hours = OpeningHours.seasonal(
        ...     summer=[("09:00", "12:00"), ("14:30", "17:30")],
        ...     winter=[("09:00", "12:00"), ("13:30", "17:00")],
        ... )
        >>> [str(s) for s in hours.sessions_on(date(2026, 7, 1))]
        ['09:00–12:00', '14:30–17:30']

    .. versionadded:: 0.1

    """

    schedules: tuple[Schedule, ...] = attrs.field(converter=_schedules)

    @classmethod
    def default(cls) -> OpeningHours:
        """09:00–12:00 and 13:30–17:30 on every working day of the year."""
        return cls((Schedule("all year", (("09:00", "12:00"), ("13:30", "17:30"))),))

    @classmethod
    def seasonal(
        cls,
        *,
        summer: Sequence[Session | tuple[str, str]],
        winter: Sequence[Session | tuple[str, str]],
        summer_start: str = "05-01",
        summer_end: str = "09-30",
    ) -> OpeningHours:
        """Summer and winter schedules, summer from *summer_start* to *summer_end*."""
        return cls(
            (
                Schedule("summer", tuple(summer), summer_start, summer_end),
                Schedule("winter", tuple(winter)),
            )
        )

    def sessions_on(self, d: date) -> tuple[Session, ...]:
        """The sessions of day *d* if it is a working day (no calendar check here)."""
        for schedule in self.schedules:
            if schedule.applies_to(d):
                return schedule.sessions
        return ()


@attrs.frozen
class WorkingHours:
    """Counts time only while the hall is open: working days and opening hours.

    Example:
        >>> from govservice.calendars import china
        >>> from govservice.calendars import OpeningHours, WorkingHours
        >>> hours = WorkingHours(china(), OpeningHours.default())
        >>> hours.add_working_hours("2026-09-30T16:30:00+08:00", 2).isoformat()
        '2026-10-08T10:00:00+08:00'

    .. versionadded:: 0.1

    """

    calendar: WorkingDayCalendar
    opening: OpeningHours = attrs.field(factory=OpeningHours.default)

    def _periods(self, start: date) -> Iterator[tuple[datetime, datetime]]:
        """Open periods from day *start* onwards, as aware local datetimes."""
        tz = self.calendar.timezone
        d = self.calendar.next_working_day(start)
        while True:
            for s in self.opening.sessions_on(d):
                yield (
                    datetime.combine(d, s.start, tzinfo=tz),
                    datetime.combine(d, s.end, tzinfo=tz),
                )
            d = self.calendar.add_working_days(d, 1)

    def is_open(self, at: InstantLike) -> bool:
        """Whether the hall is open at instant *at*."""
        t = parse_instant(at).astimezone(self.calendar.timezone)
        if not self.calendar.is_working_day(t.date()):
            return False
        return any(s.start <= t.time() < s.end for s in self.opening.sessions_on(t.date()))

    def add_working_hours(self, at: InstantLike, hours: float | timedelta) -> datetime:
        """The instant when *hours* of opening time have passed after *at*.

        A limit that ends exactly at closing ends at closing, not at the next
        opening.  The result is in the calendar's timezone.

        Raises:
            CalendarError: *hours* is negative or *at* is naive.

        """
        remaining = hours if isinstance(hours, timedelta) else timedelta(hours=hours)
        if remaining < timedelta(0):
            raise CalendarError(
                Message(N_("hours must not be negative (got %(hours)r)"), {"hours": hours})
            )
        t = parse_instant(at).astimezone(self.calendar.timezone)
        return _add_hours(self, t, remaining)

    def _add(self, t: datetime, remaining: timedelta) -> datetime:
        for start, end in self._periods(t.date()):
            if end <= t:
                continue
            begin = max(start, t)
            if begin + remaining <= end:
                return begin + remaining
            remaining -= end - begin
        raise AssertionError("unreachable: _periods is endless")  # pragma: no cover

    def working_hours_between(self, a: InstantLike, b: InstantLike) -> float:
        """Hours of opening time from *a* to *b* (negative if *b* is before *a*)."""
        ta = parse_instant(a).astimezone(self.calendar.timezone)
        tb = parse_instant(b).astimezone(self.calendar.timezone)
        if tb < ta:
            return -self.working_hours_between(tb, ta)
        total = timedelta(0)
        for start, end in self._periods(ta.date()):
            if start >= tb:
                break
            lo, hi = max(start, ta), min(end, tb)
            if hi > lo:
                total += hi - lo
        return total.total_seconds() / 3600


@functools.lru_cache(maxsize=1 << 16)
def _add_hours(hours: WorkingHours, t: datetime, remaining: timedelta) -> datetime:
    """``hours.add_working_hours`` memoised: readings of many cases repeat the same deadlines."""
    return hours._add(t, remaining)
