"""Fees: amount rules, adjustments, receipts and the rounding rule, by hand and by property."""

from __future__ import annotations

import doctest
import json
import re
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govservice.fees import (
    AppliedAdjustment,
    FeeAdjustment,
    FeeError,
    FeeItem,
    FeeSchedule,
    Fixed,
    Percentage,
    PerUnit,
    Receipt,
    Tier,
    Tiered,
    compute_fees,
    money,
)
from govservice.model import ModelError

D = Decimal
DOCS = Path(__file__).resolve().parent.parent / "docs" / "fees.md"

# The court fee schedule (诉讼费用交纳办法 Art. 13 (一), 财产案件, 分段累计): a well-known
# progressive schedule, used here because its published quick-calculation table (速算) gives an
# independent check: in each bracket, fee = rate × claim + constant.
COURT = Tiered(
    (
        Tier("10000", fixed="50"),
        Tier("100000", "0.025"),
        Tier("200000", "0.02"),
        Tier("500000", "0.015"),
        Tier("1000000", "0.01"),
        Tier("2000000", "0.009"),
        Tier("5000000", "0.008"),
        Tier("10000000", "0.007"),
        Tier("20000000", "0.006"),
        Tier(None, "0.005"),
    )
)
QUICK = [  # (lower, upper, rate, constant): the 速算 table
    (D("10000"), D("100000"), D("0.025"), D(-200)),
    (D("100000"), D("200000"), D("0.02"), D(300)),
    (D("200000"), D("500000"), D("0.015"), D(1300)),
    (D("500000"), D("1000000"), D("0.01"), D(3800)),
    (D("1000000"), D("2000000"), D("0.009"), D(4800)),
    (D("2000000"), D("5000000"), D("0.008"), D(6800)),
    (D("5000000"), D("10000000"), D("0.007"), D(11800)),
    (D("10000000"), D("20000000"), D("0.006"), D(21800)),
    (D("20000000"), D("1000000000"), D("0.005"), D(41800)),
]

BASIS = "illustrative basis 〔2026〕1号"


def item(code: str, amount: Any, **kw: Any) -> FeeItem:
    return FeeItem(code, f"item {code}", amount, kw.pop("basis", BASIS), **kw)


def schedule(*items: FeeItem, matter: str = "M-1") -> FeeSchedule:
    return FeeSchedule(matter, items)


def adj(kind: str, **kw: Any) -> FeeAdjustment:
    kw.setdefault("reason", "test")
    kw.setdefault("basis", BASIS)
    return FeeAdjustment(kind=kind, **kw)


# ---- money ------------------------------------------------------------------------------


class TestMoney:
    def test_half_up_to_the_fen(self) -> None:
        """Two places, ties away from zero (ROUND_HALF_UP), not banker's rounding."""
        assert money("2.345") == D("2.35")
        assert money("2.335") == D("2.34")  # ROUND_HALF_EVEN would give 2.34 too; next one not
        assert money("0.125") == D("0.13")  # ROUND_HALF_EVEN: 0.12
        assert money("2.344999") == D("2.34")
        assert money(7) == D("7.00")
        assert str(money(7)) == "7.00"

    def test_no_negative_zero(self) -> None:
        assert str(money("-0.001")) == "0.00"

    @pytest.mark.parametrize("bad", [0.1, 1.0, True, "abc", "", "NaN", "Infinity", None, [1]])
    def test_refuses_non_money(self, bad: Any) -> None:
        with pytest.raises(FeeError):
            money(bad)

    def test_float_message(self) -> None:
        with pytest.raises(FeeError, match="floats are not money") as e:
            money(0.1)  # type: ignore[arg-type]
        assert e.value.value == 0.1
        assert isinstance(e.value, ModelError)
        assert isinstance(e.value, ValueError)

    def test_independent_of_the_callers_context(self) -> None:
        """A caller's low-precision decimal context changes nothing."""
        import decimal

        with decimal.localcontext(decimal.Context(prec=3)):
            assert money("123456.785") == D("123456.79")
            assert PerUnit("0.333333").amount(D(3)) == D("0.999999")


