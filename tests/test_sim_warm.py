"""govservice.sim: the warm start from a store, and the back office of limited capacity."""

from __future__ import annotations

import heapq
import json
import math
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govservice.calendars import china
from govservice.cases import Clock, event_from_dict
from govservice.exceptions import DataFileError
from govservice.model import load_catalogue
from govservice.sim import (
    BackOffice,
    ByClass,
    CustomerClass,
    DailyProfile,
    Deterministic,
    Empirical,
    Exponential,
    Hall,
    Lognormal,
    OpenCase,
    Probabilistic,
    Scenario,
    ScenarioError,
    Station,
    WarmStart,
    load_scenario,
    simulate,
    warm_start,
)
from govservice.storage import EventStore, SQLiteStore
from govservice.testing.store_conformance import CATALOGUE

DATA = Path(__file__).parent / "data"
SH = timezone(timedelta(hours=8))
CAL = china()
SMALL = load_catalogue(DATA / "catalogue_small.toml")  # MR-001: promised 8, statutory 20

# ------------------------------------------------------------------ helpers


def ev(case: str, kind: str, at: str, **fields: Any) -> dict[str, Any]:
    """One event of *case* at *at* (local time in Shanghai, ``YYYY-MM-DDTHH:MM``)."""
    return {"case": case, "type": kind, "at": f"{at}:00+08:00", **fields}


def submitted(case: str, at: str, matter: str = "MR-001") -> dict[str, Any]:
    return ev(case, "submitted", at, matter=matter, applicant={"name": "张三", "kind": "person"})


def opened(case: str, day: str, matter: str = "MR-001") -> list[dict[str, Any]]:
    """Submitted at 09:00 and accepted at 09:30 on *day*."""
    return [submitted(case, f"{day}T09:00", matter), ev(case, "accepted", f"{day}T09:30")]


AT = "2026-09-30T18:00:00+08:00"

HISTORIES = {
    "OPEN": opened("OPEN", "2026-09-24"),
    "DECIDED-LATER": [
        *opened("DECIDED-LATER", "2026-09-24"),
        ev("DECIDED-LATER", "decided", "2026-10-09T15:00", outcome="approved"),
    ],
    "DONE": [
        *opened("DONE", "2026-09-21"),
        ev("DONE", "decided", "2026-09-28T15:00", outcome="approved"),
    ],
    "GONE": [*opened("GONE", "2026-09-22"), ev("GONE", "withdrawn", "2026-09-29T10:00")],
    "REFUSED": [
        submitted("REFUSED", "2026-09-24T10:00"),
        ev("REFUSED", "rejected", "2026-09-24T11:00", reason="incomplete"),
    ],
    "PAUSED": [
        *opened("PAUSED", "2026-09-22"),
        ev("PAUSED", "suspended", "2026-09-24T10:00", reason="expert_review"),
    ],
    "EXT": [
        *opened("EXT", "2026-09-23"),
        ev("EXT", "extended", "2026-09-28T10:00", working_days=5, approved_by="局长"),
    ],
    "TODAY": opened("TODAY", "2026-09-30"),
    "TAX": opened("TAX", "2026-09-29", matter="TAX-001"),
    "WAITING": [submitted("WAITING", "2026-09-30T10:00")],
    "LATER-TODAY": [submitted("LATER-TODAY", "2026-09-30T19:00")],
    "TOMORROW": opened("TOMORROW", "2026-10-08"),
}
OPEN_AT = {"OPEN", "DECIDED-LATER", "PAUSED", "EXT", "TODAY", "TAX"}


def make_store(path: Path) -> EventStore:
    store = SQLiteStore(f"sqlite:///{path}")
    store.set_catalogue(CATALOGUE)
    store.append([e for events in HISTORIES.values() for e in events])
    return store


def backlog_scenario(
    cases: list[OpenCase],
    *,
    officers: int | None,
    per_officer: float = 1.0,
    days: int = 20,
    processing: Any = None,
    at: datetime = datetime(2026, 3, 6, 18, 0, tzinfo=SH),  # a Friday
) -> Scenario:
    """No arrivals at all: the back office works off the carried cases alone."""
    return Scenario(
        stations=[Station("MR", 1, service=Exponential(5.0))],
        classes=[CustomerClass("market", DailyProfile(0), route="MR", matter="MR-001")],
        hall=Hall(CAL, date(2026, 3, 9), days=days),  # the Monday after
        back_office=[
            BackOffice(
                "MR-001",
                processing if processing is not None else Deterministic(0.0),
                officers=officers,
                per_officer=per_officer,
            )
        ],
        catalogue=SMALL,
        initial=WarmStart(at, cases),
    )


