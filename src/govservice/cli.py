"""The ``govservice`` command line: a thin layer over the public API.

Conventions, the same for every command:

* ``--format`` chooses the output: ``text`` (or ``md``/``html`` for reports)
  for people, ``json`` for programs, wherever the output is data.
* ``--lang`` chooses the language of what is written for people (the text,
  reports, briefings and the lines around errors): Chinese by default, else
  the centre file's ``language``; ``--lang en`` for English.  JSON is the
  same in both.
* ``--out PATH`` is a file for a command that writes one output (``-`` is
  standard output, the default) and a folder for one that writes several
  (``demo``, ``simulate``).
* Exit status: 0 success; 1 the command ran and found problems (``store
  check`` found some, an input file's data was refused); 2 a usage error (an
  option, a file that cannot be read, a year without calendar data); 130
  interrupted; 141 the reader of the output went away (``| head``), quietly,
  as other Unix tools; 70 a fault in govservice itself: one line names the
  error and the file its traceback was written to, to report it.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import re
import sqlite3
import sys
import tempfile
import traceback
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from importlib import metadata
from pathlib import Path
from typing import Any, NoReturn

from govservice.assessment import Period, briefing
from govservice.calendars import DayInfo, DayKind, WorkingDayCalendar, load_adjustments
from govservice.cases import EventError
from govservice.cases.applicants import ApplicantError
from govservice.center import ServiceCenter
from govservice.centre_file import (
    CENTRE_ENV,
    CENTRE_FILE,
    LANGUAGES,
    find_centre_file,
    read_centre_file,
)
from govservice.exceptions import (
    CalendarDataMissing,
    DataFileError,
    GovServiceError,
    PluginError,
    chain_text,
    message_of,
)
from govservice.i18n import N_, day, month, number, translate, translations
from govservice.model import Catalogue, ModelError, load_catalogue
from govservice.plugins import BUILT_IN, GENERIC, KIND_ATTRIBUTE, REGIONAL, PluginInfo
from govservice.scaffold import new_plugin
from govservice.sim.cli import ARGUMENT_MESSAGES, add_simulate_command, run_simulate
from govservice.sim.errors import ScenarioError
from govservice.storage import EventStore, MemoryStore
from govservice.supervision import RecordError
from govservice.text import Message, mask_personal, terminal_safe

__all__ = [
    "EXIT_INTERNAL",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_PIPE",
    "EXIT_PROBLEMS",
    "EXIT_USAGE",
    "main",
]

EXIT_OK = 0
"""The exit status when the command did what was asked."""
EXIT_PROBLEMS = 1
"""The exit status when the command ran and found problems (``store check``, refused data)."""
EXIT_USAGE = 2
"""The exit status of a usage error (an option, an unreadable file, a year without data)."""
EXIT_INTERNAL = 70
"""The exit status of a fault in govservice itself (``EX_SOFTWARE``): a bug to report."""
EXIT_INTERRUPTED = 130
"""The exit status when interrupted with Ctrl-C (128 + SIGINT), as shells report it."""
EXIT_PIPE = 141
"""The exit status when the output's reader went away (128 + SIGPIPE), as shells say."""

STDOUT = "-"
"""The ``--out`` that means standard output."""

_DATA_ERRORS = (DataFileError, EventError, ModelError, ApplicantError, RecordError, ScenarioError)
"""Errors in the content of the input: the command ran and refused it (exit 1)."""


def _kind_text(kind: str, language: str) -> str:
    """The kind of a day (:class:`~govservice.calendars.DayKind` value) in words.

    An ordinary working day has none: "working day" says it all.
    """
    _ = translations(language).gettext
    return {
        "weekend": _("weekend"),
        "statutory_holiday": _("statutory holiday (法定节假日)"),
        "swapped_rest_day": _("swapped rest day (调休休息日)"),
        "substitute_rest_day": _("substitute rest day (补休)"),
        "special_rest_day": _("special rest day"),
        "makeup_working_day": _("make-up working day (调休上班)"),
        "local_closure": _("local closure"),
        "local_working_day": _("local working day"),
    }[kind]


def _say(text: str = "", *, err: bool = False, as_json: bool = False) -> None:
    """Print *text* to standard output (or error): every line the command line prints.

    Control characters and escape sequences from the data (a case id holding
    ``ESC [2J``) are shown escaped, never obeyed by the terminal.
    """
    print(terminal_safe(text, json=as_json), file=sys.stderr if err else sys.stdout)


def _say_json(doc: Any) -> None:
    """Print *doc* as JSON, Chinese as it is."""
    _say(json.dumps(doc, ensure_ascii=False, indent=1), as_json=True)


def _emit(text: str, out: str | None, what: str, language: str) -> None:
    """Write *text* to the file *out*, or to standard output (no ``--out``, or ``-``).

    Writing to a file says so on standard error: *what* was written where.
    """
    if out is None or out == STDOUT:
        _say(text.removesuffix("\n"))
    else:
        Path(out).write_text(text, encoding="utf-8")
        _ = translations(language).gettext
        _say(_("wrote %(what)s to %(path)s") % {"what": what, "path": out}, err=True)


def _reader_language(lang: str | None, centre: str | None) -> str:
    """The language of the command's text: *lang*, else the centre file's, else ``zh``.

    *lang* is ``--lang``; the centre file is ``--centre`` *centre*, else found as usual.
    A centre file that cannot be read counts as none here: the command itself then says
    what is wrong with it (in Chinese).
    """
    if lang:
        return lang
    try:
        path = find_centre_file(centre)
        if path is not None:
            return str(read_centre_file(path).get("language", "zh"))
    except (GovServiceError, OSError, ValueError):
        pass
    return "zh"


