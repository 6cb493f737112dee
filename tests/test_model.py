"""The model layer: time limits, rules, the rule book and the built-in rules of LAW.md."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from govservice import GovServiceError
from govservice.model import (
    BUILTIN_RULES,
    LICENSING_NOT_COUNTED,
    Bundle,
    HandlingKind,
    LimitUnit,
    Matter,
    ModelError,
    RuleBook,
    TimeLimit,
    TimeLimitRule,
    UnknownCode,
    Window,
)

WD, HOURS, DAYS = LimitUnit.WORKING_DAYS, LimitUnit.WORKING_HOURS, LimitUnit.DAYS
ART_45 = {
    "hearing",
    "bidding",
    "auction",
    "inspection",
    "testing",
    "quarantine",
    "appraisal",
    "expert_review",
}
TODAY = date(2026, 3, 2)


def only(rule_id: str) -> TimeLimitRule:
    """The single version of a built-in rule."""
    (rule,) = BUILTIN_RULES.versions(rule_id)
    return rule


def rule(rule_id: str = "x.y", **kw: object) -> TimeLimitRule:
    fields: dict[str, object] = {
        "id": rule_id,
        "title": "t",
        "law": "某法",
        "article": "Art. 1",
        "limit": TimeLimit(5),
    }
    fields.update(kw)
    return TimeLimitRule(**fields)  # type: ignore[arg-type]


# ---- the built-in rules, one test per rule: numbers pinned to the article ----------------

EXPECTED_VERSIONS = {
    "alicensing.acceptance": 1,
    "alicensing.decision": 1,
    "alicensing.joint": 1,
    "alicensing.preliminary": 1,
    "alicensing.delivery": 1,
    "alicensing.hearing": 1,
    "alicensing.renewal": 1,
    "ogi.reply": 2,
    "ogi.correction": 1,
    "ogi.third_party": 1,
    "market_registration.decision": 1,
    "petition.decision": 2,
    "reconsideration.acceptance": 2,
    "reconsideration.decision": 2,
    "reconsideration.simplified": 1,
    "real_estate_registration.decision": 1,
    "housing_registration.state_land": 1,
    "housing_registration.collective_land": 1,
    "housing_registration.mortgage": 1,
    "housing_registration.advance": 1,
    "housing_registration.correction": 1,
    "housing_registration.objection": 1,
    "reported.forward": 1,
    "reported.reply": 1,
}


class TestBuiltinRules:
    def test_every_rule_is_pinned_below(self) -> None:
        """A new built-in rule needs a test of its own here (and a row in this table)."""
        assert {r: len(BUILTIN_RULES.versions(r)) for r in BUILTIN_RULES.ids()} == (
            EXPECTED_VERSIONS
        )

    @pytest.mark.parametrize("r", list(BUILTIN_RULES), ids=lambda r: f"{r.id}@{r.validity}")
    def test_every_rule_cites_law_and_article(self, r: TimeLimitRule) -> None:
        """Every built-in rule names its law and article, and its limit names the rule."""
        assert r.law and r.article and r.citation == f"{r.law} {r.article}"
        assert r.limit.rule == r.id and r.source == "builtin" and r.note

    def test_unconfirmed_rules_say_so(self) -> None:
        """LAW.md's UNCONFIRMED items and local rules ship as labelled defaults."""
        unconfirmed = {(r.id, r.valid_from) for r in BUILTIN_RULES if not r.confirmed}
        assert unconfirmed == {
            ("alicensing.renewal", None),
            ("petition.decision", date(2005, 5, 1)),
            ("petition.decision", date(2022, 5, 1)),
            ("reconsideration.acceptance", date(2024, 1, 1)),
            ("reconsideration.decision", date(2024, 1, 1)),
            ("reconsideration.simplified", date(2024, 1, 1)),
            ("reported.forward", None),
            ("reported.reply", None),
        }
        for r in BUILTIN_RULES:
            if r.law.startswith("行政复议法 (2023年修订)"):
                assert "UNCONFIRMED" in r.article and "UNCONFIRMED" in (r.note or "")

    def test_alicensing_acceptance(self) -> None:
        """行政许可法 Art. 32: all corrections told at once within 5 days, or deemed accepted."""
        r = only("alicensing.acceptance")
        assert (r.article, r.limit, r.counts_from) == (
            "Art. 32",
            TimeLimit(5, WD, "alicensing.acceptance"),
            "receipt",
        )
        assert r.acceptance_limit == 5 and r.max_extension == 0 and r.confirmed

    def test_alicensing_decision(self) -> None:
        """行政许可法 Art. 42: 20 days from acceptance, +10 by the agency head; Art. 45 pauses."""
        r = only("alicensing.decision")
        assert (r.article, r.limit.amount, r.limit.unit) == ("Art. 42", 20, WD)
        assert (r.max_extension, r.extension_approver) == (10, "本行政机关负责人")
        assert r.pausable == ART_45 == LICENSING_NOT_COUNTED
        assert (r.counts_from, r.acceptance_limit, r.correction_restarts) == (
            "acceptance",
            5,
            False,
        )
        assert r.citation == "行政许可法 (2019年修正) Art. 42"
        # Art. 32's 5 days, deemed on arrival; after corrections, the library's reading
        assert r.acceptance_limit == only("alicensing.acceptance").limit.amount
        assert (r.deemed_acceptance, r.deemed_after_correction) == ("arrival", True)
        assert "library's reading" in (r.note or "")
        # the clocks beside it: delivery (Art. 44), hearing (Art. 47), renewal (Art. 50)
        assert r.companions == {
            "delivery_rule": "alicensing.delivery",
            "hearing_rule": "alicensing.hearing",
            "renewal_rule": "alicensing.renewal",
        }

    def test_alicensing_joint(self) -> None:
        """行政许可法 Arts. 42, 26: joint handling 45 days, +15 by the government head."""
        r = only("alicensing.joint")
        assert (r.article, r.limit.amount, r.limit.unit) == ("Arts. 42, 26", 45, WD)
        assert (r.max_extension, r.extension_approver) == (15, "本级人民政府负责人")
        assert r.pausable == ART_45 and r.acceptance_limit == 5
        assert r.companions == only("alicensing.decision").companions

    def test_alicensing_preliminary(self) -> None:
        """行政许可法 Art. 43: a lower-level agency's preliminary review, 20 days."""
        r = only("alicensing.preliminary")
        assert (r.article, r.limit.amount, r.limit.unit, r.max_extension) == ("Art. 43", 20, WD, 0)
        assert r.counts_from == "acceptance" and r.pausable == ART_45

    def test_alicensing_delivery(self) -> None:
        """行政许可法 Art. 44: licence issued and delivered within 10 days of the decision."""
        r = only("alicensing.delivery")
        assert (r.article, r.limit.amount, r.limit.unit) == ("Art. 44", 10, WD)
        assert r.counts_from == "decision" and r.max_extension == 0

    def test_alicensing_not_counted_is_the_pausable_set(self) -> None:
        """行政许可法 Art. 45: not a limit of its own, but the pausable set of Arts. 42–44."""
        assert "alicensing.not_counted" not in BUILTIN_RULES
        for rule_id in ("decision", "joint", "preliminary", "delivery"):
            assert only(f"alicensing.{rule_id}").pausable == LICENSING_NOT_COUNTED

    def test_alicensing_hearing(self) -> None:
        """行政许可法 Art. 47: the hearing within 20 days of the request (working days, Art. 82)."""
        r = only("alicensing.hearing")
        assert (r.article, r.limit.amount, r.limit.unit) == ("Art. 47", 20, WD)
        assert r.counts_from == "hearing_request"

    def test_alicensing_renewal(self) -> None:
        """行政许可法 Art. 50: renewal requested 30 days before expiry (unit unconfirmed)."""
        r = only("alicensing.renewal")
        assert (r.article, r.limit.amount, r.limit.unit) == ("Art. 50", 30, DAYS)
        assert r.counts_from == "expiry" and not r.confirmed and "30 days before" in (r.note or "")

    def test_ogi_reply_2019(self) -> None:
        """政府信息公开条例 (2019) Art. 33: 20 working days from receipt, +20; Art. 30 restart."""
        r = BUILTIN_RULES.resolve("ogi.reply", date(2019, 5, 15))
        assert (r.law, r.article, r.limit.amount, r.limit.unit) == (
            "政府信息公开条例 (2019年修订)",
            "Art. 33",
            20,
            WD,
        )
        assert (r.max_extension, r.extension_approver) == (20, "政府信息公开工作机构负责人")
        # Art. 33 ¶2: consulting third parties and other agencies is not counted
        assert r.pausable == {"third_party_consultation", "other_agency_consultation"}
        assert (r.counts_from, r.correction_restarts) == ("receipt", True)
        assert (r.valid_from, r.valid_until) == (date(2019, 5, 15), None)

    def test_ogi_reply_2007(self) -> None:
        """政府信息公开条例 (2007) old Art. 24: 15 working days from receipt, +15."""
        r = BUILTIN_RULES.resolve("ogi.reply", date(2019, 5, 14))
        assert (r.law, r.article, r.limit.amount, r.limit.unit, r.max_extension) == (
            "政府信息公开条例 (2007年)",
            "Art. 24",
            15,
            WD,
            15,
        )
        assert r.counts_from == "receipt" and not r.correction_restarts
        assert (r.valid_from, r.valid_until) == (date(2008, 5, 1), date(2019, 5, 14))
        assert r.pausable == {"third_party_consultation"}  # old Art. 24: third parties only

    def test_ogi_correction(self) -> None:
        """政府信息公开条例 Art. 30: notify all corrections within 7 working days."""
        r = only("ogi.correction")
        assert (r.article, r.limit.amount, r.limit.unit) == ("Art. 30", 7, WD)
        assert r.counts_from == "receipt" and r.valid_from == date(2019, 5, 15)

    def test_ogi_third_party(self) -> None:
        """政府信息公开条例 Art. 32: a third party has 15 working days for its opinion."""
        r = only("ogi.third_party")
        assert (r.article, r.limit.amount, r.limit.unit) == ("Art. 32", 15, WD)
        assert r.valid_from == date(2019, 5, 15)

    def test_market_registration_decision(self) -> None:
        """市场主体登记管理条例 Art. 19: on the spot, else 3 working days, +3 if complex."""
        r = only("market_registration.decision")
        assert (r.article, r.limit.amount, r.limit.unit) == ("Art. 19", 3, WD)
        assert (r.max_extension, r.extension_approver) == (3, "登记机关负责人")
        assert r.valid_from == date(2022, 3, 1)

    def test_petition_decision(self) -> None:
        """信访条例 (2005) Art. 33 and 信访工作条例 (2022) Art. 35: 60 calendar days, +30.

        Each text carries its validity and approver; a petition counts under the one in force
        on the day it was accepted.  The article numbers are not verified: unconfirmed.
        """
        old, new = BUILTIN_RULES.versions("petition.decision")
        assert (old.law, old.article, old.extension_approver) == (
            "信访条例 (2005)",
            "Art. 33",
            "本行政机关负责人",
        )
        assert (old.valid_from, old.valid_until) == (date(2005, 5, 1), date(2022, 4, 30))
        assert (new.law, new.article, new.extension_approver) == (
            "信访工作条例 (2022)",
            "Art. 35",
            "本机关、单位负责人",
        )
        assert (new.valid_from, new.valid_until) == (date(2022, 5, 1), None)
        for r in (old, new):
            assert (r.limit.amount, r.limit.unit, r.max_extension) == (60, DAYS, 30)
            assert (r.counts_from, r.in_force_by) == ("acceptance", "acceptance")
            assert not r.confirmed and "UNCONFIRMED" in (r.note or "")

    def test_reconsideration_acceptance(self) -> None:
        """行政复议法 (pre-2023) Art. 17: examine within 5 working days (Art. 40), else
        accepted on receipt; the 2023 revision Art. 30 ¶3: deemed accepted when the review ends.
        """
        old = BUILTIN_RULES.resolve("reconsideration.acceptance", date(2023, 12, 31))
        assert (old.article, old.limit.amount, old.limit.unit) == ("Art. 17", 5, WD)
        assert old.confirmed and old.valid_until == date(2023, 12, 31)
        assert old.deemed_acceptance == "arrival"
        new = BUILTIN_RULES.resolve("reconsideration.acceptance", date(2024, 1, 1))
        assert not new.confirmed and new.limit.amount == 5
        assert (new.deemed_acceptance, new.deemed_after_correction) == ("review_end", True)

    def test_reconsideration_decision(self) -> None:
        """行政复议法 (pre-2023) Arts. 17 ¶2, 31: 60 days from receipt, +30; 2023: from acceptance.

        Appraisal time is not counted (实施条例 Art. 37); the 2023 text's ordinary procedure may
        change to the simplified one.
        """
        old = BUILTIN_RULES.resolve("reconsideration.decision", date(2023, 12, 31))
        assert (old.article, old.limit.amount, old.limit.unit, old.max_extension) == (
            "Art. 31",
            60,
            DAYS,
            30,
        )
        assert old.confirmed and old.acceptance_limit == 5 and "2023年修订前" in old.law
        assert (old.counts_from, old.correction_pauses) == ("receipt", True)
        assert old.pausable == {"appraisal"} and old.simplified_rule is None
        new = BUILTIN_RULES.resolve("reconsideration.decision", date(2024, 1, 1))
        assert not new.confirmed and "UNCONFIRMED" in new.article
        assert (new.limit.amount, new.limit.unit, new.max_extension) == (60, DAYS, 30)
        assert (new.counts_from, new.deemed_acceptance) == ("acceptance", "review_end")
        assert new.pausable == {"appraisal"}
        assert new.simplified_rule == "reconsideration.simplified"

    def test_reconsideration_simplified(self) -> None:
        """行政复议法 (2023) Art. 62 ¶2: the simplified procedure, 30 days, no extension."""
        r = only("reconsideration.simplified")
        assert (r.limit.amount, r.limit.unit, r.max_extension) == (30, DAYS, 0)
        assert (r.valid_from, r.counts_from) == (date(2024, 1, 1), "acceptance")
        assert not r.confirmed and "UNCONFIRMED" in r.article

    def test_real_estate_registration(self) -> None:
        """不动产登记暂行条例 Art. 20: 30 working days from acceptance, from 2015-03-01."""
        r = only("real_estate_registration.decision")
        assert (r.article, r.limit.amount, r.limit.unit, r.max_extension) == ("Art. 20", 30, WD, 0)
        assert (r.valid_from, r.valid_until) == (date(2015, 3, 1), None)
        assert r.law == "不动产登记暂行条例"

    @pytest.mark.parametrize(
        ("suffix", "amount"),
        [
            ("state_land", 30),
            ("collective_land", 60),
            ("mortgage", 10),
            ("advance", 10),
            ("correction", 10),
            ("objection", 1),
        ],
    )
    def test_housing_registration(self, suffix: str, amount: int) -> None:
        """房屋登记办法 Art. 23: 30/60/10/10/10/1 working days; announcements not counted."""
        r = only(f"housing_registration.{suffix}")
        assert (r.article, r.limit.amount, r.limit.unit) == ("Art. 23", amount, WD)
        assert r.pausable == {"announcement"}
        assert (r.max_extension, r.extension_approver) == (amount, "房屋登记机构负责人")
        # in force from 2008-07-01 until the 不动产登记暂行条例 took over on 2015-03-01
        assert (r.valid_from, r.valid_until) == (date(2008, 7, 1), date(2015, 2, 28))

    def test_reported_forward(self) -> None:
        """上报件 (one local rule): forwarded to the superior within 3 working days."""
        r = only("reported.forward")
        assert (r.limit.amount, r.limit.unit, r.counts_from) == (3, WD, "acceptance")
        assert not r.confirmed and "local" in r.article

    def test_reported_reply(self) -> None:
        """上报件 (one local rule): the applicant answered within 2 days of the superior's reply."""
        r = only("reported.reply")
        assert (r.limit.amount, r.limit.unit, r.counts_from) == (2, WD, "superior_reply")
        assert not r.confirmed


