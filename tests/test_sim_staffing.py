"""govservice.sim: counters open by hour (``Staffing``), shifts and dates of named staff."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest

from govservice.calendars import china
from govservice.exceptions import DataFileError
from govservice.sim import (
    CustomerClass,
    DailyProfile,
    Exponential,
    Hall,
    Lognormal,
    Poisson,
    Scenario,
    ScenarioError,
    SimulationResult,
    Staffing,
    StaffMember,
    Station,
    load_scenario,
    replicate,
    simulate,
)

HALL = Hall(china(), start=date(2026, 3, 2), days=5, last_ticket=15)  # Monday to Friday
PROFILE = DailyProfile(120, hourly={9: 3, 10: 3, 11: 2, 13: 1, 14: 2, 15: 2, 16: 1})
CLOSES = (12 * 60, 17 * 60 + 30)  # the default sessions close at 12:00 and 17:30


def overtime(v: np.ndarray) -> np.ndarray:
    """Visits starting after their session closed: the staff serve those holding tickets."""
    session = (v["arrival"] % 1440 >= 13 * 60).astype(int)
    return v["start"] % 1440 >= np.array(CLOSES)[session]


def visits(r: SimulationResult) -> np.ndarray:
    assert r.visits is not None
    return r.visits


def local(r: SimulationResult, t: np.ndarray) -> tuple[list[date], np.ndarray]:
    """The dates and the hours of times in minutes since the first day."""
    assert r.first_day is not None
    days = [r.first_day + timedelta(days=int(d)) for d in (t // 1440)]
    return days, (t % 1440 // 60).astype(int)


def windows(staffing: Staffing | None = None, servers: int = 3) -> Scenario:
    return Scenario(
        stations=[Station("w", servers, service=Lognormal(8.0, 4.0), staffing=staffing)],
        classes=[CustomerClass("walk-in", PROFILE, route="w")],
        hall=HALL,
    )


class TestHourlyStaffing:
    plan = Staffing(
        {9: 4, 10: 5, 11: 4, 13: 2, 14: 4, 15: 4, 16: 3, 17: 2},
        weekdays={0: {9: 6, 10: 6}},
        dates={date(2026, 3, 4): {14: 1, 15: 1}},
    )

    def test_no_service_starts_on_a_closed_counter(self) -> None:
        """Counter *j* starts a customer in hour *h* only if more than *j* are open then.

        After closing, the counters open at closing serve those still holding tickets.
        """
        r = simulate(windows(self.plan), seed=1, records=True)
        v = visits(r)
        v = v[~overtime(v)]
        days, hours = local(r, v["start"])
        for day, hour, k in zip(days, hours, v["server"], strict=True):
            assert -1 - int(k) < self.plan.counters(day, int(hour), 3)

    def test_a_closing_counter_finishes_its_customer(self) -> None:
        """On 4 March two counters close at 14:00: services running then end after it."""
        r = simulate(windows(self.plan), seed=1, records=True)
        v = visits(r)
        two = 2 * 1440 + 14 * 60  # 4 March, 14:00
        across = (v["start"] < two) & (v["end"] > two) & (v["server"] < -1)
        assert across.any()
        after = (v["start"] >= two) & (v["start"] < two + 120)
        assert np.all(v["server"][after] == -1)

    def test_as_good_as_servers(self) -> None:
        """A staffing that says 3 in every hour is 3 servers, visit for visit."""
        every = Staffing(dict.fromkeys(range(24), 3))
        a = visits(simulate(windows(None), seed=4, records=True))
        b = visits(simulate(windows(every), seed=4, records=True))
        assert np.array_equal(a, b)

    def test_more_counters_shorter_waits(self) -> None:
        """Monday's extra counters at 9 and 10 shorten Monday morning's waits."""
        base = Staffing({9: 3, 10: 3, 11: 3, 13: 3, 14: 3, 15: 3, 16: 3, 17: 3})
        more = Staffing(dict(base.hourly), weekdays={0: {9: 5, 10: 5}})
        a = simulate(windows(base), seed=2, records=True)
        b = simulate(windows(more), seed=2, records=True)
        wa, wb = visits(a), visits(b)
        monday_morning = (wa["arrival"] < 12 * 60) & (wa["arrival"] >= 9 * 60)
        assert np.array_equal(wa["arrival"], wb["arrival"])
        wait_a = (wa["start"] - wa["arrival"])[monday_morning].mean()
        wait_b = (wb["start"] - wb["arrival"])[monday_morning].mean()
        assert wait_b < 0.5 * wait_a
        later = wa["arrival"] >= 1440  # from Tuesday the two runs are the same
        assert np.array_equal(wa[later], wb[later])

    def test_utilisation_over_the_hours_staffed(self) -> None:
        """Utilisation is busy time over the counter-minutes staffed, hour by hour."""
        r = simulate(windows(self.plan), seed=3, records=True)
        v = visits(r)
        staffed = 0.0
        for day in range(5):
            d = HALL.start + timedelta(days=day)
            for hour, minutes in ((9, 60), (10, 60), (11, 60), (13, 30), (14, 60), (15, 60)):
                staffed += self.plan.counters(d, hour, 3) * minutes
            staffed += self.plan.counters(d, 16, 3) * 60 + self.plan.counters(d, 17, 3) * 30
        busy = float((v["end"] - v["start"]).sum())
        assert r.summary.stations["w"].utilisation == pytest.approx(busy / staffed)

    def test_back_after_a_closed_hour(self) -> None:
        """Counters that close at 11:00 open again at 14:00 and serve the afternoon."""
        plan = Staffing({9: 4, 10: 4, 11: 1, 13: 1, 14: 4, 15: 1, 16: 1, 17: 1})
        r = simulate(windows(plan), seed=6, records=True)
        v = visits(r)
        v = v[~overtime(v)]
        _, hours = local(r, v["start"])
        afternoon = hours == 14
        assert set(v["server"][afternoon].tolist()) == {-1, -2, -3, -4}

    def test_every_open_hour_needs_a_counter(self) -> None:
        with pytest.raises(ScenarioError, match=r"no counter open on 2026-03-02 at 10:00"):
            simulate(windows(Staffing({10: 0})), seed=1)

    def test_needs_a_hall(self) -> None:
        with pytest.raises(ScenarioError, match="'staffing' by hour needs a hall"):
            Scenario(
                stations=[Station("w", service=Exponential(1.0), staffing=Staffing({9: 2}))],
                classes=[CustomerClass("a", Poisson(1.0), route="w")],
                horizon=10.0,
            )

    def test_bad_hours(self) -> None:
        with pytest.raises(ScenarioError, match="hour 24 is out of range"):
            Staffing({24: 1})
        with pytest.raises(ScenarioError, match="must be an integer from 0 to 10,000"):
            Staffing({9: -1})
        with pytest.raises(ScenarioError, match="weekday 7 is out of range"):
            Staffing(weekdays={7: {9: 1}})


class TestShifts:
    staff = (
        StaffMember("早班", "w", hours=("09:00", "13:00")),
        StaffMember("晚班", "w", hours=("13:00", "17:30")),
        StaffMember("全天", "w"),
        StaffMember("周三", "w", dates=(date(2026, 3, 4),), hours=("10:00", "16:00")),
    )

    def scenario(self) -> Scenario:
        return Scenario(
            stations=[Station("w", service=Lognormal(8.0, 4.0))],
            classes=[CustomerClass("walk-in", PROFILE, route="w")],
            staff=self.staff,
            hall=HALL,
        )

    def test_services_start_within_shifts(self) -> None:
        """A person starts customers only within the shift (or in overtime), on the dates worked."""
        r = simulate(self.scenario(), seed=5, records=True)
        v = visits(r)
        minute = v["start"] % 1440
        days, _ = local(r, v["start"])
        late = overtime(v)
        for m, day, k, after in zip(minute, days, v["server"], late, strict=True):
            member = self.staff[int(k)]
            if member.hours is not None and not after:
                lo = member.hours[0].hour * 60 + member.hours[0].minute
                hi = member.hours[1].hour * 60 + member.hours[1].minute
                assert lo <= m < hi
            if member.dates is not None:
                assert day in member.dates
        served = {int(k) for k in v["server"]}
        assert served == {0, 1, 2, 3}

    def test_rostered_time(self) -> None:
        """Each person's rostered time is the shift within the opening hours."""
        s = simulate(self.scenario(), seed=5).summary.staff
        assert s["早班"].rostered == pytest.approx(5 * 180)  # 09:00–12:00
        assert s["晚班"].rostered == pytest.approx(5 * 240)  # 13:30–17:30
        assert s["全天"].rostered == pytest.approx(5 * 420)
        assert s["周三"].rostered == pytest.approx(120 + 150)  # 10–12, 13:30–16

    def test_bad_shift(self) -> None:
        with pytest.raises(ScenarioError, match="must end after it starts"):
            StaffMember("甲", "w", hours=("15:00", "09:00"))


