"""示范县 (an invented county): every govservice hook in use on illustrative data."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from govservice import hookimpl
from govservice.assessment import AssessmentRule, Composite, PeriodRecords, Rubric, ScoreItem
from govservice.calendars import CalendarAdjustment, OpeningHours, load_adjustments
from govservice.cases import AlertPolicy
from govservice.fees import FeeAdjustment, FeeItem, FeeSchedule, Fixed
from govservice.model import LimitUnit, TimeLimit, TimeLimitRule
from govservice.supervision import evaluation_indicators

if TYPE_CHECKING:
    from govservice.center import ServiceCenter

__all__ = ["catalogue_path"]

DATA = Path(__file__).with_name("data")


def catalogue_path() -> Path:
    """The county's catalogue file."""
    return DATA / "catalogue.toml"


@hookimpl
def provide_catalogue(center: ServiceCenter) -> Path:
    """The county's catalogue: 22 units, 40 windows, 115 staff, 126 matters."""
    return catalogue_path()


@hookimpl
def register_time_limit_rules(center: ServiceCenter) -> list[TimeLimitRule]:
    """The county's rule for the employment card (also in the catalogue file)."""
    return [
        TimeLimitRule(
            id="county.employment_card",
            title="就业创业证办理时限（县规定）",
            law="示范县政务服务事项办理规定（示例）",
            article="第八条",
            limit=TimeLimit(5, LimitUnit.WORKING_DAYS),
            confirmed=False,
            source="sample_county",
            note="An illustrative local rule of the sample county.",
        )
    ]


@hookimpl
def register_calendar_adjustments(center: ServiceCenter) -> tuple[CalendarAdjustment, ...]:
    """Weekend service days and a county festival closure."""
    return load_adjustments(DATA / "adjustments.toml")


@hookimpl
def opening_hours(center: ServiceCenter) -> OpeningHours:
    """Summer and winter hours."""
    return OpeningHours.seasonal(
        summer=[("09:00", "12:00"), ("14:30", "17:30")],
        winter=[("09:00", "12:00"), ("13:30", "17:00")],
    )


@hookimpl
def alert_policy(center: ServiceCenter) -> AlertPolicy:
    """A reminder two working days before the deadline, yellow on its last day."""
    return AlertPolicy(reminder_days=2, yellow_days=0)


@hookimpl
def register_fee_schedules(center: ServiceCenter) -> list[FeeSchedule]:
    """A county charge for the land-use planning permit (illustrative)."""
    item = FeeItem(
        "ZRZY-001-C1",
        "规划条件核实服务费（示例）",
        Fixed("200"),
        basis="示例：示范县行政事业性收费目录 第12项",
    )
    return [FeeSchedule("ZRZY-001", [item], source="sample_county")]


@hookimpl
def adjust_fees(facts: Mapping[str, Any], schedule: FeeSchedule) -> list[FeeAdjustment] | None:
    """Small and micro enterprises pay half of the county's own charges (illustrative)."""
    if facts.get("enterprise_size") != "small_micro" or schedule.source != "sample_county":
        return None
    return [
        FeeAdjustment(
            kind="reduction",
            reason="小微企业减半（示例）",
            basis="示例：示范县支持小微企业发展若干措施 第3条",
            rate=Decimal("0.5"),
        )
    ]


def pennants(records: PeriodRecords, rubric: Rubric) -> Iterator[ScoreItem]:
    """A pennant (锦旗) adds 3 points to the window and the staff member named."""
    for c in records.commendations:
        points = Decimal(3) if c.type == "pennant" else Decimal(1)
        for kind, subject in (("window", c.window), ("staff", c.staff)):
            if subject:
                yield ScoreItem(
                    kind,
                    subject,
                    "default.commendations",
                    "satisfaction",
                    points,
                    "锦旗" if c.type == "pennant" else "表扬",
                    (c.id,),
                )


def good_rate(records: PeriodRecords, rubric: Rubric) -> Iterator[ScoreItem]:
    """A window whose 好评率 falls under 95% in the month loses 2 points."""
    for window, ind in evaluation_indicators(records.evaluations, by="window").items():
        if window and ind.good_rate is not None and ind.good_rate < Decimal("0.95"):
            yield ScoreItem(
                "window",
                window,
                "county.good_rate",
                "satisfaction",
                Decimal(-2),
                f"好评率 {ind.good_rate:.2%} < 95%",
                (),
            )


@hookimpl
def register_assessment_rules(center: ServiceCenter) -> list[AssessmentRule]:
    """Pennants count more than the default; the good rate is scored."""
    return [
        AssessmentRule("default.commendations", "satisfaction", pennants.__doc__ or "", pennants),
        AssessmentRule("county.good_rate", "satisfaction", good_rate.__doc__ or "", good_rate),
    ]


@hookimpl
def assessment_rubric(center: ServiceCenter) -> Rubric:
    """Cap 105, two red flags, and the district's weighted composite (30/30/20/20)."""
    return Rubric(cap=Decimal(105), red_flags=2, red_flag_min=Decimal(90), composite=Composite())
