"""Streaming statistics and the summaries of a run.

Waits are accumulated as they are produced — counts, sums, sums of squares
and a histogram on a log scale (0.004 decades a bin, ≈ 1 % relative
resolution) — so a run that asks only for summaries uses memory that does not
grow with the number of customers.
"""

from __future__ import annotations

import math
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

__all__ = [
    "ClassSummary",
    "DaySummary",
    "HourSummary",
    "MatterSummary",
    "StaffSummary",
    "StationSummary",
    "Summary",
]

_LO, _HI, _BINS = -6.0, 6.0, 3000
_EDGES = np.logspace(_LO, _HI, _BINS + 1)
PERCENTILES = (50, 90, 95, 99)
_GROUPS = ("stations", "classes", "days", "hours", "staff", "matters")


class Accumulator:
    """Count, mean, variance, P(x > 0), maximum and percentiles of a stream of times."""

    def __init__(self) -> None:
        self.n = 0
        self.total = 0.0
        self.total_sq = 0.0
        self.positive = 0
        self.maximum = 0.0
        self.hist = np.zeros(_BINS + 2, dtype=np.int64)  # [0]: zeros/tiny, [-1]: overflow

    def add(self, x: npt.NDArray[np.float64]) -> None:
        """Add a block of values."""
        if not len(x):
            return
        x = np.ascontiguousarray(x)  # a field of the engine's records: strided
        self.n += len(x)
        self.total += float(x.sum())
        self.total_sq += float(np.einsum("i,i->", x, x))  # not BLAS: no threads to wake
        pos = x[x > 0]
        self.positive += len(pos)
        self.hist[0] += len(x) - len(pos)
        if len(pos):
            self.maximum = max(self.maximum, float(pos.max()))
            idx = np.searchsorted(_EDGES, pos, side="right")
            self.hist += np.bincount(idx, minlength=_BINS + 2)[: _BINS + 2]

    @property
    def mean(self) -> float:
        """The mean (NaN when empty)."""
        return self.total / self.n if self.n else math.nan

    @property
    def sd(self) -> float:
        """The sample standard deviation (NaN below two values)."""
        if self.n < 2:
            return math.nan
        var = (self.total_sq - self.total * self.total / self.n) / (self.n - 1)
        return math.sqrt(max(var, 0.0))

    def percentile(self, q: float) -> float:
        """The *q*-th percentile, interpolated within its histogram bin."""
        if not self.n:
            return math.nan
        rank = q / 100 * self.n
        cum = np.cumsum(self.hist)
        i = int(np.searchsorted(cum, rank, side="left"))
        if i == 0:
            return 0.0
        if i > _BINS:
            return self.maximum
        below = cum[i - 1]
        frac = (rank - below) / self.hist[i] if self.hist[i] else 0.0
        lo, hi = math.log10(_EDGES[i - 1]), math.log10(_EDGES[i])
        return float(min(10 ** (lo + frac * (hi - lo)), self.maximum))


