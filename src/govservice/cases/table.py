"""Cases as columns, with where and by whom they were handled: for statistics and assessment.

.. versionadded:: 0.1
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
import numpy.typing as npt

from govservice.cases.batch import EVENT_CODES, BatchReading, CaseFacts, read_batch
from govservice.cases.clock import Case, Clock
from govservice.cases.late import Lateness, lateness

if TYPE_CHECKING:
    from govservice.storage import EventStore

__all__ = ["CaseTable"]


_DECIDED = EVENT_CODES["decided"]


@attrs.frozen(eq=False)
class CaseTable:
    """Cases ready for statistics: their clock facts and who acted on them, when.

    **Read as of an instant**, the end of a period
    (:meth:`Period.end_instant <govservice.assessment.Period.end_instant>`): the
    events before it count, not one at it.

    **Who handled a case** (one rule for statistics, assessment and report),
    as of an instant (:meth:`handled_by`): the staff member who decided it;
    while undecided, the last of the catalogue's staff to act on it so far.
    The window that handled it is that staff member's window, else the window
    that received it when that is a catalogue window.

    Attributes:
        facts: the clock facts, one row per case.
        window: the window that received each case (``""`` when unknown).
        act_row: each act by a catalogue staff member: its case, a row of *facts*;
            in order of the events within each case.
        act_at: each act's instant (UTC, ``datetime64[us]``).
        act_by: each act's staff member.
        act_decides: the act is the decision.
        staff_windows: each catalogue staff member's window.
        windows: the catalogue's windows.
        evaluated_on: the date of each case's 好差评 evaluation (``NaT`` if none).
        level: its level (0 if none).

    .. versionadded:: 0.1
    """

    facts: CaseFacts
    window: npt.NDArray[Any]
    act_row: npt.NDArray[np.int64]
    act_at: npt.NDArray[np.datetime64]
    act_by: npt.NDArray[Any]
    act_decides: npt.NDArray[np.bool_]
    staff_windows: Mapping[str, str]
    windows: frozenset[str]
    evaluated_on: npt.NDArray[np.datetime64]
    level: npt.NDArray[np.int8]

    _cache: dict[Any, Any] = attrs.field(factory=dict, init=False, repr=False)

    def _coded(self) -> tuple[npt.NDArray[Any], npt.NDArray[np.int32], npt.NDArray[Any]]:
        """The staff as integer codes: (names, each act's code, each code's window); 0 is none."""
        if "coded" not in self._cache:
            names, act_code = np.unique(self.act_by.astype(str), return_inverse=True)
            staff = np.array(["", *names.tolist()], dtype=object)
            windows = np.array([self.staff_windows.get(str(c), "") for c in staff], dtype=object)
            self._cache["coded"] = (staff, act_code.reshape(-1).astype(np.int32) + 1, windows)
        out: tuple[npt.NDArray[Any], npt.NDArray[np.int32], npt.NDArray[Any]]
        out = self._cache["coded"]
        return out

    def handled_by(self, at: datetime) -> tuple[npt.NDArray[Any], npt.NDArray[Any]]:
        """Who handled each case as of instant *at*: (staff, window), ``""`` for none.

        Only acts before *at* count, so a closed month reads the same
        however many later events the store holds.
        """
        t = np.datetime64(at.astimezone(UTC).replace(tzinfo=None), "us")
        key = ("handled_by", t)
        if key not in self._cache:
            names, act_code, windows = self._coded()
            seen = self.act_at < t
            code = np.zeros(len(self.facts), dtype=np.int32)
            acted = np.flatnonzero(seen)  # in order: the last wins
            code[self.act_row[acted]] = act_code[acted]
            decided = np.flatnonzero(seen & self.act_decides)
            code[self.act_row[decided]] = act_code[decided]
            if "received" not in self._cache:  # the window that received it, if a catalogue's
                received = np.isin(self.window.astype(str), sorted(self.windows))
                self._cache["received"] = np.where(received, self.window, "")
            window = np.where(code == 0, self._cache["received"], windows[code])
            for old in [k for k in self._cache if k[0] == "handled_by"][:-3]:
                del self._cache[old]  # a few instants kept: the months of a report
            self._cache[key] = (names[code], window)
        out: tuple[npt.NDArray[Any], npt.NDArray[Any]] = self._cache[key]
        return out

    def read(self, clock: Clock, at: datetime) -> BatchReading:
        """The cases' clocks as of instant *at*: :func:`~govservice.cases.read_batch`, ``before``.

        The two most recent readings are kept with their lateness
        (:meth:`lateness`), and of every reading the open cases, the late ones
        and the alerts (:meth:`status`), so a report and its monthly
        assessments read each month's end once.
        """
        key = ("read", id(clock), at)
        if key not in self._cache:
            reading = read_batch(clock, self.facts, at, before=True)
            for old in [k for k in self._cache if k[0] == "read"][:-1]:
                del self._cache[old], self._cache[("late", *old[1:])]
            self._cache[key] = reading
            late = self._cache[("late", id(clock), at)] = lateness(reading, clock.calendar)
            self._cache[("status", id(clock), at)] = (reading.open, late.late, reading.alert)
        out: BatchReading = self._cache[key]
        return out

    def lateness(self, clock: Clock, at: datetime) -> Lateness:
        """The lateness of the cases at instant *at* (:func:`~govservice.cases.late.lateness`).

        .. versionadded:: 0.1
        """
        self.read(clock, at)
        out: Lateness = self._cache[("late", id(clock), at)]
        return out

    def status(
        self, clock: Clock, at: datetime
    ) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_], npt.NDArray[np.int8]]:
        """Which cases are open and which late at instant *at*, and their alerts."""
        key = ("status", id(clock), at)
        if key not in self._cache:
            self.read(clock, at)
        out: tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_], npt.NDArray[np.int8]]
        out = self._cache[key]
        return out

    @classmethod
    def from_cases(cls, cases: Iterable[Case], clock: Clock) -> CaseTable:
        """Build the table from folded cases."""
        cases = list(cases)
        tz = clock.calendar.timezone
        facts = CaseFacts.from_cases(cases, tz)
        window = np.array([c.events[0].by or "" for c in cases], dtype=object)
        evaluated_on = np.array(
            [
                np.datetime64(c.evaluation.at.astimezone(tz).date(), "D")
                if c.evaluation
                else np.datetime64("NaT", "D")
                for c in cases
            ],
            dtype="datetime64[D]",
        )
        level = np.array([c.evaluation.level if c.evaluation else 0 for c in cases], dtype=np.int8)
        known = {s.code: s.window for s in clock.catalogue.staff.values()}
        acts = [(k, e) for k, c in enumerate(cases) for e in c.events if e.by in known]
        return cls(
            facts,
            window,
            np.array([k for k, _ in acts], dtype=np.int64),
            np.array(
                [e.at.astimezone(UTC).replace(tzinfo=None) for _, e in acts],
                dtype="datetime64[us]",
            ),
            np.array([e.by for _, e in acts], dtype=object),
            np.array([e.type == "decided" for _, e in acts], dtype=np.bool_),
            known,
            frozenset(clock.catalogue.windows),
            evaluated_on,
            level,
        )

    @classmethod
    def from_store(
        cls, store: EventStore, *, until: date | None = None, changed_since: date | None = None
    ) -> CaseTable:
        """Build the table from the cases of *store*, folded with NumPy.

        The store gives its events as columns
        (:meth:`~govservice.storage.EventStore.event_columns`), which
        ``CaseFacts.from_event_columns`` folds without a Python loop.

        Every case by default.  A period's assessment or report reads only the
        cases it needs (:func:`~govservice.assessment.period_table`):

        Args:
            store: the store.
            until: only the cases received on or before this local date.
            changed_since: without the closed cases (delivered, rejected or
                withdrawn) whose last event is before this local date.
        """
        cols = store.event_columns(until=until, changed_since=changed_since)
        facts = CaseFacts.from_event_columns(
            cols.case,
            cols.matter,
            event_row=cols.event_row,
            event_type=cols.event_type,
            event_on=cols.event_on,
            event_at=cols.event_at,
            event_amount=cols.event_amount,
            matter_codes=cols.matter_codes,
        )
        evaluated = cols.event_type == EVENT_CODES["evaluated"]
        evaluated_on = np.full(len(cols.case), np.datetime64("NaT", "D"))
        level = np.zeros(len(cols.case), dtype=np.int8)
        evaluated_on[cols.event_row[evaluated]] = cols.event_on[evaluated]
        level[cols.event_row[evaluated]] = cols.event_amount[evaluated]
        catalogue = store.clock.catalogue
        known = {s.code: s.window for s in catalogue.staff.values()}
        names = np.array(cols.actors, dtype=object)
        is_staff = np.array([b in known for b in cols.actors], dtype=np.bool_)
        acted = np.flatnonzero(is_staff[cols.event_actor])
        act_code = cols.event_actor[acted]
        table = cls(
            facts,
            cols.window,
            cols.event_row[acted].astype(np.int64),
            cols.event_at[acted],
            names[act_code],
            cols.event_type[acted] == _DECIDED,
            known,
            frozenset(catalogue.windows),
            evaluated_on,
            level,
        )
        # the staff already as codes: the actors' (a code that acts is a staff member's)
        windows = np.array([known.get(b, "") for b in cols.actors], dtype=object)
        table._cache["coded"] = (names, act_code, windows)
        is_window = np.array([b in catalogue.windows for b in cols.actors], dtype=np.bool_)
        received = cols.event_actor[np.searchsorted(cols.event_row, np.arange(len(cols.case)))]
        table._cache["received"] = np.where(is_window[received], cols.window, "")
        return table
