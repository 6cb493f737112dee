"""The monthly assessment: default rules on hand-worked examples, properties, plugins."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from govservice import ServiceCenter, hookimpl
from govservice.assessment import (
    DEFAULT_RULES,
    AssessmentRule,
    CaseRecord,
    Composite,
    Period,
    PeriodRecords,
    Rubric,
    ScoreItem,
    assess,
    briefing,
)
from govservice.model import Staff
from govservice.supervision import (
    Commendation,
    Complaint,
    Finding,
    Inspection,
    ServiceRecord,
    Vote,
    to_record,
)

MAY = Period.month("2026-05")
T = "2026-05-12T10:00:00+08:00"
STAFF = (Staff("S1", "李一", "W1"), Staff("S2", "王二", "W2"), Staff("S3", "赵三", "W3"))


def case(cid: str, window: str, staff: str, overdue: int, statutory: bool = False) -> CaseRecord:
    return CaseRecord(
        cid,
        "MR-001",
        "MR",
        window,
        staff,
        date(2026, 5, 20),
        date(2026, 5, 18),
        date(2026, 5, 19) if statutory else date(2026, 6, 10),
        overdue,
        statutory,
        became_late=overdue > 0,  # the deadline, 18 May, passed in May
    )


def records(**changes: object) -> PeriodRecords:
    base = PeriodRecords(
        period=MAY,
        windows=("W1", "W2", "W3"),
        staff=("S1", "S2", "S3"),
        staff_members=STAFF,
        cases=(
            case("C1", "W1", "S1", 2),
            case("C2", "W3", "S3", 3, statutory=True),
            case("C3", "W2", "S2", 0),
        ),
        inspections=(
            Inspection(
                id="I1",
                at=T,
                findings=(
                    Finding("absent_from_post", "W1", "S1"),
                    Finding("phone_use", "W2", "S2"),
                ),
            ),
        ),
        complaints=(
            Complaint(
                id="K1",
                at=T,
                window="W2",
                staff="S2",
                summary="态度差",
                substantiated=True,
                verified_at=T,
            ),
            Complaint(id="K2", at=T, window="W1", staff="S1", substantiated=False, verified_at=T),
        ),
        commendations=(Commendation(id="P1", at=T, window="W3", staff="S3", type="pennant"),),
        services=(
            ServiceRecord(id="V1", at=T, window="W1", staff="S1", type="holiday"),
            ServiceRecord(id="V2", at=T, window="W1", type="on_site"),
            ServiceRecord(id="V3", at=T, window="W1", staff="S1", type="holiday"),
        ),
    )
    return attrs.evolve(base, **changes)


class TestDefaultRules:
    """Hand-worked: LAW.md's local examples (−3 leaving post, −5 overdue, −5 complaint …)."""

    def test_window_scores(self) -> None:
        a = assess(records(), DEFAULT_RULES)
        # W1: 100 − 3 (absent) − 5 (C1 overdue) + 2 + 1 (services; the cap of +3 reached)
        assert a.score("W1").total == Decimal(95)
        # W2: 100 − 1 (phone) − 5 (substantiated complaint, veto)
        assert a.score("W2").total == Decimal(94) and a.score("W2").vetoed
        # W3: 100 − 5 (C2 past the statutory limit: veto) + 2 (pennant)
        assert a.score("W3").total == Decimal(97) and a.score("W3").vetoed
        assert [s.subject for s in a.windows] == ["W3", "W1", "W2"]
        assert a.red_flags == ("W1",)  # W3 scores more but is vetoed

    def test_staff_scores(self) -> None:
        a = assess(records(), DEFAULT_RULES)
        # S1: 100 − 3 (absent) − 2 (C1: 2 working days overdue) + 2 + 1 (holiday services, cap 3)
        assert a.score("S1", "staff").total == Decimal(98)
        assert a.score("S2", "staff").total == Decimal(94)
        assert a.score("S3", "staff").total == Decimal(99)  # −3 (3 days) + 2
        assert a.stars == ()  # nobody reaches 100
        lenient = assess(records(), DEFAULT_RULES, Rubric(star_min=Decimal(95)))
        assert lenient.stars == ("S1",)  # S3 scores more but is vetoed

    def test_dimensions(self) -> None:
        w1 = assess(records(), DEFAULT_RULES).score("W1")
        assert w1.by_dimension == {
            "efficiency": Decimal(-5),
            "quality": Decimal(3),
            "satisfaction": Decimal(0),
            "discipline": Decimal(-3),
        }

    def test_a_subject_of_the_other_kind_says_which_kind(self) -> None:
        a = assess(records(), DEFAULT_RULES)
        with pytest.raises(KeyError) as e:
            a.explain("S1")
        assert str(e.value) == (
            f"no window 'S1' in the {a.period} assessment; 'S1' is a staff member: "
            "ask with kind='staff'"
        )
        with pytest.raises(KeyError, match="'W1' is a window: ask with kind='window'"):
            a.score("W1", "staff")
        with pytest.raises(KeyError) as e:
            a.score("W99")
        assert str(e.value) == f"no window 'W99' in the {a.period} assessment"
        with pytest.raises(ValueError, match="kind must be 'window' or 'staff'"):
            a.score("S1", "staf")

    def test_explain_lists_every_item(self) -> None:
        text = assess(records(), DEFAULT_RULES).explain("W1")
        assert text.splitlines()[0] == "window W1: 95 (base 100, rank 2)"
        assert "-3 discipline: 暗访 finding: 脱岗、空岗 — I1" in text
        assert "-5 efficiency: case C1 of MR-001 late: 2 working days this period — C1" in text
        # absent, overdue, holiday +2, on-site +1; the second holiday is past the +3 cap
        assert len(text.splitlines()) == 1 + 4 + 1
        assert text.splitlines()[-1] == "  red flag (流动红旗窗口): yes"
        staff = assess(records(), DEFAULT_RULES).explain("S1", "staff")
        assert staff.splitlines()[-1] == (
            "  service star (服务之星): no — 98 is below the least score, 100"
        )

    def test_unsubstantiated_complaint_costs_nothing(self) -> None:
        a = assess(records(), DEFAULT_RULES)
        assert not [i for i in a.score("W1").items if i.rule == "default.complaints"]

    def test_cap_and_floor(self) -> None:
        many = tuple(Commendation(id=f"P{k}", at=T, window="W1", type="pennant") for k in range(20))
        a = assess(records(commendations=many), DEFAULT_RULES)
        assert a.score("W1").total == Decimal(110) and a.score("W1").raw == Decimal(135)

    def test_tie_break(self) -> None:
        """Equal scores: fewer deductions first, then more cases, then the code."""
        plain = PeriodRecords(
            period=MAY,
            windows=("W1", "W2", "W3", "W4"),
            staff=(),
            cases=(case("C1", "W4", "S9", 0),),
            commendations=(Commendation(id="P", at=T, window="W2", type="letter"),),
            inspections=(Inspection(id="I", at=T, findings=(Finding("late", "W2"),)),),
        )
        a = assess(plain, DEFAULT_RULES)
        assert [s.subject for s in a.windows] == ["W4", "W1", "W3", "W2"]

    def test_composite(self) -> None:
        votes = (
            Vote(id="v1", at=T, window="W1", source="duty", score=Decimal(80)),
            Vote(id="v2", at=T, window="W1", source="client", score=Decimal(90)),
        )
        a = assess(records(votes=votes), DEFAULT_RULES, Rubric(composite=Composite()))
        # 0.3×95 + 0.3×98 (S1) + 0.2×80 + 0.2×90 = 28.5 + 29.4 + 16 + 18
        assert a.score("W1").composite == Decimal("91.90")
        assert a.red_flags == ()  # the composite ranks and gates: 91.90 < 95

    def test_briefing_formats_agree(self) -> None:
        a = assess(records(), DEFAULT_RULES)
        md, page, data = (
            briefing.to_markdown(a),
            briefing.to_html(a),
            json.loads(briefing.to_json(a)),
        )
        assert data["red_flags"] == ["W1"]
        assert data["windows"][0]["rank"] == 1 and data["windows"][0]["code"] == "W3"
        assert data["windows"][0]["score"] == 97  # a number
        for text in (md, page):
            assert "W1" in text and "态度差" in text and "I1" in text
            assert "2026年5月月度考核通报" in text and "扣分及一票否决事项" in text
        assert page.startswith("<!doctype html>") and "<script" not in page


