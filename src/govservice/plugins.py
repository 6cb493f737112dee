"""The plugin manager: loading plugins, calling hooks, listing what is loaded.

One manager per :class:`~govservice.center.ServiceCenter`, so a notebook can
hold two counties with different rules side by side.  A manager holds, in call
order: plugins passed explicitly, plugins installed under the entry-point
group ``govservice``, and the built-in defaults (``trylast``).

Hooks are called through :func:`call_hook`, which calls each implementation in
pluggy's order, checks what it returns, and turns any failure into a
:class:`~govservice.exceptions.PluginError` naming the plugin and the hook.
With ``GOVSERVICE_TRACE_PLUGINS=1`` it prints every call, its arguments, each
implementation called and its result to standard error.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from importlib import metadata
from pathlib import Path
from types import ModuleType
from typing import Any

import attrs
import pluggy

from govservice import hookspecs
from govservice.assessment import AssessmentRule, Rubric
from govservice.calendars import CalendarAdjustment, HolidayYear, OpeningHours
from govservice.cases import AlertPolicy
from govservice.exceptions import GovServiceError, PluginError
from govservice.fees import FeeAdjustment, FeeSchedule
from govservice.model import Catalogue, TimeLimitRule
from govservice.storage import EventStore

__all__ = [
    "DEFAULT_PLUGINS",
    "ENTRY_POINT_GROUP",
    "PluginInfo",
    "call_hook",
    "get_plugins",
    "make_plugin_manager",
]

ENTRY_POINT_GROUP = "govservice"
"""The entry-point group under which installed plugins register."""

DEFAULT_PLUGINS: tuple[str, ...] = (
    "govservice.defaults.calendar_china",
    "govservice.defaults.clock_defaults",
    "govservice.defaults.storage_builtin",
    "govservice.defaults.assessment_defaults",
)
"""The built-in plugins, registered last so that every other plugin wins."""

_ESSENTIAL_PLUGINS = frozenset(DEFAULT_PLUGINS)


def _items_of(kind: type) -> Callable[[Any], str | None]:
    def check(result: Any) -> str | None:
        if isinstance(result, str | bytes) or not isinstance(result, Iterable):
            return f"expected an iterable of {kind.__name__}, got {type(result).__name__}"
        for item in result:
            if not isinstance(item, kind):
                return f"expected {kind.__name__} items, got {type(item).__name__}: {item!r}"
        return None

    return check


def _instance_of(kind: type | tuple[type, ...]) -> Callable[[Any], str | None]:
    names = " or ".join(k.__name__ for k in (kind if isinstance(kind, tuple) else (kind,)))

    def check(result: Any) -> str | None:
        if isinstance(result, kind):
            return None
        return f"expected {names} or None, got {type(result).__name__}: {result!r}"

    return check


_RESULT_CHECKS: dict[str, Callable[[Any], str | None]] = {
    "register_calendar_years": _items_of(HolidayYear),
    "register_calendar_adjustments": _items_of(CalendarAdjustment),
    "opening_hours": _instance_of(OpeningHours),
    "register_time_limit_rules": _items_of(TimeLimitRule),
    "alert_policy": _instance_of(AlertPolicy),
    "open_store": _instance_of(EventStore),
    "register_assessment_rules": _items_of(AssessmentRule),
    "provide_catalogue": _instance_of((Catalogue, str, Path)),
    "register_fee_schedules": _items_of(FeeSchedule),
    "adjust_fees": _items_of(FeeAdjustment),
    "assessment_rubric": _instance_of(Rubric),
}
"""What each hook must return (besides None): a checker giving the problem or None."""


def _plugin_name(plugin: object) -> str:
    if isinstance(plugin, ModuleType):
        return plugin.__name__
    return getattr(plugin, "__name__", None) or type(plugin).__name__


def make_plugin_manager(
    *,
    entrypoints: bool = True,
    plugins: Sequence[object] = (),
    block: Iterable[str] = (),
) -> pluggy.PluginManager:
    """Build a plugin manager with govservice's hooks and its plugins.

    Args:
        entrypoints: load plugins installed under the ``govservice`` entry-point
            group.  ``GOVSERVICE_LOAD_PLUGINS=a,b`` restricts them to the named
            ones (an empty value loads none).
        plugins: extra plugin objects (modules, classes or instances) to
            register first; they are called before installed plugins.
        block: names of installed or default plugins not to register
            (the essential defaults cannot be blocked).

    Raises:
        PluginError: a plugin failed to import, implements an unknown hook
            (a misspelled name) or has a hook with wrong arguments.

    """
    blocked = set(block)
    essential = blocked & _ESSENTIAL_PLUGINS
    if essential:
        raise PluginError(sorted(essential)[0], None, "an essential plugin cannot be blocked")
    pm = pluggy.PluginManager(ENTRY_POINT_GROUP)
    pm.add_hookspecs(hookspecs)
    for name in DEFAULT_PLUGINS:
        _register(pm, importlib.import_module(name), name)
    if entrypoints:
        _load_entrypoints(pm, blocked)
    for plugin in plugins:
        _register(pm, plugin, _plugin_name(plugin))
    for name in blocked:
        pm.set_blocked(name)
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as e:
        raise PluginError(_name_of(pm, e.plugin), None, str(e)) from None
    return pm


def _name_of(pm: pluggy.PluginManager, plugin: object) -> str:
    return pm.get_name(plugin) or _plugin_name(plugin)


def _register(pm: pluggy.PluginManager, plugin: object, name: str) -> None:
    try:
        pm.register(plugin, name=name)
    except pluggy.PluginValidationError as e:
        raise PluginError(name, None, str(e)) from None
    except ValueError as e:  # registered twice under the same name
        raise PluginError(name, None, str(e)) from None
    for impl in _impls_of(pm, plugin):
        if impl.hookwrapper or impl.wrapper:
            raise PluginError(
                name,
                impl.function.__name__,
                "hook wrappers are not supported; set GOVSERVICE_TRACE_PLUGINS=1 to trace calls",
            )


def _impls_of(pm: pluggy.PluginManager, plugin: object) -> list[pluggy.HookImpl]:
    callers = pm.get_hookcallers(plugin) or []
    return [i for c in callers for i in c.get_hookimpls() if i.plugin is plugin]


def _load_entrypoints(pm: pluggy.PluginManager, blocked: set[str]) -> None:
    only = os.environ.get("GOVSERVICE_LOAD_PLUGINS")
    wanted = None if only is None else {n.strip() for n in only.split(",") if n.strip()}
    dists: dict[str, metadata.Distribution] = pm.__dict__.setdefault("_govservice_dists", {})
    for ep in metadata.entry_points(group=ENTRY_POINT_GROUP):
        if ep.name in blocked or (wanted is not None and ep.name not in wanted):
            continue
        if pm.get_plugin(ep.name) is not None:
            continue
        try:
            plugin = ep.load()
        except Exception as e:
            raise PluginError(ep.name, None, f"failed to load {ep.value!r}: {e!r}") from e
        _register(pm, plugin, ep.name)
        if ep.dist is not None:
            dists[ep.name] = ep.dist


def call_hook(pm: pluggy.PluginManager, name: str, **kwargs: Any) -> list[Any]:
    """Call hook *name* and return the non-None results in call order.

    For a ``firstresult`` hook the list has at most one element.  Every result
    is checked against what the hook must return.

    Raises:
        PluginError: an implementation raised an unexpected exception or
            returned a malformed value; the error names the plugin and the
            hook, and chains the cause.  A
            :class:`~govservice.exceptions.GovServiceError` a plugin
            raises on purpose (a malformed data file, a bad store URL) passes
            through as it is.

    """
    caller: pluggy.HookCaller = getattr(pm.hook, name)
    firstresult = bool(caller.spec and caller.spec.opts.get("firstresult"))
    check = _RESULT_CHECKS.get(name)
    trace = os.environ.get("GOVSERVICE_TRACE_PLUGINS", "") not in ("", "0")
    if trace:
        print(f"[govservice] hook {name}({_fmt_kwargs(kwargs)})", file=sys.stderr)
    results: list[Any] = []
    for impl in reversed(caller.get_hookimpls()):
        args = [kwargs[a] for a in impl.argnames]
        try:
            result = impl.function(*args)
        except GovServiceError:
            raise  # a deliberate, already clear error (a bad file, a bad URL): as it is
        except Exception as e:
            raise PluginError(impl.plugin_name, name, f"raised {e!r}") from e
        if trace:
            print(f"[govservice]   {impl.plugin_name} -> {result!r}", file=sys.stderr)
        if result is None:
            continue
        problem = check(result) if check else None
        if problem:
            raise PluginError(impl.plugin_name, name, f"returned a malformed value: {problem}")
        results.append(result)
        if firstresult:
            break
    return results


def _fmt_kwargs(kwargs: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v!r}" for k, v in kwargs.items())


@attrs.frozen
class PluginInfo:
    """A loaded plugin as ``govservice plugins`` lists it.

    Attributes:
        name: the name it is registered under.
        version: its distribution's version, or ``None`` for a plugin that is
            not an installed package (built-ins and objects passed directly).
        distribution: the distribution's name, if any.
        hooks: the hooks it implements, sorted.

    .. versionadded:: 0.1

    """

    name: str
    version: str | None
    distribution: str | None
    hooks: tuple[str, ...]


def get_plugins(pm: pluggy.PluginManager) -> list[PluginInfo]:
    """Describe the plugins registered with *pm*, in registration order."""
    dists: dict[str, metadata.Distribution] = pm.__dict__.get("_govservice_dists", {})
    out = []
    for name, plugin in pm.list_name_plugin():
        if plugin is None:  # blocked
            continue
        dist = dists.get(name)
        hooks = tuple(sorted(i.function.__name__ for i in _impls_of(pm, plugin)))
        version = dist.version if dist else None
        if dist is None and name in _ESSENTIAL_PLUGINS:
            version = metadata.version("govservice")
        out.append(PluginInfo(name, version, dist.metadata["Name"] if dist else None, hooks))
    return out
