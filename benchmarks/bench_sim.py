"""govservice.sim against SimPy and Ciw on the same models, in one run.

Every model carries the same load in the three simulators.

- **M/M/5**: Poisson arrivals at rate 4.5, exponential service of mean 1,
  five servers (ρ = 0.9), 200,000 customers.
- **hall**: 300 arrivals per working day in 3 classes (100 each), a triage
  desk of 2 servers (exponential, mean 0.8 min), departmental windows of 3
  (lognormal, mean 6, sd 4), 4 (exponential, mean 7) and 2 servers
  (lognormal, mean 4, sd 2) — one per class — then 30 % to a 1-server
  cashier (exponential, mean 1.5), for one year (250 working days).
  govservice runs it on the real calendar (2025, opening hours 09:00–12:00
  and 13:30–17:30: 420 open minutes a day); SimPy and Ciw, which have no
  calendar, run the same network with the open minutes laid end to end
  (Poisson arrivals at 100 per 420 minutes per class, for 250 × 420
  minutes): the same customers at the same rate.
- **reneging**: M/M/5 at ρ = 0.9 where each customer leaves the queue after
  an exponential patience of mean 5 (Ciw's ``reneging_time_distributions``;
  SimPy's request or timeout, whichever first), 100,000 customers.
- **baulking**: M/M/5 at ρ = 0.95 where nobody joins 10 waiting (Ciw's
  ``baulking_functions``; SimPy looks at the queue), 100,000 customers.
- **priorities**: M/M/5 at ρ = 0.9, two non-preemptive priority classes
  (1.5 and 3.0 an hour; Ciw's ``priority_classes``; SimPy's
  ``PriorityResource``), 100,000 customers.
- **returns**: five windows (exponential, mean 1), 30 % then to a cashier
  (exponential, mean 0.5) and back to any window, arrivals at 3.15
  (ρ = 0.9 at the windows), 100,000 customers: a routing cycle.
- **hall with all of it**: walk-ins (150 a day; patience exponential of mean
  20 at the windows; nobody joins 12 waiting), bookings (40 a day, priority
  1) and the green channel (10 a day, priority 2) at 5 windows (lognormal,
  mean 8, sd 4), then 30 % to a cashier (exponential, mean 1.5), priorities
  at both, for 250 working days, laid end to end for the peers as for the
  hall.

Times are CPU times of this process (``time.process_time``), which a machine
shared with other jobs disturbs less than wall-clock time; the three
simulators are pure Python or NumPy on one thread.

Also: cost per customer of M/M/c at ρ = 0.9 from 5 to 50 servers, and the
peak traced memory (``tracemalloc``) of summary-only runs of growing size.

Run: ``python benchmarks/bench_sim.py`` (``--quick`` for a tenth of the customers).
"""

from __future__ import annotations

import argparse
import gc
import math
import platform
import random
import time
import tracemalloc
from collections.abc import Callable
from datetime import date
from typing import Any

import numpy as np

from _machine import cpu_name, version
from govservice.calendars import OpeningHours, china
from govservice.sim import (
    Baulk,
    ByClass,
    CustomerClass,
    DailyProfile,
    Exponential,
    Hall,
    Lognormal,
    Poisson,
    Probabilistic,
    Scenario,
    Station,
    Summary,
    simulate,
)

DEPTS = [(3, ("lognormal", 6.0, 4.0)), (4, ("exponential", 7.0)), (2, ("lognormal", 4.0, 2.0))]
DAY = sum(
    (s.end.hour * 60 + s.end.minute) - (s.start.hour * 60 + s.start.minute)
    for s in OpeningHours.default().sessions_on(date(2025, 1, 2))
)  # open minutes in a day: 420
# the hall with all of it: class, arrivals a day, priority, patience, queue that turns away
FEATURES = [
    ("walk-in", 150, 0, 20.0, 12),
    ("booked", 40, 1, None, None),
    ("green", 10, 2, None, None),
]
# priorities: rates of the high and the low class
PRIORITY_RATES = (1.5, 3.0)
Run = tuple[int, float, float]  # customers, mean wait per visit, share who left unserved


def dist(spec: tuple[Any, ...]) -> Any:
    return Exponential(spec[1]) if spec[0] == "exponential" else Lognormal(spec[1], spec[2])


