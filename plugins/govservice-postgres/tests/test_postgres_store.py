"""The PostgreSQL store passes the conformance suite, and survives a race between processes.

Needs a server: GOVSERVICE_TEST_POSTGRES_URL=postgresql://postgres@127.0.0.1:PORT/postgres
(the project's .ci/run starts one). Without it the tests are skipped; under CI=true they fail.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from govservice.storage import EventStore, StoreContext
from govservice.testing.store_conformance import CATALOGUE, StoreConformance, history

psycopg = pytest.importorskip("psycopg")

from govservice_postgres import PostgresStore  # noqa: E402

URL = os.environ.get("GOVSERVICE_TEST_POSTGRES_URL")
HOW = (
    "set GOVSERVICE_TEST_POSTGRES_URL=postgresql://user@host:port/db to a server where the "
    "user may create databases (.ci/run starts one)"
)


def _admin() -> psycopg.Connection:
    if not URL:
        if os.environ.get("CI") == "true":
            pytest.fail(f"no PostgreSQL server under CI: {HOW}")
        pytest.skip(f"no PostgreSQL server: {HOW}")
    try:
        return psycopg.connect(URL, autocommit=True)
    except psycopg.Error as e:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL server unreachable under CI ({e}): {HOW}")
        pytest.skip(f"PostgreSQL server unreachable ({e}): {HOW}")


@pytest.fixture
def database() -> Iterator[Callable[[], str]]:
    """A factory of fresh databases, dropped after the test."""
    admin = _admin()
    made: list[str] = []

    def make() -> str:
        name = f"gs_test_{uuid.uuid4().hex[:12]}"
        admin.execute(f"CREATE DATABASE {name}")
        made.append(name)
        return URL.rsplit("/", 1)[0] + "/" + name

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


def test_persists_and_reopens(database: Callable[[], str]) -> None:
    url = database()
    with PostgresStore(url) as s:
        s.set_catalogue(CATALOGUE)
        s.append(history("A"))
    with PostgresStore(url) as s:
        assert [e.type for e in s.case_events("A")] == ["submitted", "accepted", "decided"]
        assert s.check().ok


def test_plugin_opens_postgres_urls(database: Callable[[], str]) -> None:
    import govservice_postgres

    from govservice import ServiceCenter

    center = ServiceCenter(entrypoints=False, plugins=[govservice_postgres])
    store = center.open_store(database())
    assert isinstance(store, PostgresStore) and store.context is center.store_context
    store.close()
    assert govservice_postgres.open_store(center, "sqlite:///x.db") is None


RACER = """
import json, sys, time
from govservice.exceptions import ConcurrencyError
from govservice_postgres import PostgresStore
url, name, rounds, start = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
store = PostgresStore(url)
out = []
for r in range(rounds):
    case = f"R{r % 8}"
    events = store.case_events(case)
    suspended = events[-1].type == "suspended"
    event = {"case": case, "id": f"{name}-{r}", "by": name,
             "type": "resumed" if suspended else "suspended",
             "at": f"2026-09-25T{8 + r // 60:02d}:{r % 60:02d}:00+08:00"}
    if not suspended:
        event["reason"] = "expert_review"
    while time.time() < start + 0.4 * r:
        time.sleep(0.002)
    try:
        store.append([event], expected={case: len(events)})
        out.append("won")
    except ConcurrencyError:
        out.append("lost")
print(json.dumps(out))
"""


def test_two_processes_race_on_the_same_cases(database: Callable[[], str], tmp_path: Path) -> None:
    url = database()
    with PostgresStore(url) as store:
        store.set_catalogue(CATALOGUE)
        for k in range(8):
            store.append(history(f"R{k}", decided=False))
    script = tmp_path / "racer.py"
    script.write_text(RACER, encoding="utf-8")
    rounds, start = 16, time.time() + 4.0
    procs = [
        subprocess.Popen(
            [sys.executable, str(script), url, name, str(rounds), str(start)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("w1", "w2")
    ]
    results = []
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        results.append(json.loads(out))
    for r in range(rounds):
        assert (results[0][r] == "won") != (results[1][r] == "won"), (r, results)
    with PostgresStore(url) as store:
        events = list(store.events())
        assert len(events) == 8 * 2 + rounds and len({e.id for e in events}) == len(events)
        assert store.check().ok
