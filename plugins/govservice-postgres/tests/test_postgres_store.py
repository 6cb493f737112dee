"""The PostgreSQL store: the shared conformance suite, migrations, and writers in other processes.

These tests need a PostgreSQL server where the user may create databases::

    GOVSERVICE_TEST_POSTGRES_URL=postgresql://postgres@127.0.0.1:5432/postgres \\
        python -m pytest plugins/govservice-postgres/tests

``bash .ci/run`` (what CI runs) installs Debian's PostgreSQL, starts a
throw-away cluster and sets the variable.  Without the variable, or with the
server unreachable, the tests are skipped, saying so; under ``CI=true`` they
fail instead.  Each test gets databases of its own, dropped afterwards.
"""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, NoReturn
from urllib.parse import urlsplit

import pytest

from govservice import ServiceCenter
from govservice.exceptions import StoreError
from govservice.storage import EventStore, StoreContext
from govservice.testing.store_conformance import CATALOGUE, StoreConformance, history

URL = os.environ.get("GOVSERVICE_TEST_POSTGRES_URL", "")
HOW = (
    "to run them, set GOVSERVICE_TEST_POSTGRES_URL to a server where the user may create "
    "databases, e.g. GOVSERVICE_TEST_POSTGRES_URL=postgresql://postgres@127.0.0.1:5432/postgres "
    "python -m pytest plugins/govservice-postgres/tests; `bash .ci/run` installs and starts a "
    "throw-away PostgreSQL server and sets it"
)
WORKERS = Path(__file__).parents[3] / "tests" / "store_workers.py"


def unavailable(why: str) -> NoReturn:
    """Skip, saying how to run the tests; under CI=true, fail."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"PostgreSQL store tests cannot run under CI=true: {why}; {HOW}")
    pytest.skip(f"PostgreSQL store tests skipped: {why}; {HOW}")


try:
    import psycopg
    from govservice_postgres import PostgresStore
    from govservice_postgres.store import MIGRATIONS, SCHEMA_VERSION
except ImportError as e:  # pragma: no cover - the nox session installs the plugin
    if os.environ.get("CI") == "true":
        raise
    pytest.skip(
        f"govservice-postgres is not installed ({e}): pip install -e plugins/govservice-postgres",
        allow_module_level=True,
    )


@pytest.fixture(scope="session")
def admin_url() -> str:
    """The server's URL, once checked to answer."""
    if not URL:
        unavailable("GOVSERVICE_TEST_POSTGRES_URL is not set")
    try:
        psycopg.connect(URL, autocommit=True, connect_timeout=10).close()
    except psycopg.Error as e:
        unavailable(f"the server at GOVSERVICE_TEST_POSTGRES_URL does not answer ({e})")
    return URL


def with_database(url: str, name: str) -> str:
    """*url* naming database *name* instead."""
    return urlsplit(url)._replace(path=f"/{name}").geturl()


@pytest.fixture
def database(admin_url: str) -> Iterator[Callable[[], str]]:
    """A factory of fresh, empty databases (their URLs), dropped after the test."""
    admin = psycopg.connect(admin_url, autocommit=True)
    made: list[str] = []

    def make() -> str:
        name = f"gs_test_{uuid.uuid4().hex[:12]}"
        admin.execute(f"CREATE DATABASE {name}")
        made.append(name)
        return with_database(admin_url, name)

    yield make
    for name in made:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    admin.close()


class TestPostgresStore(StoreConformance):
    @pytest.fixture
    def new_store(self, database: Callable[[], str]) -> Iterator[Callable[..., EventStore]]:
        stores: list[EventStore] = []

        def make(context: StoreContext | None = None) -> EventStore:
            stores.append(PostgresStore(database(), context))
            return stores[-1]

        yield make
        for s in stores:
            s.close()


# ---- opening ----------------------------------------------------------------


def test_persists_and_reopens(database: Callable[[], str]) -> None:
    url = database()
    with PostgresStore(url) as s:
        s.set_catalogue(CATALOGUE)
        s.append(history("A"))
    with PostgresStore(url) as s:
        assert [e.type for e in s.case_events("A")] == ["submitted", "accepted", "decided"]
        assert s.check().ok
        assert s._get_meta("schema_version") == str(SCHEMA_VERSION)