def lognormal_params(mean: float, sd: float) -> tuple[float, float]:
    s2 = math.log1p((sd / mean) ** 2)
    return math.log(mean) - s2 / 2, math.sqrt(s2)


# ------------------------------------------------------------------ govservice


def gs_mmc(c: int, customers: int, rate: float | None = None, **cls: Any) -> Scenario:
    return Scenario(
        stations=[Station("s", c, service=Exponential(1.0))],
        classes=[CustomerClass("a", Poisson(rate or 0.9 * c), route="s", **cls)],
        customers=customers,
    )


def gs_priorities(customers: int) -> Scenario:
    hi, lo = PRIORITY_RATES
    return Scenario(
        stations=[Station("s", 5, service=Exponential(1.0))],
        classes=[
            CustomerClass("hi", Poisson(hi), route="s", priority=1),
            CustomerClass("lo", Poisson(lo), route="s"),
        ],
        customers=customers,
    )


def gs_returns(customers: int) -> Scenario:
    return Scenario(
        stations=[
            Station("w", 5, service=Exponential(1.0), next=Probabilistic({"c": 0.3})),
            Station("c", 1, service=Exponential(0.5), next="w"),
        ],
        classes=[CustomerClass("a", Poisson(3.15), route="w")],
        customers=customers,
    )


def gs_hall(days: int) -> Scenario:
    stations = [
        Station(
            "triage",
            2,
            service=Exponential(0.8),
            accepts=False,
            next=ByClass({f"c{i}": f"d{i}" for i in range(3)}),
        )
    ]
    for i, (servers, spec) in enumerate(DEPTS):
        stations.append(
            Station(f"d{i}", servers, service=dist(spec), next=Probabilistic({"cashier": 0.3}))
        )
    stations.append(Station("cashier", 1, service=Exponential(1.5), accepts=False))
    return Scenario(
        stations=stations,
        classes=[CustomerClass(f"c{i}", DailyProfile(100), route="triage") for i in range(3)],
        hall=Hall(china(), date(2025, 1, 1), days=days),
    )


def gs_feature_hall(days: int, provisional: bool = False) -> Scenario:
    classes = []
    for name, per_day, priority, patience, queue in FEATURES:
        classes.append(
            CustomerClass(
                name,
                DailyProfile(per_day),
                route="windows",
                priority=priority,
                patience=None if patience is None else {"windows": Exponential(patience)},
                baulk=None if queue is None else {"windows": Baulk(queue=queue)},
            )
        )
    return Scenario(
        stations=[
            Station(
                "windows", 5, service=Lognormal(8.0, 4.0), next=Probabilistic({"cashier": 0.3})
            ),
            Station("cashier", 1, service=Exponential(1.5), accepts=False),
        ],
        classes=classes,
        hall=Hall(china(provisional=provisional), date(2025, 1, 1), days=days),
    )


def gs_run(scenario: Scenario, seed: int) -> Summary:
    return simulate(scenario, seed=seed).summary


def gs_figures(s: Summary) -> Run:
    visits = sum(st.customers for st in s.stations.values())
    wait = sum(st.mean_wait * st.customers for st in s.stations.values()) / visits
    lost = sum(st.abandoned + st.baulked for st in s.stations.values())
    return s.customers, wait, lost / s.customers


# ---------------------------------------------------------------------- SimPy


def _sampler(rng: random.Random, spec: tuple[Any, ...]) -> Callable[[], float]:
    if spec[0] == "exponential":
        rate = 1 / spec[1]
        return lambda: rng.expovariate(rate)
    mu, sigma = lognormal_params(spec[1], spec[2])
    return lambda: rng.lognormvariate(mu, sigma)


