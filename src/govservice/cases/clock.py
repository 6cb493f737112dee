"""The case fold and the statutory clock.

A :class:`Case` is the fold of its events, validated one by one against its
history and its time-limit rule.  A :class:`Clock` holds what counting needs
(the catalogue with its rules, the working-day calendar, the opening hours and
the alert policy) and answers, for a case at any aware instant, the
:class:`Reading`: acceptance (with 行政许可法 Art. 32's deemed acceptance),
deadlines under the law and the promise, working days used and paused,
extensions, state, timeliness and the alert level.

Only events at or before the instant are considered, so adding a later event
never changes an earlier reading.

A case runs several clocks, each from its own start event under its own rule
(DESIGN.md, "several clocks"): acceptance (from ``submitted``), decision (from
acceptance, or deemed acceptance), delivery (行政许可法 Art. 44: from an
approving ``decided`` to ``delivered``), hearing (Art. 47: from
``hearing_requested`` to ``hearing_held``) and renewal (Art. 50: to the
licence's expiry, given on ``submitted`` as ``renewal_of``).  A reading
reports each clock that applies; its alert watches every running clock.

Counting (DESIGN.md, "Time"):

* a limit of N working days from day D ends on the N-th working day after D,
  D not counted (行政许可法 Art. 82);
* a suspension from day s to day r takes the working days w with s < w <= r
  out of the count, for the statutory and the promised limit alike (Art. 45;
  政府信息公开条例 Art. 32–33); while it lasts, the deadlines move day by day;
* a limit in calendar days that ends on a day off ends on the next working day;
* a limit in working hours counts opening hours only;
* statutory limits count on the statutory calendar (national data and lawful
  local days), promised limits on the county's promised calendar (which also
  counts the hall days the county says count for its promises): see
  :class:`~govservice.calendars.AdjustmentKind`.
"""

from __future__ import annotations

import enum
import operator
from collections.abc import Callable, Iterable
from datetime import date, datetime, time, timedelta
from typing import Any, NamedTuple

import attrs

from govservice.calendars import OpeningHours, WorkingDayCalendar, WorkingHours
from govservice.calendars.instants import InstantLike, parse_instant
from govservice.cases.alerts import Alert, AlertPolicy
from govservice.cases.applicants import Applicant
from govservice.cases.events import (
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
)
from govservice.exceptions import N_, Message
from govservice.model import Catalogue, LimitUnit, TimeLimit, TimeLimitRule

__all__ = ["Case", "CaseState", "Clock", "Reading", "Suspension", "limit_in_force", "limits_of"]


def limits_of(catalogue: Catalogue, code: str) -> tuple[TimeLimit, TimeLimit | None] | None:
    """The statutory and promised limits of a matter or bundle; ``None`` if unknown.

    A bundle (一件事) has its combined limit and no separate promise.

    .. versionadded:: 0.1
    """
    if code in catalogue.bundles:
        return catalogue.bundles[code].limit, None
    if code in catalogue.matters:
        m = catalogue.matters[code]
        return m.statutory, m.promised
    return None


def limit_in_force(stated: TimeLimit, rule: TimeLimitRule, latest: TimeLimitRule) -> TimeLimit:
    """The statutory limit a case counts: the matter's own, or an earlier law's.

    A catalogue states its matters' limits as the law stands now.  A case
    received under an earlier version of the rule counts that version's limit
    when the catalogue merely restates the current default — OGI requests
    received before 15 May 2019 have 15 working days, not 20 (政府信息公开条例
    2007, old Art. 24).  A matter whose stated limit differs from the current
    default ("other laws may set other limits", 行政许可法 Art. 42) keeps its own.

    .. versionadded:: 0.1
    """
    restated = stated.amount == latest.limit.amount and stated.unit is latest.limit.unit
    if rule is not latest and restated:
        return attrs.evolve(stated, amount=rule.limit.amount, unit=rule.limit.unit)
    return stated


class CaseState(enum.Enum):
    """Where a case stands.

    .. versionadded:: 0.1
    """

    SUBMITTED = "submitted"
    """Received, not yet accepted (the acceptance clock runs)."""
    AWAITING_CORRECTION = "awaiting_correction"
    """Corrections were requested and have not arrived."""
    IN_PROGRESS = "in_progress"
    """Accepted (or deemed accepted); the decision clocks run."""
    SUSPENDED = "suspended"
    """A special procedure stops the clocks."""
    DECIDED = "decided"
    """Decided; awaiting delivery."""
    DELIVERED = "delivered"
    """Decided and delivered."""
    REJECTED = "rejected"
    """Not accepted."""
    WITHDRAWN = "withdrawn"
    """Withdrawn by the applicant."""

    # members are singletons equal only to themselves: the identity's hash will do, in C
    # (Enum's own hashes the name in Python, and the fold looks a state up for every event)
    __hash__ = object.__hash__

    @property
    def open(self) -> bool:
        """Whether the case still awaits a decision."""
        return self in _OPEN


_STATE_NAMES: dict[CaseState, str] = {
    CaseState.SUBMITTED: N_("submitted"),
    CaseState.AWAITING_CORRECTION: N_("awaiting_correction"),
    CaseState.IN_PROGRESS: N_("in_progress"),
    CaseState.SUSPENDED: N_("suspended"),
    CaseState.DECIDED: N_("decided"),
    CaseState.DELIVERED: N_("delivered"),
    CaseState.REJECTED: N_("rejected"),
    CaseState.WITHDRAWN: N_("withdrawn"),
}
"""Each state as messages name it (its value), marked for the catalog."""


_OPEN = frozenset(
    {
        CaseState.SUBMITTED,
        CaseState.AWAITING_CORRECTION,
        CaseState.IN_PROGRESS,
        CaseState.SUSPENDED,
    }
)


@attrs.frozen
class Suspension:
    """One stop of the clocks.

    Attributes:
        start: when the suspension began.
        end: when counting resumed, or ``None`` while it lasts.
        reason: why (e.g. ``expert_review``).
    """

    start: datetime
    end: datetime | None
    reason: str


