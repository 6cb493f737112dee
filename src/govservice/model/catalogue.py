"""The catalogue of a centre: its units, windows, staff, matters, bundles and rules.

A county writes its catalogue in TOML (or JSON, same shape) and loads it
with :func:`load_catalogue`::

    [[unit]]
    code = "MR"
    name = "市场监督管理局"
    stationed = true

    [[window]]
    code = "W01"
    name = "市场监管窗口"
    units = ["MR"]

    [[staff]]
    code = "S001"
    name = "张三"
    window = "W01"

    [[matter]]
    code = "MR-001"
    name = "食品经营许可"
    unit = "MR"
    category = "administrative_licensing"
    kind = "promised"                 # immediate | promised | joint | reported
    statutory = { working_days = 20, rule = "alicensing.decision" }
    promised = { working_days = 8 }
    authorized = true
    # stationed = false               # default: as its unit
    # windows = ["W01"]

    [[bundle]]
    code = "B01"
    name = "开办餐馆一件事"
    matters = ["MR-001", "MR-002"]
    lead = "MR-001"
    limit = { working_days = 10 }

    [[rule]]                          # a local rule, or an override of a built-in one
    id = "county.site_visit"
    title = "现场核查"
    law = "某县政务服务管理办法"
    article = "Art. 12"
    limit = { working_days = 5 }

    [[fee]]                           # a fee item of a matter; see docs/fees.md
    matter = "MR-001"
    code = "MR-001-F1"
    name = "证书工本费"
    basis = "某县收费文件〔2026〕1号"     # the legal basis: required
    per_unit = "10.00"                # or fixed, percentage (+ floor, cap), tiers
    unit = "本"

A limit is a table with exactly one of ``working_days``, ``working_hours``
and ``days`` (calendar days), and, for a statutory or bundle limit, the
``rule`` it is set under.  A ``[[rule]]`` table takes the fields of
:class:`~govservice.model.TimeLimitRule`; one with the id and validity of a
built-in rule replaces it.  A ``[[fee]]`` table is a
:class:`~govservice.model.fees.FeeItem` of a matter (amounts as strings or
integers, never floats); the items of a matter make its
:class:`~govservice.model.fees.FeeSchedule`.
"""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Any, Protocol, TypeVar

import attrs

from govservice._toml import Reader, read_document
from govservice.calendars.instants import FIRST_DAY, LAST_DAY, MAX_DAYS
from govservice.exceptions import DataFileError, Message
from govservice.model.builtin import BUILTIN_RULES
from govservice.model.errors import ModelError, UnknownCode
from govservice.model.fees import FEE_RECORD_FIELDS, FeeSchedule, fee_record, read_fee_record
from govservice.model.matters import Bundle, HandlingKind, Matter, Staff, Unit, Window
from govservice.model.rules import COMPANION_CLOCKS, RuleBook, TimeLimit, TimeLimitRule
from govservice.text import N_

__all__ = ["Catalogue", "load_catalogue"]


class _Coded(Protocol):
    @property
    def code(self) -> str: ...


_T = TypeVar("_T", bound=_Coded)


def _keyed(value: Mapping[str, _T] | Iterable[_T]) -> Mapping[str, _T]:
    if isinstance(value, Mapping):
        items = dict(value)
        for key, item in items.items():
            if key != item.code:
                kind = type(item).__name__.lower()
                raise ModelError(
                    f"{kind} {item.code}",
                    "code",
                    item.code,
                    Message(N_("filed under another key (%(key)r)"), {"key": key}),
                )
    else:
        items = {}
        for item in value:
            if item.code in items:
                kind = type(item).__name__.lower()
                raise ModelError(f"{kind} {item.code}", "code", item.code, N_("duplicate code"))
            items[item.code] = item
    return MappingProxyType(items)


def _units(value: Mapping[str, Unit] | Iterable[Unit]) -> Mapping[str, Unit]:
    return _keyed(value)


def _windows(value: Mapping[str, Window] | Iterable[Window]) -> Mapping[str, Window]:
    return _keyed(value)


def _staff(value: Mapping[str, Staff] | Iterable[Staff]) -> Mapping[str, Staff]:
    return _keyed(value)


