"""Statistics, checked against a small store counted by hand (May 2026).

May 2026: 1–5 May off (Labour Day), Saturday 9 May worked.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from govservice import ServiceCenter
from govservice.assessment import Period
from govservice.cases.table import CaseTable
from govservice.model import load_catalogue
from govservice.stats import catalogue_coverage, compression, figures

CATALOGUE = Path(__file__).parent / "data" / "catalogue_small.toml"
P = {"name": "张三", "kind": "person"}


def ev(case: str, type_: str, at: str, **f: object) -> dict[str, object]:
    return {"case": case, "type": type_, "at": f"2026-{at}+08:00", **f}


EVENTS = [
    # A: food licence at W01, promised 8 working days (to 15 May), decided 21 May: late
    ev("A", "submitted", "05-06T09:00:00", matter="MR-001", applicant=P, by="W01"),
    ev("A", "accepted", "05-06T09:10:00"),
    ev("A", "decided", "05-21T16:00:00", outcome="approved"),
    ev("A", "evaluated", "05-21T16:05:00", level=2),
    # B: land registration at W02, promised 5 working days, decided after 2: early
    ev("B", "submitted", "05-06T09:00:00", matter="NR-001", applicant=P, by="W02"),
    ev("B", "accepted", "05-06T09:20:00"),
    ev("B", "decided", "05-08T11:00:00", outcome="approved"),
    ev("B", "evaluated", "05-08T11:05:00", level=5),
    # C: employment card at W09, immediate (promised 0 days): on the spot
    ev("C", "submitted", "05-07T10:00:00", matter="HR-001", applicant=P, by="W09"),
    ev("C", "accepted", "05-07T10:05:00"),
    ev("C", "decided", "05-07T10:30:00", outcome="approved"),
    # D: received 25 May, open at the end of May, promised to 4 June: no alert
    ev("D", "submitted", "05-25T09:00:00", matter="MR-001", applicant=P, by="W01"),
    ev("D", "accepted", "05-25T09:10:00"),
    # E: received in April, promised to 30 April, still open: red at the end of May
    ev("E", "submitted", "04-20T09:00:00", matter="MR-001", applicant=P, by="W01"),
    ev("E", "accepted", "04-20T09:10:00"),
]
PAYMENTS = [
    {
        "id": "F1",
        "at": "2026-05-06T09:30:00+08:00",
        "case": "A",
        "matter": "MR-001",
        "window": "W01",
        "total": "10.00",
    },
    {
        "id": "F2",
        "at": "2026-06-01T09:30:00+08:00",
        "case": "D",
        "matter": "MR-001",
        "window": "W01",
        "total": "5.00",
    },
]


@pytest.fixture(scope="module", params=["memory://", "sqlite"])
def setup(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    center = ServiceCenter(entrypoints=False, catalogue=CATALOGUE)
    url = request.param
    if url == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('stats')}/s.db"
    store = center.open_store(url)
    store.set_catalogue(center.catalogue)
    store.append(EVENTS)
    store.put_records("payment", PAYMENTS)
    return center, store


def test_centre_figures_for_may(setup) -> None:
    _center, store = setup
    table = CaseTable.from_store(store)
    (f,) = figures(
        table, store.clock, Period.month("2026-05"), payments=store.records("payment")
    ).values()
    assert (f.received, f.accepted, f.decided) == (4, 4, 3)
    assert (f.on_the_spot, f.decided_with_promise, f.on_time_promised) == (1, 3, 2)
    assert (f.on_time_statutory, f.early) == (3, 1)
    # A: 7, 8, 9 (Sat), 11–15, 18–21 May = 12; B: 7, 8 May = 2; C: 0
    assert f.working_days_used == 14 and f.mean_working_days == Decimal("4.67")
    assert (f.open, f.overdue, f.reminders, f.yellow, f.red) == (2, 1, 0, 0, 1)
    assert (f.evaluations, f.good, f.good_rate) == (2, 1, Decimal("0.5"))
    assert f.fees == Decimal("10.00")
    assert f.on_time_rate_promised == Decimal("0.6667")


def test_grouped(setup) -> None:
    _center, store = setup
    table = CaseTable.from_store(store)
    may = Period.month("2026-05")
    by_window = figures(table, store.clock, may, by="window", payments=store.records("payment"))
    assert by_window["W01"].received == 2 and by_window["W01"].open == 2
    assert by_window["W01"].fees == Decimal("10.00") and by_window["W09"].on_the_spot == 1
    by_unit = figures(table, store.clock, may, by="unit")
    assert set(by_unit) == {"MR", "NR", "HR"} and by_unit["MR"].red == 1
    spring = Period(may.start.replace(month=4), may.end)
    by_month = figures(table, store.clock, spring, by="month")
    assert by_month["2026-04"].received == 1 and by_month["2026-05"].received == 4
    with pytest.raises(ValueError, match="group by"):
        figures(table, store.clock, may, by="floor")


def test_table_from_store_equals_table_from_cases(setup) -> None:
    _center, store = setup
    from_store = CaseTable.from_store(store)
    cases = [store.case(r.case) for r in store.cases()]
    from_cases = CaseTable.from_cases(cases, store.clock)
    may = Period.month("2026-05")
    assert figures(from_store, store.clock, may) == figures(from_cases, store.clock, may)


def test_catalogue_figures() -> None:
    cat = load_catalogue(CATALOGUE)
    cov = catalogue_coverage(cat)
    assert cov.matters == len(cat.matters)
    assert "XF" in cov.unstationed_units or cov.unstationed_units
    assert cov.unauthorised_matters and cov.stationed < cov.matters
    assert cov.stationing_rate == (Decimal(cov.stationed) / cov.matters).quantize(Decimal("0.0001"))
    comp = compression(cat)
    food = next(m for m in comp.matters if m.code == "MR-001")
    assert food.ratio == Decimal("0.6")  # (20 − 8) / 20
    assert "statutory − promised" in comp.FORMULA


def test_table_readings_remembered(setup) -> None:
    """A table's readings and lateness, kept for the last instants read, equal those made afresh."""
    import numpy as np

    from govservice.cases.batch import read_batch
    from govservice.cases.late import lateness

    _center, store = setup
    table = CaseTable.from_store(store)
    clock = store.clock
    tz = clock.calendar.timezone
    ends = [Period.month(m).end_instant(tz) for m in ("2026-04", "2026-05", "2026-06")]
    for at in [*ends, ends[0], ends[2], ends[1]]:
        want = lateness(read_batch(clock, table.facts, at), clock.calendar)
        got = table.lateness(clock, at)
        for name in ("deadline", "stop", "late", "statutory", "days"):
            a, b = getattr(got, name), getattr(want, name)
            assert a.dtype == b.dtype and np.array_equal(a.view(np.int8), b.view(np.int8)), name
        assert table.read(clock, at).at == at
        _opened, late, _alert = table.status(clock, at)
        assert np.array_equal(late, want.late)
