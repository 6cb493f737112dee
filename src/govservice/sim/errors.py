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

    .. versionadded:: 0.1
    """

    def __init__(
        self, message: str | Message, *, field: str | None = None, value: Any = None
    ) -> None:
        super().__init__(message)
        self.field = field
        self.value = value
