"""The ``govservice`` command line: a thin layer over the public API."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from govservice.assessment import Period, briefing
from govservice.calendars import DayInfo, WorkingDayCalendar, load_adjustments
from govservice.cases import Case, EventError, read_jsonl
from govservice.center import ServiceCenter
from govservice.exceptions import GovServiceError
from govservice.model import load_catalogue
from govservice.scaffold import new_plugin
from govservice.sim.cli import add_simulate_command
from govservice.storage import EventStore

__all__ = ["main"]

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

_KIND_TEXT = {
    "working_day": "working day",
    "weekend": "weekend",
    "statutory_holiday": "statutory holiday (法定节假日)",
    "swapped_rest_day": "swapped rest day (调休休息日)",
    "substitute_rest_day": "substitute rest day (补休)",
    "special_rest_day": "special rest day",
    "makeup_working_day": "make-up working day (调休上班)",
    "local_closure": "local closure",
    "local_working_day": "local working day",
}


def _day(d: date) -> str:
    return f"{d.isoformat()} ({_WEEKDAYS[d.weekday()]})"


def _describe(info: DayInfo) -> str:
    text = f"{_day(info.date)}: {'working day' if info.working else 'not a working day'}"
    detail = _KIND_TEXT[info.kind.value]
    if info.holiday is not None:
        detail += f", {info.holiday.name}"
    if info.swaps_with is not None:
        detail += f", swapped with {_day(info.swaps_with)}"
    if info.adjustment is not None:
        detail += f"; {info.adjustment.label}"
    text += f" — {detail}"
    if info.provisional:
        text += " [PROVISIONAL: no official data for this year]"
    return text


def _info_json(info: DayInfo) -> dict[str, Any]:
    return {
        "date": info.date.isoformat(),
        "working": info.working,
        "kind": info.kind.value,
        "holiday": info.holiday.name if info.holiday else None,
        "swaps_with": info.swaps_with.isoformat() if info.swaps_with else None,
        "adjustment": info.adjustment.name if info.adjustment else None,
        "adjustment_kind": info.adjustment.kind.value if info.adjustment else None,
        "adjustment_label": info.adjustment_label,
        "provisional": info.provisional,
    }


def _calendar(args: argparse.Namespace) -> WorkingDayCalendar:
    center = ServiceCenter(
        timezone=args.timezone, provisional=args.provisional, entrypoints=not args.no_plugins
    )
    cal = center.calendar
    if args.years:
        cal = cal.with_years(args.years)
    if args.adjustments:
        cal = cal.with_adjustments(load_adjustments(args.adjustments))
    return cal


def _cmd_is_working_day(args: argparse.Namespace) -> int:
    info = _calendar(args).day(args.date)
    print(json.dumps(_info_json(info), ensure_ascii=False) if args.json else _describe(info))
    return 0


def _cmd_add(args: argparse.Namespace) -> int:
    cal = _calendar(args)
    result = cal.add_working_days(args.date, args.n)
    info = cal.day(result)
    if args.json:
        print(
            json.dumps(
                {"start": str(cal.day(args.date).date), "n": args.n, **_info_json(info)},
                ensure_ascii=False,
            )
        )
    else:
        print(_describe(info))
    return 0


def _cmd_between(args: argparse.Namespace) -> int:
    cal = _calendar(args)
    n = cal.working_days_between(args.a, args.b)
    provisional = cal.is_provisional(args.a) or cal.is_provisional(args.b)
    if args.json:
        print(json.dumps({"a": args.a, "b": args.b, "working_days": n, "provisional": provisional}))
    else:
        print(
            f"{n}"
            + (" [PROVISIONAL: no official data for part of the range]" if provisional else "")
        )
    return 0


def _cmd_year(args: argparse.Namespace) -> int:
    cal = _calendar(args)
    holidays = cal.holidays(args.year)
    days = cal.special_days(args.year)
    if args.json:
        print(json.dumps([_info_json(d) for d in days], ensure_ascii=False, indent=1))
        return 0
    notices = {str(h.notice) for h in holidays if h.notice}
    print(
        f"{args.year}: "
        + (
            "; ".join(sorted(notices))
            if notices
            else "PROVISIONAL estimate — no official notice for this year"
        )
    )
    for h in holidays:
        line = f"  {h.name}: {_day(h.first)} – {_day(h.last)}, {h.days_off} days off"
        if h.makeup:
            line += "; make-up working days " + ", ".join(_day(m) for m in h.makeup)
        print(line)
    print()
    for info in days:
        print("  " + _describe(info))
    return 0


REPLAY_KEYS = (
    "case",
    "matter",
    "state",
    "accepted_on",
    "deemed_accepted",
    "statutory_deadline",
    "promised_deadline",
    "working_days_used",
    "paused_working_days",
    "extended_by",
    "alert",
    "on_time_promised",
    "on_time_statutory",
)


def _cmd_case_replay(args: argparse.Namespace) -> int:
    center = ServiceCenter(
        timezone=args.timezone, catalogue=args.catalogue, entrypoints=not args.no_plugins
    )
    clock = center.clock
    cases: dict[str, Case] = {}
    for line, event in read_jsonl(args.events):
        try:
            cases[event.case] = clock.append(cases.get(event.case), event)
        except EventError as e:
            raise EventError(e.case, e.event, f"{args.events}: {e.reason}", line=line) from None
    readings = [clock.reading(case, args.at).to_dict() for case in cases.values()]
    for r in readings:
        keys = REPLAY_KEYS if not args.all_fields else tuple(r)
        print(json.dumps({k: r[k] for k in keys}, ensure_ascii=False))
    return 0


def _store(args: argparse.Namespace) -> EventStore:
    center = ServiceCenter(timezone=args.timezone, entrypoints=not args.no_plugins)
    store = center.open_store(args.db)
    if getattr(args, "catalogue", None):
        store.set_catalogue(load_catalogue(args.catalogue, rules=center.rules))
    return store


def _cmd_store_import(args: argparse.Namespace) -> int:
    with _store(args) as store:
        result = store.import_jsonl(args.file)
    print(
        f"stored {result.stored} events ({result.skipped} already stored) "
        f"of {len(result.versions)} cases in {args.db}"
    )
    return 0


def _cmd_store_export(args: argparse.Namespace) -> int:
    with _store(args) as store:
        if args.out:
            with open(args.out, "w", encoding="utf-8") as out:
                n = store.export_jsonl(out)
            print(f"exported {n} events to {args.out}", file=sys.stderr)
        else:
            store.export_jsonl(sys.stdout)
    return 0


def _cmd_store_check(args: argparse.Namespace) -> int:
    with _store(args) as store:
        report = store.check()
    for problem in report.problems:
        print(problem)
    print(
        f"{args.db}: {report.cases} cases, {report.events} events, "
        f"{'ok' if report.ok else f'{len(report.problems)} problems'}"
    )
    return 0 if report.ok else 1


def _emit(text: str, out: str | None, what: str) -> None:
    """Write *text* to the file *out*, or to standard output."""
    if out:
        Path(out).write_text(text, encoding="utf-8")
        print(f"wrote {what} to {out}", file=sys.stderr)
    else:
        print(text)


def _cmd_assess(args: argparse.Namespace) -> int:
    center = ServiceCenter(timezone=args.timezone, entrypoints=not args.no_plugins)
    try:
        period = Period.month(args.month)
    except ValueError as e:
        raise GovServiceError(str(e)) from None
    with center.open_store(args.db) as store:
        assessment = center.assess(store, period)
    render = {"md": briefing.to_markdown, "html": briefing.to_html, "json": briefing.to_json}
    text = render[args.format](assessment)
    _emit(text, args.out, f"the {period.label} briefing")
    return 0


def _cmd_demo(args: argparse.Namespace) -> int:
    from govservice.demo import run_demo

    center = ServiceCenter(name="示范县政务服务中心", entrypoints=not args.no_plugins)
    try:
        center.catalogue  # noqa: B018 - fail early and clearly without a catalogue
    except ValueError:
        raise GovServiceError(
            "the demo needs a county catalogue: install the sample county plugin "
            "(pip install ./plugins/govservice-sample-county), as the README's first command does"
        ) from None
    result = run_demo(Path(args.out), seed=args.seed, center=center)
    print(f"stored {result.cases:,} cases ({result.events:,} events) in {result.store}")
    for path in result.briefings:
        if path.suffix == ".html":
            print(f"monthly assessment: {path}")
    print(f"half-year report:   {result.report_md}")
    print(f"half-year report:   {result.report_json}")
    print(f"half-year report:   {result.report_html}")
    return 0


def _cmd_new_plugin(args: argparse.Namespace) -> int:
    root = new_plugin(args.name, args.directory)
    print(f"created {root}: cd {root} && pip install -e '.[test]' && pytest")
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    center = ServiceCenter(timezone=args.timezone, entrypoints=not args.no_plugins)
    try:
        period = Period(date.fromisoformat(args.start), date.fromisoformat(args.end))
    except ValueError as e:
        raise GovServiceError(f"--from/--to must be dates YYYY-MM-DD: {e}") from None
    if period.end < period.start:
        raise GovServiceError(f"--to {period.end} is before --from {period.start}")
    with center.open_store(args.db) as store:
        report = center.report(store, period, assess_months=not args.no_assess)
    render = {"md": report.to_markdown, "html": report.to_html, "json": report.to_json}
    text = render[args.format]()
    _emit(text, args.out, "the report")
    return 0


def _cmd_plugins(args: argparse.Namespace) -> int:
    if args.trace:
        os.environ["GOVSERVICE_TRACE_PLUGINS"] = "1"
    center = ServiceCenter(entrypoints=not args.no_plugins)
    if args.trace:  # call every configuration hook once, so the trace shows them
        center.calendar, center.opening_hours, center.rules, center.alert_policy  # noqa: B018
        center.assessment_rules, center.rubric  # noqa: B018
    plugins = center.plugins
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "name": p.name,
                        "version": p.version,
                        "distribution": p.distribution,
                        "hooks": list(p.hooks),
                    }
                    for p in plugins
                ],
                indent=1,
            )
        )
        return 0
    for p in plugins:
        print(f"{p.name} {p.version or '-'}")
        for hook in p.hooks:
            print(f"    {hook}")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="govservice", description="Government service centres: calendars, limits, assessment."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", help="print JSON")
    common.add_argument("--no-plugins", action="store_true", help="do not load installed plugins")

    calcommon = argparse.ArgumentParser(add_help=False, parents=[common])
    calcommon.add_argument("--timezone", default="Asia/Shanghai", help="the centre's timezone")
    calcommon.add_argument(
        "--provisional",
        action="store_true",
        help="answer for years without official data, marked provisional",
    )
    calcommon.add_argument("--years", metavar="FILE", help="TOML file of newly announced years")
    calcommon.add_argument("--adjustments", metavar="FILE", help="TOML file of local adjustments")

    cal = sub.add_parser("calendar", help="working-day calendar queries")
    calsub = cal.add_subparsers(dest="calendar_command", required=True)
    p = calsub.add_parser(
        "is-working-day",
        parents=[calcommon],
        help="is DATE a working day, and what kind of day is it",
    )
    p.add_argument("date", help="YYYY-MM-DD, or an ISO date-time with offset")
    p.set_defaults(func=_cmd_is_working_day)
    p = calsub.add_parser("add", parents=[calcommon], help="the N-th working day after DATE")
    p.add_argument("date")
    p.add_argument("n", type=int, help="working days (negative: before DATE)")
    p.set_defaults(func=_cmd_add)
    p = calsub.add_parser(
        "between", parents=[calcommon], help="working days after A up to and including B"
    )
    p.add_argument("a")
    p.add_argument("b")
    p.set_defaults(func=_cmd_between)
    p = calsub.add_parser("year", parents=[calcommon], help="a year's days off and make-up days")
    p.add_argument("year", type=int)
    p.set_defaults(func=_cmd_year)

    case = sub.add_parser("case", help="cases and their clocks")
    casesub = case.add_subparsers(dest="case_command", required=True)
    p = casesub.add_parser(
        "replay",
        parents=[common],
        help="replay events (JSON Lines) and print each case's clock at an instant",
    )
    p.add_argument("events", help="events file, JSON Lines in the event format")
    p.add_argument("--catalogue", required=True, help="the catalogue TOML file")
    p.add_argument("--at", required=True, help="the instant, ISO 8601 with offset")
    p.add_argument("--timezone", default="Asia/Shanghai", help="the centre's timezone")
    p.add_argument("--all-fields", action="store_true", help="print every field of the reading")
    p.set_defaults(func=_cmd_case_replay)

    store = sub.add_parser("store", help="the event store: import, export, check")
    storesub = store.add_subparsers(dest="store_command", required=True)
    dbcommon = argparse.ArgumentParser(add_help=False, parents=[common])
    dbcommon.add_argument("--db", required=True, help="store URL, e.g. sqlite:///hall.db")
    dbcommon.add_argument("--timezone", default="Asia/Shanghai", help="the centre's timezone")
    p = storesub.add_parser(
        "import", parents=[dbcommon], help="append a JSON Lines file of events, all or nothing"
    )
    p.add_argument("file")
    p.add_argument(
        "--catalogue", help="catalogue TOML to store first (events are checked against it)"
    )
    p.set_defaults(func=_cmd_store_import)
    p = storesub.add_parser("export", parents=[dbcommon], help="write every event as JSON Lines")
    p.add_argument("--out", help="file to write (default: standard output)")
    p.set_defaults(func=_cmd_store_export)
    p = storesub.add_parser(
        "check", parents=[dbcommon], help="replay every case; exit 1 if anything is wrong"
    )
    p.set_defaults(func=_cmd_store_check)

    p = sub.add_parser(
        "assess",
        parents=[dbcommon],
        help="the monthly assessment of windows and staff, as a briefing",
    )
    p.add_argument("--month", required=True, help="YYYY-MM")
    p.add_argument("--format", choices=("md", "html", "json"), default="md")
    p.add_argument("--out", help="file to write (default: standard output)")
    p.set_defaults(func=_cmd_assess)

    p = sub.add_parser(
        "report", parents=[dbcommon], help="the period report: figures, charts, red flags, problems"
    )
    p.add_argument("--from", dest="start", required=True, help="first day, YYYY-MM-DD")
    p.add_argument("--to", dest="end", required=True, help="last day, YYYY-MM-DD")
    p.add_argument("--format", choices=("md", "html", "json"), default="md")
    p.add_argument("--out", help="file to write (default: standard output)")
    p.add_argument("--no-assess", action="store_true", help="skip the monthly red flags")
    p.set_defaults(func=_cmd_report)

    p = sub.add_parser(
        "demo",
        parents=[common],
        help="half a year of a sample county's hall: stored, assessed, reported",
    )
    p.add_argument("--out", default="govservice-demo", help="folder to write into")
    p.add_argument("--seed", type=int, default=2026, help="the same seed gives the same report")
    p.set_defaults(func=_cmd_demo)

    add_simulate_command(sub)

    p = sub.add_parser("new-plugin", help="create a ready plugin package to start from")
    p.add_argument("name", help="e.g. my-county")
    p.add_argument("--directory", default=".", help="where to create it")
    p.set_defaults(func=_cmd_new_plugin)

    p = sub.add_parser("plugins", parents=[common], help="list loaded plugins and their hooks")
    p.add_argument(
        "--trace",
        action="store_true",
        help="also call each hook once and print every call, argument and result",
    )
    p.set_defaults(func=_cmd_plugins)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = _parser().parse_args(argv)
    try:
        status: int = args.func(args)
    except (GovServiceError, OSError) as e:
        print(f"govservice: error: {e}", file=sys.stderr)
        return 2
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
