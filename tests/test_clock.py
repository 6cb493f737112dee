"""The statutory clock: deadlines, pauses, extensions, deemed acceptance, alerts.

Every expected date below is counted by hand on the 2026 notice
(国办发明电〔2025〕7号): Mid-Autumn Friday 25 September off, National Day 1–7
October off, Sunday 20 September and Saturday 10 October worked.  From Thursday
24 September the working days run 28, 29, 30 Sep, 8, 9, 10 (Sat), 12, 13, 14 …
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clock_cases import APPLICANT, ev, sub
from govservice.calendars import china
from govservice.cases import Alert, CaseState, Clock, EventError, Reading
from govservice.cases.events import Event
from govservice.testing.strategies import case_histories


def read(clock: Clock, events: list[Event], at: str) -> Reading:
    return clock.reading(clock.case(events), at if "T" in at else at + "T12:00:00+08:00")


class TestDeadlines:
    """行政许可法 Art. 42 (20 working days), Art. 82 (working days, start day not counted)."""

    def test_across_national_day_and_makeup_saturday(self, clock: Clock) -> None:
        r = read(clock, [sub("2026-09-24"), ev("accepted", "2026-09-24")], "2026-09-25")
        # 28, 29, 30 Sep; 8, 9, 10 (Sat, worked), 12 … 29 Oct: the 20th is 29 Oct
        assert r.statutory_deadline == date(2026, 10, 29)
        assert r.promised_deadline == date(2026, 10, 13)  # the 8th
        assert r.counting_from == date(2026, 9, 24)
        assert r.state is CaseState.IN_PROGRESS
        assert r.working_days_used == 0  # 25 September is Mid-Autumn

    def test_decided_on_time(self, clock: Clock) -> None:
        events = [
            sub("2026-09-24"),
            ev("accepted", "2026-09-24"),
            ev("decided", "2026-10-13", outcome="approved"),
            ev("delivered", "2026-10-14"),
        ]
        r = read(clock, events, "2026-11-30")
        assert r.on_time_promised is True and r.on_time_statutory is True
        assert r.working_days_used == 8 and r.alert is Alert.NONE and r.state is CaseState.DELIVERED

    def test_decided_late_against_promise(self, clock: Clock) -> None:
        events = [
            sub("2026-09-24"),
            ev("accepted", "2026-09-24"),
            ev("decided", "2026-10-14", outcome="approved"),
        ]
        r = read(clock, events, "2026-11-30")
        assert r.on_time_promised is False and r.on_time_statutory is True
        assert r.alert is Alert.RED

    def test_event_at_utc_evening_counts_on_shanghai_date(self, clock: Clock) -> None:
        """18:30 UTC on 30 September is 02:30 on 1 October in Shanghai."""
        s = ev("submitted", "2026-09-30T18:30:00+00:00", matter="MR-001", applicant=APPLICANT)
        a = ev("accepted", "2026-09-30T18:40:00+00:00")
        r = clock.reading(clock.case([s, a]), "2026-10-08T09:00:00+08:00")
        assert r.submitted_on == date(2026, 10, 1) and r.counting_from == date(2026, 10, 1)
        assert r.statutory_deadline == date(2026, 11, 3)  # 20th working day after 1 Oct

    def test_calendar_days_ending_on_holiday(self, clock: Clock) -> None:
        """信访工作条例: 60 days; a period ending on a day off ends on the next working day."""
        r = read(clock, [sub("2026-08-03", "XF-001"), ev("accepted", "2026-08-03")], "2026-08-04")
        assert r.statutory_deadline == date(2026, 10, 8)  # 3 Aug + 60 = 2 Oct, a holiday

    def test_working_hours_limit(self, clock: Clock) -> None:
        """An immediate matter promised in 2 working hours: the lunch break is not counted."""
        events = [
            sub("2026-06-01T11:30:00+08:00", "MR-002"),
            ev("accepted", "2026-06-01T11:30:00+08:00"),
        ]
        case = clock.case(events)
        r = clock.reading(case, "2026-06-01T14:00:00+08:00")
        assert r.promised_deadline_at == datetime.fromisoformat("2026-06-01T15:00:00+08:00")
        assert r.alert is Alert.YELLOW
        late = clock.reading(case, "2026-06-01T15:30:00+08:00")
        assert late.alert is Alert.RED


class TestLocalDays:
    """Statutory working days are national (LAW.md; 行政许可法 Art. 82): hall days count for
    the county's promises only when it says so; a lawful local rest day counts for every limit.
    """

    def test_hall_saturday_counts_for_the_promise_only(self, county_clock: Clock) -> None:
        """MR-001 (20 statutory, 8 promised) accepted Fri 27 Feb 2026.

        Promise: 28 Feb (worked Saturday), 2–6 March, Sat 7 March (a hall day counted for
        promises), Mon 9 March — the 8th.  Law: 28 Feb, 2–6, 9–13, 16–20, 23–26 March — the
        20th is Thu 26 March (the hall Saturdays 7 and 14 March are not working days of law).
        """
        events = [sub("2026-02-27"), ev("accepted", "2026-02-27")]
        r = read(county_clock, events, "2026-03-02")
        assert r.promised_deadline == date(2026, 3, 9)
        assert r.statutory_deadline == date(2026, 3, 26)
        national = Clock(county_clock.catalogue, china())
        assert read(national, events, "2026-03-02").promised_deadline == date(2026, 3, 10)
        assert read(national, events, "2026-03-02").statutory_deadline == date(2026, 3, 26)

    def test_lawful_rest_day_moves_the_statutory_deadline(self, county_clock: Clock) -> None:
        """Accepted Thu 26 March 2026 (Qingming 4–6 April off).

        Nationally: 27, 30, 31 March, 1–3, 7–10, 13–17, 20–24 April — the 20th is Fri 24
        April.  With the lawful local rest day on Wed 22 April: 20, 21, 23, 24, 27 April — Mon
        27 April.
        """
        events = [sub("2026-03-26"), ev("accepted", "2026-03-26")]
        r = read(county_clock, events, "2026-03-27")
        assert r.statutory_deadline == date(2026, 4, 27)


class TestSuspension:
    """Art. 45: hearing, testing, expert review … are not counted; DESIGN.md: s < w <= r."""

    def test_pause_moves_both_deadlines(self, clock: Clock) -> None:
        events = [
            sub("2026-09-24"),
            ev("accepted", "2026-09-24"),
            ev("suspended", "2026-10-09", reason="expert_review"),
            ev("resumed", "2026-10-14"),
            ev("decided", "2026-10-20", outcome="approved"),
        ]
        r = read(clock, events, "2026-10-21")
        # paused: 10 (Sat, worked), 12, 13, 14 Oct
        assert r.paused_working_days == 4
        assert r.statutory_deadline == date(2026, 11, 4)
        assert r.promised_deadline == date(2026, 10, 19)
        assert r.working_days_used == 13 - 4
        assert r.on_time_promised is False and r.on_time_statutory is True

    def test_deadline_moves_while_suspended(self, clock: Clock) -> None:
        events = [
            sub("2026-09-24"),
            ev("accepted", "2026-09-24"),
            ev("suspended", "2026-10-09", reason="testing"),
        ]
        case = clock.case(events)
        first = clock.reading(case, "2026-10-12T12:00:00+08:00")
        later = clock.reading(case, "2026-10-13T12:00:00+08:00")
        assert first.state is CaseState.SUSPENDED
        assert first.paused_working_days == 2 and later.paused_working_days == 3
        assert later.statutory_deadline == clock.calendar.add_working_days(
            first.statutory_deadline, 1
        )
        assert first.remaining_working_days == later.remaining_working_days

    def test_reason_that_does_not_pause_is_refused(self, clock: Clock) -> None:
        events = [
            sub("2026-09-24"),
            ev("accepted", "2026-09-24"),
            ev("suspended", "2026-10-09", reason="superior_review"),
        ]
        with pytest.raises(EventError, match=r"case 'C1'.*superior_review.*alicensing\.decision"):
            clock.case(events)


class TestExtension:
    """Art. 42: 20 days, extendable by 10 with the head's approval; not after the deadline."""

    def base(self) -> list[Event]:
        return [sub("2026-09-24"), ev("accepted", "2026-09-24")]

    def test_extension_within_maximum(self, clock: Clock) -> None:
        events = [*self.base(), ev("extended", "2026-10-20", working_days=10, approved_by="局长")]
        r = read(clock, events, "2026-10-21")
        assert r.extended_by == 10
        assert r.statutory_deadline == date(2026, 11, 12)  # 29 Oct + 10 working days
        assert r.promised_deadline == date(2026, 10, 13)  # the promise does not move

    def test_beyond_maximum_refused(self, clock: Clock) -> None:
        events = [
            *self.base(),
            ev("extended", "2026-10-20", working_days=6, approved_by="局长"),
            ev("extended", "2026-10-21", working_days=5, approved_by="局长"),
        ]
        with pytest.raises(EventError, match="beyond the maximum of 10"):
            clock.case(events)

    def test_after_deadline_refused(self, clock: Clock) -> None:
        events = [*self.base(), ev("extended", "2026-10-30", working_days=5, approved_by="局长")]
        with pytest.raises(EventError, match="has passed"):
            clock.case(events)

    def test_on_last_day_allowed(self, clock: Clock) -> None:
        events = [*self.base(), ev("extended", "2026-10-29", working_days=5, approved_by="局长")]
        assert clock.case(events).extended_by == 5


