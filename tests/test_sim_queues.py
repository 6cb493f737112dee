"""govservice.sim: abandonment, priorities, dedicated counters, routes that return.

Statistical checks run independent replications with fixed seeds and check that
the theory lies inside the 95 % Student-t interval of the replications.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import govservice.sim.engine as engine
from govservice.calendars import china
from govservice.exceptions import DataFileError
from govservice.sim import (
    BAULKED,
    NO_COUNTER,
    RENEGED,
    SERVED,
    Backup,
    Baulk,
    Break,
    ByVisit,
    CustomerClass,
    DailyProfile,
    Exponential,
    Hall,
    Lognormal,
    Poisson,
    Probabilistic,
    Return,
    Scenario,
    ScenarioError,
    SimulationResult,
    Staffing,
    StaffMember,
    Station,
    Summary,
    load_scenario,
    replicate,
    simulate,
    student_t_interval,
)
from govservice.sim.theory import ErlangA, cobham, jackson


def visits(r: SimulationResult) -> np.ndarray:
    assert r.visits is not None
    return r.visits


def same_summary(a: Summary, b: Summary) -> None:
    """Equal summaries, up to the order in which sums were added."""
    da, db = a.to_dict(), b.to_dict()
    assert da.keys() == db.keys()
    for group in ("stations", "classes", "hours", "days", "staff"):
        assert da[group].keys() == db[group].keys()
        for k in da[group]:
            for f, x in da[group][k].items():
                y = db[group][k][f]
                assert y == (pytest.approx(x, rel=1e-9) if isinstance(x, float) else x), (k, f)


def ratio_interval(reps: object, num: str, den: str) -> tuple[float, float, float]:
    values = [a / b for a, b in zip(reps.values(num), reps.values(den), strict=True)]  # type: ignore[attr-defined]
    return student_t_interval(values)


# --------------------------------------------------------------- abandonment


class TestAbandonment:
    def test_erlang_a(self) -> None:
        """M/M/3+M, λ = 2.5, μ = 1, patience of mean 2: P(abandon) and mean wait (Erlang A)."""
        theory = ErlangA(3, 2.5, 1.0, 0.5)
        sc = Scenario(
            stations=[Station("s", 3, service=Exponential(1.0))],
            classes=[CustomerClass("a", Poisson(2.5), route="s", patience=Exponential(2.0))],
            customers=20_000,
            warmup=200.0,
        )
        reps = replicate(sc, replications=20, seed=18)
        _, lo, hi = reps.interval("stations.s.mean_wait")
        assert lo < theory.mean_wait < hi
        _, lo, hi = ratio_interval(reps, "stations.s.abandoned", "stations.s.customers")
        assert lo < theory.p_abandon < hi
        _, lo, hi = reps.interval("stations.s.p_wait")
        assert lo < theory.p_wait < hi
        _, lo, hi = reps.interval("classes.a.abandonment_rate")
        assert lo < theory.p_abandon < hi

    def test_baulking_at_a_full_queue_is_mm1k(self) -> None:
        """One counter, nobody joins 4 waiting: M/M/1/5, P(block) = (1-ρ)ρ⁵/(1-ρ⁶)."""
        rho, k = 0.9, 5
        p_block = (1 - rho) * rho**k / (1 - rho ** (k + 1))
        sc = Scenario(
            stations=[Station("s", 1, service=Exponential(1.0))],
            classes=[CustomerClass("a", Poisson(rho), route="s", baulk=Baulk(queue=k - 1))],
            customers=20_000,
            warmup=100.0,
        )
        reps = replicate(sc, replications=20, seed=5)
        values = [
            s.stations["s"].baulked / (s.stations["s"].baulked + s.stations["s"].customers)
            for s in reps.summaries
        ]
        _, lo, hi = student_t_interval(values)
        assert lo < p_block < hi

    @given(
        c=st.integers(1, 4),
        lam=st.floats(0.5, 4.0),
        queue=st.integers(1, 6),
        wait=st.floats(0.5, 5.0),
        seed=st.integers(0, 2**32 - 1),
    )
    @settings(max_examples=25, deadline=None)
    def test_who_baulks(self, c: int, lam: float, queue: int, wait: float, seed: int) -> None:
        """A customer baulks exactly when the queue he sees, or its announced wait, is too long.

        The queue and the announced wait are recounted from the records: those
        who joined earlier and had not started (or left) by his arrival, times
        the mean service time of those who joined before him, over the counters.
        """
        sc = Scenario(
            stations=[Station("s", c, service=Exponential(1.0))],
            classes=[
                CustomerClass(
                    "a",
                    Poisson(lam),
                    route="s",
                    patience=Exponential(3.0),
                    baulk=Baulk(queue=queue, wait=wait),
                )
            ],
            customers=400,
        )
        v = visits(simulate(sc, seed=seed, records=True))
        joined_at, left_queue, service = [], [], []
        for row in v:
            a = row["arrival"]
            ahead = sum(1 for t, s in zip(joined_at, left_queue, strict=True) if t < a < s)
            mean = sum(service) / len(service) if service else 0.0
            too_long = ahead >= queue or (bool(service) and ahead * mean / c >= wait)
            assert (row["outcome"] == BAULKED) == too_long
            if row["outcome"] != BAULKED:
                joined_at.append(a)
                left_queue.append(row["start"])
                service.append(row["end"] - row["start"] if row["outcome"] == SERVED else None)
                if service[-1] is None:  # reneged: his service time is not in the records
                    service.pop()
                    joined_at.pop()
                    left_queue.pop()
                    return  # the rest depends on an unrecorded draw

    def test_reneged_visits(self) -> None:
        """A customer who reneges takes no counter; those served keep FIFO order."""
        sc = Scenario(
            stations=[Station("s", 2, service=Exponential(1.0))],
            classes=[CustomerClass("a", Poisson(2.4), route="s", patience=Exponential(1.0))],
            customers=3_000,
        )
        r = simulate(sc, seed=2, records=True)
        v = visits(r)
        gone = v["outcome"] == RENEGED
        assert gone.sum() > 100
        assert np.all(v["server"][gone] == NO_COUNTER)
        assert np.all(v["start"][gone] == v["end"][gone])
        assert np.all(v["start"][gone] > v["arrival"][gone])
        served = v[~gone]
        assert np.all(np.diff(served["start"]) >= 0)
        c = r.customers
        assert c is not None
        assert np.array_equal(c["outcome"], v["outcome"])
        assert np.all(c["left_at"][gone] == 0)
        assert np.all(c["left_at"][~gone] == -1)
        s = r.summary
        assert s.stations["s"].abandoned == gone.sum()
        assert s.classes["a"].abandoned == gone.sum()
        assert s.stations["s"].customers == len(v)

    def test_patience_by_station(self) -> None:
        """A mapping gives patience at the stations named (``"*"`` for the rest)."""
        c = CustomerClass(
            "a", Poisson(1.0), patience={"windows": Exponential(9.0)}, baulk={"*": Baulk(queue=3)}
        )
        assert c.patience_at("windows") == Exponential(9.0)
        assert c.patience_at("cashier") is None
        assert c.baulk_at("cashier") == Baulk(queue=3)

    def test_abandonment_by_hour_and_class(self) -> None:
        """The hour summaries count the customers by the hour they took their ticket."""
        hall = Hall(china(), start=date(2026, 3, 2), days=5)
        morning = DailyProfile(200, hourly={9: 3, 10: 3, 11: 1})
        sc = Scenario(
            stations=[Station("w", 2, service=Lognormal(8.0, 4.0))],
            classes=[
                CustomerClass("walk-in", morning, route="w", patience=Exponential(20.0)),
                CustomerClass("green", DailyProfile(20), route="w", priority=1),
            ],
            hall=hall,
        )
        r = simulate(sc, seed=3, records=True)
        c = r.customers
        assert c is not None
        hours = (c["arrival"] % 1440 // 60).astype(int)
        s = r.summary
        for h in (9, 10, 11, 14):
            here = hours == h
            assert s.hours[f"{h:02d}"].customers == here.sum()
            walk = here & (c["cls"] == 0)
            if walk.any():
                hs = s.hours[f"{h:02d}/walk-in"]
                assert hs.abandoned == (c["outcome"][walk] == RENEGED).sum()
                assert hs.abandonment_rate == pytest.approx(hs.abandoned / walk.sum())
                assert hs.mean_wait == pytest.approx(c["wait"][walk].mean())
        assert s.hours["09/walk-in"].abandonment_rate > s.hours["14"].abandonment_rate
        assert s.classes["green"].abandoned == 0
        assert s.value("hours.09/walk-in.abandoned") == s.hours["09/walk-in"].abandoned
        assert simulate(sc, seed=3).summary == s

    def test_common_random_numbers(self) -> None:
        """Service and patience are drawn for everyone: another counter changes only outcomes."""

        def run(c: int) -> np.ndarray:
            sc = Scenario(
                stations=[Station("s", c, service=Exponential(1.0))],
                classes=[CustomerClass("a", Poisson(1.8), route="s", patience=Exponential(2.0))],
                customers=2_000,
            )
            return visits(simulate(sc, seed=4, records=True))

        two, three = run(2), run(3)
        assert np.array_equal(two["arrival"], three["arrival"])
        both = (two["outcome"] == SERVED) & (three["outcome"] == SERVED)
        assert both.sum() > 1_000
        assert np.allclose((two["end"] - two["start"])[both], (three["end"] - three["start"])[both])
        assert (three["outcome"] == RENEGED).sum() < (two["outcome"] == RENEGED).sum()


# ------------------------------------------------------------- one path or another


def _all_queued(monkeypatch: pytest.MonkeyPatch) -> None:
    """Serve every station customer by customer (the event loop), as if priorities met there."""
    monkeypatch.setattr(engine, "_queued", lambda s: {st.name for st in s.stations})


@given(
    c=st.integers(1, 4),
    lam=st.floats(0.3, 4.0),
    patience=st.one_of(st.none(), st.floats(0.2, 5.0)),
    queue=st.one_of(st.none(), st.integers(1, 5)),
    seed=st.integers(0, 2**32 - 1),
)
@settings(max_examples=30, deadline=None)
def test_event_loop_agrees_with_lindley(
    c: int, lam: float, patience: float | None, queue: int | None, seed: int
) -> None:
    """Without priorities the customer-by-customer loop gives every visit of the recursion."""
    sc = Scenario(
        stations=[
            Station("s", c, service=Exponential(1.0), next=Probabilistic({"t": 0.5})),
            Station("t", 1, service=Exponential(0.5)),
        ],
        classes=[
            CustomerClass(
                "a",
                Poisson(lam),
                route="s",
                patience=None if patience is None else Exponential(patience),
                baulk=None if queue is None else Baulk(queue=queue),
            )
        ],
        customers=500,
    )
    plain = simulate(sc, seed=seed, records=True)
    with pytest.MonkeyPatch.context() as mp:
        _all_queued(mp)
        queued = simulate(sc, seed=seed, records=True)
    assert np.array_equal(visits(plain), visits(queued))
    same_summary(plain.summary, queued.summary)


def test_event_loop_agrees_with_named_staff_and_breaks() -> None:
    """Named staff with breaks and shifts: the loop and the recursion agree, in a hall."""
    hall = Hall(china(), start=date(2026, 3, 2), days=3)
    sc = Scenario(
        stations=[Station("w", service=Lognormal(6.0, 3.0))],
        classes=[CustomerClass("a", DailyProfile(180), route="w", patience=Exponential(40.0))],
        staff=[
            StaffMember("甲", "w", breaks=[Break("10:30", 15)]),
            StaffMember("乙", "w", hours=("09:00", "15:00")),
            StaffMember("丙", "w", hours=("10:00", "17:30"), weekdays=(0, 2)),
        ],
        hall=hall,
    )
    plain = simulate(sc, seed=7, records=True)
    with pytest.MonkeyPatch.context() as mp:
        _all_queued(mp)
        queued = simulate(sc, seed=7, records=True)
    assert np.array_equal(visits(plain), visits(queued))
    same_summary(plain.summary, queued.summary)


@given(
    c=st.integers(1, 3),
    patience=st.one_of(st.none(), st.floats(5.0, 60.0)),
    queue=st.one_of(st.none(), st.integers(2, 8)),
    seed=st.integers(0, 2**32 - 1),
)
@settings(max_examples=15, deadline=None)
def test_priority_loop_agrees_with_the_event_loop(
    c: int, patience: float | None, queue: int | None, seed: int
) -> None:
    """Priorities at anonymous counters: the tight loop and the general event loop agree.

    An hourly staffing that says nothing (``Staffing()``) sends the same station
    through the general event loop, counter by counter, sessions included.
    """
    hall = Hall(china(), start=date(2026, 3, 2), days=2, last_ticket=15)

    def scenario(staffing: Staffing | None) -> Scenario:
        return Scenario(
            stations=[Station("w", c, service=Lognormal(8.0, 5.0), staffing=staffing)],
            classes=[
                CustomerClass(
                    "walk-in",
                    DailyProfile(60 * c, hourly={9: 3, 10: 2, 11: 3, 13: 1, 14: 2, 16: 3}),
                    route="w",
                    patience=None if patience is None else Exponential(patience),
                    baulk=None if queue is None else Baulk(queue=queue),
                ),
                CustomerClass("booked", DailyProfile(10 * c), route="w", priority=1),
            ],
            hall=hall,
        )

    tight = simulate(scenario(None), seed=seed, records=True)
    general = simulate(scenario(Staffing()), seed=seed, records=True)
    assert np.array_equal(visits(tight), visits(general))
    same_summary(tight.summary, general.summary)


@pytest.mark.parametrize(
    ("servers", "walk_ins", "booked_priority"),
    [
        pytest.param(3, 150, 1, id="priorities: the loop where priorities meet"),
        pytest.param(2, 100, 0, id="first come: started on arrival"),
    ],
)
@given(
    patience=st.one_of(st.none(), st.floats(10.0, 60.0)),
    queue=st.one_of(st.none(), st.integers(3, 10)),
    seed=st.integers(0, 2**32 - 1),
)
@settings(max_examples=10, deadline=None)
def test_cycle_loops_agree(
    servers: int,
    walk_ins: int,
    booked_priority: int,
    patience: float | None,
    queue: int | None,
    seed: int,
) -> None:
    """A routing cycle with patience and baulking at the windows, sessions of a hall: the tight
    loop (with bookings of a higher priority, or first come, first served) and the general one.

    ``Staffing()`` (which says nothing) sends the same stations to the general loop.
    """
    hall = Hall(china(), start=date(2026, 3, 2), days=2, last_ticket=15)

    def scenario(staffing: Staffing | None) -> Scenario:
        return Scenario(
            stations=[
                Station(
                    "w",
                    servers,
                    service=Lognormal(8.0, 5.0),
                    staffing=staffing,
                    next=ByVisit([Probabilistic({"c": 0.4}), Probabilistic({"c": 0.1}), None]),
                ),
                Station("c", 1, service=Exponential(2.0), accepts=False, next="w"),
            ],
            classes=[
                CustomerClass(
                    "walk-in",
                    DailyProfile(walk_ins, hourly={9: 3, 10: 2, 11: 3, 13: 1, 14: 2, 16: 3}),
                    route="w",
                    patience=None if patience is None else Exponential(patience),
                    baulk=None if queue is None else Baulk(queue=queue),
                ),
                CustomerClass("booked", DailyProfile(30), route="w", priority=booked_priority),
            ],
            hall=hall,
        )

    tight = simulate(scenario(None), seed=seed, records=True)
    general = simulate(scenario(Staffing()), seed=seed, records=True)
    assert np.array_equal(visits(tight), visits(general))
    same_summary(tight.summary, general.summary)


# ----------------------------------------------------------------- priorities


class TestPriorities:
    def test_cobham(self) -> None:
        """M/M/2 with two priority classes, equal service: each class's mean wait (Cobham)."""
        w_hi, w_lo = cobham(2, [0.6, 1.0], 1.0)
        sc = Scenario(
            stations=[Station("s", 2, service=Exponential(1.0))],
            classes=[
                CustomerClass("hi", Poisson(0.6), route="s", priority=1),
                CustomerClass("lo", Poisson(1.0), route="s"),
            ],
            customers=20_000,
            warmup=200.0,
        )
        reps = replicate(sc, replications=20, seed=18)
        _, lo, hi = reps.interval("classes.hi.mean_wait")
        assert lo < w_hi < hi
        _, lo, hi = reps.interval("classes.lo.mean_wait")
        assert lo < w_lo < hi

    def test_cobham_three_classes(self) -> None:
        """M/M/3 with three priority levels at ρ = 0.8."""
        rates = [0.4, 0.8, 1.2]
        theory = cobham(3, rates, 1.0)
        sc = Scenario(
            stations=[Station("s", 3, service=Exponential(1.0))],
            classes=[
                CustomerClass(f"p{i}", Poisson(r), route="s", priority=3 - i)
                for i, r in enumerate(rates)
            ],
            customers=20_000,
            warmup=200.0,
        )
        reps = replicate(sc, replications=20, seed=3)
        for i, w in enumerate(theory):
            _, lo, hi = reps.interval(f"classes.p{i}.mean_wait")
            assert lo < w < hi

    @given(seed=st.integers(0, 2**32 - 1), c=st.integers(1, 3))
    @settings(max_examples=15, deadline=None)
    def test_nobody_overtaken_by_a_lower_priority(self, seed: int, c: int) -> None:
        """No one starts while a customer of higher priority waits; at most c serve at once."""
        sc = Scenario(
            stations=[Station("s", c, service=Exponential(1.0))],
            classes=[
                CustomerClass("hi", Poisson(0.3 * c), route="s", priority=2),
                CustomerClass("mid", Poisson(0.3 * c), route="s", priority=1),
                CustomerClass("lo", Poisson(0.3 * c), route="s"),
            ],
            customers=600,
        )
        v = visits(simulate(sc, seed=seed, records=True))
        prio = np.array([2, 1, 0])[v["cls"]]
        for row, p in zip(v, prio, strict=True):
            waiting = (v["arrival"] < row["start"]) & (v["start"] > row["start"])
            assert not np.any(waiting & (prio > p))
            same = waiting & (prio == p)
            assert not np.any(same & (v["arrival"] < row["arrival"]))  # FIFO within a level
        ev = np.concatenate(
            [np.stack([v["start"], np.ones(len(v))]), np.stack([v["end"], -np.ones(len(v))])],
            axis=1,
        )
        order = np.lexsort((ev[1], ev[0]))
        assert np.cumsum(ev[1][order]).max() <= c

    def test_dedicated_counter(self) -> None:
        """The green-channel counter takes green customers first and others when none wait."""
        sc = Scenario(
            stations=[Station("w", 3, service=Exponential(3.0), dedicated={"green": 1})],
            classes=[
                CustomerClass("walk-in", Poisson(0.8), route="w"),
                CustomerClass("green", Poisson(0.15), route="w"),
            ],
            customers=4_000,
        )
        r = simulate(sc, seed=9, records=True)
        v = visits(r)
        green_counter = v["server"] == -1
        others = v[green_counter & (v["cls"] == 0)]
        greens = v[v["cls"] == 1]
        assert len(others) > 100  # it serves walk-ins when idle
        for row in others:
            assert not np.any((greens["arrival"] < row["start"]) & (greens["start"] > row["start"]))
        plain = Scenario(
            stations=[Station("w", 3, service=Exponential(3.0))],
            classes=sc.classes,
            customers=4_000,
        )
        s, p = r.summary, simulate(plain, seed=9).summary
        assert s.classes["green"].mean_wait < 0.5 * p.classes["green"].mean_wait

    def test_staff_dedicated(self) -> None:
        """A named member of staff dedicated to a class serves it first."""
        hall = Hall(china(), start=date(2026, 3, 2), days=3)
        sc = Scenario(
            stations=[Station("w", service=Exponential(6.0))],
            classes=[
                CustomerClass("walk-in", DailyProfile(150), route="w"),
                CustomerClass("elderly", DailyProfile(15), route="w"),
            ],
            staff=[StaffMember("李", "w", dedicated=("elderly",)), StaffMember("王", "w")],
            hall=hall,
        )
        v = visits(simulate(sc, seed=1, records=True))
        share = np.mean(v["server"][v["cls"] == 1] == 0)
        assert share > 0.8