def open_cases(promised: list[int], used: int = 10) -> list[OpenCase]:
    """Open cases whose promised deadlines are the given days of March 2026."""
    return [
        OpenCase(
            f"C{i}",
            "MR-001",
            date(2026, 3, 2),
            date(2026, 3, p),
            date(2026, 3, 30),
            used,
        )
        for i, p in enumerate(promised)
    ]


def feb_cases(n: int, used: int = 3) -> list[OpenCase]:
    """Open cases on 13 February 2026, promised over the first nine working days after."""
    return [
        OpenCase(
            f"F{i}",
            "MR-001",
            date(2026, 2, 10),
            CAL.add_working_days(date(2026, 2, 13), 1 + i % 9),
            CAL.add_working_days(date(2026, 2, 13), 15),
            used,
        )
        for i in range(n)
    ]


def carried_decisions(result: Any) -> dict[int, date | None]:
    """The decided day of each carried case, by its index in the warm start."""
    c = result.cases[result.cases["carried"]]
    return {
        int(row["open_case"]): None
        if np.isnat(row["decided_day"])
        else row["decided_day"].astype(date)
        for row in c
    }


def expected_edf_days(cases: list[OpenCase], capacity: float, start: date) -> list[date]:
    """Each case's decision day when all are ready on the first working day after *start*.

    Cases in order of promised deadline (then acceptance, then their order);
    by the end of the j-th working day floor(j * capacity) have been decided.
    """
    order = sorted(
        range(len(cases)),
        key=lambda i: (cases[i].promised_deadline, cases[i].accepted_on, i),
    )
    out: list[date] = [start] * len(cases)
    j = 1
    for rank, i in enumerate(order):
        while math.floor(j * capacity + 1e-9) <= rank:
            j += 1
        out[i] = CAL.add_working_days(start, j)
    return out


# ------------------------------------------------------------- warm_start


class TestWarmStart:
    def test_reads_the_open_cases_with_the_clocks_deadlines(self, tmp_path: Path) -> None:
        """Open cases at the instant, with the store's (and an independent clock's) readings."""
        with make_store(tmp_path / "s.db") as store:
            start = warm_start(store, AT, queues={"market": 3})
            assert start.at == datetime(2026, 9, 30, 18, tzinfo=SH)
            assert dict(start.queues) == {"market": 3}
            assert {c.case for c in start.cases} == OPEN_AT
            # open, but not yet in the back office: no decision clock to carry
            waiting = store.clock.reading(store.case("WAITING"), AT)
            assert waiting.state.open and waiting.statutory_deadline is None
            clock = Clock(CATALOGUE, china())
            for c in start.cases:
                stored = store.clock.reading(store.case(c.case), AT)
                mine = clock.reading(clock.case(event_from_dict(e) for e in HISTORIES[c.case]), AT)
                for r in (stored, mine):
                    assert c.matter == r.matter
                    assert c.accepted_on == r.accepted_on
                    assert c.promised_deadline == r.promised_deadline
                    assert c.statutory_deadline == r.statutory_deadline
                    assert c.working_days_used == r.working_days_used

    def test_deadlines_are_not_recomputed(self, tmp_path: Path) -> None:
        """Extensions and suspensions show in the carried deadlines."""
        with make_store(tmp_path / "s.db") as store:
            by_id = {c.case: c for c in warm_start(store, AT).cases}
        # accepted 09-23, statutory 20 working days, extended by 5: 25 working days
        assert by_id["EXT"].statutory_deadline == CAL.add_working_days(date(2026, 9, 23), 25)
        assert by_id["EXT"].promised_deadline == CAL.add_working_days(date(2026, 9, 23), 8)
        # suspended since 09-24: the working days after it do not count
        assert by_id["PAUSED"].working_days_used == CAL.working_days_between(
            date(2026, 9, 22), date(2026, 9, 24)
        )
        assert by_id["OPEN"].working_days_used == CAL.working_days_between(
            date(2026, 9, 24), date(2026, 9, 30)
        )

    def test_an_earlier_instant_sees_an_earlier_state(self, tmp_path: Path) -> None:
        """Before its withdrawal a case is open; before its submission it does not exist."""
        with make_store(tmp_path / "s.db") as store:
            ids = {c.case for c in warm_start(store, "2026-09-28T09:00:00+08:00").cases}
        assert ids == {"OPEN", "DECIDED-LATER", "DONE", "GONE", "PAUSED", "EXT"}

    def test_refuses_naive_instants(self, tmp_path: Path) -> None:
        with make_store(tmp_path / "s.db") as store, pytest.raises(ScenarioError, match="offset"):
            warm_start(store, "2026-09-30T18:00:00")

    def test_refuses_bad_queues(self, tmp_path: Path) -> None:
        with make_store(tmp_path / "s.db") as store:
            with pytest.raises(ScenarioError, match="an integer from 0 to 10,000") as e:
                warm_start(store, AT, queues={"market": -1})
            assert e.value.value == -1