def _matters(value: Mapping[str, Matter] | Iterable[Matter]) -> Mapping[str, Matter]:
    return _keyed(value)


def _bundles(value: Mapping[str, Bundle] | Iterable[Bundle]) -> Mapping[str, Bundle]:
    return _keyed(value)


def _fee_schedules(
    value: Mapping[str, FeeSchedule] | Iterable[FeeSchedule],
) -> Mapping[str, FeeSchedule]:
    schedules: dict[str, FeeSchedule] = {}
    pairs = value.items() if isinstance(value, Mapping) else ((None, s) for s in value)
    for key, schedule in pairs:
        if not isinstance(schedule, FeeSchedule):
            raise ModelError(None, "fees", schedule, N_("expected FeeSchedule objects"))
        record = f"fee schedule of matter {schedule.matter}"
        if key is not None and key != schedule.matter:
            raise ModelError(
                record,
                "matter",
                schedule.matter,
                Message(N_("filed under another key (%(key)r)"), {"key": key}),
            )
        if schedule.matter in schedules:
            other = schedules[schedule.matter].source or "?"
            raise ModelError(
                record,
                "matter",
                schedule.matter,
                Message(
                    N_("two fee schedules for one matter (from %(other)s and %(value)s)"),
                    {"other": other, "value": schedule.source or "?"},
                ),
            )
        schedules[schedule.matter] = schedule
    return MappingProxyType(schedules)


def _rebuild(fields: dict[str, Any]) -> Catalogue:
    """A catalogue from its pickled fields (see ``Catalogue.__reduce__``)."""
    return Catalogue(**fields)


def _known(codes: Iterable[str]) -> str:
    codes = sorted(codes)
    shown = ", ".join(codes[:12]) + (", …" if len(codes) > 12 else "")
    return f"known: {shown}" if codes else "none defined"


