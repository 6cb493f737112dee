"""``sqlite:///path``: the embedded default store, one SQLite file in WAL mode.

Each append is one ``BEGIN IMMEDIATE`` transaction, so two processes writing
to the same file take turns, and a writer killed at any moment leaves either
the whole batch or none of it.  ``synchronous=FULL`` by default: an
acknowledged append survives a power cut, not only a crash (``?synchronous=normal``
in the URL trades that for speed).

The schema is versioned (``PRAGMA user_version``); opening an older file
upgrades it in place, in one transaction, with the migrations below.
"""

from __future__ import annotations

import itertools
import os
import sqlite3
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from operator import itemgetter
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from govservice.exceptions import N_, Message, StoreError
from govservice.storage._bodies import content_id
from govservice.storage._packed import pack_stored
from govservice.storage.base import (
    CaseRow,
    EventStore,
    PerThread,
    StoreContext,
    Transaction,
    sql_where,
)

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "SQLiteStore"]

APPLICATION_ID = 0x67736376  # "gscv": marks a file as a govservice store

_CACHE_KIB = -32_000
"""Each connection's page cache: 32 MB (negative: in KiB), against SQLite's 2 MB default.

An append looks up its events' ids and its cases' versions and updates their
indexes at random places; a cache of 2 MB rereads their pages from the file
once a store passes a few hundred thousand events.
"""

_V1 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE events (
    seq INTEGER PRIMARY KEY,
    id TEXT UNIQUE,
    case_id TEXT NOT NULL,
    case_version INTEGER NOT NULL,
    type TEXT NOT NULL,
    at TEXT NOT NULL,
    body TEXT NOT NULL,
    UNIQUE (case_id, case_version)
);
CREATE TABLE cases (
    case_id TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    matter TEXT NOT NULL,
    window TEXT,
    state TEXT NOT NULL,
    submitted_on TEXT NOT NULL,
    last_at TEXT NOT NULL
);
CREATE INDEX cases_submitted_on ON cases (submitted_on);
"""

_V2 = """
ALTER TABLE cases ADD COLUMN unit TEXT;
CREATE INDEX cases_unit ON cases (unit, submitted_on);
CREATE INDEX cases_matter ON cases (matter, submitted_on);
CREATE INDEX cases_state ON cases (state);
CREATE TABLE records (
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    at TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (kind, id)
);
"""


def _backfill_units(con: sqlite3.Connection) -> None:
    """Version 2 adds each case's unit: take it from the stored catalogue."""
    import json

    row = con.execute("SELECT value FROM meta WHERE key = 'catalogue'").fetchone()
    if row is None:
        return
    units = {m["code"]: m["unit"] for m in json.loads(row[0]).get("matter", [])}
    con.executemany(
        "UPDATE cases SET unit = ? WHERE matter = ?", [(u, m) for m, u in units.items()]
    )


# Version 3 kept, beside each event's text, its instant, amount and actor, for reading the
# store as columns; version 7 packs each case's events from their text instead, and drops
# these columns (the SQL that filled them, in versions 3 and 4, went with them).
_V3 = """
ALTER TABLE events ADD COLUMN at_us INTEGER;
ALTER TABLE events ADD COLUMN amount INTEGER;
ALTER TABLE events ADD COLUMN actor TEXT
"""


# Version 6: the case summaries indexed by what is queried — the period received
# (reports, the warm start of a simulation). Filters by unit, matter, window or
# state are read within the period; each index dropped is one less to update on
# every append.
_V6 = """
DROP INDEX IF EXISTS cases_unit;
DROP INDEX IF EXISTS cases_matter;
DROP INDEX IF EXISTS cases_state
"""


def _backfill_ids(con: sqlite3.Connection) -> None:
    """Version 5: an event stored without an id gets the one its content gives (``content_id``).

    So importing again an events file without ids, into a store written
    before, skips the events already stored.  Of two identical events stored
    before, the first takes the id.
    """
    rows = con.execute("SELECT seq, body FROM events WHERE id IS NULL ORDER BY seq")
    con.executemany(
        "UPDATE OR IGNORE events SET id = ? WHERE seq = ?",
        [(content_id(body), seq) for seq, body in rows.fetchall()],
    )


# Version 7: each case's events packed in its summary row (govservice.storage.pack), the
# actors interned; reading the store as columns is one row per case.  The columns of
# version 3 are dropped (_backfill_packs).
_V7 = """
ALTER TABLE cases ADD COLUMN packed BLOB NOT NULL DEFAULT x'';
CREATE TABLE actors (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)
"""


