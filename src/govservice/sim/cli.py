"""``govservice simulate SCENARIO.toml``: run a scenario file from the command line.

The host's ``cli.py`` calls :func:`add_simulate_command` on its subparsers.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from govservice.exceptions import GovServiceError
from govservice.i18n import N_, translations
from govservice.i18n import day as i18n_day
from govservice.sim.engine import simulate
from govservice.sim.experiments import Replications, replicate
from govservice.sim.loader import load_scenario
from govservice.sim.planning import Roster, StaffingPlan, load_plan
from govservice.text import terminal_safe

if TYPE_CHECKING:
    from govservice.center import ServiceCenter

__all__ = ["ARGUMENT_MESSAGES", "add_simulate_command", "run_plan", "run_simulate"]


def add_simulate_command(
    subparsers: Any, parents: Sequence[argparse.ArgumentParser] = (), language: str = "en"
) -> argparse.ArgumentParser:
    """Add ``simulate`` to *subparsers* (from ``ArgumentParser.add_subparsers``).

    *parents* add their options (the host's ``--centre``, ``--provisional``,
    ``--years`` and ``--out FOLDER``, where ``summary.json`` and, for one run
    with a catalogue, ``events.jsonl`` are written); its help is in *language*.

    .. versionadded:: 0.1
    """
    _ = translations(language).gettext
    about = _(
        "simulate a hall scenario (TOML) and summarise waits, load and cases; "
        "`simulate plan FILE` plans its staffing hour by hour"
    )
    p: argparse.ArgumentParser = subparsers.add_parser(
        "simulate", parents=list(parents), help=about, description=about
    )
    p.add_argument(
        "scenario",
        nargs="+",
        metavar="[plan] SCENARIO",
        help=_(
            "the scenario file (TOML, or JSON by its .json suffix); `plan SCENARIO`: the "
            "fewest counters hour by hour for its [plan] table, and shifts"
        ),
    )
    p.add_argument(
        "--seed",
        type=int,
        help=_("the same seed gives the same result (default 0; plan: [plan]'s)"),
    )
    p.add_argument(
        "--replications",
        type=_positive,
        help=_(
            "independent replications: one summary of their means with 95%% intervals "
            "(default 1; plan: [plan]'s)"
        ),
    )
    p.add_argument(
        "--each",
        action="store_true",
        help=_("with --replications: also every replication's own"),
    )
    p.add_argument(
        "--no-plugins",
        action="store_true",
        help=_("count on the national calendar and built-in rules, without any plugin"),
    )
    p.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help=_("text tables (default) or JSON; with --out, what was written"),
    )
    p.set_defaults(func=run_simulate)
    return p


def _language(args: argparse.Namespace) -> str:
    """The language of the text: the host's ``--lang``, else Chinese."""
    return getattr(args, "lang", None) or "zh"


ARGUMENT_MESSAGES = (
    N_("expected a whole number, got %(value)r"),
    N_("must be at least 1, got %(value)s"),
)
"""The messages of this command's option checks, for the host to show in the reader's language."""


def _positive(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(ARGUMENT_MESSAGES[0] % {"value": text}) from None
    if n < 1:
        raise argparse.ArgumentTypeError(ARGUMENT_MESSAGES[1] % {"value": n})
    return n


def _f(v: Any) -> str:
    return "-" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v:.3f}"


def _ci(interval: tuple[float, float, float]) -> str:
    """A mean and its interval: ``"12.345 (11.000–13.690)"``."""
    mean, low, high = interval
    if math.isnan(low) or low == high:  # one replication, or the same in every one
        return _f(mean)
    return f"{_f(mean)} ({_f(low)}–{_f(high)})"


def _header(cells: Sequence[str]) -> list[str]:
    """A Markdown table's header and rule."""
    return ["| " + " | ".join(cells) + " |", "|" + "---|" * len(cells)]


def _station_header(language: str) -> list[str]:
    _ = translations(language).gettext
    return _header(
        [_("station"), _("customers"), _("mean wait"), _("p95 wait"), _("P(wait>0)"),
         _("utilisation")]
    )  # fmt: skip


def _matter_header(language: str, carried_on_time: bool) -> list[str]:
    _ = translations(language).gettext
    cells = [_("matter"), _("new cases"), _("on time (promise)"), _("carried")]
    if carried_on_time:
        cells.append(_("carried on time (promise)"))
    return _header([*cells, _("pending"), _("overdue"), _("missed promise")])


