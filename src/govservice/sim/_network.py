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

from govservice.sim._grid import F8, I8, INF
from govservice.sim._station import (
    ACC_END,
    ACC_K,
    ACC_ST,
    ACC_START,
    CLS,
    CUST,
    GONE,
    LAST,
    LEAVE,
    STARTED,
    T0,
    VISITS,
    WAITING,
    WSUM,
    St,
)
from govservice.sim.records import BAULKED, RENEGED

Rec = Any
Flat = tuple[list[float], list[int]]  # numbers of several items, flat: times, and ints
ARRIVED = np.dtype([("t", "f8"), ("t0", "f8")])  # what a tally without records reads
SHIFT = 40  # a solo station's queue: keys ``level << SHIFT | j``
MASK = (1 << SHIFT) - 1

if TYPE_CHECKING:
    from govservice.sim.engine import _Run


class Node:
    """Stations processed together: one, or a shortest-queue group, in arrival order."""

    event = False  # kept customer by customer: process() takes every event up to a cut

    def __init__(self, members: Sequence[St]) -> None:
        self.members = list(members)
        self.pending: list[Rec] = []
        self.upstream: set[int] = set()
        self.entry = False
        self.out = -INF

    def process(self, b: Rec, cut: float) -> None:
        """Take the arrivals *b* and every event up to *cut* (nodes kept customer by customer)."""
        raise NotImplementedError

    def earliest_case(self) -> float:
        """The earliest acceptance (or arrival, not yet accepted) of customers held here."""
        lo = INF
        for p in self.pending:
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
        # customers remember their visits where a route asks for them, or a rule to baulk
        # spares those coming back
        self.memory = len(self.members) > 1 and any(
            st.router.by_visit or st.router.returns or st.track for st in self.members
        )
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


def _arrays(flat: Flat, width: int) -> tuple[F8, I8]:
    """Items kept flat as arrays of *width* columns: their times and their integers."""
    return (
        np.array(flat[0], dtype=float).reshape(-1, width),
        np.array(flat[1], dtype=np.int64).reshape(-1, width),
    )


