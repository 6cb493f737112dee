"""The engine: stations processed in topological order, each by the fastest way it allows.

A station with *c* identical FIFO servers needs no event list: customers
taken in order of arrival each get the server that frees first, so a small
heap of server-free times gives every start and end ("Lindley's recursion
for *c* servers"); a customer's patience and baulking are decided when he
arrives, since his start is then known.  A network is processed node by
node, in topological order, in blocks (whole days in a hall, about 16,000
arrivals; about 65,000 in continuous time); a node only takes the arrivals
that no upstream customer can still precede — no upstream station can
release anyone before the smallest of its server-free times — so the blocks
change nothing in the result.  A shortest-queue group is processed jointly
in arrival order, counting the customers each member holds at that instant.
The stations of a routing cycle, and those where priorities meet or
counters are dedicated to a class, keep their queues customer by customer
in an event loop (:mod:`govservice.sim._network`); only they pay for it.

Random numbers come in blocks from one :class:`numpy.random.Generator` per
source, keyed by the source's name (arrivals of a class, service and
patience of a class at a station, routing at a station, back-office
processing of a matter, the remaining processing of a matter's cases
carried over from a warm start), so two scenarios that share a name share
its stream: common random numbers.  Every customer arriving at a station
draws his service time and patience there, whether he then stays or not.

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
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from govservice.model import HOURS_PER_WORKING_DAY, HandlingKind, LimitUnit, TimeLimit
from govservice.sim._grid import (
    F8,
    I8,
    INF,
    Buffer,
    DaySource,
    Grid,
    PoissonSource,
    Uniform,
    stream,
)
from govservice.sim._network import EventNode, Node, TightNode
from govservice.sim._station import LEAVE, Router, St, fifo, fifo_patient
from govservice.sim.distributions import draw
from govservice.sim.records import (
    CASE,
    CUSTOMER,
    NO_COUNTER,
    RENEGED,
    SERVED,
    VISIT,
    SimulationResult,
)
from govservice.sim.scenario import (
    BackOffice,
    Poisson,
    Return,
    Route,
    Scenario,
    Station,
    _loops,
    _queued,
    _route_parts,
    _route_targets,
)
from govservice.sim.summary import (
    Accumulator,
    ClassSummary,
    DaySummary,
    HourSummary,
    MatterSummary,
    StaffSummary,
    StationSummary,
    Summary,
)

__all__ = ["simulate"]

Rec = npt.NDArray[Any]
BLOCK = 65536
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
        ("to", "i4"),
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
        self.grid = Grid(scenario.hall, scenario.warmup)
        self.class_index = {c.name: i for i, c in enumerate(scenario.classes)}
        routes = [c.route for c in scenario.classes] + [s.next for s in scenario.stations]
        groups: list[tuple[str, ...]] = []
        for route in routes:
            for t in _route_targets(route):
                if isinstance(t, tuple) and t not in groups:
                    groups.append(t)
        grouped = {n for g in groups for n in g}
        loops = _loops(scenario)
        queued = _queued(scenario)
        self.station_index = {s.name: i for i, s in enumerate(scenario.stations)}
        nst = len(scenario.stations)
        self.group_code = {g: nst + j for j, g in enumerate(groups)}
        staffed = {m.station for m in scenario.staff}
        by_name_sc = {s.name: s for s in scenario.stations}

        def plain(s: Station) -> bool:
            """Identical anonymous counters all day, and no one sent back to a counter."""
            returns = any(isinstance(t, Return) for t in _route_parts(s.next))
            return not (s.name in staffed or s.staffing or s.dedicated or returns)

        def mode(s: Station) -> str | None:
            if s.name not in queued:
                return None
            loop = next((names for names in loops if s.name in names), [s.name])
            return "tight" if all(plain(by_name_sc[n]) for n in loop) else "event"

        self.stations = [
            St(self, i, s, s.name in grouped, mode(s)) for i, s in enumerate(scenario.stations)
        ]
        by_name = {s.name: s for s in self.stations}
        self.node_list: list[Node] = []
        self.node_of_station: dict[str, int] = {}
        self.node_of_group: dict[tuple[str, ...], int] = {}
        for s in self.stations:
            if s.name in grouped or s.name in self.node_of_station:
                continue
            loop = next((names for names in loops if s.name in names), None)
            node: Node
            if s.tight:
                node = TightNode([by_name[n] for n in loop or [s.name]], self)
            elif s.queued:
                node = EventNode([by_name[n] for n in loop or [s.name]], self)
            else:
                node = Node([s])
            for m in node.members:
                self.node_of_station[m.name] = len(self.node_list)
            self.node_list.append(node)
        for g in groups:
            self.node_of_group[g] = len(self.node_list)
            self.node_list.append(Node([by_name[n] for n in g]))
        self.node_of_code = np.array(
            [self.node_of_station.get(s.name, -1) for s in scenario.stations]
            + [self.node_of_group[g] for g in groups],
            dtype=np.int64,
        )
        self.order = self._topological()
        self.entry_u = [
            Buffer(Uniform(), stream(seed, replication, "entry", c.name), "")
            for c in scenario.classes
        ]
        self.entry_routes = [self.router(c.route) for c in scenario.classes]
        self.break_time: dict[int, float] = {}
        self.staff_busy: dict[int, float] = {}
        self.staff_count: dict[int, int] = {}
        ncls = len(scenario.classes)
        self.class_wait = [Accumulator() for _ in scenario.classes]
        self.class_tis = [0.0] * ncls
        self.class_out = np.zeros(ncls * 3, dtype=np.int64)  # those lost, by class and outcome
        self.hour_n = np.zeros(ncls * 24, dtype=np.int64)  # by class and hour of arrival
        self.hour_w = np.zeros(ncls * 24)
        self.hour_out = np.zeros(ncls * 24 * 3, dtype=np.int64)
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
                Buffer(
                    b.processing,
                    stream(seed, replication, "back_office", b.matter),
                    f"back office of {b.matter!r}",
                ),
            )
            for b in scenario.back_office
        }

    def router(self, route: Route) -> Router:
        """*route* compiled for every class."""
        return Router(
            route, [c.name for c in self.scenario.classes], self.station_index, self.group_code
        )

    def _node_targets(self, routes: Iterable[Route]) -> set[int]:
        out: set[int] = set()
        for route in routes:
            for t in _route_targets(route):
                out.add(self.node_of_station[t] if isinstance(t, str) else self.node_of_group[t])
        return out

    def _topological(self) -> list[Node]:
        nodes = self.node_list
        for i in self._node_targets(c.route for c in self.scenario.classes):
            nodes[i].entry = True
        down = [
            self._node_targets(m.station.next for m in n.members) - {i} for i, n in enumerate(nodes)
        ]
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
        assert len(order) == len(nodes), "the routing's cycles are nodes of their own"
        return [nodes[i] for i in order]

    # ---------------------------------------------------------- arrivals

    def _blocks(self) -> Iterator[tuple[list[tuple[F8, int]], float]]:
        sc, grid = self.scenario, self.grid
        rngs = [
            [
                stream(self.seed, self.replication, "arrivals", f"{c.name}:{j}")
                for j in range(len(c.arrivals))
            ]
            for c in sc.classes
        ]
        if sc.hall is not None:
            srcs = [
                (i, DaySource(p, grid, sc, rngs[i][j]))
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
            count = sum(len(p) for p, _ in parts)
            for d in range(len(grid.days)):
                for i, src in srcs:
                    day = src.day(d)
                    parts.append((day, i))
                    count += len(day)
                if d + 1 == len(grid.days):
                    yield parts, INF
                elif count >= BLOCK // 4:
                    yield parts, float(grid.opens[grid.day_first[d + 1]])
                    parts, count = [], 0
            return
        psrc = [
            (i, PoissonSource(p.rate, rngs[i][j]))
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

    def moves(self, t: F8, cust: I8, cls: npt.NDArray[np.int32], t0: F8) -> Rec:
        """Moving records of customers at *t*, nothing waited or accepted yet."""
        b = np.empty(len(t), dtype=_MOVE)
        b["t"], b["cust"], b["cls"], b["t0"] = t, cust, cls, t0
        b["wsum"] = 0.0
        b["acc_station"] = -1
        b["acc_start"] = b["acc_end"] = np.nan
        b["acc_staff"] = -1
        b["to"] = -1
        return b

    def run(self) -> SimulationResult:
        counter = 0
        if self.scenario.initial is not None and self.scenario.initial.cases:
            self._carry()
        for parts, frontier in self._blocks():
            ts = np.concatenate([p for p, _ in parts])
            cl = np.repeat(
                np.array([i for _, i in parts], dtype=np.int32), [len(p) for p, _ in parts]
            )
            order = np.argsort(ts, kind="stable")
            n = len(ts)
            ts = ts[order]
            b = self.moves(ts, np.arange(counter, counter + n), cl[order], ts)
            counter += n
            self.customers += n
            if n:
                self.last_arrival = max(self.last_arrival, float(b["t"][-1]))
            cls = b["cls"]
            if len(self.scenario.classes) == 1:
                target = self.entry_routes[0].many(cls, self.entry_u[0].take(n))
            else:
                target = np.empty(n, dtype=np.int64)
                for i in range(len(self.scenario.classes)):
                    m = cls == i
                    k = int(m.sum())
                    if k:
                        target[m] = self.entry_routes[i].many(cls[m], self.entry_u[i].take(k))
            self.send(b, target)
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

    def send(self, b: Rec, target: I8) -> None:
        """Customers *b* go on to their *target*: a station, a group, or out of the hall."""
        if not len(b):
            return
        gone = target == LEAVE
        if gone.any():
            if gone.all():
                self._exit(b)
                return
            self._exit(b[gone])
            b, target = b[~gone], target[~gone]
        back = target < LEAVE  # to the counter of a station outside a cycle: to the station
        if back.any():
            target = np.where(back, -2 - target, target)
        b["to"] = target
        nodes = self.node_of_code[target]
        first = int(nodes[0])
        if (nodes == first).all():
            self.node_list[first].pending.append(b)
            return
        for node_id in np.unique(nodes).tolist():
            self.node_list[node_id].pending.append(b[nodes == node_id])

    def _process(self, node: Node, cut: float) -> None:
        b = None
        if node.pending:
            b = np.concatenate(node.pending) if len(node.pending) > 1 else node.pending[0]
            t = b["t"]
            if len(node.pending) > 1 or (t[1:] < t[:-1]).any():
                b = b[np.argsort(t, kind="stable")]
            k = int(np.searchsorted(b["t"], cut, side="right"))
            if k < len(b):
                node.pending = [b[k:]]
                b = b[:k]
            else:
                node.pending = []
        if node.event:
            node.process(b if b is not None else np.empty(0, dtype=_MOVE), cut)
            node.out = cut
            return
        if b is not None and len(b):
            self._serve(node, b)
        node.out = max(min(m.frontier() for m in node.members), cut)

    def _serve(self, node: Node, b: Rec) -> None:
        n = len(b)
        members = node.members
        if len(members) == 1 and members[0].fast:
            st = members[0]
            svc = self._draws(st.svc, b["cls"])
            if st.patient:
                cls = b["cls"].tolist()
                pat = self._draws(st.pat, b["cls"])
                s_l, e_l, o_l = fifo_patient(
                    st, b["t"].tolist(), svc.tolist(), pat.tolist(), [st.baulks[c] for c in cls]
                )
                outcome = np.array(o_l, dtype=np.int8)
                server = np.where(outcome == SERVED, -1, NO_COUNTER)
                self._after(st, b, np.array(s_l), np.array(e_l), server, outcome)
                return
            start = np.array(fifo(b["t"].tolist(), svc.tolist(), st.hp))
            self._after(st, b, start, start + svc, np.full(n, -1, dtype=np.int64))
            return
        sess = self.grid.session_of(b["t"]).tolist()
        ts = b["t"].tolist()
        cls = b["cls"].tolist()
        start, end = np.empty(n), np.empty(n)
        server = np.empty(n, dtype=np.int64)
        which = np.zeros(n, dtype=np.int64)
        outcome = np.zeros(n, dtype=np.int8)
        single = len(members) == 1
        patient = any(m.patient for m in members)
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
            c = cls[i]
            s = mj.svc[c].one()
            p = INF
            if patient:
                pb = mj.pat[c]
                if pb is not None:
                    p = pb.one()
                bk = mj.baulks[c]
                if bk is not None and mj.turns_away(bk, mj.waiting(a), len(mj.heap)):
                    start[i] = end[i] = a
                    server[i], which[i], outcome[i] = NO_COUNTER, j, 2
                    continue
                mj.mean[0] += s
                mj.mean[1] += 1
            if mj.station.speed is not None:
                s = s / float(mj.station.speed(mj.in_system(a) + 1))
            t_start, t_end, k, o = mj.serve_backup(a, s, p) if mj.backup else mj.serve(a, s, p)
            if not single or mj.station.speed is not None:
                heapq.heappush(mj.insys, t_end)
            start[i], end[i], server[i], which[i], outcome[i] = t_start, t_end, k, j, o
        for j, m in enumerate(members):
            sel = which == j
            if sel.any():
                self._after(
                    m, b[sel], start[sel], end[sel], server[sel], outcome[sel] if patient else None
                )

    @staticmethod
    def _draws(buffers: Sequence[Buffer | None], cls: npt.NDArray[np.int32]) -> F8:
        """One draw per customer from his class's buffer (infinite without one)."""
        if len(buffers) == 1:
            buf = buffers[0]
            return buf.take(len(cls)) if buf is not None else np.full(len(cls), INF)
        out = np.full(len(cls), INF)
        for i, buf in enumerate(buffers):
            if buf is None:
                continue
            m = cls == i
            c = int(m.sum())
            if c:
                out[m] = buf.take(c)
        return out

    def _after(
        self,
        st: St,
        b: Rec,
        start: F8,
        end: F8,
        server: I8,
        outcome: npt.NDArray[np.int8] | None = None,
    ) -> None:
        if outcome is not None:
            lost = outcome != SERVED
            if lost.any():
                self.lose(st, b[lost], end[lost], outcome[lost])
                keep = ~lost
                b, start, end, server = b[keep], start[keep], end[keep], server[keep]
        self.tally(st, b, start, end, server)
        if b.base is not None:  # a view of records the caller keeps
            b = b.copy()
        b["wsum"] += start - b["t"]
        if st.station.accepts:
            first = b["acc_station"] < 0
            if first.any():
                b["acc_station"][first] = st.idx
                b["acc_start"][first] = start[first]
                b["acc_end"][first] = end[first]
                b["acc_staff"][first] = server[first]
        b["t"] = end
        self.send(b, st.router.many(b["cls"], st.route.take(len(b))))

    def tally(self, st: St, b: Rec, start: F8, end: F8, server: I8) -> None:
        """Count the visits of customers *b* served at *st*: waits, service, staff, records.

        Without records only the arrivals ``t`` and first arrivals ``t0`` of *b* are read.
        """
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
            self.visits.append(self._visits(st, b, start, end, server, SERVED))

    def _visits(self, st: St, b: Rec, start: F8, end: F8, server: I8, outcome: Any) -> Rec:
        v = np.empty(len(b), dtype=VISIT)
        v["customer"], v["cls"], v["station"] = b["cust"], b["cls"], st.idx
        v["server"], v["arrival"], v["start"], v["end"] = server, b["t"], start, end
        v["outcome"] = outcome
        return v

    def lose(self, st: St, b: Rec, left: F8, outcome: npt.NDArray[np.int8]) -> None:
        """Customers *b* leave *st* unserved at *left* (reneged or baulked), and the hall."""
        inc = b["t0"] >= self.grid.warm_t
        reneged = outcome == RENEGED
        wait = left - b["t"]
        st.wait.add(wait[reneged & inc])
        st.abandoned += int((reneged & inc).sum())
        st.baulked += int((~reneged & inc).sum())
        if self.records:
            self.visits.append(
                self._visits(st, b, left, left, np.full(len(b), NO_COUNTER), outcome)
            )
        if b.base is not None:  # a view of records the caller keeps
            b = b.copy()
        b["wsum"] += wait
        b["t"] = left
        self._exit(b, outcome, st.idx)

    # -------------------------------------------------------------- exits

    def _exit(self, b: Rec, outcome: npt.NDArray[np.int8] | None = None, left_at: int = -1) -> None:
        """Customers *b* leave the hall: served everywhere, or *outcome* at station *left_at*."""
        inc = b["t0"] >= self.grid.warm_t
        cls = b["cls"]
        ncls = len(self.scenario.classes)
        for i in np.unique(cls).tolist():
            m = (cls == i) & inc
            if m.all():
                self.class_wait[i].add(b["wsum"])
                self.class_tis[i] += float((b["t"] - b["t0"]).sum())
            else:
                self.class_wait[i].add(b["wsum"][m])
                self.class_tis[i] += float((b["t"][m] - b["t0"][m]).sum())
        if outcome is not None:
            key = cls[inc].astype(np.int64) * 3 + outcome[inc]
            self.class_out += np.bincount(key, minlength=ncls * 3)
        if self.grid.days:
            day = self.grid.sess_day[self.grid.session_of(b["t0"])]
            nd = len(self.day_n)
            self.day_n += np.bincount(day, minlength=nd)
            self.day_w += np.bincount(day, weights=b["wsum"], minlength=nd)
            np.maximum.at(self.day_last, day, np.ascontiguousarray(b["t"]))  # fast when contiguous
            hour = (b["t0"][inc] % 1440 // 60).astype(np.int64)
            ch = cls[inc].astype(np.int64) * 24 + hour
            self.hour_n += np.bincount(ch, minlength=ncls * 24)
            self.hour_w += np.bincount(ch, weights=b["wsum"][inc], minlength=ncls * 24)
            if outcome is not None:
                self.hour_out += np.bincount(ch * 3 + outcome[inc], minlength=ncls * 72)
        if self.records:
            c = np.empty(len(b), dtype=CUSTOMER)
            c["customer"], c["cls"], c["arrival"] = b["cust"], b["cls"], b["t0"]
            c["departure"], c["wait"] = b["t"], b["wsum"]
            c["outcome"] = SERVED if outcome is None else outcome
            c["left_at"] = left_at if outcome is not None else -1
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
        lo = min([frontier] + [node.earliest_case() for node in self.node_list])
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
        rng = stream(self.seed, self.replication, "warm", back.matter)
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
        stations = {}
        rostered: dict[int, float] = {}  # named staff
        for st in self.stations:
            st.close_spares()
            avail = st.backup_minutes
            for g in range(grid.warm_g, len(grid.opens)):
                if st.shaped:
                    on = st.rostered(g)
                else:
                    length = float(grid.closes[g] - grid.opens[g]) if sc.hall else observed
                    on = dict.fromkeys(st.roster[g], length)
                for k, minutes in on.items():
                    avail += minutes
                    if k >= 0:
                        rostered[k] = rostered.get(k, 0.0) + minutes
            w = st.wait
            served = w.n - st.abandoned
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
                mean_service=st.service_total / served if served else math.nan,
                mean_sojourn=(w.total + st.service_total) / w.n if w.n else math.nan,
                mean_queue=w.total / observed if observed else math.nan,
                utilisation=st.service_total / avail if avail else math.nan,
                backup_calls=st.backup_calls,
                backup_minutes=st.backup_minutes,
                abandoned=st.abandoned,
                baulked=st.baulked,
            )
        out = self.class_out.reshape(-1, 3)
        classes = {
            c.name: ClassSummary(
                name=c.name,
                customers=acc.n,
                mean_wait=acc.mean,
                p90_wait=acc.percentile(90),
                p95_wait=acc.percentile(95),
                mean_time_in_system=tis / acc.n if acc.n else math.nan,
                abandoned=int(out[i, 1]),
                baulked=int(out[i, 2]),
            )
            for i, (c, acc, tis) in enumerate(
                zip(sc.classes, self.class_wait, self.class_tis, strict=True)
            )
        }
        hours = {}
        n_ch = self.hour_n.reshape(-1, 24)
        w_ch = self.hour_w.reshape(-1, 24)
        o_ch = self.hour_out.reshape(-1, 24, 3)
        for h in np.flatnonzero(n_ch.sum(axis=0)).tolist():
            hours[f"{h:02d}"] = HourSummary.of(
                h, None, int(n_ch[:, h].sum()), float(w_ch[:, h].sum()), o_ch[:, h].sum(axis=0)
            )
            for i, c in enumerate(sc.classes):
                if n_ch[i, h]:
                    hours[f"{h:02d}/{c.name}"] = HourSummary.of(
                        h, c.name, int(n_ch[i, h]), float(w_ch[i, h]), o_ch[i, h]
                    )
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
            hours=hours,
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