# --------------------------------------------------------------------- returns


class TestReturns:
    def test_jackson(self) -> None:
        """Windows → cashier (30 %) → back to any window: each station is M/M/c at its rate."""
        w, c = jackson([1.4, 0.0], [[0.0, 0.3], [1.0, 0.0]], [3, 1], [1.0, 2.0])
        sc = Scenario(
            stations=[
                Station("w", 3, service=Exponential(1.0), next=Probabilistic({"c": 0.3})),
                Station("c", 1, service=Exponential(0.5), next="w"),
            ],
            classes=[CustomerClass("a", Poisson(1.4), route="w")],
            customers=10_000,
            warmup=200.0,
        )
        reps = replicate(sc, replications=20, seed=18)
        _, lo, hi = reps.interval("stations.w.mean_wait")
        assert lo < w.mean_wait < hi
        _, lo, hi = reps.interval("stations.c.mean_wait")
        assert lo < c.mean_wait < hi
        _, lo, hi = reps.interval("classes.a.mean_wait")  # total: visits × wait per visit
        assert lo < w.mean_wait / 0.7 + c.mean_wait * 0.3 / 0.7 < hi

    def test_back_to_the_same_counter(self) -> None:
        """Window → cashier → the same window, served by it before its queue, then out."""
        sc = Scenario(
            stations=[
                Station(
                    "w",
                    3,
                    service=Exponential(1.0),
                    next=ByVisit([Probabilistic({"c": 0.4}), None]),
                ),
                Station("c", 1, service=Exponential(0.5), next=Return("w")),
            ],
            classes=[CustomerClass("a", Poisson(2.2), route="w")],
            customers=5_000,
        )
        v = visits(simulate(sc, seed=2, records=True))
        w = v[v["station"] == 0]
        by: dict[int, list[np.void]] = defaultdict(list)
        for row in w:
            by[int(row["customer"])].append(row)
        twice = [rows for rows in by.values() if len(rows) == 2]
        assert len(twice) > 1_000
        assert max(len(rows) for rows in by.values()) == 2
        returns = {(int(b["customer"]), float(b["arrival"])) for _, b in twice}
        for first, second in twice:
            assert first["server"] == second["server"]
            # between his return and his turn his counter served only those back before him
            same = w[(w["server"] == second["server"])]
            between = same[(same["start"] > second["arrival"]) & (same["start"] < second["start"])]
            for row in between:
                assert (int(row["customer"]), float(row["arrival"])) in returns
                assert row["arrival"] < second["arrival"]

    def test_revisits_in_a_hall(self) -> None:
        """A routing cycle in a hall: everyone served, cases filed once, days respected."""
        hall = Hall(china(), start=date(2026, 3, 2), days=5, last_ticket=15)
        sc = Scenario(
            stations=[
                Station("w", 3, service=Lognormal(8.0, 4.0), next=ByVisit(["cashier", None])),
                Station("cashier", 1, service=Exponential(1.5), accepts=False, next="w"),
            ],
            classes=[CustomerClass("a", DailyProfile(60), route="w")],
            hall=hall,
        )
        r = simulate(sc, seed=1, records=True)
        v = visits(r)
        assert (v["station"] == 0).sum() == 2 * (v["station"] == 1).sum()
        assert np.all(v["start"] >= v["arrival"])
        assert r.summary.stations["w"].utilisation < 1

    def test_coming_back_does_not_baulk(self) -> None:
        """Back from the cashier a customer has his ticket: only first arrivals baulk."""
        sc = Scenario(
            stations=[
                Station("w", 2, service=Exponential(1.0), next=Probabilistic({"c": 0.5})),
                Station("c", 1, service=Exponential(0.5), next="w"),
            ],
            classes=[CustomerClass("a", Poisson(1.3), route="w", baulk={"w": Baulk(queue=3)})],
            customers=5_000,
        )
        v = visits(simulate(sc, seed=6, records=True))
        w = v[v["station"] == 0]
        first = np.zeros(len(w), dtype=bool)
        first[np.unique(w["customer"], return_index=True)[1]] = True
        assert (w["outcome"][first] == BAULKED).sum() > 100
        assert not (w["outcome"][~first] == BAULKED).any()


