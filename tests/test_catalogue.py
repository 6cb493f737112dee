"""Catalogue loading: good shapes load; a bad input names file, record, field and value."""

from __future__ import annotations

import json
import pickle
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from govservice import DataFileError
from govservice.model import (
    BUILTIN_RULES,
    Catalogue,
    HandlingKind,
    LimitUnit,
    Matter,
    ModelError,
    RuleBook,
    TimeLimit,
    Unit,
    UnknownCode,
    load_catalogue,
)

SMALL = Path(__file__).parent / "data" / "catalogue_small.toml"

MINIMAL = """
[[unit]]
code = "MR"
name = "市场监督管理局"
stationed = true

[[matter]]
code = "MR-001"
name = "食品经营许可"
unit = "MR"
category = "administrative_licensing"
kind = "promised"                 # immediate | promised | joint | reported
statutory = { working_days = 20, rule = "alicensing.decision" }
promised = { working_days = 8 }
authorized = true
"""

BASE = """
[[unit]]
code = "MR"
name = "市场监督管理局"
stationed = true

[[unit]]
code = "TA"
name = "税务局"

[[window]]
code = "W1"
name = "市场监管窗口"
units = ["MR"]

[[staff]]
code = "S1"
name = "李四"
window = "W1"

[[matter]]
code = "MR-001"
name = "食品经营许可"
unit = "MR"
category = "administrative_licensing"
kind = "promised"
statutory = { working_days = 20, rule = "alicensing.decision" }
promised = { working_days = 8 }
authorized = true
windows = ["W1"]

[[matter]]
code = "MR-002"
name = "个体工商户登记"
unit = "MR"
category = "registration"
kind = "immediate"
statutory = { working_days = 3, rule = "market_registration.decision" }

[[bundle]]
code = "B1"
name = "开办企业一件事"
matters = ["MR-001", "MR-002"]
lead = "MR-001"
limit = { working_days = 10 }

[[rule]]
id = "county.visit"
title = "现场核查"
law = "某县办法"
article = "Art. 3"
limit = { working_days = 5 }
"""

OVERLAPPING_RULE = """
[[rule]]
id = "ogi.reply"
title = "答复"
law = "某县办法"
article = "Art. 4"
limit = { working_days = 10 }
valid_from = 2019-01-01
"""


def write(tmp_path: Path, text: str, name: str = "catalogue.toml") -> Path:
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    return f


# ---- good files --------------------------------------------------------------------------


def test_minimal_shape_loads(tmp_path: Path) -> None:
    f = write(tmp_path, MINIMAL)
    cat = load_catalogue(f)
    m = cat.matter("MR-001")
    assert m == Matter(
        code="MR-001",
        name="食品经营许可",
        unit="MR",
        category="administrative_licensing",
        kind=HandlingKind.PROMISED,
        statutory=TimeLimit(20, LimitUnit.WORKING_DAYS, "alicensing.decision"),
        promised=TimeLimit(8),
        authorized=True,
    )
    assert cat.units == {"MR": Unit("MR", "市场监督管理局", True)}
    assert not cat.windows and not cat.staff and not cat.bundles
    assert cat.rules == BUILTIN_RULES and cat.source == str(f)
    assert cat.is_stationed(m)
    assert cat.statutory_rule("MR-001", date(2026, 3, 2)).citation.endswith("Art. 42")


def test_base_loads(tmp_path: Path) -> None:
    cat = load_catalogue(write(tmp_path, BASE))
    assert len(cat.matters) == 2 and cat.bundles["B1"].lead == "MR-001"
    assert cat.staff["S1"].window == "W1" and cat.units["TA"].stationed


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    """The small catalogue of tests/data."""
    return load_catalogue(SMALL)


