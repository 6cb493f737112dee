"""govservice: model one-stop government service centres (政务服务中心).

Working-day calendars with China's official holidays, statutory and promised
time limits, fees, supervision records, 好差评 evaluations and the monthly
assessment of windows and staff, extensible by pluggy plugins.

.. versionadded:: 0.1
"""

from __future__ import annotations

from govservice.center import ServiceCenter
from govservice.exceptions import (
    CalendarDataMissing,
    CalendarError,
    DataFileError,
    GovServiceError,
    PluginError,
)
from govservice.hookspecs import hookimpl

__all__ = [
    "CalendarDataMissing",
    "CalendarError",
    "DataFileError",
    "GovServiceError",
    "PluginError",
    "ServiceCenter",
    "hookimpl",
]
