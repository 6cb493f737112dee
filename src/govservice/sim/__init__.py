"""Discrete-event simulation of a service hall (layer 7).

Build a :class:`Scenario` in Python or load one from TOML
(:func:`load_scenario`), run it with :func:`simulate`, replicate it with
:func:`replicate` for confidence intervals, and sweep many scenarios over any
:class:`concurrent.futures.Executor` with :func:`sweep`.  A run's cases are
events in the format of real operation (:meth:`SimulationResult.events`), so
the clock, statistics and assessment apply to them unchanged.  A run can start
from what is open in a real centre (:func:`warm_start`, ``Scenario(initial=…)``)
with a back office of limited capacity (``BackOffice(officers=…)``).

Example:
    >>> from govservice.sim import CustomerClass, Exponential, Poisson, Scenario, Station
    >>> from govservice.sim import replicate
    >>> mm2 = Scenario(
    ...     stations=[Station("windows", 2, service=Exponential(1.0))],
    ...     classes=[CustomerClass("walk-in", Poisson(1.0), route="windows")],
    ...     customers=5_000,
    ... )
    >>> reps = replicate(mm2, replications=5, seed=7)
    >>> mean, low, high = reps.interval("stations.windows.mean_wait")
    >>> low < 1 / 3 < high     # Erlang C: Wq = 1/3 for M/M/2 at rho = 0.5
    True

.. versionadded:: 0.1
"""

from __future__ import annotations

from govservice.sim.distributions import (
    Deterministic,
    Distribution,
    Empirical,
    Exponential,
    KaplanMeier,
    Lognormal,
)
from govservice.sim.engine import simulate
from govservice.sim.errors import ScenarioError
from govservice.sim.experiments import (
    Replications,
    Sweep,
    replicate,
    student_t_interval,
    sweep,
)
from govservice.sim.loader import load_scenario, scenario_from_document
from govservice.sim.planning import (
    HourPlan,
    PlanSettings,
    Roster,
    ServiceGoal,
    Shift,
    ShiftRules,
    StaffingPlan,
    load_plan,
    plan_staffing,
)
from govservice.sim.plots import (
    on_time_against_staffing,
    queue_over_day,
    staffing_plan,
    utilisation,
    waits_by_hour,
)
from govservice.sim.records import (
    BAULKED,
    CASE,
    CUSTOMER,
    NO_COUNTER,
    RENEGED,
    SERVED,
    VISIT,
    SimulationResult,
)
from govservice.sim.scenario import (
    Appointments,
    BackOffice,
    Backup,
    Baulk,
    Break,
    ByClass,
    ByVisit,
    CustomerClass,
    DailyProfile,
    Hall,
    Poisson,
    Probabilistic,
    Return,
    Route,
    Scenario,
    ShortestQueue,
    Staffing,
    StaffMember,
    Station,
    Surge,
)
from govservice.sim.summary import (
    ClassSummary,
    DaySummary,
    HourSummary,
    MatterSummary,
    StaffSummary,
    StationSummary,
    Summary,
)
from govservice.sim.warm import OpenCase, WarmStart, warm_start

__all__ = [
    "BAULKED",
    "CASE",
    "CUSTOMER",
    "NO_COUNTER",
    "RENEGED",
    "SERVED",
    "VISIT",
    "Appointments",
    "BackOffice",
    "Backup",
    "Baulk",
    "Break",
    "ByClass",
    "ByVisit",
    "ClassSummary",
    "CustomerClass",
    "DailyProfile",
    "DaySummary",
    "Deterministic",
    "Distribution",
    "Empirical",
    "Exponential",
    "Hall",
    "HourPlan",
    "HourSummary",
    "KaplanMeier",
    "Lognormal",
    "MatterSummary",
    "OpenCase",
    "PlanSettings",
    "Poisson",
    "Probabilistic",
    "Replications",
    "Return",
    "Roster",
    "Route",
    "Scenario",
    "ScenarioError",
    "ServiceGoal",
    "Shift",
    "ShiftRules",
    "ShortestQueue",
    "SimulationResult",
    "StaffMember",
    "StaffSummary",
    "Staffing",
    "StaffingPlan",
    "Station",
    "StationSummary",
    "Summary",
    "Surge",
    "Sweep",
    "WarmStart",
    "load_plan",
    "load_scenario",
    "on_time_against_staffing",
    "plan_staffing",
    "queue_over_day",
    "replicate",
    "scenario_from_document",
    "simulate",
    "staffing_plan",
    "student_t_interval",
    "sweep",
    "utilisation",
    "waits_by_hour",
    "warm_start",
]
