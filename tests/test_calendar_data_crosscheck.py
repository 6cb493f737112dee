"""Check the national working-day data against the law and against peer packages.

The data file is ``src/govservice/calendars/data/china.toml``. It is read here with
:mod:`tomllib` directly (not through ``govservice``), with the semantics the loader
applies:

* every day in a block's ``off`` span is a rest day;
* ``makeup`` days are working days (they must be Saturdays or Sundays outside any span);
* every other Saturday/Sunday is a rest day and every other Monday-Friday a working day.

Two kinds of test:

* structural tests of the file itself (years, keys, block semantics, statutory days
  per the 全国年节及纪念日放假办法 in force each year, the 2015 and 2020 one-off
  decisions);
* a day-by-day comparison, 2004-01-01 to 2026-12-31, with ``chinesecalendar``
  (``chinese_calendar.is_workday``) and ``holidays`` (``holidays.China(...).is_working_day``).
  Every day on which a peer disagrees must be listed in the file as a
  ``[[year.disagreement]]`` with that peer and what it says, and every listed
  disagreement must still be one.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import tomllib
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

DATA = (
    Path(__file__).resolve().parents[1] / "src" / "govservice" / "calendars" / "data" / "china.toml"
)
FIRST_YEAR, LAST_YEAR = 2004, 2026
ONE_DAY = dt.timedelta(days=1)

FESTIVALS = {
    "new_year",
    "spring_festival",
    "qingming",
    "labour_day",
    "dragon_boat",
    "mid_autumn",
    "national_day",
    "victory_day_2015",
}
YEAR_KEYS = {"year", "notice", "number", "published", "source", "holiday", "disagreement"}
HOLIDAY_KEYS = {"festivals", "name", "off", "statutory", "makeup", "special", "note"}
HOLIDAY_REQUIRED = {"festivals", "name", "off", "statutory", "makeup"}
DISAGREEMENT_KEYS = {"date", "peer", "peer_says", "why"}
PEERS = ("chinesecalendar", "holidays")

# Gregorian dates of the lunar festivals, 2004-2026 (正月初一, 五月初五, 八月十五).
# 除夕 is the day before 正月初一. Checked against ``lunardate`` below.
LUNAR_NEW_YEAR = {
    2004: (1, 22), 2005: (2, 9), 2006: (1, 29), 2007: (2, 18), 2008: (2, 7),
    2009: (1, 26), 2010: (2, 14), 2011: (2, 3), 2012: (1, 23), 2013: (2, 10),
    2014: (1, 31), 2015: (2, 19), 2016: (2, 8), 2017: (1, 28), 2018: (2, 16),
    2019: (2, 5), 2020: (1, 25), 2021: (2, 12), 2022: (2, 1), 2023: (1, 22),
    2024: (2, 10), 2025: (1, 29), 2026: (2, 17),
}  # fmt: skip
DRAGON_BOAT = {
    2008: (6, 8), 2009: (5, 28), 2010: (6, 16), 2011: (6, 6), 2012: (6, 23),
    2013: (6, 12), 2014: (6, 2), 2015: (6, 20), 2016: (6, 9), 2017: (5, 30),
    2018: (6, 18), 2019: (6, 7), 2020: (6, 25), 2021: (6, 14), 2022: (6, 3),
    2023: (6, 22), 2024: (6, 10), 2025: (5, 31), 2026: (6, 19),
}  # fmt: skip
MID_AUTUMN = {
    2008: (9, 14), 2009: (10, 3), 2010: (9, 22), 2011: (9, 12), 2012: (9, 30),
    2013: (9, 19), 2014: (9, 8), 2015: (9, 27), 2016: (9, 15), 2017: (10, 4),
    2018: (9, 24), 2019: (9, 13), 2020: (10, 1), 2021: (9, 21), 2022: (9, 10),
    2023: (9, 29), 2024: (9, 17), 2025: (10, 6), 2026: (9, 25),
}  # fmt: skip
# Day in April of the solar term 清明 (Beijing time). Checked against chinesecalendar below.
QINGMING = {
    2008: 4, 2009: 4, 2010: 5, 2011: 5, 2012: 4, 2013: 4, 2014: 5, 2015: 5, 2016: 4,
    2017: 4, 2018: 5, 2019: 5, 2020: 4, 2021: 4, 2022: 5, 2023: 5, 2024: 4, 2025: 4,
    2026: 5,
}  # fmt: skip


# --------------------------------------------------------------------------- helpers


@functools.cache
def _load() -> dict[str, Any]:
    with DATA.open("rb") as fh:
        return tomllib.load(fh)


@pytest.fixture(scope="module")
def doc() -> dict[str, Any]:
    return _load()


def _years(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return list(doc["year"])


def _year(doc: dict[str, Any], year: int) -> dict[str, Any]:
    (entry,) = [y for y in doc["year"] if y["year"] == year]
    return entry


def _days(first: dt.date, last: dt.date) -> Iterator[dt.date]:
    d = first
    while d <= last:
        yield d
        d += ONE_DAY


def _span(block: dict[str, Any]) -> list[dt.date]:
    first, last = block["off"]
    return list(_days(first, last))


def _is_weekend(d: dt.date) -> bool:
    return d.weekday() >= 5


@functools.cache
def _file_calendar() -> tuple[frozenset[dt.date], frozenset[dt.date]]:
    """Rest days inside spans, and make-up working days, over the whole file."""
    rest: set[dt.date] = set()
    makeup: set[dt.date] = set()
    for year in _load()["year"]:
        for block in year.get("holiday", []):
            rest.update(_span(block))
            makeup.update(block["makeup"])
    return frozenset(rest), frozenset(makeup)


def file_is_working(d: dt.date) -> bool:
    """Working day per the data file, with the loader's semantics."""
    rest, makeup = _file_calendar()
    if d in rest:
        return False
    if d in makeup:
        return True
    return not _is_weekend(d)


