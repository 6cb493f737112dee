"""Units, windows, staff, matters and bundles: what a catalogue is made of.

All are frozen value objects; change one with :func:`attrs.evolve`.  Each
checks what it can check alone (a promised limit not longer than the
statutory one, a unit's window serving one unit); references between them
(a matter's unit, a staff member's window, a rule id) are checked by the
:class:`~govservice.model.Catalogue` that holds them.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Any

import attrs

from govservice.model.errors import ModelError
from govservice.model.rules import TimeLimit
from govservice.text import N_, Message

__all__ = ["Bundle", "HandlingKind", "Matter", "Staff", "Unit", "Window"]


class HandlingKind(enum.Enum):
    """How a matter is handled (办件类型).

    .. versionadded:: 0.1
    """

    IMMEDIATE = "immediate"
    """即办件 — clear conditions, no other department, no superior; finished on the spot."""
    PROMISED = "promised"
    """承诺件 — needs review, a site visit or approval; the window promises a limit."""
    JOINT = "joint"
    """联办件 — a lead window and co-handling windows under a combined limit."""
    REPORTED = "reported"
    """上报件 — forwarded to a superior, answered after its reply."""


def _record(instance: Any) -> str | None:
    kind = type(instance).__name__.lower()
    code = getattr(instance, "code", None)
    return f"{kind} {code}" if isinstance(code, str) and code else None


def _non_empty(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ModelError(
            _record(instance), attribute.name, value, N_("expected a non-empty string")
        )


def _codes(value: Iterable[str]) -> tuple[str, ...]:
    if isinstance(value, str):
        raise ModelError(None, None, value, N_("expected a sequence of codes, not a string"))
    return tuple(value)


def _code_list(instance: Any, attribute: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
    for code in value:
        if not isinstance(code, str) or not code:
            raise ModelError(
                _record(instance), attribute.name, code, N_("expected non-empty codes")
            )
    seen: set[str] = set()
    for code in value:
        if code in seen:
            raise ModelError(_record(instance), attribute.name, code, N_("listed twice"))
        seen.add(code)


def _handling_kind(value: HandlingKind | str) -> HandlingKind:
    if isinstance(value, HandlingKind):
        return value
    try:
        return HandlingKind(value)
    except ValueError:
        known = ", ".join(k.value for k in HandlingKind)
        raise ModelError(
            None, "kind", value, Message(N_("unknown kind (known: %(known)s)"), {"known": known})
        ) from None


def _is_limit(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not (isinstance(value, TimeLimit) or (value is None and attribute.default is None)):
        raise ModelError(_record(instance), attribute.name, value, N_("expected a TimeLimit"))


@attrs.frozen
class Unit:
    """A department (单位/部门) with matters.

    Args:
        code: its code in the catalogue, e.g. ``"MR"``.
        name: its name, e.g. ``"市场监督管理局"``.
        stationed: whether it is stationed (进驻) in the centre.

    .. versionadded:: 0.1

    """

    code: str = attrs.field(validator=_non_empty)
    name: str = attrs.field(validator=_non_empty)
    stationed: bool = True


@attrs.frozen
class Window:
    """A counter (窗口).

    A unit's window serves that one unit; a comprehensive window (综合窗口)
    serves several.

    Args:
        code: its code, e.g. ``"W01"``.
        name: its name.
        units: the codes of the units it serves: exactly one unless comprehensive.
        comprehensive: whether it is a comprehensive window.

    .. versionadded:: 0.1

    """

    code: str = attrs.field(validator=_non_empty)
    name: str = attrs.field(validator=_non_empty)
    units: tuple[str, ...] = attrs.field(converter=_codes, validator=_code_list)
    comprehensive: bool = False

    def __attrs_post_init__(self) -> None:
        if not self.units:
            raise ModelError(_record(self), "units", list(self.units), N_("serves no unit"))
        if not self.comprehensive and len(self.units) != 1:
            raise ModelError(
                _record(self),
                "units",
                list(self.units),
                N_("a unit's window serves one unit; mark it comprehensive to serve several"),
            )


@attrs.frozen
class Staff:
    """A person at a window (窗口工作人员).

    Args:
        code: their code, e.g. a staff number.
        name: their name.
        window: the code of their window.

    .. versionadded:: 0.1

    """

    code: str = attrs.field(validator=_non_empty)
    name: str = attrs.field(validator=_non_empty)
    window: str = attrs.field(validator=_non_empty)


@attrs.frozen
class Matter:
    """A catalogued service (事项).

    Args:
        code: its code, e.g. ``"MR-001"``.
        name: its name, e.g. ``"食品经营许可"``.
        unit: the code of the unit that handles it.
        category: its category, e.g. ``"administrative_licensing"``.
        kind: how it is handled (a :class:`HandlingKind` or its value).
        statutory: the statutory limit (法定时限), under a named rule.
        promised: the promised limit (承诺时限), not longer than the statutory
            one; it may be in working hours when the statutory limit is in
            working days.
        authorized: whether the window staff are fully authorised (授权到位).
        stationed: whether it is handled in the centre (进驻); ``None``: as its unit.
        windows: the codes of the windows that take it; ``()``: not stated.

    Raises:
        ModelError: the statutory limit names no rule, or the promised limit is
            longer than the statutory one or cannot be compared with it.

    .. versionadded:: 0.1

    """

    code: str = attrs.field(validator=_non_empty)
    name: str = attrs.field(validator=_non_empty)
    unit: str = attrs.field(validator=_non_empty)
    category: str = attrs.field(validator=_non_empty)
    kind: HandlingKind = attrs.field(converter=_handling_kind)
    statutory: TimeLimit = attrs.field(validator=_is_limit)
    promised: TimeLimit | None = attrs.field(default=None, validator=_is_limit)
    authorized: bool = True
    stationed: bool | None = None
    windows: tuple[str, ...] = attrs.field(default=(), converter=_codes, validator=_code_list)

    def __attrs_post_init__(self) -> None:
        if self.statutory.rule is None:
            raise ModelError(
                _record(self), "statutory", str(self.statutory), N_("names no time-limit rule")
            )
        if self.promised is None:
            return
        longer = self.promised.exceeds(self.statutory)
        if longer:
            raise ModelError(
                _record(self),
                "promised",
                str(self.promised),
                Message(
                    N_("longer than the statutory limit (%(statutory)s)"),
                    {"statutory": self.statutory},
                ),
            )
        if longer is None:
            raise ModelError(
                _record(self),
                "promised",
                str(self.promised),
                Message(
                    N_(
                        "cannot be compared with the statutory limit (%(statutory)s) without a "
                        "calendar: state it in %(label)s"
                    ),
                    {"statutory": self.statutory, "label": self.statutory.unit.label},
                ),
            )

    @property
    def limit(self) -> TimeLimit:
        """The limit the window works to — the promised one if any, else the statutory one."""
        return self.promised if self.promised is not None else self.statutory


@attrs.frozen
class Bundle:
    """Several matters handled together (一件事一次办, 联办) under a combined limit.

    Args:
        code: its code.
        name: its name.
        matters: the codes of its matters, at least two.
        lead: the code of the lead matter, one of *matters*; its unit's window leads.
        limit: the combined limit (e.g. under ``alicensing.joint``).

    .. versionadded:: 0.1

    """

    code: str = attrs.field(validator=_non_empty)
    name: str = attrs.field(validator=_non_empty)
    matters: tuple[str, ...] = attrs.field(converter=_codes, validator=_code_list)
    lead: str = attrs.field(validator=_non_empty)
    limit: TimeLimit = attrs.field(validator=_is_limit)

    def __attrs_post_init__(self) -> None:
        if len(self.matters) < 2:
            raise ModelError(
                _record(self),
                "matters",
                list(self.matters),
                N_("a bundle has at least two matters"),
            )
        if self.lead not in self.matters:
            raise ModelError(
                _record(self), "lead", self.lead, N_("not one of the bundle's matters")
            )