def _backfill_packs(con: sqlite3.Connection) -> None:
    """Version 7: pack every case's events from their stored text, then drop version 3's columns."""
    packs = pack_stored(_case_bodies(con), _SQLiteTransaction(con).actor_ids)
    con.executemany("UPDATE cases SET packed = ? WHERE case_id = ?", packs)
    if sqlite3.sqlite_version_info >= (3, 35):  # DROP COLUMN; before, they stay, unused
        for column in ("at_us", "amount", "actor"):
            con.execute(f"ALTER TABLE events DROP COLUMN {column}")


MIGRATIONS: tuple[tuple[str, Callable[[sqlite3.Connection], None] | None], ...] = (
    (_V1, None),
    (_V2, _backfill_units),
    (_V3, None),
    ("", None),  # version 4: the amounts of version 3 completed (see _V3)
    ("", _backfill_ids),
    (_V6, None),
    (_V7, _backfill_packs),
)
"""Schema versions in order: the SQL of each and an optional Python step after it."""

SCHEMA_VERSION = len(MIGRATIONS)
"""The schema version this code writes."""


def _looked_up(con: sqlite3.Connection, sql: str, keys: Sequence[str]) -> dict[Any, Any]:
    """The (key, value) rows of *sql* for *keys*, its ``IN ({})`` filled 500 keys at a time.

    500 stays under the 999 host parameters older SQLite builds allow in one statement.
    """
    out: dict[Any, Any] = {}
    for k in range(0, len(keys), 500):
        chunk = keys[k : k + 500]
        out.update(con.execute(sql.format(",".join("?" * len(chunk))), chunk))
    return out


class _SQLiteTransaction(Transaction):
    keeps_columns = True

    def __init__(self, con: sqlite3.Connection) -> None:
        self.con = con

    def actor_ids(self, names: Collection[str]) -> dict[str, int]:
        ordered = sorted(names)
        self.con.executemany(
            "INSERT OR IGNORE INTO actors (name) VALUES (?)", [(n,) for n in ordered]
        )
        return _looked_up(self.con, "SELECT name, id FROM actors WHERE name IN ({})", ordered)

    def version(self, case: str) -> int:
        row = self.con.execute("SELECT version FROM cases WHERE case_id = ?", (case,)).fetchone()
        return int(row[0]) if row else 0

    def versions(self, cases: Sequence[str]) -> dict[str, int]:
        sql = "SELECT case_id, version FROM cases WHERE case_id IN ({})"
        return dict.fromkeys(cases, 0) | _looked_up(self.con, sql, cases)

    def case_events(self, case: str) -> list[str]:
        return [
            r[0]
            for r in self.con.execute(
                "SELECT body FROM events WHERE case_id = ? ORDER BY case_version", (case,)
            )
        ]

    def body_of(self, event_ids: Sequence[str]) -> dict[str, str]:
        return _looked_up(self.con, "SELECT id, body FROM events WHERE id IN ({})", event_ids)

    def insert(self, rows: Sequence[tuple[str | None, str, int, str, str, str]]) -> None:
        self.con.executemany(
            "INSERT INTO events (id, case_id, case_version, type, at, body) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            rows,
        )

    def matters(self) -> set[str]:
        return {r[0] for r in self.con.execute("SELECT DISTINCT matter FROM cases")}

    def mark(self) -> int:
        return int(self.con.execute("SELECT coalesce(max(seq), 0) FROM events").fetchone()[0])

    def cases_since(self, mark: int) -> int:
        sql = "SELECT count(DISTINCT case_id) FROM events WHERE seq > ?"
        return int(self.con.execute(sql, (mark,)).fetchone()[0])

    def set_meta(self, key: str, value: str) -> None:
        self.con.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def upsert_cases(self, rows: Sequence[CaseRow], packs: Sequence[bytes] | None = None) -> None:
        assert packs is not None  # a SQLite store keeps columns
        self.con.executemany(
            "INSERT INTO cases "
            "(case_id, version, matter, unit, window, state, submitted_on, last_at, packed) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (case_id) DO UPDATE SET "
            "version = excluded.version, state = excluded.state, last_at = excluded.last_at, "
            "packed = excluded.packed",
            [
                (
                    r.case,
                    r.version,
                    r.matter,
                    r.unit,
                    r.window,
                    r.state,
                    r.submitted_on.isoformat(),
                    r.last_at,
                    packed,
                )
                for r, packed in zip(rows, packs, strict=True)
            ],
        )


def _schema_version(path: Path) -> int | None:
    """The schema version of the store at *path*, read without writing.

    ``None`` if the file is not a govservice store (or cannot be read).
    """
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        if con.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
            return None
        return int(con.execute("PRAGMA user_version").fetchone()[0])
    except sqlite3.Error:
        return None
    finally:
        con.close()


def _same_file(a: str | Path, b: Path) -> bool:
    """Whether *a* and *b* are one file (the same inode: links, hard or symbolic, included)."""
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist
        return False


