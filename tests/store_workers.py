"""Worker processes for the crash and concurrency tests of the SQLite store.

Run as ``python store_workers.py writer URL FIRST_BATCH`` or
``python store_workers.py racer URL NAME ROUNDS START``.
"""

from __future__ import annotations

import json
import sys
import time

from govservice.exceptions import ConcurrencyError
from govservice.storage import SQLiteStore
from govservice.testing.store_conformance import CATALOGUE, history

BATCH_CASES = 5


def batch_events(batch: int) -> list[dict[str, object]]:
    """Batch *batch*: 5 new cases of 3 events, every event with an id."""
    out: list[dict[str, object]] = []
    for k in range(BATCH_CASES):
        out += history(f"B{batch}-{k}")
    return out


def writer(url: str, first: int) -> None:
    """Append batches forever, printing 'ack N' once batch N is committed."""
    store = SQLiteStore(url)
    if store.catalogue() is None:
        store.set_catalogue(CATALOGUE)
    batch = first
    while True:
        store.append(batch_events(batch))
        print(f"ack {batch}", flush=True)
        batch += 1


def racer(url: str, name: str, rounds: int, start: float) -> None:
    """Each round: read case R, wait for the shared tick, append with the version read."""
    store = SQLiteStore(url)
    outcomes = []
    for r in range(rounds):
        case = f"R{r % 8}"
        events = store.case_events(case)
        version = len(events)
        suspended = events[-1].type == "suspended"
        event = {
            "case": case,
            "id": f"{name}-{r}",
            "by": name,
            "type": "resumed" if suspended else "suspended",
            "at": f"2026-09-25T{8 + r // 60:02d}:{r % 60:02d}:00+08:00",
        }
        if not suspended:
            event["reason"] = "expert_review"
        while time.time() < start + 0.4 * r:
            time.sleep(0.002)
        try:
            store.append([event], expected={case: version})
            outcomes.append("won")
        except ConcurrencyError:
            outcomes.append("lost")
    print(json.dumps(outcomes))


if __name__ == "__main__":
    role, url = sys.argv[1], sys.argv[2]
    if role == "writer":
        writer(url, int(sys.argv[3]))
    else:
        racer(url, sys.argv[3], int(sys.argv[4]), float(sys.argv[5]))
