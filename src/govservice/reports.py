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
import io
import json
import warnings
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar

import attrs
import numpy as np

from govservice.assessment.records import Period, months_of
from govservice.cases import Clock
from govservice.cases.table import CaseTable
from govservice.fonts import svg_text_params
from govservice.i18n import Names, day, month, number, percent, render, translations, yuan
from govservice.provenance import Provenance
from govservice.stats import (
    CatalogueCoverage,
    Compression,
    Figures,
    catalogue_coverage,
    compression,
    figures,
)

__all__ = ["OverdueCase", "Report", "Section", "build_report", "months_of"]


@attrs.frozen
class OverdueCase:
    """An open case late at the report's end, for the problems list.

    Attributes:
        case: the case id.
        matter: its matter's code.
        window: the window that handled it (``""`` when none).
        deadline: its deadline (the promise's, else the law's).
        statutory: past the statutory deadline too.

    .. versionadded:: 0.1
    """

    case: str
    matter: str
    window: str
    deadline: date
    statutory: bool


@attrs.frozen
class Section:
    """One part of the report: a heading and its sentences.

    Attributes:
        key: what the section is (``overview``, ``stationing``, ``problems`` …).
        title: its heading, in the report's language.
        sentences: its sentences.
        level: 2 for a part, 3 for a part within 主要工作.

    .. versionadded:: 0.1
    """

    key: str
    title: str
    sentences: tuple[str, ...]
    level: int = 2


