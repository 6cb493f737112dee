"""pytest fixtures for plugin authors (loaded automatically when govservice is installed).

* ``govservice_center`` — make a centre with only the plugin objects you pass;
* ``govservice_chain_center`` — make a centre from a region chain of installed plugins;
* ``govservice_store`` — make a temporary SQLite store (with a catalogue);
* ``govservice_now`` — a fixed, aware instant to pass wherever govservice takes ``at``.

Example::

    def test_my_hours(govservice_center):
        center = govservice_center(my_plugin)
        assert center.opening_hours == ...

.. versionadded:: 0.1
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from govservice.calendars import parse_instant
from govservice.center import ServiceCenter
from govservice.model import Catalogue
from govservice.storage import EventStore

__all__ = [
    "FROZEN_INSTANT",
    "govservice_center",
    "govservice_chain_center",
    "govservice_now",
    "govservice_store",
]

FROZEN_INSTANT = "2026-05-20T10:00:00+08:00"
"""The instant ``govservice_now`` is frozen at unless a test marks another."""


@pytest.fixture
def govservice_center() -> Callable[..., ServiceCenter]:
    """A factory: ``govservice_center(*plugins, **kwargs)`` → a centre with only those plugins.

    Installed plugins are not loaded (``entrypoints=False``); the built-in
    defaults are.  Keyword arguments go to :class:`~govservice.center.ServiceCenter`.
    """

    def make(*plugins: object, **kwargs: Any) -> ServiceCenter:
        return ServiceCenter(entrypoints=False, plugins=plugins, **kwargs)

    return make


@pytest.fixture
def govservice_chain_center() -> Callable[..., ServiceCenter]:
    """A factory: ``govservice_chain_center(*region, **kwargs)`` → a centre of that region chain.

    The chain names installed plugins by entry-point name, general to local
    (``"my_province", "my_city", "my_county"``; a list for plugins of one
    level), as a centre file's ``region`` does.  Only those plugins and the
    built-in defaults apply — whatever else is installed, regional or
    generic, is left out — so a plugin's tests pass in any environment.
    Keyword arguments go to :class:`~govservice.center.ServiceCenter`.
    """

    def make(*region: Any, **kwargs: Any) -> ServiceCenter:
        return ServiceCenter(region=region, entrypoints=False, **kwargs)

    return make


@pytest.fixture
def govservice_store(tmp_path: Path) -> Iterator[Callable[..., EventStore]]:
    """A factory: ``govservice_store(catalogue=None, center=None)`` → a new SQLite store.

    The store lives in the test's temporary folder and is closed afterwards;
    with a catalogue, events can be appended at once.
    """
    stores: list[EventStore] = []

    def make(catalogue: Catalogue | None = None, center: ServiceCenter | None = None) -> EventStore:
        center = center or ServiceCenter(entrypoints=False)
        store = center.open_store(f"sqlite:///{tmp_path}/store{len(stores)}.db")
        if catalogue is not None:
            store.set_catalogue(catalogue)
        stores.append(store)
        return store

    yield make
    for store in stores:
        store.close()


@pytest.fixture
def govservice_now(request: pytest.FixtureRequest) -> datetime:
    """A fixed aware instant (``@pytest.mark.govservice_now("…")`` to choose another).

    govservice's core never reads the wall clock: every reading takes its
    instant as an argument, so a test passes this one and gets the same
    answer on any day it runs.
    """
    marker = request.node.get_closest_marker("govservice_now")
    return parse_instant(marker.args[0] if marker else FROZEN_INSTANT)


def pytest_configure(config: pytest.Config) -> None:
    """Register the ``govservice_now`` marker."""
    config.addinivalue_line(
        "markers", "govservice_now(instant): the instant govservice_now freezes"
    )
