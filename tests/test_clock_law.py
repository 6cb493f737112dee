"""Every clock the law runs, counted as the law counts it: each rule worked by hand.

Each test names its article and counts the expected dates by hand on the State Council's
yearly notices: 2023 (国办发明电〔2022〕16号: Labour Day 29 April – 3 May off, Sunday 23 April
and Saturday 6 May worked), 2024 (国办发明电〔2023〕7号: Qingming 4–6 April off, Sunday 7 April
worked; Labour Day 1–5 May off, Sunday 28 April and Saturday 11 May worked) and 2026
(国办发明电〔2025〕7号: National Day 1–7 October off, Sunday 20 September and Saturday 10 October
worked; Dragon Boat Friday 19 June off).
"""

from __future__ import annotations

from datetime import date, timedelta

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clock_cases import APPLICANT, CATALOGUE, ev, sub
from govservice.calendars import china
from govservice.cases import Alert, Case, CaseState, Clock, EventError, Reading
from govservice.cases.events import Event
from govservice.exceptions import DataFileError
from govservice.model import BUILTIN_RULES, load_catalogue
from govservice.testing.strategies import case_histories


def read(clock: Clock, events: list[Event], at: str) -> Reading:
    return clock.reading(clock.case(events), at if "T" in at else at + "T12:00:00+08:00")


def renewal(at: str, expires_on: str, case: str = "C1", matter: str = "MR-001") -> Event:
    """A renewal application (行政许可法 Art. 50) for a licence expiring on *expires_on*."""
    return ev(
        "submitted",
        at,
        case,
        matter=matter,
        applicant=APPLICANT,
        renewal_of={"licence": "JY13201000001", "expires_on": expires_on},
    )


def refused(clock: Clock, events: list[Event], *fragments: str) -> EventError:
    """The last event of *events* is refused with a message holding every fragment."""
    case = clock.case(events[:-1]) if len(events) > 1 else None
    with pytest.raises(EventError) as e:
        clock.append(case, events[-1])
    for fragment in fragments:
        assert fragment in str(e.value), str(e.value)
    assert e.value.case == "C1" and e.value.event is not None
    if case is not None:  # nothing changed
        assert clock.case(events[:-1]) == case
    return e.value


# ---- item 1: the clocks that do not count from acceptance -----------------------------------