@attrs.frozen(repr=False, kw_only=True)
class Catalogue:
    """A centre's catalogue: units, windows, staff, matters, bundles and the rules they cite.

    Each mapping is read-only and keyed by code; pass a mapping or just an
    iterable of the objects.  The catalogue checks every reference: a window's
    units, a staff member's window, a matter's unit, windows and rule (and that
    its statutory limit counts what its rule counts), a bundle's matters, a fee
    schedule's matter and collecting units, and that fee item codes are unique.

    Args:
        units: the units.
        windows: the windows.
        staff: the window staff.
        matters: the matters.
        bundles: the bundles of matters handled together.
        fees: the fee schedules, keyed by matter code (a mapping, or an
            iterable of :class:`~govservice.model.fees.FeeSchedule`); a matter
            without one is free of charge.
        rules: the time-limit rules (default: the built-in ones).
        source: where the catalogue came from (a file path), for messages.

    Raises:
        ModelError: a duplicate code or a reference to nothing.

    .. versionadded:: 0.1

    """

    units: Mapping[str, Unit] = attrs.field(converter=_units)
    matters: Mapping[str, Matter] = attrs.field(converter=_matters)
    windows: Mapping[str, Window] = attrs.field(converter=_windows, default=())
    staff: Mapping[str, Staff] = attrs.field(converter=_staff, default=())
    bundles: Mapping[str, Bundle] = attrs.field(converter=_bundles, default=())
    fees: Mapping[str, FeeSchedule] = attrs.field(converter=_fee_schedules, default=())
    rules: RuleBook = attrs.field(
        default=BUILTIN_RULES, validator=attrs.validators.instance_of(RuleBook)
    )
    source: str = ""

    def __attrs_post_init__(self) -> None:
        for problem in self._problems():
            raise problem

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle by the fields, so a catalogue crosses to worker processes (sweeps)."""
        fields = {f.name: getattr(self, f.name) for f in attrs.fields(type(self))}
        for name, value in fields.items():
            if isinstance(value, MappingProxyType):
                fields[name] = dict(value)
        return (_rebuild, (fields,))

    def __repr__(self) -> str:
        counts = ", ".join(
            f"{len(m)} {name}"
            for name, m in (
                ("units", self.units),
                ("windows", self.windows),
                ("staff", self.staff),
                ("matters", self.matters),
                ("bundles", self.bundles),
            )
        )
        if self.fees:
            counts += f", {len(self.fees)} fee schedules"
        where = f" from {self.source}" if self.source else ""
        return f"<Catalogue{where}: {counts}>"

    def matter(self, code: str) -> Matter:
        """The matter with this code.

        Raises:
            UnknownCode: (a ``KeyError``) naming the code and the catalogue's source.

        """
        try:
            return self.matters[code]
        except KeyError:
            close = difflib.get_close_matches(str(code), self.matters, n=3)
            hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
            where = f" {self.source}" if self.source else ""
            raise UnknownCode(
                "matter",
                str(code),
                Message(
                    N_("no matter %(code)r in the catalogue%(where)s%(hint)s"),
                    {"code": code, "where": where, "hint": hint},
                ),
            ) from None

    def fee_schedule(self, matter: Matter | str) -> FeeSchedule:
        """The fee schedule of a matter; an empty one if it is free of charge.

        Raises:
            UnknownCode: no such matter in the catalogue.

        .. versionadded:: 0.1
        """
        code = (self.matter(matter) if isinstance(matter, str) else matter).code
        schedule = self.fees.get(code)
        return schedule if schedule is not None else FeeSchedule(code, (), source=self.source)

    def with_fee_schedules(self, schedules: Iterable[FeeSchedule]) -> Catalogue:
        """A copy with *schedules* replacing the schedules of their matters (e.g. from plugins).

        A schedule replaces the whole schedule of its matter; the other
        matters' schedules stay.  The result is checked like any catalogue.

        Raises:
            ModelError: two of *schedules* for one matter (naming both sources),
                an unknown matter or unit, or an item code used twice.

        .. versionadded:: 0.1
        """
        new = _fee_schedules(schedules)
        return attrs.evolve(self, fees={**self.fees, **new})

    def is_stationed(self, matter: Matter) -> bool:
        """Whether a matter is handled in the centre (进驻) — its own flag, else its unit's."""
        if matter.stationed is not None:
            return matter.stationed
        return self.units[matter.unit].stationed

    def statutory_rule(self, matter: Matter | str, on: date) -> TimeLimitRule:
        """The version of a matter's statutory rule in force on *on* (the day of receipt).

        Raises:
            UnknownCode: an unknown matter, or no version of its rule in force that day.

        """
        m = self.matter(matter) if isinstance(matter, str) else matter
        rule_id = m.statutory.rule
        assert rule_id is not None  # Matter refuses a statutory limit without a rule
        return self.rules.resolve(rule_id, on)

    def fingerprint(self) -> str:
        """A short hash of what the catalogue says, wherever its file lies.

        The SHA-256 of the catalogue's document (:func:`catalogue_to_document`,
        keys sorted, the rules' sources left out), its first 12 hex digits: two
        catalogues with the same units, windows, staff, matters, bundles, fees
        and local rules have the same fingerprint.  Reports name it, and a
        store records the one its centre had when the store was created.

        .. versionadded:: 0.1
        """
        doc = catalogue_to_document(self)
        for rule in doc["rule"]:
            rule.pop("source", None)
        text = json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()[:12]

    def _problems(self) -> Iterator[ModelError]:
        for w in self.windows.values():
            for u in w.units:
                if u not in self.units:
                    yield ModelError(
                        f"window {w.code}",
                        "units",
                        u,
                        Message(N_("unknown unit (%(value)s)"), {"value": _known(self.units)}),
                    )
        for s in self.staff.values():
            if s.window not in self.windows:
                yield ModelError(
                    f"staff {s.code}",
                    "window",
                    s.window,
                    Message(N_("unknown window (%(value)s)"), {"value": _known(self.windows)}),
                )
        for m in self.matters.values():
            yield from self._matter_problems(m)
        for b in self.bundles.values():
            for code in b.matters:
                if code not in self.matters:
                    yield ModelError(
                        f"bundle {b.code}",
                        "matters",
                        code,
                        Message(N_("unknown matter (%(value)s)"), {"value": _known(self.matters)}),
                    )
            yield from self._rule_problems(f"bundle {b.code}", "limit", b.limit)
        yield from self._fee_problems()

    def _fee_problems(self) -> Iterator[ModelError]:
        owners: dict[str, str] = {}
        for schedule in self.fees.values():
            if schedule.matter not in self.matters:
                yield ModelError(
                    f"fee schedule of matter {schedule.matter}",
                    "matter",
                    schedule.matter,
                    Message(N_("unknown matter (%(value)s)"), {"value": _known(self.matters)}),
                )
            for item in schedule.items:
                record = f"fee {item.code}"
                if item.code in owners:
                    yield ModelError(
                        record,
                        "code",
                        item.code,
                        Message(
                            N_("duplicate code (also a fee item of matter %(value)s)"),
                            {"value": owners[item.code]},
                        ),
                    )
                owners[item.code] = schedule.matter
                if item.collected_by is not None and item.collected_by not in self.units:
                    yield ModelError(
                        record,
                        "collected_by",
                        item.collected_by,
                        Message(N_("unknown unit (%(value)s)"), {"value": _known(self.units)}),
                    )

    def _matter_problems(self, m: Matter) -> Iterator[ModelError]:
        record = f"matter {m.code}"
        if m.unit not in self.units:
            yield ModelError(
                record,
                "unit",
                m.unit,
                Message(N_("unknown unit (%(value)s)"), {"value": _known(self.units)}),
            )
        for code in m.windows:
            window = self.windows.get(code)
            if window is None:
                yield ModelError(
                    record,
                    "windows",
                    code,
                    Message(N_("unknown window (%(value)s)"), {"value": _known(self.windows)}),
                )
            elif m.unit not in window.units:
                yield ModelError(
                    record,
                    "windows",
                    code,
                    Message(N_("this window does not serve unit %(unit)r"), {"unit": m.unit}),
                )
        yield from self._rule_problems(record, "statutory", m.statutory)
        if m.promised is not None:
            yield from self._rule_problems(record, "promised", m.promised)

    def _rule_problems(self, record: str, field: str, limit: TimeLimit) -> Iterator[ModelError]:
        if limit.rule is None:
            return
        if limit.rule not in self.rules:
            close = difflib.get_close_matches(limit.rule, self.rules.ids(), n=3, cutoff=0.85)
            hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
            yield ModelError(
                record,
                field,
                limit.rule,
                Message(N_("unknown time-limit rule%(hint)s"), {"hint": hint}),
            )
            return
        versions = self.rules.versions(limit.rule)
        own_clock = {v.counts_from for v in versions} & _OWN_CLOCKS.keys()
        if own_clock:
            start = sorted(own_clock)[0]
            yield ModelError(
                record,
                field,
                limit.rule,
                Message(
                    N_(
                        "rule %(rule)r counts from %(value)s: it is a clock of its own beside a "
                        "case's decision rule, not a matter's limit"
                    ),
                    {"rule": limit.rule, "value": _OWN_CLOCKS[start]},
                ),
            )
            return
        for version in versions:
            for name, companion in version.companions.items():
                wanted = COMPANION_CLOCKS[name]
                found = self.rules.versions(companion) if companion in self.rules else ()
                if not found or any(c.counts_from != wanted for c in found):
                    yield ModelError(
                        f"rule {version.id}",
                        name,
                        companion,
                        f"expected a rule counting from {wanted!r} "
                        + ("(not one)" if found else "(no such rule)"),
                    )
        units = {v.limit.unit for v in versions}
        if limit.unit not in units:
            counted = " or ".join(sorted(u.label for u in units))
            yield ModelError(
                record,
                field,
                str(limit),
                Message(
                    N_("rule %(rule)r counts %(counted)s, not %(label)s"),
                    {"rule": limit.rule, "counted": counted, "label": limit.unit.label},
                ),
            )


