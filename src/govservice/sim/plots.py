"""Charts of a run and of a plan: waits by hour, the queue, utilisation, on-time, staffing.

matplotlib is an optional dependency (``pip install 'govservice[charts]'``),
imported only when a chart is drawn.  Each function draws on *ax* if given,
else on a new figure, and returns the figure.  When no matplotlib backend has
been chosen (no ``MPLBACKEND``, no ``matplotlib.use``, pyplot not yet
imported) the non-interactive ``Agg`` backend is selected; a backend already
set, e.g. a notebook's, is left alone.

Labels are in English; station, staff and matter names are used as they are,
drawn in Chinese with the first CJK font installed (:mod:`govservice.fonts`),
or with a warning that says how to install one.

.. versionadded:: 0.1
"""

from __future__ import annotations

import math
import sys
from collections.abc import Mapping
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import numpy.typing as npt

from govservice.fonts import cjk_charts
from govservice.sim.experiments import Replications, student_t_interval
from govservice.sim.records import SimulationResult
from govservice.sim.summary import Summary
from govservice.text import N_, Message

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from govservice.sim.planning import HourPlan, StaffingPlan

__all__ = [
    "on_time_against_staffing",
    "queue_over_day",
    "staffing_plan",
    "utilisation",
    "waits_by_hour",
]

_DAY = 1440.0


def _pyplot() -> Any:
    """``matplotlib.pyplot``, choosing ``Agg`` only when no backend is set."""
    try:
        import matplotlib
    except ImportError:
        raise ImportError(
            "govservice.sim.plots needs matplotlib: pip install 'govservice[charts]'"
        ) from None
    if "matplotlib.pyplot" not in sys.modules:
        get = getattr(matplotlib.rcParams, "_get_backend_or_none", None)
        if get is not None and get() is None:
            matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _axes(ax: Axes | None, figsize: tuple[float, float]) -> tuple[Figure, Axes]:
    plt = _pyplot()
    if ax is None:
        fig, ax = plt.subplots(figsize=figsize)
        return fig, ax
    from matplotlib.figure import Figure

    fig = ax.get_figure(root=True) if _has_root() else ax.figure
    assert isinstance(fig, Figure)
    return fig, ax


def _has_root() -> bool:
    import matplotlib

    major, minor = (int(x) for x in matplotlib.__version__.split(".")[:2])
    return (major, minor) >= (3, 10)


def _station_index(result: SimulationResult, station: str | None) -> int | None:
    if station is None:
        return None
    names = [s.name for s in result.scenario.stations]
    if station not in names:
        raise ValueError(
            Message(
                N_("no station %(station)r (stations: %(value)s)"),
                {"station": station, "value": ", ".join(names)},
            )
        )
    return names.index(station)


def _visits(result: SimulationResult, station: str | None) -> npt.NDArray[Any]:
    if result.visits is None:
        raise ValueError(Message(N_("no visit records: run simulate(..., records=True)")))
    index = _station_index(result, station)
    visits = result.visits
    return visits if index is None else visits[visits["station"] == index]


def _hhmm(minutes: float) -> str:
    return f"{int(minutes // 60):02d}:{int(minutes % 60):02d}"


@cjk_charts
def waits_by_hour(
    result: SimulationResult, *, station: str | None = None, ax: Axes | None = None
) -> Figure:
    """Mean wait (minutes) by hour of the day of arrival at the station, one bar an hour.

    Args:
        result: a run of a hall scenario with ``records=True``.
        station: one station only (default every visit).
        ax: the axes to draw on (default a new figure).

    Raises:
        ImportError: matplotlib is not installed.
        ValueError: the run kept no records, the scenario has no hall, or
            there is no such station.
    """
    _pyplot()  # matplotlib first: a clear ImportError without it
    visits = _visits(result, station)
    if result.scenario.hall is None:
        raise ValueError(Message(N_("hours of the day need a hall scenario")))
    fig, ax = _axes(ax, (8, 4))
    hour = np.floor((visits["arrival"] % _DAY) / 60).astype(np.int64)
    wait = visits["start"] - visits["arrival"]
    hours = np.unique(hour)
    means = np.array([wait[hour == h].mean() for h in hours], dtype=float)
    ax.bar(hours, means, width=0.8, align="edge", color="#1565c0")
    ax.set_xticks(hours + 0.4, [f"{h:02d}:00" for h in hours])
    ax.set_xlabel("Hour of arrival")
    ax.set_ylabel("Mean wait (minutes)")
    where = f" at {station}" if station is not None else ""
    ax.set_title(f"Mean wait{where} by hour of arrival")
    return fig


def _day_index(result: SimulationResult, day: date | str | None) -> int:
    if day is None:
        customers = result.customers if result.customers is not None else result.visits
        assert customers is not None
        counts = np.bincount(np.floor(customers["arrival"] / _DAY).astype(np.int64))
        return int(counts.argmax())
    assert result.first_day is not None
    if isinstance(day, str):
        day = date.fromisoformat(day)
    return (day - result.first_day).days


