"""govservice.sim against SimPy and Ciw on the same models, in one run.

Models:

- **M/M/5**: Poisson arrivals at rate 4.5, exponential service of mean 1,
  five servers (ρ = 0.9), 200,000 customers.
- **hall**: 300 arrivals per working day in 3 classes (100 each), a triage
  desk of 2 servers (exponential, mean 0.8 min), departmental windows of 3
  (lognormal, mean 6, sd 4), 4 (exponential, mean 7) and 2 servers
  (lognormal, mean 4, sd 2) — one per class — then 30 % to a 1-server
  cashier (exponential, mean 1.5), for one year (250 working days).
  govservice runs it on the real calendar (2025, opening hours 09:00–12:00
  and 13:30–17:30); SimPy and Ciw, which have no calendar, run the same
  network with the open hours laid end to end (Poisson arrivals at 300 per
  450 minutes), which gives the same number of customers and the same load.

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

import numpy as np

from govservice.calendars import china
from govservice.sim import (
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
    simulate,
)

DEPTS = [(3, ("lognormal", 6.0, 4.0)), (4, ("exponential", 7.0)), (2, ("lognormal", 4.0, 2.0))]


def dist(spec: tuple) -> object:
    return Exponential(spec[1]) if spec[0] == "exponential" else Lognormal(spec[1], spec[2])


def lognormal_params(mean: float, sd: float) -> tuple[float, float]:
    s2 = math.log1p((sd / mean) ** 2)
    return math.log(mean) - s2 / 2, math.sqrt(s2)


# ------------------------------------------------------------------ govservice


def gs_mmc(c: int, customers: int) -> Scenario:
    return Scenario(
        stations=[Station("s", c, service=Exponential(1.0))],
        classes=[CustomerClass("a", Poisson(0.9 * c), route="s")],
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


# ---------------------------------------------------------------------- SimPy


def simpy_mmc(c: int, customers: int, seed: int) -> tuple[int, float]:
    import simpy

    rng = random.Random(seed)
    env = simpy.Environment()
    res = simpy.Resource(env, capacity=c)
    waits: list[float] = []

    def customer(env: simpy.Environment) -> object:
        t = env.now
        with res.request() as req:
            yield req
            waits.append(env.now - t)
            yield env.timeout(rng.expovariate(1.0))

    def source(env: simpy.Environment) -> object:
        for _ in range(customers):
            yield env.timeout(rng.expovariate(0.9 * c))
            env.process(customer(env))

    env.process(source(env))
    env.run()
    return len(waits), sum(waits) / len(waits)


def _sampler(rng: random.Random, spec: tuple) -> Callable[[], float]:
    if spec[0] == "exponential":
        rate = 1 / spec[1]
        return lambda: rng.expovariate(rate)
    mu, sigma = lognormal_params(spec[1], spec[2])
    return lambda: rng.lognormvariate(mu, sigma)


def simpy_hall(days: int, seed: int) -> tuple[int, float]:
    import simpy

    rng = random.Random(seed)
    env = simpy.Environment()
    triage = simpy.Resource(env, 2)
    depts = [simpy.Resource(env, s) for s, _ in DEPTS]
    dept_svc = [_sampler(rng, spec) for _, spec in DEPTS]
    cashier = simpy.Resource(env, 1)
    waits: list[float] = []
    horizon = days * 450.0

    def visit(res: simpy.Resource, svc: float) -> object:
        t = env.now
        with res.request() as req:
            yield req
            waits.append(env.now - t)
            yield env.timeout(svc)

    def customer(k: int) -> object:
        yield from visit(triage, rng.expovariate(1 / 0.8))
        yield from visit(depts[k], dept_svc[k]())
        if rng.random() < 0.3:
            yield from visit(cashier, rng.expovariate(1 / 1.5))

    def source(k: int) -> object:
        while True:
            yield env.timeout(rng.expovariate(100 / 450))
            if env.now >= horizon:
                return
            env.process(customer(k))

    for k in range(3):
        env.process(source(k))
    env.run()
    return sum(1 for _ in waits), sum(waits) / len(waits)


# ------------------------------------------------------------------------ Ciw


def ciw_mmc(c: int, customers: int, seed: int) -> tuple[int, float]:
    import ciw

    ciw.seed(seed)
    n = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(0.9 * c)],
        service_distributions=[ciw.dists.Exponential(1.0)],
        number_of_servers=[c],
    )
    q = ciw.Simulation(n)
    q.simulate_until_max_customers(customers, method="Arrive")
    recs = q.get_all_records()
    return len(recs), float(np.mean([r.waiting_time for r in recs]))


def ciw_hall(days: int, seed: int) -> tuple[int, float]:
    import ciw

    ciw.seed(seed)
    nodes = 5  # triage, d0, d1, d2, cashier

    def ciw_dist(spec: tuple) -> object:
        if spec[0] == "exponential":
            return ciw.dists.Exponential(1 / spec[1])
        mu, sigma = lognormal_params(spec[1], spec[2])
        return ciw.dists.Lognormal(mu, sigma)

    arrivals, services, routing = {}, {}, {}
    for k in range(3):
        name = f"c{k}"
        arrivals[name] = [ciw.dists.Exponential(100 / 450)] + [None] * (nodes - 1)
        services[name] = (
            [ciw.dists.Exponential(1 / 0.8)]
            + [ciw_dist(s) for _, s in DEPTS]
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
    q.simulate_until_max_time(days * 450.0)
    recs = q.get_all_records()
    return len({r.id_number for r in recs if r.node == 1}), float(
        np.mean([r.waiting_time for r in recs])
    )


# ---------------------------------------------------------------------- timing


def timed(f: Callable[[], object]) -> tuple[float, object]:
    gc.collect()
    gc.disable()
    try:
        t = time.perf_counter()
        out = f()
        return time.perf_counter() - t, out
    finally:
        gc.enable()


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--quick", action="store_true", help="a tenth of the customers")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--repeat", type=int, default=3, help="best of N for govservice")
    args = p.parse_args()
    scale = 10 if args.quick else 1
    customers, days = 200_000 // scale, 250 // scale
    print(
        f"Python {platform.python_version()}, NumPy {np.__version__}, "
        f"{platform.system()} {platform.machine()}"
    )
    import ciw
    import simpy

    print(f"SimPy {simpy.__version__}, Ciw {ciw.__version__}\n")
    rows = []
    for model, gs, sp, cw in (
        (
            "M/M/5, ρ = 0.9",
            lambda: simulate(gs_mmc(5, customers), seed=args.seed).summary,
            lambda: simpy_mmc(5, customers, args.seed),
            lambda: ciw_mmc(5, customers, args.seed),
        ),
        (
            "hall, 300/day, 3 classes",
            lambda: simulate(gs_hall(days), seed=args.seed).summary,
            lambda: simpy_hall(days, args.seed),
            lambda: ciw_hall(days, args.seed),
        ),
    ):
        t_gs, summ = min((timed(gs) for _ in range(args.repeat)), key=lambda x: x[0])
        n_gs = summ.customers  # type: ignore[attr-defined]
        visits = sum(s.customers for s in summ.stations.values())  # type: ignore[attr-defined]
        w_gs = sum(s.mean_wait * s.customers for s in summ.stations.values()) / visits  # type: ignore[attr-defined]
        t_sp, (_v_sp, w_sp) = timed(sp)  # type: ignore[misc]
        t_cw, (_n_cw, w_cw) = timed(cw)  # type: ignore[misc]
        per = 100_000 / n_gs
        rows.append((model, n_gs, t_gs * per, t_sp * per, t_cw * per, w_gs, w_sp, w_cw))
    print(
        "| model | customers | govservice s/100k | SimPy s/100k | Ciw s/100k "
        "| SimPy / govservice | Ciw / govservice | mean wait per visit (gs / SimPy / Ciw) |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for m, n, g, s, c, wg, ws, wc in rows:
        print(
            f"| {m} | {n:,} | {g:.3f} | {s:.3f} | {c:.3f} | {s / g:.1f}× | {c / g:.1f}× "
            f"| {wg:.3f} / {ws:.3f} / {wc:.3f} |"
        )
    print("\nCost per customer, M/M/c at ρ = 0.9, summaries only:\n")
    print("| servers | customers | µs per customer |")
    print("|---|---|---|")
    for c in (5, 10, 20, 50):
        t, _ = min(
            (timed(lambda c=c: simulate(gs_mmc(c, customers), seed=1)) for _ in range(args.repeat)),
            key=lambda x: x[0],
        )
        print(f"| {c} | {customers:,} | {t / customers * 1e6:.2f} |")
    print("\nPeak traced memory of M/M/5 summary-only runs:\n")
    print("| customers | peak MiB |")
    print("|---|---|")
    for n in (100_000 // scale, 1_000_000 // scale):
        tracemalloc.start()
        simulate(gs_mmc(5, n), seed=1)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(f"| {n:,} | {peak / 2**20:.1f} |")


if __name__ == "__main__":
    main()
