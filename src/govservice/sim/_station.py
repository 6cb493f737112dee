"""One station's running state: its counters, its queue, its routing.

Private to the engine.  A station is served in one of three ways:

- *Lindley's recursion on free times alone* (``St.fast``): identical
  anonymous counters, first come first served — customers taken in order of
  arrival each get the counter that frees first, with a heap of free times;
  patience and baulking are decided at arrival, since a customer's start is
  then already known.
- *counter by counter, in arrival order* (``St.serve``): the same recursion
  with each counter named — staff, breaks, shifts and hourly staffing, spare
  counters, state-dependent speed, shortest-queue groups.
- *customer by customer* (``St.arrive``/``St.free``, driven by the event loop
  of :mod:`govservice.sim._network`): a queue kept as it is, for priorities,
  dedicated counters and customers coming back.
"""

from __future__ import annotations

import bisect
import heapq
from collections import deque
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from govservice.sim._grid import F8, I8, INF, Buffer, Grid, Uniform, minutes, stream
from govservice.sim.errors import ScenarioError
from govservice.sim.records import BAULKED, NO_COUNTER, RENEGED, SERVED
from govservice.sim.scenario import (
    Baulk,
    ByClass,
    ByVisit,
    Probabilistic,
    Return,
    Route,
    ShortestQueue,
    StaffMember,
    Station,
)
from govservice.sim.summary import Accumulator
from govservice.text import N_, Message

if TYPE_CHECKING:
    from govservice.sim._network import EventNode
    from govservice.sim.engine import _Run

LEAVE = -1
# a customer in the event loop: who, class, first arrival, total wait, acceptance
# (station, start, end, counter), visits by station, last counter by station
CUST, CLS, T0, WSUM, ACC_ST, ACC_START, ACC_END, ACC_K, VISITS, LAST = range(10)
WAITING, STARTED, GONE = 0, 1, 2

# ------------------------------------------------------------------ routing

Table = tuple[list[float], list[int]]
"""Cumulative probabilities and targets: target ``i`` where ``u < cums[i]`` first
(the last target for the rest).  A target is a station index, ``LEAVE``, a
shortest-queue group (``stations + g``), or back to the counter of station
``x`` (``-2 - x``)."""


class Router:
    """A route compiled for each class: one table per visit (``ByVisit``), else one."""

    def __init__(
        self,
        route: Route,
        classes: Sequence[str],
        station_index: dict[str, int],
        group_code: dict[tuple[str, ...], int],
    ) -> None:
        self.station_index, self.group_code = station_index, group_code
        self.known = set(classes)
        self.tables = [self._compile(route, c) for c in classes]
        first = [t[0] for t in self.tables]
        self.shared = all(f == first[0] for f in first)
        self.by_visit = any(len(t) > 1 for t in self.tables)
        self.returns = any(x < LEAVE for t in self.tables for _, xs in t for x in xs)
        single = self.shared and not self.by_visit
        self.fixed: int | None = first[0][1][0] if single and not first[0][0] else None
        self.cums = [np.asarray(c) for c, _ in first]
        self.targets = [np.asarray(t, dtype=np.int64) for _, t in first]

    def _compile(self, route: Route, cls: str) -> list[Table]:
        if route is None:
            return [([], [LEAVE])]
        if isinstance(route, str):
            return [([], [self.station_index[route]])]
        if isinstance(route, Return):
            return [([], [-2 - self.station_index[route.station]])]
        if isinstance(route, ShortestQueue):
            return [([], [self.group_code[route.stations]])]
        if isinstance(route, Probabilistic):
            cums: list[float] = []
            targets: list[int] = []
            cum = 0.0
            for target, p in route.targets:
                cum += p
                cums.append(cum)
                targets.append(LEAVE if target is None else self.station_index[target])
            return [(cums, [*targets, LEAVE])]
        if isinstance(route, ByClass):
            for name, _ in route.routes:
                if name not in self.known:
                    raise ScenarioError(
                        Message(N_("routing names unknown class %(name)r"), {"name": name})
                    )
            return self._compile(dict(route.routes).get(cls, route.default), cls)
        if isinstance(route, ByVisit):
            return [self._compile(r, cls)[0] for r in route.routes]
        raise ScenarioError(Message(N_("not a route: %(route)r"), {"route": route}))

    def many(self, cls: npt.NDArray[np.int32], u: F8) -> I8:
        """The targets of customers on their first visit."""
        if self.shared:
            return self._pick(0, u)
        out = np.empty(len(cls), dtype=np.int64)
        for i in np.unique(cls).tolist():
            m = cls == i
            out[m] = self._pick(i, u[m])
        return out

    def _pick(self, i: int, u: F8) -> I8:
        targets = self.targets[i]
        if len(targets) == 1:
            return np.full(len(u), targets[0], dtype=np.int64)
        out: I8 = targets[np.searchsorted(self.cums[i], u, side="right")]
        return out

    def drawn(self, route: Buffer) -> Callable[[], int] | None:
        """Targets one at a time, drawn from *route* in blocks.

        Only where every class and visit go by one table (else ``None``: see
        :meth:`one`).
        """
        if not self.shared or self.by_visit:
            return None
        return route.stream(lambda u: self._pick(0, u).tolist()).__next__

    def one(self, cls: int, u: float, visit: int) -> int:
        """The target of one customer after his *visit*-th visit here."""
        tables = self.tables[cls]
        cums, targets = tables[visit - 1 if visit < len(tables) else -1]
        return targets[bisect.bisect_right(cums, u)] if cums else targets[0]