def _interval_tables(reps: Replications, level: float = 0.95, language: str = "zh") -> str:
    """The stations and matters of *reps*: means over the replications with their intervals."""
    ci = reps.intervals(level)
    first = reps.summaries[0]
    _ = translations(language).gettext
    lines = [
        _("means over %(n)s replications, %(level)s confidence intervals (Student t) in brackets")
        % {"n": len(reps.summaries), "level": f"{level:.0%}"},
        "",
        *_station_header(language),
    ]
    for name in first.stations:
        row = [ci[f"stations.{name}.{k}"] for k in _STATION_FIGURES]
        lines.append(f"| {name} | " + " | ".join(_ci(v) for v in row) + " |")
    matters = [m for m, s in first.matters.items() if s.cases or s.carried]
    if matters:
        lines += ["", *_matter_header(language, carried_on_time=False)]
        for code in matters:
            row = [ci[f"matters.{code}.{k}"] for k in _MATTER_FIGURES]
            lines.append(f"| {code} | " + " | ".join(_ci(v) for v in row) + " |")
    return "\n".join(lines)


_STATION_FIGURES = ("customers", "mean_wait", "p95_wait", "p_wait", "utilisation")
_MATTER_FIGURES = ("cases", "on_time_promised", "carried", "pending", "overdue", "missed_promised")


def _table(summary: dict[str, Any], language: str) -> str:
    lines = _station_header(language)
    for s in summary["stations"].values():
        lines.append(
            f"| {s['station']} | {s['customers']} | {_f(s['mean_wait'])} | "
            f"{_f(s['p95_wait'])} | {_f(s['p_wait'])} | {_f(s['utilisation'])} |"
        )
    matters = [m for m in summary["matters"].values() if m["cases"] or m["carried"]]
    if matters:
        lines += ["", *_matter_header(language, carried_on_time=True)]
        for m in matters:
            lines.append(
                f"| {m['matter']} | {m['cases']} | {_f(m['on_time_promised'])} | "
                f"{m['carried']} | {m['carried_on_time_promised']} | {m['pending']} | "
                f"{m['overdue']} | {m['missed_promised']} |"
            )
    return "\n".join(lines)


def run_simulate(args: argparse.Namespace, center: ServiceCenter | None = None) -> int:
    """Run the ``simulate`` command; return the exit status.

    The scenario counts as *center* counts (the host passes the centre file's).
    One run prints its tables; several print one summary of their means with
    95% intervals (and each replication's tables with ``--each``).  ``--out
    FOLDER`` writes ``summary.json`` (and ``events.jsonl`` for one run with a
    catalogue) and lists them.

    .. versionadded:: 0.1
    """
    files = args.scenario
    language = _language(args)
    _ = translations(language).gettext
    if files[0] == "plan" and len(files) == 2:
        return run_plan(args, files[1], center)
    if len(files) != 1:
        raise GovServiceError(  # a usage error, not the file's
            _("simulate: expected one scenario file, or `plan FILE` (got %(got)s)")
            % {"got": " ".join(files)}
        )
    out = getattr(args, "out", None)
    args.seed = 0 if args.seed is None else args.seed
    args.replications = 1 if args.replications is None else args.replications
    scenario = load_scenario(files[0], entrypoints=not args.no_plugins, center=center)
    events: list[dict[str, Any]] = []
    reps: Replications | None = None
    if args.replications == 1:
        result = simulate(scenario, seed=args.seed, records=bool(out))
        doc: dict[str, Any] = result.summary.to_dict()
        if out and result.cases is not None and scenario.catalogue is not None:
            events = list(result.events())
    else:
        reps = replicate(
            scenario,
            replications=args.replications,
            seed=args.seed,
            progress=sys.stderr.isatty(),
        )
        doc = {
            "scenario": reps.scenario,
            "seed": args.seed,
            "replications": len(reps.summaries),
            "level": 0.95,
            "intervals": {
                path: {"mean": m, "low": lo, "high": hi}
                for path, (m, lo, hi) in reps.intervals().items()
            },
        }
        if args.each:
            doc["each"] = reps.to_dict()["replications"]
    if out:
        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)
        written = [folder / "summary.json"]
        written[0].write_text(_json(doc), encoding="utf-8")
        if events:
            written.append(folder / "events.jsonl")
            written[1].write_text(
                "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in events),
                encoding="utf-8",
            )
        _list(folder, written, args.format, language)
    elif args.format == "json":
        _print_json(doc)
    else:
        title = _("## %(scenario)s, seed %(seed)s") % {"scenario": scenario.name, "seed": args.seed}
        _print(title + "\n")
        _print(_table(doc, language) if reps is None else _interval_tables(reps, language=language))
        for s in reps.summaries if reps is not None and args.each else ():
            _print("\n" + _("%(title)s, replication %(n)s") % {"title": title, "n": s.replication})
            _print("\n" + _table(s.to_dict(), language))
    return 0


def _print(text: str, *, file: Any = None, end: str = "\n") -> None:
    """Print *text* with control characters from the data escaped (:func:`terminal_safe`)."""
    print(terminal_safe(text), file=file, end=end)


def _print_json(doc: Any) -> None:
    print(terminal_safe(_json(doc), json=True))


def _json(doc: Any) -> str:
    """*doc* as JSON: NaN (a figure without data) as null, Chinese as it is."""
    return json.dumps(_nulls(doc), ensure_ascii=False, indent=1)


