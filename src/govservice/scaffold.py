"""``govservice new-plugin NAME``: a ready plugin package to start from.

The package installs as generated, registers itself under the ``govservice``
entry-point group, declares itself a regional plugin, implements one hook, and
has passing tests that build a centre from the plugin alone, so they pass
whatever else is installed — the shape datasette-plugin gives datasette's
plugin authors.
"""

from __future__ import annotations

import re
from pathlib import Path

import attrs

from govservice.exceptions import GovServiceError
from govservice.text import N_, Message

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
                Message(
                    N_(
                        "plugin name %(name)r: use letters, digits and dashes, starting with a "
                        "letter"
                    ),
                    {"name": name},
                )
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
govservice plugins          # lists {entry_point}: installed, not applied until a centre names it
```

It is a regional plugin (`GOVSERVICE_PLUGIN_KIND = "regional"`): a centre applies it when its
centre file names it in the region chain, general to local:

```toml
# govservice.toml
[centre]
name = "某县政务服务中心"
region = ["{entry_point}"]        # e.g. ["my_province", "my_city", "{entry_point}"]
```

It implements the `opening_hours` hook: the centre opens 08:30–12:00 and 14:00–17:30 on every
working day. Change it, or add other hooks — see the govservice plugin hooks reference.
"""

_INIT = '''\
"""{distribution}: a govservice plugin."""

from __future__ import annotations

from govservice import hookimpl
from govservice.calendars import OpeningHours, Schedule

# Regional: applied only by centres whose region chain names "{entry_point}".
# A store backend, applied wherever it is installed, would say "generic".
GOVSERVICE_PLUGIN_KIND = "regional"


@hookimpl
def opening_hours(center):
    """The centre opens 08:30–12:00 and 14:00–17:30 on every working day."""
    return OpeningHours((Schedule("all year", (("08:30", "12:00"), ("14:00", "17:30"))),))
'''

_TEST = '''\
"""{distribution}: found through its entry point, applied where a centre names it.

Each test builds a centre from this plugin alone, so the tests pass whatever
else is installed.
"""

from datetime import date

from govservice import ServiceCenter


def test_plugin_is_installed(govservice_chain_center):
    center = govservice_chain_center("{entry_point}")
    (info,) = [p for p in center.plugins if p.name == "{entry_point}"]
    assert info.kind == "regional" and info.level == 1


def test_opening_hours(govservice_chain_center):
    center = govservice_chain_center("{entry_point}")
    sessions = center.opening_hours.sessions_on(date(2026, 6, 1))
    assert [str(s) for s in sessions] == ["08:30–12:00", "14:00–17:30"]


def test_not_applied_where_not_named():
    center = ServiceCenter()
    assert "{entry_point}" not in {{p.name for p in center.plugins}}
    assert "{entry_point}" in {{p.name for p in center.ignored_plugins}}
'''


def new_plugin(name: str, directory: Path | str = ".") -> Path:
    """Create the plugin package *name* in *directory*; return its folder.

    Raises:
        GovServiceError: the name is unusable or the folder already exists.
    """
    names = PluginNames.from_name(name)
    root = Path(directory) / names.distribution
    if root.exists():
        raise GovServiceError(
            Message(N_("%(root)s already exists: choose another name or folder"), {"root": root})
        )
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
