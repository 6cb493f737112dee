"""Time limits and the rules that set them.

A :class:`TimeLimit` is a number of working days, working hours or calendar
days.  A :class:`TimeLimitRule` is what a law or regulation says about one
limit: the default amount, who may extend it and by how much, which
suspensions stop the clock, when the clock starts, and the period in which
that text was in force.  A :class:`RuleBook` holds the versions of every rule
and picks the one that governs a case: the version in force on the day the
case was received.
"""

from __future__ import annotations

import difflib
import enum
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime
from itertools import pairwise
from types import MappingProxyType
from typing import Any

import attrs

from govservice.model.errors import ModelError, UnknownCode
from govservice.text import N_, Message

__all__ = [
    "COMPANION_CLOCKS",
    "COUNTS_FROM",
    "DEEMED_ACCEPTANCE",
    "HOURS_PER_WORKING_DAY",
    "LimitUnit",
    "RuleBook",
    "TimeLimit",
    "TimeLimitRule",
]

HOURS_PER_WORKING_DAY = 8
"""Working hours in a working day, for comparing an hours limit with a days limit.

The statutory working day (国务院关于职工工作时间的规定, Art. 3: eight hours a
day).  Used only to check that a promised limit in working hours is not longer
than a statutory limit in working days; a case's clock counts a hall's actual
opening hours (:class:`~govservice.calendars.WorkingHours`).

.. versionadded:: 0.1
"""

COUNTS_FROM: frozenset[str] = frozenset(
    {"acceptance", "receipt", "decision", "hearing_request", "expiry", "superior_reply"}
)
"""The events a rule's clock may count from.

``acceptance`` (受理; 行政许可法 Art. 42), ``receipt`` of the application or
request (OGI Art. 33; the acceptance clock of Art. 32), ``decision`` (delivery,
Art. 44), ``hearing_request`` (Art. 47), ``expiry`` of a licence (counted
backwards, Art. 50) and ``superior_reply`` (上报件, a local rule).

.. versionadded:: 0.1
"""


DEEMED_ACCEPTANCE: frozenset[str] = frozenset({"arrival", "review_end"})
"""What silence past a rule's acceptance limit means: the day acceptance is deemed.

``arrival``: accepted on the day the materials (or the corrections) arrived
(行政许可法 Art. 32); ``review_end``: accepted on the day the review period
ends (行政复议法 2023 revision, Art. 30 ¶3).

.. versionadded:: 0.1
"""

COMPANION_CLOCKS: Mapping[str, str] = MappingProxyType(
    {
        "delivery_rule": "decision",
        "hearing_rule": "hearing_request",
        "renewal_rule": "expiry",
        "simplified_rule": "acceptance",
    }
)
"""A decision rule's companion clocks: the attribute naming each, and what it counts from.

A case runs several clocks: beside its decision clock, the delivery of the
licence (行政许可法 Art. 44, from an approving decision), the hearing (Art. 47,
from the request), the renewal (Art. 50, to the licence's expiry); a
reconsideration may change to the simplified procedure (行政复议法 2023 revision,
Art. 62 ¶2), whose rule then counts from acceptance.

.. versionadded:: 0.1
"""


class LimitUnit(enum.Enum):
    """What a time limit counts.

    Administrative-licensing periods are working days (行政许可法 Art. 82), as
    are periods of ten days or less under 行政强制法 Art. 69; a 信访 or
    行政复议 limit of 60 days is calendar days.

    .. versionadded:: 0.1
    """

    WORKING_DAYS = "working_days"
    """工作日 — days the calendar marks as working days."""
    WORKING_HOURS = "working_hours"
    """工作时 — hours while the hall is open on working days."""
    DAYS = "days"
    """自然日 — calendar days, holidays included (e.g. 信访 60 日)."""

    @property
    def label(self) -> str:
        """The unit in words, plural, e.g. ``"working days"``."""
        return self.value.replace("_", " ")


def _limit_unit(value: LimitUnit | str) -> LimitUnit:
    if isinstance(value, LimitUnit):
        return value
    try:
        return LimitUnit(value)
    except ValueError:
        known = ", ".join(u.value for u in LimitUnit)
        raise ModelError(
            None, "unit", value, Message(N_("unknown unit (known: %(known)s)"), {"known": known})
        ) from None


