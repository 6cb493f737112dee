"""Replications with confidence intervals, and sweeps over many scenarios.

Replication *r* of seed *s* draws every stream from ``SeedSequence(s,
spawn_key=(r, name))``: replications are independent, and two scenarios run
with the same seed share the streams they have in common (common random
numbers), which sharpens comparisons between them.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from typing import Any

import attrs

from govservice.sim.engine import simulate
from govservice.sim.scenario import Scenario
from govservice.sim.summary import Summary

__all__ = ["Replications", "replicate", "student_t_interval", "sweep"]


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
        >>> mean, low, high = student_t_interval([1.0, 2.0, 3.0])
        >>> mean, round(low, 3), round(high, 3)     # t(0.975, 2) = 4.303
        (2.0, -0.484, 4.484)

    Raises:
        ValueError: fewer than two values, or *level* outside (0, 1).

    .. versionadded:: 0.1
    """
    if len(values) < 2:
        raise ValueError("a confidence interval needs at least two replications")
    if not 0 < level < 1:
        raise ValueError(f"level must be in (0, 1) (got {level})")
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


def _one(task: tuple[Scenario, int, int]) -> Summary:
    scenario, seed, replication = task
    return simulate(scenario, seed=seed, replication=replication).summary


def replicate(
    scenario: Scenario,
    *,
    replications: int = 10,
    seed: int = 0,
    executor: Executor | None = None,
) -> Replications:
    """Run *replications* independent replications of *scenario* (in this process by default).

    .. versionadded:: 0.1
    """
    tasks = [(scenario, seed, r) for r in range(replications)]
    mapped = executor.map(_one, tasks) if executor is not None else map(_one, tasks)
    return Replications(scenario.name, tuple(mapped))


def _progress(total: int, progress: bool | Callable[[int], Any]) -> Callable[[], None]:
    if callable(progress):
        counter = [0]

        def tick_callback() -> None:
            counter[0] += 1
            progress(counter[0])

        return tick_callback
    if not progress:
        return lambda: None
    try:
        from tqdm.auto import tqdm
    except ImportError:
        raise ImportError("a progress bar needs tqdm: pip install 'govservice[progress]'") from None
    bar = tqdm(total=total, unit="run")
    return lambda: bar.update(1)


def sweep(
    scenarios: Iterable[Scenario],
    *,
    replications: int = 10,
    seed: int = 0,
    executor: Executor | None = None,
    progress: bool | Callable[[int], Any] = False,
) -> list[Replications]:
    """Replicate every scenario, each replication a task on *executor*.

    Args:
        scenarios: the scenarios; each is run with the same seed, so they
            share their common streams.
        replications: replications per scenario.
        seed: the seed.
        executor: any :class:`concurrent.futures.Executor` (for Dask,
            ``client.get_executor()``); default a new process pool.  Scenarios
            and their distributions must be picklable for processes.
        progress: ``True`` for a tqdm bar (optional dependency), or a
            callable given the number of runs done.

    Returns:
        One :class:`Replications` per scenario, in order.

    .. versionadded:: 0.1
    """
    scenarios = list(scenarios)
    own = executor is None
    pool: Executor = ProcessPoolExecutor() if executor is None else executor
    tick = _progress(len(scenarios) * replications, progress)
    try:
        futures = [
            [pool.submit(_one, (sc, seed, r)) for r in range(replications)] for sc in scenarios
        ]
        out = []
        for sc, row in zip(scenarios, futures, strict=True):
            summaries = []
            for f in row:
                summaries.append(f.result())
                tick()
            out.append(Replications(sc.name, tuple(summaries)))
        return out
    finally:
        if own:
            pool.shutdown()
