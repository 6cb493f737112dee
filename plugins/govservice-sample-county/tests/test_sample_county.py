"""The sample county plugin: found through its entry point, its data sound, every hook effective.

Run with the plugin installed (``pip install -e plugins/govservice-sample-county``).  A regional
plugin applies only where a centre's region chain names it: the tests of the entry point name it,
the other tests register the module itself.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import govservice_sample_county as county
import pytest

from govservice import DataFileError, ServiceCenter, hookspecs
from govservice.assessment import DEFAULT_RULES, Period, PeriodRecords, Rubric, assess
from govservice.calendars import (
    AdjustmentKind,
    DayKind,
    WorkingHours,
    china,
    load_adjustments,
)
from govservice.cases import Alert, AlertPolicy
from govservice.cases.events import event_from_dict
from govservice.model import (
    BUILTIN_RULES,
    HOURS_PER_WORKING_DAY,
    Catalogue,
    HandlingKind,
    LimitUnit,
    load_catalogue,
)
from govservice.stats import catalogue_coverage, compression
from govservice.supervision import Commendation, Evaluation

TZ = ZoneInfo("Asia/Shanghai")
IMPLEMENTED = {
    "provide_catalogue",
    "register_time_limit_rules",
    "register_calendar_adjustments",
    "opening_hours",
    "alert_policy",
    "register_fee_schedules",
    "adjust_fees",
    "register_assessment_rules",
    "assessment_rubric",
}
NOT_IMPLEMENTED = {
    "open_store": "storage is not a county's concern",
    "register_calendar_years": "no officially announced year beyond the built-in data to ship",
}


@pytest.fixture
def center(govservice_center: Callable[..., ServiceCenter]) -> ServiceCenter:
    """A centre with the sample county over the built-in defaults, and nothing else."""
    return govservice_center(county, name="示范县政务服务中心")


@pytest.fixture
def catalogue(center: ServiceCenter) -> Catalogue:
    return center.catalogue


# ---- the plugin ----------------------------------------------------------------------------


class TestPlugin:
    """The plugin as installed."""

    def test_found_through_its_entry_point(
        self, govservice_chain_center: Callable[..., ServiceCenter]
    ) -> None:
        """A centre whose region chain names it loads it, and it provides the catalogue."""
        center = govservice_chain_center("sample_county")
        (info,) = [p for p in center.plugins if p.name == "sample_county"]
        assert info.distribution == "govservice-sample-county"
        assert info.version == "0.1.0"
        assert (info.kind, info.level, info.declared) == ("regional", 1, True)
        assert set(info.hooks) == IMPLEMENTED
        assert center.catalogue.source == str(county.catalogue_path())
        assert center.calendar.hall.is_working_day(date(2026, 3, 7))  # its weekend service day
        assert center.plugin_of(center.calendar.hall.day(date(2026, 3, 7)).adjustment) == (
            "sample_county"
        )

    def test_not_applied_where_not_named(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """A centre without it in its chain: the national defaults, no catalogue; it is listed."""
        monkeypatch.delenv("GOVSERVICE_LOAD_PLUGINS", raising=False)
        center = ServiceCenter()
        assert "sample_county" not in {p.name for p in center.plugins}
        assert "sample_county" in {p.name for p in center.ignored_plugins}
        assert not center.calendar.hall.is_working_day(date(2026, 3, 7))
        with pytest.raises(ValueError, match="no catalogue"):
            center.catalogue  # noqa: B018

    def test_every_county_hook_is_implemented(self) -> None:
        """Each hook govservice has is implemented, or deliberately left out (see the README)."""
        hooks = {
            name
            for name, f in inspect.getmembers(hookspecs, inspect.isfunction)
            if hasattr(f, "govservice_spec")
        }
        assert hooks == IMPLEMENTED | set(NOT_IMPLEMENTED)
        assert all(hasattr(county, name) for name in IMPLEMENTED)
        assert not any(hasattr(county, name) for name in NOT_IMPLEMENTED)

    def test_data_files_are_in_the_package(self) -> None:
        """The catalogue and the adjustments ship inside the package."""
        package = county.catalogue_path().parent.parent
        assert package.name == "govservice_sample_county"
        assert county.catalogue_path().is_file() and county.adjustments_path().is_file()


# ---- the catalogue ---------------------------------------------------------------------------


class TestCatalogue:
    """data/catalogue.toml: a believable county, illustrative, internally consistent."""

    def test_loads_with_the_centres_rules(self, center: ServiceCenter) -> None:
        """load_catalogue(catalogue_path(), rules=center.rules) gives the centre's catalogue."""
        cat = load_catalogue(county.catalogue_path(), rules=center.rules)
        assert cat.matters == center.catalogue.matters
        assert cat.rules.resolve("sample_county.public_service", date(2026, 5, 1))

    def test_needs_the_county_rule(self) -> None:
        """Without the plugin's rule the file names the rule it misses."""
        with pytest.raises(DataFileError, match=r"sample_county\.public_service"):
            load_catalogue(county.catalogue_path())
        rules = BUILTIN_RULES.with_rules(county.COUNTY_RULES)
        assert len(load_catalogue(county.catalogue_path(), rules=rules).matters) == 161

    def test_sizes(self, catalogue: Catalogue) -> None:
        """About 20 units, 40 windows, 120–150 staff, 150 matters, 3 bundles, 30 charged matters."""
        assert len(catalogue.units) == 22
        assert len(catalogue.windows) == 40
        assert 120 <= len(catalogue.staff) <= 150
        assert 140 <= len(catalogue.matters) <= 165
        assert len(catalogue.bundles) == 3
        assert len(catalogue.fees) == 24  # and three notarial schedules from the hook

    def test_units_and_windows(self, catalogue: Catalogue) -> None:
        """Three units not stationed; 4–6 comprehensive windows, one a cashier taking no cases."""
        unstationed = [u.code for u in catalogue.units.values() if not u.stationed]
        assert unstationed == ["JY", "TY", "YC"]
        comprehensive = [w for w in catalogue.windows.values() if w.comprehensive]
        assert 4 <= len(comprehensive) <= 6
        assert all(len(w.units) >= 3 for w in comprehensive)
        (cashier,) = [w for w in comprehensive if "收费" in w.name]
        assert not any(cashier.code in m.windows for m in catalogue.matters.values())
        served = {u for w in catalogue.windows.values() for u in w.units}
        assert served == {u.code for u in catalogue.units.values() if u.stationed}

    def test_staff(self, catalogue: Catalogue) -> None:
        """2–4 people at every window, each with a distinct, plausible Chinese name."""
        per_window = {w: 0 for w in catalogue.windows}
        for s in catalogue.staff.values():
            per_window[s.window] += 1
        assert set(per_window.values()) <= {2, 3, 4}
        names = [s.name for s in catalogue.staff.values()]
        assert len(set(names)) == len(names)
        assert all(2 <= len(n) <= 3 and all("\u4e00" <= ch <= "\u9fff" for ch in n) for n in names)

    def test_handling_kinds_and_categories(self, catalogue: Catalogue) -> None:
        """About 45% immediate and 45% promised, some joint and reported; several categories."""
        matters = list(catalogue.matters.values())
        share = {k: sum(m.kind is k for m in matters) / len(matters) for k in HandlingKind}
        assert 0.40 <= share[HandlingKind.IMMEDIATE] <= 0.50
        assert 0.40 <= share[HandlingKind.PROMISED] <= 0.50
        assert sum(m.kind is HandlingKind.JOINT for m in matters) >= 5
        assert sum(m.kind is HandlingKind.REPORTED for m in matters) >= 5
        assert {m.category for m in matters} >= {
            "administrative_licensing",
            "administrative_confirmation",
            "administrative_payment",
            "public_service",
        }
        for m in matters:
            if m.kind is HandlingKind.REPORTED:
                assert m.statutory.rule == "reported.forward", m.code
            if m.kind is HandlingKind.IMMEDIATE:  # on the spot, or within a few working hours
                assert m.promised is not None and m.promised.amount <= (
                    4 if m.promised.unit is LimitUnit.WORKING_HOURS else 0
                ), m.code

    def test_rules_are_real_or_clearly_local(self, catalogue: Catalogue) -> None:
        """Every statutory limit cites a built-in rule, or a county rule marked unconfirmed."""
        on = date(2026, 5, 1)
        for m in catalogue.matters.values():
            rule = catalogue.statutory_rule(m, on)
            assert m.statutory.unit is rule.limit.unit, m.code
            if rule.id not in BUILTIN_RULES:
                assert rule.id.startswith("sample_county.") and not rule.confirmed, m.code
        cited = {m.statutory.rule for m in catalogue.matters.values()}
        assert {
            "alicensing.decision",
            "alicensing.joint",
            "market_registration.decision",
            "real_estate_registration.decision",
        } <= cited
        local = [r for r in catalogue.rules if r.source == "govservice-sample-county"]
        assert {r.id for r in local} == {
            "sample_county.public_service",
            "sample_county.benefit_review",
            "reported.forward",
        }
        assert all(not r.confirmed and "ILLUSTRATIVE" in (r.note or "") for r in local)
        # the catalogue's local rule replaces the built-in default of the same id
        assert catalogue.rules.resolve("reported.forward", on).limit.amount == 2
        assert BUILTIN_RULES.resolve("reported.forward", on).limit.amount == 3

    def test_promised_never_exceeds_statutory(self, catalogue: Catalogue) -> None:
        """Every matter promises a limit, never longer than the statutory one."""
        for m in catalogue.matters.values():
            assert m.promised is not None, m.code
            assert m.promised.exceeds(m.statutory) is False, m.code

    def test_compression_over_one_third(self, catalogue: Catalogue) -> None:
        """Promised limits are more than one third shorter than statutory ones, on average."""
        average = compression(catalogue).average  # same-unit limits only (the stats default)
        assert average is not None and average > Decimal(1) / 3
        hours = Decimal(HOURS_PER_WORKING_DAY)  # to count a promise in hours as well
        ratios = []
        for m in catalogue.matters.values():
            assert m.promised is not None
            promised = Decimal(m.promised.amount)
            if m.promised.unit is LimitUnit.WORKING_HOURS:
                promised /= hours
            ratios.append((m.statutory.amount - promised) / m.statutory.amount)
        assert sum(ratios) / len(ratios) > Decimal(1) / 3
        promised_kind = [
            r
            for m, r in zip(catalogue.matters.values(), ratios, strict=True)
            if m.kind is HandlingKind.PROMISED
        ]
        assert sum(promised_kind) / len(promised_kind) > Decimal(1) / 3

    def test_coverage(self, catalogue: Catalogue) -> None:
        """A handful of matters not stationed or not authorised (两集中、两到位 falls short)."""
        cov = catalogue_coverage(catalogue)
        assert cov.unstationed_units == ("JY", "TY", "YC")
        assert {"MZ-008", "NY-002"} <= set(cov.unstationed_matters)
        assert 4 <= len(cov.unauthorised_matters) <= 8
        rate = cov.stationing_rate
        assert rate is not None and Decimal("0.85") < rate < 1

    def test_bundles(self, catalogue: Catalogue) -> None:
        """一件事一次办: a lead matter and a combined limit no longer than the lead's statutory."""
        names = {b.name for b in catalogue.bundles.values()}
        assert names == {"开办餐饮店一件事", "新生儿出生一件事", "二手房交易登记一件事"}
        for b in catalogue.bundles.values():
            lead = catalogue.matters[b.lead]
            assert b.limit.unit is LimitUnit.WORKING_DAYS
            assert b.limit.amount <= lead.statutory.amount
            assert len({catalogue.matters[c].unit for c in b.matters}) >= 2  # across units
        assert catalogue.bundles["B01"].limit.rule == "alicensing.joint"

    def test_fee_items_cite_a_basis(self, catalogue: Catalogue) -> None:
        """Every fee item has a basis; the unverified ones say they are illustrative."""
        for schedule in catalogue.fees.values():
            for item in schedule.items:
                assert item.basis.strip()
                if "示例" in item.basis:
                    assert "ILLUSTRATIVE" in (item.note or ""), item.code


