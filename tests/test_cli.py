"""The command line, run as a user runs it: a real subprocess."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from command import gs, on_a_terminal
from govservice.cli import REPLAY_KEYS


def test_is_working_day_makeup_saturday() -> None:
    out = gs("calendar", "is-working-day", "2026-02-14")
    assert out.returncode == 0
    assert out.stdout.strip() == (
        "2026年2月14日星期六：工作日——调休上班日（春节），与2026年2月20日星期五对调"
    )
    out = gs("calendar", "is-working-day", "2026-02-14", "--lang", "en")
    assert out.stdout.strip() == (
        "Saturday, 14 February 2026: working day — make-up working day (调休上班), 春节, "
        "swapped with Friday, 20 February 2026"
    )


def test_is_working_day_json_with_instant() -> None:
    out = gs("calendar", "is-working-day", "2024-10-07T17:00:00+00:00", "--format", "json")
    data = json.loads(out.stdout)
    assert data["date"] == "2024-10-08" and data["working"] is True


@pytest.mark.parametrize(
    ("language", "said"),
    [("zh", "2026年5月6日星期三：工作日"), ("en", "Wednesday, 6 May 2026: working day")],
)
def test_an_ordinary_working_day_says_so_once(language: str, said: str) -> None:
    out = gs("--lang", language, "calendar", "is-working-day", "2026-05-06")
    assert out.returncode == 0 and out.stdout.strip() == said, out.stdout


def test_add_and_between() -> None:
    assert gs("calendar", "add", "2026-09-30", "1").stdout.startswith("2026年10月8日星期四：")
    out = gs("calendar", "add", "2026-10-08", "-1", "--lang", "en")
    assert out.stdout.startswith("Wednesday, 30 September 2026: working day")
    assert gs("calendar", "between", "2026-09-30", "2026-10-12").stdout.strip() == "4"


def test_year_lists_days_off_and_makeup_days() -> None:
    out = gs("calendar", "year", "2026")
    assert out.returncode == 0
    assert out.stdout.startswith("2026年：国务院办公厅关于2026年部分节假日安排的通知")
    assert (
        "  春节：2026年2月15日星期日至2026年2月23日星期一，放假9天；"
        "调休上班：2026年2月14日星期六、2026年2月28日星期六\n" in out.stdout
    )
    assert "  2026年10月1日星期四：非工作日——法定节假日（国庆节）\n" in out.stdout
    out = gs("calendar", "year", "2026", "--lang", "en")
    assert out.stdout.startswith("2026: 国务院办公厅关于2026年部分节假日安排的通知")
    assert "Saturday, 14 February 2026: working day — make-up working day" in out.stdout
    assert "Thursday, 1 October 2026: not a working day — statutory holiday" in out.stdout
    assert "  清明节: Saturday, 4 April 2026 – Monday, 6 April 2026, 3 days off\n" in out.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("calendar", "is-working-day", "2027-03-01"),
            "govservice：错误：2027年没有官方工作日数据",
        ),
        (
            ("calendar", "is-working-day", "2030-03-01", "--lang", "en"),
            "govservice: error: no official working-day data for 2030",
        ),
        (("calendar", "add", "2026-10-08T09:00:00", "1"), "没有UTC时差"),
        (("calendar", "is-working-day", "2026-02-30"), "不是ISO日期"),
        (("calendar", "year", "2027"), "2027"),
    ],
)
def test_errors_are_clear(args: tuple[str, ...], message: str) -> None:
    out = gs(*args)
    assert out.returncode == 2
    assert message in out.stderr and "Traceback" not in out.stderr


def test_provisional_is_marked() -> None:
    out = gs("calendar", "is-working-day", "2027-01-01", "--provisional", "--lang", "en")
    assert out.returncode == 0
    assert "not a working day" in out.stdout and "PROVISIONAL" in out.stdout
    out = gs("calendar", "between", "2026-12-30", "2027-01-05", "--provisional")
    assert out.stdout.startswith("3〔暂定：部分期间无官方数据〕")


def test_adjustments_file(tmp_path) -> None:
    f = tmp_path / "county.toml"
    f.write_text(
        '[[closure]]\nname = "壮族三月三"\nkind = "lawful_local_day"\nfrom = 2026-04-20\n'
        'to = 2026-04-21\n[[working_day]]\nname = "周末延时服务日"\nkind = "hall_day"\n'
        "counts_for_promised = true\ndate = 2026-04-25\n",
        encoding="utf-8",
    )
    out = gs("calendar", "add", "2026-04-17", "1", "--adjustments", str(f))
    assert out.stdout.startswith("2026年4月22日星期三")
    # a hall day: not a working day of the law, and said so with its kind
    out = gs("calendar", "is-working-day", "2026-04-25", "--adjustments", str(f), "--lang", "en")
    assert out.stdout.strip() == (
        "Saturday, 25 April 2026: not a working day — weekend; local hall day — 周末延时服务日, "
        "counted for promised limits only"
    )
    out = gs(
        "calendar", "is-working-day", "2026-04-25", "--adjustments", str(f), "--format", "json"
    )
    info = json.loads(out.stdout)
    assert (info["working"], info["adjustment_kind"]) == (False, "hall_day")
    bad = tmp_path / "bad.toml"
    bad.write_text(
        '[[closure]]\nname = "x"\nkind = "hall_day"\ndate = "2026-04-20"\n', encoding="utf-8"
    )
    out = gs("calendar", "add", "2026-04-17", "1", "--adjustments", str(bad))
    assert out.returncode == 1  # the file's data refused
    assert "bad.toml，closure 1，字段'date'：应为日期" in out.stderr
    assert "'2026-04-20'" in out.stderr


CATALOGUE = str(Path(__file__).parent / "data" / "catalogue_clock.toml")
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
        "2026-10-16T12:00:00+08:00", "--lang", "en",
    )  # fmt: skip
    assert out.returncode == 1 and out.stdout == "" and "Traceback" not in out.stderr
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
        "--lang",
        "en",
    )
    assert out.returncode == 1
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
        "case", "replay", str(f), "--catalogue", CATALOGUE, "--at", "2026-10-16T12:00:00+08:00",
        "--lang", "en",
    )  # fmt: skip
    assert out.returncode == 1 and out.stdout == ""
    assert "line 2" in out.stderr and "not valid JSON" in out.stderr


def test_store_import_export_check(tmp_path) -> None:
    db = f"sqlite:///{tmp_path}/hall.db"
    events = write_jsonl(tmp_path, REPLAY)
    out = gs("store", "import", events, "--db", db, "--catalogue", CATALOGUE)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith(
        "已存入5个事件，另有0个此前已存入而跳过，涉及2件办件，存储：sqlite:"
    )
    again = gs("store", "import", events, "--db", db, "--lang", "en")
    assert again.stdout.startswith("stored 0 events (5 already stored) of 0 cases in sqlite:")
    exported = gs("store", "export", "--db", db)
    assert [json.loads(x)["type"] for x in exported.stdout.splitlines()] == [
        r["type"] for r in REPLAY
    ]
    check = gs("store", "check", "--db", db)
    assert check.returncode == 0 and check.stdout.strip().endswith("：2件办件，5个事件，正常")
    check = gs("store", "check", "--db", db, "--lang", "en")
    assert check.returncode == 0 and check.stdout.strip().endswith(": 2 cases, 5 events, ok")
    out = tmp_path / "out.jsonl"
    exported = gs("store", "export", "--db", db, "--out", str(out))
    assert exported.stderr.strip() == f"已将5个事件导出至{out}"
    exported = gs("store", "export", "--db", db, "--out", str(out), "--lang", "en")
    assert exported.stderr.strip() == f"exported 5 events to {out}"


def test_store_import_bad_file_stores_nothing(tmp_path) -> None:
    db = f"sqlite:///{tmp_path}/hall.db"
    bad = [*REPLAY[:3], {**REPLAY[3], "type": "correction_wanted"}]
    out = gs(
        "store", "import", write_jsonl(tmp_path, bad), "--db", db, "--catalogue", CATALOGUE,
        "--lang", "en",
    )  # fmt: skip
    assert out.returncode == 1
    assert "line 4" in out.stderr and "unknown event type 'correction_wanted'" in out.stderr
    assert gs("store", "export", "--db", db).stdout == ""


def test_store_not_a_database(tmp_path) -> None:
    f = tmp_path / "notes.db"
    f.write_text("not a database")
    out = gs("store", "check", "--db", f"sqlite:///{f}")
    assert out.returncode == 2 and "notes.db：不是govservice的SQLite存储" in out.stderr


# ---------------------------------------------------------------- conventions


def test_version() -> None:
    """``--version`` prints the installed distribution's version, as pip and pytest do."""
    from importlib.metadata import version

    out = gs("--version")
    assert (out.returncode, out.stdout.strip()) == (0, f"govservice {version('govservice')}")
    listed = gs("plugins", "--no-plugins")
    assert listed.stdout.splitlines()[0] == f"govservice {version('govservice')}"
    assert json.loads(gs("plugins", "--format", "json").stdout)["govservice"] == version(
        "govservice"
    )


