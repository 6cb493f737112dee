"""The engine: FIFO multi-server stations processed in topological order.

A station with *c* identical FIFO servers needs no event list: customers
taken in order of arrival each get the server that frees first, so a small
heap of server-free times gives every start and end ("Lindley's recursion
for *c* servers").  A feed-forward network is processed station by station,
in topological order, in blocks (whole days in a hall, about 16,000 arrivals; about 65,000 in
continuous time); a station only takes the arrivals that no upstream
customer can still precede — no upstream station can release anyone before
the smallest of its server-free times — so the blocks change nothing in the
result.  A shortest-queue group is processed jointly in arrival order,
counting the customers each member holds at that instant.

Random numbers come in blocks from one :class:`numpy.random.Generator` per
source, keyed by the source's name (arrivals of a class, service of a class at
a station, routing at a station, back-office processing of a matter, the
remaining processing of a matter's cases carried over from a warm start), so
two scenarios that share a name share its stream: common random numbers.

A back office of limited capacity decides day by day.  Customers leave the
hall (and file their cases) out of time order, so after each block it decides
only the days before the earliest acceptance still possible — the least of
the next block's start and, for every customer still in the hall, the end of
his acceptance or his current time — and keeps in memory only the cases not
yet decided.
"""

from __future__ import annotations

import heapq
import math
import zlib
from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from typing import Any

import numpy as np
import numpy.typing as npt

from govservice.model import HOURS_PER_WORKING_DAY, HandlingKind, LimitUnit, TimeLimit
from govservice.sim.distributions import Distribution, draw
from govservice.sim.errors import ScenarioError
from govservice.sim.records import CASE, CUSTOMER, VISIT, SimulationResult
from govservice.sim.scenario import (
    Appointments,
    BackOffice,
    ByClass,
    DailyProfile,
    Poisson,
    Probabilistic,
    Route,
    Scenario,
    ShortestQueue,
    Station,
)
from govservice.sim.summary import (
    Accumulator,
    ClassSummary,
    DaySummary,
    MatterSummary,
    StaffSummary,
    StationSummary,
    Summary,
)

__all__ = ["simulate"]

F8 = npt.NDArray[np.float64]
I8 = npt.NDArray[np.int64]
Rec = npt.NDArray[Any]
BLOCK = 65536
INF = math.inf
WARM_ROUNDS = 16
WARM_BATCH = 64
NAT = np.datetime64("NaT", "D")

_MOVE = np.dtype(
    [
        ("t", "f8"),
        ("cust", "i8"),
        ("cls", "i4"),
        ("t0", "f8"),
        ("wsum", "f8"),
        ("acc_station", "i4"),
        ("acc_start", "f8"),
        ("acc_end", "f8"),
        ("acc_staff", "i8"),
    ]
)


def simulate(
    scenario: Scenario, *, seed: int = 0, replication: int = 0, records: bool = False
) -> SimulationResult:
    """Run *scenario* once.

    Args:
        scenario: what to simulate.
        seed: the seed; the same seed gives the same result on any machine.
        replication: the replication number; replications of one seed draw
            independent streams.
        records: also keep per-visit, per-customer and per-case records
            (memory grows with the customers); without them only summaries
            are kept, and the cases a back office of limited capacity has
            not decided yet.

    Example:
        >>> from govservice.sim import (CustomerClass, Exponential, Poisson, Scenario, Station,
        ...     simulate)
        >>> mm1 = Scenario(
        ...     stations=[Station("counter", 1, service=Exponential(1.0))],
        ...     classes=[CustomerClass("all", Poisson(0.5), route="counter")],
        ...     customers=20_000,
        ... )
        >>> s = simulate(mm1, seed=1).summary.stations["counter"]
        >>> round(s.mean_wait, 1)   # theory: rho / (mu - lambda) = 1.0
        1.0

    .. versionadded:: 0.1
    """
    return _Run(scenario, seed, replication, records).run()


def _rng(seed: int, replication: int, kind: str, name: str) -> np.random.Generator:
    key = zlib.crc32(f"{kind}:{name}".encode())
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(replication, key)))


class _Unit:
    def sample(self, rng: np.random.Generator, size: int) -> F8:
        return rng.random(size)


class _Buffer:
    """Draws of one distribution from one stream, in blocks."""

    def __init__(self, dist: Distribution, rng: np.random.Generator, what: str) -> None:
        self.dist, self.rng, self.what = dist, rng, what
        self.arr: F8 = np.empty(0)
        self.lst: list[float] = []
        self.pos = 0

    def _refill(self, n: int) -> None:
        fresh = draw(self.dist, self.rng, max(n, 4096), self.what)
        self.arr = np.concatenate([self.arr[self.pos :], fresh])
        self.lst = self.arr.tolist()
        self.pos = 0

    def take(self, n: int) -> F8:
        if self.pos + n > len(self.arr):
            self._refill(n)
        out = self.arr[self.pos : self.pos + n]
        self.pos += n
        return out

    def one(self) -> float:
        if self.pos >= len(self.lst):
            self._refill(1)
        v = self.lst[self.pos]
        self.pos += 1
        return v


# ---------------------------------------------------------------- the grid


def _minutes(t: Any) -> float:
    return float(t.hour * 60 + t.minute + t.second / 60)


class _Grid:
    """Open sessions in minutes since midnight of the first day (or one endless one)."""

    def __init__(self, scenario: Scenario) -> None:
        hall = scenario.hall
        self.days: list[date] = []
        if hall is None:
            self.opens = np.array([0.0])
            self.closes = np.array([INF])
            self.ticket_closes = self.closes
            self.sess_day = np.array([0])
            self.sess_no = np.array([0])
            self.day_first = np.array([0])
            self.warm_t = scenario.warmup
            self.warm_g = 0
            return
        cal = hall.calendar
        d = hall.start
        while not cal.is_working_day(d):
            d += timedelta(days=1)
        self.days = [d]
        for _ in range(hall.days - 1):
            self.days.append(cal.add_working_days(self.days[-1], 1))
        opens: list[float] = []
        closes: list[float] = []
        sday: list[int] = []
        sno: list[int] = []
        first: list[int] = []
        for i, day in enumerate(self.days):
            base = (day - self.days[0]).days * 1440.0
            sessions = hall.opening.sessions_on(day)
            if not sessions:
                raise ScenarioError(f"the hall has no opening hours on working day {day}")
            first.append(len(opens))
            for j, s in enumerate(sessions):
                opens.append(base + _minutes(s.start))
                closes.append(base + _minutes(s.end))
                sday.append(i)
                sno.append(j)
        self.opens, self.closes = np.array(opens), np.array(closes)
        self.ticket_closes = np.maximum(self.opens, self.closes - hall.last_ticket)
        self.sess_day, self.sess_no = np.array(sday), np.array(sno)
        self.day_first = np.array(first)
        self.warm_g = int(self.day_first[int(scenario.warmup)])
        self.warm_t = float(self.opens[self.warm_g])

    def day_base(self, i: int) -> float:
        return (self.days[i] - self.days[0]).days * 1440.0

    def session_of(self, t: F8) -> I8:
        out: I8 = np.maximum(np.searchsorted(self.opens, t, side="right") - 1, 0)
        return out

    def day_sessions(self, i: int) -> range:
        lo = int(self.day_first[i])
        hi = int(self.day_first[i + 1]) if i + 1 < len(self.days) else len(self.opens)
        return range(lo, hi)


