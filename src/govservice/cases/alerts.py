"""Electronic supervision (电子监察): alert levels and the policy that sets them.

LAW.md, "Practice in service halls": a reminder one working day before the
promised limit, a yellow card as it nears, a red card when it is overdue.
Thresholds differ by locality, so the policy is an object a county replaces
through the :ref:`alert_policy <plugin-hook-alert-policy>` hook.
"""

from __future__ import annotations

import enum

import attrs
import numpy as np
import numpy.typing as npt

__all__ = ["Alert", "AlertPolicy"]


class Alert(enum.Enum):
    """An alert level, in increasing order of gravity.

    .. versionadded:: 0.1
    """

    NONE = "none"
    REMINDER = "reminder"
    YELLOW = "yellow"
    RED = "red"

    @property
    def code(self) -> int:
        """The order of gravity, 0 (none) to 3 (red), used in batch arrays."""
        return _CODES[self]


_CODES = {Alert.NONE: 0, Alert.REMINDER: 1, Alert.YELLOW: 2, Alert.RED: 3}
ALERTS_BY_CODE = (Alert.NONE, Alert.REMINDER, Alert.YELLOW, Alert.RED)


@attrs.frozen
class AlertPolicy:
    """Turns the working days left before a deadline into an alert level.

    *remaining* is the number of working days from the instant's date to the
    deadline the alert watches (the promised one, or the statutory one where
    there is none): 0 on the deadline's own day, negative once past it.

    The default: remaining >= 2 none, 1 reminder, 0 yellow, past it red; past
    the statutory deadline always red.

    Args:
        reminder_days: at most this many days left raises a reminder.
        yellow_days: at most this many days left raises a yellow card.

    Subclass and override :meth:`level` and :meth:`levels` for a rule that is
    not a pair of thresholds.

    .. versionadded:: 0.1
    """

    reminder_days: int = 1
    yellow_days: int = 0

    def level(self, remaining: int, past_statutory: bool) -> Alert:
        """The alert for one case."""
        if past_statutory or remaining < 0:
            return Alert.RED
        if remaining <= self.yellow_days:
            return Alert.YELLOW
        if remaining <= self.reminder_days:
            return Alert.REMINDER
        return Alert.NONE

    def levels(
        self, remaining: npt.NDArray[np.int64], past_statutory: npt.NDArray[np.bool_]
    ) -> npt.NDArray[np.int8]:
        """The alert codes (:attr:`Alert.code`) for many cases at once."""
        out = np.zeros(remaining.shape, dtype=np.int8)
        out[remaining <= self.reminder_days] = 1
        out[remaining <= self.yellow_days] = 2
        out[(remaining < 0) | past_statutory] = 3
        return out
