"""The stored JSON body of an event, written fast.

A store keeps each event as the text
``json.dumps(event_to_dict(event), ensure_ascii=False, sort_keys=True)`` — or,
for an event imported from a line holding exactly that object, as the line
(:func:`line_body_and_time`).
:func:`~govservice.cases.event_to_dict` goes through cattrs' tagged union,
which costs more than the rest of an append's Python work, so
:func:`body_and_time` writes the same text directly, with one function per
event class generated when the module loads (as attrs generates
``__init__``): the fields in key order, strings and numbers as they are, the
time as ``isoformat()`` writes it, the applicant's and a renewal's
``to_dict()`` as an object, a tuple of items as a list, the ``type`` tag, and
no field that is ``None`` — each
string quoted by :mod:`json`'s own function, separators as :func:`json.dumps`
writes them.

Only the built-in event classes take this path, and a field only when it
holds ``None`` or exactly its declared type (cattrs would dispatch anything
else on its runtime type); anything else goes the reference way.  The test
suite checks with hypothesis that both ways give byte-identical text.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import datetime, timezone
from json.encoder import encode_basestring
from typing import Any, Final

import attrs

from govservice.cases import EVENT_TYPES, Applicant, Event, Renewal, event_to_dict

__all__ = ["body_and_time", "content_id", "line_body_and_time", "reference_body"]

_encode: Final[Callable[[Any], str]] = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode
"""What ``json.dumps(obj, ensure_ascii=False, sort_keys=True)`` runs."""
_quote: Final[Callable[[str], str]] = encode_basestring
"""How :mod:`json` writes a string when ``ensure_ascii=False`` (its C function when built)."""


def reference_body(event: Event) -> str:
    """The stored body, the reference way: cattrs, then :func:`json.dumps`.

    .. versionadded:: 0.1
    """
    return json.dumps(event_to_dict(event), ensure_ascii=False, sort_keys=True)


# how cattrs unstructures each declared field type (events.py's converter)
_TEXT, _NUMBER, _OPTIONAL_TEXT, _OPTIONAL_NUMBER, _INSTANT, _APPLICANT, _ITEMS, _RENEWAL = range(8)
_KINDS: Final[list[tuple[object, int]]] = [
    (str, _TEXT),
    (int, _NUMBER),
    (str | None, _OPTIONAL_TEXT),
    (int | None, _OPTIONAL_NUMBER),
    (datetime, _INSTANT),
    (Applicant, _APPLICANT),
    (tuple[str, ...], _ITEMS),
    (Renewal | None, _RENEWAL),
]

# the code that writes one field (held in ``v``): a string as it is, else the
# value its kind declares, else — a value cattrs and json would treat otherwise
# than written here — the whole event the reference way
_FIELD = """\
    v = event.{name}
    if v is not None:  # event_to_dict leaves out what is None
        t = type(v)
        if t is str:
            out += {key!r} + quote(v) + ", "
"""
_DECLARED = {
    _NUMBER: """\
        elif t is int:
            out += {key!r} + int.__repr__(v) + ", "
""",
    _APPLICANT: """\
        elif t is Applicant:
            out += {key!r} + text_object(v.to_dict()) + ", "
""",
    _ITEMS: """\
        elif t is tuple and all(type(x) is str for x in v):
            out += {key!r} + "[" + ", ".join(map(quote, v)) + "], "
""",
    _RENEWAL: """\
        elif t is Renewal:
            out += {key!r} + text_object(v.to_dict()) + ", "
""",
}
_DECLARED[_OPTIONAL_NUMBER] = _DECLARED[_NUMBER]
_OTHERWISE = """\
        else:
            return reference(event)
"""
_INSTANT_FIELD = """\
    v = event.{name}
    if v is not None:
        text = instant_text(v) if type(v) is datetime else v.isoformat()
        if type(text) is not str:
            return reference(event)
        out += {key!r} + quote(text) + ", "
