"""Fees: computing what an applicant pays for a matter, with the basis of every item.

A matter's :class:`FeeSchedule` (from the catalogue, or from a plugin's
``register_fee_schedules``) lists its :class:`FeeItem` records, each citing
its legal basis and computing its amount by a rule — :class:`Fixed`,
:class:`PerUnit`, :class:`Percentage` (within a floor and cap) or
:class:`Tiered`.  :func:`compute_fees` applies the waivers, reductions and
surcharges that plugins grant (``adjust_fees``), as :class:`FeeAdjustment`
records that cite their own basis, and returns a :class:`Receipt`.

Money is :class:`~decimal.Decimal` yuan, never float.  The rounding rule:

* every step is exact — the amount rule, then each adjustment in turn, on the
  full-precision running amount of the line;
* each line's gross and net amount is rounded once, to the fen
  (``ROUND_HALF_UP``), with :func:`money`;
* the receipt's total is the sum of the rounded lines, which is what a
  receipt shows and what the applicant pays, so the lines always add up to
  the total;
* nothing is ever negative: a reduction takes a line to zero at most.

Example:
    >>> from decimal import Decimal
    >>> from govservice.fees import FeeAdjustment, FeeItem, FeeSchedule, PerUnit, compute_fees
    >>> item = FeeItem("F1", "复印费", PerUnit("0.333", "页"), basis="某文件")
    >>> schedule = FeeSchedule("NR-001", [item])
    >>> compute_fees(schedule, quantity={"F1": 3}).total   # 0.333 × 3 = 0.999 → 1.00
    Decimal('1.00')

.. versionadded:: 0.1
"""

from __future__ import annotations

import decimal
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, cast

import attrs

from govservice.model.fees import (
    FEE_KINDS,
    MEASURES,
    Amount,
    FeeError,
    FeeItem,
    FeeSchedule,
    Fixed,
    Percentage,
    PerUnit,
    Tier,
    Tiered,
    money,
    to_decimal,
)
from govservice.text import N_, Message

__all__ = [
    "ADJUSTMENT_KINDS",
    "FEE_KINDS",
    "MEASURES",
    "Amount",
    "AppliedAdjustment",
    "FeeAdjustment",
    "FeeError",
    "FeeItem",
    "FeeLine",
    "FeeSchedule",
    "Fixed",
    "PerUnit",
    "Percentage",
    "Receipt",
    "Tier",
    "Tiered",
    "compute_fees",
    "money",
    "to_decimal",
]

ADJUSTMENT_KINDS: tuple[str, ...] = ("waiver", "reduction", "surcharge")
"""The kinds of adjustment — waive a fee (免收), reduce it (减收) or add to it (加收).

.. versionadded:: 0.1
"""

_LABELS = {"waiver": "免收 waiver", "reduction": "减收 reduction", "surcharge": "加收 surcharge"}
_KIND_LABELS = {"fee": "收费 fee", "tax": "税 tax"}
_CONTEXT = decimal.Context(
    prec=60,
    rounding=decimal.ROUND_HALF_UP,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)
_ZERO = Decimal(0)
_NO_YUAN = Decimal("0.00")


def _fmt(number: Decimal) -> str:
    return f"{number:f}"


def _optional_number(value: Any) -> Decimal | None:
    """Converter: a number to a Decimal; anything else is refused, naming the field, later."""
    if value is None or isinstance(value, float | bool):
        return cast("Decimal | None", value)
    try:
        return to_decimal(value)
    except FeeError:
        return cast("Decimal | None", value)