def _verdict(working: bool) -> str:
    return "working" if working else "holiday"


def _era(year: int) -> str:
    if year <= 2007:
        return "1999"
    if year <= 2013:
        return "2007"
    if year <= 2024:
        return "2013"
    return "2024"


def expected_statutory(festival: str, year: int) -> list[dt.date]:
    """Statutory days of one festival in one year, per the version of the law in force."""
    era = _era(year)
    if festival == "new_year":
        return [dt.date(year, 1, 1)]
    if festival == "spring_festival":
        day1 = dt.date(year, *LUNAR_NEW_YEAR[year])
        eve = day1 - ONE_DAY
        return {
            "1999": [day1, day1 + ONE_DAY, day1 + 2 * ONE_DAY],
            "2007": [eve, day1, day1 + ONE_DAY],
            "2013": [day1, day1 + ONE_DAY, day1 + 2 * ONE_DAY],
            "2024": [eve, day1, day1 + ONE_DAY, day1 + 2 * ONE_DAY],
        }[era]
    if festival == "labour_day":
        return [dt.date(year, 5, day) for day in range(1, {"1999": 3, "2024": 2}.get(era, 1) + 1)]
    if festival == "national_day":
        return [dt.date(year, 10, day) for day in (1, 2, 3)]
    if festival == "victory_day_2015":
        return [dt.date(2015, 9, 3)] if year == 2015 else []
    if era == "1999":  # no 清明, 端午 or 中秋 holiday before 2008
        return []
    if festival == "qingming":
        return [dt.date(year, 4, QINGMING[year])]
    if festival == "dragon_boat":
        return [dt.date(year, *DRAGON_BOAT[year])]
    if festival == "mid_autumn":
        return [dt.date(year, *MID_AUTUMN[year])]
    raise KeyError(festival)