# ---- the hooks -----------------------------------------------------------------------------


class TestCalendar:
    """register_calendar_adjustments and opening_hours."""

    def test_weekend_service_day_is_a_hall_day(self, center: ServiceCenter) -> None:
        """A Saturday of 周末延时服务: the hall opens and promises count it; the law does not."""
        saturday = date(2026, 3, 7)
        assert saturday.weekday() == 5 and not china().is_working_day(saturday)
        info = center.calendar.day(saturday)
        assert not info.working and info.kind is DayKind.WEEKEND
        assert info.adjustment is not None and info.adjustment.kind is AdjustmentKind.HALL_DAY
        assert info.adjustment_label == (
            "local hall day — 周末延时服务日（春季企业开办高峰）, counted for promised limits only"
        )
        assert center.calendar.hall.day(saturday).kind is DayKind.LOCAL_WORKING_DAY
        # so a promise of 1 working day from Friday ends on that Saturday, a statutory one not
        assert center.calendar.promised.add_working_days(date(2026, 3, 6), 1) == saturday
        assert center.calendar.add_working_days(date(2026, 3, 6), 1) == date(2026, 3, 9)

    def test_statutory_limit_ignores_the_service_saturday(self, center: ServiceCenter) -> None:
        """行政许可法 Arts. 42, 82: 20 working days from Fri 13 Feb 2026 end on Thu 19 March.

        Counted by hand on the 2026 notice: 14 Feb (Sat, worked), 24–28 Feb (28th a worked
        Saturday), 2–6, 9–13, 16–19 March.  The county's Saturday of service on 7 March is a
        hall day, so the statutory deadline stays on 19 March.  Accepted on Fri 27 Feb, the
        promise of 10 working days counts that Saturday (28 Feb, 2–6, 7, 9–11 March: 11
        March) and the law does not (20 working days: 26 March).
        """

        def case(cid: str, day: str) -> Any:
            events = [
                {
                    "case": cid,
                    "type": "submitted",
                    "at": f"{day}T09:30:00+08:00",
                    "matter": "MR-010",
                    "applicant": {"name": "示范县康民大药房", "kind": "organization"},
                },
                {"case": cid, "type": "accepted", "at": f"{day}T10:00:00+08:00"},
            ]
            return center.clock.case(event_from_dict(e) for e in events)

        first = case("SC-S1", "2026-02-13")
        assert first.statutory.amount == 20 and first.rule.id == "alicensing.decision"
        reading = center.clock.reading(first, datetime(2026, 3, 2, 10, 0, tzinfo=TZ))
        assert reading.statutory_deadline == date(2026, 3, 19)
        second = center.clock.reading(case("SC-S2", "2026-02-27"), "2026-03-02T10:00:00+08:00")
        assert second.promised_deadline == date(2026, 3, 11)
        assert second.statutory_deadline == date(2026, 3, 26)

    def test_local_closure(self, center: ServiceCenter) -> None:
        """The festival, a lawful local rest day, closes Thursday and Friday for every limit."""
        for d in (date(2026, 8, 6), date(2026, 8, 7)):
            assert china().is_working_day(d)
            assert center.calendar.day(d).kind is DayKind.LOCAL_CLOSURE
            assert center.calendar.day(d).adjustment_label == (
                "lawful local rest day — 火把节（示范县地方节日）, counted for every limit"
            )
        assert china().add_working_days(date(2026, 8, 5), 1) == date(2026, 8, 6)
        assert center.calendar.add_working_days(date(2026, 8, 5), 1) == date(2026, 8, 10)
        assert center.calendar.promised.add_working_days(date(2026, 8, 5), 1) == date(2026, 8, 10)

    def test_adjustments_file(self) -> None:
        """The file loads alone with load_adjustments, and stays within 2026."""
        adjustments = load_adjustments(county.adjustments_path())
        assert {a.date.year for a in adjustments} == {2026}
        assert sum(a.working for a in adjustments) >= 3
        assert sum(not a.working for a in adjustments) >= 1
        # the Saturdays are the hall's own; the festival closure is a lawful local rest day
        assert {a.kind for a in adjustments if a.working} == {AdjustmentKind.HALL_DAY}
        assert all(a.counts_for_promised for a in adjustments if a.working)
        assert {a.kind for a in adjustments if not a.working} == {AdjustmentKind.LAWFUL_LOCAL_DAY}

    def test_opening_hours(self, center: ServiceCenter) -> None:
        """Summer hours on 1 July 2026, winter hours on 1 December, switching on 1 May."""
        sessions = center.opening_hours.sessions_on
        assert [str(s) for s in sessions(date(2026, 7, 1))] == ["09:00–12:00", "14:30–17:30"]
        assert [str(s) for s in sessions(date(2026, 12, 1))] == ["09:00–12:00", "13:30–17:00"]
        assert [str(s) for s in sessions(date(2026, 4, 30))] == ["09:00–12:00", "13:30–17:00"]
        assert [str(s) for s in sessions(date(2026, 5, 1))] == ["09:00–12:00", "14:30–17:30"]

    def test_working_hours_follow_the_season(self, center: ServiceCenter) -> None:
        """Four working hours from 09:00 on 1 July end at 15:30 (the default hours: 14:30)."""
        start = datetime(2026, 7, 1, 9, 0, tzinfo=TZ)
        assert center.working_hours.add_working_hours(start, 4) == datetime(
            2026, 7, 1, 15, 30, tzinfo=TZ
        )
        default = WorkingHours(china())
        assert default.add_working_hours(start, 4) == datetime(2026, 7, 1, 14, 30, tzinfo=TZ)


