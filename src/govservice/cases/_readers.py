"""Events built from their JSON objects fast, for imports.

:func:`~govservice.cases.event_from_dict` structures an event through cattrs'
tagged union, and the class's ``__init__`` checks every field again, which
costs more than validating the event against its case.  :func:`fast_event`
builds the same event directly — one function per event class, generated when
the module loads from the class's fields, as ``govservice.storage._bodies``
generates the writers of event bodies — when every field holds the usual
value: a string where a string is declared, an ``int`` (not a ``bool``) where
a number is, ``None`` where the field is optional, a list of strings for a
tuple of items, an object for the applicant (read the same way) or a renewal,
each passing its validator's quick test (:class:`~govservice._usual.UsualValidator`,
whose source the reader inlines: printable text within its limit, a count
within range); the instant is read by the ``at`` converter's own quick reading
(:class:`~govservice._usual.UsualConverter`, inlined too), the applicant's
numbers by its converters; a field left out takes the class's default.  The instance is
then made without running ``__init__`` again (its slots set directly, then
``__attrs_post_init__`` if the class has one).  For anything else — an unknown
field, a required one left out, another type, a value the quick test does not
pass or the class refuses — it returns ``None``, and the reference way builds
the event or names the error.  The test suite checks with hypothesis that both
ways give equal events.
"""

from __future__ import annotations

import re
import types
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, Final, Union, get_args, get_origin

import attrs

from govservice._usual import USUAL, UsualConverter, UsualValidator
from govservice.cases.applicants import Applicant
from govservice.cases.events import EVENT_TYPES, Event, Renewal

__all__ = ["fast_event", "fast_event_as_written"]

Reader = Callable[[Mapping[str, Any]], Any]

_MISSING: Final = object()
"""What a reader reads for a field the object does not have."""

_WRITTEN_TIME: Final = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:[0-9]{2}"
).fullmatch
"""Matches a time as ``isoformat()`` writes what :meth:`datetime.fromisoformat` reads of it.

Whole seconds, an offset in hours and minutes: read, then written again, it
is the same text — but for the offset ``-00:00``, written ``+00:00``.
"""

# the type check of a field's value (held in ``v``), by declared type (``None`` apart)
_CHECKS: Final[dict[object, str]] = {
    str: "type(v) is str",
    int: "type(v) is int",
    datetime: "type(v) is str",  # converted by the field's converter
    Applicant: "type(v) is dict",  # read by its own reader
    tuple[str, ...]: "type(v) is list",  # each item checked by the field's validator
    Renewal: "isinstance(v, Mapping)",
}


def _optional(kind: object) -> object | None:
    """``X`` of the type ``X | None``, else ``None``."""
    if get_origin(kind) in (Union, types.UnionType):
        args = [a for a in get_args(kind) if a is not type(None)]
        if len(args) == 1 and len(get_args(kind)) == 2:
            base: object = args[0]
            return base
    return None