# ---- loading ---------------------------------------------------------------------------

_LIMIT_UNITS = ("working_days", "working_hours", "days")
_OWN_CLOCKS = {
    "decision": "the decision (a delivery clock)",
    "hearing_request": "a hearing request (a hearing clock)",
    "expiry": "a licence's expiry (a renewal clock)",
    "superior_reply": "the superior's reply, which no event records",
}
_RULE_FIELDS = tuple(a.name for a in attrs.fields(TimeLimitRule))


def _file_error(path: Path | str, record: str | Message | None, e: ModelError) -> DataFileError:
    return DataFileError(path, e.record or record, e.field, e.value, e.reason)


def _code(r: Reader, kind: str) -> str:
    code: str = r.get("code", str)
    if not code.strip():
        raise r.fail("code", code, N_("expected a non-empty code"))
    r.record = f"{kind} {code}"
    return code


def _text(r: Reader, field: str, *, required: bool = True) -> Any:
    value = r.get(field, str, required=required)
    if value is not None and not value.strip():
        raise r.fail(field, value, N_("expected a non-empty string"))
    return value


def _codes(r: Reader, field: str, *, required: bool = True) -> tuple[str, ...]:
    value = r.get(field, list, required=required)
    if value is None:
        return ()
    for item in value:
        if not isinstance(item, str) or not item:
            raise r.fail(field, item, N_("expected a list of codes (non-empty strings)"))
    return tuple(value)