def _option(argv: Sequence[str], name: str) -> str | None:
    """The value of the last option *name* in *argv* (``--lang en`` or ``--lang=en``).

    Read before parsing, to parse and explain in the reader's language.
    """
    value = None
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == name and i + 1 < len(argv):
            value = argv[i + 1]
        elif arg.startswith(name + "="):
            value = arg.removeprefix(name + "=")
    return value


def _centre(args: argparse.Namespace, **changes: Any) -> ServiceCenter:
    """The centre a command counts with: the centre file's, else the national defaults.

    The file is ``--centre FILE``, else ``$GOVSERVICE_CENTRE``, else
    ``./govservice.toml``; ``--timezone``, ``--provisional``, ``--years``
    and ``--no-plugins`` change it.  Without a file, one line on standard error
    names the installed regional plugins left out.
    """
    if getattr(args, "timezone", None):
        changes["timezone"] = args.timezone
    if getattr(args, "provisional", False):
        changes["provisional"] = True
    if getattr(args, "years", None):
        changes["years"] = args.years
    if getattr(args, "no_plugins", False):
        changes.update(region=(), entrypoints=False)
    path = find_centre_file(getattr(args, "centre", None))
    if path is not None:
        return ServiceCenter.from_file(path, **changes)
    center = ServiceCenter(**changes)
    if center.ignored_plugins:
        names = [p.name for p in center.ignored_plugins]
        _ = translations(args.lang).gettext
        _say(
            _(
                "govservice: no centre file, the national defaults apply; regional plugins "
                "not applied: %(plugins)s (name them in %(file)s's region to apply them)"
            )
            % {"file": CENTRE_FILE, "plugins": ", ".join(names)},
            err=True,
        )
    return center


def _catalogue(center: ServiceCenter) -> Catalogue:
    """The centre's catalogue; a centre without one is a clear error, not a traceback."""
    try:
        return center.catalogue
    except GovServiceError:
        raise  # a malformed catalogue file, named
    except ValueError as e:
        raise GovServiceError(message_of(e)) from None


def _describe(info: DayInfo, center: ServiceCenter, language: str) -> str:
    """One day in words: its date, whether it is a working day, its kind and why."""
    _ = translations(language).gettext
    # an ordinary working day's kind would say "working day" twice: only what is special
    ordinary = info.kind is DayKind.WORKING_DAY
    detail = "" if ordinary else _kind_text(info.kind.value, language)
    if info.holiday is not None:
        detail = _("%(kind)s, %(holiday)s") % {"kind": detail, "holiday": info.holiday.name}
    if info.swaps_with is not None:
        swapped = day(info.swaps_with, language, weekday=True)
        detail = _("%(detail)s, swapped with %(day)s") % {"detail": detail, "day": swapped}
    adjustment = center.adjustment_text(info, language)  # None without one
    if adjustment is not None:
        detail = (
            _("%(detail)s; %(adjustment)s") % {"detail": detail, "adjustment": adjustment}
            if detail
            else adjustment
        )
    values = {"day": day(info.date, language, weekday=True), "detail": detail}
    if not detail:
        text = _("%(day)s: working day") % values
    elif info.working:
        text = _("%(day)s: working day — %(detail)s") % values
    else:
        text = _("%(day)s: not a working day — %(detail)s") % values
    if info.provisional:
        text += _(" [PROVISIONAL: no official data for this year]")
    return text


def _info_json(info: DayInfo, center: ServiceCenter) -> dict[str, Any]:
    return {
        "date": info.date.isoformat(),
        "working": info.working,
        "kind": info.kind.value,
        "holiday": info.holiday.name if info.holiday else None,
        "swaps_with": info.swaps_with.isoformat() if info.swaps_with else None,
        "adjustment": info.adjustment.name if info.adjustment else None,
        "adjustment_kind": info.adjustment.kind.value if info.adjustment else None,
        "adjustment_label": center.adjustment_text(info),
        "adjustment_plugin": center.plugin_of(info.adjustment) if info.adjustment else None,
        "provisional": info.provisional,
    }


def _calendar(args: argparse.Namespace) -> tuple[ServiceCenter, WorkingDayCalendar]:
    center = _centre(args)
    cal = center.calendar
    if args.adjustments:
        cal = cal.with_adjustments(load_adjustments(args.adjustments))
    return center, cal


def _adjusted(center: ServiceCenter, days: list[DayInfo], language: str) -> list[str]:
    """Lines naming the local days a count went over, what they are and who made them."""
    _ = translations(language).gettext
    return [
        _("  within the count: %(day)s") % {"day": _describe(d, center, language)} for d in days
    ]


def _cmd_is_working_day(args: argparse.Namespace) -> int:
    center, cal = _calendar(args)
    info = cal.day(args.date)
    if args.format == "json":
        _say_json(_info_json(info, center))
    else:
        _say(_describe(info, center, args.lang))
    return 0


def _cmd_add(args: argparse.Namespace) -> int:
    center, cal = _calendar(args)
    result = cal.add_working_days(args.date, args.n)
    info = cal.day(result)
    adjusted = cal.adjusted_days(args.date, result)
    if args.format == "json":
        _say_json(
            {
                "start": str(cal.day(args.date).date),
                "n": args.n,
                **_info_json(info, center),
                "adjusted_within": [_info_json(d, center) for d in adjusted],
            }
        )
    else:
        lines = [_describe(info, center, args.lang), *_adjusted(center, adjusted, args.lang)]
        _say("\n".join(lines))
    return 0