class TestSmallCatalogue:
    def test_pickles(self, cat: Catalogue) -> None:
        """A catalogue crosses to worker processes (simulation sweeps) whole and read-only."""
        back = pickle.loads(pickle.dumps(cat))
        assert back == cat and repr(back) == repr(cat)
        assert dict(back.matters) == dict(cat.matters) and dict(back.fees) == dict(cat.fees)
        with pytest.raises(TypeError):
            back.matters["X"] = cat.matters["MR-001"]  # type: ignore[index]

    def test_counts(self, cat: Catalogue) -> None:
        assert (len(cat.units), len(cat.windows), len(cat.staff), len(cat.matters)) == (5, 3, 3, 8)
        assert list(cat.bundles) == ["B01"]
        assert repr(cat).endswith("5 units, 3 windows, 3 staff, 8 matters, 1 bundles>")

    def test_every_kind(self, cat: Catalogue) -> None:
        assert {m.kind for m in cat.matters.values()} == set(HandlingKind)

    def test_stationing(self, cat: Catalogue) -> None:
        """A matter is stationed as its unit unless it says otherwise."""
        stationed = {code for code, m in cat.matters.items() if cat.is_stationed(m)}
        assert stationed == {"MR-001", "MR-002", "HR-001", "HR-002", "NR-001", "GOV-001"}
        assert not cat.units["XF"].stationed and cat.matter("XF-001").stationed is None
        assert cat.units["MR"].stationed and cat.matter("MR-003").stationed is False

    def test_authorisation_and_windows(self, cat: Catalogue) -> None:
        assert [c for c, m in cat.matters.items() if not m.authorized] == ["HR-002"]
        w = cat.windows["W09"]
        assert w.comprehensive and w.units == ("HR", "GOV")
        assert cat.matter("HR-001").windows == ("W09",)

    def test_limits(self, cat: Catalogue) -> None:
        assert cat.matter("MR-002").promised == TimeLimit(2, LimitUnit.WORKING_HOURS)
        assert cat.matter("XF-001").statutory == TimeLimit(60, LimitUnit.DAYS, "petition.decision")
        assert cat.bundles["B01"].limit == TimeLimit(10)

    def test_local_rules(self, cat: Catalogue) -> None:
        """A [[rule]] adds a local rule, or replaces a built-in one of the same validity."""
        local = cat.statutory_rule("HR-001", date(2026, 3, 2))
        assert (local.id, local.limit.amount, local.confirmed) == (
            "county.employment_card",
            5,
            False,
        )
        assert local.source == str(SMALL)
        forward = cat.rules.resolve("reported.forward", date(2026, 3, 2))
        assert forward.limit.amount == 2 and forward.confirmed and forward.source == str(SMALL)
        assert BUILTIN_RULES.latest("reported.forward").limit.amount == 3

    def test_rules_with_clocks_round_trip(self, tmp_path: Path) -> None:
        """A [[rule]] names companion clocks and how acceptance is deemed; written back, the same.

        A companion must be a rule counting from what its clock starts at: a delivery rule from
        the decision (行政许可法 Art. 44), not from acceptance.
        """
        from govservice.model import catalogue_from_document, catalogue_to_document

        rule = (
            'article = "Art. 3"\npausable = ["hearing"]\ndelivery_rule = "alicensing.delivery"\n'
            'hearing_rule = "alicensing.hearing"\ndeemed_acceptance = "none"\n'
            "acceptance_limit = 7\ndeemed_after_correction = true\ncorrection_pauses = true\n"
            'in_force_by = "acceptance"'
        )
        text = BASE.replace('article = "Art. 3"', rule).replace(
            'rule = "alicensing.decision"', 'rule = "county.visit"', 1
        )
        cat = load_catalogue(write(tmp_path, text))
        (r,) = cat.rules.versions("county.visit")
        assert (r.delivery_rule, r.hearing_rule, r.deemed_acceptance) == (
            "alicensing.delivery",
            "alicensing.hearing",
            None,
        )
        assert (r.deemed_after_correction, r.correction_pauses, r.in_force_by) == (
            True,
            True,
            "acceptance",
        )
        doc = catalogue_to_document(cat)
        assert catalogue_to_document(catalogue_from_document(doc, source="again")) == doc
        wrong = text.replace(
            'delivery_rule = "alicensing.delivery"', 'delivery_rule = "alicensing.decision"'
        )
        with pytest.raises(
            DataFileError, match=r"rule county\.visit, field 'delivery_rule'.*'decision'"
        ):
            load_catalogue(write(tmp_path, wrong))

    def test_unknown_matter(self, cat: Catalogue) -> None:
        with pytest.raises(KeyError) as e:
            cat.matter("MR-010")
        assert isinstance(e.value, UnknownCode)
        assert str(e.value).startswith(f"no matter 'MR-010' in the catalogue {SMALL}; did you mean")
        assert "'MR-001'" in str(e.value) and e.value.code == "MR-010"

    def test_read_only(self, cat: Catalogue) -> None:
        with pytest.raises(TypeError):
            cat.matters["X"] = cat.matter("MR-001")  # type: ignore[index]


