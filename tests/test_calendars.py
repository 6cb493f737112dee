"""The national working-day calendar: kinds of days, counting, time zones, data years.

Facts are read from the State Council's notices (国务院办公厅关于…部分节假日安排的通知);
the counting rule is 行政许可法 Art. 82 and the general rule that the start day is not counted.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from govservice import CalendarDataMissing, CalendarError, DataFileError
from govservice.calendars import (
    AdjustmentKind,
    CalendarAdjustment,
    DayKind,
    ProvisionalDate,
    WorkingDayCalendar,
    china,
)
from strategies import counts, dates


class TestKindsOfDays:
    """The kind of a date, its holiday and its swap, per the yearly notice."""

    def test_makeup_saturday(self, cal: WorkingDayCalendar) -> None:
        """2026 notice: 2月14日（周六）上班 for Spring Festival, paired with a swapped day."""
        info = cal.day(date(2026, 2, 14))
        assert info.kind is DayKind.MAKEUP_WORKING_DAY
        assert info.working and info.weekend_turned_working_day
        assert info.holiday is not None and info.holiday.festivals == ("spring_festival",)
        assert info.swaps_with == date(2026, 2, 20)
        assert cal.day(date(2026, 2, 20)).kind is DayKind.SWAPPED_REST_DAY
        assert cal.day(date(2026, 2, 20)).swaps_with == date(2026, 2, 14)

    def test_statutory_days_2025_law(self, cal: WorkingDayCalendar) -> None:
        """全国年节及纪念日放假办法 (2024 rev., in force 2025): 除夕 is statutory, 4 Spring days."""
        spring = next(h for h in cal.holidays(2025) if "spring_festival" in h.festivals)
        assert spring.statutory == (
            date(2025, 1, 28),
            date(2025, 1, 29),
            date(2025, 1, 30),
            date(2025, 1, 31),
        )
        assert cal.day(date(2025, 1, 28)).kind is DayKind.STATUTORY_HOLIDAY
        labour = next(h for h in cal.holidays(2025) if "labour_day" in h.festivals)
        assert labour.statutory == (date(2025, 5, 1), date(2025, 5, 2))

    def test_substitute_for_statutory_day_on_weekend(self, cal: WorkingDayCalendar) -> None:
        """2026 National Day: 10月3日 is a Saturday, so a weekday is given in its place (补休)."""
        assert cal.day(date(2026, 10, 3)).kind is DayKind.STATUTORY_HOLIDAY
        sub = [
            d
            for d in cal.special_days(2026)
            if d.kind is DayKind.SUBSTITUTE_REST_DAY
            and d.holiday is not None
            and "national_day" in d.holiday.festivals
        ]
        assert [d.swaps_with for d in sub] == [date(2026, 10, 3)]

    def test_ordinary_days(self, cal: WorkingDayCalendar) -> None:
        assert cal.day(date(2026, 3, 10)).kind is DayKind.WORKING_DAY
        assert cal.day(date(2026, 3, 14)).kind is DayKind.WEEKEND
        assert cal.day(date(2026, 3, 14)).holiday is None

    def test_2020_spring_festival_extension(self, cal: WorkingDayCalendar) -> None:
        """国办发明电〔2020〕1号 extended the 2020 Spring Festival holiday to 2 February."""
        assert cal.day(date(2020, 1, 31)).kind is DayKind.SPECIAL_REST_DAY
        assert not cal.is_working_day(date(2020, 2, 1))
        assert not cal.is_working_day(date(2020, 2, 2))
        assert cal.is_working_day(date(2020, 2, 3))

    def test_every_year_cites_its_notice(self, cal: WorkingDayCalendar) -> None:
        assert cal.coverage == (2004, 2026)
        for y in cal.years:
            assert y.notice is not None
            assert str(y.year) in y.notice.title and "节假日安排" in y.notice.title


class TestCounting:
    """N working days from D end on the N-th working day after D; D is never counted."""

    def test_start_day_not_counted(self, cal: WorkingDayCalendar) -> None:
        assert cal.add_working_days(date(2026, 3, 9), 1) == date(2026, 3, 10)
        # from a Friday: the weekend does not count
        assert cal.add_working_days(date(2026, 3, 13), 1) == date(2026, 3, 16)
        # from a day off: the first working day after it is day 1
        assert cal.add_working_days(date(2026, 10, 1), 1) == date(2026, 10, 8)

    def test_across_national_day_and_makeup_saturday(self, cal: WorkingDayCalendar) -> None:
        """2026: 10月1日至7日放假, 9月20日（周日）、10月10日（周六）上班."""
        assert cal.add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 8)
        assert cal.add_working_days(date(2026, 9, 30), 3) == date(2026, 10, 10)  # make-up Saturday
        assert cal.add_working_days(date(2026, 9, 30), 4) == date(2026, 10, 12)
        assert cal.working_days_between(date(2026, 9, 30), date(2026, 10, 12)) == 4

    def test_across_spring_festival(self, cal: WorkingDayCalendar) -> None:
        """2026: 2月15日至23日放假; 2月14日、28日（周六）上班. 20 working days from 2月10日."""
        expected = []
        d = date(2026, 2, 10)
        while len(expected) < 20:
            d += timedelta(days=1)
            if (d.weekday() < 5 and not date(2026, 2, 15) <= d <= date(2026, 2, 23)) or d in (
                date(2026, 2, 14),
                date(2026, 2, 28),
            ):
                expected.append(d)
        assert cal.add_working_days(date(2026, 2, 10), 20) == expected[-1]

    def test_negative(self, cal: WorkingDayCalendar) -> None:
        assert cal.add_working_days(date(2026, 10, 8), -1) == date(2026, 9, 30)
        assert cal.add_working_days(date(2026, 10, 4), -1) == date(2026, 9, 30)
        assert cal.working_days_between(date(2026, 10, 8), date(2026, 9, 30)) == -1

    def test_zero(self, cal: WorkingDayCalendar) -> None:
        assert cal.add_working_days(date(2026, 10, 3), 0) == date(2026, 10, 3)

    def test_next_and_previous(self, cal: WorkingDayCalendar) -> None:
        assert cal.next_working_day(date(2026, 10, 1)) == date(2026, 10, 8)
        assert cal.next_working_day(date(2026, 10, 8)) == date(2026, 10, 8)
        assert cal.previous_working_day(date(2026, 10, 7)) == date(2026, 9, 30)

    def test_working_days_range(self, cal: WorkingDayCalendar) -> None:
        days = cal.working_days(date(2026, 9, 28), date(2026, 10, 10))
        assert days == [
            date(2026, 9, 28),
            date(2026, 9, 29),
            date(2026, 9, 30),
            date(2026, 10, 8),
            date(2026, 10, 9),
            date(2026, 10, 10),
        ]


class TestInstants:
    """Aware datetimes count on the calendar's local date; naive ones are refused."""

    def test_utc_evening_is_next_day_in_shanghai(self, cal: WorkingDayCalendar) -> None:
        # 2024-10-07 is the last day of National Day; 17:00Z is 01:00 on the 8th in Shanghai
        t = datetime(2024, 10, 7, 17, 0, tzinfo=UTC)
        assert not cal.is_working_day(date(2024, 10, 7))
        assert cal.is_working_day(t)
        assert cal.is_working_day("2024-10-07T17:00:00Z")
        assert cal.is_working_day("2024-10-07T17:00:00+00:00")

    def test_event_on_30_september_utc_is_1_october(self, cal: WorkingDayCalendar) -> None:
        assert cal.day("2026-09-30T18:30:00+00:00").date == date(2026, 10, 1)

    def test_naive_datetime_refused(self, cal: WorkingDayCalendar) -> None:
        with pytest.raises(CalendarError, match="naive"):
            cal.is_working_day(datetime(2026, 10, 8, 9, 0))

    def test_string_without_offset_refused(self, cal: WorkingDayCalendar) -> None:
        with pytest.raises(CalendarError, match="no UTC offset"):
            cal.add_working_days("2026-10-08T09:00:00", 1)

    def test_garbage_refused(self, cal: WorkingDayCalendar) -> None:
        with pytest.raises(CalendarError, match="not an ISO date"):
            cal.is_working_day("2026-13-45")
        with pytest.raises(CalendarError):
            cal.is_working_day(20261008)  # type: ignore[call-overload]

    def test_other_timezone(self) -> None:
        urumqi = china(timezone="Asia/Urumqi")  # UTC+6
        t = datetime(2024, 10, 7, 17, 0, tzinfo=UTC)
        assert urumqi.day(t).date == date(2024, 10, 7)