# --------------------------------------------------------------- arrivals


class _PoissonSource:
    def __init__(self, rate: float, rng: np.random.Generator) -> None:
        self.mean, self.rng = 1.0 / rate, rng
        self.pending: F8 = np.empty(0)
        self.last = 0.0

    def until(self, end: float) -> F8:
        while not len(self.pending) or self.pending[-1] < end:
            more = self.last + np.cumsum(self.rng.exponential(self.mean, 8192))
            self.last = float(more[-1])
            self.pending = np.concatenate([self.pending, more])
        k = int(np.searchsorted(self.pending, end, side="left"))
        out, self.pending = self.pending[:k], self.pending[k:]
        return out


class _DaySource:
    """Walk-ins or appointments of one class, one working day at a time."""

    def __init__(
        self,
        pattern: DailyProfile | Appointments,
        grid: _Grid,
        scenario: Scenario,
        rng: np.random.Generator,
    ) -> None:
        self.pattern, self.grid, self.rng = pattern, grid, rng
        self.factor = np.ones(len(grid.days))
        if isinstance(pattern, DailyProfile) and pattern.surge is not None:
            assert scenario.hall is not None
            cal, surge = scenario.hall.calendar, pattern.surge
            for i, d in enumerate(grid.days):
                if (d - cal.add_working_days(d, -1)).days - 1 >= surge.min_days_off:
                    self.factor[i : i + surge.days] = surge.factor

    def day(self, i: int) -> F8:
        g, rng, p = self.grid, self.rng, self.pattern
        sessions = g.day_sessions(i)
        if isinstance(p, Appointments):
            slots = []
            for s in sessions:
                k = np.arange(0.0, g.ticket_closes[s] - g.opens[s], p.slot_minutes)
                slots.append(np.repeat(g.opens[s] + k, p.per_slot))
            slot = np.concatenate(slots)
            come = (rng.random(len(slot)) < p.booked) & (rng.random(len(slot)) >= p.no_show)
            t = slot + rng.normal(0.0, p.punctuality, len(slot)) if p.punctuality else slot
            s_idx = g.session_of(slot)
            t = np.clip(t, g.opens[s_idx], np.nextafter(g.ticket_closes[s_idx], -INF))
            return np.sort(t[come])
        base = g.day_base(i)
        lo_l, len_l, w_l = [], [], []
        for s in sessions:
            a, b = float(g.opens[s]), float(g.ticket_closes[s])
            h = math.floor((a - base) / 60)
            while base + h * 60 < b:
                lo, hi = max(a, base + h * 60), min(b, base + (h + 1) * 60)
                if hi > lo:
                    lo_l.append(lo)
                    len_l.append(hi - lo)
                    w_l.append(p.hourly[h % 24] * (hi - lo) / 60)
                h += 1
        w = np.asarray(w_l)
        if not len(w) or w.sum() <= 0:
            return np.empty(0)
        total = p.per_day * p.weekday[g.days[i].weekday()] * self.factor[i]
        counts = rng.poisson(total * w / w.sum())
        los = np.repeat(np.asarray(lo_l), counts)
        lens = np.repeat(np.asarray(len_l), counts)
        out: F8 = np.sort(los + rng.random(len(los)) * lens)
        return out


# ------------------------------------------------------------------ routing


def _targets_of(route: Route) -> Iterator[str | tuple[str, ...]]:
    if isinstance(route, str):
        yield route
    elif isinstance(route, Probabilistic):
        yield from (t for t, _ in route.targets if t is not None)
    elif isinstance(route, ByClass):
        for _, r in route.routes:
            yield from _targets_of(r)
        yield from _targets_of(route.default)
    elif isinstance(route, ShortestQueue):
        yield route.stations


def _resolve(route: Route, cls: npt.NDArray[np.int32], u: F8, run: _Run) -> I8:
    """The node each customer goes to (-1: leaves)."""
    n = len(cls)
    if route is None:
        return np.full(n, -1, dtype=np.int64)
    if isinstance(route, str):
        return np.full(n, run.node_of_station[route], dtype=np.int64)
    if isinstance(route, ShortestQueue):
        return np.full(n, run.node_of_group[route.stations], dtype=np.int64)
    if isinstance(route, Probabilistic):
        out = np.full(n, -1, dtype=np.int64)
        cum = 0.0
        taken = np.zeros(n, dtype=bool)
        for target, p in route.targets:
            cum += p
            hit = (u < cum) & ~taken
            taken |= hit
            if target is not None:
                out[hit] = run.node_of_station[target]
        return out
    out = _resolve(route.default, cls, u, run)
    for name, r in route.routes:
        if name not in run.class_index:
            raise ScenarioError(f"routing names unknown class {name!r}")
        m = cls == run.class_index[name]
        if m.any():
            out[m] = _resolve(r, cls[m], u[m], run)
    return out


# ------------------------------------------------------------------ stations


