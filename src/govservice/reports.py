"""The period report: a centre's summary in sentences, tables and charts.

Every figure comes from :mod:`govservice.stats` (one source of truth): the
report only arranges them — sentences like a county's half-year summary, the
tables by unit and by month, monthly charts, the red-flag windows of each
month, and the problems list (units and matters not stationed, matters not
authorised, overdue cases).  Markdown and JSON need nothing more; the HTML
page is one self-contained file with its charts inline (matplotlib, the
``charts`` extra).
"""

from __future__ import annotations

import base64
import html
import io
import json
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

import attrs
import numpy as np

from govservice.assessment.records import Period, months_of
from govservice.cases import Clock
from govservice.cases.batch import read_batch
from govservice.cases.table import CaseTable
from govservice.provenance import Provenance
from govservice.stats import (
    CatalogueCoverage,
    Compression,
    Figures,
    catalogue_coverage,
    compression,
    figures,
)

__all__ = ["OverdueCase", "Report", "build_report", "months_of"]


@attrs.frozen
class OverdueCase:
    """An open case past its deadline at the report's end, for the problems list.

    .. versionadded:: 0.1
    """

    case: str
    matter: str
    window: str
    deadline: date
    statutory: bool


@attrs.frozen
class Report:
    """Everything a period report says, before it is rendered.

    Attributes:
        centre: the centre's name.
        period: the period reported.
        total: the centre's figures for the whole period.
        by_unit: figures per unit.
        by_month: figures per month.
        volume: cases received per month and unit.
        coverage: stationing and authorisation of the catalogue.
        compression: promised against statutory limits.
        red_flags: the red-flag windows of each month (if assessed).
        overdue: open cases past their deadline at the end.
        provenance: the centre, its region chain, its plugins and versions and
            the catalogue's fingerprint; every rendering ends with it.

    .. versionadded:: 0.1
    """

    centre: str
    period: Period
    total: Figures
    by_unit: Mapping[str, Figures]
    by_month: Mapping[str, Figures]
    volume: Mapping[str, Mapping[str, int]]
    coverage: CatalogueCoverage
    compression: Compression
    red_flags: Mapping[str, Sequence[str]]
    overdue: tuple[OverdueCase, ...]
    provenance: Provenance | None = None

    # ------------------------------------------------------------ sentences

    def sentences(self) -> list[str]:
        """The summary in sentences, as a county's report words it."""
        t, cov, comp = self.total, self.coverage, self.compression

        def pct(x: Decimal | None) -> str:
            return "–" if x is None else f"{x * 100:.1f}%"

        out = [
            f"From {self.period.start} to {self.period.end} the centre received {t.received:,} "
            f"applications, accepted {t.accepted:,} and decided {t.decided:,}, and collected "
            f"{_yuan(t.fees)} of taxes and fees.",
            f"{pct(cov.immediate_share)} of the matters stationed in the centre are handled on "
            f"the spot (即办件); {pct(t.on_the_spot_share)} of the cases decided were decided on "
            f"the day they were received.",
        ]
        if comp.average is not None:
            out.append(
                f"Promised limits are on average {pct(comp.average)} shorter than the statutory "
                f"ones over {len(comp.matters)} matters (compression = {comp.FORMULA})."
            )
        out.append(
            f"{pct(t.on_time_rate_promised)} of the cases decided kept the promised limit and "
            f"{pct(t.on_time_rate_statutory)} the statutory one; the average case used "
            f"{t.mean_working_days or 0} working days."
        )
        out.append(
            f"At the end of the period {t.open:,} cases were open, {t.overdue:,} of them past "
            f"their deadline ({t.yellow:,} on a yellow card, {t.reminders:,} with a reminder)."
        )
        out.append(
            f"{t.evaluations:,} 好差评 evaluations were made, {pct(t.good_rate)} of them good "
            f"(levels 3–5)."
        )
        out.append(
            f"{pct(cov.stationing_rate)} of the catalogue's {cov.matters} matters are stationed "
            f"in the centre and {pct(cov.authorisation_rate)} of those are fully authorised."
        )
        if cov.unstationed_units or cov.unstationed_matters or cov.unauthorised_matters:
            out.append(
                f"Some units' matters are not yet stationed ({len(cov.unstationed_matters)} "
                f"matters; units not stationed: {', '.join(cov.unstationed_units) or 'none'}) "
                f"and {len(cov.unauthorised_matters)} stationed matter(s) are not authorised."
            )
        return out

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data: every figure, as the statistics give it."""
        return {
            "centre": self.centre,
            "from": self.period.start.isoformat(),
            "to": self.period.end.isoformat(),
            "summary": self.sentences(),
            "total": self.total.as_dict(),
            "by_unit": {k: v.as_dict() for k, v in self.by_unit.items()},
            "by_month": {k: v.as_dict() for k, v in self.by_month.items()},
            "volume": {k: dict(v) for k, v in self.volume.items()},
            "coverage": {
                "matters": self.coverage.matters,
                "stationed": self.coverage.stationed,
                "authorised": self.coverage.authorised,
                "immediate": self.coverage.immediate,
                "stationing_rate": _s(self.coverage.stationing_rate),
                "authorisation_rate": _s(self.coverage.authorisation_rate),
                "immediate_share": _s(self.coverage.immediate_share),
                "unstationed_units": list(self.coverage.unstationed_units),
                "unstationed_matters": list(self.coverage.unstationed_matters),
                "unauthorised_matters": list(self.coverage.unauthorised_matters),
            },
            "compression": {
                "formula": self.compression.FORMULA,
                "average": _s(self.compression.average),
                "matters": [
                    {
                        "code": m.code,
                        "statutory": m.statutory,
                        "promised": m.promised,
                        "ratio": str(m.ratio),
                    }
                    for m in self.compression.matters
                ],
            },
            "red_flags": {k: list(v) for k, v in self.red_flags.items()},
            "overdue": [
                {
                    "case": o.case,
                    "matter": o.matter,
                    "window": o.window,
                    "deadline": o.deadline.isoformat(),
                    "statutory": o.statutory,
                }
                for o in self.overdue
            ],
            "provenance": self.provenance.to_dict() if self.provenance else None,
        }

    # ------------------------------------------------------------ renderings

    _COLUMNS = (
        ("received", "received"),
        ("decided", "decided"),
        ("on_the_spot_share", "on the spot"),
        ("on_time_rate_promised", "on time (promise)"),
        ("on_time_rate_statutory", "on time (law)"),
        ("mean_working_days", "avg days"),
        ("open", "open"),
        ("overdue", "overdue"),
        ("good_rate", "good rate"),
        ("fees", "fees"),
    )

    def _rows(self, groups: Mapping[str, Figures]) -> list[list[str]]:
        return [
            [k, *(_cell(getattr(f, name)) for name, _ in self._COLUMNS)] for k, f in groups.items()
        ]

    def to_json(self) -> str:
        """The report as JSON text."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=1)

    def to_markdown(self) -> str:
        """The report as Markdown (tables; no charts)."""
        head = [label for _, label in self._COLUMNS]
        out = [f"# {self.centre}: report {self.period.start} – {self.period.end}", ""]
        out += [f"- {s}" for s in self.sentences()]
        out += ["", "## By unit", "", _md(["unit", *head], self._rows(self.by_unit)), ""]
        out += ["## By month", "", _md(["month", *head], self._rows(self.by_month)), ""]
        if self.red_flags:
            out += ["## Red-flag windows (流动红旗窗口)", ""]
            out += [f"- {m}: {', '.join(w) or 'none'}" for m, w in self.red_flags.items()]
            out.append("")
        out += ["## Problems", "", *self._problems_md(), ""]
        if self.provenance:
            out += [self.provenance.to_markdown(), ""]
        return "\n".join(out)

    def _problems_md(self) -> list[str]:
        cov = self.coverage
        lines = [
            f"- Units not stationed: {', '.join(cov.unstationed_units) or 'none'}",
            f"- Matters not stationed ({len(cov.unstationed_matters)}): "
            f"{', '.join(cov.unstationed_matters) or 'none'}",
            f"- Stationed matters not authorised ({len(cov.unauthorised_matters)}): "
            f"{', '.join(cov.unauthorised_matters) or 'none'}",
            f"- Open cases past their deadline at the end: {len(self.overdue)}",
        ]
        lines += [
            f"  - {o.case} ({o.matter}, window {o.window or '–'}): due {o.deadline}"
            + (", past the statutory limit" if o.statutory else "")
            for o in self.overdue[:50]
        ]
        if len(self.overdue) > 50:
            lines.append(f"  - … and {len(self.overdue) - 50} more")
        return lines

    def charts(self) -> dict[str, str]:
        """The monthly charts as SVG text: volume by unit, on-time rate, fees, red flags.

        Raises:
            ImportError: matplotlib is not installed (``pip install 'govservice[charts]'``).
        """
        try:
            import matplotlib

            matplotlib.use("Agg")
            import matplotlib.pyplot as plt
        except ImportError:
            raise ImportError(
                "the HTML report's charts need matplotlib: pip install 'govservice[charts]'"
            ) from None
        months = list(self.by_month)
        out: dict[str, str] = {}

        def save(fig: Any, name: str) -> None:
            buf = io.StringIO()
            fig.savefig(buf, format="svg", bbox_inches="tight")
            plt.close(fig)
            out[name] = buf.getvalue()

        fig, ax = plt.subplots(figsize=(8, 3.6))
        bottom = np.zeros(len(months))
        units = sorted({u for m in self.volume.values() for u in m})
        top = sorted(units, key=lambda u: -sum(self.volume[m].get(u, 0) for m in months))[:8]
        for unit in top + (["other"] if len(units) > len(top) else []):
            values = np.array(
                [
                    sum(v for u, v in self.volume.get(m, {}).items() if u not in top)
                    if unit == "other"
                    else self.volume.get(m, {}).get(unit, 0)
                    for m in months
                ],
                dtype=float,
            )
            ax.bar(months, values, bottom=bottom, label=unit)
            bottom += values
        ax.set_title("Cases received per month, by unit")
        ax.legend(fontsize=7, bbox_to_anchor=(1.01, 1), loc="upper left")
        save(fig, "volume")

        fig, ax = plt.subplots(figsize=(8, 3))
        for attr, label in (
            ("on_time_rate_promised", "promise"),
            ("on_time_rate_statutory", "law"),
        ):
            rates = [getattr(self.by_month[m], attr) for m in months]
            ys = [float("nan") if x is None else float(x) * 100 for x in rates]  # no decisions
            ax.plot(months, ys, marker="o", label=f"on time against the {label}")
        ax.set_ylim(0, 105)
        ax.set_ylabel("%")
        ax.set_title("On-time rate of decided cases")
        ax.legend(fontsize=8)
        save(fig, "on_time")

        fig, ax = plt.subplots(figsize=(8, 3))
        ax.bar(months, [float(self.by_month[m].fees) / 10_000 for m in months], color="#b71c1c")
        ax.set_ylabel("10,000 yuan")
        ax.set_title("Taxes and fees collected")
        save(fig, "fees")

        if self.red_flags:
            fig, ax = plt.subplots(figsize=(8, 2.6))
            windows = sorted({w for ws in self.red_flags.values() for w in ws})
            flagged = list(self.red_flags)
            for k, w in enumerate(windows):
                xs = [i for i, m in enumerate(flagged) if w in self.red_flags[m]]
                ax.scatter(xs, [k] * len(xs), marker="s", s=120, color="#b71c1c")
            ax.set_xticks(range(len(flagged)), flagged)
            ax.set_xlim(-0.5, len(flagged) - 0.5)
            ax.set_yticks(range(len(windows)), windows)
            ax.set_title("Red-flag windows per month")
            save(fig, "red_flags")
        return out

    def to_html(self) -> str:
        """The report as one self-contained HTML page, charts inline."""
        esc = html.escape
        head = [label for _, label in self._COLUMNS]
        charts = self.charts()
        parts = [
            "<!doctype html><html lang=zh><head><meta charset=utf-8>",
            f"<title>{esc(self.centre)} report</title><style>{_CSS}</style></head><body>",
            f"<h1>{esc(self.centre)}: report {self.period.start} – {self.period.end}</h1>",
            "<ul class=summary>",
            *(f"<li>{esc(s)}</li>" for s in self.sentences()),
            "</ul><h2>Charts</h2><div class=charts>",
            *(
                f"<figure><img alt='{esc(name)}' src='data:image/svg+xml;base64,"
                f"{base64.b64encode(svg.encode()).decode()}'></figure>"
                for name, svg in charts.items()
            ),
            "</div><h2>By unit</h2>",
            _html(["unit", *head], self._rows(self.by_unit)),
            "<h2>By month</h2>",
            _html(["month", *head], self._rows(self.by_month)),
        ]
        if self.red_flags:
            parts.append("<h2>Red-flag windows (流动红旗窗口)</h2><ul>")
            parts += [
                f"<li>{esc(m)}: {esc(', '.join(w) or 'none')}</li>"
                for m, w in self.red_flags.items()
            ]
            parts.append("</ul>")
        parts.append("<h2>Problems</h2><ul class=problems>")
        parts += [f"<li>{esc(line.strip(' -'))}</li>" for line in self._problems_md()]
        parts.append("</ul>")
        if self.provenance:
            parts.append(self.provenance.to_html())
        parts.append("</body></html>")
        return "".join(parts)


