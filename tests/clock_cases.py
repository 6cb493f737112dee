"""Cases written tersely for the clock's tests: the catalogue and events by type and date."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from govservice.calendars import CalendarAdjustment
from govservice.cases import event_from_dict
from govservice.cases.events import Event

CATALOGUE = Path(__file__).parent / "data" / "catalogue_clock.toml"
APPLICANT = {"name": "张三", "kind": "person"}


def ev(type_: str, at: str, case: str = "C1", **fields: Any) -> Event:
    """An event of *type_* at *at* (a bare date means 10:00 Beijing time)."""
    if len(at) == 10:
        at += "T10:00:00+08:00"
    return event_from_dict({"case": case, "type": type_, "at": at, **fields})


def sub(at: str, matter: str = "MR-001", case: str = "C1") -> Event:
    """The submission of *case* for *matter* at *at*."""
    return ev("submitted", at, case, matter=matter, applicant=APPLICANT)


def _hall(day: date, working: bool, name: str, promised: bool) -> CalendarAdjustment:
    return CalendarAdjustment(day, working, name, kind="hall_day", counts_for_promised=promised)


COUNTY_DAYS = (
    _hall(date(2026, 3, 7), True, "周末延时服务日", True),
    _hall(date(2026, 3, 14), True, "周末延时服务日（不计承诺时限）", False),
    _hall(date(2026, 4, 11), True, "周末延时服务日", True),
    _hall(date(2026, 5, 20), False, "系统升级闭厅", True),
    _hall(date(2026, 6, 13), True, "周末延时服务日", True),
    _hall(date(2019, 5, 11), True, "周末延时服务日", True),
    CalendarAdjustment(date(2026, 4, 22), False, "地方节日", kind="lawful_local_day"),
)
"""A county's local days over 2026 (and one in 2019): hall days of both sorts, a lawful rest day."""