# --------------------------------------------------------------------- errors


class TestErrors:
    def test_backup_where_priorities_meet(self) -> None:
        with pytest.raises(ScenarioError, match="served by priority: it cannot have 'backup'"):
            Scenario(
                stations=[
                    Station("s", service=Exponential(1.0), backup=Backup(servers=1, call_at=3))
                ],
                classes=[
                    CustomerClass("a", Poisson(1.0), route="s", priority=1),
                    CustomerClass("b", Poisson(1.0), route="s"),
                ],
                horizon=10.0,
            )

    def test_patience_at_unknown_station(self) -> None:
        with pytest.raises(ScenarioError, match="patience at unknown station 'x'"):
            Scenario(
                stations=[Station("s", service=Exponential(1.0))],
                classes=[
                    CustomerClass("a", Poisson(1.0), route="s", patience={"x": Exponential(1.0)})
                ],
                horizon=10.0,
            )

    def test_dedicated_to_unknown_class(self) -> None:
        with pytest.raises(ScenarioError, match="dedicated counters for unknown class 'x'"):
            Scenario(
                stations=[Station("s", 2, service=Exponential(1.0), dedicated={"x": 1})],
                classes=[CustomerClass("a", Poisson(1.0), route="s")],
                horizon=10.0,
            )

    def test_baulk_needs_a_rule(self) -> None:
        with pytest.raises(ScenarioError, match="needs 'queue', 'wait' or both"):
            Baulk()
        with pytest.raises(ScenarioError, match="'queue' must be an integer from 1 to 10,000"):
            Baulk(queue=0)

    def test_not_a_distribution(self) -> None:
        with pytest.raises(ScenarioError, match="patience must be Distribution"):
            CustomerClass("a", Poisson(1.0), patience=3.0)  # type: ignore[arg-type]