class TestDelivery:
    """行政许可法 Art. 44: the licence delivered within 10 working days of the decision to grant."""

    def events(self) -> list[Event]:
        return [
            sub("2024-03-01"),
            ev("accepted", "2024-03-01"),
            ev("decided", "2024-03-13", outcome="approved"),
        ]

    def test_counted_from_the_decision(self, clock: Clock) -> None:
        """Accepted Fri 1 March 2024, decided Wed 20 March.

        Decision (Art. 42): 4–8, 11–15, 18–22, 25–29 March — the 20th is 29 March: on time.
        Delivery (Art. 44): 21, 22, 25–29 March, 1, 2, 3 April — the 10th is 3 April (before
        Qingming).  The old clock read a delivery limit from acceptance: 15 March, late.
        """
        events = [
            sub("2024-03-01"),
            ev("accepted", "2024-03-01"),
            ev("decided", "2024-03-20", outcome="approved"),
        ]
        r = read(clock, events, "2024-03-21")
        assert r.statutory_deadline == date(2024, 3, 29) and r.on_time_statutory is True
        assert r.delivery_deadline == date(2024, 4, 3) and r.on_time_delivery is None
        assert r.state is CaseState.DECIDED

    def test_delivered_in_time(self, clock: Clock) -> None:
        """Decided Wed 13 March (within the promise of 8 working days): delivery by 27 March
        (14, 15, 18–22, 25, 26, 27 March)."""
        r = read(clock, [*self.events(), ev("delivered", "2024-03-27")], "2024-05-01")
        assert r.delivery_deadline == date(2024, 3, 27)
        assert r.on_time_delivery is True and r.alert is Alert.NONE

    def test_undelivered_licence_raises_the_alert(self, clock: Clock) -> None:
        """Electronic supervision watches the delivery clock: none, reminder, yellow, then red."""
        case = clock.case(self.events())
        alerts = [
            clock.reading(case, f"{d}T12:00:00+08:00").alert
            for d in ("2024-03-25", "2024-03-26", "2024-03-27", "2024-03-28")
        ]
        assert alerts == [Alert.NONE, Alert.REMINDER, Alert.YELLOW, Alert.RED]

    def test_delivered_late_is_red(self, clock: Clock) -> None:
        r = read(clock, [*self.events(), ev("delivered", "2024-03-28")], "2024-05-01")
        assert r.on_time_delivery is False and r.alert is Alert.RED
        assert r.on_time_statutory is True

    def test_no_delivery_clock_for_a_denial(self, clock: Clock) -> None:
        events = [sub("2024-03-01"), ev("accepted", "2024-03-01")]
        r = read(clock, [*events, ev("decided", "2024-03-13", outcome="denied")], "2024-05-01")
        assert r.delivery_deadline is None and r.on_time_delivery is None
        assert r.alert is Alert.NONE

    def test_a_matter_cannot_cite_the_delivery_rule(self, tmp_path) -> None:
        """Art. 44's limit is a clock of its own beside a decision rule, not a matter's limit."""
        text = CATALOGUE.read_text(encoding="utf-8").replace(
            'statutory = { working_days = 20, rule = "alicensing.decision" }\n'
            "promised = { working_days = 8 }",
            'statutory = { working_days = 10, rule = "alicensing.delivery" }\n'
            "promised = { working_days = 8 }",
        )
        f = tmp_path / "catalogue.toml"
        f.write_text(text, encoding="utf-8")
        with pytest.raises(DataFileError, match=r"matter MR-001.*counts from the decision"):
            load_catalogue(f)


class TestHearing:
    """行政许可法 Art. 47: the hearing within 20 working days of the request; Art. 45: its time
    is not counted in the decision limit."""

    def events(self) -> list[Event]:
        return [
            sub("2026-09-24"),
            ev("accepted", "2026-09-24"),
            ev("hearing_requested", "2026-09-28"),
        ]

    def test_hearing_deadline_from_the_request(self, clock: Clock) -> None:
        """Requested Mon 28 Sep 2026: 29, 30 Sep, 8, 9, 10 (Sat, worked), 12–16, 19–23, 26–30
        October — the 20th is Fri 30 October."""
        r = read(clock, self.events(), "2026-10-09")
        assert r.hearing_deadline == date(2026, 10, 30) and r.on_time_hearing is None
        assert r.state is CaseState.SUSPENDED

    def test_hearing_time_not_counted_in_the_decision(self, clock: Clock) -> None:
        """Held Fri 9 October: the working days 29, 30 Sep, 8, 9 Oct are not counted (Art. 45).

        Law: 29 October + 4 working days = 4 November. Promise: 13 October + 4 = 19 October.
        """
        events = [*self.events(), ev("hearing_held", "2026-10-09")]
        r = read(clock, events, "2026-10-12")
        assert r.on_time_hearing is True and r.state is CaseState.IN_PROGRESS
        assert r.paused_working_days == 4
        assert r.statutory_deadline == date(2026, 11, 4)
        assert r.promised_deadline == date(2026, 10, 19)

    def test_hearing_held_late_is_red(self, clock: Clock) -> None:
        r = read(clock, [*self.events(), ev("hearing_held", "2026-11-02")], "2026-11-03")
        assert r.on_time_hearing is False and r.alert is Alert.RED

    def test_hearing_held_without_request(self, clock: Clock) -> None:
        events = [sub("2026-09-24"), ev("accepted", "2026-09-24"), ev("hearing_held", "2026-09-28")]
        e = refused(clock, events, "'hearing_held' without a 'hearing_requested'", "Art. 47")
        assert "case 'C1'" in str(e) and "hearing_held at" in str(e)

    def test_second_request(self, clock: Clock) -> None:
        events = [
            *self.events(),
            ev("hearing_held", "2026-10-09"),
            ev("hearing_requested", "2026-10-12"),
        ]
        refused(clock, events, "a hearing was already requested")

    def test_resumed_does_not_end_the_hearing(self, clock: Clock) -> None:
        refused(clock, [*self.events(), ev("resumed", "2026-10-09")], "'hearing_held'")

    def test_no_hearing_for_an_information_request(self, clock: Clock) -> None:
        events = [sub("2026-06-01", "GOV-OGI"), ev("hearing_requested", "2026-06-02")]
        refused(clock, events, "no hearing under ogi.reply")

    def test_no_hearing_before_acceptance(self, clock: Clock) -> None:
        refused(clock, [sub("2026-09-24"), ev("hearing_requested", "2026-09-25")], "accepted")