def _limit(r: Reader, field: str, *, required: bool = True, rule: str = "allowed") -> Any:
    """A limit table of the record; *rule*: ``"required"``, ``"allowed"`` or ``"forbidden"``."""
    table = r.get(field, dict, required=required)
    if table is None:
        return None
    known = _LIMIT_UNITS if rule == "forbidden" else (*_LIMIT_UNITS, "rule")
    for key in table:
        if key not in known:
            raise r.fail(
                field,
                table,
                Message(
                    N_("unknown key %(key)r in a limit (known: %(value)s)"),
                    {"key": key, "value": ", ".join(known)},
                ),
            )
    given = [k for k in _LIMIT_UNITS if k in table]
    if len(given) != 1:
        raise r.fail(
            field, table, N_("a limit has exactly one of 'working_days', 'working_hours', 'days'")
        )
    amount = table[given[0]]
    if isinstance(amount, bool) or not isinstance(amount, int) or not 0 <= amount <= MAX_DAYS:
        raise r.fail(
            field,
            table,
            Message(
                N_("%(value)r must be a whole number from 0 to %(max_days)s"),
                {"value": given[0], "max_days": f"{MAX_DAYS:,}"},
            ),
        )
    rule_id = table.get("rule")
    if rule_id is None and rule == "required":
        raise r.fail(
            field, table, N_("a statutory limit names its 'rule' (e.g. 'alicensing.decision')")
        )
    if rule_id is not None and (not isinstance(rule_id, str) or not rule_id):
        raise r.fail(field, rule_id, N_("expected a rule id (a non-empty string)"))
    return TimeLimit(amount, given[0], rule_id)


def _amount(r: Reader, field: str) -> int | None:
    """An optional whole number of days (or hours) of the record, 0 to ``MAX_DAYS``."""
    value: int | None = r.get(field, int, required=False)
    if value is not None and not 0 <= value <= MAX_DAYS:
        raise r.fail(
            field,
            value,
            Message(
                N_("expected a whole number from 0 to %(max_days)s"), {"max_days": f"{MAX_DAYS:,}"}
            ),
        )
    return value


def _date(r: Reader, field: str, json: bool) -> date | None:
    value = r.get(field, (date, str), required=False)
    day = value if value is None or type(value) is date else None
    if json and isinstance(value, str):
        with contextlib.suppress(ValueError):
            day = date.fromisoformat(value)
    if day is None and value is not None:
        raise r.fail(field, value, "expected a date (YYYY-MM-DD" + (")" if json else ", unquoted)"))
    if day is not None and not FIRST_DAY <= day <= LAST_DAY:
        raise r.fail(
            field,
            value,
            Message(
                N_("expected a date from %(first_day)s to %(last_day)s"),
                {"first_day": FIRST_DAY, "last_day": LAST_DAY},
            ),
        )
    return day


def _read_unit(r: Reader) -> Unit:
    code = _code(r, "unit")
    stationed = r.get("stationed", bool, required=False)
    return Unit(code, _text(r, "name"), True if stationed is None else stationed)


