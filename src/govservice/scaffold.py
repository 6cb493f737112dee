"""``govservice new-plugin NAME``: a ready plugin package to start from.

The package installs as generated, registers itself under the ``govservice``
entry-point group, implements one hook, and has a passing test — the shape
datasette-plugin gives datasette's plugin authors.
"""

from __future__ import annotations

import re
from pathlib import Path

import attrs

from govservice.exceptions import GovServiceError

__all__ = ["PluginNames", "new_plugin"]


@attrs.frozen
class PluginNames:
    """The names a plugin called *slug* goes by.

    Attributes:
        slug: the short name, e.g. ``my-county``.
        distribution: the package name, e.g. ``govservice-my-county``.
        module: the import name, e.g. ``govservice_my_county``.
        entry_point: the entry-point name, e.g. ``my_county``.

    .. versionadded:: 0.1
    """

    slug: str
    distribution: str
    module: str
    entry_point: str

    @classmethod
    def from_name(cls, name: str) -> PluginNames:
        """Normalise *name* (``"My County"``, ``govservice-my-county`` …).

        Raises:
            GovServiceError: nothing usable is left of the name.
        """
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        slug = slug.removeprefix("govservice-")
        if not slug or not slug[0].isalpha():
            raise GovServiceError(
                f"plugin name {name!r}: use letters, digits and dashes, starting with a letter"
            )
        under = slug.replace("-", "_")
        return cls(slug, f"govservice-{slug}", f"govservice_{under}", under)


_PYPROJECT = """\
[build-system]
requires = ["hatchling>=1.25"]
build-backend = "hatchling.build"

[project]
name = "{distribution}"
version = "0.1.0"
description = "A govservice plugin: {slug}."
readme = "README.md"
requires-python = ">=3.11"
dependencies = ["govservice"]

[project.optional-dependencies]
test = ["pytest"]

[project.entry-points.govservice]
{entry_point} = "{module}"

[tool.hatch.build.targets.wheel]
packages = ["src/{module}"]
"""

_README = """\
# {distribution}

A [govservice](https://pypi.org/project/govservice/) plugin.

```sh
pip install -e '.[test]'
pytest
govservice plugins          # lists {entry_point} and the hooks it implements
```

It implements the `opening_hours` hook: the centre opens 08:30–12:00 and 14:00–17:30 on every
working day. Change it, or add other hooks — see the govservice plugin hooks reference.
"""

_INIT = '''\
"""{distribution}: a govservice plugin."""

from __future__ import annotations

from govservice import hookimpl
from govservice.calendars import OpeningHours, Schedule


@hookimpl
def opening_hours(center):
    """The centre opens 08:30–12:00 and 14:00–17:30 on every working day."""
    return OpeningHours((Schedule("all year", (("08:30", "12:00"), ("14:00", "17:30"))),))
'''

_TEST = '''\
"""{distribution} is installed, found through its entry point, and changes the hours."""

from datetime import date

from govservice import ServiceCenter


def test_plugin_is_installed(monkeypatch):
    monkeypatch.delenv("GOVSERVICE_LOAD_PLUGINS", raising=False)
    center = ServiceCenter()
    assert "{entry_point}" in {{p.name for p in center.plugins}}


def test_opening_hours(monkeypatch):
    monkeypatch.delenv("GOVSERVICE_LOAD_PLUGINS", raising=False)
    sessions = ServiceCenter().opening_hours.sessions_on(date(2026, 6, 1))
    assert [str(s) for s in sessions] == ["08:30–12:00", "14:00–17:30"]
'''


def new_plugin(name: str, directory: Path | str = ".") -> Path:
    """Create the plugin package *name* in *directory*; return its folder.

    Raises:
        GovServiceError: the name is unusable or the folder already exists.
    """
    names = PluginNames.from_name(name)
    root = Path(directory) / names.distribution
    if root.exists():
        raise GovServiceError(f"{root} already exists: choose another name or folder")
    fields = attrs.asdict(names)
    files = {
        "pyproject.toml": _PYPROJECT,
        "README.md": _README,
        f"src/{names.module}/__init__.py": _INIT,
        f"src/{names.module}/py.typed": "",
        "tests/test_plugin.py": _TEST,
    }
    for relative, template in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(template.format(**fields), encoding="utf-8")
    return root
