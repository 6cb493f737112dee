"""Default storage: the built-in ``memory://`` and ``sqlite:///`` stores."""

from __future__ import annotations

from typing import TYPE_CHECKING

from govservice.hookspecs import hookimpl
from govservice.storage import EventStore, open_builtin

if TYPE_CHECKING:
    from govservice.center import ServiceCenter


@hookimpl(trylast=True)
def open_store(center: ServiceCenter, url: str, readonly: bool) -> EventStore | None:
    """Open ``memory://`` and ``sqlite:///…`` stores; ``None`` for other schemes."""
    return open_builtin(url, center.store_context, readonly=readonly)
