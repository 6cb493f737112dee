"""The model of a service centre: units, windows, staff, matters and time-limit rules.

Layer 2 of the design: everything here is an immutable value, and nothing
here knows about cases or clocks.  A catalogue file (TOML or JSON) loads into
a :class:`Catalogue`; the time-limit rules of the law live in a
:class:`RuleBook`, the built-in one being ``BUILTIN_RULES``.

Example:
    >>> from datetime import date
    >>> from govservice.model import BUILTIN_RULES
    >>> rule = BUILTIN_RULES.resolve("alicensing.decision", date(2026, 3, 2))
    >>> rule.citation, rule.limit.amount, rule.max_extension
    ('行政许可法 (2019年修正) Art. 42', 20, 10)

.. versionadded:: 0.1

"""

from __future__ import annotations

from govservice.model.builtin import BUILTIN_RULES, LICENSING_NOT_COUNTED
from govservice.model.catalogue import (
    Catalogue,
    catalogue_from_document,
    catalogue_to_document,
    load_catalogue,
)
from govservice.model.errors import ModelError, UnknownCode
from govservice.model.matters import Bundle, HandlingKind, Matter, Staff, Unit, Window
from govservice.model.rules import (
    COMPANION_CLOCKS,
    COUNTS_FROM,
    DEEMED_ACCEPTANCE,
    HOURS_PER_WORKING_DAY,
    LimitUnit,
    RuleBook,
    TimeLimit,
    TimeLimitRule,
)

__all__ = [
    "BUILTIN_RULES",
    "COMPANION_CLOCKS",
    "COUNTS_FROM",
    "DEEMED_ACCEPTANCE",
    "HOURS_PER_WORKING_DAY",
    "LICENSING_NOT_COUNTED",
    "Bundle",
    "Catalogue",
    "HandlingKind",
    "LimitUnit",
    "Matter",
    "ModelError",
    "RuleBook",
    "Staff",
    "TimeLimit",
    "TimeLimitRule",
    "Unit",
    "UnknownCode",
    "Window",
    "catalogue_from_document",
    "catalogue_to_document",
    "load_catalogue",
]
