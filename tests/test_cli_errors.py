"""Errors on the command line speak the reader's language: Chinese by default, English on request.

Each class of error a user can meet — stores, lines of an import, data files — is driven
through the command line; the Chinese message must hold no English sentence besides the
values it names (files, codes, the offending value), and the English one must be the
library's own text.
"""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest

from command import gs
from govservice.cli import main
from govservice.storage.sqlite import APPLICATION_ID, SCHEMA_VERSION
from govservice.testing.store_conformance import history

CATALOGUE_FILE = str(Path(__file__).parent / "data" / "catalogue_clock.toml")

_WORD = r"[^\s'\"\u3000-\u9fff\uff00-\uffef]"
_VALUES = re.compile(
    rf"'[^']*'|\"[^\"]*\"|{_WORD}*[/\\._=@]{_WORD}*|--?[\w-]+|\b\w+\({_WORD}*\)"
    r"|\b[A-Z]+[-\d]*\w*\b"
)
"""What a message may show in English: quoted values, paths, URLs, flags, codes, calls."""
_SENTENCE = re.compile(r"[A-Za-z]+(?: [A-Za-z]+){2,}")
"""Three English words in a row, spaced: a sentence left untranslated (lists of codes are
separated by commas)."""


def english_left(message: str) -> list[str]:
    """The English sentences of *message* once the values it names are taken out."""
    return _SENTENCE.findall(_VALUES.sub(" ", message))


def test_english_left_finds_sentences() -> None:
    assert english_left("sqlite:///x.db：没有存储：x.db（实际为'no such thing here'）") == []
    assert english_left("第3行：the store has no catalogue") == ["the store has no catalogue"]


def errors(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, str]:
    """The error line of the command *argv* in each language (its status must be 1 or 2)."""
    said = {}
    for language in ("zh", "en"):
        status = main([*argv, "--lang", language])
        err = capsys.readouterr().err.strip().splitlines()[-1]
        assert status in (1, 2), err
        said[language] = err
    assert said["zh"].startswith("govservice：错误："), said
    assert said["en"].startswith("govservice: error: "), said
    assert not english_left(said["zh"]), said["zh"]
    return said