def _nan_to_none(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _to_dict(obj: Any) -> dict[str, Any]:
    return {k: _nan_to_none(v) for k, v in attrs.asdict(obj, recurse=False).items()}


@attrs.frozen
class StationSummary:
    """Waits, service, queue and load at one station.

    Attributes:
        station: its name.
        customers: visits counted (after the warm-up): served, and abandoned
            after waiting.
        mean_wait: mean wait in the queue (until served or abandoned).
        sd_wait: standard deviation of the wait.
        p_wait: the share of customers who waited at all.
        p50_wait: median wait (histogram, ≈ 1 % resolution); likewise
            ``p90_wait``, ``p95_wait``, ``p99_wait``.
        max_wait: the longest wait.
        mean_service: mean service time of those served.
        mean_sojourn: mean wait plus service.
        mean_queue: time-average number waiting (by Little's law, over the
            observed time: open hours in a hall).
        utilisation: busy time over the staff time on the roster (a hall) or
            servers × observed time, plus the time spare counters were open;
            overtime after closing can push it over 1.
        backup_calls: how many times a spare counter opened (``Station(backup=…)``,
            after the warm-up).
        backup_minutes: the time spare counters were open (after the warm-up),
            in minutes in a hall.
        abandoned: customers who left the queue unserved when their patience
            ran out (after the warm-up); they count in ``customers`` and the
            waits, with the time they waited.
        baulked: customers who did not join the queue (after the warm-up);
            they count nowhere else here.

    .. versionadded:: 0.1
    """

    station: str
    customers: int
    mean_wait: float
    sd_wait: float
    p_wait: float
    p50_wait: float
    p90_wait: float
    p95_wait: float
    p99_wait: float
    max_wait: float
    mean_service: float
    mean_sojourn: float
    mean_queue: float
    utilisation: float
    backup_calls: int = 0
    backup_minutes: float = 0.0
    abandoned: int = 0
    baulked: int = 0

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (NaN as ``None``)."""
        return _to_dict(self)


@attrs.frozen
class ClassSummary:
    """Waits and time in the hall of one customer class.

    Attributes:
        name: the class.
        customers: customers counted (after the warm-up) who left.
        mean_wait: mean total wait over the customer's visits.
        p90_wait: 90th percentile of the total wait; ``p95_wait`` likewise.
        mean_time_in_system: mean time from arrival to leaving.
        abandoned: customers who left a queue unserved (reneged).
        baulked: customers who did not join a queue.
        abandonment_rate: ``(abandoned + baulked) / customers``.

    .. versionadded:: 0.1
    """

    name: str
    customers: int
    mean_wait: float
    p90_wait: float
    p95_wait: float
    mean_time_in_system: float
    abandoned: int = 0
    baulked: int = 0
    abandonment_rate: float = attrs.field()

    @abandonment_rate.default
    def _rate(self) -> float:
        return (self.abandoned + self.baulked) / self.customers if self.customers else math.nan

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (NaN as ``None``)."""
        return _to_dict(self)


@attrs.frozen
class DaySummary:
    """One working day of a hall.

    Attributes:
        day: the date, ISO ``YYYY-MM-DD``.
        arrivals: customers who took a ticket.
        mean_wait: their mean total wait.
        last_departure: minutes after midnight when the last one left.

    .. versionadded:: 0.1
    """

    day: str
    arrivals: int
    mean_wait: float
    last_departure: float

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (NaN as ``None``)."""
        return _to_dict(self)


@attrs.frozen
class HourSummary:
    """The customers who took a ticket in one hour of the day, over all days (a hall only).

    Keyed ``"09"`` for every class together, ``"09/walk-in"`` for one class.

    Attributes:
        hour: the hour of the day of arrival in the hall.
        cls: the class, or ``None`` for all together.
        customers: customers counted (after the warm-up).
        mean_wait: their mean total wait (until served, or until leaving).
        abandoned: those who left a queue unserved (reneged).
        baulked: those who did not join a queue.
        abandonment_rate: ``(abandoned + baulked) / customers``.

    .. versionadded:: 0.1
    """

    hour: int
    cls: str | None
    customers: int
    mean_wait: float
    abandoned: int
    baulked: int
    abandonment_rate: float

    @classmethod
    def of(cls, hour: int, name: str | None, n: int, wait: float, outcomes: Any) -> HourSummary:
        """From a count, a total wait and the counts by outcome (served, reneged, baulked)."""
        gone = int(outcomes[1]), int(outcomes[2])
        return cls(hour, name, n, wait / n, *gone, sum(gone) / n)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (NaN as ``None``)."""
        return _to_dict(self)


@attrs.frozen
class StaffSummary:
    """One named member of staff.

    Attributes:
        name: the staff member.
        station: where they work.
        customers: customers served (after the warm-up).
        busy: minutes serving.
        rostered: minutes at the counter on the roster.
        breaks: minutes on break.
        utilisation: ``busy / rostered``.

    .. versionadded:: 0.1
    """

    name: str
    station: str
    customers: int
    busy: float
    rostered: float
    breaks: float
    utilisation: float

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (NaN as ``None``)."""
        return _to_dict(self)


@attrs.frozen
class MatterSummary:
    """The cases of one matter: how many, and how many were decided in time.

    A back office of unlimited capacity decides every case, within the run or
    after its end; one with limited capacity (``BackOffice(officers=…)``)
    decides only on the simulated days, and leaves the rest *pending*: neither
    on time nor late.

    Attributes:
        matter: the matter code.
        cases: cases accepted (after the warm-up).
        on_time_promised: share of the decided cases decided by the promised
            deadline (NaN without a promise).
        on_time_statutory: share of the decided cases decided by the
            statutory deadline.
        mean_working_days: mean working days from acceptance to decision of
            the decided cases.
        carried: open cases carried over from the warm start
            (``Scenario.initial``).
        carried_on_time_promised: carried cases decided by their promised
            deadline.
        carried_on_time_statutory: carried cases decided by their statutory
            deadline.
        pending: cases, accepted (after the warm-up) or carried, still
            undecided at the end of the last simulated day.
        overdue: pending cases past their promised deadline (the statutory
            one without a promise) at the end of the last simulated day.
        missed_promised: cases, accepted (after the warm-up) or carried, that
            miss their promise: decided after it, or pending past it.

    .. versionadded:: 0.1
    """

    matter: str
    cases: int
    on_time_promised: float
    on_time_statutory: float
    mean_working_days: float
    carried: int = 0
    carried_on_time_promised: int = 0
    carried_on_time_statutory: int = 0
    pending: int = 0
    overdue: int = 0
    missed_promised: int = 0

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (NaN as ``None``)."""
        return _to_dict(self)


@attrs.frozen
class Summary:
    """Everything a run reports, by station, class, day, staff member and matter.

    Attributes:
        scenario: the scenario's name.
        seed: the seed of the run.
        replication: the replication number.
        customers: customers who arrived (warm-up included).
        observed: the observed time (after the warm-up; open time in a hall).
        stations: by station name.
        classes: by class name.
        days: by working day (a hall only).
        staff: by staff name (named staff only).
        matters: by matter code.
        hours: by hour of arrival, all classes (``"09"``) and by class
            (``"09/walk-in"``) (a hall only).

    .. versionadded:: 0.1
    """

    scenario: str
    seed: int
    replication: int
    customers: int
    observed: float
    stations: dict[str, StationSummary]
    classes: dict[str, ClassSummary]
    days: dict[str, DaySummary]
    staff: dict[str, StaffSummary]
    matters: dict[str, MatterSummary]
    hours: dict[str, HourSummary] = attrs.field(factory=dict)

    def value(self, path: str) -> float:
        """A figure by its path, e.g. ``"stations.W1.mean_wait"`` or ``"customers"``.

        Raises:
            KeyError: no such figure.
        """
        parts = path.split(".")
        if len(parts) == 1:
            return float(getattr(self, parts[0]))
        if len(parts) != 3 or parts[0] not in _GROUPS:
            raise KeyError(path)
        group = getattr(self, parts[0])
        if parts[1] not in group or not hasattr(group[parts[1]], parts[2]):
            raise KeyError(path)
        return float(getattr(group[parts[1]], parts[2]))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "scenario": self.scenario,
            "seed": self.seed,
            "replication": self.replication,
            "customers": self.customers,
            "observed": self.observed,
            **{
                group: {k: v.to_dict() for k, v in getattr(self, group).items()}
                for group in _GROUPS
            },
        }
