"""What a hostile or careless user types: refused at the door, clearly, never a traceback.

Each test reproduces an attack on the command line (a real subprocess, or
``main()`` in-process where many inputs are tried) and checks the message
names the line and field, masks applicants' numbers and escapes what a
terminal would obey.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from command import gs
from govservice.cli import EXIT_INTERNAL, EXIT_PROBLEMS
from govservice.text import _UNPRINTABLE, mask_personal, terminal_safe, text_problem

CATALOGUE = str(Path(__file__).parent / "data" / "catalogue_clock.toml")
ID_NUMBER = "11010519491231002X"
MOBILE = "13812345678"
AT = "2026-09-24T09:30:00+08:00"


def submitted(**changes: Any) -> dict[str, Any]:
    event: dict[str, Any] = {
        "case": "A",
        "type": "submitted",
        "at": AT,
        "matter": "MR-001",
        "applicant": {"name": "张三", "kind": "person"},
    }
    event.update(changes)
    return event


def lines_file(tmp_path: Path, *lines: str | bytes) -> str:
    f = tmp_path / "events.jsonl"
    f.write_bytes(b"".join((x if isinstance(x, bytes) else x.encode()) + b"\n" for x in lines))
    return str(f)


def replay(path: str) -> subprocess.CompletedProcess[str]:
    return gs("case", "replay", path, "--catalogue", CATALOGUE, "--at", AT, "--no-plugins")


class TestText:
    """govservice.text: terminal-safe text and masked numbers."""

    def test_escapes_what_a_terminal_obeys(self) -> None:
        """Escape sequences, C1 controls, bidi overrides and lone surrogates are shown escaped."""
        text = "C2\x1b[2J\x9b31m\u202egnp.exe\ud800\x00"
        assert terminal_safe(text) == "C2\\x1b[2J\\x9b31m\\u202egnp.exe\\ud800\\x00"
        assert terminal_safe("张三\tok\n") == "张三\tok\n"

    def test_json_stays_json(self) -> None:
        """Escaped JSON has the same value."""
        doc = {"case": "C\x9b\u202e\x1b"}
        text = terminal_safe(json.dumps(doc, ensure_ascii=False), json=True)
        assert json.loads(text) == doc and "\x9b" not in text

    @pytest.mark.parametrize(
        ("text", "masked"),
        [
            (ID_NUMBER, "1101**********002X"),
            ("110105491231002", "1101*******1002"),
            (f"['张三', '{ID_NUMBER}']", "['张三', '1101**********002X']"),
            (f"电话{MOBILE}。", "电话1381***5678。"),
            ("91350100M000100Y43", "91350100M000100Y43"),  # a credit code: not a number alone
            ("case C-000123", "case C-000123"),
        ],
    )
    def test_masks_identity_and_mobile_numbers(self, text: str, masked: str) -> None:
        assert mask_personal(text) == masked


def test_internal_error_is_one_line_and_a_traceback_file(tmp_path: Path) -> None:
    """A bug in govservice: exit 70, one line naming the error and the traceback's file."""
    script = (
        "import sys, govservice.cli as cli\n"
        "def broken(args):\n"
        f"    raise ZeroDivisionError('applicant {ID_NUMBER}')\n"
        "cli._cmd_plugins = broken\n"
        "sys.exit(cli.main(['plugins', '--no-plugins', '--lang', 'en']))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        env={**__import__("os").environ, "TMPDIR": str(tmp_path)},
    )
    assert out.returncode == EXIT_INTERNAL == 70
    assert "Traceback" not in out.stderr and out.stdout == ""
    [line] = out.stderr.splitlines()
    assert line.startswith(
        "govservice: internal error: ZeroDivisionError: applicant 1101**********002X — "
        "please report it; the full traceback is in "
    )
    path = Path(line.rsplit(" ", 1)[1])
    assert path.parent == tmp_path
    written = path.read_text(encoding="utf-8")
    assert written.startswith("Traceback") and "ZeroDivisionError" in written
    assert ID_NUMBER not in written


