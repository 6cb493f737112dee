"""The event store: what every backend shares.

An :class:`EventStore` keeps the events of cases in an append-only log and a
summary row per case for queries.  Everything that decides — parsing,
validating each event against its case's history with the :class:`Clock`,
idempotency by event id, optimistic concurrency per case — lives here, once;
a backend supplies only a transaction with a handful of primitives
(:class:`Transaction`).  So every backend refuses exactly what the clock
refuses, and nothing half-written is ever visible: a batch is validated in
full before the backend writes it, in one transaction.
"""

from __future__ import annotations

import abc
import enum
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Generic, TypeVar

import attrs

from govservice._gc import gc_paused as _gc_paused
from govservice.calendars import OpeningHours, WorkingDayCalendar, china, parse_instant
from govservice.cases import (
    Alert,
    AlertPolicy,
    Case,
    CaseState,
    Clock,
    Event,
    EventError,
    Reading,
    event_from_dict,
)
from govservice.cases.clock import _evolve
from govservice.cases.events import _read_blocks
from govservice.exceptions import (
    N_,
    CalendarError,
    ConcurrencyError,
    Message,
    StoreError,
)
from govservice.model import (
    BUILTIN_RULES,
    Catalogue,
    ModelError,
    RuleBook,
    catalogue_from_document,
    catalogue_to_document,
)
from govservice.progress import Progress, tracker
from govservice.storage._bodies import body_and_time, content_id, line_body_and_time
from govservice.storage._packed import pack

if TYPE_CHECKING:
    from govservice.storage.columns import EventColumns

__all__ = [
    "AppendResult",
    "CaseRow",
    "CheckReport",
    "EventStore",
    "PerThread",
    "StoreContext",
    "Transaction",
    "sql_where",
]


# How many recently appended cases a store keeps folded, to validate their next
# events: a case's next event usually comes within days, and one found here
# needs no reading of its history.  Bounded, so a process appending for years
# holds no more than this.
_CASE_CACHE_SIZE = 50_000

# How many events an import validates and writes at a time (in its one
# transaction): its memory is this many events, not the file's.
_IMPORT_CHUNK = 10_000


_Connection = TypeVar("_Connection")


class PerThread(Generic[_Connection]):
    """A database connection for each thread that uses a store, all closed together.

    A connection shared by threads would mix their transactions (one
    thread's ``BEGIN`` inside another's); with one each, threads take turns
    exactly as processes do, through the database's own locks.

    Args:
        connect: makes a new connection (for a thread's first use).
        first: the connection already made by the opening thread.

    .. versionadded:: 0.1
    """

    def __init__(self, connect: Callable[[], _Connection], first: _Connection) -> None:
        self._connect = connect
        self._local = threading.local()
        self._local.con = first
        self._all = [first]
        self._lock = threading.Lock()

    def get(self) -> _Connection:
        """This thread's connection (made on its first use)."""
        con: _Connection | None = getattr(self._local, "con", None)
        if con is None:
            con = self._local.con = self._connect()
            with self._lock:
                self._all.append(con)
        return con

    def close(self) -> None:
        """Close every thread's connection."""
        with self._lock:
            for con in self._all:
                con.close()  # type: ignore[attr-defined]
            self._all.clear()


@attrs.frozen
class StoreContext:
    """What a store needs besides its data to validate events: rules and calendar.

    A :class:`~govservice.center.ServiceCenter` passes its own (plugin rules,
    local calendar, opening hours, alert policy); the default is the built-in
    rules and the national calendar.

    .. versionadded:: 0.1
    """

    rules: RuleBook = BUILTIN_RULES
    calendar: WorkingDayCalendar = attrs.field(factory=china)
    opening_hours: OpeningHours = attrs.field(factory=OpeningHours.default)
    alert_policy: AlertPolicy = attrs.field(factory=AlertPolicy)

    def clock(self, catalogue: Catalogue) -> Clock:
        """A clock for *catalogue* on this context's calendar."""
        return Clock(
            catalogue,
            self.calendar,
            opening_hours=self.opening_hours,
            alert_policy=self.alert_policy,
        )


@attrs.frozen
class CaseRow:
    """A case's summary, as the store's queries return it.

    Attributes:
        case: the case id.
        version: the number of events stored for it.
        matter: the matter (or bundle) code.
        unit: the unit handling the matter (``None`` for a bundle).
        window: the window that received it (the ``by`` of its ``submitted`` event).
        state: the state after its last event (a :class:`~govservice.cases.CaseState` value).
        submitted_on: the local date it was received.
        last_at: when its last event happened (ISO 8601).

    .. versionadded:: 0.1
    """

    case: str
    version: int
    matter: str
    unit: str | None
    window: str | None
    state: str
    submitted_on: date
    last_at: str


