"""The batch clock: every field equal to the scalar clock's, for many cases at once.

The worked examples are those of ``test_clock.py`` (counted by hand on the 2026
notice), read in batch; the property reads random valid histories of every
kind of matter in the clock catalogue at random instants, both from folded
cases and from event columns, and compares every row with ``Clock.reading``.
"""

from __future__ import annotations

import contextlib
import sys
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clock_cases import APPLICANT, ev, sub
from govservice.cases import (
    EVENT_CODES,
    EVENT_TYPES,
    NOT_SUBMITTED,
    STATE_CODES,
    Alert,
    BatchReading,
    Case,
    CaseFacts,
    CaseState,
    Clock,
    EventError,
    Reading,
    event_amount,
    event_from_dict,
    event_to_dict,
    read_batch,
)
from govservice.cases.events import Event
from govservice.exceptions import CalendarDataMissing

MATTERS = ["MR-001", "MR-002", "MR-003", "GOV-OGI", "XF-001", "FY-001", "ZR-001"]


def instant(at: str) -> str:
    return at if "T" in at else at + "T12:00:00+08:00"


# ---- helpers ----------------------------------------------------------------


def event_columns(cases: list[Case], tz: tzinfo) -> dict[str, Any]:
    """The events of *cases* as the columns a store feeds ``from_event_columns``."""
    rows, types, ons, ats, amounts = [], [], [], [], []
    for i, c in enumerate(cases):
        for e in c.events:
            rows.append(i)
            types.append(EVENT_CODES[e.type])
            ons.append(e.at.astimezone(tz).date())
            ats.append(e.at.astimezone(UTC).replace(tzinfo=None))
            amounts.append(event_amount(event_to_dict(e)))
    return {
        "case": [c.id for c in cases],
        "matter": [c.matter for c in cases],
        "event_row": np.array(rows, dtype=np.int64),
        "event_type": np.array(types, dtype=np.int8),
        "event_on": np.array(ons, dtype="datetime64[D]"),
        "event_at": np.array(ats, dtype="datetime64[us]"),
        "event_amount": np.array(amounts, dtype=np.int64),
    }


def both_facts(clock: Clock, cases: list[Case]) -> tuple[CaseFacts, CaseFacts]:
    tz = clock.calendar.timezone
    return CaseFacts.from_cases(cases, tz), CaseFacts.from_event_columns(**event_columns(cases, tz))


def same_array(a: np.ndarray, b: np.ndarray) -> bool:
    if a.dtype.kind == "M":
        return a.dtype == b.dtype and np.array_equal(a.view(np.int64), b.view(np.int64))
    return np.array_equal(a, b)


def assert_same_facts(x: CaseFacts, y: CaseFacts) -> None:
    for field in attrs.fields(CaseFacts):
        a, b = getattr(x, field.name), getattr(y, field.name)
        if field.name == "matter":
            a = np.array(x.matter_codes, dtype=object)[a]
            b = np.array(y.matter_codes, dtype=object)[b]
        if field.name == "matter_codes":
            continue
        assert same_array(np.asarray(a), np.asarray(b)), field.name


def assert_same_readings(x: BatchReading, y: BatchReading) -> None:
    for field in attrs.fields(BatchReading):
        if field.name in ("at", "timezone", "matter", "matter_codes", "case"):
            continue
        a, b = getattr(x, field.name), getattr(y, field.name)
        if isinstance(a, np.ma.MaskedArray):
            assert np.array_equal(np.ma.getmaskarray(a), np.ma.getmaskarray(b)), field.name
            a, b = a.filled(0), b.filled(0)
        assert same_array(a, b), field.name


def assert_not_submitted(batch: BatchReading, i: int) -> None:
    """Row *i*, of a case not yet submitted: empty dates, zero counts, no alert, codes of None."""
    for field in attrs.fields(BatchReading):
        x = getattr(batch, field.name)
        if field.name in ("case", "matter", "state") or not isinstance(x, np.ndarray):
            continue
        if isinstance(x, np.ma.MaskedArray):
            assert np.ma.getmaskarray(x)[i], field.name
        elif x.dtype.kind == "M":
            assert np.isnat(x[i]), field.name
        elif x.dtype == np.int8 and field.name != "alert":
            assert x[i] == -1, field.name
        else:
            assert not x[i], field.name


