"""Scenarios from TOML (or JSON) files, with errors naming file, record, field and value.

A scenario file::

    name = "after Spring Festival"
    warmup = 0                     # working days (a hall) or time (no hall)

    [hall]                         # leave out for a continuous-time network
    start = 2026-02-24
    days = 5
    last_ticket = 15               # minutes before closing when tickets stop
    sessions = [["09:00", "12:00"], ["13:30", "17:30"]]
    catalogue = "catalogue.toml"   # relative to this file
    timezone = "Asia/Shanghai"     # optional; must agree with a centre file's
    provisional = true             # optional: days in years without official data are
                                   # estimated, marked (--provisional on the command line)

    [[class]]
    name = "business"
    route = "triage"
    matter = "MR-001"
    walk_in = { per_day = 120, hourly = { 9 = 2, 10 = 3, 14 = 2 }, surge = { days = 5 } }
    appointments = { slot_minutes = 30, per_slot = 2, no_show = 0.1 }
    priority = 1                   # served before classes of lower priority (default 0)
    patience = { exponential = 25 }               # leaves the queue after this (optional)
    baulk = { queue = 15, wait = 40 }             # does not join a long queue (optional)

    [[station]]
    name = "triage"
    servers = 2
    accepts = false
    service = { exponential = 1.0 }               # minutes in a hall
    next = { by_class = { business = "MR windows" } }
    backup = { servers = 1, call_at = 6, release_at = 1 }   # spare counters (optional)
    dedicated = { business = 1 }   # counters serving a class first (绿色通道, optional)
    staffing = { hourly = { 9 = 2, 10 = 3 }, weekdays = { 0 = { 9 = 3 } } }   # optional

    [[staff]]
    name = "张敏"
    station = "triage"
    breaks = [{ at = "10:30", minutes = 15 }]
    hours = ["09:00", "15:00"]     # the shift (optional)
    dates = [2026-02-24]           # the days worked (optional)
    dedicated = ["business"]       # classes served first (optional)

    [[back_office]]
    matter = "MR-001"
    processing = { lognormal = [5.0, 2.0] }       # working days (the least, with officers)
    limit_scale = 0.667
    officers = 4                   # leave out for unlimited capacity
    per_officer = 1.5              # cases one officer decides in a working day

    [initial]                      # a warm start: what is open at `at` (needs [hall])
    store = "sqlite:///hall.db"    # a store URL; a relative SQLite path is relative to this file
    at = 2026-02-13T18:00:00+08:00 # the instant read, with its offset
    queues = { business = 12 }     # customers waiting at the door on the first day

Without ``[hall]`` give ``customers`` or ``horizon`` and ``poisson = RATE`` per
class.  Service times: ``{ exponential = MEAN }``, ``{ lognormal = [MEAN, SD] }``,
``{ deterministic = T }``, ``{ empirical = [t, …] }``, or a table from class
name (``"*"`` for the rest) to one of those; ``patience`` likewise, from
station name.  ``baulk`` is ``{ queue = N }``, ``{ wait = MINUTES }`` or both,
or a table from station name to one.  ``staffing`` takes ``hourly``,
``weekdays`` (0 Monday … 6 Sunday) and ``dates`` (``2026-02-24 = { 9 = 6 }``)
tables of ``{ hour = counters }``.  Routes: a station name,
``{ probabilistic = { station = p, … } }``, ``{ shortest_queue = [names] }``,
``{ by_class = { class = route, … } }``, ``{ return = station }`` (back to the
counter that served him there), ``{ by_visit = [route, …] }`` (after the
first visit, the second, …; ``"exit"`` leaves).  A ``[plan]`` table is read
by :func:`~govservice.sim.load_plan` and left alone here.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from govservice._toml import Reader, read_document
from govservice.calendars import OpeningHours, Schedule
from govservice.centre_file import relative_store_url
from govservice.exceptions import DataFileError, GovServiceError, message_of
from govservice.model import load_catalogue
from govservice.sim.distributions import (
    Deterministic,
    Distribution,
    Empirical,
    Exponential,
    Lognormal,
)
from govservice.sim.errors import ScenarioError
from govservice.sim.scenario import (
    Appointments,
    BackOffice,
    Backup,
    Baulk,
    Break,
    ByClass,
    ByVisit,
    CustomerClass,
    DailyProfile,
    Hall,
    Poisson,
    Probabilistic,
    Return,
    Route,
    Scenario,
    ShortestQueue,
    Staffing,
    StaffMember,
    Station,
    Surge,
)
from govservice.sim.warm import WarmStart, warm_start
from govservice.text import N_, Message

if TYPE_CHECKING:
    from govservice.center import ServiceCenter

__all__ = ["load_scenario", "scenario_from_document"]

_DISTS = ("exponential", "lognormal", "deterministic", "empirical")


def _refused(
    r: Reader, field: str | None, e: ScenarioError, whole: Any, *, own: bool
) -> DataFileError:
    """*e* in the file's terms, its value shown once.

    With *own*: *field* with *e*'s own value and reason; else *field* with
    *whole*, the value of the record or table, and *e*'s message.
    """
    if own:  # a validator's reason leaves its value out; another error's message shows it
        return r.fail(field, e.value, e.reason, shown=e.reason is e.message)
    return r.fail(field, whole, message_of(e))


def _distribution(r: Reader, field: str, value: Any) -> Distribution:
    if not isinstance(value, dict) or len(value) != 1 or next(iter(value)) not in _DISTS:
        raise r.fail(
            field,
            value,
            Message(N_("expected one of { %(value)s = … }"), {"value": " | ".join(_DISTS)}),
        )
    kind, arg = next(iter(value.items()))
    try:
        if kind == "exponential":
            return Exponential(arg)
        if kind == "deterministic":
            return Deterministic(arg)
        if kind == "empirical":
            return Empirical(arg)
        mean, sd = arg
        return Lognormal(mean, sd)
    except (ScenarioError, TypeError, ValueError) as e:
        raise r.fail(field, value, message_of(e)) from None


def _service(r: Reader, value: Any) -> Any:
    if isinstance(value, dict) and value and next(iter(value)) not in _DISTS:
        return {k: _distribution(r, f"service.{k}", v) for k, v in value.items()}
    return _distribution(r, "service", value)


def _route(r: Reader, field: str, value: Any) -> Route:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, dict) and len(value) == 1:
        kind, arg = next(iter(value.items()))
        try:
            if kind == "return" and isinstance(arg, str):
                return Return(arg)
            if kind == "by_visit" and isinstance(arg, list):
                return ByVisit(
                    [
                        None if v == "exit" else _route(r, f"{field}.by_visit[{i}]", v)
                        for i, v in enumerate(arg)
                    ]
                )
            if kind == "probabilistic" and isinstance(arg, dict):
                return Probabilistic(arg)
            if kind == "shortest_queue" and isinstance(arg, list):
                return ShortestQueue(arg)
            if kind == "by_class" and isinstance(arg, dict):
                default = arg.get("*")
                return ByClass(
                    {k: _route(r, f"{field}.{k}", v) for k, v in arg.items() if k != "*"},
                    _route(r, f"{field}.*", default),
                )
        except (ScenarioError, TypeError, ValueError) as e:
            raise r.fail(field, value, message_of(e)) from None
    raise r.fail(
        field,
        value,
        N_(
            "expected a station name or "
            "{ probabilistic | shortest_queue | by_class | return | by_visit = … }"
        ),
    )


def _per_station(r: Reader, field: str, value: Any, one: Any, is_one: Any) -> Any:
    """One rule for every station, or a table from station name to it."""
    if not isinstance(value, dict):
        raise r.fail(field, value, N_("expected a table"))
    if is_one(value):
        return one(r, field, value)
    return {k: one(r, f"{field}.{k}", v) for k, v in value.items()}


def _baulk(r: Reader, field: str, value: Any) -> Baulk:
    if not isinstance(value, dict):
        raise r.fail(field, value, N_("expected a table { queue = …, wait = … }"))
    for k, v in value.items():
        if k not in ("queue", "wait"):
            raise r.fail(f"{field}.{k}", v, N_("unknown field (known: queue, wait)"))
    try:
        return Baulk(**value)
    except ScenarioError as e:
        raise _refused(r, f"{field}.{e.field}" if e.field else field, e, value, own=True) from None


def _staffing(r: Reader, value: Any) -> Staffing | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise r.fail(
            "staffing", value, N_("expected a table { hourly = …, weekdays = …, dates = … }")
        )
    for k, v in value.items():
        if k not in ("hourly", "weekdays", "dates"):
            raise r.fail(f"staffing.{k}", v, N_("unknown field (known: dates, hourly, weekdays)"))
    try:
        return Staffing(
            value.get("hourly", {}),
            weekdays=value.get("weekdays", {}),
            dates=value.get("dates", {}),
        )
    except (ScenarioError, TypeError, ValueError) as e:
        raise r.fail("staffing", value, message_of(e)) from None


def _backup(r: Reader, value: Any) -> Backup | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise r.fail("backup", value, N_("expected a table { servers = …, call_at = … }"))
    known = ("servers", "call_at", "release_at")
    for k, v in value.items():
        if k not in known:
            raise r.fail(
                f"backup.{k}",
                v,
                Message(N_("unknown field (known: %(value)s)"), {"value": ", ".join(known)}),
            )
    for k in known[:2]:
        if k not in value:
            raise r.fail(f"backup.{k}", None, N_("missing"), shown=True)
    try:
        return Backup(**value)
    except ScenarioError as e:
        field = f"backup.{e.field}" if e.field else "backup"
        raise _refused(r, field, e, value, own=bool(e.field)) from None


def _build(r: Reader, field: str, cls: Any, value: Any) -> Any:
    if not isinstance(value, dict):
        raise r.fail(field, value, N_("expected a table"))
    try:
        return cls(**value)
    except (ScenarioError, TypeError, ValueError) as e:
        raise r.fail(field, value, message_of(e)) from None


def _records(doc: Mapping[str, Any], path: Path | str, key: str) -> list[Any]:
    value = doc.get(key, [])
    if not isinstance(value, list):
        raise DataFileError(path, None, key, value, N_("expected an array of tables ([[…]])"))
    return value


def scenario_from_document(
    doc: Mapping[str, Any],
    path: Path | str = "<document>",
    *,
    entrypoints: bool = True,
    center: ServiceCenter | None = None,
) -> Scenario:
    """Build a scenario from a parsed scenario document (the TOML layout above).

    A scenario counts as its centre counts: the hall is on *center*'s
    calendar (the national data with its plugins' years and local
    adjustments), the catalogue is read with its time-limit rules, and
    ``[initial]``'s store is opened by it.  ``[hall]``'s ``timezone`` and
    ``provisional``, if given, must agree with the centre's.  Without a
    centre, one with the national defaults in ``[hall]``'s ``timezone`` and
    ``provisional`` setting counts (``entrypoints=False``: without the
    installed generic plugins either).

    Raises:
        DataFileError: naming the file, record, field and value.

    .. versionadded:: 0.1
    """
    top = Reader(
        path,
        "top level",
        dict(doc),
        (
            "name",
            "warmup",
            "customers",
            "horizon",
            "hall",
            "class",
            "station",
            "staff",
            "back_office",
            "initial",
            "plan",
        ),
    )
    base = Path(path).parent if isinstance(path, Path) else Path(".")
    hall = catalogue = None
    if "hall" in doc:
        h = Reader(
            path,
            "hall",
            doc["hall"],
            ("start", "days", "last_ticket", "sessions", "catalogue", "provisional", "timezone"),
        )
        start = h.get("start", date)
        sessions = h.get("sessions", list, required=False)
        try:
            opening = (
                OpeningHours((Schedule("all year", [tuple(s) for s in sessions]),))
                if sessions is not None
                else OpeningHours.default()
            )
        except (TypeError, ValueError) as e:
            raise h.fail("sessions", sessions, message_of(e)) from None
        center = _center(
            entrypoints,
            center,
            h,
            timezone=h.get("timezone", str, required=False),
            provisional=h.get("provisional", bool, required=False),
        )
        try:
            calendar = center.calendar.hall  # the days the hall opens, its hall days too
        except GovServiceError as e:
            raise h.fail(
                None, doc["hall"], Message(N_("the centre's calendar: %(e)s"), {"e": e})
            ) from None
        try:
            hall = Hall(
                calendar,
                start,
                h.get("days", int),
                opening,
                float(h.get("last_ticket", (int, float), required=False) or 0),
            )
        except ScenarioError as e:
            field = e.field if e.field in doc["hall"] else None
            raise _refused(h, field, e, doc["hall"], own=field is not None) from None
        cat_file = h.get("catalogue", str, required=False)
        if cat_file is not None:
            catalogue = load_catalogue(base / cat_file, rules=center.rules)
    classes = []
    for i, raw in enumerate(_records(doc, path, "class")):
        r = Reader(
            path,
            f"class {i + 1}",
            raw,
            (
                "name",
                "route",
                "matter",
                "walk_in",
                "appointments",
                "poisson",
                "patience",
                "baulk",
                "priority",
            ),
        )
        patterns: list[Any] = []
        if "walk_in" in raw:
            walk = dict(r.get("walk_in", dict))
            if "surge" in walk:
                walk["surge"] = _build(r, "walk_in.surge", Surge, walk["surge"])
            patterns.append(_build(r, "walk_in", DailyProfile, walk))
        if "appointments" in raw:
            patterns.append(_build(r, "appointments", Appointments, r.get("appointments", dict)))
        if "poisson" in raw:
            rate = r.get("poisson", (int, float))
            try:
                patterns.append(Poisson(rate))
            except ScenarioError as e:
                raise r.fail("poisson", rate, message_of(e)) from None
        if not patterns:
            raise r.fail(None, raw, N_("a class needs walk_in, appointments or poisson"))
        patience = baulk = None
        if "patience" in raw:
            patience = _per_station(
                r,
                "patience",
                raw["patience"],
                _distribution,
                lambda v: len(v) == 1 and next(iter(v)) in _DISTS,
            )
        if "baulk" in raw:
            baulk = _per_station(
                r,
                "baulk",
                raw["baulk"],
                _baulk,
                lambda v: set(v) <= {"queue", "wait"},
            )
        try:
            classes.append(
                CustomerClass(
                    r.get("name", str),
                    patterns,
                    _route(r, "route", raw.get("route")),
                    r.get("matter", str, required=False),
                    patience=patience,
                    baulk=baulk,
                    priority=r.get("priority", int, required=False) or 0,
                )
            )
        except ScenarioError as e:
            raise _refused(r, e.field, e, raw, own=bool(e.field)) from None
    stations = []
    for i, raw in enumerate(_records(doc, path, "station")):
        r = Reader(
            path,
            f"station {i + 1}",
            raw,
            (
                "name",
                "servers",
                "service",
                "next",
                "accepts",
                "requires",
                "backup",
                "dedicated",
                "staffing",
            ),
        )
        backup = _backup(r, raw.get("backup"))
        staffing = _staffing(r, raw.get("staffing"))
        try:
            stations.append(
                Station(
                    r.get("name", str),
                    raw.get("servers", 1),
                    service=_service(r, r.get("service", dict)),
                    next=_route(r, "next", raw.get("next")),
                    accepts=raw.get("accepts", True),
                    requires=r.get("requires", list, required=False) or (),
                    backup=backup,
                    dedicated=r.get("dedicated", dict, required=False) or {},
                    staffing=staffing,
                )
            )
        except ScenarioError as e:
            field = e.field if e.field in ("dedicated", "servers") else None
            raise _refused(r, field, e, raw, own=field is not None) from None
    staff = []
    for i, raw in enumerate(_records(doc, path, "staff")):
        r = Reader(
            path,
            f"staff {i + 1}",
            raw,
            (
                "name",
                "station",
                "skills",
                "sessions",
                "weekdays",
                "breaks",
                "hours",
                "dates",
                "dedicated",
            ),
        )
        breaks = [
            _build(r, "breaks", Break, b) for b in r.get("breaks", list, required=False) or ()
        ]
        hours = r.get("hours", list, required=False)
        dates = r.dates("dates", required=False) or None
        try:
            staff.append(
                StaffMember(
                    r.get("name", str),
                    r.get("station", str),
                    r.get("skills", list, required=False) or (),
                    r.get("sessions", list, required=False),
                    r.get("weekdays", list, required=False),
                    breaks,
                    hours=hours,
                    dates=dates,
                    dedicated=r.get("dedicated", list, required=False) or (),
                )
            )
        except ScenarioError as e:
            raise r.fail("hours", hours, message_of(e)) from None
    back = []
    for i, raw in enumerate(_records(doc, path, "back_office")):
        r = Reader(
            path,
            f"back_office {i + 1}",
            raw,
            ("matter", "processing", "limit_scale", "officers", "per_officer"),
        )
        fields = {
            "matter": r.get("matter", str),
            "processing": _distribution(r, "processing", r.get("processing", dict)),
        }
        for name, kind in (
            ("limit_scale", (int, float)),
            ("officers", int),
            ("per_officer", (int, float)),
        ):
            value = r.get(name, kind, required=False)
            if value is not None:
                fields[name] = value if name == "officers" else float(value)
        try:
            back.append(BackOffice(**fields))
        except ScenarioError as e:
            raise _refused(r, e.field, e, None, own=True) from None
    initial = None
    if "initial" in doc:
        center = center or _center(entrypoints, None, top)
        initial = _initial(doc, path, base, classes, center)
    try:
        return Scenario(
            stations,
            classes,
            hall,
            staff,
            back,
            catalogue,
            horizon=top.get("horizon", (int, float), required=False),
            customers=top.get("customers", int, required=False),
            warmup=float(top.get("warmup", (int, float), required=False) or 0),
            name=top.get("name", str, required=False) or Path(path).stem,
            initial=initial,
        )
    except ScenarioError as e:
        if e.field is not None and e.field.startswith("initial"):
            field, value = e.field.removeprefix("initial").lstrip(".") or None, e.value
            if field == "cases":  # the cases come from the store
                field, value = "store", doc["initial"].get("store")
            raise DataFileError(path, "initial", field, value, message_of(e)) from None
        raise DataFileError(path, "scenario", None, None, message_of(e)) from None


def _center(
    entrypoints: bool, center: ServiceCenter | None, r: Reader, **settings: Any
) -> ServiceCenter:
    """The centre a scenario counts with: *center*, else one with the national defaults."""
    given = {k: v for k, v in settings.items() if v is not None}
    if center is None:
        from govservice.center import ServiceCenter

        return ServiceCenter(entrypoints=entrypoints, **given)
    for field, value in given.items():
        if getattr(center, field) != value:
            raise r.fail(
                field,
                value,
                Message(
                    N_(
                        "the centre %(name)r counts with %(field)s = %(value)r, and a scenario "
                        "counts as its centre does: change it in the centre file"
                    ),
                    {"name": center.name, "field": field, "value": getattr(center, field)},
                ),
            )
    return center


def _initial(
    doc: Mapping[str, Any],
    path: Path | str,
    base: Path,
    classes: list[CustomerClass],
    center: ServiceCenter,
) -> WarmStart:
    """The ``[initial]`` table: the open cases of a store at an instant, and queues."""
    r = Reader(path, "initial", doc["initial"], ("store", "at", "queues"))
    url = r.get("store", str)
    at = r.get("at", (datetime, str))
    if isinstance(at, datetime) and at.utcoffset() is None:
        raise r.fail(
            "at", at, N_("expected an instant with its offset, e.g. 2026-02-13T18:00:00+08:00")
        )
    queues = r.get("queues", dict, required=False) or {}
    names = [c.name for c in classes]
    for k in queues:
        if k not in names:
            raise r.fail(
                "queues",
                k,
                Message(N_("no such class (classes: %(value)s)"), {"value": ", ".join(names)}),
            )
    resolved = relative_store_url(url, base)
    if resolved.startswith("sqlite:///"):
        file = Path(resolved[len("sqlite:///") :].split("?", 1)[0])
        if not file.is_file():
            raise r.fail("store", url, Message(N_("no such SQLite file: %(file)s"), {"file": file}))
    try:
        store = center.open_store(resolved, readonly=True)
    except GovServiceError as e:
        raise r.fail("store", url, message_of(e)) from None
    with store:
        try:
            return warm_start(store, at, queues=queues)
        except ScenarioError as e:
            field = e.field if e.field == "at" or str(e.field).startswith("queues") else None
            raise r.fail(field, e.value if field else doc["initial"], message_of(e)) from None
        except GovServiceError as e:
            raise r.fail("store", url, message_of(e)) from None


def load_scenario(
    path: Path | str, *, entrypoints: bool = True, center: ServiceCenter | None = None
) -> Scenario:
    """Load a scenario from a TOML (or ``.json``) file.

    Counted as *center* counts (see :func:`scenario_from_document`).

    Raises:
        DataFileError: naming the file, record, field and value.

    .. versionadded:: 0.1
    """
    p = Path(path)
    return scenario_from_document(read_document(p), p, entrypoints=entrypoints, center=center)
