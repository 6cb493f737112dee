"""Events: what happens to a case, in the event format of DESIGN.md.

One class per event type, all frozen attrs classes deriving from
:class:`Event`.  :func:`event_from_dict` and :func:`event_to_dict` convert to
and from the JSON object of the event format (cattrs, with a tagged union on
``type``); :func:`read_jsonl` reads a JSON Lines file, naming the line of any
bad record.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any, ClassVar, TextIO, TypeAlias, Union

import attrs
import cattrs
from cattrs.strategies import configure_tagged_union

from govservice._toml import loads_json_lines, not_utf8
from govservice._usual import USUAL, UsualConverter, UsualValidator, usual_text
from govservice.calendars.instants import INSTANT_NAMES, MAX_DAYS, USUAL_INSTANT, parse_instant
from govservice.cases.applicants import Applicant
from govservice.exceptions import (
    N_,
    CalendarError,
    GovServiceError,
    Message,
    located,
    message_of,
)
from govservice.text import MAX_ID, MAX_TEXT, text_problem

__all__ = [
    "EVENT_TYPES",
    "MAX_LINE",
    "SUSPENSION_REASONS",
    "Accepted",
    "AnyEvent",
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
    "Rejected",
    "Renewal",
    "Resumed",
    "Submitted",
    "Suspended",
    "Withdrawn",
    "event_from_dict",
    "event_to_dict",
    "events_to_jsonl",
    "read_jsonl",
]


class EventError(GovServiceError, ValueError):
    """An event is malformed, or refused by the case's history.

    Attributes:
        case: the case id, when known.
        event: the event's id, or its type and time when it has no id.
        reason: what is wrong.
        line: the line of the JSON Lines file, when read from one.
        index: the event's position in the batch, when refused in an append.

    .. versionadded:: 0.1
    """

    index: int | None = None

    def __init__(
        self,
        case: str | None,
        event: str | None,
        reason: str | Message,
        *,
        line: int | None = None,
    ) -> None:
        self.case, self.event, self.reason, self.line = case, event, reason, line
        parts = []
        if line is not None:
            parts.append(Message(N_("line %(line)s"), {"line": line}))
        if case is not None:
            parts.append(Message(N_("case %(case)r"), {"case": case}))
        if event is not None:
            parts.append(Message(N_("event %(event)s"), {"event": event}))
        super().__init__(located(parts, reason))


def _parse_at(value: datetime | str) -> datetime:
    return parse_instant(value, what="'at'")


_usual_at = UsualConverter(USUAL_INSTANT, _parse_at, INSTANT_NAMES)


def _instant(value: datetime | str) -> datetime:
    at: datetime = _usual_at(value)
    return at


def _shown(value: str) -> str:
    """*value* for a message: a long one cut short."""
    return repr(value if len(value) <= 40 else value[:40] + "…")


def _printable(limit: int) -> UsualValidator:
    """A validator: printable text of at most *limit* characters (``text_problem``)."""

    def full(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is None and attribute.default is None:
            return
        if not isinstance(value, str):
            raise TypeError(
                Message(
                    N_("%(field)r must be a string, got %(type)s"),
                    {"field": attribute.name, "type": type(value).__name__},
                )
            )
        problem = text_problem(value, limit)
        if problem is not None:
            raise ValueError(
                Message(
                    N_("%(field)r %(problem)s (got %(value)s)"),
                    {"field": attribute.name, "problem": problem, "value": _shown(value)},
                )
            )

    return UsualValidator(usual_text(limit), full)


_an_id = _printable(MAX_ID)
_a_text = _printable(MAX_TEXT)


def _count(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None and attribute.default is None:
        return
    if type(value) is not int:
        raise TypeError(
            Message(
                N_("%(field)r must be a whole number, got %(type)s"),
                {"field": attribute.name, "type": type(value).__name__},
            )
        )
    if not 0 <= value <= MAX_DAYS:
        raise ValueError(
            Message(
                N_("%(field)r must be a whole number from 0 to %(maximum)s, got %(value)s"),
                {"field": attribute.name, "maximum": f"{MAX_DAYS:,}", "value": value},
            )
        )


_a_count = UsualValidator(f"type(v) is int and 0 <= v <= {MAX_DAYS}", _count)
"""A whole number of days (or a level) from 0 to ``MAX_DAYS``; ``None`` where optional."""


@attrs.frozen(kw_only=True)
class Event:
    """Fields common to every event.

    Ids (``case``, ``id``, ``by``, a ``matter`` code, a ``channel``) are
    printable text of at most :data:`~govservice.text.MAX_ID` characters, free
    text (a reason, correction items, who approved) of at most
    :data:`~govservice.text.MAX_TEXT`: not blank, without control characters
    (:func:`~govservice.text.text_problem`); instants lie from 1949-10-01 to
    2199-12-31.

    Attributes:
        case: the case id.
        at: when it happened: an aware datetime (an ISO string with offset is
            converted); a naive time is refused.
        id: unique id; appending an event whose id is already stored is a no-op.
        by: the staff member or window that acted.

    .. versionadded:: 0.1
    """

    type: ClassVar[str] = ""

    case: str = attrs.field(validator=_an_id)
    at: datetime = attrs.field(converter=_instant, metadata={USUAL: _usual_at})
    id: str | None = attrs.field(default=None, validator=_an_id)
    by: str | None = attrs.field(default=None, validator=_an_id)

    @property
    def label(self) -> str:
        """How errors name this event — its id, or its type and time."""
        return repr(self.id) if self.id else f"{self.type} at {self.at.isoformat()}"


def _licence(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        raise TypeError(
            Message(N_("'licence' must be a non-empty string, got %(value)r"), {"value": value})
        )
    _a_text(instance, attribute, value)


def _expiry(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if type(value) is not date:
        raise TypeError(
            Message(N_("'expires_on' must be a date (YYYY-MM-DD), got %(value)r"), {"value": value})
        )


@attrs.frozen
class Renewal:
    """The licence a renewal application renews (行政许可法 Art. 50).

    Attributes:
        licence: the licence's number or name.
        expires_on: the last day the licence is valid; in the event format an
            ISO date ``YYYY-MM-DD``.

    .. versionadded:: 0.1
    """

    licence: str = attrs.field(validator=_licence)
    expires_on: date = attrs.field(validator=_expiry)

    @classmethod
    def from_dict(cls, data: Any) -> Renewal:
        """Build it from its JSON object ``{"licence": …, "expires_on": "YYYY-MM-DD"}``.

        Raises:
            TypeError: naming the field that is missing, unknown or malformed.
        """
        if not isinstance(data, Mapping):
            raise TypeError(
                Message(
                    N_("'renewal_of' must be an object, got %(type)s %(data)r"),
                    {"type": type(data).__name__, "data": data},
                )
            )
        unknown = sorted(set(data) - {"licence", "expires_on"})
        if unknown:
            raise TypeError(
                Message(
                    N_("'renewal_of' has unknown fields: %(value)s"), {"value": ", ".join(unknown)}
                )
            )
        for key in ("licence", "expires_on"):
            if key not in data:
                raise TypeError(Message(N_("'renewal_of.%(key)s' is missing"), {"key": key}))
        expires = data["expires_on"]
        if not isinstance(expires, str):
            raise TypeError(
                Message(
                    N_("'renewal_of.expires_on' must be a date YYYY-MM-DD, got %(expires)r"),
                    {"expires": expires},
                )
            )
        try:
            day = date.fromisoformat(expires)
        except ValueError:
            day = None
        if day is None or len(expires) != 10:
            raise TypeError(
                Message(
                    N_("'renewal_of.expires_on' must be a date YYYY-MM-DD, got %(expires)r"),
                    {"expires": expires},
                )
            )
        try:
            return cls(data["licence"], day)
        except TypeError as e:
            raise TypeError(Message(N_("'renewal_of.%(value)s"), {"value": str(e)[1:]})) from None

    def to_dict(self) -> dict[str, str]:
        """The JSON object of the event format."""
        return {"licence": self.licence, "expires_on": self.expires_on.isoformat()}


@attrs.frozen(kw_only=True)
class Submitted(Event):
    """An application arrives; the acceptance clock starts (行政许可法 Art. 32).

    Attributes:
        matter: the matter (or bundle) code in the catalogue.
        applicant: who applies.
        channel: ``counter``, ``online``, ``post``, …
        renewal_of: for an application to renew a licence, the licence and its
            expiry: the renewal clock runs to that day (行政许可法 Art. 50).
    """

    type: ClassVar[str] = "submitted"
    matter: str = attrs.field(validator=_an_id)
    applicant: Applicant
    channel: str = attrs.field(default="counter", validator=_an_id)
    renewal_of: Renewal | None = None


@attrs.frozen(kw_only=True)
class CorrectionRequested(Event):
    """All corrections are notified at once (行政许可法 Art. 32; OGI Art. 30).

    Attributes:
        items: what must be corrected or supplied.
    """

    type: ClassVar[str] = "correction_requested"
    items: tuple[str, ...] = attrs.field(
        default=(), validator=attrs.validators.deep_iterable(_a_text)
    )


@attrs.frozen(kw_only=True)
class CorrectionReceived(Event):
    """The corrected materials arrive; acceptance may proceed."""

    type: ClassVar[str] = "correction_received"


@attrs.frozen(kw_only=True)
class Accepted(Event):
    """The application is accepted; the decision clocks start."""

    type: ClassVar[str] = "accepted"


@attrs.frozen(kw_only=True)
class Rejected(Event):
    """The application is not accepted; the case ends.

    Attributes:
        reason: why.
    """

    type: ClassVar[str] = "rejected"
    reason: str = attrs.field(validator=_a_text)


SUSPENSION_REASONS: frozenset[str] = frozenset(
    {
        "hearing",
        "expert_review",
        "inspection",
        "testing",
        "quarantine",
        "appraisal",
        "bidding",
        "auction",
        "third_party_consultation",
        "other_agency_consultation",
        "superior_review",
    }
)
"""Known suspension reasons. Whether one stops a case's clock depends on its rule.