def scalar(clock: Clock, case: Case, at: datetime | str) -> Reading | Exception:
    try:
        return clock.reading(case, at)
    except (EventError, CalendarDataMissing) as e:
        return e


def check(clock: Clock, cases: list[Case], at: datetime | str) -> BatchReading | None:
    """Read *cases* in batch both ways; every row must equal the scalar reading."""
    facts, folded = both_facts(clock, cases)
    assert_same_facts(facts, folded)
    expected = [scalar(clock, c, at) for c in cases]
    if any(isinstance(r, CalendarDataMissing) for r in expected):
        for f in (facts, folded):
            with pytest.raises(CalendarDataMissing):
                read_batch(clock, f, at)
        return None
    batch = read_batch(clock, facts, at)
    assert_same_readings(batch, read_batch(clock, folded, at))
    assert len(batch) == len(cases)
    for i, want in enumerate(expected):
        if isinstance(want, EventError):
            assert batch.state[i] == NOT_SUBMITTED and not batch.exists[i]
            assert_not_submitted(batch, i)
            with pytest.raises(EventError, match="did not exist yet"):
                batch.row(i)
            continue
        assert isinstance(want, Reading)
        assert batch.row(i) == want
        assert batch.state[i] == STATE_CODES[want.state]
        assert batch.alert[i] == want.alert.code
        assert bool(batch.open[i]) is want.state.open
    return batch


def read1(clock: Clock, events: list[Event], at: str) -> tuple[BatchReading, Reading]:
    case = clock.case(events)
    batch = check(clock, [case], instant(at))
    assert batch is not None
    return batch, batch.row(0)


# ---- worked examples (test_clock.py) -----------------------------------------