def simpy_mmc(
    c: int,
    customers: int,
    seed: int,
    *,
    rate: float | None = None,
    patience: float | None = None,
    queue: int | None = None,
) -> Run:
    """M/M/c at *rate* (0.9 c by default); customers renege after *patience* on average
    (request or timeout, whichever first) or do not join *queue* waiting.
    """
    import simpy

    rng = random.Random(seed)
    env = simpy.Environment()
    res = simpy.Resource(env, capacity=c)
    waits: list[float] = []
    lost = [0]

    def customer(env: simpy.Environment) -> Any:
        if queue is not None and len(res.queue) >= queue:
            lost[0] += 1
            return
        t = env.now
        with res.request() as req:
            if patience is None:
                yield req
            else:
                got = yield req | env.timeout(rng.expovariate(1 / patience))
                if req not in got:
                    waits.append(env.now - t)
                    lost[0] += 1
                    return
            waits.append(env.now - t)
            yield env.timeout(rng.expovariate(1.0))

    def source(env: simpy.Environment) -> Any:
        for _ in range(customers):
            yield env.timeout(rng.expovariate(rate or 0.9 * c))
            env.process(customer(env))

    env.process(source(env))
    env.run()
    return customers, sum(waits) / len(waits), lost[0] / customers


def simpy_priorities(customers: int, seed: int) -> Run:
    import simpy

    rng = random.Random(seed)
    env = simpy.Environment()
    res = simpy.PriorityResource(env, capacity=5)
    waits: list[float] = []

    def customer(env: simpy.Environment, priority: int) -> Any:
        t = env.now
        with res.request(priority=priority) as req:
            yield req
            waits.append(env.now - t)
            yield env.timeout(rng.expovariate(1.0))

    def source(env: simpy.Environment, rate: float, priority: int, n: int) -> Any:
        for _ in range(n):
            yield env.timeout(rng.expovariate(rate))
            env.process(customer(env, priority))

    hi, lo = PRIORITY_RATES
    n_hi = round(customers * hi / (hi + lo))
    env.process(source(env, hi, 0, n_hi))
    env.process(source(env, lo, 1, customers - n_hi))
    env.run()
    return customers, sum(waits) / len(waits), 0.0


def simpy_returns(customers: int, seed: int) -> Run:
    import simpy

    rng = random.Random(seed)
    env = simpy.Environment()
    windows, cashier = simpy.Resource(env, 5), simpy.Resource(env, 1)
    waits: list[float] = []

    def visit(res: simpy.Resource, mean: float) -> Any:
        t = env.now
        with res.request() as req:
            yield req
            waits.append(env.now - t)
            yield env.timeout(rng.expovariate(1 / mean))

    def customer() -> Any:
        while True:
            yield from visit(windows, 1.0)
            if rng.random() >= 0.3:
                return
            yield from visit(cashier, 0.5)

    def source() -> Any:
        for _ in range(customers):
            yield env.timeout(rng.expovariate(3.15))
            env.process(customer())

    env.process(source())
    env.run()
    return customers, sum(waits) / len(waits), 0.0


def simpy_hall(days: int, seed: int) -> Run:
    import simpy

    rng = random.Random(seed)
    env = simpy.Environment()
    triage = simpy.Resource(env, 2)
    depts = [simpy.Resource(env, s) for s, _ in DEPTS]
    dept_svc = [_sampler(rng, spec) for _, spec in DEPTS]
    cashier = simpy.Resource(env, 1)
    waits: list[float] = []
    horizon = days * DAY
    arrived = [0]

    def visit(res: simpy.Resource, svc: float) -> Any:
        t = env.now
        with res.request() as req:
            yield req
            waits.append(env.now - t)
            yield env.timeout(svc)

    def customer(k: int) -> Any:
        yield from visit(triage, rng.expovariate(1 / 0.8))
        yield from visit(depts[k], dept_svc[k]())
        if rng.random() < 0.3:
            yield from visit(cashier, rng.expovariate(1 / 1.5))

    def source(k: int) -> Any:
        while True:
            yield env.timeout(rng.expovariate(100 / DAY))
            if env.now >= horizon:
                return
            arrived[0] += 1
            env.process(customer(k))

    for k in range(3):
        env.process(source(k))
    env.run()
    return arrived[0], sum(waits) / len(waits), 0.0