def _read_window(r: Reader) -> Window:
    code = _code(r, "window")
    return Window(
        code,
        _text(r, "name"),
        _codes(r, "units"),
        bool(r.get("comprehensive", bool, required=False)),
    )


def _read_staff(r: Reader) -> Staff:
    code = _code(r, "staff")
    return Staff(code, _text(r, "name"), _text(r, "window"))


def _read_matter(r: Reader) -> Matter:
    code = _code(r, "matter")
    kind = r.get("kind", str)
    if kind not in {k.value for k in HandlingKind}:
        known = ", ".join(k.value for k in HandlingKind)
        raise r.fail("kind", kind, Message(N_("unknown kind (known: %(known)s)"), {"known": known}))
    authorized = r.get("authorized", bool, required=False)
    return Matter(
        code=code,
        name=_text(r, "name"),
        unit=_text(r, "unit"),
        category=_text(r, "category"),
        kind=HandlingKind(kind),
        statutory=_limit(r, "statutory", rule="required"),
        promised=_limit(r, "promised", required=False, rule="forbidden"),
        authorized=True if authorized is None else authorized,
        stationed=r.get("stationed", bool, required=False),
        windows=_codes(r, "windows", required=False),
    )


def _read_bundle(r: Reader) -> Bundle:
    code = _code(r, "bundle")
    return Bundle(
        code,
        _text(r, "name"),
        _codes(r, "matters"),
        _text(r, "lead"),
        _limit(r, "limit"),
    )


def _read_rule(r: Reader, source: str, json: bool) -> TimeLimitRule:
    rule_id = _text(r, "id")
    r.record = f"rule {rule_id}"
    pausable = _codes(r, "pausable", required=False)
    acceptance_limit = _amount(r, "acceptance_limit")
    limit = _limit(r, "limit", rule="forbidden")
    confirmed = r.get("confirmed", bool, required=False)
    return TimeLimitRule(
        id=rule_id,
        title=_text(r, "title"),
        law=_text(r, "law"),
        article=_text(r, "article"),
        limit=limit,
        max_extension=_amount(r, "max_extension") or 0,
        extension_approver=_text(r, "extension_approver", required=False),
        pausable=frozenset(pausable),
        counts_from=_text(r, "counts_from", required=False) or "acceptance",
        acceptance_limit=acceptance_limit,
        correction_restarts=bool(r.get("correction_restarts", bool, required=False)),
        valid_from=_date(r, "valid_from", json),
        valid_until=_date(r, "valid_until", json),
        confirmed=True if confirmed is None else confirmed,
        source=_text(r, "source", required=False) or source,
        note=_text(r, "note", required=False),
        deemed_acceptance=_deemed_acceptance(r),
        deemed_after_correction=bool(r.get("deemed_after_correction", bool, required=False)),
        correction_pauses=bool(r.get("correction_pauses", bool, required=False)),
        in_force_by=_text(r, "in_force_by", required=False) or "receipt",
        **{
            name: _text(r, name, required=False)
            for name in ("delivery_rule", "hearing_rule", "renewal_rule", "simplified_rule")
        },
    )


def _deemed_acceptance(r: Reader) -> str | None:
    """``deemed_acceptance``: ``"arrival"`` when absent, ``None`` when ``"none"``."""
    value = _text(r, "deemed_acceptance", required=False)
    return "arrival" if value is None else None if value == "none" else value


_FIELDS: Mapping[str, tuple[str, ...]] = {
    "unit": ("code", "name", "stationed"),
    "window": ("code", "name", "units", "comprehensive"),
    "staff": ("code", "name", "window"),
    "matter": tuple(a.name for a in attrs.fields(Matter)),
    "bundle": tuple(a.name for a in attrs.fields(Bundle)),
}