@attrs.frozen
class AppendResult:
    """What an append did.

    Attributes:
        stored: events written.
        skipped: events whose id was already stored with the same content.
        versions: each case touched, with its version after the append
            (:meth:`EventStore.import_jsonl` leaves it empty: a file may touch
            millions of cases).
        cases: the number of cases touched.

    .. versionadded:: 0.1
    """

    stored: int
    skipped: int
    versions: Mapping[str, int]
    cases: int


@attrs.frozen
class CheckReport:
    """The result of :meth:`EventStore.check`.

    Attributes:
        cases: cases checked.
        events: events checked.
        problems: one line per problem found; empty when the store is sound.

    .. versionadded:: 0.1
    """

    cases: int
    events: int
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        """True when no problem was found."""
        return not self.problems


class Transaction(abc.ABC):
    """The primitives a backend provides inside one write transaction."""

    keeps_columns: bool = False
    """Whether the backend keeps, in each case's summary, its events packed as
    fixed-width records (:func:`govservice.storage.pack`), for reading the
    store as columns fast.

    .. versionadded:: 0.1
    """

    def actor_ids(self, names: Collection[str]) -> dict[str, int]:
        """The index of each of *names* in the store's table of actors, added if new.

        Only a backend that :attr:`keeps_columns` needs it.

        .. versionadded:: 0.1
        """
        raise NotImplementedError

    @abc.abstractmethod
    def version(self, case: str) -> int:
        """The number of events stored for *case* (0 if none)."""

    def versions(self, cases: Sequence[str]) -> dict[str, int]:
        """The :meth:`version` of each of *cases*.

        One query per case by default; a backend may answer in one.

        .. versionadded:: 0.1
        """
        return {case: self.version(case) for case in cases}

    @abc.abstractmethod
    def case_events(self, case: str) -> list[str]:
        """The stored JSON bodies of *case*'s events, in order."""

    @abc.abstractmethod
    def body_of(self, event_ids: Sequence[str]) -> dict[str, str]:
        """The stored JSON body of each of *event_ids* that is stored."""

    @abc.abstractmethod
    def insert(self, rows: Sequence[tuple[str | None, str, int, str, str, str]]) -> None:
        """Store events: (id, case, version, type, at, body) rows."""

    @abc.abstractmethod
    def upsert_cases(self, rows: Sequence[CaseRow], packs: Sequence[bytes] | None = None) -> None:
        """Insert or replace case summaries.

        With each case's packed events (*packs*) when the backend :attr:`keeps_columns`.
        """

    @abc.abstractmethod
    def matters(self) -> set[str]:
        """The matter (and bundle) codes of the stored cases.

        .. versionadded:: 0.1
        """

    @abc.abstractmethod
    def mark(self) -> int:
        """A mark of the events stored so far (e.g. the last sequence number).

        .. versionadded:: 0.1
        """

    @abc.abstractmethod
    def cases_since(self, mark: int) -> int:
        """The number of cases with events stored after *mark* (see :meth:`mark`).

        .. versionadded:: 0.1
        """

    @abc.abstractmethod
    def set_meta(self, key: str, value: str) -> None:
        """Set a ``meta`` entry, as part of the transaction.

        .. versionadded:: 0.1
        """


