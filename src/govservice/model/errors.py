"""The errors of the model layer.

Both derive from :class:`~govservice.exceptions.GovServiceError` and from the
builtin a caller expects: :class:`ModelError` is a ``ValueError`` (an invalid
object, an inconsistent catalogue, overlapping rule versions) and
:class:`UnknownCode` a ``KeyError`` (a lookup by code that finds nothing).
:func:`~govservice.model.load_catalogue` turns a :class:`ModelError` into a
:class:`~govservice.exceptions.DataFileError` naming the file.
"""

from __future__ import annotations

from typing import Any

from govservice.exceptions import GovServiceError, Message, field_named, located

__all__ = ["ModelError", "UnknownCode"]


class ModelError(GovServiceError, ValueError):
    """A model object, or a catalogue as a whole, is invalid.

    Attributes:
        record: the object at fault, e.g. ``"matter MR-001"``; ``None`` if unknown.
        field: the field at fault, or ``None`` for the object as a whole.
        value: the offending value.
        reason: what is wrong with it.

    .. versionadded:: 0.1

    """

    def __init__(
        self, record: str | Message | None, field: str | None, value: Any, reason: str | Message
    ) -> None:
        self.record, self.field, self.value, self.reason = record, field, value, reason
        where: list[Message | str] = [record] if record else []
        if field:
            where.append(field_named(field))
        super().__init__(located(where, reason, value))


class UnknownCode(GovServiceError, KeyError):
    """A lookup by code found nothing: an unknown matter, or a rule not in force.

    Attributes:
        kind: what was looked up: ``"matter"``, ``"rule"``, …
        code: the code asked for.
        reason: the full explanation (also the message).

    .. versionadded:: 0.1

    """

    def __init__(self, kind: str, code: str, reason: str | Message) -> None:
        self.kind, self.code, self.reason = kind, code, reason
        super().__init__(reason)

    def __str__(self) -> str:
        # KeyError quotes its argument; this message is meant to be read as is
        return str(self.reason)
