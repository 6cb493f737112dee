"""Opening hours and limits counted in working hours (immediate matters)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govservice import CalendarError
from govservice.calendars import OpeningHours, Schedule, Session, WorkingDayCalendar, WorkingHours


@pytest.fixture(scope="module")
def hours(cal: WorkingDayCalendar) -> WorkingHours:
    return WorkingHours(cal, OpeningHours.default())  # 09:00–12:00, 13:30–17:30


class TestOpeningHours:
    def test_lunch_break_is_not_counted(self, hours: WorkingHours) -> None:
        t = hours.add_working_hours("2026-06-01T11:30:00+08:00", 1)
        assert t.isoformat() == "2026-06-01T14:00:00+08:00"

    def test_limit_ending_at_closing_ends_at_closing(self, hours: WorkingHours) -> None:
        t = hours.add_working_hours("2026-06-01T16:30:00+08:00", 1)
        assert t.isoformat() == "2026-06-01T17:30:00+08:00"

    def test_skips_holiday_and_counts_makeup_saturday(self, hours: WorkingHours) -> None:
        # 2026-02-13 (Fri) 17:00 + 1h: 0.5h on Friday, then Saturday 14 Feb is a make-up working day
        t = hours.add_working_hours("2026-02-13T17:00:00+08:00", 1)
        assert t.isoformat() == "2026-02-14T09:30:00+08:00"
        # 2026-02-14 17:30 + 1h: the Spring Festival break runs to 23 Feb
        t = hours.add_working_hours("2026-02-14T17:30:00+08:00", 1)
        assert t.isoformat() == "2026-02-24T10:00:00+08:00"

    def test_before_opening_starts_at_opening(self, hours: WorkingHours) -> None:
        t = hours.add_working_hours("2026-06-01T07:00:00+08:00", timedelta(minutes=30))
        assert t.isoformat() == "2026-06-01T09:30:00+08:00"

    def test_utc_input(self, hours: WorkingHours) -> None:
        # 01:00Z is 09:00 in Shanghai
        t = hours.add_working_hours("2026-06-01T01:00:00+00:00", 2)
        assert t.isoformat() == "2026-06-01T11:00:00+08:00"

    def test_between(self, hours: WorkingHours) -> None:
        a, b = "2026-06-01T11:00:00+08:00", "2026-06-02T10:00:00+08:00"
        assert hours.working_hours_between(a, b) == pytest.approx(1 + 4 + 1)
        assert hours.working_hours_between(b, a) == pytest.approx(-6)

    def test_is_open(self, hours: WorkingHours) -> None:
        assert hours.is_open("2026-06-01T09:00:00+08:00")
        assert not hours.is_open("2026-06-01T12:30:00+08:00")
        assert not hours.is_open("2026-06-06T10:00:00+08:00")  # Saturday
        assert hours.is_open("2026-02-14T10:00:00+08:00")  # make-up Saturday

    def test_refusals(self, hours: WorkingHours) -> None:
        with pytest.raises(CalendarError, match="no UTC offset"):
            hours.add_working_hours("2026-06-01T09:00:00", 1)
        with pytest.raises(CalendarError, match="negative"):
            hours.add_working_hours("2026-06-01T09:00:00+08:00", -1)

    def test_seasonal(self, cal: WorkingDayCalendar) -> None:
        oh = OpeningHours.seasonal(
            summer=[("09:00", "12:00"), ("14:30", "17:30")],
            winter=[("09:00", "12:00"), ("13:30", "17:00")],
        )
        assert [str(s) for s in oh.sessions_on(date(2026, 5, 1))] == ["09:00–12:00", "14:30–17:30"]
        assert [str(s) for s in oh.sessions_on(date(2026, 10, 8))] == ["09:00–12:00", "13:30–17:00"]
        wh = WorkingHours(cal, oh)
        assert wh.add_working_hours("2026-07-01T11:00:00+08:00", 2).isoformat() == (
            "2026-07-01T15:30:00+08:00"
        )
        assert wh.add_working_hours("2026-12-01T11:00:00+08:00", 2).isoformat() == (
            "2026-12-01T14:30:00+08:00"
        )

    def test_season_over_new_year(self) -> None:
        winter = Schedule("winter", (("09:00", "16:00"),), start="11-15", end="02-15")
        assert winter.applies_to(date(2026, 1, 10)) and winter.applies_to(date(2026, 12, 1))
        assert not winter.applies_to(date(2026, 6, 1))

    def test_bad_sessions(self) -> None:
        with pytest.raises(CalendarError, match="'end' must be after 'start'"):
            Session("12:00", "09:00")
        with pytest.raises(CalendarError, match="overlap"):
            Schedule("x", (("09:00", "12:00"), ("11:00", "13:00")))
        with pytest.raises(CalendarError, match="HH:MM"):
            Session("nine", "12:00")
        with pytest.raises(CalendarError, match="MM-DD"):
            Schedule("x", (("09:00", "12:00"),), start="13-01")


@given(
    start=st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2026, 10, 1)),
    minutes=st.integers(0, 60 * 40),
)
def test_between_inverts_add(hours: WorkingHours, start: datetime, minutes: int) -> None:
    t0 = start.replace(tzinfo=hours.calendar.timezone)
    t1 = hours.add_working_hours(t0, timedelta(minutes=minutes))
    assert t1 >= t0
    assert hours.working_hours_between(t0, t1) == pytest.approx(minutes / 60)
