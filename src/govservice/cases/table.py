"""Cases as columns, with where and by whom they were handled: for statistics and assessment.

.. versionadded:: 0.1
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
import numpy.typing as npt

from govservice.cases.batch import EVENT_CODES, CaseFacts
from govservice.cases.clock import Case, Clock

if TYPE_CHECKING:
    from govservice.storage import EventStore

__all__ = ["CaseTable"]


def _handlers(
    first_by: npt.NDArray[Any],
    staff: npt.NDArray[Any],
    catalogue_staff: dict[str, str],
    windows: set[str],
) -> npt.NDArray[Any]:
    """The window that handled each case: its staff member's, else the receiving one."""
    return np.array(
        [
            catalogue_staff.get(s) or (w if w in windows else "")
            for s, w in zip(staff, first_by, strict=True)
        ],
        dtype=object,
    )


@attrs.frozen(eq=False)
class CaseTable:
    """Cases ready for statistics: their clock facts and where they were handled.

    Attributes:
        facts: the clock facts, one row per case.
        window: the window that received each case (``""`` when unknown).
        staff: the staff member who handled it: the last to act among the
            catalogue's staff (``""`` when none did).
        handler_window: the window that handled it: its staff member's, else the
            one that received it if that is a catalogue window.
        evaluated_on: the date of each case's 好差评 evaluation (``NaT`` if none).
        level: its level (0 if none).

    .. versionadded:: 0.1
    """

    facts: CaseFacts
    window: npt.NDArray[Any]
    staff: npt.NDArray[Any]
    handler_window: npt.NDArray[Any]
    evaluated_on: npt.NDArray[np.datetime64]
    level: npt.NDArray[np.int8]

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
        staff = np.array(
            [next((e.by for e in reversed(c.events) if e.by in known), "") for c in cases],
            dtype=object,
        )
        handler = _handlers(window, staff, known, set(clock.catalogue.windows))
        return cls(facts, window, staff, handler, evaluated_on, level)

    @classmethod
    def from_store(cls, store: EventStore) -> CaseTable:
        """Build the table from every case of *store*, folded with NumPy.

        The store gives its events as columns (``store.event_columns()``), which
        ``CaseFacts.from_event_columns`` folds without a Python loop.
        """
        cols = store.event_columns()
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
        staff = np.full(len(cols.case), "", dtype=object)
        by_staff = np.fromiter((b in known for b in cols.event_by), bool, len(cols.event_by))
        acted = np.flatnonzero(by_staff)  # in order: the last wins
        staff[cols.event_row[acted]] = cols.event_by[acted]
        handler = _handlers(cols.window, staff, known, set(catalogue.windows))
        return cls(facts, cols.window, staff, handler, evaluated_on, level)

    def __len__(self) -> int:
        return len(self.facts)
