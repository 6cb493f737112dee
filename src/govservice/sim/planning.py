"""Staffing plans: the fewest counters hour by hour that meet a service goal, and a roster.

:func:`~govservice.sim.plan_staffing` takes a hall and one of its stations of anonymous
counters and finds, for every open hour of every simulated day, the fewest
counters that meet a :class:`ServiceGoal` ("90 % wait under 15 minutes", or
"a mean wait under 10 minutes", per hour):

1. *Demand.*  The hall is simulated with the station unlimited, so that
   nobody waits there: the arrivals at the station in each hour and their
   mean service time, averaged over the replications (routing, revisits and
   what happens upstream included).
2. *First guess.*  Erlang C for each hour on its own (M/M/c at that hour's
   rate, searched up from the offered load): the fewest counters whose
   steady state meets the goal.
3. *Refined by simulation.*  The hall is simulated with those counters
   (:class:`~govservice.sim.Staffing`), and every hour that misses the goal —
   its mean over the replications, or with ``strict`` its whole 95 %
   interval — gets a counter more, until none does.  Then each day is
   trimmed hour by hour from the morning: an hour loses a counter if every
   hour of its day still meets the goal.  Days are independent (the hall
   empties overnight), so all days are decided in the same runs, and every
   run uses the same seed (common random numbers).

The plan gives each hour's arrivals, load, Erlang C's answer, the counters
planned and the goal achieved with its interval.  :meth:`~govservice.sim.StaffingPlan.roster`
turns it into shifts that respect :class:`ShiftRules` (shortest and longest
shift, a break after so many hours unless the hall closes for it), and
:meth:`~govservice.sim.Roster.staff` into named staff to simulate.

.. versionadded:: 0.1
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from datetime import date, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from govservice._toml import Reader, read_document
from govservice.exceptions import message_of
from govservice.i18n import translations
from govservice.sim._checks import integer_from, optional, positive, probability
from govservice.sim._grid import Grid
from govservice.sim.engine import simulate
from govservice.sim.errors import ScenarioError
from govservice.sim.experiments import student_t_interval
from govservice.sim.loader import scenario_from_document
from govservice.sim.records import SERVED, SimulationResult, pandas
from govservice.sim.scenario import Break, Scenario, Staffing, StaffMember
from govservice.sim.theory import ErlangC
from govservice.text import N_, Message

if TYPE_CHECKING:
    from govservice.center import ServiceCenter

__all__ = [
    "HourPlan",
    "PlanSettings",
    "Roster",
    "ServiceGoal",
    "Shift",
    "ShiftRules",
    "StaffingPlan",
    "load_plan",
    "plan_staffing",
]

UNLIMITED = 500  # counters: enough that nobody waits while demand is measured
Figures = tuple[float, float, float]  # a mean over replications and its 95 % interval


def _one_goal(instance: ServiceGoal, attribute: attrs.Attribute[Any], value: Any) -> None:
    if (instance.within is None) == (instance.mean_wait is None):
        raise ScenarioError(
            N_("a service goal is 'within' minutes for a 'share' of customers, or a 'mean_wait'"),
            field="within",
            value=instance.within,
        )


@attrs.frozen
class ServiceGoal:
    """What every hour must achieve at the station planned.

    Either a *share* of the customers arriving at the station in the hour
    served after waiting at most *within* minutes (those who leave unserved
    count as not served in time), or their mean wait at most *mean_wait*
    minutes (those who leave count with the time they waited).

    Example:
        >>> from govservice.sim import ServiceGoal
        >>> ServiceGoal(within=15, share=0.9)
        ServiceGoal(within=15, share=0.9, mean_wait=None)

    .. versionadded:: 0.1
    """

    within: float | None = attrs.field(default=None, validator=optional(positive))
    share: float = attrs.field(default=0.9, validator=probability)
    mean_wait: float | None = attrs.field(default=None, validator=[optional(positive), _one_goal])

    def met(self, value: float) -> bool:
        """Whether an hour's figure (share served in time, or mean wait) meets the goal."""
        if math.isnan(value):
            return True
        if self.within is not None:
            return value >= self.share - 1e-12
        assert self.mean_wait is not None
        return value <= self.mean_wait + 1e-12

    def met_in_theory(self, queue: ErlangC) -> bool:
        """Whether M/M/c in steady state meets the goal (Erlang C)."""
        if self.within is not None:
            return queue.wait_within(self.within) >= self.share
        assert self.mean_wait is not None
        return queue.mean_wait <= self.mean_wait

    def describe(self, language: str = "en") -> str:
        """The goal in words, in *language* (``"en"`` or ``"zh"``).

        Example:
            >>> from govservice.sim.planning import ServiceGoal
            >>> ServiceGoal(within=15, share=0.9).describe("zh")
            '90%的人等候不超过15分钟'
        """
        _ = translations(language).gettext
        if self.within is not None:
            return _("%(share)s wait at most %(within)s min") % {
                "share": f"{self.share:.0%}",
                "within": f"{self.within:g}",
            }
        return _("mean wait at most %(minutes)s min") % {"minutes": f"{self.mean_wait:g}"}


