"""The event store on PostgreSQL (psycopg 3).

Everything that decides — validation against each case's history, idempotency
by event id, optimistic concurrency — is :class:`~govservice.storage.EventStore`'s,
shared with every backend; this module supplies the primitives and makes them
safe between processes.

**How writers are serialised.**  Each append is one transaction whose first
statement takes a transaction-level advisory lock, one per database
(``pg_advisory_xact_lock``), released at commit or rollback.  Appends to a
database thus take turns, exactly as SQLite's ``BEGIN IMMEDIATE`` makes them
take turns, and the base class's checks run on a view no other writer changes
until the commit.  Two clerks racing on one case get one success and one
:class:`~govservice.exceptions.ConcurrencyError`; never a duplicate, never a
unique-violation from the server.  The alternatives were weighed:

* ``SELECT … FOR UPDATE`` on the case rows would let appends to different
  cases run in parallel, but a new case has no row to lock yet, and an event
  id is unique across all cases: two writers adding the same id to two
  different cases would meet only at the unique index, as a raw error instead
  of the store's own answer.
* ``SERIALIZABLE`` with retries gives the same outcome, but re-runs the whole
  validation after every conflict and turns contention into retry loops.
* An append's work between the lock and the commit is short (validation is in
  the process, the rows go in with ``COPY``), so one writer at a time costs
  little, and the semantics are the reference backend's.

Transactions run at ``READ COMMITTED``, set explicitly: each statement after
the lock sees every append committed before it.  (At ``REPEATABLE READ`` or
above — a server's ``default_transaction_isolation`` may say so — the
snapshot would be taken before the lock is granted, and a writer would
validate against a stale view.)  Reads take no lock.

**Schema.**  Versioned in the ``meta`` table (key ``schema_version``); opening
a database written by an older plugin upgrades it in place, in one
transaction, under the same lock; a database from a newer plugin, or one with
tables of its own but no govservice schema, is refused.

.. versionadded:: 0.1
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from operator import itemgetter
from typing import Any
from urllib.parse import urlsplit

import psycopg

from govservice.exceptions import N_, StoreError
from govservice.storage import CaseRow, EventStore, StoreContext, Transaction, pack_stored
from govservice.storage.base import PerThread, sql_where

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "PostgresStore"]

_LOCK = 0x67736376  # "gscv": the one advisory lock key of all appends to a database

_V1 = """
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
"""

_V2 = """
CREATE INDEX cases_matter ON cases (matter, submitted_on);
CREATE INDEX cases_state ON cases (state, submitted_on);
"""

# Version 3: an event stored without an id gets the one its content gives
# (govservice.storage.content_id); of identical events, the first.
_V3 = """
UPDATE events SET id = 'sha256:' || left(encode(sha256(convert_to(body, 'UTF8')), 'hex'), 32)
WHERE seq IN (SELECT min(seq) FROM events WHERE id IS NULL GROUP BY body)
"""

# Version 4: each case's events packed in its summary row (govservice.storage.pack), the
# actors interned; reading the store as columns is one row per case.  The packs of the
# cases stored before are written by _backfill_packs.
_V4 = """
ALTER TABLE cases ADD COLUMN packed BYTEA NOT NULL DEFAULT ''::bytea;
CREATE TABLE actors (id SERIAL PRIMARY KEY, name TEXT NOT NULL UNIQUE)
"""

MIGRATIONS: tuple[str, ...] = (_V1, _V2, _V3, _V4)
"""The SQL of each schema version, in order (version *n* is ``MIGRATIONS[n - 1]``)."""

SCHEMA_VERSION = len(MIGRATIONS)
"""The schema version this code writes."""

_TABLES = ("meta", "events", "cases", "records")

# case summaries of one append go in with COPY, then one upsert
_CASE_ROWS = """
CREATE TEMPORARY TABLE IF NOT EXISTS pg_temp.case_rows (
    n INTEGER, case_id TEXT, version INTEGER, matter TEXT, unit TEXT, "window" TEXT,
    state TEXT, submitted_on DATE, last_at TEXT, packed BYTEA
) ON COMMIT DELETE ROWS
"""
_UPSERT = """
INSERT INTO cases (
    case_id, version, matter, unit, "window", state, submitted_on, last_at, packed
)
SELECT case_id, version, matter, unit, "window", state, submitted_on, last_at, packed
FROM pg_temp.case_rows ORDER BY n
ON CONFLICT (case_id) DO UPDATE
SET version = excluded.version, state = excluded.state, last_at = excluded.last_at,
    packed = excluded.packed