# ------------------------------------------------------------------ capacity


class TestCapacity:
    @pytest.mark.parametrize(("n", "officers"), [(10, 3), (12, 4), (1, 2), (7, 1)])
    def test_backlog_cleared_on_the_ceil_n_over_c_th_day(self, n: int, officers: int) -> None:
        """N cases ready at once, C a day: the last is decided on working day ceil(N / C)."""
        promised = [9 + (7 * i) % 13 for i in range(n)]  # shuffled deadlines in March
        cases = open_cases(promised)
        r = simulate(backlog_scenario(cases, officers=officers), records=True)
        decided = carried_decisions(r)
        friday = date(2026, 3, 6)
        assert max(d for d in decided.values() if d) == CAL.add_working_days(
            friday, math.ceil(n / officers)
        )
        assert [decided[i] for i in range(n)] == expected_edf_days(cases, officers, friday)
        m = r.summary.matters["MR-001"]
        assert (m.carried, m.pending, m.cases) == (n, 0, 0)

    def test_earliest_deadline_first(self) -> None:
        """A later deadline is never decided before an earlier one; ties by acceptance."""
        cases = [
            OpenCase(
                "late-deadline", "MR-001", date(2026, 2, 2), date(2026, 3, 20), date(2026, 3, 30), 9
            ),
            OpenCase(
                "early-b", "MR-001", date(2026, 3, 3), date(2026, 3, 10), date(2026, 3, 30), 9
            ),
            OpenCase(
                "early-a", "MR-001", date(2026, 3, 2), date(2026, 3, 10), date(2026, 3, 30), 9
            ),
            OpenCase("no-promise", "MR-001", date(2026, 3, 2), None, date(2026, 3, 12), 9),
        ]
        r = simulate(backlog_scenario(cases, officers=1), records=True)
        decided = carried_decisions(r)
        days = [CAL.add_working_days(date(2026, 3, 6), k) for k in (1, 2, 3, 4)]
        # early-a (accepted first), early-b, no-promise (statutory 12th), late-deadline
        assert [decided[i] for i in (2, 1, 3, 0)] == days

    def test_fractional_capacity(self) -> None:
        """1.5 a day decides 1, 2, 1, 2, … cases."""
        cases = open_cases([20] * 9)
        r = simulate(backlog_scenario(cases, officers=3, per_officer=0.5), records=True)
        per_day: dict[date, int] = {}
        for d in carried_decisions(r).values():
            assert d is not None
            per_day[d] = per_day.get(d, 0) + 1
        days = [CAL.add_working_days(date(2026, 3, 6), k) for k in range(1, 7)]
        assert [per_day.get(d, 0) for d in days] == [1, 2, 1, 2, 1, 2]

    @given(
        promised=st.lists(st.integers(9, 31), min_size=1, max_size=30),
        officers=st.integers(1, 4),
        per_officer=st.sampled_from([0.25, 0.5, 1.0, 1.5, 2.5]),
    )
    @settings(max_examples=30, deadline=None)
    def test_backlog_property(self, promised: list[int], officers: int, per_officer: float) -> None:
        """Decision days follow EDF at the capacity, and the rest are pending at the end."""
        cases = open_cases(promised)
        capacity = officers * per_officer
        days = 8
        r = simulate(
            backlog_scenario(cases, officers=officers, per_officer=per_officer, days=days),
            records=True,
        )
        friday = date(2026, 3, 6)
        last = CAL.add_working_days(friday, days)
        expected = [d if d <= last else None for d in expected_edf_days(cases, capacity, friday)]
        decided = carried_decisions(r)
        assert [decided[i] for i in range(len(cases))] == expected
        m = r.summary.matters["MR-001"]
        pending = [c for c, d in zip(cases, expected, strict=True) if d is None]
        assert (
            m.pending
            == len(pending)
            == len(cases) - min(len(cases), math.floor(capacity * days + 1e-9))
        )
        assert m.overdue == sum(
            c.promised_deadline is not None and c.promised_deadline <= last for c in pending
        )
        on_time = sum(
            d is not None and c.promised_deadline is not None and d <= c.promised_deadline
            for c, d in zip(cases, expected, strict=True)
        )
        assert m.carried_on_time_promised == on_time
        assert m.missed_promised == len(cases) - on_time - (len(pending) - m.overdue)

    def test_officers_none_is_todays_back_office(self) -> None:
        """Without officers, per_officer changes nothing: results equal a run without the fields."""
        base = hall()
        same = hall(back_office=[BackOffice("MR-001", Empirical([3, 5, 6, 8]), 1.0, None, 3.0)])
        empty_start = hall(initial=WarmStart(datetime(2026, 2, 13, 18, tzinfo=SH)))
        for seed in (1, 2):
            a = simulate(base, seed=seed, records=True)
            for other in (same, empty_start):
                b = simulate(other, seed=seed, records=True)
                assert a.summary == attrs.evolve(b.summary, scenario=a.summary.scenario)
                assert a.cases is not None and b.cases is not None
                assert np.array_equal(a.cases, b.cases)
                assert list(a.events()) == list(b.events())
            m = a.summary.matters["MR-001"]
            assert (m.pending, m.overdue, m.carried) == (0, 0, 0)
            assert a.cases is not None
            assert m.missed_promised == int((a.cases["on_time_promised"] == 0).sum())

    @pytest.mark.parametrize("seed", [1, 2, 3])
    def test_more_officers_never_fewer_on_time(self, seed: int) -> None:
        """Common random numbers: adding officers never lowers the cases decided on time."""
        initial = WarmStart(
            datetime(2026, 2, 13, 18, tzinfo=SH),
            feb_cases(60),
        )
        counts = []
        for officers in (2, 4, 6, 9, 14, 30):
            sc = hall(
                back_office=[BackOffice("MR-001", Empirical([3, 5, 6, 8]), officers=officers)],
                initial=initial,
            )
            r = simulate(sc, seed=seed, records=True)
            assert r.cases is not None
            counts.append(int((r.cases["on_time_promised"] == 1).sum()))
            m = r.summary.matters["MR-001"]
            assert (
                m.carried_on_time_promised
                + int((r.cases["on_time_promised"][~r.cases["carried"]] == 1).sum())
                == counts[-1]
            )
        assert counts == sorted(counts)
        assert counts[-1] > counts[0]

    def test_edf_over_many_blocks_matches_a_reference(self) -> None:
        """A month of 1,500 arrivals a day (several blocks): decisions equal a plain EDF replay.

        The unlimited run gives each case's ready day (same random numbers); a
        day-by-day EDF over those cases at the capacity must give the capacity
        run's decision days.
        """

        def month(officers: int | None) -> Scenario:
            return Scenario(
                stations=[
                    Station(
                        "W", 40, service=Exponential(9.0), next=Probabilistic({"cashier": 0.5})
                    ),
                    Station("cashier", 6, service=Exponential(2.0), accepts=False),
                ],
                classes=[CustomerClass("market", DailyProfile(1500), route="W", matter="MR-001")],
                hall=Hall(CAL, date(2026, 3, 2), days=22),
                back_office=[BackOffice("MR-001", Empirical([1, 2, 3, 4, 5]), 0.5, officers, 0.75)],
                catalogue=SMALL,
            )

        free = simulate(month(None), seed=5, records=True)
        capped = simulate(month(1900), seed=5, records=True)
        assert free.cases is not None and capped.cases is not None
        assert free.summary.customers > 2 * 16384
        assert np.array_equal(free.cases["customer"], capped.cases["customer"])
        days = [date.fromisoformat(d) for d in sorted(free.summary.days)]
        capacity = 1900 * 0.75
        ready_at = free.cases["decided_day"].astype("datetime64[D]").astype(date)
        key = list(
            zip(
                free.cases["promised_deadline"].astype(date).tolist(),
                free.cases["accepted"].tolist(),
                free.cases["customer"].tolist(),
                strict=True,
            )
        )
        arrival = sorted(range(len(key)), key=lambda i: ready_at[i])
        want: list[date | None] = [None] * len(key)
        heap: list[tuple[Any, int]] = []
        k = 0
        for j, day in enumerate(days):
            while k < len(arrival) and ready_at[arrival[k]] <= day:
                heapq.heappush(heap, (key[arrival[k]], arrival[k]))
                k += 1
            cap = math.floor(capacity * (j + 1)) - math.floor(capacity * j)
            for _ in range(min(cap, len(heap))):
                want[heapq.heappop(heap)[1]] = day
        got = [None if np.isnat(d) else d.astype(date) for d in capped.cases["decided_day"]]
        assert got == want
        m = capped.summary.matters["MR-001"]
        assert m.pending == sum(w is None for w in want) > 0
        late = sum(w is not None and w > kk[0] for w, kk in zip(want, key, strict=True))
        assert late > 0
        assert m.on_time_promised == pytest.approx(1 - late / sum(w is not None for w in want))


