"""Working-day arithmetic on a calendar built from year data and adjustments.

The calendar is precomputed once over its whole span into sorted arrays: a
working-day flag per day, the running count of working days, and the list of
working days.  Every query is then one or two index look-ups, in pure Python
for a scalar and in NumPy for an array, so one name serves one date and a
million.

Counting follows the law (DESIGN.md, "Time"): a limit of N working days from
day D ends on the N-th working day after D; D itself is never counted
(行政许可法 Art. 82; the start day is not counted).

Statutory working days are national: a calendar counts, by default, only the
local adjustments that are lawful local days; its :attr:`~WorkingDayCalendar.promised`
and :attr:`~WorkingDayCalendar.hall` views count a county's hall days too
(:class:`~govservice.calendars.AdjustmentKind`).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Literal, overload
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

from govservice.calendars.arrays import as_days, fill_missing, is_array
from govservice.calendars.data_files import HolidayYear, load_years
from govservice.calendars.days import (
    CalendarAdjustment,
    DayInfo,
    DayKind,
    Holiday,
    ProvisionalDate,
)
from govservice.calendars.instants import DateLike, local_date
from govservice.exceptions import CalendarDataMissing, CalendarError, DataFileError
from govservice.text import N_, Message

__all__ = ["WorkingDayCalendar"]

_VIEWS = ("statutory", "promised", "hall")

_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_DAY = np.dtype("datetime64[D]")

DateArray = npt.NDArray[np.datetime64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


class WorkingDayCalendar:
    """Working days of one jurisdiction: national data, estimates, local adjustments.

    Build one with :func:`govservice.calendars.china` rather than directly.
    A calendar is immutable; :meth:`with_adjustments` and :meth:`with_years`
    return new ones.

    Every query method takes a scalar — a :class:`~datetime.date`, an aware
    :class:`~datetime.datetime` (its local date in the
    calendar's timezone is used) or
    an ISO string — or an array form, and answers in kind, as
    :func:`numpy.busday_offset` does: a NumPy ``datetime64`` array of any
    unit, a list, a pandas ``Series`` (answered as a ``Series`` with its
    index) or ``DatetimeIndex``; ``NaT`` passes through
    (:mod:`govservice.calendars.arrays`).

    Args:
        years: official year data, contiguous years.
        timezone: the IANA name of the calendar's timezone.
        adjustments: local closures and working days, applied in order (a later
            one wins over an earlier one for the same day).
        estimates: estimated years beyond the official ones; giving them makes
            the calendar *provisional*: answers that need them are marked.
        view: which adjustments count: ``"statutory"`` (the default) counts
            lawful local days only, for statutory limits; ``"promised"`` also
            the hall days the county counts for its promised limits;
            ``"hall"`` every adjustment, the days the hall is open.  Every view
            knows every adjustment (:meth:`day` names it); the others are at
            :attr:`statutory`, :attr:`promised` and :attr:`hall`.

    Attributes:
        timezone: the calendar's timezone, a :class:`zoneinfo.ZoneInfo`.

    Example:
        >>> from datetime import date
        >>> from govservice.calendars import CalendarAdjustment, china
        >>> saturday = CalendarAdjustment(date(2026, 3, 7), True, "周末延时服务日",
        ...                               kind="hall_day", counts_for_promised=True)
        >>> cal = china(adjustments=[saturday])
        >>> cal.add_working_days(date(2026, 2, 13), 20)           # the law's count
        datetime.date(2026, 3, 19)
        >>> cal.promised.add_working_days(date(2026, 2, 13), 20)  # the county's promise
        datetime.date(2026, 3, 18)

    .. versionadded:: 0.1

    """

    def __init__(
        self,
        years: Sequence[HolidayYear],
        *,
        timezone: str = "Asia/Shanghai",
        adjustments: Iterable[CalendarAdjustment] = (),
        estimates: Sequence[HolidayYear] = (),
        view: Literal["statutory", "promised", "hall"] = "statutory",
    ) -> None:
        if view not in _VIEWS:
            raise CalendarError(
                Message(
                    N_("unknown calendar view %(view)r (known: %(value)s)"),
                    {"view": view, "value": ", ".join(_VIEWS)},
                )
            )
        if not years:
            raise CalendarError(N_("a calendar needs at least one year of official data"))
        by_year = {y.year: y for y in years}
        first, last = min(by_year), max(by_year)
        missing = sorted(set(range(first, last + 1)) - set(by_year))
        if missing:
            raise CalendarError(
                Message(
                    N_("official years must be contiguous: %(value)s is missing"),
                    {"value": missing[0]},
                )
            )
        try:
            self.timezone = ZoneInfo(timezone)
        except Exception:
            raise CalendarError(
                Message(N_("unknown timezone %(timezone)r"), {"timezone": timezone})
            ) from None
        self._years = tuple(by_year[y] for y in range(first, last + 1))
        self._estimates = tuple(e for e in sorted(estimates, key=lambda e: e.year) if e.year > last)
        self._adjustments = tuple(adjustments)
        for adj in self._adjustments:
            if not isinstance(adj, CalendarAdjustment):
                raise CalendarError(
                    Message(N_("expected CalendarAdjustment objects, got %(adj)r"), {"adj": adj})
                )
        self._view: Literal["statutory", "promised", "hall"] = view
        self._views: dict[str, WorkingDayCalendar] = {view: self}
        self._coverage = (first, last)
        est_last = last
        for e in self._estimates:
            if e.year != est_last + 1:
                break
            est_last += 1
        self._last_year = est_last
        self._build()

    # ------------------------------------------------------------------ build

    def _build(self) -> None:
        first_year, last_year = self._coverage[0], self._last_year
        start = date(first_year, 1, 1)
        self._first = start.toordinal()
        n = date(last_year, 12, 31).toordinal() - self._first + 1
        self._n = n
        self._n_official = date(self._coverage[1], 12, 31).toordinal() - self._first + 1
        kinds = [
            DayKind.WEEKEND if (start + timedelta(days=i)).weekday() >= 5 else DayKind.WORKING_DAY
            for i in range(n)
        ]
        holiday_of: dict[int, Holiday] = {}
        swaps: dict[int, date] = {}
        for year in (*self._years, *self._estimates[: last_year - self._coverage[1]]):
            for h in year.holidays:
                self._mark_holiday(h, kinds, holiday_of, swaps)
        adjusted: dict[int, CalendarAdjustment] = {}
        noted: dict[int, CalendarAdjustment] = {}
        for adj in self._adjustments:
            i = adj.date.toordinal() - self._first
            if 0 <= i < n:
                noted[i] = adj
                if adj.counts_in(self._view):
                    kinds[i] = DayKind.LOCAL_WORKING_DAY if adj.working else DayKind.LOCAL_CLOSURE
                    adjusted[i] = adj
        adjusted = noted | adjusted  # the one that counts, else the one that does not
        self._kinds = kinds
        self._holiday_of = holiday_of
        self._swaps = swaps
        self._adjusted = adjusted

        work = [k.working for k in kinds]
        cum: list[int] = []
        count = 0
        wdates: list[date] = []
        for i, w in enumerate(work):
            if w:
                count += 1
                wdates.append(date.fromordinal(self._first + i))
            cum.append(count)
        self._work = work
        self._cum = cum
        self._wdates = wdates
        self._nwork = count
        self._nwork_official = cum[self._n_official - 1]
        self._epoch0 = self._first - _EPOCH_ORDINAL  # day number of index 0
        self._work_np = np.array(work, dtype=np.bool_)
        self._cum_np = np.array(cum, dtype=np.int64)
        self._wdays_np = np.array([d.toordinal() - _EPOCH_ORDINAL for d in wdates], dtype=np.int64)
        # the working days before each day, then those up to it and including it: a count
        # back from a day, then forward (working_days_between); and the index into the
        # working days of the first one counted back, then forward (add_working_days)
        self._counts_np = np.concatenate([self._cum_np - self._work_np, self._cum_np])
        self._from_np = self._counts_np - np.repeat([0, 1], self._n)

    def _mark_holiday(
        self,
        h: Holiday,
        kinds: list[DayKind],
        holiday_of: dict[int, Holiday],
        swaps: dict[int, date],
    ) -> None:
        first = self._first
        statutory, special = set(h.statutory), set(h.special)
        rests: list[date] = []
        d = h.first
        while d <= h.last:
            i = d.toordinal() - first
            if 0 <= i < len(kinds):
                holiday_of[i] = h
                if d in statutory:
                    kinds[i] = DayKind.STATUTORY_HOLIDAY
                elif d in special:
                    kinds[i] = DayKind.SPECIAL_REST_DAY
                elif d.weekday() >= 5:
                    kinds[i] = DayKind.WEEKEND
                else:
                    kinds[i] = DayKind.SWAPPED_REST_DAY
                    rests.append(d)
            d += timedelta(days=1)
        for m in h.makeup:
            i = m.toordinal() - first
            if 0 <= i < len(kinds):
                kinds[i] = DayKind.MAKEUP_WORKING_DAY
                holiday_of[i] = h
        # Pair the weekday rest days: substitutes (补休) for statutory days that fell
        # on a weekend take the earliest ones, then make-up days in date order.
        on_weekend = [s for s in h.statutory if s.weekday() >= 5]
        for rest, source in zip(rests, [*on_weekend, *h.makeup], strict=False):
            i = rest.toordinal() - first
            swaps[i] = source
            if source in statutory:
                kinds[i] = DayKind.SUBSTITUTE_REST_DAY
            else:
                swaps[source.toordinal() - first] = rest

    # ------------------------------------------------------------ properties

    @property
    def coverage(self) -> tuple[int, int]:
        """The first and last year with official data."""
        return self._coverage

    @property
    def provisional(self) -> bool:
        """True when the calendar answers beyond its coverage from estimates."""
        return self._last_year > self._coverage[1]

    @property
    def years(self) -> tuple[HolidayYear, ...]:
        """The official year data, in order."""
        return self._years

    @property
    def adjustments(self) -> tuple[CalendarAdjustment, ...]:
        """The local adjustments layered over the national data, in order (every kind)."""
        return self._adjustments

    @property
    def view(self) -> Literal["statutory", "promised", "hall"]:
        """Which adjustments this calendar counts (``statutory``, ``promised`` or ``hall``)."""
        return self._view

    @property
    def counted_adjustments(self) -> tuple[CalendarAdjustment, ...]:
        """The adjustments this calendar counts, in order (see :attr:`view`)."""
        return tuple(a for a in self._adjustments if a.counts_in(self._view))

    @property
    def statutory(self) -> WorkingDayCalendar:
        """The calendar of statutory limits (national data and lawful local days only).

        Statutory working days are national (LAW.md): a hall day never
        shortens or lengthens a statutory limit.
        """
        return self._as("statutory")

    @property
    def promised(self) -> WorkingDayCalendar:
        """The calendar of the county's promised limits.

        The statutory calendar with the hall days the county counts for its
        promises (``counts_for_promised``).
        """
        return self._as("promised")

    @property
    def hall(self) -> WorkingDayCalendar:
        """The days the hall is open (every adjustment counted, hall days included)."""
        return self._as("hall")

    def _as(self, view: Literal["statutory", "promised", "hall"]) -> WorkingDayCalendar:
        cal = self._views.get(view)
        if cal is None:
            cal = self._derive(view=view)
            cal._views = self._views  # the views of one calendar share one cache
            self._views[view] = cal
        return cal

    def __repr__(self) -> str:
        extra = f", provisional to {self._last_year}" if self.provisional else ""
        adj = f", {len(self._adjustments)} adjustments" if self._adjustments else ""
        view = f", {self._view} view" if self._view != "statutory" else ""
        return (
            f"<WorkingDayCalendar {self._coverage[0]}–{self._coverage[1]}"
            f" {self.timezone.key}{extra}{adj}{view}>"
        )

    # ------------------------------------------------------------- deriving

    def with_adjustments(self, adjustments: Iterable[CalendarAdjustment]) -> WorkingDayCalendar:
        """Return a calendar with *adjustments* layered over this one's."""
        return self._derive(adjustments=(*self._adjustments, *adjustments))

    def with_years(self, source: Path | str | Iterable[HolidayYear]) -> WorkingDayCalendar:
        """Return a calendar with more official years, e.g. one newly announced.

        *source* is a TOML file in the format of the built-in data (see
        :func:`~govservice.calendars.load_years`) or year records.  A year
        already present is replaced by the new data.  Years must stay
        contiguous.

        Raises:
            DataFileError: the file is malformed or leaves a gap.

        """
        new = load_years(source) if isinstance(source, Path | str) else tuple(source)
        merged = {y.year: y for y in self._years} | {y.year: y for y in new}
        span = set(range(min(merged), max(merged) + 1))
        if span - set(merged):
            gap = min(span - set(merged))
            raise DataFileError(
                str(source) if isinstance(source, Path | str) else "years given",
                None,
                "year",
                gap,
                Message(
                    N_("years must be contiguous with %(value)s–%(value2)s: %(gap)s is missing"),
                    {"value": self._coverage[0], "value2": self._coverage[1], "gap": gap},
                ),
            )
        return self._derive(years=tuple(merged[y] for y in sorted(merged)))

    def _derive(self, **changes: Any) -> WorkingDayCalendar:
        args: dict[str, Any] = {
            "years": self._years,
            "timezone": self.timezone.key,
            "adjustments": self._adjustments,
            "estimates": self._estimates,
            "view": self._view,
        }
        args.update(changes)
        years = args.pop("years")
        return WorkingDayCalendar(years, **args)

    # ---------------------------------------------------------------- scalars

    def _index(self, d: DateLike) -> int:
        """Index of a scalar date in the arrays (may be out of range)."""
        if type(d) is not date:
            d = local_date(d, self.timezone)
        return d.toordinal() - self._first

    def _missing(self, i: int) -> CalendarDataMissing:
        """The error for an index outside what the calendar may answer: its date's year.

        A count that runs off either end passes the first index beyond it
        (``-1`` or ``self._n``): the year just before or after the data.
        """
        ordinal = min(max(self._first + i, 1), date.max.toordinal())
        return CalendarDataMissing(date.fromordinal(ordinal).year, self._coverage)

    def _check(self, i: int) -> None:
        if not 0 <= i < self._n:
            raise self._missing(i)

    def _out(self, i: int, result: date) -> date:
        """Mark *result* provisional when it or the start index *i* needs estimates."""
        if i >= self._n_official or result.toordinal() - self._first >= self._n_official:
            return ProvisionalDate(result.year, result.month, result.day)
        return result

    @overload
    def is_working_day(self, d: DateLike) -> bool: ...
    @overload
    def is_working_day(self, d: DateArray) -> BoolArray: ...
    @overload
    def is_working_day(self, d: Any) -> Any: ...
    def is_working_day(self, d: Any) -> Any:
        """Whether *d* is a working day (any kind that works, local ones included).

        ``NaT`` in an array form is not a working day (as :func:`numpy.is_busday`).
        """
        if is_array(d):
            idx, missing, wrap = self._array(d)
            return wrap(fill_missing(self._work_np[idx], missing))
        i = self._index(d)
        if 0 <= i < self._n:
            return self._work[i]
        raise self._missing(i)

    @overload
    def add_working_days(self, d: DateLike, n: int) -> date: ...
    @overload
    def add_working_days(self, d: DateArray, n: int | IntArray) -> DateArray: ...
    @overload
    def add_working_days(self, d: Any, n: Any) -> Any: ...
    def add_working_days(self, d: Any, n: Any) -> Any:
        """Return the *n*-th working day after *d* (before it when *n* < 0).

        *d* itself is never counted, working day or not; ``n == 0`` returns *d*.
        The result of a limit of N working days from day D is
        ``add_working_days(D, N)``: the limit ends at the end of that day.

        Array forms return arrays without marks; on a provisional calendar ask
        :meth:`is_provisional` of the results to find the estimated ones.
        """
        if type(d) is date and type(n) is int:  # the hot path: two list look-ups
            i = d.toordinal() - self._first
            if 0 <= i < self._n_official:
                if n > 0:
                    j = self._cum[i] + n - 1
                elif n < 0:
                    j = self._cum[i] - self._work[i] + n
                else:
                    return d
                if 0 <= j < self._nwork_official:
                    return self._wdates[j]
        if is_array(d) or is_array(n):
            return self._add_batch(d, n)
        try:
            count = operator.index(n)  # an int or a NumPy integer, never a float
        except TypeError:
            raise CalendarError(
                Message(
                    N_("n must be an integer, got %(type)s %(n)r"),
                    {"type": type(n).__name__, "n": n},
                )
            ) from None
        return self._add_scalar(d, count)

    def _add_scalar(self, d: DateLike, n: int) -> date:
        i = self._index(d)
        self._check(i)
        if n == 0:
            return self._out(i, date.fromordinal(self._first + i))
        j = self._cum[i] + n - 1 if n > 0 else self._cum[i] - self._work[i] + n
        if j < 0:
            raise self._missing(-1)
        if j >= self._nwork:
            raise self._missing(self._n)
        return self._out(i, self._wdates[j])

    def _add_batch(self, d: Any, n: Any) -> Any:
        if is_array(d):
            idx, missing, wrap = self._array(d)
        else:
            idx, missing, wrap = self._array([local_date(d, self.timezone)])
            idx, missing = idx.reshape(()), missing.reshape(())
        n = np.asarray(n)
        if n.dtype.kind not in "iu":
            raise CalendarError(
                Message(N_("n must be integers, got an array of %(dtype)s"), {"dtype": n.dtype})
            )
        idx, n, missing = np.broadcast_arrays(idx, n.astype(np.int64, copy=False), missing)
        if missing.any():
            n = np.where(missing, 0, n)  # NaT: no count, its answer NaT
        j = self._from_np[idx + (n > 0) * self._n] + n
        zero = n == 0
        some_zero = bool(zero.any())
        if some_zero:
            j = np.where(zero, 0, j)
        if j.size and (j.min() < 0 or j.max() >= self._nwork):
            raise self._missing(-1 if j.min() < 0 else self._n)
        days = self._wdays_np[j]
        if some_zero:
            days = np.where(zero, idx + self._epoch0, days)
        return wrap(fill_missing(np.asarray(days).view("datetime64[D]"), missing))

    def _array(self, d: Any) -> tuple[IntArray, BoolArray, Callable[[npt.NDArray[Any]], Any]]:
        """An array form's indices, where NaT was, and how to answer in the input's kind.

        NaT takes the index of the middle of the span, so that no count from
        it runs off the data; its answers are replaced afterwards.
        """
        days, wrap = as_days(d, self.timezone)
        missing = np.isnat(days)
        if missing.any():
            days = np.where(missing, np.datetime64(self._n // 2 + self._epoch0, "D"), days)
        return self._indices(days), missing, wrap

    def _indices(self, d: npt.NDArray[Any]) -> IntArray:
        """Array indices of a ``datetime64[D]`` array without NaT, checked against the span."""
        days = d.view(np.int64) if d.dtype == _DAY else d.astype(np.int64)
        idx = days - self._epoch0
        if idx.size:
            lo, hi = int(idx.min()), int(idx.max())
            if lo < 0:
                raise self._missing(lo)
            if hi >= self._n:
                raise self._missing(hi)
        return idx

    @overload
    def working_days_between(self, a: DateLike, b: DateLike) -> int: ...
    @overload
    def working_days_between(self, a: DateArray, b: DateArray | DateLike) -> IntArray: ...
    @overload
    def working_days_between(self, a: Any, b: Any) -> Any: ...
    def working_days_between(self, a: Any, b: Any) -> Any:
        """Count the working days from *a* to *b*, *a* not counted, *b* counted.

        For ``b >= a`` this is the number of working days w with a < w <= b.
        For ``b < a`` it is minus the number with b <= w < a: the count runs
        backwards from *a*, again not counting *a*.  So for every n,
        ``working_days_between(d, add_working_days(d, n)) == n``.

        In an array form a count with ``NaT`` at either end is NaN, and the
        counts are then floats (as pandas' ``.dt.days``).
        """
        if is_array(a) or is_array(b):
            none = np.zeros((), dtype=np.bool_)
            ia, ma, wrap = self._array(a) if is_array(a) else (self._scalar_idx(a), none, None)
            ib, mb, wrap_b = self._array(b) if is_array(b) else (self._scalar_idx(b), none, None)
            forward = (ib >= ia) * self._n
            out = self._counts_np[ib + forward] - self._counts_np[ia + forward]
            return (wrap or wrap_b)(fill_missing(out, ma | mb))  # type: ignore[misc]
        ia, ib = self._index(a), self._index(b)
        self._check(ia)
        self._check(ib)
        if ib >= ia:
            return self._cum[ib] - self._cum[ia]
        return (self._cum[ib] - self._work[ib]) - (self._cum[ia] - self._work[ia])

    def _scalar_idx(self, d: DateLike) -> int:
        i = self._index(d)
        self._check(i)
        return i

    @overload
    def next_working_day(self, d: DateLike) -> date: ...
    @overload
    def next_working_day(self, d: DateArray) -> DateArray: ...
    @overload
    def next_working_day(self, d: Any) -> Any: ...
    def next_working_day(self, d: Any) -> Any:
        """*d* if it is a working day, else the first working day after it."""
        return self._roll(d, forward=True)

    @overload
    def previous_working_day(self, d: DateLike) -> date: ...
    @overload
    def previous_working_day(self, d: DateArray) -> DateArray: ...
    @overload
    def previous_working_day(self, d: Any) -> Any: ...
    def previous_working_day(self, d: Any) -> Any:
        """*d* if it is a working day, else the last working day before it."""
        return self._roll(d, forward=False)

    def _roll(self, d: Any, *, forward: bool) -> Any:
        if is_array(d):
            idx, missing, wrap = self._array(d)
            jj = self._cum_np[idx] - (self._work_np[idx] if forward else 1)
            if jj.size and (jj.min() < 0 or jj.max() >= self._nwork):
                raise self._missing(-1 if jj.min() < 0 else self._n)
            return wrap(fill_missing(self._wdays_np[jj].astype("datetime64[D]"), missing))
        i = self._scalar_idx(d)
        j = self._cum[i] - (self._work[i] if forward else 1)
        if j < 0:
            raise self._missing(-1)
        if j >= self._nwork:
            raise self._missing(self._n)
        return self._out(i, self._wdates[j])

    def working_days(self, start: DateLike, end: DateLike) -> list[date]:
        """The working days from *start* to *end*, both included, in order."""
        i, k = self._scalar_idx(start), self._scalar_idx(end)
        lo = self._cum[i] - self._work[i]
        days = self._wdates[lo : self._cum[k]]
        if self.provisional and k >= self._n_official:
            return [self._out(i, x) for x in days]
        return days

    # ----------------------------------------------------------- what a day is

    def day(self, d: DateLike) -> DayInfo:
        """Everything the calendar knows of *d* — kind, holiday, swap, adjustment."""
        i = self._scalar_idx(d)
        return DayInfo(
            date=date.fromordinal(self._first + i),
            kind=self._kinds[i],
            holiday=self._holiday_of.get(i),
            swaps_with=self._swaps.get(i),
            adjustment=self._adjusted.get(i),
            provisional=i >= self._n_official,
        )

    def adjusted_days(self, a: DateLike, b: DateLike) -> list[DayInfo]:
        """The days after *a* up to and including *b* that a local adjustment concerns.

        The days :meth:`working_days_between` counts over (either order), for
        showing who moved a deadline: those whose adjustment this calendar
        counts and those it only notes (a hall day on a statutory calendar) —
        ``info.adjustment.counts_in(calendar.view)`` tells them apart.
        """
        i, k = sorted((self._scalar_idx(a), self._scalar_idx(b)))
        return [
            self.day(date.fromordinal(self._first + j))
            for j in sorted(self._adjusted)
            if i < j <= k
        ]

    @overload
    def is_provisional(self, d: DateLike) -> bool: ...
    @overload
    def is_provisional(self, d: DateArray) -> BoolArray: ...
    @overload
    def is_provisional(self, d: Any) -> Any: ...
    def is_provisional(self, d: Any) -> Any:
        """Whether the calendar's answer for *d* rests on estimated data."""
        if is_array(d):
            idx, missing, wrap = self._array(d)
            return wrap(fill_missing(idx >= self._n_official, missing))
        return self._scalar_idx(d) >= self._n_official

    def holidays(self, year: int) -> tuple[Holiday, ...]:
        """The holiday blocks of *year*, in date order (estimated ones if provisional)."""
        for y in (*self._years, *self._estimates):
            if y.year == year and year <= self._last_year:
                return y.holidays
        raise CalendarDataMissing(year, self._coverage)

    def special_days(self, year: int) -> list[DayInfo]:
        """Every day of *year* that is not an ordinary weekday or weekend, in order.

        That is the days off of the holiday blocks that are not ordinary
        weekends, the make-up working days, and local adjustments (hall days
        too, which a statutory calendar does not count): the list a person
        reads to plan the year.
        """
        start = date(year, 1, 1).toordinal() - self._first
        end = date(year, 12, 31).toordinal() - self._first
        if start < 0 or end >= self._n:
            raise CalendarDataMissing(year, self._coverage)
        return [
            self.day(date.fromordinal(self._first + i))
            for i in range(start, end + 1)
            if self._kinds[i] not in (DayKind.WORKING_DAY, DayKind.WEEKEND) or i in self._adjusted
        ]
