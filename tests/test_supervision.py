"""Supervision records and 好差评 indicators."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govservice.calendars import WorkingDayCalendar
from govservice.storage import MemoryStore
from govservice.supervision import (
    Commendation,
    Complaint,
    Evaluation,
    Finding,
    Inspection,
    RecordError,
    ServiceRecord,
    evaluation_indicators,
    from_record,
    rectifications,
    to_record,
)

SH = ZoneInfo("Asia/Shanghai")


def evaluation(case: str, level: int, window: str = "W1", at: str = "2026-09-30T16:00:00+08:00"):
    return Evaluation(
        case=case,
        at=datetime.fromisoformat(at),
        level=level,
        channel="counter",
        matter="MR-001",
        unit="MR",
        window=window,
        staff="S1",
    )


class TestRecords:
    def test_round_trip_through_a_store(self) -> None:
        store = MemoryStore()
        records = [
            Inspection(
                id="I1",
                at="2026-05-12T10:00:00+08:00",
                findings=(Finding("absent_from_post", "W1", "S1", note="11:05 不在岗"),),
            ),
            Complaint(
                id="K1",
                at="2026-05-12T10:00:00+08:00",
                window="W1",
                substantiated=True,
                verified_at="2026-05-14T10:00:00+08:00",
                rectify_by=date(2026, 5, 20),
            ),
            Commendation(id="P1", at="2026-05-15T10:00:00+08:00", window="W2", type="pennant"),
            ServiceRecord(
                id="V1",
                at="2026-05-01T10:00:00+08:00",
                window="W2",
                type="holiday",
                hours=Decimal("3.5"),
            ),
        ]
        for r in records:
            store.put_records(r.kind, [to_record(r)])
        back = [from_record(r.kind, store.records(r.kind)[0]) for r in records]
        assert back == records

    def test_bad_records_are_named(self) -> None:
        with pytest.raises(RecordError, match=r"commendation 'P1'.*'type'.*'medal'"):
            Commendation(id="P1", at="2026-05-15T10:00:00+08:00", window="W2", type="medal")
        with pytest.raises(RecordError, match=r"complaint 'K2'"):
            from_record("complaint", {"id": "K2", "at": "2026-05-12T10:00:00", "window": "W1"})
        with pytest.raises(RecordError, match="unknown record kind 'visit'"):
            from_record("visit", {"id": "x"})
        with pytest.raises(RecordError, match="inspection 'I9'"):
            from_record("inspection", {"id": "I9", "at": "2026-05-12T10:00:00+08:00", "extra": 1})


class TestEvaluations:
    """好差评 (国办发〔2019〕51号): five levels; 1–2 are bad reviews to rectify."""

    def test_indicators(self) -> None:
        evs = [
            evaluation("A", 5),
            evaluation("B", 4),
            evaluation("C", 3),
            evaluation("D", 2),
            evaluation("E", 5, window="W2"),
        ]
        ind = evaluation_indicators(evs, by="window")
        assert ind["W1"].count == 4 and ind["W1"].by_level == (0, 1, 1, 1, 1)
        assert ind["W1"].good_rate == Decimal("0.7500") and ind["W1"].bad == 1
        assert ind["W1"].mean_level == Decimal("3.5000")
        assert ind["W2"].good_rate == Decimal(1)

    def test_rectified_on_time_compares_the_centres_local_date(
        self, cal: WorkingDayCalendar
    ) -> None:
        """Due 23 Oct 2024; rectified 2024-10-23T17:00Z, which is 01:00 on the 24th in Beijing:
        late, though the UTC date is the 23rd (国办发〔2019〕51号 leaves the limit to the
        locality; deadlines compare the centre's local dates)."""
        bad = evaluation("D", 1, at="2024-10-16T10:00:00+08:00")
        for rectified, on_time in (
            (datetime(2024, 10, 23, 17, 0, tzinfo=UTC), False),
            (datetime(2024, 10, 23, 15, 59, tzinfo=UTC), True),  # 23:59 in Beijing
        ):
            (r,) = rectifications([bad], cal, working_days=5, done={"D": rectified})
            # 5 working days from Wed 16 Oct: 17, 18, 21, 22, 23 October
            assert r.due == date(2024, 10, 23) and r.timezone == "Asia/Shanghai"
            assert r.on_time(date(2024, 11, 1)) is on_time

    def test_rectification_deadline_counts_working_days(self, cal: WorkingDayCalendar) -> None:
        """A bad review on 30 September 2026: 5 working days are 8, 9, 10 (Sat), 12, 13 Oct."""
        (r,) = rectifications([evaluation("D", 1), evaluation("A", 5)], cal, working_days=5)
        assert r.due == date(2026, 10, 13)
        assert r.on_time(date(2026, 10, 12)) is None
        assert r.on_time(date(2026, 10, 14)) is False
        done = rectifications(
            [evaluation("D", 1)],
            cal,
            working_days=5,
            done={"D": datetime(2026, 10, 12, 10, tzinfo=SH)},
        )
        assert done[0].on_time(date(2026, 10, 30)) is True

    @given(st.lists(st.integers(1, 5), min_size=1, max_size=60))
    def test_good_rate_is_share_of_levels_3_to_5(self, levels: list[int]) -> None:
        ind = evaluation_indicators([evaluation(str(k), lv) for k, lv in enumerate(levels)])["W1"]
        good = sum(1 for lv in levels if lv >= 3)
        assert ind.good_rate == (Decimal(good) / len(levels)).quantize(Decimal("0.0001"))
        assert ind.bad == len(levels) - good and sum(ind.by_level) == len(levels)


def test_period_evaluations_are_made_once_when_read() -> None:
    """``collect_period`` defers its evaluations; read, they are the tuple they stand for."""
    from govservice.assessment.records import _Deferred

    made: list[int] = []

    def make() -> list[int]:
        made.append(1)
        return [3, 1, 2]

    deferred = _Deferred(make)
    assert made == []
    assert deferred == (3, 1, 2) and deferred == _Deferred(lambda: (3, 1, 2))
    assert deferred != [3, 1, 2]
    assert len(deferred) == 3 and deferred[0] == 3 and deferred[1:] == (1, 2)
    assert list(deferred) == [3, 1, 2] and hash(deferred) == hash((3, 1, 2))
    assert made == [1]