``third_party_consultation`` and ``other_agency_consultation`` are 政府信息公开条例
(2019) Art. 33 ¶2's time not counted: consulting third parties and other agencies.
"""


@attrs.frozen(kw_only=True)
class Suspended(Event):
    """Counting stops for a special procedure (行政许可法 Art. 45; OGI Art. 32–33).

    Attributes:
        reason: one of ``SUSPENSION_REASONS`` (or a local one a rule allows).
        expected_working_days: how long the applicant was told it will take.
    """

    type: ClassVar[str] = "suspended"
    reason: str
    expected_working_days: int | None = attrs.field(default=None, validator=_a_count)


@attrs.frozen(kw_only=True)
class Resumed(Event):
    """Counting resumes the day after this event's date."""

    type: ClassVar[str] = "resumed"


@attrs.frozen(kw_only=True)
class Extended(Event):
    """The statutory limit is extended, within the rule's maximum (e.g. Art. 42).

    Attributes:
        working_days: how many (in the unit of the rule's limit).
        approved_by: who approved it (e.g. 本行政机关负责人).
    """

    type: ClassVar[str] = "extended"
    working_days: int = attrs.field(validator=_a_count)
    approved_by: str = attrs.field(validator=_a_text)


@attrs.frozen(kw_only=True)
class Decided(Event):
    """The decision is made; the decision clocks stop.

    Attributes:
        outcome: ``approved`` or ``denied``.
    """

    type: ClassVar[str] = "decided"
    outcome: str