def test_text_output_escapes_terminal_sequences(tmp_path: Path) -> None:
    """A name from a file with escape sequences is printed escaped, not obeyed."""
    f = tmp_path / "county.toml"
    f.write_text(
        '[[working_day]]\nname = "\\u001b[2J\\u001b]0;pwned\\u0007延时服务日"\n'
        'kind = "hall_day"\ncounts_for_promised = true\ndate = 2026-04-25\n',
        encoding="utf-8",
    )
    out = gs("calendar", "is-working-day", "2026-04-25", "--adjustments", str(f), "--no-plugins")
    assert out.returncode == 0, out.stderr
    assert "\x1b" not in out.stdout and "\x07" not in out.stdout
    assert "\\x1b[2J\\x1b]0;pwned\\x07延时服务日" in out.stdout
    out = gs(
        "calendar", "is-working-day", "2026-04-25", "--adjustments", str(f), "--no-plugins",
        "--format", "json",
    )  # fmt: skip
    assert json.loads(out.stdout)["adjustment"] == "\x1b[2J\x1b]0;pwned\x07延时服务日"


@pytest.mark.parametrize(
    "applicant",
    [
        ["张三", ID_NUMBER],
        f"张三 {ID_NUMBER} {MOBILE}",
        {"name": "某公司", "kind": "organization", "credit_code": ID_NUMBER},
        {"name": "张三", "kind": "person", "id_number": ID_NUMBER[:-1] + "1"},
        {"name": f"张三{ID_NUMBER}", "kind": "persons"},
        {"name": "张三", "kind": "person", ID_NUMBER: ID_NUMBER},
        {"name": "张三", "kind": "person", "id_number": int(ID_NUMBER[:-1])},
    ],
    ids=["list", "string", "credit_code", "checksum", "kind", "key", "int"],
)
def test_applicant_numbers_are_masked_in_errors(tmp_path: Path, applicant: Any) -> None:
    """No message shows a whole identity or mobile number, however it was mistyped."""
    path = lines_file(tmp_path, json.dumps(submitted(applicant=applicant), ensure_ascii=False))
    for out in (
        replay(path),
        gs("store", "import", path, "--db", f"sqlite:///{tmp_path}/s.db",
           "--catalogue", CATALOGUE, "--no-plugins"),
    ):  # fmt: skip
        assert out.returncode == EXIT_PROBLEMS, out.stderr
        assert "第1行" in out.stderr and ("申请人" in out.stderr or "applicant" in out.stderr)
        assert ID_NUMBER not in out.stderr and ID_NUMBER[:-1] not in out.stderr
        assert MOBILE not in out.stderr
        assert "Traceback" not in out.stderr


@pytest.mark.parametrize(
    "applicant",
    [["张三", ID_NUMBER], f"张三 {ID_NUMBER}", {"name": "某", "kind": "organization",
                                               "credit_code": ID_NUMBER}],
)  # fmt: skip
def test_event_errors_mask_numbers_in_the_library(applicant: Any) -> None:
    """``str(EventError)`` masks the numbers too, for programs that log it."""
    from govservice.cases import EventError, event_from_dict

    with pytest.raises(EventError) as info:
        event_from_dict(submitted(applicant=applicant), line=3)
    assert "line 3" in str(info.value) and "applicant" in str(info.value)
    assert ID_NUMBER not in str(info.value)


GOOD = json.dumps(submitted(), ensure_ascii=False)
BAD_LINES = {
    "invalid UTF-8": (b'{"case": "\xff"}', "第2行：不是UTF-8文本：该行第11个字节"),
    "deep nesting": ("[" * 100_000 + "]" * 100_000, "第2行：不是有效的JSON：嵌套层数过多"),
    "4,301 digits": (
        '{"case": "A", "type": "evaluated", "level": ' + "9" * 4301 + "}",
        "第2行：不是有效的JSON：数字位数过多，无法读取",
    ),
    "unterminated": (
        '{"case": "A', "第2行：不是有效的JSON：字符串没有结束，起始于第10列"
    ),
    "duplicate key": (
        json.dumps(submitted(case="P1"), ensure_ascii=False).replace(
            '"case": "P1"', '"case": "P1", "case": "Q9"'
        ),
        "第2行：不是有效的JSON：键'case'在同一个对象中出现了两次",
    ),
    "duplicate nested key": (
        GOOD.replace('"kind": "person"', '"kind": "person", "kind": "organization"'),
        "第2行：不是有效的JSON：键'kind'在同一个对象中出现了两次",
    ),
    "lone surrogate": (
        GOOD.replace('"case": "A"', '"case": "A\\ud800"'),
        "第2行：不是有效的JSON：字符串'A\\ud800'含有单独的代理项",
    ),
    "a 1 MB line": (
        '{"case": "' + "x" * 1_000_001 + '"}', "第2行：超过1,000,000个字符"
    ),
}  # fmt: skip