@cjk_charts
def queue_over_day(
    result: SimulationResult,
    day: date | str | None = None,
    *,
    station: str | None = None,
    ax: Axes | None = None,
) -> Figure:
    """The number waiting over one day, a step plot from the visits' arrival and start times.

    A customer is waiting at a station from arrival there until service starts.
    Without a hall the whole run is plotted, in the run's time units.

    Args:
        result: a run with ``records=True``.
        day: the day (a date or ISO ``YYYY-MM-DD``); default the day with most
            arrivals.  Only in a hall.
        station: one station only (default the whole hall).
        ax: the axes to draw on (default a new figure).

    Raises:
        ImportError: matplotlib is not installed.
        ValueError: the run kept no records, no visits on *day*, a *day*
            without a hall, or no such station.
    """
    _pyplot()  # matplotlib first: a clear ImportError without it
    visits = _visits(result, station)
    hall = result.scenario.hall is not None
    if hall:
        index = _day_index(result, day)
        visits = visits[np.floor(visits["arrival"] / _DAY) == index]
        if not len(visits):
            assert result.first_day is not None
            raise ValueError(
                Message(
                    N_("no visits on %(value)s"),
                    {"value": result.first_day + timedelta(days=index)},
                )
            )
        offset, scale = index * _DAY, 60.0
    elif day is not None:
        raise ValueError(Message(N_("days need a hall scenario")))
    else:
        offset, scale = 0.0, 1.0
    times = np.concatenate([visits["arrival"], visits["start"]])
    steps = np.concatenate([np.ones(len(visits)), -np.ones(len(visits))])
    at, inverse = np.unique(times, return_inverse=True)
    level = np.cumsum(np.bincount(inverse, weights=steps, minlength=len(at)))
    x = np.concatenate([[at[0]], at]) - offset
    y = np.concatenate([[0.0], level])
    fig, ax = _axes(ax, (8, 4))
    ax.step(x / scale, y, where="post", color="#1565c0")
    ax.set_ylim(bottom=0)
    ax.set_ylabel("Customers waiting")
    where = f" at {station}" if station is not None else ""
    if hall:
        assert result.first_day is not None
        ax.set_xlabel("Hour of the day")
        ax.set_title(f"Customers waiting{where}, {result.first_day + timedelta(days=index)}")
    else:
        ax.set_xlabel("Time")
        ax.set_title(f"Customers waiting{where}")
    return fig


@cjk_charts
def utilisation(result: SimulationResult | Summary, *, ax: Axes | None = None) -> Figure:
    """Utilisation of each station, then of each named member of staff, as horizontal bars.

    Args:
        result: a run, or its summary (no records needed).
        ax: the axes to draw on (default a new figure).

    Raises:
        ImportError: matplotlib is not installed.
    """
    _pyplot()  # matplotlib first: a clear ImportError without it
    summary = result.summary if isinstance(result, SimulationResult) else result
    stations = list(summary.stations.values())
    staff = list(summary.staff.values())
    fig, ax = _axes(ax, (8, 1.5 + 0.35 * (len(stations) + len(staff))))
    y = np.arange(len(stations) + len(staff))[::-1]
    ax.barh(
        y[: len(stations)],
        [s.utilisation for s in stations],
        color="#1565c0",
        label="station",
    )
    if staff:
        ax.barh(
            y[len(stations) :],
            [s.utilisation for s in staff],
            color="#ef6c00",
            label="staff",
        )
    labels = [s.station for s in stations] + [f"{s.name} ({s.station})" for s in staff]
    ax.set_yticks(y, labels)
    ax.axvline(1.0, color="grey", linewidth=0.8, linestyle="--")
    ax.set_xlabel("Utilisation (busy time / staff time)")
    ax.set_title("Utilisation")
    if staff:
        ax.legend(loc="lower right", fontsize=8)
    return fig


def _rates(
    entry: Replications | SimulationResult | Summary, matter: str, field: str, level: float
) -> tuple[float, float, float] | None:
    """Mean, low and high of an on-time rate; ``None`` when there is none."""
    summaries = entry.summaries if isinstance(entry, Replications) else (entry,)
    values = []
    for s in summaries:
        summary = s.summary if isinstance(s, SimulationResult) else s
        m = summary.matters.get(matter)
        if m is not None and not math.isnan(getattr(m, field)):
            values.append(float(getattr(m, field)))
    if not values:
        return None
    if len(values) == 1:
        return values[0], values[0], values[0]
    mean, low, high = student_t_interval(values, level)
    return mean, max(low, 0.0), min(high, 1.0)


