"""示范县 (Sample County): an illustrative govservice county plugin with every county hook in use.

ILLUSTRATIVE DATA.  示范县 is an invented county: its catalogue, calendar
adjustments, local rules, fee standards and assessment scheme are made up to
look like a real county's, and are not any real county's.  Where a number
comes from a law or a published document, the data cites it; where it could
not be checked it says so ("ILLUSTRATIVE", "as read", "示例").

Installed, the plugin registers itself under the ``govservice`` entry-point
group as ``sample_county``.  It is a regional plugin: a centre applies it when
its region chain names it (``region = ["sample_county"]`` in the centre file)::

    >>> from govservice import ServiceCenter
    >>> center = ServiceCenter(name="示范县", region=["sample_county"])     # doctest: +SKIP
    >>> center.catalogue                                    # doctest: +SKIP
    <Catalogue from …/catalogue.toml: 22 units, 40 windows, 128 staff, 161 matters, 3 bundles, …>

The hooks it implements:

* ``provide_catalogue`` — ``data/catalogue.toml`` (see :func:`catalogue_path`);
* ``register_time_limit_rules`` — the county's public-service rule
  (:data:`PUBLIC_SERVICE_RULE`), which the catalogue's matters cite;
* ``register_calendar_adjustments`` — ``data/adjustments.toml``: weekend
  service days (hall days counted for the county's promised limits, never for
  statutory ones) and a local festival closure (a lawful local rest day) in 2026;
* ``opening_hours`` — summer (1 May – 30 September) 09:00–12:00 and
  14:30–17:30, winter 09:00–12:00 and 13:30–17:00;
* ``alert_policy`` — a reminder two working days before a deadline;
* ``register_fee_schedules`` — the notarial fees (公证费), kept in code because
  the province revises them apart from the catalogue;
* ``adjust_fees`` — the registration-fee waivers of 财税〔2016〕79号 and
  发改价格规〔2016〕2559号, and an illustrative county relief valid in 2026;
* ``register_assessment_rules`` — pennants count +3 (replacing
  ``default.commendations``) and a 好评率 rule;
* ``assessment_rubric`` — cap 105, two red flags, the 30/30/20/20 composite,
  five working days to rectify a bad review.

It does not implement ``open_store`` (storage is not a county's concern) nor
``register_calendar_years`` (the county has no officially announced year beyond
the built-in national data to ship).

.. versionadded:: 0.1
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from govservice import hookimpl
from govservice.assessment import AssessmentRule, Composite, PeriodRecords, Rubric, ScoreItem
from govservice.calendars import CalendarAdjustment, OpeningHours, load_adjustments
from govservice.cases import AlertPolicy
from govservice.fees import FeeAdjustment, FeeItem, FeeSchedule, Fixed, PerUnit, Tier, Tiered
from govservice.model import LimitUnit, Matter, TimeLimit, TimeLimitRule
from govservice.supervision import evaluation_indicators

if TYPE_CHECKING:
    from govservice.center import ServiceCenter

__all__ = [
    "ASSESSMENT_RULES",
    "COMMENDATION_POINTS",
    "COUNTY_RULES",
    "GOVSERVICE_PLUGIN_KIND",
    "PUBLIC_SERVICE_RULE",
    "RUBRIC",
    "adjustments_path",
    "catalogue_path",
    "commendations",
    "good_rate",
    "notarial_fee_schedules",
]

GOVSERVICE_PLUGIN_KIND = "regional"
"""A county's rules: they apply only where a centre's region chain names ``sample_county``."""

SOURCE = "govservice-sample-county"
"""The name the plugin's rules, schedules and adjustments give as their source."""

_DATA = Path(__file__).with_name("data")


def catalogue_path() -> Path:
    """The county's catalogue file (``data/catalogue.toml`` inside the package).

    Its matters cite the county's rule :data:`PUBLIC_SERVICE_RULE`, so load it
    with a centre's rules (which include the plugin's)::

        load_catalogue(catalogue_path(), rules=center.rules)

    or with ``BUILTIN_RULES.with_rules(COUNTY_RULES)`` without a centre.
    """
    return _DATA / "catalogue.toml"


