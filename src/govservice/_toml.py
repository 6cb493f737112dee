"""Reading TOML (and JSON) data files record by record, with errors that say where.

Private helpers shared by the calendar data files and the catalogue loader.
Every problem is a :class:`~govservice.exceptions.DataFileError` naming the
file, the record, the field and the offending value.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from govservice.exceptions import DataFileError

__all__ = ["Reader", "kind_name", "read_document", "read_toml"]


def read_toml(source: Path | str) -> dict[str, Any]:
    """Parse a TOML file; a missing, non-UTF-8 or malformed file is a DataFileError."""
    path = Path(source)
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except FileNotFoundError:
        raise DataFileError(path, None, None, str(path), "no such file") from None
    except tomllib.TOMLDecodeError as e:
        raise DataFileError(path, None, None, path.name, f"not valid TOML: {e}") from None
    except UnicodeDecodeError as e:
        raise DataFileError(path, None, None, path.name, f"not UTF-8 text: {e}") from None


def read_document(source: Path | str) -> dict[str, Any]:
    """Parse a data file: JSON if its name ends in ``.json``, TOML otherwise."""
    path = Path(source)
    if path.suffix.lower() != ".json":
        return read_toml(path)
    try:
        with path.open(encoding="utf-8") as f:
            doc = json.load(f)
    except FileNotFoundError:
        raise DataFileError(path, None, None, str(path), "no such file") from None
    except json.JSONDecodeError as e:
        raise DataFileError(path, None, None, path.name, f"not valid JSON: {e}") from None
    except UnicodeDecodeError as e:
        raise DataFileError(path, None, None, path.name, f"not UTF-8 text: {e}") from None
    if not isinstance(doc, dict):
        raise DataFileError(path, "top level", None, doc, "expected a JSON object")
    return doc


class Reader:
    """Typed access to one TOML record, with errors that say where."""

    def __init__(self, path: Path | str, record: str, table: Any, allowed: Iterable[str]) -> None:
        self.path, self.record = path, record
        if not isinstance(table, dict):
            raise DataFileError(path, record, None, table, "expected a table")
        unknown = set(table) - set(allowed)
        if unknown:
            key = sorted(unknown)[0]
            raise DataFileError(
                path,
                record,
                key,
                table[key],
                f"unknown field (known: {', '.join(sorted(allowed))})",
            )
        self.table: dict[str, Any] = table

    def fail(self, field: str | None, value: Any, reason: str) -> DataFileError:
        """The error for *field* of this record having *value*, for *reason*."""
        return DataFileError(self.path, self.record, field, value, reason)

    def get(self, field: str, kind: type | tuple[type, ...], *, required: bool = True) -> Any:
        """The value of *field*, checked to be of *kind*; ``None`` if absent and optional."""
        if field not in self.table:
            if required:
                raise self.fail(field, None, "missing")
            return None
        value = self.table[field]
        # bool is an int, and a TOML datetime is a date: refuse both where they sneak in
        if (isinstance(value, bool) and kind is int) or (
            type(value) is not date and kind is date and isinstance(value, date)
        ):
            raise self.fail(field, value, f"expected {kind_name(kind)}")
        if not isinstance(value, kind):
            raise self.fail(field, value, f"expected {kind_name(kind)}")
        return value

    def dates(self, field: str, *, required: bool = True) -> tuple[date, ...]:
        """A list of dates (unquoted TOML dates), sorted; ``()`` if absent and optional."""
        value = self.get(field, list, required=required)
        if value is None:
            return ()
        for item in value:
            if type(item) is not date:
                raise self.fail(field, item, "expected a list of dates (YYYY-MM-DD, unquoted)")
        return tuple(sorted(value))


def kind_name(kind: type | tuple[type, ...]) -> str:
    """How an error message names a type: ``"an integer"``, ``"a string or a table"``."""
    names = {
        str: "a string",
        int: "an integer",
        date: "a date",
        list: "a list",
        bool: "true/false",
        dict: "a table",
    }
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(names.get(k, k.__name__) for k in kinds)