class _St:
    """The running state of one station."""

    def __init__(self, run: _Run, idx: int, station: Station, in_group: bool) -> None:
        sc, grid = run.scenario, run.grid
        self.run, self.idx, self.station, self.name = run, idx, station, station.name
        self.svc = [
            _Buffer(
                station.service_for(c.name),
                _rng(run.seed, run.replication, "service", f"{station.name}:{c.name}"),
                f"service at {station.name!r} for class {c.name!r}",
            )
            for c in sc.classes
        ]
        self.route = _Buffer(_Unit(), _rng(run.seed, run.replication, "route", station.name), "")
        self.named = [i for i, m in enumerate(sc.staff) if m.station == station.name]
        self.backup = station.backup
        # the fast path (Lindley's recursion on free times alone) keeps no counter
        # numbers: with records and several counters, the general way, which gives
        # the same times and numbers each visit's counter
        self.fast = (
            not self.named
            and station.speed is None
            and not in_group
            and self.backup is None
            and (not run.records or station.servers == 1)
        )
        self.hp: list[float] = [0.0] * station.servers
        self.wait = Accumulator()
        self.service_total = 0.0
        self.insys: list[float] = []
        self.g = -1
        self.heap: list[tuple[float, int]] = []
        self.brk: dict[int, list[tuple[float, float]]] = {}
        if self.named:
            self.roster = [
                [
                    k
                    for k in self.named
                    if sc.staff[k].works(
                        int(grid.sess_no[s]), grid.days[grid.sess_day[s]].weekday()
                    )
                ]
                for s in range(len(grid.opens))
            ]
            staff = self.named
        else:  # anonymous counters, numbered below zero
            staff = [-1 - k for k in range(station.servers)]
            self.roster = [staff] * len(grid.opens)
        self.last_free = dict.fromkeys(staff, 0.0)
        # spare counters (Station.backup): free time and opening time of the open ones
        self.close = INF
        self.spares: dict[int, float] = {}
        self.opened: dict[int, float] = {}
        self.starts: list[float] = []  # starts still ahead of the last arrival
        self.backup_calls = 0
        self.backup_minutes = 0.0

    @staticmethod
    def _weekday(grid: _Grid, s: int) -> int:
        return grid.days[int(grid.sess_day[s])].weekday()

    def frontier(self) -> float:
        if self.fast:
            return self.hp[0]
        if self.backup is not None:  # a spare may open at the next arrival
            return -INF
        if self.heap:
            return min(f for f, _ in self.heap)
        return min(self.last_free.values())

    def enter(self, g: int) -> None:
        self.close_spares()
        for f, k in self.heap:
            self.last_free[k] = f
        grid, sc = self.run.grid, self.run.scenario
        staff = self.roster[g]
        if not staff:
            raise ScenarioError(
                f"station {self.name!r} has nobody on the roster on "
                f"{grid.days[grid.sess_day[g]]}, session {grid.sess_no[g]}, "
                "when a customer arrives"
            )
        o = float(grid.opens[g])
        self.heap = [(max(self.last_free[k], o), k) for k in staff]
        heapq.heapify(self.heap)
        self.brk = {}
        if sc.hall is not None:
            base = grid.day_base(int(grid.sess_day[g]))
            hi = float(grid.closes[g])
            for k in staff:
                if k >= 0 and sc.staff[k].breaks:
                    b = sorted((base + _minutes(br.at), br.minutes) for br in sc.staff[k].breaks)
                    b = [x for x in b if o <= x[0] < hi]
                    if b:
                        self.brk[k] = b
        self.g = g
        self.close = float(grid.closes[g])

    def close_spares(self) -> None:
        """Close every open spare counter at the end of its last service."""
        for k, f in list(self.spares.items()):
            self._close(k, f)

    def _close(self, k: int, end: float) -> None:
        del self.spares[k]
        since = max(self.opened.pop(k), self.run.grid.warm_t)
        if end > since:
            self.backup_minutes += end - since

    def waiting(self, a: float) -> int:
        """Customers waiting at *a* among those arrived so far (a station with a backup)."""
        ws = self.starts
        while ws and ws[0] <= a:
            heapq.heappop(ws)
        return len(ws)

    def serve_backup(self, a: float, s: float) -> tuple[float, float, int]:
        """:meth:`serve` with spare counters called and released (see :class:`Backup`)."""
        bk = self.backup
        assert bk is not None
        q = self.waiting(a)
        sp = self.spares
        if sp and q <= bk.release_at:
            for k, f in list(sp.items()):
                if f <= a:
                    self._close(k, f)
        hp, close = self.heap, self.close
        if (
            len(sp) < bk.servers
            and q + 1 >= bk.call_at
            and a + s <= close
            and hp[0][0] > a
            and all(f > a for f in sp.values())
        ):
            base = -1 - self.station.servers
            k = next(base - j for j in range(bk.servers) if base - j not in sp)
            sp[k] = self.opened[k] = a
            if a >= self.run.grid.warm_t:
                self.backup_calls += 1
        best, kb = INF, 0
        for k, f in sp.items():
            st = a if a > f else f
            if st < best and st + s <= close:
                best, kb = st, k
        f0 = hp[0][0]
        if best < (a if a > f0 else f0):
            st, e, k = best, best + s, kb
            sp[k] = e
        else:
            st, e, k = self.serve(a, s)
        if st > a:
            heapq.heappush(self.starts, st)
        return st, e, k

    def in_system(self, a: float) -> int:
        ins = self.insys
        while ins and ins[0] <= a:
            heapq.heappop(ins)
        return len(ins)

    def serve(self, a: float, s: float) -> tuple[float, float, int]:
        hp, brk = self.heap, self.brk
        while True:
            f, k = hp[0]
            st = a if a > f else f
            if brk:
                b = brk.get(k)
                if b and st >= b[0][0]:
                    b0, dur = b.pop(0)
                    heapq.heapreplace(hp, ((f if f > b0 else b0) + dur, k))
                    self.run.break_time[k] = self.run.break_time.get(k, 0.0) + dur
                    continue
            e = st + s
            heapq.heapreplace(hp, (e, k))
            return st, e, k


def _fifo(arr: list[float], svc: list[float], hp: list[float]) -> tuple[list[float], list[float]]:
    """Starts and ends of FIFO customers at identical servers whose free times are *hp*."""
    starts: list[float] = []
    ends: list[float] = []
    if len(hp) == 1:
        f = hp[0]
        for a, s in zip(arr, svc, strict=True):
            st = a if a > f else f
            f = st + s
            starts.append(st)
            ends.append(f)
        hp[0] = f
        return starts, ends
    replace = heapq.heapreplace
    for a, s in zip(arr, svc, strict=True):
        f = hp[0]
        st = a if a > f else f
        e = st + s
        replace(hp, e)
        starts.append(st)
        ends.append(e)
    return starts, ends


# -------------------------------------------------------------------- run


class _Node:
    def __init__(self, members: list[_St]) -> None:
        self.members = members
        self.pending: list[Rec] = []
        self.upstream: set[int] = set()
        self.entry = False
        self.out = -INF


