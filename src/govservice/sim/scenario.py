"""What a simulated hall is made of: arrivals, stations, routing, staff, the back office.

Every piece is a frozen attrs value, so a scenario can be changed with
:func:`attrs.evolve`, pickled to worker processes and compared.  Times are in
*minutes* in a hall (a scenario with a :class:`Hall`) and in free units in a
plain continuous-time network (no hall), as in queueing theory.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date, time, timedelta
from typing import Any, TypeAlias

import attrs

from govservice.calendars import OpeningHours, WorkingDayCalendar
from govservice.model import Catalogue
from govservice.sim._checks import (
    MAX_ARRIVALS,
    MAX_COUNT,
    MAX_CUSTOMERS,
    integer_from,
    is_count,
    non_empty,
    non_negative,
    optional,
    positive,
    probability,
)
from govservice.sim.distributions import Distribution
from govservice.sim.errors import ScenarioError
from govservice.sim.warm import WarmStart
from govservice.text import N_, Message

__all__ = [
    "Appointments",
    "BackOffice",
    "Backup",
    "Baulk",
    "Break",
    "ByClass",
    "ByVisit",
    "CustomerClass",
    "DailyProfile",
    "Hall",
    "Poisson",
    "Probabilistic",
    "Return",
    "Route",
    "Scenario",
    "ShortestQueue",
    "StaffMember",
    "Staffing",
    "Station",
    "Surge",
]


def _is_distribution(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, Distribution):
        raise ScenarioError(
            Message(
                N_("'%(name)s' must have a sample(rng, size) method (got %(value)r)"),
                {"name": attribute.name, "value": value},
            )
        )


# ------------------------------------------------------------------ arrivals


@attrs.frozen
class Poisson:
    """Arrivals at a constant rate, in continuous time (a network without a hall).

    .. versionadded:: 0.1
    """

    rate: float = attrs.field(validator=positive)


@attrs.frozen
class Surge:
    """More arrivals on the first working days after a long holiday (节后高峰).

    Args:
        days: how many working days the surge lasts.
        factor: the arrival rate is multiplied by this on those days.
        min_days_off: a run of at least this many consecutive days off counts
            as a long holiday (3 for 清明/端午/中秋 breaks; 7 for Spring Festival).

    .. versionadded:: 0.1
    """

    days: int = attrs.field(default=5, validator=integer_from(1))
    factor: float = attrs.field(default=1.5, validator=positive)
    min_days_off: int = attrs.field(default=3, validator=integer_from(1))


def _convert_factors(value: Any, n: int) -> tuple[float, ...]:
    if isinstance(value, Mapping):
        out = [0.0 if n == 24 else 1.0] * n
        for k, v in value.items():
            i = int(k)
            if not 0 <= i < n:
                raise ScenarioError(
                    Message(N_("key %(k)r is out of range 0–%(value)s"), {"k": k, "value": n - 1})
                )
            out[i] = float(v)
        value = out
    values = tuple(float(v) for v in value)
    if len(values) != n:
        raise ScenarioError(
            Message(N_("expected %(n)s factors (got %(count)s)"), {"n": n, "count": len(values)})
        )
    if any(not (math.isfinite(v) and v >= 0) for v in values):
        raise ScenarioError(
            Message(
                N_("factors must be finite and non-negative (got %(values)s)"), {"values": values}
            )
        )
    return values


def _hourly(value: Any) -> tuple[float, ...]:
    return _convert_factors(value, 24)


def _weekday(value: Any) -> tuple[float, ...]:
    return _convert_factors(value, 7)


@attrs.frozen
class DailyProfile:
    """Walk-in arrivals on working days, by hour of day and day of week.

    Arrivals are a Poisson process whose rate is constant within each hour;
    nobody arrives while the hall is closed or after the last ticket.

    Args:
        per_day: the expected arrivals on an ordinary working day.
        hourly: relative weights of the hours of the day, 24 values or a
            mapping ``{hour: weight}`` (missing hours weigh 0); the default
            spreads arrivals evenly over the open hours.
        weekday: factors for Monday … Sunday (a make-up working Saturday uses
            Saturday's factor), 7 values or ``{0: …, 4: …}``.
        surge: the surge after long holidays, if any.

    .. versionadded:: 0.1
    """

    per_day: float = attrs.field(validator=non_negative)
    hourly: tuple[float, ...] = attrs.field(default=(1.0,) * 24, converter=_hourly)
    weekday: tuple[float, ...] = attrs.field(default=(1.0,) * 7, converter=_weekday)
    surge: Surge | None = None

    def __attrs_post_init__(self) -> None:
        peak = self.per_day * max(self.weekday) * (self.surge.factor if self.surge else 1.0)
        if peak > MAX_ARRIVALS:
            raise ScenarioError(
                Message(
                    N_(
                        "'per_day' %(per_day)s brings up to %(peak)s arrivals a day with the "
                        "weekday and surge factors: at most %(max_arrivals)s"
                    ),
                    {
                        "per_day": f"{self.per_day:g}",
                        "peak": f"{peak:,.0f}",
                        "max_arrivals": f"{MAX_ARRIVALS:,}",
                    },
                ),
                field="per_day",
                value=self.per_day,
            )


def _a_minute_or_more(instance: Any, attribute: attrs.Attribute[Any], value: float) -> None:
    if value < 1:
        raise ScenarioError(
            Message(
                N_("'%(name)s' must be at least 1 minute (got %(value)r)"),
                {"name": attribute.name, "value": value},
            ),
            field=attribute.name,
            value=value,
        )


@attrs.frozen
class Appointments:
    """Booked arrivals (预约): slots in every session, some places booked, some no-shows.

    Args:
        slot_minutes: the length of a slot.
        per_slot: places per slot.
        booked: the probability that a place is booked.
        no_show: the probability that a booked applicant does not come.
        punctuality: the standard deviation, in minutes, of arrival around the
            slot's start (kept inside the session).

    .. versionadded:: 0.1
    """

    slot_minutes: float = attrs.field(default=30.0, validator=[positive, _a_minute_or_more])
    per_slot: int = attrs.field(default=1, validator=integer_from(1))
    booked: float = attrs.field(default=1.0, validator=probability)
    no_show: float = attrs.field(default=0.1, validator=probability)
    punctuality: float = attrs.field(default=5.0, validator=non_negative)


ArrivalPattern: TypeAlias = Poisson | DailyProfile | Appointments


# ------------------------------------------------------------------- routing


def _targets(value: Any) -> tuple[tuple[str | None, float], ...]:
    items = value.items() if isinstance(value, Mapping) else value
    out = tuple((None if k in (None, "exit") else str(k), float(p)) for k, p in items)
    if any(not (0 <= p <= 1) for _, p in out) or sum(p for _, p in out) > 1 + 1e-9:
        raise ScenarioError(
            Message(
                N_("routing probabilities must be in [0, 1] and sum to at most 1: %(out)s"),
                {"out": out},
            )
        )
    return out


@attrs.frozen
class Probabilistic:
    """Go to each station with its probability; the remainder leaves the hall.

    Example:
        >>> from govservice.sim import Probabilistic
        >>> Probabilistic({"cashier": 0.3}).targets
        (('cashier', 0.3),)

    .. versionadded:: 0.1
    """

    targets: tuple[tuple[str | None, float], ...] = attrs.field(converter=_targets)


def _routes(value: Any) -> tuple[tuple[str, Route], ...]:
    items = value.items() if isinstance(value, Mapping) else value
    return tuple((str(k), r) for k, r in items)


@attrs.frozen
class ByClass:
    """A route for each customer class; classes not named take *default*.

    .. versionadded:: 0.1
    """

    routes: tuple[tuple[str, Route], ...] = attrs.field(converter=_routes)
    default: Route = None


def _names(value: Iterable[str]) -> tuple[str, ...]:
    out = tuple(value)
    if not out or len(set(out)) != len(out):
        raise ScenarioError(
            Message(N_("expected distinct station names (got %(out)s)"), {"out": out})
        )
    return out


@attrs.frozen
class ShortestQueue:
    """Join the station with the fewest customers waiting (ties: the first named).

    The stations of a group are fed only through it.

    .. versionadded:: 0.1
    """

    stations: tuple[str, ...] = attrs.field(converter=_names)


@attrs.frozen
class Return:
    """Back to the counter that served the customer at *station* (回原窗口).

    The returning customer waits for that counter alone, which serves its
    returning customers before its station's queue; one who was not served
    there, or whose counter is off the roster when he comes back, joins the
    station's queue like anyone.  To return to any counter of the station, name
    the station instead.

    Example:
        >>> from govservice.sim import Return
        >>> Return("windows").station
        'windows'

    .. versionadded:: 0.1
    """

    station: str = attrs.field(validator=non_empty)


def _visit_routes(value: Any) -> tuple[Route, ...]:
    out = tuple(value)
    if not out:
        raise ScenarioError(N_("ByVisit needs a route for the first visit at least"))
    return out


@attrs.frozen
class ByVisit:
    """A route for the customer's first visit to this station, another for the second, ….

    Visits after the last route listed take the last one.  With it a customer
    can come back to a station and then leave: the windows send a customer to
    the cashier after the first visit and out after the second.

    Example:
        >>> from govservice.sim import ByVisit, Probabilistic
        >>> ByVisit([Probabilistic({"cashier": 0.3}), None]).routes[1] is None
        True

    .. versionadded:: 0.1
    """

    routes: tuple[Route, ...] = attrs.field(converter=_visit_routes)

    def after(self, visits: int) -> Route:
        """The route after the *visits*-th visit (1 the first)."""
        return self.routes[min(visits, len(self.routes)) - 1]


Route: TypeAlias = str | Probabilistic | ByClass | ShortestQueue | Return | ByVisit | None
"""Where a customer goes next: a station name, a rule, or ``None`` to leave."""


# ------------------------------------------------------------------ stations


def _below_call_at(instance: Backup, attribute: attrs.Attribute[Any], value: int) -> None:
    if value >= instance.call_at:
        raise ScenarioError(
            Message(
                N_("'release_at' must be less than 'call_at' (%(call_at)s) (got %(value)r)"),
                {"call_at": instance.call_at, "value": value},
            ),
            field="release_at",
            value=value,
        )


@attrs.frozen
class Backup:
    """Spare counters called when the queue grows (a back-office clerk comes to the front).

    The rule, applied at each arrival at the station, in order of arrival and
    only while the hall is open (a session):

    1. *Release.*  Every open spare counter that has finished all its
       customers closes, as of the end of its last service, if at most
       *release_at* customers are waiting when this customer arrives (him not
       counted).  The decision is taken at the next arrival, not at the end of
       the service: between the two the queue can only shrink, so a spare may
       close where a decision at the end of its service would have kept it.
    2. *Call.*  If every open counter is busy, at least *call_at* customers
       would be waiting (him included), fewer than *servers* spares are open,
       and a spare could serve him before the session closes, a spare opens
       now and serves him at once.
    3. *Service.*  He goes to the open counter where he starts first (a tie
       goes to the station's own counters); a spare takes him only if it can
       finish him by closing time, so spares never serve outside opening
       hours.  All spares close at the end of each session.

    Each customer's start is fixed when he arrives, so the customers already
    waiting keep their places: with ``call_at > 1`` the calling customer
    overtakes the ``call_at - 1`` who wait, and a spare that finishes while
    customers wait for the station's own counters serves the next arrival,
    not them.  With ``call_at = 1`` and ``release_at = 0`` service is first
    come, first served, and the spares behave exactly as extra counters that
    stand idle while closed (c counters and one such spare give the waits of
    c + 1 counters).  Spare counters are anonymous and numbered after the
    station's ``servers`` counters (``#servers+1`` …, also with named staff).

    Args:
        servers: how many spare counters can be open at once.
        call_at: the queue, the arriving customer included, that calls a
            spare.
        release_at: the queue at or below which an idle spare closes (less
            than *call_at*).

    .. versionadded:: 0.1
    """

    servers: int = attrs.field(validator=integer_from(1))
    call_at: int = attrs.field(validator=integer_from(1))
    release_at: int = attrs.field(default=0, validator=[integer_from(0), _below_call_at])


def _backup_ok(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and not isinstance(value, Backup):
        raise ScenarioError(
            Message(N_("'backup' must be a Backup or None (got %(value)r)"), {"value": value}),
            field="backup",
            value=value,
        )


def _positive_or_none(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None:
        positive(instance, attribute, value)


def _one_rule(instance: Baulk, attribute: attrs.Attribute[Any], value: Any) -> None:
    if instance.queue is None and instance.wait is None:
        raise ScenarioError(N_("a Baulk needs 'queue', 'wait' or both"), field="queue", value=None)


@attrs.frozen
class Baulk:
    """Customers who do not join a long queue (baulking).

    A customer arriving at the station leaves the hall at once if *queue* or
    more customers are waiting there (what the calling screen shows), or if
    the announced wait is at least *wait* minutes.  One coming back to a
    station he was served at (after the cashier, say) has his ticket and
    does not baulk there.  The announced wait is the
    calling system's estimate: the customers waiting, times the mean service
    time of the customers who took a ticket at the station before him,
    divided by the counters open.

    Args:
        queue: the queue (customers waiting, him not counted) that turns
            him away, or ``None``.
        wait: the announced wait that turns him away, or ``None``.

    Example:
        >>> from govservice.sim import Baulk
        >>> Baulk(queue=12).wait is None
        True

    .. versionadded:: 0.1
    """

    queue: int | None = attrs.field(default=None, validator=optional(integer_from(1)))
    wait: float | None = attrs.field(default=None, validator=[_positive_or_none, _one_rule])


def _pairs(value: Any, what: str) -> list[tuple[Any, Any]]:
    """The items of a mapping, or of the tuple of pairs it was converted to."""
    if isinstance(value, Mapping):
        return list(value.items())
    if isinstance(value, tuple) and all(isinstance(p, tuple) and len(p) == 2 for p in value):
        return list(value)
    raise ScenarioError(
        Message(N_("expected a mapping %(what)s (got %(value)r)"), {"what": what, "value": value})
    )


def _counts(value: Any) -> tuple[tuple[int, int], ...]:
    out = []
    for k, v in _pairs(value, "{hour: counters}"):
        try:
            hour = int(k)
        except (TypeError, ValueError):
            raise ScenarioError(Message(N_("not an hour of the day: %(k)r"), {"k": k})) from None
        if not 0 <= hour < 24:
            raise ScenarioError(Message(N_("hour %(k)r is out of range 0–23"), {"k": k}))
        if not is_count(v):
            raise ScenarioError(
                Message(
                    N_(
                        "counters at hour %(hour)s must be an integer from 0 to %(max_count)s "
                        "(got %(v)r)"
                    ),
                    {"hour": hour, "max_count": f"{MAX_COUNT:,}", "v": v},
                )
            )
        out.append((hour, v))
    return tuple(sorted(out))


def _tables(value: Any, key: Callable[[Any], Any]) -> tuple[tuple[Any, Any], ...]:
    pairs = _pairs(value, "of {hour: counters} tables")
    return tuple(sorted((key(k), _counts(v)) for k, v in pairs))


def _weekday_key(value: Any) -> int:
    day = int(value)
    if not 0 <= day < 7:
        raise ScenarioError(
            Message(N_("weekday %(value)r is out of range 0 (Monday)–6 (Sunday)"), {"value": value})
        )
    return day


def _weekday_tables(value: Any) -> tuple[tuple[int, tuple[tuple[int, int], ...]], ...]:
    return _tables(value, _weekday_key)


def _date_tables(value: Any) -> tuple[tuple[date, tuple[tuple[int, int], ...]], ...]:
    return _tables(value, _start_date)


@attrs.frozen
class Staffing:
    """Counters open by hour of the day: every day, by weekday, by date.

    The counters open in an hour are those of the date if it names the hour,
    else those of its weekday if that names it, else those of *hourly*, else
    the station's ``servers``.  Within a session the counters of an hour are
    open from the hour (or the opening) to the next; a counter closing while
    it serves finishes the customer first, and the counters open at closing
    time serve everyone still holding a ticket.  Every hour a session is open
    needs a counter.

    Args:
        hourly: ``{hour: counters}`` for every day.
        weekdays: ``{weekday: {hour: counters}}`` (0 Monday … 6 Sunday).
        dates: ``{date: {hour: counters}}``.

    Example:
        >>> from datetime import date
        >>> from govservice.sim import Staffing
        >>> plan = Staffing({9: 3, 10: 4}, dates={date(2026, 2, 24): {9: 6}})
        >>> plan.counters(date(2026, 2, 24), 9, 2), plan.counters(date(2026, 2, 25), 9, 2)
        (6, 3)
        >>> plan.counters(date(2026, 2, 25), 14, 2)
        2

    .. versionadded:: 0.1
    """

    hourly: tuple[tuple[int, int], ...] = attrs.field(default=(), converter=_counts)
    weekdays: tuple[tuple[int, tuple[tuple[int, int], ...]], ...] = attrs.field(
        default=(), converter=_weekday_tables, kw_only=True
    )
    dates: tuple[tuple[date, tuple[tuple[int, int], ...]], ...] = attrs.field(
        default=(), converter=_date_tables, kw_only=True
    )

    def counters(self, day: date, hour: int, default: int) -> int:
        """The counters open on *day* in *hour*; *default* where nothing is said."""
        for key, table in ((day, self.dates), (day.weekday(), self.weekdays)):
            for k, hours in table:
                if k == key:
                    for h, n in hours:
                        if h == hour:
                            return n
        for h, n in self.hourly:
            if h == hour:
                return n
        return default

    def most(self, default: int) -> int:
        """The most counters open in any hour (*default* counted)."""
        counts = [n for _, n in self.hourly] + [default]
        counts += [n for table in (self.weekdays, self.dates) for _, hs in table for _, n in hs]
        return max(counts)


def _staffing_ok(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and not isinstance(value, Staffing):
        raise ScenarioError(
            Message(N_("'staffing' must be a Staffing or None (got %(value)r)"), {"value": value}),
            field="staffing",
            value=value,
        )


def _dedicated(value: Any) -> tuple[tuple[str, int], ...]:
    items = value.items() if isinstance(value, Mapping) else value
    out = tuple((str(k), n) for k, n in items)
    for k, n in out:
        if not is_count(n, 1):
            raise ScenarioError(
                Message(
                    N_(
                        "dedicated counters of class %(k)r must be an integer from 1 to "
                        "%(max_count)s (got %(n)r)"
                    ),
                    {"k": k, "max_count": f"{MAX_COUNT:,}", "n": n},
                ),
                field="dedicated",
                value=n,
            )
    return out


def _service(value: Any) -> Any:
    if isinstance(value, Mapping):
        return tuple((str(k), v) for k, v in value.items())
    return value


def _service_ok(instance: Station, attribute: attrs.Attribute[Any], value: Any) -> None:
    dists = [d for _, d in value] if isinstance(value, tuple) else [value]
    if isinstance(value, tuple) and not value:
        raise ScenarioError(
            Message(N_("station %(name)r: 'service' names no class"), {"name": instance.name})
        )
    for d in dists:
        if not isinstance(d, Distribution):
            raise ScenarioError(
                Message(
                    N_("station %(name)r: service %(d)r has no sample(rng, size) method"),
                    {"name": instance.name, "d": d},
                )
            )


@attrs.frozen
class Station:
    """A group of identical counters with one queue: triage, windows, cashier.

    Args:
        name: unique within the scenario.
        servers: counters staffed in every session, when the scenario names
            no staff for this station.
        service: the service-time distribution, or a mapping from class name
            to distribution (key ``"*"`` for the other classes).
        next: where customers go after this station (``None``: they leave).
        accepts: cases are submitted and accepted at the first station with
            ``accepts=True`` on a customer's path (set it false for triage
            and the cashier).
        requires: skills a staff member needs to work here.
        speed: state-dependent service — a function of the number of customers
            at the station when a customer arrives (him included) by which his
            service time is divided; it must be picklable for process sweeps.
        backup: spare counters called when the queue grows (:class:`Backup`),
            or ``None``.
        dedicated: ``{class: n}``: the first *n* anonymous counters (after
            those of the classes named before) serve that class first and
            the others when none of it waits (绿色通道); with named staff,
            give ``StaffMember(dedicated=…)`` instead.
        staffing: anonymous counters open by hour (:class:`Staffing`), or
            ``None`` for ``servers`` counters all day.

    Classes of different priorities (``CustomerClass(priority=…)``) meeting at
    a station are served by priority, first come first served within one,
    without interrupting a service.

    .. versionadded:: 0.1
    """

    name: str = attrs.field(validator=non_empty)
    servers: int = attrs.field(default=1, validator=integer_from(1))
    service: Distribution | tuple[tuple[str, Distribution], ...] = attrs.field(
        default=None, converter=_service, validator=_service_ok, kw_only=True
    )
    next: Route = attrs.field(default=None, kw_only=True)
    accepts: bool = attrs.field(default=True, kw_only=True)
    requires: frozenset[str] = attrs.field(default=frozenset(), converter=frozenset, kw_only=True)
    speed: Callable[[int], float] | None = attrs.field(default=None, kw_only=True)
    backup: Backup | None = attrs.field(default=None, validator=_backup_ok, kw_only=True)
    dedicated: tuple[tuple[str, int], ...] = attrs.field(
        default=(), converter=_dedicated, kw_only=True
    )
    staffing: Staffing | None = attrs.field(default=None, validator=_staffing_ok, kw_only=True)

    def service_for(self, cls: str) -> Distribution:
        """The service-time distribution of class *cls* here.

        Raises:
            ScenarioError: the station has no distribution for *cls*.
        """
        if not isinstance(self.service, tuple):
            return self.service
        by = dict(self.service)
        if cls in by:
            return by[cls]
        if "*" in by:
            return by["*"]
        raise ScenarioError(
            Message(
                N_("station %(name)r has no service time for class %(cls)r"),
                {"name": self.name, "cls": cls},
            )
        )


# --------------------------------------------------------------------- staff


def _time_of_day(value: time | str) -> time:
    if isinstance(value, time):
        return value
    try:
        return time.fromisoformat(value)
    except (TypeError, ValueError):
        raise ScenarioError(
            Message(N_("not a time of day (expected HH:MM): %(value)r"), {"value": value})
        ) from None


@attrs.frozen
class Break:
    """A break of *minutes* from *at*, taken once the current customer is served.

    .. versionadded:: 0.1
    """

    at: time = attrs.field(converter=_time_of_day)
    minutes: float = attrs.field(validator=positive)


def _breaks(value: Iterable[Break]) -> tuple[Break, ...]:
    return tuple(value)


def _dates(value: Iterable[Any]) -> tuple[date, ...]:
    return tuple(_start_date(d) for d in value)


def _shift(value: Any) -> tuple[time, time] | None:
    if value is None:
        return None
    try:
        start, end = value
    except (TypeError, ValueError):
        raise ScenarioError(
            Message(N_("a shift is (start, end) (got %(value)r)"), {"value": value})
        ) from None
    out = (_time_of_day(start), _time_of_day(end))
    if out[1] <= out[0]:
        raise ScenarioError(
            Message(N_("a shift must end after it starts (got %(value)r)"), {"value": value})
        )
    return out


@attrs.frozen
class StaffMember:
    """A named member of staff on the roster of one station.

    Args:
        name: unique within the scenario.
        station: where this person works.
        skills: what this person can handle; must include the station's
            ``requires``.
        sessions: indices of the day's sessions worked (0 the morning …);
            ``None``: all.
        weekdays: days of the week worked (0 Monday … 6 Sunday); ``None``: all.
        breaks: breaks within the day.
        hours: the shift, ``(start, end)`` times of day: at the counter only
            within it (the customer being served at its end is finished);
            ``None``: the whole of each session worked.
        dates: the days worked, or ``None``: every day (with *weekdays*).
        dedicated: classes this person serves first, the others when none
            of them waits (绿色通道).

    .. versionadded:: 0.1
    """

    name: str = attrs.field(validator=non_empty)
    station: str = attrs.field(validator=non_empty)
    skills: frozenset[str] = attrs.field(default=frozenset(), converter=frozenset)
    sessions: tuple[int, ...] | None = attrs.field(
        default=None, converter=attrs.converters.optional(tuple)
    )
    weekdays: tuple[int, ...] | None = attrs.field(
        default=None, converter=attrs.converters.optional(tuple)
    )
    breaks: tuple[Break, ...] = attrs.field(default=(), converter=_breaks)
    hours: tuple[time, time] | None = attrs.field(default=None, converter=_shift, kw_only=True)
    dates: tuple[date, ...] | None = attrs.field(
        default=None,
        converter=attrs.converters.optional(_dates),
        kw_only=True,
    )
    dedicated: tuple[str, ...] = attrs.field(default=(), converter=tuple, kw_only=True)

    def works(self, session: int, weekday: int) -> bool:
        """Whether this person is at the counter in *session* on *weekday*."""
        return (self.sessions is None or session in self.sessions) and (
            self.weekdays is None or weekday in self.weekdays
        )

    def works_on(self, day: date, session: int) -> bool:
        """Whether this person works *session* of *day* (the shift's hours aside)."""
        return self.works(session, day.weekday()) and (self.dates is None or day in self.dates)


# ----------------------------------------------------------------- the hall


def _start_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


@attrs.frozen
class Hall:
    """The centre's calendar, opening hours and closing policy.

    Tickets are issued only on working days while a session is open, and no
    later than *last_ticket* minutes before it closes; everyone holding a
    ticket at closing is served (the staff stay on).

    Args:
        calendar: the working-day calendar.
        start: the first day simulated (the first working day on or after it).
        days: the number of working days simulated.
        opening: the opening hours.
        last_ticket: minutes before each closing when tickets stop.

    .. versionadded:: 0.1
    """

    calendar: WorkingDayCalendar
    start: date = attrs.field(converter=_start_date)
    days: int = attrs.field(validator=integer_from(1))
    opening: OpeningHours = attrs.field(factory=OpeningHours.default)
    last_ticket: float = attrs.field(default=0.0, validator=non_negative)


@attrs.frozen
class BackOffice:
    """The processing of a matter's cases after the counter, in working days.

    Without *officers* the back office is a pure delay of unlimited capacity:
    each case is decided *processing* working days after acceptance.  With
    *officers*, *processing* is the least number of working days before a case
    can be decided, and on each working day the back office decides at most
    ``officers * per_officer`` of the cases ready (a fraction of a case is
    carried over to the next day, so 1.5 a day decides 3 every 2 days),
    earliest deadline first: the earliest promised deadline (the statutory
    one for a matter without a promise), then the earliest acceptance, then
    the earliest arrival.  A case still undecided when the run ends is
    *pending*.

    Args:
        matter: the matter code in the catalogue.
        processing: working days from acceptance to decision (rounded up; 0
            decides on the day of acceptance), or, with *officers*, to the
            first day the case can be decided.
        limit_scale: scales the promised limit (e.g. ``2/3`` for a promise cut
            by a third; rounded down to whole working days).
        officers: the staff deciding the matter's cases, or ``None`` for
            unlimited capacity.
        per_officer: the cases one officer decides in a working day.

    .. versionadded:: 0.1
    """

    matter: str = attrs.field(validator=non_empty)
    processing: Distribution = attrs.field(validator=_is_distribution)
    limit_scale: float = attrs.field(default=1.0, validator=positive)
    officers: int | None = attrs.field(default=None, validator=optional(integer_from(1)))
    per_officer: float = attrs.field(default=1.0, validator=positive)

    @property
    def capacity(self) -> float | None:
        """Cases decided per working day at most (``None``: unlimited)."""
        return None if self.officers is None else self.officers * self.per_officer


# ----------------------------------------------------------------- classes


def _patterns(value: Any) -> tuple[ArrivalPattern, ...]:
    out = (value,) if isinstance(value, Poisson | DailyProfile | Appointments) else tuple(value)
    for p in out:
        if not isinstance(p, Poisson | DailyProfile | Appointments):
            raise ScenarioError(Message(N_("not an arrival pattern: %(p)r"), {"p": p}))
    return out


def _by_station(kind: type | Any, what: str) -> Callable[[Any], Any]:
    def convert(value: Any) -> Any:
        if isinstance(value, Mapping | tuple):
            out = tuple((str(k), v) for k, v in _pairs(value, f"from station to {what}"))
            for k, v in out:
                if not isinstance(v, kind):
                    raise ScenarioError(
                        Message(
                            N_("%(what)s at %(k)r must be %(type)s (got %(v)r)"),
                            {"what": what, "k": k, "type": kind.__name__, "v": v},
                        )
                    )
            return out
        if value is not None and not isinstance(value, kind):
            raise ScenarioError(
                Message(
                    N_("%(what)s must be %(type)s or a mapping (got %(value)r)"),
                    {"what": what, "type": kind.__name__, "value": value},
                )
            )
        return value

    return convert


def _patience(value: Any) -> Distribution | tuple[tuple[str, Distribution], ...] | None:
    out: Distribution | tuple[tuple[str, Distribution], ...] | None = _by_station(
        Distribution, "patience"
    )(value)
    return out


def _baulks(value: Any) -> Baulk | tuple[tuple[str, Baulk], ...] | None:
    out: Baulk | tuple[tuple[str, Baulk], ...] | None = _by_station(Baulk, "baulk")(value)
    return out


def _at_station(value: Any, station: str) -> Any:
    if not isinstance(value, tuple):
        return value
    by = dict(value)
    return by.get(station, by.get("*"))


@attrs.frozen
class CustomerClass:
    """A kind of customer: how they arrive, where they go first, what they apply for.

    Args:
        name: unique within the scenario.
        arrivals: one arrival pattern or several mixed (walk-ins and
            appointments).
        route: where they go on arrival.
        matter: the matter their cases are for, if they leave a case behind.
        patience: how long they wait in a queue before leaving the hall
            (reneging): a distribution drawn afresh at every queue, or a
            mapping from station name to distribution (``"*"`` for the
            others; stations not named: no limit); ``None``: no limit.  A
            customer whose service would start after his patience has run
            out leaves when it does.
        baulk: when they do not join a queue at all (:class:`Baulk`), or a
            mapping from station name to it (``"*"`` for the others).
        priority: customers of a higher priority are served first where
            classes of different priorities meet (appointments before
            walk-ins, 绿色通道), without interrupting a service.

    .. versionadded:: 0.1
    """

    name: str = attrs.field(validator=non_empty)
    arrivals: tuple[ArrivalPattern, ...] = attrs.field(converter=_patterns)
    route: Route = None
    matter: str | None = None
    patience: Distribution | tuple[tuple[str, Distribution], ...] | None = attrs.field(
        default=None, converter=_patience, kw_only=True
    )
    baulk: Baulk | tuple[tuple[str, Baulk], ...] | None = attrs.field(
        default=None, converter=_baulks, kw_only=True
    )
    priority: int = attrs.field(
        default=0, validator=integer_from(-(2**31), 2**31 - 1), kw_only=True
    )

    def patience_at(self, station: str) -> Distribution | None:
        """The patience distribution at *station* (``None``: no limit)."""
        out: Distribution | None = _at_station(self.patience, station)
        return out

    def baulk_at(self, station: str) -> Baulk | None:
        """The baulking rule at *station* (``None``: always joins)."""
        out: Baulk | None = _at_station(self.baulk, station)
        return out


# ------------------------------------------------------------------ scenario


def _tuple(value: Iterable[Any]) -> tuple[Any, ...]:
    return tuple(value)


@attrs.frozen
class Scenario:
    """Everything a run needs, checked for consistency when built.

    A scenario with a *hall* runs on the calendar (times in minutes); one
    without runs in continuous time until *horizon* or until *customers* have
    arrived — a plain M/M/c station for validation is a scenario of one
    station and one :class:`Poisson` class.

    Args:
        stations: the stations.
        classes: the customer classes.
        hall: the calendar, opening hours and closing policy, or ``None``.
        staff: named staff; a station without any uses ``servers`` anonymous
            counters.
        back_office: processing after the counter, per matter.
        catalogue: the matters (needed for cases and their limits).
        horizon: continuous time: arrivals stop at this time.
        customers: continuous time: arrivals stop after this many.
        warmup: time (continuous) or working days (hall) left out of the
            statistics.
        name: a label for reports.
        initial: the open cases and the customers waiting at the door to
            start from (:func:`~govservice.sim.warm_start`), or ``None`` for
            an empty hall and an idle back office; needs a hall and a
            catalogue.

    Raises:
        ScenarioError: naming the inconsistency.

    .. versionadded:: 0.1
    """

    stations: tuple[Station, ...] = attrs.field(converter=_tuple)
    classes: tuple[CustomerClass, ...] = attrs.field(converter=_tuple)
    hall: Hall | None = None
    staff: tuple[StaffMember, ...] = attrs.field(default=(), converter=_tuple)
    back_office: tuple[BackOffice, ...] = attrs.field(default=(), converter=_tuple)
    catalogue: Catalogue | None = attrs.field(default=None, eq=False)
    horizon: float | None = attrs.field(default=None, validator=optional(positive))
    customers: int | None = attrs.field(
        default=None, validator=optional(integer_from(1, MAX_CUSTOMERS))
    )
    warmup: float = attrs.field(default=0.0, validator=non_negative)
    name: str = "scenario"
    initial: WarmStart | None = attrs.field(default=None, kw_only=True)

    def __attrs_post_init__(self) -> None:
        _check(self)

    def station(self, name: str) -> Station:
        """The station called *name*."""
        for s in self.stations:
            if s.name == name:
                return s
        raise ScenarioError(Message(N_("no station %(name)r"), {"name": name}))


def _route_targets(route: Route, cls: str | None = None) -> Iterator[str | tuple[str, ...]]:
    """The stations (a tuple for a shortest-queue group) *route* may send to; of class *cls*."""
    if route is None:
        return
    if isinstance(route, str):
        yield route
    elif isinstance(route, Return):
        yield route.station
    elif isinstance(route, Probabilistic):
        yield from (t for t, _ in route.targets if t is not None)
    elif isinstance(route, ByClass):
        named = dict(route.routes)
        if cls is None:
            for r in named.values():
                yield from _route_targets(r)
            yield from _route_targets(route.default)
        else:
            yield from _route_targets(named.get(cls, route.default), cls)
    elif isinstance(route, ByVisit):
        for r in route.routes:
            yield from _route_targets(r, cls)
    elif isinstance(route, ShortestQueue):
        yield route.stations
    else:
        raise ScenarioError(Message(N_("not a route: %(route)r"), {"route": route}))


def _route_parts(route: Route) -> Iterator[Route]:
    """*route* and every route inside it."""
    yield route
    if isinstance(route, ByClass):
        for _, r in route.routes:
            yield from _route_parts(r)
        yield from _route_parts(route.default)
    elif isinstance(route, ByVisit):
        for r in route.routes:
            yield from _route_parts(r)


def _flat(targets: Iterable[str | tuple[str, ...]]) -> set[str]:
    return {n for t in targets for n in ((t,) if isinstance(t, str) else t)}


def _reach(s: Scenario) -> dict[str, set[str]]:
    """The classes that can come to each station, by station name."""
    nexts = {st.name: st.next for st in s.stations}
    out: dict[str, set[str]] = {st.name: set() for st in s.stations}
    for c in s.classes:
        todo = list(_flat(_route_targets(c.route, c.name)))
        while todo:
            name = todo.pop()
            if c.name not in out[name]:
                out[name].add(c.name)
                todo += _flat(_route_targets(nexts[name], c.name))
    return out


def _loops(s: Scenario) -> list[list[str]]:
    """The routing's cycles: stations a customer can come back to, each group in station order.

    Two stations are in one group when each can be reached from the other.
    """
    down = {st.name: _flat(_route_targets(st.next)) for st in s.stations}

    def reachable(start: str) -> set[str]:
        seen: set[str] = set()
        todo = list(down[start])
        while todo:
            name = todo.pop()
            if name not in seen:
                seen.add(name)
                todo += down[name]
        return seen

    after = {name: reachable(name) for name in down}
    out: list[list[str]] = []
    placed: set[str] = set()
    for name in down:
        if name in after[name] and name not in placed:
            group = [n for n in down if n in after[name] and name in after[n]]
            placed.update(group)
            out.append(group)
    return out


def _cyclic(s: Scenario) -> set[str]:
    """The stations on a cycle of the routing: those a customer can come back to."""
    return {n for group in _loops(s) for n in group}


def _queued(s: Scenario) -> set[str]:
    """The stations whose queue is kept customer by customer, not by arrival order alone.

    Those on a cycle, those with dedicated counters, and those where classes
    of different priorities meet.
    """
    classes = {c.name: c for c in s.classes}
    by_station = _reach(s)
    staff_first = {m.station for m in s.staff if m.dedicated}
    out = _cyclic(s) | {st.name for st in s.stations if st.dedicated} | staff_first
    for name, names in by_station.items():
        if len({classes[c].priority for c in names}) > 1:
            out.add(name)
    return out


def _check(s: Scenario) -> None:
    if s.horizon is not None:
        rate = sum(p.rate for c in s.classes for p in c.arrivals if isinstance(p, Poisson))
        if rate * s.horizon > MAX_CUSTOMERS:
            raise ScenarioError(
                Message(
                    N_(
                        "'horizon' %(horizon)s at %(rate)s arrivals a minute brings %(value)s "
                        "customers: at most %(max_customers)s"
                    ),
                    {
                        "horizon": f"{s.horizon:g}",
                        "rate": f"{rate:g}",
                        "value": f"{rate * s.horizon:,.0f}",
                        "max_customers": f"{MAX_CUSTOMERS:,}",
                    },
                ),
                field="horizon",
                value=s.horizon,
            )
    names = [st.name for st in s.stations]
    if not names:
        raise ScenarioError(N_("a scenario needs at least one station"))
    if len(set(names)) != len(names):
        raise ScenarioError(
            Message(N_("station names must be distinct: %(names)s"), {"names": names})
        )
    cls_names = [c.name for c in s.classes]
    if not cls_names:
        raise ScenarioError(N_("a scenario needs at least one customer class"))
    if len(set(cls_names)) != len(cls_names):
        raise ScenarioError(
            Message(N_("class names must be distinct: %(cls_names)s"), {"cls_names": cls_names})
        )
    known = set(names)
    routes: list[tuple[str, Route]] = [(f"class {c.name!r}", c.route) for c in s.classes]
    routes += [(f"station {st.name!r}", st.next) for st in s.stations]
    groups: dict[str, tuple[str, ...]] = {}
    for where, route in routes:
        for t in _route_targets(route):
            for name in (t,) if isinstance(t, str) else t:
                if name not in known:
                    raise ScenarioError(
                        Message(
                            N_("%(where)s routes to unknown station %(name)r"),
                            {"where": where, "name": name},
                        )
                    )
            if isinstance(t, tuple):
                for name in t:
                    if groups.setdefault(name, t) != t:
                        raise ScenarioError(
                            Message(
                                N_("station %(name)r is in two shortest-queue groups"),
                                {"name": name},
                            )
                        )
    for where, route in routes:
        for t in _route_targets(route):
            if isinstance(t, str) and t in groups:
                raise ScenarioError(
                    Message(
                        N_(
                            "%(where)s routes directly to %(t)r, which is fed by a "
                            "shortest-queue group"
                        ),
                        {"where": where, "t": t},
                    )
                )
    for st in s.stations:
        for cn in cls_names:
            st.service_for(cn)
    _check_queues(s, groups)
    if s.hall is None:
        if (s.horizon is None) == (s.customers is None):
            raise ScenarioError(
                N_("a scenario without a hall needs exactly one of horizon, customers")
            )
        for c in s.classes:
            if any(not isinstance(p, Poisson) for p in c.arrivals):
                raise ScenarioError(
                    Message(
                        N_("class %(name)r: without a hall, arrivals must be Poisson"),
                        {"name": c.name},
                    )
                )
        if s.staff:
            raise ScenarioError(
                N_("named staff need a hall (sessions and breaks are on its hours)")
            )
    else:
        for c in s.classes:
            if any(isinstance(p, Poisson) for p in c.arrivals):
                raise ScenarioError(
                    Message(
                        N_(
                            "class %(name)r: in a hall, give arrivals as DailyProfile or "
                            "Appointments"
                        ),
                        {"name": c.name},
                    )
                )
        if s.warmup != int(s.warmup) or s.warmup >= s.hall.days:
            raise ScenarioError(
                Message(
                    N_(
                        "in a hall, warmup is whole working days, fewer than 'days' (got "
                        "%(warmup)s)"
                    ),
                    {"warmup": s.warmup},
                )
            )
    staff_names = [m.name for m in s.staff]
    if len(set(staff_names)) != len(staff_names):
        raise ScenarioError(
            Message(
                N_("staff names must be distinct: %(staff_names)s"), {"staff_names": staff_names}
            )
        )
    for m in s.staff:
        if m.station not in known:
            raise ScenarioError(
                Message(
                    N_("staff %(name)r works at unknown station %(station)r"),
                    {"name": m.name, "station": m.station},
                )
            )
        missing = s.station(m.station).requires - m.skills
        if missing:
            raise ScenarioError(
                Message(
                    N_("staff %(name)r lacks skills %(value)s needed at %(station)r"),
                    {"name": m.name, "value": sorted(missing), "station": m.station},
                )
            )
    matters = {c.matter for c in s.classes if c.matter} | {b.matter for b in s.back_office}
    if matters and s.hall is None:
        raise ScenarioError(N_("cases (matters, back office) need a hall and its calendar"))
    if matters and s.catalogue is None:
        raise ScenarioError(
            Message(N_("matters %(value)s need a catalogue"), {"value": sorted(matters)})
        )
    for code in sorted(matters):
        assert s.catalogue is not None
        if code not in s.catalogue.matters:
            raise ScenarioError(
                Message(N_("matter %(code)r is not in the catalogue"), {"code": code})
            )
    seen = [b.matter for b in s.back_office]
    if len(set(seen)) != len(seen):
        raise ScenarioError(Message(N_("one back office per matter: %(seen)s"), {"seen": seen}))
    if s.initial is not None:
        _check_initial(s, s.initial)


def _check_queues(s: Scenario, groups: Mapping[str, tuple[str, ...]]) -> None:
    """Abandonment, priorities, dedicated counters, staffing and cycles, checked together."""
    names = {st.name for st in s.stations}
    cls_names = {c.name for c in s.classes}
    for c in s.classes:
        for what, value in (("patience", c.patience), ("baulk", c.baulk)):
            if isinstance(value, tuple):
                for k, _ in value:
                    if k != "*" and k not in names:
                        raise ScenarioError(
                            Message(
                                N_("class %(name)r: %(what)s at unknown station %(k)r"),
                                {"name": c.name, "what": what, "k": k},
                            ),
                            field=what,
                            value=k,
                        )
    loops = _cyclic(s)
    special = _queued(s)
    staffed = {m.station for m in s.staff}
    for st in s.stations:
        where = f"station {st.name!r}"
        for k, _ in st.dedicated:
            if k not in cls_names:
                raise ScenarioError(
                    Message(
                        N_("%(where)s: dedicated counters for unknown class %(k)r"),
                        {"where": where, "k": k},
                    )
                )
        if st.dedicated and st.name in staffed:
            raise ScenarioError(
                Message(
                    N_(
                        "%(where)s has named staff: give StaffMember(dedicated=…) instead of "
                        "'dedicated'"
                    ),
                    {"where": where},
                )
            )
        if st.staffing is not None and st.name in staffed:
            raise ScenarioError(
                Message(
                    N_("%(where)s has named staff: 'staffing' is for anonymous counters"),
                    {"where": where},
                )
            )
        if st.staffing is not None and s.hall is None:
            raise ScenarioError(
                Message(N_("%(where)s: 'staffing' by hour needs a hall"), {"where": where})
            )
        if st.name in loops and st.name in groups:
            raise ScenarioError(
                Message(
                    N_("%(where)s is in a shortest-queue group and on a routing cycle"),
                    {"where": where},
                )
            )
        if st.name in special and st.name in groups:
            raise ScenarioError(
                Message(
                    N_(
                        "%(where)s is in a shortest-queue group, which serves in arrival order: "
                        "no priorities or dedicated counters there"
                    ),
                    {"where": where},
                )
            )
        if st.name in special and (st.backup is not None or st.speed is not None):
            why = "on a routing cycle" if st.name in loops else "served by priority"
            raise ScenarioError(
                Message(
                    N_("%(where)s is %(why)s: it cannot have 'backup' or 'speed'"),
                    {"where": where, "why": why},
                )
            )
    for m in s.staff:
        for k in m.dedicated:
            if k not in cls_names:
                raise ScenarioError(
                    Message(
                        N_("staff %(name)r: dedicated to unknown class %(k)r"),
                        {"name": m.name, "k": k},
                    )
                )


def _check_initial(s: Scenario, initial: WarmStart) -> None:
    if not isinstance(initial, WarmStart):
        raise ScenarioError(
            Message(N_("'initial' must be a WarmStart (got %(initial)r)"), {"initial": initial}),
            field="initial",
            value=initial,
        )
    if s.hall is None or s.catalogue is None:
        missing = " and ".join(
            n for n, v in (("a hall", s.hall), ("a catalogue", s.catalogue)) if v is None
        )
        raise ScenarioError(
            Message(
                N_("'initial' (a warm start at %(value)s) needs %(missing)s"),
                {"value": initial.at.isoformat(), "missing": missing},
            ),
            field="initial",
            value=initial.at,
        )
    cal = s.hall.calendar
    at_day = initial.local_date(cal)
    first = s.hall.start
    while not cal.is_working_day(first):
        first += timedelta(days=1)
    if first <= at_day:
        raise ScenarioError(
            Message(
                N_(
                    "'initial.at' must come before the hall's first day (got %(value)s, local "
                    "date %(at_day)s, and a first day %(first)s)"
                ),
                {"value": initial.at.isoformat(), "at_day": at_day, "first": first},
            ),
            field="initial.at",
            value=initial.at,
        )
    for c in initial.cases:
        if c.matter not in s.catalogue.matters:
            raise ScenarioError(
                Message(
                    N_(
                        "'initial.cases': case %(case)r has matter %(matter)r, which is not in "
                        "the catalogue"
                    ),
                    {"case": c.case, "matter": c.matter},
                ),
                field="initial.cases",
                value=c.matter,
            )
    names = {c.name for c in s.classes}
    for k, n in initial.queues.items():
        if k not in names:
            raise ScenarioError(
                Message(
                    N_("'initial.queues' names unknown class %(k)r (classes: %(value)s)"),
                    {"k": k, "value": sorted(names)},
                ),
                field="initial.queues",
                value=k,
            )
        if not is_count(n):
            raise ScenarioError(
                Message(
                    N_(
                        "'initial.queues' count of class %(k)r must be an integer from 0 to "
                        "%(max_count)s (got %(n)r)"
                    ),
                    {"k": k, "max_count": f"{MAX_COUNT:,}", "n": n},
                ),
                field="initial.queues",
                value=n,
            )