# ------------------------------------------------------------------ counters


def _on_duty(member: StaffMember, grid: Grid, g: int) -> bool:
    day = grid.days[int(grid.sess_day[g])]
    if not member.works_on(day, int(grid.sess_no[g])):
        return False
    if member.hours is None:
        return True
    base = grid.day_base(int(grid.sess_day[g]))
    start, end = (base + minutes(t) for t in member.hours)
    return start < float(grid.closes[g]) and end > float(grid.opens[g])


class St:
    """The running state of one station."""

    def __init__(
        self, run: _Run, idx: int, station: Station, in_group: bool, queued: str | None
    ) -> None:
        sc, grid = run.scenario, run.grid
        self.run, self.idx, self.station, self.name = run, idx, station, station.name
        seed, rep = run.seed, run.replication
        self.svc = [
            Buffer(
                station.service_for(c.name),
                stream(seed, rep, "service", f"{station.name}:{c.name}"),
                f"service at {station.name!r} for class {c.name!r}",
            )
            for c in sc.classes
        ]
        self.route = Buffer(Uniform(), stream(seed, rep, "route", station.name), "")
        self.router = run.router(station.next)
        self.target = self.router.drawn(self.route)  # None: router.one() each
        self.pat: list[Buffer | None] = []
        for c in sc.classes:
            d = c.patience_at(station.name)
            self.pat.append(
                None
                if d is None
                else Buffer(
                    d,
                    stream(seed, rep, "patience", f"{station.name}:{c.name}"),
                    f"patience of class {c.name!r} at {station.name!r}",
                )
            )
        self.baulks: list[Baulk | None] = [c.baulk_at(station.name) for c in sc.classes]
        self.track = any(b is not None for b in self.baulks)  # keeps the queue's leave times
        self.patient = self.track or any(p is not None for p in self.pat)
        self.named = [i for i, m in enumerate(sc.staff) if m.station == station.name]
        self.backup = station.backup
        self.staffing = station.staffing
        self.shaped = self.staffing is not None or any(
            sc.staff[k].hours is not None for k in self.named
        )
        self.queued = queued is not None
        self.place = 0  # its index in its node
        self.tight = queued == "tight"  # in a TightNode: identical anonymous counters
        # the fast path (Lindley's recursion on free times alone) keeps no counter
        # numbers: with records and several counters, the general way, which gives
        # the same times and numbers each visit's counter
        self.fast = (
            not self.named
            and station.speed is None
            and not in_group
            and self.backup is None
            and not self.shaped
            and queued is None
            and (not run.records or station.servers == 1)
        )
        self.hp: list[float] = [0.0] * station.servers
        self.wait = Accumulator()
        self.service_total = 0.0
        self.abandoned = 0
        self.baulked = 0
        self.mean = [0.0, 0]  # service times of those who joined: sum, count
        self.insys: list[float] = []
        self.g = -1
        self.heap: list[tuple[float, int]] = []
        self.brk: dict[int, list[tuple[float, float, float]]] = {}
        self.on: set[int] = set()
        if self.named:
            self.roster = [
                [k for k in self.named if _on_duty(sc.staff[k], grid, s)]
                for s in range(len(grid.opens))
            ]
            staff = self.named
        elif self.staffing is not None:
            most = self.staffing.most(station.servers)
            staff = [-1 - k for k in range(most)]
            self.roster = [staff[: max(self._counts(s), default=0)] for s in range(len(grid.opens))]
        else:  # anonymous counters, numbered below zero
            staff = [-1 - k for k in range(station.servers)]
            self.roster = [staff] * len(grid.opens)
        self.last_free = dict.fromkeys(staff, 0.0)
        # spare counters (Station.backup): free time and opening time of the open ones
        self.close = INF
        self.spares: dict[int, float] = {}
        self.opened: dict[int, float] = {}
        self.starts: list[float] = []  # when those who joined leave the queue, still ahead
        self.backup_calls = 0
        self.backup_minutes = 0.0
        if queued is not None:
            self._queues(run, staff)
        if self.tight:
            self.heap = [(0.0, k) for k in staff]
            heapq.heapify(self.heap)

    # -------------------------------------------------------------- shifts

    def _counts(self, g: int) -> list[int]:
        """Counters open in each hour of session *g* (hourly staffing)."""
        assert self.staffing is not None
        grid = self.run.grid
        day = grid.days[int(grid.sess_day[g])]
        return [
            self.staffing.counters(day, h, self.station.servers)
            for _, _, h in grid.hour_segments(g)
        ]

    def available(self, g: int) -> dict[int, list[tuple[float, float]]]:
        """When each counter on the roster of session *g* is at work within it."""
        grid = self.run.grid
        o, c = float(grid.opens[g]), float(grid.closes[g])
        if not self.shaped:
            return {k: [(o, c)] for k in self.roster[g]}
        out: dict[int, list[tuple[float, float]]] = {}
        if self.named:
            base = grid.day_base(int(grid.sess_day[g]))
            for k in self.roster[g]:
                hours = self.run.scenario.staff[k].hours
                if hours is None:
                    out[k] = [(o, c)]
                else:
                    out[k] = [(max(o, base + minutes(hours[0])), min(c, base + minutes(hours[1])))]
            return out
        day = grid.days[int(grid.sess_day[g])]
        for (lo, hi, h), n in zip(grid.hour_segments(g), self._counts(g), strict=True):
            if n < 1:
                raise ScenarioError(
                    Message(
                        N_(
                            "station %(name)r has no counter open on %(day)s at %(h)s:00 "
                            "(staffing): every open hour needs one"
                        ),
                        {"name": self.name, "day": day, "h": f"{h:02d}"},
                    )
                )
            for j in range(n):
                spans = out.setdefault(-1 - j, [])
                if spans and spans[-1][1] == lo:
                    spans[-1] = (spans[-1][0], hi)
                else:
                    spans.append((lo, hi))
        return out

    def rostered(self, g: int) -> dict[int, float]:
        """Minutes each counter on the roster of session *g* is at work within it."""
        return {k: sum(b - a for a, b in spans) for k, spans in self.available(g).items()}

    def frontier(self) -> float:
        if self.fast:
            return self.hp[0]
        if self.tight:
            return self.heap[0][0]
        if self.backup is not None:  # a spare may open at the next arrival
            return -INF
        if self.heap:
            return min(f for f, _ in self.heap)
        return min(self.last_free.values())

    def enter(self, g: int) -> None:
        """Open session *g*: its roster's counters, their breaks and the ends of their shifts."""
        self.close_spares()
        for f, k in self.heap:
            if f < INF:  # an ended shift keeps when it stopped
                self.last_free[k] = f
        grid, sc = self.run.grid, self.run.scenario
        staff = self.roster[g]
        if not staff:
            raise ScenarioError(
                Message(
                    N_(
                        "station %(name)r has nobody on the roster on %(value)s, session "
                        "%(value2)s, when a customer arrives"
                    ),
                    {
                        "name": self.name,
                        "value": grid.days[grid.sess_day[g]],
                        "value2": grid.sess_no[g],
                    },
                )
            )
        o, hi = float(grid.opens[g]), float(grid.closes[g])
        self.brk = {}
        if self.shaped:
            spans = self.available(g)
            self.heap = []
            for k in staff:
                s = spans[k]
                self.heap.append((max(self.last_free[k], s[0][0]), k))
                offs = [(s[i][1], 0.0, s[i + 1][0]) for i in range(len(s) - 1)]
                if s[-1][1] < hi:  # off before closing: not back in this session
                    offs.append((s[-1][1], 0.0, INF))
                if offs:
                    self.brk[k] = offs
        else:
            self.heap = [(max(self.last_free[k], o), k) for k in staff]
        heapq.heapify(self.heap)
        if sc.hall is not None:
            base = grid.day_base(int(grid.sess_day[g]))
            for k in staff:
                if k >= 0 and sc.staff[k].breaks:
                    b = sorted(
                        (base + minutes(br.at), br.minutes, 0.0) for br in sc.staff[k].breaks
                    )
                    b = [x for x in b if o <= x[0] < hi]
                    if b:
                        self.brk[k] = sorted(self.brk.get(k, []) + b)
        self.g = g
        self.close = hi
        self.on = set(staff)

    # ------------------------------------------------- in order of arrival

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
        """Customers waiting at *a* among those arrived so far (those who joined, kept)."""
        ws = self.starts
        while ws and ws[0] <= a:
            heapq.heappop(ws)
        return len(ws)

    def turns_away(self, bk: Baulk, ahead: int, counters: int) -> bool:
        """Whether a customer with rule *bk* does not join *ahead* waiting at *counters*."""
        if bk.queue is not None and ahead >= bk.queue:
            return True
        total, n = self.mean
        return bk.wait is not None and n > 0 and ahead * total / n / counters >= bk.wait

    def next_counter(self, a: float) -> tuple[float, int]:
        """When and where a customer arriving at *a* can start: the counter free first.

        Breaks and ends of shifts due by then are taken on the way; nothing is
        committed.
        """
        hp, brk = self.heap, self.brk
        while True:
            f, k = hp[0]
            st = a if a > f else f
            if brk:
                b = brk.get(k)
                if b and st >= b[0][0]:
                    heapq.heapreplace(hp, (self._pause(k, f, b), k))
                    continue
            if st == INF:
                raise self._closed(a)
            return st, k

    def _pause(self, k: int, f: float, due: list[tuple[float, float, float]]) -> float:
        """Counter *k*, free at *f*, takes its first break or end of shift due: when it is back.

        A break starts once the current customer is served and lasts its
        minutes; an off period lasts until its end; the end of a shift
        (back never, in this session) keeps the time the counter stopped.
        """
        b0, dur, until = due.pop(0)
        back = (f if f > b0 else b0) + dur
        if dur:
            self.run.break_time[k] = self.run.break_time.get(k, 0.0) + dur
        if until == INF:
            self.last_free[k] = back
        return back if back > until else until

    def _closed(self, a: float) -> ScenarioError:
        grid = self.run.grid
        g = grid.session_at(a)
        when = f"{grid.days[int(grid.sess_day[g])]}" if grid.days else f"time {a:g}"
        return ScenarioError(
            Message(
                N_(
                    "station %(name)r has customers waiting on %(when)s and no counter left on "
                    "duty to serve them (shifts or staffing end before the queue does)"
                ),
                {"name": self.name, "when": when},
            )
        )

    def serve(self, a: float, s: float, p: float = INF) -> tuple[float, float, int, int]:
        """Start, end, counter and outcome of the next customer in order of arrival."""
        st, k = self.next_counter(a)
        if st - a > p:
            e = a + p
            if self.track and e > a:
                heapq.heappush(self.starts, e)
            return e, e, NO_COUNTER, RENEGED
        e = st + s
        heapq.heapreplace(self.heap, (e, k))
        if self.track and st > a:
            heapq.heappush(self.starts, st)
        return st, e, k, SERVED

    def serve_backup(self, a: float, s: float, p: float = INF) -> tuple[float, float, int, int]:
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
            st, k = best, kb
            if st - a > p:
                e = a + p
                heapq.heappush(self.starts, e)
                return e, e, NO_COUNTER, RENEGED
            e = st + s
            sp[k] = e
        else:
            st, k = self.next_counter(a)
            if st - a > p:
                e = a + p
                heapq.heappush(self.starts, e)
                return e, e, NO_COUNTER, RENEGED
            e = st + s
            heapq.heapreplace(hp, (e, k))
        if st > a:
            heapq.heappush(self.starts, st)
        return st, e, k, SERVED

    def in_system(self, a: float) -> int:
        ins = self.insys
        while ins and ins[0] <= a:
            heapq.heappop(ins)
        return len(ins)

    # ---------------------------------------------- customer by customer

    def _queues(self, run: _Run, staff: list[int]) -> None:
        """The queues of a station kept customer by customer.

        One queue per priority level, first come first served within it, or
        one per class when counters are dedicated to classes; a counter's own
        queue of customers coming back to it.
        """
        sc = run.scenario
        classes = sc.classes
        index = {c.name: i for i, c in enumerate(classes)}
        firsts: dict[int, frozenset[int]] = {}
        if self.named:
            for k in self.named:
                if sc.staff[k].dedicated:
                    firsts[k] = frozenset(index[n] for n in sc.staff[k].dedicated)
        else:
            j = 0
            for name, n in self.station.dedicated:
                for _ in range(n):
                    if j < len(staff):
                        firsts[staff[j]] = frozenset((index[name],))
                    j += 1
        by_class = bool(firsts)
        levels = sorted({c.priority for c in classes}, reverse=True)
        if by_class:
            self.qidx = list(range(len(classes)))
            self.levels = [[i for i, c in enumerate(classes) if c.priority == p] for p in levels]
        else:
            self.qidx = [levels.index(c.priority) for c in classes]
            self.levels = [[i] for i in range(len(levels))]
        self.queues: list[deque[list[Any]]] = [deque() for _ in range(max(self.qidx) + 1)]
        self.first = firsts
        self.own: dict[int, deque[list[Any]]] = {}
        self.seq = 0
        self.live = 0  # waiting in the queues
        self.owned = 0  # waiting for their own counter
        self.idle: list[tuple[float, int]] = []  # a heap
        self.dl: list[tuple[float, int, list[Any]]] = []

    def arrive(self, node: EventNode, cs: list[Any], a: float, g: int, back: int | None) -> None:
        """A customer arrives at *a* in session *g* (for counter *back*, coming back)."""
        if self.g != g:
            if self.live or self.owned:
                self.flush(node)
            self.heap += self.idle
            self.idle = []
            self.enter(g)
        c = cs[CLS]
        s = self.svc[c].one()
        pb = self.pat[c]
        p = pb.one() if pb is not None else INF
        if self.dl:
            self.expire(node, a)
        bk = self.baulks[c]
        if (
            bk is not None
            and not (cs[VISITS] and cs[VISITS].get(self.idx))  # back: he has his ticket
            and self.turns_away(bk, self.live + self.owned, len(self.heap) + len(self.idle))
        ):
            node.lose(self, cs, a, a, BAULKED)
            return
        self.mean[0] += s
        self.mean[1] += 1
        hp = self.heap
        if not self.live:  # counters freed with nobody waiting for them are idle
            while hp and hp[0][0] <= a:
                heapq.heappush(self.idle, heapq.heappop(hp))
        node.seq += 1
        entry = [a, s, a + p, cs, WAITING, node.seq, False]
        if back is not None and back in self.on:
            if self._take_idle(a, lambda k: 0 if k == back else -1) == back:
                self._start(node, entry, a, back)
                return
            entry[6] = True
            self.own.setdefault(back, deque()).append(entry)
            self.owned += 1
        else:
            if not self.live and self.idle:
                first = self.first
                k = self._take_idle(
                    a,
                    (lambda k: 1 if k not in first else (0 if c in first[k] else 2))
                    if first
                    else None,
                )
                if k is not None:
                    self._start(node, entry, a, k)
                    return
            self.queues[self.qidx[c]].append(entry)
            self.live += 1
        if p < INF:
            heapq.heappush(self.dl, (a + p, node.seq, entry))

    def _take_idle(self, a: float, rank: Callable[[int], int] | None) -> int | None:
        """The idle counter of best rank (the longest idle among equals), off the idle list.

        A counter whose break or end of shift is due by *a* takes it instead;
        ranks below zero are not taken; without *rank* all rank alike.
        """
        idle, brk = self.idle, self.brk  # a heap
        while idle:
            if rank is None:
                f, k = heapq.heappop(idle)
            else:
                best = None
                for i, (f, k) in enumerate(idle):
                    r = rank(k)
                    if r >= 0 and (best is None or (r, f, k) < best[0]):
                        best = ((r, f, k), i)
                if best is None:
                    return None
                (_, f, k), i = best
                idle[i] = idle[-1]
                idle.pop()
                heapq.heapify(idle)
            b = brk.get(k) if brk else None
            if b and a >= b[0][0]:
                heapq.heappush(self.heap, (self._pause(k, f, b), k))
                continue
            return k
        return None

    def _start(self, node: EventNode, entry: list[Any], st: float, k: int) -> None:
        entry[4] = STARTED
        e = st + entry[1]
        heapq.heappush(self.heap, (e, k))
        node.finish(self, entry[3], entry[0], st, e, k)

    def free(self, node: EventNode) -> None:
        """The counter free first takes its next customer, or its break, or stands idle."""
        hp = self.heap
        f, k = hp[0]
        b = self.brk.get(k) if self.brk else None
        if b and f >= b[0][0]:
            heapq.heapreplace(hp, (self._pause(k, f, b), k))
            return
        if self.dl:
            self.expire(node, f)
        entry = self._next_for(k)
        if entry is None:
            heapq.heappush(self.idle, heapq.heappop(hp))
            return
        entry[4] = STARTED
        e = f + entry[1]
        heapq.heapreplace(hp, (e, k))
        node.finish(self, entry[3], entry[0], f, e, k)

    def _next_for(self, k: int) -> list[Any] | None:
        own = self.own.get(k)
        while own:
            e = own.popleft()
            if e[4] == WAITING:
                self.owned -= 1
                return e
        if not self.live:
            return None
        first = self.first.get(k)
        return (self._best(first) if first else None) or self._best(None)

    def _best(self, allowed: frozenset[int] | None) -> list[Any] | None:
        """The first of the highest priority waiting (among the *allowed* queues), taken."""
        queues = self.queues
        for level in self.levels:
            best: deque[list[Any]] | None = None
            for qi in level:
                if allowed is not None and qi not in allowed:
                    continue
                q = queues[qi]
                while q and q[0][4] != WAITING:
                    q.popleft()
                if q and (best is None or q[0][5] < best[0][5]):
                    best = q
            if best is not None:
                self.live -= 1
                return best.popleft()
        return None

    def expire(self, node: EventNode, t: float) -> None:
        """Customers whose patience ran out before *t* leave the queue."""
        dl = self.dl
        while dl and dl[0][0] < t:
            d, _, entry = heapq.heappop(dl)
            if entry[4] == WAITING:
                entry[4] = GONE
                if entry[6]:
                    self.owned -= 1
                else:
                    self.live -= 1
                node.lose(self, entry[3], entry[0], d, RENEGED)

    def flush(self, node: EventNode) -> None:
        """Serve everyone still waiting in this session with its counters (no one else comes)."""
        hp = self.heap
        while (self.live or self.owned) and hp and hp[0][0] < INF:
            self.free(node)
        if self.live or self.owned:
            raise self._closed(hp[0][0] if hp else INF)


