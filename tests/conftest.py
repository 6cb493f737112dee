from __future__ import annotations

import os

import pytest

from govservice.calendars import WorkingDayCalendar, china

# Installed county plugins must never leak into the core's tests.
os.environ.setdefault("GOVSERVICE_LOAD_PLUGINS", "")


@pytest.fixture(scope="session")
def cal() -> WorkingDayCalendar:
    """The national calendar from the built-in data."""
    return china()