def test_utilisation_of_two_stations() -> None:
    """Each station's utilisation is its own load: λ / (c μ) = 0.5 at both of two stations."""
    sc = Scenario(
        stations=[
            Station("a", 2, service=Exponential(1.0), next="b"),
            Station("b", 2, service=Exponential(1.0)),
        ],
        classes=[CustomerClass("c", Poisson(1.0), route="a")],
        customers=10_000,
    )
    reps = replicate(sc, replications=10, seed=1)
    for name in ("a", "b"):
        _, lo, hi = reps.interval(f"stations.{name}.utilisation")
        assert lo < 0.5 < hi


def test_scenario_file(tmp_path: Path) -> None:
    """Staffing by hour, weekday and date, and shifts, from TOML."""
    f = tmp_path / "hall.toml"
    f.write_text(
        """
[hall]
start = 2026-03-02
days = 5

[[class]]
name = "walk-in"
route = "w"
walk_in = { per_day = 100 }

[[station]]
name = "w"
servers = 2
service = { lognormal = [8, 4] }
staffing = { hourly = { 9 = 3 }, weekdays = { 0 = { 9 = 5 } }, dates = { 2026-03-04 = { 10 = 4 } } }

[[station]]
name = "cashier"
service = { exponential = 1.5 }

[[staff]]
name = "李"
station = "cashier"
hours = ["09:00", "15:00"]
dates = [2026-03-02, 2026-03-03]

[[staff]]
name = "王"
station = "cashier"
""",
        encoding="utf-8",
    )
    sc = load_scenario(f, entrypoints=False)
    plan = sc.stations[0].staffing
    assert plan is not None
    assert plan.counters(date(2026, 3, 2), 9, 2) == 5
    assert plan.counters(date(2026, 3, 3), 9, 2) == 3
    assert plan.counters(date(2026, 3, 4), 10, 2) == 4
    assert plan.counters(date(2026, 3, 4), 11, 2) == 2
    li = sc.staff[0]
    assert li.hours is not None and li.hours[0].hour == 9
    assert li.dates == (date(2026, 3, 2), date(2026, 3, 3))


@pytest.mark.parametrize(
    ("table", "field"),
    [
        ("staffing = { hourly = { 25 = 3 } }", "staffing"),
        ("staffing = { daily = { 9 = 3 } }", "staffing.daily"),
        ("staffing = [1, 2]", "staffing"),
    ],
)
def test_scenario_file_errors(tmp_path: Path, table: str, field: str) -> None:
    f = tmp_path / "bad.toml"
    f.write_text(
        f"""
[hall]
start = 2026-03-02
days = 1
[[class]]
name = "a"
route = "w"
walk_in = {{ per_day = 10 }}
[[station]]
name = "w"
service = {{ exponential = 1.0 }}
{table}
""",
        encoding="utf-8",
    )
    with pytest.raises(DataFileError) as e:
        load_scenario(f, entrypoints=False)
    assert (e.value.record, e.value.field) == ("station 1", field)