# ---- properties ------------------------------------------------------------------

windows = st.sampled_from(["W1", "W2", "W3"])
instants = st.datetimes(min_value=datetime(2026, 5, 1), max_value=datetime(2026, 5, 31)).map(
    lambda d: d.isoformat() + "+08:00"
)


@st.composite
def random_records(draw: st.DrawFn) -> PeriodRecords:
    findings = draw(
        st.lists(
            st.builds(
                Finding,
                type=st.sampled_from(
                    ["absent_from_post", "late", "phone_use", "unauthorised_fee", "mystery"]
                ),
                window=windows,
            ),
            max_size=6,
        )
    )
    return records(
        inspections=(Inspection(id="I", at=T, findings=tuple(findings)),),
        cases=tuple(
            case(f"C{k}", draw(windows), "S1", draw(st.integers(0, 9)), draw(st.booleans()))
            for k in range(draw(st.integers(0, 6)))
        ),
        commendations=tuple(
            Commendation(
                id=f"P{k}",
                at=draw(instants),
                window=draw(windows),
                type=draw(st.sampled_from(["pennant", "letter", "online"])),
            )
            for k in range(draw(st.integers(0, 8)))
        ),
        complaints=tuple(
            Complaint(
                id=f"K{k}",
                at=T,
                window=draw(windows),
                substantiated=draw(st.booleans()),
                verified_at=T,
            )
            for k in range(draw(st.integers(0, 3)))
        ),
    )