# ---- amount rules, worked by hand -------------------------------------------------------


class TestFixed:
    def test_amount(self) -> None:
        # 不动产登记费 住宅类 80 元/件 (发改价格规〔2016〕2559号, as reprinted): 80.00
        assert Fixed("80.00").amount() == D("80.00")
        assert Fixed(80).amount(D(5), D(1000)) == D(80)  # quantity and base do not matter
        assert Fixed(80).needs is None

    @pytest.mark.parametrize(
        ("value", "reason"),
        [
            (1.5, "floats are not money"),
            ("-1", "must not be negative"),
            ("0.001", "at most two places"),
            ("ten", "decimal number"),
        ],
    )
    def test_refused(self, value: Any, reason: str) -> None:
        with pytest.raises(FeeError, match=reason) as e:
            Fixed(value)
        assert e.value.field == "yuan"


class TestPerUnit:
    def test_amount(self) -> None:
        # 证书工本费 10 元/本; two extra certificates: 10 × 2 = 20
        assert PerUnit("10.00", "本").amount(D(2)) == D("20.00")
        # a quantity need not be whole: 1.2 元/m² × 12.5 m² = 15.000
        assert PerUnit("1.2", "m²").amount(D("12.5")) == D("15.000")

    def test_needs_a_quantity(self) -> None:
        with pytest.raises(FeeError, match="needs a quantity"):
            PerUnit("1").amount()

    def test_rate_of_any_precision(self) -> None:
        assert PerUnit("0.0001").yuan_per_unit == D("0.0001")


class TestPercentage:
    def test_floor_and_cap(self) -> None:
        p = Percentage("0.003", floor="5.00", cap="100.00")
        # 0.3% × 1000 = 3.000 < floor 5.00 → 5.00
        assert p.amount(base=D(1000)) == D("5.00")
        # 0.3% × 5000 = 15.000, inside [5, 100]
        assert p.amount(base=D(5000)) == D("15.000")
        # 0.3% × 1,000,000 = 3000.000 > cap 100.00 → 100.00
        assert p.amount(base=D(1000000)) == D("100.00")

    def test_at_the_floor_and_cap_exactly(self) -> None:
        p = Percentage("0.004", floor="4", cap="40")
        assert p.amount(base=D(1000)) == D("4.000")  # 0.4% × 1000 = 4: the floor itself
        assert p.amount(base=D(10000)) == D("40.000")  # 0.4% × 10000 = 40: the cap itself
        assert p.amount(base=D("10000.01")) == D(40)  # 40.00004 → capped

    def test_no_limits(self) -> None:
        # stamp-duty style: 0.05% × 1,234,567.89 = 617.283945 (exact, unrounded)
        assert Percentage("0.0005").amount(base=D("1234567.89")) == D("617.283945")

    def test_rate_is_a_fraction(self) -> None:
        with pytest.raises(FeeError, match=r"write 3% as '0\.03'"):
            Percentage("3")

    def test_floor_above_cap(self) -> None:
        with pytest.raises(FeeError, match="below the floor") as e:
            Percentage("0.01", floor="10", cap="5")
        assert e.value.field == "cap"

    def test_needs_a_base(self) -> None:
        with pytest.raises(FeeError, match="needs a base"):
            Percentage("0.01").amount(quantity=D(1))


