"""Event stores: the shared conformance suite on every backend, and SQLite's own tests."""

from __future__ import annotations

import itertools
import json
import sqlite3
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govservice.cases import event_to_dict
from govservice.exceptions import StoreError
from govservice.storage import EventStore, MemoryStore, SQLiteStore, StoreContext, open_store
from govservice.storage.sqlite import MIGRATIONS, SCHEMA_VERSION
from govservice.testing.store_conformance import CATALOGUE, StoreConformance, history
from govservice.testing.strategies import case_histories


class TestMemoryStore(StoreConformance):
    @pytest.fixture
    def new_store(self) -> Callable[..., EventStore]:
        return lambda context=None: MemoryStore("memory://", context)


class TestSQLiteStore(StoreConformance):
    @pytest.fixture
    def new_store(self, tmp_path: Path) -> Callable[..., EventStore]:
        counter = iter(range(1000))

        def make(context: StoreContext | None = None) -> EventStore:
            return SQLiteStore(f"sqlite:///{tmp_path}/store{next(counter)}.db", context)

        return make


def test_open_store_schemes(tmp_path: Path) -> None:
    assert isinstance(open_store("memory://"), MemoryStore)
    s = open_store(f"sqlite:///{tmp_path}/a.db")
    assert isinstance(s, SQLiteStore) and s.path == tmp_path / "a.db"
    with pytest.raises(StoreError, match="no plugin opens 'mysql' stores"):
        open_store("mysql://localhost/db")
    with pytest.raises(StoreError, match="unknown option 'fast'"):
        open_store(f"sqlite:///{tmp_path}/b.db?fast=1")
    with pytest.raises(StoreError, match="folder does not exist"):
        open_store(f"sqlite:///{tmp_path}/nope/c.db")


class TestSQLiteFile:
    """What only a file can get wrong."""

    def test_persists_across_reopen(self, tmp_path: Path) -> None:
        url = f"sqlite:///{tmp_path}/s.db"
        with SQLiteStore(url) as s:
            s.set_catalogue(CATALOGUE)
            s.append(history("A"))
        with SQLiteStore(url) as s:
            assert [e.type for e in s.case_events("A")] == ["submitted", "accepted", "decided"]
            assert s.check().ok
            assert s._con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"

    def test_not_a_database(self, tmp_path: Path) -> None:
        f = tmp_path / "notes.db"
        f.write_text("these are my notes, not a database\n" * 100)
        with pytest.raises(StoreError, match=r"notes\.db: not a govservice SQLite store"):
            SQLiteStore(f"sqlite:///{f}")
        assert f.read_text().startswith("these are my notes")

    def test_someone_elses_database(self, tmp_path: Path) -> None:
        f = tmp_path / "other.db"
        con = sqlite3.connect(f)
        con.execute("CREATE TABLE t (x)")
        con.commit()
        con.close()
        with pytest.raises(StoreError, match="not a govservice store"):
            SQLiteStore(f"sqlite:///{f}")

    def test_newer_schema_refused(self, tmp_path: Path) -> None:
        url = f"sqlite:///{tmp_path}/s.db"
        SQLiteStore(url).close()
        con = sqlite3.connect(tmp_path / "s.db")
        con.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
        con.close()
        with pytest.raises(StoreError, match="newer than this govservice"):
            SQLiteStore(url)

    def test_migrates_a_version_1_file_in_place(self, tmp_path: Path) -> None:
        """A file written with schema 1 (no unit column, no records) opens upgraded."""
        f = tmp_path / "old.db"
        con = sqlite3.connect(f)
        con.executescript(MIGRATIONS[0][0])
        con.execute("PRAGMA application_id = 1735615350")
        con.execute("PRAGMA user_version = 1")
        bodies = []
        from govservice.cases import event_from_dict, event_to_dict

        events = [
            *history("A"),
            {"case": "A", "id": "A-4", "type": "evaluated", "at": "2026-10-09T15:30:00.25+08:00",
             "level": 2, "channel": "counter"},
        ]  # fmt: skip
        for v, e in enumerate(events, start=1):
            body = json.dumps(event_to_dict(event_from_dict(e)), ensure_ascii=False, sort_keys=True)
            bodies.append(body)
            con.execute(
                "INSERT INTO events (id, case_id, case_version, type, at, body) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (e["id"], "A", v, e["type"], e["at"], body),
            )
        con.execute(
            "INSERT INTO cases VALUES ('A', 4, 'MR-001', 'W1', 'decided', '2026-09-24', ?)",
            ("2026-10-09T15:30:00.25+08:00",),
        )
        from govservice.model import catalogue_to_document

        con.execute(
            "INSERT INTO meta VALUES ('catalogue', ?)",
            (json.dumps(catalogue_to_document(CATALOGUE), ensure_ascii=False),),
        )
        con.commit()
        con.close()
        with SQLiteStore(f"sqlite:///{f}") as s:
            assert s._con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
            (row,) = s.cases(unit="MR")
            assert row.case == "A" and row.unit == "MR"
            assert s.check().ok
            # the packed events are as the stored events give them
            memory = MemoryStore()
            memory.set_catalogue(CATALOGUE)
            memory.append(events)
            expected, got = memory.event_columns(), s.event_columns()
            for name in ("event_row", "event_type", "event_at", "event_amount", "event_by"):
                assert getattr(got, name).tolist() == getattr(expected, name).tolist(), name
            s.put_records("inspection", [{"id": "I1", "at": "2026-09-24T10:00:00+08:00"}])
            assert [json.dumps(json.loads(b), sort_keys=True) for b in s._bodies()] == [
                json.dumps(json.loads(b), sort_keys=True) for b in bodies
            ]
        SQLiteStore(f"sqlite:///{tmp_path}/new.db").close()
        assert _schema(f) == _schema(tmp_path / "new.db")  # upgraded as a new store is made