class TestDeemedAcceptance:
    """Art. 32: corrections notified later than 5 working days => accepted on arrival."""

    def test_late_correction_notice(self, clock: Clock) -> None:
        # submitted Mon 28 Sep; 5 working days: 29, 30 Sep, 8, 9, 10 Oct (Sat, worked)
        events = [
            sub("2026-09-28"),
            ev("correction_requested", "2026-10-12", items=["营业执照"]),
            ev("correction_received", "2026-10-15"),
            ev("accepted", "2026-10-15"),
        ]
        r = read(clock, events, "2026-10-16")
        assert r.deemed_accepted is True
        assert r.accepted_on == date(2026, 9, 28) and r.counting_from == date(2026, 9, 28)
        assert r.statutory_deadline == date(2026, 10, 30)

    def test_notice_on_the_fifth_day_is_in_time(self, clock: Clock) -> None:
        events = [
            sub("2026-09-28"),
            ev("correction_requested", "2026-10-10", items=["营业执照"]),
            ev("correction_received", "2026-10-15"),
            ev("accepted", "2026-10-15"),
        ]
        r = read(clock, events, "2026-10-16")
        assert r.deemed_accepted is False and r.counting_from == date(2026, 10, 15)

    def test_silence_past_five_days(self, clock: Clock) -> None:
        case = clock.case([sub("2026-09-28")])
        assert clock.reading(case, "2026-10-10T12:00:00+08:00").deemed_accepted is False
        r = clock.reading(case, "2026-10-12T12:00:00+08:00")
        assert r.deemed_accepted is True and r.state is CaseState.IN_PROGRESS
        assert r.working_days_used == 6