# ---- RuleBook ------------------------------------------------------------------------------


class TestRuleBook:
    def test_resolve_picks_the_version_in_force_on_receipt(self) -> None:
        """A request received 2019-05-14 is under the 2007 text; one received 05-15, the 2019."""
        assert BUILTIN_RULES.resolve("ogi.reply", date(2019, 5, 14)).limit.amount == 15
        assert BUILTIN_RULES.resolve("ogi.reply", date(2019, 5, 15)).limit.amount == 20
        assert BUILTIN_RULES.latest("ogi.reply").limit.amount == 20

    def test_no_version_in_force(self) -> None:
        """Before the first version there is nothing to resolve: a KeyError naming the day."""
        with pytest.raises(KeyError, match=r"'ogi\.reply'.*2008-04-30.*2008-05-01–2019-05-14"):
            BUILTIN_RULES.resolve("ogi.reply", date(2008, 4, 30))

    def test_unknown_rule(self) -> None:
        """An unknown id is an UnknownCode (a KeyError and a GovServiceError) with a suggestion."""
        with pytest.raises(UnknownCode) as e:
            BUILTIN_RULES.resolve("alicensing.decison", TODAY)
        assert isinstance(e.value, KeyError) and isinstance(e.value, GovServiceError)
        assert str(e.value) == (
            "unknown time-limit rule 'alicensing.decison'; did you mean 'alicensing.decision'?"
        )
        assert (e.value.kind, e.value.code) == ("rule", "alicensing.decison")
        with pytest.raises(KeyError):
            BUILTIN_RULES.latest("nope")

    def test_resolve_refuses_a_datetime(self) -> None:
        """A day is a local date; an instant must be turned into one by the caller."""
        with pytest.raises(TypeError, match="local date"):
            BUILTIN_RULES.resolve("ogi.reply", datetime(2020, 1, 1, tzinfo=UTC))

    def test_container_protocol(self) -> None:
        assert (
            "ogi.reply" in BUILTIN_RULES and "nope" not in BUILTIN_RULES and 3 not in BUILTIN_RULES
        )
        assert len(BUILTIN_RULES) == sum(EXPECTED_VERSIONS.values()) == len(list(BUILTIN_RULES))
        assert BUILTIN_RULES.ids() == set(EXPECTED_VERSIONS)
        assert RuleBook(BUILTIN_RULES) == BUILTIN_RULES and hash(RuleBook(BUILTIN_RULES))
        assert "28 rule versions" in repr(BUILTIN_RULES)

    def test_overlap_refused(self) -> None:
        """Two versions of one id in force on the same day are an error (a ValueError)."""
        a = rule(valid_from=date(2020, 1, 1), valid_until=date(2020, 12, 31))
        b = rule(valid_from=date(2020, 12, 31))
        with pytest.raises(ValueError, match=r"rule x\.y.*overlaps") as e:
            RuleBook([a, b])
        assert isinstance(e.value, ModelError) and e.value.field == "valid_from"
        with pytest.raises(ValueError, match="overlaps"):
            RuleBook([rule(), rule(valid_from=date(2020, 1, 1))])

    def test_adjacent_versions_allowed(self) -> None:
        a = rule(valid_until=date(2020, 12, 31))
        b = rule(valid_from=date(2021, 1, 1), limit=TimeLimit(9))
        book = RuleBook([b, a])
        assert book.versions("x.y") == (a, b)
        assert book.resolve("x.y", date(2020, 12, 31)) is a
        assert book.resolve("x.y", date(2021, 1, 1)) is b

    def test_with_rules_overrides_same_id_and_validity(self) -> None:
        """A plugin or catalogue rule with the same id and validity replaces the built-in one."""
        local = rule("reported.forward", limit=TimeLimit(2), source="county")
        book = BUILTIN_RULES.with_rules([local])
        assert book.resolve("reported.forward", TODAY) is local
        assert len(book) == len(BUILTIN_RULES)
        assert BUILTIN_RULES.latest("reported.forward").limit.amount == 3  # unchanged

    def test_with_rules_new_version(self) -> None:
        """A version for a new period is added beside the old ones, if it does not overlap."""
        later = rule("ogi.reply", valid_from=date(2019, 5, 15))
        assert BUILTIN_RULES.with_rules([later]).resolve("ogi.reply", TODAY) is later
        with pytest.raises(ValueError, match="overlaps"):
            BUILTIN_RULES.with_rules([rule("ogi.reply", valid_from=date(2019, 1, 1))])

    def test_only_rules(self) -> None:
        with pytest.raises(TypeError):
            RuleBook(["ogi.reply"])  # type: ignore[list-item]

    @given(
        st.lists(st.integers(min_value=1, max_value=400), min_size=1, max_size=6),
        st.integers(min_value=-10, max_value=2500),
    )
    def test_resolve_finds_the_one_version_containing_the_day(
        self, lengths: list[int], offset: int
    ) -> None:
        """Consecutive periods: each day resolves to the one version whose period holds it."""
        start = date(2010, 1, 1)
        versions, first = [], start
        for i, n in enumerate(lengths):
            last = first + timedelta(days=n - 1)
            versions.append(rule(limit=TimeLimit(i), valid_from=first, valid_until=last))
            first = last + timedelta(days=1)
        book = RuleBook(reversed(versions))
        day = start + timedelta(days=offset)
        holding = [v for v in versions if v.valid_from <= day <= v.valid_until]  # type: ignore[operator]
        if holding:
            assert book.resolve("x.y", day) is holding[0]
        else:
            with pytest.raises(UnknownCode):
                book.resolve("x.y", day)

    @given(st.lists(st.tuples(st.integers(0, 50), st.integers(0, 20)), min_size=2, max_size=5))
    def test_a_book_accepts_exactly_disjoint_periods(self, spans: list[tuple[int, int]]) -> None:
        base = date(2020, 1, 1)
        periods = [(base + timedelta(days=a), base + timedelta(days=a + n)) for a, n in spans]
        versions = [rule(valid_from=a, valid_until=b) for a, b in periods]
        disjoint = all(
            b1 < a2 or b2 < a1
            for i, (a1, b1) in enumerate(periods)
            for (a2, b2) in periods[i + 1 :]
        )
        if disjoint:
            assert len(RuleBook(versions)) == len(versions)
        else:
            with pytest.raises(ModelError):
                RuleBook(versions)