class EventStore(abc.ABC):
    """An append-only store of case events, with case summaries and a catalogue.

    Use :func:`govservice.storage.open_store` to get one.  All methods that
    write are atomic: they store everything or nothing.

    .. versionadded:: 0.1
    """

    url: str
    readonly: bool
    """Whether the store was opened for reading only; every write is refused."""
    created: bool = False
    """Whether opening the store created it (a new file), so that :meth:`discard` removes it."""

    def __init__(
        self, url: str, context: StoreContext | None = None, *, readonly: bool = False
    ) -> None:
        self.url = url
        self.readonly = readonly
        self.context = context or StoreContext()
        self._clock: Clock | None = None
        self._cache: OrderedDict[str, Case] = OrderedDict()  # recently appended cases
        self._cache_lock = threading.Lock()  # threads appending at once share the cache
        self._actors: dict[str, int] = {}  # committed actors' indexes (event columns)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.url}>"

    def __enter__(self) -> EventStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------ backend API

    @abc.abstractmethod
    def _write(self) -> AbstractContextManager[Transaction]:
        """A write transaction: committed on success, rolled back on error."""

    @abc.abstractmethod
    def _get_meta(self, key: str) -> str | None: ...

    @abc.abstractmethod
    def _set_meta(self, key: str, value: str) -> None: ...

    @abc.abstractmethod
    def _bodies(self) -> Iterator[str]:
        """Every stored event body, in the order stored."""

    @abc.abstractmethod
    def _read_case(self, case: str) -> list[str]:
        """The stored bodies of one case, in order (outside a write)."""

    def _read_cases(self, cases: Sequence[str]) -> dict[str, list[str]]:
        """The stored bodies of each of *cases*, in order (outside a write).

        One :meth:`_read_case` per case by default; a backend whose queries
        cost a round trip reads them in one.
        """
        return {case: self._read_case(case) for case in cases}

    @abc.abstractmethod
    def _case_rows(self, where: Mapping[str, Any]) -> list[CaseRow]:
        """Case summaries matching equality filters and a submitted_on range."""

    @abc.abstractmethod
    def _put_records(self, kind: str, rows: Sequence[tuple[str, str, str]]) -> None:
        """Insert or replace (id, at, body) records of *kind*, atomically."""

    @abc.abstractmethod
    def _records(self, kind: str) -> list[tuple[str, str, str]]:
        """The (id, at, body) records of *kind*, by time."""

    @abc.abstractmethod
    def close(self) -> None:
        """Release the store's resources."""

    def discard(self) -> None:
        """Close the store and remove it if opening it created it; a store that existed is kept.

        What a command that failed calls, so that it leaves no empty store
        behind: a store kept in files removes the files it created.  By
        default the store is only closed.

        .. versionadded:: 0.1
        """
        self.close()

    def uses_file(self, path: str | Path) -> bool:
        """Whether writing to *path* would overwrite the store's own data (false by default).

        A store kept in files says whether *path* is one of them (links
        included), so that a command refuses to write its output there.

        .. versionadded:: 0.1
        """
        return False

    def _writable(self) -> None:
        """Refuse a write to a store opened read-only."""
        if self.readonly:
            raise StoreError(
                N_("%(store)s: opened read-only; nothing can be written to it"), store=self.url
            )

    # ----------------------------------------------------------------- records

    def put_records(self, kind: str, records: Iterable[Mapping[str, Any]]) -> int:
        """Store records of *kind* (supervision records, evaluations, …), atomically.

        Each record is a JSON object with a string ``id`` (a record with an id
        already stored replaces it) and an ISO 8601 ``at`` with offset.

        Raises:
            StoreError: a record lacks its id or time, or is not JSON; nothing
                is stored.
        """
        self._writable()
        rows = []
        for i, record in enumerate(records):
            rid, at = record.get("id"), record.get("at")
            if not isinstance(rid, str) or not rid:
                raise StoreError(
                    Message(
                        N_(
                            "%(kind)s record %(i)s: field 'id' must be a non-empty string (got "
                            "%(rid)r)"
                        ),
                        {"kind": kind, "i": i, "rid": rid},
                    )
                )
            try:
                stamp = parse_instant(at, what="'at'") if isinstance(at, str) else None
            except CalendarError as e:
                raise StoreError(
                    Message(
                        N_("%(kind)s record %(rid)r: %(e)s"), {"kind": kind, "rid": rid, "e": e}
                    )
                ) from None
            if stamp is None:
                raise StoreError(
                    Message(
                        N_(
                            "%(kind)s record %(rid)r: field 'at' must be an ISO time with offset "
                            "(got %(at)r)"
                        ),
                        {"kind": kind, "rid": rid, "at": at},
                    )
                )
            try:
                body = json.dumps(dict(record), ensure_ascii=False, sort_keys=True)
            except TypeError as e:
                raise StoreError(
                    Message(
                        N_("%(kind)s record %(rid)r: not JSON (%(e)s)"),
                        {"kind": kind, "rid": rid, "e": e},
                    )
                ) from None
            rows.append((rid, stamp.isoformat(), body))
        self._put_records(kind, rows)
        return len(rows)

    def records(self, kind: str) -> list[dict[str, Any]]:
        """The records of *kind*, in time order."""
        return [json.loads(body) for _, _, body in self._records(kind)]

    # ------------------------------------------------------------------ centre

    def centre_record(self) -> dict[str, Any] | None:
        """The centre the store records (``name``, ``region``, ``catalogue``), or ``None``.

        :meth:`ServiceCenter.open_store <govservice.center.ServiceCenter.open_store>`
        records the centre that first opens the store, and checks it after.
        """
        text = self._get_meta("centre")
        return None if text is None else dict(json.loads(text))

    def record_centre(self, record: Mapping[str, Any]) -> None:
        """Record the centre the store belongs to (see :meth:`centre_record`)."""
        self._writable()
        self._set_meta("centre", json.dumps(record, ensure_ascii=False, sort_keys=True))

    # --------------------------------------------------------------- catalogue

    def set_catalogue(self, catalogue: Catalogue) -> None:
        """Store *catalogue*: the matters that events are validated against.

        Raises:
            ModelError: the catalogue lacks a matter (or bundle) that stored
                cases use, naming the first cases and how many there are;
                the stored catalogue is unchanged.
        """
        self._writable()
        with self._write() as tx:
            self._replace_catalogue(tx, catalogue)
        self._clock = None
        self._cache.clear()

    def _replace_catalogue(self, tx: Transaction, catalogue: Catalogue) -> None:
        """Store *catalogue* in the transaction *tx*, refusing one that drops a matter in use."""
        known = {*catalogue.matters, *catalogue.bundles}
        missing = sorted(tx.matters() - known)
        if missing:
            cases = [r.case for m in missing for r in self._case_rows({"matter": m})]
            shown: str | Message = ", ".join(repr(c) for c in cases[:5])
            if len(cases) > 5:
                shown = Message(
                    N_("%(shown)s and %(more)s more"), {"shown": shown, "more": len(cases) - 5}
                )
            raise ModelError(
                Message(N_("catalogue %(source)s"), {"source": catalogue.source or ""}),
                "matters",
                missing,
                Message(
                    N_(
                        "lacks %(matters)s matter(s) that %(cases)s stored case(s) use "
                        "(%(shown)s); a catalogue for this store keeps every matter its cases "
                        "were received for"
                    ),
                    {"matters": len(missing), "cases": len(cases), "shown": shown},
                ),
            )
        doc = json.dumps(catalogue_to_document(catalogue), ensure_ascii=False)
        tx.set_meta("catalogue", doc)
        tx.set_meta("catalogue_source", catalogue.source)

    def catalogue(self) -> Catalogue | None:
        """The stored catalogue, or ``None`` if none was stored yet."""
        doc = self._get_meta("catalogue")
        if doc is None:
            return None
        source = self._get_meta("catalogue_source") or "catalogue"
        return catalogue_from_document(
            json.loads(doc), source=f"{self.url} ({source})", rules=self.context.rules
        )

    @property
    def clock(self) -> Clock:
        """The clock validating appends (the stored catalogue on the context's calendar).

        Raises:
            StoreError: the store has no catalogue yet.
        """
        if self._clock is None:
            catalogue = self.catalogue()
            if catalogue is None:
                raise StoreError(
                    N_(
                        "%(store)s: the store has no catalogue to validate events against; "
                        "store one first (set_catalogue, or --catalogue on the command line)"
                    ),
                    store=self.url,
                )
            self._clock = self.context.clock(catalogue)
        return self._clock

    # ------------------------------------------------------------------ writes

    def append(
        self,
        events: Iterable[Event | Mapping[str, Any]],
        *,
        expected: Mapping[str, int] | None = None,
    ) -> AppendResult:
        """Append a batch of events, atomically.

        Each event is validated against its case's history (the stored events,
        then the earlier events of the batch) exactly as the clock would; an
        event whose id is already stored with the same content is skipped.  An
        event without an ``id`` is given one derived from its content
        (:func:`~govservice.storage.content_id`), so that the same event
        appended again is skipped too.

        Args:
            events: :class:`~govservice.cases.Event` objects or event-format dicts.
            expected: for optimistic concurrency, the version (number of
                events) each case had when the caller read it; an append based
                on a stale view is refused.

        Raises:
            EventError: an event is malformed or refused by its history (its
                ``index`` attribute is its position in the batch); nothing is
                stored.
            ConcurrencyError: a case changed since the caller read it;
                nothing is stored.
        """
        self._writable()
        with _gc_paused():
            batch = [e if isinstance(e, Event) else _from_dict(e, i) for i, e in enumerate(events)]
            with self._write() as tx:
                writer = _Writer(self, tx, self.clock, expected)
                versions = writer.add(batch)
        writer.committed()
        return AppendResult(writer.stored, writer.skipped, versions, len(versions))

    def import_jsonl(
        self,
        path: str | Path,
        *,
        catalogue: Catalogue | None = None,
        progress: Progress = False,
    ) -> AppendResult:
        """Append every event of a JSON Lines file, in one transaction: all or nothing.

        The file is read as it is stored, a batch of lines at a time, so
        memory stays flat however long the file.  A line holding exactly the
        object the store writes for its event, which has an id, is stored as
        it is: its text may differ from the store's own only in the way its
        JSON is written (see :meth:`export_jsonl`).

        Args:
            path: the events file.
            catalogue: a catalogue to store first, in the same transaction
                (see :meth:`set_catalogue`): if the import fails, the stored
                catalogue is unchanged.
            progress: show the lines read (see :mod:`govservice.progress`).

        Raises:
            EventError: naming the file, the line, the case and the reason, for a
                malformed line or an event the history refuses; nothing is stored.
            ModelError: *catalogue* lacks a matter that stored cases use.
        """
        self._writable()
        clock = self.clock if catalogue is None else self.context.clock(catalogue)
        total = _count_lines(path) if progress else 0
        lines: list[int] = []
        try:
            with (
                _gc_paused(),
                self._write() as tx,
                tracker(progress, total, "lines", "import") as step,
            ):
                if catalogue is not None:
                    self._replace_catalogue(tx, catalogue)
                writer = _Writer(self, tx, clock)
                mark = tx.mark()
                chunk: list[Event] = []
                written: list[tuple[str, str]] = []
                done = 0
                for numbers, texts, values, events, as_written in _read_blocks(path):
                    lines += numbers
                    chunk += events
                    written += map(line_body_and_time, texts, values, events, as_written)
                    if len(chunk) >= _IMPORT_CHUNK:
                        writer.add(chunk, written)
                        step(numbers[-1] - done)
                        done = numbers[-1]
                        lines.clear()
                        chunk.clear()
                        written.clear()
                writer.add(chunk, written)
                step(total - done)
                cases = tx.cases_since(mark)
        except EventError as e:
            if e.index is None:  # the file's own error, named as it was read
                raise
            error = EventError(e.case, e.event, e.reason, line=lines[e.index])
            raise error.within(str(path)) from None
        if catalogue is not None:
            self._cache.clear()
            self._clock = clock
        writer.committed()
        return AppendResult(writer.stored, writer.skipped, {}, cases)

    def _current(self, tx: Transaction, case: str, version: int, clock: Clock) -> Case | None:
        """*case* as *tx* sees it at *version* (``None`` at 0), folded by *clock*.

        A working copy of its own for the caller, which may change it in
        place: from the cache of recent cases when *clock* is the store's,
        else from its stored events.
        """
        if version == 0:
            return None
        cached = self._cache.get(case) if clock is self._clock else None
        if cached is not None and len(cached.events) == version:
            return _evolve(cached)  # a copy
        return self._fold(tx.case_events(case), clock)

    def _fold(self, bodies: Iterable[str], clock: Clock | None = None) -> Case:
        """The case whose stored event bodies are *bodies*, folded by *clock* (the store's)."""
        return (clock or self.clock).case(event_from_dict(json.loads(b)) for b in bodies)

    # ------------------------------------------------------------------- reads

    def case_events(self, case: str) -> list[Event]:
        """The events of *case*, in order (empty if unknown)."""
        return [event_from_dict(json.loads(b)) for b in self._read_case(case)]

    def case(self, case: str) -> Case:
        """The folded case.

        Raises:
            KeyError: no such case.
        """
        bodies = self._read_case(case)
        if not bodies:
            raise KeyError(f"no case {case!r} in {self.url}")
        return self._fold(bodies)

    def events(self) -> Iterator[Event]:
        """Every stored event, in the order stored."""
        for body in self._bodies():
            yield event_from_dict(json.loads(body))

    def export_jsonl(self, out: IO[str]) -> int:
        """Write every event as JSON Lines in the event format; return how many.

        Each line is the event's stored text: its object
        (:func:`~govservice.cases.event_to_dict`) as ``json.dumps`` writes
        it with sorted keys and ``ensure_ascii=False``, or, for an event
        imported from a line holding exactly that object, the line as it was
        in the file (the same object, its JSON perhaps written otherwise:
        other spaces, another order of keys, escapes).  Either way each line
        reads to the same object and the same event, and importing the export
        again stores nothing new.
        """
        n = 0
        for body in self._bodies():
            out.write(body + "\n")
            n += 1
        return n

    def cases(
        self,
        *,
        since: date | None = None,
        until: date | None = None,
        unit: str | None = None,
        window: str | None = None,
        matter: str | None = None,
        state: str | CaseState | None = None,
    ) -> list[CaseRow]:
        """Summaries of the cases matching every filter given.

        Args:
            since: received on or after this local date.
            until: received on or before this local date.
            unit: handled by this unit.
            window: received at this window.
            matter: of this matter code.
            state: in this state (a :class:`~govservice.cases.CaseState` or its value).

        Raises:
            ValueError: a state that does not exist (``"opened"``), naming the states.
        """
        if state is not None:
            state = _choice("state", state, CaseState)
        where = {
            k: v
            for k, v in dict(
                since=since, until=until, unit=unit, window=window, matter=matter, state=state
            ).items()
            if v is not None
        }
        return self._case_rows(where)

    def readings(
        self,
        at: datetime | str,
        *,
        alert: str | Alert | None = None,
        open: bool | None = None,
        **filters: Any,
    ) -> list[Reading]:
        """The clock of every case matching *filters* (as :meth:`cases`) at *at*.

        Args:
            at: the instant (aware).
            alert: keep only cases with this alert level (``none``,
                ``reminder``, ``yellow``, ``red``).
            open: ``True`` keeps only the cases still awaiting a decision
                (submitted, awaiting correction, in progress, suspended),
                ``False`` only the others; as the store's summaries have them.
            **filters: as for :meth:`cases`.

        Raises:
            ValueError: an alert level or state that does not exist, naming those that do.
        """
        if alert is not None:
            alert = _choice("alert", alert, Alert)
        if open is not None and not isinstance(open, bool):
            raise ValueError(f"open must be True or False (got {open!r})")
        clock = self.clock
        out = []
        rows = self.cases(**filters)
        if open is not None:
            rows = [row for row in rows if CaseState(row.state).open == open]
        bodies = self._read_cases([row.case for row in rows])
        for events in bodies.values():
            case = self._fold(events)
            reading = clock.reading(case, at)
            if alert is None or reading.alert.value == alert:
                out.append(reading)
        return out

    def event_columns(
        self, *, until: date | None = None, changed_since: date | None = None
    ) -> EventColumns:
        """The events as NumPy columns, by case, for the batch clock and statistics.

        Every case's, or those a period needs (see
        :meth:`CaseTable.from_store <govservice.cases.table.CaseTable.from_store>`):

        Args:
            until: only the cases received on or before this local date.
            changed_since: without the closed cases (delivered, rejected or
                withdrawn) whose last event is before this local date.  A backend
                may keep some whose last event falls up to two days before (it
                compares the date of the event's own ISO text, whatever its
                offset): a few more cases, never one fewer.
        """
        from govservice.storage.columns import event_columns

        where = {"until": until, "changed_since": changed_since}
        with _gc_paused():  # a row per case: a million of them for a large centre's half year
            return event_columns(self, {k: v for k, v in where.items() if v is not None})

    def check(self, *, progress: Progress = False) -> CheckReport:
        """Replay every case: each must fold cleanly and match its summary.

        The cases are read one at a time, so memory stays flat however large
        the store.

        Args:
            progress: show the cases checked (see :mod:`govservice.progress`).
        """
        problems: list[str] = []
        cases = events = 0
        actors = self._actor_index()
        summaries = self._summary_states()
        pending = next(summaries, None)
        with tracker(progress, self._case_count(), "cases", "check") as step:
            for cid, bodies in self._case_bodies():
                while pending is not None and pending[0] < cid:
                    problems.append(f"case {pending[0]!r}: a summary without events")
                    pending = next(summaries, None)
                row = pending if pending is not None and pending[0] == cid else None
                if row is not None:
                    pending = next(summaries, None)
                cases += 1
                events += len(bodies)
                step()
                folded = []
                for body in bodies:
                    try:
                        folded.append(event_from_dict(json.loads(body)))
                    except (EventError, ValueError) as e:
                        problems.append(f"unreadable event: {e}")
                try:
                    case = self.clock.case(folded)
                except EventError as e:
                    problems.append(str(e))
                    continue
                if row is None or row[1] != len(folded) or row[2] != case.state.value:
                    problems.append(
                        f"case {cid!r}: summary does not match its {len(folded)} events"
                    )
                elif row[3] is not None and row[3] != _packed_or_none(folded, actors):
                    problems.append(
                        f"case {cid!r}: its packed event columns do not match its "
                        f"{len(folded)} events"
                    )
        while pending is not None:
            problems.append(f"case {pending[0]!r}: a summary without events")
            pending = next(summaries, None)
        problems.extend(self._integrity())
        return CheckReport(cases, events, tuple(problems))

    @abc.abstractmethod
    def _case_bodies(self) -> Iterator[tuple[str, list[str]]]:
        """Each case and its stored bodies in order, cases by id (in code point order)."""

    @abc.abstractmethod
    def _summary_states(self) -> Iterator[tuple[str, int, str, bytes | None]]:
        """Each case summary's (case, version, state, packed events), by case id.

        In code point order; the packed events ``None`` where the backend does not keep them.
        """

    def _packed_cases(self, where: Mapping[str, Any]) -> list[tuple[str, str, bytes]] | None:
        """Each case's (id, matter, packed events) in order received: those matching *where*.

        *where* as :func:`sql_where`'s (``{}``: every case).

        ``None`` where the backend does not keep packed events (see
        :attr:`Transaction.keeps_columns`); the actors they name are :meth:`_actor_index`'s.

        .. versionadded:: 0.1
        """
        return None

    def _actor_index(self) -> dict[str, int]:
        """The store's table of actors, each with its index (empty if not kept).

        .. versionadded:: 0.1
        """
        return {}

    @abc.abstractmethod
    def _case_count(self) -> int:
        """The number of case summaries."""

    def _integrity(self) -> list[str]:
        """Backend-level integrity problems (none by default)."""
        return []


