"""The half-year report of ``bench_report.py``'s store, rendered: a change must not change it.

Writes the report of the store's half year (``center.report(...)``, the
benchmark's centre and period) as JSON and as Markdown into *OUT*, read-only:
run it with the code before and after a change and compare the files byte for
byte (``cmp``).

Usage: ``python benchmarks/report_output.py STORE.db OUT``
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from bench_report import big_catalogue
from govservice import ServiceCenter
from govservice.assessment import Period


def main() -> None:
    """Write ``report.json`` and ``report.md`` of the store's half year into the folder."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", type=Path, help="the half year's SQLite store (read only)")
    parser.add_argument("out", type=Path, help="the folder to write the renderings into")
    args = parser.parse_args()
    center = ServiceCenter(entrypoints=False, catalogue=big_catalogue())
    half = Period(date(2026, 1, 1), date(2026, 6, 30))
    with center.open_store(f"sqlite:///{args.store}", readonly=True) as store:
        report = center.report(store, half)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "report.json").write_text(report.to_json(), encoding="utf-8")
    (args.out / "report.md").write_text(report.to_markdown(), encoding="utf-8")


if __name__ == "__main__":
    main()