@attrs.frozen
class Case:
    """A case: its events, folded and validated.

    Build cases with :meth:`Clock.case` or :meth:`Clock.append`, which
    validate each event against the history; this class holds the result.

    Attributes:
        id: the case id.
        matter: the matter (or bundle) code.
        applicant: who applied.
        channel: how the application arrived.
        rule: the statutory time-limit rule in force when the case was received
            (or accepted, for a rule whose version goes by acceptance).
        statutory: the statutory limit.
        promised: the promised limit, if any.
        events: every event, in order.
        state: the state after the last event.
        submitted_at: when the materials arrived; the other ``*_at`` fields are
            the instants of the events a case has at most once.
        outcome: the decision's outcome, ``approved`` or ``denied``.
        suspensions: the stops of the decision clocks, a hearing's included.
        extended_by: the extensions granted, in the unit of the statutory limit.
        evaluation: the 好差评 evaluation, if any.
        renewal_of: the licence a renewal application renews (Art. 50).
        hearing_requested_at: when a hearing was requested (Art. 47).
        hearing_held_at: when it was held.
        simplified_at: when a reconsideration changed to the simplified procedure.
        ordinary_at: when it changed back to the ordinary procedure.
        delivery_rule: the rule of the delivery clock, if the case has one.
        hearing_rule: the rule of the hearing clock, if a hearing is possible.
        renewal_rule: the rule of the renewal clock, if a renewal is possible.
        simplified_rule: the rule of the simplified procedure, if it has one.

    .. versionadded:: 0.1
    """

    id: str
    matter: str
    applicant: Applicant
    channel: str
    rule: TimeLimitRule
    statutory: TimeLimit
    promised: TimeLimit | None
    events: tuple[Event, ...]
    state: CaseState
    submitted_at: datetime
    correction_requested_at: datetime | None = None
    correction_received_at: datetime | None = None
    accepted_at: datetime | None = None
    rejected_at: datetime | None = None
    decided_at: datetime | None = None
    outcome: str | None = None
    delivered_at: datetime | None = None
    withdrawn_at: datetime | None = None
    suspensions: tuple[Suspension, ...] = ()
    extended_by: int = 0
    evaluation: Evaluated | None = None
    renewal_of: Renewal | None = None
    hearing_requested_at: datetime | None = None
    hearing_held_at: datetime | None = None
    simplified_at: datetime | None = None
    ordinary_at: datetime | None = None
    delivery_rule: TimeLimitRule | None = None
    hearing_rule: TimeLimitRule | None = None
    renewal_rule: TimeLimitRule | None = None
    simplified_rule: TimeLimitRule | None = None

    @property
    def last_at(self) -> datetime:
        """The time of the last event."""
        return self.events[-1].at

    @property
    def simplified(self) -> bool:
        """Whether the case is under the simplified procedure after its last event."""
        return self.simplified_at is not None and self.ordinary_at is None

    @property
    def decision_rule(self) -> TimeLimitRule:
        """The rule of the decision clock (the simplified procedure's, else the case's rule)."""
        if self.simplified and self.simplified_rule is not None:
            return self.simplified_rule
        return self.rule

    @property
    def decision_limit(self) -> TimeLimit:
        """The statutory limit the decision clock counts (the simplified one when simplified)."""
        if self.simplified and self.simplified_rule is not None:
            return self.simplified_rule.limit
        return self.statutory


_CASE_FIELDS = tuple(a.name for a in attrs.fields(Case))
_CASE_INDEX = {name: i for i, name in enumerate(_CASE_FIELDS)}
_case_values = operator.attrgetter(*_CASE_FIELDS)


_set = object.__setattr__
"""How :meth:`Clock._append_in_place` changes a working copy (as attrs' ``__init__`` does)."""


def _evolve(case: Case, **changes: Any) -> Case:
    """``attrs.evolve(case, **changes)``, at half the cost (the fold's hot path).

    :class:`Case` has no converters or validators, so building it from its
    values in field order is what :func:`attrs.evolve` does.
    """
    values = list(_case_values(case))
    for name, value in changes.items():
        values[_CASE_INDEX[name]] = value
    return Case(*values)