def _cmd_between(args: argparse.Namespace) -> int:
    center, cal = _calendar(args)
    n = cal.working_days_between(args.a, args.b)
    provisional = cal.is_provisional(args.a) or cal.is_provisional(args.b)
    adjusted = cal.adjusted_days(args.a, args.b)
    if args.format == "json":
        _say_json(
            {
                "a": str(cal.day(args.a).date),
                "b": str(cal.day(args.b).date),
                "working_days": n,
                "provisional": provisional,
                "adjusted_within": [_info_json(d, center) for d in adjusted],
            }
        )
    else:
        _ = translations(args.lang).gettext
        text = number(n, args.lang) + (
            _(" [PROVISIONAL: no official data for part of the range]") if provisional else ""
        )
        _say("\n".join([text, *_adjusted(center, adjusted, args.lang)]))
    return 0


def _cmd_year(args: argparse.Namespace) -> int:
    center, cal = _calendar(args)
    holidays = cal.holidays(args.year)
    days = cal.special_days(args.year)
    if args.format == "json":
        _say_json(
            {
                "year": args.year,
                "provisional": any(d.provisional for d in days),
                "notices": sorted({str(h.notice) for h in holidays if h.notice}),
                "holidays": [
                    {
                        "name": h.name,
                        "first": h.first.isoformat(),
                        "last": h.last.isoformat(),
                        "days_off": h.days_off,
                        "makeup": [m.isoformat() for m in h.makeup],
                    }
                    for h in holidays
                ],
                "days": [_info_json(d, center) for d in days],
            }
        )
        return 0
    lang = args.lang
    tr = translations(lang)
    _, ngettext = tr.gettext, tr.ngettext
    notices = sorted({str(h.notice) for h in holidays if h.notice})
    values = {"year": args.year}
    if notices:
        _say(_("%(year)s: %(notices)s") % {**values, "notices": _("; ").join(notices)})
    else:
        _say(_("%(year)s: PROVISIONAL estimate — no official notice for this year") % values)
    for h in holidays:
        line = ngettext(
            "  %(name)s: %(first)s – %(last)s, %(days)s day off",
            "  %(name)s: %(first)s – %(last)s, %(days)s days off",
            h.days_off,
        ) % {
            "name": h.name,
            "first": day(h.first, lang, weekday=True),
            "last": day(h.last, lang, weekday=True),
            "days": number(h.days_off, lang),
        }
        if h.makeup:
            makeup = _(", ").join(day(m, lang, weekday=True) for m in h.makeup)
            line += _("; make-up working days %(days)s") % {"days": makeup}
        _say(line)
    _say()
    for info in days:
        _say("  " + _describe(info, center, lang))
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

CLOCK_KEYS = (
    ("delivery_deadline", "on_time_delivery"),
    ("hearing_deadline", "on_time_hearing"),
    ("renewal_deadline", "deemed_renewed", "late_renewal_application"),
)
"""The keys of the clocks beside the decision (行政许可法 Arts. 44, 47, 50), printed where they
apply: when the clock has started (its deadline is set)."""


def _cmd_case_replay(args: argparse.Namespace) -> int:
    center = _centre(args, **({"catalogue": args.catalogue} if args.catalogue else {}))
    # replayed as an import into memory: the store's rules for ids, order and the clock
    store = MemoryStore(context=center.store_context)
    store.set_catalogue(_catalogue(center))
    store.import_jsonl(args.events)
    clock = store.clock
    docs = []
    for row in store.cases():
        case = store.case(row.case)
        reading = clock.reading(case, args.at)
        r = reading.to_dict()
        if args.all_fields:
            r["provenance"] = center.deadline_provenance(case, reading)
            keys = tuple(r)
        else:
            keys = (*REPLAY_KEYS, *(k for ks in CLOCK_KEYS if r[ks[0]] is not None for k in ks))
        docs.append({k: r[k] for k in keys})
    if args.format == "json":
        _say_json(docs)
    else:
        for doc in docs:
            _say(json.dumps(doc, ensure_ascii=False))
    return 0


@contextmanager
def _store(args: argparse.Namespace, center: ServiceCenter | None = None) -> Iterator[EventStore]:
    """The store ``--db`` names, for *center* (default: the command's centre), closed after.

    Opened read-only (a missing store is an error, nothing is created) except
    for ``store import``; an ``--out`` that is the store itself is refused.
    A store this command created is removed if the command fails
    (:meth:`~govservice.storage.EventStore.discard`): nothing half-made is left.
    """
    center = center or _centre(args)
    writes = args.func is _cmd_store_import
    store = center.open_store(args.db, force=args.force, readonly=not writes)
    try:
        out = getattr(args, "out", None)
        if out not in (None, STDOUT) and store.uses_file(out):
            _ = translations(args.lang).gettext
            raise GovServiceError(
                _(
                    "--out %(out)s is the store %(store)s itself: writing there would destroy "
                    "it; choose another file"
                )
                % {"out": out, "store": store.url}
            )
        yield store
    except BaseException:
        store.discard()
        raise
    store.close()


def _cmd_store_import(args: argparse.Namespace) -> int:
    center = _centre(args)
    with _store(args, center) as store:
        catalogue = None
        if args.catalogue:
            catalogue = load_catalogue(args.catalogue, rules=center.rules)
        elif store.catalogue() is None:
            # a new store takes its centre's catalogue, when the centre has one
            try:
                catalogue = center.catalogue
            except GovServiceError:
                raise  # a malformed catalogue file, named
            except ValueError:
                pass  # none: appending says the store has no catalogue
        result = store.import_jsonl(args.file, catalogue=catalogue, progress=_progress())
    if args.format == "json":
        _say_json(
            {
                "store": store.url,
                "stored": result.stored,
                "skipped": result.skipped,
                "cases": result.cases,
            }
        )
    else:
        tr = translations(args.lang)
        _say(
            tr.gettext("stored %(events)s (%(skipped)s already stored) of %(cases)s in %(store)s")
            % {
                "events": _events(result.stored, args.lang),
                "skipped": number(result.skipped, args.lang),
                "cases": _cases(result.cases, args.lang),
                "store": store.url,
            }
        )
    return 0