class TestRenewal:
    """行政许可法 Art. 50: applied for 30 days before expiry; decided before the licence expires;
    no decision by then: renewal deemed granted (视为准予延续)."""

    def test_decided_before_expiry(self, clock: Clock) -> None:
        """Expiring Mon 30 Nov 2026, applied for Thu 15 Oct: 30 days before expiry is 31 October,
        so the application is in time; decided 20 November: not deemed."""
        events = [
            renewal("2026-10-15", "2026-11-30"),
            ev("accepted", "2026-10-15"),
            ev("decided", "2026-11-20", outcome="approved"),
        ]
        r = read(clock, events, "2026-11-21")
        assert r.renewal_deadline == date(2026, 11, 30)
        assert (r.deemed_renewed, r.late_renewal_application) == (False, False)

    def test_no_decision_by_expiry_is_deemed_renewal(self, clock: Clock) -> None:
        """MR-003 (no promise), testing from 20 October to 10 November (15 working days not
        counted): the decision is due 3 December, after the expiry; the renewal clock yellows on
        the expiry day and turns red, deemed renewed, the day after."""
        events = [
            renewal("2026-10-15", "2026-11-30", matter="MR-003"),
            ev("accepted", "2026-10-15"),
            ev("suspended", "2026-10-20", reason="testing"),
            ev("resumed", "2026-11-10"),
        ]
        case = clock.case(events)
        on_expiry = clock.reading(case, "2026-11-30T12:00:00+08:00")
        assert on_expiry.statutory_deadline == date(2026, 12, 3)
        assert on_expiry.remaining_working_days == 3
        assert on_expiry.deemed_renewed is False and on_expiry.alert is Alert.YELLOW
        after = clock.reading(case, "2026-12-01T09:00:00+08:00")
        assert after.deemed_renewed is True and after.alert is Alert.RED

    def test_late_application(self, clock: Clock) -> None:
        """Applied for 2 November: later than 31 October, 30 days before the 30 November expiry."""
        on_the_day = read(clock, [renewal("2026-10-31", "2026-11-30")], "2026-11-02")
        late = read(clock, [renewal("2026-11-02", "2026-11-30")], "2026-11-03")
        assert on_the_day.late_renewal_application is False
        assert late.late_renewal_application is True

    def test_expired_licence(self, clock: Clock) -> None:
        e = refused(
            clock,
            [renewal("2026-12-01", "2026-11-30")],
            "field 'renewal_of.expires_on'",
            "expired on 2026-11-30",
        )
        assert e.case == "C1"

    def test_renewal_of_a_matter_without_renewal(self, clock: Clock) -> None:
        refused(
            clock,
            [renewal("2026-06-01", "2026-12-31", matter="GOV-OGI")],
            "field 'renewal_of'",
            "no renewal clock",
        )

    @pytest.mark.parametrize(
        ("value", "message"),
        [
            ({"licence": "L", "expires_on": "2026-02-30"}, "'renewal_of.expires_on' must be"),
            ({"licence": "L", "expires_on": 20261130}, "'renewal_of.expires_on' must be"),
            ({"licence": "", "expires_on": "2026-11-30"}, "'renewal_of.licence' must be"),
            ({"licence": "L"}, "'renewal_of.expires_on' is missing"),
            ({"licence": "L", "expires_on": "2026-11-30", "x": 1}, "unknown fields: x"),
            ("JY1", "'renewal_of' must be an object"),
        ],
    )
    def test_malformed_renewal_of(self, value: object, message: str) -> None:
        data = {
            "case": "C1",
            "type": "submitted",
            "at": "2026-10-15T10:00:00+08:00",
            "matter": "MR-001",
            "applicant": APPLICANT,
            "renewal_of": value,
        }
        from govservice.cases import event_from_dict

        with pytest.raises(EventError, match=message) as e:
            event_from_dict(data)
        assert e.value.case == "C1" and "submitted" in str(e.value)

    def test_not_a_renewal(self, clock: Clock) -> None:
        r = read(clock, [sub("2026-10-15"), ev("accepted", "2026-10-15")], "2026-10-16")
        assert (r.renewal_deadline, r.deemed_renewed, r.late_renewal_application) == (
            None,
            None,
            None,
        )


