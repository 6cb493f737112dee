"""govservice.sim: validation against queueing theory, the calendar, and the event format."""

from __future__ import annotations

import argparse
import json
import math
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

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
    Appointments,
    BackOffice,
    Break,
    ByClass,
    CustomerClass,
    DailyProfile,
    Deterministic,
    Empirical,
    Exponential,
    Hall,
    Lognormal,
    Poisson,
    Probabilistic,
    Scenario,
    ScenarioError,
    ShortestQueue,
    StaffMember,
    Station,
    Surge,
    Sweep,
    load_scenario,
    replicate,
    simulate,
    student_t_interval,
    sweep,
)
from govservice.sim.cli import add_simulate_command

DATA = Path(__file__).parent / "data"


# ------------------------------------------------------------------- theory


def erlang_c(c: int, lam: float, mu: float) -> tuple[float, float]:
    """P(wait > 0) and mean wait in queue of M/M/c (Erlang C).

    Gross, Shortle, Thompson & Harris, *Fundamentals of Queueing Theory*, 4th ed.
    (Wiley, 2008), §2.3, eqs. (2.27)-(2.29): with r = λ/μ and ρ = r/c,
    C = [r^c / (c! (1-ρ))] / [Σ_{n<c} r^n/n! + r^c / (c! (1-ρ))], Wq = C / (cμ - λ).
    """
    r = lam / mu
    rho = r / c
    top = r**c / (math.factorial(c) * (1 - rho))
    p_wait = top / (sum(r**n / math.factorial(n) for n in range(c)) + top)
    return p_wait, p_wait / (c * mu - lam)


def mmc(c: int, lam: float, mu: float, customers: int, warmup: float = 0.0) -> Scenario:
    return Scenario(
        stations=[Station("s", c, service=Exponential(1 / mu))],
        classes=[CustomerClass("a", Poisson(lam), route="s")],
        customers=customers,
        warmup=warmup,
    )


class TestTheory:
    def test_erlang_c_formula(self) -> None:
        """The test's Erlang C matches the M/M/1 closed form (C = ρ, Wq = ρ/(μ-λ))."""
        p, wq = erlang_c(1, 0.8, 1.0)
        assert p == pytest.approx(0.8)
        assert wq == pytest.approx(4.0)

    def test_mmc_at_rho_09_against_erlang_c(self) -> None:
        """M/M/5 at ρ = 0.9: mean wait and P(wait > 0) inside the 95 % CI of 20 replications."""
        p_wait, wq = erlang_c(5, 4.5, 1.0)
        reps = replicate(mmc(5, 4.5, 1.0, 40_000, warmup=500.0), replications=20, seed=11)
        _, lo, hi = reps.interval("stations.s.mean_wait")
        assert lo < wq < hi
        _, lo, hi = reps.interval("stations.s.p_wait")
        assert lo < p_wait < hi
        _, lo, hi = reps.interval("stations.s.utilisation")
        assert lo < 0.9 < hi

    def test_mm1(self) -> None:
        """M/M/1 at ρ = 0.7: Wq = ρ/(μ-λ), Lq = λ Wq."""
        reps = replicate(mmc(1, 0.7, 1.0, 30_000, warmup=200.0), replications=15, seed=3)
        wq = 0.7 / 0.3
        _, lo, hi = reps.interval("stations.s.mean_wait")
        assert lo < wq < hi
        _, lo, hi = reps.interval("stations.s.mean_queue")
        assert lo < 0.7 * wq < hi

    def test_tandem_burke(self) -> None:
        """Two M/M/1 in series: by Burke's theorem the second sees Poisson(λ) arrivals."""
        lam, mu1, mu2 = 0.5, 1.0, 0.8
        scenario = Scenario(
            stations=[
                Station("first", 1, service=Exponential(1 / mu1), next="second"),
                Station("second", 1, service=Exponential(1 / mu2)),
            ],
            classes=[CustomerClass("a", Poisson(lam), route="first")],
            customers=30_000,
            warmup=200.0,
        )
        reps = replicate(scenario, replications=15, seed=5)
        for name, mu in (("first", mu1), ("second", mu2)):
            _, lo, hi = reps.interval(f"stations.{name}.mean_sojourn")
            assert lo < 1 / (mu - lam) < hi
        _, lo, hi = reps.interval("classes.a.mean_time_in_system")
        assert lo < 1 / (mu1 - lam) + 1 / (mu2 - lam) < hi

    def test_student_t(self) -> None:
        """The interval uses Student's t: t(0.975, 9) = 2.2622, t(0.995, 4) = 4.6041."""
        values = [0.0] * 5 + [2.0] * 5  # mean 1, sd 1.0541
        mean, lo, hi = student_t_interval(values)
        assert mean - lo == pytest.approx(hi - mean)
        assert mean == 1.0
        assert (hi - mean) / (np.std(values, ddof=1) / math.sqrt(10)) == pytest.approx(
            2.2622, abs=1e-4
        )
        _, _lo, hi = student_t_interval([1.0, 2.0, 3.0, 4.0, 5.0], level=0.99)
        assert (hi - 3) / (np.std([1, 2, 3, 4, 5], ddof=1) / math.sqrt(5)) == pytest.approx(
            4.6041, abs=1e-4
        )
        with pytest.raises(ValueError):
            student_t_interval([1.0])


