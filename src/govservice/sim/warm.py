"""A warm start: what is open in a real centre when the simulated hall opens.

:func:`warm_start` reads a store's open cases at an instant, each with the
deadlines and the working days used that the store's own clock gives it
(nothing is recomputed), and the customers waiting at the door; a
:class:`~govservice.sim.Scenario` with ``initial=`` starts from that state
instead of an empty hall and an idle back office.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import attrs

from govservice.calendars import local_date, parse_instant
from govservice.exceptions import CalendarError, message_of
from govservice.sim._checks import MAX_COUNT, day, integer_from, is_count, non_empty, optional
from govservice.sim.errors import ScenarioError
from govservice.text import N_, Message

if TYPE_CHECKING:
    from govservice.cases import Reading
    from govservice.storage import EventStore

__all__ = ["OpenCase", "WarmStart", "warm_start"]


@attrs.frozen
class OpenCase:
    """A case still awaiting its decision when the simulation starts.

    Its deadlines are the store's (extensions and suspensions included, as the
    clock read them at the warm start's instant); the simulation judges the
    case against them as they are.

    Args:
        case: the case id in the store.
        matter: the matter code.
        accepted_on: the day the decision clocks count from acceptance, or
            ``None`` (not accepted, though the clocks run from receipt).
        promised_deadline: the last day of the promised limit, if any.
        statutory_deadline: the last day of the statutory limit.
        working_days_used: working days counted so far, pauses excluded.

    .. versionadded:: 0.1
    """

    case: str = attrs.field(validator=non_empty)
    matter: str = attrs.field(validator=non_empty)
    accepted_on: date | None = attrs.field(validator=optional(day))
    promised_deadline: date | None = attrs.field(validator=optional(day))
    statutory_deadline: date = attrs.field(validator=day)
    working_days_used: int = attrs.field(default=0, validator=integer_from(0))

    @classmethod
    def from_reading(cls, reading: Reading) -> OpenCase:
        """The open case of a clock :class:`~govservice.cases.Reading`.

        Raises:
            ScenarioError: the decision clocks of the case have not started
                (no statutory deadline yet).
        """
        if reading.statutory_deadline is None:
            raise ScenarioError(
                Message(
                    N_(
                        "case %(case)r: the decision clocks have not started (state %(value)r, "
                        "no statutory deadline)"
                    ),
                    {"case": reading.case, "value": reading.state.value},
                )
            )
        return cls(
            reading.case,
            reading.matter,
            reading.accepted_on,
            reading.promised_deadline,
            reading.statutory_deadline,
            reading.working_days_used,
        )


def _aware(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, datetime) or value.utcoffset() is None:
        raise ScenarioError(
            Message(
                N_("'%(name)s' must be an aware datetime (got %(value)r)"),
                {"name": attribute.name, "value": value},
            ),
            field=attribute.name,
            value=value,
        )


def _instant(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return parse_instant(value, what="'at'")
        except CalendarError as e:
            raise ScenarioError(message_of(e), field="at", value=value) from None
    return value


def _cases(value: Any) -> tuple[OpenCase, ...]:
    out = tuple(value)
    for c in out:
        if not isinstance(c, OpenCase):
            raise ScenarioError(
                Message(N_("'cases' must hold OpenCase values (got %(c)r)"), {"c": c})
            )
    seen: set[str] = set()
    for c in out:
        if c.case in seen:
            raise ScenarioError(Message(N_("'cases' names case %(case)r twice"), {"case": c.case}))
        seen.add(c.case)
    return out


def _queues(value: Any) -> dict[str, int]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ScenarioError(
            Message(
                N_("'queues' must map class names to counts (got %(value)r)"), {"value": value}
            ),
            field="queues",
            value=value,
        )
    out: dict[str, int] = {}
    for k, v in value.items():
        if not isinstance(k, str) or not k:
            raise ScenarioError(
                Message(N_("'queues' keys must be class names (got %(k)r)"), {"k": k}),
                field="queues",
                value=k,
            )
        if not is_count(v):
            raise ScenarioError(
                Message(
                    N_(
                        "'queues' count of class %(k)r must be an integer from 0 to "
                        "%(max_count)s (got %(v)r)"
                    ),
                    {"k": k, "max_count": f"{MAX_COUNT:,}", "v": v},
                ),
                field=f"queues.{k}",
                value=v,
            )
        out[k] = v
    return out


@attrs.frozen
class WarmStart:
    """The state a simulated hall starts from: open cases and customers at the door.

    Args:
        at: the instant the state was read (aware); the hall's first simulated
            day must come after its local date.
        cases: the cases awaiting a decision; each joins its matter's back
            office on the first simulated day.
        queues: customers of each class waiting when the hall opens on its
            first day (class name to count); they arrive at the opening, in
            the scenario's class order, before that day's other arrivals.

    Raises:
        ScenarioError: naming the field and the value.

    .. versionadded:: 0.1
    """

    at: datetime = attrs.field(converter=_instant, validator=_aware)
    cases: tuple[OpenCase, ...] = attrs.field(default=(), converter=_cases)
    queues: Mapping[str, int] = attrs.field(factory=dict, converter=_queues, hash=False)

    def local_date(self, calendar: Any) -> date:
        """The local date of ``at`` in *calendar*'s timezone."""
        return local_date(self.at, calendar.timezone)


