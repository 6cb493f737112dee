"""govservice.sim.theory: the queueing formulas, checked on cases worked by hand."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govservice.sim.theory import ErlangA, ErlangC, cobham, jackson, square_root_staffing


class TestErlangC:
    def test_mm1(self) -> None:
        """c = 1: P(wait) = ρ, Wq = ρ / (μ - λ), P(W ≤ t) = 1 - ρ e^{-(μ-λ)t}."""
        q = ErlangC(1, 0.8, 1.0)
        assert q.p_wait == pytest.approx(0.8)
        assert q.mean_wait == pytest.approx(4.0)
        assert q.wait_within(5.0) == pytest.approx(1 - 0.8 * math.exp(-1.0))

    def test_mm2_by_hand(self) -> None:
        """c = 2, a = 1: C = (1/2 / (1/2)) / (1 + 1 + 1) = 1/3; Wq = (1/3) / (2 - 1)."""
        q = ErlangC(2, 1.0, 1.0)
        assert q.p_wait == pytest.approx(1 / 3)
        assert q.mean_wait == pytest.approx(1 / 3)
        assert q.load == 1.0

    def test_mm3_by_hand(self) -> None:
        """c = 3, a = 2: a³/3!/(1-2/3) = 4; Σ_{n<3} aⁿ/n! = 1 + 2 + 2 = 5; C = 4/9."""
        assert ErlangC(3, 2.0, 1.0).p_wait == pytest.approx(4 / 9)

    def test_unstable(self) -> None:
        with pytest.raises(ValueError, match="unstable"):
            ErlangC(2, 2.0, 1.0)

    def test_large(self) -> None:
        """Many servers do not overflow: 200 servers at 95 % load."""
        q = ErlangC(200, 190.0, 1.0)
        assert 0 < q.p_wait < 1


class TestErlangA:
    def test_theta_equal_mu_is_infinite_servers(self) -> None:
        """θ = μ makes every customer leave at rate μ: M/M/∞, Poisson(a) in the system.

        c = 1, a = 1: E[(N - 1)⁺] = E[N] - 1 + P(N = 0) = e⁻¹ waiting on average; P(abandon)
        = θ E[Q] / λ = e⁻¹; P(wait) = P(N ≥ 1) = 1 - e⁻¹.
        """
        q = ErlangA(1, 1.0, 1.0, 1.0)
        assert q.mean_queue == pytest.approx(math.exp(-1))
        assert q.p_abandon == pytest.approx(math.exp(-1))
        assert q.p_wait == pytest.approx(1 - math.exp(-1))
        assert q.mean_wait == pytest.approx(math.exp(-1))

    def test_slow_abandonment_tends_to_erlang_c(self) -> None:
        """As θ → 0 below saturation, M/M/c+M tends to M/M/c."""
        a, c = ErlangA(5, 4.0, 1.0, 1e-7), ErlangC(5, 4.0, 1.0)
        assert a.p_wait == pytest.approx(c.p_wait, rel=1e-4)
        assert a.mean_wait == pytest.approx(c.mean_wait, rel=1e-4)
        assert a.p_abandon < 1e-5

    def test_overloaded_is_stable(self) -> None:
        """Abandonment keeps an overloaded queue finite: λ = 2cμ still has an answer."""
        q = ErlangA(2, 4.0, 1.0, 0.5)
        assert 0.4 < q.p_abandon < 1
        assert q.distribution.sum() == pytest.approx(1.0)

    @given(
        c=st.integers(1, 8),
        lam=st.floats(0.1, 10.0),
        theta=st.floats(0.05, 5.0),
    )
    @settings(max_examples=40, deadline=None)
    def test_flow_balance(self, c: int, lam: float, theta: float) -> None:
        """Arrivals are served or abandon: λ = μ E[busy] + θ E[Q]."""
        q = ErlangA(c, lam, 1.0, theta)
        p = q.distribution
        busy = sum(min(n, c) * pn for n, pn in enumerate(p))
        assert busy + theta * q.mean_queue == pytest.approx(lam, rel=1e-9)


class TestCobham:
    def test_single_server_by_hand(self) -> None:
        """M/M/1, λ = (0.3, 0.5), μ = 1: W₀ = 0.8, W₁ = 0.8/0.7, W₂ = 0.8/(0.7 × 0.2)."""
        w1, w2 = cobham(1, [0.3, 0.5], 1.0)
        assert w1 == pytest.approx(0.8 / 0.7)
        assert w2 == pytest.approx(0.8 / 0.14)

    @given(
        c=st.integers(1, 6),
        shares=st.lists(st.floats(0.05, 1.0), min_size=1, max_size=4),
        rho=st.floats(0.1, 0.95),
    )
    @settings(max_examples=40, deadline=None)
    def test_conservation(self, c: int, shares: list[float], rho: float) -> None:
        """With equal service rates the mean wait over classes is FIFO's (Kleinrock)."""
        total = rho * c
        rates = [total * s / sum(shares) for s in shares]
        waits = cobham(c, rates, 1.0)
        mean = sum(r * w for r, w in zip(rates, waits, strict=True)) / total
        assert mean == pytest.approx(ErlangC(c, total, 1.0).mean_wait, rel=1e-9)
        assert waits == sorted(waits)


class TestJackson:
    def test_feedback_by_hand(self) -> None:
        """Windows → cashier w.p. 0.3 → back: λ_w = 1.4 / 0.7 = 2, λ_c = 0.6."""
        w, c = jackson([1.4, 0.0], [[0.0, 0.3], [1.0, 0.0]], [3, 1], [1.0, 2.0])
        assert w.arrival_rate == pytest.approx(2.0)
        assert c.arrival_rate == pytest.approx(0.6)
        assert w.mean_wait == pytest.approx(4 / 9)  # C(3, 2) = 4/9, cμ - λ = 1
        assert c.mean_wait == pytest.approx(0.3 / 1.4)  # M/M/1: ρ / (μ - λ)

    def test_no_exit(self) -> None:
        with pytest.raises(ValueError, match="never lets customers leave"):
            jackson([1.0, 0.0], [[0.0, 1.0], [1.0, 0.0]], [1, 1], [1.0, 1.0])

    def test_sizes(self) -> None:
        with pytest.raises(ValueError, match="agree in size"):
            jackson([1.0], [[0.0, 1.0]], [1], [1.0])


def test_square_root_staffing() -> None:
    """⌈a + β√a⌉: a = 16, β = 1 → 20; a = 0 → 1."""
    assert square_root_staffing(16.0, 1.0) == 20
    assert square_root_staffing(16.0, 0.5) == 18
    assert square_root_staffing(0.0, 1.0) == 1