class TestTiered:
    @pytest.mark.parametrize(
        ("claim", "fee"),
        [
            ("0", "50"),  # the first bracket's 50 yuan a case
            ("10000", "50"),  # "不超过1万元": the bound is inclusive
            ("10000.01", "50.00025"),  # 50 + 2.5% × 0.01
            ("50000", "1050"),  # 50 + 2.5% × 40,000
            ("100000", "2300"),  # 50 + 2.5% × 90,000
            ("100001", "2300.02"),  # 2300 + 2% × 1
            ("150000", "3300"),  # 2300 + 2% × 50,000
            ("25000000", "166800"),  # 0.5% × 25,000,000 + 41,800 (速算)
        ],
    )
    def test_court_fee_by_hand(self, claim: str, fee: str) -> None:
        assert COURT.amount(base=D(claim)) == D(fee)

    @given(st.decimals(min_value=10000, max_value=10**9, places=2))
    def test_court_fee_matches_the_quick_table(self, claim: Decimal) -> None:
        """Progressive brackets agree with the published rate × claim + constant per bracket."""
        (rate, constant) = next((r, c) for lo, hi, r, c in QUICK if lo <= claim <= hi)
        assert COURT.amount(base=claim) == rate * claim + constant

    def test_flat_by_bracket(self) -> None:
        # illustrative: up to 10 pages 2.00 a page; above 10, 1.50 a page for every page
        pages = Tiered(
            (Tier("10", "2.00"), Tier(None, "1.50")), progressive=False, measure="quantity"
        )
        assert pages.amount(quantity=D(10)) == D("20.00")  # 2.00 × 10: the bound is inclusive
        assert pages.amount(quantity=D(11)) == D("16.50")  # 1.50 × 11: the whole at the new rate
        assert pages.amount(quantity=D(0)) == D(0)
        assert pages.needs == "quantity"

    def test_flat_with_fixed(self) -> None:
        flat = Tiered((Tier("100", fixed="5"), Tier(None, "0.01", fixed="5")), progressive=False)
        assert flat.amount(base=D(100)) == D(5)
        assert flat.amount(base=D(200)) == D(7)  # 5 + 1% × 200

    def test_progressive_on_quantity(self) -> None:
        # illustrative: first 3 units free, then 2 a unit, from the 11th 1 a unit
        t = Tiered((Tier(3), Tier(10, "2"), Tier(None, "1")), measure="quantity", unit="份")
        assert t.amount(quantity=D(3)) == D(0)
        assert t.amount(quantity=D(4)) == D(2)  # 0 + 2 × 1
        assert t.amount(quantity=D(12)) == D(16)  # 0 + 2 × 7 + 1 × 2
        assert t.describe(quantity=D(12)) == "progressive tiers on 12 份"

    @pytest.mark.parametrize(
        ("tiers", "reason"),
        [
            ((), "at least one tier"),
            ((Tier("10"),), "the last tier is open"),
            ((Tier(None), Tier(None)), "only the last tier is open"),
            ((Tier("10"), Tier("10"), Tier(None)), "bounds must increase"),
            ((Tier("0"), Tier(None)), "bounds must increase"),
            (("10",), "expected a Tier"),
        ],
    )
    def test_bad_tiers(self, tiers: Any, reason: str) -> None:
        with pytest.raises(FeeError, match=reason):
            Tiered(tiers)

    def test_bad_measure(self) -> None:
        with pytest.raises(FeeError, match="base, quantity"):
            Tiered((Tier(None, "0.1"),), measure="area")


# ---- items and schedules ----------------------------------------------------------------


