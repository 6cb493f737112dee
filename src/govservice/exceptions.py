"""The exceptions govservice raises.

Every error carries its data as attributes as well as in its message, so that a
program can react to it and a person can read it.  All of them derive from
:class:`GovServiceError`; each also derives from the builtin exception a caller
would expect (``ValueError`` for bad input, ``LookupError`` for missing data).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from govservice.text import mask_personal

__all__ = [
    "CalendarDataMissing",
    "CalendarError",
    "CentreMismatch",
    "ConcurrencyError",
    "DataFileError",
    "GovServiceError",
    "PluginConflict",
    "PluginError",
    "StoreError",
    "chain_text",
]


class GovServiceError(Exception):
    """Base class of every error raised by govservice.

    Its message masks identity and mobile numbers
    (:func:`~govservice.text.mask_personal`): an applicant's number that
    reached a message — typed into the wrong field, given where an object was
    expected — is not shown whole in a log or on a screen.

    .. versionadded:: 0.1
    """

    def __str__(self) -> str:
        return mask_personal(super().__str__())


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
        year: the year asked about, or the first year a count ran into, that
            the calendar lacks.
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


class PluginConflict(PluginError):
    """Two plugins of one centre give the same answer slot, and nothing orders them.

    Raised when two plugins answer a single-answer hook (``opening_hours``,
    ``open_store`` for one URL …) and the centre's region chain does not put
    them at different levels, or when two plugins give an item with the same
    id to a collecting hook (a time-limit rule, a fee schedule, an assessment
    rule, a year's data).

    Attributes:
        plugins: the two plugins, in the order they were called.
        hook: the hook.

    .. versionadded:: 0.1
    """

    def __init__(self, plugins: tuple[str, str], hook: str, reason: str) -> None:
        self.plugins = plugins
        self.plugin, self.hook, self.reason = plugins[0], hook, reason
        GovServiceError.__init__(
            self, f"plugins {plugins[0]!r} and {plugins[1]!r}, hook {hook!r}: {reason}"
        )


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


class CentreMismatch(StoreError):
    """A store was opened by a centre whose region chain differs from the one it records.

    A store records the centre that created it (its name, region chain and
    catalogue fingerprint); counting its cases with other plugins would give
    other deadlines.  Open it with ``force=True`` (``--force``) to do so anyway.

    Attributes:
        url: the store's URL.
        recorded: the centre the store records (``name``, ``region``, ``catalogue``).
        current: the same of the centre opening it.

    .. versionadded:: 0.1
    """

    def __init__(self, url: str, recorded: dict[str, Any], current: dict[str, Any]) -> None:
        self.url, self.recorded, self.current = url, recorded, current

        def describe(c: dict[str, Any]) -> str:
            return f"{c.get('name')!s} (region chain: {chain_text(c.get('region') or [])})"

        super().__init__(
            f"{url} belongs to the centre {describe(recorded)}, recorded when the store was "
            f"created; this centre is {describe(current)}. Open it from the centre file that "
            "names the same region chain, or force it (--force, force=True) to count its cases "
            "with this chain"
        )


def chain_text(region: Any, language: str = "en") -> str:
    """A region chain as people read it: ``"gd_province → sz_city → (futian, futian_fees)"``.

    Args:
        region: the chain's levels, each a name or a list of names.
        language: ``"zh"`` or ``"en"``, for the empty chain (无——适用全国默认规则).

    .. versionadded:: 0.1
    """
    if not region:
        from govservice.i18n import translations

        return translations(language).gettext("none — the national defaults")
    levels = []
    for level in region:
        names = [level] if isinstance(level, str) else list(level)
        levels.append(names[0] if len(names) == 1 else f"({', '.join(names)})")
    return " → ".join(levels)