def _non_empty(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        reason = "expected a non-empty string"
        if attribute.name == "basis":
            reason = (
                "an adjustment cites its basis (the policy that grants the waiver or "
                "reduction, or authorises the surcharge)"
            )
        raise FeeError("fee adjustment", attribute.name, value, reason)


@attrs.frozen(kw_only=True)
class FeeAdjustment:
    """A waiver, reduction or surcharge of one fee item or of all, with its reason and basis.

    What an ``adjust_fees`` hook returns.  A *waiver* takes the item to zero; a
    *reduction* takes off a share (``rate``) or an amount (``amount``), never
    below zero; a *surcharge* adds a share or an amount.

    ``rate`` is the share taken off (reduction) or added (surcharge):
    ``Decimal("0.5")`` halves a fee (减半), ``Decimal("0.2")`` takes 20% off.

    Args:
        kind: ``"waiver"``, ``"reduction"`` or ``"surcharge"``.
        reason: why, for the receipt, e.g. ``"小微企业"``.
        basis: the policy that grants it, e.g. a notice's number; required,
            as for a fee.
        item: the code of the fee item it applies to; ``None``: every item of
            the schedule, taxes included.
        rate: for a reduction, the share off (0 < rate ≤ 1); for a surcharge,
            the share added (> 0).
        amount: instead of *rate*, an amount in yuan off or added (> 0, to the fen).
        source: who granted it (a plugin's name), for the record; not part of
            equality.

    Raises:
        FeeError: an unknown kind; a waiver with a rate or amount; a reduction
            or surcharge without exactly one of them, or out of range; a float;
            no reason or basis.

    Example:
        >>> from decimal import Decimal
        >>> from govservice.fees import FeeAdjustment
        >>> half = FeeAdjustment(kind="reduction", rate="0.5", reason="小微企业", basis="某文件")
        >>> half.apply(Decimal("80"))
        Decimal('40.0')

    .. versionadded:: 0.1

    """

    kind: str
    reason: str = attrs.field(validator=_non_empty)
    basis: str = attrs.field(validator=_non_empty)
    item: str | None = None
    rate: Decimal | None = attrs.field(default=None, converter=_optional_number)
    amount: Decimal | None = attrs.field(default=None, converter=_optional_number)
    source: str = attrs.field(default="", eq=False)

    def __attrs_post_init__(self) -> None:
        record = "fee adjustment"
        if self.kind not in ADJUSTMENT_KINDS:
            raise FeeError(
                record,
                "kind",
                self.kind,
                Message(N_("expected one of %(value)s"), {"value": ", ".join(ADJUSTMENT_KINDS)}),
            )
        if self.item is not None and (not isinstance(self.item, str) or not self.item):
            raise FeeError(
                record, "item", self.item, N_("expected a fee item code, or None for all")
            )
        for name in ("rate", "amount"):
            value = getattr(self, name)
            if value is not None:
                to_decimal(value, record=record, field=name)  # refuses floats, names the field
        given = [n for n in ("rate", "amount") if getattr(self, n) is not None]
        if self.kind == "waiver":
            if given:
                raise FeeError(
                    record,
                    given[0],
                    getattr(self, given[0]),
                    N_("a waiver removes the whole fee; use a reduction for part of it"),
                )
            return
        if len(given) != 1:
            raise FeeError(
                record,
                "rate",
                self.rate,
                Message(N_("a %(kind)s has exactly one of rate and amount"), {"kind": self.kind}),
            )
        if self.rate is not None:
            top = Decimal(1) if self.kind == "reduction" else None
            if self.rate <= 0 or (top is not None and self.rate > top):
                bounds = "0 < rate ≤ 1" if top is not None else "rate > 0"
                raise FeeError(
                    record,
                    "rate",
                    self.rate,
                    Message(N_("expected %(bounds)s"), {"bounds": bounds}),
                )
        if self.amount is not None and (self.amount <= 0 or money(self.amount) != self.amount):
            raise FeeError(
                record, "amount", self.amount, N_("expected yuan above zero, to the fen at most")
            )

    def applies_to(self, code: str) -> bool:
        """Whether it applies to the fee item *code*."""
        return self.item is None or self.item == code

    def apply(self, value: Decimal) -> Decimal:
        """The exact amount after this adjustment of *value*; never below zero."""
        c = _CONTEXT
        if self.kind == "waiver":
            return _ZERO
        sign = -1 if self.kind == "reduction" else 1
        if self.rate is not None:
            result = c.multiply(value, c.add(Decimal(1), c.multiply(sign, self.rate)))
        else:
            assert self.amount is not None
            result = c.add(value, c.multiply(sign, self.amount))
        return max(result, _ZERO)

    def describe(self) -> str:
        """What it does, for a receipt: ``"减收 reduction 50%"``."""
        label = _LABELS[self.kind]
        if self.rate is not None:
            return f"{label} {_CONTEXT.multiply(self.rate, 100).normalize(_CONTEXT):f}%"
        if self.amount is not None:
            return f"{label} {_fmt(self.amount)} 元"
        return label


@attrs.frozen
class AppliedAdjustment:
    """An adjustment as applied to one line: the exact amounts before and after it.

    Args:
        adjustment: the adjustment.
        before: the line's exact amount before it.
        after: the line's exact amount after it.

    .. versionadded:: 0.1

    """

    adjustment: FeeAdjustment
    before: Decimal
    after: Decimal

    @property
    def change(self) -> Decimal:
        """The change as the receipt shows it, ``money(after) - money(before)``.

        Shown this way, the changes of a line's adjustments add up exactly to
        its net minus its gross.
        """
        return money(self.after) - money(self.before)


@attrs.frozen(kw_only=True)
class FeeLine:
    """One line of a receipt: a fee item, how it was computed, its adjustments and amounts.

    The exact amounts are kept; :attr:`gross` and :attr:`net` are each rounded
    once, to the fen.

    Args:
        item: the fee item's code.
        name: its name.
        kind: ``"fee"`` or ``"tax"``.
        basis: its legal basis.
        computed: how its gross amount was computed, e.g. ``"10.00 元/本 × 3"``.
        exact_gross: the amount by its rule, unrounded.
        exact_net: the amount after the adjustments, unrounded.
        adjustments: the adjustments applied, in order.
        quantity: the quantity it was computed from, if any.
        base: the base value it was computed from, if any.
        collected_by: the unit that collects it, if stated.
        payer: who pays, if stated.

    .. versionadded:: 0.1

    """

    item: str
    name: str
    kind: str
    basis: str
    computed: str
    exact_gross: Decimal
    exact_net: Decimal
    adjustments: tuple[AppliedAdjustment, ...] = ()
    quantity: Decimal | None = None
    base: Decimal | None = None
    collected_by: str | None = None
    payer: str | None = None

    @property
    def gross(self) -> Decimal:
        """The amount by the item's rule (应收), rounded to the fen."""
        return money(self.exact_gross)

    @property
    def net(self) -> Decimal:
        """The amount to pay after adjustments (实收), rounded to the fen."""
        return money(self.exact_net)

    @property
    def change(self) -> Decimal:
        """The net minus the gross as shown, negative for waivers and reductions."""
        return self.net - self.gross

    def to_dict(self) -> dict[str, Any]:
        """The line as JSON-ready data; amounts as strings (``"12.50"``)."""

        def opt(value: Decimal | None) -> str | None:
            return None if value is None else _fmt(value)

        return {
            "item": self.item,
            "name": self.name,
            "kind": self.kind,
            "basis": self.basis,
            "collected_by": self.collected_by,
            "payer": self.payer,
            "quantity": opt(self.quantity),
            "base": opt(self.base),
            "computed": self.computed,
            "gross": _fmt(self.gross),
            "adjustments": [
                {
                    "kind": a.adjustment.kind,
                    "rate": opt(a.adjustment.rate),
                    "amount": opt(a.adjustment.amount),
                    "reason": a.adjustment.reason,
                    "basis": a.adjustment.basis,
                    "source": a.adjustment.source or None,
                    "change": _fmt(a.change),
                }
                for a in self.adjustments
            ],
            "net": _fmt(self.net),
            "exact_gross": _fmt(self.exact_gross),
            "exact_net": _fmt(self.exact_net),
        }


@attrs.frozen
class Receipt:
    """What an applicant pays for a matter: the lines, each with its basis, and the total.

    The total is the sum of the lines as rounded (see the rounding rule in
    :mod:`govservice.fees`), so the printed lines always add up to it.

    Args:
        matter: the matter's code.
        lines: the lines, in the schedule's order.

    .. versionadded:: 0.1

    """

    matter: str
    lines: tuple[FeeLine, ...] = ()

    @property
    def total(self) -> Decimal:
        """The total to pay (合计), the sum of the lines' net amounts, two places."""
        return sum((line.net for line in self.lines), _NO_YUAN)

    @property
    def gross_total(self) -> Decimal:
        """The total before adjustments (应收合计), the sum of the lines' gross amounts."""
        return sum((line.gross for line in self.lines), _NO_YUAN)

    def subtotal(self, kind: str) -> Decimal:
        """The total of the lines of one kind, ``"fee"`` or ``"tax"``.

        Raises:
            FeeError: an unknown kind.

        """
        if kind not in FEE_KINDS:
            raise FeeError(
                None,
                "kind",
                kind,
                Message(N_("expected one of %(value)s"), {"value": ", ".join(FEE_KINDS)}),
            )
        return sum((line.net for line in self.lines if line.kind == kind), _NO_YUAN)

    def line(self, item: str) -> FeeLine:
        """The line of the fee item *item*.

        Raises:
            KeyError: no such line.

        """
        for line in self.lines:
            if line.item == item:
                return line
        raise KeyError(item)

    def to_dict(self) -> dict[str, Any]:
        """The receipt as JSON-ready data; amounts as strings with two places (``"12.50"``)."""
        return {
            "matter": self.matter,
            "lines": [line.to_dict() for line in self.lines],
            "gross_total": _fmt(self.gross_total),
            "subtotals": {kind: _fmt(self.subtotal(kind)) for kind in FEE_KINDS},
            "total": _fmt(self.total),
        }

    def to_text(self) -> str:
        """The receipt as text, each item with its basis, its computation and its adjustments."""
        out = [f"收费清单 Fee receipt — 事项 matter {self.matter}"]
        if not self.lines:
            out.append("  不收费 No fee items: free of charge")
        for n, line in enumerate(self.lines, start=1):
            out.append(f"{n}. {line.name} [{line.item}] ({_KIND_LABELS[line.kind]})")
            out.append(f"   依据 basis: {line.basis}")
            out.append(f"   计算 computed: {line.computed}")
            out.append(f"   应收 gross: {_fmt(line.gross)}")
            for a in line.adjustments:
                adj = a.adjustment
                out.append(f"   {adj.describe()}: {_fmt(a.change)}")
                out.append(f"     理由 reason: {adj.reason}; 依据 basis: {adj.basis}")
            if line.adjustments:
                out.append(f"   实收 net: {_fmt(line.net)}")
        out.append(f"合计 Total: {_fmt(self.total)} 元")
        return "\n".join(out)

    def __str__(self) -> str:
        return self.to_text()


def _inputs(
    schedule: FeeSchedule, values: Mapping[str, Any] | None, field: str
) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    for code, value in (values or {}).items():
        record = f"matter {schedule.matter}, fee {code}"
        if code not in schedule.codes:
            known = ", ".join(schedule.codes) or "none"
            raise FeeError(
                record,
                field,
                value,
                Message(N_("no such fee item (known: %(known)s)"), {"known": known}),
            )
        needs = schedule.item(code).needs
        if needs != field:
            takes = f"takes a {needs}" if needs else "is a fixed amount"
            raise FeeError(
                record,
                field,
                value,
                Message(
                    N_("this item takes no %(field)s: it %(takes)s"),
                    {"field": field, "takes": takes},
                ),
            )
        number = to_decimal(value, record=record, field=field)
        if number < 0:
            raise FeeError(record, field, value, N_("must not be negative"))
        out[code] = number
    return out


def compute_fees(
    schedule: FeeSchedule,
    *,
    quantity: Mapping[str, Decimal | int | str] | None = None,
    base: Mapping[str, Decimal | int | str] | None = None,
    adjustments: Iterable[FeeAdjustment] = (),
) -> Receipt:
    """Compute the receipt of a matter's fees.

    Each item's amount comes from its rule; the adjustments that apply to it
    follow in the order given, each on the exact running amount; then each
    line is rounded once and the total is the sum of the rounded lines.

    Args:
        schedule: the matter's fee schedule.
        quantity: the quantity of each item that is charged per unit (or tiered
            on a quantity), by item code.
        base: the base value in yuan of each item that is a percentage (or
            tiered on a base), by item code.
        adjustments: waivers, reductions and surcharges, e.g. from the
            ``adjust_fees`` hook.

    Raises:
        FeeError: naming the matter, the item and the field: a quantity or base
            missing, negative, a float, or given for an item that takes none; an
            adjustment for an item not in the schedule.

    Example:
        >>> from govservice.fees import FeeItem, FeeSchedule, Tier, Tiered, compute_fees
        >>> court = Tiered((Tier("10000", fixed="50"), Tier("100000", "0.025"), Tier(None, "0.02")))
        >>> item = FeeItem("F1", "受理费", court, basis="诉讼费用交纳办法 Art. 13")
        >>> schedule = FeeSchedule("X-1", [item])
        >>> print(compute_fees(schedule, base={"F1": "50000"}))
        收费清单 Fee receipt — 事项 matter X-1
        1. 受理费 [F1] (收费 fee)
           依据 basis: 诉讼费用交纳办法 Art. 13
           计算 computed: progressive tiers on 50000
           应收 gross: 1050.00
        合计 Total: 1050.00 元

    .. versionadded:: 0.1

    """
    if not isinstance(schedule, FeeSchedule):
        raise FeeError(None, "schedule", schedule, N_("expected a FeeSchedule"))
    quantities = _inputs(schedule, quantity, "quantity")
    bases = _inputs(schedule, base, "base")
    adjustments = tuple(adjustments)
    for adj in adjustments:
        if not isinstance(adj, FeeAdjustment):
            raise FeeError(
                f"matter {schedule.matter}",
                "adjustments",
                adj,
                N_("expected FeeAdjustment objects"),
            )
        if adj.item is not None and adj.item not in schedule.codes:
            known = ", ".join(schedule.codes) or "none"
            raise FeeError(
                f"matter {schedule.matter}",
                "adjustments",
                adj.item,
                Message(
                    N_("an adjustment for a fee item the matter does not have (known: %(known)s)"),
                    {"known": known},
                ),
            )
    lines = []
    for item in schedule.items:
        q, b = quantities.get(item.code), bases.get(item.code)
        needs = item.needs
        if needs is not None and (q if needs == "quantity" else b) is None:
            what = needs
            if isinstance(item.amount, PerUnit):
                what += f" (number of {item.amount.unit})"
            raise FeeError(
                f"matter {schedule.matter}, fee {item.code}",
                needs,
                None,
                Message(N_("missing: needs a %(what)s"), {"what": what}),
            )
        gross = item.amount.amount(q, b)
        running = gross
        applied = []
        for adj in adjustments:
            if adj.applies_to(item.code):
                after = adj.apply(running)
                applied.append(AppliedAdjustment(adj, running, after))
                running = after
        lines.append(
            FeeLine(
                item=item.code,
                name=item.name,
                kind=item.kind,
                basis=item.basis,
                computed=item.amount.describe(q, b),
                exact_gross=gross,
                exact_net=running,
                adjustments=tuple(applied),
                quantity=q,
                base=b,
                collected_by=item.collected_by,
                payer=item.payer,
            )
        )
    return Receipt(schedule.matter, tuple(lines))