@attrs.frozen(kw_only=True)
class Delivered(Event):
    """The certificate or decision is delivered (its own limit, Art. 44)."""

    type: ClassVar[str] = "delivered"


@attrs.frozen(kw_only=True)
class Withdrawn(Event):
    """The applicant withdraws; the case ends."""

    type: ClassVar[str] = "withdrawn"


@attrs.frozen(kw_only=True)
class Evaluated(Event):
    """A 好差评 evaluation of the case.

    Attributes:
        level: 1 (非常不满意) to 5 (非常满意).
        channel: ``counter``, ``online``, …
    """

    type: ClassVar[str] = "evaluated"
    level: int = attrs.field(validator=_a_count)
    channel: str = "counter"


@attrs.frozen(kw_only=True)
class HearingRequested(Event):
    """The applicant requests a hearing: held within 20 days of this (行政许可法 Art. 47).

    The hearing's time is not counted in the decision limit (Art. 45): where
    the case's rule pauses for ``hearing``, its decision clocks stop until
    the hearing is held.
    """

    type: ClassVar[str] = "hearing_requested"


@attrs.frozen(kw_only=True)
class HearingHeld(Event):
    """The hearing is held: the hearing clock stops (Art. 47), the decision clocks resume."""

    type: ClassVar[str] = "hearing_held"