def test_help_documents_exit_status_and_output() -> None:
    for args in ((), ("report",), ("store", "check")):
        out = gs(*args, "--help", "--lang", "en")
        assert out.returncode == 0
        text = " ".join(out.stdout.split())
        assert "exit status:" in text and "1 the command ran and found problems" in text
        assert "2 usage error" in text and "- is standard output" in text
        zh = gs(*args, "--help")
        assert zh.returncode == 0
        assert "退出状态：" in zh.stdout and "2    用法错误" in zh.stdout, zh.stdout


def test_json_flag_points_to_format() -> None:
    out = gs("calendar", "add", "2026-09-30", "1", "--json", "--lang", "en")
    assert out.returncode == 2 and out.stdout == ""
    assert "unrecognized arguments: --json (JSON is --format json)" in out.stderr
    zh = gs("calendar", "add", "2026-09-30", "1", "--json")
    assert (
        zh.returncode == 2
        and "govservice：错误：无法识别的参数：--json（JSON请用--format json）" in zh.stderr
    )


HELP_AND_USAGE = {
    "help": (
        ("--help",),
        0,
        ("用法：govservice [-h]", "政务服务中心：工作日历、办理时限、考核。", "选项：",
         "  -h, --help            显示本帮助并退出", "    calendar            工作日历查询"),
        ("usage: govservice [-h]", "Government service centres: calendars, limits, assessment.",
         "options:", "  -h, --help            show this help message and exit",
         "    calendar            working-day calendar queries"),
    ),
    "command help": (
        ("calendar", "add", "--help"),
        0,
        ("用法：govservice calendar add [-h]", "DATE之后第N个工作日", "位置参数：",
         "  n                     工作日数（负数：DATE之前）",
         "--format {text,json}  text | json（默认text）"),
        ("usage: govservice calendar add [-h]", "the N-th working day after DATE",
         "positional arguments:", "  n                     working days (negative: before DATE)",
         "--format {text,json}  text | json (default text)"),
    ),
    "bad choice": (
        ("calendar", "add", "2026-09-30", "1", "--format", "xml"),
        2,
        ("govservice calendar add：错误：参数--format：无效的选择：'xml'（可选：'text', 'json'）",),
        ("govservice calendar add: error: argument --format: invalid choice: 'xml' (choose from "
         "'text', 'json')",),
    ),
    "bad command": (
        ("calendr",),
        2,
        ("govservice：错误：参数command：无效的选择：'calendr'（可选：'calendar',",),
        ("govservice: error: argument command: invalid choice: 'calendr' (choose from",),
    ),
    "missing argument": (
        ("calendar", "add", "2026-09-30"),
        2,
        ("用法：govservice calendar add [-h]", "govservice calendar add：错误：缺少以下参数：n"),
        ("usage: govservice calendar add [-h]",
         "govservice calendar add: error: the following arguments are required: n"),
    ),
    "bad number": (
        ("calendar", "add", "2026-09-30", "x"),
        2,
        ("govservice calendar add：错误：参数n：无效的int值：'x'",),
        ("govservice calendar add: error: argument n: invalid int value: 'x'",),
    ),
}  # fmt: skip
"""Help and usage errors: arguments, exit status, pieces of what is said in each language."""


