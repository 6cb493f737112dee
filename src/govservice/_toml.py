"""Reading TOML (and JSON) data files record by record, with errors that say where.

Private helpers shared by the calendar data files and the catalogue loader.
Every problem is a :class:`~govservice.exceptions.DataFileError` naming the
file, the record, the field and the offending value.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from govservice.exceptions import N_, DataFileError, Message, message_of

__all__ = [
    "JSONProblem",
    "Reader",
    "kind_name",
    "loads_json",
    "loads_json_lines",
    "not_utf8",
    "read_document",
    "read_toml",
]


JSON_MESSAGES = (
    N_("Expecting value"),
    N_("Expecting property name enclosed in double quotes"),
    N_("Expecting ':' delimiter"),
    N_("Expecting ',' delimiter"),
    N_("Unterminated string starting at"),
    N_("Invalid control character at"),
    N_("Invalid \\escape"),
    N_("Invalid \\uXXXX escape"),
    N_("Extra data"),
)
"""The messages of :mod:`json`'s decoder, marked for the catalog: shown translated."""


class JSONProblem(ValueError):
    """Text that :func:`loads_json` refuses; ``line`` and ``column`` say where, when known.

    ``reason`` is the English text; ``message`` the translatable message.
    """

    def __init__(
        self, reason: str | Message, line: int | None = None, column: int | None = None
    ) -> None:
        self.message = reason if isinstance(reason, Message) else Message(reason)
        self.reason, self.line, self.column = str(reason), line, column
        whole = self.message
        if line is not None:
            whole = Message(
                N_("%(reason)s (line %(line)s, column %(column)s)"),
                {"reason": self.message, "line": line, "column": column},
            )
        super().__init__(whole)


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        key = next(k for k, _ in pairs if k in seen or seen.add(k))  # type: ignore[func-returns-value]
        raise JSONProblem(
            Message(
                N_("the key %(key)r appears twice in one object (keys are unique)"), {"key": key}
            )
        )
    return obj


_DECODER = json.JSONDecoder(object_pairs_hook=_unique_keys)
_SCAN: Callable[[str, int], tuple[Any, int]] = _DECODER.scan_once  # type: ignore[attr-defined]
"""Scans one value at an index: ``(value, end)`` (what ``decode`` runs, less its checks)."""


def loads_json(text: str) -> Any:
    r"""Parse JSON strictly: duplicate keys and lone surrogates are refused, not kept.

    Every refusal is a :class:`JSONProblem` with a reason a person reads:
    where the syntax breaks (line and column), a key given twice, nesting too
    deep to read, a number of more than 4,300 digits, a ``\ud800`` escape
    that stands for no character.
    """
    try:  # the usual text, one value from its first character to its last: scanned at once
        doc, end = _SCAN(text, 0)
    except Exception:  # anything wrong: decoded again below, which names the problem
        end = -1
    if end != len(text):
        doc = _decode(text)
    if "\\ud" in text or "\\uD" in text:
        _no_lone_surrogates(doc)
    return doc


def loads_json_lines(texts: Sequence[str]) -> tuple[list[Any], JSONProblem | None]:
    r"""Parse each of *texts* with :func:`loads_json`, up to the first it refuses.

    Returns the values of the texts before the first one refused, and that
    one's problem (``None`` if none is refused): exactly what a loop calling
    :func:`loads_json` on each text gives.  Faster, for many small objects:
    each run of texts that begin with ``{`` and hold no ``[`` is scanned as
    one array, ``"[" + "\n,".join(run) + "]"``.  That gives the same values as
    scanning each alone when it gives one object per text: a string cannot
    span texts (the scanner refuses a raw newline in a string), an object
    cannot go on into the next text (after a comma it expects a key, and the
    next text begins with ``{``) and no array can (there is none but the
    outer one).  A run the array scan refuses, or reads as another count of
    values, is parsed text by text, which names the problem.
    """
    values: list[Any] = []
    run: list[str] = []
    for text in texts:
        if text[:1] == "{" and "[" not in text:
            run.append(text)
            continue
        problem = _loads_run(run, values) if run else None
        if problem is None:
            try:
                values.append(loads_json(text))
            except JSONProblem as e:
                problem = e
        if problem is not None:
            return values, problem
        run = []
    return values, _loads_run(run, values) if run else None


def _loads_run(run: list[str], values: list[Any]) -> JSONProblem | None:
    """Append the values of *run* to *values* (:func:`loads_json_lines`); the problem, if any."""
    text = "[" + "\n,".join(run) + "]"
    try:
        doc, end = _SCAN(text, 0)
        if end != len(text) or len(doc) != len(run):
            raise JSONProblem(N_("not one object per line"))
        if "\\ud" in text or "\\uD" in text:
            _no_lone_surrogates(doc)
    except Exception:  # any problem: found again text by text, which names it
        for item in run:
            try:
                values.append(loads_json(item))
            except JSONProblem as e:
                return e
        return None  # one level deeper in the array than alone: too deep there, not alone
    values += doc
    return None


def _decode(text: str) -> Any:
    """Parse JSON text with :mod:`json`'s decoder, its problems as :class:`JSONProblem`."""
    try:
        return _DECODER.decode(text)
    except json.JSONDecodeError as e:
        raise JSONProblem(e.msg, e.lineno, e.colno) from None
    except RecursionError:
        raise JSONProblem(N_("nested too deeply to read")) from None
    except JSONProblem:
        raise
    except ValueError as e:  # int() over its digit limit
        raise JSONProblem(
            Message(N_("a number too long to read (%(error)s)"), {"error": str(e).split(";")[0]})
        ) from None


