"""The stored JSON body of an event, written fast.

A store keeps each event as the text
``json.dumps(event_to_dict(event), ensure_ascii=False, sort_keys=True)``.
:func:`~govservice.cases.event_to_dict` goes through cattrs' tagged union,
which costs more than the rest of an append's Python work, so
:func:`body_and_time` builds the same dict directly — field by field as cattrs
unstructures it: strings and numbers as they are, the time with
``isoformat()``, the applicant with ``to_dict()``, a tuple of items as a
list, the ``type`` tag, and no field that is ``None`` — and encodes it with
:mod:`json`'s own encoder, set up as :func:`json.dumps` sets it up.

Only the built-in event classes take this path, and an optional field only
when it holds ``None`` or exactly its declared type (cattrs would dispatch
anything else on its runtime type); anything else goes the reference way.
The test suite checks with hypothesis that both ways give byte-identical text.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from json.encoder import encode_basestring
from typing import Any, Final

import attrs

from govservice.cases import EVENT_TYPES, Applicant, Event, event_to_dict

__all__ = ["body_and_time", "reference_body"]

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
_TEXT, _NUMBER, _OPTIONAL_TEXT, _OPTIONAL_NUMBER, _INSTANT, _APPLICANT, _ITEMS = range(7)
_KINDS: Final[list[tuple[object, int]]] = [
    (str, _TEXT),
    (int, _NUMBER),
    (str | None, _OPTIONAL_TEXT),
    (int | None, _OPTIONAL_NUMBER),
    (datetime, _INSTANT),
    (Applicant, _APPLICANT),
    (tuple[str, ...], _ITEMS),
]
_NUMBERS = (_NUMBER, _OPTIONAL_NUMBER)

# per event class: ('"key": ', field, kind) in key order, and the closing ('"type": "…"}')
_Plan = tuple[tuple[tuple[str, str, int], ...], str]


def _plan(cls: type[Event]) -> _Plan | None:
    """How to write *cls*; ``None`` when it has a field of a type not known here."""
    kinds = {}
    for field in attrs.fields(attrs.resolve_types(cls)):
        kind = next((k for t, k in _KINDS if t == field.type), None)
        if kind is None:
            return None
        kinds[field.name] = kind
    keys = sorted([*kinds, "type"])
    if keys[-1] != "type":  # a field sorting after "type": no fast path (none does)
        return None
    fields = tuple((_quote(k) + ": ", k, kinds[k]) for k in keys[:-1])
    return fields, f'"type": {_quote(cls.type)}}}'


_PLANS: Final[dict[type[Event], _Plan | None]] = {cls: _plan(cls) for cls in EVENT_TYPES.values()}


def body_and_time(event: Event) -> tuple[str, str]:
    """The event's stored body and its time as ISO 8601 text (``event.at.isoformat()``).

    The store writes both; the time is computed once.

    .. versionadded:: 0.1
    """
    plan = _PLANS.get(type(event))
    if plan is None:
        return reference_body(event), event.at.isoformat()
    fields, closing = plan
    at = ""
    parts = ["{"]
    for key, name, kind in fields:
        value = getattr(event, name)
        if value is None:  # event_to_dict leaves out what is None
            continue
        vtype = type(value)
        if vtype is str and kind != _INSTANT:
            parts.append(key + _quote(value) + ", ")
        elif kind == _INSTANT:
            text = value.isoformat()
            if type(text) is not str:
                return reference_body(event), event.at.isoformat()
            if name == "at":
                at = text
            parts.append(key + _quote(text) + ", ")
        elif vtype is int and kind in _NUMBERS:
            parts.append(key + int.__repr__(value) + ", ")
        elif kind == _APPLICANT and vtype is Applicant:
            parts.append(key + _encode(value.to_dict()) + ", ")
        elif kind == _ITEMS and vtype is tuple and all(type(v) is str for v in value):
            parts.append(key + "[" + ", ".join(map(_quote, value)) + "], ")
        else:  # a value cattrs and json would treat otherwise: the reference way
            return reference_body(event), event.at.isoformat()
    parts.append(closing)
    return "".join(parts), at