class _Writer:
    """The appends of one write transaction: validated, then written, a batch at a time.

    Each batch is validated against its cases' histories — the cases folded
    so far in this transaction, else the store's cache of committed cases,
    else the events stored (earlier batches included: the transaction sees
    its own writes) — and its events and case summaries are written before
    the next batch is read.  The cases folded here join the store's cache
    only once the transaction has committed (:meth:`committed`).
    """

    def __init__(
        self,
        store: EventStore,
        tx: Transaction,
        clock: Clock,
        expected: Mapping[str, int] | None = None,
    ) -> None:
        self.store, self.tx, self.clock, self.expected = store, tx, clock, expected
        self.tz = clock.calendar.timezone
        self.matters = clock.catalogue.matters
        # the cases folded here, most recent last: each at its version, len(case.events)
        self.cases: OrderedDict[str, Case] = OrderedDict()
        self.stored = 0
        self.skipped = 0
        self.actors: dict[str, int] = {}  # actors added to the store's table in this transaction

    def add(
        self, batch: Sequence[Event], written: Sequence[tuple[str, str]] | None = None
    ) -> dict[str, int]:
        """Validate and write *batch*: each case appended to, with its version after.

        *written* is each event's body and time if known (else :func:`body_and_time`'s).
        An error's ``index`` is its position in *batch*.
        """
        if not batch:
            return {}
        tx, store, clock, cases = self.tx, self.store, self.clock, self.cases
        fold = clock._append_in_place  # on the writer's own copies (see _current)
        if written is None:
            written = list(map(body_and_time, batch))
        ids = [
            e.id if e.id is not None else content_id(w[0])
            for e, w in zip(batch, written, strict=True)
        ]
        stored_ids = tx.body_of(ids)
        new = [c for c in dict.fromkeys([e.case for e in batch]) if c not in cases]
        stored_versions = tx.versions(new) if new else {}
        expected = self.expected
        versions: dict[str, int] = {}
        seen_ids: dict[str, str] = {}
        touched: dict[str, str] = {}  # each case appended to, with its last time
        rows: list[tuple[str | None, str, int, str, str, str]] = []
        for i, (event, (body, at), eid) in enumerate(zip(batch, written, ids, strict=True)):
            if eid in seen_ids or eid in stored_ids:
                if not _same_event(seen_ids.get(eid) or stored_ids[eid], body):
                    reason = N_("this event id is already used by a different event")
                    raise _indexed(EventError(event.case, event.label, reason), i)
                self.skipped += 1
                continue
            seen_ids[eid] = body
            cid = event.case
            case = cases.get(cid)
            if cid not in versions:
                if case is not None:  # folded in an earlier batch of this transaction
                    version = len(case.events)
                else:
                    version = stored_versions[cid]
                    case = store._current(tx, cid, version, clock)
                    if case is not None:
                        cases[cid] = case
                versions[cid] = version
                if expected is not None and cid in expected and expected[cid] != version:
                    raise ConcurrencyError(cid, expected[cid], version)
            try:
                folded = fold(case, event)
            except EventError as e:
                raise _indexed(e, i) from None
            if folded is not case:  # a new case (else changed in place)
                cases[cid] = folded
            version = versions[cid] = versions[cid] + 1
            rows.append((eid, cid, version, event.type, at, body))
            touched[cid] = at
        for cid in touched:  # the cases appended to, most recent last (by their first event)
            cases.move_to_end(cid)
        if rows:
            tx.insert(rows)
            tx.upsert_cases(
                [self._summary(cases[c], versions[c], at) for c, at in touched.items()],
                self._packs([cases[c] for c in touched]) if tx.keeps_columns else None,
            )
            self.stored += len(rows)
        while len(cases) > _CASE_CACHE_SIZE:
            cases.popitem(last=False)
        return versions

    def _summary(self, case: Case, version: int, last_at: str) -> CaseRow:
        """The summary row of *case*; *last_at* is ``case.last_at.isoformat()``."""
        matter = self.matters.get(case.matter)
        return CaseRow(  # in field order: a call by keyword costs half as much again
            case.id,
            version,
            case.matter,
            matter.unit if matter else None,
            case.events[0].by,  # the window that received it
            case.state._value_,  # its value, without the property's cost (a row per case)
            case.submitted_at.astimezone(self.tz).date(),
            last_at,
        )

    def _packs(self, folded: Sequence[Case]) -> list[bytes]:
        """The events of each of *folded* cases packed (``govservice.storage._packed``).

        Actors new to the store are added to its table of actors, in the
        transaction; they join the store's cache of actors once it commits.
        """
        known, new = self.store._actors, self.actors
        missing = {
            e.by
            for case in folded
            for e in case.events
            if e.by is not None and e.by not in known and e.by not in new
        }
        if missing:
            new.update(self.tx.actor_ids(missing))
        ids = known | new if new else known
        return [pack(case.events, ids) for case in folded]

    def committed(self) -> None:
        """After the commit: the cases folded here join the store's cache of recent cases."""
        cache = self.store._cache
        with self.store._cache_lock:
            self.store._actors.update(self.actors)
            for cid, case in self.cases.items():
                cache[cid] = case
                cache.move_to_end(cid)
            while len(cache) > _CASE_CACHE_SIZE:
                cache.popitem(last=False)