def test_json_catalogue(tmp_path: Path) -> None:
    """The same shape in JSON; dates are ISO strings there."""
    doc: dict[str, list[dict[str, Any]]] = {
        "unit": [{"code": "MR", "name": "市场监督管理局"}],
        "matter": [
            {
                "code": "MR-001",
                "name": "食品经营许可",
                "unit": "MR",
                "category": "administrative_licensing",
                "kind": "promised",
                "statutory": {"working_days": 20, "rule": "county.food"},
            }
        ],
        "rule": [
            {
                "id": "county.food",
                "title": "t",
                "law": "某县办法",
                "article": "Art. 1",
                "limit": {"working_days": 20},
                "valid_from": "2024-01-01",
            }
        ],
    }
    f = write(tmp_path, json.dumps(doc, ensure_ascii=False), "catalogue.json")
    cat = load_catalogue(f)
    assert cat.rules.latest("county.food").valid_from == date(2024, 1, 1)
    doc["rule"][0]["valid_from"] = "2024-13-01"
    with pytest.raises(DataFileError, match=r"rule county\.food, field 'valid_from'"):
        load_catalogue(write(tmp_path, json.dumps(doc), "catalogue.json"))


def test_catalogue_checks_references_when_built_directly() -> None:
    """Built in code, a catalogue checks the same references, raising ModelError (a ValueError)."""
    m = Matter("A-1", "x", "A", "c", "immediate", TimeLimit(1, rule="ogi.correction"))
    with pytest.raises(ModelError, match="matter A-1, field 'unit': unknown unit"):
        Catalogue(units=[], matters=[m])
    cat = Catalogue(units=[Unit("A", "a")], matters=[m])
    assert cat.matters["A-1"] is m
    with pytest.raises(ModelError, match="duplicate code"):
        Catalogue(units=[Unit("A", "a"), Unit("A", "b")], matters=[])
    with pytest.raises(ModelError, match="another key"):
        Catalogue(units={"B": Unit("A", "a")}, matters=[])


# ---- bad files ---------------------------------------------------------------------------


def _swap(old: str, new: str) -> tuple[str, str]:
    assert BASE.count(old) == 1, old
    return old, new