class TestOpenGovernmentInformation:
    """政府信息公开条例 (2019) Arts. 30, 32, 33; the 2007 text for older requests."""

    def test_reply_counts_from_receipt(self, clock: Clock) -> None:
        r = read(clock, [sub("2026-06-01", "GOV-OGI")], "2026-06-02")
        assert r.counting_from == date(2026, 6, 1)
        # 20 working days after 1 June 2026 (Dragon Boat: 19 June off)
        expected = clock.calendar.add_working_days(date(2026, 6, 1), 20)
        assert r.statutory_deadline == expected == date(2026, 6, 30)

    def test_correction_restarts_the_clock(self, clock: Clock) -> None:
        events = [
            sub("2026-06-01", "GOV-OGI"),
            ev("correction_requested", "2026-06-03", items=["x"]),
            ev("correction_received", "2026-06-10"),
        ]
        r = read(clock, events, "2026-06-11")
        assert r.counting_from == date(2026, 6, 10)

    def test_third_party_consultation_not_counted(self, clock: Clock) -> None:
        events = [
            sub("2026-06-01", "GOV-OGI"),
            ev("suspended", "2026-06-05", reason="third_party_consultation"),
            ev("resumed", "2026-06-12"),
        ]
        r = read(clock, events, "2026-06-15")
        assert r.paused_working_days == 5  # 8–12 June
        assert r.statutory_deadline == clock.calendar.add_working_days(date(2026, 6, 30), 5)

    def test_version_in_force_on_receipt(self, clock: Clock) -> None:
        """Old Art. 24 (2007): 15 + 15 working days, for requests received before 15 May 2019."""
        old = clock.case([sub("2019-05-14", "GOV-OGI")])
        new = clock.case([sub("2019-05-15", "GOV-OGI")])
        assert old.rule.limit.amount == 15 and old.rule.max_extension == 15
        assert new.rule.limit.amount == 20 and new.rule.max_extension == 20
        # received Tue 14 May 2019: 15 working days are 15–17, 20–24, 27–31 May, 3, 4 June
        at = "2019-05-16T12:00:00+08:00"
        assert clock.reading(old, at).statutory_deadline == date(2019, 6, 4)
        assert clock.reading(new, at).statutory_deadline == clock.calendar.add_working_days(
            date(2019, 5, 15), 20
        )


class TestAlerts:
    """Default policy: r >= 2 none, 1 reminder, 0 yellow, past red (promised 13 Oct)."""

    @pytest.mark.parametrize(
        ("day", "alert"),
        [
            ("2026-10-09", Alert.NONE),
            ("2026-10-11", Alert.NONE),
            ("2026-10-12", Alert.REMINDER),
            ("2026-10-13", Alert.YELLOW),
            ("2026-10-14", Alert.RED),
            ("2026-10-30", Alert.RED),
        ],
    )
    def test_thresholds(self, clock: Clock, day: str, alert: Alert) -> None:
        case = clock.case([sub("2026-09-24"), ev("accepted", "2026-09-24")])
        assert clock.reading(case, day + "T12:00:00+08:00").alert is alert

    def test_past_statutory_is_red_without_promise(self, clock: Clock) -> None:
        case = clock.case([sub("2026-06-01", "GOV-OGI")])
        assert clock.reading(case, "2026-06-29T12:00:00+08:00").alert is Alert.REMINDER
        assert clock.reading(case, "2026-07-01T12:00:00+08:00").alert is Alert.RED