def refusals(tmp_path: Path, path: str) -> list[str]:
    """The one error line each of ``case replay`` and ``store import`` gives for *path*.

    Each must exit with problems and print nothing on standard output, and the
    store must hold no event afterwards.
    """
    db = f"sqlite:///{tmp_path}/s.db"
    lines = []
    for out in (
        replay(path),
        gs("store", "import", path, "--db", db, "--catalogue", CATALOGUE, "--no-plugins"),
    ):
        assert out.returncode == EXIT_PROBLEMS, out.stderr
        [line] = out.stderr.splitlines()
        assert out.stdout == ""
        lines.append(line)
    assert not Path(f"{tmp_path}/s.db").exists()  # the failed import removed the store it made
    return lines


@pytest.mark.parametrize("attack", sorted(BAD_LINES))
def test_malformed_lines_are_refused_with_their_line(tmp_path: Path, attack: str) -> None:
    """Each is refused naming line (and column or byte); nothing is stored; no traceback."""
    bad, message = BAD_LINES[attack]
    path = lines_file(tmp_path, GOOD, bad)
    for line in refusals(tmp_path, path):
        assert line.startswith(f"govservice：错误：{path}：{message}"), line


def test_well_formed_surrogate_pairs_are_read(tmp_path: Path) -> None:
    """An escaped pair (an emoji written by an ASCII-only writer) is one character, and fine."""
    path = lines_file(
        tmp_path, json.dumps(submitted(applicant={"name": "张三😀", "kind": "person"}))
    )
    assert "\\ud83d" in Path(path).read_text(encoding="utf-8")
    out = replay(path)
    assert out.returncode == 0, out.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'[[unit]]\ncode = "U"\nname = "\xff"\n', "第3行：不是UTF-8文本：该行第9个字节"),
        (b"x = " + b"[" * 100_000 + b"]" * 100_000, "不是有效的TOML：嵌套层数过多"),
        (b"x = " + b"9" * 4301, "不是有效的TOML：数字位数过多，无法读取"),
        (b"x = [1,\n", "不是有效的TOML："),
    ],
    ids=["utf-8", "nesting", "digits", "syntax"],
)
def test_malformed_catalogue_files_are_refused(
    tmp_path: Path, content: bytes, message: str
) -> None:
    f = tmp_path / "cat.toml"
    f.write_bytes(content)
    path = lines_file(tmp_path, GOOD)
    out = gs("case", "replay", path, "--catalogue", str(f), "--at", AT, "--no-plugins")
    assert out.returncode == EXIT_PROBLEMS, out.stderr
    assert f"{f}" in out.stderr and message in out.stderr, out.stderr
    assert "Traceback" not in out.stderr


def test_json_catalogue_refuses_duplicate_keys(tmp_path: Path) -> None:
    f = tmp_path / "cat.json"
    f.write_text('{"unit": [{"code": "U1", "code": "U2", "name": "x"}]}', encoding="utf-8")
    path = lines_file(tmp_path, GOOD)
    out = gs("case", "replay", path, "--catalogue", str(f), "--at", AT, "--no-plugins")
    assert out.returncode == EXIT_PROBLEMS, out.stderr
    assert "键'code'在同一个对象中出现了两次" in out.stderr