def _reader(cls: type, present: int = 0, *, tell: bool = False) -> Reader | None:
    """The fast reader of *cls*, or ``None`` if a field is not of a kind known here.

    *present* counts the keys the object has besides the fields (an event's
    ``type``, by which :func:`fast_event` chose its reader): the object has a
    key that is not a field when it has more keys than that and the fields read.
    With *tell*, the reader returns the instance and whether the object is
    exactly what the instance's JSON object holds (:func:`fast_event_as_written`).
    """
    fields = attrs.fields(attrs.resolve_types(cls))
    namespace: dict[str, Any] = {
        "new": object.__new__,
        "cls": cls,
        "missing": _MISSING,
        "Mapping": Mapping,
        "Renewal": Renewal,
        "written_time": _WRITTEN_TIME,
    }
    if hasattr(cls, "__attrs_pre_init__"):
        return None
    required = sum(field.default is attrs.NOTHING for field in fields)
    lines = ["def read(data):", f"    n = {required + present}"]  # the keys read, so far
    if tell:
        lines += ["    w = True"]  # the object holds the instance's values as written, so far
    for field in fields:
        name = field.name
        base = _optional(field.type)
        optional = base is not None and field.default is None
        kind = base if optional else field.type
        check = _CHECKS.get(kind)
        slot = getattr(cls, name, None)
        if (
            check is None
            or not isinstance(slot, types.MemberDescriptorType)
            or isinstance(field.default, attrs.Factory)  # type: ignore[arg-type]
            or (field.converter is not None and field.validator is not None)
        ):
            return None
        namespace[f"s_{name}"] = slot.__set__
        # as written: what the value read, written back, is (see fast_event_as_written)
        convert, after, written = "v", "", "True"
        usual = field.metadata.get(USUAL)
        if isinstance(usual, UsualConverter):
            namespace.update(usual.names)
            convert, after = usual.usual, f"if f_{name} is None: return None"
            written = (
                "written_time(v) is not None and v[19:] != '-00:00'"
                if kind is datetime
                else f"f_{name} is v"
            )
        elif field.converter is not None:
            namespace[f"c_{name}"] = field.converter
            convert, written = f"c_{name}(v)", f"f_{name} is v"
        elif kind is Applicant:
            if _READ_APPLICANT is None:
                return None
            namespace[f"r_{name}"] = _READ_APPLICANT
            convert, after = f"r_{name}(v)", f"if f_{name} is None: return None"
            written = f"v == f_{name}.to_dict()"
        elif kind is Renewal:
            convert, written = "Renewal.from_dict(v)", f"v == f_{name}.to_dict()"
        elif kind == tuple[str, ...]:
            convert = "tuple(v)"  # written as the list read
        validator = field.validator
        if isinstance(validator, UsualValidator):  # its test of the value's type too
            check = validator.usual
        elif kind == tuple[str, ...] and isinstance(
            member := getattr(validator, "member_validator", None), UsualValidator
        ):
            namespace[f"q_{name}"] = member.quick
            check = f"{check} and all(map(q_{name}, v))"
        elif validator is not None:
            return None
        if optional:
            check = f"v is None or ({check})"
            convert = convert if convert == "v" else f"None if v is None else {convert}"
            written = "v is not None" + ("" if written == "True" else f" and {written}")
        lines += [f"    v = data.get({name!r}, missing)"]
        if field.default is attrs.NOTHING:  # required: a missing field fails every check
            lines += [f"    if not ({check}):", "        return None", f"    f_{name} = {convert}"]
            if after:
                lines += [f"    {after}"]
            if tell and written != "True":
                lines += [f"    w = w and {written}"]  # a value converted
        else:
            namespace[f"d_{name}"] = field.default
            lines += [
                "    if v is missing:",  # the class's own default
                f"        f_{name} = d_{name}",
                *(["        w = False"] if tell and field.default is not None else []),
                f"    elif not ({check}):",
                "        return None",
                "    else:",
                f"        f_{name} = {convert}",
                "        n += 1",
            ]
            if tell and written != "True":  # a null given, a value converted
                lines += [f"        w = w and {written}"]
            if after:
                lines += [f"    {after}"]
    lines += ["    if len(data) != n:", "        return None"]  # a key that is no field
    lines += ["    o = new(cls)"]
    lines += [f"    s_{field.name}(o, f_{field.name})" for field in fields]
    if hasattr(cls, "__attrs_post_init__"):
        lines += ["    o.__attrs_post_init__()"]
    lines += ["    return o, w" if tell else "    return o"]
    source = compile("\n".join(lines), f"<govservice reader for {cls.__name__}>", "exec")
    exec(source, namespace)
    read: Reader = namespace["read"]
    return read


_READ_APPLICANT: Final = _reader(Applicant)

_READERS: Final[dict[str, Reader]] = {
    name: reader
    for name, cls in EVENT_TYPES.items()
    if (reader := _reader(cls, present=1)) is not None
}
_TELLING: Final[dict[str, Reader]] = {
    name: reader
    for name, cls in EVENT_TYPES.items()
    if (reader := _reader(cls, present=1, tell=True)) is not None
}


def fast_event(data: Mapping[str, Any]) -> Event | None:
    """The event of the JSON object *data*, built directly; ``None`` to go the reference way.

    .. versionadded:: 0.1
    """
    event: Event | None = _read(data, _READERS)
    return event


def fast_event_as_written(data: Mapping[str, Any]) -> tuple[Event, bool] | None:
    """:func:`fast_event`, and whether *data* is exactly the JSON object of the event as written.

    As written: what ``event_to_dict`` gives — no field that is ``None``
    given (as ``null``), every field with a default other than ``None``
    given, every value as read (a string, an ``int``, a list of strings for
    a tuple) or, converted, written back as it was read: the time in the
    form ``isoformat()`` writes (whole seconds, an offset in hours and
    minutes, ``+00:00`` not ``-00:00``), the applicant's and a renewal's
    objects what their ``to_dict()`` gives.  A store may keep such an
    object's text as the event's body (``govservice.storage``).

    .. versionadded:: 0.1
    """
    found: tuple[Event, bool] | None = _read(data, _TELLING)
    return found


def _read(data: Mapping[str, Any], readers: dict[str, Reader]) -> Any:
    """What the reader of *data*'s type among *readers* gives; ``None`` for the reference way."""
    tag = data.get("type")
    reader = readers.get(tag) if type(tag) is str else None
    if reader is None:
        return None
    try:
        return reader(data)
    except Exception:  # a value the class refuses: the reference way names the error
        return None