class TestTimeLimits:
    """register_time_limit_rules and alert_policy."""

    def test_county_rule_resolves(self, center: ServiceCenter) -> None:
        """The centre's rules resolve the county rule, which is not built in."""
        rule = center.rules.resolve("sample_county.public_service", date(2026, 5, 1))
        assert rule == county.PUBLIC_SERVICE_RULE
        assert rule.limit.amount == 10 and rule.max_extension == 5 and not rule.confirmed
        assert "sample_county.public_service" not in BUILTIN_RULES

    def test_alert_policy(self, center: ServiceCenter) -> None:
        """Two working days left raise a reminder in the county (nothing by default)."""
        policy = center.alert_policy
        assert policy.level(2, past_statutory=False) is Alert.REMINDER
        assert AlertPolicy().level(2, past_statutory=False) is Alert.NONE
        assert policy.level(3, past_statutory=False) is Alert.NONE
        assert policy.level(0, past_statutory=False) is Alert.YELLOW
        assert policy.level(-1, past_statutory=False) is Alert.RED

    def test_a_case_on_the_county_clock(self, center: ServiceCenter) -> None:
        """食品经营许可 accepted on 1 July: the Saturday of service counts; a reminder on it."""
        events: list[dict[str, Any]] = [
            {
                "case": "SC-1",
                "type": "submitted",
                "at": "2026-07-01T09:30:00+08:00",
                "matter": "MR-007",
                "applicant": {"name": "示范县好味道餐饮店", "kind": "organization"},
            },
            {"case": "SC-1", "type": "accepted", "at": "2026-07-01T10:00:00+08:00"},
        ]
        case = center.clock.case(event_from_dict(e) for e in events)
        reading = center.clock.reading(case, datetime(2026, 7, 4, 10, 0, tzinfo=TZ))
        # 5 working days from 1 July: 2, 3, 4 (the service Saturday), 6, 7 July
        assert reading.promised_deadline == date(2026, 7, 7)
        assert reading.remaining_working_days == 2
        assert reading.alert is Alert.REMINDER


