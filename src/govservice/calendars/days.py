"""What a calendar knows of a day: its kind, its holiday, the day it swaps with.

These are plain frozen value objects; the arithmetic lives in
:mod:`govservice.calendars.working_days`.
"""

from __future__ import annotations

import datetime as dt
import enum
from datetime import date

import attrs

__all__ = ["CalendarAdjustment", "DayInfo", "DayKind", "Holiday", "Notice", "ProvisionalDate"]


class DayKind(enum.Enum):
    """The kind of a date on a working-day calendar.

    The national kinds follow the State Council's yearly notices: statutory
    holidays (法定节假日) are the days the 全国年节及纪念日放假办法 fixes; the other
    weekdays of a holiday block are rest days gained by a swap (调休休息日) for a
    weekend that becomes a working day (调休上班), or a substitute (补休) for a
    statutory day that fell on a weekend.  Local kinds come from a county's
    adjustments.

    .. versionadded:: 0.1
    """

    WORKING_DAY = "working_day"
    """An ordinary Monday–Friday working day."""
    WEEKEND = "weekend"
    """An ordinary Saturday or Sunday rest day (also inside a holiday block)."""
    STATUTORY_HOLIDAY = "statutory_holiday"
    """A statutory holiday (法定节假日), on whatever day of the week it falls."""
    SWAPPED_REST_DAY = "swapped_rest_day"
    """A weekday made a rest day in exchange for a make-up working day (调休休息日)."""
    SUBSTITUTE_REST_DAY = "substitute_rest_day"
    """A weekday rest day given because a statutory day fell on a weekend (补休)."""
    SPECIAL_REST_DAY = "special_rest_day"
    """A rest day by a special decision, e.g. the 2020 Spring Festival extension."""
    MAKEUP_WORKING_DAY = "makeup_working_day"
    """A Saturday or Sunday that is a working day (调休上班)."""
    LOCAL_CLOSURE = "local_closure"
    """A day a local adjustment closes (e.g. an autonomous area's festival)."""
    LOCAL_WORKING_DAY = "local_working_day"
    """A day a local adjustment opens (e.g. a county's weekend service day)."""

    @property
    def working(self) -> bool:
        """Whether days of this kind are working days."""
        return self in _WORKING_KINDS


_WORKING_KINDS = frozenset(
    {DayKind.WORKING_DAY, DayKind.MAKEUP_WORKING_DAY, DayKind.LOCAL_WORKING_DAY}
)


@attrs.frozen
class Notice:
    """The official notice that announced a year's holiday arrangements.

    Attributes:
        year: the year the notice arranges.
        title: e.g. ``"国务院办公厅关于2026年部分节假日安排的通知"``.
        number: the document number, e.g. ``"国办发明电〔2025〕7号"``, if known.
        published: the date of the notice, if known.
        source: where the text was read, if recorded.

    .. versionadded:: 0.1

    """

    year: int
    title: str
    number: str | None = None
    published: date | None = None
    source: str | None = None

    def __str__(self) -> str:
        return f"{self.title}（{self.number}）" if self.number else self.title


@attrs.frozen
class Holiday:
    """One block of days off for one or more festivals, with its make-up days.

    Attributes:
        festivals: festival keys, e.g. ``("mid_autumn", "national_day")``.
        name: the name the notice uses, e.g. ``"中秋节、国庆节"``.
        first: the first day off.
        last: the last day off (inclusive).
        statutory: the statutory holiday days inside the block.
        makeup: the weekend days worked for this block (调休上班).
        special: rest days by a special decision inside the block.
        notice: the notice that arranged it; ``None`` for an estimate.
        note: free text from the data file.

    .. versionadded:: 0.1

    """

    festivals: tuple[str, ...]
    name: str
    first: date
    last: date
    statutory: tuple[date, ...] = ()
    makeup: tuple[date, ...] = ()
    special: tuple[date, ...] = ()
    notice: Notice | None = None
    note: str | None = None

    @property
    def days_off(self) -> int:
        """How many consecutive days the block lasts."""
        return (self.last - self.first).days + 1

    @property
    def estimated(self) -> bool:
        """True when the block is an estimate, not an announced arrangement."""
        return self.notice is None


@attrs.frozen
class CalendarAdjustment:
    """A local change layered over the national calendar.

    Attributes:
        date: the day changed.
        working: ``True`` to make it a working day, ``False`` to close it.
        name: why, e.g. ``"壮族三月三"`` or ``"周末延时服务日"``.
        source: where the adjustment came from (a file, a plugin's name).

    .. versionadded:: 0.1

    """

    date: dt.date
    working: bool
    name: str
    source: str = ""


@attrs.frozen
class DayInfo:
    """Everything a calendar knows of one date.

    Attributes:
        date: the date.
        kind: its :class:`DayKind`.
        holiday: the holiday block it belongs to (a day off in it or a make-up
            day for it), if any.
        swaps_with: for a swapped rest day, the make-up working day it was
            exchanged for; for a substitute rest day, the statutory day that fell
            on a weekend; for a make-up working day, the rest day it pays for.
        adjustment: the local adjustment that decided the day, if any.
        provisional: True when the answer rests on estimated, not official, data.

    .. versionadded:: 0.1

    """

    date: dt.date
    kind: DayKind
    holiday: Holiday | None = None
    swaps_with: dt.date | None = None
    adjustment: CalendarAdjustment | None = None
    provisional: bool = False

    @property
    def working(self) -> bool:
        """Whether the day is a working day."""
        return self.kind.working

    @property
    def weekend_turned_working_day(self) -> bool:
        """True for a Saturday or Sunday that is a working day (调休上班 or local)."""
        return self.kind.working and self.date.weekday() >= 5


class ProvisionalDate(date):
    """A date computed from estimated data: a real :class:`~datetime.date`, marked.

    Returned by a calendar built with ``provisional=True`` whenever the answer
    depends on a year without official data.  It compares and computes like the
    plain date it holds; ``provisional`` tells it apart.

    .. versionadded:: 0.1
    """

    provisional = True

    def __repr__(self) -> str:
        return f"ProvisionalDate({self.isoformat()})"
