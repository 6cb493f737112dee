"""Default clock behaviour: the built-in alert thresholds."""

from __future__ import annotations

from typing import TYPE_CHECKING

from govservice.cases import AlertPolicy
from govservice.hookspecs import hookimpl

if TYPE_CHECKING:
    from govservice.center import ServiceCenter


@hookimpl(trylast=True)
def alert_policy(center: ServiceCenter) -> AlertPolicy:
    """Reminder at 1 working day left, yellow on the last day, red past it."""
    return AlertPolicy()