# ---------------------------------------------------------- warm start runs


def hall(**changes: Any) -> Scenario:
    base = Scenario(
        stations=[
            Station(
                "triage",
                2,
                service=Exponential(1.0),
                accepts=False,
                next=ByClass({"market": "W1"}, default="W2"),
            ),
            Station("W1", 2, service=Lognormal(6.0, 3.0)),
            Station("W2", 1, service={"*": Exponential(8.0)}),
        ],
        classes=[
            CustomerClass("market", DailyProfile(60), route="triage", matter="MR-001"),
            CustomerClass("other", DailyProfile(30), route="triage"),
        ],
        hall=Hall(CAL, date(2026, 2, 24), days=10, last_ticket=15),
        back_office=[BackOffice("MR-001", Empirical([3, 5, 6, 8]))],
        catalogue=SMALL,
        name="hall",
    )
    return attrs.evolve(base, **changes)


class TestWarmRuns:
    def test_residual_processing(self) -> None:
        """Remaining working days: processing beyond those used, counted from the instant."""
        friday = date(2026, 3, 6)
        cases = [
            OpenCase("A", "MR-001", date(2026, 3, 4), date(2026, 3, 20), date(2026, 3, 30), 2),
            OpenCase("B", "MR-001", date(2026, 2, 20), date(2026, 3, 20), date(2026, 3, 30), 7),
        ]
        r = simulate(
            backlog_scenario(cases, officers=None, processing=Deterministic(5.0)), records=True
        )
        decided = carried_decisions(r)
        assert decided[0] == CAL.add_working_days(friday, 3)  # 5 - 2 left
        assert decided[1] == date(2026, 3, 9)  # 7 >= 5: none left, the first day
        many = [
            OpenCase(f"C{i}", "MR-001", date(2026, 2, 27), date(2026, 3, 31), date(2026, 3, 31), 5)
            for i in range(200)
        ]
        r = simulate(
            backlog_scenario(many, officers=None, processing=Empirical([2, 4, 6, 8])),
            records=True,
        )
        seen = set(carried_decisions(r).values())
        # conditioned on exceeding 5: 6 or 8 in all, 1 or 3 working days left
        assert seen == {CAL.add_working_days(friday, 1), CAL.add_working_days(friday, 3)}
        assert r.cases is not None
        assert set(r.cases["working_days"].tolist()) == {6, 8}

    def test_carried_judged_against_stored_deadlines(self) -> None:
        """On time or not by the deadlines carried, whatever the matter's limits say."""
        cases = [
            OpenCase("A", "MR-001", date(2026, 3, 4), date(2026, 3, 6), date(2026, 3, 30), 2),
            OpenCase("B", "MR-001", date(2026, 3, 4), date(2026, 3, 12), date(2026, 3, 10), 2),
        ]
        r = simulate(
            backlog_scenario(cases, officers=None, processing=Deterministic(5.0)), records=True
        )
        m = r.summary.matters["MR-001"]  # both decided on 03-11
        assert (m.carried, m.carried_on_time_promised, m.carried_on_time_statutory) == (2, 1, 1)
        assert m.missed_promised == 1
        assert m.on_time_promised != m.on_time_promised  # no new cases: NaN

    def test_common_random_numbers_with_a_warm_start(self) -> None:
        """Carried cases draw from their own stream: the new cases' results do not move."""
        initial = WarmStart(datetime(2026, 2, 13, 18, tzinfo=SH), feb_cases(40, used=1))
        for seed in (1, 2):
            a = simulate(hall(), seed=seed).summary
            b = simulate(hall(initial=initial), seed=seed).summary
            assert a.stations == b.stations and a.classes == b.classes
            ma, mb = a.matters["MR-001"], b.matters["MR-001"]
            fields = ("cases", "on_time_promised", "on_time_statutory", "mean_working_days")
            assert [getattr(ma, f) for f in fields] == [getattr(mb, f) for f in fields]
            assert mb.carried == 40

    def test_queued_customers_served_at_opening(self) -> None:
        """The queues come in at the first opening, class by class, and go first."""
        queues = {"other": 5, "market": 25}
        sc = hall(initial=WarmStart(datetime(2026, 2, 13, 18, tzinfo=SH), queues=queues))
        r = simulate(sc, seed=3, records=True)
        plain = simulate(hall(), seed=3)
        assert r.customers is not None and r.visits is not None
        first = r.customers[:30]
        assert np.all(first["arrival"] == 9 * 60)  # 09:00 on the first day
        assert first["cls"].tolist() == [0] * 25 + [1] * 5  # the scenario's class order
        assert (
            r.summary.days["2026-02-24"].arrivals == plain.summary.days["2026-02-24"].arrivals + 30
        )
        assert r.summary.customers == plain.summary.customers + 30
        triage = r.visits[r.visits["station"] == 0]
        queued = np.isin(triage["customer"], first["customer"])
        assert triage["start"][queued].max() <= triage["start"][~queued].min()
        assert triage["start"][queued].min() == 9 * 60
        # nobody served while the hall is closed
        arrival = dict(
            zip(r.customers["customer"].tolist(), r.customers["arrival"].tolist(), strict=True)
        )
        t0 = np.array([arrival[c] for c in r.visits["customer"].tolist()])
        opened_at = np.where(t0 % 1440 < 12 * 60, 9 * 60, 13 * 60 + 30) + np.floor(t0 / 1440) * 1440
        assert np.all(r.visits["start"] >= opened_at)
        day = np.datetime64(date(2026, 2, 24), "D") + np.floor(r.visits["start"] / 1440).astype(
            "timedelta64[D]"
        )
        assert CAL.is_working_day(np.asarray(day, dtype="datetime64[D]")).all()

    def test_records_events_and_pandas(self, tmp_path: Path) -> None:
        """Carried cases in the records; their decisions append to the store they came from."""
        with make_store(tmp_path / "s.db") as store:
            initial = warm_start(store, AT, queues={"market": 4})
            sc = Scenario(
                stations=[Station("MR", 1, service=Exponential(5.0))],
                classes=[CustomerClass("market", DailyProfile(20), route="MR", matter="MR-001")],
                hall=Hall(CAL, date(2026, 10, 9), days=10),
                back_office=[
                    BackOffice("MR-001", Empirical([2, 4]), officers=3),
                    BackOffice("TAX-001", Deterministic(1.0), officers=1),
                ],
                catalogue=CATALOGUE,
                initial=initial,
            )
            r = simulate(sc, seed=1, records=True)
            assert r.cases is not None
            carried = r.cases[r.cases["carried"]]
            assert len(carried) == len(OPEN_AT)
            assert set(carried["customer"].tolist()) == {-1}
            for row in carried:
                c = initial.cases[int(row["open_case"])]
                assert r.matters[int(row["matter"])] == c.matter
                assert row["statutory_deadline"].astype(date) == c.statutory_deadline
            df = r.to_pandas("cases")
            assert df["carried"].sum() == len(OPEN_AT)
            assert df.loc[df["carried"], "cls"].isna().all()
            decided = [e for e in r.events() if not e["case"].startswith("SIM-")]
            assert {e["type"] for e in decided} == {"decided"}
            assert {e["case"] for e in decided} <= OPEN_AT
            # the store decided one itself meanwhile, and another is suspended there
            appendable = [e for e in decided if e["case"] not in ("DECIDED-LATER", "PAUSED")]
            assert appendable
            store.append(appendable)
            for e in appendable:
                reading = store.clock.reading(store.case(e["case"]), e["at"])
                assert reading.decided_on == date.fromisoformat(e["at"][:10])
            summary = r.summary.matters
            assert summary["MR-001"].carried + summary["TAX-001"].carried == len(OPEN_AT)