# ---- item 2: deemed acceptance (行政许可法 Art. 32) -------------------------------------------


class TestDeemedAcceptance:
    """Art. 32: corrections told all at once within 5 working days, else accepted on arrival."""

    LATE = (
        lambda: sub("2026-09-28"),
        lambda: ev("correction_requested", "2026-10-12", items=["营业执照"]),
    )

    def test_late_notice_does_not_block_the_case(self, clock: Clock) -> None:
        """Submitted Mon 28 Sep 2026; the 5 working days end Sat 10 Oct (worked); a notice on 12
        October is late, so the case counts as accepted on 28 September and may be decided,
        extended or suspended before any correction arrives."""
        late = [make() for make in self.LATE]
        for step in (
            ev("decided", "2026-10-20", outcome="approved"),
            ev("extended", "2026-10-20", working_days=5, approved_by="局长"),
            ev("suspended", "2026-10-20", reason="expert_review"),
        ):
            case = clock.case([*late, step])
            r = clock.reading(case, "2026-10-21T12:00:00+08:00")
            assert r.deemed_accepted and r.accepted_on == date(2026, 9, 28)
            assert r.acceptance_deadline == date(2026, 10, 10)
        decided = clock.case([*late, ev("decided", "2026-10-20", outcome="approved")])
        r = clock.reading(decided, "2026-10-21T12:00:00+08:00")
        assert r.statutory_deadline == date(2026, 10, 30) and r.on_time_statutory is True

    def test_in_time_notice_still_waits_for_corrections(self, clock: Clock) -> None:
        events = [
            sub("2026-09-28"),
            ev("correction_requested", "2026-09-29", items=["营业执照"]),
            ev("decided", "2026-10-20", outcome="approved"),
        ]
        refused(clock, events, "'decided' is not allowed when the case is awaiting_correction")

    def corrected(self) -> list[Event]:
        return [
            sub("2026-09-28"),
            ev("correction_requested", "2026-09-29", items=["营业执照"]),
            ev("correction_received", "2026-10-08"),
        ]

    def test_silence_after_corrections(self, clock: Clock) -> None:
        """The library's reading of Art. 32: corrections arrive Thu 8 October; 5 working days
        (9, 10 Sat worked, 12, 13, 14) end 14 October; no answer by then: accepted on 8 October,
        and 20 working days from it end Wed 4 November."""
        case = clock.case(self.corrected())
        waiting = clock.reading(case, "2026-10-14T12:00:00+08:00")
        assert not waiting.deemed_accepted and waiting.acceptance_deadline == date(2026, 10, 14)
        r = clock.reading(case, "2026-10-15T12:00:00+08:00")
        assert r.deemed_accepted and r.accepted_on == date(2026, 10, 8)
        assert r.counting_from == date(2026, 10, 8)
        assert r.statutory_deadline == date(2026, 11, 4)

    def test_accepted_in_time_after_corrections(self, clock: Clock) -> None:
        r = read(clock, [*self.corrected(), ev("accepted", "2026-10-14")], "2026-10-15")
        assert not r.deemed_accepted and r.counting_from == date(2026, 10, 14)

    def test_accepted_late_after_corrections(self, clock: Clock) -> None:
        r = read(clock, [*self.corrected(), ev("accepted", "2026-10-16")], "2026-10-17")
        assert r.deemed_accepted and r.counting_from == date(2026, 10, 8)

    def test_reading_can_be_turned_off(self) -> None:
        """A county that reads Art. 32 otherwise overrides the rule: no deemed acceptance then."""
        rule = BUILTIN_RULES.resolve("alicensing.decision", date(2026, 1, 1))
        rules = BUILTIN_RULES.with_rules([attrs.evolve(rule, deemed_after_correction=False)])
        strict = Clock(load_catalogue(CATALOGUE, rules=rules), china())
        r = read(strict, self.corrected(), "2026-10-15")
        assert not r.deemed_accepted and r.counting_from is None


