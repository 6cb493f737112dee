"""Cases: events, the case fold and the statutory clock.

Example:
    >>> from govservice.cases import Clock, event_from_dict
    >>> e = event_from_dict({"case": "C1", "type": "accepted", "at": "2026-09-30T10:00:00+08:00"})
    >>> e.type, e.at.isoformat()
    ('accepted', '2026-09-30T10:00:00+08:00')

.. versionadded:: 0.1
"""

from __future__ import annotations

from govservice.cases.alerts import Alert, AlertPolicy
from govservice.cases.applicants import Applicant, ApplicantError
from govservice.cases.batch import (
    EVENT_CODES,
    NOT_SUBMITTED,
    STATE_CODES,
    BatchReading,
    CaseFacts,
    event_amount,
    read_batch,
)
from govservice.cases.clock import Case, CaseState, Clock, Reading, Suspension
from govservice.cases.events import (
    EVENT_TYPES,
    MAX_LINE,
    SUSPENSION_REASONS,
    Accepted,
    CorrectionReceived,
    CorrectionRequested,
    Decided,
    Delivered,
    Evaluated,
    Event,
    EventError,
    Extended,
    HearingHeld,
    HearingRequested,
    ProcedureChanged,
    Rejected,
    Renewal,
    Resumed,
    Submitted,
    Suspended,
    Withdrawn,
    event_from_dict,
    event_to_dict,
    events_to_jsonl,
    read_jsonl,
)

__all__ = [
    "EVENT_CODES",
    "EVENT_TYPES",
    "MAX_LINE",
    "NOT_SUBMITTED",
    "STATE_CODES",
    "SUSPENSION_REASONS",
    "Accepted",
    "Alert",
    "AlertPolicy",
    "Applicant",
    "ApplicantError",
    "BatchReading",
    "Case",
    "CaseFacts",
    "CaseState",
    "Clock",
    "CorrectionReceived",
    "CorrectionRequested",
    "Decided",
    "Delivered",
    "Evaluated",
    "Event",
    "EventError",
    "Extended",
    "HearingHeld",
    "HearingRequested",
    "ProcedureChanged",
    "Reading",
    "Rejected",
    "Renewal",
    "Resumed",
    "Submitted",
    "Suspended",
    "Suspension",
    "Withdrawn",
    "event_amount",
    "event_from_dict",
    "event_to_dict",
    "events_to_jsonl",
    "read_batch",
    "read_jsonl",
]