class TestFeeItem:
    @pytest.mark.parametrize("basis", ["", "   ", None])
    def test_no_basis_is_charging_without_authority(self, basis: Any) -> None:
        with pytest.raises(FeeError, match="charging without authority") as e:
            FeeItem("MR-001-F1", "工本费", Fixed(10), basis)
        assert e.value.record == "fee MR-001-F1"
        assert e.value.field == "basis"

    def test_no_basis_via_evolve(self) -> None:
        import attrs

        with pytest.raises(FeeError, match="charging without authority"):
            attrs.evolve(item("F1", Fixed(1)), basis="")

    def test_kind(self) -> None:
        assert item("F1", Fixed(1)).kind == "fee"
        assert item("F1", Percentage("0.03"), kind="tax").kind == "tax"
        with pytest.raises(FeeError, match="fee, tax"):
            item("F1", Fixed(1), kind="levy")

    def test_amount_must_be_a_rule(self) -> None:
        with pytest.raises(FeeError, match="expected an amount rule"):
            item("F1", D(10))

    def test_schedule_refuses_duplicate_codes(self) -> None:
        with pytest.raises(FeeError, match="two items with this code") as e:
            schedule(item("F1", Fixed(1)), item("F1", Fixed(2)))
        assert e.value.record == "fee schedule of matter M-1"

    def test_schedule_lookup(self) -> None:
        s = schedule(item("F1", Fixed(1)), item("F2", Fixed(2)))
        assert s.codes == ("F1", "F2")
        assert s.item("F2").amount == Fixed(2)
        with pytest.raises(KeyError, match="no fee item 'F3'"):
            s.item("F3")

    def test_source_is_not_part_of_equality(self) -> None:
        a = FeeSchedule("M-1", (item("F1", Fixed(1)),), source="a.toml")
        b = FeeSchedule("M-1", (item("F1", Fixed(1)),), source="plugin x")
        assert a == b


# ---- computing a receipt ----------------------------------------------------------------

REGISTRATION = FeeSchedule(
    "NR-001",
    (
        FeeItem(
            "NR-001-F1",
            "不动产登记费（住宅）",
            Fixed("80"),
            "发改价格规〔2016〕2559号 (as reprinted by local registries)",
            collected_by="NR",
        ),
        FeeItem(
            "NR-001-F2",
            "证书工本费（第二本起）",
            PerUnit("10", "本"),
            "发改价格规〔2016〕2559号 (as reprinted by local registries)",
        ),
        FeeItem(
            "NR-001-T1", "契税", Percentage("0.03"), "illustrative: 契税法 (rate 3%–5%)", "tax"
        ),
    ),
)


class TestComputeFees:
    def test_hand_worked_receipt(self) -> None:
        r = compute_fees(
            REGISTRATION,
            quantity={"NR-001-F2": 1},
            base={"NR-001-T1": "1000000.00"},
        )
        # 80.00 + 10.00 × 1 + 3% × 1,000,000.00 = 80.00 + 10.00 + 30,000.00 = 30,090.00
        assert [str(line.net) for line in r.lines] == ["80.00", "10.00", "30000.00"]
        assert r.total == D("30090.00")
        assert r.subtotal("fee") == D("90.00")
        assert r.subtotal("tax") == D("30000.00")
        assert r.line("NR-001-F1").collected_by == "NR"
        assert r.line("NR-001-F2").computed == "10 元/本 × 1"

    def test_free_matter(self) -> None:
        r = compute_fees(FeeSchedule("MR-001"))
        assert r.lines == ()
        assert str(r.total) == "0.00"
        assert "free of charge" in r.to_text()

    def test_missing_quantity_names_matter_and_item(self) -> None:
        with pytest.raises(FeeError, match=r"number of 本") as e:
            compute_fees(REGISTRATION, base={"NR-001-T1": 1})
        assert e.value.record == "matter NR-001, fee NR-001-F2"
        assert e.value.field == "quantity"

    def test_missing_base(self) -> None:
        with pytest.raises(FeeError, match="needs a base") as e:
            compute_fees(REGISTRATION, quantity={"NR-001-F2": 0})
        assert e.value.record == "matter NR-001, fee NR-001-T1"

    @pytest.mark.parametrize(
        ("kw", "field", "reason"),
        [
            ({"quantity": {"NR-001-F1": 2}}, "quantity", "is a fixed amount"),
            ({"base": {"NR-001-F2": 2}}, "base", "it takes a quantity"),
            ({"quantity": {"NR-009": 2}}, "quantity", "no such fee item"),
            ({"quantity": {"NR-001-F2": 1.0}}, "quantity", "floats are not money"),
            ({"quantity": {"NR-001-F2": -1}}, "quantity", "must not be negative"),
            ({"base": {"NR-001-T1": "lots"}}, "base", "decimal number"),
        ],
    )
    def test_bad_inputs(self, kw: dict[str, Any], field: str, reason: str) -> None:
        with pytest.raises(FeeError, match=reason) as e:
            compute_fees(REGISTRATION, **kw)
        assert e.value.field == field
        assert e.value.record is not None and e.value.record.startswith("matter NR-001, fee ")

    def test_adjustment_for_an_unknown_item(self) -> None:
        with pytest.raises(FeeError, match="does not have") as e:
            compute_fees(REGISTRATION, adjustments=[adj("waiver", item="NR-001-F9")])
        assert e.value.value == "NR-001-F9"

    def test_not_an_adjustment(self) -> None:
        with pytest.raises(FeeError, match="expected FeeAdjustment"):
            compute_fees(FeeSchedule("M"), adjustments=["half"])  # type: ignore[list-item]


