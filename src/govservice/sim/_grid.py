"""The run's clock and sources: open sessions in minutes, arrival streams, random streams.

Private to the engine.  Times in a hall are minutes since midnight of the
first simulated day; without a hall, free units in one endless session.
"""

from __future__ import annotations

import bisect
import math
import zlib
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from itertools import chain
from typing import Any

import numpy as np
import numpy.typing as npt

from govservice.calendars import WorkingDayCalendar
from govservice.sim.distributions import Distribution, draw
from govservice.sim.errors import ScenarioError
from govservice.sim.scenario import Appointments, DailyProfile, Hall, Scenario, Surge
from govservice.text import N_, Message

F8 = npt.NDArray[np.float64]
I8 = npt.NDArray[np.int64]
Shape = tuple[tuple[float, ...], tuple[int, ...]]  # a day's ticket hours: lengths, hours
INF = math.inf


def stream(seed: int, replication: int, kind: str, name: str) -> np.random.Generator:
    """The random stream of source *name* of *kind* (common to scenarios sharing the name)."""
    key = zlib.crc32(f"{kind}:{name}".encode())
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(replication, key)))


class Uniform:
    """Uniform draws on [0, 1), for routing."""

    def sample(self, rng: np.random.Generator, size: int) -> F8:
        return rng.random(size)


class Buffer:
    """Draws of one distribution from one stream, in blocks.

    :meth:`take` hands out arrays; :attr:`one` one draw at a time (a C-level
    iterator over the blocks) and :meth:`stream` the draws mapped block by
    block.  A run uses each buffer one way only.
    """

    def __init__(self, dist: Distribution, rng: np.random.Generator, what: str) -> None:
        self.dist, self.rng, self.what = dist, rng, what
        self.arr: F8 = np.empty(0)
        self.pos = 0
        self.one: Callable[[], float] = self.stream(np.ndarray.tolist).__next__

    def _refill(self, n: int) -> None:
        fresh = draw(self.dist, self.rng, max(n, 4096), self.what)
        self.arr = np.concatenate([self.arr[self.pos :], fresh])
        self.pos = 0

    def take(self, n: int) -> F8:
        if self.pos + n > len(self.arr):
            self._refill(n)
        out = self.arr[self.pos : self.pos + n]
        self.pos += n
        return out

    def stream(self, f: Callable[[F8], list[Any]]) -> Iterator[Any]:
        """The draws one by one, each block of 4,096 mapped by *f* (to a list)."""

        def blocks() -> Iterator[list[Any]]:
            while True:
                yield f(self.take(4096))

        return chain.from_iterable(blocks())


# ---------------------------------------------------------------- the grid


def surge_days(
    calendar: WorkingDayCalendar, days: list[date], surge: Surge
) -> npt.NDArray[np.bool_]:
    """Which of the working *days* fall in a surge: its first working days after a long break."""
    out = np.zeros(len(days), dtype=bool)
    for i, d in enumerate(days):
        if (d - calendar.add_working_days(d, -1)).days - 1 >= surge.min_days_off:
            out[i : i + surge.days] = True
    return out


def minutes(t: Any) -> float:
    return float(t.hour * 60 + t.minute + t.second / 60)


