"""The sample county plugin: found through its entry point, and every hook has an effect."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from govservice import ServiceCenter
from govservice.calendars import DayKind
from govservice.stats import catalogue_coverage, compression


@pytest.fixture
def county(monkeypatch: pytest.MonkeyPatch) -> ServiceCenter:
    monkeypatch.setenv("GOVSERVICE_LOAD_PLUGINS", "sample_county")
    return ServiceCenter()


def test_found_through_its_entry_point(county: ServiceCenter) -> None:
    (plugin,) = [p for p in county.plugins if p.name == "sample_county"]
    assert plugin.version == "0.1.0"
    # every hook but register_calendar_years (no announced 2027 data to ship) and
    # open_store (storage is not a county's concern)
    assert set(plugin.hooks) == {
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


def test_catalogue(county: ServiceCenter) -> None:
    cat = county.catalogue
    assert (len(cat.units), len(cat.windows), len(cat.matters)) == (22, 40, 126)
    assert len(cat.staff) > 100 and len(cat.bundles) == 3 and len(cat.fees) == 15
    assert sum(w.comprehensive for w in cat.windows.values()) == 6
    for m in cat.matters.values():
        if m.promised is not None and m.promised.unit is m.statutory.unit:
            assert m.promised.amount <= m.statutory.amount, m.code
    assert compression(cat).average > Decimal(1) / 3  # more than one third shorter
    cov = catalogue_coverage(cat)
    assert cov.unstationed_units == ("TYJ", "YC", "XF") and cov.unauthorised_matters


def test_calendar_and_hours(county: ServiceCenter) -> None:
    cal = county.calendar
    assert cal.day(date(2026, 3, 14)).kind is DayKind.LOCAL_WORKING_DAY  # a Saturday
    assert not cal.is_working_day(date(2026, 4, 20))
    assert [str(s) for s in county.opening_hours.sessions_on(date(2026, 7, 1))] == [
        "09:00–12:00",
        "14:30–17:30",
    ]
    assert [str(s) for s in county.opening_hours.sessions_on(date(2026, 12, 1))] == [
        "09:00–12:00",
        "13:30–17:00",
    ]


def test_rules_alerts_fees_rubric(county: ServiceCenter) -> None:
    assert county.rules.resolve("county.employment_card", date(2026, 5, 1)).limit.amount == 5
    assert county.alert_policy.reminder_days == 2
    on = date(2026, 5, 6)
    assert county.receipt("ZRZY-001", on=on).total == Decimal("200.00")
    small = county.receipt("ZRZY-001", on=on, facts={"enterprise_size": "small_micro"})
    assert small.total == Decimal("100.00")
    assert county.receipt("BDC-001", on=on).total == Decimal("80.00")
    assert county.rubric.cap == Decimal(105) and county.rubric.composite is not None
    names = [r.name for r in county.assessment_rules]
    assert "county.good_rate" in names
    # the county's rule comes first, so it replaces the default of the same name
    pennant_rule = next(r for r in county.assessment_rules if r.name == "default.commendations")
    assert "3 points" in pennant_rule.description