class TestWorkedExamples:
    """The hand-counted examples of the scalar clock, read in batch."""

    def test_across_national_day(self, clock: Clock) -> None:
        b, r = read1(clock, [sub("2026-09-24"), ev("accepted", "2026-09-24")], "2026-09-25")
        assert b.statutory_deadline[0] == np.datetime64("2026-10-29")
        assert b.promised_deadline[0] == np.datetime64("2026-10-13")
        assert r.working_days_used == 0 and r.state is CaseState.IN_PROGRESS

    def test_decided_late_against_promise(self, clock: Clock) -> None:
        events = [
            sub("2026-09-24"),
            ev("accepted", "2026-09-24"),
            ev("decided", "2026-10-14", outcome="approved"),
        ]
        b, r = read1(clock, events, "2026-11-30")
        assert (b.on_time_promised[0], b.on_time_statutory[0]) == (0, 1)
        assert b.alert[0] == Alert.RED.code and r.remaining_working_days is None
        assert np.ma.is_masked(b.remaining_working_days[0])

    def test_utc_evening_counts_on_shanghai_date(self, clock: Clock) -> None:
        s = ev("submitted", "2026-09-30T18:30:00+00:00", matter="MR-001", applicant=APPLICANT)
        a = ev("accepted", "2026-09-30T18:40:00+00:00")
        _, r = read1(clock, [s, a], "2026-10-08T09:00:00+08:00")
        assert r.submitted_on == date(2026, 10, 1) and r.statutory_deadline == date(2026, 11, 3)

    def test_calendar_days_ending_on_holiday(self, clock: Clock) -> None:
        _, r = read1(
            clock, [sub("2026-08-03", "XF-001"), ev("accepted", "2026-08-03")], "2026-08-04"
        )
        assert r.statutory_deadline == date(2026, 10, 8)

    def test_working_hours(self, clock: Clock) -> None:
        events = [
            sub("2026-06-01T11:30:00+08:00", "MR-002"),
            ev("accepted", "2026-06-01T11:30:00+08:00"),
        ]
        b, r = read1(clock, events, "2026-06-01T14:00:00+08:00")
        assert r.promised_deadline_at == datetime.fromisoformat("2026-06-01T15:00:00+08:00")
        assert b.promised_deadline_at[0] == np.datetime64("2026-06-01T07:00:00", "us")
        assert r.alert is Alert.YELLOW
        _, late = read1(clock, events, "2026-06-01T15:30:00+08:00")
        assert late.alert is Alert.RED

    def test_suspension(self, clock: Clock) -> None:
        events = [
            sub("2026-09-24"),
            ev("accepted", "2026-09-24"),
            ev("suspended", "2026-10-09", reason="expert_review"),
            ev("resumed", "2026-10-14"),
            ev("decided", "2026-10-20", outcome="approved"),
        ]
        b, r = read1(clock, events, "2026-10-21")
        assert b.paused_working_days[0] == 4 and b.working_days_used[0] == 9
        assert r.statutory_deadline == date(2026, 11, 4)
        assert r.promised_deadline == date(2026, 10, 19)

    def test_deadline_moves_while_suspended(self, clock: Clock) -> None:
        events = [
            sub("2026-09-24"),
            ev("accepted", "2026-09-24"),
            ev("suspended", "2026-10-09", reason="testing"),
        ]
        _, first = read1(clock, events, "2026-10-12")
        _, later = read1(clock, events, "2026-10-13")
        assert first.state is CaseState.SUSPENDED
        assert (first.paused_working_days, later.paused_working_days) == (2, 3)

    def test_extension(self, clock: Clock) -> None:
        events = [
            sub("2026-09-24"),
            ev("accepted", "2026-09-24"),
            ev("extended", "2026-10-20", working_days=10, approved_by="局长"),
        ]
        _, r = read1(clock, events, "2026-10-21")
        assert r.extended_by == 10 and r.statutory_deadline == date(2026, 11, 12)
        # read before the extension was granted: it does not count yet
        _, before = read1(clock, events, "2026-10-19")
        assert before.extended_by == 0 and before.statutory_deadline == date(2026, 10, 29)

    def test_late_correction_notice_deems_acceptance(self, clock: Clock) -> None:
        events = [
            sub("2026-09-28"),
            ev("correction_requested", "2026-10-12", items=["营业执照"]),
            ev("correction_received", "2026-10-15"),
            ev("accepted", "2026-10-15"),
        ]
        b, r = read1(clock, events, "2026-10-16")
        assert b.deemed_accepted[0] and r.accepted_on == date(2026, 9, 28)
        assert r.statutory_deadline == date(2026, 10, 30)

    def test_silence_past_five_days(self, clock: Clock) -> None:
        events = [sub("2026-09-28")]
        b, _ = read1(clock, events, "2026-10-10")
        assert not b.deemed_accepted[0]
        b, r = read1(clock, events, "2026-10-12")
        assert b.deemed_accepted[0] and r.state is CaseState.IN_PROGRESS
        assert r.working_days_used == 6

    def test_ogi_correction_restarts_the_clock(self, clock: Clock) -> None:
        events = [
            sub("2026-06-01", "GOV-OGI"),
            ev("correction_requested", "2026-06-03", items=["x"]),
            ev("correction_received", "2026-06-10"),
        ]
        _, r = read1(clock, events, "2026-06-11")
        assert r.counting_from == date(2026, 6, 10)
        _, waiting = read1(clock, events, "2026-06-05")
        assert waiting.counting_from is None and waiting.state is CaseState.AWAITING_CORRECTION

    def test_ogi_version_in_force_on_receipt(self, clock: Clock) -> None:
        """The 2007 text (before 15 May 2019) does not restart the clock on a correction."""
        old = clock.case(
            [
                sub("2019-05-14", "GOV-OGI", "OLD"),
                ev("correction_requested", "2019-05-15", "OLD", items=["x"]),
                ev("correction_received", "2019-05-20", "OLD"),
            ]
        )
        new = clock.case(
            [
                sub("2019-05-15", "GOV-OGI", "NEW"),
                ev("correction_requested", "2019-05-16", "NEW", items=["x"]),
                ev("correction_received", "2019-05-20", "NEW"),
            ]
        )
        assert (old.rule.limit.amount, new.rule.limit.amount) == (15, 20)
        b = check(clock, [old, new], "2019-05-21T12:00:00+08:00")
        assert b is not None
        assert b.counting_from.tolist() == [date(2019, 5, 14), date(2019, 5, 20)]

    @pytest.mark.parametrize(
        ("day", "alert"),
        [
            ("2026-10-09", Alert.NONE),
            ("2026-10-12", Alert.REMINDER),
            ("2026-10-13", Alert.YELLOW),
            ("2026-10-14", Alert.RED),
        ],
    )
    def test_alert_thresholds(self, clock: Clock, day: str, alert: Alert) -> None:
        b, _ = read1(clock, [sub("2026-09-24"), ev("accepted", "2026-09-24")], day)
        assert b.alert[0] == alert.code

    def test_hall_saturday_counts_for_the_promise_only(self, county_clock: Clock) -> None:
        b, r = read1(county_clock, [sub("2026-02-27"), ev("accepted", "2026-02-27")], "2026-03-06")
        assert r.promised_deadline == date(2026, 3, 9) and r.statutory_deadline == date(2026, 3, 26)
        # on Fri 6 March two working days of the promise remain: the hall Saturday and Monday
        assert r.remaining_working_days == 2 and b.remaining_working_days[0] == 2