def _events(n: int, language: str) -> str:
    """*n* events, in words: ``1 event``, ``5个事件``."""
    return translations(language).ngettext("%(n)s event", "%(n)s events", n) % {
        "n": number(n, language)
    }


def _cases(n: int, language: str) -> str:
    """*n* cases, in words: ``1 case``, ``5件办件``."""
    return translations(language).ngettext("%(n)s case", "%(n)s cases", n) % {
        "n": number(n, language)
    }


def _cmd_store_export(args: argparse.Namespace) -> int:
    with _store(args) as store:
        if args.out is None or args.out == STDOUT:
            store.export_jsonl(sys.stdout)
        else:
            with open(args.out, "w", encoding="utf-8") as out:
                n = store.export_jsonl(out)
            _ = translations(args.lang).gettext
            message = _("exported %(events)s to %(path)s")
            _say(message % {"events": _events(n, args.lang), "path": args.out}, err=True)
    return 0


def _cmd_store_check(args: argparse.Namespace) -> int:
    with _store(args) as store:
        report = store.check(progress=_progress())
    if args.format == "json":
        _say_json(
            {
                "store": store.url,
                "cases": report.cases,
                "events": report.events,
                "ok": report.ok,
                "problems": list(report.problems),
            }
        )
    else:
        tr = translations(args.lang)
        for problem in report.problems:
            _say(problem)
        n = len(report.problems)
        found = tr.ngettext("%(n)s problem", "%(n)s problems", n) % {"n": number(n, args.lang)}
        _say(
            tr.gettext("%(store)s: %(cases)s, %(events)s, %(found)s")
            % {
                "store": store.url,
                "cases": _cases(report.cases, args.lang),
                "events": _events(report.events, args.lang),
                "found": tr.gettext("ok") if report.ok else found,
            }
        )
    return EXIT_OK if report.ok else EXIT_PROBLEMS


def _cmd_assess(args: argparse.Namespace) -> int:
    center = _centre(args)
    try:
        period = Period.month(args.month)
    except ValueError as e:
        raise GovServiceError(message_of(e)) from None
    with _store(args, center) as store:
        assessment = center.assess(store, period)
    render = {"md": briefing.to_markdown, "html": briefing.to_html, "json": briefing.to_json}
    text = render[args.format](assessment, args.lang)
    what = translations(args.lang).gettext("the briefing of %(month)s")
    _emit(text, args.out, what % {"month": month(period.label, args.lang)}, args.lang)
    return EXIT_OK


def _cmd_demo(args: argparse.Namespace) -> int:
    from govservice.demo import SAMPLE_COUNTY, run_demo

    tr = translations(args.lang)
    _ = tr.gettext
    needs = _(
        "the demo needs the sample county plugin: install it "
        "(pip install ./plugins/govservice-sample-county), as the README's first command does"
    )
    try:
        center = ServiceCenter(
            name="示范县政务服务中心",
            region=() if args.no_plugins else [SAMPLE_COUNTY],
            entrypoints=not args.no_plugins,
            language=args.lang,
        )
        center.catalogue  # noqa: B018 - fail early and clearly without a catalogue
    except PluginError as e:
        if e.plugin != SAMPLE_COUNTY:
            raise
        raise GovServiceError(
            Message(N_("%(needs)s (%(reason)s)"), {"needs": needs, "reason": e.reason})
        ) from None
    except GovServiceError:
        raise  # a malformed catalogue file, named
    except ValueError:
        raise GovServiceError(needs) from None
    out = Path(args.out or "govservice-demo")
    result = run_demo(out, seed=args.seed, center=center, progress=_progress())
    db = Path(result.store.removeprefix("sqlite:///"))
    centre_file = out / CENTRE_FILE
    centre_file.write_text(
        "# The demo's centre: the sample county's rules, the demo's store.\n"
        f'[centre]\nname = "{center.name}"\ntimezone = "{center.timezone}"\n'
        f'store = "sqlite:///{db.name}"\n'
        f'region = ["{SAMPLE_COUNTY}"]\n'
        f'[policies]\nlanguage = "{args.lang}"\n',
        encoding="utf-8",
    )
    files = [
        ("store", db),
        *(("monthly assessment", path) for path in result.briefings),
        ("half-year report", result.report_md),
        ("half-year report", result.report_html),
        ("half-year report", result.report_json),
        ("centre file", centre_file),
    ]
    said = {
        "store": _("store"),
        "monthly assessment": _("monthly assessment"),
        "half-year report": _("half-year report"),
        "centre file": _("centre file"),
    }
    if args.format == "json":
        _say_json(
            {
                "folder": str(out),
                "store": result.store,
                "cases": result.cases,
                "events": result.events,
                "files": [{"what": what, "path": str(path)} for what, path in files],
            }
        )
        return EXIT_OK
    _say(
        _("stored %(cases)s (%(events)s); wrote into %(folder)s:")
        % {
            "cases": _cases(result.cases, args.lang),
            "events": _events(result.events, args.lang),
            "folder": out,
        }
    )
    for what, path in files:
        _say(_("  %(what)s: %(path)s") % {"what": said[what], "path": path})
    _say(
        _("next: %(command)s")
        % {"command": f"cd {out} && govservice report --from 2026-01-01 --to 2026-06-30"}
    )
    return EXIT_OK