def _no_lone_surrogates(doc: Any) -> None:
    """Refuse a string holding half of a surrogate pair: it names no character."""
    stack = [doc]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                raise JSONProblem(
                    Message(
                        N_(
                            "the string %(value)r holds a lone surrogate (a \\uD800–\\uDFFF "
                            "escape that is half of a pair): it is no character"
                        ),
                        {"value": item},
                    )
                ) from None
        elif isinstance(item, dict):
            stack.extend(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def not_utf8(path: Path | str, error: UnicodeDecodeError) -> DataFileError:
    """The error for a file that is not UTF-8 text, naming the line and the byte."""
    data = error.object
    line = data.count(b"\n", 0, error.start) + 1
    column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
    bad = bytes(data[error.start : error.end])
    return DataFileError(
        path,
        Message(N_("line %(line)s"), {"line": line}),
        None,
        bad,
        Message(
            N_("not UTF-8 text: byte %(column)s of the line (%(error)s)"),
            {"column": column, "error": error.reason},
        ),
    )


def read_toml(source: Path | str) -> dict[str, Any]:
    """Parse a TOML file; a missing, non-UTF-8 or malformed file is a DataFileError."""
    path = Path(source)
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except FileNotFoundError:
        raise DataFileError(path, None, None, str(path), N_("no such file")) from None
    except tomllib.TOMLDecodeError as e:
        reason = Message(N_("not valid TOML: %(error)s"), {"error": str(e)})
        raise DataFileError(path, None, None, path.name, reason) from None
    except UnicodeDecodeError as e:
        raise not_utf8(path, e) from None
    except RecursionError:
        reason = Message(
            N_("not valid TOML: %(error)s"), {"error": Message(N_("nested too deeply"))}
        )
        raise DataFileError(path, None, None, path.name, reason) from None
    except ValueError as e:  # int() over its digit limit
        too_long = Message(
            N_("a number too long to read (%(error)s)"), {"error": str(e).split(";")[0]}
        )
        reason = Message(N_("not valid TOML: %(error)s"), {"error": too_long})
        raise DataFileError(path, None, None, path.name, reason) from None


def read_document(source: Path | str) -> dict[str, Any]:
    """Parse a data file: JSON if its name ends in ``.json``, TOML otherwise."""
    path = Path(source)
    if path.suffix.lower() != ".json":
        return read_toml(path)
    try:
        with path.open("rb") as f:
            doc = loads_json(f.read().decode("utf-8"))
    except FileNotFoundError:
        raise DataFileError(path, None, None, str(path), N_("no such file")) from None
    except JSONProblem as e:
        reason = Message(N_("not valid JSON: %(reason)s"), {"reason": message_of(e)})
        raise DataFileError(path, None, None, path.name, reason) from None
    except UnicodeDecodeError as e:
        raise not_utf8(path, e) from None
    if not isinstance(doc, dict):
        raise DataFileError(path, N_("top level"), None, doc, N_("expected a JSON object"))
    return doc


class Reader:
    """Typed access to one TOML record, with errors that say where."""

    def __init__(
        self, path: Path | str, record: str | Message, table: Any, allowed: Iterable[str]
    ) -> None:
        self.path, self.record = path, record
        if not isinstance(table, dict):
            raise DataFileError(path, record, None, table, N_("expected a table"))
        unknown = set(table) - set(allowed)
        if unknown:
            key = sorted(unknown)[0]
            raise DataFileError(
                path,
                record,
                key,
                table[key],
                Message(
                    N_("unknown field (known: %(known)s)"), {"known": ", ".join(sorted(allowed))}
                ),
            )
        self.table: dict[str, Any] = table

    def fail(
        self, field: str | None, value: Any, reason: str | Message, *, shown: bool = False
    ) -> DataFileError:
        """The error for *field* of this record having *value*, for *reason*.

        *shown*: the reason shows the value (see :class:`~govservice.exceptions.DataFileError`).
        """
        return DataFileError(self.path, self.record, field, value, reason, shown=shown)

    def get(self, field: str, kind: type | tuple[type, ...], *, required: bool = True) -> Any:
        """The value of *field*, checked to be of *kind*; ``None`` if absent and optional."""
        if field not in self.table:
            if required:
                raise self.fail(field, None, N_("missing"), shown=True)
            return None
        value = self.table[field]
        # bool is an int, and a TOML datetime is a date: refuse both where they sneak in
        if (isinstance(value, bool) and kind is int) or (
            type(value) is not date and kind is date and isinstance(value, date)
        ):
            raise self.fail(field, value, _expected(kind))
        if not isinstance(value, kind):
            raise self.fail(field, value, _expected(kind))
        return value

    def dates(self, field: str, *, required: bool = True) -> tuple[date, ...]:
        """A list of dates (unquoted TOML dates), sorted; ``()`` if absent and optional."""
        value = self.get(field, list, required=required)
        if value is None:
            return ()
        for item in value:
            if type(item) is not date:
                raise self.fail(field, item, N_("expected a list of dates (YYYY-MM-DD, unquoted)"))
        return tuple(sorted(value))


_KIND_NAMES = {
    str: N_("a string"),
    int: N_("an integer"),
    date: N_("a date"),
    list: N_("a list"),
    bool: N_("true/false"),
    dict: N_("a table"),
}


def kind_name(kind: type | tuple[type, ...]) -> Message:
    """How an error message names a type: ``"an integer"``, ``"a string or a table"``."""
    kinds = kind if isinstance(kind, tuple) else (kind,)
    names = [Message(_KIND_NAMES.get(k, k.__name__)) for k in kinds]
    return Message.join(names, N_("%(first)s or %(rest)s"))


def _expected(kind: type | tuple[type, ...]) -> Message:
    """``expected an integer``: the reason a value of another type is refused."""
    return Message(N_("expected %(kind)s"), {"kind": kind_name(kind)})