def adjustments_path() -> Path:
    """The county's calendar adjustments file (``data/adjustments.toml``)."""
    return _DATA / "adjustments.toml"


# ---- catalogue and time limits -------------------------------------------------------------

PUBLIC_SERVICE_RULE = TimeLimitRule(
    id="sample_county.public_service",
    title="公共服务等事项办理时限 / public services, confirmations, filings and levies",
    law="示范县政务服务事项办理规定（示例）",
    article="第十条",
    limit=TimeLimit(10, LimitUnit.WORKING_DAYS),
    max_extension=5,
    extension_approver="窗口单位负责人",
    confirmed=False,
    source=SOURCE,
    note=(
        "ILLUSTRATIVE local rule of the invented 示范县: matters that no law in the built-in table "
        "sets a limit for (public services, confirmations, filings, levies) are finished within "
        "10 working days of acceptance unless the catalogue states the matter's own limit; +5 "
        "with the approval of the unit's head."
    ),
)
"""The county's rule for matters the built-in legal rules do not cover (illustrative)."""

COUNTY_RULES: tuple[TimeLimitRule, ...] = (PUBLIC_SERVICE_RULE,)
"""The rules the plugin registers (the catalogue file adds two more, see its ``[[rule]]``s)."""


@hookimpl
def provide_catalogue(center: ServiceCenter) -> Path:
    """The county's catalogue file; the centre loads it with its rules."""
    return catalogue_path()


@hookimpl
def register_time_limit_rules(center: ServiceCenter) -> tuple[TimeLimitRule, ...]:
    """The county's public-service rule, cited by the catalogue's matters."""
    return COUNTY_RULES


# ---- calendar and hours ----------------------------------------------------------------------


@hookimpl
def register_calendar_adjustments(center: ServiceCenter) -> tuple[CalendarAdjustment, ...]:
    """Weekend service days (周末延时服务, hall days) and a lawful festival closure in 2026."""
    return load_adjustments(adjustments_path())


@hookimpl
def opening_hours(center: ServiceCenter) -> OpeningHours:
    """Summer (1 May – 30 Sep) 09:00–12:00, 14:30–17:30; winter 09:00–12:00, 13:30–17:00."""
    return OpeningHours.seasonal(
        summer=[("09:00", "12:00"), ("14:30", "17:30")],
        winter=[("09:00", "12:00"), ("13:30", "17:00")],
    )


# ---- electronic supervision ------------------------------------------------------------------


@hookimpl
def alert_policy(center: ServiceCenter) -> AlertPolicy:
    """A reminder two working days before the deadline, yellow on its last day, red past it."""
    return AlertPolicy(reminder_days=2, yellow_days=0)


# ---- fees ------------------------------------------------------------------------------------

_NOTARIAL_BASIS = "示范省公证服务收费标准（示例）"
_NOTARIAL_NOTE = (
    "ILLUSTRATIVE: notarial fees are set by each province; these amounts and brackets are made "
    "up for the invented 示范县 and cite no real document"
)


