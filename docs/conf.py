"""Sphinx configuration for the govservice documentation."""

from __future__ import annotations

from importlib.metadata import version as _version

project = "govservice"
author = "govservice developers"
copyright = "2026, govservice developers"
release = _version("govservice")
version = release

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.doctest",
    "sphinx.ext.viewcode",
]
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build"]
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

html_theme = "furo"
html_title = "govservice"

autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_typehints_format = "short"
autodoc_type_aliases = {"DateLike": "DateLike", "InstantLike": "InstantLike", "Level": "Level"}
napoleon_google_docstring = True
napoleon_numpy_docstring = False
napoleon_use_ivar = True

nitpicky = True
nitpick_ignore_regex = [
    # standard-library and third-party types: no inventories are fetched (no network at build)
    (r"py:.*", r"(numpy|np|npt|pluggy|attrs|zoneinfo|st)\..*"),
    (r"py:.*", r"'?(NDArray|DateArray|IntArray|BoolArray|DateLike|InstantLike|ZoneInfo|Level)'?"),
    (
        r"py:.*",
        r"(date|datetime|time|timedelta|tzinfo|Path|Iterable|Sequence|Iterator|Any|Callable)",
    ),
    (r"py:.*", r"(datetime|pathlib|collections\.abc|typing|decimal|gettext|jinja2)\..*"),
    (r"py:.*", r"(pandas|hypothesis|_pytest|pytest|concurrent)\..*"),
    (r"py:.*", r"(int|str|bool|float|tuple|list|dict|type|object|None|bytes)"),
    (r"py:class", r"_T_co|T|_F|TypeAliasForwardRef|~?_P|.*\._R"),
    (r"py:class", r"(matplotlib\..*|Figure|Axes)"),
]

# Every example imports what it uses, as a reader's session would: nothing is set up for it
# here (tests/test_docs_wheel.py runs them in a fresh environment with only the built wheel).