@attrs.frozen
class HourPlan:
    """One open hour of one day in a staffing plan.

    Attributes:
        day: the date.
        hour: the hour of the day.
        minutes: how long the hall is open in it.
        arrivals: customers arriving at the station in it (mean over the
            replications of the demand run).
        load: the offered load, busy counters on average (arrival rate ×
            mean service time).
        erlang: Erlang C's fewest counters meeting the goal.
        counters: the counters planned.
        achieved: the goal's figure with them (mean over the replications).
        low: the 95 % interval's lower bound (NaN with one replication).
        high: its upper bound.

    .. versionadded:: 0.1
    """

    day: date
    hour: int
    minutes: float
    arrivals: float
    load: float
    erlang: int
    counters: int
    achieved: float
    low: float
    high: float

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (NaN as ``None``)."""
        out = attrs.asdict(self)
        out["day"] = self.day.isoformat()
        return {k: None if isinstance(v, float) and math.isnan(v) else v for k, v in out.items()}


@attrs.frozen
class StaffingPlan:
    """The counters of one station, hour by hour, that meet a goal (see :func:`plan_staffing`).

    .. versionadded:: 0.1
    """

    scenario: Scenario = attrs.field(repr=False)
    station: str
    goal: ServiceGoal
    hours: tuple[HourPlan, ...]
    replications: int
    seed: int

    @property
    def staffing(self) -> Staffing:
        """The plan as the station's hourly staffing."""
        days: dict[date, dict[int, int]] = {}
        for h in self.hours:
            days.setdefault(h.day, {})[h.hour] = h.counters
        return Staffing(dates=days)

    def planned(self) -> Scenario:
        """The scenario with the station staffed by the plan."""
        return _with_station(self.scenario, self.station, staffing=self.staffing)

    def counters(self, day: date, hour: int) -> int:
        """The counters planned on *day* in *hour*.

        Raises:
            KeyError: the hour is not in the plan.
        """
        for h in self.hours:
            if h.day == day and h.hour == hour:
                return h.counters
        raise KeyError((day, hour))

    @property
    def counter_hours(self) -> float:
        """Counter-hours planned (each hour weighted by how long the hall is open in it)."""
        return sum(h.counters * h.minutes for h in self.hours) / 60

    def roster(self, rules: ShiftRules | None = None) -> Roster:
        """Shifts covering the plan under *rules* (see :class:`Roster`)."""
        return _roster(self, rules or ShiftRules())

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "station": self.station,
            "goal": attrs.asdict(self.goal),
            "replications": self.replications,
            "seed": self.seed,
            "counter_hours": self.counter_hours,
            "hours": [h.to_dict() for h in self.hours],
        }

    def to_dataframe(self) -> Any:
        """The hours as a ``pandas.DataFrame`` (pandas is an optional dependency)."""
        pd = pandas()
        return pd.DataFrame([attrs.asdict(h) for h in self.hours])