class TestDataYears:
    """Years without official data raise unless a provisional answer is asked for."""

    def test_2027_raises_naming_the_year(self, cal: WorkingDayCalendar) -> None:
        with pytest.raises(CalendarDataMissing, match="2027") as e:
            cal.is_working_day(date(2027, 3, 1))
        assert e.value.year == 2027 and e.value.coverage == (2004, 2026)
        with pytest.raises(CalendarDataMissing, match="2027"):
            cal.add_working_days(date(2026, 12, 20), 30)
        with pytest.raises(CalendarDataMissing, match="2003"):
            cal.add_working_days(date(2004, 1, 5), -10)

    def test_provisional_answer_is_marked(self) -> None:
        prov = china(provisional=True)
        assert prov.coverage == (2004, 2026) and prov.provisional
        result = prov.add_working_days(date(2026, 12, 30), 3)
        assert isinstance(result, ProvisionalDate) and result.provisional
        # 2027-01-01 (a Friday) is New Year's Day under the law: skipped even in the estimate
        assert result == date(2027, 1, 5)  # 12-31, (1-1 off, weekend), 1-4, 1-5
        assert prov.day(date(2027, 1, 1)).kind is DayKind.STATUTORY_HOLIDAY
        assert prov.day(date(2027, 1, 1)).provisional
        assert not prov.day(date(2026, 1, 5)).provisional
        # inside the coverage nothing is marked
        inside = prov.add_working_days(date(2026, 3, 2), 3)
        assert type(inside) is date

    def test_add_announced_year_from_toml(self, cal: WorkingDayCalendar, tmp_path) -> None:
        f = tmp_path / "2027.toml"
        f.write_text(
            '[[year]]\nyear = 2027\nnotice = "国务院办公厅关于2027年部分节假日安排的通知"\n'
            '[[year.holiday]]\nfestivals = ["new_year"]\nname = "元旦"\n'
            "off = [2027-01-01, 2027-01-03]\nstatutory = [2027-01-01]\nmakeup = []\n",
            encoding="utf-8",
        )
        cal2 = cal.with_years(f)
        assert cal2.coverage == (2004, 2027)
        assert cal2.add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)
        assert cal.coverage == (2004, 2026)  # the original is unchanged

    def test_year_file_with_a_gap(self, cal: WorkingDayCalendar, tmp_path) -> None:
        f = tmp_path / "2028.toml"
        f.write_text('[[year]]\nyear = 2028\nnotice = "x"\nholiday = []\n', encoding="utf-8")
        with pytest.raises(DataFileError, match=r"2028\.toml.*2027 is missing"):
            cal.with_years(f)


