"""govservice.testing: the fixtures and strategies plugin authors use."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govservice import hookimpl
from govservice.calendars import OpeningHours
from govservice.cases import Case, Clock
from govservice.model import load_catalogue
from govservice.testing.strategies import case_histories

CATALOGUE = load_catalogue(Path(__file__).parent / "data" / "catalogue_clock.toml")


class Hours:
    __name__ = "hours-plugin"

    @hookimpl
    def opening_hours(self, center):
        return OpeningHours.seasonal(summer=[("08:00", "12:00")], winter=[("09:00", "12:00")])


def test_center_fixture(govservice_center) -> None:
    center = govservice_center(Hours())
    assert [p.name for p in center.plugins][-1] == "hours-plugin"
    assert str(center.opening_hours.sessions_on(date(2026, 7, 1))[0]) == "08:00–12:00"


def test_store_fixture(govservice_store) -> None:
    store = govservice_store(CATALOGUE)
    assert store.url.startswith("sqlite:///") and store.catalogue() is not None


def test_now_is_frozen(govservice_now) -> None:
    assert govservice_now.isoformat() == "2026-05-20T10:00:00+08:00"


@pytest.mark.govservice_now("2026-10-01T09:00:00+08:00")
def test_now_marker(govservice_now) -> None:
    assert govservice_now.month == 10


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_case_histories_are_valid(data: st.DataObject, cal) -> None:
    clock = Clock(CATALOGUE, cal)
    case = data.draw(case_histories(clock))
    assert isinstance(case, Case)
    assert clock.case(case.events) == case  # the history replays to the same case
