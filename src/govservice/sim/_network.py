"""Stations served customer by customer, in one event loop: priorities, dedicated counters, cycles.

Private to the engine.  The stations of a routing cycle (customers come back
to them) form one node; so does each station where priorities meet or
counters are dedicated to a class.  Its loop takes, in time order, the
arrivals from outside the node, the customers passing between its stations,
and the moments a counter frees while someone waits; a counter choosing
its next customer takes its own returning customers first, then its
dedicated classes, then the highest priority waiting, first come first
served within a priority.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from govservice.sim._grid import INF
from govservice.sim._station import LEAVE, WAITING, St

if TYPE_CHECKING:
    from govservice.sim.engine import _Run

Rec = Any

# a customer inside the node: who, class, first arrival, total wait, acceptance
# (station, start, end, counter), visits by station, last counter by station
CUST, CLS, T0, WSUM, ACC_ST, ACC_START, ACC_END, ACC_K, VISITS, LAST = range(10)


class Node:
    """Stations processed together: one, or a shortest-queue group, in arrival order."""

    event = False

    def __init__(self, members: Sequence[St]) -> None:
        self.members = list(members)
        self.pending: list[Rec] = []
        self.upstream: set[int] = set()
        self.entry = False
        self.out = -INF

    def earliest_case(self) -> float:
        """The earliest acceptance (or arrival, not yet accepted) of customers held here."""
        lo = INF
        held = [m.carry for m in self.members if m.ranked and m.carry is not None]
        for p in self.pending + held:
            if len(p):
                accepted = p["acc_station"] >= 0
                if accepted.any():
                    lo = min(lo, float(p["acc_end"][accepted].min()))
                if not accepted.all():
                    lo = min(lo, float(p["t"][~accepted].min()))
        return lo


class EventNode(Node):
    """Stations whose queues are kept customer by customer, in one event loop."""

    event = True

    def __init__(self, members: Sequence[St], run: _Run) -> None:
        super().__init__(members)
        self.run = run
        self.local = {st.idx: i for i, st in enumerate(self.members)}
        for i, st in enumerate(self.members):
            st.place = i
        # customers remember their visits only where a route asks for them
        self.memory = any(st.router.by_visit or st.router.returns for st in self.members)
        self.transit: list[tuple[float, int, list[Any], int, int | None]] = []
        self.seq = 0
        self.visits: list[list[tuple[Any, ...]]] = [[] for _ in self.members]
        self.lost: list[list[tuple[Any, ...]]] = [[] for _ in self.members]
        self.leaving: list[tuple[Any, ...]] = []
        self.targets: list[int] = []

    def earliest_case(self) -> float:
        """:meth:`Node.earliest_case`, counting the customers inside the node."""
        lo = super().earliest_case()
        held: list[tuple[float, list[Any]]] = [(t, cs) for t, _, cs, _, _ in self.transit]
        for st in self.members:
            for q in (*st.queues, *st.own.values()):
                held += [(e[0], e[3]) for e in q if e[4] == WAITING]
        for t, cs in held:
            lo = min(lo, cs[ACC_END] if cs[ACC_ST] >= 0 else t)
        return lo

    def process(self, b: Rec, cut: float) -> None:
        """Take the arrivals *b* (sorted, none after *cut*) and every event up to *cut*."""
        grid = self.run.grid
        n = len(b)
        ts: list[float] = b["t"].tolist()
        sess: list[int] = grid.session_of(b["t"]).tolist() if n else []
        rows = b[["cust", "cls", "t0", "wsum", "acc_station", "acc_start", "acc_end", "acc_staff"]]
        people = [[*r, None, None] for r in rows.tolist()]
        if len(self.members) == 1:
            m = self.members[0]
            for a, g, cs in zip(ts, sess, people, strict=True):
                while (m.live or m.owned) and m.heap[0][0] <= a:
                    if m.heap[0][0] == INF:
                        break
                    m.free(self)
                m.arrive(self, cs, a, g, None)
            while (m.live or m.owned) and m.heap and m.heap[0][0] <= cut:
                if m.heap[0][0] == INF:
                    raise m._closed(INF)
                m.free(self)
        else:
            self._loop(ts, sess, [self.local[x] for x in b["to"].tolist()], people, cut)
        if cut == INF:
            for m in self.members:
                if m.live or m.owned:
                    raise m._closed(INF)
        self._flush_out()

    def _loop(
        self, ts: list[float], sess: list[int], to: list[int], people: list[Any], cut: float
    ) -> None:
        """The event loop of several stations with customers passing between them."""
        grid = self.run.grid
        members, transit = self.members, self.transit
        n = len(ts)
        i = 0
        while True:
            ta = ts[i] if i < n else INF
            tt = transit[0][0] if transit else INF
            t_arr = ta if ta <= tt else tt
            tf, sx = INF, None
            for m in members:
                if (m.live or m.owned) and m.heap:
                    f = m.heap[0][0]
                    if f < tf:
                        tf, sx = f, m
            if sx is not None and tf <= t_arr:
                if tf > cut:
                    break
                sx.free(self)
                continue
            if t_arr > cut or t_arr == INF:
                break
            if ta <= tt:
                members[to[i]].arrive(self, people[i], ta, sess[i], None)
                i += 1
            else:
                a, _, cs, x, back = heapq.heappop(transit)
                members[x].arrive(self, cs, a, grid.session_at(a), back)

    def finish(self, st: St, cs: list[Any], a: float, start: float, end: float, k: int) -> None:
        """Customer *cs*, arrived at *a*, is served at *st* from *start* to *end* by *k*."""
        cs[WSUM] += start - a
        if cs[ACC_ST] < 0 and st.station.accepts:
            cs[ACC_ST], cs[ACC_START], cs[ACC_END], cs[ACC_K] = st.idx, start, end, k
        self.visits[st.place].append((a, cs, start, end, k))
        router = st.router
        if router.fixed is not None:
            target = router.fixed
        elif not self.memory:
            target = router.one(cs[CLS], st.route.one(), 1)
        else:
            if cs[VISITS] is None:
                cs[VISITS], cs[LAST] = {}, {}
            visits = cs[VISITS][st.idx] = cs[VISITS].get(st.idx, 0) + 1
            cs[LAST][st.idx] = k
            target = router.one(cs[CLS], st.route.one(), visits)
        back = None
        if target < LEAVE:
            target = -2 - target
            back = cs[LAST].get(target) if cs[LAST] is not None else None
        y = self.local.get(target)
        if y is None:
            self.leaving.append((end, cs))
            self.targets.append(target)
        else:
            self.seq += 1
            heapq.heappush(self.transit, (end, self.seq, cs, y, back))

    def lose(self, st: St, cs: list[Any], a: float, left: float, outcome: int) -> None:
        """Customer *cs*, arrived at *a*, leaves *st* unserved at *left*."""
        self.lost[st.place].append((a, left, outcome, cs))

    def _flush_out(self) -> None:
        """Hand the visits, the customers lost and those leaving the node to the run."""
        run = self.run
        for x, st in enumerate(self.members):
            vis = self.visits[x]
            if vis:
                b = _rows(run, [(a, cs) for a, cs, _, _, _ in vis], moved=False)
                start = np.array([v[2] for v in vis])
                end = np.array([v[3] for v in vis])
                k = np.array([v[4] for v in vis], dtype=np.int64)
                run.tally(st, b, start, end, k)
                self.visits[x] = []
            lost = self.lost[x]
            if lost:
                b = _rows(run, [(a, cs) for a, _, _, cs in lost])
                left = np.array([v[1] for v in lost])
                outcome = np.array([v[2] for v in lost], dtype=np.int8)
                run.lose(st, b, left, outcome)
                self.lost[x] = []
        if self.leaving:
            b = _rows(run, self.leaving)
            targets = np.array(self.targets, dtype=np.int64)
            self.leaving, self.targets = [], []
            run.send(b, targets)


def _rows(run: _Run, items: list[tuple[float, list[Any]]], *, moved: bool = True) -> Rec:
    """Customers as the engine's moving records, at time *t* of each item.

    With *moved*, their waits and acceptance so far too (the visits' tally
    needs only who and when).
    """
    b = run.moves(
        np.array([t for t, _ in items]),
        np.array([cs[CUST] for _, cs in items], dtype=np.int64),
        np.array([cs[CLS] for _, cs in items], dtype=np.int32),
        np.array([cs[T0] for _, cs in items]),
    )
    if moved:
        b["wsum"] = [cs[WSUM] for _, cs in items]
        b["acc_station"] = [cs[ACC_ST] for _, cs in items]
        b["acc_start"] = [cs[ACC_START] for _, cs in items]
        b["acc_end"] = [cs[ACC_END] for _, cs in items]
        b["acc_staff"] = [cs[ACC_K] for _, cs in items]
    return b
