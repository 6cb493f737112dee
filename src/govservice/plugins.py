"""The plugin manager: loading plugins, calling hooks, listing what is loaded.

One manager per :class:`~govservice.center.ServiceCenter`, so a notebook can
hold two counties with different rules side by side.  A plugin is one of two
kinds, which it declares with a module (or object) attribute::

    GOVSERVICE_PLUGIN_KIND = "regional"   # or "generic"

*Generic* plugins (store backends) are loaded wherever they are installed,
and may implement only :data:`GENERIC_HOOKS`.  *Regional* plugins (a
province's, a city's, a county's rules) apply only where a centre names them
in its **region chain**, general to local; a plugin that declares nothing is
regional, so an installed plugin never changes a centre's answers unless the
centre names it.

For a single-answer hook the more local plugin of the chain answers first, and
the built-in defaults answer last.  Two plugins that both answer and that the
chain does not order (the same level of the chain, or a generic plugin) are a
:class:`~govservice.exceptions.PluginConflict`; so are two plugins giving an
item with the same id to a collecting hook.

Hooks are called through :func:`call_hook` and :func:`collect`, which call
each implementation in that order, check what it returns, and turn any
failure into a :class:`~govservice.exceptions.PluginError` naming the plugin
and the hook.  With ``GOVSERVICE_TRACE_PLUGINS=1`` they print every call, its
arguments, each implementation called and its result to standard error.
"""

from __future__ import annotations

import difflib
import importlib
import os
import sys
from collections.abc import Callable, Hashable, Iterable, Sequence
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
from govservice.exceptions import (
    N_,
    GovServiceError,
    Message,
    PluginConflict,
    PluginError,
    message_of,
)
from govservice.fees import FeeAdjustment, FeeSchedule
from govservice.model import Catalogue, TimeLimitRule
from govservice.storage import EventStore

