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
_SENTENCE = re.compile(r"[A-Za-z]+(?:[\s,;:()-]+[A-Za-z]+){2,}")
"""Three English words in a row: a sentence left untranslated."""


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