# ---- item 3: 行政复议 -----------------------------------------------------------------------


class TestReconsiderationBefore2024:
    """行政复议法 (1999/2017 text) Art. 17 ¶2: not refused within 5 days, accepted on the day of
    receipt; Art. 31: 60 days, +30; Art. 40: 5 and 7 days are working days, other periods follow
    the Civil Procedure Law (the last day on a rest day moves to the next working day)."""

    def test_counted_from_receipt_not_from_the_recorded_acceptance(self, clock: Clock) -> None:
        """Received Wed 1 March 2023, accepted Mon 6 March: the 60th day from receipt is Sun 30
        April, inside the Labour Day break (29 April – 3 May), so the deadline is Thu 4 May.
        Counting from 6 March gave 5 May."""
        events = [sub("2023-03-01", "FY-001"), ev("accepted", "2023-03-06")]
        r = read(clock, events, "2023-03-07")
        assert r.counting_from == date(2023, 3, 1) and r.accepted_on == date(2023, 3, 1)
        assert r.statutory_deadline == date(2023, 5, 4)
        assert not r.deemed_accepted

    def test_not_refused_in_five_working_days(self, clock: Clock) -> None:
        """5 working days from 1 March: 2, 3, 6, 7, 8 March; on the 9th it counts as accepted."""
        case = clock.case([sub("2023-03-01", "FY-001")])
        assert not clock.reading(case, "2023-03-08T12:00:00+08:00").deemed_accepted
        r = clock.reading(case, "2023-03-09T12:00:00+08:00")
        assert r.deemed_accepted and r.accepted_on == date(2023, 3, 1)
        assert r.acceptance_deadline == date(2023, 3, 8)
        assert r.statutory_deadline == date(2023, 5, 4)

    def test_appraisal_not_counted(self, clock: Clock) -> None:
        """实施条例 Art. 37: appraisal from 10 to 20 March (10 days) is not counted: 30 April + 10
        = Wed 10 May."""
        events = [
            sub("2023-03-01", "FY-001"),
            ev("accepted", "2023-03-06"),
            ev("suspended", "2023-03-10", reason="appraisal"),
            ev("resumed", "2023-03-20"),
        ]
        assert read(clock, events, "2023-03-21").statutory_deadline == date(2023, 5, 10)

    def test_correction_time_not_counted(self, clock: Clock) -> None:
        """实施条例 Art. 29: corrections notified Fri 3 March, received Mon 13 March: 10 days
        not counted, so 30 April + 10 = 10 May; the working days 6–10 and 13 March are paused."""
        events = [
            sub("2023-03-01", "FY-001"),
            ev("correction_requested", "2023-03-03", items=["申请书"]),
            ev("correction_received", "2023-03-13"),
            ev("accepted", "2023-03-13"),
        ]
        r = read(clock, events, "2023-03-14")
        assert r.statutory_deadline == date(2023, 5, 10) and r.paused_working_days == 6

    def test_refused_in_time(self, clock: Clock) -> None:
        events = [sub("2023-03-01", "FY-001"), ev("rejected", "2023-03-06", reason="超期")]
        r = read(clock, events, "2023-03-07")
        assert r.statutory_deadline is None and r.state is CaseState.REJECTED


