"""One definition of late and of who handled a case, and a closed month read as of its end.

Each test gives a case, stored in a real SQLite store, and the scores it must produce (the
numbered fixes of the held-out month's recomputation).  Points are the default rules' (LAW.md's
local examples): a late case −5 for the window once, −1 per working day late for the staff
member who handled it; a bad review not rectified by its deadline −1 (国办发〔2019〕51号 asks
for rectification; the 15 working days are a local rule).
"""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from govservice import ServiceCenter
from govservice.assessment import Assessment, Period, period_table
from govservice.assessment.records import months_of
from govservice.cases.table import CaseTable
from govservice.reports import build_report
from govservice.stats import figures

CATALOGUE = Path(__file__).parent / "data" / "catalogue_small.toml"
P = {"name": "张三", "kind": "person"}
STORES = itertools.count()


def ev(case: str, type_: str, at: str, **f: object) -> dict[str, object]:
    return {"case": case, "type": type_, "at": f"2026-{at}+08:00", **f}


def food(case: str, day: str, *, by: str = "W01", staff: str | None = "S001") -> list[dict]:
    """A food licence (MR-001, promised 8 working days) received and accepted on *day*."""
    out = [ev(case, "submitted", f"{day}T09:00:00", matter="MR-001", applicant=P, by=by)]
    if staff:
        out.append(ev(case, "accepted", f"{day}T09:10:00", by=staff))
    return out


@pytest.fixture
def center() -> ServiceCenter:
    return ServiceCenter(entrypoints=False, catalogue=CATALOGUE)


def assess(center: ServiceCenter, tmp_path: Path, events: list[dict], month: str) -> Assessment:
    url = f"sqlite:///{tmp_path}/hall-{next(STORES)}.db"
    with center.open_store(url) as store:
        store.set_catalogue(center.catalogue)
        store.append(events)
        return center.assess(store, month)


def scores(a: Assessment) -> dict[str, Decimal]:
    return {s.subject: s.total for s in (*a.windows, *a.staff)}


def test_1_a_saturday_decision_after_a_friday_deadline_is_a_day_late(
    center: ServiceCenter, tmp_path: Path
) -> None:
    """Accepted Tue 19 May, promised 8 working days: due Fri 29 May; decided Sat 30 May."""
    events = [
        *food("X", "05-19"),
        ev("X", "decided", "05-30T10:00:00", by="S001", outcome="approved"),
    ]
    a = assess(center, tmp_path, events, "2026-05")
    assert a.score("W01").total == Decimal(95)  # −5: late
    assert a.score("S001", "staff").total == Decimal(99)  # −1: at least one day late
    assert "late: 1 working day this period" in a.explain("S001", "staff")
    with center.open_store(f"sqlite:///{tmp_path}/hall-{next(STORES) - 1}.db") as store:
        total = figures(CaseTable.from_store(store), store.clock, Period.month("2026-05"))
    assert total["centre"].on_time_promised == 0  # the statistics agree: late


def test_2_a_bad_review_is_deducted_in_the_month_its_deadline_passes(
    center: ServiceCenter, tmp_path: Path
) -> None:
    """A 差评 on Wed 20 May is due 15 working days later, 10 June; never rectified."""
    events = [
        *food("B", "05-20", by="W02", staff="S002"),
        ev("B", "decided", "05-20T11:00:00", by="S002", outcome="approved"),
        ev("B", "evaluated", "05-20T11:05:00", level=1),
    ]
    may, june = (assess(center, tmp_path, events, m) for m in ("2026-05", "2026-06"))
    assert scores(may)["W02"] == scores(may)["S002"] == Decimal(100)  # not yet due
    assert june.score("W02").total == june.score("S002", "staff").total == Decimal(99)
    assert "not rectified by 2026-06-10" in june.explain("W02")