@attrs.frozen(kw_only=True)
class ProcedureChanged(Event):
    """A reconsideration changes procedure (行政复议法 2023 revision, Arts. 53, 55, 62).

    The limit of the new procedure applies, counted from acceptance: the
    simplified procedure's 30 days without extension, or the ordinary one's.

    Attributes:
        to: ``ordinary`` or ``simplified``.
        approved_by: who approved the change (行政复议机构的负责人).
    """

    type: ClassVar[str] = "procedure_changed"
    to: str
    approved_by: str


AnyEvent: TypeAlias = Union[  # noqa: UP007 - cattrs needs a typing.Union for the tagged union
    Submitted,
    CorrectionRequested,
    CorrectionReceived,
    Accepted,
    Rejected,
    Suspended,
    Resumed,
    Extended,
    Decided,
    Delivered,
    Withdrawn,
    Evaluated,
    HearingRequested,
    HearingHeld,
    ProcedureChanged,
]
"""Any one of the event classes."""

EVENT_TYPES: Mapping[str, type[Event]] = {
    cls.type: cls
    for cls in (
        Submitted,
        CorrectionRequested,
        CorrectionReceived,
        Accepted,
        Rejected,
        Suspended,
        Resumed,
        Extended,
        Decided,
        Delivered,
        Withdrawn,
        Evaluated,
        HearingRequested,
        HearingHeld,
        ProcedureChanged,
    )
}
"""Event type name → class (new types come last: their codes in event columns stay put)."""


def _strict(kind: type) -> Any:
    def structure(value: Any, _: type) -> Any:
        if type(value) is not kind:
            raise TypeError(
                Message(
                    N_("expected %(kind)s, got %(type)s %(value)r"),
                    {"kind": kind.__name__, "type": type(value).__name__, "value": value},
                )
            )
        return value

    return structure


def _make_converter() -> cattrs.Converter:
    conv = cattrs.Converter(forbid_extra_keys=True)
    conv.register_structure_hook(int, _strict(int))
    conv.register_structure_hook(str, _strict(str))
    conv.register_structure_hook(datetime, lambda v, _: _instant(v))
    conv.register_unstructure_hook(datetime, lambda v: v.isoformat())
    conv.register_structure_hook(
        Applicant,
        lambda v, _: Applicant.from_dict(v) if isinstance(v, Mapping) else _not_object(v),
    )
    conv.register_unstructure_hook(Applicant, lambda v: v.to_dict())
    conv.register_structure_hook(Renewal, lambda v, _: Renewal.from_dict(v))
    conv.register_unstructure_hook(Renewal, _renewal_dict)
    configure_tagged_union(AnyEvent, conv, tag_name="type", tag_generator=_type_tag)
    return conv


def _renewal_dict(value: Any) -> dict[str, str]:
    if not isinstance(value, Renewal):
        raise TypeError(
            Message(
                N_("'renewal_of' must be a Renewal, got %(type)s %(value)r"),
                {"type": type(value).__name__, "value": value},
            )
        )
    return value.to_dict()


def _type_tag(cls: type) -> str:
    tag: str = getattr(cls, "type")  # noqa: B009 - every event class has a 'type' ClassVar
    return tag


def _not_object(value: Any) -> Applicant:
    # the value is not shown: it is personal data
    raise TypeError(
        Message(
            N_("expected an object with 'name' and 'kind', got %(type)s"),
            {"type": type(value).__name__},
        )
    )