def _cmd_simulate(args: argparse.Namespace) -> int:
    center = _centre(args)
    # without a centre file (or --provisional, --years), the scenario's [hall] sets the time
    # zone and provisional setting
    chosen = center.source or args.provisional or args.years
    return run_simulate(args, center if chosen else None)


def _cmd_new_plugin(args: argparse.Namespace) -> int:
    root = new_plugin(args.name, args.directory)
    files = sorted(str(p) for p in root.rglob("*") if p.is_file())
    if args.format == "json":
        _say_json({"folder": str(root), "files": files})
    else:
        _ = translations(args.lang).gettext
        _say(
            _("created %(folder)s: %(command)s")
            % {"folder": root, "command": f"cd {root} && pip install -e '.[test]' && pytest"}
        )
    return EXIT_OK


def _cmd_report(args: argparse.Namespace) -> int:
    center = _centre(args)
    _ = translations(args.lang).gettext
    try:
        start, end = date.fromisoformat(args.start), date.fromisoformat(args.end)
    except ValueError as e:
        raise GovServiceError(
            _("--from/--to must be dates YYYY-MM-DD: %(error)s") % {"error": e}
        ) from None
    period = Period(start, end)
    if period.end < period.start:
        raise GovServiceError(
            _("--to %(end)s is before --from %(start)s")
            % {"end": period.end, "start": period.start}
        )
    with _store(args, center) as store:
        report = center.report(
            store,
            period,
            assess_months=not args.no_assess,
            language=args.lang,
            progress=_progress(),
        )
    render = {"md": report.to_markdown, "html": report.to_html, "json": report.to_json}
    text = render[args.format]()
    _emit(text, args.out, _("the report"), args.lang)
    return EXIT_OK


def _plugin_json(p: PluginInfo) -> dict[str, Any]:
    return {
        "name": p.name,
        "version": p.version,
        "distribution": p.distribution,
        "hooks": list(p.hooks),
        "kind": p.kind,
        "level": p.level,
        "declared": p.declared,
        "applied": p.applied,
    }


def _plugin_line(p: PluginInfo, language: str) -> str:
    """A plugin in words: its name, version, kind and level in the region chain."""
    _ = translations(language).gettext
    kind = {BUILT_IN: _("built-in"), GENERIC: _("generic"), REGIONAL: _("regional")}[p.kind]
    if not p.declared:
        kind = _("%(kind)s (declares no %(attribute)s: taken as regional)") % {
            "kind": kind,
            "attribute": KIND_ATTRIBUTE,
        }
    if p.level is not None:
        kind = _("%(kind)s, region chain level %(level)s") % {"kind": kind, "level": p.level}
    return f"{p.name} {p.version or '-'} — {kind}"


def _cmd_plugins(args: argparse.Namespace) -> int:
    if args.trace:
        os.environ["GOVSERVICE_TRACE_PLUGINS"] = "1"
    center = _centre(args)
    if args.trace:  # call every configuration hook once, so the trace shows them
        center.calendar, center.opening_hours, center.rules, center.alert_policy  # noqa: B018
        center.assessment_rules, center.rubric  # noqa: B018
    plugins, ignored = center.plugins, center.ignored_plugins
    if args.format == "json":
        _say_json(
            {
                "govservice": _version(),
                "centre": center.name,
                "centre_file": center.source,
                "region": [list(level) for level in center.region],
                "plugins": [_plugin_json(p) for p in (*plugins, *ignored)],
            }
        )
        return EXIT_OK
    _ = translations(args.lang).gettext
    _say(f"govservice {_version()}")
    if center.source:
        _say(
            _("centre: %(name)s (centre file %(file)s)")
            % {"name": center.name, "file": center.source}
        )
    else:
        _say(_("centre: %(name)s") % {"name": center.name})
    _say(_("region chain: %(chain)s") % {"chain": chain_text(center.region, args.lang)})
    _say()
    order = {REGIONAL: 0, GENERIC: 1, BUILT_IN: 2}
    for p in sorted(plugins, key=lambda p: (order[p.kind], p.level or 0)):
        _say(_plugin_line(p, args.lang))
        for hook in p.hooks:
            _say(f"    {hook}")
    if ignored:
        _say()
        _say(_("installed, not applied (regional: a centre applies those its region chain names):"))
        for p in ignored:
            _say(_plugin_line(p, args.lang))
            for hook in p.hooks:
                _say(f"    {hook}")
    return EXIT_OK


def _version() -> str:
    return metadata.version("govservice")


def _folder(text: str) -> str:
    """The ``--out`` of a command that writes several files: a folder, not ``-``."""
    if text == STDOUT:
        raise argparse.ArgumentTypeError(_FOLDER_NOT_DASH)
    return text


_FOLDER_NOT_DASH = N_(
    "this command writes several files: --out takes a folder, not - (standard output); "
    "--format json prints what it wrote"
)

_USAGE_MESSAGES = (
    # argparse's own messages (its gettext msgids), translated where govservice shows them
    N_("argument %(argument_name)s: %(message)s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"),
    N_("expected one argument"),
    N_("expected at least one argument"),
    N_("invalid %(type)s value: %(value)r"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("ignored explicit argument %r"),
    # the options' own checks
    _FOLDER_NOT_DASH,
    *ARGUMENT_MESSAGES,
)
"""The messages of usage errors, in English as argparse and the options' types make them."""

_PLACEHOLDER = re.compile(r"%(?:\((\w+)\))?[sr]")


@functools.cache
def _usage_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Each of :data:`_USAGE_MESSAGES` with a pattern that matches it filled in."""
    patterns = []
    for message in _USAGE_MESSAGES:
        pieces = _PLACEHOLDER.split(message)  # text, name (or None), text, name, …
        regex = "".join(
            re.escape(piece) if i % 2 == 0 else "(.+?)" for i, piece in enumerate(pieces)
        )
        patterns.append((message, re.compile(regex, re.DOTALL)))
    return tuple(patterns)


def _usage_text(message: str, language: str) -> str:
    """An argparse usage error's *message* in *language* (as it is if it is not one we know)."""
    for template, pattern in _usage_patterns():
        match = pattern.fullmatch(message)
        if match:
            names = [m.group(1) for m in _PLACEHOLDER.finditer(template)]  # None: a plain %s
            values = {
                n: _usage_text(v, language) for n, v in zip(names, match.groups(), strict=True)
            }
            return _fill(translations(language).gettext(template), values)
    return message


def _fill(template: str, values: dict[str | None, str]) -> str:
    """*template* with its placeholders replaced by *values*, as they are (already converted)."""
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], template)


