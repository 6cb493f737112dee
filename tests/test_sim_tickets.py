"""govservice.sim.tickets: ticket logs read, the hall's real waits, fitting and validation."""

from __future__ import annotations

import json
import math
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from govservice.calendars import china
from govservice.examples.ticket_log import WALK_IN_SURGE, county_hall, county_hall_log
from govservice.exceptions import DataFileError
from govservice.sim import (
    Baulk,
    CustomerClass,
    DailyProfile,
    Exponential,
    Hall,
    KaplanMeier,
    Scenario,
    ScenarioError,
    Station,
    simulate,
)
from govservice.sim.tickets import Columns, TicketLog, fit_hall, read_ticket_log, validate

HEADER = "票号,取号时间,业务类型,叫号时间,窗口,开始,结束,过号\n"
MAPPING = Columns(
    ticket="票号",
    issued="取号时间",
    cls="业务类型",
    matter=None,
    channel=None,
    priority=None,
    called="叫号时间",
    window="窗口",
    start="开始",
    end="结束",
    abandoned="过号",
    left=None,
)


def write(tmp_path: Path, rows: list[str], name: str = "log.csv") -> Path:
    f = tmp_path / name
    f.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return f


# ------------------------------------------------------------- Kaplan–Meier


class TestKaplanMeier:
    def test_remission_times(self) -> None:
        """The 6-MP leukaemia data (Freireich et al. 1963), worked by hand in every textbook.

        21 patients; relapses at 6 (×3), 7, 10, 13, 16, 22, 23; censored at 6, 9, 10, 11, 17,
        19, 20, 25, 32, 32, 34, 35.  S(6) = 18/21, S(7) = S(6)·16/17, S(10) = S(7)·14/15,
        S(13) = S(10)·11/12, S(16) = S(13)·10/11, S(22) = S(16)·6/7, S(23) = S(22)·5/6.
        """
        events = [6, 6, 6, 7, 10, 13, 16, 22, 23]
        censored = [6, 9, 10, 11, 17, 19, 20, 25, 32, 32, 34, 35]
        km = KaplanMeier.fit(events + censored, [True] * 9 + [False] * 12)
        expected = [18 / 21]
        for n_at_risk, d in ((17, 1), (15, 1), (12, 1), (11, 1), (7, 1), (6, 1)):
            expected.append(expected[-1] * (n_at_risk - d) / n_at_risk)
        assert km.times == (6, 7, 10, 13, 16, 22, 23)
        assert km.survival == pytest.approx(expected)
        assert [round(s, 3) for s in km.survival] == [
            0.857,
            0.807,
            0.753,
            0.690,
            0.627,
            0.538,
            0.448,
        ]
        assert km.at(5.9) == 1.0
        assert km.at(16) == pytest.approx(expected[4])
        assert km.tail_rate == pytest.approx(9 / sum(events + censored))

    def test_draws_follow_the_curve(self) -> None:
        """The share of draws above each time is S(t), within 4 binomial standard errors."""
        km = KaplanMeier.fit([6, 6, 6, 7, 10, 13, 16, 22, 23, 9, 20, 30], [True] * 9 + [False] * 3)
        assert km.survival[-1] > 0  # the last observation censored: a tail beyond 23
        x = km.sample(np.random.default_rng(3), 100_000)
        for t, s in zip(km.times, km.survival, strict=True):
            se = math.sqrt(s * (1 - s) / len(x))
            assert abs((x > t).mean() - s) < 4 * se + 1e-12
        beyond = x > km.times[-1]  # the tail: exponential at the fitted hazard
        assert (x[beyond] - km.times[-1]).mean() == pytest.approx(1 / km.tail_rate, rel=0.05)

    def test_needs_an_event(self) -> None:
        with pytest.raises(ScenarioError, match="at least one observed event"):
            KaplanMeier.fit([1.0, 2.0], [False, False])
        with pytest.raises(ScenarioError, match="increasing"):
            KaplanMeier((2.0, 1.0), (0.5, 0.2), 1.0)

    def test_patience_from_censored_waits(self) -> None:
        """Patience fitted from a simulated hall's log matches the truth where the data reach.

        Those served reveal only that patience exceeded their wait: Kaplan–Meier is within
        3 Greenwood standard errors of the true exponential survival at 5, 10 and 20 minutes,
        while the mean wait of those who left (the naive estimate) is far below the truth.
        """
        sc = Scenario(
            stations=[Station("w", 3, service=Exponential(10.0))],
            classes=[CustomerClass("a", DailyProfile(220), route="w", patience=Exponential(20.0))],
            hall=Hall(china(), start=date(2026, 3, 2), days=20),
        )
        log = TicketLog.from_run(simulate(sc, seed=4, records=True))
        wait, gone = log.wait, log.abandoned
        km = KaplanMeier.fit(wait, gone)
        for t in (5.0, 10.0, 20.0):
            # Greenwood: Var S(t) = S(t)² Σ_{tᵢ ≤ t} dᵢ / (nᵢ (nᵢ - dᵢ))
            total = 0.0
            for ti in np.unique(wait[gone]):
                if ti > t:
                    break
                n = (wait >= ti).sum()
                d = ((wait == ti) & gone).sum()
                total += d / (n * (n - d))
            s = km.at(t)
            assert abs(s - math.exp(-t / 20)) < 3 * s * math.sqrt(total)
        assert wait[gone].mean() < 0.6 * 20