_CSS = """
body{font-family:system-ui,"Noto Sans CJK SC","PingFang SC",sans-serif;margin:2em auto;
max-width:70em;color:#222;line-height:1.5;padding:0 1em}
h1{border-bottom:3px solid #b71c1c;padding-bottom:.3em}h2{color:#b71c1c;margin-top:1.5em}
table{border-collapse:collapse;margin:.5em 0 1em;font-size:.9em}
th,td{border:1px solid #ccc;padding:.3em .55em;text-align:right}th{background:#f3f3f3}
td:first-child,th:first-child{text-align:left}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(30em,1fr));gap:1em}
figure{margin:0}img{max-width:100%}ul.summary li{margin:.3em 0}
"""


def _s(x: Decimal | None) -> str | None:
    return None if x is None else str(x)


def _yuan(x: Decimal) -> str:
    if x >= 1_000_000:
        return f"{x / 1_000_000:.2f} million yuan"
    return f"{x:,.2f} yuan"


def _cell(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, Decimal) and value <= 1 and value.as_tuple().exponent == -4:
        return f"{value * 100:.1f}%"
    if isinstance(value, int | Decimal):
        return f"{value:,}"
    return str(value)


def _md(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in rows])


def _html(header: list[str], rows: list[list[str]]) -> str:
    esc = html.escape
    th = "".join(f"<th>{esc(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"


def _received_by_month_and_unit(
    table: CaseTable, clock: Clock, period: Period
) -> dict[str, dict[str, int]]:
    """Cases received per month and unit (the statistics' ``received``, one pass)."""
    f = table.facts
    start, end = np.datetime64(period.start, "D"), np.datetime64(period.end, "D")
    rows = np.flatnonzero((f.submitted_on >= start) & (f.submitted_on <= end))
    units = [
        clock.catalogue.matters[c].unit if c in clock.catalogue.matters else ""
        for c in f.matter_codes
    ]
    names, unit_of_matter = np.unique(np.array(units, dtype=str), return_inverse=True)
    first = np.datetime64(period.start, "M")
    month = (f.submitted_on[rows].astype("datetime64[M]") - first).astype(np.int64)
    unit = unit_of_matter.reshape(-1)[f.matter[rows]]
    months = months_of(period)
    counts = np.bincount(month * len(names) + unit, minlength=len(months) * len(names))
    return {
        m.label: {
            str(names[u]): int(counts[k * len(names) + u])
            for u in range(len(names))
            if counts[k * len(names) + u]
        }
        for k, m in enumerate(months)
    }


def build_report(
    table: CaseTable,
    clock: Clock,
    period: Period,
    *,
    centre: str = "政务服务中心",
    payments: Sequence[Mapping[str, Any]] = (),
    red_flags: Mapping[str, Sequence[str]] | None = None,
    provenance: Provenance | None = None,
) -> Report:
    """Gather every figure of the report from the statistics.

    Args:
        table: the cases.
        clock: the clock (catalogue, calendar).
        period: the period reported.
        centre: the centre's name.
        payments: ``payment`` records for the fees.
        red_flags: the red-flag windows of each month, from the assessments.
        provenance: what the report ends with (the centre, its plugins, the
            catalogue's fingerprint).
    """
    total = figures(table, clock, period, payments=payments).get("centre", Figures())
    by_unit = figures(table, clock, period, by="unit", payments=payments)
    by_month = figures(table, clock, period, by="month", payments=payments)
    volume = _received_by_month_and_unit(table, clock, period)
    r = read_batch(clock, table.facts, period.end_instant(clock.calendar.timezone))
    late = np.flatnonzero(r.open & (r.alert == 3))
    basis = np.where(np.isnat(r.promised_deadline), r.statutory_deadline, r.promised_deadline)
    end = np.datetime64(period.end, "D")
    codes = table.facts.matter_codes
    overdue = tuple(
        OverdueCase(
            case=str(table.facts.case[i]),
            matter=codes[int(table.facts.matter[i])],
            window=str(table.window[i]),
            deadline=basis[i].astype(date),
            statutory=bool(r.statutory_deadline[i] < end),
        )
        for i in late
    )
    return Report(
        centre=centre,
        period=period,
        total=total,
        by_unit=by_unit,
        by_month=by_month,
        volume=volume,
        coverage=catalogue_coverage(clock.catalogue),
        compression=compression(clock.catalogue),
        red_flags=dict(red_flags or {}),
        overdue=tuple(sorted(overdue, key=lambda o: (o.deadline, o.case))),
        provenance=provenance,
    )
