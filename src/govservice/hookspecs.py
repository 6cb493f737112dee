"""The hooks a govservice plugin can implement.

A plugin is any module or object with functions marked ``@hookimpl`` whose
names are hooks below.  A centre calls the plugins of its region chain, the
most local first, and the installed generic ones (see
:mod:`govservice.plugins`).  ``register_*`` hooks collect results from every
plugin (ids unique among them); hooks documented with "Stops at the first
non-None result" are *decide* hooks: the most local plugin to answer wins,
two plugins the chain does not order may not both answer, and the built-in
defaults answer last.

See :doc:`/plugin_hooks` for every hook with an example.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from govservice.assessment import AssessmentRule, Rubric
    from govservice.calendars import CalendarAdjustment, HolidayYear, OpeningHours
    from govservice.cases import AlertPolicy, Applicant
    from govservice.center import ServiceCenter
    from govservice.fees import FeeAdjustment, FeeSchedule
    from govservice.model import Catalogue, Matter, TimeLimitRule
    from govservice.storage import EventStore

__all__ = ["hookimpl", "hookspec"]

hookspec = pluggy.HookspecMarker("govservice")
"""Marker for hook specifications (used by govservice itself)."""

hookimpl = pluggy.HookimplMarker("govservice")
"""Marker for hook implementations; decorate a plugin's functions with it."""


# ---- Calendar hooks ---------------------------------------------------------


@hookspec
def register_calendar_years(center: ServiceCenter) -> Iterable[HolidayYear] | None:
    """Add official year data to the centre's calendar, e.g. a newly announced year.

    Called once, when the centre first builds its calendar.  Years a plugin
    gives replace the built-in data of the same year; years must stay
    contiguous with the built-in coverage.

    Args:
        center: the centre being configured.

    Returns:
        Year records, typically from :func:`govservice.calendars.load_years`.

    .. versionadded:: 0.1

    """


@hookspec
def register_calendar_adjustments(center: ServiceCenter) -> Iterable[CalendarAdjustment] | None:
    """Add local closures and extra working days over the national calendar.

    Called once, when the centre first builds its calendar.  Adjustments from
    all plugins apply by the region chain: for a day two plugins adjust, the
    more local plugin's holds (two plugins on one level of the chain adjusting
    one day are a conflict).

    Args:
        center: the centre being configured.

    Returns:
        :class:`~govservice.calendars.CalendarAdjustment` records, e.g. from
        :func:`govservice.calendars.load_adjustments`.

    .. versionadded:: 0.1

    """


@hookspec(firstresult=True)
def opening_hours(center: ServiceCenter) -> OpeningHours | None:
    """Decide the centre's opening hours (sessions of a working day, by season).

    Stops at the first non-None result.  The built-in default opens
    09:00–12:00 and 13:30–17:30 on every working day.

    Args:
        center: the centre being configured.

    Returns:
        :class:`~govservice.calendars.OpeningHours`, or ``None`` to leave the
        decision to the next plugin.

    .. versionadded:: 0.1

    """


# ---- Catalogue hooks --------------------------------------------------------


@hookspec(firstresult=True)
def provide_catalogue(center: ServiceCenter) -> Catalogue | str | Path | None:
    """Provide the centre's catalogue when none was passed to it.

    Stops at the first non-None result.  A county plugin ships its catalogue
    file and returns its path (loaded with the centre's rules) or a
    :class:`~govservice.model.Catalogue`; a centre created with
    ``catalogue=…`` does not call this hook.

    Args:
        center: the centre being configured.

    Returns:
        A catalogue, the path of a catalogue TOML file, or ``None``.

    .. versionadded:: 0.1
    """


# ---- Fee hooks --------------------------------------------------------------


@hookspec
def register_fee_schedules(center: ServiceCenter) -> Iterable[FeeSchedule] | None:
    """Add fee schedules; each replaces the catalogue's schedule of its matter.

    Called once, when the centre first needs its fee schedules.  Every item
    needs its legal basis: a fee without one is refused (charging without
    authority).

    Args:
        center: the centre being configured.

    Returns:
        :class:`~govservice.fees.FeeSchedule` objects.

    .. versionadded:: 0.1
    """


