"""The hooks a govservice plugin can implement.

A plugin is any module or object with functions marked ``@hookimpl`` whose
names are hooks below.  ``register_*`` hooks collect results from every plugin;
hooks documented with "Stops at the first non-None result" are *decide* hooks:
the first plugin to answer wins, and the built-in defaults are registered
``trylast`` so that any county plugin answers first.

See :doc:`/plugin_hooks` for every hook with an example.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from govservice.calendars import CalendarAdjustment, HolidayYear, OpeningHours
    from govservice.center import ServiceCenter

__all__ = ["hookimpl", "hookspec"]

hookspec = pluggy.HookspecMarker("govservice")
"""Marker for hook specifications (used by govservice itself)."""

hookimpl = pluggy.HookimplMarker("govservice")
"""Marker for hook implementations; decorate a plugin's functions with it."""


# ---- Calendar hooks ---------------------------------------------------------


@hookspec
def register_calendar_years(center: ServiceCenter) -> Iterable[HolidayYear] | None:
    """Add official year data to the centre's calendar, e.g. a newly announced year.

    Called once, when the centre first builds its calendar.  Years a plugin
    gives replace the built-in data of the same year; years must stay
    contiguous with the built-in coverage.

    Args:
        center: the centre being configured.

    Returns:
        Year records, typically from :func:`govservice.calendars.load_years`.

    .. versionadded:: 0.1

    """


@hookspec
def register_calendar_adjustments(center: ServiceCenter) -> Iterable[CalendarAdjustment] | None:
    """Add local closures and extra working days over the national calendar.

    Called once, when the centre first builds its calendar.  Adjustments from
    all plugins are applied in plugin call order, so for the same day a plugin
    called later wins (the defaults are called last and add none).

    Args:
        center: the centre being configured.

    Returns:
        :class:`~govservice.calendars.CalendarAdjustment` records, e.g. from
        :func:`govservice.calendars.load_adjustments`.

    .. versionadded:: 0.1

    """


@hookspec(firstresult=True)
def opening_hours(center: ServiceCenter) -> OpeningHours | None:
    """Decide the centre's opening hours (sessions of a working day, by season).

    Stops at the first non-None result.  The built-in default opens
    09:00–12:00 and 13:30–17:30 on every working day.

    Args:
        center: the centre being configured.

    Returns:
        :class:`~govservice.calendars.OpeningHours`, or ``None`` to leave the
        decision to the next plugin.

    .. versionadded:: 0.1

    """
