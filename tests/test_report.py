"""The period report: its figures are the statistics' figures; the page renders in a browser."""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from govservice import ServiceCenter
from govservice.assessment import Period
from govservice.cases.table import CaseTable
from govservice.stats import figures
from test_stats import CATALOGUE, EVENTS, PAYMENTS

SPRING = Period.month("2026-04")
SPRING = Period(SPRING.start, Period.month("2026-05").end)


@pytest.fixture(scope="module")
def hall(tmp_path_factory: pytest.TempPathFactory) -> tuple[ServiceCenter, str]:
    center = ServiceCenter(entrypoints=False, catalogue=CATALOGUE)
    url = f"sqlite:///{tmp_path_factory.mktemp('report')}/hall.db"
    with center.open_store(url) as store:
        store.set_catalogue(center.catalogue)
        store.append(EVENTS)
        store.put_records("payment", PAYMENTS)
    return center, url


def test_report_figures_are_the_statistics(hall: tuple[ServiceCenter, str]) -> None:
    center, url = hall
    with center.open_store(url) as store:
        report = center.report(store, SPRING)
        table = CaseTable.from_store(store)
        payments = store.records("payment")
        assert report.total == figures(table, store.clock, SPRING, payments=payments)["centre"]
        assert report.by_unit == figures(table, store.clock, SPRING, by="unit", payments=payments)
    data = json.loads(report.to_json())
    assert data["total"]["received"] == 5 and data["total"]["fees"] == "10.00"
    assert data["by_month"]["2026-05"]["decided"] == 3
    assert [o["case"] for o in data["overdue"]] == ["E"]
    assert data["coverage"]["unstationed_units"] == ["XF"]
    # W01 scores 95, the least for a flag, in each month: −5 for E (due 30 April, open at
    # April's end), charged once, in April; −5 for A, late in May
    assert data["red_flags"] == {"2026-04": ["W02", "W09", "W01"], "2026-05": ["W02", "W09", "W01"]}
    assert "中心共收件5件，受理5件，办结3件" in report.sentences()[0]
    assert "压缩率 = （法定时限 − 承诺时限）÷ 法定时限" in report.to_markdown()
    assert data["coverage"]["stationing_rate"] == 0.75  # rates are numbers
    assert data["by_month"]["2026-04"]["open"] == 1  # as of April's end, not 0


