"""Meta-tests: docstring examples run, every hook is documented and tested."""

from __future__ import annotations

import doctest
import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import pytest

import govservice
from govservice import hookspecs

ROOT = Path(__file__).resolve().parent.parent
MODULES = sorted(
    m.name
    for m in pkgutil.walk_packages(govservice.__path__, "govservice.")
    if not m.name.endswith("__main__")
)
HOOKS = sorted(
    name
    for name, f in inspect.getmembers(hookspecs, inspect.isfunction)
    if hasattr(f, "govservice_spec")
)


@pytest.mark.parametrize("module", MODULES)
def test_docstring_examples(module: str) -> None:
    mod = importlib.import_module(module)
    result = doctest.testmod(mod, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


def test_every_public_name_has_a_docstring() -> None:
    missing = []
    for module in MODULES:
        mod = importlib.import_module(module)
        for name in getattr(mod, "__all__", ()):
            obj = getattr(mod, name)
            if (inspect.isclass(obj) or inspect.isfunction(obj)) and not inspect.getdoc(obj):
                missing.append(f"{module}.{name}")
    assert not missing


def test_hooks_exist() -> None:
    assert "opening_hours" in HOOKS


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_is_documented(hook: str) -> None:
    """docs/plugin_hooks.md has a section whose heading is the hook's exact signature."""
    params = ", ".join(inspect.signature(getattr(hookspecs, hook)).parameters)
    text = (ROOT / "docs" / "plugin_hooks.md").read_text(encoding="utf-8")
    assert f"## {hook}({params})" in text
    assert f"(plugin-hook-{hook.replace('_', '-')})=" in text


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_has_its_own_test(hook: str) -> None:
    tests = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "tests").glob("test_*.py"))
    assert re.search(rf"def test_hook_{hook}\b", tests)