def _same_event(body: str, other: str) -> bool:
    """Whether two stored bodies are of the same event.

    Equal texts are; others when they read to the same event's written body
    (an imported line may be written otherwise: see ``line_body_and_time``).
    """
    return body == other or _written(body) == _written(other)


def _written(body: str) -> str:
    """The body :func:`body_and_time` writes for the event of a stored *body*."""
    return body_and_time(event_from_dict(json.loads(body)))[0]


def _packed_or_none(events: Sequence[Event], actors: Mapping[str, int]) -> bytes | None:
    """*events* packed, or ``None`` when an actor is missing from *actors*."""
    try:
        return pack(events, actors)
    except KeyError:
        return None


def _count_lines(path: str | Path) -> int:
    """The number of lines of the file at *path*, read in blocks."""
    n, last = 0, b"\n"
    with open(path, "rb") as f:
        while block := f.read(1 << 20):
            n += block.count(b"\n")
            last = block[-1:]
    return n + (last != b"\n")  # a last line without its newline counts too


# the states after which a case changes no figure until another event comes; not
# ``decided``: the decision awaits delivery, whose clock runs
_CLOSED_STATES = frozenset({CaseState.DELIVERED, CaseState.REJECTED, CaseState.WITHDRAWN})


def _changed_since_mark(day: date) -> str:
    """The ``last_at`` text at or after which a case may have changed on or after *day*.

    ``last_at`` is an event's ISO text in its own offset, whose local date
    differs from the store's by less than two days (offsets lie within ±24
    hours): its date part compared with *day* two days earlier keeps every case
    whose last event is on or after *day* in the store's timezone.  The texts
    compare as their dates do, byte by byte and in the usual collations alike:
    four-digit years, digits and hyphens at the same places.
    """
    return (day - timedelta(days=2)).isoformat()