# ------------------------------------------------------------------ errors


class TestErrors:
    def test_bad_capacity(self) -> None:
        for officers in (0, -1, 1.5, True):
            with pytest.raises(ScenarioError, match="officers") as e:
                BackOffice("MR-001", Deterministic(1.0), officers=officers)  # type: ignore[arg-type]
            assert e.value.field == "officers" and e.value.value is officers
        with pytest.raises(ScenarioError, match="per_officer"):
            BackOffice("MR-001", Deterministic(1.0), officers=2, per_officer=0)

    def test_unknown_matter(self) -> None:
        case = OpenCase("X", "XX-999", date(2026, 3, 2), None, date(2026, 3, 30), 1)
        with pytest.raises(ScenarioError, match="'XX-999', which is not in the catalogue") as e:
            backlog_scenario([case], officers=1)
        assert e.value.field == "initial.cases"

    def test_unknown_class_and_negative_count(self) -> None:
        at = datetime(2026, 2, 13, 18, tzinfo=SH)
        with pytest.raises(ScenarioError, match="unknown class 'nobody'"):
            hall(initial=WarmStart(at, queues={"nobody": 2}))
        with pytest.raises(ScenarioError, match="an integer from 0 to 10,000") as e:
            WarmStart(at, queues={"market": -3})
        assert e.value.value == -3

    def test_hall_must_open_after_the_instant(self) -> None:
        with pytest.raises(ScenarioError, match="before the hall's first day") as e:
            hall(initial=WarmStart(datetime(2026, 2, 24, 8, tzinfo=SH)))
        assert e.value.field == "initial.at"
        # what counts is the local date in the hall's timezone
        with pytest.raises(ScenarioError, match="local date 2026-02-24"):
            hall(initial=WarmStart(datetime(2026, 2, 24, 0, 30, tzinfo=UTC)))
        hall(initial=WarmStart(datetime(2026, 2, 23, 12, tzinfo=UTC)))  # 20:00 local

    def test_needs_a_hall_and_a_catalogue(self) -> None:
        with pytest.raises(ScenarioError, match="needs a catalogue"):
            hall(
                catalogue=None,
                back_office=[],
                classes=[CustomerClass("market", DailyProfile(6), route="triage")],
                initial=WarmStart(datetime(2026, 2, 13, 18, tzinfo=SH)),
            )

    def test_naive_instant_and_duplicate_cases(self) -> None:
        with pytest.raises(ScenarioError, match="aware"):
            WarmStart(datetime(2026, 2, 13, 18))
        case = open_cases([10])[0]
        with pytest.raises(ScenarioError, match="twice"):
            WarmStart(datetime(2026, 2, 13, 18, tzinfo=SH), [case, case])


