"""The event store on PostgreSQL.

Each append is one transaction that first takes a transaction-level advisory
lock (``pg_advisory_xact_lock``): appends are serialised as SQLite serialises
them with ``BEGIN IMMEDIATE``, so the shared checks of
:class:`~govservice.storage.EventStore` — history, idempotency, optimistic
concurrency — run on a view no other writer changes until commit.  Reads take
no lock.  The schema is versioned in the ``meta`` table.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg

from govservice.exceptions import StoreError
from govservice.storage import CaseRow, EventStore, StoreContext, Transaction
from govservice.storage.base import sql_where

__all__ = ["SCHEMA_VERSION", "PostgresStore"]

_LOCK = 0x67736376  # one advisory lock for all appends to this database

_MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE events (
        seq BIGSERIAL PRIMARY KEY,
        id TEXT UNIQUE,
        case_id TEXT NOT NULL,
        case_version INTEGER NOT NULL,
        type TEXT NOT NULL,
        at TEXT NOT NULL,
        body TEXT NOT NULL,
        UNIQUE (case_id, case_version)
    );
    CREATE TABLE cases (
        ord BIGSERIAL,
        case_id TEXT PRIMARY KEY,
        version INTEGER NOT NULL,
        matter TEXT NOT NULL,
        unit TEXT,
        "window" TEXT,
        state TEXT NOT NULL,
        submitted_on DATE NOT NULL,
        last_at TEXT NOT NULL
    );
    CREATE INDEX cases_submitted_on ON cases (submitted_on);
    CREATE INDEX cases_unit ON cases (unit, submitted_on);
    CREATE TABLE records (
        kind TEXT NOT NULL, id TEXT NOT NULL, at TEXT NOT NULL, body TEXT NOT NULL,
        PRIMARY KEY (kind, id)
    );
    """,
)

SCHEMA_VERSION = len(_MIGRATIONS)
"""The schema version this code writes."""


class _PgTransaction(Transaction):
    def __init__(self, con: psycopg.Connection[Any]) -> None:
        self.con = con

    def version(self, case: str) -> int:
        row = self.con.execute("SELECT version FROM cases WHERE case_id = %s", (case,)).fetchone()
        return int(row[0]) if row else 0

    def case_events(self, case: str) -> list[str]:
        cur = self.con.execute(
            "SELECT body FROM events WHERE case_id = %s ORDER BY case_version", (case,)
        )
        return [r[0] for r in cur]

    def body_of(self, event_ids: Sequence[str]) -> dict[str, str]:
        cur = self.con.execute("SELECT id, body FROM events WHERE id = ANY(%s)", (list(event_ids),))
        return {r[0]: r[1] for r in cur}

    def insert(self, rows: Sequence[tuple[str | None, str, int, str, str, str]]) -> None:
        with self.con.cursor() as cur:
            cur.executemany(
                "INSERT INTO events (id, case_id, case_version, type, at, body) "
                "VALUES (%s, %s, %s, %s, %s, %s)",
                rows,
            )

    def upsert_cases(self, rows: Sequence[CaseRow]) -> None:
        with self.con.cursor() as cur:
            cur.executemany(
                'INSERT INTO cases (case_id, version, matter, unit, "window", state, '
                "submitted_on, last_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s) "
                "ON CONFLICT (case_id) DO UPDATE SET version = excluded.version, "
                "state = excluded.state, last_at = excluded.last_at",
                [
                    (
                        r.case,
                        r.version,
                        r.matter,
                        r.unit,
                        r.window,
                        r.state,
                        r.submitted_on,
                        r.last_at,
                    )
                    for r in rows
                ],
            )


class PostgresStore(EventStore):
    """The event store in a PostgreSQL database.

    Raises:
        StoreError: the server cannot be reached, or the database holds a
            schema from a newer version.

    .. versionadded:: 0.1
    """

    def __init__(self, url: str, context: StoreContext | None = None) -> None:
        super().__init__(url, context)
        try:
            self._con: psycopg.Connection[Any] = psycopg.connect(url, autocommit=True)
        except psycopg.Error as e:
            raise StoreError(f"{url}: cannot connect to PostgreSQL ({e})") from None
        self._migrate()

    def _migrate(self) -> None:
        with self._con.transaction():
            self._con.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK,))
            exists = self._con.execute("SELECT to_regclass('meta')").fetchone()
            version = 0
            if exists and exists[0] is not None:
                row = self._con.execute(
                    "SELECT value FROM meta WHERE key = 'schema_version'"
                ).fetchone()
                version = int(row[0]) if row else 0
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"{self.url}: schema version {version} is newer than this plugin "
                    f"understands ({SCHEMA_VERSION}); upgrade govservice-postgres"
                )
            for sql in _MIGRATIONS[version:]:
                self._con.execute(sql)
            self._con.execute(
                "INSERT INTO meta (key, value) VALUES ('schema_version', %s) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (str(SCHEMA_VERSION),),
            )

    @contextmanager
    def _write(self) -> Iterator[Transaction]:
        with self._con.transaction():
            self._con.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK,))
            yield _PgTransaction(self._con)

    def _get_meta(self, key: str) -> str | None:
        row = self._con.execute("SELECT value FROM meta WHERE key = %s", (key,)).fetchone()
        return None if row is None else str(row[0])

    def _set_meta(self, key: str, value: str) -> None:
        self._con.execute(
            "INSERT INTO meta (key, value) VALUES (%s, %s) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def _bodies(self) -> Iterator[str]:
        with self._con.transaction(), self._con.cursor(name="bodies") as cur:
            cur.execute("SELECT body FROM events ORDER BY seq")
            for (body,) in cur:
                yield body

    def _read_case(self, case: str) -> list[str]:
        return _PgTransaction(self._con).case_events(case)

    def _case_rows(self, where: Mapping[str, Any]) -> list[CaseRow]:
        clause, args = sql_where(where, "%s")
        sql = (
            'SELECT case_id, version, matter, unit, "window", state, submitted_on, last_at '
            f"FROM cases{clause} ORDER BY ord"
        )
        return [CaseRow(*r) for r in self._con.execute(sql, args)]

    def _put_records(self, kind: str, rows: Sequence[tuple[str, str, str]]) -> None:
        with self._con.transaction(), self._con.cursor() as cur:
            cur.executemany(
                "INSERT INTO records (kind, id, at, body) VALUES (%s, %s, %s, %s) "
                "ON CONFLICT (kind, id) DO UPDATE SET at = excluded.at, body = excluded.body",
                [(kind, *r) for r in rows],
            )

    def _records(self, kind: str) -> list[tuple[str, str, str]]:
        cur = self._con.execute(
            "SELECT id, at, body FROM records WHERE kind = %s ORDER BY at, id", (kind,)
        )
        return [(r[0], r[1], r[2]) for r in cur]

    def close(self) -> None:
        """Close the connection."""
        self._con.close()
