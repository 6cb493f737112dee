"""Events built from their JSON objects fast, for imports.

:func:`~govservice.cases.event_from_dict` structures an event through cattrs'
tagged union, which costs more than validating the event against its case.
:func:`fast_event` builds the same event directly — one function per event
class, generated when the module loads from the class's fields, as
``govservice.storage._bodies`` generates the writers of event bodies — when
every field holds exactly what cattrs would accept unchanged: a string where a
string is declared, an ``int`` (not a ``bool``) where a number is, ``None``
where the field is optional, a list of strings for a tuple of items, an object
for the applicant or a renewal; the instant is parsed by the class's own
converter; a field left out takes the class's default.  For anything else — an
unknown field, a required one left out, another type, a value the class
refuses — it returns ``None``, and the reference way builds
the event or names the error.  The test suite checks with hypothesis that
both ways give equal events.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, Final

import attrs

from govservice.cases.applicants import Applicant
from govservice.cases.events import EVENT_TYPES, Event, Renewal

__all__ = ["fast_event"]

Reader = Callable[[Mapping[str, Any]], Event | None]

_MISSING: Final = object()
"""What a reader reads for a field the object does not have."""

# the check and conversion of a field's value (held in ``v``), by declared type
_CHECKS: Final[list[tuple[object, str]]] = [
    (str, "type(v) is str"),
    (int, "type(v) is int"),
    (str | None, "v is None or type(v) is str"),
    (int | None, "v is None or type(v) is int"),
    (datetime, "type(v) is str"),
    (Applicant, "isinstance(v, Mapping)"),
    (tuple[str, ...], "type(v) is list and all(type(x) is str for x in v)"),
    (Renewal | None, "v is None or isinstance(v, Mapping)"),
]
_CONVERT: Final[dict[object, str]] = {
    Applicant: "Applicant.from_dict(v)",
    tuple[str, ...]: "tuple(v)",
    Renewal | None: "None if v is None else Renewal.from_dict(v)",
}


def _reader(cls: type[Event]) -> Reader | None:
    """The fast reader of *cls*, or ``None`` if a field's type is not one known here."""
    fields = attrs.fields(attrs.resolve_types(cls))
    checks = {}
    for field in fields:
        check = next((c for t, c in _CHECKS if t == field.type), None)
        if check is None or isinstance(field.default, attrs.Factory):  # type: ignore[arg-type]
            return None
        checks[field.name] = (check, _CONVERT.get(field.type, "v"))
    namespace: dict[str, Any] = {
        "cls": cls,
        "known": {*checks, "type"},
        "missing": _MISSING,
        "Mapping": Mapping,
        "Applicant": Applicant,
        "Renewal": Renewal,
    }
    lines = [
        "def read(data):",
        "    if not data.keys() <= known:",  # an unknown field: the reference way names it
        "        return None",
    ]
    for field in fields:
        name = field.name
        check, convert = checks[name]
        lines += [f"    v = data.get({name!r}, missing)"]
        if field.default is attrs.NOTHING:  # required: a missing field fails every check
            lines += [f"    if not ({check}):", "        return None"]
            lines += [f"    f_{name} = {convert}"]
            continue
        namespace[f"d_{name}"] = field.default
        lines += [
            "    if v is missing:",  # the class's own default
            f"        f_{name} = d_{name}",
            f"    elif not ({check}):",
            "        return None",
            "    else:",
            f"        f_{name} = {convert}",
        ]
    lines.append(f"    return cls({', '.join(f'{name}=f_{name}' for name in checks)})")
    source = compile("\n".join(lines), f"<govservice event reader for {cls.__name__}>", "exec")
    exec(source, namespace)
    read: Reader = namespace["read"]
    return read


_READERS: Final[dict[str, Reader]] = {
    name: reader for name, cls in EVENT_TYPES.items() if (reader := _reader(cls)) is not None
}


def fast_event(data: Mapping[str, Any]) -> Event | None:
    """The event of the JSON object *data*, built directly; ``None`` to go the reference way.

    .. versionadded:: 0.1
    """
    tag = data.get("type")
    reader = _READERS.get(tag) if type(tag) is str else None
    if reader is None:
        return None
    try:
        return reader(data)
    except Exception:  # a value the class refuses: the reference way names the error
        return None