class TestSeveralClocks:
    """The worked examples of ``test_clock_law.py`` (each counted by hand), read in batch."""

    def renewal(self, at: str, expires_on: str, matter: str = "MR-003") -> Event:
        return ev(
            "submitted",
            at,
            matter=matter,
            applicant=APPLICANT,
            renewal_of={"licence": "JY1", "expires_on": expires_on},
        )

    @pytest.mark.parametrize(
        ("events", "at"),
        [
            # Art. 44: decided 13 March 2024, delivery by 27 March; delivered late, undelivered
            (
                lambda: [
                    sub("2024-03-01"),
                    ev("accepted", "2024-03-01"),
                    ev("decided", "2024-03-13", outcome="approved"),
                ],
                ["2024-03-25", "2024-03-26", "2024-03-27", "2024-03-28"],
            ),
            (
                lambda: [
                    sub("2024-03-01"),
                    ev("accepted", "2024-03-01"),
                    ev("decided", "2024-03-13", outcome="approved"),
                    ev("delivered", "2024-03-28"),
                ],
                ["2024-05-01"],
            ),
            # Art. 47: a hearing requested, held in time or late
            (
                lambda: [
                    sub("2026-09-24"),
                    ev("accepted", "2026-09-24"),
                    ev("hearing_requested", "2026-09-28"),
                    ev("hearing_held", "2026-10-09"),
                ],
                ["2026-10-08", "2026-10-12"],
            ),
            (
                lambda: [
                    sub("2026-09-24"),
                    ev("accepted", "2026-09-24"),
                    ev("hearing_requested", "2026-09-28"),
                    ev("hearing_held", "2026-11-02"),
                ],
                ["2026-10-29", "2026-11-03"],
            ),
            # Art. 32: a late correction notice, then a decision; silence after corrections
            (
                lambda: [
                    sub("2026-09-28"),
                    ev("correction_requested", "2026-10-12", items=["营业执照"]),
                    ev("decided", "2026-10-20", outcome="approved"),
                ],
                ["2026-10-11", "2026-10-21"],
            ),
            (
                lambda: [
                    sub("2026-09-28"),
                    ev("correction_requested", "2026-09-29", items=["营业执照"]),
                    ev("correction_received", "2026-10-08"),
                ],
                ["2026-10-14", "2026-10-15"],
            ),
            # 行政复议法: before 2024 from receipt, with corrections and appraisal
            (
                lambda: [sub("2023-03-01", "FY-001"), ev("accepted", "2023-03-06")],
                ["2023-03-07"],
            ),
            (
                lambda: [
                    sub("2023-03-01", "FY-001"),
                    ev("correction_requested", "2023-03-03", items=["申请书"]),
                    ev("correction_received", "2023-03-13"),
                    ev("accepted", "2023-03-13"),
                    ev("suspended", "2023-03-14", reason="appraisal"),
                    ev("resumed", "2023-03-20"),
                ],
                ["2023-03-10", "2023-03-14", "2023-03-21"],
            ),
            # from 2024: deemed when the review ends; simplified and back
            (lambda: [sub("2024-03-01", "FY-001")], ["2024-03-08", "2024-03-11"]),
            (
                lambda: [
                    sub("2024-03-01", "FY-001"),
                    ev("correction_requested", "2024-03-04", items=["申请书"]),
                    ev("correction_received", "2024-03-11"),
                ],
                ["2024-03-19"],
            ),
            (
                lambda: [
                    sub("2024-03-01", "FY-001"),
                    ev("accepted", "2024-03-05"),
                    ev("procedure_changed", "2024-03-06", to="simplified", approved_by="负责人"),
                    ev("procedure_changed", "2024-03-20", to="ordinary", approved_by="负责人"),
                    ev("extended", "2024-04-10", working_days=30, approved_by="负责人"),
                ],
                ["2024-03-07", "2024-03-21", "2024-04-11"],
            ),
            # 信访: the version by the day of acceptance
            (
                lambda: [sub("2022-04-25", "XF-001"), ev("accepted", "2022-05-05")],
                ["2022-05-01", "2022-05-06"],
            ),
        ],
    )
    def test_batch_equals_scalar(self, clock: Clock, events, at: list[str]) -> None:
        case = clock.case(events())
        for day in at:
            check(clock, [case], instant(day))

    def test_renewals(self, clock: Clock) -> None:
        """Art. 50: deemed renewal past the expiry; a late application; an expired licence."""
        cases = [
            clock.case(
                [
                    self.renewal("2026-10-15", "2026-11-30"),
                    ev("accepted", "2026-10-15"),
                    ev("suspended", "2026-10-20", reason="testing"),
                    ev("resumed", "2026-11-10"),
                ]
            ),
            clock.case([self.renewal("2026-11-02", "2026-11-30")]),
        ]
        cases[1] = attrs.evolve(cases[1], id="C2")
        for day in ("2026-11-30", "2026-12-01"):
            b = check(clock, cases, instant(day))
            assert b is not None
        assert b.deemed_renewed.tolist() == [1, 1] and b.late_renewal_application.tolist() == [0, 1]