def test_plugin_opens_postgres_urls(database: Callable[[], str]) -> None:
    """The hook answers postgresql:// and postgres:// (loaded explicitly: the tests load no
    entry points) and leaves every other scheme to others."""
    import govservice_postgres

    center = ServiceCenter(entrypoints=False, plugins=[govservice_postgres])
    url = database()
    for scheme_url in (url, "postgres://" + url.split("://", 1)[1]):
        store = center.open_store(scheme_url)
        assert isinstance(store, PostgresStore) and store.context is center.store_context
        store.close()
    assert govservice_postgres.open_store(center, "sqlite:///x.db", False) is None
    assert govservice_postgres.open_store(center, "memory://", False) is None


def test_entry_point_is_registered() -> None:
    from importlib.metadata import entry_points

    (ep,) = [ep for ep in entry_points(group="govservice") if ep.name == "postgres"]
    assert ep.value == "govservice_postgres"


def test_unreachable_server_is_a_store_error() -> None:
    with pytest.raises(StoreError, match="cannot connect to PostgreSQL") as e:
        PostgresStore("postgresql://nobody:s3cret@127.0.0.1:1/none?connect_timeout=5")
    assert "s3cret" not in str(e.value) and "nobody:***@127.0.0.1:1" in str(e.value)


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (
            "postgresql://u:p%40ss@h:5/db?sslmode=require",
            "postgresql://u:***@h:5/db?sslmode=require",
        ),
        ("postgresql://u@h/db", "postgresql://u@h/db"),
        ("postgres://h/db?password=x&user=y", "postgres://h/db?password=***&user=y"),
        ("postgresql:///db?host=/tmp&password=x", "postgresql:///db?host=/tmp&password=***"),
        ("postgresql://u:p@[::1]:5432/db", "postgresql://u:***@[::1]:5432/db"),
    ],
)
def test_password_is_never_shown(url: str, shown: str) -> None:
    from govservice_postgres.store import _redacted

    assert _redacted(url) == shown


def test_newer_schema_refused(database: Callable[[], str]) -> None:
    url = database()
    PostgresStore(url).close()
    with psycopg.connect(url, autocommit=True) as con:
        con.execute("UPDATE meta SET value = %s WHERE key = 'schema_version'", [SCHEMA_VERSION + 1])
    with pytest.raises(StoreError, match="newer than this plugin understands"):
        PostgresStore(url)


def test_someone_elses_database_refused(database: Callable[[], str]) -> None:
    url = database()
    with psycopg.connect(url, autocommit=True) as con:
        con.execute("CREATE TABLE events (x INTEGER)")
    with pytest.raises(StoreError, match=r"not a govservice store.*'events'"):
        PostgresStore(url)
    with psycopg.connect(url, autocommit=True) as con:  # untouched
        assert con.execute("SELECT count(*) FROM events").fetchone() == (0,)
        assert con.execute("SELECT to_regclass('meta')").fetchone() == (None,)


def test_migrates_a_version_1_database_in_place(database: Callable[[], str]) -> None:
    url = database()
    with psycopg.connect(url, autocommit=True) as con:
        con.execute(MIGRATIONS[0])
        con.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    with PostgresStore(url) as s:  # version 1 written by an older plugin: upgraded
        s.set_catalogue(CATALOGUE)
        s.append(history("A") + history("B", decided=False))
        assert {r.case for r in s.cases(state="in_progress")} == {"B"}
        assert s._get_meta("schema_version") == str(SCHEMA_VERSION)
        indexes = {
            r[0]
            for r in s._con.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'cases'")
        }
        assert {"cases_matter", "cases_state"} <= indexes
        assert s.check().ok


