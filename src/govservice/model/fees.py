"""Fee items of a matter and how each amount is computed (收费项目与收费标准).

These are the values a :class:`~govservice.model.Catalogue` holds: a
:class:`FeeSchedule` per matter, of :class:`FeeItem` records, each with its
legal basis and an amount rule — :class:`Fixed`, :class:`PerUnit`,
:class:`Percentage` (with an optional floor and cap) or :class:`Tiered`.
Computing a receipt, with the waivers and reductions plugins grant, is the
job of :mod:`govservice.fees` (layer 4), which re-exports every name here;
import them from there.

Money is :class:`~decimal.Decimal` yuan.  An amount rule returns the exact,
unrounded amount; rounding to fen (two places, ``ROUND_HALF_UP``) happens once,
at the end, with :func:`money`.  A float is refused wherever an amount or a
rate is expected: ``0.1 + 0.2`` is not ``0.3`` in binary floating point.

A fee item without a legal basis is refused: under the Administrative
Licensing Law (行政许可法) Art. 58–59 an agency charges only where a law or an
administrative regulation provides, by the published items and standards, and
charging without authority (违规收费) is a supervision finding.

.. versionadded:: 0.1
"""

from __future__ import annotations

import decimal
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypeAlias, cast

import attrs

from govservice._toml import Reader
from govservice.model.errors import ModelError, UnknownCode
from govservice.text import N_, Message

__all__ = [
    "FEE_KINDS",
    "MEASURES",
    "Amount",
    "FeeError",
    "FeeItem",
    "FeeSchedule",
    "Fixed",
    "PerUnit",
    "Percentage",
    "Tier",
    "Tiered",
    "money",
    "to_decimal",
]

FEE_KINDS: tuple[str, ...] = ("fee", "tax")
"""The kinds of fee item — an administrative fee (行政事业性收费) or a tax collected at the hall.

Taxes collected at the hall (契税, 印花税, …) appear on the receipt and count in
its total like fees; :meth:`govservice.fees.Receipt.subtotal` separates them.

.. versionadded:: 0.1
"""

MEASURES: tuple[str, ...] = ("base", "quantity")
"""What a :class:`Tiered` amount is tiered on — a base value in yuan, or a quantity of units.

.. versionadded:: 0.1
"""

CENT = Decimal("0.01")
_ZERO = Decimal(0)
_CONTEXT = decimal.Context(
    prec=60,
    rounding=ROUND_HALF_UP,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)
"""The arithmetic of fees: 60 significant digits, so that products of rates and
amounts are exact whatever the caller's own decimal context says."""


class FeeError(ModelError):
    """A fee item, schedule, amount or adjustment is invalid, or a fee cannot be computed.

    A :class:`~govservice.model.ModelError` (so a ``ValueError``): the catalogue
    loader reports it as a :class:`~govservice.exceptions.DataFileError` naming
    the file.  The message names the record (``"matter MR-001, fee MR-001-F1"``),
    the field and the offending value.  A fee item without a legal basis is
    refused with this error: charging without authority.

    Attributes:
        record: the fee item or schedule at fault, or ``None``.
        field: the field at fault, or ``None``.
        value: the offending value.
        reason: what is wrong with it.

    .. versionadded:: 0.1

    """


# ---- money ------------------------------------------------------------------------------


def to_decimal(value: Any, *, record: str | None = None, field: str | None = None) -> Decimal:
    """*value* as an exact :class:`~decimal.Decimal`: from a Decimal, an int or a string.

    Args:
        value: the number; a ``float`` (or ``bool``) is refused, because floats
            are not money.
        record: the record to name in an error.
        field: the field to name in an error.

    Raises:
        FeeError: a float, a bool, a string that is not a number, NaN or infinity.

    Example:
        >>> from govservice.fees import to_decimal
        >>> to_decimal("0.003"), to_decimal(10)
        (Decimal('0.003'), Decimal('10'))

    .. versionadded:: 0.1
    """
    if isinstance(value, float):
        raise FeeError(
            record, field, value, N_("floats are not money: give a Decimal, an int or a string")
        )
    if isinstance(value, bool):
        raise FeeError(record, field, value, N_("expected a number, not true/false"))
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except decimal.InvalidOperation:
            raise FeeError(record, field, value, N_("expected a decimal number")) from None
    else:
        raise FeeError(
            record,
            field,
            value,
            Message(
                N_("expected a Decimal, an int or a string, got %(type)s"),
                {"type": type(value).__name__},
            ),
        )
    if not number.is_finite():
        raise FeeError(record, field, value, N_("expected a finite number"))
    return number