class TestReconsiderationFrom2024:
    """行政复议法 (2023 revision, in force 2024-01-01; article numbers unconfirmed): Art. 30 ¶3
    deemed acceptance when the 5-working-day review ends; Art. 62: 60 days (+30), simplified
    30 days without extension; Art. 88: 3/5/7/10 days are working days, others calendar days."""

    def test_deemed_accepted_when_the_review_ends(self, clock: Clock) -> None:
        """Received Fri 1 March 2024: the review runs 4–8 March; not refused, the application
        counts as accepted on Fri 8 March, and 60 days from it end Tue 7 May."""
        case = clock.case([sub("2024-03-01", "FY-001")])
        assert not clock.reading(case, "2024-03-08T12:00:00+08:00").deemed_accepted
        r = clock.reading(case, "2024-03-11T12:00:00+08:00")
        assert r.deemed_accepted and r.accepted_on == date(2024, 3, 8)
        assert r.counting_from == date(2024, 3, 8)
        assert r.statutory_deadline == date(2024, 5, 7)

    def test_accepted_in_the_review(self, clock: Clock) -> None:
        """Accepted Tue 5 March: the 60th day is Sat 4 May, inside Labour Day (1–5 May), so the
        deadline moves to Mon 6 May."""
        r = read(clock, [sub("2024-03-01", "FY-001"), ev("accepted", "2024-03-05")], "2024-03-06")
        assert not r.deemed_accepted and r.statutory_deadline == date(2024, 5, 6)

    def test_review_runs_again_after_corrections(self, clock: Clock) -> None:
        """Art. 31 ¶3: corrections received Mon 11 March; review 12–15, 18 March; deemed
        accepted on 18 March; 60 days from it end Fri 17 May."""
        events = [
            sub("2024-03-01", "FY-001"),
            ev("correction_requested", "2024-03-04", items=["申请书"]),
            ev("correction_received", "2024-03-11"),
        ]
        r = read(clock, events, "2024-03-19")
        assert r.deemed_accepted and r.accepted_on == date(2024, 3, 18)
        assert r.statutory_deadline == date(2024, 5, 17)

    def simplified(self) -> list[Event]:
        return [
            sub("2024-03-01", "FY-001"),
            ev("accepted", "2024-03-05"),
            ev("procedure_changed", "2024-03-06", to="simplified", approved_by="复议机构负责人"),
        ]

    def test_simplified_procedure(self, clock: Clock) -> None:
        """Art. 62 ¶2: 30 days from acceptance on 5 March end Thu 4 April, a Qingming rest day
        (4–6 April), so the deadline moves to Sun 7 April, a working day."""
        r = read(clock, self.simplified(), "2024-03-07")
        assert r.statutory_deadline == date(2024, 4, 7)

    def test_no_extension_under_the_simplified_procedure(self, clock: Clock) -> None:
        step = ev("extended", "2024-03-20", working_days=10, approved_by="负责人")
        refused(clock, [*self.simplified(), step], "beyond the maximum of 0")

    def test_back_to_the_ordinary_procedure(self, clock: Clock) -> None:
        events = [
            *self.simplified(),
            ev("procedure_changed", "2024-03-20", to="ordinary", approved_by="复议机构负责人"),
            ev("extended", "2024-04-10", working_days=30, approved_by="复议机构负责人"),
        ]
        r = read(clock, events, "2024-04-11")
        # 5 March + 60 + 30 days = Mon 3 June
        assert r.statutory_deadline == date(2024, 6, 3) and r.extended_by == 30

    def test_appraisal_not_counted(self, clock: Clock) -> None:
        events = [
            sub("2024-03-01", "FY-001"),
            ev("accepted", "2024-03-05"),
            ev("suspended", "2024-03-11", reason="appraisal"),
            ev("resumed", "2024-03-21"),
        ]
        # 4 May + 10 days = Tue 14 May
        assert read(clock, events, "2024-03-22").statutory_deadline == date(2024, 5, 14)
        step = ev("suspended", "2024-03-11", reason="expert_review")
        refused(clock, [*events[:2], step], "does not stop the clock")

    @pytest.mark.parametrize(
        ("events", "fragments"),
        [
            (
                lambda: [
                    sub("2026-09-24"),
                    ev("accepted", "2026-09-24"),
                    ev("procedure_changed", "2026-09-25", to="simplified", approved_by="x"),
                ],
                ("field 'to'", "no simplified procedure"),
            ),
            (
                lambda: [
                    sub("2023-03-01", "FY-001"),
                    ev("accepted", "2023-03-06"),
                    ev("procedure_changed", "2023-03-07", to="simplified", approved_by="x"),
                ],
                ("field 'to'", "from 2024-01-01"),
            ),
            (
                lambda: [
                    sub("2024-03-01", "FY-001"),
                    ev("accepted", "2024-03-05"),
                    ev("procedure_changed", "2024-03-06", to="fast", approved_by="x"),
                ],
                ("field 'to' must be 'ordinary' or 'simplified'",),
            ),
            (
                lambda: [
                    sub("2024-03-01", "FY-001"),
                    ev("accepted", "2024-03-05"),
                    ev("procedure_changed", "2024-03-06", to="ordinary", approved_by="x"),
                ],
                ("already under the ordinary procedure",),
            ),
            (
                lambda: [
                    sub("2024-03-01", "FY-001"),
                    ev("accepted", "2024-03-05"),
                    ev("procedure_changed", "2024-03-06", to="simplified", approved_by=" "),
                ],
                ("field 'approved_by'",),
            ),
            (
                lambda: [
                    sub("2024-03-01", "FY-001"),
                    ev("accepted", "2024-03-05"),
                    ev("extended", "2024-03-06", working_days=5, approved_by="x"),
                    ev("procedure_changed", "2024-03-07", to="simplified", approved_by="x"),
                ],
                ("allows no extension",),
            ),
            (
                lambda: [
                    sub("2024-03-01", "FY-001"),
                    ev("accepted", "2024-03-05"),
                    ev("procedure_changed", "2024-04-10", to="simplified", approved_by="x"),
                ],
                ("ended on 2024-04-07",),
            ),
        ],
    )
    def test_hostile_procedure_changes(self, clock: Clock, events, fragments) -> None:
        refused(clock, events(), *fragments)


