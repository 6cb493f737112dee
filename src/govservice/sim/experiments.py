"""Replications with confidence intervals, and sweeps over many scenarios.

Replication *r* of seed *s* draws every stream from ``SeedSequence(s,
spawn_key=(r, name))``: replications are independent, and two scenarios run
with the same seed share the streams they have in common (common random
numbers), which sharpens comparisons between them.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from typing import Any, overload

import attrs

from govservice.progress import Progress, tracker
from govservice.sim.engine import simulate
from govservice.sim.records import pandas
from govservice.sim.scenario import Scenario
from govservice.sim.summary import Summary
from govservice.text import N_, Message

__all__ = ["Replications", "Sweep", "replicate", "student_t_interval", "sweep"]

_TABLES = ("stations", "classes", "days", "staff", "matters")


def _betacf(a: float, b: float, x: float) -> float:
    """Continued fraction of the incomplete beta function (Lentz's method)."""
    tiny = 1e-300
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1)
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 300):
        for num in (
            m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)),
        ):
            d = 1.0 + num * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + num / c
            c = c if abs(c) > tiny else tiny
            h *= d * c
        if abs(d * c - 1.0) < 1e-15:
            break
    return h


def _t_cdf(t: float, df: float) -> float:
    x = df / (df + t * t)
    a, b = df / 2, 0.5
    front = math.exp(
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    ibeta = (
        front * _betacf(a, b, x) / a
        if x < (a + 1) / (a + b + 2)
        else 1 - front * _betacf(b, a, 1 - x) / b
    )
    return 1 - ibeta / 2 if t > 0 else ibeta / 2


def _t_quantile(p: float, df: float) -> float:
    lo, hi = 0.0, 1e3
    for _ in range(200):
        mid = (lo + hi) / 2
        if _t_cdf(mid, df) < p:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def student_t_interval(values: Sequence[float], level: float = 0.95) -> tuple[float, float, float]:
    """The mean of *values* and its Student-t confidence interval.

    Example:
        >>> from govservice.sim import student_t_interval
        >>> mean, low, high = student_t_interval([1.0, 2.0, 3.0])
        >>> mean, round(low, 3), round(high, 3)     # t(0.975, 2) = 4.303
        (2.0, -0.484, 4.484)

    Raises:
        ValueError: fewer than two values, or *level* outside (0, 1).

    .. versionadded:: 0.1
    """
    if len(values) < 2:
        raise ValueError(Message(N_("a confidence interval needs at least two replications")))
    if not 0 < level < 1:
        raise ValueError(Message(N_("level must be in (0, 1) (got %(level)s)"), {"level": level}))
    mean = statistics.fmean(values)
    half = _t_quantile((1 + level) / 2, len(values) - 1) * statistics.stdev(values)
    half /= math.sqrt(len(values))
    return mean, mean - half, mean + half


@attrs.frozen
class Replications:
    """The summaries of independent replications of one scenario.

    .. versionadded:: 0.1
    """

    scenario: str
    summaries: tuple[Summary, ...]

    def values(self, path: str) -> list[float]:
        """A figure of every replication, e.g. ``"stations.W1.mean_wait"``."""
        return [s.value(path) for s in self.summaries]

    def interval(self, path: str, level: float = 0.95) -> tuple[float, float, float]:
        """Mean and Student-t confidence interval of a figure over the replications."""
        return student_t_interval(self.values(path), level)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: every replication's summary."""
        return {"scenario": self.scenario, "replications": [s.to_dict() for s in self.summaries]}

    def figures(self) -> list[str]:
        """The paths of every figure the replications have, e.g. ``"stations.W1.mean_wait"``.

        Tables in the order of the summary (stations, classes, days, staff,
        matters), names and figures as the first replication gives them;
        counts and rates, not names.
        """
        if not self.summaries:
            return []
        doc = self.summaries[0].to_dict()
        return [
            f"{table}.{name}.{figure}"
            for table in _TABLES
            for name, row in doc[table].items()
            for figure, value in row.items()
            if value is None or (isinstance(value, int | float) and not isinstance(value, bool))
        ]

    def intervals(self, level: float = 0.95) -> dict[str, tuple[float, float, float]]:
        """Mean and Student-t interval of every figure (:meth:`figures`), NaN where undefined.

        A figure that is NaN in some replication (a station nobody visited)
        has NaN as its mean and bounds.
        """
        out = {}
        for path in self.figures():
            values = self.values(path)
            if any(math.isnan(v) for v in values):
                out[path] = (math.nan, math.nan, math.nan)
            elif len(values) < 2:
                out[path] = (values[0], math.nan, math.nan)
            else:
                out[path] = student_t_interval(values, level)
        return out

    def to_dataframe(self) -> Any:
        """Every figure of every replication as a long ``pandas.DataFrame``.

        Columns ``scenario``, ``replication``, ``table`` (``stations``,
        ``classes``, ``days``, ``staff``, ``matters``), ``name``, ``figure``
        and ``value``: one row per figure of each replication, ready for
        ``groupby`` or ``pivot_table``.

        Example:
            >>> from govservice.sim import (CustomerClass, Exponential, Poisson, Scenario,
            ...     Station, replicate)
            >>> mm1 = Scenario(stations=[Station("s", 1, service=Exponential(1.0))],
            ...                classes=[CustomerClass("a", Poisson(0.5), route="s")],
            ...                customers=500)
            >>> df = replicate(mm1, replications=3).to_dataframe()
            >>> waits = df[(df.table == "stations") & (df.figure == "mean_wait")]
            >>> list(waits.replication)
            [0, 1, 2]

        Raises:
            ImportError: pandas is not installed (``pip install 'govservice[pandas]'``).
        """
        pd = pandas()
        rows = []
        for s in self.summaries:
            for path in self.figures():
                table, name, figure = path.split(".", 2)
                rows.append((self.scenario, s.replication, table, name, figure, s.value(path)))
        columns = ["scenario", "replication", "table", "name", "figure", "value"]
        return pd.DataFrame(rows, columns=columns)


@attrs.frozen
class Sweep(Sequence[Replications]):
    """The replications of every scenario of a sweep, in order: a sequence of :class:`Replications`.

    .. versionadded:: 0.1
    """

    results: tuple[Replications, ...]

    @overload
    def __getitem__(self, index: int) -> Replications: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Replications]: ...
    def __getitem__(self, index: int | slice) -> Replications | Sequence[Replications]:
        return self.results[index]

    def __len__(self) -> int:
        return len(self.results)

    def __iter__(self) -> Iterator[Replications]:
        return iter(self.results)

    def to_dataframe(self) -> Any:
        """Every figure of every run of every scenario, as :meth:`Replications.to_dataframe`.

        Rows of the scenarios in the sweep's order; ``scenario`` tells them
        apart (give the scenarios distinct names).

        Raises:
            ImportError: pandas is not installed (``pip install 'govservice[pandas]'``).
        """
        pd = pandas()
        frames = [r.to_dataframe() for r in self.results]
        if not frames:
            columns = ["scenario", "replication", "table", "name", "figure", "value"]
            return pd.DataFrame(columns=columns)
        return pd.concat(frames, ignore_index=True)