@pytest.mark.parametrize("lang", ["", "--lang=zh", "--lang en", "--lang=en"])
@pytest.mark.parametrize("case", sorted(HELP_AND_USAGE))
def test_help_and_usage_errors_in_the_language(case: str, lang: str, tmp_path: Path) -> None:
    """``--help`` and argparse's usage errors in Chinese by default, English with ``--lang en``
    (before or after the command), the same exit status, never a traceback."""
    args, status, zh, en = HELP_AND_USAGE[case]
    out = gs(*lang.split(), *args, cwd=tmp_path, env={**os.environ, "COLUMNS": "80"})
    said = out.stdout if status == 0 else out.stderr
    assert out.returncode == status, out.stderr
    assert "Traceback" not in out.stderr
    for piece in en if "en" in lang else zh:
        assert piece in said, said
    if "en" in lang:
        assert not re.search(r"[\u4e00-\u9fff]", said), said
    if case == "command help":  # wrapped by width on the terminal: Chinese characters take two
        width = [sum(1 + (unicodedata.east_asian_width(c) in "WF") for c in line)
                 for line in said.splitlines()]  # fmt: skip
        assert max(width) <= 80, said


def test_the_centre_files_language_sets_the_help(tmp_path: Path) -> None:
    (tmp_path / "govservice.toml").write_text(
        '[centre]\nname = "某县"\n[policies]\nlanguage = "en"\n', encoding="utf-8"
    )
    out = gs("calendar", "--help", cwd=tmp_path)
    assert out.returncode == 0 and out.stdout.startswith("usage: govservice calendar"), out.stdout
    zh = gs("calendar", "--help", "--lang", "zh", cwd=tmp_path)
    assert zh.stdout.startswith("用法：govservice calendar"), zh.stdout


