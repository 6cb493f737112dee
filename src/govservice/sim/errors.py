"""The simulator's error."""

from __future__ import annotations

from govservice.exceptions import GovServiceError

__all__ = ["ScenarioError"]


class ScenarioError(GovServiceError, ValueError):
    """A scenario is inconsistent, or a distribution sampled invalid times.

    .. versionadded:: 0.1
    """
