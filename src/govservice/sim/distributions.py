"""Service-time and processing-time distributions.

A distribution is any object with a ``sample(rng, size)`` method returning a
NumPy array of *size* non-negative floats drawn with the given
:class:`numpy.random.Generator` (Ciw's ``Distribution`` is the model: one
method, checked by the host).  The simulator draws in blocks, so a
distribution is called a few times per run, not once per customer.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable

import attrs
import numpy as np
import numpy.typing as npt

from govservice.sim._checks import non_negative, positive
from govservice.sim.errors import ScenarioError

__all__ = [
    "Deterministic",
    "Distribution",
    "Empirical",
    "Exponential",
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
        raise ScenarioError("an empirical distribution needs at least one observation")
    if any(not math.isfinite(v) or v < 0 for v in data):
        raise ScenarioError("empirical observations must be finite and non-negative")
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


def draw(dist: Distribution, rng: np.random.Generator, size: int, what: str) -> FloatArray:
    """Draw *size* times from *dist* and check them, naming *what* on a bad draw.

    Raises:
        ScenarioError: the draws are not *size* finite non-negative numbers.

    .. versionadded:: 0.1
    """
    try:
        out = np.asarray(dist.sample(rng, size), dtype=np.float64)
    except (TypeError, ValueError) as e:
        raise ScenarioError(f"{what}: sampling {dist!r} failed: {e}") from None
    if out.shape != (size,) or not np.all(np.isfinite(out)) or np.any(out < 0):
        raise ScenarioError(
            f"{what}: {dist!r} sampled invalid times (expected {size} finite non-negative values)"
        )
    return out
