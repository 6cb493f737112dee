"""Checks of the estimated statutory holidays shipped for provisional answers (2027-2060).

The data file is read with ``tomllib`` directly; govservice itself is not imported, so these
tests check the data, not the loader. Structure and calendar plausibility are checked without
any third-party package; the festival dates are then cross-checked against independent
implementations when they are installed (``holidays``, ``chinese_calendar``, ``lunar_python``).
"""

from __future__ import annotations

import datetime as dt
import itertools
import tomllib
from pathlib import Path

import pytest

DATA = (
    Path(__file__).resolve().parents[1]
    / "src"
    / "govservice"
    / "calendars"
    / "data"
    / "china_estimates.toml"
)
FIRST, LAST = 2027, 2060
YEARS = range(FIRST, LAST + 1)
ONE = dt.timedelta(days=1)

# festival key -> number of statutory days under the 2024 revision (Art. 2)
LENGTHS = {
    "new_year": 1,
    "spring_festival": 4,  # 除夕 + 正月初一..初三
    "qingming": 1,
    "labour_day": 2,
    "dragon_boat": 1,
    "mid_autumn": 1,
    "national_day": 3,
}
# the only festivals that may share a date: 中秋 can fall on 1-3 Oct
ALLOWED_OVERLAPS = {frozenset({"mid_autumn", "national_day"})}


def _load() -> dict:
    with DATA.open("rb") as f:
        return tomllib.load(f)


DOC = _load()
BY_YEAR = {entry["year"]: entry for entry in DOC["year"]}


def _entry(year: int) -> dict:
    return BY_YEAR[year]


def _new_year_day(year: int) -> dt.date:
    """正月初一 of ``year`` from the data (the second day of the spring festival block)."""
    return _entry(year)["spring_festival"][1]


# ---- structure ----


def test_header_names_the_rules_and_says_it_is_an_estimate():
    text = DATA.read_text(encoding="utf-8")
    assert "全国年节及纪念日放假办法" in DOC["rules"]
    assert "2024" in DOC["rules"]
    header = text.split("rules =", 1)[0]
    assert "ESTIMATE" in header.upper()
    assert "provisional" in header
    assert "lunardate" in header  # the generator is named


def test_top_level_keys():
    assert set(DOC) == {"rules", "year"}


def test_every_year_exactly_once_in_order():
    years = [entry["year"] for entry in DOC["year"]]
    assert years == list(YEARS)


@pytest.mark.parametrize("year", YEARS)
def test_entry_shape(year):
    entry = _entry(year)
    assert set(entry) == {"year", *LENGTHS}
    for key, length in LENGTHS.items():
        days = entry[key]
        assert isinstance(days, list), key
        assert len(days) == length, key
        for day in days:
            # TOML local dates load as datetime.date, never as datetime or string
            assert type(day) is dt.date, (key, day)
            assert day.year == year, (key, day)
        for a, b in itertools.pairwise(days):
            assert b - a == ONE, (key, days)


@pytest.mark.parametrize("year", YEARS)
def test_fixed_date_festivals(year):
    entry = _entry(year)
    assert entry["new_year"] == [dt.date(year, 1, 1)]
    assert entry["labour_day"] == [dt.date(year, 5, 1), dt.date(year, 5, 2)]
    assert entry["national_day"] == [dt.date(year, 10, d) for d in (1, 2, 3)]


@pytest.mark.parametrize("year", YEARS)
def test_movable_festivals_within_their_seasons(year):
    entry = _entry(year)
    eve, first = entry["spring_festival"][:2]
    assert dt.date(year, 1, 21) <= first <= dt.date(year, 2, 20)
    assert eve == first - ONE
    (qingming,) = entry["qingming"]
    assert qingming.month == 4 and qingming.day in (4, 5, 6)
    (dragon,) = entry["dragon_boat"]
    assert dragon.month in (5, 6)
    (mid,) = entry["mid_autumn"]
    assert mid.month in (9, 10)


@pytest.mark.parametrize("year", YEARS)
def test_no_festivals_share_a_day_except_mid_autumn_on_national_day(year):
    entry = _entry(year)
    owners: dict[dt.date, set[str]] = {}
    for key in LENGTHS:
        for day in entry[key]:
            owners.setdefault(day, set()).add(key)
    for day, keys in owners.items():
        if len(keys) > 1:
            assert frozenset(keys) in ALLOWED_OVERLAPS, (day, keys)
    # 13 statutory days, 12 distinct dates when 中秋 falls within 1-3 Oct
    expected = 12 if entry["mid_autumn"][0] in entry["national_day"] else 13
    assert len(owners) == expected


def test_the_overlap_years_are_the_ones_named_in_the_header():
    header = DATA.read_text(encoding="utf-8").split("rules =", 1)[0]
    overlap = [y for y in YEARS if _entry(y)["mid_autumn"][0] in _entry(y)["national_day"]]
    assert overlap  # 2028, 2031, 2039 and 2058 at the time of writing
    for y in overlap:
        assert str(y) in header