# ---- TimeLimit and TimeLimitRule ---------------------------------------------------------


class TestTimeLimit:
    def test_defaults_and_str(self) -> None:
        assert TimeLimit(20) == TimeLimit(20, WD, None)
        assert str(TimeLimit(1, HOURS)) == "1 working hour"
        assert str(TimeLimit(60, "days", "petition.decision")) == "60 days (petition.decision)"
        assert TimeLimit(3, "working_days").unit is WD

    @pytest.mark.parametrize("amount", [-1, 1.5, True, "3"])
    def test_bad_amount(self, amount: object) -> None:
        with pytest.raises(ModelError, match="'amount'"):
            TimeLimit(amount)  # type: ignore[arg-type]

    def test_bad_unit(self) -> None:
        with pytest.raises(ValueError, match="unknown unit"):
            TimeLimit(3, "weeks")

    @given(st.integers(0, 100), st.integers(0, 100))
    def test_exceeds_same_unit(self, a: int, b: int) -> None:
        for unit in LimitUnit:
            assert TimeLimit(a, unit).exceeds(TimeLimit(b, unit)) is (a > b)

    @given(st.integers(0, 400), st.integers(0, 50))
    def test_exceeds_hours_against_days(self, hours: int, days: int) -> None:
        """Hours compare with working days at eight hours a day."""
        assert TimeLimit(hours, HOURS).exceeds(TimeLimit(days, WD)) is (hours > 8 * days)
        assert TimeLimit(days, WD).exceeds(TimeLimit(hours, HOURS)) is (8 * days > hours)

    def test_exceeds_undecidable_across_calendar_days(self) -> None:
        assert TimeLimit(5, DAYS).exceeds(TimeLimit(5, WD)) is False
        assert TimeLimit(6, DAYS).exceeds(TimeLimit(5, WD)) is None
        assert TimeLimit(1, WD).exceeds(TimeLimit(60, DAYS)) is None