BAD = [
    # (id, (old, new) or appended text, record, field, value in the message)
    (
        "promised longer than statutory",
        _swap("promised = { working_days = 8 }", "promised = { working_days = 25 }"),
        "matter MR-001",
        "promised",
        "25 working days",
    ),
    (
        "unknown rule id",
        _swap('rule = "alicensing.decision"', 'rule = "alicensing.decison"'),
        "matter MR-001",
        "statutory",
        "'alicensing.decison'",
    ),
    (
        "matter of an unknown unit",
        _swap('unit = "MR"\ncategory = "administrative', 'unit = "XX"\ncategory = "administrative'),
        "matter MR-001",
        "unit",
        "'XX'",
    ),
    (
        "unknown kind",
        _swap('kind = "promised"', 'kind = "promise"'),
        "matter MR-001",
        "kind",
        "'promise'",
    ),
    ("kind not a string", _swap('kind = "immediate"', "kind = 1"), "matter MR-002", "kind", "1"),
    ("duplicate unit", _swap('code = "TA"', 'code = "MR"'), "unit MR", "code", "'MR'"),
    (
        "duplicate matter",
        _swap('code = "MR-002"', 'code = "MR-001"'),
        "matter MR-001",
        "code",
        "'MR-001'",
    ),
    (
        "window of an unknown unit",
        _swap('units = ["MR"]', 'units = ["MX"]'),
        "window W1",
        "units",
        "'MX'",
    ),
    (
        "unit window serving two units",
        _swap('units = ["MR"]', 'units = ["MR", "TA"]'),
        "window W1",
        "units",
        "['MR', 'TA']",
    ),
    (
        "staff at an unknown window",
        _swap('window = "W1"', 'window = "W9"'),
        "staff S1",
        "window",
        "'W9'",
    ),
    (
        "matter at an unknown window",
        _swap('windows = ["W1"]', 'windows = ["W2"]'),
        "matter MR-001",
        "windows",
        "'W2'",
    ),
    (
        "bundle with an unknown matter",
        _swap('matters = ["MR-001", "MR-002"]', 'matters = ["MR-001", "MR-009"]'),
        "bundle B1",
        "matters",
        "'MR-009'",
    ),
    (
        "bundle lead not in the bundle",
        _swap('lead = "MR-001"', 'lead = "MR-002x"'),
        "bundle B1",
        "lead",
        "'MR-002x'",
    ),
    (
        "unknown field in a unit",
        _swap("stationed = true", "stationd = true"),
        "unit record 1",
        "stationd",
        "True",
    ),
    (
        "unknown field in a window",
        _swap('units = ["MR"]', 'unit = ["MR"]'),
        "window record 1",
        "unit",
        "['MR']",
    ),
    (
        "unknown field in staff",
        _swap('window = "W1"', 'windw = "W1"'),
        "staff record 1",
        "windw",
        "'W1'",
    ),
    (
        "unknown field in a matter",
        _swap("authorized = true", "authorised = true"),
        "matter record 1",
        "authorised",
        "True",
    ),
    (
        "unknown field in a bundle",
        _swap('lead = "MR-001"', 'leader = "MR-001"'),
        "bundle record 1",
        "leader",
        "'MR-001'",
    ),
    (
        "unknown field in a rule",
        _swap('article = "Art. 3"', 'artcle = "Art. 3"'),
        "rule record 1",
        "artcle",
        "'Art. 3'",
    ),
    (
        "unknown key in a limit",
        _swap("promised = { working_days = 8 }", "promised = { workdays = 8 }"),
        "matter MR-001",
        "promised",
        "'workdays'",
    ),
    (
        "amount not an integer",
        _swap("promised = { working_days = 8 }", 'promised = { working_days = "8" }'),
        "matter MR-001",
        "promised",
        "'8'",
    ),
    (
        "negative amount",
        _swap("limit = { working_days = 10 }", "limit = { working_days = -1 }"),
        "bundle B1",
        "limit",
        "-1",
    ),
    (
        "two units in a limit",
        _swap("promised = { working_days = 8 }", "promised = { working_days = 8, days = 8 }"),
        "matter MR-001",
        "promised",
        "'days': 8",
    ),
    (
        "statutory limit without a rule",
        _swap(
            'statutory = { working_days = 3, rule = "market_registration.decision" }',
            "statutory = { working_days = 3 }",
        ),
        "matter MR-002",
        "statutory",
        "'working_days': 3",
    ),
    (
        "statutory limit in another unit than its rule",
        _swap(
            'statutory = { working_days = 3, rule = "market_registration.decision" }',
            'statutory = { working_days = 60, rule = "petition.decision" }',
        ),
        "matter MR-002",
        "statutory",
        "60 working days (petition.decision)",
    ),
    (
        "bool not a string",
        _swap('name = "税务局"', "name = true"),
        "unit TA",
        "name",
        "True",
    ),
    (
        "string not a bool",
        _swap("authorized = true", 'authorized = "yes"'),
        "matter MR-001",
        "authorized",
        "'yes'",
    ),
    (
        "units not a list",
        _swap('units = ["MR"]', 'units = "MR"'),
        "window W1",
        "units",
        "'MR'",
    ),
    (
        "limit not a table",
        _swap("limit = { working_days = 10 }", "limit = 10"),
        "bundle B1",
        "limit",
        "10",
    ),
    (
        "empty code",
        _swap('code = "S1"', 'code = ""'),
        "staff record 1",
        "code",
        "''",
    ),
    (
        "rule with an unknown clock start",
        _swap('article = "Art. 3"', 'article = "Art. 3"\ncounts_from = "submission"'),
        "rule county.visit",
        "counts_from",
        "'submission'",
    ),
    (
        "rule with an unknown deemed acceptance",
        _swap('article = "Art. 3"', 'article = "Art. 3"\ndeemed_acceptance = "silence"'),
        "rule county.visit",
        "deemed_acceptance",
        "'silence'",
    ),
    (
        "rule with a hearing clock that counts the hearing",
        _swap('article = "Art. 3"', 'article = "Art. 3"\nhearing_rule = "alicensing.hearing"'),
        "rule county.visit",
        "hearing_rule",
        "'alicensing.hearing'",
    ),
    (
        "rule validity as a datetime",
        _swap('article = "Art. 3"', 'article = "Art. 3"\nvalid_from = 2024-01-01T08:00:00'),
        "rule county.visit",
        "valid_from",
        "2024, 1, 1, 8, 0",
    ),
    (
        "rule overlapping a built-in version",
        OVERLAPPING_RULE,
        "rule ogi.reply",
        "valid_from",
        "2019, 1, 1",
    ),
    (
        "the same rule twice",
        BASE[BASE.index("[[rule]]") :],
        "rule county.visit",
        "id",
        "'county.visit'",
    ),
    ("unknown top-level table", "[[units]]\ncode = 'X'\n", "top level", "units", "'X'"),
]


