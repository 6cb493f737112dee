"""Reports and briefings in Chinese and English: catalogs, golden files, escaping.

The golden files under ``tests/golden`` were written by running the renderings on the small
store below and then read line by line; ``GOVSERVICE_WRITE_GOLDEN=1`` rewrites them after a
deliberate change (read the diff before committing it).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import attrs
import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

from govservice import ServiceCenter
from govservice.assessment import DEFAULT_RULES, Assessment, Period, briefing
from govservice.assessment.briefing import plain
from govservice.i18n import Names, md_escape, translations
from govservice.reports import OverdueCase, Report
from test_stats import CATALOGUE, EVENTS, PAYMENTS

ROOT = Path(__file__).parent.parent
GOLDEN = Path(__file__).parent / "golden"
SPRING = Period(Period.month("2026-04").start, Period.month("2026-05").end)
INJECTED = "C2\n# Injected heading\n[click](javascript:alert(1))"
IMG = "U<img src=x onerror=alert(2)>"


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Report, Assessment]:
    center = ServiceCenter(entrypoints=False, catalogue=CATALOGUE, name="示范县政务服务中心")
    url = f"sqlite:///{tmp_path_factory.mktemp('i18n')}/hall.db"
    with center.open_store(url) as store:
        store.set_catalogue(center.catalogue)
        store.append(EVENTS)
        store.put_records("payment", PAYMENTS)
        return center.report(store, SPRING), center.assess(store, "2026-05")


def _catalog() -> dict[str, str]:
    po = ROOT / "src/govservice/locale/zh/LC_MESSAGES/govservice.po"
    with po.open("rb") as f:
        catalog = read_po(f)
    out = {}
    for m in catalog:
        if m.id:
            key = m.id if isinstance(m.id, str) else m.id[0]
            out[key] = m.string if isinstance(m.string, str) else m.string[0]
    return out


def test_every_message_has_a_chinese_translation() -> None:
    """Every message of the code and templates (babel.cfg's extraction) is in the zh catalog."""
    method_map = [
        ("govservice/**.py", "python"),
        ("govservice/templates/**", "jinja2"),
    ]
    keywords = {**DEFAULT_KEYWORDS, "_because": None}
    options = {"govservice/templates/**": {"extensions": "jinja2.ext.i18n"}}
    found = {
        (m[2] if isinstance(m[2], str) else m[2][0])
        for m in extract_from_dir(ROOT / "src", method_map, options, keywords)
    }
    for plugin in (ROOT / "plugins").glob("*/src"):  # a bundled plugin's errors: in the catalog too
        found |= {m[2] for m in extract_from_dir(plugin, [("**.py", "python")], {}, keywords)}
    found |= {plain(r.description) for r in DEFAULT_RULES}
    catalog = _catalog()
    assert found and not found - set(catalog), sorted(found - set(catalog))
    assert not [k for k in found if not catalog[k]]
    assert not set(catalog) - found, "messages no longer used"


def test_every_translation_keeps_the_placeholders() -> None:
    """A translation fills the same named values as its message: none lost, none invented."""
    names = re.compile(r"%\((\w+)\)[sdr]")
    wrong = {
        k: v for k, v in _catalog().items() if sorted(names.findall(k)) != sorted(names.findall(v))
    }
    assert not wrong


def test_the_catalog_has_each_message_once() -> None:
    """A message given twice would be translated by whichever comes last, silently."""
    po = ROOT / "src/govservice/locale/zh/LC_MESSAGES/govservice.po"
    entries = re.findall(r"^msgid ", po.read_text(encoding="utf-8"), re.MULTILINE)
    assert len(entries) == len(_catalog()) + 1  # and the header


def test_numbers_and_dates_in_the_readers_convention(outputs: tuple[Report, Assessment]) -> None:
    report, _ = outputs
    zh, en = report.to_markdown(), attrs.evolve(report, language="en").to_markdown()
    assert "| 2026年5月 | 4 | 3 | 33.3% |" in zh and "收取税费10.00元" in zh
    assert "| May 2026 | 4 | 3 | 33.3% |" in en and "collected 10.00 yuan" in en
    assert "不动产登记窗口（W02）" in zh and "不动产登记窗口 (W02)" in en
    assert translations("zh").gettext("Overview") == "一、基本情况"


@pytest.mark.parametrize("language", ["zh", "en"])
def test_golden_report_and_briefing(outputs: tuple[Report, Assessment], language: str) -> None:
    report, assessment = outputs
    texts = {
        f"report-{language}.md": attrs.evolve(report, language=language).to_markdown(),
        f"briefing-{language}.md": briefing.to_markdown(assessment, language),
    }
    for name, text in texts.items():
        text = text.replace(ServiceCenter().provenance().plugins[0][1] or "", "VERSION")
        path = GOLDEN / name
        if os.environ.get("GOVSERVICE_WRITE_GOLDEN"):
            path.write_text(text, encoding="utf-8")
        assert text == path.read_text(encoding="utf-8"), name


def test_json_numbers_are_numbers(outputs: tuple[Report, Assessment]) -> None:
    report, assessment = outputs
    data = json.loads(report.to_json())
    assert data["total"]["on_time_rate_promised"] == pytest.approx(2 / 3, abs=1e-4)
    assert data["total"]["received"] == 5 and data["total"]["fees"] == "10.00"  # exact yuan
    brief = json.loads(briefing.to_json(assessment))
    assert brief["rubric"]["base"] == 100 and brief["windows"][0]["score"] == 100
    assert all(isinstance(i["points"], int | float) for i in brief["items"])


def test_briefing_tables_have_as_many_cells_as_headers(outputs: tuple[Report, Assessment]) -> None:
    """The staff table's header had 9 columns and its rows 8 ("veto" under "composite")."""
    _, assessment = outputs
    for language in ("zh", "en"):
        md = briefing.to_markdown(assessment, language)
        for block in md.split("\n\n"):
            rows = [line for line in block.splitlines() if line.startswith("|")]
            widths = {line.replace("\\|", "").count("|") for line in rows}
            assert len(widths) <= 1, block
        assert ":func:" not in md and "``" not in md


def test_briefing_states_ties_and_the_tie_break(outputs: tuple[Report, Assessment]) -> None:
    _, assessment = outputs
    zh, en = briefing.to_markdown(assessment, "zh"), briefing.to_markdown(assessment, "en")
    assert "得分相同的，扣分少者在前" in zh and "名工作人员同为100分" in zh
    assert "on a tie, fewer deduction points" in en and "staff share 100 points." in en
    assert "1 working days" not in en


def _hostile(report: Report, assessment: Assessment) -> tuple[Report, Assessment]:
    names = Names(units={"MR": IMG}, windows={"W01": INJECTED}, matters={"MR-001": IMG})
    report = attrs.evolve(
        report,
        names=names,
        overdue=(OverdueCase(INJECTED, "MR-001", "W01", SPRING.end, False),),
        red_flags={"2026-05": [IMG]},
    )
    return report, attrs.evolve(assessment, names=names, red_flags=(INJECTED, IMG))


@pytest.mark.parametrize("language", ["zh", "en"])
def test_markdown_escapes_ids_names_and_codes(
    outputs: tuple[Report, Assessment], language: str
) -> None:
    """A hostile case id or code is text in Markdown: no heading, no link, no raw HTML."""
    report, assessment = _hostile(*outputs)
    for md in (
        attrs.evolve(report, language=language).to_markdown(),
        briefing.to_markdown(assessment, language),
    ):
        lines = md.splitlines()
        assert not [line for line in lines if line.startswith("# Injected")]
        assert not re.search(r"(?<!\\)<img|(?<!\\)\[click(?<!\\)\]\(", md)
        assert "\\[click\\](javascript:alert(1))" in md and "\\<img src=x" in md


def test_html_escapes_ids_names_and_codes(outputs: tuple[Report, Assessment]) -> None:
    pytest.importorskip("matplotlib")
    report, assessment = _hostile(*outputs)
    for page in (report.to_html(), briefing.to_html(assessment)):
        assert "<img src=x" not in page and "&lt;img src=x onerror=alert(2)&gt;" in page


def test_md_escape_control_characters() -> None:
    assert md_escape("S1\x1b[31m红\x07") == "S1 \\[31m红 "
    assert md_escape("a|b") == "a\\|b" and md_escape("- x") == "\\- x"
    assert md_escape("98.5%") == "98.5%"


def test_reasons_name_the_matter_by_name_and_code(outputs: tuple[Report, Assessment]) -> None:
    """A late case's reason names its matter as Names does, in the briefing and explain()."""
    _, assessment = outputs
    (item,) = assessment.score("W01").items
    assert item.text("zh", assessment.names) == "食品经营许可（MR-001）办件A逾期：本期4个工作日"
    assert item.text("en") == "case A of MR-001 late: 4 working days this period"  # no names
    explained = assessment.explain("W01")
    assert explained.startswith("window 市场监管窗口 (W01): 95")
    assert "case A of 食品经营许可 (MR-001) late: 4 working days this period" in explained
