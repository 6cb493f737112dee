"""What a user's mistakes must not do to a store: destroy it, create one, lock it, split it.

Each test reproduces an attack on a real store file (and real processes where the
attack needs them): output written onto the store, a mistyped path given to a
command that only reads, a reader beside a writer, an import that fails half-way.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from command import gs, on_a_terminal
from govservice import ServiceCenter
from govservice.exceptions import StoreError
from govservice.storage import SQLiteStore
from govservice.storage.sqlite import MIGRATIONS
from govservice.testing.store_conformance import CATALOGUE, history

CATALOGUE_FILE = str(Path(__file__).parent / "data" / "catalogue_clock.toml")


def write_jsonl(path: Path, records: list[dict[str, object]]) -> str:
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )
    return str(path)


@pytest.fixture
def hall(tmp_path: Path) -> Path:
    """A store file with two cases, imported through the command line."""
    events = write_jsonl(tmp_path / "events.jsonl", [*history("A"), *history("B", day=25)])
    db = tmp_path / "hall.db"
    out = gs("store", "import", events, "--db", f"sqlite:///{db}", "--catalogue", CATALOGUE_FILE)
    assert out.returncode == 0, out.stderr
    return db


def intact(db: Path) -> bool:
    with SQLiteStore(f"sqlite:///{db}", readonly=True) as store:
        report = store.check()
    return report.ok and (report.cases, report.events) == (2, 6)


# ---- output onto the store (issue 14, item 2) -----------------------------------------


def _link(db: Path, kind: str) -> Path:
    if kind == "same path":
        return db
    if kind == "write-ahead log":
        return db.with_name(db.name + "-wal")
    link = db.with_name(f"{kind.replace(' ', '-')}.db")
    if kind == "symbolic link":
        link.symlink_to(db)
    else:
        os.link(db, link)
    return link


@pytest.mark.parametrize("kind", ["same path", "symbolic link", "hard link", "write-ahead log"])
@pytest.mark.parametrize(
    "command",
    [
        ("store", "export"),
        ("report", "--from", "2026-09-01", "--to", "2026-10-31"),
        ("assess", "--month", "2026-09"),
    ],
)
def test_output_onto_the_store_is_refused(hall: Path, command: tuple[str, ...], kind: str) -> None:
    """``--out`` naming the store (its path, a link, its log) is refused; nothing is lost."""
    out = _link(hall, kind)
    if not out.exists():  # the log, when the last writer checkpointed it away
        SQLiteStore(f"sqlite:///{hall}").close()
        out.touch()
    result = gs(*command, "--db", f"sqlite:///{hall}", "--out", str(out))
    assert result.returncode == 2, result.stderr
    assert f"--out {out}就是存储" in result.stderr
    assert intact(hall)


def test_output_beside_the_store_is_written(hall: Path) -> None:
    result = gs("store", "export", "--db", f"sqlite:///{hall}", "--out", str(hall) + ".jsonl")
    assert result.returncode == 0, result.stderr
    assert len(Path(str(hall) + ".jsonl").read_text().splitlines()) == 6


# ---- commands that read create nothing (item 3) ----------------------------------------

READERS = [
    ("store", "check"),
    ("store", "export"),
    ("report", "--from", "2026-09-01", "--to", "2026-10-31"),
    ("assess", "--month", "2026-09"),
]


@pytest.mark.parametrize("command", READERS)
def test_a_mistyped_path_creates_no_store(tmp_path: Path, command: tuple[str, ...]) -> None:
    typo = tmp_path / "hal.db"
    result = gs(*command, "--db", f"sqlite:///{typo}")
    assert result.returncode == 2
    assert f"没有存储：{typo}" in result.stderr and "ok" not in result.stdout
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", [*READERS, ("store", "import", "EVENTS")])
def test_an_empty_file_is_not_converted(tmp_path: Path, command: tuple[str, ...]) -> None:
    empty = tmp_path / "empty.db"
    empty.touch()
    events = write_jsonl(tmp_path / "e.jsonl", history("A"))
    args = [events if a == "EVENTS" else a for a in command]
    result = (
        gs(*args, "--db", f"sqlite:///{empty}", "--catalogue", CATALOGUE_FILE)
        if ("import" in command)
        else gs(*args, "--db", f"sqlite:///{empty}")
    )
    assert result.returncode == 2, result.stderr
    assert "empty.db：是空文件，但不是govservice存储" in result.stderr
    assert empty.stat().st_size == 0


def test_only_a_writer_creates_a_store(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/new.db"
    with pytest.raises(StoreError, match="no store at"):
        SQLiteStore(url, readonly=True)
    assert not (tmp_path / "new.db").exists()
    SQLiteStore(url).close()
    with SQLiteStore(url, readonly=True) as store:
        assert store.readonly and store.cases() == []


def test_a_read_only_store_refuses_writes(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/s.db"
    with SQLiteStore(url) as s:
        s.set_catalogue(CATALOGUE)
    with SQLiteStore(url, readonly=True) as s:
        for write in (
            lambda: s.append(history("A")),
            lambda: s.set_catalogue(CATALOGUE),
            lambda: s.put_records("inspection", []),
        ):
            with pytest.raises(StoreError, match="opened read-only"):
                write()
        assert s.cases() == []


def test_a_reader_does_not_record_its_centre(tmp_path: Path) -> None:
    """Opening read-only writes nothing, not even the centre; another chain is still refused."""
    url = f"sqlite:///{tmp_path}/s.db"
    SQLiteStore(url).close()
    before = (tmp_path / "s.db").read_bytes()
    centre = ServiceCenter(entrypoints=False)
    with centre.open_store(url, readonly=True) as store:
        assert store.centre_record() is None
    assert (tmp_path / "s.db").read_bytes() == before
    with centre.open_store(url) as store:  # a writer records it
        assert store.centre_record() is not None
    other = ServiceCenter(entrypoints=False, region=())
    other_chain = {"name": "x", "region": [["elsewhere"]], "catalogue": None}
    with SQLiteStore(url) as s:
        s.record_centre(other_chain)
    from govservice.exceptions import CentreMismatch

    with pytest.raises(CentreMismatch):
        other.open_store(url, readonly=True)


# ---- ids: one rule for case replay and store import (item 11) --------------------------


def test_replay_and_import_agree_on_repeated_events(tmp_path: Path) -> None:
    """An event repeated (with its id, or without one) counts once in both; a clash is refused."""
    events = history("A")
    no_ids = [{k: v for k, v in e.items() if k != "id"} for e in history("B", day=25)]
    twice = write_jsonl(tmp_path / "twice.jsonl", [*events, events[1], *no_ids, no_ids[1]])
    db = f"sqlite:///{tmp_path}/s.db"
    at = ("--at", "2026-10-20T12:00:00+08:00", "--catalogue", CATALOGUE_FILE)
    replay = gs("case", "replay", twice, *at)
    assert replay.returncode == 0, replay.stderr
    assert [json.loads(line)["state"] for line in replay.stdout.splitlines()] == ["decided"] * 2
    imported = gs("store", "import", twice, "--db", db, "--catalogue", CATALOGUE_FILE)
    assert imported.stdout.startswith("已存入6个事件，另有2个此前已存入而跳过"), imported.stderr
    for _ in range(2):  # importing again stores nothing
        again = gs("store", "import", twice, "--db", db)
        assert again.stdout.startswith("已存入0个事件，另有8个此前已存入而跳过"), again.stderr
    clash = write_jsonl(tmp_path / "clash.jsonl", [*events, {**events[1], "by": "W2"}])
    replay = gs("case", "replay", clash, *at)
    imported = gs("store", "import", clash, "--db", f"sqlite:///{tmp_path}/t.db",
                  "--catalogue", CATALOGUE_FILE)  # fmt: skip
    for out in (replay, imported):
        assert out.returncode == 1 and "第4行" in out.stderr
        assert "此事件编号已被另一个不同的事件使用" in out.stderr


def test_events_stored_without_ids_before_get_their_content_ids(tmp_path: Path) -> None:
    """A store written before content ids (schema 4) is upgraded: re-importing adds nothing."""
    from govservice.storage import content_id

    no_ids = [{k: v for k, v in e.items() if k != "id"} for e in history("A")]
    url = f"sqlite:///{tmp_path}/old.db"
    with SQLiteStore(url) as s:
        s.set_catalogue(CATALOGUE)
        s.append(no_ids)
        s._con.execute("UPDATE events SET id = NULL")  # as schema 4 stored them
        s._con.executescript(MIGRATIONS[2][0])  # the columns of schema 3, dropped by 7
        s._con.execute("ALTER TABLE cases DROP COLUMN packed")  # schema 7's
        s._con.execute("DROP TABLE actors")
        s._con.execute("PRAGMA user_version = 4")
    with SQLiteStore(url) as s:
        assert [i == content_id(b) for i, b in s._con.execute("SELECT id, body FROM events")] == [
            True
        ] * 3
        assert s.append(no_ids).skipped == 3


# ---- the catalogue an import brings (item 1) ------------------------------------------


def test_a_failed_import_keeps_the_stored_catalogue(hall: Path, tmp_path: Path) -> None:
    """A refused import with --catalogue changes nothing; a catalogue dropping a matter in use
    is refused naming the cases, and report and assess still work."""
    smaller = tmp_path / "smaller.toml"
    text = Path(CATALOGUE_FILE).read_text(encoding="utf-8")
    smaller.write_text(text.replace('code = "MR-001"', 'code = "MR-009"'), encoding="utf-8")
    bad = write_jsonl(tmp_path / "bad.jsonl", [{"case": "Z", "type": "nonsense"}])
    db = f"sqlite:///{hall}"
    with SQLiteStore(db, readonly=True) as store:
        before = store.catalogue()
    for events in (bad, write_jsonl(tmp_path / "ok.jsonl", history("C", day=28))):
        result = gs("store", "import", events, "--db", db, "--catalogue", str(smaller))
        assert result.returncode == 1, result.stderr
    assert "缺少1个已存储的2件办件所用的事项（'A', 'B'）" in result.stderr
    with SQLiteStore(db, readonly=True) as store:
        assert store.catalogue() == before
    assert intact(hall)
    report = gs("report", "--db", db, "--from", "2026-09-01", "--to", "2026-10-31")
    assert report.returncode == 0, report.stderr


FAILURES = {
    "a bad instant": (
        [{"id": "e1", "case": "C1", "type": "submitted", "at": "2026-13-01T09:00+08:00"}],
        (),
    ),
    "no catalogue": (history("A"), ()),
    "a malformed catalogue": (history("A"), ("--catalogue", "MALFORMED")),
    "a refused history": ([*history("A")[1:]], ("--catalogue", CATALOGUE_FILE)),
}


@pytest.mark.parametrize("failure", sorted(FAILURES))
def test_a_failed_import_leaves_no_store_it_created(tmp_path: Path, failure: str) -> None:
    """A store import that fails removes the store it created (file, log and shared memory);
    one that existed before is kept (test_a_failed_import_keeps_the_stored_catalogue)."""
    records, options = FAILURES[failure]
    malformed = tmp_path / "malformed.toml"
    malformed.write_text("[[matters]]\ncode = 1\n", encoding="utf-8")
    events = write_jsonl(tmp_path / "events.jsonl", records)
    args = [str(malformed) if o == "MALFORMED" else o for o in options]
    work = tmp_path / "work"
    work.mkdir()
    result = gs("store", "import", events, "--db", f"sqlite:///{work / 'x.db'}", *args)
    assert result.returncode in (1, 2) and "错误" in result.stderr, result.stderr
    assert list(work.iterdir()) == []


# ---- readers beside a writer (item 4) ---------------------------------------------------


def test_readers_read_while_another_process_imports(hall: Path, tmp_path: Path) -> None:
    """While one process is inside an import's transaction, export, check, report read the store."""
    import sqlite3
    import time

    fifo = tmp_path / "events.fifo"
    os.mkfifo(fifo)
    db = f"sqlite:///{hall}"
    writer = subprocess.Popen(
        [sys.executable, "-m", "govservice", "store", "import", str(fifo), "--db", db],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    with open(fifo, "w", encoding="utf-8") as feed:
        feed.write(json.dumps(history("C", day=28)[0], ensure_ascii=False) + "\n")
        feed.flush()
        probe = sqlite3.connect(hall, timeout=0)
        for _ in range(600):  # until the writer holds the write lock (its import has begun)
            try:
                probe.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as e:
                locked = str(e)
                break
            probe.execute("ROLLBACK")
            time.sleep(0.1)
        else:
            pytest.fail("the importing process never took the write lock")
        assert locked == "database is locked"
        probe.close()
        exported = gs("store", "export", "--db", db)
        assert exported.returncode == 0, exported.stderr
        assert len(exported.stdout.splitlines()) == 6  # what was committed before
        check = gs("store", "check", "--db", db)
        assert check.returncode == 0 and check.stdout.strip().endswith("：2件办件，6个事件，正常")
        report = gs("report", "--db", db, "--from", "2026-09-01", "--to", "2026-10-31")
        assert report.returncode == 0, report.stderr
        for line in history("C", day=28)[1:]:
            feed.write(json.dumps(line, ensure_ascii=False) + "\n")
    out, err = writer.communicate(timeout=120)
    assert writer.returncode == 0, err
    assert out.startswith("已存入3个事件")
    assert len(gs("store", "export", "--db", db).stdout.splitlines()) == 9


# ---- progress of long work (issue 17) -----------------------------------------------------


def test_import_and_check_show_progress_on_a_terminal_only(tmp_path: Path) -> None:
    events = write_jsonl(tmp_path / "e.jsonl", [*history("A"), *history("B", day=25)])
    db = f"sqlite:///{tmp_path}/s.db"
    gs_ = [sys.executable, "-m", "govservice"]
    imported = on_a_terminal([*gs_, "store", "import", events, "--db", db,
                              "--catalogue", CATALOGUE_FILE])  # fmt: skip
    assert b"0/6 [" in imported and b"lines/s" in imported
    checked = on_a_terminal([*gs_, "store", "check", "--db", db])
    assert b"0/2 [" in checked and b"cases/s" in checked
    for piped in (gs("store", "import", events, "--db", db), gs("store", "check", "--db", db)):
        assert piped.returncode == 0 and piped.stderr == ""