@pytest.mark.parametrize(
    ("change", "record", "field", "value"),
    [case[1:] for case in BAD],
    ids=[case[0] for case in BAD],
)
def test_bad_catalogue(
    tmp_path: Path, change: tuple[str, str] | str, record: str, field: str, value: str
) -> None:
    text = BASE.replace(*change) if isinstance(change, tuple) else BASE + change
    f = write(tmp_path, text)
    with pytest.raises(DataFileError) as e:
        load_catalogue(f)
    msg = str(e.value)
    assert msg.startswith(str(f)), msg
    assert f", {record}," in msg, msg
    assert f"field {field!r}" in msg, msg
    assert value in msg, msg
    assert (e.value.record, e.value.field) == (record, field)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="no such file"):
        load_catalogue(tmp_path / "nope.toml")


def test_not_toml(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match=r"catalogue\.toml.*not valid TOML"):
        load_catalogue(write(tmp_path, "[[unit]\ncode = "))


def test_not_json(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match=r"catalogue\.json.*not valid JSON"):
        load_catalogue(write(tmp_path, "{", "catalogue.json"))


def test_rules_argument(tmp_path: Path) -> None:
    """The rules a catalogue may cite can be replaced; the file's own rules are added to them."""
    f = write(tmp_path, BASE)
    with pytest.raises(
        DataFileError, match=r"matter MR-001, field 'statutory'.*unknown time-limit"
    ):
        load_catalogue(f, rules=RuleBook())


# ---- fees --------------------------------------------------------------------------------

FEES = """
[[fee]]
matter = "MR-001"
code = "MR-001-F1"
name = "证书工本费"
basis = "illustrative 某县收费文件〔2026〕1号"
per_unit = "10.00"
unit = "本"
collected_by = "MR"
payer = "申请人"

[[fee]]
matter = "MR-001"
code = "MR-001-F2"
name = "检验费"
basis = "illustrative"
percentage = "0.003"
floor = "5.00"
cap = 100

[[fee]]
matter = "MR-002"
code = "MR-002-T1"
name = "印花税"
kind = "tax"
basis = "illustrative"
note = "collected by the tax window"
collected_by = "TA"
tiers = [{ up_to = "10000", fixed = "50" }, { up_to = 100000, rate = "0.025" }, { rate = "0.02" }]
progressive = false
"""


