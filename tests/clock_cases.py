"""Cases written tersely for the clock's tests: the catalogue and events by type and date."""

from __future__ import annotations

from pathlib import Path
from typing import Any

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