BAD_EVENTS = {
    "withdrawn at 9999-12-31": (
        {"case": "A", "type": "withdrawn", "at": "9999-12-31T00:00:00+08:00"},
        "'at' '9999-12-31T00:00:00+08:00'超出govservice计算的日期范围（1949-10-01至2199-12-31）",
    ),
    "submitted in 1900": (
        submitted(at="1900-01-01T09:00:00+08:00"),
        "超出govservice计算的日期范围",
    ),
    "empty case id": (submitted(case=""), "'case'为空"),
    "blank event id": (submitted(id="  "), "'id'为空"),
    "10,000-character id": (
        submitted(case="C" * 10_000),
        "'case'长10,000个字符（最多128个）",
    ),
    "NUL in an id": (submitted(id="e\x001"), "'id'含有控制字符'\\x00'"),
    "escape in a case id": (
        submitted(case="C2\x1b[2J"),
        "'case'含有控制字符'\\x1b'（第3个字符）",
    ),
    "newline in a matter": (submitted(matter="MR-001\n# x"), "'matter'含有控制字符"),
    "NUL in a name": (
        submitted(applicant={"name": "张\x00三", "kind": "person"}),
        "申请人字段'name'：含有控制字符",
    ),
    "a 2,000-character name": (
        submitted(applicant={"name": "张" * 2000, "kind": "person"}),
        "长2,000个字符（最多1,000个）",
    ),
    "a huge extension": (
        {"case": "A", "type": "extended", "at": AT, "working_days": 2**63 - 1, "approved_by": "x"},
        "'working_days'须为0到91,403之间的整数",
    ),
}