def _nulls(doc: Any) -> Any:
    if isinstance(doc, float) and math.isnan(doc):
        return None
    if isinstance(doc, dict):
        return {k: _nulls(v) for k, v in doc.items()}
    if isinstance(doc, list):
        return [_nulls(v) for v in doc]
    return doc


def _plan_text(plan: StaffingPlan, roster: Roster, language: str) -> str:
    """The plan and its roster as Markdown tables, a day at a time, in *language*."""
    tr = translations(language)
    _ = tr.gettext
    lines = [
        _("# Staffing plan: %(station)s") % {"station": plan.station},
        "",
        tr.ngettext(
            "Goal: %(goal)s, every open hour; %(n)s replication, seed %(seed)s; "
            "%(hours)s counter-hours planned.",
            "Goal: %(goal)s, every open hour; %(n)s replications, seed %(seed)s; "
            "%(hours)s counter-hours planned.",
            plan.replications,
        )
        % {
            "goal": plan.goal.describe(language),
            "n": plan.replications,
            "seed": plan.seed,
            "hours": f"{plan.counter_hours:.1f}",
        },
    ]
    hours = [_("hour"), _("arrivals"), _("load"), "Erlang C", _("counters"),
             _("achieved (95% CI)")]  # fmt: skip
    for day in sorted({h.day for h in plan.hours}):
        lines += ["", f"## {i18n_day(day, language, weekday=True)}", "", *_header(hours)]
        for h in (h for h in plan.hours if h.day == day):
            if math.isnan(h.achieved):
                got = "-"
            elif math.isnan(h.low):
                got = f"{h.achieved:.2f}"
            else:
                got = f"{h.achieved:.2f} ({h.low:.2f}–{h.high:.2f})"
            lines.append(
                f"| {h.hour:02d}:00 | {h.arrivals:.1f} | {h.load:.2f} | {h.erlang} "
                f"| {h.counters} | {got} |"
            )
        shifts = [s for s in roster.shifts if s.day == day]
        lines += [
            "",
            tr.ngettext("Roster: %(n)s shift", "Roster: %(n)s shifts", len(shifts))
            % {"n": len(shifts)},
            "",
            *_header([_("shift"), _("from"), _("to"), _("breaks")]),
        ]
        for i, s in enumerate(shifts, 1):
            rests = [
                _("%(at)s, %(minutes)s min") % {"at": f"{b.at:%H:%M}", "minutes": f"{b.minutes:g}"}
                for b in s.breaks
            ]
            lines.append(
                f"| {i} | {s.start:%H:%M} | {s.end:%H:%M} | {_(', ').join(rests) or '-'} |"
            )
    return "\n".join(lines) + "\n"


def run_plan(args: argparse.Namespace, path: str, center: ServiceCenter | None = None) -> int:
    """Run ``simulate plan FILE``; return the exit status.

    The scenario counts as *center* counts (the host passes the centre file's);
    ``--seed`` and ``--replications`` override the ``[plan]`` table's.  The
    plan and its roster go to standard output (``--format text|json``), or
    with ``--out FOLDER`` into ``plan.md`` or ``plan.json`` there, with the
    chart of staff against demand (``plan.png``, if matplotlib is installed),
    and the files written are listed.

    .. versionadded:: 0.1
    """
    scenario, settings = load_plan(path, entrypoints=not args.no_plugins, center=center)
    changes = {
        k: v for k, v in (("seed", args.seed), ("replications", args.replications)) if v is not None
    }
    settings = attrs.evolve(settings, **changes)
    plan = settings.plan(scenario)
    roster = plan.roster(settings.rules)
    if args.format == "json":
        text = _json({"plan": plan.to_dict(), "roster": roster.to_dict()}) + "\n"
    else:
        text = _plan_text(plan, roster, _language(args))
    out = getattr(args, "out", None)
    if not out:
        _print(text, end="")
        return 0
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    written = [folder / ("plan.json" if args.format == "json" else "plan.md")]
    written[0].write_text(text, encoding="utf-8")
    try:
        from govservice.sim.plots import staffing_plan

        figure = staffing_plan(plan)
    except ImportError as e:
        _ = translations(_language(args)).gettext
        _print(_("no chart: %(error)s") % {"error": e}, file=sys.stderr)
    else:
        written.append(folder / "plan.png")
        figure.savefig(written[-1])
    _list(folder, written, args.format, _language(args))
    return 0


def _list(folder: Path, written: list[Path], fmt: str, language: str) -> None:
    """Say which files were written into *folder*: a list, or JSON."""
    if fmt == "json":
        _print_json({"folder": str(folder), "files": [str(w) for w in written]})
    else:
        _ = translations(language).gettext
        _print(_("wrote into %(folder)s:") % {"folder": folder})
        for w in written:
            _print(f"  {w}")