class TestFeeRecords:
    def test_load(self, tmp_path: Path) -> None:
        from govservice.fees import FeeItem, FeeSchedule, Percentage, PerUnit, Tier, Tiered

        cat = load_catalogue(write(tmp_path, BASE + FEES))
        assert set(cat.fees) == {"MR-001", "MR-002"}
        mr1 = cat.fee_schedule("MR-001")
        assert mr1.source == str(tmp_path / "catalogue.toml")
        assert mr1.codes == ("MR-001-F1", "MR-001-F2")  # file order
        assert mr1.item("MR-001-F1") == FeeItem(
            "MR-001-F1",
            "证书工本费",
            PerUnit(Decimal("10.00"), "本"),
            "illustrative 某县收费文件〔2026〕1号",
            collected_by="MR",
            payer="申请人",
        )
        assert mr1.item("MR-001-F2").amount == Percentage("0.003", "5.00", 100)
        tax = cat.fee_schedule("MR-002").item("MR-002-T1")
        assert tax.kind == "tax"
        assert tax.amount == Tiered(
            (Tier("10000", fixed="50"), Tier("100000", "0.025"), Tier(None, "0.02")),
            progressive=False,
        )
        assert repr(cat).endswith("1 bundles, 2 fee schedules>")
        assert isinstance(cat.fees["MR-001"], FeeSchedule)

    def test_free_matter(self, tmp_path: Path) -> None:
        cat = load_catalogue(write(tmp_path, BASE))
        assert not cat.fees
        assert cat.fee_schedule("MR-002").items == ()
        with pytest.raises(UnknownCode):
            cat.fee_schedule("MR-999")

    def test_round_trip(self, tmp_path: Path) -> None:
        """catalogue_to_document writes the fee records; reading them back gives an equal one."""
        from govservice.model import catalogue_from_document, catalogue_to_document

        cat = load_catalogue(write(tmp_path, BASE + FEES))
        doc = catalogue_to_document(cat)
        assert [r["code"] for r in doc["fee"]] == ["MR-001-F1", "MR-001-F2", "MR-002-T1"]
        assert doc["fee"][1] == {
            "matter": "MR-001",
            "code": "MR-001-F2",
            "name": "检验费",
            "basis": "illustrative",
            "kind": "fee",
            "percentage": "0.003",
            "floor": "5.00",
            "cap": "100",
        }
        back = catalogue_from_document(json.loads(json.dumps(doc)), source="store")
        assert back.fees == cat.fees
        assert back == attrs.evolve(cat, source="store")
        assert catalogue_to_document(back) == doc
        # and as a JSON catalogue file
        f = write(tmp_path, json.dumps(doc, ensure_ascii=False), "catalogue.json")
        assert load_catalogue(f).fees == cat.fees

    def test_documents_without_fees_still_load(self, tmp_path: Path) -> None:
        """A document stored before fees existed (no 'fee' key) loads with no fees."""
        from govservice.model import catalogue_from_document, catalogue_to_document

        doc = catalogue_to_document(load_catalogue(write(tmp_path, BASE)))
        assert doc["fee"] == []
        del doc["fee"]
        assert not catalogue_from_document(doc, source="old store").fees