@given(random_records())
def test_scores_within_floor_and_cap(recs: PeriodRecords) -> None:
    rubric = Rubric(floor=Decimal(60), cap=Decimal(105))
    for s in (
        *assess(recs, DEFAULT_RULES, rubric).windows,
        *assess(recs, DEFAULT_RULES, rubric).staff,
    ):
        assert rubric.floor <= s.total <= rubric.cap
        assert s.raw == rubric.base + sum((i.points for i in s.items), Decimal(0))


@given(random_records(), windows, st.sampled_from(["pennant", "letter", "online"]))
def test_a_commendation_never_lowers_a_score(recs: PeriodRecords, window: str, kind: str) -> None:
    before = assess(recs, DEFAULT_RULES)
    more = attrs.evolve(
        recs,
        commendations=(
            *recs.commendations,
            Commendation(id="extra", at=T, window=window, type=kind),
        ),
    )
    after = assess(more, DEFAULT_RULES)
    for s in after.windows:
        assert s.total >= before.score(s.subject).total


@given(random_records())
def test_a_veto_always_bars_the_red_flag(recs: PeriodRecords) -> None:
    a = assess(recs, DEFAULT_RULES, Rubric(red_flags=3, red_flag_min=Decimal(0)))
    for s in a.windows:
        assert (s.subject in a.red_flags) == (not s.vetoed)


# ---- plugins and the store -----------------------------------------------------------

CATALOGUE = Path(__file__).parent / "data" / "catalogue_small.toml"
PERSON = {"name": "张三", "kind": "person"}


def month_events() -> list[dict[str, object]]:
    """Two May cases: W01's (S001) decided 4 working days late, W02's (S002) on time."""
    return [
        {
            "case": "A",
            "type": "submitted",
            "at": "2026-05-06T09:00:00+08:00",
            "matter": "MR-001",
            "applicant": PERSON,
            "by": "W01",
        },
        {"case": "A", "type": "accepted", "at": "2026-05-06T09:10:00+08:00", "by": "S001"},
        # promised 8 working days from 6 May (Wed; 1–5 May off): 7, 8, 9 (Sat, worked), 11 …
        # 15 May; decided 21 May: 18, 19, 20, 21 — 4 working days late
        {
            "case": "A",
            "type": "decided",
            "at": "2026-05-21T16:00:00+08:00",
            "outcome": "approved",
            "by": "S001",
        },
        {"case": "A", "type": "evaluated", "at": "2026-05-21T16:05:00+08:00", "level": 2},
        {
            "case": "B",
            "type": "submitted",
            "at": "2026-05-06T09:00:00+08:00",
            "matter": "NR-001",
            "applicant": PERSON,
            "by": "W02",
        },
        {"case": "B", "type": "accepted", "at": "2026-05-06T09:10:00+08:00", "by": "S002"},
        {
            "case": "B",
            "type": "decided",
            "at": "2026-05-08T16:00:00+08:00",
            "outcome": "approved",
            "by": "S002",
        },
    ]