# ---- lunisolar plausibility, no third-party package ----


@pytest.mark.parametrize("year", YEARS[1:])
def test_lunar_year_lengths(year):
    # a lunar year has 12 or 13 months of 29 or 30 days: 353-355 or 383-385 days
    length = (_new_year_day(year) - _new_year_day(year - 1)).days
    assert length in (353, 354, 355, 383, 384, 385), (year, length)


@pytest.mark.parametrize("year", YEARS)
def test_lunar_festivals_are_consistent_with_new_year(year):
    first = _new_year_day(year)
    # 五月初五: 4 (or 5, with a leap month before it) months of 29/30 days, plus 4 days
    dragon = (_entry(year)["dragon_boat"][0] - first).days
    assert 4 * 29 + 4 <= dragon <= 5 * 30 + 4, (year, dragon)
    # 八月十五: 7 (or 8) months of 29/30 days, plus 14 days
    mid = (_entry(year)["mid_autumn"][0] - first).days
    assert 7 * 29 + 14 <= mid <= 8 * 30 + 14, (year, mid)
    # the two festivals are 3 (or 4) months and 10 days apart
    gap = mid - dragon
    assert 3 * 29 + 10 <= gap <= 4 * 30 + 10, (year, gap)


# ---- cross-checks against independent implementations ----

# holidays.China names (en_US); "(observed)" days are that library's own estimate of
# substitute days, which we do not model, so they are left out of the comparison.
HOLIDAYS_NAMES = {
    "New Year's Day": "new_year",
    "Chinese New Year's Eve": "eve",
    "Chinese New Year (Spring Festival)": "spring_days",
    "Tomb-Sweeping Day": "qingming",
    "Labor Day": "labour_day",
    "Dragon Boat Festival": "dragon_boat",
    "Mid-Autumn Festival": "mid_autumn",
    "National Day": "national_day",
}


def _holidays_festivals(holidays, year: int) -> dict[str, list[dt.date]]:
    found: dict[str, list[dt.date]] = {}
    for day, names in holidays.China(years=year, language="en_US").items():
        for name in names.split("; "):
            if "observed" in name.lower():
                continue
            key = HOLIDAYS_NAMES.get(name)
            if key is not None:
                found.setdefault(key, []).append(day)
    return {key: sorted(days) for key, days in found.items()}


@pytest.mark.parametrize("year", YEARS)
def test_matches_holidays_package(year):
    holidays = pytest.importorskip("holidays")
    theirs = _holidays_festivals(holidays, year)
    ours = _entry(year)
    eve, *spring_days = ours["spring_festival"]
    assert theirs["spring_days"] == spring_days
    # older holidays releases predate the 2024 revision and list no eve; derive it then
    assert theirs.get("eve", [theirs["spring_days"][0] - ONE]) == [eve]
    for key in ("new_year", "qingming", "dragon_boat", "mid_autumn"):
        assert theirs[key] == ours[key], key
    # labour_day and national_day: the statutory days must be there (older releases may list
    # fewer labour days, so only check inclusion of what they list)
    assert set(theirs["labour_day"]) <= set(ours["labour_day"])
    assert theirs["national_day"] == ours["national_day"]


@pytest.mark.parametrize("year", YEARS)
def test_qingming_matches_chinese_calendar_solar_terms(year):
    chinese_calendar = pytest.importorskip("chinese_calendar")
    terms = chinese_calendar.get_solar_terms(dt.date(year, 4, 1), dt.date(year, 4, 10))
    assert [day for day, name in terms if name == "清明"] == _entry(year)["qingming"]


@pytest.mark.parametrize("year", YEARS)
def test_matches_lunar_python(year):
    # lunar_python is not a project dependency; this runs where it happens to be installed
    lunar_python = pytest.importorskip("lunar_python")

    def solar(y: int, m: int, d: int) -> dt.date:
        s = lunar_python.Lunar.fromYmd(y, m, d).getSolar()
        return dt.date(s.getYear(), s.getMonth(), s.getDay())

    entry = _entry(year)
    first = solar(year, 1, 1)
    assert entry["spring_festival"] == [first - ONE, first, first + ONE, first + 2 * ONE]
    eve = lunar_python.Lunar.fromDate(dt.datetime.combine(entry["spring_festival"][0], dt.time(12)))
    assert eve.getMonth() == 12 and eve.getDay() in (29, 30)  # 腊月廿九 or 三十
    assert entry["dragon_boat"] == [solar(year, 5, 5)]
    assert entry["mid_autumn"] == [solar(year, 8, 15)]
    term = lunar_python.Lunar.fromYmd(year, 3, 1).getJieQiTable()["清明"]
    assert entry["qingming"] == [dt.date(term.getYear(), term.getMonth(), term.getDay())]
