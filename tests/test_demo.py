"""The demo's generator: valid histories, deterministic, its report the statistics' figures."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from govservice import ServiceCenter
from govservice.assessment import Period
from govservice.cases.table import CaseTable
from govservice.demo import run_demo
from govservice.stats import figures

CATALOGUE = Path(__file__).parent / "data" / "catalogue_small.toml"
PERIOD = Period(date(2026, 1, 1), date(2026, 2, 28))


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory):
    center = ServiceCenter(entrypoints=False, catalogue=CATALOGUE)
    out = tmp_path_factory.mktemp("demo")
    return center, out, run_demo(out, seed=7, period=PERIOD, per_day=30, center=center)


def test_everything_is_written(demo) -> None:
    _, _out, result = demo
    assert result.cases > 600 and result.events > 3 * result.cases
    assert [p.name for p in result.briefings] == [
        "assessment-2026-01.md",
        "assessment-2026-01.html",
        "assessment-2026-02.md",
        "assessment-2026-02.html",
    ]
    assert result.report_html.read_text(encoding="utf-8").startswith("<!doctype html>")


def test_every_history_is_valid(demo) -> None:
    center, _, result = demo
    with center.open_store(result.store) as store:
        report = store.check()
        assert report.ok and report.cases == result.cases and report.events == result.events
        kinds = {e.type for e in store.events()}
        assert {
            "submitted",
            "accepted",
            "decided",
            "evaluated",
            "suspended",
            "resumed",
            "correction_requested",
            "correction_received",
        } <= kinds
        assert len(store.records("inspection")) == 8 and store.records("commendation")


def test_report_is_the_statistics(demo) -> None:
    center, _, result = demo
    data = json.loads(result.report_json.read_text(encoding="utf-8"))
    with center.open_store(result.store) as store:
        stats = figures(
            CaseTable.from_store(store), store.clock, PERIOD, payments=store.records("payment")
        )["centre"]
    assert data["total"] == stats.as_dict()
    assert data["total"]["received"] == result.cases


def test_same_seed_same_report(demo, tmp_path: Path) -> None:
    center, _, first = demo
    again = run_demo(tmp_path / "again", seed=7, period=PERIOD, per_day=30, center=center)
    assert again.report_md.read_text(encoding="utf-8") == first.report_md.read_text(
        encoding="utf-8"
    )
    other = run_demo(tmp_path / "other", seed=8, period=PERIOD, per_day=30, center=center)
    assert other.report_md.read_text(encoding="utf-8") != first.report_md.read_text(
        encoding="utf-8"
    )