def notarial_fee_schedules() -> tuple[FeeSchedule, ...]:
    """The notarial fees (公证费) of the county's notary matters — ILLUSTRATIVE amounts.

    * ``SF-002`` 继承公证: progressive brackets of the value inherited (受益额):
      1% up to 200,000 yuan, 0.8% to 500,000, 0.5% to 5 million, 0.25% to
      10 million, 0.1% above (the minimum charge many provinces set is not
      modelled);
    * ``SF-003`` 证明类公证: 80 yuan a case, 10 yuan for each further copy;
    * ``SF-004`` 委托、声明公证: 100 yuan a case, 10 yuan for each further copy.
    """
    copies = "公证书副本费（每增加一份）"
    inheritance = Tiered(
        (
            Tier("200000", "0.01"),
            Tier("500000", "0.008"),
            Tier("5000000", "0.005"),
            Tier("10000000", "0.0025"),
            Tier(None, "0.001"),
        )
    )

    def item(code: str, name: str, amount: Fixed | PerUnit | Tiered) -> FeeItem:
        return FeeItem(code, name, amount, _NOTARIAL_BASIS, payer="申请人", note=_NOTARIAL_NOTE)

    return (
        FeeSchedule("SF-002", [item("SF-002-F1", "继承公证费", inheritance)], source=SOURCE),
        FeeSchedule(
            "SF-003",
            [
                item("SF-003-F1", "证明类公证费", Fixed("80")),
                item("SF-003-F2", copies, PerUnit("10", "份")),
            ],
            source=SOURCE,
        ),
        FeeSchedule(
            "SF-004",
            [
                item("SF-004-F1", "委托、声明公证费", Fixed("100")),
                item("SF-004-F2", copies, PerUnit("10", "份")),
            ],
            source=SOURCE,
        ),
    )


@hookimpl
def register_fee_schedules(center: ServiceCenter) -> list[FeeSchedule] | None:
    """The notarial fee schedules, for those notary matters the centre's catalogue has."""
    try:
        matters = center.catalogue.matters
    except ValueError:  # no catalogue at all: the centre says so itself, right after
        return None
    return [s for s in notarial_fee_schedules() if s.matter in matters]


_REGISTRATION_FEE = "不动产登记费"
_SMALL_MICRO_BASIS = "财税〔2016〕79号"
_REGISTRATION_BASIS = "发改价格规〔2016〕2559号"
_SUBSIDISED_HOUSING = frozenset({"low_rent", "public_rental", "affordable", "resettlement"})
_ELDERLY_RELIEF = (date(2026, 1, 1), date(2026, 12, 31))


@hookimpl
def adjust_fees(
    matter: Matter, schedule: FeeSchedule, on: date, facts: Mapping[str, Any]
) -> list[FeeAdjustment] | None:
    """Waive or reduce one charge's fees, each adjustment citing its basis.

    Facts read (what the window records):

    * ``enterprise_size == "small_micro"`` — small and micro enterprises,
      individual businesses included, pay no real-estate registration fee
      (财税〔2016〕79号);
    * ``housing`` in ``low_rent``, ``public_rental``, ``affordable``,
      ``resettlement`` — subsidised housing is registered at a fee of zero
      (发改价格规〔2016〕2559号);
    * ``change == "holder_identity"`` on a change registration — only the
      holder's name or identity document changed: no registration fee (the same
      notice);
    * ``applicant_age >= 70`` on 继承公证 during 2026 — ILLUSTRATIVE county
      relief: 30% off the notarial fee.
    """
    registration = [i.code for i in schedule.items if i.name.startswith(_REGISTRATION_FEE)]
    waivers: list[tuple[str, str]] = []
    if facts.get("enterprise_size") == "small_micro":
        waivers.append(("小微企业（含个体工商户）免收不动产登记费", _SMALL_MICRO_BASIS))
    if facts.get("housing") in _SUBSIDISED_HOUSING:
        waivers.append(("保障性住房登记收费标准为零", _REGISTRATION_BASIS))
    if facts.get("change") == "holder_identity":
        waivers.append(("仅权利人姓名、名称或身份证明变更，不收取登记费", _REGISTRATION_BASIS))
    out = [
        FeeAdjustment(kind="waiver", item=code, reason=reason, basis=basis, source=SOURCE)
        for reason, basis in waivers[:1]  # one waiver is enough: a second would change nothing
        for code in registration
    ]
    age = facts.get("applicant_age")
    first, last = _ELDERLY_RELIEF
    if (
        matter.code == "SF-002"
        and isinstance(age, int)
        and age >= 70
        and first <= on <= last
        and schedule.items
    ):
        out.append(
            FeeAdjustment(
                kind="reduction",
                rate=Decimal("0.3"),
                reason="70周岁以上老年人办理继承公证减收30%（示例）",
                basis="示范县2026年公证惠民措施（示例）",
                source=SOURCE,
            )
        )
    return out or None


