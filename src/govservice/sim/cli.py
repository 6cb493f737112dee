"""``govservice simulate SCENARIO.toml``: run a scenario file from the command line.

The host's ``cli.py`` calls :func:`add_simulate_command` on its subparsers.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from govservice.sim.engine import simulate
from govservice.sim.errors import ScenarioError
from govservice.sim.experiments import replicate
from govservice.sim.loader import load_scenario

if TYPE_CHECKING:
    from govservice.center import ServiceCenter

__all__ = ["add_simulate_command", "run_simulate"]


def add_simulate_command(
    subparsers: Any, parents: Sequence[argparse.ArgumentParser] = ()
) -> argparse.ArgumentParser:
    """Add ``simulate`` to *subparsers* (from ``ArgumentParser.add_subparsers``).

    *parents* add their options (the host's ``--centre``).

    .. versionadded:: 0.1
    """
    p: argparse.ArgumentParser = subparsers.add_parser(
        "simulate",
        parents=list(parents),
        help="simulate a hall scenario (TOML) and summarise waits, load and cases",
    )
    p.add_argument("scenario", help="the scenario file (TOML, or JSON by its .json suffix)")
    p.add_argument("--seed", type=int, default=0, help="the same seed gives the same result")
    p.add_argument("--replications", type=int, default=1, help="independent replications")
    p.add_argument(
        "--no-plugins",
        action="store_true",
        help="count on the national calendar and built-in rules, without any plugin",
    )
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print the summaries as JSON")
    out.add_argument(
        "--out", metavar="DIR", help="write summary.json (and events.jsonl for one run) here"
    )
    p.set_defaults(func=run_simulate)
    return p


def _f(v: Any) -> str:
    return "-" if v is None else f"{v:.3f}"


def _table(summary: dict[str, Any]) -> str:
    lines = ["| station | customers | mean wait | p95 wait | P(wait>0) | utilisation |"]
    lines.append("|---|---|---|---|---|---|")
    for s in summary["stations"].values():
        lines.append(
            f"| {s['station']} | {s['customers']} | {_f(s['mean_wait'])} | "
            f"{_f(s['p95_wait'])} | {_f(s['p_wait'])} | {_f(s['utilisation'])} |"
        )
    matters = [m for m in summary["matters"].values() if m["cases"] or m["carried"]]
    if matters:
        lines += [
            "",
            "| matter | new cases | on time (promise) | carried | carried on time (promise) "
            "| pending | overdue | missed promise |",
            "|---|---|---|---|---|---|---|---|",
        ]
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

    .. versionadded:: 0.1
    """
    scenario = load_scenario(args.scenario, entrypoints=not args.no_plugins, center=center)
    if args.replications < 1:
        raise ScenarioError("--replications must be at least 1")
    events: list[dict[str, Any]] = []
    if args.replications == 1:
        result = simulate(scenario, seed=args.seed, records=bool(args.out))
        doc: dict[str, Any] = result.summary.to_dict()
        if args.out and result.cases is not None and scenario.catalogue is not None:
            events = list(result.events())
        summaries = [doc]
    else:
        reps = replicate(scenario, replications=args.replications, seed=args.seed)
        doc = reps.to_dict()
        summaries = doc["replications"]
    if args.json:
        print(json.dumps(doc, ensure_ascii=False, indent=1))
    elif args.out:
        folder = Path(args.out)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "summary.json").write_text(
            json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        if events:
            (folder / "events.jsonl").write_text(
                "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in events),
                encoding="utf-8",
            )
        print(f"wrote {folder / 'summary.json'}" + (" and events.jsonl" if events else ""))
    else:
        for i, s in enumerate(summaries):
            print(f"## {scenario.name}, seed {args.seed}, replication {i}\n")
            print(_table(s) + "\n")
    return 0