class TestAdjustments:
    """Local closures and working days layer over the national calendar."""

    def test_closure_and_weekend_service_day(self, cal: WorkingDayCalendar) -> None:
        local = cal.with_adjustments(
            [
                CalendarAdjustment(date(2026, 4, 20), False, "壮族三月三", kind="lawful_local_day"),
                CalendarAdjustment(
                    date(2026, 3, 14),
                    True,
                    "周末延时服务日",
                    kind="hall_day",
                    counts_for_promised=True,
                ),
            ]
        )
        assert not local.is_working_day(date(2026, 4, 20))
        assert local.day(date(2026, 4, 20)).kind is DayKind.LOCAL_CLOSURE
        assert local.hall.day(date(2026, 3, 14)).weekend_turned_working_day
        assert local.add_working_days(date(2026, 4, 17), 1) == date(2026, 4, 21)
        assert cal.add_working_days(date(2026, 4, 17), 1) == date(2026, 4, 20)


class TestAdjustmentKinds:
    """Statutory working days are national (LAW.md): a hall day never moves a statutory limit.

    行政许可法 Art. 82 counts working days, statutory holidays excluded; a county's Saturday of
    service (周末延时服务日) changes the hall's hours, not the law's working days.  Only a rest
    day set by law for the locality (an autonomous area's festival) changes a statutory count.
    """

    SATURDAY = date(2026, 3, 7)

    def hall_day(self, counts_for_promised: bool) -> CalendarAdjustment:
        return CalendarAdjustment(
            self.SATURDAY,
            True,
            "周末延时服务日",
            kind=AdjustmentKind.HALL_DAY,
            counts_for_promised=counts_for_promised,
        )

    def test_statutory_twenty_days_ignore_a_hall_saturday(self, cal: WorkingDayCalendar) -> None:
        """From Fri 13 Feb 2026, 20 working days by hand on the 2026 notice (国办发明电〔2025〕7号).

        Spring Festival: 15–23 Feb off, Sat 14 and Sat 28 Feb worked.  Counting: 14 Feb (1),
        24, 25, 26, 27 Feb (5), 28 Feb (6), 2–6 Mar (11), 9–13 Mar (16), 16, 17, 18 (19),
        19 Mar (20).  With the Saturday 7 March counted it would end a day early, on 18 March.
        """
        local = cal.with_adjustments([self.hall_day(True)])
        assert local.add_working_days(date(2026, 2, 13), 20) == date(2026, 3, 19)
        assert local.promised.add_working_days(date(2026, 2, 13), 20) == date(2026, 3, 18)
        assert local.hall.add_working_days(date(2026, 2, 13), 20) == date(2026, 3, 18)
        assert not local.is_working_day(self.SATURDAY)
        assert local.hall.is_working_day(self.SATURDAY)

    def test_hall_day_not_counted_for_promises_unless_said(self, cal: WorkingDayCalendar) -> None:
        local = cal.with_adjustments([self.hall_day(False)])
        assert local.promised.add_working_days(date(2026, 2, 13), 20) == date(2026, 3, 19)
        assert local.hall.add_working_days(date(2026, 2, 13), 20) == date(2026, 3, 18)

    def test_lawful_local_rest_day_moves_statutory_limits(self, cal: WorkingDayCalendar) -> None:
        """A lawful local rest day on Thu 5 Mar: the statutory 20th day moves to Fri 20 March."""
        rest = CalendarAdjustment(date(2026, 3, 5), False, "地方节日", kind="lawful_local_day")
        local = cal.with_adjustments([rest])
        for view in (local, local.promised, local.hall):
            assert view.add_working_days(date(2026, 2, 13), 20) == date(2026, 3, 20)
            assert view.day(date(2026, 3, 5)).kind is DayKind.LOCAL_CLOSURE

    def test_kind_and_label_on_the_day(self, cal: WorkingDayCalendar) -> None:
        local = cal.with_adjustments([self.hall_day(True)])
        info = local.day(self.SATURDAY)
        assert info.kind is DayKind.WEEKEND and not info.working
        assert info.adjustment is not None and info.adjustment.kind is AdjustmentKind.HALL_DAY
        assert info.adjustment_label == (
            "local hall day — 周末延时服务日, counted for promised limits only"
        )
        assert local.promised.day(self.SATURDAY).kind is DayKind.LOCAL_WORKING_DAY
        assert self.SATURDAY in [d.date for d in local.special_days(2026)]

    def test_views_share_one_cache(self, cal: WorkingDayCalendar) -> None:
        local = cal.with_adjustments([self.hall_day(True)])
        assert local.promised.statutory is local and local.hall.promised is local.promised
        assert (local.view, local.promised.view, local.hall.view) == (
            "statutory",
            "promised",
            "hall",
        )
        assert local.promised.with_adjustments([]).view == "promised"

    def test_kind_is_required_and_checked(self) -> None:
        with pytest.raises(TypeError, match="kind"):
            CalendarAdjustment(self.SATURDAY, True, "x")  # type: ignore[call-arg]
        with pytest.raises(CalendarError, match="unknown adjustment kind 'holiday'"):
            CalendarAdjustment(self.SATURDAY, True, "x", kind="holiday")
        with pytest.raises(CalendarError, match="hall days only"):
            CalendarAdjustment(
                self.SATURDAY, False, "x", kind="lawful_local_day", counts_for_promised=True
            )
        with pytest.raises(CalendarError, match="unknown calendar view"):
            WorkingDayCalendar(china().years, view="county")  # type: ignore[arg-type]