# ---- the batch as a whole ---------------------------------------------------


class TestBatch:
    """Many cases in one call; instants before submission; errors as in the scalar clock."""

    def test_many_cases_and_not_yet_submitted(self, clock: Clock) -> None:
        cases = [
            clock.case([sub("2026-09-24", case="A"), ev("accepted", "2026-09-24", "A")]),
            clock.case([sub("2026-06-01", "GOV-OGI", "B")]),
            clock.case([sub("2026-10-20", case="LATER")]),
        ]
        b = check(clock, cases, "2026-10-09T12:00:00+08:00")
        assert b is not None
        assert b.exists.tolist() == [True, True, False]
        assert b.state[2] == NOT_SUBMITTED and np.isnat(b.submitted_on[2])
        assert b.open.tolist() == [True, True, False]

    def test_state_after_last_event(self, clock: Clock) -> None:
        cases = [
            clock.case([sub("2026-09-24", case="A"), ev("accepted", "2026-09-24", "A")]),
            clock.case(
                [
                    sub("2026-09-24", case="B"),
                    ev("accepted", "2026-09-24", "B"),
                    ev("suspended", "2026-10-09", "B", reason="testing"),
                    ev("withdrawn", "2026-10-12", "B"),
                ]
            ),
        ]
        for facts in both_facts(clock, cases):
            assert facts.state.tolist() == [STATE_CODES[c.state] for c in cases]
            # the withdrawal ends the suspension
            assert facts.suspension_end_on.tolist() == [date(2026, 10, 12)]

    def test_matter_codes_given(self, clock: Clock) -> None:
        case = clock.case([sub("2026-09-24"), ev("accepted", "2026-09-24")])
        cols = event_columns([case], clock.calendar.timezone)
        cols["matter"] = np.array([1])
        facts = CaseFacts.from_event_columns(**cols, matter_codes=["XF-001", "MR-001"])
        at = "2026-09-30T12:00:00+08:00"
        assert read_batch(clock, facts, at).row(0) == clock.reading(case, at)

    def test_calendar_year_missing_raises_as_in_scalar(self, clock: Clock) -> None:
        """A deadline in 2027, after the official data: CalendarDataMissing, not an estimate."""
        case = clock.case([sub("2026-12-15"), ev("accepted", "2026-12-15")])
        at = "2026-12-16T12:00:00+08:00"
        with pytest.raises(CalendarDataMissing) as scalar_error:
            clock.reading(case, at)
        ok = clock.case([sub("2026-09-24", case="OK"), ev("accepted", "2026-09-24", "OK")])
        for facts in both_facts(clock, [ok, case]):
            with pytest.raises(CalendarDataMissing) as batch_error:
                read_batch(clock, facts, at)
            assert batch_error.value.year == scalar_error.value.year == 2027

    def test_provisional_calendar_answers(self, clock: Clock) -> None:
        from govservice.calendars import china

        provisional = Clock(clock.catalogue, china(provisional=True))
        case = provisional.case([sub("2026-12-15"), ev("accepted", "2026-12-15")])
        b = check(provisional, [case], "2026-12-16T12:00:00+08:00")
        assert b is not None
        assert provisional.calendar.is_provisional(b.statutory_deadline).all()

    def test_unknown_matter(self, clock: Clock) -> None:
        case = clock.case([sub("2026-09-24")])
        facts = attrs.evolve(CaseFacts.from_cases([case], "Asia/Shanghai"), matter_codes=("NOPE",))
        with pytest.raises(EventError, match="unknown matter 'NOPE'"):
            read_batch(clock, facts, "2026-09-30T12:00:00+08:00")

    def test_no_rule_version_in_force(self, clock: Clock) -> None:
        """ogi.reply starts 2008-05-01: a request received before has no rule."""
        case = clock.case([sub("2019-05-15", "GOV-OGI")])
        facts = CaseFacts.from_cases([case], "Asia/Shanghai")
        facts = attrs.evolve(facts, submitted_on=np.array(["2008-04-30"], dtype="datetime64[D]"))
        with pytest.raises(EventError, match=r"no time-limit rule.*ogi\.reply"):
            read_batch(clock, facts, "2019-05-16T12:00:00+08:00")

    def test_naive_instant_refused(self, clock: Clock) -> None:
        from govservice.exceptions import CalendarError

        facts = CaseFacts.from_cases([clock.case([sub("2026-09-24")])], "Asia/Shanghai")
        with pytest.raises(CalendarError, match="naive"):
            read_batch(clock, facts, datetime(2026, 9, 30, 12))

    def test_no_cases(self, clock: Clock) -> None:
        for facts in both_facts(clock, []):
            b = read_batch(clock, facts, "2026-09-30T12:00:00+08:00")
            assert len(b) == 0 and b.alert.dtype == np.int8

    def test_missing_submission(self, clock: Clock) -> None:
        case = clock.case([sub("2026-09-24"), ev("accepted", "2026-09-24")])
        cols = event_columns([case], clock.calendar.timezone)
        for k in ("event_row", "event_type", "event_on", "event_at", "event_amount"):
            cols[k] = cols[k][1:]
        with pytest.raises(EventError, match="'submitted'"):
            CaseFacts.from_event_columns(**cols)

    def test_columns_of_unequal_length(self, clock: Clock) -> None:
        facts = CaseFacts.from_cases([clock.case([sub("2026-09-24")])], "Asia/Shanghai")
        with pytest.raises(ValueError, match="differ in length"):
            attrs.evolve(facts, accepted_on=np.array([], dtype="datetime64[D]"))

    def test_event_codes_follow_event_types(self) -> None:
        assert list(EVENT_CODES) == list(EVENT_TYPES)
        assert list(EVENT_CODES.values()) == list(range(len(EVENT_TYPES)))

    def test_to_pandas_without_pandas(self, clock: Clock, monkeypatch: pytest.MonkeyPatch) -> None:
        facts = CaseFacts.from_cases([clock.case([sub("2026-09-24")])], "Asia/Shanghai")
        b = read_batch(clock, facts, "2026-09-30T12:00:00+08:00")
        monkeypatch.setitem(sys.modules, "pandas", None)
        with pytest.raises(ImportError, match=r"pip install 'govservice\[pandas\]'"):
            b.to_pandas()

    def test_to_pandas(self, clock: Clock) -> None:
        pytest.importorskip("pandas")
        cases = [
            clock.case([sub("2026-09-24", case="A"), ev("accepted", "2026-09-24", "A")]),
            clock.case([sub("2026-10-20", case="LATER")]),
        ]
        b = read_batch(clock, CaseFacts.from_cases(cases, "Asia/Shanghai"), "2026-10-12T12:00Z")
        df = b.to_pandas()
        assert df["state"].tolist()[0] == "in_progress" and df["state"].isna().tolist()[1]
        assert df["alert"].tolist() == ["reminder", "none"]
        assert df["remaining_working_days"].isna().tolist() == [False, True]
        assert str(df["promised_deadline_at"].dt.tz) == "UTC"