@given(
    c=st.integers(1, 6),
    lam=st.floats(0.2, 3.0),
    mean=st.floats(0.1, 2.0),
    seed=st.integers(0, 2**32 - 1),
)
@settings(max_examples=25, deadline=None)
def test_fifo_c_server_invariants(c: int, lam: float, mean: float, seed: int) -> None:
    """Starts follow arrival order, nobody starts before arriving, never more than c busy."""
    r = simulate(
        Scenario(
            stations=[Station("s", c, service=Exponential(mean))],
            classes=[CustomerClass("a", Poisson(lam), route="s")],
            customers=300,
        ),
        seed=seed,
        records=True,
    )
    v = r.visits
    assert v is not None
    assert len(v) == 300
    assert np.all(v["start"] >= v["arrival"])
    assert np.all(np.diff(v["start"]) >= 0)
    events = np.concatenate(
        [np.stack([v["start"], np.ones(300)]), np.stack([v["end"], -np.ones(300)])], axis=1
    )
    order = np.lexsort((events[1], events[0]))
    assert np.cumsum(events[1][order]).max() <= c


# ------------------------------------------------------------ reproducibility


class TestReproducibility:
    def test_same_seed_same_result(self) -> None:
        """One seed gives the same summary and records; another seed differs."""
        sc = mmc(2, 1.5, 1.0, 5_000)
        a = simulate(sc, seed=1, records=True)
        b = simulate(sc, seed=1, records=True)
        assert a.summary == b.summary
        assert a.visits is not None and b.visits is not None
        assert np.array_equal(a.visits, b.visits)
        assert simulate(sc, seed=2).summary.stations["s"] != a.summary.stations["s"]

    def test_common_random_numbers(self) -> None:
        """Adding a server changes only the service stage: arrivals are the same stream."""
        a = simulate(mmc(2, 1.5, 1.0, 2_000), seed=4, records=True)
        b = simulate(mmc(3, 1.5, 1.0, 2_000), seed=4, records=True)
        assert a.visits is not None and b.visits is not None
        assert np.array_equal(a.visits["arrival"], b.visits["arrival"])
        assert np.allclose(a.visits["end"] - a.visits["start"], b.visits["end"] - b.visits["start"])
        assert b.summary.stations["s"].mean_wait < a.summary.stations["s"].mean_wait

    def test_summaries_without_records_match(self) -> None:
        """Keeping records changes nothing in the summary."""
        sc = mmc(3, 2.5, 1.0, 3_000)
        assert simulate(sc, seed=9).summary == simulate(sc, seed=9, records=True).summary
        hall = hall_scenario()
        assert simulate(hall, seed=5).summary == simulate(hall, seed=5, records=True).summary

    def test_records_number_anonymous_counters(self) -> None:
        """Each visit names its counter (-1, -2, …), and a counter serves one at a time."""
        c = 3
        v = simulate(mmc(c, 2.5, 1.0, 3_000), seed=9, records=True).visits
        assert v is not None
        assert set(np.unique(v["server"]).tolist()) == {-1 - k for k in range(c)}
        for k in range(c):
            mine = v[v["server"] == -1 - k]
            order = np.argsort(mine["start"], kind="stable")
            assert np.all(mine["start"][order][1:] >= mine["end"][order][:-1])


