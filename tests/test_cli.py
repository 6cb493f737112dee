"""The command line, run as a user runs it: a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from govservice.cli import REPLAY_KEYS


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
        '[[closure]]\nname = "壮族三月三"\nkind = "lawful_local_day"\nfrom = 2026-04-20\n'
        'to = 2026-04-21\n[[working_day]]\nname = "周末延时服务日"\nkind = "hall_day"\n'
        "counts_for_promised = true\ndate = 2026-04-25\n",
        encoding="utf-8",
    )
    out = gs("calendar", "add", "2026-04-17", "1", "--adjustments", str(f))
    assert out.stdout.startswith("2026-04-22 (Wed)")
    # a hall day: not a working day of the law, and said so with its kind
    out = gs("calendar", "is-working-day", "2026-04-25", "--adjustments", str(f))
    assert out.stdout.strip() == (
        "2026-04-25 (Sat): not a working day — weekend; local hall day — 周末延时服务日, "
        "counted for promised limits only"
    )
    out = gs("calendar", "is-working-day", "2026-04-25", "--adjustments", str(f), "--json")
    info = json.loads(out.stdout)
    assert (info["working"], info["adjustment_kind"]) == (False, "hall_day")
    bad = tmp_path / "bad.toml"
    bad.write_text(
        '[[closure]]\nname = "x"\nkind = "hall_day"\ndate = "2026-04-20"\n', encoding="utf-8"
    )
    out = gs("calendar", "add", "2026-04-17", "1", "--adjustments", str(bad))
    assert out.returncode == 2
    assert "bad.toml, closure 1, field 'date'" in out.stderr and "'2026-04-20'" in out.stderr


CATALOGUE = str(__import__("pathlib").Path(__file__).parent / "data" / "catalogue_clock.toml")
REPLAY = [
    {
        "case": "A",
        "type": "submitted",
        "at": "2026-09-24T09:30:00+08:00",
        "matter": "MR-001",
        "applicant": {"name": "张三", "kind": "person"},
    },
    {
        "case": "B",
        "type": "submitted",
        "at": "2026-09-28T10:00:00+08:00",
        "matter": "MR-001",
        "applicant": {"name": "某公司", "kind": "organization"},
    },
    {"case": "A", "type": "accepted", "at": "2026-09-24T09:40:00+08:00"},
    {
        "case": "B",
        "type": "correction_requested",
        "at": "2026-10-12T10:00:00+08:00",
        "items": ["章程"],
    },
    {"case": "A", "type": "decided", "at": "2026-10-14T16:00:00+08:00", "outcome": "approved"},
]


def write_jsonl(tmp_path, records) -> str:
    f = tmp_path / "events.jsonl"
    f.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )
    return str(f)


def test_case_replay(tmp_path) -> None:
    out = gs(
        "case",
        "replay",
        write_jsonl(tmp_path, REPLAY),
        "--catalogue",
        CATALOGUE,
        "--at",
        "2026-10-15T12:00:00+08:00",
    )
    assert out.returncode == 0, out.stderr
    a, b = (json.loads(line) for line in out.stdout.splitlines())
    assert a == {
        "case": "A",
        "matter": "MR-001",
        "state": "decided",
        "accepted_on": "2026-09-24",
        "deemed_accepted": False,
        "statutory_deadline": "2026-10-29",
        "promised_deadline": "2026-10-13",
        "working_days_used": 9,
        "paused_working_days": 0,
        "extended_by": 0,
        "alert": "red",
        "on_time_promised": False,
        "on_time_statutory": True,
        # approved on Wed 14 Oct: the licence is due by 28 Oct (行政许可法 Art. 44: 15, 16,
        # 19–23, 26, 27, 28 October)
        "delivery_deadline": "2026-10-28",
        "on_time_delivery": None,
    }
    # B: corrections notified on the 6th working day after submission: deemed accepted on 28 Sep
    assert b["deemed_accepted"] is True and b["accepted_on"] == "2026-09-28"
    assert b["on_time_statutory"] is None and b["statutory_deadline"] == "2026-10-30"
    assert "delivery_deadline" not in b and "hearing_deadline" not in b


def test_case_replay_prints_the_clocks_that_apply(tmp_path) -> None:
    """A renewal with a hearing: every key printed today, and the hearing and renewal keys."""
    events = [
        {
            "case": "R",
            "type": "submitted",
            "at": "2026-09-24T09:30:00+08:00",
            "matter": "MR-001",
            "applicant": {"name": "某公司", "kind": "organization"},
            "renewal_of": {"licence": "JY13201000001", "expires_on": "2026-11-30"},
        },
        {"case": "R", "type": "accepted", "at": "2026-09-24T09:40:00+08:00"},
        {"case": "R", "type": "hearing_requested", "at": "2026-09-28T10:00:00+08:00"},
    ]
    out = gs(
        "case",
        "replay",
        write_jsonl(tmp_path, events),
        "--catalogue",
        CATALOGUE,
        "--at",
        "2026-10-09T12:00:00+08:00",
    )
    assert out.returncode == 0, out.stderr
    (r,) = (json.loads(line) for line in out.stdout.splitlines())
    assert list(r)[: len(REPLAY_KEYS)] == list(REPLAY_KEYS)
    assert {k: r[k] for k in list(r)[len(REPLAY_KEYS) :]} == {
        "hearing_deadline": "2026-10-30",
        "on_time_hearing": None,
        "renewal_deadline": "2026-11-30",
        "deemed_renewed": False,
        "late_renewal_application": False,
    }
    assert r["state"] == "suspended"


def test_case_replay_hostile_new_events(tmp_path) -> None:
    """A hearing held without a request: the line, case, event and reason; nothing printed."""
    bad = [*REPLAY, {"case": "A", "type": "hearing_held", "at": "2026-10-15T10:00:00+08:00"}]
    out = gs(
        "case", "replay", write_jsonl(tmp_path, bad), "--catalogue", CATALOGUE, "--at",
        "2026-10-16T12:00:00+08:00",
    )  # fmt: skip
    assert out.returncode == 2 and out.stdout == "" and "Traceback" not in out.stderr
    assert "line 6" in out.stderr and "case 'A'" in out.stderr and "hearing_held" in out.stderr


def test_case_replay_invalid_event_names_line_and_prints_nothing(tmp_path) -> None:
    bad = [*REPLAY, {"case": "B", "type": "resumed", "at": "2026-10-15T10:00:00+08:00"}]
    out = gs(
        "case",
        "replay",
        write_jsonl(tmp_path, bad),
        "--catalogue",
        CATALOGUE,
        "--at",
        "2026-10-16T12:00:00+08:00",
    )
    assert out.returncode == 2
    assert out.stdout == ""
    assert (
        "line 6" in out.stderr
        and "case 'B'" in out.stderr
        and "'resumed' is not allowed" in out.stderr
    )


def test_case_replay_malformed_json(tmp_path) -> None:
    f = tmp_path / "events.jsonl"
    f.write_text(json.dumps(REPLAY[0]) + "\n{not json\n", encoding="utf-8")
    out = gs(
        "case", "replay", str(f), "--catalogue", CATALOGUE, "--at", "2026-10-16T12:00:00+08:00"
    )
    assert out.returncode == 2 and out.stdout == ""
    assert "line 2" in out.stderr and "not valid JSON" in out.stderr


def test_store_import_export_check(tmp_path) -> None:
    db = f"sqlite:///{tmp_path}/hall.db"
    events = write_jsonl(tmp_path, REPLAY)
    out = gs("store", "import", events, "--db", db, "--catalogue", CATALOGUE)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("stored 5 events (0 already stored) of 2 cases")
    exported = gs("store", "export", "--db", db)
    assert [json.loads(x)["type"] for x in exported.stdout.splitlines()] == [
        r["type"] for r in REPLAY
    ]
    check = gs("store", "check", "--db", db)
    assert check.returncode == 0 and check.stdout.strip().endswith("2 cases, 5 events, ok")


def test_store_import_bad_file_stores_nothing(tmp_path) -> None:
    db = f"sqlite:///{tmp_path}/hall.db"
    bad = [*REPLAY[:3], {**REPLAY[3], "type": "correction_wanted"}]
    out = gs("store", "import", write_jsonl(tmp_path, bad), "--db", db, "--catalogue", CATALOGUE)
    assert out.returncode == 2
    assert "line 4" in out.stderr and "unknown event type 'correction_wanted'" in out.stderr
    assert gs("store", "export", "--db", db).stdout == ""


def test_store_not_a_database(tmp_path) -> None:
    f = tmp_path / "notes.db"
    f.write_text("not a database")
    out = gs("store", "check", "--db", f"sqlite:///{f}")
    assert out.returncode == 2 and "notes.db: not a govservice SQLite store" in out.stderr