@pytest.mark.parametrize("attack", sorted(BAD_EVENTS))
def test_events_outside_the_bounds_are_refused(tmp_path: Path, attack: str) -> None:
    """Refused naming the line and the field; nothing is stored (DESIGN: events are evidence)."""
    event, message = BAD_EVENTS[attack]
    path = lines_file(tmp_path, GOOD, json.dumps(event, ensure_ascii=False))
    for line in refusals(tmp_path, path):
        assert line.startswith(f"govservice：错误：{path}：第2行"), line
        assert message in line, line
        assert "\x1b" not in line and "\x00" not in line and len(line) < 600


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("report", "--from", "0001-01-01", "--to", "9999-12-31"), "期间起始日0001-01-01"),
        (("report", "--from", "2026-01-01", "--to", "9999-12-31"), "期间截止日9999-12-31"),
        (("assess", "--month", "9999-12"), "期间起始日9999-12-01"),
    ],
)
def test_periods_outside_the_bounds_are_refused(
    tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    db = f"sqlite:///{tmp_path}/s.db"
    path = lines_file(tmp_path, GOOD)
    assert gs("store", "import", path, "--db", db, "--catalogue", CATALOGUE).returncode == 0
    out = gs(*args, "--db", db, "--no-plugins")
    assert out.returncode == 2, out.stderr
    assert f"{message}超出govservice计算的日期范围（1949-10-01至2199-12-31）" in out.stderr
    assert "Traceback" not in out.stderr and "内部错误" not in out.stderr


CATALOGUE_TEXT = Path(CATALOGUE).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("working_days = 20", "working_days = 9223372036854775807", "须为0到91,403之间的整数"),
        ("working_days = 20", "working_days = -1", "须为0到91,403之间的整数"),
    ],
)
def test_absurd_catalogue_limits_are_refused(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    assert old in CATALOGUE_TEXT
    f = tmp_path / "cat.toml"
    f.write_text(CATALOGUE_TEXT.replace(old, new, 1), encoding="utf-8")
    out = gs("case", "replay", lines_file(tmp_path, GOOD), "--catalogue", str(f), "--at", AT)
    assert out.returncode == EXIT_PROBLEMS, out.stderr
    assert str(f) in out.stderr and "'working_days'" in out.stderr and message in out.stderr


@pytest.mark.parametrize(
    ("servers", "message"),
    [
        ("0", "'servers' must be an integer from 1 to 10,000 (got 0)"),
        ("10001", "'servers' must be an integer from 1 to 10,000 (got 10001)"),
        ("2.5", "'servers' must be an integer from 1 to 10,000 (got 2.5)"),
    ],
)
def test_scenario_counters_are_bounded(tmp_path: Path, servers: str, message: str) -> None:
    """``servers = 0`` is refused, not silently made 1."""
    f = tmp_path / "hall.toml"
    f.write_text(
        'name = "t"\n[hall]\nstart = 2026-03-02\ndays = 3\n'
        f'[[station]]\nname = "窗口"\nservers = {servers}\nservice = {{ exponential = 6.0 }}\n'
        '[[class]]\nname = "walk-in"\nroute = "窗口"\nwalk_in = { per_day = 60 }\n',
        encoding="utf-8",
    )
    out = gs("simulate", str(f), "--no-plugins", "--lang", "en")
    assert out.returncode == EXIT_PROBLEMS, out.stderr
    assert f"{f}, station 1, field 'servers': {message}" in out.stderr


SMALL = str(Path(__file__).parent / "data" / "catalogue_small.toml")


def test_by_must_name_a_window_or_staff_member(tmp_path: Path) -> None:
    """An overdue case recorded ``by: W99`` is refused: it would escape the assessment."""
    path = lines_file(
        tmp_path,
        json.dumps(submitted(by="W01"), ensure_ascii=False),
        json.dumps({"case": "A", "type": "accepted", "at": AT, "by": "S001"}),
        json.dumps({"case": "A", "type": "decided", "at": AT, "by": "W99", "outcome": "approved"}),
    )
    db = f"sqlite:///{tmp_path}/s.db"
    for out in (
        gs("store", "import", path, "--db", db, "--catalogue", SMALL, "--no-plugins"),
        gs("case", "replay", path, "--catalogue", SMALL, "--at", AT, "--no-plugins"),
    ):
        assert out.returncode == EXIT_PROBLEMS, out.stderr
        assert path in out.stderr and "第3行，办件'A'" in out.stderr
        assert "字段'by'：'W99'不是" in out.stderr and "中的窗口或工作人员" in out.stderr
    assert not Path(f"{tmp_path}/s.db").exists()  # the failed import removed the store it made
    # with a window and a staff member of the catalogue, it is stored
    Path(path).write_text(Path(path).read_text(encoding="utf-8").replace("W99", "W02"))
    out = gs("store", "import", path, "--db", db, "--catalogue", SMALL, "--no-plugins")
    assert out.returncode == 0, out.stderr


def test_a_damaged_store_is_a_clear_error(tmp_path: Path) -> None:
    """A damaged database page: every command that reads the store says so, without a traceback."""
    events = [submitted(case=f"C{i:04d}") for i in range(2000)]
    path = lines_file(tmp_path, *(json.dumps(e, ensure_ascii=False) for e in events))
    db = tmp_path / "s.db"
    out = gs("store", "import", path, "--db", f"sqlite:///{db}", "--catalogue", CATALOGUE)
    assert out.returncode == 0, out.stderr
    with db.open("r+b") as f:  # garble every page but the first two: the schema survives
        f.seek(2 * 4096)
        f.write(b"\xde\xad\xbe\xef" * ((db.stat().st_size - 2 * 4096) // 4))
    for args in (
        ("store", "check"),
        ("store", "export"),
        ("report", "--from", "2026-09-01", "--to", "2026-09-30"),
        ("assess", "--month", "2026-09"),
    ):
        out = gs(*args, "--db", f"sqlite:///{db}", "--no-plugins")
        assert out.returncode == 2, (args, out.stderr)
        [line] = out.stderr.splitlines()
        assert line.startswith("govservice：错误：无法读取存储的SQLite文件："), line
        assert "请从备份恢复" in line


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("walk_in = { per_day = 60 }", "walk_in = { per_day = 1e12 }"), "上限为100,000"),
        (
            ("walk_in = { per_day = 60 }", "appointments = { slot_minutes = 1e-9 }"),
            "'slot_minutes'应至少为1分钟",
        ),
    ],
)
def test_scenarios_that_would_exhaust_the_machine_are_refused(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    f = tmp_path / "hall.toml"
    text = (
        'name = "t"\n[hall]\nstart = 2026-03-02\ndays = 3\n'
        '[[station]]\nname = "窗口"\nservice = { exponential = 6.0 }\n'
        '[[class]]\nname = "walk-in"\nroute = "窗口"\nwalk_in = { per_day = 60 }\n'
    )
    f.write_text(text.replace(*change), encoding="utf-8")
    out = gs("simulate", str(f), "--no-plugins")
    assert out.returncode == EXIT_PROBLEMS, out.stderr
    assert str(f) in out.stderr and message in out.stderr, out.stderr


def test_every_error_of_the_library_masks_numbers() -> None:
    """Any govservice error's message masks them: a complaint's phone, a record's number."""
    from govservice.exceptions import DataFileError, GovServiceError
    from govservice.supervision import RecordError

    errors: list[GovServiceError] = [
        RecordError(f"complaint 3, field 'text': 张三 {MOBILE} 身份证 {ID_NUMBER}"),
        DataFileError("records.toml", "complaint 3", "text", f"电话{MOBILE}", "too long"),
    ]
    for error in errors:
        assert MOBILE not in str(error) and ID_NUMBER not in str(error)
        assert "1381***5678" in str(error)


def test_every_character_an_id_refuses_is_one_python_calls_unprintable() -> None:
    """``text_problem`` passes text ``str.isprintable`` accepts without its search: sound for
    every code point the search refuses."""
    refused = [c for c in map(chr, range(0x110000)) if _UNPRINTABLE.match(c)]
    assert len(refused) > 2000 and not any(c.isprintable() for c in refused)
    assert text_problem("受理\u3000窗口") is None  # an ideographic space: not printable, allowed
    assert str(text_problem("C1\u202e")) == r"holds the control character '\u202e' (character 3)"


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner),
    max_leaves=6,
)