# -------------------------------------------------------------------- reading


class TestRead:
    def test_csv_with_mapped_columns(self, tmp_path: Path) -> None:
        """A Chinese CSV header mapped to the fields; local times read when told so."""
        f = write(
            tmp_path,
            [
                "A001,2025-03-03 09:00:00,walk-in,2025-03-03 09:10:00,3号窗口,,"
                "2025-03-03 09:18:00,否",
                "A002,2025-03-03 09:05:00,walk-in,2025-03-03 09:30:00,,,,是",
                "B001,2025-03-03 09:06:00,booked,2025-03-03 09:07:00,1号窗口,2025-03-03 09:08:00,"
                "2025-03-03 09:15:00,0",
            ],
        )
        log = read_ticket_log(f, MAPPING, local_times=True)
        assert list(log.ticket) == ["A001", "A002", "B001"]
        assert log.wait.tolist() == [10.0, 25.0, 2.0]  # to the call; to 过号; to the start
        assert log.service[0] == 8.0 and math.isnan(log.service[1]) and log.service[2] == 7.0
        assert log.abandoned.tolist() == [False, True, False]
        assert log.window.tolist() == ["3号窗口", "", "1号窗口"]
        assert log.hour.tolist() == [9, 9, 9]
        w = log.waits("class")
        assert w[("walk-in",)].tickets == 2 and w[("walk-in",)].abandonment_rate == 0.5
        assert w[("walk-in",)].mean_wait == 17.5
        assert w[("booked",)].mean_service == 7.0

    def test_offsets_converted(self, tmp_path: Path) -> None:
        """Times with an offset are converted to the centre's local time."""
        f = tmp_path / "log.jsonl"
        f.write_text(
            json.dumps(
                {
                    "ticket": "1",
                    "issued": "2025-03-03T01:00:00+00:00",
                    "class": "a",
                    "start": "2025-03-03T09:05:00+08:00",
                    "end": "2025-03-03T09:20:00+08:00",
                }
            )
            + "\n",
            encoding="utf-8",
        )
        log = read_ticket_log(f)
        assert str(log.issued[0]) == "2025-03-03T09:00:00"
        assert log.wait[0] == 5.0

    @pytest.mark.parametrize(
        ("row", "field", "reason"),
        [
            ("A1,2025-03-03T09:00:00,a,,,,,否", "取号时间", "without an offset"),
            ("A1,2025-03-03T09:00:00+08:00,a,,,,,否", "开始", "needs its start"),
            (
                "A1,2025-03-03T09:00:00+08:00,a,2025-03-03T09:01:00+08:00,,,,否",
                "结束",
                "needs its end",
            ),
            (
                "A1,2025-03-03T09:00:00+08:00,a,2025-03-03T08:59:00+08:00,,,"
                "2025-03-03T09:10:00+08:00,否",
                "开始",
                "before the ticket was issued",
            ),
            ("A1,2025-03-03T09:00:00+08:00,a,,,,,是", None, "needs when he left"),
            ("A1,2025-03-03T09:00:00+08:00,a,,,,,maybe", "过号", "not true/false"),
            (",2025-03-03T09:00:00+08:00,a,,,,,是", "票号", "empty"),
            ("A1,03/03/2025 9:00,a,,,,,否", "取号时间", "Invalid isoformat"),
        ],
    )
    def test_errors_name_line_field_value(
        self, tmp_path: Path, row: str, field: str | None, reason: str
    ) -> None:
        good = "A0,2025-03-03T08:59:00+08:00,a,2025-03-03T09:00:00+08:00,,,,是"  # 过号 at 09:00
        f = write(tmp_path, [good, row])
        with pytest.raises(DataFileError) as e:
            read_ticket_log(f, MAPPING)
        assert e.value.record == "line 3"
        if field is not None:
            assert e.value.field == field
        assert reason in str(e.value)
        assert "log.csv" in str(e.value)

    def test_missing_column(self, tmp_path: Path) -> None:
        f = tmp_path / "log.csv"
        f.write_text("ticket,class\nA,b\n", encoding="utf-8")
        with pytest.raises(DataFileError) as e:
            read_ticket_log(f)
        assert (e.value.record, e.value.field, e.value.reason) == ("line 2", "issued", "missing")

    @pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
    def test_round_trip(self, tmp_path: Path, suffix: str) -> None:
        """A log written and read back is the same log."""
        log = county_hall_log(days=3)
        f = tmp_path / f"log{suffix}"
        log.write(f)
        back = read_ticket_log(f)
        for name in ("ticket", "issued", "cls", "window", "start", "end", "left", "abandoned"):
            a, b = getattr(log, name), getattr(back, name)
            assert np.array_equal(a, b) or (
                a.dtype.kind == "M"
                and np.array_equal(np.isnat(a), np.isnat(b))
                and np.array_equal(a[~np.isnat(a)], b[~np.isnat(b)])
            ), name