@hookspec
def adjust_fees(
    center: ServiceCenter,
    matter: Matter,
    applicant: Applicant | None,
    schedule: FeeSchedule,
    on: date,
    facts: Mapping[str, Any],
) -> Iterable[FeeAdjustment] | None:
    """Waive, reduce or surcharge the fees of one charge.

    Called for each receipt; the adjustments of every plugin apply, in call
    order, each on the running amount.  Each adjustment cites its basis.

    Args:
        center: the centre.
        matter: the matter charged for.
        applicant: who pays, when known.
        schedule: the matter's fee schedule.
        on: the day of the charge (relief policies have validity periods).
        facts: what the window recorded beyond the applicant, e.g.
            ``{"enterprise_size": "small_micro"}``.

    Returns:
        :class:`~govservice.fees.FeeAdjustment` objects.

    .. versionadded:: 0.1
    """


# ---- Time-limit hooks -------------------------------------------------------


@hookspec
def register_time_limit_rules(center: ServiceCenter) -> Iterable[TimeLimitRule] | None:
    """Add time-limit rules to the built-in table (local rules, newer law).

    Called once, when the centre first needs its rules (loading its catalogue
    or counting a case).  A rule with the same id and validity period as a
    built-in one replaces it; a rule with a new id can then be named by
    matters in the catalogue.

    Args:
        center: the centre being configured.

    Returns:
        :class:`~govservice.model.TimeLimitRule` records.

    .. versionadded:: 0.1
    """


@hookspec(firstresult=True)
def alert_policy(center: ServiceCenter) -> AlertPolicy | None:
    """Decide how electronic supervision turns remaining working days into alerts.

    Stops at the first non-None result.  The built-in default raises a
    reminder one working day before the deadline, a yellow card on its last
    day and a red card once it has passed (always red past the statutory
    deadline).

    Args:
        center: the centre being configured.

    Returns:
        An :class:`~govservice.cases.AlertPolicy` (or a subclass overriding
        ``level`` and ``levels``), or ``None`` to let the next plugin decide.

    .. versionadded:: 0.1
    """


# ---- Storage hooks ----------------------------------------------------------


@hookspec(firstresult=True)
def open_store(center: ServiceCenter, url: str, readonly: bool) -> EventStore | None:
    """Open the event store at *url*, if this plugin handles its scheme.

    Stops at the first non-None result.  The built-in default handles
    ``memory://`` and ``sqlite:///…``; a storage plugin returns its store for
    its own scheme (``postgresql://…``) and ``None`` for any other.  The store
    should validate with ``center.store_context`` and pass the shared
    conformance suite (``govservice.testing``).

    Args:
        center: the centre the store is for.
        url: the store's URL.
        readonly: open for reading only (``store check``, ``report``…): a
            store that does not exist is a :class:`~govservice.exceptions.StoreError`
            ("no store at …"), nothing is created or written, and
            :attr:`EventStore.readonly <govservice.storage.EventStore.readonly>` is true.
            (An implementation may leave this argument out: its stores are then
            opened for writing.)

    Returns:
        An :class:`~govservice.storage.EventStore`, or ``None``.

    .. versionadded:: 0.1
    """


# ---- Assessment hooks -------------------------------------------------------


@hookspec
def register_assessment_rules(center: ServiceCenter) -> Iterable[AssessmentRule] | None:
    """Add assessment rules, or replace default ones by giving the same name.

    Called once, when the centre first assesses.  Rules from plugins come
    before the built-in defaults, so a plugin's rule named like a default one
    (e.g. ``default.overdue_cases``) replaces it; drop a rule with the
    rubric's ``exclude``.

    Args:
        center: the centre.

    Returns:
        :class:`~govservice.assessment.AssessmentRule` objects, each a
        documented function of the period's records yielding score items.

    .. versionadded:: 0.1
    """


@hookspec(firstresult=True)
def assessment_rubric(center: ServiceCenter) -> Rubric | None:
    """Decide the assessment's constants: base, cap, red flags, stars, composite.

    Stops at the first non-None result.  The built-in default: base 100, cap
    110, up to 3 red-flag windows scoring at least 95, up to 5 service stars
    scoring at least 100, no composite.

    Args:
        center: the centre.

    Returns:
        A :class:`~govservice.assessment.Rubric`, or ``None``.

    .. versionadded:: 0.1
    """
