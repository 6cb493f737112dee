"""govservice.sim.planning: staffing plans hour by hour, rosters, ``govservice simulate plan``."""

from __future__ import annotations

import json
import math
import re
from datetime import date, timedelta
from pathlib import Path

import attrs
import numpy as np
import pytest

from command import gs
from govservice.calendars import china
from govservice.exceptions import DataFileError
from govservice.sim import (
    SERVED,
    CustomerClass,
    DailyProfile,
    Exponential,
    Hall,
    Lognormal,
    Poisson,
    Scenario,
    ScenarioError,
    ServiceGoal,
    ShiftRules,
    Staffing,
    StaffingPlan,
    StaffMember,
    Station,
    load_plan,
    plan_staffing,
    simulate,
)
from govservice.sim.theory import ErlangC

PROFILE = DailyProfile(160, hourly={9: 3, 10: 3, 11: 2, 13: 1, 14: 2, 15: 2, 16: 1})


def hall(days: int = 2, **cls: object) -> Scenario:
    return Scenario(
        stations=[Station("windows", 3, service=Lognormal(8.0, 4.0))],
        classes=[CustomerClass("walk-in", PROFILE, route="windows", **cls)],  # type: ignore[arg-type]
        hall=Hall(china(), start=date(2026, 2, 24), days=days, last_ticket=15),
    )


