"""The attrs validators of the simulation's classes.

Each raises :class:`~govservice.sim.ScenarioError` naming the field and the
value, so the scenario loader can name them in a file's terms.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date
from typing import Any

import attrs

from govservice.exceptions import located
from govservice.sim.errors import ScenarioError
from govservice.text import N_, Message

Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]


def _fail(attribute: attrs.Attribute[Any], value: Any, what: str | Message) -> ScenarioError:
    reason = Message(
        N_("'%(name)s' must be %(what)s"),
        {"name": attribute.name, "what": Message(what) if isinstance(what, str) else what},
    )
    return ScenarioError(
        located([], reason, value), field=attribute.name, value=value, reason=reason
    )


def _number(value: Any) -> bool:
    return not isinstance(value, bool) and isinstance(value, int | float) and math.isfinite(value)


def positive(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """A finite number above zero."""
    if not (_number(value) and value > 0):
        raise _fail(attribute, value, N_("a positive number"))


def non_negative(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """A finite number, zero or above."""
    if not (_number(value) and value >= 0):
        raise _fail(attribute, value, N_("a non-negative number"))


def probability(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """A number in [0, 1]."""
    if not (_number(value) and 0 <= value <= 1):
        raise _fail(attribute, value, N_("a probability in [0, 1]"))


def non_empty(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """A non-empty string."""
    if not isinstance(value, str) or not value:
        raise _fail(attribute, value, N_("a non-empty string"))


def day(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """A date (not a datetime)."""
    if type(value) is not date:
        raise _fail(attribute, value, N_("a date"))


MAX_COUNT = 10_000
"""The most of anything a scenario counts (counters, staff, days, places in a queue)."""
MAX_ARRIVALS = 100_000
"""The most arrivals a scenario expects in a day, surge and weekday factors included."""
MAX_CUSTOMERS = 10_000_000
"""The most customers a run in continuous time (``customers``, ``horizon`` × rates) brings."""


def is_count(value: Any, low: int = 0, high: int = MAX_COUNT) -> bool:
    """Whether *value* is an integer (not a bool) from *low* to *high*."""
    return not isinstance(value, bool) and isinstance(value, int) and low <= value <= high


def integer_from(low: int, high: int = MAX_COUNT) -> Validator:
    """An integer (not a bool) from *low* to *high* (:data:`MAX_COUNT` unless given)."""
    what = Message(
        N_("an integer from %(low)s to %(high)s"), {"low": f"{low:,}", "high": f"{high:,}"}
    )

    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not is_count(value, low, high):
            raise _fail(attribute, value, what)

    return check


def optional(validator: Validator) -> Validator:
    """*validator*, or ``None``."""

    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is not None:
            validator(instance, attribute, value)

    return check
