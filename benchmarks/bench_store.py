"""Benchmark: appending events to the event store against plain ``executemany``; reading back.

One run appends the same events — realistic cases of 3 to 6 events (submitted,
corrections, accepted, suspended and resumed, extended, decided, delivered,
evaluated) drawn with a seed over a small catalogue of six matters under the
built-in rules — in batches of 10,000:

(a) through ``SQLiteStore.append``, as ``Event`` objects and, into a second
    store, as event-format dicts: parsed, validated against each case's
    history, idempotency and concurrency checked, case summaries kept; and
    with ``SQLiteStore.import_jsonl`` from a JSON Lines file of the same
    events, in one transaction;
(b) as plain rows (id, case, version, type, at, JSON body) with ``sqlite3``
    ``executemany`` into one table, WAL mode, the same ``synchronous``: the
    practical limit (and the same into a table with the store's two unique
    indexes, for reference);
(c) the store's own statements alone — per batch, the same lookups, insert
    and case-summary upsert that ``append`` runs, with every row prepared
    beforehand: the floor of the store's schema, what no Python speed-up
    of ``append`` can go below; and, on the same events in memory, what
    ``append`` does besides: the clock's validating fold alone, the writing of
    the bodies alone (``body_and_time``) and the building of events from dicts
    alone — so that ``append`` is shown as statements + fold + bodies + the
    rest, and its ratio to the floor of a store that validates every event;
(d) then reads back the open cases of a month: ``store.cases(since=…,
    until=…, state=…)`` and ``store.readings(at, …)``;
(e) with ``--postgres URL`` (or ``GOVSERVICE_TEST_POSTGRES_URL`` set) the same
    on PostgreSQL, in a fresh database, the limit being psycopg ``executemany``.

With ``--memory FILE``, instead: the events are written to the JSON Lines
*FILE* (drawn a million at a time, each million's cases with their own
prefix, so that any number fits in memory), then each of ``import_jsonl``
into a new store, the same import again (every event already stored) and
``check`` runs in a process of its own, which reports its time and its peak
resident memory (``ru_maxrss``, in MiB).

The stored bodies are checked to be byte-identical to the rows of the limit.
Nothing is asserted about time; the ratios are printed, in wall time and in
the CPU time of the process (which depends less on a shared machine's load).

With ``--repeat N``, then: the building of events from dicts (D), ``append``
of ``Event`` objects (A), of dicts (AD) and ``import_jsonl`` (I) run N times
more, interleaved, each round into new stores: the median and the range of
each and of AD / A and I / A of the same round, in wall and CPU time (a single
run's ratios swing by a fifth or more on a shared machine); ``--only-repeat``
runs those rounds alone.

Usage: ``python benchmarks/bench_store.py [--events N] [--postgres URL] [--repeat N]``, or
``python benchmarks/bench_store.py --events 5000000 --memory /tmp/events-5m.jsonl``.
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import os
import platform
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta, timezone
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple, cast
from urllib.parse import urlsplit

from govservice.calendars import WorkingDayCalendar, china
from govservice.cases import Event, event_from_dict, event_to_dict
from govservice.model import (
    BUILTIN_RULES,
    Catalogue,
    HandlingKind,
    LimitUnit,
    Matter,
    TimeLimit,
    Unit,
    Window,
)
from govservice.storage import EventStore, SQLiteStore, pack
from govservice.storage._bodies import body_and_time
from govservice.storage.base import _Writer

BATCH = 10_000
TZ = timezone(timedelta(hours=8))
FIRST_DAY = date(2025, 7, 1)
NOW = datetime(2026, 6, 30, 18, 0, tzinfo=TZ)  # events after this have not happened yet
MONTH = (date(2026, 6, 1), date(2026, 6, 30))  # the month whose open cases are read back
Row = tuple[str | None, str, int, str, str, str]

WD, DAYS, HOURS = LimitUnit.WORKING_DAYS, LimitUnit.DAYS, LimitUnit.WORKING_HOURS
MATTERS = [  # (matter, weight)
    (Matter("MR-001", "食品经营许可", "MR", "administrative_licensing", HandlingKind.PROMISED,
            TimeLimit(20, WD, "alicensing.decision"), TimeLimit(8, WD)), 3),
    (Matter("MR-002", "营业执照设立登记", "MR", "market_registration", HandlingKind.PROMISED,
            TimeLimit(3, WD, "market_registration.decision"), TimeLimit(1, WD)), 4),
    (Matter("TAX-001", "发票领用", "TAX", "public_service", HandlingKind.PROMISED,
            TimeLimit(20, WD, "alicensing.decision"), TimeLimit(3, WD)), 4),
    (Matter("HR-001", "不动产抵押权登记", "HR", "registration", HandlingKind.PROMISED,
            TimeLimit(30, WD, "real_estate_registration.decision"), TimeLimit(5, WD)), 2),
    (Matter("SI-001", "社会保障卡补领", "SI", "public_service", HandlingKind.PROMISED,
            TimeLimit(20, WD, "alicensing.decision"), TimeLimit(4, HOURS)), 1),
    (Matter("LV-001", "信访事项办理", "LV", "petition", HandlingKind.PROMISED,
            TimeLimit(60, DAYS, "petition.decision")), 1),
]  # fmt: skip
CATALOGUE = Catalogue(
    units=[
        Unit("MR", "市场监督管理局"),
        Unit("TAX", "税务局"),
        Unit("HR", "不动产登记中心"),
        Unit("SI", "人力资源和社会保障局"),
        Unit("LV", "信访局"),
    ],
    matters=[m for m, _ in MATTERS],
    windows=[  # the windows the histories' ``by`` names (an actor must exist)
        Window(f"W{i:02d}", f"综合窗口{i}", ("MR", "TAX", "HR", "SI", "LV"), comprehensive=True)
        for i in range(1, 21)
    ],
    rules=BUILTIN_RULES,
    source="benchmark catalogue",
)
NAMES = ["张三", "李四", "王五", "赵六", "孙七", "周八", "吴九", "郑十"]


class CaseMaker:
    """Draws valid case histories (every one is validated by the store)."""

    def __init__(self, cal: WorkingDayCalendar, seed: int) -> None:
        self.cal = cal
        self.rng = random.Random(seed)
        self.days = [d for d in cal.working_days(FIRST_DAY, NOW.date())]
        self.matters = [m for m, _ in MATTERS]
        self.weights = [w for _, w in MATTERS]

    def time_on(
        self, day: date, after: datetime | None, lo: int = 9 * 60, hi: int = 17 * 60
    ) -> datetime:
        """A time on *day* between *lo* and *hi* minutes, strictly after *after*."""
        rng = self.rng
        t = datetime(day.year, day.month, day.day, tzinfo=TZ) + timedelta(
            minutes=rng.randrange(lo, hi), seconds=rng.randrange(60)
        )
        if after is not None and t <= after:
            t = after + timedelta(minutes=rng.randrange(1, 40), seconds=rng.randrange(60))
        return t

    def case(self, k: int) -> list[dict[str, Any]]:
        """The events of case *k* that happened by ``NOW``."""
        rng, cal = self.rng, self.cal
        matter = rng.choices(self.matters, self.weights)[0]
        rule = CATALOGUE.rules.latest(matter.statutory.rule or "")
        cid = f"C{k:07d}"
        window = f"W{rng.randrange(1, 21):02d}"
        events: list[dict[str, Any]] = []

        def add(etype: str, at: datetime, **fields: Any) -> datetime:
            n = len(events) + 1
            events.append({"case": cid, "id": f"{cid}-{n}", "type": etype, "at": at, **fields})
            return at

        day = rng.choice(self.days)
        t = add(
            "submitted",
            self.time_on(day, None, hi=16 * 60),
            matter=matter.code,
            applicant={"name": rng.choice(NAMES), "kind": "person"},
            by=window,
            channel=rng.choice(("counter", "counter", "online")),
        )
        u = rng.random()
        corrected = u < 0.06
        if corrected:
            t = add(
                "correction_requested", self.time_on(day, t), items=["身份证明复印件"], by=window
            )
            day = cal.add_working_days(day, rng.randint(1, 3))
            t = add("correction_received", self.time_on(day, t), by=window)
        elif u < 0.08:
            add(
                "rejected",
                self.time_on(cal.add_working_days(day, 1), t),
                reason="不属于本机关职权范围",
            )
            return self.until_now(events)
        if rng.random() < 0.2:
            day = cal.add_working_days(day, 1)
        t = add("accepted", self.time_on(day, t), by=window)
        paused = 0
        if rule.pausable and not corrected and rng.random() < 0.08:
            day = cal.add_working_days(day, rng.randint(1, 2))
            t = add("suspended", self.time_on(day, t), reason=sorted(rule.pausable)[0])
            paused = rng.randint(2, 5)
            day = cal.add_working_days(day, paused)
            t = add("resumed", self.time_on(day, t))
        elif rule.max_extension and rng.random() < 0.04:
            day = cal.add_working_days(day, 1)
            extra = min(rule.max_extension, 5)
            t = add("extended", self.time_on(day, t), working_days=extra, approved_by="局长")
        if rng.random() < 0.02:
            add("withdrawn", self.time_on(cal.add_working_days(day, 1), t))
            return self.until_now(events)
        promised = matter.promised
        if promised is None or promised.unit is not WD:
            span = rng.randint(0, 3)
        else:
            span = rng.randint(0, promised.amount + 2)
        day = cal.add_working_days(day, span)
        t = add(
            "decided", self.time_on(day, t), outcome="approved" if rng.random() < 0.95 else "denied"
        )
        if len(events) < 6 and rng.random() < 0.6:
            day = cal.add_working_days(day, rng.randint(0, 2))
            t = add("delivered", self.time_on(day, t))
        if len(events) < 6 and rng.random() < 0.35:
            level = rng.choices((5, 4, 3, 2, 1), (70, 18, 6, 3, 3))[0]
            add(
                "evaluated",
                self.time_on(day, t, lo=17 * 60, hi=20 * 60),
                level=level,
                channel="online",
            )
        return self.until_now(events)

    @staticmethod
    def until_now(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
        out = []
        for e in events:
            if e["at"] > NOW:
                break
            out.append({**e, "at": e["at"].isoformat()})
        return out


def draw(n: int, seed: int) -> list[dict[str, Any]]:
    """About *n* events (whole cases), in the order they happened.

    Cases are numbered in the order they were received, as a hall numbers them.
    """
    maker = CaseMaker(china(), seed)
    cases: list[list[dict[str, Any]]] = []
    count = 0
    while count < n:
        cases.append(maker.case(len(cases)))
        count += len(cases[-1])
    cases.sort(key=lambda c: c[0]["at"])  # all in +08:00: the text sorts as the time
    events: list[dict[str, Any]] = []
    for k, history in enumerate(cases):
        cid = f"C{k:07d}"
        events += [{**e, "case": cid, "id": f"{cid}-{n}"} for n, e in enumerate(history, 1)]
    # the hall's log: by time; a case's own events stay in order (their times increase)
    events.sort(key=lambda e: (e["at"], e["case"], e["id"]))
    return events


def reference_rows(objects: Sequence[Event]) -> list[Row]:
    """The rows the store writes, computed the reference way (cattrs + json.dumps)."""
    versions: dict[str, int] = {}
    rows: list[Row] = []
    for e in objects:
        v = versions[e.case] = versions.get(e.case, 0) + 1
        body = json.dumps(event_to_dict(e), ensure_ascii=False, sort_keys=True)
        rows.append((e.id, e.case, v, e.type, e.at.isoformat(), body))
    return rows


class Took(NamedTuple):
    """Seconds taken: wall time (``perf_counter``) and this process's CPU time (``process_time``).

    The machine may be shared: CPU time depends less on the load (it leaves out
    waiting, for the disk or for a CPU).
    """

    wall: float
    cpu: float

    @staticmethod
    def total(*parts: Took, less: Sequence[Took] = ()) -> Took:
        """The sum of *parts*, minus those in *less*, in wall and CPU time alike."""
        return Took(
            sum(t.wall for t in parts) - sum(t.wall for t in less),
            sum(t.cpu for t in parts) - sum(t.cpu for t in less),
        )


def timed(f: Callable[[], object]) -> Took:
    """The time *f* takes, the cyclic garbage collector paused (as the store's appends pause it)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        w0, c0 = time.perf_counter(), time.process_time()
        f()
        return Took(time.perf_counter() - w0, time.process_time() - c0)
    finally:
        if enabled:
            gc.enable()


def batches(seq: Sequence[Any]) -> list[Sequence[Any]]:
    return [seq[k : k + BATCH] for k in range(0, len(seq), BATCH)]


# ---------------------------------------------------------------------- limits

PLAIN = (
    "CREATE TABLE events (seq INTEGER PRIMARY KEY, id TEXT, case_id TEXT NOT NULL, "
    "case_version INTEGER NOT NULL, type TEXT NOT NULL, at TEXT NOT NULL, body TEXT NOT NULL{})"
)
INDEXED = ", UNIQUE (id), UNIQUE (case_id, case_version)"
INSERT = "INSERT INTO events (id, case_id, case_version, type, at, body) VALUES ({})"


def sqlite_limit(path: Path, rows: list[Row], synchronous: str, indexes: bool) -> Took:
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA journal_mode = WAL")
    con.execute(f"PRAGMA synchronous = {synchronous}")
    con.execute(PLAIN.format(INDEXED if indexes else ""))
    sql = INSERT.format(", ".join("?" * 6))

    def run() -> None:
        for chunk in batches(rows):
            con.execute("BEGIN IMMEDIATE")
            con.executemany(sql, chunk)
            con.execute("COMMIT")

    took = timed(run)
    assert con.execute("SELECT count(*) FROM events").fetchone()[0] == len(rows)
    con.close()
    return took


def postgres_limit(url: str, rows: list[Row], indexes: bool, copy: bool = False) -> Took:
    import psycopg

    with psycopg.connect(url, autocommit=True) as con:
        con.execute("DROP TABLE IF EXISTS events")
        con.execute(
            PLAIN.format(INDEXED if indexes else "").replace("INTEGER PRIMARY", "BIGSERIAL PRIMARY")
        )
        sql = INSERT.format(", ".join(["%s"] * 6))
        copy_sql = "COPY events (id, case_id, case_version, type, at, body) FROM STDIN"

        def run() -> None:
            for chunk in batches(rows):
                with con.transaction(), con.cursor() as cur:
                    if not copy:
                        cur.executemany(sql, chunk)
                        continue
                    with cur.copy(copy_sql) as out:
                        for row in chunk:
                            out.write_row(row)

        took = timed(run)
        count = con.execute("SELECT count(*) FROM events").fetchone()
        assert count is not None and count[0] == len(rows)
        con.execute("DROP TABLE events")
    return took


# ----------------------------------------------------------------------- store


def store_statements_only(store: EventStore, objects: Sequence[Event], rows: list[Row]) -> Took:
    """The store's own statements for the same batches, every row prepared beforehand.

    Per batch, in one write transaction, what ``append`` asks of its backend:
    the idempotency and version lookups, the insert of *rows* (the rows it
    writes) and the upsert of the case summaries it would pass, with each
    case's packed events where the backend keeps them — folded and packed
    first, outside the timing.  No parsing, folding or writing of bodies is
    timed: this is the floor of the store's schema.
    """
    store.set_catalogue(CATALOGUE)
    clock = store.clock
    summary = _Writer(store, cast(Any, None), clock)._summary  # how append writes summaries
    with store._write() as tx:  # the actors' indexes, as an earlier append would have left them
        keeps = tx.keeps_columns
        ids = tx.actor_ids({e.by for e in objects if e.by is not None}) if keeps else {}
    prepared = []
    cases: dict[str, Any] = {}
    for chunk, chunk_rows in zip(batches(objects), batches(rows), strict=True):
        last: dict[str, Row] = {}  # each case's last row in the batch
        for e, row in zip(chunk, chunk_rows, strict=True):
            cases[e.case] = clock.append(cases.get(e.case), e)
            last[e.case] = row
        summaries = [summary(cases[c], r[2], r[4]) for c, r in last.items()]
        packs = [pack(cases[c].events, ids) for c in last] if keeps else None
        prepared.append((chunk_rows, list(last), summaries, packs))

    def run() -> None:
        for chunk_rows, touched, summaries, packs in prepared:
            with store._write() as tx:
                tx.body_of([r[0] for r in chunk_rows if r[0] is not None])
                tx.versions(touched)
                tx.insert(chunk_rows)
                tx.upsert_cases(summaries, packs)

    return timed(run)


FOLD, BODIES, FROM_DICTS = "fold", "bodies", "from dicts"


def parts_alone(
    store: EventStore, objects: Sequence[Event], dicts: Sequence[dict[str, Any]]
) -> dict[str, Took]:
    """What ``append`` does besides its statements, each alone, on the same events, in memory.

    The clock's validating fold of every event (a fresh clock, as the store
    makes), the writing of every body and time (``body_and_time``), and the
    building of every event from its dict (the checks at the door).
    """
    clock = store.context.clock(CATALOGUE)
    return {
        FOLD: timed(lambda: clock.cases(objects)),
        BODIES: timed(lambda: [body_and_time(e) for e in objects]),
        FROM_DICTS: timed(lambda: [event_from_dict(d) for d in dicts]),
    }


def append_all(store: EventStore, events: Sequence[Any]) -> Took:
    store.set_catalogue(CATALOGUE)

    def run() -> None:
        for chunk in batches(events):
            store.append(chunk)

    return timed(run)


def check_bodies(store: EventStore, rows: list[Row]) -> None:
    out = io.StringIO()
    store.export_jsonl(out)
    assert out.getvalue() == "".join(r[5] + "\n" for r in rows), "stored bodies differ"


def reads(store: EventStore) -> list[tuple[str, int, float]]:
    since, until = MONTH
    found: list[Any] = []
    t_cases = timed(
        lambda: found.extend(store.cases(since=since, until=until, state="in_progress"))
    )
    readings: list[Any] = []
    t_read = timed(
        lambda: readings.extend(store.readings(NOW, since=since, until=until, state="in_progress"))
    )
    assert len(readings) == len(found)
    return [
        ("`cases(since, until, state='in_progress')`", len(found), t_cases.wall),
        ("`readings(at, since, until, state='in_progress')`", len(readings), t_read.wall),
    ]


def fresh_postgres(admin_url: str, name: str) -> str:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {name}")
    return urlsplit(admin_url)._replace(path=f"/{name}").geturl()


def drop_postgres(admin_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def write_events(path: Path, n: int, seed: int) -> None:
    """Write about *n* events to *path*, drawn a million at a time (each part's cases prefixed)."""
    with path.open("w", encoding="utf-8") as out:
        part = 0
        while part * 1_000_000 < n:
            size = min(1_000_000, n - part * 1_000_000)
            for e in draw(size, seed + part):
                e["case"] = f"P{part}{e['case']}"
                e["id"] = f"P{part}{e['id']}"
                out.write(json.dumps(e, ensure_ascii=False) + "\n")
            part += 1


def measured(what: str, path: Path, db: Path) -> tuple[float, float]:
    """Run *what* (import, check) on *db* in a process of its own: (seconds, peak RSS in MB)."""
    code = (
        "import resource, sys, time\n"
        "sys.path.insert(0, sys.argv[1])\n"
        "from bench_store import CATALOGUE\n"
        "from govservice.storage import SQLiteStore\n"
        "t = time.perf_counter()\n"
        "with SQLiteStore('sqlite:///' + sys.argv[3]) as store:\n"
        "    if sys.argv[2] == 'import':\n"
        "        r = store.import_jsonl(sys.argv[4], catalogue=CATALOGUE)\n"
        "    else:\n"
        "        r = store.check()\n"
        "        assert r.ok, r.problems[:3]\n"
        "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
        "print(time.perf_counter() - t, peak)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(Path(__file__).parent), what, str(db), str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return float(out[0]), float(out[1])


def memory(path: Path, n: int, seed: int) -> None:
    """Peak memory of import, import again and check of *n* events written to *path*."""
    if not path.exists():
        t = time.perf_counter()
        write_events(path, n, seed)
        print(f"wrote {path} in {time.perf_counter() - t:.0f} s", file=sys.stderr)
    with path.open("rb") as f:
        lines = sum(1 for _ in f)
    print(f"\n{lines:,} events in {path}\n")
    print("| operation | s | µs/event | peak RSS, MiB |")
    print("|---|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "store.db"
        for label, what in (
            ("`store import` into a new store", "import"),
            ("the same import again (every event already stored)", "import"),
            ("`store check`", "check"),
        ):
            took, rss = measured(what, path, db)
            print(f"| {label} | {took:.1f} | {took / lines * 1e6:.1f} | {rss:.0f} |", flush=True)


def rounds(
    objects: Sequence[Event], dicts: Sequence[dict[str, Any]], rows: list[Row], n: int, sync: str
) -> None:
    """Run D, A, AD and the import *n* times, interleaved; print the median and range of each,
    and of AD / A and import / A, in wall and CPU time."""
    taken: dict[str, list[Took]] = {k: [] for k in ("D", "A", "AD", "I")}
    for k in range(n):
        with tempfile.TemporaryDirectory() as tmp:
            taken["D"].append(timed(lambda: [event_from_dict(d) for d in dicts]))
            for key, events in (("A", objects), ("AD", dicts)):
                with SQLiteStore(f"sqlite:///{tmp}/{key}.db?synchronous={sync}") as store:
                    taken[key].append(append_all(store, events))
            lines = Path(tmp) / "events.jsonl"
            lines.write_text("".join(r[5] + "\n" for r in rows), encoding="utf-8")
            with SQLiteStore(f"sqlite:///{tmp}/import.db?synchronous={sync}") as store:
                taken["I"].append(timed(partial(store.import_jsonl, lines, catalogue=CATALOGUE)))
                check_bodies(store, rows)
        print(
            f"round {k + 1}: "
            + ", ".join(f"{key} {t[-1].wall / len(objects) * 1e6:.1f}" for key, t in taken.items())
            + " µs/event",
            file=sys.stderr,
        )

    def spread(values: list[float], unit: str = "") -> str:
        return f"{statistics.median(values):.2f}{unit} ({min(values):.2f}–{max(values):.2f})"

    each = 1e6 / len(objects)
    print(f"\nSQLite, {n} rounds of D, A, AD and the import, interleaved: median (min–max)\n")
    print("| measure | µs/event | CPU µs/event |")
    print("|---|---:|---:|")
    for key, label in (
        ("D", "events from dicts alone, `event_from_dict` (D)"),
        ("A", "`append`, `Event` objects (A)"),
        ("AD", "`append`, dicts (AD)"),
        ("I", "`import_jsonl`, one transaction (I)"),
    ):
        wall = [t.wall * each for t in taken[key]]
        cpu = [t.cpu * each for t in taken[key]]
        print(f"| {label} | {spread(wall)} | {spread(cpu)} |")
    for key in ("AD", "I"):
        wall = [t.wall / a.wall for t, a in zip(taken[key], taken["A"], strict=True)]
        cpu = [t.cpu / a.cpu for t, a in zip(taken[key], taken["A"], strict=True)]
        print(f"| **{key} / A**, the same round | {spread(wall, '×')} | {spread(cpu, '×')} |")


def per_event(took: Took, n: int) -> str:
    """Wall and CPU µs per event, as two cells."""
    return f"{took.wall / n * 1e6:.1f} | {took.cpu / n * 1e6:.1f}"


def ratio(took: Took, of: Took | None) -> str:
    """*took* over *of*, in wall and CPU time, as two cells (empty without *of*)."""
    return f"{took.wall / of.wall:.2f} | {took.cpu / of.cpu:.2f}" if of else " | "


def decomposition(
    backend: str,
    n: int,
    statements: Took,
    objects: Took,
    parts: dict[str, Took],
    results: Sequence[tuple[str, str, Took, Took]],
) -> None:
    """``append`` ≈ its statements + the fold + the bodies + the rest; dicts besides."""
    floor = Took.total(statements, parts[FOLD], parts[BODIES])
    rows: list[tuple[str, Took, Took | None]] = [
        ("the store's own statements alone, rows prepared (S)", statements, floor),
        ("the clock's validating fold alone, in memory (F)", parts[FOLD], floor),
        ("the bodies and times alone, `body_and_time` (B)", parts[BODIES], floor),
        ("**S + F + B: the floor of a store validating every event**", floor, floor),
        ("**`append`, `Event` objects (A)**", objects, floor),
        ("A − (S + F + B): the rest (batches, ids, versions, copies, summaries)",
         Took.total(objects, less=[floor]), floor),
    ]  # fmt: skip
    dicts = next((t for b, what, t, _ in results if b == backend and what.endswith("dicts")), None)
    if dicts is not None:
        rows += [
            ("events from dicts alone, `event_from_dict` (D)", parts[FROM_DICTS], objects),
            ("`append`, dicts (AD)", dicts, objects),
            ("AD − A", Took.total(dicts, less=[objects]), objects),
        ]
    print(f"\n{backend}: where `append`'s time goes, on the same events\n")
    print("| part | µs/event | CPU µs/event | × | × CPU | of |")
    print("|---|---:|---:|---:|---:|---|")
    for what, took, of in rows:
        base = "S + F + B" if of is floor else "A"
        print(f"| {what} | {per_event(took, n)} | {ratio(took, of)} | {base} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=20261126)
    parser.add_argument("--synchronous", choices=("full", "normal"), default="full")
    parser.add_argument("--postgres", default=os.environ.get("GOVSERVICE_TEST_POSTGRES_URL"))
    parser.add_argument("--no-dicts", action="store_true", help="skip the append of dicts")
    parser.add_argument(
        "--memory", metavar="FILE", type=Path, help="peak memory of import and check instead"
    )
    parser.add_argument(
        "--repeat",
        metavar="N",
        type=int,
        default=0,
        help="then D, A, AD and the import N times, interleaved: their median and range",
    )
    parser.add_argument(
        "--only-repeat", action="store_true", help="the N rounds of --repeat alone, no tables"
    )
    args = parser.parse_args()
    if args.memory:
        memory(args.memory, args.events, args.seed)
        return

    print(
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs",
        file=sys.stderr,
    )
    t0 = time.perf_counter()
    dicts = draw(args.events, args.seed)
    objects = [event_from_dict(e) for e in dicts]
    rows = reference_rows(objects)
    n = len(objects)
    cases = len({e.case for e in objects})
    print(
        f"{n:,} events of {cases:,} cases ({n / cases:.2f} per case), batches of {BATCH:,}; "
        f"drawn in {time.perf_counter() - t0:.1f} s",
        file=sys.stderr,
    )

    if args.only_repeat:
        rounds(objects, dicts, rows, args.repeat, args.synchronous)
        return
    results: list[tuple[str, str, Took, Took]] = []  # backend, what, time, the limit's time
    read_results: list[tuple[str, str, int, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        name = f"SQLite (WAL, synchronous={args.synchronous})"
        sync = args.synchronous.upper()
        limit = sqlite_limit(Path(tmp) / "plain.db", rows, sync, indexes=False)
        results.append((name, "plain `executemany` into one table: the limit", limit, limit))
        indexed = sqlite_limit(Path(tmp) / "plain-indexed.db", rows, sync, indexes=True)
        results.append(
            (name, "plain `executemany`, with the store's unique indexes", indexed, limit)
        )
        store = SQLiteStore(f"sqlite:///{tmp}/floor.db?synchronous={args.synchronous}")
        floor = store_statements_only(store, objects, rows)
        results.append((name, "the store's own statements alone, rows prepared", floor, limit))
        parts = parts_alone(store, objects, dicts)
        store.close()
        store = SQLiteStore(f"sqlite:///{tmp}/objects.db?synchronous={args.synchronous}")
        took = append_all(store, objects)
        results.append((name, "`SQLiteStore.append`, `Event` objects", took, limit))
        check_bodies(store, rows)
        read_results += [(name, *r) for r in reads(store)]
        store.close()
        if not args.no_dicts:
            store = SQLiteStore(f"sqlite:///{tmp}/dicts.db?synchronous={args.synchronous}")
            took = append_all(store, dicts)
            results.append((name, "`SQLiteStore.append`, dicts", took, limit))
            check_bodies(store, rows)
            store.close()
            lines = Path(tmp) / "events.jsonl"
            lines.write_text("".join(r[5] + "\n" for r in rows), encoding="utf-8")
            store = SQLiteStore(f"sqlite:///{tmp}/import.db?synchronous={args.synchronous}")
            took = timed(lambda: store.import_jsonl(lines, catalogue=CATALOGUE))
            results.append((name, "`SQLiteStore.import_jsonl`, one transaction", took, limit))
            check_bodies(store, rows)
            store.close()

    if args.postgres:
        from govservice_postgres import PostgresStore

        name = "PostgreSQL"
        db = f"gs_bench_{os.getpid()}"
        url = fresh_postgres(args.postgres, db)
        try:
            limit = postgres_limit(url, rows, indexes=False)
            results.append(
                (name, "plain psycopg `executemany` into one table: the limit", limit, limit)
            )
            indexed = postgres_limit(url, rows, indexes=True)
            results.append(
                (
                    name,
                    "plain psycopg `executemany`, with the store's unique indexes",
                    indexed,
                    limit,
                )
            )
            copied = postgres_limit(url, rows, indexes=True, copy=True)
            results.append(
                (name, "plain psycopg `COPY`, with the store's unique indexes", copied, limit)
            )
            with PostgresStore(url) as store:
                floor = store_statements_only(store, objects, rows)
                results.append(
                    (name, "the store's own statements alone, rows prepared", floor, limit)
                )
            drop_postgres(args.postgres, db)
            url = fresh_postgres(args.postgres, db)
            with PostgresStore(url) as store:
                took = append_all(store, objects)
                results.append((name, "`PostgresStore.append`, `Event` objects", took, limit))
                check_bodies(store, rows)
                read_results += [(name, *r) for r in reads(store)]
        finally:
            drop_postgres(args.postgres, db)

    print(
        f"\n{n:,} events, batches of {BATCH:,}; wall time, and CPU time of this process"
        " (not PostgreSQL's server's)\n"
    )
    floors = {b: t for b, what, t, _ in results if what.startswith("the store's own")}
    objects_took = {b: t for b, what, t, _ in results if what.endswith("`Event` objects")}
    print(
        "| backend | append | s | µs/event | CPU µs/event | × limit "
        "| × statements | × statements, CPU | × `Event` objects | × `Event` objects, CPU |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for backend, what, took, limit in results:
        floor, obj = floors.get(backend), objects_took.get(backend)
        print(
            f"| {backend} | {what} | {took.wall:.2f} | {per_event(took, n)} "
            f"| {took.wall / limit.wall:.1f} | {ratio(took, floor)} | {ratio(took, obj)} |"
        )
    for backend in [b for b in floors if b in objects_took]:
        decomposition(backend, n, floors[backend], objects_took[backend], parts, results)
    print(
        f"\nRead back: the cases received {MONTH[0]}..{MONTH[1]}"
        f" still in progress at {NOW.isoformat()}\n"
    )
    print("| backend | read | cases | s | µs/case |")
    print("|---|---|---:|---:|---:|")
    for backend, what, count, took in read_results:
        print(f"| {backend} | {what} | {count:,} | {took:.3f} | {took / max(count, 1) * 1e6:.0f} |")
    print(
        "\nTargets: `append` within 1.5× of the store's own statements; dicts within 1.2× of"
        " `Event` objects."
    )
    if args.repeat:
        rounds(objects, dicts, rows, args.repeat, args.synchronous)


if __name__ == "__main__":
    main()
