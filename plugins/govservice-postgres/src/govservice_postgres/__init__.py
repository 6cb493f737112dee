"""govservice-postgres: the ``postgresql://`` event store."""

from __future__ import annotations

from typing import TYPE_CHECKING

from govservice import hookimpl
from govservice_postgres.store import PostgresStore

if TYPE_CHECKING:
    from govservice.center import ServiceCenter

__all__ = ["GOVSERVICE_PLUGIN_KIND", "PostgresStore", "open_store"]

GOVSERVICE_PLUGIN_KIND = "generic"
"""A store backend: loaded wherever it is installed, whatever the centre's region chain."""


@hookimpl
def open_store(center: ServiceCenter, url: str, readonly: bool) -> PostgresStore | None:
    """Open ``postgresql://`` and ``postgres://`` stores; ``None`` for other schemes."""
    if url.startswith(("postgresql://", "postgres://")):
        return PostgresStore(url, center.store_context, readonly=readonly)
    return None