# ---- the property: batch == scalar ------------------------------------------

# weighted so that most histories get accepted and decided, some suspended or extended
STEPS = [
    *["accepted"] * 6,
    *["correction_requested", "correction_received"] * 2,
    *["suspended", "resumed"] * 2,
    "extended",
    *["decided"] * 3,
    "delivered",
    "withdrawn",
    "evaluated",
    "rejected",
    *["hearing_requested", "hearing_held"] * 2,
    *["procedure_changed"] * 2,
]
REASONS = [
    "expert_review",
    "third_party_consultation",
    "other_agency_consultation",
    "testing",
    "appraisal",
    "superior_review",
]
ORIGINS = [
    datetime(2026, 1, 5, 9, tzinfo=UTC),  # a year of official data ahead
    datetime(2019, 4, 25, 1, tzinfo=UTC),  # around the OGI revision of 2019-05-15
    datetime(2026, 11, 2, 1, tzinfo=UTC),  # deadlines running into 2027: no data
    datetime(2023, 12, 20, 1, tzinfo=UTC),  # around the 行政复议法 revision of 2024-01-01
    datetime(2022, 4, 20, 1, tzinfo=UTC),  # around the 信访工作条例 of 2022-05-01
]


def extra(kind: str, draw: Any) -> dict[str, Any]:
    return {
        "correction_requested": {"items": ["材料"]},
        "suspended": {"reason": draw(st.sampled_from(REASONS))},
        "extended": {"working_days": draw(st.integers(1, 12)), "approved_by": "局长"},
        "decided": {"outcome": draw(st.sampled_from(["approved", "denied"]))},
        "evaluated": {"level": draw(st.integers(1, 5))},
        "rejected": {"reason": "材料不符"},
        "procedure_changed": {
            "to": draw(st.sampled_from(["simplified", "ordinary"])),
            "approved_by": "负责人",
        },
    }.get(kind, {})