def figures(sc: Scenario, staffing: Staffing, goal: ServiceGoal, seeds: int, seed: int) -> dict:
    """Each (day, hour)'s share served within the goal's wait, mean over runs, from the records."""
    sc = attrs.evolve(
        sc, stations=[attrs.evolve(sc.stations[0], staffing=staffing), *sc.stations[1:]]
    )
    per: dict[tuple[date, int], list[float]] = {}
    for r in range(seeds):
        run = simulate(sc, seed=seed, replication=r, records=True)
        v = run.visits
        assert v is not None and run.first_day is not None
        v = v[v["station"] == 0]
        for day in np.unique(v["arrival"] // 1440).tolist():
            for hour in range(24):
                m = (v["arrival"] // 1440 == day) & (v["arrival"] % 1440 // 60 == hour)
                if m.any():
                    ok = (v["outcome"][m] == SERVED) & (
                        v["start"][m] - v["arrival"][m] <= goal.within  # type: ignore[operator]
                    )
                    key = (run.first_day + timedelta(days=int(day)), hour)
                    per.setdefault(key, []).append(float(ok.mean()))
    return {k: float(np.mean(x)) for k, x in per.items()}


class TestGoal:
    def test_erlang_c_by_hand(self) -> None:
        """λ = 0.5/min, 8 min of service: 4 counters are unstable, 5 serve 91.5 % within 15.

        C(5, 4) = (4⁵/5!/0.2) / (1 + 4 + 8 + 32/3 + 32/3 + 4⁵/5!/0.2) = 42.667 / 77 = 0.554;
        P(W ≤ 15) = 1 - 0.554 e^{-(5/8 - 1/2) 15} = 0.915.
        """
        goal = ServiceGoal(within=15, share=0.9)
        q = ErlangC(5, 0.5, 1 / 8)
        assert q.wait_within(15) == pytest.approx(0.915, abs=5e-4)
        assert goal.met_in_theory(q)
        assert not ServiceGoal(within=15, share=0.92).met_in_theory(q)
        assert q.mean_wait == pytest.approx(0.5541 / 0.125, rel=1e-3)  # C / (cμ - λ) = 4.43
        assert ServiceGoal(mean_wait=5.0).met_in_theory(q)
        assert not ServiceGoal(mean_wait=4.0).met_in_theory(q)

    def test_one_goal(self) -> None:
        with pytest.raises(ScenarioError, match="'within' minutes for a 'share'"):
            ServiceGoal()
        with pytest.raises(ScenarioError):
            ServiceGoal(within=10, mean_wait=5)
        assert not ServiceGoal(mean_wait=10).met(10.5)
        assert ServiceGoal(within=15, share=0.9).met(math.nan)


GOAL = ServiceGoal(within=15, share=0.9)


@pytest.fixture(scope="module")
def plan() -> StaffingPlan:
    return plan_staffing(hall(), "windows", GOAL, replications=4, seed=3)


@pytest.fixture(scope="module")
def roster_plan() -> StaffingPlan:
    return plan_staffing(hall(), "windows", GOAL, replications=3, seed=1)


class TestPlan:
    goal = GOAL

    def test_figures_are_those_of_the_plan(self, plan: StaffingPlan) -> None:
        """Each hour's reported figure is what the plan's counters give, recounted from records."""
        got = figures(hall(), plan.staffing, self.goal, 4, 3)
        for h in plan.hours:
            if (h.day, h.hour) in got:
                assert h.achieved == pytest.approx(got[(h.day, h.hour)])
                assert self.goal.met(h.achieved)
                assert h.low <= h.achieved <= h.high

    def test_no_hour_can_spare_a_counter(self, plan: StaffingPlan) -> None:
        """Taking a counter from any hour makes some hour of that day miss the goal."""
        base = {(h.day, h.hour): h.counters for h in plan.hours}
        for (day, hour), c in base.items():
            if c == 1:
                continue
            fewer = dict(base)
            fewer[(day, hour)] = c - 1
            staffing = Staffing(
                dates={d: {h: n for (dd, h), n in fewer.items() if dd == d} for d, _ in fewer}
            )
            got = figures(hall(), staffing, self.goal, 4, 3)
            assert any(not self.goal.met(v) for (d, _), v in got.items() if d == day), (
                f"{day} {hour}:00 could lose a counter"
            )

    def test_demand_and_first_guess(self, plan: StaffingPlan) -> None:
        """Arrivals follow the profile; Erlang C's guess is the fewest for the hour's load."""
        hours = {(h.day, h.hour): h for h in plan.hours}
        tue = date(2026, 2, 24)
        assert hours[(tue, 9)].arrivals > hours[(tue, 16)].arrivals
        for h in hours.values():
            if h.arrivals:
                rate = h.arrivals / h.minutes
                service = h.load / rate
                c = h.erlang
                assert self.goal.met_in_theory(ErlangC(c, rate, 1 / service))
                if c - 1 > h.load:
                    assert not self.goal.met_in_theory(ErlangC(c - 1, rate, 1 / service))
        assert plan.counter_hours == pytest.approx(
            sum(h.counters * h.minutes / 60 for h in hours.values())
        )

    def test_mean_wait_goal(self) -> None:
        """A mean-wait goal is met hour by hour, with fewer counters for a looser goal."""
        tight = plan_staffing(hall(1), "windows", ServiceGoal(mean_wait=3), replications=3)
        loose = plan_staffing(hall(1), "windows", ServiceGoal(mean_wait=15), replications=3)
        assert all(ServiceGoal(mean_wait=3).met(h.achieved) for h in tight.hours)
        assert loose.counter_hours < tight.counter_hours

    def test_strict(self) -> None:
        """With ``strict`` the whole interval meets the goal, which takes at least as many."""
        sc = hall(1)
        loose = plan_staffing(sc, "windows", self.goal, replications=4, seed=2)
        strict = plan_staffing(sc, "windows", self.goal, replications=4, seed=2, strict=True)
        for h in strict.hours:
            if not math.isnan(h.low):
                assert h.low >= self.goal.share - 1e-9
        assert strict.counter_hours >= loose.counter_hours

    def test_dataframe(self, plan: StaffingPlan) -> None:
        df = plan.to_dataframe()
        assert list(df.columns[:4]) == ["day", "hour", "minutes", "arrivals"]
        assert len(df) == len(plan.hours)
        doc = plan.to_dict()
        json.dumps(doc)
        assert doc["hours"][0]["day"] == "2026-02-24"


class TestRoster:
    @pytest.fixture
    def plan(self, roster_plan: StaffingPlan) -> StaffingPlan:
        return roster_plan

    @pytest.mark.parametrize(
        "rules",
        [
            ShiftRules(),
            ShiftRules(min_hours=4, max_hours=6, break_after=2, break_minutes=15),
            ShiftRules(min_hours=2, max_hours=9, break_after=3, break_minutes=30, slot=30),
        ],
    )
    def test_rules_and_cover(self, plan: StaffingPlan, rules: ShiftRules) -> None:
        """Shifts keep the rules, and every open slot has the counters planned."""
        roster = plan.roster(rules)
        sessions = [(9 * 60, 12 * 60), (13 * 60 + 30, 17 * 60 + 30)]

        def open_at(t: int) -> bool:
            return any(a <= t < b for a, b in sessions)

        for s in roster.shifts:
            start = s.start.hour * 60 + s.start.minute
            end = s.end.hour * 60 + s.end.minute
            rests = {
                b.at.hour * 60 + b.at.minute + k for b in s.breaks for k in range(int(b.minutes))
            }
            work = [t for t in range(start, end) if open_at(t) and t not in rests]
            assert rules.min_hours * 60 <= len(work) + sum(b.minutes for b in s.breaks)
            assert len(work) <= rules.max_hours * 60
            run = 0
            for t in range(start, end):  # never longer at the counter than break_after
                run = run + 1 if (open_at(t) and t not in rests) else 0
                assert run <= rules.break_after * 60
        for h in plan.hours:
            for minute in range(h.hour * 60, h.hour * 60 + 60):
                if not open_at(minute):
                    continue
                on = 0
                for s in roster.shifts:
                    if s.day != h.day:
                        continue
                    a = s.start.hour * 60 + s.start.minute
                    b = s.end.hour * 60 + s.end.minute
                    resting = any(
                        0 <= minute - (r.at.hour * 60 + r.at.minute) < r.minutes for r in s.breaks
                    )
                    on += a <= minute < b and not resting
                assert on >= h.counters, (h.day, minute)

    def test_breaks_when_the_hall_does_not_close(self, plan: StaffingPlan) -> None:
        """A stretch longer than ``break_after`` gets a break; the lunch closure counts as one."""
        short = plan.roster(ShiftRules(min_hours=2, break_after=2, break_minutes=15))
        assert any(s.breaks for s in short.shifts)
        assert all(not s.breaks for s in plan.roster().shifts)

    def test_roster_as_staff(self, plan: StaffingPlan) -> None:
        """The roster's people work their shifts on their days in a simulation."""
        roster = plan.roster()
        sc = roster.scenario(plan)
        staff = roster.staff()
        assert (
            len(staff)
            == len(roster.shifts)
            == sum(roster.people(d) for d in {s.day for s in roster.shifts})
        )
        r = simulate(sc, seed=1, records=True)
        v = r.visits
        assert v is not None and r.first_day is not None
        for row in v[v["outcome"] == SERVED]:
            member = sc.staff[int(row["server"])]
            assert member.dates is not None
            assert r.first_day + timedelta(days=int(row["start"] // 1440)) in member.dates
        assert roster.to_dataframe().shape[0] == len(roster.shifts)


class TestErrors:
    def test_no_hall(self) -> None:
        sc = Scenario(
            stations=[Station("w", service=Exponential(1.0))],
            classes=[CustomerClass("a", Poisson(1.0), route="w")],
            horizon=10.0,
        )
        with pytest.raises(ScenarioError, match="needs a hall"):
            plan_staffing(sc, "w", ServiceGoal(mean_wait=1))

    def test_named_staff(self) -> None:
        sc = attrs.evolve(hall(1), staff=[StaffMember("李", "windows")])
        with pytest.raises(ScenarioError, match="has named staff"):
            plan_staffing(sc, "windows", ServiceGoal(mean_wait=5))

    def test_unknown_station(self) -> None:
        with pytest.raises(ScenarioError, match="no station 'x'"):
            plan_staffing(hall(1), "x", ServiceGoal(mean_wait=5))

    def test_too_few_counters_allowed(self) -> None:
        with pytest.raises(ScenarioError, match=r"misses the goal .* on 2026-02-24 at 09:00"):
            plan_staffing(hall(1), "windows", ServiceGoal(within=1, share=0.99), most=2)


# -------------------------------------------------------------- file and CLI

PLAN = """
name = "county hall"
[hall]
start = 2026-02-24
days = 1
last_ticket = 15

[[class]]
name = "walk-in"
route = "windows"
walk_in = { per_day = 160, hourly = { 9 = 3, 10 = 3, 11 = 2, 13 = 1, 14 = 2, 15 = 2, 16 = 1 } }

[[station]]
name = "windows"
servers = 3
service = { lognormal = [8, 4] }

[plan]
station = "windows"
goal = { within = 15, share = 0.9 }
replications = 3
seed = 1
shifts = { min_hours = 3, max_hours = 8, break_after = 4, break_minutes = 30 }
"""


def test_load_plan(tmp_path: Path) -> None:
    f = tmp_path / "hall.toml"
    f.write_text(PLAN, encoding="utf-8")
    scenario, settings = load_plan(f, entrypoints=False)
    assert settings.station == "windows"
    assert settings.goal == ServiceGoal(within=15, share=0.9)
    assert (settings.replications, settings.seed) == (3, 1)
    assert settings.rules == ShiftRules(3, 8, 4, 30)
    plan = settings.plan(scenario)
    assert plan.station == "windows" and plan.replications == 3


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (('station = "windows"', 'station = "cashier"'), "station"),
        (
            ("goal = { within = 15, share = 0.9 }", "goal = { within = 15, mean_wait = 3 }"),
            "goal.within",
        ),
        (
            ("goal = { within = 15, share = 0.9 }", "goal = { within = 15, share = 1.5 }"),
            "goal.share",
        ),
        (("goal = { within = 15, share = 0.9 }", "goal = { limit = 15 }"), "goal.limit"),
        (("replications = 3", "replications = 0"), "replications"),
        (("min_hours = 3, max_hours = 8", "min_hours = 9, max_hours = 8"), "shifts.max_hours"),
    ],
)
def test_plan_file_errors(tmp_path: Path, change: tuple[str, str], field: str) -> None:
    """Errors name the file, the [plan] record and the field."""
    f = tmp_path / "bad.toml"
    f.write_text(PLAN.replace(*change), encoding="utf-8")
    with pytest.raises(DataFileError) as e:
        load_plan(f, entrypoints=False)
    assert (e.value.record, e.value.field) == ("plan", field)
    assert "bad.toml" in str(e.value)


def test_cli_plan(tmp_path: Path) -> None:
    """``govservice simulate plan`` prints tables or JSON, or writes them and the chart."""
    f = tmp_path / "hall.toml"
    f.write_text(PLAN, encoding="utf-8")
    text = gs("simulate", "plan", str(f), "--no-plugins")
    assert text.returncode == 0, text.stderr
    assert text.stdout.startswith(
        "# 窗口配置方案：windows\n\n目标：每个开放时段90%的人等候不超过15分钟；"
    )
    assert "## 2026年2月24日星期二" in text.stdout and "| 时段 | 到达人数 |" in text.stdout
    assert "| 09:00 |" in text.stdout and "排班：" in text.stdout
    assert not re.search("[A-Za-z]{3,}", text.stdout.replace("Erlang C", "").replace("windows", ""))
    english = gs("simulate", "plan", str(f), "--no-plugins", "--lang", "en")
    assert english.stdout.startswith("# Staffing plan: windows\n\nGoal: 90% wait at most 15 min")
    assert "## Tuesday, 24 February 2026" in english.stdout and "Roster: " in english.stdout
    assert not re.search(r"[\u4e00-\u9fff]", english.stdout)
    as_json = gs("simulate", "plan", str(f), "--no-plugins", "--format", "json", "--seed", "2")
    doc = json.loads(as_json.stdout)
    assert (doc["plan"]["seed"], doc["plan"]["replications"]) == (2, 3)  # --seed, [plan]'s
    assert doc["roster"]["shifts"][0]["day"] == "2026-02-24"
    folder = tmp_path / "out"
    done = gs(
        "simulate",
        "plan",
        str(f),
        "--no-plugins",
        "--format",
        "json",
        "--out",
        str(folder),
        "--replications",
        "2",
    )
    assert done.returncode == 0, done.stderr
    listed = json.loads(done.stdout)
    assert listed["files"] == [str(folder / "plan.json"), str(folder / "plan.png")]
    assert (
        json.loads((folder / "plan.json").read_text(encoding="utf-8"))["plan"]["replications"] == 2
    )
    assert (folder / "plan.png").read_bytes()[:4] == b"\x89PNG"
    again = gs("simulate", "plan", str(f), "--no-plugins", "--out", str(folder))
    assert (folder / "plan.md").read_text(encoding="utf-8").startswith("# 窗口配置方案")
    assert "plan.md" in again.stdout


def test_cli_plan_errors(tmp_path: Path) -> None:
    """Bad files and options end with a message naming the problem, no traceback."""
    f = tmp_path / "hall.toml"
    f.write_text(PLAN.replace('station = "windows"\ngoal', 'station = "x"\ngoal'), encoding="utf-8")
    bad = gs("simulate", "plan", str(f), "--no-plugins")
    assert bad.returncode == 1  # the file's data refused
    assert "plan" in bad.stderr and "'station'" in bad.stderr and "Traceback" not in bad.stderr
    f.write_text(PLAN, encoding="utf-8")
    dash = gs("simulate", "plan", str(f), "--no-plugins", "--out", "-")
    assert dash.returncode == 2 and "--out应为文件夹" in dash.stderr
    two = gs("simulate", str(f), str(f), "--no-plugins")
    assert two.returncode == 2 and "需要一个情景文件，或`plan FILE`" in two.stderr