def simpy_feature_hall(days: int, seed: int) -> Run:
    import simpy

    rng = random.Random(seed)
    env = simpy.Environment()
    windows = simpy.PriorityResource(env, 5)
    cashier = simpy.PriorityResource(env, 1)
    mu, sigma = lognormal_params(8.0, 4.0)
    horizon = days * DAY
    waits: list[float] = []
    arrived, lost = [0], [0]

    def customer(priority: int, patience: float | None, queue: int | None) -> Any:
        if queue is not None and len(windows.queue) >= queue:
            lost[0] += 1
            return
        t = env.now
        with windows.request(priority=-priority) as req:
            if patience is None:
                yield req
            else:
                got = yield req | env.timeout(rng.expovariate(1 / patience))
                if req not in got:
                    waits.append(env.now - t)
                    lost[0] += 1
                    return
            waits.append(env.now - t)
            yield env.timeout(rng.lognormvariate(mu, sigma))
        if rng.random() >= 0.3:
            return
        t = env.now
        with cashier.request(priority=-priority) as req:
            yield req
            waits.append(env.now - t)
            yield env.timeout(rng.expovariate(1 / 1.5))

    def source(per_day: int, priority: int, patience: float | None, queue: int | None) -> Any:
        while True:
            yield env.timeout(rng.expovariate(per_day / DAY))
            if env.now >= horizon:
                return
            arrived[0] += 1
            env.process(customer(priority, patience, queue))

    for _, per_day, priority, patience, queue in FEATURES:
        env.process(source(per_day, priority, patience, queue))
    env.run()
    return arrived[0], sum(waits) / len(waits), lost[0] / arrived[0]


# ------------------------------------------------------------------------ Ciw


def _ciw_figures(q: Any, customers: int | None = None) -> Run:
    recs = q.get_all_records()
    waited = [r.waiting_time for r in recs if r.record_type in ("service", "renege")]
    lost = sum(1 for r in recs if r.record_type in ("renege", "baulk"))
    n = customers or len({r.id_number for r in recs})
    return n, float(np.mean(waited)), lost / n


def ciw_mmc(
    c: int,
    customers: int,
    seed: int,
    *,
    rate: float | None = None,
    patience: float | None = None,
    queue: int | None = None,
) -> Run:
    """:func:`simpy_mmc` with Ciw's ``reneging_time_distributions`` and ``baulking_functions``."""
    import ciw

    ciw.seed(seed)
    n = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(rate or 0.9 * c)],
        service_distributions=[ciw.dists.Exponential(1.0)],
        number_of_servers=[c],
        reneging_time_distributions=None
        if patience is None
        else [ciw.dists.Exponential(1 / patience)],
        baulking_functions=None if queue is None else [_baulk_at(c, queue)],
    )
    q = ciw.Simulation(n)
    q.simulate_until_max_customers(customers, method="Arrive")
    return _ciw_figures(q, customers)


def ciw_priorities(customers: int, seed: int) -> Run:
    import ciw

    ciw.seed(seed)
    hi, lo = PRIORITY_RATES
    n = ciw.create_network(
        arrival_distributions={
            "hi": [ciw.dists.Exponential(hi)],
            "lo": [ciw.dists.Exponential(lo)],
        },
        service_distributions={
            "hi": [ciw.dists.Exponential(1.0)],
            "lo": [ciw.dists.Exponential(1.0)],
        },
        number_of_servers=[5],
        priority_classes={"hi": 0, "lo": 1},
    )
    q = ciw.Simulation(n)
    q.simulate_until_max_customers(customers, method="Arrive")
    return _ciw_figures(q, customers)


def ciw_returns(customers: int, seed: int) -> Run:
    import ciw

    ciw.seed(seed)
    n = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(3.15), None],
        service_distributions=[ciw.dists.Exponential(1.0), ciw.dists.Exponential(2.0)],
        number_of_servers=[5, 1],
        routing=[[0.0, 0.3], [1.0, 0.0]],
    )
    q = ciw.Simulation(n)
    q.simulate_until_max_customers(customers, method="Arrive")
    return _ciw_figures(q, customers)


def _ciw_dist(spec: tuple[Any, ...]) -> Any:
    import ciw

    if spec[0] == "exponential":
        return ciw.dists.Exponential(1 / spec[1])
    mu, sigma = lognormal_params(spec[1], spec[2])
    return ciw.dists.Lognormal(mu, sigma)


