"""The assessment engine: rules score records, scores rank windows and staff.

A rule is a documented function of the period's records (:class:`PeriodRecords`)
that yields :class:`ScoreItem` objects — points with the reason and the
evidence behind each, in one of four dimensions.  :func:`assess` applies the
rules, adds each subject's items to the rubric's base score within its floor
and cap, ranks windows and staff with a documented tie-break, and names the
red-flag windows (流动红旗窗口) and service stars (服务之星).  Every score can
be explained item by item.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from operator import attrgetter
from typing import TYPE_CHECKING

import attrs

from govservice.i18n import Names
from govservice.provenance import Provenance
from govservice.supervision import DEFAULT_FINDING_TYPES, FindingType

if TYPE_CHECKING:
    from govservice.assessment.records import PeriodRecords

__all__ = [
    "DIMENSIONS",
    "Assessment",
    "AssessmentRule",
    "Composite",
    "Rubric",
    "Score",
    "ScoreItem",
    "assess",
]

DIMENSIONS: tuple[str, ...] = ("efficiency", "quality", "satisfaction", "discipline")
"""The four dimensions every score item belongs to."""


@attrs.frozen
class ScoreItem:
    """Points for one subject, with why and on what evidence.

    Attributes:
        subject_kind: ``"window"`` or ``"staff"``.
        subject: the window or staff code.
        rule: the name of the rule that made it.
        dimension: one of ``DIMENSIONS``.
        points: positive to add, negative to deduct (exact decimals).
        reason: a sentence a person reads.
        evidence: ids of the records or cases behind it.
        veto: the item bars a red flag or a star whatever the score (一票否决).
        message: the reason as a message of the package's catalog, with
            ``%(name)s`` placeholders filled from *params* (the default rules
            give one, so briefings say it in their language); ``""`` when the
            reason is only the English text.
        params: the values of the message's placeholders; a ``matter`` is
            a matter's code, which :meth:`text` shows by name and code.

    .. versionadded:: 0.1
    """

    subject_kind: str
    subject: str
    rule: str
    dimension: str
    points: Decimal
    reason: str
    evidence: tuple[str, ...] = ()
    veto: bool = False
    message: str = ""
    params: tuple[tuple[str, str], ...] = ()

    def text(self, language: str = "en", names: Names | None = None) -> str:
        """The reason in *language* (``"zh"`` or ``"en"``), a matter named by *names*.

        A ``matter`` placeholder shows the matter by name and code, as
        :meth:`Names.matter <govservice.i18n.Names.matter>` does: 食品经营许可（MR-001）.
        """
        if not self.message:
            return self.reason
        from govservice.i18n import translations

        values = dict(self.params)
        if "matter" in values:
            values["matter"] = (names or Names()).matter(values["matter"], language)
        return translations(language).gettext(self.message) % values

    def __attrs_post_init__(self) -> None:
        if self.subject_kind not in ("window", "staff"):
            raise ValueError(f"subject_kind must be 'window' or 'staff', not {self.subject_kind!r}")
        if self.dimension not in DIMENSIONS:
            raise ValueError(f"dimension must be one of {DIMENSIONS}, not {self.dimension!r}")
        if not isinstance(self.points, Decimal):
            raise TypeError(f"points must be a Decimal, not {type(self.points).__name__}")


@attrs.frozen
class AssessmentRule:
    """A named, documented scoring rule.

    Attributes:
        name: unique; a plugin's rule of the same name replaces a default one.
        dimension: the dimension its items count in (rules may yield items of
            other dimensions, e.g. by finding type).
        description: what it scores and how, for the briefing and the docs.
        score: the function ``score(records, rubric) -> Iterable[ScoreItem]``.

    .. versionadded:: 0.1
    """

    name: str
    dimension: str
    description: str
    score: Callable[[PeriodRecords, Rubric], Iterable[ScoreItem]] = attrs.field(repr=False)


@attrs.frozen
class Composite:
    """A weighted composite for red flags, like one district's (LAW.md).

    window assessment 30% + staff assessment 30% + duty-officer vote 20% +
    client vote 20%, each on a 0–100(+) scale; missing votes count as the
    window's own score.

    .. versionadded:: 0.1
    """

    window: Decimal = Decimal("0.3")
    staff: Decimal = Decimal("0.3")
    duty_vote: Decimal = Decimal("0.2")
    client_vote: Decimal = Decimal("0.2")

    def __attrs_post_init__(self) -> None:
        total = self.window + self.staff + self.duty_vote + self.client_vote
        if total != 1:
            raise ValueError(f"composite weights must add up to 1, not {total}")


@attrs.frozen
class Rubric:
    """The assessment's constants: base, bounds, how many red flags and stars.

    Attributes:
        base: every subject starts here (100).
        cap: the highest score (one county caps at 110).
        floor: the lowest score.
        red_flags: how many red-flag windows at most.
        red_flag_min: the least score (the composite, where there is one) for a
            red flag.
        stars: how many service stars at most.
        star_min: the least score for a star.
        exclude: names of rules not to apply.
        finding_types: the inspection finding table.
        composite: rank windows by a weighted composite instead of their score.
        bad_review_days: working days to rectify a bad review: a local rule
            (国办发〔2019〕51号 sets no number; 15 as in one province).

    .. versionadded:: 0.1
    """

    base: Decimal = Decimal(100)
    cap: Decimal = Decimal(110)
    floor: Decimal = Decimal(0)
    red_flags: int = 3
    red_flag_min: Decimal = Decimal(95)
    stars: int = 5
    star_min: Decimal = Decimal(100)
    exclude: frozenset[str] = frozenset()
    finding_types: Mapping[str, FindingType] = attrs.field(
        factory=lambda: dict(DEFAULT_FINDING_TYPES)
    )
    composite: Composite | None = None
    bad_review_days: int = 15

    def __attrs_post_init__(self) -> None:
        if not self.floor <= self.base <= self.cap:
            raise ValueError(
                f"need floor <= base <= cap, got {self.floor}, {self.base}, {self.cap}"
            )


@attrs.frozen
class Score:
    """One subject's assessment.

    Attributes:
        subject_kind: ``"window"`` or ``"staff"``.
        subject: the code.
        total: base + items, within floor and cap.
        raw: base + items before the bounds.
        by_dimension: the sum of item points per dimension.
        items: every item that made it.
        vetoed: an item bars a red flag or star.
        cases: cases the subject handled in the period (for the tie-break).
        composite: the weighted composite, when the rubric has one.
        rank: 1 for the best.

    .. versionadded:: 0.1
    """

    subject_kind: str
    subject: str
    total: Decimal
    raw: Decimal
    by_dimension: Mapping[str, Decimal]
    items: tuple[ScoreItem, ...]
    vetoed: bool
    cases: int
    composite: Decimal | None = None
    rank: int = 0

    @property
    def deductions(self) -> Decimal:
        """The sum of the negative items (0 or less)."""
        return sum((i.points for i in self.items if i.points < 0), Decimal(0))

    def ranking_key(self) -> tuple[Decimal, Decimal, int, str]:
        """The order of ranking, best first when sorted ascending.

        Higher score (the composite where there is one) first; then fewer
        deduction points; then more cases handled; then the code, A to Z.
        """
        value = self.composite if self.composite is not None else self.total
        return (-value, -self.deductions, -self.cases, self.subject)


@attrs.frozen
class Assessment:
    """The month's assessment: every score, the ranking, the red flags and stars.

    ``provenance`` names the centre, its plugins and its catalogue when a
    :class:`~govservice.center.ServiceCenter` assessed; the briefing ends with it.
    ``names`` are the catalogue's, for the briefing to name windows and staff.

    .. versionadded:: 0.1
    """

    period: str
    rubric: Rubric
    rules: tuple[AssessmentRule, ...]
    windows: tuple[Score, ...]
    staff: tuple[Score, ...]
    red_flags: tuple[str, ...]
    stars: tuple[str, ...]
    provenance: Provenance | None = None
    names: Names = attrs.field(factory=Names)

    def score(self, subject: str, kind: str = "window") -> Score:
        """The score of one window (or staff member, ``kind="staff"``).

        Raises:
            KeyError: no such subject in the assessment; when it is a subject
                of the other kind, the message says which ``kind=`` to ask.
            ValueError: a kind other than ``"window"`` or ``"staff"``.
        """
        kinds = {"window": self.windows, "staff": self.staff}
        if kind not in kinds:
            raise ValueError(f"kind must be 'window' or 'staff' (got {kind!r})")
        for s in kinds[kind]:
            if s.subject == subject:
                return s
        message = f"no {kind} {subject!r} in the {self.period} assessment"
        other = "staff" if kind == "window" else "window"
        if any(s.subject == subject for s in kinds[other]):
            what = "a window" if other == "window" else "a staff member"
            message += f"; {subject!r} is {what}: ask with kind={other!r}"
        raise _Missing(message)

    def explain(self, subject: str, kind: str = "window") -> str:
        """Every item that made the score of *subject*, and whether it won a red flag or star.

        Windows, staff and matters are named by name and code (``names``).
        """
        s = self.score(subject, kind)
        name = self.names.subject(kind, subject, "en")
        lines = [f"{kind} {name}: {s.total} (base {self.rubric.base}, rank {s.rank})"]
        for item in s.items:
            sign = "+" if item.points >= 0 else ""
            veto = " [veto]" if item.veto else ""
            evidence = f" — {', '.join(item.evidence)}" if item.evidence else ""
            reason = item.text("en", self.names)
            lines.append(f"  {sign}{item.points} {item.dimension}: {reason}{veto}{evidence}")
        if s.raw != s.total:
            lines.append(f"  bounded from {s.raw} to [{self.rubric.floor}, {self.rubric.cap}]")
        lines.append("  " + self._award(s))
        return "\n".join(lines)

    def _award(self, s: Score) -> str:
        """Why *s* has, or has not, the red flag (windows) or the star (staff)."""
        if s.subject_kind == "window":
            award, won, most, least = (
                "red flag (流动红旗窗口)",
                self.red_flags,
                self.rubric.red_flags,
                self.rubric.red_flag_min,
            )
        else:
            award, won, most, least = (
                "service star (服务之星)",
                self.stars,
                self.rubric.stars,
                self.rubric.star_min,
            )
        if s.subject in won:
            return f"{award}: yes"
        value = s.composite if s.composite is not None else s.total
        if s.vetoed:
            why = "a veto item bars it"
        elif value < least:
            why = f"{value} is below the least score, {least}"
        else:
            why = f"rank {s.rank}: only {most} are awarded (ties broken as ranking_key says)"
        return f"{award}: no — {why}"


def _scores(
    kind: str,
    subjects: Sequence[str],
    items: Sequence[ScoreItem],
    rubric: Rubric,
    cases: Mapping[str, int],
) -> list[Score]:
    by_subject: dict[str, list[ScoreItem]] = {s: [] for s in subjects}
    for item in items:
        if item.subject_kind == kind:
            by_subject.setdefault(item.subject, []).append(item)
    out = []
    for subject, mine in by_subject.items():
        raw = rubric.base + sum((i.points for i in mine), Decimal(0))
        dims = {
            d: sum((i.points for i in mine if i.dimension == d), Decimal(0)) for d in DIMENSIONS
        }
        out.append(
            Score(
                subject_kind=kind,
                subject=subject,
                total=min(max(raw, rubric.floor), rubric.cap),
                raw=raw,
                by_dimension=dims,
                items=tuple(mine),
                vetoed=any(i.veto for i in mine),
                cases=cases.get(subject, 0),
            )
        )
    return out


def _ranked(scores: list[Score]) -> tuple[Score, ...]:
    ordered = sorted(scores, key=Score.ranking_key)
    return tuple(attrs.evolve(s, rank=k) for k, s in enumerate(ordered, start=1))


def assess(
    records: PeriodRecords, rules: Iterable[AssessmentRule], rubric: Rubric | None = None
) -> Assessment:
    """Assess the period's windows and staff.

    Args:
        records: the period's records (see :func:`~govservice.assessment.collect_period`).
        rules: the rules to apply (a plugin's rule replaces a default rule of
            the same name: pass them with the plugin's first).
        rubric: base, bounds, red flags, stars (default :class:`Rubric`).
    """
    rubric = rubric or Rubric()
    chosen: dict[str, AssessmentRule] = {}
    for rule in rules:
        if rule.name not in rubric.exclude:
            chosen.setdefault(rule.name, rule)
    items = [item for rule in chosen.values() for item in rule.score(records, rubric)]
    window_cases = Counter(map(attrgetter("window"), records.cases))
    staff_cases = Counter(map(attrgetter("staff"), records.cases))
    windows = _scores("window", records.windows, items, rubric, window_cases)
    staff = _scores("staff", records.staff, items, rubric, staff_cases)
    if rubric.composite is not None:
        windows = _with_composite(windows, staff, records, rubric.composite)
    ranked_windows, ranked_staff = _ranked(windows), _ranked(staff)
    red = [
        s.subject
        for s in ranked_windows
        if not s.vetoed
        and (s.composite if s.composite is not None else s.total) >= rubric.red_flag_min
    ][: rubric.red_flags]
    stars = [s.subject for s in ranked_staff if not s.vetoed and s.total >= rubric.star_min][
        : rubric.stars
    ]
    return Assessment(
        period=records.period.label,
        rubric=rubric,
        rules=tuple(chosen.values()),
        windows=ranked_windows,
        staff=ranked_staff,
        red_flags=tuple(red),
        stars=tuple(stars),
    )


def _with_composite(
    windows: list[Score], staff: list[Score], records: PeriodRecords, weights: Composite
) -> list[Score]:
    staff_total = {s.subject: s.total for s in staff}
    staff_of: dict[str, list[Decimal]] = {}
    for member in records.staff_members:
        if member.code in staff_total:
            staff_of.setdefault(member.window, []).append(staff_total[member.code])
    votes: dict[tuple[str, str], list[Decimal]] = {}
    for v in records.votes:
        votes.setdefault((v.window, v.source), []).append(v.score)

    def mean(values: list[Decimal], default: Decimal) -> Decimal:
        return sum(values, Decimal(0)) / len(values) if values else default

    out = []
    for w in windows:
        own = w.total
        value = (
            weights.window * own
            + weights.staff * mean(staff_of.get(w.subject, []), own)
            + weights.duty_vote * mean(votes.get((w.subject, "duty"), []), own)
            + weights.client_vote * mean(votes.get((w.subject, "client"), []), own)
        )
        out.append(attrs.evolve(w, composite=value.quantize(Decimal("0.01"))))
    return out


class _Missing(KeyError):
    """A ``KeyError`` whose message reads as written (not quoted, as ``KeyError`` quotes)."""

    def __str__(self) -> str:
        return str(self.args[0])
