"""Centre files: a service centre's settings in TOML, found where the command line runs.

A centre is chosen, not implied by what is installed.  Its file names the
centre, its time zone, its store, its region chain of plugins and its
policies::

    [centre]
    name = "示范县政务服务中心"
    timezone = "Asia/Shanghai"
    store = "sqlite:///hall.db"          # a relative SQLite path is relative to this file
    catalogue = "catalogue.toml"         # optional: else a plugin of the chain provides one
    region = ["sample_province", "sample_city", "sample_county"]   # general → local

    [policies]
    provisional = false                  # answer for years without official data, marked
    language = "zh"                      # the language of reports and briefings: "zh" or "en"

``region`` lists installed plugins by entry-point name, the most general
first; a level of several plugins is an inner list (``["city", ["county",
"county_fees"]]``).  The command line reads the file given with ``--centre
FILE``, else the one ``GOVSERVICE_CENTRE`` names, else ``govservice.toml`` in
the working directory; :meth:`ServiceCenter.from_file
<govservice.center.ServiceCenter.from_file>` reads one in Python.
"""

from __future__ import annotations

import os
import zoneinfo
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from govservice._toml import Reader, read_toml
from govservice.exceptions import DataFileError
from govservice.text import N_, Message

__all__ = [
    "CENTRE_ENV",
    "CENTRE_FILE",
    "LANGUAGES",
    "find_centre_file",
    "read_centre_file",
    "relative_store_url",
]

CENTRE_FILE = "govservice.toml"
"""The centre file's name in the working directory."""

CENTRE_ENV = "GOVSERVICE_CENTRE"
"""The environment variable naming a centre file."""

LANGUAGES = ("zh", "en")
"""The report languages a centre may choose."""


def find_centre_file(
    explicit: str | Path | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> Path | None:
    """The centre file to use: *explicit*, else ``$GOVSERVICE_CENTRE``, else ``./govservice.toml``.

    Returns ``None`` when none is given and the working directory has none.
    A file given explicitly or by the variable is returned even if missing, so
    that reading it says so.

    .. versionadded:: 0.1
    """
    if explicit:
        return Path(explicit)
    named = (os.environ if environ is None else environ).get(CENTRE_ENV)
    if named:
        return Path(named)
    local = (cwd or Path.cwd()) / CENTRE_FILE
    return local if local.is_file() else None


def relative_store_url(url: str, base: Path) -> str:
    """*url*, with a relative SQLite path taken relative to the folder *base*.

    Example:
        >>> from pathlib import Path
        >>> from govservice.centre_file import relative_store_url
        >>> relative_store_url("sqlite:///hall.db", Path("/srv/county"))
        'sqlite:////srv/county/hall.db'
        >>> relative_store_url("postgresql://clerk@db/hall", Path("/srv/county"))
        'postgresql://clerk@db/hall'

    .. versionadded:: 0.1
    """
    prefix = "sqlite:///"
    if url.startswith(prefix) and not url.startswith(prefix + "/"):
        rest = url[len(prefix) :]
        if rest and not rest.startswith(":memory:"):
            return prefix + str(base / rest)
    return url


def _region(r: Reader) -> list[str | list[str]]:
    value = r.get("region", list, required=False) or []
    levels: list[str | list[str]] = []
    seen: set[str] = set()
    for level in value:
        names = [level] if isinstance(level, str) else level
        if not isinstance(names, list) or not names:
            raise r.fail(
                "region", level, N_("expected plugin names, or a list of them for a level")
            )
        for name in names:
            if not isinstance(name, str) or not name.strip():
                raise r.fail("region", name, N_("expected a plugin's entry-point name"))
            if name in seen:
                raise r.fail("region", name, N_("named twice in the region chain"))
            seen.add(name)
        levels.append(level)
    return levels


def read_centre_file(path: str | Path) -> dict[str, Any]:
    """Read a centre file into :class:`~govservice.center.ServiceCenter` keyword arguments.

    Raises:
        DataFileError: naming the file, the table, the field and the value —
            a missing or malformed file, an unknown table or field, a time zone
            that does not exist, an unknown language, a catalogue file that is
            not there.

    .. versionadded:: 0.1
    """
    path = Path(path)
    doc = read_toml(path)
    base = path.resolve().parent
    Reader(path, "top level", doc, ("centre", "policies"))
    if "centre" not in doc:
        raise DataFileError(
            path, "top level", "centre", None, N_("missing the [centre] table"), shown=True
        )
    c = Reader(path, "centre", doc["centre"], ("name", "timezone", "store", "catalogue", "region"))
    p = Reader(path, "policies", doc.get("policies", {}), ("provisional", "language"))
    out: dict[str, Any] = {"name": c.get("name", str), "region": _region(c)}
    if not out["name"].strip():
        raise c.fail("name", out["name"], N_("expected the centre's name"))
    timezone = c.get("timezone", str, required=False)
    if timezone is not None:
        try:
            zoneinfo.ZoneInfo(timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
            raise c.fail("timezone", timezone, N_("no such IANA time zone")) from None
        out["timezone"] = timezone
    store = c.get("store", str, required=False)
    if store is not None:
        if "://" not in store:
            raise c.fail("store", store, N_("expected a store URL, e.g. sqlite:///hall.db"))
        out["store"] = relative_store_url(store, base)
    catalogue = c.get("catalogue", str, required=False)
    if catalogue is not None:
        file = base / catalogue
        if not file.is_file():
            raise c.fail(
                "catalogue", catalogue, Message(N_("no such file: %(file)s"), {"file": file})
            )
        out["catalogue"] = file
    provisional = p.get("provisional", bool, required=False)
    if provisional is not None:
        out["provisional"] = provisional
    language = p.get("language", str, required=False)
    if language is not None:
        if language not in LANGUAGES:
            raise p.fail(
                "language",
                language,
                Message(N_("expected one of %(value)s"), {"value": ", ".join(LANGUAGES)}),
            )
        out["language"] = language
    return out