def sql_where(where: Mapping[str, Any], mark: str) -> tuple[str, list[Any]]:
    """The ``WHERE`` clause of a case query for a SQL backend, and its arguments.

    *mark* is the driver's placeholder (``?`` for sqlite3, ``%s`` for psycopg).
    Besides the columns: ``since`` and ``until`` bound the date received, and
    ``changed_since`` leaves out the closed cases (delivered, rejected, withdrawn)
    whose last event is before that date (two days of margin for the offsets).
    """
    clauses, args = [], []
    closed = ", ".join(sorted(f"'{s.value}'" for s in _CLOSED_STATES))
    for key, value in where.items():
        if key == "since":
            clauses.append(f"submitted_on >= {mark}")
        elif key == "until":
            clauses.append(f"submitted_on <= {mark}")
        elif key == "changed_since":
            clauses.append(f"(state NOT IN ({closed}) OR last_at >= {mark})")
            value = _changed_since_mark(value)
        else:
            clauses.append(f'"{key}" = {mark}')
        args.append(value)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), args


def _choice(name: str, value: str | enum.Enum, kind: type[enum.Enum]) -> str:
    """The value of a filter that must be one of *kind*'s, refused with the known ones."""
    known = [member.value for member in kind]
    given = value.value if isinstance(value, kind) else value
    if given not in known:
        raise ValueError(f"no {name} {given!r}: known {name}s are {', '.join(known)}")
    return str(given)


def _from_dict(value: Mapping[str, Any], index: int) -> Event:
    """The event of an event-format dict, an error naming its *index* in the batch."""
    try:
        return event_from_dict(value)
    except EventError as e:
        raise _indexed(e, index) from None


def _indexed(error: EventError, index: int) -> EventError:
    error.index = index
    return error