def _oracle_add(cal: WorkingDayCalendar, d: date, n: int) -> date:
    """Step one day at a time: the slow, obvious way."""
    step = 1 if n > 0 else -1
    left = abs(n)
    while left:
        d += timedelta(days=step)
        if cal.is_working_day(d):
            left -= 1
    return d


class TestProperties:
    """Calendar arithmetic properties over the whole coverage."""

    @given(d=dates, n=counts)
    def test_between_inverts_add(self, cal: WorkingDayCalendar, d: date, n: int) -> None:
        assert cal.working_days_between(d, cal.add_working_days(d, n)) == n

    @given(d=dates, n=counts)
    def test_add_matches_day_by_day_oracle(self, cal: WorkingDayCalendar, d: date, n: int) -> None:
        assert cal.add_working_days(d, n) == _oracle_add(cal, d, n)

    @given(d=dates, n=counts, m=counts)
    def test_monotonic(self, cal: WorkingDayCalendar, d: date, n: int, m: int) -> None:
        if n < m:
            assert cal.add_working_days(d, n) < cal.add_working_days(d, m)

    @given(d=dates, n=st.integers(1, 60))
    def test_round_trip(self, cal: WorkingDayCalendar, d: date, n: int) -> None:
        back = cal.add_working_days(cal.add_working_days(d, n), -n)
        assert back == cal.previous_working_day(d)

    @given(a=dates, b=dates)
    def test_between_counts_working_days(self, cal: WorkingDayCalendar, a: date, b: date) -> None:
        lo, hi = min(a, b), max(a, b)
        if (hi - lo).days > 120:
            hi = lo + timedelta(days=120)
            b = hi if b >= a else lo
            a = lo if b == hi else hi
        if b >= a:
            expected = sum(cal.is_working_day(a + timedelta(k)) for k in range(1, (b - a).days + 1))
        else:
            expected = -sum(cal.is_working_day(b + timedelta(k)) for k in range((a - b).days))
        assert cal.working_days_between(a, b) == expected

    @given(d=dates)
    def test_next_working_day(self, cal: WorkingDayCalendar, d: date) -> None:
        nxt = cal.next_working_day(d)
        assert cal.is_working_day(nxt) and nxt >= d
        assert not any(cal.is_working_day(d + timedelta(k)) for k in range((nxt - d).days))

    @given(
        ds=st.lists(dates, min_size=1, max_size=50), ns=st.lists(counts, min_size=50, max_size=50)
    )
    def test_batch_equals_scalar(
        self, cal: WorkingDayCalendar, ds: list[date], ns: list[int]
    ) -> None:
        arr = np.array(ds, dtype="datetime64[D]")
        n = np.array(ns[: len(ds)], dtype=np.int64)
        added = cal.add_working_days(arr, n)
        assert [x.astype(object) for x in added] == [
            cal.add_working_days(d, k) for d, k in zip(ds, n.tolist(), strict=True)
        ]
        assert cal.is_working_day(arr).tolist() == [cal.is_working_day(d) for d in ds]
        assert cal.working_days_between(arr, added).tolist() == n.tolist()
        assert [x.astype(object) for x in cal.next_working_day(arr)] == [
            cal.next_working_day(d) for d in ds
        ]
        assert [x.astype(object) for x in cal.previous_working_day(arr)] == [
            cal.previous_working_day(d) for d in ds
        ]