class TestInvalidSequences:
    """Refused with the case and the event named; the case before stays as it was."""

    @pytest.mark.parametrize(
        ("events", "message"),
        [
            (
                lambda: [sub("2026-09-24"), ev("decided", "2026-09-25", outcome="approved")],
                "'decided' before the case is accepted",
            ),
            (
                lambda: [
                    sub("2026-09-24"),
                    ev("accepted", "2026-09-24"),
                    ev("resumed", "2026-09-25"),
                ],
                "'resumed' is not allowed when the case is in_progress",
            ),
            (
                lambda: [sub("2026-09-24"), ev("accepted", "2026-09-23")],
                "before the previous event",
            ),
            (lambda: [ev("accepted", "2026-09-24")], "starts with 'submitted'"),
            (lambda: [sub("2026-09-24", "NOPE")], "unknown matter 'NOPE'"),
            (
                lambda: [
                    sub("2026-09-24"),
                    ev("correction_requested", "2026-09-24", items=["a"]),
                    ev("correction_received", "2026-09-25"),
                    ev("correction_requested", "2026-09-25", items=["b"]),
                ],
                "all at once",
            ),
            (
                lambda: [
                    sub("2026-09-24"),
                    ev("evaluated", "2026-09-24", level=5),
                    ev("evaluated", "2026-09-25", level=4),
                ],
                "already evaluated",
            ),
            (
                lambda: [sub("2026-09-24"), ev("evaluated", "2026-09-24", level=6)],
                "level must be 1–5",
            ),
            (
                lambda: [
                    sub("2026-09-24"),
                    ev("accepted", "2026-09-24"),
                    ev("decided", "2026-09-25", outcome="maybe"),
                ],
                "field 'outcome' must be",
            ),
        ],
    )
    def test_refused(self, clock: Clock, events, message: str) -> None:
        with pytest.raises(EventError, match=message) as e:
            clock.case(events())
        assert e.value.case == "C1"
        # the fold's working copy, changed in place, is left as it was
        *earlier, last = events()
        case = clock.case(earlier) if earlier else None
        kept = None if case is None else attrs.asdict(case, recurse=False)
        with pytest.raises(EventError, match=message):
            clock._append_in_place(case, last)
        assert (None if case is None else attrs.asdict(case, recurse=False)) == kept

    def test_refused_append_changes_nothing(self, clock: Clock) -> None:
        case = clock.case([sub("2026-09-24"), ev("accepted", "2026-09-24")])
        before = clock.reading(case, "2026-10-01T12:00:00+08:00")
        with pytest.raises(EventError):
            clock.append(case, ev("resumed", "2026-09-25"))
        assert len(case.events) == 2
        assert clock.reading(case, "2026-10-01T12:00:00+08:00") == before


# ---- properties -------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_adding_an_event_never_changes_the_past(provisional: Clock, data: st.DataObject) -> None:
    clock = provisional
    case = data.draw(case_histories(clock))
    for k in range(1, len(case.events)):
        prefix = clock.case(case.events[:k])
        t = case.events[k].at - timedelta(seconds=1)
        if t < prefix.last_at:
            continue
        assert clock.reading(case, t) == clock.reading(prefix, t)


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_append_makes_a_new_case_and_folds_as_case_does(
    provisional: Clock, data: st.DataObject
) -> None:
    clock = provisional
    case = data.draw(case_histories(clock))
    folded = None
    for event in case.events:
        before = None if folded is None else attrs.asdict(folded, recurse=False)
        after = clock.append(folded, event)
        assert after is not folded
        assert (None if folded is None else attrs.asdict(folded, recurse=False)) == before
        folded = after
    assert folded == case  # Clock.case folds in place


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_the_folds_statutory_deadline_is_the_readings(
    provisional: Clock, data: st.DataObject
) -> None:
    """The fold checks suspensions, extensions and changes of procedure against the
    statutory deadline alone: the one the case's reading gives at that instant."""
    clock = provisional
    case = data.draw(case_histories(clock))
    for k in range(1, len(case.events) + 1):
        prefix = clock.case(case.events[:k])
        t = prefix.last_at + timedelta(hours=data.draw(st.integers(0, 24 * 60)))
        assert clock._statutory_deadline(prefix, t) == clock.reading(prefix, t).statutory_deadline