def load_catalogue(path: str | Path, *, rules: RuleBook = BUILTIN_RULES) -> Catalogue:
    """Load and check a catalogue file (TOML; JSON if the name ends in ``.json``).

    The file's ``[[rule]]`` tables are added to *rules* (replacing a rule of
    the same id and validity).  Nothing is half-loaded: the result is a complete,
    consistent catalogue, or an exception.

    Args:
        path: the file.
        rules: the rules its matters may cite; the built-in rules by default.

    Raises:
        DataFileError: naming the file, the record (e.g. ``matter MR-001``), the
            field and the offending value: a missing file, bad TOML, an unknown
            field, a wrong type, a duplicate code, an unknown unit, window,
            matter, kind or rule, a promised limit longer than the statutory one…

    Example:
        >>> from govservice.model import load_catalogue
        >>> cat = load_catalogue("tests/data/catalogue_small.toml")  # doctest: +SKIP
        >>> cat.matter("MR-001").statutory.rule  # doctest: +SKIP
        'alicensing.decision'

    .. versionadded:: 0.1

    """
    json = Path(path).suffix.lower() == ".json"
    return catalogue_from_document(read_document(path), source=path, rules=rules, json=json)


def catalogue_from_document(
    doc: Mapping[str, Any],
    *,
    source: str | Path,
    rules: RuleBook = BUILTIN_RULES,
    json: bool = True,
) -> Catalogue:
    """Check and build a catalogue from a parsed document (the file's shape).

    :func:`load_catalogue` reads a file and calls this; a store keeps its
    catalogue as the document of :func:`catalogue_to_document` and loads it
    back with this.

    Args:
        doc: the parsed TOML or JSON document.
        source: where it came from, for error messages.
        rules: the rules its matters may cite.
        json: dates are ISO strings (JSON) rather than TOML dates.

    Raises:
        DataFileError: as :func:`load_catalogue`.

    .. versionadded:: 0.1
    """
    path = str(source)
    top = Reader(path, "top level", doc, (*_FIELDS, "rule", "fee"))

    local: dict[tuple[str, date | None, date | None], TimeLimitRule] = {}
    for i, raw in enumerate(_records(top, "rule"), start=1):
        r = Reader(path, f"rule record {i}", raw, _RULE_FIELDS)
        try:
            rule = _read_rule(r, path, json)
        except ModelError as e:
            raise _file_error(path, r.record, e) from None
        key = (rule.id, rule.valid_from, rule.valid_until)
        if key in local:
            raise r.fail(
                "id",
                rule.id,
                Message(
                    N_("the same rule and validity (%(validity)s) twice"),
                    {"validity": rule.validity},
                ),
            )
        local[key] = rule
    try:
        book = rules.with_rules(local.values())
    except ModelError as e:
        raise _file_error(path, None, e) from None

    parsers: dict[str, Any] = {
        "unit": _read_unit,
        "window": _read_window,
        "staff": _read_staff,
        "matter": _read_matter,
        "bundle": _read_bundle,
    }
    parts: dict[str, dict[str, Any]] = {}
    for kind, parse in parsers.items():
        parts[kind] = {}
        for i, raw in enumerate(_records(top, kind), start=1):
            r = Reader(path, f"{kind} record {i}", raw, _FIELDS[kind])
            try:
                item = parse(r)
            except ModelError as e:
                raise _file_error(path, r.record, e) from None
            if item.code in parts[kind]:
                raise r.fail(
                    "code",
                    item.code,
                    Message(N_("duplicate code (another %(kind)s has it)"), {"kind": kind}),
                )
            parts[kind][item.code] = item
    fees = _read_fees(top, path, parts)
    try:
        return Catalogue(
            units=parts["unit"],
            windows=parts["window"],
            staff=parts["staff"],
            matters=parts["matter"],
            bundles=parts["bundle"],
            fees=fees,
            rules=book,
            source=path,
        )
    except ModelError as e:
        raise _file_error(path, None, e) from None