class TestBatch:
    """Batch forms refuse what the scalar forms refuse."""

    def test_out_of_coverage(self, cal: WorkingDayCalendar) -> None:
        arr = np.array(["2026-12-30", "2026-06-01"], dtype="datetime64[D]")
        with pytest.raises(CalendarDataMissing, match="2027"):
            cal.add_working_days(arr, 5)
        with pytest.raises(CalendarDataMissing, match="2027"):
            cal.is_working_day(arr + 10)

    def test_naive_instants_refused(self, cal: WorkingDayCalendar) -> None:
        with pytest.raises(CalendarError, match="datetime64"):
            cal.is_working_day(np.array(["2026-06-01T10:00"], dtype="datetime64[m]"))

    def test_scalar_date_with_array_of_n(self, cal: WorkingDayCalendar) -> None:
        out = cal.add_working_days(np.datetime64("2026-09-30"), np.array([1, 3]))
        assert out.tolist() == [date(2026, 10, 8), date(2026, 10, 10)]


class TestScalarTypes:
    """Counts must be integers; NumPy scalars work like Python ones."""

    def test_float_count_refused(self, cal: WorkingDayCalendar) -> None:
        with pytest.raises(CalendarError, match="integer"):
            cal.add_working_days(date(2026, 9, 30), 2.7)  # type: ignore[call-overload]
        with pytest.raises(CalendarError, match="integers"):
            cal.add_working_days(np.array(["2026-09-30"], dtype="datetime64[D]"), np.array([1.5]))

    def test_numpy_scalars(self, cal: WorkingDayCalendar) -> None:
        assert cal.add_working_days(date(2026, 9, 30), np.int64(1)) == date(2026, 10, 8)
        assert cal.add_working_days(np.datetime64("2026-09-30"), 1) == np.datetime64("2026-10-08")

    def test_provisional_batch_results_can_be_told(self) -> None:
        prov = china(provisional=True)
        out = prov.add_working_days(
            np.array(["2026-06-01", "2026-12-20"], dtype="datetime64[D]"), 20
        )
        assert prov.is_provisional(out).tolist() == [False, True]