class Grid:
    """Open sessions in minutes since midnight of the first day (or one endless one)."""

    def __init__(self, hall: Hall | None, warmup: float = 0.0) -> None:
        self.days: list[date] = []
        self._hours: tuple[int, F8, Shape] = (-1, np.empty((0, 2)), ((), ()))
        self._shapes: dict[tuple[tuple[float, float], ...], tuple[F8, Shape]] = {}
        if hall is None:
            self.opens = np.array([0.0])
            self.closes = np.array([INF])
            self.ticket_closes = self.closes
            self.sess_day = np.array([0])
            self.sess_no = np.array([0])
            self.day_first = np.array([0])
            self.warm_t = warmup
            self.warm_g = 0
            self.open_list: list[float] = [0.0]
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
                raise ScenarioError(
                    Message(
                        N_("the hall has no opening hours on working day %(day)s"), {"day": day}
                    )
                )
            first.append(len(opens))
            for j, s in enumerate(sessions):
                opens.append(base + minutes(s.start))
                closes.append(base + minutes(s.end))
                sday.append(i)
                sno.append(j)
        self.opens, self.closes = np.array(opens), np.array(closes)
        self.ticket_closes = np.maximum(self.opens, self.closes - hall.last_ticket)
        self.sess_day, self.sess_no = np.array(sday), np.array(sno)
        self.day_first = np.array(first)
        self.warm_g = int(self.day_first[int(warmup)])
        self.warm_t = float(self.opens[self.warm_g])
        self.open_list = self.opens.tolist()

    def day_base(self, i: int) -> float:
        """Minutes from the origin to midnight of working day *i*."""
        return (self.days[i] - self.days[0]).days * 1440.0

    def session_at(self, t: float) -> int:
        """The session of one instant (the last to open by then)."""
        return max(bisect.bisect_right(self.open_list, t) - 1, 0)

    def hour_segments(self, g: int, *, tickets: bool = False) -> list[tuple[float, float, int]]:
        """Session *g* (to its last ticket, with *tickets*) cut at the hours: (from, to, hour)."""
        base = self.day_base(int(self.sess_day[g]))
        lo = float(self.opens[g])
        hi = float((self.ticket_closes if tickets else self.closes)[g])
        out = []
        h = math.floor((lo - base) / 60)
        while base + h * 60 < hi:
            a, b = max(lo, base + h * 60), min(hi, base + (h + 1) * 60)
            if b > a:
                out.append((a, b, h % 24))
            h += 1
        return out

    def ticket_hours(self, i: int) -> tuple[F8, Shape]:
        """The hours in which tickets are issued on working day *i*, cut at the hours.

        Their starts and lengths (two columns), and the day's shape: the
        lengths and the hours of the day.  The last day asked is kept: every
        class asks for the same day in turn.
        """
        if self._hours[0] != i:
            base = self.day_base(i)
            sessions = self.day_sessions(i)
            key = tuple(
                (float(self.opens[s]) - base, float(self.ticket_closes[s]) - base) for s in sessions
            )
            known = self._shapes.get(key)
            if known is None:  # the hours of a day of these sessions, from its midnight
                segs = [x for s in sessions for x in self.hour_segments(s, tickets=True)]
                spans = np.array([(lo - base, hi - lo) for lo, hi, _ in segs]).reshape(-1, 2)
                shape = (tuple(spans[:, 1].tolist()), tuple(h for _, _, h in segs))
                known = self._shapes[key] = (spans, shape)
            self._hours = (i, known[0] + [base, 0.0], known[1])
        return self._hours[1], self._hours[2]

    def session_of(self, t: F8) -> I8:
        out: I8 = np.maximum(np.searchsorted(self.opens, t, side="right") - 1, 0)
        return out

    def day_sessions(self, i: int) -> range:
        lo = int(self.day_first[i])
        hi = int(self.day_first[i + 1]) if i + 1 < len(self.days) else len(self.opens)
        return range(lo, hi)


# --------------------------------------------------------------- arrivals


class PoissonSource:
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


class DaySource:
    """Walk-ins or appointments of one class, one working day at a time."""

    def __init__(
        self,
        pattern: DailyProfile | Appointments,
        grid: Grid,
        scenario: Scenario,
        rng: np.random.Generator,
    ) -> None:
        self.pattern, self.grid, self.rng = pattern, grid, rng
        self.hourly = np.array(pattern.hourly) if isinstance(pattern, DailyProfile) else None
        self.weights: dict[Shape, tuple[F8, float]] = {}
        self.factor = np.ones(len(grid.days))
        if isinstance(pattern, DailyProfile) and pattern.surge is not None:
            assert scenario.hall is not None
            surged = surge_days(scenario.hall.calendar, grid.days, pattern.surge)
            self.factor[surged] = pattern.surge.factor

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
        spans, shape = g.ticket_hours(i)
        weights = self.weights.get(shape)
        if weights is None:  # the weight of each hour, and their sum
            assert self.hourly is not None
            w = self.hourly[np.array(shape[1], dtype=np.int64)] * np.array(shape[0]) / 60
            weights = self.weights[shape] = (w, w.sum())
        w, total_w = weights
        if not len(w) or total_w <= 0:
            return np.empty(0)
        total = p.per_day * p.weekday[g.days[i].weekday()] * self.factor[i]
        counts = rng.poisson(total * w / total_w)
        picked = np.repeat(spans, counts, axis=0)
        out: F8 = np.sort(picked[:, 0] + rng.random(len(picked)) * picked[:, 1])
        return out
