"""Who applies: a person or an organisation, and the numbers that identify them.

A person may give an 18-character resident identity number (公民身份号码,
GB 11643-1999); an organisation may give its unified social credit code
(统一社会信用代码, GB 32100-2015).  Both carry a check character, and a number
whose check character does not match is refused.

Identity numbers are personal data.  The repr of an :class:`Applicant`, its
:meth:`~Applicant.masked` form and every :class:`ApplicantError` show them
masked (``1101**********123X``); only :meth:`Applicant.to_dict`, meant for
storage, gives the full number.

Nothing here reads the clock: a birth date is checked to be a real calendar
date no earlier than 1900-01-01, not that it lies in the past.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Final

import attrs

from govservice._usual import UsualValidator, usual_text
from govservice.exceptions import N_, NOT_GIVEN, GovServiceError, Message, located
from govservice.text import MAX_TEXT, mask_id_number, text_problem

__all__ = [
    "Applicant",
    "ApplicantError",
    "check_credit_code",
    "check_id_number",
    "mask_id_number",
]

_PERSON: Final = "person"
_ORGANIZATION: Final = "organization"
_KINDS: Final = (_PERSON, _ORGANIZATION)
_FIELDS: Final = ("name", "kind", "id_number", "credit_code")

# GB 11643-1999: the check character for ISO 7064 MOD 11-2 check values 0–10.
_ID_CHECK_CHARS: Final = "0123456789X"
_EARLIEST_BIRTH_DATE: Final = dt.date(1900, 1, 1)

# GB 32100-2015: the code's character set (no I, O, Z, S, V), each character's
# value being its index, and the weights 3**(i-1) mod 31 of positions 1–17.
_CREDIT_CHARS: Final = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_VALUES: Final = {c: v for v, c in enumerate(_CREDIT_CHARS)}
_CREDIT_WEIGHTS: Final = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


class ApplicantError(GovServiceError, ValueError):
    """An applicant, or one of its fields, is invalid.

    The message names the field, the offending value and what is wrong with it.
    An identity number is never kept or shown in full: for the ``id_number``
    field, ``value`` is the masked number (or only its type, when it is not
    a string).

    Attributes:
        field: the field name, e.g. ``"id_number"``, or ``None`` when the
            applicant as a whole is wrong.
        value: the offending value as shown in the message (masked for
            ``id_number``), or ``None`` when there is no value, e.g. a missing field.
        reason: what is wrong with it.

    .. versionadded:: 0.1

    """

    def __init__(self, field: str | None, reason: str | Message, value: object = NOT_GIVEN) -> None:
        self.field = field
        self.reason = reason
        where = (
            Message(N_("applicant"))
            if field is None
            else Message(N_("applicant field %(field)r"), {"field": field})
        )
        if value is NOT_GIVEN:
            self.value: object = None
            super().__init__(located([where], reason))
            return
        if field == "id_number":
            value = mask_id_number(value) if isinstance(value, str) else f"<{type(value).__name__}>"
        self.value = value
        shown = value if not isinstance(value, str) or len(value) <= 40 else value[:40] + "…"
        super().__init__(located([where], reason, shown))


def _require_str(field: str, value: object) -> str:
    if not isinstance(value, str):
        raise ApplicantError(
            field,
            Message(N_("must be a string, not %(type)s"), {"type": type(value).__name__}),
            value,
        )
    return value


def _id_check_char(body: str) -> str:
    """The ISO 7064 MOD 11-2 check character of 17 digits (pure system, radix 2)."""
    p = 0
    for char in body:
        p = (p + int(char)) * 2 % 11
    return _ID_CHECK_CHARS[(12 - p) % 11]


def check_id_number(value: str) -> str:
    """Validate an 18-character resident identity number and return it normalised.

    Per GB 11643-1999 the number is 17 digits (a six-digit region code, an
    eight-digit birth date ``YYYYMMDD`` and a three-digit sequence code)
    followed by a check character, ``0``–``9`` or ``X``, computed with
    ISO 7064 MOD 11-2.  This checks:

    * the length and the characters (a lower-case ``x`` is accepted and
      returned as ``X``);
    * that the region code does not start with ``0``;
    * that the birth date is a real calendar date no earlier than 1900-01-01
      (whether it lies in the past is not checked: that would need a clock);
    * the check character.

    >>> from govservice.cases.applicants import check_id_number
    >>> check_id_number("11010519491231002x")
    '11010519491231002X'

    Raises:
        ApplicantError: for field ``id_number``, showing the number masked.

    .. versionadded:: 0.1

    """
    value = _require_str("id_number", value)
    if len(value) != 18:
        raise ApplicantError(
            "id_number",
            Message(N_("must be 18 characters, not %(count)s"), {"count": len(value)}),
            value,
        )
    value = value[:17] + value[17:].upper()
    body, check = value[:17], value[17]
    if not (body.isascii() and body.isdigit()):
        raise ApplicantError("id_number", N_("the first 17 characters must be digits"), value)
    if check not in _ID_CHECK_CHARS:
        raise ApplicantError("id_number", N_("the check character must be a digit or X"), value)
    if body[0] == "0":
        raise ApplicantError("id_number", N_("the region code must not start with 0"), value)
    try:
        born = dt.date(int(body[6:10]), int(body[10:12]), int(body[12:14]))
    except ValueError:
        raise ApplicantError(
            "id_number", N_("characters 7–14 are not a valid birth date"), value
        ) from None
    if born < _EARLIEST_BIRTH_DATE:
        raise ApplicantError("id_number", N_("the birth date is before 1900-01-01"), value)
    if _id_check_char(body) != check:
        raise ApplicantError(
            "id_number", N_("the check character does not match (ISO 7064 MOD 11-2)"), value
        )
    return value


def check_credit_code(value: str) -> str:
    """Validate an 18-character unified social credit code and return it normalised.

    Per GB 32100-2015 the code is a registration-authority character, an
    organisation-type character, a six-digit region code (GB/T 2260), a
    nine-character organisation code and a check character, drawn from
    ``0``–``9`` and the capital letters except I, O, Z, S and V.  The check
    character's value is 31 minus the weighted sum of the first 17 values
    mod 31 (31 becoming 0).  Lower case is accepted and returned upper-case.

    >>> from govservice.cases.applicants import check_credit_code
    >>> check_credit_code("91350100m000100y43")
    '91350100M000100Y43'

    Raises:
        ApplicantError: for field ``credit_code``.

    .. versionadded:: 0.1

    """
    value = _require_str("credit_code", value)
    if len(value) != 18:
        raise ApplicantError(
            "credit_code",
            Message(N_("must be 18 characters, not %(count)s"), {"count": len(value)}),
            value,
        )
    value = value.upper()
    bad = sorted({c for c in value if c not in _CREDIT_VALUES})
    if bad:
        raise ApplicantError(
            "credit_code",
            Message(
                N_("characters not allowed: %(value)r (allowed: 0-9 and A-Z except I, O, Z, S, V)"),
                {"value": "".join(bad)},
            ),
            value,
        )
    if not value[2:8].isdigit():
        raise ApplicantError(
            "credit_code", N_("characters 3–8 (region code) must be digits"), value
        )
    total = sum(_CREDIT_VALUES[c] * w for c, w in zip(value[:17], _CREDIT_WEIGHTS, strict=True))
    expected = _CREDIT_CHARS[(31 - total % 31) % 31]
    if value[17] != expected:
        raise ApplicantError(
            "credit_code",
            Message(
                N_("the check character should be %(expected)r (GB 32100 MOD 31)"),
                {"expected": expected},
            ),
            value,
        )
    return value


def _optional_id_number(value: str | None) -> str | None:
    return None if value is None else check_id_number(value)


def _optional_credit_code(value: str | None) -> str | None:
    return None if value is None else check_credit_code(value)


def _name(_: object, __: object, value: str) -> None:
    name = _require_str("name", value)
    if not name.strip():
        raise ApplicantError("name", N_("must not be empty"), name)
    problem = text_problem(name, MAX_TEXT)
    if problem is not None:
        raise ApplicantError("name", problem, name)


def _kind(_: object, __: object, value: str) -> None:
    kind = _require_str("kind", value)
    if kind not in _KINDS:
        raise ApplicantError(
            "kind",
            Message(
                N_("must be %(person)r or %(organization)r"),
                {"person": _PERSON, "organization": _ORGANIZATION},
            ),
            kind,
        )


_check_name = UsualValidator(usual_text(MAX_TEXT), _name)
_check_kind = UsualValidator(f"type(v) is str and v in {_KINDS!r}", _kind)


def _masked_repr(value: str | None) -> str:
    return repr(None if value is None else mask_id_number(value))


@attrs.frozen
class Applicant:
    """Who applies for a matter: the ``applicant`` object of a ``submitted`` event.

    The identifying numbers are validated and normalised on construction
    (:func:`~govservice.cases.applicants.check_id_number`,
    :func:`~govservice.cases.applicants.check_credit_code`); only a person may
    have an identity number and only an organisation a credit code.  The repr
    masks the identity number; use :meth:`masked` for reports and logs and
    :meth:`to_dict` for storage.

    Attributes:
        name: the person's or organisation's name; not empty.
        kind: ``"person"`` or ``"organization"``.
        id_number: a person's resident identity number, upper-case ``X``.
        credit_code: an organisation's unified social credit code, upper-case.

    Raises:
        ApplicantError: on construction, naming the offending field.

    .. versionadded:: 0.1

    """

    name: str = attrs.field(validator=_check_name)
    kind: str = attrs.field(validator=_check_kind)
    id_number: str | None = attrs.field(
        default=None, converter=_optional_id_number, repr=_masked_repr
    )
    credit_code: str | None = attrs.field(default=None, converter=_optional_credit_code)

    def __attrs_post_init__(self) -> None:
        if self.id_number is not None and self.kind != _PERSON:
            raise ApplicantError(
                "id_number",
                Message(N_("only a person has one, and kind is %(kind)r"), {"kind": self.kind}),
                self.id_number,
            )
        if self.credit_code is not None and self.kind != _ORGANIZATION:
            raise ApplicantError(
                "credit_code",
                Message(
                    N_("only an organization has one, and kind is %(kind)r"), {"kind": self.kind}
                ),
                self.credit_code,
            )

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Applicant:
        """Read the event-format object.

        *data* has ``name`` and ``kind`` and optionally ``id_number`` or
        ``credit_code`` (a ``None`` value counts as absent), all strings.

        Raises:
            ApplicantError: naming the offending field; for an unknown key,
                naming the key (its value is not shown).

        .. versionadded:: 0.1

        """
        obj: object = data
        if not isinstance(obj, Mapping):
            raise ApplicantError(
                None, Message(N_("must be an object, not %(type)s"), {"type": type(obj).__name__})
            )
        for key in obj:
            if key not in _FIELDS:
                raise ApplicantError(
                    None,
                    Message(
                        N_("unknown key %(key)r (allowed: %(value)s)"),
                        {"key": key, "value": ", ".join(_FIELDS)},
                    ),
                )
        for key in ("name", "kind"):
            if key not in obj:
                raise ApplicantError(key, N_("is required"))
        id_number = obj.get("id_number")
        credit_code = obj.get("credit_code")
        return cls(
            name=_require_str("name", obj["name"]),
            kind=_require_str("kind", obj["kind"]),
            id_number=None if id_number is None else _require_str("id_number", id_number),
            credit_code=None if credit_code is None else _require_str("credit_code", credit_code),
        )

    def to_dict(self) -> dict[str, str]:
        """The event-format object with full values, for storage; absent numbers are omitted.

        .. versionadded:: 0.1
        """
        out = {"name": self.name, "kind": self.kind}
        if self.id_number is not None:
            out["id_number"] = self.id_number
        if self.credit_code is not None:
            out["credit_code"] = self.credit_code
        return out

    def masked(self) -> dict[str, str]:
        """Like :meth:`to_dict`, with the identity number masked: for reports and logs.

        .. versionadded:: 0.1
        """
        out = self.to_dict()
        if self.id_number is not None:
            out["id_number"] = mask_id_number(self.id_number)
        return out