BAD_FEES = [
    # (id, replacement in FEES or appended text, record, field, value in the message, reason)
    (
        "float amount",
        ('per_unit = "10.00"', "per_unit = 10.0"),
        "fee MR-001-F1",
        "per_unit",
        "10.0",
        "floats are not money",
    ),
    ("float floor", ('floor = "5.00"', "floor = 5.0"), "fee MR-001-F2", "floor", "5.0", "floats"),
    (
        "float in a tier",
        ('up_to = 100000, rate = "0.025"', "up_to = 100000, rate = 0.025"),
        "fee MR-002-T1",
        "tiers",
        "0.025",
        "floats are not money",
    ),
    (
        "missing basis",
        ('basis = "illustrative"\npercentage', "percentage"),
        "fee MR-001-F2",
        "basis",
        "None",
        "charging without authority: fee item MR-001-F2 of matter MR-001 cites no legal basis",
    ),
    (
        "blank basis",
        ('basis = "illustrative"\npercentage', 'basis = "  "\npercentage'),
        "fee MR-001-F2",
        "basis",
        "'  '",
        "charging without authority",
    ),
    (
        "unknown matter",
        ('matter = "MR-002"', 'matter = "MR-009"'),
        "fee MR-002-T1",
        "matter",
        "'MR-009'",
        "unknown matter (known: MR-001, MR-002)",
    ),
    (
        "duplicate code",
        ('code = "MR-002-T1"', 'code = "MR-001-F1"'),
        "fee MR-001-F1",
        "code",
        "'MR-001-F1'",
        "duplicate code",
    ),
    (
        "unknown collecting unit",
        ('collected_by = "TA"', 'collected_by = "XX"'),
        "fee MR-002-T1",
        "collected_by",
        "'XX'",
        "unknown unit",
    ),
    (
        "two amount rules",
        ('percentage = "0.003"', 'percentage = "0.003"\nfixed = "1"'),
        "fee MR-001-F2",
        None,
        "['fixed', 'percentage']",
        "exactly one of",
    ),
    (
        "no amount rule",
        ('per_unit = "10.00"\n', ""),
        "fee MR-001-F1",
        None,
        "None",
        "exactly one of",
    ),
    ("cap without percentage", ('unit = "本"', 'cap = "1"'), "fee MR-001-F1", "cap", "'1'", "only"),
    (
        "rate as a percent",
        ('percentage = "0.003"', 'percentage = "3"'),
        "fee MR-001-F2",
        "percentage",
        "'3'",
        "write 3% as '0.03'",
    ),
    (
        "floor above cap",
        ("cap = 100", 'cap = "1"'),
        "fee MR-001-F2",
        "cap",
        "'1'",
        "below the floor",
    ),
    (
        "last tier not open",
        ('{ rate = "0.02" }', '{ up_to = 200000, rate = "0.02" }'),
        "fee MR-002-T1",
        "tiers",
        "200000",
        "the last tier is open",
    ),
    (
        "unknown tier key",
        ('{ rate = "0.02" }', '{ rates = "0.02" }'),
        "fee MR-002-T1",
        "tiers",
        "rates",
        "tier 3: expected a table",
    ),
    (
        "unknown kind",
        ('kind = "tax"', 'kind = "levy"'),
        "fee MR-002-T1",
        "kind",
        "'levy'",
        "fee, tax",
    ),
    (
        "unknown field",
        ('payer = "申请人"', 'payee = "x"'),
        "fee record 1",  # the reader refuses the table before it reads the code
        "payee",
        "'x'",
        "unknown",
    ),
    ("empty name", ('name = "检验费"', 'name = ""'), "fee MR-001-F2", "name", "''", "non-empty"),
    (
        "negative amount",
        ('per_unit = "10.00"', 'per_unit = "-1"'),
        "fee MR-001-F1",
        "per_unit",
        "'-1'",
        "must not be negative",
    ),
]


@pytest.mark.parametrize(
    ("change", "record", "field", "value", "reason"),
    [case[1:] for case in BAD_FEES],
    ids=[case[0] for case in BAD_FEES],
)
def test_bad_fee_record(
    tmp_path: Path,
    change: tuple[str, str],
    record: str,
    field: str | None,
    value: str,
    reason: str,
) -> None:
    assert FEES.count(change[0]) == 1, change[0]
    f = write(tmp_path, BASE + FEES.replace(*change))
    with pytest.raises(DataFileError) as e:
        load_catalogue(f)
    msg = str(e.value)
    assert msg.startswith(f"{f}, {record}"), msg
    if field is not None:
        assert f"field {field!r}" in msg, msg
    assert value in msg, msg
    assert reason in msg, msg
    assert (e.value.record, e.value.field) == (record, field)