class _Desk:
    """The undecided cases of one matter at a back office of limited capacity.

    An entry is ``(promised, statutory, counted, open_case, base, record, row)``:
    the deadlines as days since the epoch (``promised`` ``None`` without a
    promise), whether the case counts in the statistics, its index among the
    carried cases (-1: a new case), the working-day index its working days are
    counted from, and where its record is (``None`` without records).
    """

    def __init__(self, back: BackOffice) -> None:
        assert back.capacity is not None
        self.capacity = back.capacity
        self.waiting: list[tuple[int, int, int, float, tuple[Any, ...]]] = []
        self.ready: list[tuple[int, float, int, tuple[Any, ...]]] = []

    def push(
        self, ready: int, due: int, accepted: float, order: int, entry: tuple[Any, ...]
    ) -> None:
        """Queue a case that can be decided from working day *ready* on."""
        heapq.heappush(self.waiting, (ready, order, due, accepted, entry))

    def decide(self, d: int) -> list[tuple[Any, ...]]:
        """The entries decided on working day *d*, earliest deadline first."""
        waiting, ready = self.waiting, self.ready
        while waiting and waiting[0][0] <= d:
            _, order, due, accepted, entry = heapq.heappop(waiting)
            heapq.heappush(ready, (due, accepted, order, entry))
        c = self.capacity
        cap = math.floor(c * (d + 1) + 1e-9) - math.floor(c * d + 1e-9)
        return [heapq.heappop(ready)[3] for _ in range(min(cap, len(ready)))]

    def left(self) -> Iterator[tuple[Any, ...]]:
        """The entries still undecided."""
        yield from (e for *_, e in self.waiting)
        yield from (e for *_, e in self.ready)


def _limit_deadline(cal: Any, days: Any, limit: TimeLimit, scale: float) -> Any:
    if limit.unit is LimitUnit.DAYS:
        return days + np.timedelta64(math.floor(limit.amount * scale + 1e-9), "D")
    if limit.unit is LimitUnit.WORKING_HOURS:
        n = max(1, math.ceil(limit.amount * scale / HOURS_PER_WORKING_DAY - 1e-9))
    else:
        n = math.floor(limit.amount * scale + 1e-9)
    return cal.add_working_days(days, n) if n > 0 else days