class TestRoundingOnlyAtTheEnd:
    def test_one_line_of_three_thirds(self) -> None:
        # 0.333333 × 3 = 0.999999 → 1.00; rounding the price first would give 0.33 × 3 = 0.99
        r = compute_fees(schedule(item("F1", PerUnit("0.333333"))), quantity={"F1": 3})
        assert r.line("F1").exact_gross == D("0.999999")
        assert r.total == D("1.00")

    def test_three_lines_of_a_third(self) -> None:
        # each line is rounded once (0.333333 → 0.33); the total is the sum of the rounded lines:
        # 0.99, which is what the receipt shows, not money(0.999999) = 1.00
        s = schedule(*(item(f"F{i}", PerUnit("0.333333")) for i in (1, 2, 3)))
        r = compute_fees(s, quantity={"F1": 1, "F2": 1, "F3": 1})
        assert [line.net for line in r.lines] == [D("0.33")] * 3
        assert r.total == D("0.99") == sum(line.net for line in r.lines)

    def test_adjustment_on_the_exact_amount(self) -> None:
        # 0.5% × 25 = 0.125; half of it = 0.0625 → 0.06.  Rounding the gross first would give
        # 0.13 and then half of 0.13 = 0.065 → 0.07.
        s = schedule(item("F1", Percentage("0.005")))
        r = compute_fees(s, base={"F1": 25}, adjustments=[adj("reduction", rate="0.5")])
        line = r.line("F1")
        assert (line.exact_gross, line.exact_net) == (D("0.125"), D("0.0625"))
        assert (line.gross, line.net, line.change) == (D("0.13"), D("0.06"), D("-0.07"))
        # the change shown is the difference of the rounded amounts, so the receipt adds up
        assert line.adjustments[0].change == D("-0.07")