@cjk_charts
def on_time_against_staffing(
    results_by_staff: Mapping[int, Replications | SimulationResult | Summary],
    *,
    matter: str | None = None,
    deadline: Literal["promised", "statutory"] = "promised",
    level: float = 0.95,
    xlabel: str = "Staff",
    ax: Axes | None = None,
) -> Figure:
    """The share of cases decided on time against the number of staff, one line per matter.

    The rate is ``MatterSummary.on_time_promised`` (or ``on_time_statutory``).
    Given :class:`Replications`, a point is the mean over the replications with
    its Student-t confidence interval as an error bar (clipped to 0–100 %).

    Example:
        ``on_time_against_staffing({n: replicate(scenario(n)) for n in (2, 3, 4)})``

    Args:
        results_by_staff: by the number of staff (or servers): a run, its
            summary or replications.
        matter: one matter code (default every matter with a rate).
        deadline: ``"promised"`` or ``"statutory"``.
        level: the confidence level of the error bars.
        xlabel: the label of the horizontal axis.
        ax: the axes to draw on (default a new figure).

    Raises:
        ImportError: matplotlib is not installed.
        ValueError: an unknown *deadline*, or no on-time rate to plot (no
            cases, or no promise against ``"promised"``).
    """
    _pyplot()  # matplotlib first: a clear ImportError without it
    if deadline not in ("promised", "statutory"):
        raise ValueError(
            Message(
                N_("deadline must be 'promised' or 'statutory' (got %(deadline)r)"),
                {"deadline": deadline},
            )
        )
    field = f"on_time_{deadline}"
    counts = sorted(results_by_staff)
    if matter is not None:
        matters = [matter]
    else:
        found: set[str] = set()
        for entry in results_by_staff.values():
            summaries = entry.summaries if isinstance(entry, Replications) else (entry,)
            for s in summaries:
                found.update((s.summary if isinstance(s, SimulationResult) else s).matters)
        matters = sorted(found)
    lines = []
    for code in matters:
        points = [(n, _rates(results_by_staff[n], code, field, level)) for n in counts]
        kept = [(n, r) for n, r in points if r is not None]
        if kept:
            lines.append((code, kept))
    if not lines:
        raise ValueError(
            Message(N_("no %(deadline)s on-time rates to plot"), {"deadline": deadline})
        )
    fig, ax = _axes(ax, (7, 4))
    for code, kept in lines:
        x = np.array([n for n, _ in kept], dtype=float)
        mean = np.array([r[0] for _, r in kept])
        err = np.array([[r[0] - r[1] for _, r in kept], [r[2] - r[0] for _, r in kept]])
        ax.errorbar(x, mean, yerr=err, marker="o", capsize=3, label=code)
    from matplotlib.ticker import MaxNLocator, PercentFormatter

    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylim(0, 1.05)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(f"On time against the {deadline} limit")
    ax.set_title("Cases decided on time")
    ax.legend(fontsize=8)
    return fig


def _plan_day(ax: Axes, hours: list[HourPlan]) -> None:
    x = np.array([h.hour for h in hours])
    ax.bar(x, [h.counters for h in hours], width=0.7, color="#1565c0", label="counters planned")
    ax.plot(x, [h.load for h in hours], "o-", color="#ef6c00", label="demand (offered load)")
    ax.plot(x, [h.erlang for h in hours], "_", color="black", markersize=14, label="Erlang C")
    ax.set_xticks(x, [f"{h:02d}" for h in x])
    day = hours[0].day
    ax.set_title(f"{day.isoformat()} {day.strftime('%a')}", fontsize=9)
    ax.set_ylabel("Counters")


def staffing_plan(
    plan: StaffingPlan, day: date | str | None = None, *, ax: Axes | None = None
) -> Figure:
    """Counters planned against demand, hour by hour: one panel per day, or *day*'s alone.

    Bars are the counters planned, the line the offered load (arrivals in the
    hour times the mean service time: the counters busy on average), the
    dashes Erlang C's first guess.

    Args:
        plan: a :class:`~govservice.sim.planning.StaffingPlan`.
        day: one day of the plan (a date or ``YYYY-MM-DD``), or ``None`` for
            every day.
        ax: the axes to draw on (one day only; default a new figure).

    Raises:
        ImportError: matplotlib is not installed.
        ValueError: *day* is not in the plan, or *ax* with several days.
    """
    plt = _pyplot()
    days = sorted({h.day for h in plan.hours})
    if day is not None:
        chosen = date.fromisoformat(day) if isinstance(day, str) else day
        if chosen not in days:
            raise ValueError(
                Message(
                    N_("%(chosen)s is not in the plan (%(value)s … %(value2)s)"),
                    {"chosen": chosen, "value": days[0], "value2": days[-1]},
                )
            )
        days = [chosen]
    if ax is not None:
        if len(days) != 1:
            raise ValueError(
                Message(N_("draw one day on given axes: staffing_plan(plan, day, ax=…)"))
            )
        fig, ax = _axes(ax, (8, 3.4))
        axes = [ax]
    else:
        fig, grid = plt.subplots(
            len(days), 1, figsize=(8, 1.2 + 2.2 * len(days)), sharex=True, squeeze=False
        )
        axes = list(grid[:, 0])
    for a, d in zip(axes, days, strict=True):
        _plan_day(a, [h for h in plan.hours if h.day == d])
    axes[0].legend(loc="upper right", fontsize=8)
    axes[-1].set_xlabel("Hour of the day")
    fig.suptitle(f"Staff against demand at {plan.station}: {plan.goal.describe()}", fontsize=10)
    return fig