# ----------------------------------------------------------------- files


def test_scenario_file(tmp_path: Path) -> None:
    """Patience, baulking, priorities, dedicated counters and returns from TOML."""
    f = tmp_path / "hall.toml"
    f.write_text(
        """
customers = 2000

[[class]]
name = "walk-in"
route = "w"
poisson = 1.0
patience = { w = { exponential = 20 }, "*" = { exponential = 50 } }
baulk = { queue = 12 }

[[class]]
name = "green"
route = "w"
poisson = 0.1
priority = 1

[[station]]
name = "w"
servers = 3
service = { exponential = 2.5 }
dedicated = { green = 1 }
next = { by_visit = [{ probabilistic = { c = 0.3 } }, "exit"] }

[[station]]
name = "c"
service = { exponential = 1.0 }
accepts = false
next = { return = "w" }
""",
        encoding="utf-8",
    )
    sc = load_scenario(f, entrypoints=False)
    walk, green = sc.classes
    assert walk.patience_at("w") == Exponential(20.0)
    assert walk.patience_at("c") == Exponential(50.0)
    assert walk.baulk_at("w") == Baulk(queue=12)
    assert green.priority == 1
    w, c = sc.stations
    assert w.dedicated == (("green", 1),)
    assert w.next == ByVisit([Probabilistic({"c": 0.3}), None])
    assert c.next == Return("w")
    assert simulate(sc, seed=1).summary.stations["c"].customers > 0