# -------------------------------------------------------------- TOML, CLI

SCENARIO = """
name = "warm"
[hall]
start = 2026-10-09
days = 5
catalogue = "cat.toml"
[[class]]
name = "market"
matter = "MR-001"
route = "W1"
walk_in = { per_day = 30 }
[[station]]
name = "W1"
servers = 2
service = { lognormal = [5.0, 2.0] }
[[back_office]]
matter = "MR-001"
processing = { deterministic = 2 }
officers = 2
per_officer = 1.5
[initial]
store = "sqlite:///store.db"
at = 2026-09-30T18:00:00+08:00
queues = { market = 7 }
"""


TAX = """[[matter]]
code = "TAX-001"
name = "发票领用"
unit = "MR"
category = "public_service"
kind = "promised"
statutory = { working_days = 20, rule = "alicensing.decision" }
promised = { working_days = 3 }

"""


def write_files(folder: Path, text: str = SCENARIO, *, tax: bool = True) -> Path:
    """The scenario, its catalogue (with the store's TAX-001 if *tax*) and the store."""
    catalogue = (DATA / "catalogue_small.toml").read_text("utf-8")
    if tax:
        catalogue = catalogue.replace("[[matter]]", TAX + "[[matter]]", 1)
    (folder / "cat.toml").write_text(catalogue, "utf-8")
    make_store(folder / "store.db").close()
    path = folder / "warm.toml"
    path.write_text(text, "utf-8")
    return path


