"""Turning what callers pass (dates, aware datetimes, ISO strings) into local dates.

The time contract (DESIGN.md): instants are timezone-aware and a day is a local
date of the centre's timezone.  A naive datetime, or a string with a time but
no offset, is refused rather than guessed.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from typing import Final, TypeAlias

from govservice.exceptions import N_, CalendarError, Message

__all__ = [
    "FIRST_DAY",
    "LAST_DAY",
    "MAX_DAYS",
    "DateLike",
    "InstantLike",
    "check_day",
    "local_date",
    "parse_instant",
]

FIRST_DAY = date(1949, 10, 1)
"""The first day govservice counts: an instant or a day before it is refused."""
LAST_DAY = date(2199, 12, 31)
"""The last day govservice counts: an instant or a day after it is refused."""
MAX_DAYS = (LAST_DAY - FIRST_DAY).days + 1
"""The days from ``FIRST_DAY`` to ``LAST_DAY`` (91,403): no span or limit is longer."""


def check_day(day: date, what: str | Message) -> date:
    """Return *day* if it lies from ``FIRST_DAY`` to ``LAST_DAY``.

    Raises:
        CalendarError: naming *what* and the supported range.

    .. versionadded:: 0.1
    """
    if not FIRST_DAY <= day <= LAST_DAY:
        raise CalendarError(
            N_("%(what)s is outside the days govservice counts, %(first)s to %(last)s"),
            what=what,
            first=FIRST_DAY,
            last=LAST_DAY,
        )
    return day


DateLike: TypeAlias = date | datetime | str
"""A date, an aware datetime (its local date is taken) or an ISO 8601 string."""

InstantLike: TypeAlias = datetime | str
"""An aware datetime or an ISO 8601 string with an offset."""


def parse_instant(value: InstantLike, *, what: str = N_("instant")) -> datetime:
    """Return an aware datetime from an aware datetime or an ISO string with offset.

    Raises:
        CalendarError: the value is naive, has no offset, is not ISO 8601, or
            lies outside ``FIRST_DAY`` to ``LAST_DAY`` (its own date).

    """
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            raise CalendarError(
                N_(
                    "%(what)s %(value)r is not an ISO 8601 date-time "
                    "(expected e.g. '2026-05-08T09:30:00+08:00')"
                ),
                what=Message(what),
                value=value,
            ) from None
        value = parsed
    if not isinstance(value, datetime):
        raise CalendarError(
            N_("%(what)s must be an aware datetime, got %(type)s"),
            what=Message(what),
            type=type(value).__name__,
        )
    if value.tzinfo is None or value.utcoffset() is None:
        raise CalendarError(
            N_(
                "%(what)s %(value)r has no UTC offset: naive times are refused, "
                "give the offset (e.g. '+08:00') or an aware datetime"
            ),
            what=Message(what),
            value=value.isoformat(),
        )
    day = value.date()
    if not FIRST_DAY <= day <= LAST_DAY:  # the message only when needed: every event passes here
        check_day(
            day, Message("%(what)s %(value)r", {"what": Message(what), "value": value.isoformat()})
        )
    return value


USUAL_INSTANT: Final = (
    "t if type(v) is str and (t := fromisoformat(v)).utcoffset() is not None"
    " and FIRST_DAY <= t.date() <= LAST_DAY else None"
)
"""The quick reading of the usual instant ``v``, as source (names: ``INSTANT_NAMES``).

An ISO string with an offset whose date lies from ``FIRST_DAY`` to ``LAST_DAY``
gives its datetime, as :func:`parse_instant` does; anything else ``None`` (or
``ValueError``), left to :func:`parse_instant`, which names the problem.
"""
INSTANT_NAMES: Final = {
    "fromisoformat": datetime.fromisoformat,
    "FIRST_DAY": FIRST_DAY,
    "LAST_DAY": LAST_DAY,
}
"""The names :data:`USUAL_INSTANT` uses."""


def local_date(value: DateLike, tz: tzinfo) -> date:
    """Return the local date of *value* in timezone *tz*.

    A :class:`~datetime.date` is taken as it is; an aware datetime is converted
    to *tz* first (2024-10-07T17:00Z is 2024-10-08 in Shanghai); a string is
    parsed as an ISO date (``YYYY-MM-DD``) or an ISO date-time with an offset.

    Raises:
        CalendarError: a naive datetime, a date-time string without offset, or
            something that is not a date at all.

    """
    if isinstance(value, datetime):
        return parse_instant(value, what=N_("datetime")).astimezone(tz).date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        if len(value) == 10:
            try:
                return date.fromisoformat(value)
            except ValueError:
                raise CalendarError(
                    N_("date %(value)r is not an ISO date (expected YYYY-MM-DD)"), value=value
                ) from None
        return parse_instant(value).astimezone(tz).date()
    raise CalendarError(
        N_("expected a date, an aware datetime or an ISO string, got %(type)s"),
        type=type(value).__name__,
    )
