"""The month's briefing: the assessment as Markdown, HTML, JSON or a DataFrame.

One structure (:func:`briefing_tables`) feeds every format, so they always
say the same thing: a table per dimension, the red-flag windows and service
stars, and every deduction with its evidence.
"""

from __future__ import annotations

import html
import json
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from govservice.assessment.engine import DIMENSIONS, Assessment, Score

if TYPE_CHECKING:
    import pandas

__all__ = ["briefing_tables", "to_dataframe", "to_html", "to_json", "to_markdown"]

_DIMENSION_NAMES = {
    "efficiency": "效率 efficiency",
    "quality": "质量 quality",
    "satisfaction": "满意度 satisfaction",
    "discipline": "纪律 discipline",
}


def _fmt(value: Decimal | None) -> str:
    return "" if value is None else f"{value:+}" if value != 0 else "0"


def briefing_tables(assessment: Assessment) -> dict[str, Any]:
    """The briefing's content as plain tables (lists of rows), for any format."""

    def score_rows(scores: tuple[Score, ...]) -> list[list[str]]:
        return [
            [
                str(s.rank),
                s.subject,
                str(s.total),
                *(_fmt(s.by_dimension[d]) for d in DIMENSIONS),
                *([str(s.composite)] if s.composite is not None else []),
                "veto" if s.vetoed else "",
            ]
            for s in scores
        ]

    composite = assessment.rubric.composite is not None
    header = ["rank", "subject", "score", *DIMENSIONS, *(["composite"] if composite else []), ""]
    deductions = [
        [s.subject_kind, s.subject, str(i.points), i.dimension, i.reason, ", ".join(i.evidence)]
        for s in (*assessment.windows, *assessment.staff)
        for i in s.items
        if i.points < 0 or i.veto
    ]

    def dimension_rows(d: str) -> list[list[str]]:
        ranked = sorted(assessment.windows, key=lambda s: -s.by_dimension[d])
        return [[s.subject, _fmt(s.by_dimension[d])] for s in ranked if s.by_dimension[d] != 0]

    per_dimension = {d: dimension_rows(d) for d in DIMENSIONS}
    return {
        "period": assessment.period,
        "rubric": {
            "base": str(assessment.rubric.base),
            "cap": str(assessment.rubric.cap),
            "red_flags": assessment.rubric.red_flags,
            "red_flag_min": str(assessment.rubric.red_flag_min),
            "stars": assessment.rubric.stars,
            "star_min": str(assessment.rubric.star_min),
        },
        "red_flags": list(assessment.red_flags),
        "stars": list(assessment.stars),
        "header": header,
        "windows": score_rows(assessment.windows),
        "staff": score_rows(assessment.staff),
        "per_dimension": per_dimension,
        "deductions": deductions,
        "rules": [[r.name, r.dimension, r.description] for r in assessment.rules],
        "provenance": assessment.provenance.to_dict() if assessment.provenance else None,
    }


def _md_table(header: list[str], rows: list[list[str]]) -> str:
    def cell(x: str) -> str:
        return x.replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def to_markdown(assessment: Assessment) -> str:
    """The briefing as Markdown."""
    t = briefing_tables(assessment)
    r = t["rubric"]
    out = [
        f"# {t['period']} 月度考核通报 — monthly assessment",
        "",
        f"Base {r['base']}, cap {r['cap']}; up to {r['red_flags']} red-flag windows "
        f"scoring at least {r['red_flag_min']}; up to {r['stars']} service stars scoring at "
        f"least {r['star_min']}.",
        "",
        "## 流动红旗窗口 Red-flag windows",
        "",
        ", ".join(t["red_flags"]) or "none this month",
        "",
        "## 服务之星 Service stars",
        "",
        ", ".join(t["stars"]) or "none this month",
        "",
        "## Windows",
        "",
        _md_table(t["header"], t["windows"]),
        "",
    ]
    for d in DIMENSIONS:
        rows = t["per_dimension"][d]
        out += [f"## {_DIMENSION_NAMES[d]}", ""]
        out += [_md_table(["window", "points"], rows) if rows else "no items", ""]
    out += ["## Staff", "", _md_table(t["header"], t["staff"]), ""]
    out += [
        "## Deductions and vetoes, with their evidence",
        "",
        _md_table(["kind", "subject", "points", "dimension", "reason", "evidence"], t["deductions"])
        if t["deductions"]
        else "none",
        "",
        "## Rules applied",
        "",
        _md_table(["rule", "dimension", "what it scores"], t["rules"]),
        "",
    ]
    if assessment.provenance:
        out += [assessment.provenance.to_markdown(), ""]
    return "\n".join(out)


_CSS = """
body{font-family:system-ui,"Noto Sans CJK SC","PingFang SC",sans-serif;margin:2em auto;
max-width:68em;color:#222;line-height:1.45}
h1{border-bottom:3px solid #b71c1c;padding-bottom:.3em}h2{color:#b71c1c;margin-top:1.6em}
table{border-collapse:collapse;margin:.5em 0 1em;font-size:.92em}
th,td{border:1px solid #ccc;padding:.3em .6em;text-align:left}th{background:#f3f3f3}
td.num{text-align:right;font-variant-numeric:tabular-nums}.badge{display:inline-block;
background:#b71c1c;color:#fff;border-radius:.3em;padding:.1em .5em;margin:.1em}
.star{background:#f9a825;color:#222}
"""


def _html_table(header: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)

    def cell(x: str) -> str:
        numeric = x.lstrip("+-").replace(".", "", 1).isdigit()
        return f"<td{' class=num' if numeric else ''}>{html.escape(x)}</td>"

    body = "".join("<tr>" + "".join(cell(c) for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def to_html(assessment: Assessment) -> str:
    """The briefing as one self-contained HTML page."""
    t = briefing_tables(assessment)
    esc = html.escape
    parts = [
        "<!doctype html><html lang=zh><head><meta charset=utf-8>",
        f"<title>{esc(t['period'])} 月度考核通报</title><style>{_CSS}</style></head><body>",
        f"<h1>{esc(t['period'])} 月度考核通报 — monthly assessment</h1>",
        "<h2>流动红旗窗口 Red-flag windows</h2><p>",
        "".join(f"<span class=badge>{esc(w)}</span>" for w in t["red_flags"]) or "none",
        "</p><h2>服务之星 Service stars</h2><p>",
        "".join(f"<span class='badge star'>{esc(s)}</span>" for s in t["stars"]) or "none",
        "</p><h2>Windows</h2>",
        _html_table(t["header"], t["windows"]),
    ]
    for d in DIMENSIONS:
        rows = t["per_dimension"][d]
        parts.append(f"<h2>{esc(_DIMENSION_NAMES[d])}</h2>")
        parts.append(_html_table(["window", "points"], rows) if rows else "<p>no items</p>")
    parts += [
        "<h2>Staff</h2>",
        _html_table(t["header"], t["staff"]),
        "<h2>Deductions and vetoes, with their evidence</h2>",
        _html_table(
            ["kind", "subject", "points", "dimension", "reason", "evidence"], t["deductions"]
        ),
        "<h2>Rules applied</h2>",
        _html_table(["rule", "dimension", "what it scores"], t["rules"]),
        assessment.provenance.to_html() if assessment.provenance else "",
        "</body></html>",
    ]
    return "".join(parts)


def to_json(assessment: Assessment) -> str:
    """The briefing's tables as JSON."""
    return json.dumps(briefing_tables(assessment), ensure_ascii=False, indent=1)


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