def test_hook_open_store() -> None:
    from govservice import ServiceCenter, hookimpl

    class DemoStore(MemoryStore):
        pass

    class DemoPlugin:
        __name__ = "demo-store"

        @hookimpl
        def open_store(self, center, url):
            return DemoStore(url, center.store_context) if url.startswith("demo://") else None

    center = ServiceCenter(entrypoints=False, plugins=[DemoPlugin()])
    store = center.open_store("demo://hall")
    assert isinstance(store, DemoStore) and store.context is center.store_context
    assert isinstance(center.open_store("memory://"), MemoryStore)  # the default still answers
    with pytest.raises(StoreError, match="no plugin opens 'demo' stores"):
        ServiceCenter(entrypoints=False).open_store("demo://hall")


WORKERS = Path(__file__).parent / "store_workers.py"


def test_crash_with_sigkill_loses_nothing_acknowledged(tmp_path: Path) -> None:
    """A writer killed at random moments: every acknowledged batch whole, none in part."""
    import random
    import signal
    import subprocess
    import sys
    import time
    from collections import Counter

    from store_workers import BATCH_CASES

    url = f"sqlite:///{tmp_path}/crash.db"
    rng = random.Random(20261126)
    acked: set[int] = set()
    next_batch = 0
    for _ in range(25):
        proc = subprocess.Popen(
            [sys.executable, str(WORKERS), "writer", url, str(next_batch)],
            stdout=subprocess.PIPE,
            text=True,
        )
        # the kill is timed from when the writer has the store open, not from its start,
        # so a slow interpreter start on a busy machine does not leave it no time to write
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.2, 0.8))
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate()
        acked |= {int(line.split()[1]) for line in out.splitlines() if line.startswith("ack ")}
        with SQLiteStore(url) as store:
            assert store.check().ok
            # event ids are "B<batch>-<case>-<n>": count the events of each batch
            per_batch = Counter(int(e.id.split("-")[0][1:]) for e in store.events() if e.id)
        assert set(per_batch.values()) <= {BATCH_CASES * 3}, "a batch stored in part"
        assert acked <= set(per_batch), f"acknowledged batches lost: {acked - set(per_batch)}"
        assert set(per_batch) == set(range(len(per_batch))), "a hole in the batches"
        next_batch = len(per_batch)
    assert len(acked) >= 25  # the writers got real work done between kills
    out = subprocess.run(
        [sys.executable, "-m", "govservice", "store", "check", "--db", url, "--lang", "en"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0 and out.stdout.strip().endswith("ok"), out.stdout + out.stderr


def test_two_processes_race_on_the_same_cases(tmp_path: Path) -> None:
    """Both read a case, both append at the same tick: one wins, the other is refused."""
    import subprocess
    import sys
    import time

    url = f"sqlite:///{tmp_path}/race.db"
    with SQLiteStore(url) as store:
        store.set_catalogue(CATALOGUE)
        for k in range(8):
            store.append(history(f"R{k}", decided=False))
    rounds = 16
    start = time.time() + 4.0
    procs = [
        subprocess.Popen(
            [sys.executable, str(WORKERS), "racer", url, name, str(rounds), str(start)],
            stdout=subprocess.PIPE,
            text=True,
        )
        for name in ("w1", "w2")
    ]
    results = [json.loads(p.communicate(timeout=120)[0]) for p in procs]
    wins = [a == "won" for a in results[0]], [b == "won" for b in results[1]]
    for r in range(rounds):
        assert wins[0][r] != wins[1][r], f"round {r}: {results[0][r]} / {results[1][r]}"
    with SQLiteStore(url) as store:
        assert store.check().ok
        events = list(store.events())
        assert len(events) == 8 * 2 + rounds  # nothing lost, nothing twice
        assert len({e.id for e in events}) == len(events)
        for k in range(8):
            kinds = [e.type for e in store.case_events(f"R{k}")][2:]
            assert kinds == ["suspended", "resumed"] * (len(kinds) // 2) + ["suspended"] * (
                len(kinds) % 2
            )


def test_event_columns_sqlite_equals_generic(tmp_path: Path) -> None:
    """SQLite's packed events equal the bodies read in Python, fractions and offsets too."""
    events = history("A") + history("B", day=25)
    events[0]["at"] = "2026-09-24T09:30:00.999999+08:00"
    events[1]["at"] = "2026-09-24T01:45:00.5Z"
    events[3]["at"] = "2026-09-24T20:30:00-05:00"  # 25 September in Shanghai
    events[4]["at"] = "2026-09-25T17:45:30+16:00:30"  # an unusual offset, with seconds
    columns = []
    for store in (MemoryStore(), SQLiteStore(f"sqlite:///{tmp_path}/c.db")):
        store.set_catalogue(CATALOGUE)
        store.append(events)
        columns.append(store.event_columns())
    memory, sqlite = columns
    for name in ("event_row", "event_type", "event_on", "event_at", "event_amount", "event_by"):
        assert getattr(memory, name).tolist() == getattr(sqlite, name).tolist(), name
    assert str(sqlite.event_at[0]) == "2026-09-24T01:30:00.999999"
    assert sqlite.event_at[4] == np.datetime64("2026-09-25T01:45:00", "us")


@given(
    at=st.datetimes(datetime(1949, 10, 1), datetime(2199, 12, 31, 23, 59, 59, 999999)),
    zone=st.one_of(
        st.integers(-86_399_999_999, 86_399_999_999).map(
            lambda us: timezone(timedelta(microseconds=us))
        ),
        st.just(UTC),
        st.timezones(),
    ),
)
def test_packed_instant_is_the_microseconds_since_the_epoch(at: datetime, zone: Any) -> None:
    """An event's record holds its instant as ``datetime`` arithmetic gives it, in any zone."""
    from govservice.storage._packed import _micros

    aware = at.replace(tzinfo=zone)
    assert _micros(aware) == (aware - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(microseconds=1)


_COLUMNS = ("event_row", "event_type", "event_on", "event_at", "event_amount", "event_by")


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_packed_columns_equal_the_bodies(data: st.DataObject) -> None:
    """Both ways of reading a store as columns give the same columns.

    SQLite reads each case's events packed in its summary row; the memory
    store parses every event's stored body.  Random valid histories, with
    random actors, appended in random batches (so a case's pack is rewritten
    as it grows) read the same both ways.
    """
    clock = StoreContext().clock(CATALOGUE)
    actors = [None, *sorted(CATALOGUE.windows), "W1"]
    count = data.draw(st.integers(1, 4))
    cases = [data.draw(case_histories(clock, case=f"P{i}")) for i in range(count)]
    events = []
    for case in cases:
        for e in case.events:
            body = event_to_dict(e)
            body["by"] = data.draw(st.sampled_from(actors))
            events.append({k: v for k, v in body.items() if v is not None})
    events.sort(key=lambda e: e["at"])  # cases interleaved, each in its order
    cut = sorted(data.draw(st.lists(st.integers(0, len(events)), max_size=3)))
    batches = [events[a:b] for a, b in itertools.pairwise([0, *cut, len(events)])]
    with tempfile.TemporaryDirectory() as tmp:
        stores: list[EventStore] = [MemoryStore(), SQLiteStore(f"sqlite:///{tmp}/p.db")]
        columns = []
        for store in stores:
            store.set_catalogue(CATALOGUE)
            for batch in batches:
                store.append(batch)
            columns.append(store.event_columns())
            assert store.check().ok
            store.close()
    memory, sqlite = columns
    assert memory.case.tolist() == sqlite.case.tolist()
    assert [memory.matter_codes[m] for m in memory.matter] == [
        sqlite.matter_codes[m] for m in sqlite.matter
    ]
    assert memory.window.tolist() == sqlite.window.tolist()
    for name in _COLUMNS:
        assert getattr(memory, name).tolist() == getattr(sqlite, name).tolist(), name


def _as_version_6(path: Path) -> None:
    """Turn the store at *path* back into schema version 6: no packed events, no actors, and
    beside each event the columns of version 3 — filled with nonsense, as the upgrade packs
    the events from their text and never reads them."""
    con = sqlite3.connect(path)
    con.executescript(
        f"{MIGRATIONS[2][0]}; UPDATE events SET at_us = 0, amount = -1, actor = 'nobody'; "
        "ALTER TABLE cases DROP COLUMN packed; DROP TABLE actors; PRAGMA user_version = 6"
    )
    con.close()


def _schema(path: Path) -> list[tuple[str, str, str]]:
    """The tables and indexes of the SQLite file at *path*, as ``sqlite_master`` gives them."""
    con = sqlite3.connect(path)
    try:
        return sorted(con.execute("SELECT type, name, sql FROM sqlite_master"))
    finally:
        con.close()


def test_migrates_a_version_6_store(tmp_path: Path) -> None:
    """Opening a version 6 store packs every case's events from the stored ones."""
    f = tmp_path / "v6.db"
    events = history("A") + history("B", "TAX-001", day=25, window="W2", decided=False)
    events[2]["by"] = "W2"
    events[0]["at"] = "2026-09-24T09:30:00.25+08:00"
    events[3]["at"] = "2026-09-25T17:45:30+16:00:30"  # an unusual offset, with seconds
    with SQLiteStore(f"sqlite:///{f}") as store:
        store.set_catalogue(CATALOGUE)
        store.append(events)
        before = store.event_columns()
        packs = list(store._con.execute("SELECT case_id, packed FROM cases ORDER BY case_id"))
    schema = _schema(f)
    _as_version_6(f)
    assert {"at_us", "amount", "actor"} <= {
        c[1] for c in sqlite3.connect(f).execute("PRAGMA table_info(events)")
    }
    with SQLiteStore(f"sqlite:///{f}") as store:
        assert store._con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert list(store._con.execute("SELECT case_id, packed FROM cases ORDER BY case_id")) == (
            packs
        )
        after = store.event_columns()
        for name in _COLUMNS:
            assert getattr(after, name).tolist() == getattr(before, name).tolist(), name
        assert store.check().ok
        store.append([{"case": "B", "type": "decided", "at": "2026-10-09T15:00:00+08:00",
                       "outcome": "denied", "by": "W1"}])  # fmt: skip
        assert store.check().ok
    assert _schema(f) == schema  # as a new store's: the columns of version 3 dropped


@settings(max_examples=20, deadline=None)
@given(data=st.data())
def test_upgraded_packs_equal_appended_packs(data: st.DataObject) -> None:
    """A version 6 store packed on upgrade reads as the same columns as when it was appended.

    Random valid histories with random actors, appended in random batches; the
    upgrade packs them from their stored text, case by case, numbering the actors anew.
    """
    clock = StoreContext().clock(CATALOGUE)
    actors = [None, *sorted(CATALOGUE.windows), "W1"]
    events = []
    for i in range(data.draw(st.integers(1, 4))):
        for e in data.draw(case_histories(clock, case=f"P{i}")).events:
            body = event_to_dict(e)
            body["by"] = data.draw(st.sampled_from(actors))
            events.append({k: v for k, v in body.items() if v is not None})
    events.sort(key=lambda e: e["at"])  # cases interleaved, each in its order
    cut = sorted(data.draw(st.lists(st.integers(0, len(events)), max_size=3)))
    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp) / "u.db"
        with SQLiteStore(f"sqlite:///{f}") as store:
            store.set_catalogue(CATALOGUE)
            for a, b in itertools.pairwise([0, *cut, len(events)]):
                store.append(events[a:b])
            before = store.event_columns()
        _as_version_6(f)
        with SQLiteStore(f"sqlite:///{f}") as store:
            after = store.event_columns()
            assert store.check().ok
    assert after.case.tolist() == before.case.tolist()
    assert after.window.tolist() == before.window.tolist()
    for name in _COLUMNS:
        assert getattr(after, name).tolist() == getattr(before, name).tolist(), name


def test_an_unreadable_stored_event_stops_the_upgrade(tmp_path: Path) -> None:
    """Packing a version 6 store refuses a stored event it cannot read, naming the file and
    the case, and leaves the file at version 6, nothing changed."""
    f = tmp_path / "v6.db"
    with SQLiteStore(f"sqlite:///{f}") as store:
        store.set_catalogue(CATALOGUE)
        store.append(history("A") + history("B", day=25))
    _as_version_6(f)
    con = sqlite3.connect(f)
    con.execute("UPDATE events SET body = '{\"case\": \"B\"' WHERE case_id = 'B'")
    con.commit()
    con.close()
    schema = _schema(f)
    with pytest.raises(StoreError, match=r"v6\.db: cannot upgrade it from schema version 6") as e:
        SQLiteStore(f"sqlite:///{f}")
    assert "case 'B': a stored event cannot be read" in str(e.value)
    assert _schema(f) == schema
    assert sqlite3.connect(f).execute("PRAGMA user_version").fetchone()[0] == 6


def test_check_finds_packed_events_that_disagree(tmp_path: Path) -> None:
    """``check`` names a case whose packed events differ from its stored events."""
    with SQLiteStore(f"sqlite:///{tmp_path}/c.db") as store:
        store.set_catalogue(CATALOGUE)
        store.append(history("A") + history("B"))
        assert store.check().ok
        packed = store._con.execute("SELECT packed FROM cases WHERE case_id = 'B'").fetchone()[0]
        store._con.execute(
            "UPDATE cases SET packed = ? WHERE case_id = 'B'", (packed[:-21],)
        )  # the decision lost
        store._con.execute("UPDATE actors SET name = 'W9' WHERE name = 'W1'")
        report = store.check()
    assert report.problems == (
        "case 'A': its packed event columns do not match its 3 events",
        "case 'B': its packed event columns do not match its 3 events",
    )


@pytest.mark.parametrize("url", ["memory://", "sqlite"])
def test_readings_filters(url: str, tmp_path: Path) -> None:
    """``open=`` keeps the cases awaiting a decision (or the others); unknown values raise."""
    from govservice import ServiceCenter

    center = ServiceCenter(entrypoints=False)
    with center.open_store(url if url != "sqlite" else f"sqlite:///{tmp_path}/s.db") as store:
        store.set_catalogue(CATALOGUE)
        for k in range(6):  # decided late (red too) and still open, alternately
            store.append(history(f"R{k}", day=21 + k, decided=k % 2 == 0))
        at = "2026-11-20T12:00:00+08:00"
        red = store.readings(at, alert="red")
        assert [r.case for r in red] == [f"R{k}" for k in range(6)]
        assert [r.case for r in store.readings(at, alert="red", open=True)] == ["R1", "R3", "R5"]
        assert [r.case for r in store.readings(at, open=False)] == ["R0", "R2", "R4"]
        assert all(r.state.open for r in store.readings(at, open=True))
        from govservice.cases import Alert, CaseState

        assert store.readings(at, alert=Alert.RED, state=CaseState.IN_PROGRESS) == store.readings(
            at, alert="red", open=True
        )
        with pytest.raises(ValueError, match="no state 'opened': known states are submitted"):
            store.readings(at, state="opened")
        with pytest.raises(ValueError, match="no alert 'crimson': known alerts are none"):
            store.readings(at, alert="crimson")
        with pytest.raises(ValueError, match="no state 'open'"):
            store.cases(state="open")
        with pytest.raises(ValueError, match="open must be True or False"):
            store.readings(at, open="yes")
        with pytest.raises(TypeError):
            store.readings(at, colour="red")


@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_an_import_keeping_lines_stores_what_appending_stores(data: st.DataObject) -> None:
    """Importing lines — some kept as they are, written in other ways, some without an id —
    stores what appending the same events stores: the same events, the same ids, the same
    columns read from the bodies and from the packs; each export reads to the same objects,
    and importing either export into either store stores nothing new."""
    import io

    clock = StoreContext().clock(CATALOGUE)
    count = data.draw(st.integers(1, 3))
    events = []
    for i in range(count):
        for k, e in enumerate(data.draw(case_histories(clock, case=f"P{i}")).events):
            obj = event_to_dict(e)
            if data.draw(st.booleans()):
                obj["id"] = f"P{i}-{k}"
            if data.draw(st.integers(0, 3)) == 0:  # a null: kept from the body, or refused
                obj["channel" if obj["type"] == "submitted" else "by"] = None
            events.append(
                {k: v for k, v in obj.items() if v is not None} if data.draw(st.booleans()) else obj
            )
    events.sort(key=lambda e: e["at"])  # cases interleaved, each in its order
    forms = [{}, {"ensure_ascii": False, "sort_keys": True}, {"separators": (",", ":")}]
    lines = [json.dumps(e, **data.draw(st.sampled_from(forms))) for e in events]
    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp) / "events.jsonl"
        f.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
        imported = SQLiteStore(f"sqlite:///{tmp}/i.db")
        appended = SQLiteStore(f"sqlite:///{tmp}/a.db")
        memory = MemoryStore()
        try:
            for store in (appended, memory):
                store.set_catalogue(CATALOGUE)
            try:
                appended.append(events)
            except Exception as refused:  # a channel given as null: refused alike
                with pytest.raises(type(refused)):
                    imported.import_jsonl(f, catalogue=CATALOGUE)
                return
            imported.import_jsonl(f, catalogue=CATALOGUE)
            memory.import_jsonl(f)
            assert list(imported.events()) == list(appended.events()) == list(memory.events())
            ids = []
            for store in (imported, appended):
                with sqlite3.connect(store.path) as con:
                    ids.append(con.execute("SELECT id FROM events ORDER BY seq").fetchall())
            assert ids[0] == ids[1]
            for name in _COLUMNS:
                assert (
                    getattr(imported.event_columns(), name).tolist()
                    == getattr(memory.event_columns(), name).tolist()
                ), name
            outs = []
            for store in (imported, appended):
                out = io.StringIO()
                store.export_jsonl(out)
                outs.append(out.getvalue())
                assert store.check().ok
            assert [json.loads(x) for x in outs[0].splitlines()] == [
                json.loads(x) for x in outs[1].splitlines()
            ]
            for k, text in enumerate(outs):
                g = Path(tmp) / f"export{k}.jsonl"
                g.write_text(text, encoding="utf-8")
                for store in (imported, appended):
                    assert store.import_jsonl(g).stored == 0
        finally:
            imported.close()
            appended.close()