# Statutory days per festival, by version of the 全国年节及纪念日放假办法.
ERA_DAYS = {
    "1999": {"new_year": 1, "spring_festival": 3, "labour_day": 3, "national_day": 3},
    "2007": {
        "new_year": 1, "spring_festival": 3, "qingming": 1, "labour_day": 1,
        "dragon_boat": 1, "mid_autumn": 1, "national_day": 3,
    },
    "2013": {
        "new_year": 1, "spring_festival": 3, "qingming": 1, "labour_day": 1,
        "dragon_boat": 1, "mid_autumn": 1, "national_day": 3,
    },
    "2024": {
        "new_year": 1, "spring_festival": 4, "qingming": 1, "labour_day": 2,
        "dragon_boat": 1, "mid_autumn": 1, "national_day": 3,
    },
}  # fmt: skip


# ------------------------------------------------------------------ structural tests


def test_every_year_present_once_in_order(doc: dict[str, Any]) -> None:
    years = [y["year"] for y in _years(doc)]
    assert years == list(range(FIRST_YEAR, LAST_YEAR + 1))


def test_only_known_keys(doc: dict[str, Any]) -> None:
    """The loader is written against a fixed format: no stray or missing keys."""
    assert set(doc) == {"year"}
    for year in _years(doc):
        assert set(year) <= YEAR_KEYS, year["year"]
        for block in year.get("holiday", []):
            assert HOLIDAY_REQUIRED <= set(block) <= HOLIDAY_KEYS, (year["year"], block)
        for entry in year.get("disagreement", []):
            assert set(entry) == DISAGREEMENT_KEYS, (year["year"], entry)


@pytest.mark.parametrize("year", range(FIRST_YEAR, LAST_YEAR + 1))
def test_year_has_notice(doc: dict[str, Any], year: int) -> None:
    entry = _year(doc, year)
    assert entry["notice"] == f"国务院办公厅关于{year}年部分节假日安排的通知"
    if "number" in entry:
        m = re.fullmatch(r"国办发明电〔(\d{4})〕(\d+)号", entry["number"])
        assert m, entry["number"]
        assert int(m.group(1)) == year - 1, "the notice is issued in the year before"
    if "published" in entry:
        assert isinstance(entry["published"], dt.date)
        assert entry["published"].year == year - 1
    if "source" in entry:
        assert re.match(r"https?://\S+$", entry["source"]), entry["source"]
    assert entry.get("holiday"), f"{year} has no holiday blocks"


@pytest.mark.parametrize("year", range(FIRST_YEAR, LAST_YEAR + 1))
def test_blocks_follow_the_format_semantics(doc: dict[str, Any], year: int) -> None:
    """Spans, statutory, special and make-up days are consistent with each other."""
    rest, _ = _file_calendar()
    blocks = _year(doc, year)["holiday"]
    previous_end = None
    for block in blocks:
        where = f"{year} {block['name']}"
        first, last = block["off"]
        assert isinstance(first, dt.date) and isinstance(last, dt.date), where
        assert type(first) is dt.date and type(last) is dt.date, f"{where}: use local dates"
        assert first <= last, where
        # A span belongs to the year of its notice; only 元旦 may start in December before.
        assert last.year == year, where
        if first.year != year:
            assert first.year == year - 1 and first.month == 12, where
            assert block["festivals"] == ["new_year"], where
        if previous_end is not None:
            assert first > previous_end, f"{where}: blocks overlap or are out of order"
        previous_end = last

        festivals = block["festivals"]
        assert festivals and len(set(festivals)) == len(festivals), where
        assert set(festivals) <= FESTIVALS, where
        assert block["name"].strip(), where

        span = set(_span(block))
        statutory = block["statutory"]
        special = block.get("special", [])
        makeup = block["makeup"]
        for days in (statutory, special, makeup):
            assert days == sorted(set(days)), f"{where}: dates unsorted or repeated"
            assert all(type(d) is dt.date for d in days), where
        assert set(statutory) <= span, f"{where}: statutory day outside the span"
        assert set(special) <= span, f"{where}: special day outside the span"
        assert not set(statutory) & set(special), where
        for d in makeup:
            assert _is_weekend(d), f"{where}: make-up day {d} is not a Saturday or Sunday"
            assert d not in rest, f"{where}: make-up day {d} is inside a span"
            assert d.year in (year, year - 1), where

        # The span is the whole run of rest days (weekends joined to it included):
        # the days just outside it are working days.
        assert file_is_working(first - ONE_DAY), f"{where}: span does not start the rest run"
        assert file_is_working(last + ONE_DAY), f"{where}: span does not end the rest run"