# ---- item 4: 政府信息公开条例 Art. 33 ¶2 ----------------------------------------------------


class TestOtherAgencies:
    """政府信息公开条例 (2019) Art. 33 ¶2: time consulting other agencies is not counted."""

    def test_other_agency_consultation_pauses(self, clock: Clock) -> None:
        """Received Mon 1 June 2026 (deadline 30 June); other agencies consulted 5 to 12 June:
        8–12 June (5 working days) not counted, so 30 June + 5 = Tue 7 July."""
        events = [
            sub("2026-06-01", "GOV-OGI"),
            ev("suspended", "2026-06-05", reason="other_agency_consultation"),
            ev("resumed", "2026-06-12"),
        ]
        r = read(clock, events, "2026-06-15")
        assert r.paused_working_days == 5 and r.statutory_deadline == date(2026, 7, 7)

    def test_not_under_the_2007_text(self, clock: Clock) -> None:
        """Old Art. 24 did not count third-party consultation only."""
        events = [
            sub("2019-05-14", "GOV-OGI"),
            ev("suspended", "2019-05-16", reason="other_agency_consultation"),
        ]
        refused(clock, events, "does not stop the clock under ogi.reply")


# ---- item 5: versions --------------------------------------------------------------------------


class TestVersions:
    """信访条例 (2005) Art. 33 until 2022-04-30, 信访工作条例 Art. 35 from 2022-05-01, by the day
    of acceptance; 不动产登记暂行条例 Art. 20 from 2015-03-01 after 房屋登记办法 Art. 23."""

    def test_petition_version_by_acceptance(self, clock: Clock) -> None:
        """Received 25 April 2022, accepted 5 May: the 2022 regulations; 60 days end Mon 4 July."""
        events = [sub("2022-04-25", "XF-001"), ev("accepted", "2022-05-05")]
        case = clock.case(events)
        assert (case.rule.law, case.rule.article) == ("信访工作条例 (2022)", "Art. 35")
        assert case.rule.extension_approver == "本机关、单位负责人"
        assert clock.reading(case, "2022-05-06T12:00:00+08:00").statutory_deadline == date(
            2022, 7, 4
        )

    def test_petition_accepted_before_may_2022(self, clock: Clock) -> None:
        """Accepted 28 April 2022: the 2005 regulations; 60 days end Mon 27 June."""
        case = clock.case([sub("2022-04-20", "XF-001"), ev("accepted", "2022-04-28")])
        assert (case.rule.law, case.rule.article) == ("信访条例 (2005)", "Art. 33")
        assert case.rule.extension_approver == "本行政机关负责人"
        assert clock.reading(case, "2022-04-29T12:00:00+08:00").statutory_deadline == date(
            2022, 6, 27
        )

    def test_real_estate_registration(self, clock: Clock) -> None:
        """Art. 20: accepted Mon 1 June 2026; 30 working days (Dragon Boat 19 June off): 2–5,
        8–12, 15–18, 22–26, 29, 30 June, 1–3, 6–10, 13, 14 July — Tue 14 July."""
        r = read(clock, [sub("2026-06-01", "ZR-001"), ev("accepted", "2026-06-01")], "2026-06-02")
        assert r.statutory_deadline == date(2026, 7, 14)

    def test_housing_rules_end_when_real_estate_begins(self, tmp_path) -> None:
        text = CATALOGUE.read_text(encoding="utf-8").replace(
            'rule = "real_estate_registration.decision"', 'rule = "housing_registration.state_land"'
        )
        f = tmp_path / "catalogue.toml"
        f.write_text(text, encoding="utf-8")
        old = Clock(load_catalogue(f), china())
        assert old.case([sub("2015-02-27", "ZR-001")]).rule.law == "房屋登记办法"
        with pytest.raises(EventError, match=r"housing_registration\.state_land.*2015-03-02"):
            old.case([sub("2015-03-02", "ZR-001")])