# --------------------------------------------------- Lindley's recursion


def fifo(arr: list[float], svc: list[float], hp: list[float]) -> list[float]:
    """Starts of FIFO customers at identical counters whose free times are *hp*.

    Each ends at his start plus his service (the caller adds them, in the same
    floating point).
    """
    starts: list[float] = []
    append = starts.append
    if len(hp) == 1:
        f = hp[0]
        for a, s in zip(arr, svc, strict=True):
            if a > f:
                f = a
            append(f)
            f += s
        hp[0] = f
        return starts
    replace = heapq.heapreplace
    for a, s in zip(arr, svc, strict=True):
        f = hp[0]
        if a > f:
            f = a
        append(f)
        replace(hp, f + s)
    return starts


def fifo_patient(
    st: St, arr: list[float], svc: list[float], pat: list[float], rules: list[Baulk | None]
) -> tuple[list[float], list[float], list[int]]:
    """:func:`fifo` where customers may baulk or renege: starts, ends and outcomes.

    A customer who baulks ends at his arrival; one who reneges, when his
    patience runs out; neither takes a counter.
    """
    hp, q, track = st.hp, st.starts, st.track
    c = len(hp)
    total, count = st.mean
    starts: list[float] = []
    ends: list[float] = []
    out: list[int] = []
    push, pop, replace = heapq.heappush, heapq.heappop, heapq.heapreplace
    for a, s, p, bk in zip(arr, svc, pat, rules, strict=True):
        if bk is not None:
            while q and q[0] <= a:
                pop(q)
            ahead = len(q)
            if (bk.queue is not None and ahead >= bk.queue) or (
                bk.wait is not None and count and ahead * total / count / c >= bk.wait
            ):
                starts.append(a)
                ends.append(a)
                out.append(BAULKED)
                continue
        total += s
        count += 1
        f = hp[0]
        t = a if a > f else f
        if t - a > p:
            e = a + p
            if track and e > a:
                push(q, e)
            starts.append(e)
            ends.append(e)
            out.append(RENEGED)
            continue
        e = t + s
        replace(hp, e)
        if track and t > a:
            push(q, t)
        starts.append(t)
        ends.append(e)
        out.append(SERVED)
    st.mean[0], st.mean[1] = total, count
    return starts, ends, out