def test_cli_report_json(hall: tuple[ServiceCenter, str]) -> None:
    _, url = hall
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "govservice",
            "report",
            "--db",
            url,
            "--from",
            "2026-04-01",
            "--to",
            "2026-05-31",
            "--format",
            "json",
            "--no-plugins",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["total"]["decided"] == 3
    bad = subprocess.run(
        [
            sys.executable,
            "-m",
            "govservice",
            "report",
            "--db",
            url,
            "--from",
            "2026-05-31",
            "--to",
            "2026-04-01",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 2 and "早于--from" in bad.stderr


def test_language_from_the_flag_or_the_centre(hall: tuple[ServiceCenter, str]) -> None:
    """Chinese by default; ``--lang en``; a centre whose language is English reports in English."""
    _, url = hall

    def gs(*args: str) -> str:
        run = subprocess.run(
            [sys.executable, "-m", "govservice", *args, "--db", url, "--no-plugins"],
            capture_output=True,
            text=True,
            check=False,
        )
        assert run.returncode == 0, run.stderr
        return run.stdout

    span = ("--from", "2026-04-01", "--to", "2026-05-31")
    assert gs("report", *span).startswith("# 政务服务中心工作总结（2026年4月1日至2026年5月31日）")
    assert gs("report", *span, "--lang", "en").startswith(
        "# 政务服务中心: work summary, 1 April 2026 to 31 May 2026"
    )
    assert gs("assess", "--month", "2026-05", "--lang", "en").startswith(
        "# May 2026 monthly assessment briefing"
    )
    english = ServiceCenter(entrypoints=False, catalogue=CATALOGUE, language="en")
    with english.open_store(url) as store:
        report = english.report(store, SPRING)
    assert report.language == "en" and "Region chain: none" in report.to_markdown()


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def test_html_report_in_a_headless_browser(hall: tuple[ServiceCenter, str], tmp_path: Path) -> None:
    """Debian's chromium opens the page: a screenshot, the charts in the DOM, no console errors."""
    pytest.importorskip("matplotlib")
    browser = _chromium()
    if browser is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is missing under CI: .ci/run installs Debian's chromium")
        pytest.skip("no chromium: apt-get install chromium (CI installs it)")
    center, url = hall
    page = tmp_path / "report.html"
    with center.open_store(url) as store:
        page.write_text(center.report(store, SPRING).to_html(), encoding="utf-8")
    shot = tmp_path / "report.png"
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--enable-logging=stderr",
        "--v=0",
    ]
    run = subprocess.run(
        [browser, *flags, f"--screenshot={shot}", "--window-size=1280,2400", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert shot.exists() and shot.stat().st_size > 10_000
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    dom = subprocess.run(
        [browser, *flags, "--dump-dom", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert dom.stdout.count("data:image/svg+xml;base64,") >= 3  # volume, on-time, fees (+ flags)
    assert "政务服务中心工作总结（2026年4月1日至2026年5月31日）" in dom.stdout
    console = [line for line in (run.stderr + dom.stderr).splitlines() if "CONSOLE" in line]
    assert not console, console


def test_report_volume_is_the_statistics(hall: tuple[ServiceCenter, str]) -> None:
    """The volume chart's counts are the statistics' received, month by month and unit by unit."""
    from govservice.reports import months_of

    center, url = hall
    with center.open_store(url) as store:
        report = center.report(store, SPRING, assess_months=False)
        table = CaseTable.from_store(store)
        expected = {
            m.label: {
                u: f.received
                for u, f in figures(table, store.clock, m, by="unit").items()
                if f.received
            }
            for m in months_of(SPRING)
        }
    assert report.volume == expected
    assert report.volume["2026-05"] == {"HR": 1, "MR": 2, "NR": 1}


def _font_file(family: str) -> Path | None:
    fc = shutil.which("fc-match")
    if fc is None:
        return None
    out = subprocess.run([fc, "-f", "%{file}", family], capture_output=True, text=True, check=False)
    path = Path(out.stdout.strip())
    return path if out.returncode == 0 and family.split()[0] in path.name else None


def test_chart_chinese_labels_are_drawn_not_boxes(
    hall: tuple[ServiceCenter, str], tmp_path: Path
) -> None:
    """Chromium draws a chart's Chinese labels with the CJK font, not as empty boxes.

    The chart is drawn twice, each time with fontconfig given only some fonts: DejaVu Sans and
    Noto Sans CJK, then DejaVu Sans alone, where Chinese can only be boxes.  Latin text is the
    same in both, so the two pictures differ only if the first drew Chinese glyphs — which it
    can only do from text the browser draws (SVG <text>), not from shapes matplotlib drew.
    """
    pytest.importorskip("matplotlib")
    from matplotlib.image import imread

    from govservice.fonts import CJK_FONTS

    browser = _chromium()
    cjk, latin = _font_file("Noto Sans CJK SC"), _font_file("DejaVu Sans")
    if browser is None or cjk is None or latin is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI installs chromium and fonts-noto-cjk (.ci/run)")
        pytest.skip("needs chromium, fonts-noto-cjk and DejaVu Sans")
    center, url = hall
    with center.open_store(url) as store:
        svg = center.report(store, SPRING).charts()["volume"]
    assert "<text" in svg and "各单位每月收件量" in svg and f"'{CJK_FONTS[0]}'" in svg
    page = tmp_path / "chart.html"
    uri = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
    page.write_text(f"<!doctype html><body style='margin:0'><img src='{uri}'>", encoding="utf-8")
    shots = []
    for name, dirs in (("cjk", (latin.parent, cjk.parent)), ("latin", (latin.parent,))):
        conf = tmp_path / f"{name}.conf"
        conf.write_text(
            '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
            + "".join(f"<dir>{d}</dir>" for d in dirs)
            + f"<cachedir>{tmp_path / ('cache-' + name)}</cachedir></fontconfig>",
            encoding="utf-8",
        )
        shot = tmp_path / f"{name}.png"
        run = subprocess.run(
            [
                browser,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                f"--user-data-dir={tmp_path / ('profile-' + name)}",
                f"--screenshot={shot}",
                "--window-size=900,420",
                page.as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            env={**os.environ, "FONTCONFIG_FILE": str(conf)},
        )
        assert run.returncode == 0, run.stderr[-2000:]
        shots.append(imread(shot))
    drawn, boxes = shots
    assert drawn.shape == boxes.shape
    differing = (abs(drawn - boxes).sum(axis=-1) > 0.1).sum()
    assert differing > 200, differing  # the title's and the legend's Chinese glyphs