@attrs.frozen
class Reading:
    """A case's clock at an instant.

    Attributes:
        case: the case id.
        matter: the matter (or bundle) code.
        at: the instant read.
        state: the case's state at that instant.
        submitted_on: the local date the materials arrived.
        accepted_on: the date the decision clock counts from acceptance
            (the submission date when acceptance is deemed), or ``None``.
        deemed_accepted: True when 行政许可法 Art. 32 deems the case accepted on
            the day the materials arrived.
        counting_from: the day the decision clocks count from (not itself
            counted), or ``None`` while they have not started.
        statutory_deadline: the last day of the statutory limit.
        promised_deadline: the last day of the promised limit, if any.
        statutory_deadline_at: the exact instant of the statutory deadline,
            for limits in working hours.
        promised_deadline_at: the same for the promised limit.
        working_days_used: working days counted so far (or up to the
            decision), pauses excluded, on the statutory calendar.
        paused_working_days: working days (of the statutory calendar) taken
            out of the count by suspensions.
        extended_by: the extension granted, in the unit of the statutory limit.
        decided_on: the decision's date, if decided.
        on_time_promised: decided within the promise; ``None`` while undecided
            or without a promise.
        on_time_statutory: decided within the law; ``None`` while undecided.
        alert: the electronic-supervision alert level: the gravest of every
            running clock's (decision, delivery, hearing, renewal).
        remaining_working_days: working days from the instant's date to the
            decision deadline the alert is measured against (negative when past
            it), counted on that deadline's calendar; ``None`` once decided.
        acceptance_deadline: the last day to accept, refuse or tell every
            correction (行政许可法 Art. 32's 5 working days from receipt; from the
            corrections' arrival where the rule runs it again), if the rule has
            an acceptance limit.
        delivery_deadline: the last day to deliver the licence (Art. 44: 10
            working days from an approving decision), once approved.
        on_time_delivery: delivered by then; ``None`` while not delivered.
        hearing_deadline: the last day to hold the hearing (Art. 47: 20 working
            days from the request), once requested.
        on_time_hearing: held by then; ``None`` while not held.
        renewal_deadline: for a renewal, the licence's expiry: the decision is
            due by then (Art. 50).
        deemed_renewed: for a renewal, True once the licence expired with no
            decision, refusal or withdrawal (视为准予延续).
        late_renewal_application: for a renewal, True when it was applied for
            later than 30 days before expiry (Art. 50).

    .. versionadded:: 0.1
    """

    case: str
    matter: str
    at: datetime
    state: CaseState
    submitted_on: date
    accepted_on: date | None
    deemed_accepted: bool
    counting_from: date | None
    statutory_deadline: date | None
    promised_deadline: date | None
    statutory_deadline_at: datetime | None
    promised_deadline_at: datetime | None
    working_days_used: int
    paused_working_days: int
    extended_by: int
    decided_on: date | None
    on_time_promised: bool | None
    on_time_statutory: bool | None
    alert: Alert
    remaining_working_days: int | None
    acceptance_deadline: date | None = None
    delivery_deadline: date | None = None
    on_time_delivery: bool | None = None
    hearing_deadline: date | None = None
    on_time_hearing: bool | None = None
    renewal_deadline: date | None = None
    deemed_renewed: bool | None = None
    late_renewal_application: bool | None = None

    def to_dict(self) -> dict[str, Any]:
        """The reading as a JSON-ready object (dates ISO ``YYYY-MM-DD``)."""

        def iso(v: date | datetime | None) -> str | None:
            return None if v is None else v.isoformat()

        return {
            "case": self.case,
            "matter": self.matter,
            "at": self.at.isoformat(),
            "state": self.state.value,
            "submitted_on": iso(self.submitted_on),
            "accepted_on": iso(self.accepted_on),
            "deemed_accepted": self.deemed_accepted,
            "counting_from": iso(self.counting_from),
            "statutory_deadline": iso(self.statutory_deadline),
            "promised_deadline": iso(self.promised_deadline),
            "statutory_deadline_at": iso(self.statutory_deadline_at),
            "promised_deadline_at": iso(self.promised_deadline_at),
            "working_days_used": self.working_days_used,
            "paused_working_days": self.paused_working_days,
            "extended_by": self.extended_by,
            "decided_on": iso(self.decided_on),
            "on_time_promised": self.on_time_promised,
            "on_time_statutory": self.on_time_statutory,
            "alert": self.alert.value,
            "remaining_working_days": self.remaining_working_days,
            "acceptance_deadline": iso(self.acceptance_deadline),
            "delivery_deadline": iso(self.delivery_deadline),
            "on_time_delivery": self.on_time_delivery,
            "hearing_deadline": iso(self.hearing_deadline),
            "on_time_hearing": self.on_time_hearing,
            "renewal_deadline": iso(self.renewal_deadline),
            "deemed_renewed": self.deemed_renewed,
            "late_renewal_application": self.late_renewal_application,
        }


_RUNNING: frozenset[type[Event]] = frozenset(
    {Suspended, Extended, Decided, HearingRequested, ProcedureChanged}
)
"""Events that need the decision clock running (acceptance, deemed or recorded)."""

_NEXT: dict[CaseState, frozenset[type[Event]]] = {
    # HearingHeld where no hearing can be pending: refused with the reason (Art. 47)
    CaseState.SUBMITTED: frozenset(
        {CorrectionRequested, Accepted, Rejected, Withdrawn, HearingHeld, *_RUNNING}
    ),
    # a case deemed accepted while corrections are awaited may proceed (行政许可法 Art. 32)
    CaseState.AWAITING_CORRECTION: frozenset(
        {CorrectionReceived, Rejected, Withdrawn, HearingHeld, *_RUNNING}
    ),
    CaseState.IN_PROGRESS: frozenset({Withdrawn, HearingHeld, *_RUNNING}),
    # a hearing requested stops the decision clocks until it is held (Arts. 45, 47)
    CaseState.SUSPENDED: frozenset({Resumed, Withdrawn, HearingHeld}),
    CaseState.DECIDED: frozenset({Delivered}),
    CaseState.DELIVERED: frozenset(),
    CaseState.REJECTED: frozenset(),
    CaseState.WITHDRAWN: frozenset(),
}
"""Which events may follow in each state (an evaluation may follow any, once)."""


_Opening = tuple[TimeLimitRule, TimeLimit, TimeLimit | None, dict[str, TimeLimitRule]]
"""What a new case counts under: its rule, statutory and promised limits, companion rules."""

_OPENINGS_KEPT = 10_000
"""How many (matter, day) openings a clock keeps: a day's new cases share theirs."""