# -------------------------------------------------------------- from a run


def test_from_run() -> None:
    """A run's log: those who baulk take no ticket; those who renege are abandoned."""
    sc = Scenario(
        stations=[Station("w", 2, service=Exponential(9.0))],
        classes=[
            CustomerClass(
                "a",
                DailyProfile(140),
                route="w",
                patience=Exponential(15.0),
                baulk=Baulk(queue=8),
            )
        ],
        hall=Hall(china(), start=date(2026, 3, 2), days=3),
    )
    r = simulate(sc, seed=2, records=True)
    log = TicketLog.from_run(r)
    s = r.summary.stations["w"]
    assert len(log) == s.customers  # baulked customers take no ticket
    assert s.baulked > 0
    assert log.abandoned.sum() == s.abandoned
    assert log.wait.mean() == pytest.approx(s.mean_wait, abs=1e-3)  # times kept to the second
    served = ~log.abandoned
    assert set(log.window[served].tolist()) == {"w#1", "w#2"}
    staffing = log.staffing()
    assert staffing.counters(date(2026, 3, 2), 10, 0) == 2


# ------------------------------------------------------------------ fitting


@pytest.fixture(scope="module")
def log() -> TicketLog:
    return county_hall_log(seed=7)


class TestFit:
    def test_recovers_the_hall(self, log: TicketLog) -> None:
        """The fit finds the truth of the example hall within a few standard errors."""
        fit = fit_hall(log, china(), last_ticket=15)
        walk = next(c for c in fit.classes if c.name == "walk-in")
        truth = county_hall().classes[0].arrivals[0]
        assert isinstance(truth, DailyProfile)
        days = len(log.days)
        se = math.sqrt(180 / days)  # Poisson
        assert abs(walk.arrivals.per_day - 180) < 4 * se * 1.3  # weekdays mix in
        for w in range(5):
            assert walk.arrivals.weekday[w] == pytest.approx(truth.weekday[w], abs=0.12)
        assert walk.arrivals.surge is not None
        assert walk.arrivals.surge.factor == pytest.approx(WALK_IN_SURGE.factor, abs=0.15)
        weights = np.array([walk.arrivals.hourly[h] for h in (9, 10, 11, 14, 15, 16)])
        true = np.array([truth.hourly[h] for h in (9, 10, 11, 14, 15, 16)])
        assert np.allclose(weights / weights.sum(), true / true.sum(), atol=0.02)
        assert walk.priority == 0
        assert {c.name: c.priority for c in fit.classes} == {"booked": 1, "green": 2, "walk-in": 0}
        assert isinstance(walk.patience, KaplanMeier)
        assert next(c for c in fit.classes if c.name == "booked").patience is None
        served = log.service[(log.cls == "walk-in") & ~log.abandoned]
        assert sorted(walk.service.observations) == sorted(served.tolist())  # type: ignore[attr-defined]

    def test_options(self, log: TicketLog) -> None:
        fit = fit_hall(log, china(), service="lognormal", patience="exponential", surge=None)
        walk = next(c for c in fit.classes if c.name == "walk-in")
        assert walk.arrivals.surge is None
        m = log.cls == "walk-in"
        assert walk.patience == Exponential(float(log.wait[m].sum() / log.abandoned[m].sum()))
        assert walk.service.mean == pytest.approx(np.nanmean(log.service[m]))  # type: ignore[attr-defined]
        with pytest.raises(ScenarioError, match="fit by 'class' or 'matter'"):
            fit_hall(log, china(), by="window")

    def test_validate_on_held_out_weeks(self, log: TicketLog) -> None:
        """Fitted on all but the last two weeks, the hall predicts them hour by hour."""
        cut = date(2025, 3, 14)
        fit = fit_hall(log.between(log.days[0], cut), china(), last_ticket=15)
        held = log.between(date(2025, 3, 17), log.days[-1])
        hall = Hall(china(), held.days[0], len(held.days), last_ticket=15)
        v = validate(fit.scenario(hall, held.staffing()), held, replications=10, seed=1)
        assert v.inside("tickets") >= 0.75
        assert v.inside("mean_wait") >= 0.75
        assert v.inside("abandonment_rate") >= 0.75
        total = validate(fit.scenario(hall, held.staffing()), held, by="class", replications=10)
        for check in total.of("mean_wait"):
            assert check.inside, check
        df = v.to_dataframe()
        assert set(df.columns) >= {"hour", "figure", "observed", "mean", "low", "high", "inside"}