def test_3_the_staff_member_who_decided_is_credited_not_who_delivered(
    center: ServiceCenter, tmp_path: Path
) -> None:
    """Accepted Mon 11 May (due Thu 21 May), decided Tue 26 May by S001, delivered by S002."""
    events = [
        *food("C", "05-11"),
        ev("C", "decided", "05-26T10:00:00", by="S001", outcome="approved"),
        ev("C", "delivered", "05-27T10:00:00", by="S002"),
        ev("C", "evaluated", "05-27T10:05:00", level=1),
    ]
    may, june = (assess(center, tmp_path, events, m) for m in ("2026-05", "2026-06"))
    assert may.score("S001", "staff").total == Decimal(97)  # 22, 25, 26 May: 3 days late
    assert may.score("S001", "staff").cases == 1
    assert may.score("S002", "staff").total == Decimal(100)
    assert may.score("S002", "staff").cases == 0
    # the case's bad review (due 17 June) goes with it to S001 and W01
    assert june.score("S001", "staff").total == june.score("W01").total == Decimal(99)
    assert june.score("S002", "staff").total == Decimal(100)


def test_4_a_closed_month_reads_the_same_when_later_events_arrive(
    center: ServiceCenter, tmp_path: Path
) -> None:
    """Received Fri 29 May at W02 with no staff; accepted Mon 1 June by S001, who acts late."""
    may_events = [
        *food("A", "05-11"),
        ev("A", "decided", "05-26T10:00:00", by="S001", outcome="approved"),
        *food("D", "05-29", by="W02", staff=None),
    ]
    june_events = [
        ev("D", "accepted", "06-01T09:00:00", by="S001"),
        ev("D", "decided", "06-30T09:00:00", by="S001", outcome="approved"),
    ]
    before = assess(center, tmp_path, may_events, "2026-05")
    after = assess(center, tmp_path, may_events + june_events, "2026-05")
    assert scores(before) == scores(after)
    assert [(s.subject, s.cases, s.rank) for s in before.staff] == [
        (s.subject, s.cases, s.rank) for s in after.staff
    ]
    assert after.score("S001", "staff").cases == 1  # case A only: D was W02's at May's end
    assert after.score("W02").cases == 1


def test_5_an_open_late_case_is_charged_each_month_only_what_accrued_in_it(
    center: ServiceCenter, tmp_path: Path
) -> None:
    """Accepted Mon 20 April, due Thu 30 April, still open at the end of June."""
    events = food("E", "04-20")
    charged = {
        m: assess(center, tmp_path, events, m).score("S001", "staff").total
        for m in ("2026-04", "2026-05", "2026-06")
    }
    # April: due on its last day and undecided at its end: late, the least, one day; May: 19
    # working days late at its end (6–29 May, the 9th a make-up Saturday), one charged in
    # April; June: 21 more (1–30 June, the 19th a holiday)
    assert charged == {"2026-04": 99, "2026-05": 82, "2026-06": 79}
    months = ("2026-04", "2026-05", "2026-06")
    window = {m: assess(center, tmp_path, events, m).score("W01").total for m in months}
    assert window == {"2026-04": 95, "2026-05": 100, "2026-06": 100}  # −5 once


def test_6_a_month_ends_at_midnight_and_what_happens_then_is_the_next_months(
    center: ServiceCenter, tmp_path: Path
) -> None:
    """May runs to 24:00 on 31 May; an event at 00:00 on 1 June is June's (Period.end_instant).

    N is received at 00:00 on Mon 1 June: June's, not open at the end of May (decided on
    time, 3 June).  M, accepted
    Mon 18 May and due Thu 28 May, is decided at that instant: open and late at May's end
    (the window −5 once, in May; S001 −1 for Fri 29 May), decided in June (S001 −1 for
    Mon 1 June): late two working days, charged once, in neither month lost.
    """
    events = [
        *food("M", "05-18"),
        ev("M", "decided", "06-01T00:00:00", by="S001", outcome="approved"),
        ev("N", "submitted", "06-01T00:00:00", matter="MR-001", applicant=P, by="W01"),
        ev("N", "accepted", "06-01T09:00:00", by="S001"),
        ev("N", "decided", "06-03T09:00:00", by="S001", outcome="approved"),
    ]
    with center.open_store(f"sqlite:///{tmp_path}/midnight.db") as store:
        store.set_catalogue(center.catalogue)
        store.append(events)
        table = CaseTable.from_store(store)
        may = figures(table, store.clock, Period.month("2026-05"))["centre"]
        june = figures(table, store.clock, Period.month("2026-06"))["centre"]
        assert (may.received, may.open, may.overdue, may.decided) == (1, 1, 1, 0)
        assert (june.received, june.decided) == (1, 2)
        assert set(period_table(store, Period.month("2026-05")).facts.case.tolist()) == {"M"}
    may_a, june_a = (assess(center, tmp_path, events, m) for m in ("2026-05", "2026-06"))
    assert may_a.score("W01").total == Decimal(95)
    assert may_a.score("W01").cases == 1  # M only
    assert may_a.score("S001", "staff").total == Decimal(99)
    assert june_a.score("W01").total == Decimal(100)  # late once: charged in May
    assert june_a.score("W01").cases == 2
    assert june_a.score("S001", "staff").total == Decimal(99)