def test_migrates_a_version_3_database_packing_its_cases(database: Callable[[], str]) -> None:
    """Version 4 packs each case's events: read as columns, they equal the bodies read."""
    from govservice.storage import MemoryStore

    url = database()
    events = history("A") + history("B", "TAX-001", day=25, window="W2", decided=False)
    events[2]["by"] = "W2"
    with PostgresStore(url) as s:
        s.set_catalogue(CATALOGUE)
        s.append(events)
        packs = list(s._con.execute("SELECT case_id, packed FROM cases ORDER BY case_id"))
        s._con.execute("ALTER TABLE cases DROP COLUMN packed")
        s._con.execute("DROP TABLE actors")
        s._con.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
    memory = MemoryStore()
    memory.set_catalogue(CATALOGUE)
    memory.append(events)
    expected = memory.event_columns()
    with PostgresStore(url) as s:
        assert s._get_meta("schema_version") == str(SCHEMA_VERSION)
        assert list(s._con.execute("SELECT case_id, packed FROM cases ORDER BY case_id")) == packs
        got = s.event_columns()
        assert got.case.tolist() == expected.case.tolist()
        assert got.window.tolist() == expected.window.tolist()
        for name in ("event_row", "event_type", "event_on", "event_at", "event_amount", "event_by"):
            assert getattr(got, name).tolist() == getattr(expected, name).tolist(), name
        assert s.check().ok
        s._con.execute("UPDATE cases SET packed = substring(packed from 22) WHERE case_id = 'B'")
        assert s.check().problems == (
            "case 'B': its packed event columns do not match its 2 events",
        )


def test_an_unreadable_stored_event_stops_the_upgrade(database: Callable[[], str]) -> None:
    """Packing a version 3 database refuses a stored event it cannot read, naming the case,
    and leaves the database at version 3, nothing changed."""
    url = database()
    with PostgresStore(url) as s:
        s.set_catalogue(CATALOGUE)
        s.append(history("A") + history("B", day=25))
        s._con.execute("ALTER TABLE cases DROP COLUMN packed")
        s._con.execute("DROP TABLE actors")
        s._con.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
        s._con.execute("""UPDATE events SET body = '{"case": "B"' WHERE case_id = 'B'""")
    with pytest.raises(StoreError, match="cannot upgrade it from schema version 3") as e:
        PostgresStore(url)
    assert "case 'B': a stored event cannot be read" in str(e.value)
    with psycopg.connect(url, autocommit=True) as con:
        assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == (
            "3",
        )
        assert con.execute("SELECT to_regclass('actors')").fetchone() == (None,)


# ---- writers in other processes -------------------------------------------------


