"""The exceptions govservice raises.

Every error carries its data as attributes as well as in its message, so that a
program can react to it and a person can read it.  All of them derive from
:class:`GovServiceError`; each also derives from the builtin exception a caller
would expect (``ValueError`` for bad input, ``LookupError`` for missing data).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Self

from govservice.text import N_ as N_
from govservice.text import Message as Message
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
    "field_named",
    "located",
    "message_of",
]


def message_of(error: BaseException) -> Message | str:
    """The message of *error*, translatable where it can be.

    A govservice error's ``message``, or the :class:`~govservice.text.Message`
    a builtin error was raised with; any other error gives its text, untranslated.

    .. versionadded:: 0.1
    """
    if isinstance(error, GovServiceError):
        return error.message
    if len(error.args) == 1 and isinstance(error.args[0], Message):
        return error.args[0]
    return str(error)


def _message(message: str | Message, values: Mapping[str, Any]) -> Message:
    return message if isinstance(message, Message) else Message(message, values)


NOT_GIVEN: Any = object()
"""No offending value to show (``located(..., value=NOT_GIVEN)``)."""


def located(
    where: Sequence[Message | str], reason: str | Message, value: Any = NOT_GIVEN
) -> Message:
    """The message of an error that names its place and value: ``WHERE: REASON (got VALUE)``.

    *where* are the parts naming the place (the file, the line, the record,
    ``field_named('start')``), shown separated by commas; none shows the reason alone.

    .. versionadded:: 0.1
    """
    message = _message(reason, {})
    if value is not NOT_GIVEN:
        message = Message(N_("%(reason)s (got %(value)r)"), {"reason": message, "value": value})
    if not where:
        return message
    return Message(N_("%(where)s: %(reason)s"), {"where": Message.join(where), "reason": message})


def field_named(name: str) -> Message:
    """``field 'name'``, a part of :func:`located`'s *where*."""
    return Message(N_("field %(field)r"), {"field": name})


class GovServiceError(Exception):
    """Base class of every error raised by govservice.

    Raised with an ``N_``-marked English template and its values
    (``StoreError(N_("no store at %(path)s"), path=path)``) or with a
    :class:`~govservice.text.Message`: ``message`` keeps both, so that the command line
    shows the error in its reader's language, while ``str(error)`` is the
    English text.

    Its text masks identity and mobile numbers
    (:func:`~govservice.text.mask_personal`): an applicant's number that
    reached a message — typed into the wrong field, given where an object was
    expected — is not shown whole in a log or on a screen.

    Attributes:
        message: the message, translatable (:func:`govservice.i18n.translate`).

    .. versionadded:: 0.1
    """

    message: Message

    def __init__(self, message: str | Message = "", /, **values: Any) -> None:
        self.message = _message(message, values)
        super().__init__(str(self.message))

    def __str__(self) -> str:
        return mask_personal(super().__str__())

    def within(self, where: str | Message) -> Self:
        """This error, its message preceded by *where* (the file it was found in): ``FILE: …``."""
        self.message = located([where], self.message)
        self.args = (str(self.message),)
        return self


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
            N_(
                "no official working-day data for %(year)s: this calendar covers "
                "%(first)s–%(last)s. Load the year's announced data "
                "(WorkingDayCalendar.with_years) or ask for a provisional answer "
                "(china(provisional=True))."
            ),
            year=year,
            first=coverage[0],
            last=coverage[1],
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

    With *shown*, the *reason* already shows the value (or there is none: a
    field missing), which the message then does not repeat.

    .. versionadded:: 0.1

    """

    def __init__(
        self,
        path: str | Path,
        record: str | Message | None,
        field: str | None,
        value: Any,
        reason: str | Message,
        *,
        shown: bool = False,
    ) -> None:
        self.path = str(path)
        self.record = record
        self.field = field
        self.value = value
        self.reason = reason
        where: list[Message | str] = [self.path, *([record] if record else [])]
        if field:
            where.append(field_named(field))
        super().__init__(located(where, reason, NOT_GIVEN if shown else value))


class PluginError(GovServiceError):
    """A plugin failed: it raised, returned a malformed value, or could not load.

    Attributes:
        plugin: the name the plugin is registered under.
        hook: the hook being called, or ``None`` when loading failed.

    .. versionadded:: 0.1

    """

    def __init__(self, plugin: str, hook: str | None, reason: str | Message) -> None:
        self.plugin = plugin
        self.hook = hook
        self.reason = reason
        where = [Message(N_("plugin %(plugin)r"), {"plugin": plugin})]
        if hook:
            where.append(Message(N_("hook %(hook)r"), {"hook": hook}))
        super().__init__(located(where, reason))


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

    def __init__(self, plugins: tuple[str, str], hook: str, reason: str | Message) -> None:
        self.plugins = plugins
        self.plugin, self.hook, self.reason = plugins[0], hook, reason
        where = Message(
            N_("plugins %(first)r and %(second)r, hook %(hook)r"),
            {"first": plugins[0], "second": plugins[1], "hook": hook},
        )
        GovServiceError.__init__(self, located([where], reason))


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
            N_(
                "case %(case)r has changed: the append expected version %(expected)s, "
                "the store has %(actual)s; read the case again and retry"
            ),
            case=case,
            expected=expected,
            actual=actual,
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

        def describe(c: dict[str, Any]) -> Message:
            return Message(
                N_("%(name)s (region chain: %(chain)s)"),
                {"name": str(c.get("name")), "chain": _chain(c.get("region") or [])},
            )

        super().__init__(
            N_(
                "%(url)s belongs to the centre %(recorded)s, recorded when the store was "
                "created; this centre is %(current)s. Open it from the centre file that "
                "names the same region chain, or force it (--force, force=True) to count its "
                "cases with this chain"
            ),
            url=url,
            recorded=describe(recorded),
            current=describe(current),
        )


def _chain(region: Any) -> Message | str:
    """A region chain, or the translatable words for none."""
    return chain_text(region) if region else Message(N_("none — the national defaults"))


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