def gap(draw: Any) -> timedelta:
    """Minutes to a few hours (working-hours limits), up to ten days, or a long wait."""
    minutes = st.one_of(
        st.integers(0, 240), st.integers(0, 60 * 24 * 10), st.integers(0, 60 * 24 * 40)
    )
    return timedelta(minutes=draw(minutes))


def starts(draw: Any) -> datetime:
    """When a history (or a batch of them) starts: a random time after one of the origins."""
    origin = draw(st.sampled_from(ORIGINS))
    span = 60 * 24 * (200 if origin == ORIGINS[0] else 40)
    return origin + timedelta(minutes=draw(st.integers(0, span)))


@st.composite
def histories(draw: Any, clock: Clock, case_id: str, start: datetime | None = None) -> Case:
    """A valid history of any matter of the clock catalogue: random steps, refused ones skipped.

    It starts within three days of *start* (drawn if not given).
    """
    if start is None:
        start = starts(draw)
    t = start + timedelta(minutes=draw(st.integers(0, 60 * 24 * 3)))
    submitted = {
        "case": case_id,
        "type": "submitted",
        "at": t.isoformat(),
        "matter": draw(st.sampled_from(MATTERS)),
        "applicant": APPLICANT,
    }
    if draw(st.integers(0, 3)) == 0:  # a renewal, where the matter can be renewed
        expires = t.date() + timedelta(days=draw(st.integers(0, 80)))
        submitted["renewal_of"] = {"licence": "许可证", "expires_on": expires.isoformat()}
    try:
        case = clock.case([event_from_dict(submitted)])
    except EventError:
        del submitted["renewal_of"]
        case = clock.case([event_from_dict(submitted)])
    for _ in range(draw(st.integers(0, 10))):
        kind = draw(st.sampled_from(STEPS))
        t += gap(draw)
        if t.year > 2026:
            break
        event = {"case": case_id, "type": kind, "at": t.isoformat(), **extra(kind, draw)}
        with contextlib.suppress(EventError, CalendarDataMissing):
            case = clock.append(case, event_from_dict(event))
    return case


