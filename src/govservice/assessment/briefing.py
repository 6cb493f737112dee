"""The month's briefing: the assessment as Markdown, HTML, JSON or a DataFrame.

One structure (:func:`briefing_tables`) feeds every format, so they always
say the same thing: the red-flag windows and service stars, how ties were
broken, the windows' and staff's scores, a table per dimension, every
deduction with its evidence and the rules applied.  Chinese by default,
English with ``language="en"``; windows and staff by name with their code.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from govservice.assessment.engine import DIMENSIONS, Assessment, Score
from govservice.i18n import month, render, translations

if TYPE_CHECKING:
    import pandas

__all__ = ["briefing_tables", "to_dataframe", "to_html", "to_json", "to_markdown"]


def _num(value: Decimal) -> int | float:
    """A score as a JSON number: an integer when whole."""
    return int(value) if value == value.to_integral_value() else float(value)


def _signed(value: Decimal) -> str:
    return f"{value:+}" if value != 0 else "0"


_ROLE = re.compile(r":[a-z]+:`~?([^`<]*?)(?:\s*<[^>]*>)?`")


def plain(text: str) -> str:
    """A docstring's first paragraph without its reStructuredText markup.

    Example:
        >>> from govservice.assessment.briefing import plain
        >>> plain("Points, see :func:`~govservice.x.f` and ``default.commendations``.")
        'Points, see f and default.commendations.'
    """
    first = text.strip().split("\n\n")[0]
    first = _ROLE.sub(lambda m: m.group(1).rsplit(".", 1)[-1], first)
    return " ".join(first.replace("``", "").split())


def _language(assessment: Assessment, language: str | None) -> str:
    if language:
        return language
    return assessment.provenance.language if assessment.provenance else "zh"


def briefing_tables(assessment: Assessment, language: str | None = None) -> dict[str, Any]:
    """The briefing's content as data: scores and points are numbers.

    Args:
        assessment: the month's assessment.
        language: ``"zh"`` or ``"en"`` for the reasons and rule descriptions
            (default: the assessment's centre's language, else ``"zh"``).
    """
    lang = _language(assessment, language)
    _ = translations(lang).gettext
    names = assessment.names

    def row(s: Score) -> dict[str, Any]:
        return {
            "rank": s.rank,
            "code": s.subject,
            "name": names.subject(s.subject_kind, s.subject, lang),
            "score": _num(s.total),
            **{d: _num(s.by_dimension[d]) for d in DIMENSIONS},
            "composite": None if s.composite is None else _num(s.composite),
            "deductions": _num(s.deductions),
            "cases": s.cases,
            "vetoed": s.vetoed,
        }

    return {
        "period": assessment.period,
        "language": lang,
        "rubric": {
            "base": _num(assessment.rubric.base),
            "cap": _num(assessment.rubric.cap),
            "floor": _num(assessment.rubric.floor),
            "red_flags": assessment.rubric.red_flags,
            "red_flag_min": _num(assessment.rubric.red_flag_min),
            "stars": assessment.rubric.stars,
            "star_min": _num(assessment.rubric.star_min),
        },
        "red_flags": list(assessment.red_flags),
        "stars": list(assessment.stars),
        "windows": [row(s) for s in assessment.windows],
        "staff": [row(s) for s in assessment.staff],
        "items": [
            {
                "kind": s.subject_kind,
                "code": s.subject,
                "name": names.subject(s.subject_kind, s.subject, lang),
                "rule": i.rule,
                "dimension": i.dimension,
                "points": _num(i.points),
                "reason": i.text(lang, names),
                "evidence": list(i.evidence),
                "veto": i.veto,
            }
            for s in (*assessment.windows, *assessment.staff)
            for i in s.items
        ],
        "rules": [
            {"name": r.name, "dimension": r.dimension, "description": _(plain(r.description))}
            for r in assessment.rules
        ],
        "provenance": assessment.provenance.to_dict() if assessment.provenance else None,
    }


def _ties(scores: tuple[Score, ...]) -> list[tuple[Decimal, int]]:
    """Scores shared by more than one subject, with how many share each."""
    counts: dict[Decimal, int] = {}
    for s in scores:
        value = s.composite if s.composite is not None else s.total
        counts[value] = counts.get(value, 0) + 1
    return sorted(((v, n) for v, n in counts.items() if n > 1), reverse=True)


def _context(assessment: Assessment, language: str | None) -> dict[str, Any]:
    lang = _language(assessment, language)
    _ = translations(lang).gettext
    t = briefing_tables(assessment, lang)
    r = t["rubric"]
    dims = {
        "efficiency": _("efficiency"),
        "quality": _("quality"),
        "satisfaction": _("satisfaction"),
        "discipline": _("discipline"),
    }
    composite = assessment.rubric.composite is not None

    def score_table(rows: list[dict[str, Any]], with_composite: bool) -> list[list[str]]:
        return [
            [
                str(x["rank"]),
                x["name"],
                str(x["score"]),
                *(_signed(Decimal(str(x[d]))) for d in DIMENSIONS),
                *([str(x["composite"])] if with_composite else []),
                str(x["cases"]),
                _("veto") if x["vetoed"] else "",
            ]
            for x in rows
        ]

    head = [_("rank"), _("name"), _("score"), *(dims[d] for d in DIMENSIONS)]
    tail = [_("cases"), _("veto (一票否决)")]
    ties = []
    for kind, scores in ((_("windows"), assessment.windows), (_("staff"), assessment.staff)):
        for value, n in _ties(scores):
            ties.append(
                _("%(count)s %(kind)s share %(score)s points.")
                % {"count": n, "kind": kind, "score": _num(value)}
            )
    per_dimension = {}
    for d in DIMENSIONS:
        ranked = sorted(assessment.windows, key=lambda s: -s.by_dimension[d])
        per_dimension[dims[d]] = [
            [t["windows"][s.rank - 1]["name"], _signed(s.by_dimension[d])]
            for s in ranked
            if s.by_dimension[d] != 0
        ]
    return {
        "title": _("%(month)s monthly assessment briefing") % {"month": month(t["period"], lang)},
        "rules_sentence": _(
            "Scores start at %(base)s and stay within %(floor)s–%(cap)s. Up to %(red_flags)s "
            "red-flag windows scoring at least %(red_flag_min)s, and up to %(stars)s service "
            "stars scoring at least %(star_min)s; a veto bars both."
        )
        % r,
        "ranking_sentence": _(
            "Ranking: the higher score first (the composite where there is one); on a tie, "
            "fewer deduction points, then more cases handled, then the code."
        ),
        "ties": ties,
        "red_flags": [assessment.names.window(w, lang) for w in assessment.red_flags],
        "stars": [assessment.names.member(s, lang) for s in assessment.stars],
        "windows_head": head + ([_("composite")] if composite else []) + tail,
        "windows": score_table(t["windows"], composite),
        "staff_head": head + tail,
        "staff": score_table(t["staff"], False),
        "per_dimension": per_dimension,
        "deductions_head": [
            _("name"),
            _("points"),
            _("dimension"),
            _("reason"),
            _("evidence"),
        ],
        "deductions": [
            [
                i["name"],
                _signed(Decimal(str(i["points"]))),
                dims[i["dimension"]],
                i["reason"] + (" " + _("(veto)") if i["veto"] else ""),
                ", ".join(i["evidence"]),
            ]
            for i in t["items"]
            if i["points"] < 0 or i["veto"]
        ],
        "rules_head": [_("rule"), _("dimension"), _("what it scores")],
        "rules": [[x["name"], dims[x["dimension"]], x["description"]] for x in t["rules"]],
        "language": lang,
    }


def to_markdown(assessment: Assessment, language: str | None = None) -> str:
    """The briefing as Markdown, every value escaped (default language: the centre's, else zh)."""
    context = _context(assessment, language)
    return render("briefing.md", context.pop("language"), assessment.provenance, **context)


def to_html(assessment: Assessment, language: str | None = None) -> str:
    """The briefing as one self-contained HTML page, every value escaped."""
    context = _context(assessment, language)
    return render("briefing.html", context.pop("language"), assessment.provenance, **context)


def to_json(assessment: Assessment, language: str | None = None) -> str:
    """The briefing's data (:func:`briefing_tables`) as JSON."""
    return json.dumps(briefing_tables(assessment, language), ensure_ascii=False, indent=1)


def to_dataframe(assessment: Assessment) -> pandas.DataFrame:
    """One row per window and staff member: scores by dimension, rank, veto.

    Raises:
        ImportError: pandas is not installed (``pip install 'govservice[pandas]'``).
    """
    try:
        import pandas as pd
    except ImportError:
        raise ImportError("to_dataframe needs pandas: pip install 'govservice[pandas]'") from None
    rows = [
        {
            "kind": s.subject_kind,
            "subject": s.subject,
            "rank": s.rank,
            "score": float(s.total),
            **{d: float(s.by_dimension[d]) for d in DIMENSIONS},
            "composite": None if s.composite is None else float(s.composite),
            "vetoed": s.vetoed,
            "red_flag": s.subject_kind == "window" and s.subject in assessment.red_flags,
            "star": s.subject_kind == "staff" and s.subject in assessment.stars,
        }
        for s in (*assessment.windows, *assessment.staff)
    ]
    return pd.DataFrame(rows)