"""


def _backfill_packs(con: psycopg.Connection[Any]) -> None:
    """Version 4: pack the events of every case stored before, from their stored text."""
    with con.cursor(name="backfill_packs") as bodies, con.cursor() as cur:
        bodies.itersize = 10_000
        bodies.execute(
            'SELECT case_id, body FROM events ORDER BY case_id COLLATE "C", case_version'
        )
        packs = pack_stored(_grouped(bodies), _PgTransaction(con).actor_ids)
        while chunk := list(itertools.islice(packs, 10_000)):  # memory flat: a chunk at a time
            cur.executemany("UPDATE cases SET packed = %s WHERE case_id = %s", chunk)


def _grouped(rows: Iterable[tuple[str, str]]) -> Iterator[tuple[str, list[str]]]:
    """(case, body) rows in case order, grouped: each case with its bodies."""
    for case, group in itertools.groupby(rows, key=itemgetter(0)):
        yield case, [body for _, body in group]


def _redacted(url: str) -> str:
    """*url* with any password masked, for messages and ``repr``."""
    parts = urlsplit(url)
    out = url
    if parts.password is not None:
        user, _, host = parts.netloc.rpartition("@")
        out = out.replace(parts.netloc, f"{user.split(':', 1)[0]}:***@{host}", 1)
    if parts.query:
        base, _, query = out.partition("?")
        out = base + "?" + re.sub(r"(^|&)password=[^&#]*", r"\1password=***", query)
    return out


class _PgTransaction(Transaction):
    keeps_columns = True

    def __init__(self, con: psycopg.Connection[Any]) -> None:
        self.con = con

    def actor_ids(self, names: Collection[str]) -> dict[str, int]:
        ordered = sorted(names)
        self.con.execute(
            "INSERT INTO actors (name) SELECT unnest(%s::text[]) ON CONFLICT (name) DO NOTHING",
            (ordered,),
        )
        cur = self.con.execute("SELECT name, id FROM actors WHERE name = ANY(%s)", (ordered,))
        return {r[0]: int(r[1]) for r in cur}

    def version(self, case: str) -> int:
        row = self.con.execute("SELECT version FROM cases WHERE case_id = %s", (case,)).fetchone()
        return int(row[0]) if row else 0

    def versions(self, cases: Sequence[str]) -> dict[str, int]:
        out = dict.fromkeys(cases, 0)
        cur = self.con.execute(
            "SELECT case_id, version FROM cases WHERE case_id = ANY(%s)", (list(cases),)
        )
        out.update((r[0], int(r[1])) for r in cur)
        return out

    def case_events(self, case: str) -> list[str]:
        cur = self.con.execute(
            "SELECT body FROM events WHERE case_id = %s ORDER BY case_version", (case,)
        )
        return [r[0] for r in cur]

    def body_of(self, event_ids: Sequence[str]) -> dict[str, str]:
        cur = self.con.execute("SELECT id, body FROM events WHERE id = ANY(%s)", (list(event_ids),))
        return {r[0]: r[1] for r in cur}

    def insert(self, rows: Sequence[tuple[str | None, str, int, str, str, str]]) -> None:
        with (
            self.con.cursor() as cur,
            cur.copy("COPY events (id, case_id, case_version, type, at, body) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)

    def matters(self) -> set[str]:
        return {r[0] for r in self.con.execute("SELECT DISTINCT matter FROM cases")}

    def mark(self) -> int:
        row = self.con.execute("SELECT coalesce(max(seq), 0) FROM events").fetchone()
        return int(row[0]) if row else 0

    def cases_since(self, mark: int) -> int:
        sql = "SELECT count(DISTINCT case_id) FROM events WHERE seq > %s"
        row = self.con.execute(sql, (mark,)).fetchone()
        return int(row[0]) if row else 0

    def set_meta(self, key: str, value: str) -> None:
        self.con.execute(
            "INSERT INTO meta (key, value) VALUES (%s, %s) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def upsert_cases(self, rows: Sequence[CaseRow], packs: Sequence[bytes] | None = None) -> None:
        assert packs is not None  # a PostgreSQL store keeps columns
        with self.con.cursor() as cur:
            cur.execute(_CASE_ROWS)
            cur.execute("DELETE FROM pg_temp.case_rows")  # an earlier batch of the transaction
            with cur.copy(
                'COPY pg_temp.case_rows (n, case_id, version, matter, unit, "window", state, '
                "submitted_on, last_at, packed) FROM STDIN"
            ) as copy:
                for n, (r, packed) in enumerate(zip(rows, packs, strict=True)):
                    copy.write_row(
                        (
                            n,
                            r.case,
                            r.version,
                            r.matter,
                            r.unit,
                            r.window,
                            r.state,
                            r.submitted_on,
                            r.last_at,
                            packed,
                        )
                    )
            cur.execute(_UPSERT)


class PostgresStore(EventStore):
    """The event store in a PostgreSQL database.

    Args:
        url: a ``postgresql://`` (or ``postgres://``) URL libpq accepts, e.g.
            ``postgresql://clerk@db.example/hall``.  The database must exist;
            the store creates its tables in it (in the first schema of the
            ``search_path``).
        context: rules and calendar for validating events.
        readonly: read only: a database without the store's tables is "no
            store" (nothing is created), and the session's transactions are
            read-only.

    Raises:
        StoreError: the server cannot be reached; the database has tables but
            no govservice schema, or a schema from a newer plugin; (with
            *readonly*) it has no store.

    .. versionadded:: 0.1
    """

    def __init__(
        self, url: str, context: StoreContext | None = None, *, readonly: bool = False
    ) -> None:
        super().__init__(_redacted(url), context, readonly=readonly)
        self._dsn = url
        first = self._connect(readonly=False)  # an older schema is upgraded, even for a reader
        self._connections = PerThread(lambda: self._connect(readonly=readonly), first)
        try:
            self._migrate()
            if readonly:
                first.execute("SET default_transaction_read_only = on")
        except BaseException:
            first.close()
            raise

    def _connect(self, *, readonly: bool) -> psycopg.Connection[Any]:
        """A new connection, autocommitting outside transactions, at ``READ COMMITTED``."""
        try:
            con: psycopg.Connection[Any] = psycopg.connect(self._dsn, autocommit=True)
        except psycopg.Error as e:
            raise StoreError(
                N_("%(store)s: cannot connect to PostgreSQL (%(error)s)"), store=self.url, error=e
            ) from None
        con.isolation_level = psycopg.IsolationLevel.READ_COMMITTED
        if readonly:
            con.execute("SET default_transaction_read_only = on")
        return con

    @property
    def _con(self) -> psycopg.Connection[Any]:
        """The calling thread's connection: threads take turns as processes do."""
        return self._connections.get()

    def _migrate(self) -> None:
        with self._write_lock():
            con = self._con
            found = [
                r[0]
                for r in con.execute(
                    "SELECT t FROM unnest(%s::text[]) WITH ORDINALITY AS u (t, n) "
                    "WHERE to_regclass(t) IS NOT NULL ORDER BY n",
                    (list(_TABLES),),
                )
            ]
            version = 0
            if not found and self.readonly:
                raise StoreError(N_("no store at %(path)s"), path=self.url)
            if found:
                row = None
                if "meta" in found:
                    row = con.execute(
                        "SELECT value FROM meta WHERE key = 'schema_version'"
                    ).fetchone()
                if row is None or not str(row[0]).isdigit():
                    raise StoreError(
                        N_(
                            "%(store)s: a PostgreSQL database, but not a govservice store "
                            "(it has a table %(table)r and no govservice schema version)"
                        ),
                        store=self.url,
                        table=found[0],
                    )
                version = int(row[0])
            if version > SCHEMA_VERSION:
                raise StoreError(
                    N_(
                        "%(store)s: schema version %(version)s is newer than this plugin "
                        "understands (%(known)s); upgrade govservice-postgres"
                    ),
                    store=self.url,
                    version=version,
                    known=SCHEMA_VERSION,
                )
            for sql in MIGRATIONS[version:]:
                con.execute(sql)
            if 0 < version < 4:
                try:
                    _backfill_packs(con)
                except StoreError as e:
                    raise StoreError(
                        N_(
                            "%(path)s: cannot upgrade it from schema version %(version)s, "
                            "left as it was: %(error)s"
                        ),
                        path=self.url,
                        version=version,
                        error=e,
                    ) from None
            if version != SCHEMA_VERSION:
                con.execute(
                    "INSERT INTO meta (key, value) VALUES ('schema_version', %s) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (str(SCHEMA_VERSION),),
                )

    @contextmanager
    def _write_lock(self) -> Iterator[psycopg.Connection[Any]]:
        """A transaction holding the database's append lock; server errors as StoreError."""
        try:
            with self._con.transaction():
                self._con.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK,))
                yield self._con
        except psycopg.Error as e:
            raise StoreError(
                N_("%(store)s: %(type)s: %(error)s"), store=self.url, type=type(e).__name__, error=e
            ) from e

    @contextmanager
    def _write(self) -> Iterator[Transaction]:
        with self._write_lock() as con:
            yield _PgTransaction(con)

    def _get_meta(self, key: str) -> str | None:
        row = self._con.execute("SELECT value FROM meta WHERE key = %s", (key,)).fetchone()
        return None if row is None else str(row[0])

    def _set_meta(self, key: str, value: str) -> None:
        _PgTransaction(self._con).set_meta(key, value)

    def _bodies(self) -> Iterator[str]:
        with self._con.transaction(), self._con.cursor(name="bodies") as cur:
            cur.execute("SELECT body FROM events ORDER BY seq")
            for (body,) in cur:
                yield body

    def _case_bodies(self) -> Iterator[tuple[str, list[str]]]:
        with self._con.transaction(), self._con.cursor(name="case_bodies") as cur:
            cur.execute(
                'SELECT case_id, body FROM events ORDER BY case_id COLLATE "C", case_version'
            )
            yield from _grouped(cur)

    def _summary_states(self) -> Iterator[tuple[str, int, str, bytes | None]]:
        # another connection: this thread's is reading the bodies beside it
        with (
            self._connect(readonly=self.readonly) as con,
            con.transaction(),
            con.cursor(name="summary_states") as cur,
        ):
            cur.execute(
                'SELECT case_id, version, state, packed FROM cases ORDER BY case_id COLLATE "C"'
            )
            yield from cur

    def _packed_cases(self, where: Mapping[str, Any]) -> list[tuple[str, str, bytes]]:
        clause, args = sql_where(where, "%s")
        sql = f"SELECT case_id, matter, packed FROM cases{clause} ORDER BY ord"
        return self._con.execute(sql, args).fetchall()

    def _actor_index(self) -> dict[str, int]:
        return {name: int(k) for k, name in self._con.execute("SELECT id, name FROM actors")}

    def _case_count(self) -> int:
        row = self._con.execute("SELECT count(*) FROM cases").fetchone()
        return int(row[0]) if row else 0

    def _read_case(self, case: str) -> list[str]:
        return _PgTransaction(self._con).case_events(case)

    def _read_cases(self, cases: Sequence[str]) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {case: [] for case in cases}
        for k in range(0, len(cases), 10_000):  # one round trip per 10,000 cases
            cur = self._con.execute(
                "SELECT case_id, body FROM events WHERE case_id = ANY(%s) "
                "ORDER BY case_id, case_version",
                (list(cases[k : k + 10_000]),),
            )
            for case, body in cur:
                out[case].append(body)
        return out

    def _case_rows(self, where: Mapping[str, Any]) -> list[CaseRow]:
        clause, args = sql_where(where, "%s")
        sql = (
            'SELECT case_id, version, matter, unit, "window", state, submitted_on, last_at '
            f"FROM cases{clause} ORDER BY ord"
        )
        return [CaseRow(*r) for r in self._con.execute(sql, args)]

    def _put_records(self, kind: str, rows: Sequence[tuple[str, str, str]]) -> None:
        with self._write_lock() as con, con.cursor() as cur:
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

    def _integrity(self) -> list[str]:
        gaps = self._con.execute(
            "SELECT case_id FROM events GROUP BY case_id "
            "HAVING min(case_version) <> 1 OR max(case_version) <> count(*) ORDER BY case_id"
        ).fetchall()
        return [f"case {r[0]!r}: its event versions are not 1, 2, … without a gap" for r in gaps]

    def close(self) -> None:
        """Close the connections (every thread's)."""
        self._connections.close()