"""


_OFFSETS: Final[dict[timezone, str]] = {}
"""The text of each fixed offset met, as ``isoformat()`` ends: ``"+08:00"``."""
_DAYS: Final[dict[int, str]] = {}
"""The text of each day met (by ordinal) up to the time: ``"2026-03-04T"``."""
_MINUTES: Final[list[str]] = [f"{h:02d}:{m:02d}:" for h in range(24) for m in range(60)]
_SECONDS: Final[list[str]] = [f"{s:02d}" for s in range(60)]


def _instant_text(at: datetime) -> str:
    """``at.isoformat()``: the usual instant (whole seconds, a fixed offset) written from parts.

    ``datetime.isoformat`` asks the time zone for its offset and formats every
    part anew, which costs more than the rest of an event's body; here the
    texts of the day and of the offset, each written by ``isoformat`` itself,
    are kept, and the time of day is two look-ups.
    """
    tz = at.tzinfo
    if at.microsecond or type(tz) is not timezone:
        return at.isoformat()
    offset = _OFFSETS.get(tz)
    if offset is None:
        if len(_OFFSETS) >= 1000:  # bounds on memory, far above what a store meets
            _OFFSETS.clear()
        offset = _OFFSETS[tz] = datetime(2000, 1, 1, tzinfo=tz).isoformat()[19:]
    ordinal = at.toordinal()
    day = _DAYS.get(ordinal)
    if day is None:
        if len(_DAYS) >= 100_000:  # nearly three centuries of days
            _DAYS.clear()
        day = _DAYS[ordinal] = at.date().isoformat() + "T"
    return day + _MINUTES[at.hour * 60 + at.minute] + _SECONDS[at.second] + offset


def _text_object(obj: dict[str, str]) -> str:
    """``json.dumps(obj, ensure_ascii=False, sort_keys=True)`` of a dict of strings."""
    for value in obj.values():
        if type(value) is not str:
            return _encode(obj)
    return "{" + ", ".join([_quote(k) + ": " + _quote(obj[k]) for k in sorted(obj)]) + "}"


def _reference(event: Event) -> tuple[str, str]:
    return reference_body(event), event.at.isoformat()


def _writer(cls: type[Event]) -> Callable[[Event], tuple[str, str]]:
    """A function writing *cls*'s body field by field in key order (as attrs writes ``__init__``).

    A class with a field of a type not known here is written the reference way.
    """
    kinds = {}
    for field in attrs.fields(attrs.resolve_types(cls)):
        kind = next((k for t, k in _KINDS if t == field.type), None)
        if kind is None:
            return _reference
        kinds[field.name] = kind
    if kinds.get("at") != _INSTANT:
        return _reference
    lines = ["def write(event):", '    out = "{"', '    at = ""']
    for name in sorted([*kinds, "type"]):
        key = _quote(name) + ": "
        if name == "type":
            lines.append(f"    out += {key + _quote(cls.type) + ', '!r}")
            continue
        kind = kinds[name]
        if kind == _INSTANT:
            lines.append(_INSTANT_FIELD.format(name=name, key=key))
            if name == "at":
                lines.append("        at = text\n")
            continue
        lines.append(_FIELD.format(name=name, key=key))
        lines.append(_DECLARED.get(kind, "").format(key=key))
        lines.append(_OTHERWISE)
    lines.append('    return out[:-2] + "}", at')
    namespace: dict[str, Any] = {
        "quote": _quote,
        "text_object": _text_object,
        "Applicant": Applicant,
        "Renewal": Renewal,
        "reference": _reference,
        "datetime": datetime,
        "instant_text": _instant_text,
    }
    exec(
        compile("\n".join(lines), f"<govservice body writer for {cls.__name__}>", "exec"), namespace
    )
    write: Callable[[Event], tuple[str, str]] = namespace["write"]
    return write


_WRITERS: Final[dict[type[Event], Callable[[Event], tuple[str, str]]]] = {
    cls: _writer(cls) for cls in EVENT_TYPES.values()
}


def line_body_and_time(line: str, data: Any, event: Event, as_written: bool) -> tuple[str, str]:
    """The body and time of the *event* read from the JSON object *data* on a *line* of a file.

    The *line* itself when *data* is exactly the event's object as the body
    holds it (*as_written*, as
    :func:`~govservice.cases._readers.fast_event_as_written` tells) and the
    event has an id (an event without one is named by its written body,
    :func:`content_id`); else :func:`body_and_time`.  Such a line may differ
    from the written body only in the way its JSON is written (spaces, the
    order of keys, escapes): read, it gives the same object and the same event.

    .. versionadded:: 0.1
    """
    if as_written and event.id is not None and line[:1] == "{" and line[-1:] == "}":
        at: str = data["at"]
        return line, at
    return body_and_time(event)


def body_and_time(event: Event) -> tuple[str, str]:
    """The event's stored body and its time as ISO 8601 text (``event.at.isoformat()``).

    The store writes both; the time is computed once.

    .. versionadded:: 0.1
    """
    return _WRITERS.get(type(event), _reference)(event)


def content_id(body: str) -> str:
    """The id of an event given without one: derived from its stored *body* (which has no id).

    ``"sha256:"`` and the first 32 hex digits of the SHA-256 of the body's
    UTF-8 text.  The same event, imported again, has the same id and is
    skipped, as an event with an id is; two events differing in anything
    (their time, their ``by``) have different ids.

    .. versionadded:: 0.1
    """
    return "sha256:" + hashlib.sha256(body.encode("utf-8")).hexdigest()[:32]
