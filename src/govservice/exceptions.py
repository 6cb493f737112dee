"""The exceptions govservice raises.

Every error carries its data as attributes as well as in its message, so that a
program can react to it and a person can read it.  All of them derive from
:class:`GovServiceError`; each also derives from the builtin exception a caller
would expect (``ValueError`` for bad input, ``LookupError`` for missing data).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = [
    "CalendarDataMissing",
    "CalendarError",
    "ConcurrencyError",
    "DataFileError",
    "GovServiceError",
    "PluginError",
    "StoreError",
]


class GovServiceError(Exception):
    """Base class of every error raised by govservice.

    .. versionadded:: 0.1
    """


class CalendarError(GovServiceError, ValueError):
    """A calendar was asked something it cannot answer, e.g. a naive datetime.

    .. versionadded:: 0.1
    """


class CalendarDataMissing(GovServiceError, LookupError):
    """The calendar has no official data for a year the answer needs.

    Raised instead of a silent estimate.  Ask the calendar for a provisional
    answer (``china(provisional=True)``) to get an estimate that says it is one,
    or load the year's announced data with
    :meth:`~govservice.calendars.WorkingDayCalendar.with_years`.

    Attributes:
        year: the first year the answer needed and the calendar lacks.
        coverage: the first and last year the calendar has official data for.

    .. versionadded:: 0.1

    """

    def __init__(self, year: int, coverage: tuple[int, int]) -> None:
        self.year = year
        self.coverage = coverage
        super().__init__(
            f"no official working-day data for {year}: this calendar covers "
            f"{coverage[0]}–{coverage[1]}. Load the year's announced data "
            f"(WorkingDayCalendar.with_years) or ask for a provisional answer "
            f"(china(provisional=True))."
        )


class DataFileError(GovServiceError, ValueError):
    """A data file (calendar data, adjustments, catalogue) is malformed.

    The message names the file, the record, the field and the offending value.

    Attributes:
        path: the file (or a description of the source when not a file).
        record: which record in the file, e.g. ``"year 2026, holiday 3"``.
        field: the field name, or ``None`` when the record as a whole is wrong.
        value: the offending value.
        reason: what is wrong with it.

    .. versionadded:: 0.1

    """

    def __init__(
        self,
        path: str | Path,
        record: str | None,
        field: str | None,
        value: Any,
        reason: str,
    ) -> None:
        self.path = str(path)
        self.record = record
        self.field = field
        self.value = value
        self.reason = reason
        where = self.path
        if record:
            where += f", {record}"
        if field:
            where += f", field {field!r}"
        super().__init__(f"{where}: {reason} (got {value!r})")


class PluginError(GovServiceError):
    """A plugin failed: it raised, returned a malformed value, or could not load.

    Attributes:
        plugin: the name the plugin is registered under.
        hook: the hook being called, or ``None`` when loading failed.

    .. versionadded:: 0.1

    """

    def __init__(self, plugin: str, hook: str | None, reason: str) -> None:
        self.plugin = plugin
        self.hook = hook
        self.reason = reason
        where = f"plugin {plugin!r}"
        if hook:
            where += f", hook {hook!r}"
        super().__init__(f"{where}: {reason}")


class StoreError(GovServiceError):
    """A store cannot be opened or used: a bad URL, a file that is not a store.

    .. versionadded:: 0.1
    """


class ConcurrencyError(StoreError):
    """An append was based on a stale view of a case; nothing was written.

    Another writer appended to the case since the caller read it.  Read the
    case again, decide again, and retry.

    Attributes:
        case: the case id.
        expected: the version (number of events) the caller based its append on.
        actual: the version in the store.

    .. versionadded:: 0.1
    """

    def __init__(self, case: str, expected: int, actual: int) -> None:
        self.case, self.expected, self.actual = case, expected, actual
        super().__init__(
            f"case {case!r} has changed: the append expected version {expected}, "
            f"the store has {actual}; read the case again and retry"
        )