@given(
    _json_values.map(json.dumps) | st.text(max_size=20),
    st.sampled_from(["", " ", "\n", "x", '{"a": 1}', ', "a": 1}']),
    st.integers(0, 40),
)
def test_json_lines_are_read_as_the_decoder_reads_them(text: str, suffix: str, cut: int) -> None:
    """``loads_json`` scans the usual line at once: the same value or the same refusal."""
    from govservice._toml import JSONProblem, _decode, loads_json

    for candidate in (text, text + suffix, text[:cut], text.replace("}", ', "a": 0}', 1)):
        try:
            expected: object = _decode(candidate)
        except JSONProblem as e:
            expected = str(e)
        try:
            got: object = loads_json(candidate)
        except JSONProblem as e:
            got = str(e)
            if "lone surrogate" in got:
                continue  # refused after decoding, by both ways
        assert repr(got) == repr(expected)  # NaN too


_json_pieces = st.sampled_from(
    [
        "{",
        "}",
        "[",
        "]",
        '"',
        ",",
        ":",
        "\n",
        "\r",
        " ",
        "\t",
        "\\",
        '"a"',
        '"a":',
        "1",
        "1e5",
        "-",
        "null",
        "NaN",
        "{}",
        '{"a": 1',
        '{"a": 1, "a": 2}',  # a key twice
        '"\\ud800"',  # a lone surrogate
        '"\\udc00"',
        '"\\ud83d\\ude00"',  # a pair: one character
        '{"b": [1, {"c": 2}',
        '{"a": [{}',  # an array going on into the next line
        "{}]}",
        '{"a": "x',  # a string going on into the next line
        '{}"}',
        "{}, {}",  # two objects on a line
        '{"a": ' * 994 + "1" + "}" * 994,  # as deep as the decoder goes alone: one too deep in []
    ]
)
_json_lines = st.lists(
    st.one_of(
        _json_values.map(json.dumps),
        st.dictionaries(st.text(max_size=3), _json_values, max_size=3).map(json.dumps),
        st.lists(_json_pieces, max_size=6).map("".join),
        st.lists(_json_pieces, max_size=6).map(lambda pieces: "{" + "".join(pieces)),
        st.tuples(
            st.dictionaries(st.sampled_from("ab"), _json_values, max_size=2).map(json.dumps),
            st.lists(_json_pieces, max_size=2).map("".join),
        ).map("".join),
    ),
    max_size=8,
)


def _one_by_one(texts: list[str]) -> tuple[list[Any], Any]:
    from govservice._toml import JSONProblem, loads_json

    values = []
    for text in texts:
        try:
            values.append(loads_json(text))
        except JSONProblem as e:
            return values, e
    return values, None


@example(['{"a": [{}', "{}]}", "{}, {}"])  # one array over two lines, two objects on one
@example(['{"a": "x', '{}"}', "{}, {}"])  # one string over two lines, two objects on one
@given(_json_lines)
def test_lines_read_at_once_are_read_as_one_by_one(texts: list[str]) -> None:
    """``loads_json_lines`` scans runs of lines as one array: the same values, or the same
    refusal of the same first bad line (its reason, line and column), as ``loads_json``
    line by line — whatever the lines hold: fragments of JSON, brackets, quotes, newlines,
    keys given twice, surrogates, nesting as deep as the decoder goes."""
    from govservice._toml import loads_json_lines

    values, problem = loads_json_lines(texts)
    expected, expected_problem = _one_by_one(texts)
    assert repr(values) == repr(expected)  # NaN too, and True is not 1
    if expected_problem is None:
        assert problem is None
    else:
        assert problem is not None
        assert (str(problem), problem.line, problem.column) == (
            str(expected_problem),
            expected_problem.line,
            expected_problem.column,
        )