@pytest.mark.parametrize("year", range(FIRST_YEAR, LAST_YEAR + 1))
def test_statutory_days_follow_the_law(doc: dict[str, Any], year: int) -> None:
    """Statutory days per block are exactly those of the 全国年节及纪念日放假办法 in force.

    * 2000-2007, 1999 version (国务院令第270号): 元旦 1 day (1月1日); 春节 3 (正月初一至
      初三); 劳动节 3 (5月1日至3日); 国庆节 3 (10月1日至3日); no 清明/端午/中秋 holiday.
    * 2008-2013, 2007 version (国务院令第513号): 元旦 1; 春节 3 (除夕、正月初一、初二);
      清明节 1 (the solar-term day); 劳动节 1 (5月1日); 端午节 1; 中秋节 1; 国庆节 3.
    * 2014-2024, 2013 version (国务院令第644号): as 2007 but 春节 正月初一至初三.
    * 2025-, 2024 version (国务院令第795号): 春节 4 (除夕至正月初三); 劳动节 2 (5月1日、2日).
    * 2015-09-03 (抗战胜利70周年纪念日) was a one-off statutory holiday by
      国发明电〔2015〕1号.

    A statutory day on a weekend is still listed; a day that is statutory for two
    festivals at once (2009-10-03, 2020-10-01) is listed once.
    """
    era = _era(year)
    seen: Counter[str] = Counter()
    for block in _year(doc, year)["holiday"]:
        where = f"{year} {block['name']}"
        expected: set[dt.date] = set()
        for festival in block["festivals"]:
            days = expected_statutory(festival, year)
            if festival != "victory_day_2015":
                assert len(days) == ERA_DAYS[era][festival], (where, festival)
            assert days, f"{where}: {festival} is not a holiday under the {era} version"
            expected.update(days)
            seen[festival] += 1
        assert block["statutory"] == sorted(expected), where
    # Each festival of the era appears in exactly one block.
    assert set(seen) - {"victory_day_2015"} == set(ERA_DAYS[era]), year
    assert all(n == 1 for n in seen.values()), seen
    assert ("victory_day_2015" in seen) == (year == 2015)


@pytest.mark.parametrize("year", range(FIRST_YEAR, LAST_YEAR + 1))
def test_swapped_rest_days_are_paid_for(doc: dict[str, Any], year: int) -> None:
    """调休 moves rest days, it does not add them.

    Per notice year: weekdays at rest (special days excluded) = statutory days owed
    (counted per festival, so a day shared by two festivals counts twice) + make-up
    days worked. 2020 is off by one: the extension (国办发明电〔2020〕1号) turned the
    make-up Saturday 2020-02-01 into a rest day, so one of the original swapped
    weekdays is no longer paid for.
    """
    exceptions = {2020: 1}
    weekday_rest = owed = worked = 0
    for block in _year(doc, year)["holiday"]:
        special = set(block.get("special", []))
        weekday_rest += sum(1 for d in _span(block) if not _is_weekend(d) and d not in special)
        owed += sum(len(expected_statutory(f, year)) for f in block["festivals"])
        worked += len(block["makeup"])
    assert weekday_rest - (owed + worked) == exceptions.get(year, 0)


def test_2015_victory_day(doc: dict[str, Any]) -> None:
    (block,) = [b for b in _year(doc, 2015)["holiday"] if "victory_day_2015" in b["festivals"]]
    assert block["festivals"] == ["victory_day_2015"]
    assert block["off"] == [dt.date(2015, 9, 3), dt.date(2015, 9, 5)]
    assert block["statutory"] == [dt.date(2015, 9, 3)]
    assert block["makeup"] == [dt.date(2015, 9, 6)]
    assert "国发明电〔2015〕1号" in block.get("note", "")
    assert not file_is_working(dt.date(2015, 9, 4))
    assert file_is_working(dt.date(2015, 9, 6))


