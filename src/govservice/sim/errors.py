"""The simulator's error."""

from __future__ import annotations

from typing import Any

from govservice.exceptions import GovServiceError, Message

__all__ = ["ScenarioError"]


class ScenarioError(GovServiceError, ValueError):
    """A scenario is inconsistent, or a distribution sampled invalid times.

    Attributes:
        field: the scenario field at fault, dotted (``"initial.queues"``), when
            the error is about one field; else ``None``.
        value: the offending value of that field.
        reason: what is wrong with *value*, without the value itself (a
            loader that names the field and value in its own terms shows
            this); else the message.

    .. versionadded:: 0.1
    """

    def __init__(
        self,
        message: str | Message,
        *,
        field: str | None = None,
        value: Any = None,
        reason: Message | None = None,
    ) -> None:
        super().__init__(message)
        self.field = field
        self.value = value
        self.reason = self.message if reason is None else reason