__all__ = [
    "BUILT_IN",
    "DEFAULT_PLUGINS",
    "ENTRY_POINT_GROUP",
    "GENERIC",
    "GENERIC_HOOKS",
    "KIND_ATTRIBUTE",
    "REGIONAL",
    "PluginInfo",
    "call_hook",
    "collect",
    "get_plugins",
    "hook_answers",
    "ignored_plugins",
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

KIND_ATTRIBUTE = "GOVSERVICE_PLUGIN_KIND"
"""The attribute by which a plugin declares its kind, :data:`REGIONAL` or :data:`GENERIC`."""

REGIONAL = "regional"
"""A plugin that applies only where a centre names it in its region chain (the default)."""

GENERIC = "generic"
"""A plugin loaded wherever it is installed (a store backend)."""

BUILT_IN = "built-in"
"""The kind :func:`get_plugins` gives govservice's own default plugins."""

GENERIC_HOOKS = frozenset({"open_store"})
"""The hooks a generic plugin may implement, none of which changes a centre's answers."""

Level = str | object | Sequence[str | object]
"""One level of a region chain: a plugin (its entry-point name, or the object), or several."""


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


@attrs.frozen
class PluginInfo:
    """A plugin as ``govservice plugins`` lists it.

    Attributes:
        name: the name it is registered under (an installed plugin's
            entry-point name, the name a region chain gives).
        version: its distribution's version, or ``None`` for a plugin that is
            not an installed package (objects passed directly).
        distribution: the distribution's name, if any.
        hooks: the hooks it implements, sorted.
        kind: :data:`REGIONAL`, :data:`GENERIC` or :data:`BUILT_IN`.
        level: its level in the centre's region chain (1 is the most general),
            or ``None`` for generic and built-in plugins and for regional ones
            not applied.
        declared: ``False`` for a plugin that declares no kind (and is
            treated as regional).
        applied: ``False`` for an installed regional plugin that the centre's
            region chain does not name.

    .. versionadded:: 0.1

    """

    name: str
    version: str | None
    distribution: str | None
    hooks: tuple[str, ...]
    kind: str = REGIONAL
    level: int | None = None
    declared: bool = True
    applied: bool = True


class _Manager(pluggy.PluginManager):
    """pluggy's manager, knowing each plugin's kind, distribution and level in the chain."""

    def __init__(self) -> None:
        super().__init__(ENTRY_POINT_GROUP)
        self.dists: dict[str, metadata.Distribution] = {}
        self.kinds: dict[str, str] = {}
        self.undeclared: set[str] = set()
        self.levels: dict[str, int] = {}
        self.ignored: list[PluginInfo] = []


def _levels(region: Sequence[Level]) -> list[list[object]]:
    if isinstance(region, str):  # one name, not a chain of one-letter names
        region = [region]
    return [list(level) if isinstance(level, list | tuple) else [level] for level in region]


def make_plugin_manager(
    *,
    entrypoints: bool = True,
    region: Sequence[Level] = (),
    plugins: Sequence[object] = (),
    block: Iterable[str] = (),
) -> pluggy.PluginManager:
    """Build a plugin manager with govservice's hooks and a centre's plugins.

    Args:
        entrypoints: load the installed generic plugins (entry-point group
            ``govservice``).  ``GOVSERVICE_LOAD_PLUGINS=a,b`` restricts the
            installed plugins looked at to the named ones (an empty value: none);
            it does not restrict the region chain.
        region: the region chain, general to local (province → city →
            county): each level an installed plugin's entry-point name, a plugin
            object, or a list of them (plugins of one level, which must not
            answer the same single-answer hook).
        plugins: plugin objects appended to the chain, one level each, the
            last the most local.
        block: names of installed generic plugins not to load (the essential
            defaults cannot be blocked).

    Raises:
        PluginError: a plugin failed to import, declares a kind it is not,
            implements an unknown hook (a misspelled name) or has a hook with
            wrong arguments; or the chain names a plugin that is not installed
            or is generic.

    """
    blocked = set(block)
    essential = blocked & _ESSENTIAL_PLUGINS
    if essential:
        raise PluginError(sorted(essential)[0], None, N_("an essential plugin cannot be blocked"))
    pm = _Manager()
    pm.add_hookspecs(hookspecs)
    for name in DEFAULT_PLUGINS:
        _register(pm, importlib.import_module(name), name)
        pm.kinds[name] = BUILT_IN
    levels = [*_levels(region), *([p] for p in plugins)]
    named = {entry for level in levels for entry in level if isinstance(entry, str)}
    installed = {ep.name: ep for ep in metadata.entry_points(group=ENTRY_POINT_GROUP)}
    if entrypoints:
        _load_installed(pm, installed, blocked | named)
    for number, level in enumerate(levels, start=1):
        for entry in level:
            if isinstance(entry, str):
                plugin = _load_named(pm, installed, entry)
                name = entry
            else:
                plugin, name = entry, _plugin_name(entry)
            if name in blocked:
                raise PluginError(name, None, N_("named in the region chain, and blocked"))
            _register(pm, plugin, name)
            pm.kinds[name] = REGIONAL
            pm.levels[name] = number
    for name in blocked:
        pm.set_blocked(name)
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as e:
        raise PluginError(_name_of(pm, e.plugin), None, message_of(e)) from None
    return pm


def _name_of(pm: pluggy.PluginManager, plugin: object) -> str:
    return pm.get_name(plugin) or _plugin_name(plugin)


def _register(pm: pluggy.PluginManager, plugin: object, name: str) -> None:
    try:
        pm.register(plugin, name=name)
    except pluggy.PluginValidationError as e:
        raise PluginError(name, None, message_of(e)) from None
    except ValueError as e:  # registered twice under the same name
        raise PluginError(name, None, message_of(e)) from None
    for impl in _impls_of(pm, plugin):
        if impl.hookwrapper or impl.wrapper:
            raise PluginError(
                name,
                impl.function.__name__,
                N_(
                    "hook wrappers are not supported; set GOVSERVICE_TRACE_PLUGINS=1 to trace calls"
                ),
            )


def _impls_of(pm: pluggy.PluginManager, plugin: object) -> list[pluggy.HookImpl]:
    callers = pm.get_hookcallers(plugin) or []
    return [i for c in callers for i in c.get_hookimpls() if i.plugin is plugin]


def _hooks_of(pm: pluggy.PluginManager, plugin: object) -> tuple[str, ...]:
    """The hooks *plugin* implements, registered or not."""
    return tuple(sorted(n for n in dir(plugin) if pm.parse_hookimpl_opts(plugin, n) is not None))


def _load(ep: metadata.EntryPoint) -> object:
    try:
        return ep.load()
    except Exception as e:
        reason = Message(N_("failed to load %(what)r: %(error)r"), {"what": ep.value, "error": e})
        raise PluginError(ep.name, None, reason) from e


def _kind_of(name: str, plugin: object) -> tuple[str, bool]:
    """The kind *plugin* declares, and whether it declares one."""
    kind = getattr(plugin, KIND_ATTRIBUTE, None)
    if kind is None:
        return REGIONAL, False
    if kind not in (REGIONAL, GENERIC):
        reason = Message(
            N_("%(attribute)s must be %(regional)r or %(generic)r (got %(kind)r)"),
            {"attribute": KIND_ATTRIBUTE, "regional": REGIONAL, "generic": GENERIC, "kind": kind},
        )
        raise PluginError(name, None, reason)
    return kind, True


def _load_installed(
    pm: _Manager, installed: dict[str, metadata.EntryPoint], skip: set[str]
) -> None:
    """Register the installed generic plugins; note the regional ones, not applied."""
    only = os.environ.get("GOVSERVICE_LOAD_PLUGINS")
    wanted = None if only is None else {n.strip() for n in only.split(",") if n.strip()}
    for name, ep in installed.items():
        if name in skip or (wanted is not None and name not in wanted):
            continue
        plugin = _load(ep)
        kind, declared = _kind_of(name, plugin)
        if kind == REGIONAL:
            dist = ep.dist
            pm.ignored.append(
                PluginInfo(
                    name,
                    dist.version if dist else None,
                    dist.metadata["Name"] if dist else None,
                    _hooks_of(pm, plugin),
                    declared=declared,
                    applied=False,
                )
            )
            continue
        _register(pm, plugin, name)
        hooks = sorted(c.name for c in pm.get_hookcallers(plugin) or [])
        shaping = [h for h in hooks if h not in GENERIC_HOOKS]
        if shaping:
            pm.unregister(plugin)
            raise PluginError(
                name,
                shaping[0],
                Message(
                    N_(
                        "declares %(attribute)s = %(generic)r but implements %(hooks)s, which "
                        "shape a centre's answers: declare it %(regional)r and name it in the "
                        "centres' region chains"
                    ),
                    {
                        "attribute": KIND_ATTRIBUTE,
                        "generic": GENERIC,
                        "hooks": ", ".join(shaping),
                        "regional": REGIONAL,
                    },
                ),
            )
        pm.kinds[name] = GENERIC
        if ep.dist is not None:
            pm.dists[name] = ep.dist


def _load_named(pm: _Manager, installed: dict[str, metadata.EntryPoint], name: str) -> object:
    """Load the installed regional plugin a region chain names."""
    ep = installed.get(name)
    if ep is None:
        close = difflib.get_close_matches(name, installed, n=1, cutoff=0.6)
        known = ", ".join(sorted(installed)) or Message(N_("none"))
        reason = Message(
            N_("no installed plugin has this entry-point name (installed: %(known)s)"),
            {"known": known},
        )
        if close:
            reason = Message(
                N_("%(reason)s; did you mean %(close)r?"), {"reason": reason, "close": close[0]}
            )
        raise PluginError(name, None, reason)
    plugin = _load(ep)
    kind, declared = _kind_of(name, plugin)
    if kind == GENERIC:
        raise PluginError(
            name,
            None,
            N_(
                "a generic plugin (loaded wherever it is installed) cannot be named in a region "
                "chain, which names regional plugins"
            ),
        )
    if not declared:
        pm.undeclared.add(name)
    if ep.dist is not None:
        pm.dists[name] = ep.dist
    return plugin


def _rank(pm: pluggy.PluginManager, name: str) -> tuple[int, int]:
    """Where a plugin is called: unordered ones, then the chain local first, then the defaults."""
    if name in _ESSENTIAL_PLUGINS:
        return (2, 0)
    level = pm.levels.get(name) if isinstance(pm, _Manager) else None
    return (0, 0) if level is None else (1, -level)


def _ordered(pm: pluggy.PluginManager, a: str, b: str) -> bool:
    """Whether the chain (or being a default) decides which of *a* and *b* answers."""
    if a in _ESSENTIAL_PLUGINS or b in _ESSENTIAL_PLUGINS:
        return True
    levels = pm.levels if isinstance(pm, _Manager) else {}
    la, lb = levels.get(a), levels.get(b)
    return la is not None and lb is not None and la != lb


def hook_answers(pm: pluggy.PluginManager, name: str, **kwargs: Any) -> list[tuple[str, Any]]:
    """Call hook *name*; return each plugin's non-None result with the plugin's name.

    Implementations are called in the chain's order: plugins the chain does
    not order (generic ones), then the chain, most local first, then the
    built-in defaults.  A single-answer (``firstresult``) hook gives at most
    one answer: after it, only the plugins the chain does not order against
    the one that answered are called, and any of them answering too is a
    conflict.  Every result is checked against what the hook must return.

    Raises:
        PluginConflict: two unordered plugins answer a single-answer hook.
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
    impls = sorted(reversed(caller.get_hookimpls()), key=lambda i: _rank(pm, i.plugin_name))
    answers: list[tuple[str, Any]] = []
    for impl in impls:
        if firstresult and answers and _ordered(pm, answers[0][0], impl.plugin_name):
            continue
        args = [kwargs[a] for a in impl.argnames]
        try:
            result = impl.function(*args)
        except GovServiceError:
            raise  # a deliberate, already clear error (a bad file, a bad URL): as it is
        except Exception as e:
            raise PluginError(
                impl.plugin_name, name, Message(N_("raised %(error)r"), {"error": e})
            ) from e
        if trace:
            print(f"[govservice]   {impl.plugin_name} -> {result!r}", file=sys.stderr)
        if result is None:
            continue
        problem = check(result) if check else None
        if problem:
            reason = Message(N_("returned a malformed value: %(problem)s"), {"problem": problem})
            raise PluginError(impl.plugin_name, name, reason)
        if firstresult and answers:
            raise PluginConflict(
                (answers[0][0], impl.plugin_name),
                name,
                N_(
                    "both answer this single-answer hook and the region chain does not order "
                    "them: put them at different levels of the chain (the more local answers "
                    "first), or leave one out"
                ),
            )
        answers.append((impl.plugin_name, result))
    return answers


def call_hook(pm: pluggy.PluginManager, name: str, **kwargs: Any) -> list[Any]:
    """Call hook *name* and return the non-None results in call order.

    For a ``firstresult`` hook the list has at most one element.  See
    :func:`hook_answers` for the order, the checks and the errors.
    """
    return [result for _, result in hook_answers(pm, name, **kwargs)]


def collect(
    pm: pluggy.PluginManager,
    name: str,
    *,
    key: Callable[[Any], Hashable],
    what: str,
    local_wins: bool = False,
    **kwargs: Any,
) -> list[tuple[str, Any]]:
    """Call the collecting hook *name*; return every item given, with its plugin's name.

    Items come in call order (the chain's most local plugin first, the
    defaults last).  Two plugins giving items with the same *key* are a
    conflict — except with a default's item (a plugin replaces a default),
    and, with *local_wins*, between plugins at different levels of the chain
    (the more local one's item is the one that holds).

    Args:
        pm: the plugin manager.
        name: the hook.
        key: the id of an item.
        what: what an item is, for the message (e.g. ``"time-limit rule"``).
        local_wins: let the chain order items with the same id.
        kwargs: the hook's arguments.

    Raises:
        PluginConflict: two plugins give the same id (naming both).
        PluginError: see :func:`hook_answers`.
    """
    seen: dict[Hashable, str] = {}
    out: list[tuple[str, Any]] = []
    for plugin, items in hook_answers(pm, name, **kwargs):
        for item in items:
            k = key(item)
            other = seen.setdefault(k, plugin)
            if (
                other != plugin
                and other not in _ESSENTIAL_PLUGINS
                and plugin not in _ESSENTIAL_PLUGINS
                and not (local_wins and _ordered(pm, other, plugin))
            ):
                raise PluginConflict(
                    (other, plugin),
                    name,
                    Message(
                        N_(
                            "both give the %(what)s %(id)s; ids must be unique among a centre's "
                            "plugins: leave one of them out of the region chain"
                        ),
                        {"what": Message(what), "id": k},
                    ),
                )
            out.append((plugin, item))
    return out


def _fmt_kwargs(kwargs: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v!r}" for k, v in kwargs.items())


def get_plugins(pm: pluggy.PluginManager) -> list[PluginInfo]:
    """Describe the plugins registered with *pm*, in registration order."""
    m = pm if isinstance(pm, _Manager) else None
    out = []
    for name, plugin in pm.list_name_plugin():
        if plugin is None:  # blocked
            continue
        dist = m.dists.get(name) if m else None
        hooks = tuple(sorted(i.function.__name__ for i in _impls_of(pm, plugin)))
        version = dist.version if dist else None
        if dist is None and name in _ESSENTIAL_PLUGINS:
            version = metadata.version("govservice")
        kind = m.kinds.get(name, REGIONAL) if m else REGIONAL
        out.append(
            PluginInfo(
                name,
                version,
                dist.metadata["Name"] if dist else None,
                hooks,
                kind=kind,
                level=m.levels.get(name) if m else None,
                declared=not (m and name in m.undeclared),
            )
        )
    return out


def ignored_plugins(pm: pluggy.PluginManager) -> list[PluginInfo]:
    """The installed regional plugins *pm* leaves out: its region chain does not name them."""
    return list(pm.ignored) if isinstance(pm, _Manager) else []