class TestFees:
    """register_fee_schedules and adjust_fees."""

    ON = date(2026, 5, 6)

    def test_notarial_schedules_come_from_the_hook(self, center: ServiceCenter) -> None:
        """The centre's schedules are the catalogue's plus the three notarial ones."""
        schedules = center.fee_schedules
        assert len(schedules) == 27
        assert {"SF-002", "SF-003", "SF-004"} <= set(schedules)
        assert "SF-002" not in center.catalogue.fees
        assert schedules["SF-002"].source == "govservice-sample-county"

    def test_inheritance_notarisation_is_progressive(self, center: ServiceCenter) -> None:
        """300,000 yuan inherited: 1% of 200,000 + 0.8% of 100,000 = 2,800 yuan."""
        receipt = center.receipt("SF-002", on=self.ON, base={"SF-002-F1": 300000})
        assert receipt.total == Decimal("2800.00")

    def test_registration_fees(self, center: ServiceCenter) -> None:
        """A second-hand flat with two owners: 80 yuan and one extra certificate, 10."""
        receipt = center.receipt("BDC-002", on=self.ON, quantity={"BDC-002-F2": 1})
        assert receipt.total == Decimal("90.00")
        assert receipt.line("BDC-002-F1").basis == "发改价格规〔2016〕2559号"

    def test_small_micro_enterprises_pay_no_registration_fee(self, center: ServiceCenter) -> None:
        """财税〔2016〕79号: the registration fee is waived, the extra certificate is not."""
        receipt = center.receipt(
            "BDC-002",
            on=self.ON,
            quantity={"BDC-002-F2": 1},
            facts={"enterprise_size": "small_micro"},
        )
        assert receipt.total == Decimal("10.00")
        (applied,) = receipt.line("BDC-002-F1").adjustments
        assert applied.adjustment.basis == "财税〔2016〕79号"

    def test_subsidised_housing_and_identity_changes(self, center: ServiceCenter) -> None:
        """Subsidised housing, and a change of the holder's name only, are registered free."""
        public = center.receipt("BDC-006", on=self.ON, facts={"housing": "public_rental"})
        assert public.total == Decimal("0.00") and public.gross_total == Decimal("80.00")
        name_only = center.receipt("BDC-004", on=self.ON, facts={"change": "holder_identity"})
        assert name_only.total == Decimal("0.00")
        assert center.receipt("BDC-004", on=self.ON).total == Decimal("80.00")

    def test_a_relief_has_a_validity_period(self, center: ServiceCenter) -> None:
        """The illustrative 2026 relief for the elderly applies in 2026 only."""
        base, facts = {"SF-002-F1": 300000}, {"applicant_age": 72}
        in_2026 = center.receipt("SF-002", on=self.ON, base=base, facts=facts)
        assert in_2026.total == Decimal("1960.00")  # 2,800 less 30%
        in_2027 = center.receipt("SF-002", on=date(2027, 1, 5), base=base, facts=facts)
        assert in_2027.total == Decimal("2800.00")

    def test_taxes_collected_at_the_hall(self, center: ServiceCenter) -> None:
        """车辆购置税 is 10% of the taxable price, a tax line of the receipt."""
        receipt = center.receipt("SW-006", on=self.ON, base={"SW-006-F1": "123456.78"})
        assert receipt.subtotal("tax") == Decimal("12345.68") and receipt.subtotal("fee") == 0