@attrs.frozen
class Report:
    """Everything a period report says, before it is rendered.

    Attributes:
        centre: the centre's name.
        period: the period reported.
        total: the centre's figures for the whole period.
        by_unit: figures per unit.
        by_month: figures per month (open cases and alerts as of each month's end).
        volume: cases received per month and unit.
        coverage: stationing and authorisation of the catalogue.
        compression: promised against statutory limits.
        red_flags: the red-flag windows of each month (if assessed).
        overdue: open cases late at the end.
        provenance: the centre, its region chain, its plugins and versions and
            the catalogue's fingerprint; every rendering ends with it.
        by_window: figures per window that handled the cases.
        names: the catalogue's names of windows, staff, matters and units.
        language: ``"zh"`` (the default) or ``"en"``.

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
    by_window: Mapping[str, Figures] = attrs.field(factory=dict)
    names: Names = attrs.field(factory=Names)
    language: str = "zh"

    # ------------------------------------------------------------ sentences

    def sections(self) -> list[Section]:
        """The report as a county's half-year summary words it, section by section.

        基本情况 (the figures), 主要工作 (stationing and authorisation,
        compression of time limits, on-the-spot handling, supervision,
        evaluations) and 存在问题 (what falls short); every figure is the
        statistics'.
        """
        lang = self.language
        tr = translations(lang)
        _, ngettext = tr.gettext, tr.ngettext
        t, cov, comp = self.total, self.coverage, self.compression
        names = self.names

        def pct(x: Decimal | None) -> str:
            return percent(x, lang)

        def n(x: int) -> str:
            return number(x, lang)

        def listed(items: Sequence[str]) -> str:
            return _(", ").join(items) if items else _("none")

        overview = [
            ngettext(
                "From %(start)s to %(end)s the centre received %(received)s application, "
                "accepted %(accepted)s and decided %(decided)s, and collected %(fees)s of "
                "taxes and fees.",
                "From %(start)s to %(end)s the centre received %(received)s applications, "
                "accepted %(accepted)s and decided %(decided)s, and collected %(fees)s of "
                "taxes and fees.",
                t.received,
            )
            % {
                "start": day(self.period.start, lang),
                "end": day(self.period.end, lang),
                "received": n(t.received),
                "accepted": n(t.accepted),
                "decided": n(t.decided),
                "fees": yuan(t.fees, lang),
            },
            _(
                "%(promised)s of the cases decided kept the promised limit and %(statutory)s "
                "the statutory one; a case took %(days)s working days on average."
            )
            % {
                "promised": pct(t.on_time_rate_promised),
                "statutory": pct(t.on_time_rate_statutory),
                "days": number(t.mean_working_days or 0, lang),
            },
            ngettext(
                "At the end of the period %(open)s case was open, %(overdue)s of them late "
                "(%(yellow)s on a yellow card, %(red)s on a red card).",
                "At the end of the period %(open)s cases were open, %(overdue)s of them late "
                "(%(yellow)s on a yellow card, %(red)s on a red card).",
                t.open,
            )
            % {"open": n(t.open), "overdue": n(t.overdue), "yellow": n(t.yellow), "red": n(t.red)},
        ]
        stationing = [
            _(
                "%(stationed)s of the catalogue's %(matters)s matters are stationed in the "
                "centre (%(rate)s), and %(authorised)s of those are fully authorised (%(arate)s)."
            )
            % {
                "stationed": n(cov.stationed),
                "matters": n(cov.matters),
                "rate": pct(cov.stationing_rate),
                "authorised": n(cov.authorised),
                "arate": pct(cov.authorisation_rate),
            }
        ]
        if comp.average is not None:
            compressing = [
                ngettext(
                    "Promised limits are on average %(average)s shorter than the statutory "
                    "ones over %(count)s matter (compression: statutory minus promised, over "
                    "statutory, averaged over the matters).",
                    "Promised limits are on average %(average)s shorter than the statutory "
                    "ones over %(count)s matters (compression: statutory minus promised, over "
                    "statutory, averaged over the matters).",
                    len(comp.matters),
                )
                % {"average": pct(comp.average), "count": n(len(comp.matters))}
            ]
        else:
            compressing = [_("No stationed matter has a promised limit to compare.")]
        on_the_spot = [
            _(
                "%(share)s of the stationed matters are handled on the spot (即办件); "
                "%(decided)s of the cases decided were decided on the day they were received."
            )
            % {"share": pct(cov.immediate_share), "decided": pct(t.on_the_spot_share)}
        ]
        supervision = [
            _(
                "Electronic supervision at the end of the period: reminders %(reminders)s, "
                "yellow cards %(yellow)s, red cards %(red)s."
            )
            % {"reminders": n(t.reminders), "yellow": n(t.yellow), "red": n(t.red)}
        ]
        supervision += [
            _("Red-flag windows of %(month)s: %(windows)s.")
            % {"month": month(m, lang), "windows": listed([names.window(w, lang) for w in ws])}
            for m, ws in self.red_flags.items()
        ]
        evaluations = [
            ngettext(
                "%(count)s evaluation (好差评) was made, %(good)s of them good (levels 3–5).",
                "%(count)s evaluations (好差评) were made, %(good)s of them good (levels 3–5).",
                t.evaluations,
            )
            % {"count": n(t.evaluations), "good": pct(t.good_rate)}
        ]
        red_windows = [w for w, f in self.by_window.items() if f.red and w]
        unstationed = [names.matter(m, lang) for m in cov.unstationed_matters]
        unauthorised = [names.matter(m, lang) for m in cov.unauthorised_matters]
        problems = [
            _("Units not stationed: %(units)s.")
            % {"units": listed([names.unit(u, lang) for u in cov.unstationed_units])},
            _("Matters not stationed (%(count)s): %(matters)s.")
            % {"count": n(len(unstationed)), "matters": listed(unstationed)},
            _("Stationed matters not authorised (%(count)s): %(matters)s.")
            % {"count": n(len(unauthorised)), "matters": listed(unauthorised)},
            _("Windows with cases on a red card at the end: %(windows)s.")
            % {"windows": listed([names.window(w, lang) for w in red_windows])},
            ngettext(
                "%(count)s open case was late at the end.",
                "%(count)s open cases were late at the end.",
                len(self.overdue),
            )
            % {"count": n(len(self.overdue))},
        ]
        return [
            Section("overview", _("Overview"), tuple(overview)),
            Section("work", _("Main work"), ()),
            Section("stationing", _("Stationing and authorisation"), tuple(stationing), 3),
            Section("compression", _("Compression of time limits"), tuple(compressing), 3),
            Section("on_the_spot", _("Handling on the spot"), tuple(on_the_spot), 3),
            Section("supervision", _("Supervision"), tuple(supervision), 3),
            Section("evaluations", _("Evaluations"), tuple(evaluations), 3),
            Section("problems", _("Problems"), tuple(problems)),
        ]

    def sentences(self) -> list[str]:
        """Every sentence of :meth:`sections`, in order."""
        return [s for section in self.sections() for s in section.sentences]

    def overdue_lines(self, limit: int = 50) -> list[str]:
        """The late open cases, a line each (the first *limit*, then how many more)."""
        lang = self.language
        _ = translations(lang).gettext
        lines = [
            (
                _("%(case)s: %(matter)s, %(window)s; due %(due)s, past the statutory limit")
                if o.statutory
                else _("%(case)s: %(matter)s, %(window)s; due %(due)s")
            )
            % {
                "case": o.case,
                "matter": self.names.matter(o.matter, lang),
                "window": self.names.window(o.window, lang) if o.window else "–",
                "due": day(o.deadline, lang),
            }
            for o in self.overdue[:limit]
        ]
        if len(self.overdue) > limit:
            more = number(len(self.overdue) - limit, lang)
            lines.append(_("… and %(count)s more") % {"count": more})
        return lines

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data: every figure, as the statistics give it.

        Counts and rates are numbers (rates as fractions: 0.985); money is a
        string of exact yuan (``"1234.50"``), as decimals are exact and JSON
        numbers are not.
        """
        cov, comp = self.coverage, self.compression
        return {
            "centre": self.centre,
            "from": self.period.start.isoformat(),
            "to": self.period.end.isoformat(),
            "language": self.language,
            "sections": [
                {"key": s.key, "title": s.title, "sentences": list(s.sentences)}
                for s in self.sections()
            ],
            "total": self.total.as_dict(),
            "by_unit": {k: v.as_dict() for k, v in self.by_unit.items()},
            "by_month": {k: v.as_dict() for k, v in self.by_month.items()},
            "by_window": {k: v.as_dict() for k, v in self.by_window.items()},
            "volume": {k: dict(v) for k, v in self.volume.items()},
            "coverage": {
                "matters": cov.matters,
                "stationed": cov.stationed,
                "authorised": cov.authorised,
                "immediate": cov.immediate,
                "stationing_rate": _number(cov.stationing_rate),
                "authorisation_rate": _number(cov.authorisation_rate),
                "immediate_share": _number(cov.immediate_share),
                "unstationed_units": list(cov.unstationed_units),
                "unstationed_matters": list(cov.unstationed_matters),
                "unauthorised_matters": list(cov.unauthorised_matters),
            },
            "compression": {
                "formula": comp.FORMULA,
                "average": _number(comp.average),
                "matters": [
                    {
                        "code": m.code,
                        "name": m.name,
                        "statutory": m.statutory,
                        "promised": m.promised,
                        "ratio": _number(m.ratio),
                    }
                    for m in comp.matters
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
            "names": {
                "units": dict(self.names.units),
                "windows": dict(self.names.windows),
                "matters": dict(self.names.matters),
            },
            "provenance": self.provenance.to_dict() if self.provenance else None,
        }

    # ------------------------------------------------------------ renderings

    COLUMNS: ClassVar[tuple[str, ...]] = (
        "received",
        "decided",
        "on_the_spot_share",
        "on_time_rate_promised",
        "on_time_rate_statutory",
        "mean_working_days",
        "open",
        "overdue",
        "good_rate",
        "fees",
    )
    """The figures of the tables by unit and by month, in order."""

    def _context(self) -> dict[str, Any]:
        lang = self.language
        _ = translations(lang).gettext
        heads = {
            "received": _("received"),
            "decided": _("decided"),
            "on_the_spot_share": _("on the spot"),
            "on_time_rate_promised": _("on time (promise)"),
            "on_time_rate_statutory": _("on time (law)"),
            "mean_working_days": _("average working days"),
            "open": _("open at the end"),
            "overdue": _("late at the end"),
            "good_rate": _("good rate"),
            "fees": _("fees"),
        }
        rates = {"on_the_spot_share", "on_time_rate_promised", "on_time_rate_statutory"}

        def cells(f: Figures) -> list[str]:
            out = []
            for name in self.COLUMNS:
                value = getattr(f, name)
                if name == "fees":
                    out.append(yuan(value, lang))
                elif name in rates or name == "good_rate":
                    out.append(percent(value, lang))
                else:
                    out.append(number(value, lang))
            return out

        return {
            "title": _("%(centre)s: work summary, %(start)s to %(end)s")
            % {
                "centre": self.centre,
                "start": day(self.period.start, lang),
                "end": day(self.period.end, lang),
            },
            "sections": self.sections(),
            "head": [heads[c] for c in self.COLUMNS],
            "by_unit": [
                [self.names.unit(k, lang) if k else "–", *cells(f)] for k, f in self.by_unit.items()
            ],
            "by_month": [[month(k, lang), *cells(f)] for k, f in self.by_month.items()],
            "compression": [
                [
                    self.names.matter(m.code, lang),
                    number(m.statutory, lang),
                    number(m.promised, lang),
                    percent(m.ratio, lang),
                ]
                for m in self.compression.matters
            ],
            "overdue": self.overdue_lines(),
        }

    def to_json(self) -> str:
        """The report as JSON text."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=1)

    def to_markdown(self) -> str:
        """The report as Markdown (tables; no charts), every value escaped."""
        return render("report.md", self.language, self.provenance, **self._context())

    def charts(self) -> dict[str, str]:
        """The monthly charts as SVG text: volume by unit, on-time rate, fees, red flags.

        Labels are in the report's language.  Text stays text (SVG ``<text>``)
        with :data:`govservice.fonts.CJK_FONTS` in its font list, so the
        browser draws Chinese with the reader's fonts.

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
        lang = self.language
        _ = translations(lang).gettext
        months = list(self.by_month)
        labels = [month(m, lang) for m in months]
        out: dict[str, str] = {}

        def save(fig: Any, name: str) -> None:
            buf = io.StringIO()
            fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
            plt.close(fig)
            out[name] = buf.getvalue()

        with matplotlib.rc_context(svg_text_params()), warnings.catch_warnings():  # type: ignore[arg-type]
            # matplotlib may lack a Chinese font to measure with: the browser draws the text
            warnings.filterwarnings("ignore", "Glyph .* missing from font", UserWarning)
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
                name = _("other units") if unit == "other" else self.names.unit(unit, lang)
                ax.bar(labels, values, bottom=bottom, label=name)
                bottom += values
            ax.set_title(_("Cases received per month, by unit"))
            ax.legend(fontsize=7, bbox_to_anchor=(1.01, 1), loc="upper left")
            save(fig, "volume")

            fig, ax = plt.subplots(figsize=(8, 3))
            for attr, label in (
                ("on_time_rate_promised", _("on time against the promise")),
                ("on_time_rate_statutory", _("on time against the law")),
            ):
                rates = [getattr(self.by_month[m], attr) for m in months]
                ys = [float("nan") if x is None else float(x) * 100 for x in rates]
                ax.plot(labels, ys, marker="o", label=label)
            ax.set_ylim(0, 105)
            ax.set_ylabel("%")
            ax.set_title(_("On-time rate of decided cases"))
            ax.legend(fontsize=8)
            save(fig, "on_time")

            fig, ax = plt.subplots(figsize=(8, 3))
            fees = [float(self.by_month[m].fees) / 10_000 for m in months]
            ax.bar(labels, fees, color="#b71c1c")
            ax.set_ylabel(_("10,000 yuan"))
            ax.set_title(_("Taxes and fees collected"))
            save(fig, "fees")

            if self.red_flags:
                fig, ax = plt.subplots(figsize=(8, 2.6))
                windows = sorted({w for ws in self.red_flags.values() for w in ws})
                flagged = list(self.red_flags)
                for k, w in enumerate(windows):
                    xs = [i for i, m in enumerate(flagged) if w in self.red_flags[m]]
                    ax.scatter(xs, [k] * len(xs), marker="s", s=120, color="#b71c1c")
                ax.set_xticks(range(len(flagged)), [month(m, lang) for m in flagged])
                ax.set_xlim(-0.5, len(flagged) - 0.5)
                ax.set_yticks(range(len(windows)), [self.names.window(w, lang) for w in windows])
                ax.set_title(_("Red-flag windows per month"))
                save(fig, "red_flags")
        return out

    def to_html(self) -> str:
        """The report as one self-contained HTML page, charts inline, every value escaped."""
        charts = {
            name: "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
            for name, svg in self.charts().items()
        }
        context = self._context()
        return render("report.html", self.language, self.provenance, charts=charts, **context)


def _number(x: Decimal | None) -> float | None:
    return None if x is None else float(x)


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
    language: str = "zh",
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
        language: ``"zh"`` or ``"en"``.
    """
    total = figures(table, clock, period, payments=payments).get("centre", Figures())
    by_unit = figures(table, clock, period, by="unit", payments=payments)
    by_month = figures(table, clock, period, by="month", payments=payments)
    by_window = figures(table, clock, period, by="window", payments=payments)
    volume = _received_by_month_and_unit(table, clock, period)
    at = period.end_instant(clock.calendar.timezone)
    r = table.read(clock, at)
    late = table.lateness(clock, at)
    _, window = table.handled_by(at)
    codes = table.facts.matter_codes
    overdue = tuple(
        OverdueCase(
            case=str(table.facts.case[i]),
            matter=codes[int(table.facts.matter[i])],
            window=str(window[i]),
            deadline=late.deadline[i].astype(date),
            statutory=bool(late.statutory[i]),
        )
        for i in np.flatnonzero(r.open & late.late).tolist()
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
        by_window=by_window,
        names=Names.of(clock.catalogue),
        language=language,
    )