def _read_fees(top: Reader, path: str, parts: Mapping[str, Mapping[str, Any]]) -> list[FeeSchedule]:
    """The ``[[fee]]`` records as one schedule per matter, items in file order."""
    items: dict[str, list[Any]] = {}
    owners: dict[str, str] = {}
    for i, raw in enumerate(_records(top, "fee"), start=1):
        r = Reader(path, f"fee record {i}", raw, FEE_RECORD_FIELDS)
        matter, item = read_fee_record(r)
        if matter not in parts["matter"]:
            raise r.fail(
                "matter",
                matter,
                Message(N_("unknown matter (%(value)s)"), {"value": _known(parts["matter"])}),
            )
        if item.code in owners:
            raise r.fail(
                "code",
                item.code,
                Message(
                    N_("duplicate code (another fee has it, of matter %(value)s)"),
                    {"value": owners[item.code]},
                ),
            )
        if item.collected_by is not None and item.collected_by not in parts["unit"]:
            raise r.fail(
                "collected_by",
                item.collected_by,
                Message(N_("unknown unit (%(value)s)"), {"value": _known(parts["unit"])}),
            )
        owners[item.code] = matter
        items.setdefault(matter, []).append(item)
    return [FeeSchedule(matter, tuple(its), source=path) for matter, its in items.items()]


def _limit_doc(limit: TimeLimit, *, with_rule: bool = True) -> dict[str, Any]:
    doc: dict[str, Any] = {limit.unit.value: limit.amount}
    if with_rule and limit.rule is not None:
        doc["rule"] = limit.rule
    return doc


def catalogue_to_document(catalogue: Catalogue) -> dict[str, Any]:
    """The catalogue as a JSON-ready document in the catalogue file's shape.

    Rules not built in (local ones from the catalogue or a plugin) are
    included as ``rule`` records; :func:`catalogue_from_document` reads it back
    to an equal catalogue given the same built-in rules.

    .. versionadded:: 0.1
    """

    def drop_none(d: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in d.items() if v is not None}

    rules = []
    for r in catalogue.rules:
        if r.source == "builtin":
            continue
        rules.append(
            drop_none(
                {
                    "id": r.id,
                    "title": r.title,
                    "law": r.law,
                    "article": r.article,
                    "limit": _limit_doc(r.limit, with_rule=False),
                    "max_extension": r.max_extension,
                    "extension_approver": r.extension_approver,
                    "pausable": sorted(r.pausable),
                    "counts_from": r.counts_from,
                    "acceptance_limit": r.acceptance_limit,
                    "correction_restarts": r.correction_restarts,
                    "valid_from": r.valid_from.isoformat() if r.valid_from else None,
                    "valid_until": r.valid_until.isoformat() if r.valid_until else None,
                    "confirmed": r.confirmed,
                    "source": r.source,
                    "note": r.note,
                    "deemed_acceptance": r.deemed_acceptance or "none",
                    "deemed_after_correction": r.deemed_after_correction,
                    "correction_pauses": r.correction_pauses,
                    "in_force_by": r.in_force_by,
                    **r.companions,
                }
            )
        )
    return {
        "rule": rules,
        "unit": [
            {"code": u.code, "name": u.name, "stationed": u.stationed}
            for u in catalogue.units.values()
        ],
        "window": [
            {
                "code": w.code,
                "name": w.name,
                "units": list(w.units),
                "comprehensive": w.comprehensive,
            }
            for w in catalogue.windows.values()
        ],
        "staff": [
            {"code": s.code, "name": s.name, "window": s.window} for s in catalogue.staff.values()
        ],
        "matter": [
            drop_none(
                {
                    "code": m.code,
                    "name": m.name,
                    "unit": m.unit,
                    "category": m.category,
                    "kind": m.kind.value,
                    "statutory": _limit_doc(m.statutory),
                    "promised": _limit_doc(m.promised, with_rule=False) if m.promised else None,
                    "authorized": m.authorized,
                    "stationed": m.stationed,
                    "windows": list(m.windows),
                }
            )
            for m in catalogue.matters.values()
        ],
        "bundle": [
            {
                "code": b.code,
                "name": b.name,
                "matters": list(b.matters),
                "lead": b.lead,
                "limit": _limit_doc(b.limit),
            }
            for b in catalogue.bundles.values()
        ],
        "fee": [fee_record(s.matter, item) for s in catalogue.fees.values() for item in s.items],
    }


def _records(top: Reader, kind: str) -> list[Any]:
    value = top.get(kind, list, required=False)
    return [] if value is None else value