def _non_negative_int(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None and attribute.default is None:
        return
    if isinstance(value, bool) or not isinstance(value, int):
        raise ModelError(_record(instance), attribute.name, value, N_("expected an integer"))
    if value < 0:
        raise ModelError(_record(instance), attribute.name, value, N_("must not be negative"))


def _record(instance: Any) -> str | None:
    if isinstance(instance, TimeLimitRule):
        return f"rule {instance.id}"
    return None


@attrs.frozen
class TimeLimit:
    """A number of working days, working hours or calendar days.

    Args:
        amount: how many; ``0`` means on the spot (当场办结).
        unit: what is counted; working days unless said otherwise.
        rule: the id of the :class:`TimeLimitRule` a statutory limit is set under.

    Example:
        >>> from govservice.model import TimeLimit
        >>> str(TimeLimit(20, rule="alicensing.decision"))
        '20 working days (alicensing.decision)'

    .. versionadded:: 0.1

    """

    amount: int = attrs.field(validator=_non_negative_int)
    unit: LimitUnit = attrs.field(default=LimitUnit.WORKING_DAYS, converter=_limit_unit)
    rule: str | None = None

    def __str__(self) -> str:
        label = self.unit.label[:-1] if self.amount == 1 else self.unit.label
        text = f"{self.amount} {label}"
        return f"{text} ({self.rule})" if self.rule else text

    def exceeds(self, other: TimeLimit) -> bool | None:
        """Whether this limit is surely longer than *other*; ``None`` if it cannot be told.

        Limits in the same unit compare by amount.  Working hours compare with
        working days at ``HOURS_PER_WORKING_DAY``; calendar days are never
        longer than the same number of working days.  Any other pair (working
        days against calendar days) depends on the calendar: ``None``.
        """
        if self.unit is other.unit:
            return self.amount > other.amount
        if self.unit is LimitUnit.WORKING_HOURS and other.unit is LimitUnit.WORKING_DAYS:
            return self.amount > other.amount * HOURS_PER_WORKING_DAY
        if self.unit is LimitUnit.WORKING_DAYS and other.unit is LimitUnit.WORKING_HOURS:
            return self.amount * HOURS_PER_WORKING_DAY > other.amount
        if self.unit is LimitUnit.DAYS and other.unit is LimitUnit.WORKING_DAYS:
            return False if self.amount <= other.amount else None
        return None


def _reasons(value: Iterable[str]) -> frozenset[str]:
    if isinstance(value, str):
        raise ModelError(
            None, "pausable", value, N_("expected a collection of reasons, not a string")
        )
    reasons = frozenset(value)
    for reason in reasons:
        if not isinstance(reason, str) or not reason:
            raise ModelError(None, "pausable", reason, N_("expected non-empty strings"))
    return reasons


def _non_empty(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ModelError(
            _record(instance), attribute.name, value, N_("expected a non-empty string")
        )


def _counts_from(instance: TimeLimitRule, attribute: attrs.Attribute[str], value: str) -> None:
    if value not in COUNTS_FROM:
        known = ", ".join(sorted(COUNTS_FROM))
        raise ModelError(
            _record(instance),
            attribute.name,
            value,
            Message(N_("unknown (known: %(known)s)"), {"known": known}),
        )


def _one_of(choices: frozenset[str], *, optional: bool) -> Any:
    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is None and optional:
            return
        if value not in choices:
            known = ", ".join(sorted(choices)) + (", or none" if optional else "")
            raise ModelError(
                _record(instance),
                attribute.name,
                value,
                Message(N_("unknown (known: %(known)s)"), {"known": known}),
            )

    return check


def _rule_id(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise ModelError(_record(instance), attribute.name, value, N_("expected a rule id or None"))


def _plain_date(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and type(value) is not date:
        raise ModelError(_record(instance), attribute.name, value, N_("expected a date or None"))


@attrs.frozen
class TimeLimitRule:
    """What a law says about one time limit, in one version of its text.

    Args:
        id: the rule id, e.g. ``"alicensing.decision"``.
        title: a short description.
        law: the law or regulation and its version, e.g. ``"行政许可法 (2019年修正)"``.
        article: the article, e.g. ``"Art. 42"``.
        limit: the default limit under this rule.  A matter may state another
            amount (Art. 42: "other laws may set other limits"), in the same unit.
            Its ``rule`` is set to this rule's id.
        max_extension: the longest extension, in ``limit.unit``; ``0``: none allowed.
        extension_approver: who approves an extension, e.g. ``"本行政机关负责人"``.
        pausable: the suspension reasons that stop the clock (e.g. 行政许可法
            Art. 45: hearing, bidding, auction, inspection, testing, quarantine,
            appraisal, expert_review).
        counts_from: the event the clock starts at; one of ``COUNTS_FROM``.
        acceptance_limit: working days to accept the application or tell the
            applicant every correction at once; ``None``: no deemed acceptance.
            Under 行政许可法 Art. 32 it is 5, and an application not answered in
            time counts as accepted on the day the materials arrived.
        correction_restarts: whether the clock restarts when a corrected
            request arrives (OGI Art. 30).
        valid_from: the first day this version is in force; ``None``: since before
            any case the library handles.
        valid_until: the last day it is in force; ``None``: still in force.
        confirmed: ``False`` for a default the project could not confirm against
            the text (``UNCONFIRMED`` in LAW.md) or a local rule: check it, and
            override it with a plugin or a catalogue ``[[rule]]`` if it is wrong.
        source: where the rule came from: ``"builtin"``, a plugin, a catalogue file.
        note: anything a reader of the rule should know.
        deemed_acceptance: with an *acceptance_limit*, the day an application
            no one answered in time counts as accepted (``DEEMED_ACCEPTANCE``):
            ``"arrival"`` (the default) or ``"review_end"``; ``None``: never
            deemed, the limit only sets the acceptance deadline.  For a rule
            counting from receipt, acceptance (recorded or deemed) dates to the
            day the clock counts from (行政复议法 pre-2023 Art. 17 ¶2).
        deemed_after_correction: whether the acceptance limit runs again from
            the day corrections requested in time arrive, with the same deemed
            acceptance when no one answers by its end (行政复议法 2023 revision
            Art. 31 ¶3; for 行政许可法 Art. 32 the library's reading).
        correction_pauses: whether the time from a correction notice to the
            corrections' arrival is not counted (行政复议法实施条例 Art. 29).
        in_force_by: which day picks the version a case counts under:
            ``"receipt"`` (the default) or ``"acceptance"`` (信访: the version in
            force when the petition was accepted).
        delivery_rule: the rule of the delivery clock, from an approving
            decision (行政许可法 Art. 44), if any.
        hearing_rule: the rule of the hearing clock, from a hearing request
            (Art. 47), if any; a hearing is possible only under a rule naming one,
            and its time is not counted (Art. 45): *pausable* has ``hearing``.
        renewal_rule: the rule of the renewal clock, to a licence's expiry
            (Art. 50), if any; a renewal is possible only under a rule naming one.
        simplified_rule: the rule of the simplified procedure a case may change
            to (行政复议法 2023 revision Art. 62 ¶2), if any.

    .. versionadded:: 0.1

    """

    id: str = attrs.field(validator=_non_empty)
    title: str
    law: str = attrs.field(validator=_non_empty)
    article: str = attrs.field(validator=_non_empty)
    limit: TimeLimit
    max_extension: int = attrs.field(default=0, validator=_non_negative_int)
    extension_approver: str | None = None
    pausable: frozenset[str] = attrs.field(default=frozenset(), converter=_reasons)
    counts_from: str = attrs.field(default="acceptance", validator=_counts_from)
    acceptance_limit: int | None = attrs.field(default=None, validator=_non_negative_int)
    correction_restarts: bool = False
    valid_from: date | None = attrs.field(default=None, validator=_plain_date)
    valid_until: date | None = attrs.field(default=None, validator=_plain_date)
    confirmed: bool = True
    source: str = "builtin"
    note: str | None = None
    deemed_acceptance: str | None = attrs.field(
        default="arrival", validator=_one_of(DEEMED_ACCEPTANCE, optional=True)
    )
    deemed_after_correction: bool = False
    correction_pauses: bool = False
    in_force_by: str = attrs.field(
        default="receipt", validator=_one_of(frozenset({"receipt", "acceptance"}), optional=False)
    )
    delivery_rule: str | None = attrs.field(default=None, validator=_rule_id)
    hearing_rule: str | None = attrs.field(default=None, validator=_rule_id)
    renewal_rule: str | None = attrs.field(default=None, validator=_rule_id)
    simplified_rule: str | None = attrs.field(default=None, validator=_rule_id)

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.limit, TimeLimit):
            raise ModelError(_record(self), "limit", self.limit, N_("expected a TimeLimit"))
        if self.limit.rule is None:
            object.__setattr__(self, "limit", attrs.evolve(self.limit, rule=self.id))
        elif self.limit.rule != self.id:
            raise ModelError(
                _record(self),
                "limit",
                str(self.limit),
                Message(N_("names another rule than %(id)r"), {"id": self.id}),
            )
        if self.hearing_rule is not None and "hearing" not in self.pausable:
            raise ModelError(
                _record(self),
                "hearing_rule",
                self.hearing_rule,
                N_(
                    "a rule with a hearing clock does not count the hearing's time "
                    "(行政许可法 Art. 45): add 'hearing' to 'pausable'"
                ),
            )
        if (
            self.valid_from is not None
            and self.valid_until is not None
            and self.valid_until < self.valid_from
        ):
            raise ModelError(
                _record(self),
                "valid_until",
                self.valid_until,
                Message(
                    N_("before 'valid_from' (%(valid_from)s)"), {"valid_from": self.valid_from}
                ),
            )

    @property
    def citation(self) -> str:
        """The law and article, e.g. ``"行政许可法 (2019年修正) Art. 42"``."""
        return f"{self.law} {self.article}"

    @property
    def validity(self) -> str:
        """The period in force, e.g. ``"2008-05-01–2019-05-14"`` or ``"2019-05-15–"``."""
        start = self.valid_from.isoformat() if self.valid_from else ""
        end = self.valid_until.isoformat() if self.valid_until else ""
        return f"{start}–{end}" if start or end else "always"

    def in_force(self, on: date) -> bool:
        """Whether this version is in force on the day *on*."""
        return (self.valid_from is None or self.valid_from <= on) and (
            self.valid_until is None or on <= self.valid_until
        )

    @property
    def companions(self) -> dict[str, str]:
        """The companion clocks this rule names, attribute → rule id (``COMPANION_CLOCKS``)."""
        named = {name: getattr(self, name) for name in COMPANION_CLOCKS}
        return {name: rule for name, rule in named.items() if rule is not None}

    def max_limit(self, amount: int | None = None) -> TimeLimit:
        """The limit with the longest extension added — *amount* (default the rule's) + max."""
        base = self.limit.amount if amount is None else amount
        return attrs.evolve(self.limit, amount=base + self.max_extension)


def _start(rule: TimeLimitRule) -> date:
    return rule.valid_from or date.min


def _end(rule: TimeLimitRule) -> date:
    return rule.valid_until or date.max


def _key(rule: TimeLimitRule) -> tuple[str, date | None, date | None]:
    return (rule.id, rule.valid_from, rule.valid_until)


class RuleBook:
    """An immutable registry of time-limit rules, in all their versions.

    One id may have several versions whose validity periods do not overlap
    (e.g. ``ogi.reply``: the 2007 text until 2019-05-14, the 2019 revision
    from 2019-05-15); :meth:`resolve` picks the one in force on a day.

    Args:
        rules: the rules, in any order.

    Raises:
        ModelError: (a ``ValueError``) two versions of one id overlap.

    Example:
        >>> from datetime import date
        >>> from govservice.model import BUILTIN_RULES
        >>> BUILTIN_RULES.resolve("ogi.reply", date(2019, 5, 14)).limit.amount
        15
        >>> BUILTIN_RULES.resolve("ogi.reply", date(2019, 5, 15)).limit.amount
        20

    .. versionadded:: 0.1

    """

    __slots__ = ("_by_id",)

    def __init__(self, rules: Iterable[TimeLimitRule] = ()) -> None:
        by_id: dict[str, list[TimeLimitRule]] = {}
        for rule in rules:
            if not isinstance(rule, TimeLimitRule):
                raise TypeError(
                    Message(
                        N_("a RuleBook holds TimeLimitRule objects, not %(rule)r"), {"rule": rule}
                    )
                )
            by_id.setdefault(rule.id, []).append(rule)
        for versions in by_id.values():
            versions.sort(key=_start)
            for a, b in pairwise(versions):
                if _start(b) <= _end(a):
                    raise ModelError(
                        f"rule {b.id}",
                        "valid_from",
                        b.valid_from,
                        Message(
                            N_(
                                "version %(validity)s (from %(source)s) overlaps version "
                                "%(validity2)s (from %(source2)s); versions of one rule must not "
                                "overlap"
                            ),
                            {
                                "validity": b.validity,
                                "source": b.source,
                                "validity2": a.validity,
                                "source2": a.source,
                            },
                        ),
                    )
        self._by_id: dict[str, tuple[TimeLimitRule, ...]] = {
            k: tuple(by_id[k]) for k in sorted(by_id)
        }

    def __contains__(self, rule_id: object) -> bool:
        return rule_id in self._by_id

    def __iter__(self) -> Iterator[TimeLimitRule]:
        """Every version of every rule, by id, then by validity."""
        for versions in self._by_id.values():
            yield from versions

    def __len__(self) -> int:
        """The number of rule versions."""
        return sum(len(v) for v in self._by_id.values())

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RuleBook):
            return NotImplemented
        return self._by_id == other._by_id

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"<RuleBook: {len(self)} rule versions, {len(self._by_id)} ids>"

    def ids(self) -> frozenset[str]:
        """The rule ids."""
        return frozenset(self._by_id)

    def versions(self, rule_id: str) -> tuple[TimeLimitRule, ...]:
        """Every version of a rule, oldest first.

        Raises:
            UnknownCode: no rule has this id.

        """
        try:
            return self._by_id[rule_id]
        except KeyError:
            raise self._unknown(rule_id) from None

    def resolve(self, rule_id: str, on: date) -> TimeLimitRule:
        """The version of a rule in force on the day *on*.

        A case is governed by the version in force on the day it was received:
        pass that (local) date.

        Raises:
            UnknownCode: (a ``KeyError``) no rule has this id, or no version
                of it is in force that day.
            TypeError: *on* is a datetime: pass its local date.

        """
        if isinstance(on, datetime):
            raise TypeError(
                Message(
                    N_(
                        "resolve() takes a date, not a datetime (%(on)r): pass the centre's "
                        "local date"
                    ),
                    {"on": on},
                )
            )
        versions = self.versions(rule_id)
        for rule in versions:
            if rule.in_force(on):
                return rule
        periods = ", ".join(v.validity for v in versions)
        raise UnknownCode(
            "rule",
            rule_id,
            Message(
                N_("rule %(rule_id)r has no version in force on %(value)s (versions: %(periods)s)"),
                {"rule_id": rule_id, "value": on.isoformat(), "periods": periods},
            ),
        )

    def latest(self, rule_id: str) -> TimeLimitRule:
        """The most recent version of a rule (the one with the latest start).

        Raises:
            UnknownCode: no rule has this id.

        """
        return self.versions(rule_id)[-1]

    def with_rules(self, rules: Iterable[TimeLimitRule]) -> RuleBook:
        """A new book with *rules* added.

        A rule with the same id and the same validity period as one already in
        the book replaces it (so a plugin or a catalogue can override a
        built-in rule); among *rules*, a later one replaces an earlier one.

        Raises:
            ModelError: a new version overlaps another version of its id.

        """
        merged = {_key(r): r for r in self}
        for rule in rules:
            merged[_key(rule)] = rule
        return RuleBook(merged.values())

    def _unknown(self, rule_id: str) -> UnknownCode:
        close = difflib.get_close_matches(str(rule_id), self._by_id, n=3, cutoff=0.85)
        hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
        return UnknownCode(
            "rule",
            str(rule_id),
            Message(
                N_("unknown time-limit rule %(rule_id)r%(hint)s"),
                {"rule_id": rule_id, "hint": hint},
            ),
        )