def test_a_month_of_a_long_history_reads_only_what_it_needs(
    center: ServiceCenter, tmp_path: Path
) -> None:
    """May 2026 of a store with two years of history: the same assessment and report
    as from every case, though the cases closed before mid-April 2026 are not read.

    Its bad reviews: one of 10 April (due in May, 15 working days later; −1 for W02
    and S002 as not rectified), written in its own offset (−05:00) as 9 April.
    """

    def at(day: str, offset: str = "+08:00") -> str:
        return f"{day}T10:00:00{offset}"

    def case(cid: str, *steps: tuple[str, str], by: str = "W01", staff: str = "S001") -> list:
        first = {"matter": "MR-001", "applicant": P, "by": by}
        return [
            {"case": cid, "type": t, "at": when, "by": staff, **(first if t == "submitted" else {})}
            | ({"outcome": "approved"} if t == "decided" else {})
            | ({"level": 1} if t == "evaluated" else {})
            for t, when in steps
        ]

    old = [  # closed, the last a month and a half before May
        e
        for k, d in enumerate(["2024-06-03", "2025-03-03", "2025-11-03", "2026-03-02"])
        for e in case(
            f"OLD{k}",
            *((t, at(d)) for t in ("submitted", "accepted", "decided", "delivered", "evaluated")),
        )
    ]
    events = [
        *old,
        # open for a year: late every month
        *case("OPEN", ("submitted", at("2025-05-06")), ("accepted", at("2025-05-06", "+00:00"))),
        # decided in May, received a year before
        *case(
            "LONG",
            ("submitted", at("2025-06-02")),
            ("accepted", at("2025-06-02")),
            ("decided", at("2026-05-12", "-05:00")),
        ),
        # a bad review of 10 April in Shanghai, 9 April in its own offset
        *case(
            "EDGE",
            ("submitted", "2026-04-09T07:00:00-05:00"),
            ("accepted", "2026-04-09T08:00:00-05:00"),
            ("decided", "2026-04-09T09:00:00-05:00"),
            ("delivered", "2026-04-09T19:00:00-05:00"),
            ("evaluated", "2026-04-09T20:00:00-05:00"),
            by="W02",
            staff="S002",
        ),
        # received after May
        *case("AFTER", ("submitted", at("2026-06-01"))),
    ]
    with center.open_store(f"sqlite:///{tmp_path}/history.db") as store:
        store.set_catalogue(center.catalogue)
        store.append(events)
        whole = CaseTable.from_store(store)
        read = set(period_table(store, Period.month("2026-05")).facts.case.tolist())
        assert read == {"OPEN", "LONG", "EDGE"}  # not the old ones, nor June's
        may = center.assess(store, "2026-05")
        assert may == center.assess(store, "2026-05", table=whole)
        assert may.score("W02").total == may.score("S002", "staff").total == Decimal(99)
        spring = Period(date(2026, 3, 1), date(2026, 5, 31))
        report = center.report(store, spring)
        expected = build_report(whole, store.clock, spring)
        for field in ("total", "by_unit", "by_month", "by_window", "volume", "overdue"):
            assert getattr(report, field) == getattr(expected, field), field
        assert report.red_flags == {
            m.label: list(center.assess(store, m, table=whole).red_flags) for m in months_of(spring)
        }
        # the calendar's first month looks back a year (no working days before it are known)
        first = center.assess(store, "2004-01")
        assert first == center.assess(store, "2004-01", table=whole)
