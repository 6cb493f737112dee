"""Worker processes for the crash and concurrency tests of the stores (any URL).

Run as ``python store_workers.py writer URL FIRST_BATCH``,
``python store_workers.py racer URL NAME ROUNDS START`` or
``python store_workers.py lockstep URL NAME ROUNDS``.  A ``sqlite:///`` URL
opens the built-in store, a ``postgresql://`` URL the govservice-postgres
plugin's (constructed directly: no entry points are loaded).
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any

from govservice.exceptions import ConcurrencyError
from govservice.storage import EventStore, SQLiteStore
from govservice.testing.store_conformance import CATALOGUE, history

BATCH_CASES = 5
RACE_CASES = 8


def open_url(url: str) -> EventStore:
    """The store at *url*: SQLite, or PostgreSQL through the plugin."""
    if url.startswith(("postgresql://", "postgres://")):
        from govservice_postgres import PostgresStore

        return PostgresStore(url)
    return SQLiteStore(url)


def batch_events(batch: int) -> list[dict[str, object]]:
    """Batch *batch*: 5 new cases of 3 events, every event with an id."""
    out: list[dict[str, object]] = []
    for k in range(BATCH_CASES):
        out += history(f"B{batch}-{k}")
    return out


def writer(url: str, first: int) -> None:
    """Open the store and print 'ready'; then append batches, printing 'ack N' as N commits."""
    store = open_url(url)
    if store.catalogue() is None:
        store.set_catalogue(CATALOGUE)
    print("ready", flush=True)
    batch = first
    while True:
        store.append(batch_events(batch))
        print(f"ack {batch}", flush=True)
        batch += 1


def next_event(store: EventStore, name: str, r: int) -> tuple[str, int, dict[str, Any]]:
    """Round *r*: read case R<r % 8>; the event that suspends or resumes it, and its version."""
    case = f"R{r % RACE_CASES}"
    events = store.case_events(case)
    suspended = events[-1].type == "suspended"
    event: dict[str, Any] = {
        "case": case,
        "id": f"{name}-{r}",
        "by": "W1",
        "type": "resumed" if suspended else "suspended",
        "at": f"2026-09-25T{8 + r // 60:02d}:{r % 60:02d}:00+08:00",
    }
    if not suspended:
        event["reason"] = "expert_review"
    return case, len(events), event


def racer(url: str, name: str, rounds: int, start: float) -> None:
    """Each round: read case R, wait for the shared tick, append with the version read."""
    store = open_url(url)
    outcomes = []
    for r in range(rounds):
        case, version, event = next_event(store, name, r)
        while time.time() < start + 0.4 * r:
            time.sleep(0.002)
        try:
            store.append([event], expected={case: version})
            outcomes.append("won")
        except ConcurrencyError:
            outcomes.append("lost")
    print(json.dumps(outcomes))


def lockstep(url: str, name: str, rounds: int) -> None:
    """Like ``racer``, but the test drives the rounds: no clock, no sleeping.

    Each round: read the case, print ``ready``, wait for a line on stdin, append
    with the version read, print ``won`` or ``lost``.  The test says go to both
    workers once both are ready, so both appends start from the same version and
    are sent at once; exactly one may succeed.  Any other error ends the worker
    with its traceback.
    """
    store = open_url(url)
    for r in range(rounds):
        case, version, event = next_event(store, name, r)
        print("ready", flush=True)
        if not sys.stdin.readline():
            return
        try:
            store.append([event], expected={case: version})
            print("won", flush=True)
        except ConcurrencyError:
            print("lost", flush=True)
    store.close()


if __name__ == "__main__":
    role, url = sys.argv[1], sys.argv[2]
    if role == "writer":
        writer(url, int(sys.argv[3]))
    elif role == "racer":
        racer(url, sys.argv[3], int(sys.argv[4]), float(sys.argv[5]))
    else:
        lockstep(url, sys.argv[3], int(sys.argv[4]))