@pytest.fixture(scope="module")
def hall(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A SQLite store with the replay's cases, its events file and a small hall scenario."""
    tmp = tmp_path_factory.mktemp("hall")
    events = write_jsonl(tmp, REPLAY)
    db = f"sqlite:///{tmp}/hall.db"
    out = gs("store", "import", events, "--db", db, "--catalogue", CATALOGUE)
    assert out.returncode == 0, out.stderr
    scenario = tmp / "hall.toml"
    scenario.write_text(
        'name = "two windows"\n[hall]\nstart = 2026-03-02\ndays = 3\n'
        '[[station]]\nname = "窗口"\nservers = 2\nservice = { exponential = 6.0 }\n'
        '[[class]]\nname = "walk-in"\nroute = "窗口"\nwalk_in = { per_day = 60 }\n',
        encoding="utf-8",
    )
    return {"tmp": str(tmp), "events": events, "db": db, "scenario": str(scenario)}


COMMANDS = {
    "calendar is-working-day": lambda h: ("calendar", "is-working-day", "2026-10-10"),
    "calendar add": lambda h: ("calendar", "add", "2026-09-30", "3"),
    "calendar between": lambda h: ("calendar", "between", "2026-09-30", "2026-10-12"),
    "calendar year": lambda h: ("calendar", "year", "2026"),
    "case replay": lambda h: (
        "case", "replay", h["events"], "--catalogue", CATALOGUE,
        "--at", "2026-10-15T12:00:00+08:00",
    ),
    "store import": lambda h: (
        "store", "import", h["events"], "--db", f"sqlite:///{h['tmp']}/new.db",
        "--catalogue", CATALOGUE,
    ),
    "store check": lambda h: ("store", "check", "--db", h["db"]),
    "assess": lambda h: ("assess", "--db", h["db"], "--month", "2026-10"),
    "report": lambda h: ("report", "--db", h["db"], "--from", "2026-09-01", "--to", "2026-10-31"),
    "simulate": lambda h: ("simulate", h["scenario"], "--no-plugins"),
    "simulate --replications": lambda h: (
        "simulate", h["scenario"], "--no-plugins", "--replications", "3",
    ),
    "new-plugin": lambda h: ("new-plugin", "json-county", "--directory", h["tmp"]),
    "plugins": lambda h: ("plugins",),
}  # fmt: skip
"""Every command that prints data, with arguments that succeed (demo: its own test)."""


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_prints_json(command: str, hall: dict[str, str]) -> None:
    """``--format json`` gives one JSON document on standard output, for every command."""
    out = gs(*COMMANDS[command](hall), "--format", "json")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    expected = {
        "calendar is-working-day": lambda d: d["kind"] == "makeup_working_day",
        "calendar add": lambda d: d["date"] == "2026-10-10" and d["n"] == 3,
        "calendar between": lambda d: d["working_days"] == 4,
        "calendar year": lambda d: (
            d["year"] == 2026 and any(x["date"] == "2026-10-10" for x in d["days"])
        ),
        "case replay": lambda d: [r["case"] for r in d] == ["A", "B"],
        "store import": lambda d: (d["stored"], d["skipped"], d["cases"]) == (5, 0, 2),
        "store check": lambda d: (d["ok"], d["cases"], d["events"]) == (True, 2, 5),
        "assess": lambda d: "windows" in d or "scores" in d or d,
        "report": lambda d: d["total"]["received"] == 2,
        "simulate": lambda d: d["stations"]["窗口"]["customers"] > 0,
        "simulate --replications": lambda d: (
            d["replications"] == 3
            and set(d["intervals"]["stations.窗口.mean_wait"]) == {"mean", "low", "high"}
        ),
        "new-plugin": lambda d: any(f.endswith("pyproject.toml") for f in d["files"]),
        "plugins": lambda d: (
            any(p["name"] == "clock_defaults" for p in d["plugins"]) or d["plugins"]
        ),
    }[command]
    assert expected(doc), doc


def test_store_export_is_json_lines(hall: dict[str, str]) -> None:
    out = gs("store", "export", "--db", hall["db"])
    assert [json.loads(line)["case"] for line in out.stdout.splitlines()] == [
        e["case"] for e in REPLAY
    ]


@pytest.mark.parametrize(
    "args",
    [
        ("report", "--from", "2026-09-01", "--to", "2026-10-31", "--format", "json"),
        ("assess", "--month", "2026-10", "--format", "json"),
        ("store", "export"),
    ],
)
def test_out_dash_is_standard_output(args: tuple[str, ...], hall: dict[str, str], tmp_path) -> None:
    """``--out -`` writes to standard output, and no file named ``-``."""
    out = subprocess.run(
        [sys.executable, "-m", "govservice", *args, "--db", hall["db"], "--out", "-"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        cwd=tmp_path,
    )
    assert out.returncode == 0, out.stderr
    assert not (tmp_path / "-").exists()
    lines = out.stdout.splitlines()
    assert json.loads(out.stdout if args[0] != "store" else lines[0])
    # and to a file: the same text, and a line on standard error saying where
    written = tmp_path / "out.json"
    again = gs(*args, "--db", hall["db"], "--out", str(written))
    assert again.returncode == 0 and again.stdout == ""
    assert str(written) in again.stderr
    assert written.read_text(encoding="utf-8").strip() == out.stdout.strip()


@pytest.mark.parametrize("command", ["demo", "simulate"])
def test_out_of_a_folder_command_refuses_dash(command: str, hall: dict[str, str]) -> None:
    args = ("demo",) if command == "demo" else ("simulate", hall["scenario"], "--no-plugins")
    out = gs(*args, "--out", "-")
    assert out.returncode == 2 and out.stdout == ""
    assert "参数--out：此命令写出多个文件：--out应为文件夹，不能是-（标准输出）" in out.stderr
    out = gs(*args, "--out", "-", "--lang", "en")
    assert "argument --out: this command writes several files: --out takes a folder" in out.stderr


def test_simulate_out_folder_lists_what_it_wrote(hall: dict[str, str], tmp_path) -> None:
    out = gs("simulate", hall["scenario"], "--no-plugins", "--out", str(tmp_path / "run"))
    assert out.returncode == 0, out.stderr
    assert str(tmp_path / "run" / "summary.json") in out.stdout
    doc = json.loads((tmp_path / "run" / "summary.json").read_text(encoding="utf-8"))
    assert doc["stations"]["窗口"]["customers"] > 0


def test_broken_pipe_is_quiet(tmp_path) -> None:
    """Piped into ``head``, a long output stops quietly with 141, as Unix tools do."""
    events = [
        {
            "case": f"C{i:05d}",
            "type": "submitted",
            "at": "2026-09-24T09:30:00+08:00",
            "matter": "MR-001",
            "applicant": {"name": "张三", "kind": "person"},
        }
        for i in range(3000)
    ]  # ≈ 500 kB of JSON Lines: far more than a pipe holds
    db = f"sqlite:///{tmp_path}/big.db"
    assert gs("store", "import", write_jsonl(tmp_path, events), "--db", db,
              "--catalogue", CATALOGUE).returncode == 0  # fmt: skip
    script = (
        f"'{sys.executable}' -m govservice store export --db '{db}' 2>'{tmp_path}/err' "
        '| head -n 1; echo "status ${PIPESTATUS[0]}"'
    )
    out = subprocess.run(
        ["bash", "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    first, status = out.stdout.splitlines()
    assert json.loads(first)["case"] == "C00000"
    assert status == "status 141"
    assert (tmp_path / "err").read_text() == ""


def _bad_store(tmp_path) -> str:
    import sqlite3

    db = tmp_path / "hall.db"
    assert gs("store", "import", write_jsonl(tmp_path, REPLAY), "--db", f"sqlite:///{db}",
              "--catalogue", CATALOGUE).returncode == 0  # fmt: skip
    with sqlite3.connect(db) as con:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        assert "cases" in tables, tables
        con.execute("UPDATE cases SET state = 'withdrawn' WHERE case_id = 'A'")
    return f"sqlite:///{db}"


def test_exit_status(tmp_path) -> None:
    """0 success; 1 ran and found problems; 2 a usage error."""
    db = _bad_store(tmp_path)
    check = gs("store", "check", "--db", db)
    assert check.returncode == 1 and "case 'A': summary does not match" in check.stdout
    as_json = json.loads(gs("store", "check", "--db", db, "--format", "json").stdout)
    assert as_json["ok"] is False and len(as_json["problems"]) == 1
    assert gs("calendar", "between", "2026-09-30", "2026-10-12").returncode == 0
    assert gs("calendar", "between", "2026-09-30").returncode == 2  # a missing argument
    assert gs("calendar", "add", "2026-09-30", "x").returncode == 2  # not a number
    missing = gs("store", "import", str(tmp_path / "nowhere.jsonl"), "--db", db)
    assert missing.returncode == 2 and "nowhere.jsonl" in missing.stderr
    assert gs("calendar", "year", "2030").returncode == 2  # a year without data
    assert "Traceback" not in check.stderr + missing.stderr


def test_calendar_data_missing_points_to_the_flags(hall: dict[str, str], tmp_path) -> None:
    """The year asked about and the last year covered; --provisional or --years FILE."""
    out = gs("calendar", "is-working-day", "2028-05-04")
    assert out.returncode == 2
    assert "2028年没有官方工作日数据：日历覆盖2004–2026年" in out.stderr
    assert "--provisional" in out.stderr and "--years FILE" in out.stderr
    assert "with_years" not in out.stderr and "china(" not in out.stderr
    # a hall running into 2027: the same, and --provisional answers, marked
    scenario = tmp_path / "december.toml"
    scenario.write_text(
        Path(hall["scenario"])
        .read_text(encoding="utf-8")
        .replace("start = 2026-03-02\ndays = 3", "start = 2026-12-28\ndays = 10"),
        encoding="utf-8",
    )
    out = gs("simulate", str(scenario), "--no-plugins")
    assert out.returncode == 2 and "2027" in out.stderr and "--provisional" in out.stderr
    assert "Traceback" not in out.stderr
    assert gs("simulate", str(scenario), "--no-plugins", "--provisional").returncode == 0
    text = (
        Path(scenario)
        .read_text(encoding="utf-8")
        .replace("[hall]\n", "[hall]\nprovisional = true\n")
    )
    scenario.write_text(text, encoding="utf-8")
    assert gs("simulate", str(scenario), "--no-plugins").returncode == 0
    for command in (
        ("report", "--from", "2026-09-01", "--to", "2026-10-31"),
        ("assess", "--month", "2026-10"),
    ):
        out = gs(*command, "--db", hall["db"], "--provisional", "--format", "json")
        assert out.returncode == 0, out.stderr


def test_years_file_on_store_commands(hall: dict[str, str], tmp_path) -> None:
    """``--years FILE`` loads a newly announced year for every command that counts days."""
    f = tmp_path / "2027.toml"
    f.write_text(
        '[[year]]\nyear = 2027\nnotice = "国务院办公厅关于2027年部分节假日安排的通知"\n'
        '[[year.holiday]]\nname = "国庆节"\nfestivals = ["national_day"]\n'
        "off = [2027-10-01, 2027-10-07]\nstatutory = [2027-10-01, 2027-10-02, 2027-10-03]\n"
        "makeup = []\n",
        encoding="utf-8",
    )
    out = gs("calendar", "is-working-day", "2027-10-01", "--years", str(f))
    assert out.returncode == 0, out.stderr
    assert "非工作日" in out.stdout and "暂定" not in out.stdout
    out = gs("report", "--db", hall["db"], "--from", "2026-09-01", "--to", "2026-10-31",
             "--years", str(f), "--format", "json")  # fmt: skip
    assert out.returncode == 0, out.stderr


def test_replications_print_one_summary(hall: dict[str, str]) -> None:
    out = gs("simulate", hall["scenario"], "--no-plugins", "--replications", "20")
    assert out.returncode == 0, out.stderr
    assert out.stdout.count("| 服务点 |") == 1
    assert "20次重复运行的均值，括号内为95%置信区间" in out.stdout
    row = next(line for line in out.stdout.splitlines() if line.startswith("| 窗口 |"))
    mean, low, high = (float(x) for x in re.findall(r"[\d.]+", row.split("|")[3]))
    assert low < mean < high
    each = gs("simulate", hall["scenario"], "--no-plugins", "--replications", "3", "--each",
              "--lang", "en")  # fmt: skip
    assert each.stdout.count("| station |") == 4
    assert "## two windows, seed 0, replication 2" in each.stdout
    bad = gs("simulate", hall["scenario"], "--replications", "0")
    assert bad.returncode == 2 and "参数--replications：应至少为1，收到0" in bad.stderr


@pytest.mark.parametrize("command", ["simulate", "report"])
def test_progress_on_a_terminal_only(hall: dict[str, str], command: str) -> None:
    """A bar on standard error when it is a terminal; nothing when it is piped."""
    args = [sys.executable, "-m", "govservice", "simulate", hall["scenario"], "--no-plugins",
            "--replications", "4"]  # fmt: skip
    unit = b"runs/s"
    if command == "report":  # the store, September, October, the figures: 4 steps
        args = [sys.executable, "-m", "govservice", "report", "--db", hall["db"],
                "--from", "2026-09-01", "--to", "2026-10-31"]  # fmt: skip
        unit = b"steps/s"
    piped = subprocess.run(args, capture_output=True, text=True, check=True, timeout=120)
    assert piped.stderr == ""
    seen = on_a_terminal(args)
    assert b"0/4 [" in seen and unit in seen


def test_demo_lists_every_file_it_wrote(tmp_path) -> None:
    """``govservice demo --format json``: every file in its folder, listed; the folder ignored."""
    folder = tmp_path / "demo"
    out = gs("demo", "--out", str(folder), "--format", "json")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    listed = {Path(f["path"]) for f in doc["files"]}
    assert listed == set(folder.iterdir())
    assert {f["what"] for f in doc["files"]} >= {"store", "centre file", "half-year report"}
    root = Path(__file__).resolve().parent.parent
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", "govservice-demo/report-202601-202606.html"],
        cwd=root,
        check=False,
    )
    assert ignored.returncode == 0


# ---------------------------------------------------------------- language

TEXT = {
    "calendar is-working-day": (
        ("calendar", "is-working-day", "2026-10-10"),
        "2026年10月10日星期六：工作日——调休上班日（国庆节），与2026年10月7日星期三对调",
        "Saturday, 10 October 2026: working day — make-up working day (调休上班), 国庆节, "
        "swapped with Wednesday, 7 October 2026",
    ),
    "calendar add": (
        ("calendar", "add", "2026-09-30", "3"),
        "2026年10月10日星期六：工作日",
        "Saturday, 10 October 2026: working day",
    ),
    "calendar between": (("calendar", "between", "2026-09-30", "2026-10-12"), "4", "4"),
    "calendar year": (
        ("calendar", "year", "2026"),
        "  国庆节：2026年10月1日星期四至2026年10月7日星期三，放假7天；",
        "  国庆节: Thursday, 1 October 2026 – Wednesday, 7 October 2026, 7 days off; ",
    ),
    "store import": (
        ("store", "import", "EVENTS", "--db", "NEW", "--catalogue", CATALOGUE),
        "已存入5个事件，另有0个此前已存入而跳过，涉及2件办件，存储：sqlite:",
        "stored 5 events (0 already stored) of 2 cases in sqlite:",
    ),
    "store check": (
        ("store", "check", "--db", "DB"), "：2件办件，5个事件，正常", ": 2 cases, 5 events, ok",
    ),
    "assess": (("assess", "--db", "DB", "--month", "2026-10"), "2026年10月", "October 2026"),
    "report": (
        ("report", "--db", "DB", "--from", "2026-09-01", "--to", "2026-10-31"),
        "## 一、基本情况",
        "## Overview",
    ),
    "simulate": (
        ("simulate", "SCENARIO", "--no-plugins"),
        "## two windows，随机种子0\n\n| 服务点 | 人数 | 平均等候 |",
        "## two windows, seed 0\n\n| station | customers | mean wait |",
    ),
    "simulate --replications": (
        ("simulate", "SCENARIO", "--no-plugins", "--replications", "2", "--each"),
        "2次重复运行的均值，括号内为95%置信区间（t分布）",
        "means over 2 replications, 95% confidence intervals (Student t) in brackets",
    ),
    "new-plugin": (("new-plugin", "a-county", "--directory", "TMP"), "已创建", "created "),
    "plugins": (
        ("plugins", "--no-plugins"),
        "\n中心：政务服务中心\n地区链：无——适用全国默认规则\n",
        "\ncentre: 政务服务中心\nregion chain: ",
    ),
}  # fmt: skip
"""Each command's text for people, with a piece of what it says in Chinese and in English."""


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("command", sorted(TEXT))
def test_every_command_speaks_chinese_by_default_and_english_on_request(
    command: str, language: str, hall: dict[str, str], tmp_path: Path
) -> None:
    args, zh, en = TEXT[command]
    fill = {
        "EVENTS": hall["events"],
        "NEW": f"sqlite:///{tmp_path}/new.db",
        "DB": hall["db"],
        "SCENARIO": hall["scenario"],
        "TMP": str(tmp_path),
    }
    args = tuple(fill.get(a, a) for a in args)
    out = gs(*args, *(("--lang", "en") if language == "en" else ()))
    assert out.returncode == 0, out.stderr
    assert (zh if language == "zh" else en) in out.stdout, out.stdout
    assert (en if language == "zh" else zh) not in out.stdout or zh == en


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_centre_file_sets_the_language(language: str, tmp_path: Path) -> None:
    """Without --lang the centre file's ``language`` decides; --lang wins over it."""
    (tmp_path / "govservice.toml").write_text(
        f'[centre]\nname = "某县"\n[policies]\nlanguage = "{language}"\n', encoding="utf-8"
    )
    out = gs("calendar", "add", "2026-09-30", "3", cwd=tmp_path)
    other = gs("calendar", "add", "2026-09-30", "3", "--lang", "en" if language == "zh" else "zh",
               cwd=tmp_path)  # fmt: skip
    zh, en = "2026年10月10日星期六：工作日", "Saturday, 10 October 2026: working day"
    assert out.stdout.startswith(zh if language == "zh" else en), out.stdout
    assert other.stdout.startswith(en if language == "zh" else zh), other.stdout
    error = gs("calendar", "year", "2030", cwd=tmp_path)
    assert error.stderr.startswith(
        "govservice：错误：2030年没有官方工作日数据" if language == "zh"
        else "govservice: error: no official working-day data for 2030"
    ), error.stderr  # fmt: skip


@pytest.mark.parametrize("language", ["zh", "en"])
def test_no_centre_file_is_one_line_on_standard_error(language: str, tmp_path: Path) -> None:
    """Without a centre file, one short line names the regional plugins left out (the test
    environment has the sample county installed); standard output stays the JSON."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GOVSERVICE_")}
    out = gs("--lang", language, "calendar", "add", "2026-09-30", "3", "--format", "json",
             cwd=tmp_path, env=env)  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["date"] == "2026-10-10"
    zh = "govservice：没有中心配置文件，适用全国默认规则；未应用地区插件："
    en = "govservice: no centre file, the national defaults apply; regional plugins not applied: "
    assert len(out.stderr.splitlines()) == 1, out.stderr
    assert out.stderr.startswith(zh if language == "zh" else en), out.stderr
    assert "sample_county" in out.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("--lang", "en", "calendar", "add", "2026-09-30", "3"),
        ("calendar", "--lang", "en", "add", "2026-09-30", "3"),
        ("calendar", "add", "2026-09-30", "3", "--lang", "en"),
        ("--lang", "zh", "calendar", "add", "2026-09-30", "3", "--lang", "en"),
    ],
)
def test_lang_before_or_after_the_command(args: tuple[str, ...]) -> None:
    """``--lang`` is taken before the command as among its options; the command's wins."""
    out = gs(*args)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("Saturday, 10 October 2026: working day"), out.stdout
    assert gs("--lang", "zh", "calendar", "add", "2026-09-30", "3").stdout.startswith(
        "2026年10月10日星期六：工作日"
    )


@pytest.mark.parametrize("language", ["zh", "en"])
def test_what_was_written_where(language: str, hall: dict[str, str], tmp_path: Path) -> None:
    lang = ("--lang", "en") if language == "en" else ()
    said = {
        "report": ("已将报告写入", "wrote the report to "),
        "assess": ("已将2026年10月考核通报写入", "wrote the briefing of October 2026 to "),
    }
    for command, args in (
        ("report", ("--from", "2026-09-01", "--to", "2026-10-31", "--no-assess")),
        ("assess", ("--month", "2026-10")),
    ):
        path = tmp_path / f"{command}.md"
        out = gs(command, *args, "--db", hall["db"], "--out", str(path), *lang)
        assert out.returncode == 0, out.stderr
        zh, en = said[command]
        assert out.stderr.strip() == (f"{zh}{path}" if language == "zh" else f"{en}{path}")


@pytest.mark.parametrize("language", ["zh", "en"])
def test_demo_summary_in_the_language(language: str, tmp_path: Path) -> None:
    """The demo's summary and file list, and what it writes, in the language asked for."""
    folder = tmp_path / "demo"
    lang = ("--lang", "en") if language == "en" else ()
    out = gs("demo", "--out", str(folder), *lang)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    report = (folder / "report-202601-202606.md").read_text(encoding="utf-8")
    if language == "zh":
        assert re.fullmatch(r"已存入[\d,]+件办件（[\d,]+个事件），写入\S+：", lines[0]), lines[0]
        assert f"  半年工作报告：{folder}/report-202601-202606.md" in lines
        assert f"  中心配置文件：{folder}/govservice.toml" in lines
        assert lines[-1].startswith("下一步：cd ")
        assert "## 一、基本情况" in report
    else:
        assert re.fullmatch(r"stored [\d,]+ cases \([\d,]+ events\); wrote into \S+:", lines[0])
        assert f"  half-year report: {folder}/report-202601-202606.md" in lines
        assert lines[-1].startswith("next: cd ")
        assert "## Overview" in report
    # the next command, in the demo's folder, speaks the same language
    check = gs("store", "check", cwd=folder)
    assert check.stdout.strip().endswith("正常" if language == "zh" else "ok"), check.stdout