class Worker:
    """A ``store_workers.py lockstep`` process, its output read by a thread."""

    def __init__(self, url: str, name: str, rounds: int) -> None:
        self.name = name
        self.proc = subprocess.Popen(
            [sys.executable, str(WORKERS), "lockstep", url, name, str(rounds)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        assert self.proc.stdout is not None
        self.reader = threading.Thread(target=self._read, args=(self.proc.stdout,), daemon=True)
        self.reader.start()

    def _read(self, out: IO[str]) -> None:
        with out:
            for line in out:
                self.lines.put(line.strip())
        self.lines.put("")  # ended

    def next(self) -> str:
        try:
            line = self.lines.get(timeout=120)
        except queue.Empty:
            line = "(no answer in 120 s)"
        if line not in ("ready", "won", "lost"):
            self.proc.kill()
            self.proc.wait()
            self.reader.join(timeout=120)
            pytest.fail(f"worker {self.name}: {line!r}\n{self.errors()}")
        return line

    def errors(self) -> str:
        assert self.proc.stderr is not None
        with self.proc.stderr:
            return self.proc.stderr.read()

    def go(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write("go\n")
        self.proc.stdin.flush()

    def kill(self) -> None:
        """End the worker and release its pipes (after a failure elsewhere)."""
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self.reader.join(timeout=120)
        for pipe in (self.proc.stdin, self.proc.stderr):
            if pipe is not None and not pipe.closed:
                pipe.close()

    def finish(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        code = self.proc.wait(timeout=120)
        self.reader.join(timeout=120)
        errors = self.errors()
        assert code == 0, errors


@pytest.mark.parametrize("isolation", ["read committed", "repeatable read", "serializable"])
def test_two_processes_race_on_the_same_cases(
    database: Callable[[], str], admin_url: str, isolation: str
) -> None:
    """Both read a case, both append from the version read at once: exactly one wins.

    The test holds both workers at a barrier each round (no clock, no sleep), so
    both appends always start from the same version.  Whatever the database's
    default isolation level, the loser gets a ConcurrencyError — never a second
    success, never a server error — and nothing is stored twice.
    """
    url = database()
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(
            f"ALTER DATABASE {urlsplit(url).path[1:]} "
            f"SET default_transaction_isolation = '{isolation}'"
        )
    with PostgresStore(url) as store:
        store.set_catalogue(CATALOGUE)
        for k in range(8):
            store.append(history(f"R{k}", decided=False))
    rounds = 24
    workers = [Worker(url, name, rounds) for name in ("w1", "w2")]
    try:
        for r in range(rounds):
            for w in workers:
                assert w.next() == "ready"
            for w in workers:
                w.go()
            outcomes = [w.next() for w in workers]
            assert sorted(outcomes) == ["lost", "won"], f"round {r}: {outcomes}"
        for w in workers:
            w.finish()
    finally:
        for w in workers:
            w.kill()
    with PostgresStore(url) as store:
        assert store.check().ok
        events = list(store.events())
        assert len(events) == 8 * 2 + rounds  # nothing lost, nothing twice
        assert len({e.id for e in events}) == len(events)
        assert sum(r.version for r in store.cases()) == len(events)


def test_killed_writer_loses_nothing_acknowledged(database: Callable[[], str]) -> None:
    """A writer killed with SIGKILL mid-append: every acknowledged batch whole, none in part,
    and the next writer is not blocked by the dead one's lock."""
    import random
    import time

    from store_workers import BATCH_CASES

    url = database()
    rng = random.Random(20261127)
    acked: set[int] = set()
    stored = 0
    for _ in range(8):
        proc = subprocess.Popen(
            [sys.executable, str(WORKERS), "writer", url, str(stored)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
        first = proc.stdout.readline()  # wait until it has committed a batch, then kill it
        assert first.startswith("ack "), first
        time.sleep(rng.uniform(0.0, 0.3))
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate()
        lines = (first + out).splitlines()
        acked |= {int(line.split()[1]) for line in lines if line.startswith("ack ")}
        with PostgresStore(url) as store:
            assert store.check().ok
            per_batch = Counter(int(e.id.split("-")[0][1:]) for e in store.events() if e.id)
        assert set(per_batch.values()) <= {BATCH_CASES * 3}, "a batch stored in part"
        assert acked <= set(per_batch), f"acknowledged batches lost: {acked - set(per_batch)}"
        assert set(per_batch) == set(range(len(per_batch))), "a hole in the batches"
        stored = len(per_batch)


def test_events_stored_without_ids_before_get_their_content_ids(
    database: Callable[[], str],
) -> None:
    """A database written before content ids (schema 2) is upgraded: re-appending adds nothing."""
    from govservice.storage import content_id

    url = database()
    no_ids = [{k: v for k, v in e.items() if k != "id"} for e in history("A")]
    with PostgresStore(url) as s:
        s.set_catalogue(CATALOGUE)
        s.append(no_ids)
        s._con.execute("UPDATE events SET id = NULL")
        s._con.execute("ALTER TABLE cases DROP COLUMN packed")  # schema 4's
        s._con.execute("DROP TABLE actors")
        s._con.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    with PostgresStore(url) as s:
        ids = list(s._con.execute("SELECT id, body FROM events"))
        assert [i == content_id(b) for i, b in ids] == [True] * 3, ids
        assert s.append(no_ids).skipped == 3


def test_a_reader_creates_nothing(database: Callable[[], str]) -> None:
    """Opened read-only, a database without a store is "no store"; with one, nothing is written."""
    url = database()
    with pytest.raises(StoreError, match="no store at"):
        PostgresStore(url, readonly=True)
    with psycopg.connect(url, autocommit=True) as con:
        assert con.execute("SELECT to_regclass('events')").fetchone() == (None,)
    with PostgresStore(url) as s:
        s.set_catalogue(CATALOGUE)
    with PostgresStore(url, readonly=True) as s:
        assert s.readonly and s.cases() == []
        with pytest.raises(StoreError, match="opened read-only"):
            s.append(history("A"))
        with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
            s._con.execute("DELETE FROM events")
