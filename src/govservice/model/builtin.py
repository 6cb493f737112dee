"""The built-in time-limit rules: the tables of the project's legal fact sheet (LAW.md).

Every rule cites its law and article, and ``tests/test_model.py`` pins its
numbers to the article.  Rules the project could not confirm against the text,
and local rules, have ``confirmed=False``: they are labelled defaults, to be
checked and overridden (a plugin, or a ``[[rule]]`` table in a catalogue, with
the same id and validity replaces a built-in rule).

Two rows of the fact sheet are not limits and have no rule of their own:

* 行政许可法 Art. 45 (``alicensing.not_counted``): time for a hearing, bidding,
  auction, inspection (检验), testing (检测), quarantine, appraisal (鉴定) or
  expert review is not counted in the periods of Arts. 42–44.  It is the
  :attr:`~govservice.model.TimeLimitRule.pausable` set of those rules,
  :data:`LICENSING_NOT_COUNTED`.
* 政府信息公开条例 Art. 31 (``ogi.receipt``): which day counts as the day a
  request was received.  It decides the start of the ``receipt`` clock of
  ``ogi.reply``; see that rule's note.
"""

from __future__ import annotations

from datetime import date, timedelta

from govservice.model.rules import LimitUnit, RuleBook, TimeLimit, TimeLimitRule

__all__ = ["BUILTIN_RULES", "LICENSING_NOT_COUNTED"]

LICENSING_NOT_COUNTED: frozenset[str] = frozenset(
    {
        "hearing",
        "bidding",
        "auction",
        "inspection",
        "testing",
        "quarantine",
        "appraisal",
        "expert_review",
    }
)
"""行政许可法 Art. 45: suspensions not counted in the periods of Arts. 42–44.

听证、招标、拍卖、检验、检测、检疫、鉴定和专家评审; the applicant is told in
writing how long they will take.

.. versionadded:: 0.1
"""

_ALICENSING = "行政许可法 (2019年修正)"
_OGI_2019 = "政府信息公开条例 (2019年修订)"
_OGI_2007 = "政府信息公开条例 (2007年)"
_OGI_2019_FROM = date(2019, 5, 15)
_RECONSIDERATION_OLD = "行政复议法 (2023年修订前)"
_RECONSIDERATION_NEW = "行政复议法 (2023年修订)"
_RECONSIDERATION_SWITCH = date(2024, 1, 1)
_RECONSIDERATION_PAUSES = frozenset({"appraisal"})
_RECONSIDERATION_NEW_NOTE = (
    " UNCONFIRMED: the article numbers of the 2023 revision (in force 2024-01-01) are as "
    "recalled from its text; only Art. 31 (corrections notified within 5 days of receipt) was "
    "seen in a reprint. Override the rule if your reading differs."
)
_REAL_ESTATE_FROM = date(2015, 3, 1)
_HOUSING = "房屋登记办法"
_HOUSING_NOTE = (
    "Art. 23: announcement (公告) time is not counted; for special reasons the head of the "
    "registration body may extend the limit by at most the limit itself (原时限的一倍). "
    "Other laws and regulations may set other limits. In force from 2008-07-01; from "
    "2015-03-01 registrations follow the 不动产登记暂行条例 (real_estate_registration.decision), "
    "so the library ends this rule on 2015-02-28 (no notice repealing the 办法 was found)."
)
_PETITION_NOTE = (
    " Calendar days; a period ending on a rest day ends on the next working day. The version is "
    "the one in force on the day the petition was accepted. UNCONFIRMED: the numbers (60 + 30 "
    "days) are confirmed, the article number and the approver are as read in reprints, not "
    "checked against the published text."
)
_LOCAL = "地方规则 (上报件)"

_WD = LimitUnit.WORKING_DAYS
_DAYS = LimitUnit.DAYS


def _housing(suffix: str, title: str, amount: int) -> TimeLimitRule:
    return TimeLimitRule(
        id=f"housing_registration.{suffix}",
        title=title,
        law=_HOUSING,
        article="Art. 23",
        limit=TimeLimit(amount, _WD),
        max_extension=amount,
        extension_approver="房屋登记机构负责人",
        pausable=frozenset({"announcement"}),
        valid_from=date(2008, 7, 1),
        valid_until=_REAL_ESTATE_FROM - timedelta(days=1),
        note=_HOUSING_NOTE,
    )