def _columns(text: str) -> int:
    """How many terminal columns *text* takes: two for each Chinese character."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


class _Columns(str):
    """Text whose length is its width on the terminal, for argparse's alignment."""

    __slots__ = ()

    def __len__(self) -> int:
        return _columns(self)


_WORDS = re.compile(
    r"(?:[\u2e80-\u9fff\uf900-\uffef]|[^\s\u2e80-\u9fff\uf900-\uffef]+)[）」，。；：、]*\s*"
)
"""A word of help text or a Chinese character, with the punctuation after it: lines break
between them, never before a comma or a closing bracket."""


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """argparse's help layout, with its ``usage:`` in the reader's language.

    Lines of help are wrapped by their width on the terminal, Chinese characters
    taking two columns, between words and between Chinese characters.
    """

    def __init__(self, prog: str, usage: str) -> None:
        super().__init__(prog)
        self._usage = _Columns(usage)

    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None = None,
    ) -> None:
        super().add_usage(usage, actions, groups, self._usage if prefix is None else prefix)

    def _split_lines(self, text: str, width: int) -> list[str]:
        lines, line = [], ""
        for word in _WORDS.findall(" ".join(text.split())):
            if line and _columns(line + word.rstrip()) > width:
                lines.append(line.rstrip())
                line = ""
            line += word
        return [*lines, line.rstrip()] if line else lines


class _Parser(argparse.ArgumentParser):
    """argparse speaking :attr:`language`: its headings, help and usage errors.

    Every command's parser is of the same class (argparse makes a command's
    parser of its parent's class), made for a language by :func:`_parser_class`.
    """

    language = "zh"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _ = translations(self.language).gettext
        self._positionals.title = _("positional arguments")
        self._optionals.title = _("options")
        if "-h" in self._option_string_actions:
            self._option_string_actions["-h"].help = _("show this help message and exit")

    def _get_formatter(self) -> argparse.HelpFormatter:
        return _Formatter(self.prog, translations(self.language).gettext("usage: "))

    def format_help(self) -> str:
        """The help, its headings ending in the reader's colon (``选项：``)."""
        text = super().format_help()
        heading = translations(self.language).gettext(N_("%(heading)s:"))
        for group in self._action_groups:
            if group.title:
                shown = heading % {"heading": group.title}
                text = text.replace(f"\n{group.title}:\n", f"\n{shown}\n")
        return text

    def error(self, message: str) -> NoReturn:
        """Print the usage and the error in :attr:`language`, and exit with status 2."""
        _ = translations(self.language).gettext
        message = _usage_text(message, self.language)
        if "--json" in message:  # the old flag: point to its successor
            message += _(" (JSON is --format json)")
        self.print_usage(sys.stderr)
        self.exit(
            EXIT_USAGE,
            _("%(prog)s: error: %(message)s") % {"prog": self.prog, "message": message} + "\n",
        )


@functools.cache
def _parser_class(language: str) -> type[_Parser]:
    """The :class:`_Parser` of *language*."""
    return type(f"_Parser_{language}", (_Parser,), {"language": language})


def _exit_help(language: str) -> str:
    """The conventions every ``--help`` ends with: output and exit status."""
    return translations(language).gettext(
        "output:\n"
        "  --format    text (md or html for reports) for people, json for programs\n"
        "  --out PATH  a file for commands that write one output, a folder for those\n"
        "              that write several (demo, simulate); - is standard output\n"
        "\n"
        "exit status:\n"
        "  0    success\n"
        "  1    the command ran and found problems: store check found some, or an\n"
        "       input file's data was refused (the message names file, line and field)\n"
        "  2    usage error: an option, a file that cannot be read (a damaged store\n"
        "       too), a year without calendar data (--provisional, --years FILE)\n"
        "  70   an internal error (a bug in govservice): one line says where the\n"
        "       traceback was written; please report it\n"
        "  130  interrupted; 141 the output's reader went away (| head), quietly\n"
    )


def _progress() -> bool:
    """Progress bars when standard error is a terminal; none when it is piped or a file."""
    return sys.stderr.isatty()


def _format(parser: argparse.ArgumentParser, language: str, *choices: str) -> None:
    """Add ``--format`` with *choices*, the first the default."""
    _ = translations(language).gettext
    parser.add_argument(
        "--format",
        choices=choices,
        default=choices[0],
        help=_("%(choices)s (default %(default)s)")
        % {"choices": " | ".join(choices), "default": choices[0]},
    )


def _out_file(parser: argparse.ArgumentParser, language: str) -> None:
    _ = translations(language).gettext
    parser.add_argument(
        "--out", metavar="FILE", help=_("the file to write (default, or -: standard output)")
    )