_converter = _make_converter()


def _describe(error: Exception) -> str | Message:
    """What is wrong, from the error building an event: each problem and where (``@ $.at``)."""
    if not isinstance(error, cattrs.BaseValidationError):
        return message_of(error)
    problems: dict[str, str | Message] = {}

    def problem(exc: BaseException, type_: type | None) -> str:
        if isinstance(exc, KeyError):
            found: str | Message = Message(N_("required field missing"))
        elif isinstance(exc, cattrs.ForbiddenExtraKeysError):
            fields = ", ".join(sorted(exc.extra_fields))
            found = Message(N_("unknown fields: %(fields)s"), {"fields": fields})
        else:
            found = message_of(exc)
        problems[str(found)] = found
        return str(found)

    parts: list[str | Message] = []
    for line in cattrs.transform_error(error, format_exception=problem):
        text, _, path = line.rpartition(" @ ")
        where = {"problem": problems.get(text, text), "path": path}
        parts.append(Message(N_("%(problem)s @ %(path)s"), where))
    return Message.join(parts, N_("%(first)s; %(rest)s"))


def event_from_dict(data: Mapping[str, Any], *, line: int | None = None) -> Event:
    """Build an event from its JSON object (the event format of DESIGN.md).

    Raises:
        EventError: naming the line (if given), the case, the event and the
            problem: unknown type, missing or unknown field, wrong type,
            naive time, bad identity number.
    """
    if type(data) is not dict and not isinstance(data, Mapping):
        raise EventError(
            None,
            None,
            Message(N_("expected a JSON object, got %(type)s"), {"type": type(data).__name__}),
            line=line,
        )
    etype = data.get("type")
    if etype not in EVENT_TYPES:
        reason = Message(
            N_("unknown event type %(type)r (known: %(known)s)"),
            {"type": etype, "known": ", ".join(EVENT_TYPES)},
        )
        raise EventError(*_naming(data), reason, line=line)
    fast = fast_event(data)
    if fast is not None:
        return fast
    try:
        event: Event = _converter.structure(dict(data), AnyEvent)  # type: ignore[arg-type]
    except (cattrs.BaseValidationError, CalendarError, GovServiceError, TypeError) as e:
        raise EventError(*_naming(data), _describe(e), line=line) from None
    return event


def _naming(data: Mapping[str, Any]) -> tuple[str | None, str]:
    """The case and the event an error names, from the JSON object *data* (only when refused)."""
    case = data.get("case")
    case_id = (case if len(case) <= MAX_ID else case[:40] + "…") if isinstance(case, str) else None
    label = _shown(data["id"]) if isinstance(data.get("id"), str) else str(data.get("type", "?"))
    return case_id, label


def event_to_dict(event: Event) -> dict[str, Any]:
    """The event's JSON object; fields that are ``None`` are left out."""
    data: dict[str, Any] = _converter.unstructure(event, AnyEvent)
    return {k: v for k, v in data.items() if v is not None}


MAX_LINE = 1_000_000
"""The longest line of a JSON Lines file of events, in characters; a longer one is refused
unread (an event is a few hundred characters)."""


def read_jsonl(path: str | Path) -> Iterator[tuple[int, Event]]:
    """Yield ``(line number, event)`` from a JSON Lines file; blank lines are skipped.

    Each line is one JSON object, read strictly: a key given twice, a line
    longer than ``MAX_LINE`` characters, bytes that are not UTF-8, nesting
    too deep or a number too long to read, a lone surrogate escape are
    refused, naming the line (and the column or byte).

    Raises:
        EventError: naming the file and the line of a malformed record.
        OSError: the file cannot be read.
    """
    for numbers, _, _, events, _ in _read_blocks(path):
        yield from zip(numbers, events, strict=True)


