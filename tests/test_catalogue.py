"""Catalogue loading: good shapes load; a bad input names file, record, field and value."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

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