def _language_option(default: Any, language: str) -> argparse.ArgumentParser:
    """A parent parser of ``--lang`` with *default*: before the command or among its options."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=default,
        help=translations(language).gettext(
            "the language of what is written for people (text, reports, briefings, "
            "errors and help): zh or en (default: the centre file's language, else zh)"
        ),
    )
    return parser


def _parser(language: str = "zh") -> argparse.ArgumentParser:
    """The command line's parser, its help and usage errors in *language*."""
    _ = translations(language).gettext
    epilog = _exit_help(language)
    parser = _parser_class(language)(
        prog="govservice",
        description=_("Government service centres: calendars, limits, assessment."),
        epilog=epilog,
        parents=[_language_option(None, language)],
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"govservice {_version()}",
        help=_("show the version and exit"),
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def command(parent: Any, name: str, help: str, **kwargs: Any) -> argparse.ArgumentParser:
        p: argparse.ArgumentParser = parent.add_parser(
            name, help=help, description=help, epilog=epilog, **kwargs
        )
        return p

    # the commands take --lang too, without a default of their own: the one given before the
    # command stands unless the command is given one
    lang = _language_option(argparse.SUPPRESS, language)
    plugins = argparse.ArgumentParser(add_help=False)
    plugins.add_argument(
        "--no-plugins",
        action="store_true",
        help=_("no plugins at all, not even the centre file's region chain"),
    )
    centre = argparse.ArgumentParser(add_help=False)
    centre.add_argument(
        "--centre",
        metavar="FILE",
        help=_(
            "the centre file (default: $%(env)s, else ./%(file)s; without one, the national "
            "defaults)"
        )
        % {"env": CENTRE_ENV, "file": CENTRE_FILE},
    )
    timezone = argparse.ArgumentParser(add_help=False)
    timezone.add_argument(
        "--timezone",
        help=_("the centre's timezone (default: the centre file's, else Asia/Shanghai)"),
    )
    years = argparse.ArgumentParser(add_help=False)
    years.add_argument(
        "--provisional",
        action="store_true",
        help=_(
            "answer for years without official data, marked provisional (in a centre file: "
            "provisional = true under [policies])"
        ),
    )
    years.add_argument(
        "--years",
        metavar="FILE",
        help=_("TOML file of newly announced years (the built-in format)"),
    )

    folder = argparse.ArgumentParser(add_help=False)
    folder.add_argument(
        "--out", metavar="FOLDER", type=_folder, help=_("the folder to write the files into")
    )

    calcommon = argparse.ArgumentParser(
        add_help=False, parents=[lang, plugins, centre, timezone, years]
    )
    calcommon.add_argument(
        "--adjustments", metavar="FILE", help=_("TOML file of local adjustments")
    )
    _format(calcommon, language, "text", "json")

    cal = command(sub, "calendar", _("working-day calendar queries"), parents=[lang])
    calsub = cal.add_subparsers(dest="calendar_command", required=True)
    p = command(
        calsub,
        "is-working-day",
        _("is DATE a working day, and what kind of day is it"),
        parents=[calcommon],
    )
    p.add_argument("date", help=_("YYYY-MM-DD, or an ISO date-time with offset"))
    p.set_defaults(func=_cmd_is_working_day)
    p = command(calsub, "add", _("the N-th working day after DATE"), parents=[calcommon])
    p.add_argument("date", help=_("YYYY-MM-DD, or an ISO date-time with offset"))
    p.add_argument("n", type=int, help=_("working days (negative: before DATE)"))
    p.set_defaults(func=_cmd_add)
    p = command(
        calsub, "between", _("working days after A up to and including B"), parents=[calcommon]
    )
    p.add_argument("a", help=_("YYYY-MM-DD, or an ISO date-time with offset"))
    p.add_argument("b", help=_("YYYY-MM-DD, or an ISO date-time with offset"))
    p.set_defaults(func=_cmd_between)
    p = command(calsub, "year", _("a year's days off and make-up days"), parents=[calcommon])
    p.add_argument("year", type=int, help=_("the year, e.g. 2026"))
    p.set_defaults(func=_cmd_year)

    case = command(sub, "case", _("cases and their clocks"), parents=[lang])
    casesub = case.add_subparsers(dest="case_command", required=True)
    p = command(
        casesub,
        "replay",
        _("replay events (JSON Lines) and print each case's clock at an instant"),
        parents=[lang, plugins, centre, timezone, years],
    )
    p.add_argument("events", help=_("events file, JSON Lines in the event format"))
    p.add_argument("--catalogue", help=_("the catalogue TOML file (default: the centre's)"))
    p.add_argument("--at", required=True, help=_("the instant, ISO 8601 with offset"))
    p.add_argument("--all-fields", action="store_true", help=_("print every field of the reading"))
    p.add_argument(
        "--format",
        choices=("jsonl", "json"),
        default="jsonl",
        help=_("jsonl: one reading per line (default); json: one array"),
    )
    p.set_defaults(func=_cmd_case_replay)

    store = command(sub, "store", _("the event store: import, export, check"), parents=[lang])
    storesub = store.add_subparsers(dest="store_command", required=True)
    dbcommon = argparse.ArgumentParser(
        add_help=False, parents=[lang, plugins, centre, timezone, years]
    )
    dbcommon.add_argument(
        "--db", help=_("store URL, e.g. sqlite:///hall.db (default: the centre file's store)")
    )
    dbcommon.add_argument(
        "--force",
        action="store_true",
        help=_("open a store that records another centre's region chain"),
    )
    p = command(
        storesub,
        "import",
        _("append a JSON Lines file of events, all or nothing"),
        parents=[dbcommon],
    )
    p.add_argument("file", help=_("events file, JSON Lines in the event format"))
    p.add_argument(
        "--catalogue", help=_("catalogue TOML to store first (events are checked against it)")
    )
    _format(p, language, "text", "json")
    p.set_defaults(func=_cmd_store_import)
    p = command(
        storesub,
        "export",
        _("write every event as JSON Lines (the event format)"),
        parents=[dbcommon],
    )
    _out_file(p, language)
    p.set_defaults(func=_cmd_store_export)
    p = command(
        storesub,
        "check",
        _("replay every case; exit 1 if anything is wrong"),
        parents=[dbcommon],
    )
    _format(p, language, "text", "json")
    p.set_defaults(func=_cmd_store_check)

    p = command(
        sub,
        "assess",
        _("the monthly assessment of windows and staff, as a briefing"),
        parents=[dbcommon],
    )
    p.add_argument("--month", required=True, help="YYYY-MM")
    _format(p, language, "md", "html", "json")
    _out_file(p, language)
    p.set_defaults(func=_cmd_assess)

    p = command(
        sub,
        "report",
        _("the period report: figures, charts, red flags, problems"),
        parents=[dbcommon],
    )
    p.add_argument("--from", dest="start", required=True, help=_("first day, YYYY-MM-DD"))
    p.add_argument("--to", dest="end", required=True, help=_("last day, YYYY-MM-DD"))
    _format(p, language, "md", "html", "json")
    _out_file(p, language)
    p.add_argument("--no-assess", action="store_true", help=_("skip the monthly red flags"))
    p.set_defaults(func=_cmd_report)

    p = command(
        sub,
        "demo",
        _(
            "half a year of a sample county's hall: stored, assessed, reported "
            "(into --out FOLDER, default govservice-demo)"
        ),
        parents=[lang, plugins, folder],
    )

    p.add_argument("--seed", type=int, default=2026, help=_("the same seed gives the same report"))
    _format(p, language, "text", "json")
    p.set_defaults(func=_cmd_demo)

    p = add_simulate_command(sub, parents=[lang, centre, years, folder], language=language)
    p.set_defaults(func=_cmd_simulate)

    p = command(sub, "new-plugin", _("create a ready plugin package to start from"), parents=[lang])
    p.add_argument("name", help=_("e.g. my-county"))
    p.add_argument("--directory", default=".", help=_("where to create it"))
    _format(p, language, "text", "json")
    p.set_defaults(func=_cmd_new_plugin)

    p = command(
        sub,
        "plugins",
        _("the centre's plugins, their kinds and hooks, and the installed ones it leaves out"),
        parents=[lang, plugins, centre],
    )
    p.add_argument(
        "--trace",
        action="store_true",
        help=_("also call each hook once and print every call, argument and result"),
    )
    _format(p, language, "text", "json")
    p.set_defaults(func=_cmd_plugins)
    return parser


def _cli_message(e: BaseException, language: str) -> str:
    """The message of *e* for a command-line user: the flags to change, not Python names."""
    _ = translations(language).gettext
    if isinstance(e, CalendarDataMissing):
        first, last = e.coverage
        return _(
            "no official working-day data for %(year)s: the calendar covers %(first)s–%(last)s. "
            "Answer provisionally with --provisional (provisional = true under a centre "
            "file's [policies] or a scenario's [hall]), or give the year's announced data "
            "with --years FILE"
        ) % {"year": e.year, "first": first, "last": last}
    if isinstance(e, sqlite3.Error):  # a damaged page, a file locked past the timeout
        return _(
            "the store's SQLite file cannot be read: %(error)s. If it is damaged, restore it "
            "from a backup (sqlite3 FILE 'PRAGMA integrity_check' shows the damage)"
        ) % {"error": e}
    return translate(message_of(e), language)


def _quiet_stdout() -> None:
    """Point standard output at the null device, so that exiting flushes nothing into the pipe."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no file descriptor (output captured in a test)
        pass


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (see :data:`EXIT_OK` and the others).

    .. versionadded:: 0.1
    """
    argv = sys.argv[1:] if argv is None else list(argv)
    lang = _option(argv, "--lang")
    language = _reader_language(lang if lang in LANGUAGES else None, _option(argv, "--centre"))
    _ = translations(language).gettext
    try:
        args = _parser(language).parse_args(argv)
        args.lang = language = _reader_language(args.lang, getattr(args, "centre", None))
        _ = translations(language).gettext
        status: int = args.func(args)
        sys.stdout.flush()
    except SystemExit as e:  # argparse: --help, --version (0) and usage errors (2)
        return e.code if isinstance(e.code, int) else EXIT_USAGE
    except BrokenPipeError:
        _quiet_stdout()
        return EXIT_PIPE
    except KeyboardInterrupt:
        _say(_("govservice: interrupted"), err=True)
        return EXIT_INTERRUPTED
    except (GovServiceError, OSError, sqlite3.Error) as e:
        message = mask_personal(_cli_message(e, language))
        _say(_("govservice: error: %(message)s") % {"message": message}, err=True)
        return EXIT_PROBLEMS if isinstance(e, _DATA_ERRORS) else EXIT_USAGE
    except Exception as e:  # a bug: one line and the traceback in a file, not on the screen
        message = mask_personal(" ".join(str(e).split()))  # one line
        _say(
            _(
                "govservice: internal error: %(error)s: %(message)s — please report it; the "
                "full traceback is in %(file)s"
            )
            % {"error": type(e).__name__, "message": message, "file": _traceback_file(e)},
            err=True,
        )
        return EXIT_INTERNAL
    return status


def _traceback_file(error: Exception) -> str:
    """Write *error*'s traceback to a new file in the temporary folder; its path."""
    fd, path = tempfile.mkstemp(prefix="govservice-traceback-", suffix=".txt")
    with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace") as f:
        f.write(mask_personal("".join(traceback.format_exception(error))))
    return path


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