# ---- properties over several clocks -------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_a_clock_never_starts_before_its_start_event(
    provisional: Clock, data: st.DataObject
) -> None:
    """Decision: not before the submission; delivery: only after an approving decision, and not
    before it; hearing: not before the request; renewal: only with ``renewal_of``."""
    clock = provisional
    case: Case = data.draw(case_histories(clock))
    at = case.last_at + timedelta(days=data.draw(st.integers(0, 30)))
    r = clock.reading(case, at)
    day = clock._day
    if r.counting_from is not None:
        assert r.counting_from >= day(case.submitted_at)
    if r.delivery_deadline is not None:
        assert case.decided_at is not None and case.outcome == "approved"
        assert r.delivery_deadline > day(case.decided_at)
    else:
        assert case.outcome != "approved" or case.delivery_rule is None
    if r.hearing_deadline is not None:
        assert case.hearing_requested_at is not None
        assert r.hearing_deadline > day(case.hearing_requested_at)
    else:
        assert case.hearing_requested_at is None
    assert (r.renewal_deadline is None) is (case.renewal_of is None)
    if r.acceptance_deadline is not None:
        assert r.acceptance_deadline > day(case.submitted_at)


DEADLINES = ("statutory_deadline", "promised_deadline", "delivery_deadline", "hearing_deadline")


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_a_pause_never_makes_any_deadline_earlier(provisional: Clock, data: st.DataObject) -> None:
    """Taking every pause out (suspensions, a hearing's included) never moves a deadline later."""
    clock = provisional
    case: Case = data.draw(case_histories(clock))
    at = case.last_at + timedelta(days=data.draw(st.integers(0, 30)))
    paused = clock.reading(case, at)
    unpaused = clock.reading(attrs.evolve(case, suspensions=()), at)
    for name in DEADLINES:
        with_pause, without = getattr(paused, name), getattr(unpaused, name)
        if with_pause is not None:
            assert without is not None and with_pause >= without, name