def _sql_where(where: Mapping[str, Any]) -> tuple[str, list[Any]]:
    """:func:`~govservice.storage.base.sql_where` with dates as ISO text: text columns here."""
    clause, args = sql_where(where, "?")
    return clause, [a.isoformat() if isinstance(a, date) else a for a in args]


def _case_bodies(con: sqlite3.Connection) -> Iterator[tuple[str, list[str]]]:
    """Each case and its stored bodies in order, cases by id (``EventStore._case_bodies``)."""
    # in the order of the (case_id, case_version) index: read as stored, nothing sorted
    rows = con.execute("SELECT case_id, body FROM events ORDER BY case_id, case_version")
    for case, group in itertools.groupby(rows, key=itemgetter(0)):
        yield case, [body for _, body in group]


def _path_of(url: str) -> tuple[Path, dict[str, str]]:
    parts = urlsplit(url)
    if parts.scheme != "sqlite" or not url.startswith("sqlite:///"):
        raise StoreError(
            N_("not a SQLite URL (expected sqlite:///path/to/file.db): %(url)r"), url=url
        )
    path = url[len("sqlite:///") :].split("?", 1)[0]
    if not path:
        raise StoreError(N_("the SQLite URL names no file: %(url)r"), url=url)
    options = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    unknown = set(options) - {"synchronous"}
    if unknown:
        raise StoreError(
            N_("unknown option %(option)r in %(url)r (known: synchronous)"),
            option=sorted(unknown)[0],
            url=url,
        )
    return Path(path), options


