"""Queueing formulas the simulator is checked against, and the planner starts from.

- :class:`ErlangC` — M/M/c: the probability of waiting, the mean wait and
  the distribution of the wait (Erlang's C formula).
- :class:`ErlangA` — M/M/c+M, customers who abandon after an exponential
  patience (Palm's model, "Erlang A"): the probability of waiting, of
  abandoning, and the mean wait, from its birth–death chain.
- :func:`cobham` — M/M/c with non-preemptive priority classes of equal
  service rate: the mean wait of each class (Cobham's formula).
- :func:`jackson` — an open Jackson network (Poisson arrivals, exponential
  service, Markov routing, revisits allowed): each station is an M/M/c at
  the arrival rate of the traffic equations (the product form).

Rates are per unit of time (per minute in a hall); waits are in the same
unit.  Only NumPy is used.

.. versionadded:: 0.1
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import attrs
import numpy as np
import numpy.typing as npt

from govservice.sim._checks import integer_from, non_negative, positive
from govservice.text import N_, Message

__all__ = ["ErlangA", "ErlangC", "cobham", "jackson", "square_root_staffing"]


def _stable(instance: ErlangC, attribute: attrs.Attribute[float], value: float) -> None:
    if instance.arrival_rate >= instance.servers * value:
        raise ValueError(
            Message(
                N_(
                    "M/M/%(servers)s at arrival rate %(arrival_rate)s and service rate %(value)s "
                    "is unstable (load %(value2)s ≥ %(servers)s servers)"
                ),
                {
                    "servers": instance.servers,
                    "arrival_rate": instance.arrival_rate,
                    "value": value,
                    "value2": f"{instance.arrival_rate / value:.3g}",
                },
            )
        )


@attrs.frozen
class ErlangC:
    """The M/M/c queue: Poisson arrivals, *servers* exponential servers, first come first served.

    With offered load ``a = λ/μ`` and ``ρ = a/c < 1``, the probability that an
    arrival waits is Erlang's C formula,
    ``C = [a^c / (c! (1-ρ))] / [Σ_{n<c} a^n/n! + a^c / (c! (1-ρ))]``, the
    wait is 0 with probability ``1 - C`` and otherwise exponential with rate
    ``cμ - λ``, so the mean wait is ``C / (cμ - λ)`` (Gross, Shortle, Thompson
    & Harris, *Fundamentals of Queueing Theory*, 4th ed., §2.3).

    Example:
        >>> from govservice.sim.theory import ErlangC
        >>> q = ErlangC(servers=1, arrival_rate=0.8, service_rate=1.0)
        >>> round(q.p_wait, 6), round(q.mean_wait, 6)     # M/M/1: ρ, ρ/(μ-λ)
        (0.8, 4.0)

    Raises:
        ValueError: the queue is unstable (``λ ≥ cμ``).

    .. versionadded:: 0.1
    """

    servers: int = attrs.field(validator=integer_from(1))
    arrival_rate: float = attrs.field(validator=non_negative)
    service_rate: float = attrs.field(validator=[positive, _stable])

    @property
    def load(self) -> float:
        """The offered load ``λ/μ`` (busy servers on average)."""
        return self.arrival_rate / self.service_rate

    @property
    def p_wait(self) -> float:
        """The probability that an arrival waits (Erlang C)."""
        c, a = self.servers, self.load
        # a^n/n! accumulated in floating point, scaled to avoid overflow
        term, total = 1.0, 1.0
        for n in range(1, c):
            term *= a / n
            total += term
        top = term * a / c / (1 - a / c)
        return top / (total + top)

    @property
    def mean_wait(self) -> float:
        """The mean wait in the queue."""
        return self.p_wait / (self.servers * self.service_rate - self.arrival_rate)

    def wait_within(self, t: float) -> float:
        """The probability that an arrival waits at most *t*."""
        return 1 - self.p_wait * math.exp(
            -(self.servers * self.service_rate - self.arrival_rate) * t
        )


@attrs.frozen
class ErlangA:
    """The M/M/c+M queue: M/M/c where each waiting customer leaves at rate *abandonment_rate*.

    Patience is exponential with mean ``1/θ``.  The number in the system is a
    birth–death chain with birth rate ``λ`` and death rate ``min(n, c)μ +
    max(n - c, 0)θ`` in state *n*; its stationary distribution ``π`` gives,
    by PASTA and Little's law, ``P(wait) = Σ_{n≥c} π_n``, the mean queue
    ``E[Q] = Σ (n - c)⁺ π_n``, the probability of abandoning
    ``θ E[Q] / λ`` and the mean wait (of everyone, until served or gone)
    ``E[Q] / λ`` (Garnett, Mandelbaum & Reiman, "Designing a call center with
    impatient customers", *M&SOM* 4(3), 2002).  The chain is summed until its
    terms vanish (below 10⁻¹⁶ of the total).

    Example:
        >>> from govservice.sim.theory import ErlangA
        >>> q = ErlangA(servers=1, arrival_rate=1.0, service_rate=1.0, abandonment_rate=1.0)
        >>> round(q.p_abandon, 6)    # θ = μ: M/M/∞, E[(N-1)⁺] = e⁻¹
        0.367879

    .. versionadded:: 0.1
    """

    servers: int = attrs.field(validator=integer_from(1))
    arrival_rate: float = attrs.field(validator=positive)
    service_rate: float = attrs.field(validator=positive)
    abandonment_rate: float = attrs.field(validator=positive)

    @property
    def distribution(self) -> npt.NDArray[np.float64]:
        """The stationary probabilities of 0, 1, 2, … in the system (truncated)."""
        lam, mu, theta, c = (
            self.arrival_rate,
            self.service_rate,
            self.abandonment_rate,
            self.servers,
        )
        terms = [1.0]
        n = 0
        while True:
            n += 1
            terms.append(terms[-1] * lam / (min(n, c) * mu + max(n - c, 0) * theta))
            if n > c and terms[-1] < 1e-16 * sum(terms):
                break
        p = np.array(terms)
        out: npt.NDArray[np.float64] = p / p.sum()
        return out

    @property
    def p_wait(self) -> float:
        """The probability that an arrival waits."""
        return float(self.distribution[self.servers :].sum())

    @property
    def mean_queue(self) -> float:
        """The mean number waiting."""
        p = self.distribution
        return float((np.arange(len(p) - self.servers) * p[self.servers :]).sum())

    @property
    def p_abandon(self) -> float:
        """The probability that an arrival leaves unserved."""
        return self.abandonment_rate * self.mean_queue / self.arrival_rate

    @property
    def mean_wait(self) -> float:
        """The mean wait of all arrivals, until served or gone."""
        return self.mean_queue / self.arrival_rate


def cobham(servers: int, arrival_rates: Sequence[float], service_rate: float) -> list[float]:
    """Mean waits of non-preemptive priority classes at M/M/c, all of one service rate.

    Classes are given highest priority first.  With ``σ_k`` the load of
    classes 1 … *k* over ``cμ``, class *k* waits on average
    ``W₀ / ((1 - σ_{k-1}) (1 - σ_k))``, where ``W₀ = C / (cμ)`` and ``C`` is
    the Erlang C probability of waiting at the total arrival rate (Cobham,
    "Priority assignment in waiting line problems", *Operations Research*
    2(1), 1954; Gross et al., §3.4).

    Example:
        >>> from govservice.sim.theory import cobham
        >>> [round(w, 4) for w in cobham(1, [0.3, 0.5], 1.0)]   # W₀ = ρ/μ = 0.8
        [1.1429, 5.7143]

    Raises:
        ValueError: the queue is unstable.

    .. versionadded:: 0.1
    """
    total = sum(arrival_rates)
    w0 = ErlangC(servers, total, service_rate).p_wait / (servers * service_rate)
    out, below = [], 0.0
    for lam in arrival_rates:
        above = below + lam / (servers * service_rate)
        out.append(w0 / ((1 - below) * (1 - above)))
        below = above
    return out


def jackson(
    arrivals: Sequence[float],
    routing: Sequence[Sequence[float]],
    servers: Sequence[int],
    service_rates: Sequence[float],
) -> list[ErlangC]:
    """The stations of an open Jackson network, each an M/M/c at its total arrival rate.

    The total arrival rates solve the traffic equations
    ``λ_j = γ_j + Σ_i λ_i P_ij`` (external arrivals ``γ``, routing matrix
    ``P``: after station *i* a customer goes to *j* with probability
    ``P_ij`` and leaves with the rest), and by Jackson's theorem the
    stations then behave as independent M/M/c queues ("Jobshop-like queueing
    systems", *Management Science* 10(1), 1963).

    Example:
        >>> from govservice.sim.theory import jackson
        >>> w, c = jackson([1.4, 0.0], [[0.0, 0.3], [1.0, 0.0]], [3, 1], [1.0, 2.0])
        >>> round(w.arrival_rate, 6), round(c.arrival_rate, 6)   # 1.4 / 0.7, 0.3 × 2
        (2.0, 0.6)

    Raises:
        ValueError: the routing does not let everyone leave, or a station is
            unstable.

    .. versionadded:: 0.1
    """
    gamma = np.asarray(arrivals, dtype=float)
    p = np.asarray(routing, dtype=float)
    n = len(gamma)
    if p.shape != (n, n) or len(servers) != n or len(service_rates) != n:
        raise ValueError(
            Message(N_("arrivals, routing, servers and service rates must agree in size"))
        )
    try:
        lam = np.linalg.solve(np.eye(n) - p.T, gamma)
    except np.linalg.LinAlgError:
        raise ValueError(Message(N_("the routing never lets customers leave"))) from None
    return [
        ErlangC(c, float(rate), mu) for c, rate, mu in zip(servers, lam, service_rates, strict=True)
    ]


def square_root_staffing(load: float, beta: float) -> int:
    """The square-root staffing rule: ``⌈a + β√a⌉`` servers for offered load *a*.

    Halfin and Whitt's quality-and-efficiency-driven regime: with ``β``
    fixed, the probability of waiting stays roughly constant as the load
    grows.  At least one server.

    Example:
        >>> from govservice.sim.theory import square_root_staffing
        >>> square_root_staffing(16.0, 1.0)
        20

    .. versionadded:: 0.1
    """
    return max(1, math.ceil(load + beta * math.sqrt(load) - 1e-9))
