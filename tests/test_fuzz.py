"""Fuzzing the command line with random and mutated input: stored whole or refused, never a crash.

Hypothesis writes event files (valid histories, then mutated: fields dropped,
values swapped for hostile ones, lines cut, bytes garbled, keys doubled),
catalogues and scenario files, and feeds them to the real command line — its
``main()`` in-process for speed, and a few through a real subprocess.  For
every input:

* the command either does it whole or refuses it with govservice's own
  message naming the file and line (or record) — never a traceback, never an
  internal error;
* a refused import changes nothing in the store (its export is the same);
* an accepted one stores every event, and every stored history can still be
  reported and assessed.

The examples are bounded (40 a test) so the suite takes a minute or two; a deeper run:
``GOVSERVICE_FUZZ_EXAMPLES=2000 pytest tests/test_fuzz.py``.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import random
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from govservice.calendars import china
from govservice.cases import Clock, event_to_dict
from govservice.cli import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, main
from govservice.model import load_catalogue
from govservice.testing.strategies import case_histories

DATA = Path(__file__).parent / "data"
CATALOGUE = DATA / "catalogue_small.toml"
CLOCK = Clock(load_catalogue(CATALOGUE), china())
ACTORS = ["W01", "W02", "W09", "S001", "S002", "S003"]

FUZZ = settings(
    max_examples=int(os.environ.get("GOVSERVICE_FUZZ_EXAMPLES", "40")),
    deadline=None,
    derandomize=True,  # the same examples in every run: a failure in CI reproduces locally
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

HOSTILE: list[Any] = [
    None,
    True,
    0,
    -1,
    2**63,
    1.5,
    float("inf"),
    "",
    " ",
    "x" * 10_000,
    "C2\x1b[2J",
    "A\x00B",
    "\u202egnp.exe",
    "W99",
    "11010519491231002X",
    "9999-12-31T00:00:00+08:00",
    "0001-01-01T00:00:00+00:00",
    "2026-09-24T09:30:00",
    "2026-02-30T09:00:00+08:00",
    [],
    {},
    ["11010519491231002X"],
    {"name": "张三", "kind": "person", "id_number": "11010519491231002X"},
]
"""Values a mutation puts in a field: wrong types, out of bounds, control characters…"""


def run(*args: str) -> tuple[int, str, str]:
    """``govservice ARGS`` in-process: status, standard output, standard error."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main([*args, "--no-plugins"])
    return status, out.getvalue(), err.getvalue()


def assert_clean(status: int, err: str, allowed: tuple[int, ...]) -> None:
    """The command ended with one of *allowed*, and an error is one line of its own."""
    event(f"exit status {status}")
    assert status in allowed, err
    assert "Traceback" not in err and "内部错误" not in err, err
    if status != EXIT_OK:
        assert err.startswith("govservice：错误：") and err.count("\n") == 1, err


def exported(db: str, folder: Path) -> str:
    out = folder / "export.jsonl"
    status, _, err = run("store", "export", "--db", db, "--out", str(out))
    assert status == EXIT_OK, err
    return out.read_text(encoding="utf-8")


