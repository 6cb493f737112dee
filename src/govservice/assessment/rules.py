"""The default assessment rules, mirroring the local examples in LAW.md.

Every number here is a county rule, not law: LAW.md records deductions seen in
local schemes (leaving one's post −3 per time, procedure errors −2 per case,
unauthorised fees −5, overdue promised cases −5 each or −1 per case per
working day overdue for staff, substantiated complaints −5) and additions for
on-site or holiday service (+1 to +3); the bonus for commendations is
UNCONFIRMED there and labelled illustrative here.  A county replaces any rule
by registering one of the same name, or drops it with ``Rubric.exclude``.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import TypedDict

from govservice.assessment.engine import AssessmentRule, Rubric, ScoreItem
from govservice.assessment.records import PeriodRecords

__all__ = ["DEFAULT_RULES"]


class _Reason(TypedDict):
    reason: str
    message: str
    params: tuple[tuple[str, str], ...]


def _because(message: str, **params: object) -> _Reason:
    """The fields of an item's reason: the English text, its message and the message's values."""
    values = tuple((k, str(v)) for k, v in params.items())
    return {"reason": message % dict(values), "message": message, "params": values}


def _both(window: str | None, staff: str | None, **fields: object) -> Iterator[ScoreItem]:
    if window:
        yield ScoreItem(subject_kind="window", subject=window, **fields)  # type: ignore[arg-type]
    if staff:
        yield ScoreItem(subject_kind="staff", subject=staff, **fields)  # type: ignore[arg-type]


def findings(records: PeriodRecords, rubric: Rubric) -> Iterator[ScoreItem]:
    """Each inspection finding deducts its type's points from the window and the staff member.

    Points and dimension come from the rubric's finding table (default: leaving
    one's post −3, procedure error −2, unauthorised fee −5 and a veto, late,
    phone, badge −1 …).  An unknown finding type counts −1 in discipline.
    """
    for inspection in records.inspections:
        for f in inspection.findings:
            kind = rubric.finding_types.get(f.type)
            name = kind.name if kind else f.type
            yield from _both(
                f.window,
                f.staff,
                rule="default.findings",
                dimension=kind.dimension if kind else "discipline",
                points=kind.points if kind else Decimal(-1),
                **_because(
                    "%(source)s finding: %(finding)s%(note)s",
                    source="暗访" if inspection.unannounced else "督查",
                    finding=name,
                    note=f" ({f.note})" if f.note else "",
                ),
                evidence=(inspection.id, *((f.case,) if f.case else ())),
                veto=kind.veto if kind else False,
            )


def overdue_cases(records: PeriodRecords, rubric: Rubric) -> Iterator[ScoreItem]:
    """A late case: −5 for the window once, −1 per working day late for the staff member.

    Late as :mod:`govservice.cases.late` defines it, charged to whoever handled
    the case.  The window's −5 falls in the month the case became late; the
    staff member is charged each month the working days late that fall in it
    (at least 1 in the month it became late), so an open case is not charged
    twice for the same days.  A case past its statutory limit also bars the red
    flag and the star (veto) in each month it is charged.
    """
    for c in records.cases:
        if c.overdue_days <= 0 and not c.became_late:
            continue
        veto = c.overdue_statutory
        facts = {"case": c.case, "matter": c.matter, "days": c.overdue_days}
        if veto and c.overdue_days == 1:
            reason = _because(
                "case %(case)s of %(matter)s late, past the statutory limit: 1 working day "
                "this period",
                **facts,
            )
        elif veto:
            reason = _because(
                "case %(case)s of %(matter)s late, past the statutory limit: %(days)s working "
                "days this period",
                **facts,
            )
        elif c.overdue_days == 1:
            reason = _because(
                "case %(case)s of %(matter)s late: 1 working day this period", **facts
            )
        else:
            reason = _because(
                "case %(case)s of %(matter)s late: %(days)s working days this period", **facts
            )
        for kind, subject, points in (
            ("window", c.window if c.became_late else None, Decimal(-5)),
            ("staff", c.staff if c.overdue_days > 0 else None, Decimal(-c.overdue_days)),
        ):
            if subject:
                yield ScoreItem(
                    kind,
                    subject,
                    "default.overdue_cases",
                    "efficiency",
                    points,
                    evidence=(c.case,),
                    veto=veto,
                    **reason,
                )


def complaints(records: PeriodRecords, rubric: Rubric) -> Iterator[ScoreItem]:
    """A substantiated complaint, verified in the period: −5 and a veto."""
    for c in records.complaints:
        if c.substantiated:
            yield from _both(
                c.window,
                c.staff,
                rule="default.complaints",
                dimension="satisfaction",
                points=Decimal(-5),
                **(
                    _because("substantiated complaint: %(summary)s", summary=c.summary)
                    if c.summary
                    else _because("substantiated complaint")
                ),
                evidence=(c.id,),
                veto=True,
            )


def bad_reviews(records: PeriodRecords, rubric: Rubric) -> Iterator[ScoreItem]:
    """A bad review (差评) not rectified by its deadline: −1, in the month the deadline passes."""
    for r in records.rectifications:
        if r.on_time(records.period.end) is False:
            yield from _both(
                r.window,
                r.staff,
                rule="default.bad_reviews",
                dimension="satisfaction",
                points=Decimal(-1),
                **_because(
                    "bad review of case %(case)s not rectified by %(due)s", case=r.case, due=r.due
                ),
                evidence=(r.case,),
            )


COMMENDATION_POINTS = {"pennant": Decimal(2), "letter": Decimal(1), "online": Decimal("0.5")}


def commendations(records: PeriodRecords, rubric: Rubric) -> Iterator[ScoreItem]:
    """Commendations add points: pennant +2, letter +1, online praise +0.5 (illustrative)."""
    names = {"pennant": "锦旗", "letter": "表扬信", "online": "网上表扬"}
    for c in records.commendations:
        yield from _both(
            c.window,
            c.staff,
            rule="default.commendations",
            dimension="satisfaction",
            points=COMMENDATION_POINTS[c.type],
            **_because("commendation: %(kind)s", kind=names[c.type]),
            evidence=(c.id,),
        )


SERVICE_POINTS = {"on_site": Decimal(1), "holiday": Decimal(2), "extended_hours": Decimal(1)}
SERVICE_CAP = Decimal(3)


def extra_service(records: PeriodRecords, rubric: Rubric) -> Iterator[ScoreItem]:
    """On-site +1, holiday +2, after-hours +1 service, at most +3 a subject a period."""
    given: dict[tuple[str, str], Decimal] = {}
    names = {"on_site": "上门服务", "holiday": "节假日服务", "extended_hours": "延时服务"}
    for s in records.services:
        for kind, subject in (("window", s.window), ("staff", s.staff)):
            if not subject:
                continue
            so_far = given.get((kind, subject), Decimal(0))
            points = min(SERVICE_POINTS[s.type], SERVICE_CAP - so_far)
            if points <= 0:
                continue
            given[(kind, subject)] = so_far + points
            yield ScoreItem(
                kind,
                subject,
                "default.extra_service",
                "quality",
                points,
                f"{names[s.type]}",
                (s.id,),
            )


DEFAULT_RULES: tuple[AssessmentRule, ...] = tuple(
    AssessmentRule(name, dimension, (func.__doc__ or "").strip(), func)
    for name, dimension, func in (
        ("default.findings", "discipline", findings),
        ("default.overdue_cases", "efficiency", overdue_cases),
        ("default.complaints", "satisfaction", complaints),
        ("default.bad_reviews", "satisfaction", bad_reviews),
        ("default.commendations", "satisfaction", commendations),
        ("default.extra_service", "quality", extra_service),
    )
)
"""The default rule set, registered by the built-in plugin (``trylast``)."""