# ----------------------------------------------------------------- the hall


def hall_scenario(**changes: object) -> Scenario:
    catalogue = load_catalogue(DATA / "catalogue_small.toml")
    base = Scenario(
        stations=[
            Station(
                "triage",
                2,
                service=Exponential(1.0),
                accepts=False,
                next=ByClass({"market": ShortestQueue(["W1", "W2"])}, default="W3"),
            ),
            Station("W1", 1, service=Lognormal(6.0, 3.0), next=Probabilistic({"cashier": 0.3})),
            Station("W2", 1, service=Lognormal(6.0, 3.0), next=Probabilistic({"cashier": 0.3})),
            Station("W3", 2, service={"*": Exponential(8.0)}),
            Station("cashier", 1, service=Deterministic(1.5), accepts=False),
        ],
        classes=[
            CustomerClass(
                "market",
                [
                    DailyProfile(60, hourly={9: 2, 10: 3, 11: 2, 13: 1, 14: 2, 15: 2, 16: 1}),
                    Appointments(slot_minutes=30, per_slot=1, no_show=0.2),
                ],
                route="triage",
                matter="MR-001",
            ),
            CustomerClass("other", DailyProfile(30), route="triage"),
        ],
        staff=[
            StaffMember("张敏", "W1", breaks=[Break("10:30", 15)]),
            StaffMember("李静", "W2", sessions=(0,)),
            StaffMember("王伟", "W2", sessions=(1,), breaks=[Break("15:00", 10)]),
        ],
        hall=Hall(china(), date(2026, 2, 24), days=10, last_ticket=15),
        back_office=[BackOffice("MR-001", Empirical([3, 5, 6, 8]))],
        catalogue=catalogue,
        name="hall",
    )
    return attrs.evolve(base, **changes)


