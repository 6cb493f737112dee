"""Supervision records: inspections, complaints, commendations, service, 好差评.

What a centre records about its windows and staff besides cases: supervision
and unannounced visits (督查/暗访) with their findings, complaints (received,
verified, substantiated or not, rectified by a deadline), commendations
(锦旗, letters, online praise), on-site and holiday service, and the 好差评
evaluations of cases (国办发〔2019〕51号; GB/T 39734-2020) with the
rectification each bad review opens.

Every record is a frozen attrs class with an ``id`` and an aware time; they
convert to and from JSON objects (:func:`to_record`, :func:`from_record`) and
so live in any event store's records (``store.put_records(kind, …)``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar, TypeVar
from zoneinfo import ZoneInfo

import attrs
import cattrs

from govservice.calendars import WorkingDayCalendar
from govservice.calendars.instants import local_date, parse_instant
from govservice.exceptions import N_, GovServiceError
from govservice.text import Message

__all__ = [
    "DEFAULT_BAD_REVIEW_DAYS",
    "DEFAULT_FINDING_TYPES",
    "EVALUATION_LEVELS",
    "Commendation",
    "Complaint",
    "Evaluation",
    "EvaluationIndicators",
    "Finding",
    "FindingType",
    "Inspection",
    "RecordError",
    "Rectification",
    "ServiceRecord",
    "Vote",
    "evaluation_indicators",
    "from_record",
    "rectifications",
    "to_record",
]


class RecordError(GovServiceError, ValueError):
    """A supervision record is malformed; the message names the record and field.

    .. versionadded:: 0.1
    """


def _aware(value: datetime | str) -> datetime:
    return parse_instant(value, what=N_("time"))


def _aware_or_none(value: datetime | str | None) -> datetime | None:
    return None if value is None else _aware(value)


@attrs.frozen
class FindingType:
    """A kind of finding an inspection can record, with its default deduction.

    Attributes:
        code: e.g. ``absent_from_post``.
        name: e.g. ``脱岗``.
        dimension: the assessment dimension it counts in.
        points: the default points per occurrence (negative: a deduction).
        veto: whether it bars a red flag or a star (一票否决).

    .. versionadded:: 0.1
    """

    code: str
    name: str
    dimension: str = "discipline"
    points: Decimal = Decimal(-1)
    veto: bool = False


DEFAULT_FINDING_TYPES: Mapping[str, FindingType] = {
    t.code: t
    for t in (
        FindingType("absent_from_post", "脱岗、空岗", "discipline", Decimal(-3)),
        FindingType("late", "迟到、早退", "discipline", Decimal(-1)),
        FindingType("phone_use", "工作时间玩手机", "discipline", Decimal(-1)),
        FindingType("no_badge", "未佩戴工作牌", "discipline", Decimal(-1)),
        FindingType("poor_attitude", "服务态度生硬", "quality", Decimal(-2)),
        FindingType("procedure_error", "办件程序不规范", "quality", Decimal(-2)),
        FindingType("unauthorised_fee", "违规收费", "discipline", Decimal(-5), veto=True),
    )
}
"""The default finding table — deductions as in the law fact sheet's local examples
(leaving one's post −3 per time, procedure errors −2 per case, unauthorised fees −5);
the others are illustrative defaults. A county replaces the table in its rubric."""


@attrs.frozen
class Finding:
    """One thing an inspection found.

    Attributes:
        type: a finding type code (see :data:`DEFAULT_FINDING_TYPES`).
        window: the window concerned.
        staff: the staff member concerned, if one.
        case: the case concerned, if one (procedure errors, unauthorised fees).
        note: what was seen.

    .. versionadded:: 0.1
    """

    type: str
    window: str
    staff: str | None = None
    case: str | None = None
    note: str = ""


@attrs.frozen(kw_only=True)
class Inspection:
    """A supervision visit (督查), unannounced (暗访) or not, and its findings.

    .. versionadded:: 0.1
    """

    kind: ClassVar[str] = "inspection"
    id: str
    at: datetime = attrs.field(converter=_aware)
    unannounced: bool = True
    inspector: str = ""
    findings: tuple[Finding, ...] = ()


@attrs.frozen(kw_only=True)
class Complaint:
    """A complaint: received, verified, substantiated or not, rectified by a deadline.

    Attributes:
        received_at: when it came in.
        window: the window complained of.
        staff: the staff member, if named.
        case: the case, if any.
        summary: what it says.
        substantiated: ``True``/``False`` once verified, ``None`` before.
        verified_at: when it was verified.
        rectify_by: the deadline set for rectification, if substantiated.
        rectified_at: when it was rectified.

    .. versionadded:: 0.1
    """

    kind: ClassVar[str] = "complaint"
    id: str
    at: datetime = attrs.field(converter=_aware)
    window: str
    staff: str | None = None
    case: str | None = None
    summary: str = ""
    substantiated: bool | None = None
    verified_at: datetime | None = attrs.field(default=None, converter=_aware_or_none)
    rectify_by: date | None = None
    rectified_at: datetime | None = attrs.field(default=None, converter=_aware_or_none)


def _one_of_kinds(instance: Any, attribute: attrs.Attribute[str], value: str) -> None:
    """A record's ``type`` must be one of its class's ``KINDS``."""
    if value not in instance.KINDS:
        raise RecordError(
            Message(
                N_("%(kind)s %(id)r, field %(name)r: %(value)r is not one of %(value2)s"),
                {
                    "kind": instance.kind,
                    "id": instance.id,
                    "name": attribute.name,
                    "value": value,
                    "value2": ", ".join(sorted(instance.KINDS)),
                },
            )
        )


@attrs.frozen(kw_only=True)
class Commendation:
    """A commendation: a pennant (锦旗), a letter (表扬信) or online praise.

    .. versionadded:: 0.1
    """

    kind: ClassVar[str] = "commendation"
    KINDS: ClassVar[frozenset[str]] = frozenset({"pennant", "letter", "online"})
    id: str
    at: datetime = attrs.field(converter=_aware)
    window: str
    staff: str | None = None
    type: str = attrs.field(default="letter", validator=_one_of_kinds)
    note: str = ""


@attrs.frozen(kw_only=True)
class ServiceRecord:
    """Service beyond the counter: on-site (上门), on a holiday, or after hours.

    .. versionadded:: 0.1
    """

    kind: ClassVar[str] = "service"
    KINDS: ClassVar[frozenset[str]] = frozenset({"on_site", "holiday", "extended_hours"})
    id: str
    at: datetime = attrs.field(converter=_aware)
    window: str
    staff: str | None = None
    type: str = attrs.field(default="on_site", validator=_one_of_kinds)
    hours: Decimal = Decimal(0)
    note: str = ""


@attrs.frozen(kw_only=True)
class Vote:
    """A vote for a window: by the duty officers or by clients, on a 0–100 scale.

    Used by the weighted composite of the red-flag assessment.

    .. versionadded:: 0.1
    """

    kind: ClassVar[str] = "vote"
    id: str
    at: datetime = attrs.field(converter=_aware)
    window: str
    source: str = "client"  # "duty" or "client"
    score: Decimal = Decimal(0)


EVALUATION_LEVELS: Mapping[int, str] = {
    5: "非常满意",
    4: "满意",
    3: "基本满意",
    2: "不满意",
    1: "非常不满意",
}
"""The five levels of 好差评 (国办发〔2019〕51号); levels 1–2 are bad reviews (差评)."""

DEFAULT_BAD_REVIEW_DAYS = 15
"""Working days to verify and rectify a bad review by default, a LOCAL rule (not national law).

国办发〔2019〕51号 (the 好差评 system) asks for bad reviews to be verified and rectified
but sets no number of days; 15 working days is one province's limit (one city sets 5).
Override it per centre (the rubric's ``bad_review_days``)."""


@attrs.frozen(kw_only=True)
class Evaluation:
    """A 好差评 evaluation of a case, with where it landed.

    Built from a case's ``evaluated`` event and its catalogue entries.

    .. versionadded:: 0.1
    """

    case: str
    at: datetime
    level: int
    channel: str
    matter: str
    unit: str | None
    window: str | None
    staff: str | None

    @property
    def bad(self) -> bool:
        """Whether this is a bad review (差评) — level 1 or 2."""
        return self.level <= 2


def _zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except Exception:
        raise ValueError(f"unknown timezone {value!r}") from None
    return value


@attrs.frozen(kw_only=True)
class Rectification:
    """The rectification a bad review opens, with its working-day deadline.

    Attributes:
        id: the record id.
        at: when the bad review was given.
        case: the case reviewed.
        window: the window that handled it.
        staff: the staff member who handled it.
        due: the last day to rectify it, a local date of the centre.
        rectified_at: when it was rectified, if it was.
        timezone: the centre's timezone: whether a rectification was on time
            compares its local date there with *due*.

    .. versionadded:: 0.1
    """

    kind: ClassVar[str] = "rectification"
    id: str
    at: datetime = attrs.field(converter=_aware)
    case: str
    window: str | None
    staff: str | None
    due: date
    rectified_at: datetime | None = attrs.field(default=None, converter=_aware_or_none)
    timezone: str = attrs.field(default="Asia/Shanghai", converter=_zone)

    def on_time(self, as_of: date) -> bool | None:
        """Rectified by the deadline (the centre's local date); ``None`` while open and not due."""
        if self.rectified_at is not None:
            return local_date(self.rectified_at, ZoneInfo(self.timezone)) <= self.due
        return None if as_of <= self.due else False


def rectifications(
    evaluations: Iterable[Evaluation],
    calendar: WorkingDayCalendar,
    *,
    working_days: int = DEFAULT_BAD_REVIEW_DAYS,
    done: Mapping[str, datetime] | None = None,
) -> list[Rectification]:
    """The rectification each bad review opens, due *working_days* after it.

    Args:
        evaluations: evaluations (only bad ones open a rectification).
        calendar: counts the working days; its timezone is the centre's, whose
            local dates the deadline and the rectification compare.
        working_days: the local limit (default :data:`DEFAULT_BAD_REVIEW_DAYS`, a
            local rule: 国办发〔2019〕51号 sets no number).
        done: when each case's bad review was rectified, by case id.
    """
    done = done or {}
    due: dict[datetime, date] = {}  # by the time of the review: many share their day

    def due_of(at: datetime) -> date:
        if at not in due:
            due[at] = calendar.add_working_days(at, working_days)
        return due[at]

    return [
        Rectification(
            id=f"rect-{e.case}",
            at=e.at,
            case=e.case,
            window=e.window,
            staff=e.staff,
            due=due_of(e.at),
            rectified_at=done.get(e.case),
            timezone=calendar.timezone.key,
        )
        for e in evaluations
        if e.bad
    ]


@attrs.frozen
class EvaluationIndicators:
    """The published 好差评 indicators of one window, unit or matter.

    Attributes:
        count: evaluations.
        by_level: evaluations per level 1–5.
        good_rate: share at levels 3–5 (好评率), ``None`` without evaluations.
        bad: bad reviews (levels 1–2).
        mean_level: average level.
        rectified_on_time: bad reviews rectified by their deadline.

    .. versionadded:: 0.1
    """

    count: int
    by_level: tuple[int, int, int, int, int]
    good_rate: Decimal | None
    bad: int
    mean_level: Decimal | None
    rectified_on_time: int = 0


def evaluation_indicators(
    evaluations: Iterable[Evaluation],
    by: str = "window",
    *,
    rectified: Iterable[Rectification] = (),
    as_of: date | None = None,
) -> dict[str | None, EvaluationIndicators]:
    """The 好差评 indicators grouped by ``window``, ``unit``, ``matter`` or ``staff``.

    Rates are exact :class:`~decimal.Decimal` fractions rounded to 4 places.
    """
    if by not in ("window", "unit", "matter", "staff"):
        raise ValueError(f"group by window, unit, matter or staff, not {by!r}")
    groups: dict[str | None, list[int]] = {}
    for e in evaluations:
        groups.setdefault(getattr(e, by), []).append(e.level)
    on_time: dict[str | None, int] = {}
    for r in rectified:
        if as_of is not None and r.on_time(as_of):
            on_time[getattr(r, by, None)] = on_time.get(getattr(r, by, None), 0) + 1
    out = {}
    q = Decimal("0.0001")
    for key, levels in groups.items():
        n = len(levels)
        counts = tuple(levels.count(k) for k in range(1, 6))
        out[key] = EvaluationIndicators(
            count=n,
            by_level=counts,  # type: ignore[arg-type]
            good_rate=(Decimal(sum(counts[2:])) / n).quantize(q) if n else None,
            bad=counts[0] + counts[1],
            mean_level=(Decimal(sum(levels)) / n).quantize(q) if n else None,
            rectified_on_time=on_time.get(key, 0),
        )
    return out


# ---- records as JSON objects --------------------------------------------------

_KINDS: dict[str, type[Any]] = {
    cls.kind: cls
    for cls in (Inspection, Complaint, Commendation, ServiceRecord, Vote, Rectification)
}

_conv = cattrs.Converter(forbid_extra_keys=True)
_conv.register_unstructure_hook(datetime, lambda v: v.isoformat())
_conv.register_structure_hook(datetime, lambda v, _: _aware(v))
_conv.register_unstructure_hook(date, lambda v: v.isoformat())
_conv.register_structure_hook(date, lambda v, _: date.fromisoformat(v))
_conv.register_unstructure_hook(Decimal, str)
_conv.register_structure_hook(Decimal, lambda v, _: Decimal(str(v)))

R = TypeVar("R")


def to_record(record: Any) -> dict[str, Any]:
    """The record as a JSON object (for ``store.put_records(record.kind, …)``)."""
    data: dict[str, Any] = _conv.unstructure(record)
    return data


def from_record(kind: str, data: Mapping[str, Any]) -> Any:
    """Build a record of *kind* (``inspection``, ``complaint``, …) from its JSON object.

    Raises:
        RecordError: naming the kind, the record id and the problem.
    """
    cls = _KINDS.get(kind)
    if cls is None:
        raise RecordError(
            Message(
                N_("unknown record kind %(kind)r (known: %(value)s)"),
                {"kind": kind, "value": ", ".join(_KINDS)},
            )
        )
    try:
        return _conv.structure(dict(data), cls)
    except (cattrs.BaseValidationError, GovServiceError, ValueError, TypeError) as e:
        detail = (
            "; ".join(cattrs.transform_error(e))
            if isinstance(e, cattrs.BaseValidationError)
            else str(e)
        )
        raise RecordError(
            Message(
                N_("%(kind)s %(value)r: %(detail)s"),
                {"kind": kind, "value": data.get("id"), "detail": detail},
            )
        ) from None