class TestAdjustments:
    def test_small_and_micro_enterprise_waiver(self) -> None:
        # Local registries cite 财税〔2016〕79号 for waiving the registration fee (and the first
        # certificate's cost) of small and micro enterprises: the fee lines go to zero, the tax
        # does not (the adjustments name their items).
        waive = [
            adj("waiver", item=code, reason="小微企业", basis="财税〔2016〕79号 (as cited locally)")
            for code in ("NR-001-F1", "NR-001-F2")
        ]
        r = compute_fees(
            REGISTRATION,
            quantity={"NR-001-F2": 2},
            base={"NR-001-T1": "500000"},
            adjustments=waive,
        )
        assert r.line("NR-001-F1").net == r.line("NR-001-F2").net == D("0.00")
        assert r.line("NR-001-F2").change == D("-20.00")
        assert r.total == r.subtotal("tax") == D("15000.00")  # 3% × 500,000
        assert r.gross_total == D("15100.00")  # 80 + 10 × 2 + 15,000

    def test_half_rate(self) -> None:
        # illustrative 减半征收 for small and micro enterprises on a tax: 3% × 500,000 = 15,000;
        # half: 7,500
        half = adj("reduction", rate="0.5", item="NR-001-T1", reason="小型微利企业 减半")
        r = compute_fees(
            REGISTRATION,
            quantity={"NR-001-F2": 0},
            base={"NR-001-T1": 500000},
            adjustments=[half],
        )
        assert r.line("NR-001-T1").net == D("7500.00")
        assert r.total == D("7580.00")  # 80 + 0 + 7,500

    def test_all_items(self) -> None:
        """An adjustment without an item applies to every item, taxes included."""
        s = schedule(item("F1", Fixed(10)), item("T1", Fixed(20), kind="tax"))
        r = compute_fees(s, adjustments=[adj("reduction", rate="0.2")])
        assert [line.net for line in r.lines] == [D("8.00"), D("16.00")]

    def test_amount_off_never_below_zero(self) -> None:
        s = schedule(item("F1", Fixed(10)))
        r = compute_fees(s, adjustments=[adj("reduction", amount="15.00")])
        assert r.line("F1").net == D("0.00")
        assert r.total == D("0.00")

    def test_in_order_on_the_running_amount(self) -> None:
        s = schedule(item("F1", Fixed(100)))
        off_then_half = [adj("reduction", amount=20), adj("reduction", rate="0.5")]
        half_then_off = list(reversed(off_then_half))
        assert compute_fees(s, adjustments=off_then_half).total == D("40.00")  # (100-20)/2
        assert compute_fees(s, adjustments=half_then_off).total == D("30.00")  # 100/2-20

    def test_surcharge(self) -> None:
        s = schedule(item("F1", Fixed(100)))
        assert compute_fees(s, adjustments=[adj("surcharge", rate="0.1")]).total == D("110.00")
        assert compute_fees(s, adjustments=[adj("surcharge", amount=5)]).total == D("105.00")

    def test_describe(self) -> None:
        assert adj("reduction", rate="0.5").describe() == "减收 reduction 50%"
        assert adj("reduction", amount="2.50").describe() == "减收 reduction 2.50 元"
        assert adj("waiver").describe() == "免收 waiver"

    @pytest.mark.parametrize(
        ("kw", "field", "reason"),
        [
            ({"kind": "discount"}, "kind", "waiver, reduction, surcharge"),
            ({"kind": "waiver", "rate": "0.5"}, "rate", "use a reduction"),
            ({"kind": "reduction"}, "rate", "exactly one of rate and amount"),
            ({"kind": "reduction", "rate": "0.5", "amount": 1}, "rate", "exactly one"),
            ({"kind": "reduction", "rate": "1.5"}, "rate", "0 < rate ≤ 1"),
            ({"kind": "reduction", "rate": "0"}, "rate", "0 < rate ≤ 1"),
            ({"kind": "surcharge", "rate": "-0.1"}, "rate", "rate > 0"),
            ({"kind": "reduction", "rate": 0.5}, "rate", "floats are not money"),
            ({"kind": "reduction", "amount": "0.005"}, "amount", "to the fen"),
            ({"kind": "waiver", "basis": ""}, "basis", "cites its basis"),
            ({"kind": "waiver", "reason": " "}, "reason", "non-empty"),
            ({"kind": "waiver", "item": ""}, "item", "fee item code"),
        ],
    )
    def test_refused(self, kw: dict[str, Any], field: str, reason: str) -> None:
        kw.setdefault("reason", "r")
        kw.setdefault("basis", "b")
        with pytest.raises(FeeError, match=reason) as e:
            FeeAdjustment(**kw)
        assert e.value.field == field