class TestArrayForms:
    """pandas Series and DatetimeIndex, lists and datetime64 of any unit; NaT passes through.

    Every answer is checked against the scalar form's answer for the same day.
    """

    def test_series_keeps_its_index_and_name(self, cal: WorkingDayCalendar) -> None:
        pd = pytest.importorskip("pandas")
        s = pd.Series(
            pd.to_datetime(["2026-09-30", None, "2026-10-10"]), index=["A", "B", "C"], name="d"
        )
        out = cal.add_working_days(s, 3)
        assert isinstance(out, pd.Series) and list(out.index) == ["A", "B", "C"]
        assert out.name == "d" and out.dtype.kind == "M"
        assert out["A"].date() == cal.add_working_days(date(2026, 9, 30), 3)
        assert out["C"].date() == cal.add_working_days(date(2026, 10, 10), 3)
        assert pd.isna(out["B"])
        working = cal.is_working_day(s)
        assert working.to_dict() == {"A": True, "B": False, "C": True}
        counts = cal.working_days_between(s, date(2026, 10, 12))
        assert counts.dtype == np.float64 and np.isnan(counts["B"])
        assert counts["A"] == cal.working_days_between(date(2026, 9, 30), date(2026, 10, 12))
        without_nat = cal.working_days_between(s.dropna(), "2026-10-12")
        assert without_nat.dtype == np.int64 and list(without_nat.index) == ["A", "C"]

    def test_datetime_index_and_series_arithmetic(self, cal: WorkingDayCalendar) -> None:
        pd = pytest.importorskip("pandas")
        idx = pd.date_range("2026-09-28", "2026-10-12", freq="D")
        nxt = cal.next_working_day(idx)
        assert isinstance(nxt, pd.DatetimeIndex)
        assert [d.date() for d in nxt] == [cal.next_working_day(d.date()) for d in idx]
        prev = cal.previous_working_day(idx)
        assert [d.date() for d in prev] == [cal.previous_working_day(d.date()) for d in idx]
        assert list(cal.is_working_day(idx)) == [cal.is_working_day(d.date()) for d in idx]
        df = pd.DataFrame({"received": idx, "limit": range(len(idx))})
        due = cal.add_working_days(df["received"], df["limit"])
        assert [d.date() for d in due] == [
            cal.add_working_days(r.date(), n) for r, n in zip(idx, range(len(idx)), strict=True)
        ]

    def test_aware_series_counts_on_the_local_date(self, cal: WorkingDayCalendar) -> None:
        pd = pytest.importorskip("pandas")
        utc = pd.Series(pd.to_datetime(["2024-10-07T17:00:00Z", "2024-10-07T15:00:00Z"]))
        # 01:00 on 8 Oct in Shanghai, a working day; 23:00 on 7 Oct, a holiday
        assert cal.is_working_day(utc).tolist() == [True, False]

    def test_naive_times_of_day_refused(self, cal: WorkingDayCalendar) -> None:
        pd = pytest.importorskip("pandas")
        with pytest.raises(CalendarError, match="without a time zone"):
            cal.is_working_day(pd.Series(pd.to_datetime(["2026-10-10 09:30"])))

    @pytest.mark.parametrize("unit", ["D", "s", "ms", "ns", "M"])
    def test_datetime64_of_any_unit(self, cal: WorkingDayCalendar, unit: str) -> None:
        days = np.array(["2026-10-01", "NaT", "2026-02-01"], dtype="datetime64[D]").astype(
            f"datetime64[{unit}]"
        )
        out = cal.add_working_days(days, 1)
        assert out.dtype == np.dtype("datetime64[D]")
        assert np.isnat(out[1])
        assert out[0] == np.datetime64(cal.add_working_days(date(2026, 10, 1), 1))
        assert cal.is_working_day(days).tolist() == [False, False, False]

    def test_lists(self, cal: WorkingDayCalendar) -> None:
        days = [date(2026, 9, 30), None, "2026-10-10", "2024-10-07T17:00:00+00:00"]
        out = cal.add_working_days(days, 1)
        assert isinstance(out, np.ndarray)
        assert out.tolist() == [date(2026, 10, 8), None, date(2026, 10, 12), date(2024, 10, 9)]
        with pytest.raises(CalendarError, match="got int"):
            cal.is_working_day([1, 2])

    def test_out_of_coverage_names_the_year(self, cal: WorkingDayCalendar) -> None:
        pd = pytest.importorskip("pandas")
        with pytest.raises(CalendarDataMissing, match="for 2030: this calendar covers 2004–2026"):
            cal.is_working_day(pd.Series(pd.to_datetime(["2026-01-05", "2030-01-07", None])))

    @given(st.lists(st.one_of(st.none(), dates), min_size=1, max_size=30), counts)
    def test_series_agree_with_scalars(self, days: list[date | None], n: int) -> None:
        pd = pytest.importorskip("pandas")
        cal = china()
        s = pd.Series(pd.to_datetime(days))
        try:
            expected = [None if d is None else cal.add_working_days(d, n) for d in days]
        except CalendarDataMissing:
            with pytest.raises(CalendarDataMissing):
                cal.add_working_days(s, n)
            return
        out = cal.add_working_days(s, n)
        assert [None if pd.isna(x) else x.date() for x in out] == expected

    def test_pandas_is_imported_only_when_given(self) -> None:
        import subprocess
        import sys

        code = (
            "import sys, numpy as np\n"
            "from govservice.calendars import china\n"
            "cal = china()\n"
            "cal.add_working_days(np.array(['2026-09-30'], dtype='datetime64[ns]'), 1)\n"
            "cal.is_working_day(['2026-09-30', None])\n"
            "print('pandas' in sys.modules)\n"
        )
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        assert out.stdout.strip() == "False"