class TestFeesInCode:
    """Built in code, a catalogue checks its fee schedules too (ModelError, a ValueError)."""

    @staticmethod
    def base() -> Catalogue:
        m = Matter("A-1", "x", "A", "c", "immediate", TimeLimit(1, rule="ogi.correction"))
        return Catalogue(units=[Unit("A", "a")], matters=[m])

    @staticmethod
    def schedule(matter: str, *codes: str, source: str = "", unit: str | None = None) -> Any:
        from govservice.fees import FeeItem, FeeSchedule, Fixed

        items = [FeeItem(c, "fee", Fixed(1), "b", collected_by=unit) for c in codes]
        return FeeSchedule(matter, items, source=source)

    def test_unknown_matter(self) -> None:
        with pytest.raises(ModelError, match="fee schedule of matter B-1, field 'matter'"):
            attrs.evolve(self.base(), fees=[self.schedule("B-1", "F1")])

    def test_unknown_unit(self) -> None:
        with pytest.raises(ModelError, match="fee F1, field 'collected_by': unknown unit"):
            attrs.evolve(self.base(), fees=[self.schedule("A-1", "F1", unit="Z")])

    def test_item_codes_unique_across_matters(self) -> None:
        cat = self.base()
        m2 = attrs.evolve(cat.matters["A-1"], code="A-2")
        with pytest.raises(ModelError, match="duplicate code \\(also a fee item of matter A-1\\)"):
            Catalogue(
                units=cat.units,
                matters=[cat.matters["A-1"], m2],
                fees=[self.schedule("A-1", "F1"), self.schedule("A-2", "F1")],
            )

    def test_keyed_by_matter(self) -> None:
        with pytest.raises(ModelError, match="another key"):
            attrs.evolve(self.base(), fees={"A-9": self.schedule("A-1", "F1")})
        with pytest.raises(ModelError, match="expected FeeSchedule"):
            attrs.evolve(self.base(), fees=["F1"])  # type: ignore[list-item]

    def test_with_fee_schedules(self) -> None:
        cat = attrs.evolve(self.base(), fees=[self.schedule("A-1", "F1", "F2", source="file")])
        replaced = cat.with_fee_schedules([self.schedule("A-1", "F3", source="plugin p")])
        assert replaced.fee_schedule("A-1").codes == ("F3",)
        assert replaced.fee_schedule("A-1").source == "plugin p"
        assert cat.fee_schedule("A-1").codes == ("F1", "F2")  # unchanged
        with pytest.raises(ModelError, match="from plugin p and plugin q"):
            cat.with_fee_schedules(
                [
                    self.schedule("A-1", "F3", source="plugin p"),
                    self.schedule("A-1", "F4", source="plugin q"),
                ]
            )
        with pytest.raises(ModelError, match="unknown matter"):
            cat.with_fee_schedules([self.schedule("Z-1", "F5")])


@given(st.data())
def test_fee_record_round_trip(data: st.DataObject) -> None:
    """Any fee item written as a [[fee]] record reads back equal."""
    from govservice._toml import Reader
    from govservice.fees import FeeItem, Fixed, Percentage, PerUnit, Tier, Tiered
    from govservice.model.fees import FEE_RECORD_FIELDS, fee_record, read_fee_record

    money = st.decimals(min_value=0, max_value=10**6, places=2)
    rate = st.decimals(min_value=0, max_value=1, places=5)
    text = st.text(st.characters(codec="utf-8", exclude_categories=["C"]), min_size=1).filter(
        str.strip
    )
    bounds = data.draw(st.lists(money.filter(bool), unique=True, max_size=3).map(sorted))
    amount = data.draw(
        st.one_of(
            st.builds(Fixed, money),
            st.builds(PerUnit, rate, text),
            st.builds(
                Percentage, rate, st.none() | st.just(Decimal("0.5")), st.none() | st.just(9)
            ),
            st.builds(
                Tiered,
                st.just((*(Tier(b, data.draw(rate)) for b in bounds), Tier(None, fixed="1.5"))),
                st.booleans(),
                st.sampled_from(["base", "quantity"]),
                st.none() | text,
            ),
        )
    )
    item = FeeItem(
        data.draw(text),
        data.draw(text),
        amount,
        data.draw(text),
        data.draw(st.sampled_from(["fee", "tax"])),
        data.draw(st.none() | text),
        data.draw(st.none() | text),
        data.draw(st.none() | text),
    )
    record = json.loads(json.dumps(fee_record("M-1", item)))
    assert read_fee_record(Reader("f", "fee record 1", record, FEE_RECORD_FIELDS)) == ("M-1", item)