class TestReceiptOutput:
    def receipt(self) -> Receipt:
        return compute_fees(
            REGISTRATION,
            quantity={"NR-001-F2": 1},
            base={"NR-001-T1": "333333.33"},
            adjustments=[
                adj("waiver", item="NR-001-F1", reason="小微企业", basis="财税〔2016〕79号"),
            ],
        )

    def test_to_dict_is_json_with_amounts_as_strings(self) -> None:
        d = self.receipt().to_dict()
        text = json.dumps(d, ensure_ascii=False)
        assert json.loads(text) == d
        # 3% × 333,333.33 = 9,999.9999 → 10,000.00
        assert d["total"] == "10010.00"  # 0 + 10.00 + 10,000.00
        assert d["gross_total"] == "10090.00"
        assert d["subtotals"] == {"fee": "10.00", "tax": "10000.00"}
        tax = d["lines"][2]
        assert (tax["gross"], tax["net"], tax["exact_net"]) == ("10000.00", "10000.00", "9999.9999")
        first = d["lines"][0]
        assert first["adjustments"][0]["change"] == "-80.00"
        assert first["adjustments"][0]["basis"] == "财税〔2016〕79号"
        assert first["basis"].startswith("发改价格规〔2016〕2559号")

    def test_text_lists_each_item_with_its_basis(self) -> None:
        r = self.receipt()
        text = str(r)
        assert text == r.to_text()
        for line in r.lines:
            assert line.basis in text
            assert line.name in text
        assert "免收 waiver: -80.00" in text
        assert "理由 reason: 小微企业; 依据 basis: 财税〔2016〕79号" in text
        assert text.endswith("合计 Total: 10010.00 元")


# ---- properties -------------------------------------------------------------------------

yuan = st.decimals(min_value=0, max_value=10**6, places=2)
rates = st.decimals(min_value=0, max_value=1, places=6)
prices = st.decimals(min_value=0, max_value=1000, places=4)
measures = st.decimals(min_value=0, max_value=10**7, places=3)


@st.composite
def percentages(draw: st.DrawFn) -> Percentage:
    floor, cap = draw(st.one_of(st.none(), yuan)), draw(st.one_of(st.none(), yuan))
    if floor is not None and cap is not None and floor > cap:
        floor, cap = cap, floor
    return Percentage(draw(rates), floor, cap)


@st.composite
def tiered(draw: st.DrawFn) -> Tiered:
    bounds = sorted(draw(st.sets(st.decimals(min_value=1, max_value=10**6, places=2), max_size=4)))
    tiers = [Tier(b, draw(rates), draw(yuan)) for b in bounds]
    tiers.append(Tier(None, draw(rates), draw(yuan)))
    measure = draw(st.sampled_from(["base", "quantity"]))
    return Tiered(tuple(tiers), draw(st.booleans()), measure)


amounts = st.one_of(
    st.builds(Fixed, yuan),
    st.builds(PerUnit, prices, st.just("件")),
    percentages(),
    tiered(),
)


@st.composite
def schedules(draw: st.DrawFn) -> tuple[FeeSchedule, dict[str, Decimal], dict[str, Decimal]]:
    rules = draw(st.lists(amounts, min_size=1, max_size=6))
    items = [
        FeeItem(f"F{i}", f"fee {i}", a, BASIS, draw(st.sampled_from(["fee", "tax"])))
        for i, a in enumerate(rules)
    ]
    quantity = {i.code: draw(measures) for i in items if i.needs == "quantity"}
    base = {i.code: draw(measures) for i in items if i.needs == "base"}
    return FeeSchedule("M", tuple(items)), quantity, base


def reliefs(codes: Iterable[str]) -> st.SearchStrategy[FeeAdjustment]:
    """Waivers and reductions (never surcharges) of one item or all."""
    target = st.one_of(st.none(), st.sampled_from(sorted(codes)))
    return st.one_of(
        st.builds(adj, st.just("waiver"), item=target),
        st.builds(
            adj,
            st.just("reduction"),
            item=target,
            rate=st.decimals(min_value="0.000001", max_value=1, places=6),
        ),
        st.builds(
            adj,
            st.just("reduction"),
            item=target,
            amount=st.decimals(min_value="0.01", max_value=10**5, places=2),
        ),
    )


