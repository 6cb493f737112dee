"""The conformance suite of event stores: subclass it, provide ``new_store``.

Every backend — ``memory://``, ``sqlite:///``, and any plugin's — must pass the
same tests::

    import pytest
    from govservice.testing.store_conformance import StoreConformance

    class TestMyStore(StoreConformance):
        @pytest.fixture
        def new_store(self, tmp_path):
            def make(context=None):
                return MyStore("my://...", context)
            return make

``new_store(context=None)`` returns a fresh, empty store; calling it again
may return another fresh store (the round-trip tests use two).  Set
``durable = True`` on the class when a store reopened from the same URL must
see what was written (the suite then also needs ``reopen``).

.. versionadded:: 0.1
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import attrs
import pytest

from govservice.cases import EventError, Submitted
from govservice.exceptions import ConcurrencyError, StoreError
from govservice.model import (
    BUILTIN_RULES,
    Catalogue,
    HandlingKind,
    LimitUnit,
    Matter,
    ModelError,
    TimeLimit,
    Unit,
    Window,
)
from govservice.storage import EventStore, StoreContext, base

__all__ = ["CATALOGUE", "StoreConformance", "history"]

CATALOGUE = Catalogue(
    units=[Unit("MR", "市场监督管理局"), Unit("TAX", "税务局")],
    windows=[
        Window("W1", "综合窗口", ("MR", "TAX"), comprehensive=True),
        Window("W2", "税务窗口", ("TAX",)),
    ],
    matters=[
        Matter(
            code="MR-001",
            name="食品经营许可",
            unit="MR",
            category="administrative_licensing",
            kind=HandlingKind.PROMISED,
            statutory=TimeLimit(20, LimitUnit.WORKING_DAYS, "alicensing.decision"),
            promised=TimeLimit(8, LimitUnit.WORKING_DAYS),
        ),
        Matter(
            code="TAX-001",
            name="发票领用",
            unit="TAX",
            category="public_service",
            kind=HandlingKind.PROMISED,
            statutory=TimeLimit(20, LimitUnit.WORKING_DAYS, "alicensing.decision"),
            promised=TimeLimit(3, LimitUnit.WORKING_DAYS),
        ),
    ],
    rules=BUILTIN_RULES,
    source="conformance catalogue",
)
"""A two-unit catalogue the suite stores and validates against."""

PERSON = {"name": "张三", "kind": "person"}


def history(
    case: str, matter: str = "MR-001", *, day: int = 24, window: str = "W1", decided: bool = True
) -> list[dict[str, Any]]:
    """The events of one ordinary case received on *day* September 2026."""
    at = f"2026-09-{day:02d}T"
    events: list[dict[str, Any]] = [
        {
            "case": case,
            "id": f"{case}-1",
            "type": "submitted",
            "at": at + "09:30:00+08:00",
            "matter": matter,
            "applicant": PERSON,
            "by": window,
        },
        {
            "case": case,
            "id": f"{case}-2",
            "type": "accepted",
            "at": at + "09:45:00+08:00",
            "by": window,
        },
    ]
    if decided:
        events.append(
            {
                "case": case,
                "id": f"{case}-3",
                "type": "decided",
                "at": "2026-10-09T15:00:00+08:00",
                "outcome": "approved",
            }
        )
    return events


class StoreConformance:
    """Tests every event store passes."""

    durable = False

    @pytest.fixture
    def new_store(self) -> Callable[..., EventStore]:
        raise NotImplementedError("a backend's test module provides new_store")

    @pytest.fixture
    def store(self, new_store: Callable[..., EventStore]) -> EventStore:
        s = new_store()
        s.set_catalogue(CATALOGUE)
        return s

    def count(self, store: EventStore) -> int:
        return sum(1 for _ in store.events())

    # ---- appends ------------------------------------------------------------

    def test_append_and_read_back(self, store: EventStore) -> None:
        result = store.append(history("A"))
        assert result.stored == 3 and result.versions == {"A": 3}
        events = store.case_events("A")
        assert [e.type for e in events] == ["submitted", "accepted", "decided"]
        assert store.case("A").state.value == "decided"

    def test_batch_is_atomic(self, store: EventStore) -> None:
        batch = (
            history("A")
            + history("B", decided=False)
            + [{"case": "B", "type": "resumed", "at": "2026-10-09T10:00:00+08:00"}]
        )
        with pytest.raises(EventError, match="'resumed' is not allowed") as e:
            store.append(batch)
        assert e.value.index == 5 and e.value.case == "B"
        assert self.count(store) == 0 and store.cases() == []

    def test_validated_against_stored_history(self, store: EventStore) -> None:
        store.append(history("A", decided=False))
        with pytest.raises(EventError, match="before the previous event"):
            store.append(
                [
                    {
                        "case": "A",
                        "type": "decided",
                        "at": "2026-09-01T10:00:00+08:00",
                        "outcome": "approved",
                    }
                ]
            )
        with pytest.raises(EventError, match="starts with 'submitted'"):
            store.append([{"case": "Z", "type": "accepted", "at": "2026-09-24T10:00:00+08:00"}])
        assert self.count(store) == 2

    def test_cases_beyond_the_cache_are_validated_from_their_history(
        self, store: EventStore, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        from govservice.storage import base

        monkeypatch.setattr(base, "_CASE_CACHE_SIZE", 2)
        for case in "ABCD":
            store.append(history(case, decided=False))
        assert list(store._cache) == ["C", "D"]  # A and B were let go
        decided = {"type": "decided", "at": "2026-10-09T15:00:00+08:00", "outcome": "approved"}
        with pytest.raises(EventError, match="'accepted' is not allowed"):
            store.append([{"case": "A", "type": "accepted", "at": "2026-10-09T10:00:00+08:00"}])
        assert store.append([{"case": "A", **decided}]).versions == {"A": 3}
        assert list(store._cache) == ["D", "A"]  # the least recently appended let go
        assert store.case("A").state.value == "decided"

    def test_a_refused_batch_leaves_the_cached_case(self, store: EventStore) -> None:
        store.append(history("A", decided=False))
        cached = store._cache.get("A")
        kept = None if cached is None else attrs.asdict(cached, recurse=False)
        decided = {"type": "decided", "at": "2026-10-09T15:00:00+08:00", "outcome": "approved"}
        resumed = {"type": "resumed", "at": "2026-10-09T16:00:00+08:00"}
        with pytest.raises(EventError, match="'resumed' is not allowed"):
            store.append([{"case": "A", **decided}, {"case": "A", **resumed}])
        assert (None if cached is None else attrs.asdict(cached, recurse=False)) == kept
        assert store.append([{"case": "A", **decided}]).versions == {"A": 3}
        assert store.case("A").state.value == "decided"

    def test_idempotent_by_id(self, store: EventStore) -> None:
        store.append(history("A"))
        again = store.append(history("A"))
        assert again.stored == 0 and again.skipped == 3
        assert self.count(store) == 3

    def test_same_id_different_event_refused(self, store: EventStore) -> None:
        store.append(history("A", decided=False))
        clash = {
            "case": "A",
            "id": "A-2",
            "type": "decided",
            "at": "2026-10-09T15:00:00+08:00",
            "outcome": "approved",
        }
        with pytest.raises(EventError, match="already used by a different event"):
            store.append([clash])
        assert self.count(store) == 2

    def test_events_without_id_are_stored_once(self, store: EventStore, tmp_path: Path) -> None:
        """An event without an id gets one from its content: importing a file again adds nothing."""
        events = [{k: v for k, v in e.items() if k != "id"} for e in history("A")]
        f = tmp_path / "no-ids.jsonl"
        f.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in events))
        assert store.import_jsonl(f).stored == 3
        for _ in range(2):
            again = store.import_jsonl(f)
            assert (again.stored, again.skipped) == (0, 3)
        assert store.append(events[1:2]).skipped == 1  # the same rule for an append
        assert self.count(store) == 3
        later = {**events[1], "at": "2026-09-24T09:50:00+08:00"}  # another event: stored
        with pytest.raises(EventError, match="accepted"):
            store.append([later])
        assert [e.id for e in store.case_events("A")] == [None, None, None]

    def test_optimistic_concurrency(self, store: EventStore) -> None:
        store.append(history("A", decided=False))
        decide = {
            "case": "A",
            "type": "decided",
            "at": "2026-10-09T15:00:00+08:00",
            "outcome": "approved",
        }
        with pytest.raises(ConcurrencyError) as e:
            store.append([decide], expected={"A": 1})
        assert (e.value.case, e.value.expected, e.value.actual) == ("A", 1, 2)
        assert self.count(store) == 2
        assert store.append([decide], expected={"A": 2}).versions == {"A": 3}

    def test_threads_share_a_store(self, store: EventStore) -> None:
        """Threads appending at once: every event is stored iff its append returned.

        Six threads append to their own cases and race on shared ones; a
        refused race (:class:`~govservice.exceptions.ConcurrencyError` or a
        refused event) stores nothing, and nothing else goes wrong.
        """
        import threading

        returned: list[list[dict[str, Any]]] = []
        failures: list[BaseException] = []
        lock = threading.Lock()
        start = threading.Barrier(6)

        def work(n: int) -> None:
            start.wait()
            for k in range(15):
                own = history(f"T{n}-{k}")
                shared = {
                    "case": f"S{k}",
                    "id": f"S{k}-{n}",
                    "type": "submitted",
                    "at": "2026-09-24T09:30:00+08:00",
                    "matter": "MR-001",
                    "applicant": PERSON,
                }
                for batch, expected in ((own, None), ([shared], {f"S{k}": 0})):
                    try:
                        store.append(batch, expected=expected)
                    except (ConcurrencyError, EventError):
                        continue
                    except BaseException as e:
                        failures.append(e)
                        continue
                    with lock:
                        returned.append(batch)

        threads = [threading.Thread(target=work, args=(n,)) for n in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert failures == []
        ids = sorted(e["id"] for batch in returned for e in batch)
        assert sorted(e.id for e in store.events() if e.id) == ids
        assert len([b for b in returned if b[0]["case"].startswith("S")]) == 15  # one per race
        assert store.check().ok

    def test_malformed_event_refused(self, store: EventStore) -> None:
        with pytest.raises(EventError, match="unknown event type 'approved'"):
            store.append([{"case": "A", "type": "approved", "at": "2026-09-24T10:00:00+08:00"}])
        with pytest.raises(EventError, match="no UTC offset"):
            store.append([{**history("A")[0], "at": "2026-09-24T10:00:00"}])
        assert self.count(store) == 0

    def test_no_catalogue(self, new_store: Callable[..., EventStore]) -> None:
        bare = new_store()
        with pytest.raises(StoreError, match="no catalogue"):
            bare.append(history("A"))

    # ---- reads --------------------------------------------------------------

    def test_queries(self, store: EventStore) -> None:
        store.append(history("A", day=24))
        store.append(history("B", "TAX-001", day=28, window="W2", decided=False))
        store.append(history("C", day=29, decided=False))
        assert {r.case for r in store.cases(unit="TAX")} == {"B"}
        assert {r.case for r in store.cases(window="W2")} == {"B"}
        assert {r.case for r in store.cases(matter="MR-001")} == {"A", "C"}
        assert {r.case for r in store.cases(state="in_progress")} == {"B", "C"}
        assert {r.case for r in store.cases(since=date(2026, 9, 28))} == {"B", "C"}
        assert {r.case for r in store.cases(until=date(2026, 9, 28))} == {"A", "B"}
        row = store.cases(matter="TAX-001")[0]
        assert (row.version, row.unit, row.submitted_on) == (2, "TAX", date(2026, 9, 28))
        # B (promised 3 working days from 28 Sep: 29, 30 Sep, 8 Oct) is overdue on 9 Oct
        red = store.readings("2026-10-09T12:00:00+08:00", alert="red")
        assert [r.case for r in red] == ["B"]

    def test_readings_of_many_cases(self, store: EventStore) -> None:
        """Readings come in the order of ``store.cases()``, each the clock's reading of its case."""
        ids = [f"R{k:02d}" for k in range(12)]
        for k, cid in enumerate(ids):  # appended out of id order, some decided
            store.append(history(cid, day=21 + k % 9, decided=k % 3 == 0))
        at = "2026-10-12T12:00:00+08:00"
        readings = store.readings(at)
        assert [r.case for r in readings] == [r.case for r in store.cases()]
        for r in readings:
            assert r == store.clock.reading(store.clock.case(store.case_events(r.case)), at)
        assert [r.case for r in store.readings(at, state="in_progress")] == [
            cid for k, cid in enumerate(ids) if k % 3
        ]

    def test_several_clocks(self, store: EventStore) -> None:
        """Renewals, hearings and decisions are stored and read back as the clock reads them.

        The store's event columns carry what the batch clock needs of them (an approving
        decision, a renewal's expiry), so a batch reading equals the clock's, field for field;
        a hearing held without a request is refused and nothing of its batch is stored.
        """
        from govservice.cases import read_batch
        from govservice.cases.table import CaseTable

        renewal = history("N", decided=False)
        renewal[0]["renewal_of"] = {"licence": "JY13201000001", "expires_on": "2026-11-30"}
        renewal += [
            {"case": "N", "type": "hearing_requested", "at": "2026-09-28T10:00:00+08:00"},
            {"case": "N", "type": "hearing_held", "at": "2026-10-09T10:00:00+08:00"},
            {
                "case": "N",
                "type": "decided",
                "at": "2026-10-20T10:00:00+08:00",
                "outcome": "denied",
            },
        ]
        store.append(history("A") + renewal)
        held = {"case": "B", "type": "hearing_held", "at": "2026-09-25T10:00:00+08:00"}
        with pytest.raises(EventError, match="'hearing_held' without a 'hearing_requested'"):
            store.append([*history("B")[:2], held])
        assert self.count(store) == 8
        stored = store.case_events("N")[0]
        assert isinstance(stored, Submitted) and stored.renewal_of is not None
        assert stored.renewal_of.expires_on == date(2026, 11, 30)
        at = "2026-10-21T12:00:00+08:00"
        scalar = {c: store.clock.reading(store.clock.case(store.case_events(c)), at) for c in "AN"}
        # 10 working days from Fri 9 Oct: 10 (Sat, worked), 12–16, 19–22 October
        assert scalar["A"].delivery_deadline == date(2026, 10, 22)
        assert scalar["N"].delivery_deadline is None  # denied: no licence to deliver
        assert scalar["N"].hearing_deadline == date(2026, 10, 30)
        assert scalar["N"].renewal_deadline == date(2026, 11, 30)
        table = CaseTable.from_store(store)  # the store's event columns, folded
        batch = read_batch(store.clock, table.facts, at)
        for i, case in enumerate(table.facts.case):
            assert batch.row(i) == scalar[str(case)]

    # ---- a period's reads -------------------------------------------------------

    def test_a_period_reads_the_cases_it_needs_and_not_the_others(self, store: EventStore) -> None:
        """May 2026 reads its own cases, the open ones and the closed ones it looks back to.

        With 15 working days to rectify a bad review, May looks back to Fri 10 April:
        a 差评 made that day falls due in May, one made the day before in April.
        """
        from govservice.assessment.records import Period, collect_period, period_table
        from govservice.cases.table import CaseTable
        from govservice.reports import build_report

        def ev(case: str, type_: str, at: str, **fields: Any) -> dict[str, Any]:
            return {"case": case, "type": type_, "at": at, **fields}

        def case(name: str, at: str, *steps: tuple[str, str, dict[str, Any]]) -> list[Any]:
            got = [ev(name, "submitted", at, matter="MR-001", applicant=PERSON, by="W1")]
            return got + [ev(name, t, when, **f) for t, when, f in steps]

        ok = {"outcome": "approved"}
        store.append(
            [
                # closed a year before May: not read
                *case(
                    "OLD",
                    "2025-03-02T09:00:00+08:00",
                    ("accepted", "2025-03-02T10:00:00+08:00", {}),
                    ("decided", "2025-03-10T10:00:00+08:00", ok),
                    ("delivered", "2025-03-12T10:00:00+08:00", {}),
                ),
                # open for a year, late all May
                *case("OPEN", "2025-05-06T09:00:00+01:00"),
                # decided in May, received a year before
                *case(
                    "LONG",
                    "2025-06-02T09:00:00+08:00",
                    ("accepted", "2025-06-02T10:00:00+08:00", {}),
                    ("decided", "2026-05-12T10:00:00+08:00", ok),
                    ("delivered", "2026-05-13T10:00:00+08:00", {}),
                ),
                # decided long ago, awaiting delivery
                *case(
                    "UNDELIVERED",
                    "2025-01-06T09:00:00+08:00",
                    ("accepted", "2025-01-06T10:00:00+08:00", {}),
                    ("decided", "2025-01-08T10:00:00+08:00", ok),
                ),
                # a 差评 on 10 April in Shanghai, 9 April in its own text: due in May
                *case(
                    "EDGE",
                    "2026-04-09T08:00:00-05:00",
                    ("accepted", "2026-04-09T08:30:00-05:00", {}),
                    ("decided", "2026-04-09T09:00:00-05:00", ok),
                    ("delivered", "2026-04-09T19:00:00-05:00", {}),
                    ("evaluated", "2026-04-09T20:00:00-05:00", {"level": 1}),
                ),
                # a 差评 of 9 April: due in April
                *case(
                    "EARLIER",
                    "2026-04-09T08:00:00+08:00",
                    ("accepted", "2026-04-09T08:30:00+08:00", {}),
                    ("decided", "2026-04-09T09:00:00+08:00", ok),
                    ("delivered", "2026-04-09T10:00:00+08:00", {}),
                    ("evaluated", "2026-04-09T11:00:00+08:00", {"level": 2}),
                ),
                # received on 1 June in Shanghai (31 May in its own text): not read
                *case("AFTER", "2026-05-31T23:30:00+00:00"),
            ]
        )
        may, spring = Period.month("2026-05"), Period(date(2026, 3, 1), date(2026, 5, 31))
        read = set(period_table(store, may).facts.case.tolist())
        assert {"OPEN", "LONG", "UNDELIVERED", "EDGE"} <= read
        assert not read & {"OLD", "AFTER"}
        whole = CaseTable.from_store(store)
        assert len(whole.facts) == 7
        records = collect_period(store, may)
        assert records == collect_period(store, may, table=whole)
        assert [r.case for r in records.rectifications] == ["EDGE"]
        assert {r.case for r in records.cases} == {"OPEN", "LONG"}
        clock = store.clock
        got = build_report(period_table(store, spring), clock, spring)
        assert got == build_report(whole, clock, spring)

    def test_a_period_reads_the_figures_of_the_whole_store(
        self, new_store: Callable[..., EventStore]
    ) -> None:
        """A period reads what the whole store gives, over three years of histories.

        Any month's assessment records, with any number of working days to rectify
        a bad review, and the report of the quarter it starts, equal those of the
        whole store's table; the events' offsets from −11:00 to +14:00.  On a
        calendar that counts every year (provisional past its data): the months
        whose end or deadlines fall in a year without data raise
        ``CalendarDataMissing`` however many cases are read, which is the
        calendar's answer, not the bound's.
        """
        from datetime import datetime, timedelta, timezone

        from hypothesis import given, settings
        from hypothesis import strategies as st

        from govservice.assessment.records import Period, collect_period, period_table
        from govservice.calendars import china
        from govservice.cases import event_to_dict
        from govservice.cases.table import CaseTable
        from govservice.reports import build_report
        from govservice.testing.strategies import case_histories

        store = new_store(StoreContext(calendar=china(provisional=True)))
        store.set_catalogue(CATALOGUE)
        offsets = [timezone(timedelta(hours=h)) for h in (8, 0, -5, -11, 14)]
        any_instant = st.datetimes(
            datetime(2024, 1, 1), datetime(2026, 10, 31), timezones=st.sampled_from(offsets)
        )
        # on the hour too: steps of whole hours then land on midnights, a month's end instant
        start = any_instant | any_instant.map(
            lambda t: t.replace(minute=0, second=0, microsecond=0)
        )
        histories = st.lists(case_histories(store.clock, start=start), min_size=1, max_size=6)
        months = st.dates(date(2024, 1, 1), date(2026, 8, 1)).map(lambda d: d.strftime("%Y-%m"))
        examples = iter(range(10_000))

        @settings(max_examples=25, deadline=None, database=None)
        @given(histories, months, st.integers(1, 40))
        def check(cases: list[Any], month: str, bad_review_days: int) -> None:
            n = next(examples)  # the store keeps every example's cases: a longer history
            store.append(
                [
                    {**event_to_dict(e), "case": f"{n}-{k}"}
                    for k, c in enumerate(cases)
                    for e in c.events
                ]
            )
            whole = CaseTable.from_store(store)
            # the month drawn, and those the bad reviews of these cases fall due in
            reviews = [c.evaluation for c in cases if c.evaluation and c.evaluation.level <= 2]
            tz, cal = store.clock.calendar.timezone, store.clock.calendar
            due = [
                cal.add_working_days(r.at.astimezone(tz).date(), bad_review_days) for r in reviews
            ]
            for label in {month, *(f"{d:%Y-%m}" for d in due)}:
                period = Period.month(label)
                got = collect_period(store, period, bad_review_days=bad_review_days)
                assert got == collect_period(
                    store, period, bad_review_days=bad_review_days, table=whole
                )
            period = Period.month(month)
            last = period.start + timedelta(days=62)  # the quarter the month starts
            quarter = Period(period.start, Period.month(f"{last:%Y-%m}").end)
            table = period_table(store, quarter, bad_review_days=bad_review_days)
            assert build_report(table, store.clock, quarter) == build_report(
                whole, store.clock, quarter
            )

        check()

    def test_catalogue_round_trip(self, store: EventStore) -> None:
        cat = store.catalogue()
        assert cat is not None
        assert dict(cat.matters) == dict(CATALOGUE.matters)
        assert dict(cat.units) == dict(CATALOGUE.units)

    def test_catalogue_dropping_a_matter_in_use_is_refused(
        self, store: EventStore, tmp_path: Path
    ) -> None:
        """A catalogue without a matter that stored cases use is refused, naming them."""
        store.append(history("A") + history("B", "TAX-001") + history("C", "TAX-001"))
        mr_only = attrs.evolve(
            CATALOGUE, matters=[CATALOGUE.matters["MR-001"]], source="mr-only.toml"
        )
        refused = r"mr-only\.toml, field 'matters': lacks 1 matter.* 2 stored case.*'B', 'C'"
        with pytest.raises(ModelError, match=refused):
            store.set_catalogue(mr_only)
        f = tmp_path / "more.jsonl"
        f.write_text(json.dumps(history("D")[0], ensure_ascii=False) + "\n", encoding="utf-8")
        with pytest.raises(ModelError, match=refused):
            store.import_jsonl(f, catalogue=mr_only)
        kept = store.catalogue()
        assert kept is not None and set(kept.matters) == {"MR-001", "TAX-001"}
        assert self.count(store) == 9 and store.check().ok

    def test_a_failed_import_keeps_the_catalogue(self, store: EventStore, tmp_path: Path) -> None:
        """The catalogue an import brings is stored with its events, or not at all."""
        store.append(history("A"))
        renamed = attrs.evolve(
            CATALOGUE,
            matters=[attrs.evolve(m, name=m.name + "（新）") for m in CATALOGUE.matters.values()],
        )
        lines = [json.dumps(e, ensure_ascii=False) for e in history("B")]
        f = tmp_path / "bad.jsonl"
        f.write_text("\n".join([lines[0], lines[2]]) + "\n", encoding="utf-8")
        with pytest.raises(EventError, match="line 2"):
            store.import_jsonl(f, catalogue=renamed)
        kept = store.catalogue()
        assert kept is not None and kept.matters["MR-001"].name == "食品经营许可"
        f.write_text("\n".join(lines) + "\n", encoding="utf-8")
        assert store.import_jsonl(f, catalogue=renamed).stored == 3
        now = store.catalogue()
        assert now is not None and now.matters["MR-001"].name == "食品经营许可（新）"
        assert self.count(store) == 6 and store.check().ok

    def test_an_import_longer_than_a_batch(
        self, store: EventStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """An import read in several batches is still one transaction, with one id rule."""
        monkeypatch.setattr(base, "_IMPORT_CHUNK", 4)
        monkeypatch.setattr(base, "_CASE_CACHE_SIZE", 2)  # cases folded again from the store
        events = [e for k in range(5) for e in history(f"K{k}", decided=False)]
        events += [{**e, "id": None} for k in range(5) for e in history(f"K{k}")[2:]]
        events.append(events[0])  # repeated in a later batch: skipped
        f = tmp_path / "long.jsonl"
        f.write_text(
            "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in events), encoding="utf-8"
        )
        seen: list[tuple[int, int]] = []
        result = store.import_jsonl(f, progress=lambda done, total: seen.append((done, total)))
        assert (result.stored, result.skipped, result.cases, result.versions) == (15, 1, 5, {})
        assert seen[-1] == (16, 16)
        assert {r.state for r in store.cases()} == {"decided"}
        checked: list[tuple[int, int]] = []
        report = store.check(progress=lambda done, total: checked.append((done, total)))
        assert report.ok and (report.cases, report.events) == (5, 15) and checked[-1] == (5, 5)
        bad = tmp_path / "bad.jsonl"
        bad.write_text(
            "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in history("Z") * 2)
            + '{"case": "Z", "type": "accepted", "at": "2026-09-24T09:50:00+08:00"}\n',
            encoding="utf-8",
        )
        with pytest.raises(EventError, match="line 7"):
            store.import_jsonl(bad)
        assert self.count(store) == 15

    def test_export_import_round_trip(
        self, store: EventStore, new_store: Callable[..., EventStore], tmp_path: Path
    ) -> None:
        store.append(history("A") + history("B", "TAX-001", day=25, decided=False))
        store.append(
            [
                {
                    "case": "B",
                    "type": "evaluated",
                    "at": "2026-09-25T10:00:00+08:00",
                    "level": 4,
                    "channel": "counter",
                }
            ]
        )
        out = io.StringIO()
        assert store.export_jsonl(out) == 6
        f = tmp_path / "export.jsonl"
        f.write_text(out.getvalue(), encoding="utf-8")
        other = new_store()
        other.set_catalogue(CATALOGUE)
        assert other.import_jsonl(f).stored == 6
        again = io.StringIO()
        other.export_jsonl(again)
        assert again.getvalue() == out.getvalue()

    def test_imported_lines_written_otherwise(
        self, store: EventStore, new_store: Callable[..., EventStore], tmp_path: Path
    ) -> None:
        """A line holding its event's object written otherwise is stored as it is.

        Escapes, another order of keys, other spaces: read back, the same events; exported,
        lines reading to the objects the store writes; imported again, or with the store's
        own text, nothing new; and a line giving an id to another event is refused, naming it.
        """
        events = history("A") + history("B", "TAX-001", day=25, decided=False)
        events[0] = {**events[0], "channel": "counter"}  # its default: written in its body
        events[-1] = {k: v for k, v in events[-1].items() if k != "id"}  # named by its content
        lines = [
            json.dumps(events[0]),  # escapes
            json.dumps(events[1], ensure_ascii=False, separators=(",", ":")),
            json.dumps(dict(reversed(events[2].items())), ensure_ascii=False),
            json.dumps(events[3], ensure_ascii=False, sort_keys=True),
            json.dumps(events[4]),
        ]
        f = tmp_path / "written-otherwise.jsonl"
        f.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
        assert store.import_jsonl(f).stored == 5
        appended = new_store()
        appended.set_catalogue(CATALOGUE)
        appended.append(events)
        assert list(store.events()) == list(appended.events())
        assert store.case("A") == appended.case("A")
        out, written = io.StringIO(), io.StringIO()
        store.export_jsonl(out)
        appended.export_jsonl(written)
        exported = out.getvalue().splitlines()
        assert exported[:3] == lines[:3]
        # B's submission leaves out its channel, its last event has no id: written by the store
        assert exported[3:] == written.getvalue().splitlines()[3:] != lines[3:]
        assert [json.loads(x) for x in exported] == [
            json.loads(x) for x in written.getvalue().splitlines()
        ]
        own = tmp_path / "own.jsonl"
        own.write_text(written.getvalue(), encoding="utf-8")
        for again in (store.import_jsonl(f), store.import_jsonl(own), appended.import_jsonl(f)):
            assert (again.stored, again.skipped) == (0, 5)
        assert store.append(events).skipped == 5
        assert store.check().ok
        clash = {**events[2], "outcome": "denied"}
        f.write_text(json.dumps(clash) + "\n", encoding="utf-8")
        with pytest.raises(EventError, match=r"line 1.*already used by a different event"):
            store.import_jsonl(f)
        with pytest.raises(EventError, match="already used by a different event"):
            store.append([clash])
        assert self.count(store) == 5

    def test_import_errors_name_the_line(self, store: EventStore, tmp_path: Path) -> None:
        f = tmp_path / "bad.jsonl"
        lines = [json.dumps(e, ensure_ascii=False) for e in history("A")]
        f.write_text("\n".join([*lines[:2], "{oops", lines[2]]) + "\n", encoding="utf-8")
        with pytest.raises(EventError, match=r"line 3.*not valid JSON"):
            store.import_jsonl(f)
        f.write_text("\n".join([lines[0], lines[2], lines[1]]) + "\n", encoding="utf-8")
        with pytest.raises(EventError, match=r"line 2.*case 'A'.*before the case is accepted"):
            store.import_jsonl(f)
        truncated = tmp_path / "truncated.jsonl"
        truncated.write_text("\n".join(lines)[:-20], encoding="utf-8")
        with pytest.raises(EventError, match="line 3"):
            store.import_jsonl(truncated)
        assert self.count(store) == 0

    def test_records(self, store: EventStore) -> None:
        store.put_records(
            "inspection",
            [
                {"id": "I2", "at": "2026-09-25T10:00:00+08:00", "window": "W1"},
                {"id": "I1", "at": "2026-09-24T10:00:00+08:00", "window": "W2"},
            ],
        )
        assert [r["id"] for r in store.records("inspection")] == ["I1", "I2"]
        with pytest.raises(StoreError, match=r"'at'"):
            store.put_records(
                "inspection",
                [
                    {"id": "I3", "at": "2026-09-26T10:00:00+08:00"},
                    {"id": "I4", "at": "yesterday"},
                ],
            )
        assert len(store.records("inspection")) == 2

    def test_check(self, store: EventStore) -> None:
        store.append(history("A") + history("B", decided=False))
        report = store.check()
        assert report.ok and (report.cases, report.events) == (2, 5)

    def test_context_is_used(self, new_store: Callable[..., EventStore]) -> None:
        from govservice.calendars import CalendarAdjustment, china

        closed = china().with_adjustments(
            [
                CalendarAdjustment(
                    date(2026, 9, 29), False, "停电", kind="hall_day", counts_for_promised=True
                )
            ]
        )
        s = new_store(StoreContext(calendar=closed))
        s.set_catalogue(CATALOGUE)
        s.append(history("A", "TAX-001", day=28, decided=False))
        (r,) = s.readings("2026-10-09T12:00:00+08:00")
        assert r.promised_deadline == date(2026, 10, 9)  # 30 Sep, 8 Oct, 9 Oct