def warm_start(
    store: EventStore, at: datetime | str, *, queues: Mapping[str, int] | None = None
) -> WarmStart:
    """The open cases of *store* at instant *at*, as a warm start for a scenario.

    Every case received by *at* whose clock reads an open state there
    (submitted, awaiting correction, in progress or suspended) becomes an
    :class:`OpenCase` with the deadlines and working days used of the store's
    own clock (:meth:`~govservice.storage.EventStore.readings`); decided,
    delivered, rejected and withdrawn cases are left out, and so are cases
    whose decision clocks have not started (awaiting acceptance or
    corrections): they have not reached the back office.

    Args:
        store: the event store (with its catalogue).
        at: the instant (aware datetime or ISO 8601 with offset).
        queues: customers waiting at the door, by class name.

    Raises:
        ScenarioError: *at* is naive or not an instant, or *queues* is malformed.

    Example:
        >>> from govservice.examples import CATALOGUE
        >>> from govservice.model import load_catalogue
        >>> from govservice.sim import warm_start
        >>> from govservice.storage import open_store
        >>> store = open_store("memory://")
        >>> store.set_catalogue(load_catalogue(CATALOGUE))
        >>> applicant = {"name": "张三", "kind": "person"}
        >>> _ = store.append([  # two food licences (MR-001): A still open, B decided
        ...     {"case": c, "type": "submitted", "at": "2026-09-24T09:30:00+08:00",
        ...      "matter": "MR-001", "applicant": applicant} for c in "AB"] + [
        ...     {"case": c, "type": "accepted", "at": "2026-09-24T09:45:00+08:00"}
        ...     for c in "AB"] + [
        ...     {"case": "B", "type": "decided", "at": "2026-10-09T15:00:00+08:00",
        ...      "outcome": "approved"}])
        >>> start = warm_start(store, "2026-10-09T18:00:00+08:00")
        >>> [(c.case, str(c.promised_deadline), c.working_days_used) for c in start.cases]
        [('A', '2026-10-13', 5)]

    .. versionadded:: 0.1
    """
    try:
        t = parse_instant(at, what="'at'")
    except CalendarError as e:
        raise ScenarioError(message_of(e), field="at", value=at) from None
    day = local_date(t, store.context.calendar.timezone)
    readings = store.readings(t, until=day - timedelta(days=1))
    # cases received on the day itself: only those that existed at *at*
    clock = store.clock
    for row in store.cases(since=day, until=day):
        case = store.case(row.case)
        if case.submitted_at <= t:
            readings.append(clock.reading(case, t))
    cases = tuple(
        OpenCase.from_reading(r)
        for r in sorted(readings, key=lambda r: r.case)
        if r.state.open and r.statutory_deadline is not None
    )
    return WarmStart(t, cases, queues or {})