def test_lines_read_at_once_in_order_of_their_kinds() -> None:
    """Runs of objects between lines read alone (an array in them, a space before them)."""
    from govservice._toml import loads_json_lines

    texts = ['{"a": 1}', '{"b": [2]}', ' {"c": 3}', '{"d": 4}', '{"e": 5}', "[6]", '{"f": 7}']
    assert loads_json_lines(texts) == ([json.loads(t) for t in texts], None)
    values, problem = loads_json_lines(['{"a": 1}', '{"a": 1, "a": 2}', '{"b": 2}'])
    assert values == [{"a": 1}] and problem is not None and "appears twice" in str(problem)


_event_line = json.dumps(
    {"case": "C1", "type": "accepted", "at": "2026-09-24T09:45:00+08:00", "by": "W01"}
)
_file_lines = st.lists(
    st.one_of(
        st.just(_event_line),
        st.sampled_from(
            [
                "",
                "  ",
                "\t",
                "\x1c \u3000\u2028",  # blank too: str.strip leaves nothing
                _event_line.replace('"W01"', '"W\\u0000"'),  # an event refused
                _event_line.replace("}", ', "type": "x"}'),  # a key twice
                _event_line.replace("09:45:00+08:00", "09:45:00"),  # a naive time
                _event_line.replace('"by": "W01"', '"items": ["a"], "by": "W01"'),
                '{"case": "C1", "type": "correction_requested", "at": "2026-09-24T10:00:00+08:00",'
                ' "items": ["身份证明", "营业执照"]}',
                " " + _event_line,
                "{",
                "[]",
                '{"a": [{}',
                "{}]}",
                "x" * 121,  # longer than the limit set below
                "x" * 120,  # the limit itself
            ]
        ),
        _json_lines.map(" ".join),
    ),
    max_size=12,
)


def _read_one_by_one(path: Path, limit: int) -> list[Any]:
    """What read_jsonl yields, then its error: read a line at a time, the reference way."""
    from govservice._toml import JSONProblem, loads_json
    from govservice.cases import EventError, event_from_dict

    out: list[Any] = []
    try:
        with path.open(encoding="utf-8") as f:
            n = 0
            while text := f.readline(limit + 1):
                n += 1
                if len(text) > limit and not text.endswith("\n"):
                    raise EventError(None, None, f"longer than {limit:,} characters", line=n)
                if not text.strip():
                    continue
                try:
                    data = loads_json(text.rstrip("\r\n"))
                except JSONProblem as e:
                    reason = e.reason
                    if e.column is not None:
                        reason += f"{'' if reason.endswith(' at') else ' at'} column {e.column}"
                    raise EventError(None, None, f"not valid JSON: {reason}", line=n) from None
                out.append((n, event_from_dict(data, line=n)))
    except EventError as e:
        out.append(f"{path}: {e}")
    return out


@example([_event_line, "", "x" * 121, _event_line, _event_line], "\n", False, 1000)  # blank, long
@given(
    _file_lines,
    st.sampled_from(["\n", "\r\n", "\r"]),
    st.booleans(),
    st.integers(1, 40) | st.sampled_from([200, 1_000, 1 << 16]),
)
def test_json_lines_files_are_read_as_a_line_at_a_time(
    lines: list[str], end: str, last_end: bool, block: int
) -> None:
    """``read_jsonl`` reads a block at a time and parses runs of lines at once: it yields what
    reading and parsing a line at a time yields, then the same error for the same first bad
    line — whatever the lines, their ends, the block's size, a line over the limit."""
    import tempfile
    from unittest import mock

    from govservice.cases import EventError, events

    limit = 120
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "events.jsonl"
        text = end.join(lines) + (end if last_end and lines else "")
        path.write_text(text, encoding="utf-8", newline="")
        with (
            mock.patch.object(events, "MAX_LINE", limit),
            mock.patch.object(events, "_BLOCK", block),
        ):
            got: list[Any] = []
            try:
                got.extend(events.read_jsonl(path))
            except EventError as e:
                got.append(str(e))
        assert got == _read_one_by_one(path, limit)