def _petition(
    law: str, article: str, approver: str, validity: tuple[date, date | None], note: str
) -> TimeLimitRule:
    return TimeLimitRule(
        id="petition.decision",
        title="信访事项办结 / finish a petition",
        law=law,
        article=article,
        limit=TimeLimit(60, _DAYS),
        max_extension=30,
        extension_approver=approver,
        valid_from=validity[0],
        valid_until=validity[1],
        in_force_by="acceptance",
        confirmed=False,
        note=note + _PETITION_NOTE,
    )


_LICENSING_AFTER_CORRECTION = (
    " After corrections asked for in time arrive, the library reads Art. 32 as giving the agency "
    "5 working days again, and an application still not answered as accepted on the day the "
    "corrections arrived: the library's reading, not the article's words "
    "(deemed_after_correction; override the rule to turn it off)."
)


_RULES = (
    # ---- 行政许可法 --------------------------------------------------------------
    TimeLimitRule(
        id="alicensing.acceptance",
        title="受理或一次告知需补正的全部内容 / accept, or tell every correction at once",
        law=_ALICENSING,
        article="Art. 32",
        limit=TimeLimit(5, _WD),
        counts_from="receipt",
        acceptance_limit=5,
        note=(
            "On the spot or within 5 days; if the applicant is not told in time, the "
            "application counts as accepted on the day the materials arrived. Acceptance or "
            "refusal is a written notice, sealed and dated. Working days (Art. 82). The "
            "acceptance clock of every licensing case (its reading's acceptance_deadline)."
            + _LICENSING_AFTER_CORRECTION
        ),
    ),
    TimeLimitRule(
        id="alicensing.decision",
        title="作出行政许可决定 / licensing decision",
        law=_ALICENSING,
        article="Art. 42",
        limit=TimeLimit(20, _WD),
        max_extension=10,
        extension_approver="本行政机关负责人",
        pausable=LICENSING_NOT_COUNTED,
        acceptance_limit=5,
        deemed_after_correction=True,
        delivery_rule="alicensing.delivery",
        hearing_rule="alicensing.hearing",
        renewal_rule="alicensing.renewal",
        note=(
            "20 days from acceptance, +10 with the agency head's approval, the reasons told to "
            "the applicant; other laws and regulations may set other limits. Art. 45 time is "
            "not counted (a hearing from its request to its holding). Working days (Art. 82). "
            "Beside it run the delivery (Art. 44), hearing (Art. 47) and renewal (Art. 50) "
            "clocks." + _LICENSING_AFTER_CORRECTION
        ),
    ),
    TimeLimitRule(
        id="alicensing.joint",
        title="统一办理、联合办理、集中办理 / unified, joint or centralised handling",
        law=_ALICENSING,
        article="Arts. 42, 26",
        limit=TimeLimit(45, _WD),
        max_extension=15,
        extension_approver="本级人民政府负责人",
        pausable=LICENSING_NOT_COUNTED,
        acceptance_limit=5,
        deemed_after_correction=True,
        delivery_rule="alicensing.delivery",
        hearing_rule="alicensing.hearing",
        renewal_rule="alicensing.renewal",
        note=(
            "Handled under Art. 26: 45 days, +15 with the approval of the head of the "
            "government at the same level. Art. 45 time is not counted. Working days (Art. 82). "
            "Beside it run the delivery, hearing and renewal clocks." + _LICENSING_AFTER_CORRECTION
        ),
    ),
    TimeLimitRule(
        id="alicensing.preliminary",
        title="下级行政机关初步审查 / a lower-level agency's preliminary review",
        law=_ALICENSING,
        article="Art. 43",
        limit=TimeLimit(20, _WD),
        pausable=LICENSING_NOT_COUNTED,
        note="20 days from acceptance by the lower-level agency. Working days (Art. 82).",
    ),
    TimeLimitRule(
        id="alicensing.delivery",
        title="颁发、送达行政许可证件 / issue and deliver the licence",
        law=_ALICENSING,
        article="Art. 44",
        limit=TimeLimit(10, _WD),
        pausable=LICENSING_NOT_COUNTED,
        counts_from="decision",
        note=(
            "10 days from the decision to grant (an approving decided event), stopped by the "
            "delivered event: the delivery clock of a licensing case (delivery_deadline, "
            "on_time_delivery). Working days (Art. 82)."
        ),
    ),
    TimeLimitRule(
        id="alicensing.hearing",
        title="组织听证 / hold the hearing",
        law=_ALICENSING,
        article="Art. 47",
        limit=TimeLimit(20, _WD),
        counts_from="hearing_request",
        note=(
            "The applicant requests a hearing within 5 days of being told of the right; the "
            "agency holds it within 20 days of the request (hearing_requested to hearing_held: "
            "hearing_deadline, on_time_hearing). Working days (Art. 82). Its time is not counted "
            "in the decision limit (Art. 45): the decision clocks stop from the request to the "
            "hearing."
        ),
    ),
    TimeLimitRule(
        id="alicensing.renewal",
        title="延续申请 / request a renewal before expiry",
        law=_ALICENSING,
        article="Art. 50",
        limit=TimeLimit(30, _DAYS),
        counts_from="expiry",
        confirmed=False,
        note=(
            "The holder requests renewal 30 days before the licence expires (counted backwards "
            "from expiry: a later application is late_renewal_application); the agency decides "
            "before the licence expires (renewal_deadline, the expiry date); no decision by then "
            "means renewal granted (deemed_renewed). The number is the statute's; counting it in "
            "calendar days is this library's reading (Art. 82 makes the agency's periods working "
            "days, and this one is the applicant's)."
        ),
    ),
    # ---- 政府信息公开条例 -----------------------------------------------------------
    TimeLimitRule(
        id="ogi.reply",
        title="答复政府信息公开申请 / reply to an information request",
        law=_OGI_2007,
        article="Art. 24",
        limit=TimeLimit(15, _WD),
        max_extension=15,
        extension_approver="政府信息公开工作机构负责人",
        pausable=frozenset({"third_party_consultation"}),
        counts_from="receipt",
        valid_from=date(2008, 5, 1),
        valid_until=date(2019, 5, 14),
        note=(
            "The 2007 text (old Art. 24): 15 working days from receipt, +15 with the approval "
            "of the head of the information-disclosure office; time consulting a third party is "
            "not counted. Governs requests received before 2019-05-15."
        ),
    ),
    TimeLimitRule(
        id="ogi.reply",
        title="答复政府信息公开申请 / reply to an information request",
        law=_OGI_2019,
        article="Art. 33",
        limit=TimeLimit(20, _WD),
        max_extension=20,
        extension_approver="政府信息公开工作机构负责人",
        pausable=frozenset({"third_party_consultation", "other_agency_consultation"}),
        counts_from="receipt",
        correction_restarts=True,
        valid_from=_OGI_2019_FROM,
        note=(
            "On the spot if possible, otherwise 20 working days from receipt, +20 with the "
            "approval of the head of the information-disclosure office; consultation with third "
            "parties or other agencies is not counted (Art. 33 ¶2: suspensions for "
            "third_party_consultation and other_agency_consultation). The day of receipt "
            "(Art. 31): in person, the day handed in; signed-for post, the day signed for; "
            "ordinary letter, the day confirmed with the applicant; online or fax, the day both "
            "sides confirm. After a "
            "correction notice the clock restarts when the corrected request arrives (Art. 30)."
        ),
    ),
    TimeLimitRule(
        id="ogi.correction",
        title="一次性告知补正 / notify every correction of an unclear request at once",
        law=_OGI_2019,
        article="Art. 30",
        limit=TimeLimit(7, _WD),
        counts_from="receipt",
        valid_from=_OGI_2019_FROM,
        note=(
            "Within 7 working days of receipt; the reply clock restarts when the corrected "
            "request arrives; no correction without good reason counts as withdrawn."
        ),
    ),
    TimeLimitRule(
        id="ogi.third_party",
        title="第三方提出意见 / a third party gives its opinion",
        law=_OGI_2019,
        article="Art. 32",
        limit=TimeLimit(15, _WD),
        counts_from="receipt",
        valid_from=_OGI_2019_FROM,
        note=(
            "The third party has 15 working days from receiving the consultation; the time is "
            "not counted in the reply limit (Art. 33)."
        ),
    ),
    # ---- other limits a hall meets ----------------------------------------------------
    TimeLimitRule(
        id="market_registration.decision",
        title="市场主体登记 / market-entity registration",
        law="市场主体登记管理条例 (2022)",
        article="Art. 19",
        limit=TimeLimit(3, _WD),
        max_extension=3,
        extension_approver="登记机关负责人",
        valid_from=date(2022, 3, 1),
        note=(
            "Register on the spot when the materials are complete; otherwise within 3 working "
            "days, +3 for complex cases with the approval of the registration body's head."
        ),
    ),
    _petition(
        "信访条例 (2005)",
        "Art. 33",
        "本行政机关负责人",
        (date(2005, 5, 1), date(2022, 4, 30)),
        "The 2005 regulations: 60 days from acceptance, +30 with the approval of the head of the "
        "administrative agency, the reasons told to the petitioner.",
    ),
    _petition(
        "信访工作条例 (2022)",
        "Art. 35",
        "本机关、单位负责人",
        (date(2022, 5, 1), None),
        "In force from 2022-05-01: 60 days from acceptance, +30 with the approval of the head of "
        "the agency or organisation, the reasons told to the petitioner.",
    ),
    TimeLimitRule(
        id="reconsideration.acceptance",
        title="审查行政复议申请 / examine a reconsideration application",
        law=_RECONSIDERATION_OLD,
        article="Art. 17",
        limit=TimeLimit(5, _WD),
        counts_from="receipt",
        acceptance_limit=5,
        valid_until=date(2023, 12, 31),
        note=(
            "The pre-2023 text: examine within 5 days of receipt and refuse in writing in that "
            "time; otherwise the application is accepted on the day of receipt (Art. 17 ¶2). 5 "
            "and 7 days are working days (Art. 40)."
        ),
    ),
    TimeLimitRule(
        id="reconsideration.acceptance",
        title="审查行政复议申请 / examine a reconsideration application",
        law=_RECONSIDERATION_NEW,
        article="Art. 30 (UNCONFIRMED)",
        limit=TimeLimit(5, _WD),
        counts_from="receipt",
        acceptance_limit=5,
        deemed_acceptance="review_end",
        deemed_after_correction=True,
        valid_from=_RECONSIDERATION_SWITCH,
        confirmed=False,
        note=(
            "Examine within 5 working days of receipt (Art. 88 ¶2: 3, 5, 7 and 10 days are "
            "working days); not refused by then, the application is deemed accepted on the day "
            "the review period ends (Art. 30 ¶3). Corrections are notified within 5 days of "
            "receipt (Art. 31); once they arrive the review runs again (Art. 31 ¶3)."
            + _RECONSIDERATION_NEW_NOTE
        ),
    ),
    TimeLimitRule(
        id="reconsideration.decision",
        title="作出行政复议决定 / reconsideration decision",
        law=_RECONSIDERATION_OLD,
        article="Art. 31",
        limit=TimeLimit(60, _DAYS),
        max_extension=30,
        extension_approver="行政复议机关的负责人",
        pausable=_RECONSIDERATION_PAUSES,
        counts_from="receipt",
        acceptance_limit=5,
        correction_pauses=True,
        valid_until=date(2023, 12, 31),
        note=(
            "The pre-2023 text: 60 calendar days from acceptance (unless a law sets less), +30 "
            "with approval. An application not refused within 5 working days is accepted on the "
            "day of receipt (Arts. 17 ¶2, 40), so the clock counts from receipt whenever the "
            "acceptance is recorded. A period ending on a rest day ends on the next working day "
            "(Art. 40: the Civil Procedure Law's periods). Not counted: appraisal (鉴定) time "
            "(实施条例 Art. 37) and the time from a correction notice to the corrections "
            "(实施条例 Art. 29, as recalled: not in the fact sheet)."
        ),
    ),
    TimeLimitRule(
        id="reconsideration.decision",
        title="作出行政复议决定 / reconsideration decision",
        law=_RECONSIDERATION_NEW,
        article="Art. 62 (UNCONFIRMED)",
        limit=TimeLimit(60, _DAYS),
        max_extension=30,
        extension_approver="行政复议机构的负责人",
        pausable=_RECONSIDERATION_PAUSES,
        acceptance_limit=5,
        deemed_acceptance="review_end",
        deemed_after_correction=True,
        simplified_rule="reconsideration.simplified",
        valid_from=_RECONSIDERATION_SWITCH,
        confirmed=False,
        note=(
            "Ordinary procedure: 60 calendar days from acceptance (unless a law sets less), +30 "
            "with the approval of the head of the reconsideration body. Acceptance is deemed on "
            "the day the 5-working-day review ends (Art. 30 ¶3). Periods other than 3, 5, 7 and "
            "10 days follow the Civil Procedure Law: a last day on a rest day moves to the next "
            "working day (Art. 88). Appraisal (鉴定) time is not counted (实施条例 Art. 37). A "
            "case may change to the simplified procedure (reconsideration.simplified)."
            + _RECONSIDERATION_NEW_NOTE
        ),
    ),
    TimeLimitRule(
        id="reconsideration.simplified",
        title="简易程序作出行政复议决定 / reconsideration decision, simplified procedure",
        law=_RECONSIDERATION_NEW,
        article="Art. 62 ¶2 (UNCONFIRMED)",
        limit=TimeLimit(30, _DAYS),
        pausable=_RECONSIDERATION_PAUSES,
        acceptance_limit=5,
        deemed_acceptance="review_end",
        deemed_after_correction=True,
        valid_from=_RECONSIDERATION_SWITCH,
        confirmed=False,
        note=(
            "Simplified procedure: 30 calendar days from acceptance, no extension. A case "
            "changes to it, or back to the ordinary procedure with the approval of the head of "
            "the reconsideration body (Art. 55 as recalled; the fact sheet says Art. 56), by a "
            "procedure_changed event; the limit of the procedure in force then counts from "
            "acceptance." + _RECONSIDERATION_NEW_NOTE
        ),
    ),
    TimeLimitRule(
        id="real_estate_registration.decision",
        title="不动产登记 / real-estate registration",
        law="不动产登记暂行条例",
        article="Art. 20",
        limit=TimeLimit(30, _WD),
        valid_from=_REAL_ESTATE_FROM,
        note=(
            "Finish the registration within 30 working days of accepting the application, "
            "unless a law says otherwise; local promises are much shorter. In force from "
            "2015-03-01, after the 房屋登记办法 rules (housing_registration.*). No extension or "
            "time not counted is set by the article."
        ),
    ),
    _housing("state_land", "国有土地范围内房屋所有权登记 / ownership, state land", 30),
    _housing("collective_land", "集体土地范围内房屋所有权登记 / ownership, collective land", 60),
    _housing("mortgage", "抵押权、地役权登记 / mortgage or easement", 10),
    _housing("advance", "预告登记 / advance registration", 10),
    _housing("correction", "更正登记 / correction registration", 10),
    _housing("objection", "异议登记 / objection registration", 1),
    # ---- 上报件: one local rule -------------------------------------------------------
    TimeLimitRule(
        id="reported.forward",
        title="上报上级机关 / forward a reported matter to the superior",
        law=_LOCAL,
        article="local practice",
        limit=TimeLimit(3, _WD),
        confirmed=False,
        note=(
            "One locality's rule (no standard definition found): forwarded to the superior "
            "within 3 working days of acceptance. Override it with your county's rule."
        ),
    ),
    TimeLimitRule(
        id="reported.reply",
        title="答复上报件 / answer the applicant after the superior's reply",
        law=_LOCAL,
        article="local practice",
        limit=TimeLimit(2, _WD),
        counts_from="superior_reply",
        confirmed=False,
        note=(
            "One locality's rule (no standard definition found): the applicant is answered "
            "within 2 working days of the superior's reply. Override it with your county's rule."
        ),
    ),
)

BUILTIN_RULES: RuleBook = RuleBook(_RULES)
"""The built-in time-limit rules (LAW.md), every version of every rule.

Ids: ``alicensing.acceptance``, ``.decision``, ``.joint``, ``.preliminary``,
``.delivery``, ``.hearing``, ``.renewal`` (行政许可法); ``ogi.reply`` (2007 and
2019 versions), ``ogi.correction``, ``ogi.third_party`` (政府信息公开条例);
``market_registration.decision``; ``petition.decision`` (信访条例 2005 and
信访工作条例 2022, unconfirmed article numbers); ``reconsideration.acceptance``
and ``.decision`` (pre-2023 text; 2024 versions unconfirmed) and
``.simplified`` (2024, unconfirmed); ``real_estate_registration.decision``
(不动产登记暂行条例 Art. 20, from 2015-03-01); ``housing_registration.state_land``,
``.collective_land``, ``.mortgage``, ``.advance``, ``.correction``, ``.objection``
(房屋登记办法 Art. 23, to 2015-02-28); ``reported.forward`` and ``.reply`` (a
local rule, unconfirmed).

.. versionadded:: 0.1
"""