def test_2020_spring_festival_extension(doc: dict[str, Any]) -> None:
    """国办发明电〔2020〕1号: the holiday runs to 2月2日 (Sunday), work resumes 2月3日.

    The annual notice (国办发明电〔2019〕16号) gave 1月24日至30日, with 1月19日 and
    2月1日 worked; after the extension 2月1日 is a rest day.
    """
    (block,) = [b for b in _year(doc, 2020)["holiday"] if "spring_festival" in b["festivals"]]
    assert block["off"] == [dt.date(2020, 1, 24), dt.date(2020, 2, 2)]
    assert block["special"] == [dt.date(2020, 1, 31), dt.date(2020, 2, 1), dt.date(2020, 2, 2)]
    assert block["makeup"] == [dt.date(2020, 1, 19)]
    assert "国办发明电〔2020〕1号" in block.get("note", "")
    assert not file_is_working(dt.date(2020, 1, 31))
    assert not file_is_working(dt.date(2020, 2, 1))
    assert file_is_working(dt.date(2020, 2, 3))
    # No other year has special days.
    for year in _years(doc):
        if year["year"] != 2020:
            assert all(not b.get("special") for b in year["holiday"]), year["year"]


def test_lunar_tables() -> None:
    """The festival tables used above agree with an independent lunar calendar."""
    lunardate = pytest.importorskip("lunardate")
    for year, md in LUNAR_NEW_YEAR.items():
        assert lunardate.LunarDate(year, 1, 1).to_solar_date() == dt.date(year, *md)
    for year, md in DRAGON_BOAT.items():
        assert lunardate.LunarDate(year, 5, 5).to_solar_date() == dt.date(year, *md)
    for year, md in MID_AUTUMN.items():
        assert lunardate.LunarDate(year, 8, 15).to_solar_date() == dt.date(year, *md)


def test_qingming_table() -> None:
    chinese_calendar = pytest.importorskip("chinese_calendar")
    for year, day in QINGMING.items():
        terms = chinese_calendar.get_solar_terms(dt.date(year, 4, 1), dt.date(year, 4, 10))
        assert [(d, name) for d, name in terms if name == "清明"] == [
            (dt.date(year, 4, day), "清明")
        ]


# ------------------------------------------------------------------ peer comparisons


def _chinesecalendar_verdicts() -> dict[dt.date, bool]:
    """``chinese_calendar.is_workday`` for each day it has data for (2004-2026 in 1.11)."""
    chinese_calendar = pytest.importorskip("chinese_calendar")
    verdicts = {}
    for d in _days(dt.date(FIRST_YEAR, 1, 1), dt.date(LAST_YEAR, 12, 31)):
        try:
            verdicts[d] = bool(chinese_calendar.is_workday(d))
        except NotImplementedError:  # outside the years it has data for
            continue
    return verdicts


def _holidays_official_years() -> set[int]:
    """Years for which ``holidays`` carries the State Council's arrangement.

    ``holidays.China`` computes the statutory days for any year, but the 调休
    (moved rest days and make-up working days) are data, kept per year in
    ``ChinaStaticHolidays.special_public_holidays``; a year without that data would
    silently come out without any make-up day, so it is not compared.
    """
    china = pytest.importorskip("holidays.countries.china")
    static = getattr(getattr(china, "ChinaStaticHolidays", None), "special_public_holidays", None)
    if not static:
        pytest.skip("cannot tell which years holidays has official data for")
    return {y for y in static if FIRST_YEAR <= y <= LAST_YEAR}