def write_jsonl(path: Path, records: list[object]) -> str:
    path.write_text(
        "".join(
            (r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in records
        ),
        encoding="utf-8",
    )
    return str(path)


# ---- stores -------------------------------------------------------------------------------


def _store_file(tmp_path: Path, kind: str) -> str:
    db = tmp_path / f"{kind}.db"
    if kind == "empty file":
        db.touch()
    elif kind in ("other database", "newer schema"):
        con = sqlite3.connect(db)
        con.execute("CREATE TABLE t (x)")
        if kind == "newer schema":
            con.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            con.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
        con.commit()
        con.close()
    elif kind == "garbage":
        db.write_bytes(b"x" * 4096)
    return f"sqlite:///{db}"


STORE_ERRORS = {
    "no store": ("missing", "没有存储：", "no store at "),
    "empty file": ("empty file", "是空文件，但不是govservice存储", "an empty file, but not"),
    "other database": ("other database", "是SQLite数据库，但不是", "a SQLite database, but not"),
    "newer schema": ("newer schema", "请升级govservice", "upgrade govservice"),
    "not a database": ("garbage", "不是govservice的SQLite存储", "not a govservice SQLite"),
    "no folder": ("no folder/x", "所在文件夹不存在", "its folder does not exist"),
}


@pytest.mark.parametrize("error", sorted(STORE_ERRORS))
def test_store_errors(capsys: pytest.CaptureFixture[str], tmp_path: Path, error: str) -> None:
    kind, zh, en = STORE_ERRORS[error]
    url = _store_file(tmp_path, kind)
    said = errors(capsys, "store", "check", "--db", url)
    assert zh in said["zh"] and en in said["en"]


@pytest.mark.parametrize(
    ("url", "zh"),
    [
        ("postgres-ish://x", "没有插件能打开'postgres-ish'存储"),
        ("sqlite:///x.db?cache=1", "中的选项'cache'无法识别"),
        ("sqlite:///x.db?synchronous=off", "中的synchronous须为full、normal或extra"),
    ],
)
def test_store_url_errors(capsys: pytest.CaptureFixture[str], url: str, zh: str) -> None:
    assert zh in errors(capsys, "store", "check", "--db", url)["zh"]


def test_no_catalogue_and_no_store_named(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    events = write_jsonl(tmp_path / "e.jsonl", history("A"))
    said = errors(capsys, "store", "import", events, "--db", f"sqlite:///{tmp_path}/new.db")
    assert "存储中没有用于校验事件的事项目录" in said["zh"]
    assert "the store has no catalogue" in said["en"]
    assert "没有指定存储" in errors(capsys, "store", "check")["zh"]


def test_a_catalogue_dropping_a_matter_in_use(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = f"sqlite:///{tmp_path}/hall.db"
    events = write_jsonl(tmp_path / "e.jsonl", history("A"))
    assert main(["store", "import", events, "--db", db, "--catalogue", CATALOGUE_FILE]) == 0
    smaller = tmp_path / "smaller.toml"
    text = Path(CATALOGUE_FILE).read_text(encoding="utf-8")
    smaller.write_text(text.replace('code = "MR-001"', 'code = "MR-009"'), encoding="utf-8")
    capsys.readouterr()
    said = errors(capsys, "store", "import", events, "--db", db, "--catalogue", str(smaller))
    assert "缺少1个已存储的1件办件所用的事项（'A'）" in said["zh"]


def test_in_a_real_process_too(tmp_path: Path) -> None:
    """The installed command, in a subprocess: Chinese by default, English with --lang en."""
    missing = f"sqlite:///{tmp_path}/missing.db"
    zh = gs("store", "check", "--db", missing)
    en = gs("store", "check", "--db", missing, "--lang", "en")
    assert zh.returncode == en.returncode == 2
    assert f"govservice：错误：没有存储：{tmp_path}/missing.db" in zh.stderr
    assert f"govservice: error: no store at {tmp_path}/missing.db" in en.stderr


# ---- lines of an import, and the clock's refusals ------------------------------------------

AT = "2026-09-24T09:30:00+08:00"
A1 = history("A")[0]


def _line(**changes: object) -> dict[str, object]:
    return {k: v for k, v in {**A1, **changes}.items() if v is not None}


LINE_ERRORS: dict[str, tuple[list[object], str]] = {
    "malformed JSON": (['{"case": "A", "type"'], "不是有效的JSON：此处应有冒号':'，位于第"),
    "unterminated string": (['{"case": "A'], "不是有效的JSON：字符串没有结束，起始于第10列"),
    "duplicate key": (['{"case": "A", "case": "B"}'], "键'case'在同一个对象中出现了两次"),
    "not an object": (["[1, 2]"], "应为JSON对象，实际为list"),
    "unknown type": ([_line(type="submited")], "未知的事件类型'submited'"),
    "unknown field": ([_line(colour="red")], "未知字段：colour"),
    "missing field": ([_line(matter=None)], "缺少必填字段（位置：$.matter）"),
    "wrong type": ([_line(matter=5)], "应为str，实际为int 5"),
    "bad time": ([_line(at="2026-13-01T09:00+08:00")], "不是ISO 8601日期时间"),
    "naive time": ([_line(at="2026-09-24T09:30:00")], "没有UTC时差"),
    "out of range": ([_line(at="9999-01-01T09:00:00+08:00")], "超出govservice计算的日期范围"),
    "empty id": ([_line(case="")], "'case'为空"),
    "control character": ([_line(id="e\x1b1")], "'id'含有控制字符'\\x1b'"),
    "bad identity number": (
        [_line(applicant={"name": "张三", "kind": "person", "id_number": "110105194912310021"})],
        "申请人字段'id_number'：校验码不符",
    ),
    "unknown matter": ([_line(matter="MR-999")], "事项'MR-999'不存在"),
    "unknown actor": ([_line(by="W99")], "字段'by'：'W99'不是"),
    "first event": ([{**history("A")[1]}], "办件须以'submitted'（收件）事件开始"),
    "out of order": (
        [A1, {**history("A")[1], "at": "2026-09-23T09:00:00+08:00"}],
        "早于前一事件",
    ),
    "not allowed in state": (
        [A1, {"case": "A", "type": "resumed", "at": AT}],
        "办件处于“已收件”状态时不允许'resumed'事件",
    ),
    "hearing held without request": (
        [*history("A", decided=False),
         {"case": "A", "type": "hearing_held", "at": "2026-09-25T09:00:00+08:00"}],
        "没有'hearing_requested'（申请听证）就有'hearing_held'",
    ),
    "extension beyond the maximum": (
        [
            *history("A", decided=False),
            {"case": "A", "type": "extended", "at": "2026-09-25T09:00:00+08:00",
             "working_days": 99, "approved_by": "局长"},
        ],
        "超过",
    ),
    "evaluated twice": (
        [
            *history("A"),
            {"case": "A", "type": "evaluated", "at": "2026-10-10T09:00:00+08:00", "level": 5},
            {"case": "A", "type": "evaluated", "at": "2026-10-11T09:00:00+08:00", "level": 4},
        ],
        "办件已评价过（一事一评）",
    ),
    "repeated id": ([A1, {**history("B")[0], "id": "A-1"}], "此事件编号已被另一个不同的事件使用"),
}  # fmt: skip


@pytest.mark.parametrize("error", sorted(LINE_ERRORS))
def test_import_line_errors(capsys: pytest.CaptureFixture[str], tmp_path: Path, error: str) -> None:
    """Each refusal names the file and the line, in Chinese; and in English with --lang en."""
    records, zh = LINE_ERRORS[error]
    events = write_jsonl(tmp_path / "events.jsonl", records)
    said = errors(
        capsys, "case", "replay", events, "--catalogue", CATALOGUE_FILE, "--at", AT, "--no-plugins"
    )
    assert events in said["zh"] and "第" in said["zh"] and zh in said["zh"], said["zh"]
    assert events in said["en"] and "line " in said["en"]


# ---- catalogues, centre files, scenarios, years files ----------------------------------------

CATALOGUE_ERRORS = {
    "unknown field": ('[[unit]]\ncode = "U"\nname = "x"\ncolor = 1\n', "未知字段（可用："),
    "wrong type": ('[[unit]]\ncode = 5\nname = "x"\n', "应为字符串"),
    "missing": ('[[unit]]\nname = "x"\n', "缺少此项"),
    "duplicate code": (
        '[[unit]]\ncode = "U"\nname = "x"\n[[unit]]\ncode = "U"\nname = "y"\n',
        "代码重复",
    ),
    "missing limit": (
        '[[unit]]\ncode = "U"\nname = "x"\n[[matter]]\ncode = "M"\nname = "m"\nunit = "V"\n'
        'category = "administrative_licensing"\nkind = "immediate"\n',
        "matter M，字段'statutory'：缺少此项",
    ),
}


@pytest.mark.parametrize("error", sorted(CATALOGUE_ERRORS))
def test_catalogue_errors(capsys: pytest.CaptureFixture[str], tmp_path: Path, error: str) -> None:
    text, zh = CATALOGUE_ERRORS[error]
    cat = tmp_path / "cat.toml"
    cat.write_text(text, encoding="utf-8")
    events = write_jsonl(tmp_path / "e.jsonl", history("A"))
    said = errors(capsys, "case", "replay", events, "--catalogue", str(cat), "--at", AT)
    assert str(cat) in said["zh"] and zh in said["zh"], said["zh"]


def test_centre_file_errors(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    centre = tmp_path / "govservice.toml"
    centre.write_text('[centre]\nname = "某中心"\ntimezone = "Mars/Base"\n', encoding="utf-8")
    said = errors(capsys, "calendar", "year", "2026")
    assert "字段'timezone'：没有这个IANA时区（实际为'Mars/Base'）" in said["zh"], said["zh"]


def test_scenario_errors(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    hall = tmp_path / "hall.toml"
    hall.write_text(
        'name = "t"\n[hall]\nstart = 2026-03-02\ndays = 3\n'
        '[[station]]\nname = "窗口"\nservers = 0\nservice = { exponential = 6.0 }\n'
        '[[class]]\nname = "walk-in"\nroute = "窗口"\nwalk_in = { per_day = 60 }\n',
        encoding="utf-8",
    )
    said = errors(capsys, "simulate", str(hall), "--no-plugins")
    assert said["zh"].endswith(
        f"{hall}，station 1，字段'servers'：'servers'须为1到10,000之间的整数（实际为0）"
    ), said["zh"]  # the value shown once
    assert said["en"].endswith("must be an integer from 1 to 10,000 (got 0)"), said["en"]


def test_a_scenario_value_is_shown_once_and_a_missing_field_without_one(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    hall = tmp_path / "hall.toml"
    text = (
        'name = "t"\n[hall]\nstart = 2026-03-02\ndays = 3\n'
        '[[station]]\nname = "窗口"\nservers = 2\nservice = { exponential = 6.0 }\n'
        "dedicated = { walk-in = 0 }\n"
        '[[class]]\nname = "walk-in"\nroute = "窗口"\nwalk_in = { per_day = 60 }\n'
    )
    hall.write_text(text, encoding="utf-8")
    said = errors(capsys, "simulate", str(hall), "--no-plugins")
    assert said["zh"].count("实际为0") == 1, said["zh"]
    assert said["en"].count("got 0") == 1, said["en"]
    hall.write_text(
        text.replace("walk-in = 0", "walk-in = 1").replace('name = "窗口"\n', ""), "utf-8"
    )
    said = errors(capsys, "simulate", str(hall), "--no-plugins")
    assert "字段'name'：缺少此项" in said["zh"] and "实际为" not in said["zh"], said["zh"]
    assert "field 'name': missing" in said["en"] and "got" not in said["en"], said["en"]


def test_years_file_errors(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    years = tmp_path / "years.toml"
    years.write_text("[[year]]\nyear = 2027\nholidays = 5\n", encoding="utf-8")
    said = errors(capsys, "calendar", "year", "2027", "--years", str(years))
    assert str(years) in said["zh"], said["zh"]
