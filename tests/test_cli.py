"""The command line, run as a user runs it: a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


def gs(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "govservice", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_is_working_day_makeup_saturday() -> None:
    out = gs("calendar", "is-working-day", "2026-02-14")
    assert out.returncode == 0
    assert out.stdout.startswith("2026-02-14 (Sat): working day")
    assert "make-up working day" in out.stdout and "春节" in out.stdout


def test_is_working_day_json_with_instant() -> None:
    out = gs("calendar", "is-working-day", "2024-10-07T17:00:00+00:00", "--json")
    data = json.loads(out.stdout)
    assert data["date"] == "2024-10-08" and data["working"] is True


def test_add_and_between() -> None:
    assert gs("calendar", "add", "2026-09-30", "1").stdout.startswith("2026-10-08 (Thu)")
    assert gs("calendar", "add", "2026-10-08", "-1").stdout.startswith("2026-09-30 (Wed)")
    assert gs("calendar", "between", "2026-09-30", "2026-10-12").stdout.strip() == "4"


def test_year_lists_days_off_and_makeup_days() -> None:
    out = gs("calendar", "year", "2026")
    assert out.returncode == 0
    assert "国务院办公厅关于2026年部分节假日安排的通知" in out.stdout
    assert "2026-02-14 (Sat): working day — make-up working day" in out.stdout
    assert "2026-10-01 (Thu): not a working day — statutory holiday" in out.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("calendar", "is-working-day", "2027-03-01"), "no official working-day data for 2027"),
        (("calendar", "add", "2026-10-08T09:00:00", "1"), "no UTC offset"),
        (("calendar", "is-working-day", "2026-02-30"), "not an ISO date"),
        (("calendar", "year", "2027"), "2027"),
    ],
)
def test_errors_are_clear(args: tuple[str, ...], message: str) -> None:
    out = gs(*args)
    assert out.returncode == 2
    assert message in out.stderr and "Traceback" not in out.stderr


def test_provisional_is_marked() -> None:
    out = gs("calendar", "is-working-day", "2027-01-01", "--provisional")
    assert out.returncode == 0
    assert "not a working day" in out.stdout and "PROVISIONAL" in out.stdout


def test_adjustments_file(tmp_path) -> None:
    f = tmp_path / "county.toml"
    f.write_text(
        '[[closure]]\nname = "壮族三月三"\nfrom = 2026-04-20\nto = 2026-04-21\n', encoding="utf-8"
    )
    out = gs("calendar", "add", "2026-04-17", "1", "--adjustments", str(f))
    assert out.stdout.startswith("2026-04-22 (Wed)")
    bad = tmp_path / "bad.toml"
    bad.write_text('[[closure]]\nname = "x"\ndate = "2026-04-20"\n', encoding="utf-8")
    out = gs("calendar", "add", "2026-04-17", "1", "--adjustments", str(bad))
    assert out.returncode == 2
    assert "bad.toml, closure 1, field 'date'" in out.stderr and "'2026-04-20'" in out.stderr