class Clock:
    """Counts the time limits of cases: the fold, the validation, the readings.

    Args:
        catalogue: the matters, bundles and time-limit rules.
        calendar: the working-day calendar, any view of it: statutory limits
            count on its :attr:`~govservice.calendars.WorkingDayCalendar.statutory`
            view, promised limits on its
            :attr:`~govservice.calendars.WorkingDayCalendar.promised` view.
        opening_hours: for limits in working hours (default opening hours if
            not given).
        alert_policy: how remaining working days become an alert level.

    Attributes:
        calendar: the statutory calendar.
        promised_calendar: the calendar of promised limits (the statutory one
            itself when no hall day counts for promises).
        hours: the statutory calendar joined to the opening hours.
        promised_hours: the promised calendar joined to the opening hours.

    .. versionadded:: 0.1
    """

    def __init__(
        self,
        catalogue: Catalogue,
        calendar: WorkingDayCalendar,
        *,
        opening_hours: OpeningHours | None = None,
        alert_policy: AlertPolicy | None = None,
    ) -> None:
        self.catalogue = catalogue
        self.calendar = calendar.statutory
        hours = opening_hours or OpeningHours.default()
        self.hours = WorkingHours(self.calendar, hours)
        promised = calendar.promised
        if promised.counted_adjustments == self.calendar.counted_adjustments:
            self.promised_calendar, self.promised_hours = self.calendar, self.hours
        else:
            self.promised_calendar = promised
            self.promised_hours = WorkingHours(promised, hours)
        self.alert_policy = alert_policy or AlertPolicy()
        self._openings: dict[tuple[str, date], _Opening] = {}

    # ----------------------------------------------------------------- folding

    def case(self, events: Iterable[Event]) -> Case:
        """Fold *events* (one case's, in order) into a validated :class:`Case`.

        Raises:
            EventError: naming the case and the first event refused, and why.
        """
        case: Case | None = None
        for event in events:
            case = self._append_in_place(case, event)  # the fold's own case
        if case is None:
            raise EventError(None, None, N_("a case needs at least its 'submitted' event"))
        return case

    def cases(self, events: Iterable[Event]) -> dict[str, Case]:
        """Fold events of many cases; the result is in order of first appearance.

        Raises:
            EventError: at the first event refused; nothing is returned.
        """
        out: dict[str, Case] = {}
        for event in events:
            out[event.case] = self._append_in_place(out.get(event.case), event)
        return out

    def append(self, case: Case | None, event: Event) -> Case:
        """Return *case* with *event* applied, or raise if the history refuses it.

        Args:
            case: the case so far, or ``None`` for a new case (then *event*
                must be its ``submitted`` event).
            event: the next event.

        Raises:
            EventError: naming the case and the event; also when its ``by``
                names no window or staff member of the catalogue.
        """
        if case is None:
            return self._open(event)
        return _evolve(case, events=(*case.events, event), **self._changes(case, event))

    def _append_in_place(self, case: Case | None, event: Event) -> Case:
        """:meth:`append`, changing *case* itself instead of making a new :class:`Case`.

        For a writer folding many events: *case* must be its own working copy,
        made by this clock (``None``, a fold, or :func:`_evolve` of a shared
        case), seen by no one else until the writer is done.  A refused event
        leaves *case* unchanged, as :meth:`append` does.
        """
        if case is None:
            return self._open(event)
        changes = self._changes(case, event)
        _set(case, "events", (*case.events, event))
        for name, value in changes.items():
            _set(case, name, value)
        return case

    def _changes(self, case: Case, event: Event) -> dict[str, Any]:
        """The fields of *case* that *event* changes (besides ``events``), once validated."""
        self._check_actor(event)

        def refuse(reason: str, /, **values: Any) -> EventError:
            return EventError(case.id, event.label, Message(reason, values))

        if event.case != case.id:
            raise refuse(N_("belongs to case %(other)r"), other=event.case)
        if event.at < case.last_at:
            raise refuse(
                N_("is dated %(at)s, before the previous event (%(previous)s)"),
                at=event.at.isoformat(),
                previous=case.last_at.isoformat(),
            )
        eid = event.id
        if eid is not None:
            for earlier in case.events:  # a loop: any() over a generator costs more here
                if earlier.id == eid:
                    raise refuse(N_("an event with this id is already in the case"))
        if isinstance(event, Evaluated):
            if case.evaluation is not None:
                raise refuse(N_("the case is already evaluated (一事一评)"))
            if not 1 <= event.level <= 5:
                raise refuse(N_("level must be 1–5, got %(level)s"), level=event.level)
            return {"evaluation": event}
        if type(event) not in _NEXT[case.state]:
            raise refuse(
                N_("%(type)r is not allowed when the case is %(state)s"),
                type=event.type,
                state=Message(_STATE_NAMES[case.state]),
            )
        return self._transition(case, event, refuse)

    def _check_actor(self, event: Event) -> None:
        """Refuse an event whose ``by`` names no window or staff member of the catalogue."""
        by = event.by
        if by is not None and by not in self.catalogue.windows and by not in self.catalogue.staff:
            raise EventError(
                event.case,
                event.label,
                Message(
                    N_("field 'by': %(by)r is no window or staff member of %(catalogue)s"),
                    {"by": by, "catalogue": self._catalogue_name},
                ),
            )

    @property
    def _catalogue_name(self) -> str | Message:
        """How a message names the catalogue: its file, else "the catalogue"."""
        return self.catalogue.source or Message(N_("the catalogue"))

    def _open(self, event: Event) -> Case:
        """A new case from its first *event*, which must be its ``submitted`` event."""
        self._check_actor(event)
        if not isinstance(event, Submitted):
            raise EventError(
                event.case,
                event.label,
                Message(N_("a case starts with 'submitted', not %(type)r"), {"type": event.type}),
            )
        code, received = event.matter, self._day(event.at)
        opening = self._openings.get((code, received))
        if opening is None:
            opening = self._opening(event, code, received)
        rule, statutory, promised, companions = opening
        renewal = event.renewal_of
        if renewal is not None:
            if "renewal_rule" not in companions:
                raise EventError(
                    event.case,
                    event.label,
                    Message(
                        N_(
                            "field 'renewal_of': matter %(matter)r is not a licence that can be "
                            "renewed: its rule %(rule)s (%(citation)s) has no renewal clock "
                            "(行政许可法 Art. 50)"
                        ),
                        {"matter": code, "rule": rule.id, "citation": rule.citation},
                    ),
                )
            if renewal.expires_on < received:
                raise EventError(
                    event.case,
                    event.label,
                    Message(
                        N_(
                            "field 'renewal_of.expires_on': the licence %(licence)r expired on "
                            "%(expired)s, before the application (%(received)s): a licence is "
                            "renewed before it expires (行政许可法 Art. 50)"
                        ),
                        {
                            "licence": renewal.licence,
                            "expired": renewal.expires_on,
                            "received": received,
                        },
                    ),
                )
        return Case(
            id=event.case,
            matter=code,
            applicant=event.applicant,
            channel=event.channel,
            rule=rule,
            statutory=statutory,
            promised=promised,
            events=(event,),
            state=CaseState.SUBMITTED,
            submitted_at=event.at,
            renewal_of=renewal,
            delivery_rule=companions.get("delivery_rule"),
            hearing_rule=companions.get("hearing_rule"),
            renewal_rule=companions.get("renewal_rule"),
            simplified_rule=companions.get("simplified_rule"),
        )

    def _opening(self, event: Submitted, code: str, received: date) -> _Opening:
        """The rules a case of matter *code* received on day *received* counts under.

        Kept for the next case of the matter received that day (in
        ``_openings``); an unknown matter or rule refuses *event*.
        """
        cat = self.catalogue
        limits = limits_of(cat, code)
        if limits is None:
            raise EventError(
                event.case,
                event.label,
                Message(
                    N_("unknown matter %(matter)r (not in %(catalogue)s)"),
                    {"matter": code, "catalogue": self._catalogue_name},
                ),
            )
        statutory, promised = limits
        rule_id = statutory.rule or "alicensing.joint"
        try:
            rule = cat.rules.resolve(rule_id, received)
            companions = {
                name: cat.rules.resolve(companion, received)
                for name, companion in rule.companions.items()
            }
        except (KeyError, ValueError) as e:
            reason = Message(N_("no time-limit rule: %(error)s"), {"error": e})
            raise EventError(event.case, event.label, reason) from None
        opening = (
            rule,
            limit_in_force(statutory, rule, cat.rules.latest(rule_id)),
            promised,
            companions,
        )
        if len(self._openings) >= _OPENINGS_KEPT:
            self._openings.clear()
        self._openings[code, received] = opening
        return opening

    def _transition(
        self, case: Case, event: Event, refuse: Callable[..., EventError]
    ) -> dict[str, Any]:
        if isinstance(event, CorrectionRequested):
            if case.correction_requested_at is not None:
                raise refuse(N_("corrections must be requested all at once (行政许可法 Art. 32)"))
            return {"state": CaseState.AWAITING_CORRECTION, "correction_requested_at": event.at}
        if isinstance(event, CorrectionReceived):
            return {"state": CaseState.SUBMITTED, "correction_received_at": event.at}
        if isinstance(event, Accepted):
            if case.rule.in_force_by == "acceptance":
                return self._accepted_under_version(case, event, refuse)
            return {"state": CaseState.IN_PROGRESS, "accepted_at": event.at}
        if isinstance(event, Rejected):
            return {"state": CaseState.REJECTED, "rejected_at": event.at}
        if isinstance(event, Withdrawn):
            suspensions = self._close_suspension(case.suspensions, event.at)
            return {
                "state": CaseState.WITHDRAWN,
                "withdrawn_at": event.at,
                "suspensions": suspensions,
            }
        if isinstance(event, Resumed):
            if _hearing_pause(case):
                raise refuse(
                    N_(
                        "the decision clocks stopped for the hearing resume with 'hearing_held' "
                        "(行政许可法 Arts. 45, 47), not 'resumed'"
                    )
                )
            return {
                "state": CaseState.IN_PROGRESS,
                "suspensions": self._close_suspension(case.suspensions, event.at),
            }
        if isinstance(event, HearingHeld):
            if not _hearing_pause(case):
                raise refuse(
                    N_(
                        "'hearing_held' without a 'hearing_requested': the hearing clock starts "
                        "at the request (行政许可法 Art. 47)"
                    )
                )
            return {
                "state": CaseState.IN_PROGRESS,
                "hearing_held_at": event.at,
                "suspensions": self._close_suspension(case.suspensions, event.at),
            }
        if isinstance(event, Delivered):
            return {"state": CaseState.DELIVERED, "delivered_at": event.at}
        # the rest need the decision clock running: it does once the case is
        # accepted (then any correction was received), else only if deemed
        if case.accepted_at is None:
            acceptance = self._acceptance(case, self._day(event.at))
            if case.state is CaseState.AWAITING_CORRECTION and not acceptance.deemed:
                raise refuse(
                    N_("%(type)r is not allowed when the case is %(state)s"),
                    type=event.type,
                    state=Message(_STATE_NAMES[CaseState.AWAITING_CORRECTION]),
                )
            if acceptance.start_on is None:
                raise refuse(N_("%(type)r before the case is accepted"), type=event.type)
        if isinstance(event, Decided):
            if event.outcome not in ("approved", "denied"):
                raise refuse(
                    N_("field 'outcome' must be 'approved' or 'denied', got %(outcome)r"),
                    outcome=event.outcome,
                )
            return {"state": CaseState.DECIDED, "decided_at": event.at, "outcome": event.outcome}
        rule = case.decision_rule
        deadline = self._statutory_deadline(case, event.at)
        past = deadline is not None and self._day(event.at) > deadline
        if isinstance(event, HearingRequested):
            if case.hearing_rule is None:
                raise refuse(
                    N_(
                        "no hearing under %(rule)s (%(citation)s): its rule has no hearing "
                        "clock (行政许可法 Art. 47)"
                    ),
                    rule=rule.id,
                    citation=rule.citation,
                )
            if case.hearing_requested_at is not None:
                raise refuse(N_("a hearing was already requested (行政许可法 Art. 47)"))
            if past:
                raise refuse(
                    N_(
                        "the statutory deadline %(deadline)s has passed: "
                        "an overdue case cannot be suspended for a hearing"
                    ),
                    deadline=deadline,
                )
            return {
                "state": CaseState.SUSPENDED,
                "hearing_requested_at": event.at,
                "suspensions": (*case.suspensions, Suspension(event.at, None, "hearing")),
            }
        if isinstance(event, ProcedureChanged):
            return self._procedure_changed(case, event, refuse, past=past)
        if isinstance(event, Suspended):
            if event.reason not in rule.pausable:
                allowed = ", ".join(sorted(rule.pausable)) or Message(N_("none"))
                raise refuse(
                    N_(
                        "suspension for %(reason)r does not stop the clock under "
                        "%(rule)s (%(citation)s); reasons that do: %(allowed)s"
                    ),
                    reason=event.reason,
                    rule=rule.id,
                    citation=rule.citation,
                    allowed=allowed,
                )
            if past:
                raise refuse(
                    N_(
                        "the statutory deadline %(deadline)s has passed: "
                        "an overdue case cannot be suspended"
                    ),
                    deadline=deadline,
                )
            return {
                "state": CaseState.SUSPENDED,
                "suspensions": (*case.suspensions, Suspension(event.at, None, event.reason)),
            }
        if isinstance(event, Extended):
            if event.working_days <= 0:
                raise refuse(
                    N_("an extension must be positive, got %(days)s"), days=event.working_days
                )
            total = case.extended_by + event.working_days
            if total > rule.max_extension:
                raise refuse(
                    N_(
                        "extension to %(total)s beyond the maximum of %(maximum)s "
                        "under %(rule)s (%(citation)s)"
                    ),
                    total=total,
                    maximum=rule.max_extension,
                    rule=rule.id,
                    citation=rule.citation,
                )
            if past:
                raise refuse(
                    N_(
                        "the statutory deadline %(deadline)s has passed: "
                        "a limit cannot be extended after it ends"
                    ),
                    deadline=deadline,
                )
            return {"state": CaseState.IN_PROGRESS, "extended_by": total}
        raise refuse(N_("unexpected event type %(type)r"), type=event.type)  # pragma: no cover

    def _accepted_under_version(
        self, case: Case, event: Accepted, refuse: Callable[..., EventError]
    ) -> dict[str, Any]:
        """Acceptance of a case whose rule's version goes by the day of acceptance (信访)."""
        limits = limits_of(self.catalogue, case.matter)
        assert limits is not None  # the case was opened with this matter
        rules = self.catalogue.rules
        try:
            rule = rules.resolve(case.rule.id, self._day(event.at))
        except (KeyError, ValueError) as e:
            raise refuse(N_("no time-limit rule: %(error)s"), error=e) from None
        return {
            "state": CaseState.IN_PROGRESS,
            "accepted_at": event.at,
            "rule": rule,
            "statutory": limit_in_force(limits[0], rule, rules.latest(rule.id)),
        }

    def _procedure_changed(
        self,
        case: Case,
        event: ProcedureChanged,
        refuse: Callable[..., EventError],
        *,
        past: bool,
    ) -> dict[str, Any]:
        """A reconsideration changes procedure (行政复议法 2023 revision, Arts. 55, 62)."""
        simplified = case.simplified_rule
        if simplified is None:
            raise refuse(
                N_(
                    "field 'to': case %(case)r is under %(rule)s (%(citation)s), which has no "
                    "simplified procedure: only a reconsideration received from 2024-01-01 "
                    "may change procedure"
                ),
                case=case.id,
                rule=case.rule.id,
                citation=case.rule.citation,
            )
        if event.to not in ("ordinary", "simplified"):
            raise refuse(
                N_("field 'to' must be 'ordinary' or 'simplified', got %(to)r"), to=event.to
            )
        if not event.approved_by.strip():
            raise refuse(N_("field 'approved_by' must name who approved the change"))
        if event.to == "ordinary":
            if not case.simplified:
                raise refuse(N_("field 'to': the case is already under the ordinary procedure"))
            return {"state": CaseState.IN_PROGRESS, "ordinary_at": event.at}
        if case.simplified_at is not None:
            raise refuse(
                N_(
                    "field 'to': the case has been under the simplified procedure already; once "
                    "changed to the ordinary procedure it stays there (Art. 55)"
                )
            )
        if case.extended_by:
            raise refuse(
                N_(
                    "field 'to': the case was extended by %(days)s; the simplified "
                    "procedure allows no extension (%(citation)s)"
                ),
                days=case.extended_by,
                citation=simplified.citation,
            )
        changes = {"state": CaseState.IN_PROGRESS, "simplified_at": event.at}
        changed = _evolve(case, events=(*case.events, event), **changes)
        deadline = self._statutory_deadline(changed, event.at)
        if deadline is not None and self._day(event.at) > deadline:
            raise refuse(
                N_(
                    "field 'to': the simplified procedure's limit (%(limit)s) ended on "
                    "%(deadline)s, before this change"
                ),
                limit=simplified.limit,
                deadline=deadline,
            )
        return changes

    @staticmethod
    def _close_suspension(
        suspensions: tuple[Suspension, ...], at: datetime
    ) -> tuple[Suspension, ...]:
        if suspensions and suspensions[-1].end is None:
            last = suspensions[-1]
            return (*suspensions[:-1], Suspension(last.start, at, last.reason))
        return suspensions

    # ---------------------------------------------------------------- readings

    def _day(self, t: datetime) -> date:
        return t.astimezone(self.calendar.timezone).date()

    def reading(self, case: Case, at: InstantLike) -> Reading:
        """The clocks of *case* at instant *at*, from the events up to *at* only.

        Raises:
            CalendarError: *at* is naive.
            CalendarDataMissing: the calendar lacks a year the answer needs.
        """
        t = parse_instant(at, what="'at'")
        if t < case.last_at:
            case = self._prefix(case, t)
        day = self._day
        acceptance = self._acceptance(case, day(t))
        deemed = acceptance.deemed
        state = case.state
        if deemed and state in (CaseState.SUBMITTED, CaseState.AWAITING_CORRECTION):
            state = CaseState.IN_PROGRESS
        decided_on = day(case.decided_at) if case.decided_at else None

        levels = [Alert.NONE]
        decision = self._decision(case, acceptance, t, state, levels)
        delivery_d, on_time_delivery = self._companion(
            case.delivery_rule if case.outcome == "approved" else None,
            case.decided_at,
            case.delivered_at,
            t,
            state is CaseState.DECIDED,
            levels,
        )
        hearing_d, on_time_hearing = self._companion(
            case.hearing_rule,
            case.hearing_requested_at,
            case.hearing_held_at,
            t,
            state.open,
            levels,
        )
        renewal_d = deemed_renewed = late_renewal = None
        if case.renewal_of is not None and case.renewal_rule is not None:
            renewal_d, deemed_renewed, late_renewal = self._renewal(case, t, state, levels)
        return Reading(
            case=case.id,
            matter=case.matter,
            at=t,
            state=state,
            submitted_on=day(case.submitted_at),
            accepted_on=acceptance.accepted_on,
            deemed_accepted=deemed,
            decided_on=decided_on,
            extended_by=case.extended_by,
            alert=max(levels, key=operator.attrgetter("code")),
            acceptance_deadline=acceptance.deadline,
            delivery_deadline=delivery_d,
            on_time_delivery=on_time_delivery,
            hearing_deadline=hearing_d,
            on_time_hearing=on_time_hearing,
            renewal_deadline=renewal_d,
            deemed_renewed=deemed_renewed,
            late_renewal_application=late_renewal,
            **decision,
        )

    def _decision(
        self,
        case: Case,
        acceptance: _Acceptance,
        t: datetime,
        state: CaseState,
        levels: list[Alert],
    ) -> dict[str, Any]:
        """The decision clocks' fields of a reading; their alert goes into *levels*."""
        statutory = self._statutory(case, acceptance, t)
        if statutory is None:
            return {
                "counting_from": None,
                "statutory_deadline": None,
                "promised_deadline": None,
                "statutory_deadline_at": None,
                "promised_deadline_at": None,
                "working_days_used": 0,
                "paused_working_days": 0,
                "on_time_promised": None,
                "on_time_statutory": None,
                "remaining_working_days": None,
            }
        cal, day = self.calendar, self._day
        start_d, start_t, end_t, pauses, paused_wd, stat_d, stat_at = statutory
        at_d, end_d = day(t), day(end_t)
        if case.promised is not None:
            prom_cal = self.promised_calendar
            paused_p = paused_wd if prom_cal is cal else self._paused(prom_cal, pauses)
            prom_d, prom_at = self._deadline(
                start_d, start_t, case.promised, 0, pauses, paused_p, promised=True
            )
        else:
            prom_d, prom_at = None, None

        used = (
            max(0, cal.working_days_between(start_d, end_d) - paused_wd) if end_d > start_d else 0
        )

        def on_time(deadline_d: date | None, deadline_at: datetime | None) -> bool | None:
            if case.decided_at is None or deadline_d is None:
                return None
            if deadline_at is not None:
                return case.decided_at <= deadline_at
            return day(case.decided_at) <= deadline_d

        on_time_stat = on_time(stat_d, stat_at)
        on_time_prom = on_time(prom_d, prom_at)

        basis_d, basis_at = (prom_d, prom_at) if prom_d is not None else (stat_d, stat_at)
        basis_cal = self.promised_calendar if prom_d is not None else cal
        remaining = basis_cal.working_days_between(at_d, basis_d)
        if basis_at is not None and t > basis_at:
            remaining = min(remaining, -1)
        if state.open:
            past_statutory = at_d > stat_d or (stat_at is not None and t > stat_at)
            levels.append(self.alert_policy.level(remaining, past_statutory))
        elif case.decided_at is not None:
            basis_ok = on_time_prom if on_time_prom is not None else on_time_stat
            if not basis_ok:
                levels.append(Alert.RED)
        return {
            "counting_from": start_d,
            "statutory_deadline": stat_d,
            "promised_deadline": prom_d,
            "statutory_deadline_at": stat_at,
            "promised_deadline_at": prom_at,
            "working_days_used": used,
            "paused_working_days": paused_wd,
            "on_time_promised": on_time_prom,
            "on_time_statutory": on_time_stat,
            "remaining_working_days": remaining if state.open else None,
        }

    def _statutory(self, case: Case, acceptance: _Acceptance, t: datetime) -> _Statutory | None:
        """The statutory decision clock of *case* read at *t*; ``None`` while it has not started.

        (Or never will: a case refused.)
        """
        start_d, start_t = acceptance.start_on, acceptance.start_at
        if start_d is None or start_t is None or case.rejected_at is not None:
            return None
        stop = case.decided_at or case.withdrawn_at  # the clocks stop here
        end_t = stop if stop is not None else t
        pauses = [(s.start, s.end if s.end is not None else end_t) for s in case.suspensions]
        creq = case.correction_requested_at
        if case.rule.correction_pauses and creq is not None:
            # 行政复议法实施条例 Art. 29: the time for corrections is not counted
            pauses.append((creq, case.correction_received_at or end_t))
        paused_wd = self._paused(self.calendar, pauses)
        deadline_d, deadline_at = self._deadline(
            start_d, start_t, case.decision_limit, case.extended_by, pauses, paused_wd
        )
        return _Statutory(start_d, start_t, end_t, pauses, paused_wd, deadline_d, deadline_at)

    def _statutory_deadline(self, case: Case, t: datetime) -> date | None:
        """The statutory deadline of *case*'s decision, as its :meth:`reading` at *t* gives it.

        *t* is at or after its last event.  Without the rest of the reading:
        the fold asks this of every suspension, extension and change of procedure.
        """
        statutory = self._statutory(case, self._acceptance(case, self._day(t)), t)
        return None if statutory is None else statutory.deadline

    def _companion(
        self,
        rule: TimeLimitRule | None,
        start: datetime | None,
        stop: datetime | None,
        t: datetime,
        running: bool,
        levels: list[Alert],
    ) -> tuple[date | None, bool | None]:
        """A clock from *start* under *rule* to *stop* (delivery, hearing): deadline, on time.

        While it runs (*running*, not stopped) its alert goes into *levels*, as
        does a red card once it stopped late.
        """
        if rule is None or start is None:
            return None, None
        day = self._day
        deadline_d, deadline_at = self._deadline(day(start), start, rule.limit, 0, [], 0)
        if stop is not None:
            on_time = stop <= deadline_at if deadline_at is not None else day(stop) <= deadline_d
            if not on_time:
                levels.append(Alert.RED)
            return deadline_d, on_time
        if running:
            at_d = day(t)
            remaining = self.calendar.working_days_between(at_d, deadline_d)
            past = at_d > deadline_d or (deadline_at is not None and t > deadline_at)
            levels.append(self.alert_policy.level(remaining, past))
        return deadline_d, None

    def _renewal(
        self, case: Case, t: datetime, state: CaseState, levels: list[Alert]
    ) -> tuple[date, bool, bool]:
        """The renewal clock (Art. 50): its deadline, deemed renewal, late application."""
        renewal, rule = case.renewal_of, case.renewal_rule
        assert renewal is not None and rule is not None
        day = self._day
        expires = renewal.expires_on
        ends = [x for x in (case.decided_at, case.rejected_at, case.withdrawn_at) if x is not None]
        answered = day(min(ends)) if ends else None
        at_d = day(t)
        deemed = (answered if answered is not None else at_d) > expires
        if rule.limit.unit is LimitUnit.WORKING_DAYS:
            latest = self.calendar.add_working_days(expires, -rule.limit.amount)
        else:
            latest = expires - timedelta(days=rule.limit.amount)
        if deemed:
            levels.append(Alert.RED)
        elif answered is None and state.open:
            remaining = self.calendar.working_days_between(at_d, expires)
            levels.append(self.alert_policy.level(remaining, False))
        return expires, deemed, day(case.submitted_at) > latest

    def _acceptance(self, case: Case, at_d: date) -> _Acceptance:
        """The acceptance clock on day *at_d*, and when the decision clocks start.

        Deemed acceptance (行政许可法 Art. 32): no correction notice, acceptance
        or refusal within the acceptance limit means the case counts as
        accepted — on the day the materials arrived (``arrival``), or on the day
        the review ends (``review_end``, 行政复议法 2023 revision Art. 30 ¶3).
        Where the rule runs the limit again once corrections asked for in time
        arrive (``deemed_after_correction``), silence past it deems acceptance
        the same way, from the corrections' arrival.
        """
        rule, day, cal = case.rule, self._day, self.calendar
        submitted = case.submitted_at
        sub_d = day(submitted)
        creq, crec = case.correction_requested_at, case.correction_received_at
        acc = case.accepted_at
        limit = rule.acceptance_limit
        deadline: date | None = None
        deemed: tuple[date, datetime] | None = None
        if limit is not None:
            ended = day(case.withdrawn_at) if case.withdrawn_at is not None else at_d
            deadline = cal.add_working_days(sub_d, limit)
            first = creq or acc or case.rejected_at  # a correction notice comes before either
            if (day(first) if first is not None else ended) > deadline:
                deemed = (sub_d, submitted)
            elif creq is not None and crec is not None and rule.deemed_after_correction:
                arrived = day(crec)
                deadline = cal.add_working_days(arrived, limit)
                answer = acc or case.rejected_at
                if (day(answer) if answer is not None else ended) > deadline:
                    deemed = (arrived, crec)
            if deemed is not None and rule.deemed_acceptance == "review_end":
                deemed = (deadline, self._midnight_after(deadline))
            elif rule.deemed_acceptance is None:
                deemed = None
        if rule.counts_from == "receipt":
            if creq is not None and rule.correction_restarts:
                start = (day(crec), crec) if crec is not None else (None, None)
            else:
                start = (sub_d, submitted)
            if deemed is not None:
                accepted_on: date | None = deemed[0]
            elif acc is not None:
                # acceptance dates to receipt where the rule deems it so (old 行政复议法 Art. 17)
                dates_to_start = limit is not None and rule.deemed_acceptance is not None
                accepted_on = start[0] if dates_to_start else day(acc)
            else:
                accepted_on = None
            return _Acceptance(start[0], start[1], accepted_on, deemed is not None, deadline)
        if deemed is not None:
            return _Acceptance(deemed[0], deemed[1], deemed[0], True, deadline)
        if acc is not None:
            return _Acceptance(day(acc), acc, day(acc), False, deadline)
        return _Acceptance(None, None, None, False, deadline)

    def _midnight_after(self, d: date) -> datetime:
        """The first instant of the day after *d*, in the calendar's timezone."""
        return datetime.combine(d + timedelta(days=1), time(), tzinfo=self.calendar.timezone)

    def _paused(self, cal: WorkingDayCalendar, pauses: list[tuple[datetime, datetime]]) -> int:
        """The working days of *cal* the pauses take out of the count."""
        day = self._day
        return sum(max(0, cal.working_days_between(day(a), day(b))) for a, b in pauses)

    def _deadline(
        self,
        start_d: date,
        start: datetime,
        limit: TimeLimit,
        extension: int,
        pauses: list[tuple[datetime, datetime]],
        paused_wd: int,
        *,
        promised: bool = False,
    ) -> tuple[date, datetime | None]:
        """The last day of *limit* from day *start_d* (and the instant, for hours).

        *start* is the instant counting starts, for limits in working hours. A
        promised limit counts on the promised calendar, a statutory one on the
        statutory calendar.
        """
        day = self._day
        cal, hours = (
            (self.promised_calendar, self.promised_hours)
            if promised
            else (self.calendar, self.hours)
        )
        amount = limit.amount + extension
        if limit.unit is LimitUnit.WORKING_DAYS:
            return cal.add_working_days(start_d, amount + paused_wd), None
        if limit.unit is LimitUnit.DAYS:
            paused = sum((day(b) - day(a)).days for a, b in pauses)
            # a period whose last day is a day off ends on the next working day
            return cal.next_working_day(start_d + timedelta(days=amount + paused)), None
        paused_h = sum(hours.working_hours_between(a, b) for a, b in pauses)
        at = hours.add_working_hours(start, timedelta(hours=amount + paused_h))
        return day(at), at

    def _prefix(self, case: Case, t: datetime) -> Case:
        """The case as it stood at *t*: its events up to *t* folded again."""
        events = [e for e in case.events if e.at <= t]
        if not events:
            raise EventError(
                case.id,
                None,
                Message(N_("the case did not exist yet at %(at)s"), {"at": t.isoformat()}),
            )
        folded: Case | None = None
        for event in events:
            folded = self._append_in_place(folded, event)
        assert folded is not None
        return folded


