"""Benchmark: appending events to the SQLite store against plain ``executemany``.

In one run: the same events (realistic cases of 3–5 events from the demo's
generator) are appended in batches of 10,000 (a) through ``SQLiteStore.append``
— parsed, validated against each case's history, idempotency and concurrency
checked, case summaries kept — and (b) as plain rows (id, case, version, type,
at, JSON body) with ``sqlite3`` ``executemany`` into one table, WAL mode, the
same ``synchronous`` setting: the practical limit.  Then the open cases of a
month are read back (``store.cases`` and the batch clock over them).  With
``--postgres URL`` the store run is repeated on PostgreSQL.

Usage: ``python benchmarks/bench_store.py [--events N] [--postgres URL]``.
Nothing is asserted; the ratio is reported.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from bench_report import big_catalogue
from govservice import ServiceCenter
from govservice.assessment import Period
from govservice.cases import event_from_dict, event_to_dict
from govservice.cases.batch import read_batch
from govservice.cases.table import CaseTable
from govservice.demo import generate_events

BATCH = 10_000


def events(center: ServiceCenter, n: int) -> list[dict[str, Any]]:
    """About *n* events of cases received from January 2026."""
    out: list[dict[str, Any]] = []
    half = Period(date(2026, 1, 1), date(2026, 6, 30))
    for _, day in generate_events(
        center.catalogue,
        center.calendar,
        center.opening_hours,
        half,
        seed=5,
        per_day=max(10.0, n / 117 / 3.6),
    ):
        out += day
        if len(out) >= n:
            break
    return out


def plain(path: Path, rows: list[tuple[Any, ...]], synchronous: str) -> float:
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA journal_mode = WAL")
    con.execute(f"PRAGMA synchronous = {synchronous}")
    con.execute(
        "CREATE TABLE events (seq INTEGER PRIMARY KEY, id TEXT UNIQUE, case_id TEXT, "
        "case_version INTEGER, type TEXT, at TEXT, body TEXT)"
    )
    t0 = time.perf_counter()
    for k in range(0, len(rows), BATCH):
        con.execute("BEGIN")
        con.executemany(
            "INSERT INTO events (id, case_id, case_version, type, at, body) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            rows[k : k + BATCH],
        )
        con.execute("COMMIT")
    took = time.perf_counter() - t0
    con.close()
    return took


def through_store(center: ServiceCenter, url: str, evs: list[Any]) -> tuple[float, float]:
    with center.open_store(url) as store:
        store.set_catalogue(center.catalogue)
        t0 = time.perf_counter()
        for k in range(0, len(evs), BATCH):
            store.append(evs[k : k + BATCH])
        append = time.perf_counter() - t0
        t0 = time.perf_counter()
        may = Period.month("2026-05")
        open_rows = store.cases(until=may.end, state="in_progress")
        table = CaseTable.from_store(store)
        r = read_batch(store.clock, table.facts, may.end_instant(store.clock.calendar.timezone))
        _ = (len(open_rows), int(r.open.sum()))
        read = time.perf_counter() - t0
    return append, read


def main() -> None:
    """Run and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--postgres", default=os.environ.get("GOVSERVICE_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    print(
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"{os.cpu_count()} CPUs, {platform.machine()}"
    )
    center = ServiceCenter(entrypoints=False, catalogue=big_catalogue())
    dicts = events(center, args.events)
    objects = [event_from_dict(e) for e in dicts]
    versions: dict[str, int] = {}
    rows = []
    for e in objects:
        versions[e.case] = versions.get(e.case, 0) + 1
        body = json.dumps(event_to_dict(e), ensure_ascii=False, sort_keys=True)
        rows.append((e.id, e.case, versions[e.case], e.type, e.at.isoformat(), body))
    n = len(objects)
    print(f"{n:,} events of {len(versions):,} cases, batches of {BATCH:,}\n")
    table = []
    with tempfile.TemporaryDirectory() as tmp:
        for sync in ("full", "normal"):
            limit = plain(Path(tmp) / f"plain-{sync}.db", rows, sync.upper())
            url = f"sqlite:///{Path(tmp) / f'store-{sync}.db'}?synchronous={sync}"
            append, read = through_store(center, url, objects)
            table.append((f"SQLite, synchronous={sync}", append, limit, read))
        if args.postgres:
            import psycopg

            admin = psycopg.connect(args.postgres, autocommit=True)
            admin.execute("DROP DATABASE IF EXISTS gs_bench WITH (FORCE)")
            admin.execute("CREATE DATABASE gs_bench")
            url = args.postgres.rsplit("/", 1)[0] + "/gs_bench"
            append, read = through_store(center, url, objects)
            table.append(("PostgreSQL", append, float("nan"), read))
            admin.execute("DROP DATABASE gs_bench WITH (FORCE)")
    print(
        "| backend | store append s | µs/event | executemany s | µs/event | ratio | "
        "read open cases of a month s |"
    )
    print("|---|---|---|---|---|---|---|")
    for name, append, limit, read in table:
        print(
            f"| {name} | {append:.2f} | {append / n * 1e6:.1f} | {limit:.2f} | "
            f"{limit / n * 1e6:.1f} | {append / limit:.1f}× | {read:.2f} |"
        )
    print("\nTarget: appends within 3× of executemany.")


if __name__ == "__main__":
    main()