def ciw_hall(days: int, seed: int) -> Run:
    import ciw

    ciw.seed(seed)
    nodes = 5  # triage, d0, d1, d2, cashier
    arrivals, services, routing = {}, {}, {}
    for k in range(3):
        name = f"c{k}"
        arrivals[name] = [ciw.dists.Exponential(100 / DAY)] + [None] * (nodes - 1)
        services[name] = (
            [ciw.dists.Exponential(1 / 0.8)]
            + [_ciw_dist(s) for _, s in DEPTS]
            + [ciw.dists.Exponential(1 / 1.5)]
        )
        m = [[0.0] * nodes for _ in range(nodes)]
        m[0][1 + k] = 1.0
        for d in range(1, 4):
            m[d][4] = 0.3
        routing[name] = m
    n = ciw.create_network(
        arrival_distributions=arrivals,
        service_distributions=services,
        routing=routing,
        number_of_servers=[2, *[s for s, _ in DEPTS], 1],
    )
    q = ciw.Simulation(n)
    q.simulate_until_max_time(days * DAY)
    return _ciw_figures(q)


def _baulk_at(servers: int, queue: int) -> Callable[..., float]:
    """Ciw's baulking function: turned away when *queue* wait at *servers* busy counters."""

    def turned_away(n: int, **_: Any) -> float:
        return 1.0 if n >= servers + queue else 0.0

    return turned_away


def ciw_feature_hall(days: int, seed: int) -> Run:
    import ciw

    ciw.seed(seed)
    mu, sigma = lognormal_params(8.0, 4.0)
    arrivals, services, routing, baulking, reneging, priority = {}, {}, {}, {}, {}, {}
    for name, per_day, prio, patience, queue in FEATURES:
        arrivals[name] = [ciw.dists.Exponential(per_day / DAY), None]
        services[name] = [ciw.dists.Lognormal(mu, sigma), ciw.dists.Exponential(1 / 1.5)]
        routing[name] = [[0.0, 0.3], [0.0, 0.0]]
        baulking[name] = [None if queue is None else _baulk_at(5, queue), None]
        reneging[name] = [None if patience is None else ciw.dists.Exponential(1 / patience), None]
        priority[name] = 2 - prio  # Ciw: 0 is served first
    n = ciw.create_network(
        arrival_distributions=arrivals,
        service_distributions=services,
        routing=routing,
        number_of_servers=[5, 1],
        baulking_functions=baulking,
        reneging_time_distributions=reneging,
        priority_classes=priority,
    )
    q = ciw.Simulation(n)
    q.simulate_until_max_time(days * DAY)
    return _ciw_figures(q)


# ---------------------------------------------------------------------- timing


def timed(f: Callable[[], Any]) -> tuple[float, Any]:
    """CPU seconds of *f* (garbage collector off) and its result."""
    gc.collect()
    gc.disable()
    try:
        t = time.process_time()
        out = f()
        return time.process_time() - t, out
    finally:
        gc.enable()