class TestAssessment:
    """register_assessment_rules and assessment_rubric change scores against the defaults."""

    @staticmethod
    def records(catalogue: Catalogue) -> PeriodRecords:
        """A month in which 营业执照 window W01 gets six pennants, W02 a poor 好评率."""
        at = datetime(2026, 5, 12, 10, 0, tzinfo=TZ)
        pennants = tuple(
            Commendation(id=f"P{i}", at=at, window="W01", staff="S001", type="pennant")
            for i in range(6)
        )
        evaluations = tuple(
            Evaluation(
                case=f"C{i}",
                at=at,
                level=1 if i < 2 else 5,
                channel="counter",
                matter="MR-004",
                unit="MR",
                window="W02",
                staff="S005",
            )
            for i in range(10)
        )
        return PeriodRecords(
            period=Period.month("2026-05"),
            windows=tuple(catalogue.windows),
            staff=tuple(catalogue.staff),
            staff_members=tuple(catalogue.staff.values()),
            commendations=pennants,
            evaluations=evaluations,
        )

    def test_county_rules_come_first(self, center: ServiceCenter) -> None:
        """The county's rules precede the defaults, so its default.commendations replaces it."""
        names = [r.name for r in center.assessment_rules]
        assert names[:2] == ["default.commendations", "sample_county.good_rate"]
        assert center.assessment_rules[0].score is county.commendations

    def test_scores_differ_from_the_defaults(self, center: ServiceCenter) -> None:
        """Pennants +3 within a cap of 105; a good rate of 80% costs 2 points."""
        records = self.records(center.catalogue)
        default = assess(records, DEFAULT_RULES, Rubric())
        mine = assess(records, center.assessment_rules, center.rubric)
        assert default.score("W01").total == Decimal(110)  # 100 + 6 × 2, capped at 110
        assert mine.score("W01").raw == Decimal(118)  # 100 + 6 × 3
        assert mine.score("W01").total == Decimal(105)  # the county's cap
        assert default.score("W02").total == Decimal(100)
        assert mine.score("W02").total == Decimal(98)  # 好评率 80% < 95%
        assert default.score("S001", "staff").total == Decimal(110)
        assert mine.score("S001", "staff").total == Decimal(105)

    def test_rubric(self, center: ServiceCenter) -> None:
        """Two red flags by the 30/30/20/20 composite; bad reviews rectified in 5 working days."""
        rubric = center.rubric
        assert rubric.cap == Decimal(105) and rubric.red_flags == 2
        assert rubric.composite is not None
        weights = rubric.composite
        assert (weights.window, weights.staff, weights.duty_vote, weights.client_vote) == (
            Decimal("0.3"),
            Decimal("0.3"),
            Decimal("0.2"),
            Decimal("0.2"),
        )
        assert rubric.bad_review_days == 5
        mine = assess(self.records(center.catalogue), center.assessment_rules, rubric)
        assert len(mine.red_flags) == 2 and mine.red_flags[0] == "W01"
        assert mine.score("W01").composite is not None