def _with_station(scenario: Scenario, name: str, **changes: Any) -> Scenario:
    stations = [attrs.evolve(s, **changes) if s.name == name else s for s in scenario.stations]
    return attrs.evolve(scenario, stations=stations)


# ----------------------------------------------------------------- planning


def _by_hour(
    result: SimulationResult, index: int, goal: ServiceGoal
) -> dict[tuple[date, int], tuple[int, float, float]]:
    """Per day and hour of arrival at station *index*: visits, the goal's figure, mean service."""
    v = result.visits
    assert v is not None and result.first_day is not None
    v = v[v["station"] == index]
    day = (v["arrival"] // 1440).astype(np.int64)
    hour = (v["arrival"] % 1440 // 60).astype(np.int64)
    key = day * 24 + hour
    wait = v["start"] - v["arrival"]
    served = v["outcome"] == SERVED
    joined = v["outcome"] != 2
    out = {}
    for k in np.unique(key).tolist():
        m = key == k
        n = int(m.sum())
        if goal.within is not None:
            figure = float((served[m] & (wait[m] <= goal.within + 1e-9)).sum() / n)
        else:
            mj = m & joined
            figure = float(wait[mj].mean()) if mj.any() else math.nan
        ms = m & served
        service = float((v["end"] - v["start"])[ms].mean()) if ms.any() else math.nan
        out[(result.first_day + timedelta(days=k // 24), k % 24)] = (n, figure, service)
    return out


def _runs(scenario: Scenario, replications: int, seed: int) -> list[SimulationResult]:
    return [simulate(scenario, seed=seed, replication=r, records=True) for r in range(replications)]


def _erlang(goal: ServiceGoal, rate: float, service: float, most: int) -> int:
    """Erlang C's fewest counters for the goal, searched up from the offered load."""
    if rate <= 0 or not service > 0:
        return 1
    load = rate * service
    c = max(1, math.floor(load) + 1)
    while c < most and not goal.met_in_theory(ErlangC(c, rate, 1 / service)):
        c += 1
    return min(c, most)


def plan_staffing(
    scenario: Scenario,
    station: str,
    goal: ServiceGoal,
    *,
    replications: int = 5,
    seed: int = 0,
    most: int = 50,
    strict: bool = False,
) -> StaffingPlan:
    """The fewest counters at *station*, hour by hour, meeting *goal* in every open hour.

    Args:
        scenario: a hall (``Scenario(hall=…)``).
        station: a station of anonymous counters (no named staff); its
            ``servers`` and ``staffing`` are what the plan replaces.
        goal: what every hour must achieve.
        replications: simulation runs per trial; the figures are their
            means, with 95 % Student-t intervals.
        seed: the seed of every run (common random numbers).
        most: the most counters an hour may get.
        strict: an hour meets the goal only if its whole interval does.

    Raises:
        ScenarioError: no hall, an unknown station, named staff there, or
            an hour still missing the goal with *most* counters.

    Example:
        >>> from datetime import date
        >>> from govservice.calendars import china
        >>> from govservice.sim import (CustomerClass, DailyProfile, Exponential, Hall,
        ...     Scenario, ServiceGoal, Station, plan_staffing)
        >>> hall = Scenario(
        ...     stations=[Station("windows", 2, service=Exponential(8.0))],
        ...     classes=[CustomerClass("walk-in", DailyProfile(100, hourly={9: 2, 10: 3, 14: 1}),
        ...                            route="windows")],
        ...     hall=Hall(china(), start=date(2026, 3, 2), days=1),
        ... )
        >>> plan = plan_staffing(hall, "windows", ServiceGoal(within=15, share=0.8), seed=1)
        >>> [(h.hour, h.counters) for h in plan.hours]
        [(9, 4), (10, 8), (11, 1), (13, 1), (14, 4), (15, 1), (16, 1), (17, 1)]

    .. versionadded:: 0.1
    """
    if scenario.hall is None:
        raise ScenarioError(N_("a staffing plan needs a hall (its days and opening hours)"))
    index = next((i for i, s in enumerate(scenario.stations) if s.name == station), None)
    if index is None:
        raise ScenarioError(
            Message(N_("no station %(station)r to plan"), {"station": station}),
            field="station",
            value=station,
        )
    if any(m.station == station for m in scenario.staff):
        raise ScenarioError(
            Message(
                N_("station %(station)r has named staff: plan a station of anonymous counters"),
                {"station": station},
            ),
            field="station",
            value=station,
        )
    if replications < 1:
        raise ScenarioError(N_("a plan needs at least one replication"), field="replications")
    grid = Grid(scenario.hall)
    hours: list[tuple[date, int, float]] = []
    following: dict[tuple[date, int], tuple[date, int]] = {}  # the next hour of its session
    for g in range(len(grid.opens)):
        day = grid.days[int(grid.sess_day[g])]
        segments = grid.hour_segments(g)
        hours += [(day, h, b - a) for a, b, h in segments]
        for (_, _, h), (_, _, h2) in itertools.pairwise(segments):
            following[(day, h)] = (day, h2)
    # 1. demand, with the station unlimited
    free = _with_station(scenario, station, servers=UNLIMITED, staffing=None)
    demand = [_by_hour(r, index, goal) for r in _runs(free, replications, seed)]
    services = [s for d in demand for _, _, s in d.values() if not math.isnan(s)]
    overall = float(np.mean(services)) if services else 0.0
    arrivals, loads, guess = {}, {}, {}
    for day, hour, minutes in hours:
        n = float(np.mean([d.get((day, hour), (0, 0, 0))[0] for d in demand]))
        svc = [d[(day, hour)][2] for d in demand if (day, hour) in d]
        mean = float(np.nanmean(svc)) if svc and not all(map(math.isnan, svc)) else overall
        rate = n / minutes
        arrivals[(day, hour)] = n
        loads[(day, hour)] = rate * mean
        guess[(day, hour)] = _erlang(goal, rate, mean, most)
    counters = dict(guess)

    def trial(plan: Mapping[tuple[date, int], int]) -> dict[tuple[date, int], Figures]:
        days: dict[date, dict[int, int]] = {}
        for (day, hour), c in plan.items():
            days.setdefault(day, {})[hour] = c
        sc = _with_station(scenario, station, staffing=Staffing(dates=days))
        runs = [_by_hour(r, index, goal) for r in _runs(sc, replications, seed)]
        out: dict[tuple[date, int], Figures] = {}
        for key in plan:
            values = [r[key][1] for r in runs if key in r and not math.isnan(r[key][1])]
            if not values:
                out[key] = (math.nan, math.nan, math.nan)
            elif len(values) == 1:
                out[key] = (values[0], math.nan, math.nan)
            else:
                out[key] = student_t_interval(values)
        return out

    def meets(figures: Figures) -> bool:
        mean, low, high = figures
        if not strict or math.isnan(low):
            return goal.met(mean)
        return goal.met(low if goal.within is not None else high)

    # 2. raise every hour that misses the goal, and the next hour of its session if that
    #    has fewer counters (the queue it leaves is served then)
    while True:
        results = trial(counters)
        missing = [k for k, f in results.items() if not meets(f)]
        if not missing:
            break
        raised = set(missing)
        for k in missing:
            nxt = following.get(k)
            if nxt is not None and counters[nxt] < counters[k]:
                raised.add(nxt)
        stuck = [k for k in raised if counters[k] >= most]
        if stuck:
            day, hour = min(stuck)
            raise ScenarioError(
                Message(
                    N_(
                        "station %(station)r misses the goal (%(value)s) on %(day)s at "
                        "%(hour)s:00 even with %(most)s counters"
                    ),
                    {
                        "station": station,
                        "value": goal.describe(),
                        "day": day,
                        "hour": f"{hour:02d}",
                        "most": most,
                    },
                ),
                field="most",
                value=most,
            )
        for k in raised:
            counters[k] += 1
    # 3. trim each day from the morning, hour by hour as long as every hour of the day
    #    still meets the goal; all days in the same runs
    by_day: dict[date, list[int]] = {}
    for day, hour, _ in hours:
        by_day.setdefault(day, []).append(hour)
    for step in range(max(len(v) for v in by_day.values())):
        days = [d for d, hs in by_day.items() if step < len(hs)]
        while days:
            tried = {
                (d, by_day[d][step]): counters[(d, by_day[d][step])]
                for d in days
                if counters[(d, by_day[d][step])] > 1
            }
            if not tried:
                break
            for k in tried:
                counters[k] -= 1
            attempt = trial(counters)
            days = []
            for (day, hour), c in tried.items():
                if all(meets(attempt[(day, h)]) for h in by_day[day]):
                    for h in by_day[day]:
                        results[(day, h)] = attempt[(day, h)]
                    days.append(day)
                else:
                    counters[(day, hour)] = c
    return StaffingPlan(
        scenario=scenario,
        station=station,
        goal=goal,
        hours=tuple(
            HourPlan(
                day,
                hour,
                minutes,
                arrivals[(day, hour)],
                loads[(day, hour)],
                guess[(day, hour)],
                counters[(day, hour)],
                *results[(day, hour)],
            )
            for day, hour, minutes in hours
        ),
        replications=replications,
        seed=seed,
    )


# ------------------------------------------------------------------ rosters


def _hours(instance: ShiftRules, attribute: attrs.Attribute[Any], value: Any) -> None:
    if instance.min_hours > instance.max_hours:
        raise ScenarioError(
            Message(
                N_("'min_hours' (%(min_hours)s) must not exceed 'max_hours' (%(value)s)"),
                {"min_hours": instance.min_hours, "value": value},
            ),
            field="max_hours",
            value=value,
        )


@attrs.frozen
class ShiftRules:
    """The rules a roster's shifts keep.

    Args:
        min_hours: the shortest shift, in hours at the counter.
        max_hours: the longest.
        break_after: the most hours at the counter without a break; the
            hall closing for at least *break_minutes* counts as one.
        break_minutes: how long a break is.
        slot: the roster's grain in minutes (shifts and breaks start on it).

    .. versionadded:: 0.1
    """

    min_hours: float = attrs.field(default=3.0, validator=positive)
    max_hours: float = attrs.field(default=8.0, validator=[positive, _hours])
    break_after: float = attrs.field(default=4.0, validator=positive)
    break_minutes: int = attrs.field(default=30, validator=integer_from(1))
    slot: int = attrs.field(default=15, validator=integer_from(1))


@attrs.frozen
class Shift:
    """One person's shift on one day: at the counter from *start* to *end*, less the breaks.

    .. versionadded:: 0.1
    """

    day: date
    start: time
    end: time
    breaks: tuple[Break, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "day": self.day.isoformat(),
            "start": self.start.strftime("%H:%M"),
            "end": self.end.strftime("%H:%M"),
            "breaks": [{"at": b.at.strftime("%H:%M"), "minutes": b.minutes} for b in self.breaks],
        }


@attrs.frozen
class Roster:
    """Shifts that keep the plan's counters open, hour by hour, under the shift rules.

    Built greedily day by day on slots of ``rules.slot`` minutes: the first
    slot short of counters starts a shift, which runs at least
    ``min_hours`` and on as long as a later slot within ``max_hours`` still
    needs someone; a stretch at the counter longer than ``break_after`` gets
    a break where the most counters are spare, and the slots a break leaves
    short are covered by more shifts.  Every open slot ends with at least the
    counters planned (a shift's minimum length can leave more).

    .. versionadded:: 0.1
    """

    station: str
    rules: ShiftRules
    shifts: tuple[Shift, ...]

    def staff(self) -> list[StaffMember]:
        """One member of staff per shift, named ``<station>-<date>-<n>``, to simulate the roster."""
        out = []
        number: dict[date, int] = {}
        for s in self.shifts:
            number[s.day] = number.get(s.day, 0) + 1
            out.append(
                StaffMember(
                    f"{self.station}-{s.day.isoformat()}-{number[s.day]:02d}",
                    self.station,
                    breaks=s.breaks,
                    hours=(s.start, s.end),
                    dates=(s.day,),
                )
            )
        return out

    def scenario(self, plan: StaffingPlan) -> Scenario:
        """*plan*'s scenario with the station staffed by this roster's people."""
        sc = _with_station(plan.scenario, self.station, staffing=None)
        return attrs.evolve(sc, staff=[*sc.staff, *self.staff()])

    def people(self, day: date) -> int:
        """The shifts worked on *day*."""
        return sum(1 for s in self.shifts if s.day == day)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "station": self.station,
            "rules": attrs.asdict(self.rules),
            "shifts": [s.to_dict() for s in self.shifts],
        }

    def to_dataframe(self) -> Any:
        """The shifts as a ``pandas.DataFrame`` (pandas is an optional dependency)."""
        pd = pandas()
        return pd.DataFrame([s.to_dict() for s in self.shifts])


def _clock(minutes: int) -> time:
    return time(minutes // 60, minutes % 60)


def _roster(plan: StaffingPlan, rules: ShiftRules) -> Roster:
    grid = Grid(plan.scenario.hall)
    step = rules.slot
    need_of = {(h.day, h.hour): h.counters for h in plan.hours}
    shifts: list[Shift] = []
    for i, day in enumerate(grid.days):
        base = grid.day_base(i)
        sessions = [
            (int(grid.opens[g] - base), int(grid.closes[g] - base)) for g in grid.day_sessions(i)
        ]
        lo, hi = sessions[0][0], sessions[-1][1]
        slots = list(range(lo, hi, step))
        opened = [any(a <= t and t + step <= b for a, b in sessions) for t in slots]
        need = [
            need_of.get((day, t // 60), 0) if o else 0 for t, o in zip(slots, opened, strict=True)
        ]
        cover = [0] * len(slots)
        shifts += _cover_day(day, slots, opened, need, cover, rules)
    return Roster(plan.station, rules, tuple(shifts))


def _spare(cover: list[int], need: list[int], at: int, length: int) -> int:
    """Counters spare over *length* slots from *at*."""
    return sum(cover[at + d] - need[at + d] for d in range(length))


def _cover_day(
    day: date,
    slots: list[int],
    opened: list[bool],
    need: list[int],
    cover: list[int],
    rules: ShiftRules,
) -> list[Shift]:
    """Greedy shifts for one day's slots (see :class:`Roster`)."""
    step = rules.slot
    n = len(slots)
    least = math.ceil(rules.min_hours * 60 / step)
    longest = max(least, math.floor(rules.max_hours * 60 / step))
    stretch = math.floor(rules.break_after * 60 / step)
    pause = math.ceil(rules.break_minutes / step)
    out = []
    for _ in range(10 * (sum(need) + 1)):
        short = next((j for j in range(n) if cover[j] < need[j]), None)
        if short is None:
            break
        # the shift's open slots: at least `least` of them, from the short slot (earlier if
        # the day ends first), and on while a later slot within `longest` is still short
        work = [j for j in range(short, n) if opened[j]][:longest]
        if len(work) < least:
            before = [j for j in range(short) if opened[j]]
            work = (before + work)[-least:]
        keep = least
        for m in range(least, len(work)):
            if cover[work[m]] < need[work[m]]:
                keep = m + 1
        work = work[:keep]
        for j in work:
            cover[j] += 1
        breaks: list[Break] = []
        run: list[int] = []
        for j in [*work, -1]:  # -1 closes the last stretch
            if j >= 0 and (not run or j == run[-1] + 1):
                run.append(j)
                continue
            # a stretch at the counter: a break in every `stretch` slots of it
            while len(run) > stretch:
                window = run[max(1, stretch - pause - 3) : stretch]  # late in the allowed part
                window = [w for w in window if w + pause - 1 <= run[-1]]
                at = max(window, key=lambda w: _spare(cover, need, w, pause))
                for d in range(pause):
                    cover[at + d] -= 1
                breaks.append(Break(_clock(slots[at]), pause * step))
                run = run[run.index(at) + pause :]
            run = [j]
        out.append(
            Shift(day, _clock(slots[work[0]]), _clock(slots[work[-1]] + step), tuple(breaks))
        )
    return out


# ------------------------------------------------------------------- files


@attrs.frozen
class PlanSettings:
    """The ``[plan]`` table of a scenario file.

    .. versionadded:: 0.1
    """

    station: str
    goal: ServiceGoal
    replications: int = 5
    seed: int = 0
    most: int = 50
    strict: bool = False
    rules: ShiftRules = ShiftRules()

    def plan(self, scenario: Scenario) -> StaffingPlan:
        """:func:`plan_staffing` with these settings."""
        return plan_staffing(
            scenario,
            self.station,
            self.goal,
            replications=self.replications,
            seed=self.seed,
            most=self.most,
            strict=self.strict,
        )


def load_plan(
    path: Path | str, *, entrypoints: bool = True, center: ServiceCenter | None = None
) -> tuple[Scenario, PlanSettings]:
    """A scenario file and its ``[plan]`` table.

    The scenario counts as *center* counts (see
    :func:`~govservice.sim.scenario_from_document`).

    The table::

        [plan]
        station = "windows"
        goal = { within = 15, share = 0.9 }    # or { mean_wait = 10 }
        replications = 5
        seed = 1
        most = 30                              # counters an hour may get at most
        strict = false                         # the whole 95 % interval must meet the goal
        shifts = { min_hours = 3, max_hours = 8, break_after = 4, break_minutes = 30 }

    Raises:
        DataFileError: naming the file, the record (``plan``), the field and
            the value.

    .. versionadded:: 0.1
    """
    p = Path(path)
    doc = read_document(p)
    scenario = scenario_from_document(doc, p, entrypoints=entrypoints, center=center)
    if "plan" not in doc:
        raise Reader(p, "top level", {}, ()).fail(
            "plan", None, N_("missing: a [plan] table"), shown=True
        )
    r = Reader(
        p,
        "plan",
        doc["plan"],
        ("station", "goal", "replications", "seed", "most", "strict", "shifts"),
    )
    goal = _table(r, "goal", ServiceGoal, r.get("goal", dict), ("within", "share", "mean_wait"))
    rules = ShiftRules()
    if "shifts" in r.table:
        rules = _table(
            r,
            "shifts",
            ShiftRules,
            r.get("shifts", dict),
            ("min_hours", "max_hours", "break_after", "break_minutes", "slot"),
        )
    fields: dict[str, Any] = {"station": r.get("station", str), "goal": goal, "rules": rules}
    for name, kind in (("replications", int), ("seed", int), ("most", int), ("strict", bool)):
        value = r.get(name, kind, required=False)
        if value is not None:
            fields[name] = value
    station = fields["station"]
    if station not in {s.name for s in scenario.stations}:
        raise r.fail("station", station, N_("no such station in the scenario"))
    if fields.get("replications", 1) < 1:
        raise r.fail("replications", fields["replications"], N_("must be at least 1"))
    return scenario, PlanSettings(**fields)


def _table(r: Reader, field: str, cls: Any, value: dict[str, Any], known: tuple[str, ...]) -> Any:
    for k, v in value.items():
        if k not in known:
            raise r.fail(
                f"{field}.{k}",
                v,
                Message(N_("unknown field (known: %(value)s)"), {"value": ", ".join(known)}),
            )
    try:
        return cls(**value)
    except (ScenarioError, TypeError) as e:
        sub = getattr(e, "field", None)
        raise r.fail(f"{field}.{sub}" if sub else field, value, message_of(e)) from None
