"""``memory://``: the event store in a process's memory, for tests and notebooks."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from govservice.cases import CaseState
from govservice.storage.base import (
    _CLOSED_STATES,
    CaseRow,
    EventStore,
    StoreContext,
    Transaction,
    _changed_since_mark,
)

_RANGES = ("since", "until", "changed_since")  # the filters that are not a column's value

__all__ = ["MemoryStore"]


class _MemoryTransaction(Transaction):
    """Writes kept aside until the commit; reads see them, as a database transaction does."""

    def __init__(self, store: MemoryStore) -> None:
        self.store = store
        self.events: list[tuple[str | None, str, int, str, str, str]] = []
        self.by_case: dict[str, list[int]] = {}  # indexes into self.events
        self.ids: dict[str, int] = {}
        self.cases: dict[str, CaseRow] = {}
        self.meta: dict[str, str] = {}

    def version(self, case: str) -> int:
        return len(self.store._by_case.get(case, ())) + len(self.by_case.get(case, ()))

    def case_events(self, case: str) -> list[str]:
        stored = [self.store._events[i][5] for i in self.store._by_case.get(case, ())]
        return stored + [self.events[i][5] for i in self.by_case.get(case, ())]

    def body_of(self, event_ids: Sequence[str]) -> dict[str, str]:
        ids, events = self.store._ids, self.store._events
        out = {i: events[ids[i]][5] for i in event_ids if i in ids}
        out.update((i, self.events[self.ids[i]][5]) for i in event_ids if i in self.ids)
        return out

    def insert(self, rows: Sequence[tuple[str | None, str, int, str, str, str]]) -> None:
        for row in rows:
            self.by_case.setdefault(row[1], []).append(len(self.events))
            if row[0] is not None:
                self.ids[row[0]] = len(self.events)
            self.events.append(row)

    def upsert_cases(self, rows: Sequence[CaseRow], packs: Sequence[bytes] | None = None) -> None:
        self.cases.update((row.case, row) for row in rows)

    def matters(self) -> set[str]:
        return {row.matter for row in self.store._rows.values()} | {
            row.matter for row in self.cases.values()
        }

    def mark(self) -> int:
        return len(self.events)

    def cases_since(self, mark: int) -> int:
        return len({row[1] for row in self.events[mark:]})

    def set_meta(self, key: str, value: str) -> None:
        self.meta[key] = value


class MemoryStore(EventStore):
    """An event store held in memory; gone when the process ends.

    .. versionadded:: 0.1
    """

    def __init__(self, url: str = "memory://", context: StoreContext | None = None) -> None:
        super().__init__(url, context)
        self._lock = threading.Lock()
        self._events: list[tuple[str | None, str, int, str, str, str]] = []
        self._by_case: dict[str, list[int]] = {}
        self._ids: dict[str, int] = {}
        self._rows: dict[str, CaseRow] = {}
        self._meta: dict[str, str] = {}
        self._recs: dict[tuple[str, str], tuple[str, str, str]] = {}

    @contextmanager
    def _write(self) -> Iterator[Transaction]:
        with self._lock:
            tx = _MemoryTransaction(self)
            yield tx
            # only reached when the batch validated in full: apply it at once
            for row in tx.events:
                self._events.append(row)
                index = len(self._events) - 1
                self._by_case.setdefault(row[1], []).append(index)
                if row[0] is not None:
                    self._ids[row[0]] = index
            for case_row in tx.cases.values():
                self._rows[case_row.case] = case_row
            self._meta.update(tx.meta)

    def _get_meta(self, key: str) -> str | None:
        return self._meta.get(key)

    def _set_meta(self, key: str, value: str) -> None:
        self._meta[key] = value

    def _bodies(self) -> Iterator[str]:
        for row in list(self._events):
            yield row[5]

    def _read_case(self, case: str) -> list[str]:
        return [self._events[i][5] for i in self._by_case.get(case, ())]

    def _case_bodies(self) -> Iterator[tuple[str, list[str]]]:
        for case in sorted(self._by_case):
            yield case, self._read_case(case)

    def _summary_states(self) -> Iterator[tuple[str, int, str, bytes | None]]:
        for case in sorted(self._rows):
            row = self._rows[case]
            yield case, row.version, row.state, None

    def _case_count(self) -> int:
        return len(self._rows)

    def _case_rows(self, where: Mapping[str, Any]) -> list[CaseRow]:
        out = []
        for row in self._rows.values():
            if "since" in where and row.submitted_on < where["since"]:
                continue
            if "until" in where and row.submitted_on > where["until"]:
                continue
            if (
                "changed_since" in where
                and CaseState(row.state) in _CLOSED_STATES
                and row.last_at < _changed_since_mark(where["changed_since"])
            ):
                continue
            if any(getattr(row, k) != v for k, v in where.items() if k not in _RANGES):
                continue
            out.append(row)
        return out

    def _put_records(self, kind: str, rows: Sequence[tuple[str, str, str]]) -> None:
        with self._lock:
            for row in rows:
                self._recs[(kind, row[0])] = row

    def _records(self, kind: str) -> list[tuple[str, str, str]]:
        return sorted(
            (row for (k, _), row in self._recs.items() if k == kind), key=lambda r: (r[1], r[0])
        )

    def close(self) -> None:
        """Nothing to release."""