class TestSimulation:
    """A scenario file counts as the county's centre counts: its calendar, its rules."""

    def scenario(self, tmp_path: Any) -> Any:
        path = tmp_path / "hall.toml"
        path.write_text(
            f"""
[hall]
start = 2026-03-02
days = 6
catalogue = "{county.catalogue_path().as_posix()}"

[[class]]
name = "water"
route = "windows"
matter = "SL-001"
walk_in = {{ per_day = 20 }}

[[station]]
name = "windows"
servers = 2
service = {{ exponential = 8.0 }}
""",
            encoding="utf-8",
        )
        return path

    def test_with_the_plugin(self, tmp_path: Any) -> None:
        from govservice.sim import load_scenario, simulate

        centre = ServiceCenter(region=["sample_county"])
        scenario = load_scenario(self.scenario(tmp_path), center=centre)
        # the catalogue cites the county's own rule, which only the plugin registers
        assert any(m.statutory.rule == county.PUBLIC_SERVICE_RULE.id for m in
                   scenario.catalogue.matters.values())  # fmt: skip
        # six working days from Monday 2 March include Saturday 7 March, its weekend service day
        days = simulate(scenario, seed=1).summary.days
        assert "2026-03-07" in days and "2026-03-09" not in days

    def test_without_the_plugin(self, tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
        """A centre that does not name the county counts nationally: the county rule is unknown."""
        from govservice.sim import load_scenario

        monkeypatch.delenv("GOVSERVICE_LOAD_PLUGINS", raising=False)
        with pytest.raises(DataFileError, match=r"sample_county\.public_service"):
            load_scenario(self.scenario(tmp_path))