class TestTimeLimitRule:
    def test_limit_takes_the_rule_id(self) -> None:
        assert rule("a.b").limit == TimeLimit(5, WD, "a.b")
        with pytest.raises(ModelError, match="another rule"):
            rule("a.b", limit=TimeLimit(5, rule="c.d"))

    def test_validity(self) -> None:
        r = rule(valid_from=date(2020, 1, 1), valid_until=date(2020, 6, 30))
        assert r.validity == "2020-01-01–2020-06-30" and rule().validity == "always"
        assert r.in_force(date(2020, 6, 30)) and not r.in_force(date(2020, 7, 1))
        with pytest.raises(ModelError, match="before 'valid_from'"):
            rule(valid_from=date(2020, 1, 2), valid_until=date(2020, 1, 1))

    def test_max_limit(self) -> None:
        r = only("alicensing.decision")
        assert r.max_limit() == TimeLimit(30, WD, "alicensing.decision")
        assert r.max_limit(15).amount == 25

    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("counts_from", "submission"),
            ("max_extension", -1),
            ("acceptance_limit", -5),
            ("pausable", "hearing"),
            ("law", ""),
            ("valid_from", datetime(2020, 1, 1)),
        ],
    )
    def test_bad_fields(self, field: str, value: object) -> None:
        with pytest.raises(ModelError) as e:
            rule(**{field: value})  # type: ignore[arg-type]
        assert e.value.field == field

    def test_frozen(self) -> None:
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            only("ogi.correction").max_extension = 3  # type: ignore[misc]


