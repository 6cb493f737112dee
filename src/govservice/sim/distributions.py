"""Service-time and processing-time distributions.

A distribution is any object with a ``sample(rng, size)`` method returning a
NumPy array of *size* non-negative floats drawn with the given
:class:`numpy.random.Generator` (Ciw's ``Distribution`` is the model: one
method, checked by the host).  The simulator draws in blocks, so a
distribution is called a few times per run, not once per customer.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable

import attrs
import numpy as np
import numpy.typing as npt

from govservice.sim._checks import non_negative, positive
from govservice.sim.errors import ScenarioError
from govservice.text import N_, Message

__all__ = [
    "Deterministic",
    "Distribution",
    "Empirical",
    "Exponential",
    "KaplanMeier",
    "Lognormal",
    "draw",
]

FloatArray = npt.NDArray[np.float64]


@runtime_checkable
class Distribution(Protocol):
    """What the simulator needs of a distribution: one ``sample`` method.

    .. versionadded:: 0.1
    """

    def sample(self, rng: np.random.Generator, size: int) -> Any:
        """*size* non-negative draws as a sequence of floats."""


@attrs.frozen
class Exponential:
    """Exponential times with the given mean (rate ``1 / mean``).

    Example:
        >>> import numpy as np
        >>> from govservice.sim import Exponential
        >>> Exponential(2.0).sample(np.random.default_rng(1), 3).round(3)
        array([ 2.146,  0.617, 10.751])

    .. versionadded:: 0.1
    """

    mean: float = attrs.field(validator=positive)

    def sample(self, rng: np.random.Generator, size: int) -> FloatArray:
        """*size* draws."""
        return rng.exponential(self.mean, size)


@attrs.frozen
class Lognormal:
    """Lognormal times given by their own mean and standard deviation.

    Args:
        mean: the mean of the times (not of their logarithm).
        sd: the standard deviation of the times.

    .. versionadded:: 0.1
    """

    mean: float = attrs.field(validator=positive)
    sd: float = attrs.field(validator=positive)

    @property
    def mu_sigma(self) -> tuple[float, float]:
        """The parameters of the underlying normal distribution."""
        s2 = math.log1p((self.sd / self.mean) ** 2)
        return math.log(self.mean) - s2 / 2, math.sqrt(s2)

    def sample(self, rng: np.random.Generator, size: int) -> FloatArray:
        """*size* draws."""
        mu, sigma = self.mu_sigma
        return rng.lognormal(mu, sigma, size)


@attrs.frozen
class Deterministic:
    """Always the same time.

    .. versionadded:: 0.1
    """

    value: float = attrs.field(validator=non_negative)

    def sample(self, rng: np.random.Generator, size: int) -> FloatArray:
        """*size* copies of the value (the generator is not advanced)."""
        return np.full(size, float(self.value))


def _observations(value: Sequence[float] | npt.ArrayLike) -> tuple[float, ...]:
    data = tuple(float(v) for v in np.asarray(value, dtype=float).ravel())
    if not data:
        raise ScenarioError(N_("an empirical distribution needs at least one observation"))
    if any(not math.isfinite(v) or v < 0 for v in data):
        raise ScenarioError(N_("empirical observations must be finite and non-negative"))
    return data


@attrs.frozen
class Empirical:
    """Times resampled from observed data (e.g. service times logged at the windows).

    Example:
        >>> import numpy as np
        >>> from govservice.sim import Empirical
        >>> Empirical([3.0, 5.0, 8.0]).sample(np.random.default_rng(0), 4)
        array([8., 5., 5., 3.])

    .. versionadded:: 0.1
    """

    observations: tuple[float, ...] = attrs.field(converter=_observations)

    def sample(self, rng: np.random.Generator, size: int) -> FloatArray:
        """*size* draws, with replacement."""
        data = np.asarray(self.observations)
        return data[rng.integers(0, len(data), size)]


def _times(value: Sequence[float] | npt.ArrayLike) -> tuple[float, ...]:
    return tuple(float(v) for v in np.asarray(value, dtype=float).ravel())


def _survival(instance: KaplanMeier, attribute: attrs.Attribute[Any], value: Any) -> None:
    t, s = instance.times, value
    if len(t) != len(s) or not t:
        raise ScenarioError(N_("a Kaplan–Meier curve needs as many survival values as times (≥ 1)"))
    if any(b <= a for a, b in itertools.pairwise(t)) or t[0] < 0:
        raise ScenarioError(N_("Kaplan–Meier times must be non-negative and increasing"))
    if any(not 0 <= x <= 1 for x in s) or any(b > a for a, b in itertools.pairwise(s)):
        raise ScenarioError(N_("Kaplan–Meier survival must be in [0, 1] and not increase"))


@attrs.frozen
class KaplanMeier:
    """Times drawn from a Kaplan–Meier survival curve, with an exponential tail.

    For patience estimated from waits that are partly *censored*: a customer
    who was served reveals only that his patience exceeded his wait, one who
    left reveals his patience.  ``S(t)`` is the product over the times ``tᵢ
    ≤ t`` at which someone left of ``1 - dᵢ / nᵢ`` (``dᵢ`` left then, ``nᵢ``
    still waiting just before; Kaplan & Meier, *JASA* 53, 1958).  A draw takes
    a uniform ``u`` and returns the first ``tᵢ`` with ``S(tᵢ) ≤ u``; beyond the
    last one (``u < S(t_last)``, patience longer than anyone was seen to
    leave) it returns ``t_last`` plus an exponential of rate *tail_rate* (by
    default the constant hazard fitted to all the data: those who left over
    the total time waited).

    Args:
        times: the times at which someone left, increasing.
        survival: ``S`` just after each of them.
        tail_rate: the hazard beyond the last time.

    Example:
        >>> from govservice.sim import KaplanMeier
        >>> km = KaplanMeier.fit([2.0, 3.0, 3.0, 5.0, 8.0], [True, True, False, True, False])
        >>> km.times, [round(x, 3) for x in km.survival]   # 4/5, then × 3/4 and × 1/2
        ((2.0, 3.0, 5.0), [0.8, 0.6, 0.3])

    .. versionadded:: 0.1
    """

    times: tuple[float, ...] = attrs.field(converter=_times, repr=False)
    survival: tuple[float, ...] = attrs.field(converter=_times, validator=_survival, repr=False)
    tail_rate: float = attrs.field(validator=positive)

    @property
    def median(self) -> float:
        """The first time by which half have left (the tail's median beyond the curve)."""
        if self.survival[-1] > 0.5:
            return self.times[-1] + math.log(2 * self.survival[-1]) / self.tail_rate
        return self.times[int(np.argmax(np.asarray(self.survival) <= 0.5))]

    @classmethod
    def fit(
        cls, durations: Sequence[float] | npt.ArrayLike, observed: Sequence[bool] | npt.ArrayLike
    ) -> KaplanMeier:
        """The Kaplan–Meier estimate from *durations*, *observed* where the event happened.

        Raises:
            ScenarioError: no event was observed (the curve never falls), or
                the data are not finite and non-negative.
        """
        d = np.asarray(durations, dtype=float).ravel()
        e = np.asarray(observed, dtype=bool).ravel()
        if len(d) != len(e) or not np.all(np.isfinite(d)) or np.any(d < 0):
            raise ScenarioError(
                N_("Kaplan–Meier needs finite non-negative durations, one flag each")
            )
        if not e.any():
            raise ScenarioError(N_("Kaplan–Meier needs at least one observed event"))
        times, left = np.unique(d[e], return_counts=True)
        at_risk = len(d) - np.searchsorted(np.sort(d), times, side="left")
        survival = np.cumprod(1 - left / at_risk)
        return cls(times, survival, float(e.sum() / d.sum()) if d.sum() > 0 else 1.0)

    def at(self, t: float) -> float:
        """``S(t)``: the share whose time exceeds *t*."""
        i = int(np.searchsorted(self.times, t, side="right"))
        return 1.0 if i == 0 else self.survival[i - 1]

    def sample(self, rng: np.random.Generator, size: int) -> FloatArray:
        """*size* draws."""
        u = rng.random(size)
        s = np.asarray(self.survival)
        # the first index with S <= u: S decreases, so search the reversed curve
        idx = len(s) - np.searchsorted(s[::-1], u, side="left")
        out = np.asarray(self.times)[np.minimum(idx, len(s) - 1)]
        beyond = idx >= len(s)
        if beyond.any():
            out = out.copy()
            out[beyond] = self.times[-1] + rng.exponential(1 / self.tail_rate, int(beyond.sum()))
        result: FloatArray = out
        return result


def draw(dist: Distribution, rng: np.random.Generator, size: int, what: str) -> FloatArray:
    """Draw *size* times from *dist* and check them, naming *what* on a bad draw.

    Raises:
        ScenarioError: the draws are not *size* finite non-negative numbers.

    .. versionadded:: 0.1
    """
    try:
        out = np.asarray(dist.sample(rng, size), dtype=np.float64)
    except (TypeError, ValueError) as e:
        raise ScenarioError(
            Message(
                N_("%(what)s: sampling %(dist)r failed: %(e)s"),
                {"what": what, "dist": dist, "e": e},
            )
        ) from None
    if out.shape != (size,) or not np.all(np.isfinite(out)) or np.any(out < 0):
        raise ScenarioError(
            Message(
                N_(
                    "%(what)s: %(dist)r sampled invalid times (expected %(size)s finite "
                    "non-negative values)"
                ),
                {"what": what, "dist": dist, "size": size},
            )
        )
    return out