def _read_blocks(
    path: str | Path,
) -> Iterator[tuple[list[int], list[str], list[Any], list[Event], list[bool]]]:
    """:func:`read_jsonl` a block of lines at a time: numbers, texts, objects, events, and more.

    And whether each object is exactly its event's as written
    (``fast_event_as_written``).  The same lines, read the same way, with the
    same errors; the lines of a block before a malformed one are yielded
    before it is refused.
    """
    with Path(path).open(encoding="utf-8") as f:
        try:
            for numbers, lines, too_long in _lines(f):
                values, bad = loads_json_lines(lines)
                events: list[Event] = []
                written: list[bool] = []
                refused = None
                try:
                    for n, data in zip(numbers, values, strict=False):
                        # the usual event at once; anything else named by event_from_dict
                        usual = fast_event_as_written(data) if type(data) is dict else None
                        if usual is None:
                            events.append(event_from_dict(data, line=n))
                            written.append(False)
                        else:
                            events.append(usual[0])
                            written.append(usual[1])
                except EventError as e:
                    refused = e
                if events:
                    k = len(events)
                    yield numbers[:k], lines[:k], values[:k], events, written
                if refused is not None:
                    raise refused
                if bad is not None:
                    reason = bad.message
                    if bad.column is not None:
                        at = (  # "Unterminated string starting at" column 5
                            N_("%(reason)s column %(column)s")
                            if str(reason).endswith(" at")
                            else N_("%(reason)s at column %(column)s")
                        )
                        reason = Message(at, {"reason": reason, "column": bad.column})
                    line = numbers[len(values)]
                    reason = Message(N_("not valid JSON: %(reason)s"), {"reason": reason})
                    raise EventError(None, None, reason, line=line)
                if too_long is not None:
                    raise too_long
        except UnicodeDecodeError:
            raise _not_utf8(path) from None
        except EventError as e:
            raise e.within(str(path)) from None


_BLOCK = 1 << 16
"""How many characters :func:`read_jsonl` reads at a time."""


def _lines(f: TextIO) -> Iterator[tuple[list[int], list[str], EventError | None]]:
    """The lines of *f* that are not blank, without their ends, a block at a time.

    Yields their numbers, the lines, and the refusal of the line after them if
    it is longer than ``MAX_LINE`` (then nothing more: the rest is not read).
    """
    n, rest = 0, ""
    while block := f.read(_BLOCK):
        text = rest + block
        lines = text.split("\n")
        rest = lines.pop()
        too_long = len(rest) > MAX_LINE
        if len(text) > MAX_LINE:  # a line may be longer: the lines before the first that is
            long = next((k for k, line in enumerate(lines) if len(line) > MAX_LINE), None)
            if long is not None:
                lines, too_long = lines[:long], True
                text = "".join([line + "\n" for line in lines])  # the lines kept: tested below
        refused = None
        if too_long:
            reason = Message(N_("longer than %(limit)s characters"), {"limit": f"{MAX_LINE:,}"})
            refused = EventError(None, None, reason, line=n + len(lines) + 1)
        if text[:1] == "{" and text.count("\n{", 0, text.rfind("\n")) == len(lines) - 1:
            # the usual block: every line begins with "{", so none is blank
            yield list(range(n + 1, n + len(lines) + 1)), lines, refused
        else:
            kept = [k for k, line in enumerate(lines) if line[:1] == "{" or line.strip()]
            yield [n + k + 1 for k in kept], [lines[k] for k in kept], refused
        if too_long:
            return
        n += len(lines)
    if rest.strip():
        yield [n + 1], [rest], None


def _not_utf8(path: str | Path) -> EventError:
    """The error for a file with bytes that are not UTF-8: found again, to name line and byte."""
    with Path(path).open("rb") as f:
        for n, raw in enumerate(f, start=1):
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError as e:
                error = not_utf8(path, e)
                found = EventError(None, None, located([], error.reason, error.value), line=n)
                return found.within(str(path))
    not_text = EventError(None, None, N_("not UTF-8 text"))  # pragma: no cover - decoded above
    return not_text.within(str(path))  # pragma: no cover


def events_to_jsonl(events: Iterable[Event]) -> str:
    """The events as JSON Lines text, one object per line."""
    return "".join(json.dumps(event_to_dict(e), ensure_ascii=False) + "\n" for e in events)


# the fast readers are generated from the classes above: imported once they are defined
from govservice.cases._readers import fast_event, fast_event_as_written  # noqa: E402