@st.composite
def histories(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Events of one to three valid cases, interleaved in time order, with actors."""
    events = []
    for n in range(draw(st.integers(1, 3))):
        case = draw(case_histories(CLOCK, case=f"P{n}"))
        for e in case.events:
            doc = event_to_dict(e)
            if draw(st.booleans()):
                doc["by"] = draw(st.sampled_from(ACTORS))
            events.append(doc)
    return sorted(events, key=lambda d: d["at"])


def mutate(rng: random.Random, lines: list[str], events: list[dict[str, Any]]) -> list[str]:
    """One mutation of the file: a field, a line's text, or its bytes."""
    i = rng.randrange(len(lines))
    kind = rng.choice(
        ["value", "drop", "add", "duplicate", "cut", "garble", "nest", "type", "digits"]
    )
    doc = dict(events[i])
    if kind == "value":
        doc[rng.choice(sorted(doc))] = rng.choice(HOSTILE)
    elif kind == "drop":
        del doc[rng.choice(sorted(doc))]
    elif kind == "add":
        doc[rng.choice(["extra", "by", "id", "applicant"])] = rng.choice(HOSTILE)
    elif kind == "type":
        doc["type"] = rng.choice(["submitted", "accepted", "decided", "nonsense", 7])
    lines = list(lines)
    try:
        text = json.dumps(doc, ensure_ascii=rng.random() < 0.5)
    except ValueError:  # a float JSON has no text for
        text = lines[i]
    if kind == "duplicate" and doc:
        key = rng.choice(sorted(doc))
        text = text[:-1] + f", {json.dumps(key)}: {json.dumps(rng.choice(HOSTILE[:6]))}}}"
    elif kind == "digits":
        text = text[:-1] + ', "level": ' + "9" * rng.choice([4300, 4301, 100_000]) + "}"
    elif kind == "cut":
        text = text[: rng.randrange(len(text))]
    elif kind == "garble":
        pos = rng.randrange(len(text))
        text = text[:pos] + rng.choice(["\udcff", '"', "{", "\\", "\x00", "\u2028"]) + text[pos:]
    elif kind == "nest":
        text = "[" * 5000 + text + "]" * 5000
    lines[i] = text
    return lines


def write_lines(path: Path, lines: list[str]) -> None:
    path.write_bytes(
        "".join(line + "\n" for line in lines).encode("utf-8", errors="surrogateescape")
    )


def report_and_assess(db: str, folder: Path) -> None:
    """Every stored history can be reported and assessed."""
    status, _, err = run(
        "report", "--db", db, "--from", "2026-01-01", "--to", "2026-12-31", "--format", "json",
        "--out", str(folder / "report.json"), "--provisional",
    )  # fmt: skip
    assert status == EXIT_OK, err
    status, _, err = run(
        "assess", "--db", db, "--month", "2026-10", "--format", "json",
        "--out", str(folder / "assess.json"), "--provisional",
    )  # fmt: skip
    assert status == EXIT_OK, err


@FUZZ
@given(histories(), st.randoms(use_true_random=False), st.integers(0, 3))
def test_event_files_are_stored_whole_or_refused(
    events: list[dict[str, Any]], rng: random.Random, mutations: int
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = f"sqlite:///{folder}/fuzz.db"
        base = folder / "base.jsonl"
        write_lines(base, [json.dumps(submitted_base(), ensure_ascii=False)])
        status, _, err = run(
            "store", "import", str(base), "--db", db, "--catalogue", str(CATALOGUE)
        )
        assert status == EXIT_OK, err
        before = exported(db, folder)

        lines = [json.dumps(e, ensure_ascii=False) for e in events]
        for _ in range(mutations):
            lines = mutate(rng, lines, events)
        path = folder / "events.jsonl"
        write_lines(path, lines)
        status, out, err = run("store", "import", str(path), "--db", db, "--format", "json")
        assert_clean(status, err, (EXIT_OK, EXIT_PROBLEMS))
        after = exported(db, folder)
        if status == EXIT_OK:
            result = json.loads(out)
            assert result["stored"] + result["skipped"] == sum(1 for x in lines if x.strip())
            assert len(after.splitlines()) == len(before.splitlines()) + result["stored"]
        else:
            assert f"{path}：第" in err and "行" in err, err
            assert after == before
        report_and_assess(db, folder)

        status, out, err = run(
            "case", "replay", str(path), "--catalogue", str(CATALOGUE),
            "--at", "2026-12-31T00:00:00+08:00", "--provisional",
        )  # fmt: skip
        assert_clean(status, err, (EXIT_OK, EXIT_PROBLEMS))
        assert "\x1b" not in out + err and "\x00" not in out + err


def submitted_base() -> dict[str, Any]:
    return {
        "case": "BASE",
        "type": "submitted",
        "at": "2026-03-02T09:00:00+08:00",
        "matter": "MR-001",
        "applicant": {"name": "张三", "kind": "person"},
        "by": "W01",
    }


CATALOGUE_TEXT = CATALOGUE.read_text(encoding="utf-8")


def mutate_toml(rng: random.Random, text: str) -> str:
    """One mutation of a TOML file: a value, a line, or its bytes."""
    lines = text.splitlines()
    i = rng.randrange(len(lines))
    line = lines[i]
    kind = rng.choice(["value", "number", "drop", "dup", "cut", "garble", "nest"])
    numbers = list(re.finditer(r"(?<![\w.-])\d+(?:\.\d+)?(?![\w.-])", text))
    if kind == "number" and numbers:
        n = rng.choice(numbers)
        value = rng.choice(["0", "-1", "1e12", "1e-300", "9223372036854775807", "0.5", "inf"])
        return text[: n.start()] + value + text[n.end() :]
    if kind == "value" and "=" in line:
        key = line.split("=", 1)[0]
        value = rng.choice(
            ['""', '" "', "0", "-1", "9223372036854775807", "9" * 4301, "1.5", "true", "[]",
             "{}", '"\\u001b[2J"', '"W99"', "9999-12-31", "0001-01-01", '"x"', "inf", "nan"]
        )  # fmt: skip
        lines[i] = f"{key}= {value}"
    elif kind == "drop":
        del lines[i]
    elif kind == "dup":
        lines.insert(i, line)
    elif kind == "cut":
        lines[i] = line[: rng.randrange(len(line) + 1)]
    elif kind == "garble":
        pos = rng.randrange(len(line) + 1)
        lines[i] = line[:pos] + rng.choice(["\udcff", '"', "[", "\\", "\x00", "="]) + line[pos:]
    else:
        lines.append("deep = " + "[" * 3000 + "]" * 3000)
    return "\n".join(lines) + "\n"


def write_mutated_toml(rng: random.Random, text: str, mutations: int, path: Path) -> None:
    """Write *text* to *path* after *mutations* of :func:`mutate_toml` (any bytes it made)."""
    for _ in range(mutations):
        text = mutate_toml(rng, text)
    path.write_bytes(text.encode("utf-8", errors="surrogateescape"))


@FUZZ
@given(st.randoms(use_true_random=False), st.integers(1, 3))
def test_catalogues_are_taken_whole_or_refused(rng: random.Random, mutations: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cat = folder / "catalogue.toml"
        write_mutated_toml(rng, CATALOGUE_TEXT, mutations, cat)
        events = folder / "events.jsonl"
        write_lines(events, [json.dumps(submitted_base(), ensure_ascii=False)])
        db = f"sqlite:///{folder}/fuzz.db"
        status, _, err = run("store", "import", str(events), "--db", db, "--catalogue", str(cat))
        assert_clean(status, err, (EXIT_OK, EXIT_PROBLEMS))
        if status == EXIT_PROBLEMS:
            assert str(events) in err or str(cat) in err, err
        else:
            report_and_assess(db, folder)


SCENARIO = """\
name = "two windows"
[hall]
start = 2026-03-02
days = 2
[[station]]
name = "窗口"
servers = 2
service = { exponential = 6.0 }
[[class]]
name = "walk-in"
route = "窗口"
walk_in = { per_day = 40 }
"""


@FUZZ
@given(st.randoms(use_true_random=False), st.integers(1, 3))
def test_scenarios_run_or_are_refused(rng: random.Random, mutations: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "hall.toml"
        write_mutated_toml(rng, SCENARIO, mutations, path)
        status, out, err = run("simulate", str(path), "--format", "json")
        assert_clean(status, err, (EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE))
        if status == EXIT_OK:
            assert json.loads(out)
        else:
            assert str(path) in err, err


@settings(FUZZ, max_examples=4)
@given(histories(), st.randoms(use_true_random=False))
def test_a_real_process_refuses_cleanly(events: list[dict[str, Any]], rng: random.Random) -> None:
    """The same through ``python -m govservice``: one line on standard error, never a traceback."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "events.jsonl"
        write_lines(path, mutate(rng, [json.dumps(e) for e in events], events))
        out = subprocess.run(
            [sys.executable, "-m", "govservice", "case", "replay", str(path), "--catalogue",
             str(CATALOGUE), "--at", "2026-12-31T00:00:00+08:00", "--no-plugins",
             "--provisional"],
            capture_output=True, text=True, check=False, timeout=120,
        )  # fmt: skip
        assert out.returncode in (EXIT_OK, EXIT_PROBLEMS), out.stderr
        assert "Traceback" not in out.stderr and "内部错误" not in out.stderr
        if out.returncode:
            assert out.stderr.startswith(f"govservice：错误：{path}"), out.stderr


pytestmark = pytest.mark.filterwarnings("ignore::hypothesis.errors.NonInteractiveExampleWarning")