class TestHall:
    def test_nobody_served_while_closed(self) -> None:
        """Tickets only while open; service only from the opening of the customer's session."""
        r = simulate(hall_scenario(), seed=2, records=True)
        assert r.visits is not None and r.customers is not None
        cal = china()
        first = date(2026, 2, 24)
        arrival = r.customers["arrival"]
        day = np.datetime64(first, "D") + np.floor(arrival / 1440).astype("timedelta64[D]")
        assert cal.is_working_day(np.asarray(day, dtype="datetime64[D]")).all()
        minute = arrival % 1440
        morning = (minute >= 9 * 60) & (minute < 12 * 60 - 15)
        afternoon = (minute >= 13 * 60 + 30) & (minute < 17 * 60 + 30 - 15)
        assert np.all(morning | afternoon)
        cust_arrival = dict(zip(r.customers["customer"].tolist(), arrival.tolist(), strict=True))
        t0 = np.array([cust_arrival[c] for c in r.visits["customer"].tolist()])
        opened = np.where(t0 % 1440 < 12 * 60, 9 * 60, 13 * 60 + 30) + np.floor(t0 / 1440) * 1440
        assert np.all(r.visits["start"] >= opened)
        # the same day: everyone inside is served before midnight
        assert np.all(np.floor(r.visits["end"] / 1440) == np.floor(t0 / 1440))

    def test_roster_breaks_and_utilisation(self) -> None:
        """Breaks are taken; staff utilisation is busy time over rostered time."""
        s = simulate(hall_scenario(), seed=2).summary
        zhang = s.staff["张敏"]
        assert zhang.breaks == 15 * 10
        assert zhang.rostered == 10 * (180 + 240)
        assert s.staff["李静"].rostered == 10 * 180
        assert zhang.utilisation == pytest.approx(zhang.busy / zhang.rostered)
        assert 0 < s.stations["W1"].utilisation < 1

    def test_shortest_queue_balances(self) -> None:
        """The two market windows share the market class roughly evenly."""
        s = simulate(hall_scenario(), seed=3).summary
        w1, w2 = s.stations["W1"].customers, s.stations["W2"].customers
        assert w1 + w2 == s.stations["triage"].customers - s.stations["W3"].customers
        assert 0.7 < w1 / w2 < 1.4

    def test_surge_after_spring_festival(self) -> None:
        """A surge doubles walk-ins on the first working days after the holiday."""
        plain = Scenario(
            stations=[Station("triage", 4, service=Exponential(1.0))],
            classes=[CustomerClass("other", DailyProfile(200), route="triage")],
            hall=Hall(china(), date(2026, 2, 24), days=10),
        )
        surged = attrs.evolve(
            plain,
            classes=[
                CustomerClass(
                    "other",
                    DailyProfile(200, surge=Surge(days=3, factor=2.0, min_days_off=7)),
                    route="triage",
                )
            ],
        )
        a = simulate(plain, seed=1).summary.days
        b = simulate(surged, seed=1).summary.days
        days = sorted(a)
        # 2026: Spring Festival break 2-15 to 2-23; 2-24 is the first working day after it
        assert days[0] == "2026-02-24"
        for d in days[:3]:
            assert b[d].arrivals > 1.6 * a[d].arrivals
        later = [b[d].arrivals for d in days[3:]]
        assert 180 < np.mean(later) < 220

    def test_events_are_valid_histories(self) -> None:
        """The simulated cases fold through the real clock, with the same deadlines."""
        sc = hall_scenario()
        r = simulate(sc, seed=2, records=True)
        assert r.cases is not None and len(r.cases)
        events = list(r.events())
        assert {e["type"] for e in events} == {"submitted", "accepted", "decided"}
        assert sc.catalogue is not None
        clock = Clock(sc.catalogue, china())
        cases = clock.cases(event_from_dict(e) for e in events[:300])
        for row in r.cases[:100]:
            case = cases[f"SIM-0-{int(row['customer']):08d}"]
            reading = clock.reading(case, case.last_at)
            assert reading.promised_deadline == row["promised_deadline"].astype(date)
            assert reading.on_time_promised == bool(row["on_time_promised"])
        s = r.summary.matters["MR-001"]
        assert s.cases == len(r.cases)
        assert s.on_time_promised == pytest.approx((r.cases["on_time_promised"] == 1).mean())

    def test_promise_cut_by_a_third(self) -> None:
        """Cutting the promised 8 working days to 5 makes more cases late."""
        full = simulate(hall_scenario(), seed=2).summary.matters["MR-001"]
        cut = hall_scenario(back_office=[BackOffice("MR-001", Empirical([3, 5, 6, 8]), 2 / 3)])
        short = simulate(cut, seed=2).summary.matters["MR-001"]
        assert full.on_time_promised == 1.0
        assert short.on_time_promised == pytest.approx(0.5, abs=0.1)

    def test_state_dependent_service(self) -> None:
        """Staff who speed up with the queue shorten the waits."""
        base = mmc(1, 0.9, 1.0, 5_000)
        fast = attrs.evolve(
            base, stations=[Station("s", 1, service=Exponential(1.0), speed=_speed)]
        )
        assert (
            simulate(fast, seed=1).summary.stations["s"].mean_wait
            < simulate(base, seed=1).summary.stations["s"].mean_wait
        )

    def test_to_pandas(self) -> None:
        r = simulate(hall_scenario(), seed=2, records=True)
        df = r.to_pandas("cases")
        assert set(df["matter"]) == {"MR-001"}
        assert next(iter(r.to_pandas("visits")["station"].cat.categories)) == "triage"

    def test_to_pandas_times_are_timestamps_in_the_centres_time_zone(self) -> None:
        pd = pytest.importorskip("pandas")
        r = simulate(hall_scenario(), seed=2, records=True)
        assert r.visits is not None and r.customers is not None
        visits = r.to_pandas("visits")
        assert str(visits["arrival"].dt.tz) == "Asia/Shanghai"
        for k in (0, len(visits) // 2, len(visits) - 1):
            for column in ("arrival", "start", "end"):
                minutes = r.visits[column][k]
                assert visits[f"{column}_minutes"][k] == minutes
                delta = visits[column][k] - pd.Timestamp(r.instant(minutes))
                assert abs(delta) < pd.Timedelta(1, "us")  # the datetime's resolution
        customers = r.to_pandas("customers")
        assert customers["departure"].dt.tz is not None
        assert customers["wait"].dtype == np.float64  # a duration stays minutes
        cases = r.to_pandas("cases")
        first = cases.iloc[0]
        delta = first["submitted"] - pd.Timestamp(r.instant(first["submitted_minutes"]))
        assert abs(delta) < pd.Timedelta(1, "us")
        assert first["submitted"].date() == first["accepted_day"].date()

    def test_to_pandas_without_a_hall_keeps_the_units(self) -> None:
        r = simulate(mmc(2, 1.0, 1.0, 200), seed=1, records=True)
        visits = r.to_pandas("visits")
        assert visits["arrival"].dtype == np.float64 and "arrival_minutes" not in visits


def _speed(n: int) -> float:
    return 1.5 if n > 3 else 1.0


# ----------------------------------------------------------------- errors


class TestErrors:
    def test_cycle_through_a_shortest_queue_group(self) -> None:
        """A group joins by queue length in arrival order: it cannot be on a cycle."""
        with pytest.raises(ScenarioError, match="shortest-queue group and on a routing cycle"):
            Scenario(
                stations=[
                    Station("a", service=Exponential(1.0), next="b"),
                    Station("b", service=Exponential(1.0), next=ShortestQueue(["c", "d"])),
                    Station("c", service=Exponential(1.0), next=Probabilistic({"b": 0.1})),
                    Station("d", service=Exponential(1.0)),
                ],
                classes=[CustomerClass("c", Poisson(0.1), route="a")],
                horizon=10.0,
            )

    def test_unknown_station(self) -> None:
        with pytest.raises(ScenarioError, match="unknown station 'x'"):
            Scenario(
                stations=[Station("a", service=Exponential(1.0))],
                classes=[CustomerClass("c", Poisson(1.0), route="x")],
                horizon=10.0,
            )

    def test_bad_sample(self) -> None:
        class Negative:
            def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
                return -np.ones(size)

        with pytest.raises(ScenarioError, match="invalid times"):
            simulate(
                Scenario(
                    stations=[Station("a", service=Negative())],
                    classes=[CustomerClass("c", Poisson(1.0), route="a")],
                    horizon=10.0,
                )
            )


# -------------------------------------------------------- files, sweeps, CLI

SCENARIO = """
name = "mm2"
customers = 2000

[[class]]
name = "walk-in"
poisson = 1.0
route = "windows"

[[station]]
name = "windows"
servers = 2
service = { exponential = 1.0 }
"""


class TestFiles:
    def test_load(self, tmp_path: Path) -> None:
        path = tmp_path / "s.toml"
        path.write_text(SCENARIO, encoding="utf-8")
        sc = load_scenario(path)
        assert sc.name == "mm2"
        assert sc.station("windows").servers == 2

    def test_errors_name_record_field_value(self, tmp_path: Path) -> None:
        path = tmp_path / "s.toml"
        path.write_text(SCENARIO.replace("exponential = 1.0", "exponential = -1.0"), "utf-8")
        with pytest.raises(DataFileError) as e:
            load_scenario(path)
        assert e.value.record == "station 1"
        assert e.value.field == "service"
        assert "s.toml" in str(e.value)
        path.write_text(SCENARIO.replace("servers", "server"), "utf-8")
        with pytest.raises(DataFileError, match="unknown field"):
            load_scenario(path)

    def test_hall_file(self, tmp_path: Path) -> None:
        (tmp_path / "cat.toml").write_text(
            (DATA / "catalogue_small.toml").read_text("utf-8"), "utf-8"
        )
        path = tmp_path / "hall.toml"
        path.write_text(
            """
name = "hall"
[hall]
start = 2026-03-02
days = 3
last_ticket = 10
catalogue = "cat.toml"
[[class]]
name = "market"
matter = "MR-001"
route = "W1"
walk_in = { per_day = 40, surge = { days = 2 } }
appointments = { slot_minutes = 60, per_slot = 2 }
[[station]]
name = "W1"
service = { lognormal = [5.0, 2.0] }
[[staff]]
name = "张敏"
station = "W1"
breaks = [{ at = "10:30", minutes = 15 }]
[[back_office]]
matter = "MR-001"
processing = { deterministic = 4 }
""",
            "utf-8",
        )
        s = simulate(load_scenario(path), seed=1).summary
        assert s.matters["MR-001"].on_time_promised == 1.0
        assert len(s.days) == 3

    def test_replications_to_dataframe(self) -> None:
        reps = replicate(mmc(2, 1.0, 1.0, 500), replications=3, seed=4)
        df = reps.to_dataframe()
        assert list(df.columns) == ["scenario", "replication", "table", "name", "figure", "value"]
        waits = df[(df.table == "stations") & (df.figure == "mean_wait")]
        assert waits["value"].tolist() == reps.values("stations.s.mean_wait")
        assert len(df) == 3 * len(reps.figures())
        mean, low, high = reps.intervals()["stations.s.mean_wait"]
        assert (mean, low, high) == reps.interval("stations.s.mean_wait")

    def test_sweep_to_dataframe(self) -> None:
        with ThreadPoolExecutor(2) as pool:
            out = sweep(
                [attrs.evolve(mmc(2, 1.0, 1.0, 300), name="two"), mmc(3, 1.0, 1.0, 300)],
                replications=2,
                executor=pool,
            )
        assert isinstance(out, Sweep) and len(out) == 2 and out[1] is list(out)[1]
        df = out.to_dataframe()
        assert df["scenario"].unique().tolist() == ["two", out[1].scenario]
        assert len(df) == sum(len(r.to_dataframe()) for r in out)

    def test_progress(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """A callable is told (done, total); True without tqdm shows nothing and raises nothing."""
        seen: list[tuple[int, int]] = []
        replicate(mmc(2, 1.0, 1.0, 200), replications=3, progress=lambda *a: seen.append(a))
        assert seen == [(1, 3), (2, 3), (3, 3)]
        monkeypatch.setitem(sys.modules, "tqdm.auto", None)  # as if not installed
        reps = replicate(mmc(2, 1.0, 1.0, 200), replications=2, progress=True)
        assert len(reps.summaries) == 2

    def test_sweep(self) -> None:
        done: list[tuple[int, int]] = []
        with ThreadPoolExecutor(2) as pool:
            out = sweep(
                [mmc(2, 1.0, 1.0, 1_000), mmc(3, 1.0, 1.0, 1_000)],
                replications=3,
                executor=pool,
                progress=lambda n, total: done.append((n, total)),
            )
        assert [len(r.summaries) for r in out] == [3, 3]
        assert done == [(n, 6) for n in range(1, 7)]
        assert out[0].values("stations.s.mean_wait") == replicate(
            mmc(2, 1.0, 1.0, 1_000), replications=3
        ).values("stations.s.mean_wait")

    def test_sweep_in_worker_processes(self) -> None:
        """The default executor is a process pool: a hall with its catalogue crosses to it."""
        (out,) = sweep([hall_scenario()], replications=2)
        here = replicate(hall_scenario(), replications=2)
        for key in ("stations.W3.mean_wait", "matters.MR-001.on_time_promised"):
            assert out.values(key) == here.values(key)

    def test_cli(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        path = tmp_path / "s.toml"
        path.write_text(SCENARIO, encoding="utf-8")
        parser = argparse.ArgumentParser()
        add_simulate_command(parser.add_subparsers())
        args = parser.parse_args(["simulate", str(path), "--seed", "3", "--format", "json"])
        assert args.func(args) == 0
        doc = json.loads(capsys.readouterr().out)
        assert doc["stations"]["windows"]["customers"] == 2000
        args = parser.parse_args(["simulate", str(path), "--replications", "2"])
        assert args.func(args) == 0
        text = capsys.readouterr().out
        assert "2次重复运行的均值" in text and "| windows | 2000.000 |" in text
