"""Default calendar behaviour: the national data alone, default opening hours."""

from __future__ import annotations

from typing import TYPE_CHECKING

from govservice.calendars import OpeningHours
from govservice.hookspecs import hookimpl

if TYPE_CHECKING:
    from govservice.center import ServiceCenter


@hookimpl(trylast=True)
def opening_hours(center: ServiceCenter) -> OpeningHours:
    """09:00–12:00 and 13:30–17:30 on every working day."""
    return OpeningHours.default()
