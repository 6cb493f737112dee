from __future__ import annotations

import os

import pytest

from clock_cases import CATALOGUE, COUNTY_DAYS
from govservice.calendars import WorkingDayCalendar, china
from govservice.cases import Clock
from govservice.model import load_catalogue

# Installed county plugins must never leak into the core's tests.
os.environ.setdefault("GOVSERVICE_LOAD_PLUGINS", "")


@pytest.fixture(scope="session")
def cal() -> WorkingDayCalendar:
    """The national calendar from the built-in data."""
    return china()


@pytest.fixture(scope="module")
def clock(cal: WorkingDayCalendar) -> Clock:
    """The clock of the clock tests' catalogue on the national calendar."""
    return Clock(load_catalogue(CATALOGUE), cal)


@pytest.fixture(scope="module")
def county_clock(cal: WorkingDayCalendar) -> Clock:
    """The same catalogue on a county's calendar: hall days and a lawful local rest day."""
    return Clock(load_catalogue(CATALOGUE), cal.with_adjustments(COUNTY_DAYS))


@pytest.fixture(scope="module")
def provisional(clock: Clock) -> Clock:
    """The clock catalogue on a provisional calendar, for properties whose deadlines reach 2027."""
    return Clock(clock.catalogue, china(provisional=True))
