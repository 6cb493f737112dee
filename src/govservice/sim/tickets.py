"""Ticket-machine logs (排队叫号): the hall's real waits, and a scenario fitted from them.

A hall's queue-calling system logs every ticket: issued (with its class,
matter, channel and priority), called to a window, served from start to
end, or abandoned (过号, cancelled).  :func:`read_ticket_log` reads such a
log from JSON Lines or CSV, one ticket a record, with a :class:`Columns`
mapping from the fields to the file's column names:

=============  ==========================================================
field          meaning
=============  ==========================================================
``ticket``     the ticket's id
``issued``     when it was issued (ISO 8601 with offset)
``cls``        the customer class (walk-in, booked, green channel …)
``matter``     the matter applied for (optional)
``channel``    how the customer came (optional)
``priority``   an integer, higher served first (optional; 0)
``called``     when the ticket was called to a window (optional)
``window``     the window that called it (optional)
``start``      when service started (optional; the call, without it)
``end``        when service ended (needed for tickets served)
``abandoned``  true for a ticket never served: ``true``/``false``,
               ``1``/``0``, ``yes``/``no``, ``是``/``否`` (optional)
``left``       when an abandoned ticket's holder left (optional; the
               call — the moment he was found gone, 过号 — without it)
=============  ==========================================================

Times without an offset are an error unless ``local_times=True`` says the
file holds the centre's local times.  :meth:`TicketLog.waits` reports the
real waits by hour, day, weekday, class, matter or window; :func:`fit_hall`
fits arrival profiles (by weekday and hour, with the surge after a long
holiday), service times per class (or matter) and patience from the
censored waits (Kaplan–Meier); :func:`validate` simulates the fitted hall
over weeks held out of the fit and compares it with the log.

.. versionadded:: 0.1
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Iterator, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import numpy as np
import numpy.typing as npt

from govservice.calendars import OpeningHours, WorkingDayCalendar
from govservice.exceptions import DataFileError, Message, message_of
from govservice.sim._grid import Grid, surge_days
from govservice.sim.distributions import (
    Distribution,
    Empirical,
    Exponential,
    KaplanMeier,
    Lognormal,
)
from govservice.sim.engine import simulate
from govservice.sim.errors import ScenarioError
from govservice.sim.experiments import student_t_interval
from govservice.sim.records import SERVED, SimulationResult, pandas
from govservice.sim.scenario import (
    CustomerClass,
    DailyProfile,
    Hall,
    Scenario,
    Staffing,
    Station,
    Surge,
)
from govservice.text import N_

__all__ = [
    "Check",
    "ClassFit",
    "Columns",
    "HallFit",
    "TicketLog",
    "Validation",
    "WaitStats",
    "fit_hall",
    "read_ticket_log",
    "validate",
]

NAT = np.datetime64("NaT", "s")
_TRUE = {"true", "1", "yes", "y", "是", "t"}
_FALSE = {"false", "0", "no", "n", "否", "f", ""}
_GROUPS = ("day", "hour", "weekday", "class", "matter", "window")
LONG_BREAK = Surge(days=5, factor=1.0, min_days_off=7)
"""The surge :func:`fit_hall` looks for: the first five working days after a week off."""


@attrs.frozen
class Columns:
    """The file's column name for each field of a ticket (``None``: the file has none).

    Example:
        >>> from govservice.sim.tickets import Columns
        >>> Columns(ticket="票号", issued="取号时间", cls="业务类型", end="办结时间").issued
        '取号时间'

    .. versionadded:: 0.1
    """

    ticket: str = "ticket"
    issued: str = "issued"
    cls: str = "class"
    matter: str | None = "matter"
    channel: str | None = "channel"
    priority: str | None = "priority"
    called: str | None = "called"
    window: str | None = "window"
    start: str | None = "start"
    end: str | None = "end"
    abandoned: str | None = "abandoned"
    left: str | None = "left"


def _minutes(a: npt.NDArray[Any], b: npt.NDArray[Any]) -> npt.NDArray[np.float64]:
    """Minutes from *a* to *b* (NaN where either is NaT)."""
    d = b - a
    out: npt.NDArray[np.float64] = d.astype("timedelta64[s]").astype(np.int64) / 60.0
    out[np.isnat(d)] = np.nan
    return out


@attrs.frozen(eq=False)
class TicketLog:
    """The tickets of a hall, as NumPy columns; times are the centre's local times.

    Attributes:
        timezone: the centre's time zone (local times are in it).
        ticket: ids.
        issued: when each ticket was issued (``datetime64[s]``, local).
        cls: classes.
        matter: matters (``""`` when not logged).
        channel: channels (``""`` when not logged).
        priority: priorities.
        called: calls (NaT when not called).
        window: windows (``""`` when not called).
        start: service starts (NaT when not served).
        end: service ends (NaT when not served).
        abandoned: tickets never served.
        left: when an abandoned ticket's holder left (NaT for those served).

    .. versionadded:: 0.1
    """

    timezone: str
    ticket: npt.NDArray[Any]
    issued: npt.NDArray[Any]
    cls: npt.NDArray[Any]
    matter: npt.NDArray[Any]
    channel: npt.NDArray[Any]
    priority: npt.NDArray[np.int64]
    called: npt.NDArray[Any]
    window: npt.NDArray[Any]
    start: npt.NDArray[Any]
    end: npt.NDArray[Any]
    abandoned: npt.NDArray[np.bool_]
    left: npt.NDArray[Any]

    def __len__(self) -> int:
        return len(self.ticket)

    @property
    def day(self) -> npt.NDArray[Any]:
        """The local date each ticket was issued (``datetime64[D]``)."""
        return self.issued.astype("datetime64[D]")

    @property
    def hour(self) -> npt.NDArray[np.int64]:
        """The hour of the day each ticket was issued."""
        out: npt.NDArray[np.int64] = (self.issued - self.day).astype("timedelta64[h]").astype(int)
        return out

    @property
    def wait(self) -> npt.NDArray[np.float64]:
        """Minutes each holder waited, to the start of service or until he left."""
        until = np.where(self.abandoned, self.left, self.start)
        return _minutes(self.issued, until)

    @property
    def service(self) -> npt.NDArray[np.float64]:
        """Minutes of service (NaN for tickets abandoned)."""
        return _minutes(self.start, self.end)

    @property
    def days(self) -> list[date]:
        """The dates with tickets, in order."""
        return [d.astype(date) for d in np.unique(self.day)]

    def between(self, first: date | str, last: date | str) -> TicketLog:
        """The tickets issued from *first* to *last* (local dates, both included)."""
        lo, hi = np.datetime64(first, "D"), np.datetime64(last, "D")
        keep = (self.day >= lo) & (self.day <= hi)
        return self._take(keep)

    def _take(self, keep: npt.NDArray[np.bool_]) -> TicketLog:
        return TicketLog(
            self.timezone,
            *(getattr(self, f.name)[keep] for f in attrs.fields(TicketLog)[1:]),
        )

    def keys(self, by: str) -> npt.NDArray[Any]:
        """Each ticket's group *by* (``day``, ``hour``, ``weekday``, ``class``, ``matter``…)."""
        if by == "day":
            return self.day
        if by == "hour":
            return self.hour
        if by == "weekday":
            return (self.day.astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday
        if by in ("class", "matter", "window"):
            out: npt.NDArray[Any] = getattr(self, "cls" if by == "class" else by)
            return out
        raise ValueError(
            Message(N_("no grouping %(by)r (%(value)s)"), {"by": by, "value": ", ".join(_GROUPS)})
        )

    def waits(self, by: str | Sequence[str] = "hour") -> dict[tuple[Any, ...], WaitStats]:
        """The real waits by group, in order of the groups.

        *by* is one or more of ``day``, ``hour``, ``weekday``, ``class``,
        ``matter``, ``window``.

        Example:
            >>> from govservice.examples.ticket_log import county_hall_log
            >>> log = county_hall_log(days=5)
            >>> w = log.waits("class")
            >>> sorted(k for (k,) in w)
            ['booked', 'green', 'walk-in']
        """
        groups = (by,) if isinstance(by, str) else tuple(by)
        cols = [self.keys(g) for g in groups]
        wait, service = self.wait, self.service
        out: dict[tuple[Any, ...], WaitStats] = {}
        if not len(self):
            return out
        keys = list(zip(*(c.tolist() for c in cols), strict=True))
        order: dict[tuple[Any, ...], list[int]] = {}
        for i, k in enumerate(keys):
            order.setdefault(tuple(_plain(x) for x in k), []).append(i)
        for k in sorted(order):
            idx = np.array(order[k])
            out[k] = WaitStats.of(wait[idx], self.abandoned[idx], service[idx])
        return out

    def staffing(self) -> Staffing:
        """The windows that called tickets in each hour of each day, as a staffing.

        A :class:`~govservice.sim.Staffing` by date.

        A window counts in an hour if it called a ticket then; an hour with
        tickets and no call counts one.  A log without windows cannot say.

        Raises:
            ScenarioError: the log names no windows.
        """
        called = self.window != ""
        if not called.any():
            raise ScenarioError(N_("the log names no windows: give the staffing yourself"))
        when = self.called.copy()
        when[np.isnat(when)] = self.start[np.isnat(when)]
        windows: dict[date, dict[int, set[str]]] = {}
        day = when.astype("datetime64[D]")
        hour = (when - day).astype("timedelta64[h]").astype(int)
        seen = zip(
            day[called].tolist(), hour[called].tolist(), self.window[called].tolist(), strict=True
        )
        for d, h, w in seen:
            windows.setdefault(d, {}).setdefault(h, set()).add(w)
        table = {d: {h: len(ws) for h, ws in hs.items()} for d, hs in windows.items()}
        for d, h in zip(self.day.tolist(), self.hour.tolist(), strict=True):
            table.setdefault(d, {}).setdefault(h, 1)
        return Staffing(dates=table)

    def write(self, path: Path | str) -> None:
        """Write the log as JSON Lines, or CSV by a ``.csv`` suffix, in the default columns."""
        p = Path(path)
        tz = ZoneInfo(self.timezone)
        rows = []
        for i in range(len(self)):
            rows.append(
                {
                    "ticket": str(self.ticket[i]),
                    "issued": _iso(self.issued[i], tz),
                    "class": str(self.cls[i]),
                    "matter": str(self.matter[i]),
                    "channel": str(self.channel[i]),
                    "priority": int(self.priority[i]),
                    "called": _iso(self.called[i], tz),
                    "window": str(self.window[i]),
                    "start": _iso(self.start[i], tz),
                    "end": _iso(self.end[i], tz),
                    "abandoned": bool(self.abandoned[i]),
                    "left": _iso(self.left[i], tz),
                }
            )
        with p.open("w", encoding="utf-8", newline="") as f:
            if p.suffix.lower() == ".csv":
                w = csv.DictWriter(f, fieldnames=list(rows[0]) if rows else list(_default_names()))
                w.writeheader()
                w.writerows({k: ("" if v is None else v) for k, v in r.items()} for r in rows)
            else:
                for r in rows:
                    f.write(
                        json.dumps(
                            {k: v for k, v in r.items() if v not in (None, "")}, ensure_ascii=False
                        )
                        + "\n"
                    )

    @classmethod
    def from_run(cls, result: SimulationResult, station: str | None = None) -> TicketLog:
        """The log a ticket machine at *station* (default the first) would have kept of a run.

        Every visit is a ticket issued when the customer came to the
        station; those who baulked took no ticket.  A customer who reneged
        is abandoned, leaving when his patience ran out.

        Raises:
            ValueError: the run kept no records, or is not a hall.
        """
        sc = result.scenario
        hall = sc.hall
        if hall is None:
            raise ValueError(Message(N_("a ticket log needs a hall (its dates and local times)")))
        v = result.visits
        if v is None or result.first_day is None:
            raise ValueError(Message(N_("no visits records: run simulate(..., records=True)")))
        names = [s.name for s in sc.stations]
        index = 0 if station is None else names.index(station)
        v = v[(v["station"] == index) & (v["outcome"] != 2)]
        origin = np.datetime64(result.first_day, "s")

        def at(minutes: npt.NDArray[np.float64]) -> npt.NDArray[Any]:
            out: npt.NDArray[Any] = origin + np.round(minutes * 60).astype("timedelta64[s]")
            return out

        served = v["outcome"] == SERVED
        issued, start, end = at(v["arrival"]), at(v["start"]), at(v["end"])
        classes = np.array([c.name for c in sc.classes])[v["cls"]]
        matters = np.array([c.matter or "" for c in sc.classes])[v["cls"]]
        windows = np.array(
            [
                result.staff_name(int(k), index) if ok else ""
                for k, ok in zip(v["server"], served, strict=True)
            ]
        )
        return cls(
            hall.calendar.timezone.key,
            np.array([f"{names[index]}-{int(c):08d}-{i}" for i, c in enumerate(v["customer"])]),
            issued,
            classes,
            matters,
            np.full(len(v), "counter"),
            np.array([c.priority for c in sc.classes], dtype=np.int64)[v["cls"]],
            np.where(served, start, NAT),
            windows,
            np.where(served, start, NAT),
            np.where(served, end, NAT),
            ~served,
            np.where(served, NAT, end),
        )


def _plain(x: Any) -> Any:
    """A key as plain Python: a date for ``datetime64[D]``, an int for integers."""
    if isinstance(x, np.datetime64):
        return x.astype(date)
    if isinstance(x, np.integer):
        return int(x)
    return x


def _iso(t: Any, tz: ZoneInfo) -> str | None:
    if np.isnat(t):
        return None
    naive: datetime = t.astype(datetime)
    return naive.replace(tzinfo=tz).isoformat()


def _default_names() -> dict[str, str]:
    return {f.name: f.default for f in attrs.fields(Columns)}  # type: ignore[misc]


@attrs.frozen
class WaitStats:
    """The tickets of one group and how long their holders waited.

    Attributes:
        tickets: tickets issued.
        served: tickets served.
        abandoned: tickets never served.
        abandonment_rate: ``abandoned / tickets``.
        mean_wait: mean minutes waited, to the start of service or until
            leaving.
        p90_wait: the 90th percentile of the same.
        mean_service: mean minutes of service of those served.

    .. versionadded:: 0.1
    """

    tickets: int
    served: int
    abandoned: int
    abandonment_rate: float
    mean_wait: float
    p90_wait: float
    mean_service: float

    @classmethod
    def of(
        cls,
        wait: npt.NDArray[np.float64],
        abandoned: npt.NDArray[np.bool_],
        service: npt.NDArray[np.float64],
    ) -> WaitStats:
        """From the waits, abandonment flags and services of the group's tickets."""
        n = len(wait)
        gone = int(abandoned.sum())
        served = service[~abandoned]
        return cls(
            n,
            n - gone,
            gone,
            gone / n if n else math.nan,
            float(wait.mean()) if n else math.nan,
            float(np.percentile(wait, 90)) if n else math.nan,
            float(served.mean()) if len(served) else math.nan,
        )


# ---------------------------------------------------------------- reading


def _instant(value: Any, tz: ZoneInfo, local: bool) -> Any:
    if value is None or value == "":
        return NAT
    t = value if isinstance(value, datetime) else datetime.fromisoformat(str(value).strip())
    if t.utcoffset() is None:
        if not local:
            raise ValueError(
                Message(
                    N_(
                        "a time without an offset (give e.g. 2025-03-03T09:05:00+08:00, "
                        "or read with local_times=True)"
                    )
                )
            )
        t = t.replace(tzinfo=tz)
    return np.datetime64(t.astimezone(tz).replace(tzinfo=None), "s")


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = "" if value is None else str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(Message(N_("not true/false (true/false, 1/0, yes/no, 是/否)")))


def _records(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """The file's records with their line numbers."""
    try:
        f = path.open(encoding="utf-8-sig", newline="")
    except FileNotFoundError:
        raise DataFileError(path, None, None, str(path), N_("no such file")) from None
    with f:
        if path.suffix.lower() == ".csv":
            reader = csv.DictReader(f)
            for row in reader:
                yield reader.line_num, row
            return
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                doc = json.loads(line)
            except json.JSONDecodeError as e:
                raise DataFileError(
                    path,
                    f"line {n}",
                    None,
                    line.strip()[:80],
                    Message(N_("not JSON: %(e)s"), {"e": e}),
                ) from None
            if not isinstance(doc, dict):
                raise DataFileError(path, f"line {n}", None, doc, N_("expected a JSON object"))
            yield n, doc


def read_ticket_log(
    path: Path | str,
    columns: Columns = Columns(),
    *,
    timezone: str = "Asia/Shanghai",
    local_times: bool = False,
) -> TicketLog:
    """Read a ticket log from JSON Lines, or CSV by a ``.csv`` suffix.

    Args:
        path: the file.
        columns: the file's column name for each field (see :class:`Columns`).
        timezone: the centre's time zone: the log's local times are in it.
        local_times: read times without an offset as the centre's local times.

    Raises:
        DataFileError: naming the file, the line, the field and the value:
            a missing column, a bad time, a ticket served without an end or
            before it was issued, an abandoned ticket without a time.

    .. versionadded:: 0.1
    """
    p = Path(path)
    tz = ZoneInfo(timezone)
    names = attrs.asdict(columns)
    cols: dict[str, list[Any]] = {k: [] for k in names}
    for n, rec in _records(p):
        row = _ticket(p, f"line {n}", rec, names, tz, local_times)
        for k, v in row.items():
            cols[k].append(v)
    order = np.argsort(np.array(cols["issued"], dtype="datetime64[s]"), kind="stable")

    def arr(k: str, dtype: Any = None) -> npt.NDArray[Any]:
        a = np.array(cols[k], dtype=dtype)
        return a[order] if len(a) else a

    return TicketLog(
        timezone,
        arr("ticket", object).astype(str),
        arr("issued", "datetime64[s]"),
        arr("cls", object).astype(str),
        arr("matter", object).astype(str),
        arr("channel", object).astype(str),
        arr("priority", np.int64),
        arr("called", "datetime64[s]"),
        arr("window", object).astype(str),
        arr("start", "datetime64[s]"),
        arr("end", "datetime64[s]"),
        arr("abandoned", bool),
        arr("left", "datetime64[s]"),
    )


def _ticket(
    path: Path, where: str, rec: dict[str, Any], names: dict[str, Any], tz: ZoneInfo, local: bool
) -> dict[str, Any]:
    """One record of the file as a ticket's fields, checked."""
    for k in ("ticket", "issued", "cls"):
        if names[k] not in rec:
            raise DataFileError(path, where, names[k], None, N_("missing"), shown=True)

    def get(field: str) -> Any:
        name = names[field]
        return None if name is None else rec.get(name)

    def fail(field: str, reason: str | Message) -> DataFileError:
        return DataFileError(path, where, names[field], get(field), reason)

    row: dict[str, Any] = {}
    for k in ("issued", "called", "start", "end", "left"):
        try:
            row[k] = _instant(get(k), tz, local)
        except (TypeError, ValueError) as e:
            raise fail(k, message_of(e)) from None
    if np.isnat(row["issued"]):
        raise fail("issued", N_("missing"))
    try:
        row["abandoned"] = _flag(get("abandoned"))
    except ValueError as e:
        raise fail("abandoned", message_of(e)) from None
    pr = get("priority")
    try:
        row["priority"] = int(pr) if pr not in (None, "") else 0
    except (TypeError, ValueError):
        raise fail("priority", N_("not an integer")) from None
    for k in ("ticket", "cls", "matter", "channel", "window"):
        value = get(k)
        row[k] = "" if value is None else str(value).strip()
    if not row["ticket"]:
        raise fail("ticket", N_("empty"))
    if not row["cls"]:
        raise fail("cls", N_("empty"))
    if np.isnat(row["start"]):
        row["start"] = row["called"]
    if row["abandoned"]:
        if np.isnat(row["left"]):
            row["left"] = row["called"]
        if np.isnat(row["left"]):
            raise fail("left", N_("an abandoned ticket needs when he left, or when it was called"))
        if row["left"] < row["issued"]:
            raise fail("left", N_("before the ticket was issued"))
        row["start"] = row["end"] = NAT
    else:
        if np.isnat(row["start"]):
            raise fail("start", N_("a ticket served needs its start (or its call)"))
        if np.isnat(row["end"]):
            raise fail("end", N_("a ticket served needs its end"))
        if row["start"] < row["issued"]:
            raise fail("start", N_("before the ticket was issued"))
        if row["end"] < row["start"]:
            raise fail("end", N_("before service started"))
        row["left"] = NAT
    return row


# ---------------------------------------------------------------- fitting


@attrs.frozen
class ClassFit:
    """What the log says of one class of customer.

    Attributes:
        name: the class (or matter, fitting by matter).
        tickets: its tickets in the log.
        arrivals: its walk-in profile by hour and weekday, with the surge.
        service: its service times.
        patience: its patience, or ``None`` if nobody left.
        priority: its priority (the most common in the log).

    .. versionadded:: 0.1
    """

    name: str
    tickets: int
    arrivals: DailyProfile
    service: Distribution
    patience: Distribution | None
    priority: int


@attrs.frozen
class HallFit:
    """A hall fitted from a ticket log (see :func:`fit_hall`).

    .. versionadded:: 0.1
    """

    classes: tuple[ClassFit, ...]
    opening: OpeningHours
    last_ticket: float
    first: date
    last: date

    def scenario(
        self,
        hall: Hall,
        staffing: Staffing | None = None,
        *,
        station: str = "windows",
        servers: int = 1,
        name: str = "fitted hall",
    ) -> Scenario:
        """The fitted hall as a scenario of one station, *hall*'s days.

        Args:
            hall: the days to simulate (its opening hours are the log's by
                default: pass ``Hall(…, opening=fit.opening, last_ticket=…)``).
            staffing: the counters by hour (the log's own for its days:
                ``log.staffing()``), or ``None`` for *servers* all day.
            station: the station's name.
            servers: counters where *staffing* says nothing.
            name: the scenario's name.
        """
        classes = [
            CustomerClass(
                c.name,
                c.arrivals,
                route=station,
                patience=c.patience,
                priority=c.priority,
            )
            for c in self.classes
        ]
        service = {c.name: c.service for c in self.classes}
        return Scenario(
            stations=[Station(station, servers, service=service, staffing=staffing)],
            classes=classes,
            hall=hall,
            name=name,
        )


def fit_hall(
    log: TicketLog,
    calendar: WorkingDayCalendar,
    *,
    opening: OpeningHours | None = None,
    last_ticket: float = 0.0,
    surge: Surge | None = LONG_BREAK,
    by: str = "class",
    service: str = "empirical",
    patience: str | None = "kaplan-meier",
) -> HallFit:
    """Fit arrival profiles, service times and patience per class from a ticket log.

    Arrivals are walk-ins (:class:`~govservice.sim.DailyProfile`) on the
    calendar's working days from the log's first day to its last, days
    without tickets included: the mean tickets of an ordinary day
    (``per_day``), the weekday factors (each weekday's mean over the ordinary
    days, relative), the hourly weights (tickets per open minute of each
    hour, up to the last ticket), and, if *surge* is given and the log has
    working days after a long holiday, the surge's factor (those days'
    tickets over what the weekday says).  Service times per class:
    ``"empirical"`` (resampled) or ``"lognormal"`` (by moments).  Patience
    per class from the waits, those served censored at their wait and those
    who left observed: ``"kaplan-meier"`` (:class:`~govservice.sim.KaplanMeier`),
    ``"exponential"`` (the constant hazard: those who left over the total
    time waited), or ``None``.

    Args:
        log: the tickets.
        calendar: the centre's working days.
        opening: the opening hours (default the standard ones).
        last_ticket: minutes before each closing when tickets stopped.
        surge: the surge's working days and the break that starts one (its
            ``factor`` is fitted), or ``None``.
        by: ``"class"`` or ``"matter"``: what a fitted class is.
        service: how service times are fitted.
        patience: how patience is fitted.

    Raises:
        ScenarioError: an empty log, an unknown option, a class with no
            ticket served.

    .. versionadded:: 0.1
    """
    if not len(log):
        raise ScenarioError(N_("an empty log fits nothing"))
    if by not in ("class", "matter") or service not in ("empirical", "lognormal"):
        raise ScenarioError(
            Message(
                N_(
                    "fit by 'class' or 'matter', service 'empirical' or 'lognormal' (got %(by)r, "
                    "%(service)r)"
                ),
                {"by": by, "service": service},
            )
        )
    if patience not in ("kaplan-meier", "exponential", None):
        raise ScenarioError(
            Message(
                N_("patience is 'kaplan-meier', 'exponential' or None (got %(patience)r)"),
                {"patience": patience},
            )
        )
    opening = opening or OpeningHours.default()
    first, last = log.days[0], log.days[-1]
    n_days = int(calendar.working_days_between(first - timedelta(days=1), last))
    hall = Hall(calendar, first, max(n_days, 1), opening, last_ticket)
    grid = Grid(hall)
    days = grid.days
    day_index = {d: i for i, d in enumerate(days)}
    open_minutes = np.zeros(24)
    for g in range(len(grid.opens)):
        for a, b, h in grid.hour_segments(g, tickets=True):
            open_minutes[h] += b - a
    surged = surge_days(calendar, days, surge) if surge is not None else np.zeros(len(days), bool)
    weekday = np.array([d.weekday() for d in days])
    keys = log.keys(by)
    day_of = np.array([day_index.get(d, -1) for d in log.day.astype(object)], dtype=np.int64)
    wait, gone, svc = log.wait, log.abandoned, log.service
    fits = []
    for name in sorted(set(keys.tolist())):
        m = keys == name
        counts = np.bincount(day_of[m & (day_of >= 0)], minlength=len(days)).astype(float)
        ordinary = ~surged
        per_day = float(counts[ordinary].mean()) if ordinary.any() else float(counts.mean())
        factors = np.ones(7)
        for w in range(7):
            sel = ordinary & (weekday == w)
            if sel.any() and per_day > 0:
                factors[w] = counts[sel].mean() / per_day
        fitted_surge = None
        if surge is not None and surged.any() and per_day > 0:
            expected = per_day * factors[weekday[surged]]
            fitted_surge = Surge(
                surge.days, float(counts[surged].sum() / expected.sum()), surge.min_days_off
            )
        hours = np.bincount(log.hour[m], minlength=24).astype(float)[:24]
        hourly = {
            h: float(hours[h] / open_minutes[h] * 60)
            for h in range(24)
            if open_minutes[h] > 0 and hours[h] > 0
        }
        served = m & ~gone
        if not served.any():
            raise ScenarioError(
                Message(
                    N_("%(by)s %(name)r has no ticket served: its service time is unknown"),
                    {"by": by, "name": name},
                )
            )
        times = svc[served]
        dist: Distribution = (
            Empirical(times)
            if service == "empirical"
            else Lognormal(
                float(times.mean()), float(max(times.std(ddof=1), 1e-6)) if len(times) > 1 else 1e-6
            )
        )
        patience_dist: Distribution | None = None
        if patience is not None and gone[m].any():
            if patience == "kaplan-meier":
                patience_dist = KaplanMeier.fit(wait[m], gone[m])
            else:
                patience_dist = Exponential(float(wait[m].sum() / gone[m].sum()))
        prio = np.bincount(log.priority[m] - log.priority[m].min()).argmax() + log.priority[m].min()
        fits.append(
            ClassFit(
                str(name),
                int(m.sum()),
                DailyProfile(per_day, hourly=hourly, weekday=tuple(factors), surge=fitted_surge),
                dist,
                patience_dist,
                int(prio),
            )
        )
    return HallFit(tuple(fits), opening, last_ticket, first, last)


# -------------------------------------------------------------- validation


@attrs.frozen
class Check:
    """One figure of one group: what the log says, and the simulation's mean and 95 % range.

    .. versionadded:: 0.1
    """

    key: tuple[Any, ...]
    figure: str
    observed: float
    mean: float
    low: float
    high: float

    @property
    def inside(self) -> bool:
        """Whether the log's figure lies in the simulation's range."""
        return self.low <= self.observed <= self.high


@attrs.frozen
class Validation:
    """The fitted hall against the log, group by group (see :func:`validate`).

    .. versionadded:: 0.1
    """

    by: tuple[str, ...]
    checks: tuple[Check, ...]
    replications: int

    def of(self, figure: str) -> list[Check]:
        """The checks of one figure (``tickets``, ``mean_wait``, ``abandonment_rate`` …)."""
        return [c for c in self.checks if c.figure == figure]

    def inside(self, figure: str) -> float:
        """The share of groups whose log figure lies in the simulation's range."""
        checks = [c for c in self.of(figure) if not math.isnan(c.observed)]
        return sum(c.inside for c in checks) / len(checks) if checks else math.nan

    def to_dataframe(self) -> Any:
        """The checks as a ``pandas.DataFrame`` (pandas is an optional dependency)."""
        pd = pandas()
        rows = []
        for c in self.checks:
            row = dict(zip(self.by, c.key, strict=True))
            row.update(
                figure=c.figure,
                observed=c.observed,
                mean=c.mean,
                low=c.low,
                high=c.high,
                inside=c.inside,
            )
            rows.append(row)
        return pd.DataFrame(rows)


FIGURES = ("tickets", "mean_wait", "abandonment_rate")


def validate(
    scenario: Scenario,
    log: TicketLog,
    *,
    by: str | Sequence[str] = "hour",
    replications: int = 10,
    seed: int = 0,
    station: str | None = None,
) -> Validation:
    """Simulate *scenario* and compare its ticket log with *log*, group by group.

    The scenario's hall should cover the log's days (weeks held out of the
    fit, say) with the staffing they had (``log.staffing()``).  Each
    replication's run is turned into the log its ticket machine would have
    kept (:meth:`TicketLog.from_run`) and grouped like *log*; for every
    group the tickets, the mean wait and the abandonment rate of the log are
    set against the replications' mean and 95 % prediction interval for one
    run — the log is one run of the real hall, so the interval is the
    Student-t interval of the mean widened by ``√(n + 1)``: mean ± t·s·√(1 +
    1/n).  A group where the simulation has the figure in fewer than two
    replications gets no interval (NaN).

    .. versionadded:: 0.1
    """
    groups = (by,) if isinstance(by, str) else tuple(by)
    observed = log.waits(groups)
    runs = [
        TicketLog.from_run(
            simulate(scenario, seed=seed, replication=r, records=True), station
        ).waits(groups)
        for r in range(replications)
    ]
    checks = []
    for key in sorted(set(observed) | {k for r in runs for k in r}):
        for figure in FIGURES:
            values = [
                float(getattr(r[key], figure))
                if key in r
                else (0.0 if figure == "tickets" else math.nan)
                for r in runs
            ]
            values = [v for v in values if not math.isnan(v)]
            if len(values) >= 2:
                mean, low, high = student_t_interval(values)
                half = (high - mean) * math.sqrt(len(values) + 1)
                low, high = mean - half, mean + half
            else:
                mean, low, high = (values[0] if values else math.nan), math.nan, math.nan
            got = (
                getattr(observed[key], figure)
                if key in observed
                else (0.0 if figure == "tickets" else math.nan)
            )
            checks.append(Check(key, figure, float(got), mean, low, high))
    return Validation(groups, tuple(checks), replications)