class SQLiteStore(EventStore):
    """The event store in one SQLite file (WAL, one transaction per append).

    The URL follows the usual convention: ``sqlite:///relative/path.db`` or
    ``sqlite:////absolute/path.db``.

    Raises:
        StoreError: the file is not a SQLite database, or is one that is not
            a govservice store, or was written by a newer govservice.

    .. versionadded:: 0.1
    """

    def __init__(
        self, url: str, context: StoreContext | None = None, *, readonly: bool = False
    ) -> None:
        super().__init__(url, context, readonly=readonly)
        self.path, options = _path_of(url)
        synchronous = options.get("synchronous", "full").upper()
        if synchronous not in ("FULL", "NORMAL", "EXTRA"):
            raise StoreError(N_("synchronous must be full, normal or extra in %(url)r"), url=url)
        if self.path.parent and not self.path.parent.exists():
            raise StoreError(N_("%(path)s: its folder does not exist"), path=self.path)
        existed = self.path.exists()
        if readonly and not existed:
            raise StoreError(N_("no store at %(path)s"), path=self.path)
        self.created = not existed
        con = None
        try:
            if not readonly or _schema_version(self.path) != SCHEMA_VERSION:
                # a writer, or a reader of an older file: upgraded first (or refused)
                con = self._connect(synchronous)
                self._migrate(con, existed=existed)
                con.execute("PRAGMA journal_mode = WAL")  # after: a file refused is untouched
            if readonly:
                if con is not None:
                    con.close()
                con = self._connect(synchronous, f"{self.path.resolve().as_uri()}?mode=ro")
        except sqlite3.DatabaseError as e:
            if con is not None:
                con.close()
            self._remove_created()
            raise StoreError(
                N_("%(path)s: not a govservice SQLite store (SQLite: %(error)r)"),
                path=self.path,
                error=str(e),
            ) from None
        except BaseException:
            if con is not None:
                con.close()
            self._remove_created()
            raise
        assert con is not None  # a writer connected above, a reader here
        uri = f"{self.path.resolve().as_uri()}?mode=ro" if readonly else None
        self._connections = PerThread(lambda: self._connect(synchronous, uri), con)

    @property
    def _con(self) -> sqlite3.Connection:
        """The calling thread's connection (see :class:`~govservice.storage.base.PerThread`)."""
        return self._connections.get()

    def _connect(self, synchronous: str, uri: str | None = None) -> sqlite3.Connection:
        """A connection to the file: read-only through *uri*, else for writing."""
        con = sqlite3.connect(
            uri or self.path,
            isolation_level=None,
            timeout=60,
            check_same_thread=False,
            uri=uri is not None,
        )
        try:
            con.execute(f"PRAGMA synchronous = {synchronous}")
            con.execute(f"PRAGMA cache_size = {_CACHE_KIB}")
        except BaseException:
            con.close()
            raise
        return con

    def _migrate(self, con: sqlite3.Connection, *, existed: bool) -> None:
        """Create the schema in a new file, or upgrade an older one, in one transaction.

        A file that existed and is not a govservice store — another
        database, or an empty file — is refused, never converted.
        """
        con.execute("BEGIN IMMEDIATE")
        try:
            app_id = con.execute("PRAGMA application_id").fetchone()[0]
            version = con.execute("PRAGMA user_version").fetchone()[0]
            tables = con.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            if app_id != APPLICATION_ID and (tables or version or existed):
                what = N_("a SQLite database") if tables or version else N_("an empty file")
                raise StoreError(
                    N_(
                        "%(path)s: %(what)s, but not a govservice store "
                        "(application_id %(app_id)s); name a new file to create a store"
                    ),
                    path=self.path,
                    what=Message(what),
                    app_id=f"{app_id:#x}",
                )
            if version > SCHEMA_VERSION:
                raise StoreError(
                    N_(
                        "%(path)s: schema version %(version)s is newer than this govservice "
                        "understands (%(known)s); upgrade govservice"
                    ),
                    path=self.path,
                    version=version,
                    known=SCHEMA_VERSION,
                )
            for sql, step in MIGRATIONS[version:]:
                for statement in sql.split(";"):
                    if statement.strip():
                        con.execute(statement)
                if step is not None:
                    try:
                        step(con)
                    except StoreError as e:
                        raise StoreError(
                            N_(
                                "%(path)s: cannot upgrade it from schema version %(version)s, "
                                "left as it was: %(error)s"
                            ),
                            path=self.path,
                            version=version,
                            error=e,
                        ) from None
            con.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            con.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise

    def discard(self) -> None:
        """Close the store; remove its file (and WAL, shared-memory, journal files) if new."""
        self.close()
        self._remove_created()

    def _remove_created(self) -> None:
        if self.created:
            for suffix in ("", "-wal", "-shm", "-journal"):
                self.path.with_name(self.path.name + suffix).unlink(missing_ok=True)

    def uses_file(self, path: str | Path) -> bool:
        """Whether *path* is the store's file (or its WAL or shared-memory file), links included."""
        return any(
            _same_file(path, self.path.with_name(self.path.name + suffix))
            for suffix in ("", "-wal", "-shm")
        )

    @contextmanager
    def _write(self) -> Iterator[Transaction]:
        con = self._con
        con.execute("BEGIN IMMEDIATE")
        try:
            yield _SQLiteTransaction(con)
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")

    def _get_meta(self, key: str) -> str | None:
        row = self._con.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def _set_meta(self, key: str, value: str) -> None:
        _SQLiteTransaction(self._con).set_meta(key, value)

    def _bodies(self) -> Iterator[str]:
        cur = self._con.execute("SELECT body FROM events ORDER BY seq")
        while rows := cur.fetchmany(10_000):
            for (body,) in rows:
                yield body

    def _read_case(self, case: str) -> list[str]:
        return _SQLiteTransaction(self._con).case_events(case)

    def _case_bodies(self) -> Iterator[tuple[str, list[str]]]:
        return _case_bodies(self._con)

    def _summary_states(self) -> Iterator[tuple[str, int, str, bytes | None]]:
        yield from self._con.execute(
            "SELECT case_id, version, state, packed FROM cases ORDER BY case_id"
        )

    def _packed_cases(self, where: Mapping[str, Any]) -> list[tuple[str, str, bytes]]:
        clause, args = _sql_where(where)
        sql = f"SELECT case_id, matter, packed FROM cases{clause} ORDER BY rowid"
        return self._con.execute(sql, args).fetchall()

    def _actor_index(self) -> dict[str, int]:
        return dict(self._con.execute("SELECT name, id FROM actors"))

    def _case_count(self) -> int:
        return int(self._con.execute("SELECT count(*) FROM cases").fetchone()[0])

    def _case_rows(self, where: Mapping[str, Any]) -> list[CaseRow]:
        clause, args = _sql_where(where)
        sql = (
            "SELECT case_id, version, matter, unit, window, state, submitted_on, last_at "
            f"FROM cases{clause} ORDER BY rowid"
        )
        return [
            CaseRow(r[0], r[1], r[2], r[3], r[4], r[5], date.fromisoformat(r[6]), r[7])
            for r in self._con.execute(sql, args)
        ]

    def _put_records(self, kind: str, rows: Sequence[tuple[str, str, str]]) -> None:
        with self._write():
            self._con.executemany(
                "INSERT INTO records (kind, id, at, body) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (kind, id) DO UPDATE SET at = excluded.at, body = excluded.body",
                [(kind, *r) for r in rows],
            )

    def _records(self, kind: str) -> list[tuple[str, str, str]]:
        return list(
            self._con.execute(
                "SELECT id, at, body FROM records WHERE kind = ? ORDER BY at, id", (kind,)
            )
        )

    def _integrity(self) -> list[str]:
        rows = self._con.execute("PRAGMA integrity_check").fetchall()
        return [] if rows == [("ok",)] else [f"sqlite integrity_check: {r[0]}" for r in rows]

    def close(self) -> None:
        """Close the database connections (every thread's)."""
        self._connections.close()
