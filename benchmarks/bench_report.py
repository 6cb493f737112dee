"""Benchmark: the monthly assessment and the half-year report at a large centre's scale.

Two runs, each on a SQLite store filled by the demo's seeded generator (every
event validated on append; the fill is timed and reported, not the target):

* **assessment** — a month of a centre with 60 windows, 300 staff and about
  80,000 cases, with its inspections, complaints, commendations and service
  records: ``center.assess(store, month)`` (gathering and scoring).
  Target: under 1 second.
* **report** — half a year with about 1,000,000 cases: ``center.report(store,
  period)`` with the monthly red flags.  Target: under 10 seconds.
* **May of the half year** — ``center.assess(store, "2026-05")`` on the half
  year's store, which reads only the cases May needs (``period_table``: those
  received by its end; of the closed ones, those whose last event is on or
  after the day May looks back to for its bad reviews).  Target: the month's.

Each also times reading the store's events as columns alone
(``CaseTable.from_store``), the floor under both.

Usage: ``python benchmarks/bench_report.py [--scale 1.0] [--skip-report] [--store DIR]``
(``--scale 0.1`` for a quick run).  With ``--store DIR`` the filled stores are
kept in *DIR* and reused by later runs of the same scale (a store of an older
schema is upgraded when opened, and the upgrade timed); without it they are
filled afresh in a temporary folder.  Nothing here is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
import time
from datetime import date
from pathlib import Path

from govservice import ServiceCenter
from govservice.assessment import Period, period_table
from govservice.cases.table import CaseTable
from govservice.demo import generate_events, generate_records
from govservice.model import (
    BUILTIN_RULES,
    Catalogue,
    HandlingKind,
    LimitUnit,
    Matter,
    Staff,
    TimeLimit,
    Unit,
    Window,
)
from govservice.storage import EventStore

RULES = [
    ("alicensing.decision", 20),
    ("market_registration.decision", 3),
    ("real_estate_registration.decision", 30),
]


def big_catalogue(units: int = 20, windows: int = 60, staff: int = 300) -> Catalogue:
    """20 units, 60 windows (3 a unit), 300 staff (5 a window), 150 matters."""
    us = [Unit(f"U{u:02d}", f"单位{u:02d}") for u in range(units)]
    ws = [Window(f"W{w:02d}", f"窗口{w:02d}", (us[w % units].code,)) for w in range(windows)]
    ss = [Staff(f"S{s:03d}", f"员工{s:03d}", ws[s % windows].code) for s in range(staff)]
    ms = []
    for k in range(150):
        rule, limit = RULES[k % len(RULES)]
        immediate = k % 2 == 0
        ms.append(
            Matter(
                code=f"M{k:03d}",
                name=f"事项{k:03d}",
                unit=us[k % units].code,
                category="licensing",
                kind=HandlingKind.IMMEDIATE if immediate else HandlingKind.PROMISED,
                statutory=TimeLimit(limit, LimitUnit.WORKING_DAYS, rule),
                promised=TimeLimit(0 if immediate else max(1, limit // 3), LimitUnit.WORKING_DAYS),
            )
        )
    return Catalogue(
        units=us,
        windows=ws,
        staff=ss,
        matters=ms,
        rules=BUILTIN_RULES,
        source="benchmark catalogue",
    )


def fill(center: ServiceCenter, url: str, period: Period, per_day: float) -> tuple[int, float]:
    """Generate and append the period's events; return (cases, seconds)."""
    t0 = time.perf_counter()
    cases = 0
    with center.open_store(url) as store:
        store.set_catalogue(center.catalogue)
        events_all = []
        for _, events in generate_events(
            center.catalogue,
            center.calendar,
            center.opening_hours,
            period,
            seed=11,
            per_day=per_day,
        ):
            store.append(events)
            cases += sum(1 for e in events if e["type"] == "submitted")
            events_all += [e for e in events if e["type"] in ("submitted", "decided")]
        records = generate_records(
            center.catalogue, center.calendar, center.opening_hours, period, events_all, seed=11
        )
        for kind, rows in records.items():
            store.put_records(kind, rows)
    return cases, time.perf_counter() - t0