def _holidays_verdicts() -> dict[dt.date, bool]:
    """``holidays.China().is_working_day`` for the years it has official data for.

    ``is_working_day`` accounts for make-up days: a weekend day is a working day
    when it is in ``weekend_workdays`` (filled from the substitutions), any other
    day when it is not a holiday. The neighbouring years are built too, because a
    make-up day may fall in December of the year before (e.g. 2011-12-31).
    """
    holidays = pytest.importorskip("holidays")
    years = _holidays_official_years()
    cn = holidays.China(years=range(min(years) - 1, max(years) + 2))
    return {
        d: bool(cn.is_working_day(d))
        for d in _days(dt.date(FIRST_YEAR, 1, 1), dt.date(LAST_YEAR, 12, 31))
        if d.year in years
    }


PEER_VERDICTS: dict[str, Callable[[], dict[dt.date, bool]]] = {
    "chinesecalendar": _chinesecalendar_verdicts,
    "holidays": _holidays_verdicts,
}


def test_holidays_is_working_day_counts_makeup_days() -> None:
    """Guard the assumption the comparison relies on (2026-01-04 is a worked Sunday)."""
    holidays = pytest.importorskip("holidays")
    cn = holidays.China(years=2026)
    assert cn.is_working_day(dt.date(2026, 1, 4))
    assert not cn.is_working_day(dt.date(2026, 1, 2))


def _listed(doc: dict[str, Any], peer: str) -> dict[dt.date, str]:
    listed: dict[dt.date, str] = {}
    for year in _years(doc):
        for entry in year.get("disagreement", []):
            if entry["peer"] == peer:
                assert entry["date"] not in listed, f"{entry['date']} listed twice for {peer}"
                listed[entry["date"]] = entry["peer_says"]
    return listed


def test_disagreement_entries_are_well_formed(doc: dict[str, Any]) -> None:
    for year in _years(doc):
        entries = year.get("disagreement", [])
        assert entries == sorted(entries, key=lambda e: (e["date"], e["peer"])), year["year"]
        for entry in entries:
            where = f"{year['year']} disagreement {entry}"
            assert type(entry["date"]) is dt.date, where
            assert entry["date"].year == year["year"], f"{where}: file it under its own year"
            assert entry["peer"] in PEERS, where
            assert entry["peer_says"] in ("holiday", "working"), where
            # The peer says the opposite of the file.
            assert entry["peer_says"] == _verdict(not file_is_working(entry["date"])), where
            assert len(entry["why"].strip()) >= 20, f"{where}: explain why"


@pytest.mark.parametrize("peer", PEERS)
def test_peer_disagreements_are_exactly_those_listed(doc: dict[str, Any], peer: str) -> None:
    verdicts = PEER_VERDICTS[peer]()
    assert verdicts, f"{peer} has no data in {FIRST_YEAR}-{LAST_YEAR}"
    actual = {
        d: _verdict(working) for d, working in verdicts.items() if working != file_is_working(d)
    }
    listed = _listed(doc, peer)

    unlisted = sorted(d for d in actual if listed.get(d) != actual[d])
    stale = sorted(d for d in listed if actual.get(d) != listed[d])
    if unlisted or stale:
        lines = [f"{peer} vs china.toml ({len(verdicts)} days compared):"]
        for d in unlisted:
            lines.append(
                f"  UNLISTED {d} ({d:%a}): {peer} says {actual[d]}, "
                f"file says {_verdict(file_is_working(d))}"
            )
        for d in stale:
            now = _verdict(verdicts[d]) if d in verdicts else "nothing (no data)"
            lines.append(
                f"  STALE    {d} ({d:%a}): listed as {peer} saying {listed[d]}; "
                f"{peer} says {now}, file says {_verdict(file_is_working(d))}"
            )
        if unlisted:
            lines.append("Add, under the [[year]] of each date (after checking the notice):")
            for d in unlisted:
                lines.append(
                    f'[[year.disagreement]]\ndate = {d}\npeer = "{peer}"\n'
                    f'peer_says = "{actual[d]}"\nwhy = "..."'
                )
        pytest.fail("\n".join(lines), pytrace=False)