def adjustments_for(codes: Iterable[str]) -> st.SearchStrategy[list[FeeAdjustment]]:
    codes = list(codes)
    target = st.one_of(st.none(), st.sampled_from(codes))
    surcharges = st.builds(
        adj,
        st.just("surcharge"),
        item=target,
        rate=st.decimals(min_value="0.01", max_value=2, places=2),
    )
    return st.lists(st.one_of(reliefs(codes), surcharges), max_size=5)


class TestProperties:
    @given(st.data())
    def test_money_sums_are_exact(self, data: st.DataObject) -> None:
        """total == sum of the lines; every amount a Decimal of two places, never negative."""
        s, quantity, base = data.draw(schedules())
        adjustments = data.draw(adjustments_for(s.codes))
        r = compute_fees(s, quantity=quantity, base=base, adjustments=adjustments)
        assert r.total == sum((line.net for line in r.lines), D(0))
        assert r.subtotal("fee") + r.subtotal("tax") == r.total
        for value in (r.total, r.gross_total, *(x for ln in r.lines for x in (ln.gross, ln.net))):
            assert type(value) is Decimal
            assert value.as_tuple().exponent == -2
            assert value >= 0
        for line in r.lines:
            assert line.exact_net >= 0
            # the shown changes of a line add up to its net minus its gross
            assert sum((a.change for a in line.adjustments), D(0)) == line.change
        d = r.to_dict()
        assert re.fullmatch(r"\d+\.\d\d", d["total"])
        assert json.loads(json.dumps(d)) == d

    @given(st.data())
    def test_amounts_never_negative(self, data: st.DataObject) -> None:
        rule = data.draw(amounts)
        q, b = data.draw(measures), data.draw(measures)
        assert rule.amount(q, b) >= 0

    @given(st.data())
    def test_reliefs_never_increase_a_fee(self, data: st.DataObject) -> None:
        """Waivers and reductions: each step and each line end at or below where they began."""
        s, quantity, base = data.draw(schedules())
        adjustments = data.draw(st.lists(reliefs(s.codes), max_size=5))
        r = compute_fees(s, quantity=quantity, base=base, adjustments=adjustments)
        for line in r.lines:
            assert line.exact_net <= line.exact_gross
            assert line.net <= line.gross
            for a in line.adjustments:
                assert isinstance(a, AppliedAdjustment)
                assert 0 <= a.after <= a.before
        assert r.total <= r.gross_total

    @given(percentages(), measures)
    def test_percentage_within_floor_and_cap(self, p: Percentage, base: Decimal) -> None:
        value = p.amount(base=base)
        for v in (value, money(value)):
            if p.floor is not None:
                assert v >= p.floor
            if p.cap is not None:
                assert v <= p.cap
        if (p.floor is None or p.rate * base >= p.floor) and (
            p.cap is None or p.rate * base <= p.cap
        ):
            assert value == p.rate * base

    @given(tiered(), measures, measures)
    def test_progressive_tiers_are_monotone(self, t: Tiered, m1: Decimal, m2: Decimal) -> None:
        """A larger measure never costs less under progressive brackets (rates are >= 0)."""
        if not t.progressive:
            t = Tiered(t.tiers, True, t.measure)
        lo, hi = sorted((m1, m2))
        assert t.amount(lo, lo) <= t.amount(hi, hi)


# ---- the docs page ----------------------------------------------------------------------


def test_docs_page_examples() -> None:
    """The ```{doctest} blocks of docs/fees.md run, in order, sharing one namespace."""
    text = DOCS.read_text(encoding="utf-8")
    blocks = re.findall(r"```\{doctest\}\n(.*?)```", text, flags=re.S)
    assert blocks
    parser, runner = doctest.DocTestParser(), doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    globs: dict[str, Any] = {}
    for i, block in enumerate(blocks):
        test = parser.get_doctest(block, globs, f"fees.md block {i + 1}", str(DOCS), 0)
        runner.run(test, clear_globs=False)
        globs = test.globs  # a DocTest works on a copy: carry its names to the next block
    assert runner.summarize(verbose=False).failed == 0