def money(value: Decimal | int | str) -> Decimal:
    """*value* rounded to fen: two decimal places, ``ROUND_HALF_UP``.

    Rounding happens once, at the end of a computation; never round the steps.

    Raises:
        FeeError: *value* is a float (floats are not money) or not a number.

    Example:
        >>> from decimal import Decimal
        >>> from govservice.fees import money
        >>> money("2.345"), money("2.344"), money(3), money(Decimal("-0.125"))
        (Decimal('2.35'), Decimal('2.34'), Decimal('3.00'), Decimal('-0.13'))

    .. versionadded:: 0.1
    """
    number = to_decimal(value)
    rounded = number.quantize(CENT, context=_CONTEXT)
    return rounded.copy_abs() if rounded.is_zero() else rounded


def _as_decimal(value: Any) -> Decimal:
    """Converter: ints and numeric strings become Decimals.

    Anything else is left as it is for the validator, which can name the field.
    """
    if isinstance(value, int | str) and not isinstance(value, bool):
        try:
            return to_decimal(value)
        except FeeError:
            pass
    return cast(Decimal, value)


def _as_optional_decimal(value: Any) -> Decimal | None:
    return None if value is None else _as_decimal(value)


def _record(instance: Any) -> str | None:
    code = getattr(instance, "code", None)
    return f"fee {code}" if isinstance(code, str) and code else None