class TestFiles:
    def test_load(self, tmp_path: Path) -> None:
        """The store path is relative to the scenario file; capacity fields are read."""
        sc = load_scenario(write_files(tmp_path))
        assert sc.initial is not None
        assert {c.case for c in sc.initial.cases} == OPEN_AT
        assert dict(sc.initial.queues) == {"market": 7}
        assert sc.initial.at == datetime(2026, 9, 30, 18, tzinfo=SH)
        assert sc.back_office[0].officers == 2
        assert sc.back_office[0].capacity == 3.0

    def test_open_case_of_a_matter_not_in_the_catalogue(self, tmp_path: Path) -> None:
        with pytest.raises(DataFileError, match="'TAX-001', which is not in the catalogue") as e:
            load_scenario(write_files(tmp_path, tax=False))
        assert (e.value.record, e.value.field) == ("initial", "store")
        assert e.value.value == "sqlite:///store.db"

    @pytest.mark.parametrize(
        ("old", "new", "record", "field", "value"),
        [
            ("market = 7", "nobody = 7", "initial", "queues", "nobody"),
            ("market = 7", "market = -2", "initial", "queues.market", -2),
            (
                "at = 2026-09-30T18:00:00+08:00",
                "at = 2026-10-09T08:00:00+08:00",
                "initial",
                "at",
                None,
            ),
            ("at = 2026-09-30T18:00:00+08:00", "at = 2026-09-30T18:00:00", "initial", "at", None),
            (
                'store = "sqlite:///store.db"',
                'store = "sqlite:///nope.db"',
                "initial",
                "store",
                "sqlite:///nope.db",
            ),
            (
                'store = "sqlite:///store.db"',
                'store = "mysql://db/x"',
                "initial",
                "store",
                "mysql://db/x",
            ),
            ("queues =", "queue =", "initial", "queue", None),
            ("market = 7", "market = -7", "initial", "queues.market", -7),
            ("officers = 2", "officers = 0", "back_office 1", "officers", 0),
            ("per_officer = 1.5", "per_officer = -1", "back_office 1", "per_officer", -1.0),
        ],
    )
    def test_errors_name_file_table_field_value(
        self, tmp_path: Path, old: str, new: str, record: str, field: str, value: Any
    ) -> None:
        assert old in SCENARIO
        path = write_files(tmp_path, SCENARIO.replace(old, new))
        with pytest.raises(DataFileError) as e:
            load_scenario(path)
        assert e.value.record == record
        assert e.value.field == field
        if value is not None:
            assert e.value.value == value
        assert "warm.toml" in str(e.value)

    def test_cli(self, tmp_path: Path) -> None:
        """``govservice simulate`` on a file whose [initial] reads a real SQLite store."""
        path = write_files(tmp_path)
        out = subprocess.run(
            [
                sys.executable,
                "-m",
                "govservice",
                "simulate",
                str(path),
                "--seed",
                "2",
                "--format",
                "json",
            ],
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
            cwd=Path(__file__).parent,
        )
        assert out.returncode == 0, out.stderr
        doc = json.loads(out.stdout)
        matters = doc["matters"]
        assert matters["MR-001"]["carried"] + matters["TAX-001"]["carried"] == len(OPEN_AT)
        assert matters["TAX-001"]["carried"] == 1
        assert doc["days"]["2026-10-09"]["arrivals"] >= 7
        # as text: a row per matter with what was carried and missed, as in the JSON
        text = subprocess.run(
            [sys.executable, "-m", "govservice", "simulate", str(path), "--seed", "2"],
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
            cwd=Path(__file__).parent,
        ).stdout
        rows = {line.split("|")[1].strip(): line for line in text.splitlines() if "-00" in line}
        for code in ("MR-001", "TAX-001"):
            cells = [c.strip() for c in rows[code].split("|")[1:-1]]
            m = matters[code]
            assert cells[1] == str(m["cases"]) and cells[3] == str(m["carried"])
            assert cells[-1] == str(m["missed_promised"])