@pytest.mark.parametrize(
    ("line", "record", "field"),
    [
        ("baulk = { queue = 0 }", "class 1", "baulk.queue"),
        ("baulk = { lines = 3 }", "class 1", "baulk.lines"),
        ("patience = { w = { weibull = 3 } }", "class 1", "patience.w"),
        ("priority = 1.5", "class 1", "priority"),
    ],
)
def test_scenario_file_errors(tmp_path: Path, line: str, record: str, field: str) -> None:
    """Errors name the file, the record and the field."""
    f = tmp_path / "bad.toml"
    f.write_text(
        f"""
customers = 10
[[class]]
name = "a"
route = "w"
poisson = 1.0
{line}
[[station]]
name = "w"
service = {{ exponential = 1.0 }}
""",
        encoding="utf-8",
    )
    with pytest.raises(DataFileError) as e:
        load_scenario(f, entrypoints=False)
    assert e.value.record == record
    assert e.value.field == field
    assert "bad.toml" in str(e.value)


def test_station_file_errors(tmp_path: Path) -> None:
    """A dedicated count that is not a positive integer names the station's field."""
    f = tmp_path / "bad.toml"
    f.write_text(
        """
customers = 10
[[class]]
name = "a"
route = "w"
poisson = 1.0
[[station]]
name = "w"
service = { exponential = 1.0 }
dedicated = { a = 0 }
""",
        encoding="utf-8",
    )
    with pytest.raises(DataFileError) as e:
        load_scenario(f, entrypoints=False)
    assert (e.value.record, e.value.field, e.value.value) == ("station 1", "dedicated", 0)