class _Run:
    def __init__(self, scenario: Scenario, seed: int, replication: int, records: bool) -> None:
        self.scenario, self.seed, self.replication = scenario, seed, replication
        self.records = records
        self.grid = _Grid(scenario)
        self.class_index = {c.name: i for i, c in enumerate(scenario.classes)}
        routes = [c.route for c in scenario.classes] + [s.next for s in scenario.stations]
        groups: list[tuple[str, ...]] = []
        for route in routes:
            for t in _targets_of(route):
                if isinstance(t, tuple) and t not in groups:
                    groups.append(t)
        grouped = {n for g in groups for n in g}
        self.stations = [
            _St(self, i, s, s.name in grouped) for i, s in enumerate(scenario.stations)
        ]
        by_name = {s.name: s for s in self.stations}
        self.node_list: list[_Node] = []
        self.node_of_station: dict[str, int] = {}
        self.node_of_group: dict[tuple[str, ...], int] = {}
        for s in self.stations:
            if s.name not in grouped:
                self.node_of_station[s.name] = len(self.node_list)
                self.node_list.append(_Node([s]))
        for g in groups:
            self.node_of_group[g] = len(self.node_list)
            self.node_list.append(_Node([by_name[n] for n in g]))
        self.order = self._topological()
        self.entry_u = [
            _Buffer(_Unit(), _rng(seed, replication, "entry", c.name), "") for c in scenario.classes
        ]
        self.break_time: dict[int, float] = {}
        self.staff_busy: dict[int, float] = {}
        self.staff_count: dict[int, int] = {}
        self.class_wait = [Accumulator() for _ in scenario.classes]
        self.class_tis = [0.0] * len(scenario.classes)
        ndays = max(len(self.grid.days), 1)
        self.day_n = np.zeros(ndays, dtype=np.int64)
        self.day_w = np.zeros(ndays)
        self.day_last = np.zeros(ndays)
        self.customers = 0
        self.last_arrival = 0.0
        self.visits: list[Rec] = []
        self.custs: list[Rec] = []
        self.cases: list[Rec] = []
        initial = scenario.initial
        self.matters = sorted(
            {c.matter for c in scenario.classes if c.matter}
            | {b.matter for b in scenario.back_office}
            | {c.matter for c in (initial.cases if initial is not None else ())}
        )
        nm = len(self.matters)
        self.m_n, self.m_prom, self.m_prom_n, self.m_stat, self.m_dec = (
            np.zeros(nm, dtype=np.int64) for _ in range(5)
        )
        self.m_days = np.zeros(nm)
        (
            self.m_carried,
            self.m_carried_prom,
            self.m_carried_stat,
            self.m_pending,
            self.m_overdue,
            self.m_missed,
        ) = (np.zeros(nm, dtype=np.int64) for _ in range(6))
        self.days64 = np.array(self.grid.days, dtype="datetime64[D]")
        self.day_ints: list[int] = self.days64.astype(np.int64).tolist()
        self.desks = {b.matter: _Desk(b) for b in scenario.back_office if b.officers is not None}
        self.desk_list = [(self.matters.index(m), d) for m, d in sorted(self.desks.items())]
        self.decided_through = 0  # back-office days decided: 0 … decided_through - 1
        self.back = {
            b.matter: (
                b,
                _Buffer(
                    b.processing,
                    _rng(seed, replication, "back_office", b.matter),
                    f"back office of {b.matter!r}",
                ),
            )
            for b in scenario.back_office
        }

    def _node_targets(self, routes: Iterable[Route]) -> set[int]:
        out: set[int] = set()
        for route in routes:
            for t in _targets_of(route):
                out.add(self.node_of_station[t] if isinstance(t, str) else self.node_of_group[t])
        return out

    def _topological(self) -> list[_Node]:
        nodes = self.node_list
        for i in self._node_targets(c.route for c in self.scenario.classes):
            nodes[i].entry = True
        down = [self._node_targets(m.station.next for m in n.members) for n in nodes]
        for i, targets in enumerate(down):
            for j in targets:
                nodes[j].upstream.add(i)
        indeg = [len(n.upstream) for n in nodes]
        ready = [i for i, d in enumerate(indeg) if d == 0]
        order: list[int] = []
        while ready:
            i = ready.pop(0)
            order.append(i)
            for j in sorted(down[i]):
                indeg[j] -= 1
                if indeg[j] == 0:
                    ready.append(j)
        if len(order) != len(nodes):
            loop = sorted(m.name for i, n in enumerate(nodes) if indeg[i] for m in n.members)
            raise ScenarioError(
                f"routing has a cycle through {loop}; the simulator handles feed-forward "
                "networks (a customer never returns to a station)"
            )
        return [nodes[i] for i in order]

    # ---------------------------------------------------------- arrivals

    def _blocks(self) -> Iterator[tuple[list[tuple[F8, int]], float]]:
        sc, grid = self.scenario, self.grid
        rngs = [
            [
                _rng(self.seed, self.replication, "arrivals", f"{c.name}:{j}")
                for j in range(len(c.arrivals))
            ]
            for c in sc.classes
        ]
        if sc.hall is not None:
            srcs = [
                (i, _DaySource(p, grid, sc, rngs[i][j]))
                for i, c in enumerate(sc.classes)
                for j, p in enumerate(c.arrivals)
                if not isinstance(p, Poisson)
            ]
            parts: list[tuple[F8, int]] = []
            if sc.initial is not None:  # waiting at the door: in at the first opening
                o = float(grid.opens[0])
                queues = sc.initial.queues
                parts += [
                    (np.full(queues[c.name], o), i)
                    for i, c in enumerate(sc.classes)
                    if queues.get(c.name, 0)
                ]
            for d in range(len(grid.days)):
                parts += [(src.day(d), i) for i, src in srcs]
                if d + 1 == len(grid.days):
                    yield parts, INF
                elif sum(len(p) for p, _ in parts) >= BLOCK // 4:
                    yield parts, float(grid.opens[grid.day_first[d + 1]])
                    parts = []
            return
        psrc = [
            (i, _PoissonSource(p.rate, rngs[i][j]))
            for i, c in enumerate(sc.classes)
            for j, p in enumerate(c.arrivals)
            if isinstance(p, Poisson)
        ]
        span = BLOCK / sum(s.mean**-1 for _, s in psrc)
        t, total = 0.0, 0
        while True:
            end = t + span
            last = False
            if sc.horizon is not None and end >= sc.horizon:
                end, last = sc.horizon, True
            parts = [(src.until(end), i) for i, src in psrc]
            n = sum(len(p) for p, _ in parts)
            if sc.customers is not None and total + n >= sc.customers:
                times = np.sort(np.concatenate([p for p, _ in parts]))
                cutoff = times[sc.customers - total - 1]
                parts = [(p[p <= cutoff], i) for p, i in parts]
                last = True
            total += sum(len(p) for p, _ in parts)
            yield parts, (INF if last else end)
            if last:
                return
            t = end

    # --------------------------------------------------------------- run

    def run(self) -> SimulationResult:
        counter = 0
        if self.scenario.initial is not None and self.scenario.initial.cases:
            self._carry()
        for parts, frontier in self._blocks():
            ts = np.concatenate([p for p, _ in parts])
            cl = np.concatenate([np.full(len(p), i, dtype=np.int32) for p, i in parts])
            order = np.argsort(ts, kind="stable")
            n = len(ts)
            b = np.empty(n, dtype=_MOVE)
            b["t"] = b["t0"] = ts[order]
            b["cls"] = cl[order]
            b["cust"] = np.arange(counter, counter + n)
            b["wsum"] = 0.0
            b["acc_station"] = -1
            b["acc_start"] = b["acc_end"] = np.nan
            b["acc_staff"] = -1
            counter += n
            self.customers += n
            if n:
                self.last_arrival = max(self.last_arrival, float(b["t"][-1]))
            for i, c in enumerate(self.scenario.classes):
                m = b["cls"] == i
                k = int(m.sum())
                if k:
                    self._send(b[m], _resolve(c.route, b["cls"][m], self.entry_u[i].take(k), self))
            for node in self.order:
                cut = frontier if node.entry else INF
                for up in node.upstream:
                    cut = min(cut, self.node_list[up].out)
                self._process(node, cut)
            if self.desks:
                self._decide_until(self._settled(frontier))
        if self.desks:
            self._decide_until(len(self.grid.days))
            self._pending()
        return self._result()

    def _send(self, b: Rec, target: I8) -> None:
        gone = target == -1
        if gone.any():
            self._exit(b[gone])
        for node_id in np.unique(target[~gone]).tolist():
            self.node_list[node_id].pending.append(b[target == node_id])

    def _process(self, node: _Node, cut: float) -> None:
        if node.pending:
            b = np.concatenate(node.pending) if len(node.pending) > 1 else node.pending[0]
            b = b[np.argsort(b["t"], kind="stable")]
            k = int(np.searchsorted(b["t"], cut, side="right"))
            node.pending = [b[k:]] if k < len(b) else []
            if k:
                self._serve(node, b[:k])
        node.out = max(min(m.frontier() for m in node.members), cut)

    def _serve(self, node: _Node, b: Rec) -> None:
        n = len(b)
        members = node.members
        if len(members) == 1 and members[0].fast:
            st = members[0]
            svc = self._service(st, b["cls"])
            s_l, e_l = _fifo(b["t"].tolist(), svc.tolist(), st.hp)
            self._after(st, b, np.array(s_l), np.array(e_l), np.full(n, -1, dtype=np.int64))
            return
        sess = self.grid.session_of(b["t"]).tolist()
        ts = b["t"].tolist()
        cls = b["cls"].tolist()
        start, end = np.empty(n), np.empty(n)
        server = np.empty(n, dtype=np.int64)
        which = np.zeros(n, dtype=np.int64)
        single = len(members) == 1
        for i in range(n):
            a, g = ts[i], sess[i]
            for m in members:
                if m.g != g:
                    m.enter(g)
            j = 0
            if not single:
                best = INF
                for jj, m in enumerate(members):
                    q = m.waiting(a) if m.backup else m.in_system(a) - len(m.heap)
                    if q < best:
                        j, best = jj, q
            mj = members[j]
            s = mj.svc[cls[i]].one()
            if mj.station.speed is not None:
                s = s / float(mj.station.speed(mj.in_system(a) + 1))
            t_start, t_end, k = mj.serve_backup(a, s) if mj.backup else mj.serve(a, s)
            if not single or mj.station.speed is not None:
                heapq.heappush(mj.insys, t_end)
            start[i], end[i], server[i], which[i] = t_start, t_end, k, j
        for j, m in enumerate(members):
            sel = which == j
            if sel.any():
                self._after(m, b[sel], start[sel], end[sel], server[sel])

    def _service(self, st: _St, cls: npt.NDArray[np.int32]) -> F8:
        if len(st.svc) == 1:
            return st.svc[0].take(len(cls))
        out = np.empty(len(cls))
        for i, buf in enumerate(st.svc):
            m = cls == i
            c = int(m.sum())
            if c:
                out[m] = buf.take(c)
        return out

    def _after(self, st: _St, b: Rec, start: F8, end: F8, server: I8) -> None:
        wait = start - b["t"]
        busy = end - start
        inc = b["t0"] >= self.grid.warm_t
        if inc.all():
            st.wait.add(wait)
            st.service_total += float(busy.sum())
        else:
            st.wait.add(wait[inc])
            st.service_total += float(busy[inc].sum())
        named = (server >= 0) & inc
        if named.any():
            uk, inv = np.unique(server[named], return_inverse=True)
            sums = np.bincount(inv, weights=busy[named])
            counts = np.bincount(inv)
            for k, s_, c_ in zip(uk.tolist(), sums.tolist(), counts.tolist(), strict=True):
                self.staff_busy[k] = self.staff_busy.get(k, 0.0) + s_
                self.staff_count[k] = self.staff_count.get(k, 0) + c_
        if self.records:
            v = np.empty(len(b), dtype=VISIT)
            v["customer"], v["cls"], v["station"] = b["cust"], b["cls"], st.idx
            v["server"], v["arrival"], v["start"], v["end"] = server, b["t"], start, end
            self.visits.append(v)
        b = b.copy()
        b["wsum"] += wait
        if st.station.accepts:
            first = b["acc_station"] < 0
            if first.any():
                b["acc_station"][first] = st.idx
                b["acc_start"][first] = start[first]
                b["acc_end"][first] = end[first]
                b["acc_staff"][first] = server[first]
        b["t"] = end
        self._send(b, _resolve(st.station.next, b["cls"], st.route.take(len(b)), self))

    # -------------------------------------------------------------- exits

    def _exit(self, b: Rec) -> None:
        inc = b["t0"] >= self.grid.warm_t
        for i in np.unique(b["cls"]).tolist():
            m = (b["cls"] == i) & inc
            self.class_wait[i].add(b["wsum"][m])
            self.class_tis[i] += float((b["t"][m] - b["t0"][m]).sum())
        if self.grid.days:
            day = self.grid.sess_day[self.grid.session_of(b["t0"])]
            nd = len(self.day_n)
            self.day_n += np.bincount(day, minlength=nd)
            self.day_w += np.bincount(day, weights=b["wsum"], minlength=nd)
            np.maximum.at(self.day_last, day, b["t"])
        if self.records:
            c = np.empty(len(b), dtype=CUSTOMER)
            c["customer"], c["cls"], c["arrival"] = b["cust"], b["cls"], b["t0"]
            c["departure"], c["wait"] = b["t"], b["wsum"]
            self.custs.append(c)
        if self.matters:
            self._cases(b, inc)

    def _cases(self, b: Rec, inc: npt.NDArray[np.bool_]) -> None:
        sc = self.scenario
        assert sc.hall is not None and sc.catalogue is not None
        cal = sc.hall.calendar
        d0 = np.datetime64(self.grid.days[0], "D")
        for mi, code in enumerate(self.matters):
            cls_ids = [i for i, c in enumerate(sc.classes) if c.matter == code]
            m = np.isin(b["cls"], cls_ids) & (b["acc_station"] >= 0)
            if not m.any():
                continue
            sub, sub_inc = b[m], inc[m]
            n = len(sub)
            acc_day = d0 + np.floor(sub["acc_end"] / 1440).astype("timedelta64[D]")
            matter = sc.catalogue.matters[code]
            back = self.back.get(code)
            scale = back[0].limit_scale if back else 1.0
            if back is not None:
                k = np.ceil(back[1].take(n) - 1e-12).astype(np.int64)
            else:
                k = np.zeros(n, dtype=np.int64)
            # the day processing ends: decided, or ready at a back office of limited capacity
            done = acc_day.copy()
            later = k > 0
            if later.any():
                done[later] = cal.add_working_days(acc_day[later], k[later])
            stat = _limit_deadline(cal.statutory, acc_day, matter.statutory, 1.0)
            if matter.promised is not None:
                prom = _limit_deadline(cal.promised, acc_day, matter.promised, scale)
            else:
                prom = np.full(n, NAT)
            if code in self.desks:
                self._queue(mi, sub, sub_inc, acc_day, done, prom, stat)
                continue
            on_stat = done <= stat
            if matter.promised is not None:
                on_prom = (done <= prom).astype(np.int8)
            else:
                on_prom = np.full(n, -1, dtype=np.int8)
            if matter.kind is HandlingKind.IMMEDIATE and back is None:
                on_prom[:] = np.where(on_prom >= 0, 1, -1)
            self.m_n[mi] += int(sub_inc.sum())
            self.m_dec[mi] += int(sub_inc.sum())
            self.m_stat[mi] += int(on_stat[sub_inc].sum())
            self.m_prom[mi] += int((on_prom[sub_inc] == 1).sum())
            self.m_prom_n[mi] += int((on_prom[sub_inc] >= 0).sum())
            self.m_missed[mi] += int((on_prom[sub_inc] == 0).sum())
            self.m_days[mi] += float(k[sub_inc].sum())
            if self.records:
                c = self._case_records(mi, sub, acc_day, prom, stat)
                c["decided_day"], c["working_days"] = done, k
                c["on_time_promised"], c["on_time_statutory"] = on_prom, on_stat
                self.cases.append(c)

    @staticmethod
    def _case_records(mi: int, sub: Rec, acc_day: Any, prom: Any, stat: Any) -> Rec:
        """The case records of customers *sub*, accepted for matter *mi*: who, when, deadlines.

        The outcome (decided day, working days, timeliness) is left to the caller.
        """
        c = np.empty(len(sub), dtype=CASE)
        c["customer"], c["cls"], c["matter"] = sub["cust"], sub["cls"], mi
        c["station"], c["staff"] = sub["acc_station"], sub["acc_staff"]
        c["submitted"], c["accepted"] = sub["acc_start"], sub["acc_end"]
        c["accepted_day"] = acc_day
        c["promised_deadline"], c["statutory_deadline"] = prom, stat
        c["carried"], c["open_case"] = False, -1
        return c

    # ---------------------------------------------------- limited back office

    def _queue(
        self,
        mi: int,
        sub: Rec,
        inc: npt.NDArray[np.bool_],
        acc_day: Any,
        ready: Any,
        prom: Any,
        stat: Any,
    ) -> None:
        """Queue new cases at a back office of limited capacity.

        *ready* is the day each can be decided from; *prom* and *stat* its
        deadlines (``NaT`` without a promise).
        """
        sc = self.scenario
        assert sc.catalogue is not None
        code = self.matters[mi]
        promised = sc.catalogue.matters[code].promised is not None
        n = len(sub)
        ready_idx = np.searchsorted(self.days64, ready, side="left").tolist()
        base = (np.searchsorted(self.days64, acc_day, side="right") - 1).tolist()
        stat_i = stat.astype(np.int64).tolist()
        if promised:
            prom_i: list[Any] = prom.astype(np.int64).tolist()
            due: list[int] = prom_i
        else:
            prom_i = [None] * n
            due = stat_i
        self.m_n[mi] += int(inc.sum())
        rec = None
        if self.records:
            rec = self._case_records(mi, sub, acc_day, prom, stat)
            rec["decided_day"], rec["working_days"] = NAT, -1
            rec["on_time_promised"] = 0 if promised else -1
            rec["on_time_statutory"] = False
            self.cases.append(rec)
        desk = self.desks[code]
        acc, cust, counted = sub["acc_end"].tolist(), sub["cust"].tolist(), inc.tolist()
        for j in range(n):
            entry = (prom_i[j], stat_i[j], counted[j], -1, base[j], rec, j)
            desk.push(ready_idx[j], due[j], acc[j], cust[j], entry)

    def _settled(self, frontier: float) -> int:
        """The first working day on which a case not yet filed may still be accepted."""
        lo = frontier
        for node in self.node_list:
            for p in node.pending:
                if len(p):
                    accepted = p["acc_station"] >= 0
                    if accepted.any():
                        lo = min(lo, float(p["acc_end"][accepted].min()))
                    if not accepted.all():
                        lo = min(lo, float(p["t"][~accepted].min()))
        if lo == INF:
            return len(self.grid.days)
        day = self.days64[0] + np.timedelta64(math.floor(lo / 1440), "D")
        return int(np.searchsorted(self.days64, day, side="left"))

    def _decide_until(self, end: int) -> None:
        """Let the back offices of limited capacity decide on working days before *end*."""
        end = min(end, len(self.grid.days))
        for d in range(self.decided_through, end):
            for mi, desk in self.desk_list:
                if desk.waiting or desk.ready:
                    for entry in desk.decide(d):
                        self._decided(mi, entry, d)
        self.decided_through = max(self.decided_through, end)

    def _decided(self, mi: int, entry: tuple[Any, ...], d: int) -> None:
        prom, stat, counted, open_case, base, rec, row = entry
        day = self.day_ints[d]
        on_stat = day <= stat
        on_prom = None if prom is None else day <= prom
        if open_case >= 0:
            self.m_carried_stat[mi] += on_stat
            self.m_carried_prom[mi] += on_prom is True
            self.m_missed[mi] += on_prom is False
        elif counted:
            self.m_dec[mi] += 1
            self.m_stat[mi] += on_stat
            if on_prom is not None:
                self.m_prom_n[mi] += 1
                self.m_prom[mi] += on_prom
                self.m_missed[mi] += not on_prom
            self.m_days[mi] += d - base
        if rec is not None:
            r = rec[row]
            r["decided_day"] = self.days64[d]
            r["working_days"] = d - base
            r["on_time_statutory"] = on_stat
            r["on_time_promised"] = -1 if on_prom is None else int(on_prom)

    def _pending(self) -> None:
        """Count the cases left undecided at the end of the last day."""
        last = self.day_ints[-1]
        for mi, desk in self.desk_list:
            for prom, stat, counted, open_case, *_ in desk.left():
                if open_case < 0 and not counted:
                    continue
                self.m_pending[mi] += 1
                self.m_overdue[mi] += (stat if prom is None else prom) <= last
                self.m_missed[mi] += prom is not None and prom <= last

    # ---------------------------------------------------------- warm start

    def _carry(self) -> None:
        """Put the warm start's open cases in their back offices on the first day."""
        sc = self.scenario
        initial = sc.initial
        assert initial is not None and sc.hall is not None and sc.catalogue is not None
        cal = sc.hall.calendar
        day0 = self.grid.days[0]
        at_day = initial.local_date(cal)
        at64 = np.datetime64(at_day, "D")
        since_at = int(cal.working_days_between(at_day, day0))  # day0 included
        total = len(initial.cases)
        by_matter: dict[str, list[int]] = {}
        for i, c in enumerate(initial.cases):
            by_matter.setdefault(c.matter, []).append(i)
        for code, idx in sorted(by_matter.items()):
            mi = self.matters.index(code)
            cases = [initial.cases[i] for i in idx]
            n = len(cases)
            used = np.array([c.working_days_used for c in cases], dtype=np.int64)
            back = self.back.get(code)
            left = self._residual(back[0], used) if back is not None else np.zeros(n, np.int64)
            ready = np.full(n, at64)
            later = left > 0
            if later.any():
                ready[later] = cal.add_working_days(ready[later], left[later])
            ready = np.maximum(ready, self.days64[0])
            stat = np.array([c.statutory_deadline for c in cases], dtype="datetime64[D]")
            prom = np.array(
                [NAT if c.promised_deadline is None else c.promised_deadline for c in cases],
                dtype="datetime64[D]",
            )
            has_prom = ~np.isnat(prom)
            self.m_carried[mi] += n
            rec = None
            if self.records:
                rec = np.empty(n, dtype=CASE)
                rec["customer"], rec["cls"], rec["matter"] = -1, -1, mi
                rec["station"], rec["staff"] = -1, -1
                rec["submitted"], rec["accepted"] = np.nan, np.nan
                rec["accepted_day"] = np.array(
                    [NAT if c.accepted_on is None else c.accepted_on for c in cases],
                    dtype="datetime64[D]",
                )
                rec["decided_day"], rec["working_days"] = NAT, -1
                rec["promised_deadline"], rec["statutory_deadline"] = prom, stat
                rec["on_time_promised"] = np.where(has_prom, 0, -1)
                rec["on_time_statutory"] = False
                rec["carried"], rec["open_case"] = True, idx
                self.cases.append(rec)
            # working days used at working day d: used + since_at + d
            base = (-(used + since_at)).tolist()
            desk = self.desks.get(code)
            if desk is None:  # unlimited capacity: decided when ready
                on_stat = ready <= stat
                on_prom = has_prom & (ready <= prom)
                self.m_carried_stat[mi] += int(on_stat.sum())
                self.m_carried_prom[mi] += int(on_prom.sum())
                self.m_missed[mi] += int((has_prom & ~on_prom).sum())
                if rec is not None:
                    rec["decided_day"] = ready
                    rec["working_days"] = used + cal.working_days_between(np.full(n, at64), ready)
                    rec["on_time_statutory"] = on_stat
                    rec["on_time_promised"] = np.where(has_prom, on_prom, -1)
                continue
            ready_idx = np.searchsorted(self.days64, ready, side="left").tolist()
            stat_i = stat.astype(np.int64).tolist()
            prom_l: list[int | None] = [
                p if h else None
                for p, h in zip(prom.astype(np.int64).tolist(), has_prom.tolist(), strict=True)
            ]
            for j, c in enumerate(cases):
                accepted = -INF if c.accepted_on is None else (c.accepted_on - day0).days * 1440.0
                p = prom_l[j]
                due = stat_i[j] if p is None else p
                entry = (p, stat_i[j], True, idx[j], base[j], rec, j)
                desk.push(ready_idx[j], due, accepted, idx[j] - total, entry)

    def _residual(self, back: BackOffice, used: I8) -> I8:
        """Working days of processing left, given *used*: draws of *processing* above it.

        Draws are rejected until one exceeds the working days used, in a
        bounded number of rounds; a case whose draws never do has none left.
        """
        n = len(used)
        rng = _rng(self.seed, self.replication, "warm", back.matter)
        out = np.zeros(n, dtype=np.int64)
        todo = np.arange(n)
        what = f"back office of {back.matter!r} (warm start)"
        for _ in range(WARM_ROUNDS):
            if not len(todo):
                break
            x = draw(back.processing, rng, len(todo) * WARM_BATCH, what)
            k = np.ceil(x - 1e-12).astype(np.int64).reshape(len(todo), WARM_BATCH)
            over = k > used[todo][:, None]
            hit = over.any(axis=1)
            first = over.argmax(axis=1)
            rows = todo[hit]
            out[rows] = k[hit, first[hit]] - used[rows]
            todo = todo[~hit]
        return out

    # ------------------------------------------------------------ results

    def _result(self) -> SimulationResult:
        sc, grid = self.scenario, self.grid
        if sc.hall is not None:
            lengths = (grid.closes - grid.opens)[grid.warm_g :]
            observed = float(lengths.sum())
        else:
            end = sc.horizon if sc.horizon is not None else self.last_arrival
            observed = max(end - sc.warmup, 0.0)
        rostered: dict[int, float] = {}
        for st in self.stations:
            st.close_spares()
            for g in range(grid.warm_g, len(grid.opens)):
                length = float(grid.closes[g] - grid.opens[g]) if sc.hall else observed
                for k in st.roster[g]:
                    rostered[k] = rostered.get(k, 0.0) + length
        stations = {}
        for st in self.stations:
            w = st.wait
            avail = sum(rostered.get(k, 0.0) for k in st.last_free) + st.backup_minutes
            stations[st.name] = StationSummary(
                station=st.name,
                customers=w.n,
                mean_wait=w.mean,
                sd_wait=w.sd,
                p_wait=w.positive / w.n if w.n else math.nan,
                p50_wait=w.percentile(50),
                p90_wait=w.percentile(90),
                p95_wait=w.percentile(95),
                p99_wait=w.percentile(99),
                max_wait=w.maximum,
                mean_service=st.service_total / w.n if w.n else math.nan,
                mean_sojourn=(w.total + st.service_total) / w.n if w.n else math.nan,
                mean_queue=w.total / observed if observed else math.nan,
                utilisation=st.service_total / avail if avail else math.nan,
                backup_calls=st.backup_calls,
                backup_minutes=st.backup_minutes,
            )
        classes = {
            c.name: ClassSummary(
                name=c.name,
                customers=acc.n,
                mean_wait=acc.mean,
                p90_wait=acc.percentile(90),
                p95_wait=acc.percentile(95),
                mean_time_in_system=tis / acc.n if acc.n else math.nan,
            )
            for c, acc, tis in zip(sc.classes, self.class_wait, self.class_tis, strict=True)
        }
        days = {}
        for i, d in enumerate(grid.days):
            n = int(self.day_n[i])
            days[d.isoformat()] = DaySummary(
                day=d.isoformat(),
                arrivals=n,
                mean_wait=float(self.day_w[i] / n) if n else math.nan,
                last_departure=float(self.day_last[i] - grid.day_base(i)) if n else math.nan,
            )
        staff = {}
        for k, member in enumerate(sc.staff):
            r = rostered.get(k, 0.0)
            busy = self.staff_busy.get(k, 0.0)
            staff[member.name] = StaffSummary(
                name=member.name,
                station=member.station,
                customers=self.staff_count.get(k, 0),
                busy=busy,
                rostered=r,
                breaks=self.break_time.get(k, 0.0),
                utilisation=busy / r if r else math.nan,
            )
        matters = {}
        for mi, code in enumerate(self.matters):
            n = int(self.m_n[mi])
            dec = int(self.m_dec[mi])
            pn = int(self.m_prom_n[mi])
            matters[code] = MatterSummary(
                matter=code,
                cases=n,
                on_time_promised=self.m_prom[mi] / pn if pn else math.nan,
                on_time_statutory=self.m_stat[mi] / dec if dec else math.nan,
                mean_working_days=self.m_days[mi] / dec if dec else math.nan,
                carried=int(self.m_carried[mi]),
                carried_on_time_promised=int(self.m_carried_prom[mi]),
                carried_on_time_statutory=int(self.m_carried_stat[mi]),
                pending=int(self.m_pending[mi]),
                overdue=int(self.m_overdue[mi]),
                missed_promised=int(self.m_missed[mi]),
            )
        summary = Summary(
            scenario=sc.name,
            seed=self.seed,
            replication=self.replication,
            customers=self.customers,
            observed=observed,
            stations=stations,
            classes=classes,
            days=days,
            staff=staff,
            matters=matters,
        )

        def cat(parts: list[Rec], dtype: np.dtype[Any]) -> Rec | None:
            if not self.records:
                return None
            out = np.concatenate(parts) if parts else np.empty(0, dtype=dtype)
            return out[np.argsort(out["customer"], kind="stable")]

        return SimulationResult(
            scenario=sc,
            summary=summary,
            visits=cat(self.visits, VISIT),
            customers=cat(self.custs, CUSTOMER),
            cases=cat(self.cases, CASE),
            first_day=grid.days[0] if grid.days else None,
            matters=tuple(self.matters),
        )