def stored(
    center: ServiceCenter, folder: Path, name: str, period: Period, per_day: float, scale: float
) -> tuple[str, int, float]:
    """The URL of a store of *period* in *folder*, filled unless an earlier run left it.

    Returns (url, cases, fill seconds): of this run's fill, or of the one that
    filled the store reused.  A store reused is opened once first, so an older
    schema is upgraded outside the timings (and the upgrade printed).
    """
    url = f"sqlite:///{folder / name}.db?synchronous=normal"
    sidecar = folder / f"{name}.json"
    if sidecar.exists():
        known = json.loads(sidecar.read_text())
        if known["scale"] == scale and (folder / f"{name}.db").exists():
            t0 = time.perf_counter()
            center.open_store(url).close()
            print(
                f"{name}: reusing {known['cases']:,} cases "
                f"(opened in {time.perf_counter() - t0:.1f} s)"
            )
            return url, known["cases"], known["fill"]
        for suffix in (".db", ".db-wal", ".db-shm", ".json"):
            (folder / f"{name}{suffix}").unlink(missing_ok=True)
    cases, seconds = fill(center, url, period, per_day)
    sidecar.write_text(json.dumps({"scale": scale, "cases": cases, "fill": seconds}))
    return url, cases, seconds


def _reading(store: EventStore) -> tuple[float, float]:
    """Seconds (wall, CPU) to read the store's events as the columns statistics fold."""
    t0, c0 = time.perf_counter(), time.process_time()
    CaseTable.from_store(store)
    return time.perf_counter() - t0, time.process_time() - c0


def main() -> None:
    """Run both benchmarks and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the full size")
    parser.add_argument("--skip-report", action="store_true", help="only the assessment")
    parser.add_argument("--store", type=Path, help="a folder to keep the filled stores in, reused")
    args = parser.parse_args()
    print(f"Python {platform.python_version()}, {os.cpu_count()} CPUs, {platform.machine()}")
    center = ServiceCenter(entrypoints=False, catalogue=big_catalogue())
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.store or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        may = Period.month("2026-05")
        url, cases, fill_s = stored(
            center, folder, "month", may, 80_000 / 19 * args.scale, args.scale
        )
        with center.open_store(url) as store:
            floor = _reading(store)
            t0, c0 = time.perf_counter(), time.process_time()
            a = center.assess(store, may)
            took = (time.perf_counter() - t0, time.process_time() - c0)
        rows.append(
            (
                "assess one month",
                cases,
                fill_s,
                took,
                1.0,
                f"reading the events alone {floor[0]:.2f} s ({floor[1]:.2f} s CPU); "
                f"{len(a.windows)} windows, "
                f"{len(a.staff)} staff",
            )
        )
        if not args.skip_report:
            half = Period(date(2026, 1, 1), date(2026, 6, 30))
            url, cases, fill_s = stored(
                center, folder, "half", half, 1_000_000 / 117 * args.scale, args.scale
            )
            with center.open_store(url) as store:
                floor = _reading(store)
                t0, c0 = time.perf_counter(), time.process_time()
                report = center.report(store, half)
                took = (time.perf_counter() - t0, time.process_time() - c0)
                t0, c0 = time.perf_counter(), time.process_time()
                needed = len(period_table(store, may).facts)
                month_floor = (time.perf_counter() - t0, time.process_time() - c0)
                t0, c0 = time.perf_counter(), time.process_time()
                center.assess(store, may)
                month_took = (time.perf_counter() - t0, time.process_time() - c0)
            rows.append(
                (
                    "half-year report",
                    cases,
                    fill_s,
                    took,
                    10.0,
                    f"reading the events alone {floor[0]:.2f} s ({floor[1]:.2f} s CPU); "
                    f"{report.total.received:,} received, {report.total.decided:,} decided",
                )
            )
            rows.append(
                (
                    "assess May of the half-year store",
                    cases,
                    fill_s,
                    month_took,
                    1.0,
                    f"reads {needed:,} cases (received by 31 May, open or closed on or after "
                    f"the day May looks back to) in {month_floor[0]:.2f} s "
                    f"({month_floor[1]:.2f} s CPU)",
                )
            )
    print(
        "\n| benchmark | cases | fill s (not timed) | seconds | CPU seconds | target s | met "
        "| notes |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for name, cases, filled, (wall, cpu), target, notes in rows:
        met = "yes" if wall < target else "NO"
        print(
            f"| {name} | {cases:,} | {filled:.1f} | {wall:.2f} | {cpu:.2f} | {target:.0f} "
            f"| {met} | {notes} |"
        )


if __name__ == "__main__":
    main()