def peak_mib(f: Callable[[], Any]) -> float:
    gc.collect()
    tracemalloc.start()
    f()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--quick", action="store_true", help="a tenth of the customers")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--repeat", type=int, default=3, help="best of N for govservice")
    p.add_argument("--only", help="run only the models whose name contains this")
    args = p.parse_args()
    scale = 10 if args.quick else 1
    customers, days, features = 200_000 // scale, 250 // scale, 100_000 // scale
    seed = args.seed
    print(
        f"Python {platform.python_version()}, NumPy {np.__version__}, "
        f"{platform.system()} {platform.machine()}, CPU {cpu_name()}"
    )
    print(f"SimPy {version('simpy')}, Ciw {version('ciw')}\n")
    models: list[tuple[str, Callable[[], Summary], Callable[[], Run], Callable[[], Run]]] = [
        (
            "M/M/5, ρ = 0.9",
            lambda: gs_run(gs_mmc(5, customers), seed),
            lambda: simpy_mmc(5, customers, seed),
            lambda: ciw_mmc(5, customers, seed),
        ),
        (
            "hall, 300/day, 3 classes",
            lambda: gs_run(gs_hall(days), seed),
            lambda: simpy_hall(days, seed),
            lambda: ciw_hall(days, seed),
        ),
        (
            "reneging: M/M/5+M, ρ = 0.9, patience 5",
            lambda: gs_run(gs_mmc(5, features, patience=Exponential(5.0)), seed),
            lambda: simpy_mmc(5, features, seed, patience=5.0),
            lambda: ciw_mmc(5, features, seed, patience=5.0),
        ),
        (
            "baulking: M/M/5, ρ = 0.95, none join 10 waiting",
            lambda: gs_run(gs_mmc(5, features, 4.75, baulk=Baulk(queue=10)), seed),
            lambda: simpy_mmc(5, features, seed, rate=4.75, queue=10),
            lambda: ciw_mmc(5, features, seed, rate=4.75, queue=10),
        ),
        (
            "priorities: M/M/5, ρ = 0.9, 2 classes",
            lambda: gs_run(gs_priorities(features), seed),
            lambda: simpy_priorities(features, seed),
            lambda: ciw_priorities(features, seed),
        ),
        (
            "returns: 5 windows ⇄ cashier (a cycle)",
            lambda: gs_run(gs_returns(features), seed),
            lambda: simpy_returns(features, seed),
            lambda: ciw_returns(features, seed),
        ),
        (
            "hall: reneging, baulking, priorities, 200/day",
            lambda: gs_run(gs_feature_hall(days), seed),
            lambda: simpy_feature_hall(days, seed),
            lambda: ciw_feature_hall(days, seed),
        ),
    ]
    rows = []
    for name, gs, sp, cw in models:
        if args.only and args.only not in name:
            continue
        t_gs, summary = min((timed(gs) for _ in range(args.repeat)), key=lambda x: x[0])
        n_gs, w_gs, l_gs = gs_figures(summary)
        t_sp, (_, w_sp, l_sp) = timed(sp)
        t_cw, (_, w_cw, l_cw) = timed(cw)
        per = 100_000 / n_gs
        rows.append(
            (name, n_gs, t_gs * per, t_sp * per, t_cw * per, (w_gs, w_sp, w_cw), (l_gs, l_sp, l_cw))
        )
    print(
        "| model | customers | govservice s/100k | SimPy s/100k | Ciw s/100k "
        "| SimPy / govservice | Ciw / govservice | mean wait per visit (gs / SimPy / Ciw) "
        "| left unserved (gs / SimPy / Ciw) |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for m, n, g, s, c, (wg, ws, wc), (lg, ls, lc) in rows:
        print(
            f"| {m} | {n:,} | {g:.3f} | {s:.3f} | {c:.3f} | {s / g:.1f}× | {c / g:.1f}× "
            f"| {wg:.3f} / {ws:.3f} / {wc:.3f} | {lg:.1%} / {ls:.1%} / {lc:.1%} |"
        )
    if args.only:
        return
    print("\nCost per customer, M/M/c at ρ = 0.9, summaries only:\n")
    print("| servers | customers | µs per customer |")
    print("|---|---|---|")
    for c in (5, 10, 20, 50):
        t, _ = min(
            (timed(lambda c=c: simulate(gs_mmc(c, customers), seed=1)) for _ in range(args.repeat)),
            key=lambda x: x[0],
        )
        print(f"| {c} | {customers:,} | {t / customers * 1e6:.2f} |")
    print("\nPeak traced memory of summary-only runs:\n")
    print("| model | customers | peak MiB |")
    print("|---|---|---|")
    for n in (100_000 // scale, 1_000_000 // scale):
        mib = peak_mib(lambda n=n: simulate(gs_mmc(5, n), seed=1))
        print(f"| M/M/5 | {n:,} | {mib:.1f} |")
    for n in (100_000 // scale, 1_000_000 // scale):
        mib = peak_mib(lambda n=n: simulate(gs_mmc(5, n, patience=Exponential(5.0)), seed=1))
        print(f"| reneging | {n:,} | {mib:.1f} |")
    for n in (100_000 // scale, 1_000_000 // scale):
        mib = peak_mib(lambda n=n: simulate(gs_returns(n), seed=1))
        print(f"| returns | {n:,} | {mib:.1f} |")
    for d in (days, 10 * days):  # ten years: the calendar's later years provisional
        mib = peak_mib(lambda d=d: simulate(gs_feature_hall(d, provisional=True), seed=1))
        print(f"| hall: reneging, baulking, priorities | {200 * d:,} (about) | {mib:.1f} |")


if __name__ == "__main__":
    main()
