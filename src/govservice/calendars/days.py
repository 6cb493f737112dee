"""What a calendar knows of a day: its kind, its holiday, the day it swaps with.

These are plain frozen value objects; the arithmetic lives in
:mod:`govservice.calendars.working_days`.
"""

from __future__ import annotations

import datetime as dt
import enum
from datetime import date

import attrs

from govservice.exceptions import CalendarError
from govservice.text import N_, Message

__all__ = [
    "AdjustmentKind",
    "CalendarAdjustment",
    "DayInfo",
    "DayKind",
    "Holiday",
    "Notice",
    "ProvisionalDate",
]


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
    """A working day a local adjustment closes (e.g. an autonomous area's festival).

    Only on the calendars that count the adjustment: see :class:`AdjustmentKind`."""
    LOCAL_WORKING_DAY = "local_working_day"
    """A rest day a local adjustment opens (e.g. a county's weekend service day).

    Only on the calendars that count the adjustment: see :class:`AdjustmentKind`."""

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


class AdjustmentKind(enum.Enum):
    """What a local adjustment is, and so which limits count it.

    Statutory working days are national: a county that opens its hall on a
    Saturday or closes it for a local event changes the hall's hours, not the
    law's count.  Only a rest day that a locality sets by law — an ethnic
    autonomous area's festival in its autonomy regulations — changes a
    statutory limit.  Every adjustment declares which it is.

    .. versionadded:: 0.1
    """

    HALL_DAY = "hall_day"
    """The hall opens on a rest day (周末延时服务日) or closes on a working day by its
    own decision: its hours change; no statutory limit counts it, and the
    county's promised limits count it only if the adjustment says so
    (``counts_for_promised``)."""
    LAWFUL_LOCAL_DAY = "lawful_local_day"
    """A rest day (or the working day that makes up for one) set by law for the
    locality, e.g. an autonomous county's festival: every limit counts it,
    statutory ones included."""


def _adjustment_kind(value: AdjustmentKind | str) -> AdjustmentKind:
    if isinstance(value, AdjustmentKind):
        return value
    try:
        return AdjustmentKind(value)
    except ValueError:
        known = ", ".join(repr(k.value) for k in AdjustmentKind)
        raise CalendarError(
            Message(
                N_("unknown adjustment kind %(value)r (known: %(known)s)"),
                {"value": value, "known": known},
            )
        ) from None


@attrs.frozen
class CalendarAdjustment:
    """A local change layered over the national calendar.

    Attributes:
        date: the day changed.
        working: ``True`` to make it a working day, ``False`` to close it.
        name: why, e.g. ``"壮族三月三"`` or ``"周末延时服务日"``.
        source: where the adjustment came from (a file, a plugin's name).
        kind: an :class:`AdjustmentKind` (or its value): a hall day or a lawful
            local day.  Required: a county must say which it is.
        counts_for_promised: for a hall day, whether the county's promised
            limits count it (a Saturday of service shortens a promise; a
            closure lengthens it).  A lawful local day counts for every limit,
            so it takes no such flag.

    Example:
        >>> from datetime import date
        >>> from govservice.calendars import CalendarAdjustment
        >>> CalendarAdjustment(date(2026, 3, 7), True, "周末延时服务日",
        ...                    kind="hall_day", counts_for_promised=True).label
        'local hall day — 周末延时服务日, counted for promised limits only'

    .. versionadded:: 0.1

    """

    date: dt.date
    working: bool
    name: str
    source: str = ""
    kind: AdjustmentKind = attrs.field(kw_only=True, converter=_adjustment_kind)
    counts_for_promised: bool = attrs.field(default=False, kw_only=True)

    def __attrs_post_init__(self) -> None:
        if self.counts_for_promised and self.kind is AdjustmentKind.LAWFUL_LOCAL_DAY:
            raise CalendarError(
                Message(
                    N_(
                        "%(date)s %(name)s: a lawful local day counts for every limit; "
                        "'counts_for_promised' is for hall days only"
                    ),
                    {"date": self.date, "name": self.name},
                )
            )

    @property
    def counts_for_statutory(self) -> bool:
        """Whether statutory limits count this adjustment (a lawful local day only)."""
        return self.kind is AdjustmentKind.LAWFUL_LOCAL_DAY

    def counts_in(self, view: str) -> bool:
        """Whether a calendar of *view* (``statutory``, ``promised``, ``hall``) counts it."""
        if self.kind is AdjustmentKind.LAWFUL_LOCAL_DAY or view == "hall":
            return True
        return view == "promised" and self.counts_for_promised

    @property
    def label(self) -> str:
        """What the adjustment is, in English words (:meth:`text` in a language).

        ``"local hall day — 周末延时服务日, counted for promised limits only"``,
        ``"lawful local rest day — 火把节, counted for every limit"``.
        """
        return self.text("en")

    def text(self, language: str = "en") -> str:
        """What the adjustment is, in *language* (``"zh"`` or ``"en"``), e.g. for a command line.

        ``"大厅服务日——周末延时服务日，仅适用于承诺时限"`` in Chinese.
        """
        from govservice.i18n import translations

        _ = translations(language).gettext
        values = {"name": self.name}
        if self.kind is AdjustmentKind.LAWFUL_LOCAL_DAY:
            if self.working:
                return _("lawful local working day — %(name)s, counted for every limit") % values
            return _("lawful local rest day — %(name)s, counted for every limit") % values
        if not self.counts_for_promised:
            if self.working:
                return (
                    _("local hall day — %(name)s, hall hours only, counted for no limit") % values
                )
            return (
                _("local hall closure — %(name)s, hall hours only, counted for no limit") % values
            )
        if self.working:
            return _("local hall day — %(name)s, counted for promised limits only") % values
        return _("local hall closure — %(name)s, counted for promised limits only") % values


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
        adjustment: the local adjustment of the day, if any: the one that
            decided its kind when the calendar counts it, else the one it does
            not count (a hall day on a statutory calendar, whose kind stays the
            national one) — its :attr:`~CalendarAdjustment.label` says which.
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
    def adjustment_label(self) -> str | None:
        """The local adjustment of the day in words (see :attr:`CalendarAdjustment.label`)."""
        return None if self.adjustment is None else self.adjustment.label

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