def _one(task: tuple[Scenario, int, int]) -> Summary:
    scenario, seed, replication = task
    return simulate(scenario, seed=seed, replication=replication).summary


def replicate(
    scenario: Scenario,
    *,
    replications: int = 10,
    seed: int = 0,
    executor: Executor | None = None,
    progress: Progress = False,
) -> Replications:
    """Run *replications* independent replications of *scenario* (in this process by default).

    Args:
        scenario: the scenario.
        replications: how many.
        seed: the seed.
        executor: any :class:`concurrent.futures.Executor`; default this process.
        progress: a bar over the replications (see :mod:`govservice.progress`).

    .. versionadded:: 0.1
    """
    tasks = [(scenario, seed, r) for r in range(replications)]
    mapped = executor.map(_one, tasks) if executor is not None else map(_one, tasks)
    summaries = []
    with tracker(progress, replications, "runs", scenario.name or None) as step:
        for summary in mapped:
            summaries.append(summary)
            step()
    return Replications(scenario.name, tuple(summaries))


def sweep(
    scenarios: Iterable[Scenario],
    *,
    replications: int = 10,
    seed: int = 0,
    executor: Executor | None = None,
    progress: Progress = False,
) -> Sweep:
    """Replicate every scenario, each replication a task on *executor*.

    Args:
        scenarios: the scenarios; each is run with the same seed, so they
            share their common streams.
        replications: replications per scenario.
        seed: the seed.
        executor: any :class:`concurrent.futures.Executor` (for Dask,
            ``client.get_executor()``); default a new process pool.  Scenarios
            and their distributions must be picklable for processes.
        progress: a bar over every run (see :mod:`govservice.progress`).

    Returns:
        One :class:`Replications` per scenario, in order, as a :class:`Sweep`.

    .. versionadded:: 0.1
    """
    scenarios = list(scenarios)
    own = executor is None
    pool: Executor = ProcessPoolExecutor() if executor is None else executor
    try:
        futures = [
            [pool.submit(_one, (sc, seed, r)) for r in range(replications)] for sc in scenarios
        ]
        out = []
        with tracker(progress, len(scenarios) * replications, "runs", "sweep") as step:
            for sc, row in zip(scenarios, futures, strict=True):
                summaries = []
                for f in row:
                    summaries.append(f.result())
                    step()
                out.append(Replications(sc.name, tuple(summaries)))
        return Sweep(tuple(out))
    finally:
        if own:
            pool.shutdown()