class TightNode(Node):
    """Stations of identical anonymous counters kept customer by customer, in one tight loop.

    Priorities, patience, baulking and routing cycles among stations that have
    no named staff, shifts, hourly staffing, dedicated counters or returns to
    a counter (those take :class:`EventNode`).  The counters are a heap of
    free times per station, and each customer inside the node an index into
    its records, with his wait and acceptance kept in lists beside them.  One
    station alone (:meth:`_solo`) keeps its queue as one heap of keys; a cycle
    of stations first come, first served (:meth:`_fifo`) starts each customer
    when he arrives; any other cycle (:meth:`process`) keeps one deque per
    priority level.  Each gives what :class:`EventNode`'s loop gives, so that
    only the speed differs.
    """

    event = True

    def __init__(self, members: Sequence[St], run: _Run) -> None:
        super().__init__(members)
        self.run = run
        self.local = {st.idx: i for i, st in enumerate(self.members)}
        # a target's place in the node (None: elsewhere), LEAVE last
        codes = len(run.station_index) + len(run.group_code)
        self.where = [self.local.get(code) for code in range(codes)] + [None]
        self.place = np.array([-1 if y is None else y for y in self.where[:-1]], dtype=np.int64)
        self.transit: list[tuple[float, int, int, int]] = []
        self.seq = 0
        self.rows: Rec | None = None  # the records of those inside: waiting, or passing
        # beside them: waits, acceptance (station, start, end, counter), classes, visits
        self.state: list[list[Any]] = [[] for _ in range(7)]
        # visits are counted where a route goes by them, or baulking spares those back
        self.memory = len(self.members) > 1 and any(
            st.router.by_visit or st.track for st in self.members
        )
        # one station: every arrival comes from outside, known in advance
        self.solo = len(self.members) == 1
        # first come, first served everywhere: starts known on arrival
        self.fifo = all(len(st.queues) == 1 for st in self.members)
        # beside the records of those left waiting (solo): arrivals, services, deadlines, keys
        self.held: list[list[Any]] = [[], [], [], []]

    def earliest_case(self) -> float:
        """:meth:`Node.earliest_case`, counting the customers inside the node."""
        lo = super().earliest_case()
        if self.solo:
            if self.rows is not None and len(self.rows):
                self.pending.append(self.rows)
                lo = min(lo, super().earliest_case())
                self.pending.pop()
            return lo
        _, acc_st, _, acc_end, *_ = self.state
        held = [(t, r) for t, _, r, _ in self.transit]
        held += [
            (e[0], e[3]) for st in self.members for q in st.queues for e in q if e[4] == WAITING
        ]
        for t, r in held:
            lo = min(lo, acc_end[r] if acc_st[r] >= 0 else t)
        return lo

    def process(self, b: Rec, cut: float) -> None:
        """Take the arrivals *b* (sorted, none after *cut*) and every event up to *cut*."""
        if self.solo:
            self._solo(b, cut)
            return
        if self.fifo:
            self._fifo(b, cut)
            return
        grid = self.run.grid
        members = self.members
        nm = len(members)
        rows, first, ts, sess, to = self._admit(b)
        wsum, acc_st, acc_start, acc_end, acc_k, cls, seen = self.state
        opens = grid.open_list
        local, transit, memory = self.local, self.transit, self.memory
        heaps = [st.heap for st in members]
        queues = [st.queues for st in members]
        live = [st.live for st in members]
        dls = [st.dl for st in members]
        fixed = [st.router.fixed for st in members]
        accepts = [st.idx if st.station.accepts else -1 for st in members]
        visits: Flat = ([], [])  # see _hand_over
        lost: list[tuple[int, int, float, float, int]] = []
        leaving: Flat = ([], [])  # see _hand_over
        push, pop, replace = heapq.heappush, heapq.heappop, heapq.heapreplace

        def start(x: int, r: int, a: float, f: float, s: float) -> None:
            hp = heaps[x]
            k = hp[0][1]
            end = f + s
            replace(hp, (end, k))
            wsum[r] += f - a
            if acc_st[r] < 0 and accepts[x] >= 0:
                acc_st[r], acc_start[r], acc_end[r], acc_k[r] = accepts[x], f, end, k
            visits[0].extend((a, f, end))
            visits[1].extend((r, k, x))
            target = fixed[x]
            if target is None:
                v = 1
                if memory:
                    d = seen[r]
                    if d is None:
                        d = seen[r] = {}
                    v = d[x] = d.get(x, 0) + 1
                st = members[x]
                target = st.router.one(cls[r], st.route.one(), v)
            y = local.get(target)
            if y is None:
                leaving[0].append(end)
                leaving[1].extend((r, target))
            else:
                self.seq += 1
                push(transit, (end, self.seq, r, y))

        def expire(x: int, t: float) -> None:
            dl = dls[x]
            while dl and dl[0][0] < t:
                d, _, e = pop(dl)
                if e[4] == WAITING:
                    e[4] = GONE
                    live[x] -= 1
                    lost.append((x, e[3], e[0], d, RENEGED))

        def free(x: int, f: float) -> None:
            """Station *x*'s counter free first, at *f*, takes the best waiting."""
            if dls[x]:
                expire(x, f)
            for q in queues[x]:
                while q:
                    e = q.popleft()
                    if e[4] != WAITING:
                        continue
                    live[x] -= 1
                    e[4] = STARTED
                    start(x, e[3], e[0], f, e[1])
                    return

        def arrive(x: int, r: int, a: float, g: int) -> None:
            """Customer *r* arrives at station *x* at *a* in session *g*."""
            st = members[x]
            hp = heaps[x]
            if g != st.g:
                while live[x]:
                    free(x, hp[0][0])
                o = opens[g]
                hp[:] = [(f if f > o else o, k) for f, k in hp]
                heapq.heapify(hp)
                st.g = g
            c = cls[r]
            s = st.svc[c].one()
            pb = st.pat[c]
            p = pb.one() if pb is not None else INF
            if st.track:
                expire(x, a)
                bk = st.baulks[c]
                back = seen[r] is not None and seen[r].get(x)
                if bk is not None and not back and st.turns_away(bk, live[x], len(hp)):
                    lost.append((x, r, a, a, BAULKED))
                    return
            st.mean[0] += s
            st.mean[1] += 1
            if not live[x] and hp[0][0] <= a:
                start(x, r, a, a, s)
                return
            self.seq += 1
            e = [a, s, a + p, r, WAITING]
            queues[x][st.qidx[c]].append(e)
            live[x] += 1
            if p < INF:
                push(dls[x], (a + p, self.seq, e))

        n, i = len(ts), 0
        hall = len(grid.open_list) > 1
        while True:
            ta = ts[i] if i < n else INF
            tt = transit[0][0] if transit else INF
            tf, xf = INF, -1
            for x in range(nm):
                if live[x]:
                    f = heaps[x][0][0]
                    if f < tf:
                        tf, xf = f, x
            if xf >= 0 and tf <= ta and tf <= tt:
                if tf > cut:
                    break
                free(xf, tf)
            elif ta <= tt:
                if ta > cut or i == n:
                    break
                arrive(to[i], first + i, ta, sess[i])
                i += 1
            else:
                if tt > cut:
                    break
                t, _, r, x = pop(transit)
                arrive(x, r, t, grid.session_at(t) if hall else 0)
        for st, count in zip(members, live, strict=True):
            st.live = count
        self._hand_over(rows, _arrays(visits, 3), lost, leaving)

    def _admit(self, b: Rec) -> tuple[Rec, int, list[float], list[int], list[int]]:
        """Take in the arrivals *b*.

        Returns the records of all inside, the index of the first of *b*, and
        the arrivals' times, sessions and stations.
        """
        rows = b if self.rows is None else np.concatenate([self.rows, b])
        wsum, acc_st, acc_start, acc_end, acc_k, cls, seen = self.state
        wsum += b["wsum"].tolist()
        acc_st += b["acc_station"].tolist()
        acc_start += b["acc_start"].tolist()
        acc_end += b["acc_end"].tolist()
        acc_k += b["acc_staff"].tolist()
        cls += b["cls"].tolist()
        seen += [None] * len(b)
        sess: list[int] = self.run.grid.session_of(b["t"]).tolist() if len(b) else []
        to = self.place[b["to"]].tolist()
        return rows, len(rows) - len(b), b["t"].tolist(), sess, to

    def _fifo(self, b: Rec, cut: float) -> None:
        """Stations first come, first served: each customer's start known when he arrives.

        The arrivals from outside and the customers passing between stations
        are taken in time order; a customer arriving at a station takes the
        counter free first (Lindley's recursion), so that nobody waits in a
        queue kept here and his end is known at once: only those passing
        between stations are events.  Patience and baulking are decided on
        arrival as in :func:`~govservice.sim._station.fifo_patient`; a new
        session starts with nobody counted waiting, as the other loops serve
        those left from the last first.
        """
        grid = self.run.grid
        rows, first, ts, sess, to = self._admit(b)
        cls, seen = self.state[5:]
        opens = grid.open_list
        transit, memory, where = self.transit, self.memory, self.where
        visits: Flat = ([], [])  # see _hand_over
        times, who = visits
        lost: list[tuple[int, int, float, float, int]] = []
        leaving: Flat = ([], [])  # see _hand_over
        gone, went = leaving
        # each station: its state, counters, service and patience draws by class (no
        # patience nor baulking: None), fixed target, drawn targets
        spec = [
            (
                x,
                st,
                st.heap,
                [buf.one for buf in st.svc],
                [None if buf is None else buf.one for buf in st.pat] if st.patient else None,
                st.router.fixed,
                st.target,
            )
            for x, st in enumerate(self.members)
        ]
        push, pop, replace = heapq.heappush, heapq.heappop, heapq.heapreplace
        hall = len(opens) > 1
        n, i = len(ts), 0
        seq = self.seq
        while True:
            ta = ts[i] if i < n else INF
            if transit and transit[0][0] < ta:
                if transit[0][0] > cut:
                    break
                a, _, r, x = pop(transit)
                g = grid.session_at(a) if hall else 0
            else:
                if ta > cut or i == n:
                    break
                a, r, x, g = ta, first + i, to[i], sess[i]
                i += 1
            _, st, hp, svc, pat, target, drawn = spec[x]
            if hall and g != st.g:
                o = opens[g]
                hp[:] = [(f if f > o else o, k) for f, k in hp]
                heapq.heapify(hp)
                st.g = g
                st.starts.clear()  # those waiting from the last session: served first
            c = cls[r]
            s = svc[c]()
            f, k = hp[0]
            t = a if a > f else f
            if pat is not None:  # patience or baulking here
                pb = pat[c]
                p = pb() if pb is not None else INF
                q = st.starts
                if st.track:
                    while q and q[0] <= a:
                        pop(q)
                    bk = st.baulks[c]
                    back = seen[r] is not None and seen[r].get(x)
                    if bk is not None and not back and st.turns_away(bk, len(q), len(hp)):
                        lost.append((x, r, a, a, BAULKED))
                        continue
                    st.mean[0] += s
                    st.mean[1] += 1
                if t - a > p:
                    e = a + p
                    if st.track and e > a:
                        push(q, e)
                    lost.append((x, r, a, e, RENEGED))
                    continue
                if st.track and t > a:
                    push(q, t)
            e = t + s
            replace(hp, (e, k))
            times += (a, t, e)
            who += (r, k, x)
            if target is None:
                v = 1
                if memory:
                    d = seen[r]
                    if d is None:
                        d = seen[r] = {}
                    v = d[x] = d.get(x, 0) + 1
                target = drawn() if drawn is not None else st.router.one(c, st.route.one(), v)
            y = where[target]
            if y is None:
                gone.append(e)
                went += (r, target)
            else:
                seq += 1
                push(transit, (e, seq, r, y))
        self.seq = seq
        done = _arrays(visits, 3)
        self._hand_over(rows, done, lost, leaving, self._moved(done))

    def _arrays(self) -> list[Any]:
        """The waits and acceptance of every record (see :attr:`state`), as arrays."""
        types = (float, np.int64, float, float, np.int64)
        return [np.array(col, dtype=dt) for col, dt in zip(self.state[:5], types, strict=True)]

    def _moved(self, visits: tuple[Any, Any]) -> list[Any]:
        """The waits and acceptance of every record (see :attr:`state`) after *visits*.

        The waits are added in the order of the visits, and a customer not yet
        accepted is by the first of his visits to a station that accepts.
        """
        w, st_, s_, e_, k_ = self._arrays()
        v, rkx = visits
        refs = rkx[:, 0]
        np.add.at(w, refs, v[:, 1] - v[:, 0])
        codes = np.array([st.idx if st.station.accepts else -1 for st in self.members])
        at = codes[rkx[:, 2]]
        candidates = np.flatnonzero((at >= 0) & (st_[refs] < 0))
        who, first = np.unique(refs[candidates], return_index=True)
        sel = candidates[first]
        st_[who], s_[who], e_[who], k_[who] = at[sel], v[sel, 1], v[sel, 2], rkx[sel, 1]
        return [w, st_, s_, e_, k_]

    def _solo(self, b: Rec, cut: float) -> None:
        """One station: the counters take the best waiting, first come first served within a level.

        The queue is one heap of keys ``level << SHIFT | j`` (the highest
        priority, then the earliest arrival, first), *j* indexing the customers
        of this call: those left waiting by the last, then the arrivals *b*.
        A counter freeing at *f* takes the first key whose patience has not run
        out before *f* (those whose had leave then, unseen until taken); with
        baulking the customers waiting are counted exactly, their patience
        running out on a heap of deadlines.  A new session first serves those
        left from the last, as the other loops do.
        """
        run, grid = self.run, self.run.grid
        st = self.members[0]
        rows = b if self.rows is None else np.concatenate([self.rows, b])
        n = len(b)
        first = len(rows) - n
        cls_new = b["cls"]
        t_new = b["t"]
        arr, svc, due, wq = self.held
        arr += t_new.tolist()
        svc += run._draws(st.svc, cls_new).tolist()
        due += (t_new + run._draws(st.pat, cls_new)).tolist()
        ranks = np.array(st.qidx, dtype=np.int64)[cls_new]
        keys = ((ranks << SHIFT) | np.arange(first, first + n, dtype=np.int64)).tolist()
        sess = grid.session_of(t_new).tolist() if n else []
        size = len(arr)
        start: list[float] = [0.0] * size
        counter: list[int] = [0] * size
        served: list[int] = []
        lost: list[tuple[int, float, int]] = []  # who, when, outcome
        hp, opens = st.heap, grid.open_list
        pop, push, replace = heapq.heappop, heapq.heappush, heapq.heapreplace
        track = st.track
        if track:  # who is waiting (0), served (1) or gone (2); deadlines of those waiting
            state = [0] * size
            dl = [(due[j], j) for j in range(first) if due[j] < INF]
            heapq.heapify(dl)
            live = len(wq)
            # the queue that turns each away; rules by the announced wait need the mean service
            caps = np.array([INF if b is None or b.queue is None else b.queue for b in st.baulks])
            cap = caps[cls_new].tolist()
            by_wait = any(b is not None and b.wait is not None for b in st.baulks)
            baulks = [st.baulks[c] for c in cls_new.tolist()] if by_wait else []
            mean, turns_away = st.mean, st.turns_away

        def serve(limit: float) -> None:
            """Counters freeing by *limit* take those waiting."""
            nonlocal live
            while wq:
                f, k = hp[0]
                if f > limit:
                    return
                i = pop(wq) & MASK
                if track:
                    if state[i]:  # gone already
                        continue
                    live -= 1
                if due[i] < f:  # his patience ran out before a counter freed
                    lost.append((i, due[i], RENEGED))
                    if track:
                        state[i] = 2
                    continue
                replace(hp, (f + svc[i], k))
                start[i] = f
                counter[i] = k
                served.append(i)
                if track:
                    state[i] = 1

        g0 = st.g
        for j in range(first, size):
            a = arr[j]
            g = sess[j - first]
            if g != g0:
                serve(INF)
                o = opens[g]
                hp[:] = [(f if f > o else o, k) for f, k in hp]
                heapq.heapify(hp)
                g0 = st.g = g
            if wq and hp[0][0] <= a:
                serve(a)
            if track:
                while dl and dl[0][0] < a:
                    d, i = pop(dl)
                    if not state[i]:
                        state[i] = 2
                        live -= 1
                        lost.append((i, d, RENEGED))
                if live >= cap[j - first] or (
                    by_wait
                    and (bk := baulks[j - first]) is not None
                    and turns_away(bk, live, len(hp))
                ):
                    lost.append((j, a, BAULKED))
                    state[j] = 2
                    continue
                if by_wait:
                    mean[0] += svc[j]
                    mean[1] += 1
            if not wq:
                f, k = hp[0]
                if f <= a:
                    replace(hp, (a + svc[j], k))
                    start[j] = a
                    counter[j] = k
                    served.append(j)
                    if track:
                        state[j] = 1
                    continue
            push(wq, keys[j - first])
            if track:
                live += 1
                if due[j] < INF:
                    push(dl, (due[j], j))
        serve(cut)
        if track:
            wq[:] = [key for key in wq if not state[key & MASK]]
        refs = np.array(served, dtype=np.int64)
        t_start = np.array(start)[refs]
        ends = t_start + np.array(svc)[refs]
        if lost:  # the records keep the arrival at the station
            r, left, outcome = (list(c) for c in zip(*lost, strict=True))
            run.lose(st, rows[r], np.array(left), np.array(outcome, dtype=np.int8))
        if len(refs):
            run._after(st, rows[refs], t_start, ends, np.array(counter, dtype=np.int64)[refs])
        left = sorted(key & MASK for key in wq)  # in order of arrival
        self.rows = rows[left] if left else None
        renumber = {old: new for new, old in enumerate(left)}
        self.held = [
            [arr[i] for i in left],
            [svc[i] for i in left],
            [due[i] for i in left],
            sorted((key & ~MASK) | renumber[key & MASK] for key in wq),  # a heap
        ]

    def _hand_over(
        self,
        rows: Rec,
        visits: tuple[Any, Any],
        lost: list[tuple[int, int, float, float, int]],
        leaving: Flat,
        moved: list[Any] | None = None,
    ) -> None:
        """Hand the visits, those lost and those leaving to the run; keep those inside.

        *visits* (see :func:`_arrays`): the arrival, start and end of each
        visit, and its record, counter and station, in the order they were
        taken; *leaving*: the time
        each leaves, and his record and target.  *moved*: the waits and
        acceptance of every record as arrays (else from :attr:`state`).
        """
        run = self.run
        if moved is None:
            moved = self._arrays()
        w, st_, s_, e_, k_ = moved

        def records(refs: Any, t: Any, *, full: bool = True) -> Rec:
            """The records of customers *refs* at *t*; with *full* their waits and acceptance."""
            idx = np.asarray(refs, dtype=np.int64)
            if not full and not run.records:  # all the tally reads
                out = np.empty(len(idx), dtype=ARRIVED)
                out["t"], out["t0"] = t, rows["t0"][idx]
                return out
            out = rows[idx]
            out["t"] = t
            if full:
                out["wsum"], out["acc_station"] = w[idx], st_[idx]
                out["acc_start"], out["acc_end"], out["acc_staff"] = s_[idx], e_[idx], k_[idx]
            return out

        v, rkx = visits
        for x, st in enumerate(self.members):
            m = rkx[:, 2] == x
            if m.any():
                b = records(rkx[m, 0], v[m, 0], full=False)
                run.tally(st, b, v[m, 1], v[m, 2], rkx[m, 1])
            here = [item for item in lost if item[0] == x]
            if here:
                _, refs, a, left, outcome = (list(c) for c in zip(*here, strict=True))
                run.lose(st, records(refs, a), np.array(left), np.array(outcome, dtype=np.int8))
        gone, went = leaving
        if gone:
            rt = np.array(went, dtype=np.int64).reshape(-1, 2)
            run.send(records(rt[:, 0], np.array(gone, dtype=float)), rt[:, 1])
        self._keep(rows, moved)

    def _keep(self, rows: Rec, moved: list[Any]) -> None:
        """Keep the records of those still inside (waiting or passing), renumbered.

        *moved*: their waits and acceptance, as arrays.
        """
        waiting = [e for st in self.members for q in st.queues for e in q if e[4] == WAITING]
        for st in self.members:
            for q in st.queues:
                kept = [e for e in q if e[4] == WAITING]
                q.clear()
                q.extend(kept)
        keep = [e[3] for e in waiting] + [r for _, _, r, _ in self.transit]
        if not keep:
            self.rows = None
            self.state = [[] for _ in range(7)]
            return
        self.rows = rows[keep]
        self.state = [col[keep].tolist() for col in moved] + [
            [col[r] for r in keep] for col in self.state[5:]
        ]
        for j, e in enumerate(waiting):
            e[3] = j
        base = len(waiting)
        self.transit[:] = [(t, s, base + j, x) for j, (t, s, _, x) in enumerate(self.transit)]
