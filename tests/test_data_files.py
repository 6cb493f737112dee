"""Bad calendar data files get an error naming file, record, field and value."""

from __future__ import annotations

from pathlib import Path

import pytest

from govservice import DataFileError
from govservice.calendars import load_adjustments, load_years

GOOD_BLOCK = """
[[year]]
year = 2027
notice = "国务院办公厅关于2027年部分节假日安排的通知"
[[year.holiday]]
festivals = ["new_year"]
name = "元旦"
off = [2027-01-01, 2027-01-03]
statutory = [2027-01-01]
makeup = []
"""


def write(tmp_path: Path, text: str, name: str = "data.toml") -> Path:
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    return f


def test_good_file_loads(tmp_path: Path) -> None:
    (year,) = load_years(write(tmp_path, GOOD_BLOCK))
    assert year.year == 2027 and year.holidays[0].days_off == 3


@pytest.mark.parametrize(
    ("change", "record", "field", "value"),
    [
        (
            ("makeup = []", "makeup = [2027-01-05]"),
            "year 2027, holiday 1 元旦",
            "makeup",
            "2027, 1, 5",
        ),
        (
            ("statutory = [2027-01-01]", "statutory = [2027-02-01]"),
            "year 2027, holiday 1 元旦",
            "statutory",
            "2027, 2, 1",
        ),
        (
            ("off = [2027-01-01, 2027-01-03]", 'off = ["2027-01-01", "2027-01-03"]'),
            "year 2027, holiday 1 元旦",
            "off",
            "'2027-01-01'",
        ),
        (('name = "元旦"', 'nmae = "元旦"'), "year 2027, holiday 1", "nmae", "'元旦'"),
        (("year = 2027", 'year = "2027"'), "year record 1", "year", "'2027'"),
        (
            ("makeup = []", "makeup = [2027-01-02]"),
            "year 2027, holiday 1 元旦",
            "makeup",
            "2027, 1, 2",
        ),
    ],
)
def test_bad_year_data(tmp_path: Path, change, record: str, field: str, value: str) -> None:
    f = write(tmp_path, GOOD_BLOCK.replace(*change))
    with pytest.raises(DataFileError) as e:
        load_years(f)
    msg = str(e.value)
    assert msg.startswith(str(f)) and record in msg and f"field {field!r}" in msg and value in msg


def test_not_toml(tmp_path: Path) -> None:
    f = write(tmp_path, "[[year]\nyear = ")
    with pytest.raises(DataFileError, match=r"data\.toml.*not valid TOML"):
        load_years(f)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="no such file"):
        load_years(tmp_path / "nope.toml")


def test_adjustments(tmp_path: Path) -> None:
    f = write(
        tmp_path,
        '[[closure]]\nname = "三月三"\nkind = "lawful_local_day"\nfrom = 2026-04-20\n'
        "to = 2026-04-22\n"
        '[[working_day]]\nname = "周末服务"\nkind = "hall_day"\ncounts_for_promised = true\n'
        "date = 2026-03-14\n"
        '[[working_day]]\nname = "夜间延时"\nkind = "hall_day"\ndate = 2026-03-21\n',
    )
    adj = load_adjustments(f)
    assert [(a.date.day, a.working, a.kind.value, a.counts_for_promised) for a in adj] == [
        (20, False, "lawful_local_day", False),
        (21, False, "lawful_local_day", False),
        (22, False, "lawful_local_day", False),
        (14, True, "hall_day", True),
        (21, True, "hall_day", False),
    ]
    assert all(a.source == str(f) for a in adj)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '[[closure]]\nname = "x"\nkind = "hall_day"\nfrom = 2026-04-22\nto = 2026-04-20\n',
            "closure 1, field 'to'",
        ),
        ('[[closure]]\nname = "x"\nkind = "hall_day"\n', "closure 1, field 'from'"),
        ('[[closure]]\nkind = "hall_day"\ndate = 2026-04-22\n', "closure 1, field 'name'"),
        ('[[holiday]]\nname = "x"\n', "top level, field 'holiday'"),
        (
            '[[working_day]]\nname = "x"\nkind = "hall_day"\ndate = 2026-04-22T10:00:00\n',
            "working_day 1, field 'date'",
        ),
        (
            '[[closure]]\nname = "x"\ndate = 2026-04-22\n',
            "closure 1, field 'kind': missing: declare 'hall_day'",
        ),
        (
            '[[closure]]\nname = "x"\nkind = "local"\ndate = 2026-04-22\n',
            r"closure 1, field 'kind': unknown kind \(known: hall_day, lawful_local_day\)",
        ),
        (
            '[[closure]]\nname = "x"\nkind = "lawful_local_day"\ncounts_for_promised = true\n'
            "date = 2026-04-22\n",
            "closure 1, field 'counts_for_promised': a lawful local day counts for every limit",
        ),
        (
            '[[closure]]\nname = "x"\nkind = "hall_day"\ncounts_for_promised = 1\n'
            "date = 2026-04-22\n",
            "closure 1, field 'counts_for_promised': expected true/false",
        ),
    ],
)
def test_bad_adjustments(tmp_path: Path, text: str, expected: str) -> None:
    with pytest.raises(DataFileError, match=expected):
        load_adjustments(write(tmp_path, text))