@st.composite
def instants(draw: Any, cases: list[Case]) -> datetime:
    """An event's own instant (give or take a second or a minute), or any time around them."""
    case = draw(st.sampled_from(cases))
    if draw(st.booleans()):
        e = draw(st.sampled_from(case.events))
        delta = draw(st.sampled_from([0, -1, 1, -60, 60]))
        return e.at + timedelta(seconds=delta)
    lo = case.events[0].at - timedelta(hours=6)
    minutes = int((case.last_at - lo).total_seconds() // 60) + 60 * 24 * 40
    return lo + timedelta(minutes=draw(st.integers(0, minutes)))


@settings(max_examples=400, deadline=None)
@given(data=st.data())
def test_batch_equals_scalar(clock: Clock, data: st.DataObject) -> None:
    """Every field of every row equals ``Clock.reading``, from cases and from event columns."""
    count = data.draw(st.integers(1, 4))
    start = starts(data.draw)
    cases = [data.draw(histories(clock, f"P{i}", start)) for i in range(count)]
    for _ in range(3):
        check(clock, cases, data.draw(instants(cases)))


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_batch_equals_scalar_with_local_days(county_clock: Clock, data: st.DataObject) -> None:
    """On a county's calendar (hall days for promises, a lawful rest day) as on the national one."""
    count = data.draw(st.integers(1, 4))
    start = starts(data.draw)
    cases = [data.draw(histories(county_clock, f"P{i}", start)) for i in range(count)]
    for _ in range(3):
        check(county_clock, cases, data.draw(instants(cases)))


@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_every_event_boundary(clock: Clock, data: st.DataObject) -> None:
    """Read one history just before, at and just after each of its events."""
    case = data.draw(histories(clock, "P"))
    for e in case.events:
        for delta in (-1, 0, 1):
            check(clock, [case], e.at + timedelta(microseconds=delta))


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_facts_read_again(clock: Clock, data: st.DataObject) -> None:
    """Facts read at several instants (their rule versions kept) answer as facts read afresh.

    Among them 信访 (信访工作条例), whose version goes by the day of acceptance.
    """
    count = data.draw(st.integers(1, 4))
    start = starts(data.draw)
    cases = [data.draw(histories(clock, f"P{i}", start)) for i in range(count)]
    tz = clock.calendar.timezone
    facts = CaseFacts.from_cases(cases, tz)
    for _ in range(4):
        at = data.draw(instants(cases))
        try:
            fresh = read_batch(clock, CaseFacts.from_cases(cases, tz), at)
        except (EventError, CalendarDataMissing) as e:
            with pytest.raises(type(e)):
                read_batch(clock, facts, at)
            continue
        assert_same_readings(read_batch(clock, facts, at), fresh)


def test_version_by_acceptance_read_again(clock: Clock) -> None:
    """A rule whose version goes by acceptance: the same facts read before and after it.

    Received under the old version (10 working days), accepted under the new
    one (20): read before the acceptance, after it, and before it again, the
    facts (whose versions by receipt are kept) answer as the scalar clock.
    """
    from govservice.model import (
        BUILTIN_RULES,
        Catalogue,
        LimitUnit,
        Matter,
        RuleBook,
        TimeLimit,
        Unit,
    )

    petition = BUILTIN_RULES.latest("petition.decision")
    versions = [
        attrs.evolve(
            petition,
            id="county.petition",
            limit=TimeLimit(days, LimitUnit.WORKING_DAYS),
            valid_from=start,
            valid_until=until,
        )
        for days, start, until in (
            (10, date(2020, 1, 1), date(2026, 4, 30)),
            (20, date(2026, 5, 1), None),
        )
    ]
    matter = Matter(
        "XF-009", "信访事项", "XF", "petition", "promised",
        statutory=TimeLimit(20, rule="county.petition"),
    )  # fmt: skip
    catalogue = Catalogue(
        units=[Unit("XF", "信访局")],
        windows=[],
        staff=[],
        matters=[matter],
        bundles=[],
        rules=RuleBook([*BUILTIN_RULES, *versions]),
    )
    c = Clock(catalogue, clock.calendar)
    case = c.case([sub("2026-04-27", "XF-009"), ev("accepted", "2026-05-06")])
    facts = CaseFacts.from_cases([case], c.calendar.timezone)
    deadlines = []
    for at in ("2026-04-28", "2026-05-07", "2026-04-29", "2026-05-08"):
        reading = read_batch(c, facts, instant(at))
        assert reading.row(0) == c.reading(case, instant(at))
        deadlines.append(reading.statutory_deadline[0])
    assert deadlines[1] != deadlines[0]  # the new version's 20 working days