# ---- assessment ------------------------------------------------------------------------------

COMMENDATION_POINTS: Mapping[str, Decimal] = {
    "pennant": Decimal(3),
    "letter": Decimal(1),
    "online": Decimal("0.5"),
}
"""Points per commendation in the county's scheme (illustrative): a pennant counts +3."""

_COMMENDATION_NAMES = {"pennant": "锦旗", "letter": "表扬信", "online": "网上表扬"}

GOOD_RATE_MIN_EVALUATIONS = 10
"""A window's 好评率 is scored only from this many evaluations in the period."""


def commendations(records: PeriodRecords, rubric: Rubric) -> Iterator[ScoreItem]:
    """Commendations add points: a pennant (锦旗) +3, a letter +1, online praise +0.5.

    The county's replacement of ``default.commendations`` (which gives a
    pennant +2); window and staff member named both receive the points.
    Illustrative.
    """
    for c in records.commendations:
        points = COMMENDATION_POINTS[c.type]
        for kind, subject in (("window", c.window), ("staff", c.staff)):
            if subject:
                yield ScoreItem(
                    kind,
                    subject,
                    "default.commendations",
                    "satisfaction",
                    points,
                    f"commendation: {_COMMENDATION_NAMES[c.type]} (county scheme)",
                    (c.id,),
                )


def good_rate(records: PeriodRecords, rubric: Rubric) -> Iterator[ScoreItem]:
    """A window's 好评率 in the period: 99% or more +1, under 95% −2 (illustrative).

    Scored only for windows with at least ``GOOD_RATE_MIN_EVALUATIONS``
    evaluations; the good rate is the share of levels 3–5 (基本满意 and
    better), as :func:`govservice.supervision.evaluation_indicators` computes it.
    """
    indicators = evaluation_indicators(records.evaluations, by="window")
    for window, ind in sorted(indicators.items(), key=lambda kv: kv[0] or ""):
        if window is None or ind.good_rate is None or ind.count < GOOD_RATE_MIN_EVALUATIONS:
            continue
        if ind.good_rate >= Decimal("0.99"):
            points, verdict = Decimal(1), "≥ 99%"
        elif ind.good_rate < Decimal("0.95"):
            points, verdict = Decimal(-2), "< 95%"
        else:
            continue
        yield ScoreItem(
            "window",
            window,
            "sample_county.good_rate",
            "satisfaction",
            points,
            f"好评率 {ind.good_rate:.2%} {verdict} ({ind.count} evaluations, {ind.bad} bad)",
            (),
        )


ASSESSMENT_RULES: tuple[AssessmentRule, ...] = tuple(
    AssessmentRule(name, "satisfaction", (func.__doc__ or "").strip(), func)
    for name, func in (
        ("default.commendations", commendations),
        ("sample_county.good_rate", good_rate),
    )
)
"""The county's assessment rules: one replacing a default by name, one of its own."""

RUBRIC = Rubric(
    cap=Decimal(105),
    red_flags=2,
    composite=Composite(),
    bad_review_days=5,
)
"""The county's rubric (illustrative): cap 105, two red-flag windows, the district composite
(window 30% + staff 30% + duty-officer vote 20% + client vote 20%), bad reviews rectified
within 5 working days."""


@hookimpl
def register_assessment_rules(center: ServiceCenter) -> tuple[AssessmentRule, ...]:
    """Pennants count +3 (replacing ``default.commendations``); the 好评率 is scored."""
    return ASSESSMENT_RULES


@hookimpl
def assessment_rubric(center: ServiceCenter) -> Rubric:
    """Cap 105, two red flags, the 30/30/20/20 composite, 5 working days to rectify."""
    return RUBRIC