class _Acceptance(NamedTuple):
    """The acceptance clock of a case on a day, and the start of its decision clocks."""

    start_on: date | None
    """The day the decision clocks count from (not itself counted); ``None``: not yet."""
    start_at: datetime | None
    """The instant counting starts, for limits in working hours."""
    accepted_on: date | None
    """The day of acceptance in law (recorded or deemed), if accepted."""
    deemed: bool
    """Whether acceptance is deemed (行政许可法 Art. 32; 行政复议法)."""
    deadline: date | None
    """The last day to accept, refuse or tell every correction, if the rule sets one."""


class _Statutory(NamedTuple):
    """The statutory decision clock of a case at an instant (once it has started)."""

    start_on: date
    """The day it counts from (not itself counted)."""
    start_at: datetime
    """The instant it starts, for limits in working hours."""
    end: datetime
    """When it stops: the decision or the withdrawal, else the instant read."""
    pauses: list[tuple[datetime, datetime]]
    """Its pauses: suspensions (and corrections where they pause it), up to *end* at most."""
    paused: int
    """The working days the pauses take out of the count."""
    deadline: date
    """Its last day."""
    deadline_at: datetime | None
    """Its last instant, for limits in working hours."""


def _hearing_pause(case: Case) -> bool:
    """Whether the running suspension of *case* is its hearing's (Art. 47 request to hearing)."""
    last = case.suspensions[-1] if case.suspensions else None
    return (
        last is not None
        and last.end is None
        and last.reason == "hearing"
        and case.hearing_requested_at == last.start
        and case.hearing_held_at is None
    )