@pytest.fixture
def hall(tmp_path: Path) -> tuple[ServiceCenter, str]:
    center = ServiceCenter(entrypoints=False, catalogue=CATALOGUE)
    url = f"sqlite:///{tmp_path}/hall.db"
    with center.open_store(url) as store:
        store.set_catalogue(center.catalogue)
        store.append(month_events())
        store.put_records(
            "commendation",
            [
                to_record(
                    Commendation(
                        id="P1",
                        at="2026-05-15T10:00:00+08:00",
                        window="W02",
                        staff="S002",
                        type="pennant",
                    )
                )
            ],
        )
        store.put_records(
            "inspection",
            [
                to_record(
                    Inspection(
                        id="I1",
                        at="2026-05-12T10:00:00+08:00",
                        findings=(Finding("late", "W02", "S002"), Finding("late", "W02", "S002")),
                    )
                )
            ],
        )
    return center, url


def test_collect_and_assess_from_a_store(hall: tuple[ServiceCenter, str]) -> None:
    center, url = hall
    with center.open_store(url) as store:
        a = center.assess(store, "2026-05")
    assert a.score("W01").total == Decimal(95)  # case A: −5
    assert a.score("S001", "staff").total == Decimal(96)  # 4 working days late: −4
    assert a.score("W02").total == Decimal(100)  # −1 −1 (late twice) +2 (pennant)
    # W09 ties W02 at 100 with no deductions, so ranks first (the documented tie-break)
    assert a.red_flags == ("W09", "W02", "W01")
    assert a.score("W09").total == Decimal(100) and a.score("W09").cases == 0


def test_hook_register_assessment_rules(hall: tuple[ServiceCenter, str]) -> None:
    """A county that forgives lateness but rewards pennants threefold: the winner changes."""

    def pennants(records: PeriodRecords, rubric: Rubric):
        for c in records.commendations:
            if c.type == "pennant":
                yield ScoreItem(
                    "window",
                    c.window,
                    "county.pennants",
                    "satisfaction",
                    Decimal(6),
                    "锦旗 ×3",
                    (c.id,),
                )

    class County:
        __name__ = "county-assessment"

        @hookimpl
        def register_assessment_rules(self, center):
            return [
                AssessmentRule(
                    "default.findings",
                    "discipline",
                    "Findings are not scored here.",
                    lambda records, rubric: (),
                ),
                AssessmentRule("default.commendations", "satisfaction", "Pennants +6.", pennants),
            ]

    center, url = hall
    county = ServiceCenter(entrypoints=False, catalogue=CATALOGUE, plugins=[County()])
    # the store records the national centre that created it: comparing is a deliberate force
    with county.open_store(url, force=True) as store:
        a = county.assess(store, "2026-05")
    assert a.score("W02").total == Decimal(106)
    assert [r.name for r in a.rules].count("default.findings") == 1
    assert a.red_flags[0] == "W02"
    with center.open_store(url) as store:
        assert center.assess(store, "2026-05").score("W02").total == Decimal(100)


def test_hook_assessment_rubric(hall: tuple[ServiceCenter, str]) -> None:
    class Strict:
        __name__ = "strict-rubric"

        @hookimpl
        def assessment_rubric(self, center):
            return Rubric(
                red_flags=1, red_flag_min=Decimal(99), exclude=frozenset({"default.findings"})
            )

    center = ServiceCenter(entrypoints=False, catalogue=CATALOGUE, plugins=[Strict()])
    with center.open_store(hall[1], force=True) as store:
        a = center.assess(store, "2026-05")
    assert a.red_flags == ("W02",) and a.score("W02").total == Decimal(102)


def test_cli_assess(hall: tuple[ServiceCenter, str], tmp_path: Path) -> None:
    _, url = hall
    out = tmp_path / "briefing.html"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "govservice",
            "assess",
            "--db",
            url,
            "--month",
            "2026-05",
            "--format",
            "html",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    page = out.read_text(encoding="utf-8")
    assert "2026年5月月度考核通报" in page and "不动产登记窗口（W02）" in page
    md = subprocess.run(
        [sys.executable, "-m", "govservice", "assess", "--db", url, "--month", "2026-05"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert md.stdout.startswith("# 2026年5月月度考核通报")
    assert "| 2 | 不动产登记窗口（W02） | 100 |" in md.stdout
    bad = subprocess.run(
        [sys.executable, "-m", "govservice", "assess", "--db", url, "--month", "2026-13"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 2 and "不是月份" in bad.stderr