def _check_number(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> Decimal:
    number = to_decimal(value, record=_record(instance), field=attribute.name)
    if number < 0:
        raise FeeError(_record(instance), attribute.name, value, N_("must not be negative"))
    return number


def _rate(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Validator: a non-negative Decimal of any precision (yuan per unit, or a fraction)."""
    _check_number(instance, attribute, value)


def _yuan(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Validator: a non-negative amount of money, to the fen at most (two places)."""
    number = _check_number(instance, attribute, value)
    if number != number.quantize(CENT, context=_CONTEXT):
        raise FeeError(
            _record(instance),
            attribute.name,
            value,
            N_("an amount of money has at most two places"),
        )


def _text(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        raise FeeError(_record(instance), attribute.name, value, N_("expected a non-empty string"))


def _optional_text(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None:
        _text(instance, attribute, value)


def _fmt(number: Decimal) -> str:
    """A number as written, without exponent: ``1E+2`` → ``100``."""
    return f"{number:f}"


def _percent(rate: Decimal) -> str:
    return f"{_CONTEXT.multiply(rate, 100).normalize(_CONTEXT):f}%"


def _missing(rule: Any, needs: str) -> FeeError:
    return FeeError(
        None,
        needs,
        None,
        Message(
            N_("%(type)s amount needs a %(needs)s"), {"type": type(rule).__name__, "needs": needs}
        ),
    )


# ---- amount rules -----------------------------------------------------------------------


@attrs.frozen
class Fixed:
    """A fixed amount per case (按件收费), e.g. 80 yuan per registration.

    Args:
        yuan: the amount, to the fen at most (e.g. ``"80.00"``).

    Example:
        >>> from govservice.fees import Fixed
        >>> Fixed("80.00").amount()
        Decimal('80.00')

    .. versionadded:: 0.1

    """

    yuan: Decimal = attrs.field(converter=_as_decimal, validator=_yuan)

    @property
    def needs(self) -> str | None:
        """What the amount is computed from — nothing (``None``)."""
        return None

    def amount(self, quantity: Decimal | None = None, base: Decimal | None = None) -> Decimal:
        """The exact amount — ``yuan``, whatever the quantity and base."""
        return self.yuan

    def describe(self, quantity: Decimal | None = None, base: Decimal | None = None) -> str:
        """How the amount is computed, for a receipt: ``"80.00 元"``."""
        return f"{_fmt(self.yuan)} 元"


@attrs.frozen
class PerUnit:
    """An amount per unit (按数量收费), e.g. 10 yuan per extra certificate.

    The quantity is the number of units charged for (it need not be whole:
    an area in square metres is a quantity too).

    Args:
        yuan_per_unit: the price of one unit, any precision (e.g. ``"0.333"``).
        unit: the unit's name, for the receipt (e.g. ``"本"``, ``"m²"``).

    Example:
        >>> from decimal import Decimal
        >>> from govservice.fees import PerUnit
        >>> PerUnit("10.00", "本").amount(Decimal(3))
        Decimal('30.00')

    .. versionadded:: 0.1

    """

    yuan_per_unit: Decimal = attrs.field(converter=_as_decimal, validator=_rate)
    unit: str = attrs.field(default="unit", validator=_text)

    @property
    def needs(self) -> str | None:
        """What the amount is computed from — ``"quantity"``."""
        return "quantity"

    def amount(self, quantity: Decimal | None = None, base: Decimal | None = None) -> Decimal:
        """The exact amount: price × quantity.

        Raises:
            FeeError: no quantity given.

        """
        if quantity is None:
            raise _missing(self, "quantity")
        return _CONTEXT.multiply(self.yuan_per_unit, quantity)

    def describe(self, quantity: Decimal | None = None, base: Decimal | None = None) -> str:
        """How the amount is computed: ``"10.00 元/本 × 3"``."""
        text = f"{_fmt(self.yuan_per_unit)} 元/{self.unit}"
        return text if quantity is None else f"{text} × {_fmt(quantity)}"


@attrs.frozen
class Percentage:
    """A share of a base value (按比例收费), e.g. 0.05% of a contract, within a floor and cap.

    The amount is ``rate × base``, raised to *floor* and lowered to *cap*
    where given.  A rate is a fraction: 3% is ``"0.03"``; a rate above 1 is
    refused as the likely mistake of writing ``"3"`` for 3%.

    Args:
        rate: the fraction of the base, 0 to 1, any precision.
        floor: the least amount (起征/最低收费), to the fen.
        cap: the greatest amount (最高收费), to the fen; not below *floor*.

    Example:
        >>> from decimal import Decimal
        >>> from govservice.fees import Percentage
        >>> p = Percentage("0.003", floor="5.00", cap="100.00")
        >>> [p.amount(base=Decimal(b)) for b in (1000, 5000, 10**6)]
        [Decimal('5.00'), Decimal('15.000'), Decimal('100.00')]

    .. versionadded:: 0.1

    """

    rate: Decimal = attrs.field(converter=_as_decimal, validator=_rate)
    floor: Decimal | None = attrs.field(
        default=None, converter=_as_optional_decimal, validator=attrs.validators.optional(_yuan)
    )
    cap: Decimal | None = attrs.field(
        default=None, converter=_as_optional_decimal, validator=attrs.validators.optional(_yuan)
    )

    def __attrs_post_init__(self) -> None:
        if self.rate > 1:
            raise FeeError(
                None, "rate", self.rate, N_("a rate is a fraction of the base: write 3% as '0.03'")
            )
        if self.floor is not None and self.cap is not None and self.floor > self.cap:
            raise FeeError(
                None,
                "cap",
                self.cap,
                Message(N_("below the floor (%(floor)s)"), {"floor": self.floor}),
            )

    @property
    def needs(self) -> str | None:
        """What the amount is computed from — ``"base"``."""
        return "base"

    def amount(self, quantity: Decimal | None = None, base: Decimal | None = None) -> Decimal:
        """The exact amount: rate × base, within [floor, cap].

        Raises:
            FeeError: no base given.

        """
        if base is None:
            raise _missing(self, "base")
        value = _CONTEXT.multiply(self.rate, base)
        if self.floor is not None and value < self.floor:
            value = self.floor
        if self.cap is not None and value > self.cap:
            value = self.cap
        return value

    def describe(self, quantity: Decimal | None = None, base: Decimal | None = None) -> str:
        """How the amount is computed: ``"0.3% × 5000 (floor 5.00, cap 100.00)"``."""
        text = _percent(self.rate) + ("" if base is None else f" × {_fmt(base)}")
        limits = [f"floor {_fmt(self.floor)}"] if self.floor is not None else []
        limits += [f"cap {_fmt(self.cap)}"] if self.cap is not None else []
        return f"{text} ({', '.join(limits)})" if limits else text


@attrs.frozen
class Tier:
    """One bracket of a :class:`Tiered` amount.

    The bracket runs from the previous tier's *up_to* (exclusive; 0 for the
    first tier, inclusive) to its own *up_to* (inclusive: "not exceeding",
    不超过); ``None`` on the last tier means "and above".

    Args:
        up_to: the upper bound of the bracket (a base in yuan or a quantity), or
            ``None`` for the last, open bracket.
        rate: yuan per unit of the measure in this bracket: a fraction of the
            base (``"0.025"`` for 2.5%) or a price per unit of quantity.
        fixed: yuan charged once when the measure reaches this bracket, to the fen.

    .. versionadded:: 0.1

    """

    up_to: Decimal | None = attrs.field(
        default=None, converter=_as_optional_decimal, validator=attrs.validators.optional(_rate)
    )
    rate: Decimal = attrs.field(default=_ZERO, converter=_as_decimal, validator=_rate)
    fixed: Decimal = attrs.field(default=_ZERO, converter=_as_decimal, validator=_yuan)


def _tiers(value: Iterable[Tier]) -> tuple[Tier, ...]:
    return tuple(value)


@attrs.frozen
class Tiered:
    """An amount by brackets of a base value or a quantity (分段收费).

    *Progressive* (分段累进, the default): like a tax bracket, each bracket's
    rate applies to the part of the measure inside it, and each bracket the
    measure reaches adds its *fixed* amount.  The court fee schedule is the
    textbook case (诉讼费用交纳办法 Art. 13: up to 10,000 yuan 50 yuan a case;
    the part above 10,000 up to 100,000 at 2.5%; …), so a claim of 50,000 costs
    ``50 + 2.5% × 40,000 = 1,050`` yuan.

    *Flat by bracket* (``progressive=False``, 全额): the bracket that contains
    the measure applies to the whole of it: ``fixed + rate × measure``.

    A bound is inclusive ("not exceeding"): a measure equal to a tier's
    *up_to* falls in that tier.

    Args:
        tiers: the brackets, with strictly increasing bounds; the last one open
            (``up_to=None``).
        progressive: progressive brackets (True) or flat by bracket (False).
        measure: what is tiered: ``"base"`` (a value in yuan; rates are
            fractions) or ``"quantity"`` (units; rates are yuan per unit).
        unit: the unit's name when tiered on quantity, for the receipt.

    Example:
        >>> from decimal import Decimal
        >>> from govservice.fees import Tier, Tiered
        >>> court = Tiered((Tier("10000", fixed="50"), Tier("100000", "0.025"), Tier(None, "0.02")))
        >>> court.amount(base=Decimal(50000))
        Decimal('1050.000')

    .. versionadded:: 0.1

    """

    tiers: tuple[Tier, ...] = attrs.field(converter=_tiers)
    progressive: bool = attrs.field(default=True, validator=attrs.validators.instance_of(bool))
    measure: str = "base"
    unit: str | None = attrs.field(default=None, validator=_optional_text)

    def __attrs_post_init__(self) -> None:
        if self.measure not in MEASURES:
            raise FeeError(
                None,
                "measure",
                self.measure,
                Message(N_("expected one of %(value)s"), {"value": ", ".join(MEASURES)}),
            )
        if not self.tiers:
            raise FeeError(None, "tiers", [], N_("expected at least one tier"))
        previous = _ZERO
        for i, tier in enumerate(self.tiers, start=1):
            if not isinstance(tier, Tier):
                raise FeeError(
                    None, "tiers", tier, Message(N_("tier %(i)s: expected a Tier"), {"i": i})
                )
            last = i == len(self.tiers)
            if last and tier.up_to is not None:
                raise FeeError(
                    None,
                    "tiers",
                    tier,
                    Message(N_("tier %(i)s: the last tier is open (up_to=None)"), {"i": i}),
                )
            if not last and (tier.up_to is None or tier.up_to <= previous):
                raise FeeError(
                    None,
                    "tiers",
                    tier,
                    Message(
                        N_(
                            "tier %(i)s: bounds must increase (above %(value)s); only the last "
                            "tier is open"
                        ),
                        {"i": i, "value": _fmt(previous)},
                    ),
                )
            if tier.up_to is not None:
                previous = tier.up_to

    @property
    def needs(self) -> str | None:
        """What the amount is computed from — its ``measure``."""
        return self.measure

    def amount(self, quantity: Decimal | None = None, base: Decimal | None = None) -> Decimal:
        """The exact amount for the measure (the base or the quantity).

        Raises:
            FeeError: the measure is not given.

        """
        value = base if self.measure == "base" else quantity
        if value is None:
            raise _missing(self, self.measure)
        c = _CONTEXT
        if not self.progressive:
            for tier in self.tiers:
                if tier.up_to is None or value <= tier.up_to:
                    return c.add(tier.fixed, c.multiply(tier.rate, value))
        total, lower = _ZERO, _ZERO
        for tier in self.tiers:
            upper = value if tier.up_to is None else min(value, tier.up_to)
            part = c.multiply(tier.rate, c.subtract(upper, lower))
            total = c.add(total, c.add(tier.fixed, part))
            if tier.up_to is None or value <= tier.up_to:
                break
            lower = tier.up_to
        return total

    def describe(self, quantity: Decimal | None = None, base: Decimal | None = None) -> str:
        """How the amount is computed: ``"progressive tiers on 50000"``."""
        how = "progressive tiers" if self.progressive else "tiers (flat by bracket)"
        value = base if self.measure == "base" else quantity
        unit = f" {self.unit}" if self.unit and self.measure == "quantity" else ""
        return how if value is None else f"{how} on {_fmt(value)}{unit}"


Amount: TypeAlias = Fixed | PerUnit | Percentage | Tiered
"""The amount rules a fee item may have.

.. versionadded:: 0.1
"""

_AMOUNTS = (Fixed, PerUnit, Percentage, Tiered)


# ---- items and schedules ----------------------------------------------------------------


def _basis(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        raise FeeError(
            _record(instance),
            attribute.name,
            value,
            N_(
                "charging without authority: a fee item must cite its legal basis (the law, "
                "regulation or price document that authorises the charge)"
            ),
        )


def _amount(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, _AMOUNTS):
        raise FeeError(
            _record(instance),
            attribute.name,
            value,
            N_("expected an amount rule: Fixed, PerUnit, Percentage or Tiered"),
        )


def _kind(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value not in FEE_KINDS:
        raise FeeError(
            _record(instance),
            attribute.name,
            value,
            Message(N_("expected one of %(value)s"), {"value": ", ".join(FEE_KINDS)}),
        )


@attrs.frozen
class FeeItem:
    """One fee item (收费项目) of a matter, with its legal basis and its amount rule.

    Args:
        code: its code, unique in the catalogue, e.g. ``"NR-001-F1"``.
        name: its name, e.g. ``"不动产登记费（住宅）"``.
        amount: how the amount is computed: :class:`Fixed`, :class:`PerUnit`,
            :class:`Percentage` or :class:`Tiered`.
        basis: the legal basis (收费依据): the law, regulation or price document
            authorising the charge, e.g. ``"发改价格规〔2016〕2559号"``.  Required:
            an item without one is refused.
        kind: ``"fee"`` or ``"tax"`` (a tax collected at the hall).
        collected_by: the code of the unit that collects it, if not the matter's.
        payer: who pays, e.g. ``"申请人"`` or ``"买受人"``.
        note: anything else the receipt should say.

    Raises:
        FeeError: no legal basis (charging without authority), an unknown kind,
            an amount that is not an amount rule, an empty code or name.

    .. versionadded:: 0.1

    """

    code: str = attrs.field(validator=_text)
    name: str = attrs.field(validator=_text)
    amount: Amount = attrs.field(validator=_amount)
    basis: str = attrs.field(validator=_basis)
    kind: str = attrs.field(default="fee", validator=_kind)
    collected_by: str | None = attrs.field(default=None, validator=_optional_text)
    payer: str | None = attrs.field(default=None, validator=_optional_text)
    note: str | None = attrs.field(default=None, validator=_optional_text)

    @property
    def needs(self) -> str | None:
        """What its amount is computed from — ``None``, ``"quantity"`` or ``"base"``."""
        return self.amount.needs


def _items(value: Iterable[FeeItem]) -> tuple[FeeItem, ...]:
    if isinstance(value, FeeItem):
        return (value,)
    return tuple(value)


@attrs.frozen
class FeeSchedule:
    """The fee items of one matter (收费标准).

    A matter with no schedule, or an empty one, is free of charge — the rule
    for administrative licensing (行政许可法 Art. 58).

    Args:
        matter: the matter's code.
        items: its fee items, with distinct codes.
        source: where the schedule came from (a file, a plugin), for messages;
            not part of equality.

    Raises:
        FeeError: an item that is not a :class:`FeeItem`, or two with one code.

    .. versionadded:: 0.1

    """

    matter: str = attrs.field()
    items: tuple[FeeItem, ...] = attrs.field(default=(), converter=_items)
    source: str = attrs.field(default="", eq=False)

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.matter, str) or not self.matter.strip():
            raise FeeError(None, "matter", self.matter, N_("expected a matter code"))
        record = f"fee schedule of matter {self.matter}"
        seen: set[str] = set()
        for item in self.items:
            if not isinstance(item, FeeItem):
                raise FeeError(record, "items", item, N_("expected FeeItem objects"))
            if item.code in seen:
                raise FeeError(record, "items", item.code, N_("two items with this code"))
            seen.add(item.code)

    @property
    def codes(self) -> tuple[str, ...]:
        """The codes of its items, in order."""
        return tuple(i.code for i in self.items)

    def item(self, code: str) -> FeeItem:
        """The item with this code.

        Raises:
            UnknownCode: (a ``KeyError``) no such item in this schedule.

        """
        for item in self.items:
            if item.code == code:
                return item
        known = ", ".join(self.codes) or "none"
        raise UnknownCode(
            "fee",
            code,
            Message(
                N_("matter %(matter)s has no fee item %(code)r (known: %(known)s)"),
                {"matter": self.matter, "code": code, "known": known},
            ),
        )


# ---- the catalogue file's [[fee]] records -----------------------------------------------

FEE_RECORD_FIELDS: tuple[str, ...] = (
    "matter",
    "code",
    "name",
    "basis",
    "kind",
    "collected_by",
    "payer",
    "note",
    "fixed",
    "per_unit",
    "unit",
    "percentage",
    "floor",
    "cap",
    "tiers",
    "progressive",
    "measure",
)
"""The fields of a ``[[fee]]`` record in a catalogue file."""

_RULE_KEYS = ("fixed", "per_unit", "percentage", "tiers")
_ONLY_WITH = {
    "unit": ("per_unit", "tiers"),
    "floor": ("percentage",),
    "cap": ("percentage",),
    "progressive": ("tiers",),
    "measure": ("tiers",),
}


def _number(r: Reader, field: str, value: Any) -> Decimal:
    """A number of a record: an int or a string; a float is refused."""
    if isinstance(value, float):
        raise r.fail(
            field,
            value,
            N_('floats are not money: write the amount as a string (e.g. "0.30") or an integer'),
        )
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise r.fail(field, value, N_("expected a decimal number as a string, or an integer"))
    try:
        return to_decimal(value)
    except FeeError as e:
        raise r.fail(field, value, e.reason) from None


def _build(r: Reader, field: str, value: Any, make: Any, *args: Any, **kwargs: Any) -> Any:
    """``make(*args, **kwargs)``; its error is reported against *field* of the record.

    An error about ``floor`` or ``cap`` names that field of the record itself.
    """
    try:
        return make(*args, **kwargs)
    except ModelError as e:
        if e.field in ("floor", "cap") and e.field in r.table:
            raise r.fail(e.field, r.table[e.field], e.reason) from None
        raise r.fail(field, value, e.reason) from None


def _read_amount(r: Reader) -> Amount:
    given = [k for k in _RULE_KEYS if k in r.table]
    if len(given) != 1:
        raise r.fail(
            None,
            given or None,
            N_("a fee item has exactly one of 'fixed', 'per_unit', 'percentage', 'tiers'"),
        )
    (key,) = given
    for extra, allowed in _ONLY_WITH.items():
        if extra in r.table and key not in allowed:
            raise r.fail(
                extra,
                r.table[extra],
                Message(N_("only with %(value)s"), {"value": " or ".join(map(repr, allowed))}),
            )
    raw = r.table[key]
    if key == "fixed":
        return cast(Fixed, _build(r, key, raw, Fixed, _number(r, key, raw)))
    if key == "per_unit":
        unit = r.get("unit", str, required=False)
        return cast(
            PerUnit,
            _build(r, key, raw, PerUnit, _number(r, key, raw), unit or "unit"),
        )
    if key == "percentage":
        floor, cap = (
            None if r.table.get(f) is None else _number(r, f, r.table[f]) for f in ("floor", "cap")
        )
        return cast(
            Percentage,
            _build(r, key, raw, Percentage, _number(r, key, raw), floor, cap),
        )
    tiers = r.get("tiers", list)
    built = []
    for i, t in enumerate(tiers, start=1):
        if not isinstance(t, dict) or set(t) - {"up_to", "rate", "fixed"}:
            raise r.fail(
                "tiers",
                t,
                Message(
                    N_("tier %(i)s: expected a table of 'up_to', 'rate' and 'fixed'"), {"i": i}
                ),
            )
        numbers = {k: _number(r, "tiers", v) for k, v in t.items()}
        built.append(_build(r, "tiers", t, Tier, **numbers))
    progressive = r.get("progressive", bool, required=False)
    measure = r.get("measure", str, required=False)
    return cast(
        Tiered,
        _build(
            r,
            "tiers",
            tiers,
            Tiered,
            built,
            True if progressive is None else progressive,
            measure or "base",
            r.get("unit", str, required=False),
        ),
    )


def read_fee_record(r: Reader) -> tuple[str, FeeItem]:
    """Read one ``[[fee]]`` record: the matter's code and the item.

    Sets ``r.record`` to ``"fee <code>"`` once the code is read, so that every
    later error names the item.

    Raises:
        DataFileError: naming the file, the record, the field and the value.

    .. versionadded:: 0.1
    """
    code = r.get("code", str)
    if not code.strip():
        raise r.fail("code", code, N_("expected a non-empty code"))
    r.record = f"fee {code}"
    matter = r.get("matter", str)
    if not matter.strip():
        raise r.fail("matter", matter, N_("expected a matter code"))
    basis = r.table.get("basis")
    if not isinstance(basis, str) or not basis.strip():
        raise r.fail(
            "basis",
            basis,
            Message(
                N_(
                    "charging without authority: fee item %(code)s of matter %(matter)s cites no "
                    "legal basis (the law, regulation or price document that authorises the "
                    "charge)"
                ),
                {"code": code, "matter": matter},
            ),
        )
    amount = _read_amount(r)
    fields: dict[str, Any] = {
        f: r.get(f, str, required=f == "name")
        for f in ("name", "kind", "collected_by", "payer", "note")
    }
    if fields["kind"] is None:
        del fields["kind"]
    try:
        item = FeeItem(code=code, amount=amount, basis=basis, **fields)
    except FeeError as e:
        raise r.fail(e.field, e.value, e.reason) from None
    return matter, item


def _amount_record(amount: Amount) -> dict[str, Any]:
    if isinstance(amount, Fixed):
        return {"fixed": _fmt(amount.yuan)}
    if isinstance(amount, PerUnit):
        return {"per_unit": _fmt(amount.yuan_per_unit), "unit": amount.unit}
    if isinstance(amount, Percentage):
        doc: dict[str, Any] = {"percentage": _fmt(amount.rate)}
        if amount.floor is not None:
            doc["floor"] = _fmt(amount.floor)
        if amount.cap is not None:
            doc["cap"] = _fmt(amount.cap)
        return doc
    tiers = []
    for t in amount.tiers:
        tier = {} if t.up_to is None else {"up_to": _fmt(t.up_to)}
        if t.rate:
            tier["rate"] = _fmt(t.rate)
        if t.fixed:
            tier["fixed"] = _fmt(t.fixed)
        tiers.append(tier)
    doc = {"tiers": tiers, "progressive": amount.progressive, "measure": amount.measure}
    if amount.unit is not None:
        doc["unit"] = amount.unit
    return doc


def fee_record(matter: str, item: FeeItem) -> dict[str, Any]:
    """The ``[[fee]]`` record of *item* of *matter*: JSON- and TOML-ready, amounts as strings.

    :func:`read_fee_record` reads it back to an equal item.

    Example:
        >>> from govservice.fees import FeeItem, Fixed
        >>> from govservice.model.fees import fee_record
        >>> record = fee_record("NR-001", FeeItem("NR-001-F1", "登记费", Fixed(80), "某文件"))
        >>> record["code"], record["fixed"]
        ('NR-001-F1', '80')

    .. versionadded:: 0.1
    """
    doc: dict[str, Any] = {
        "matter": matter,
        "code": item.code,
        "name": item.name,
        "basis": item.basis,
        "kind": item.kind,
    }
    for f in ("collected_by", "payer", "note"):
        if getattr(item, f) is not None:
            doc[f] = getattr(item, f)
    doc.update(_amount_record(item.amount))
    return doc