# ---- units, windows, matters, bundles ----------------------------------------------------


def matter(**kw: object) -> Matter:
    fields: dict[str, object] = {
        "code": "MR-001",
        "name": "食品经营许可",
        "unit": "MR",
        "category": "administrative_licensing",
        "kind": "promised",
        "statutory": TimeLimit(20, rule="alicensing.decision"),
    }
    fields.update(kw)
    return Matter(**fields)  # type: ignore[arg-type]


class TestMatter:
    def test_kind_from_string(self) -> None:
        m = matter(promised=TimeLimit(8))
        assert m.kind is HandlingKind.PROMISED and m.limit == TimeLimit(8)
        assert matter().limit == m.statutory and m.authorized and m.stationed is None

    def test_unknown_kind(self) -> None:
        with pytest.raises(ModelError, match="unknown kind"):
            matter(kind="urgent")

    def test_promised_longer_than_statutory(self) -> None:
        with pytest.raises(ModelError) as e:
            matter(promised=TimeLimit(21))
        assert (e.value.record, e.value.field, e.value.value) == (
            "matter MR-001",
            "promised",
            "21 working days",
        )

    def test_promised_in_hours(self) -> None:
        """A promise in working hours may sit under a statutory limit in working days."""
        assert matter(promised=TimeLimit(2, HOURS)).promised == TimeLimit(2, HOURS)
        with pytest.raises(ModelError, match="longer"):
            matter(
                statutory=TimeLimit(1, rule="housing_registration.objection"),
                promised=TimeLimit(9, HOURS),
            )

    def test_incomparable_promise(self) -> None:
        with pytest.raises(ModelError, match="cannot be compared"):
            matter(statutory=TimeLimit(60, DAYS, "petition.decision"), promised=TimeLimit(30))

    def test_statutory_needs_a_rule(self) -> None:
        with pytest.raises(ModelError, match="names no time-limit rule"):
            matter(statutory=TimeLimit(20))

    def test_windows_not_a_string(self) -> None:
        with pytest.raises(ModelError, match="not a string"):
            matter(windows="W01")
        with pytest.raises(ModelError, match="listed twice"):
            matter(windows=("W01", "W01"))


class TestWindowAndBundle:
    def test_unit_window_serves_one_unit(self) -> None:
        assert Window("W1", "窗口", ["MR"]).units == ("MR",)
        with pytest.raises(ModelError, match="comprehensive"):
            Window("W1", "窗口", ("MR", "TA"))
        assert Window("W9", "综合窗口", ("MR", "TA"), comprehensive=True).comprehensive
        with pytest.raises(ModelError, match="serves no unit"):
            Window("W9", "综合窗口", (), comprehensive=True)

    def test_bundle(self) -> None:
        b = Bundle("B1", "一件事", ("A", "B"), "A", TimeLimit(10))
        assert b.lead == "A"
        with pytest.raises(ModelError, match="not one of"):
            Bundle("B1", "一件事", ("A", "B"), "C", TimeLimit(10))
        with pytest.raises(ModelError, match="at least two"):
            Bundle("B1", "一件事", ("A",), "A", TimeLimit(10))
