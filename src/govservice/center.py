"""The host: a service centre with its own plugins, calendar and opening hours.

:class:`ServiceCenter` is the only code that calls plugin hooks.  Two centres
built with different plugins are independent, so a notebook can compare two
counties side by side.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Any

import pluggy

from govservice.assessment import Assessment, AssessmentRule, Period, Rubric, assess, collect_period
from govservice.calendars import (
    CalendarAdjustment,
    OpeningHours,
    WorkingDayCalendar,
    WorkingHours,
    china,
)
from govservice.cases import AlertPolicy, Applicant, Clock
from govservice.cases.table import CaseTable
from govservice.exceptions import StoreError
from govservice.fees import FeeSchedule, Receipt, compute_fees
from govservice.model import BUILTIN_RULES, Catalogue, RuleBook, load_catalogue
from govservice.plugins import PluginInfo, call_hook, get_plugins, make_plugin_manager
from govservice.reports import Report, build_report, months_of
from govservice.storage import EventStore, StoreContext

__all__ = ["ServiceCenter"]


class ServiceCenter:
    """A government service centre (政务服务中心) and the plugins that shape it.

    Args:
        name: the centre's name, for reports.
        timezone: the IANA timezone whose local dates are the centre's days.
        plugins: plugin objects to register in addition to installed ones;
            they are called first.
        entrypoints: load plugins installed under the ``govservice``
            entry-point group (set ``False`` for a centre with only the
            plugins you pass, as tests do).
        block: names of installed plugins not to load.
        provisional: let the calendar answer for years without an announced
            arrangement, marking such answers as provisional.
        catalogue: the centre's catalogue of matters: a
            :class:`~govservice.model.Catalogue` or the path of a catalogue TOML
            file (loaded with the centre's rules, plugin rules included).

    Example:
        >>> center = ServiceCenter(entrypoints=False)
        >>> center.calendar.is_working_day("2026-10-08")
        True
        >>> from datetime import date
        >>> [str(s) for s in center.opening_hours.sessions_on(date(2026, 10, 8))]
        ['09:00–12:00', '13:30–17:30']

    .. versionadded:: 0.1

    """

    def __init__(
        self,
        *,
        name: str = "政务服务中心",
        timezone: str = "Asia/Shanghai",
        plugins: Sequence[object] = (),
        entrypoints: bool = True,
        block: Iterable[str] = (),
        provisional: bool = False,
        catalogue: Catalogue | str | Path | None = None,
    ) -> None:
        self.name = name
        self._catalogue_source = catalogue
        self.timezone = timezone
        self.provisional = provisional
        self.pm: pluggy.PluginManager = make_plugin_manager(
            entrypoints=entrypoints, plugins=plugins, block=block
        )

    def __repr__(self) -> str:
        return f"<ServiceCenter {self.name!r} {self.timezone} plugins={len(self.plugins)}>"

    @property
    def plugins(self) -> list[PluginInfo]:
        """The plugins loaded, their versions and the hooks each implements."""
        return get_plugins(self.pm)

    @cached_property
    def calendar(self) -> WorkingDayCalendar:
        """The working-day calendar (national data, plugin years, local adjustments).

        It counts for statutory limits: national data and lawful local days;
        its ``promised`` and ``hall`` views count the county's hall days too
        (:class:`~govservice.calendars.AdjustmentKind`).
        """
        cal = china(timezone=self.timezone, provisional=self.provisional)
        years = [
            y
            for result in call_hook(self.pm, "register_calendar_years", center=self)
            for y in result
        ]
        if years:
            cal = cal.with_years(years)
        adjustments: list[CalendarAdjustment] = [
            a
            for result in call_hook(self.pm, "register_calendar_adjustments", center=self)
            for a in result
        ]
        return cal.with_adjustments(adjustments) if adjustments else cal

    @cached_property
    def opening_hours(self) -> OpeningHours:
        """The opening hours decided by the first plugin that answers."""
        (hours,) = call_hook(self.pm, "opening_hours", center=self)
        return hours  # type: ignore[no-any-return]

    @cached_property
    def working_hours(self) -> WorkingHours:
        """The hall's open hours (its opening hours on the days it opens, hall days too)."""
        return WorkingHours(self.calendar.hall, self.opening_hours)

    @cached_property
    def rules(self) -> RuleBook:
        """The time-limit rules (the built-in table with every plugin's rules)."""
        extra = [
            r
            for result in call_hook(self.pm, "register_time_limit_rules", center=self)
            for r in result
        ]
        return BUILTIN_RULES.with_rules(extra) if extra else BUILTIN_RULES

    @cached_property
    def catalogue(self) -> Catalogue:
        """The catalogue of units, windows, staff, matters and bundles.

        It is the one passed to the centre, else the one the first plugin
        provides (:ref:`provide_catalogue <plugin-hook-provide-catalogue>`).

        Raises:
            DataFileError: the catalogue file is malformed (nothing is loaded).
            ValueError: the centre has no catalogue from either.
        """
        source = self._catalogue_source
        if source is None:
            provided = call_hook(self.pm, "provide_catalogue", center=self)
            if not provided:
                raise ValueError(
                    "this centre has no catalogue: pass catalogue= to ServiceCenter, "
                    "or install a county plugin that provides one"
                )
            source = provided[0]
        if isinstance(source, Catalogue):
            return source
        return load_catalogue(source, rules=self.rules)

    @cached_property
    def alert_policy(self) -> AlertPolicy:
        """The alert policy decided by the first plugin that answers."""
        (policy,) = call_hook(self.pm, "alert_policy", center=self)
        return policy  # type: ignore[no-any-return]

    @cached_property
    def clock(self) -> Clock:
        """The clock counting this centre's cases on its calendar and opening hours."""
        return Clock(
            self.catalogue,
            self.calendar,
            opening_hours=self.opening_hours,
            alert_policy=self.alert_policy,
        )

    @cached_property
    def store_context(self) -> StoreContext:
        """What this centre's stores validate events with (rules, calendar, hours, alerts)."""
        return StoreContext(self.rules, self.calendar, self.opening_hours, self.alert_policy)

    def open_store(self, url: str) -> EventStore:
        """Open the event store at *url* through the plugins (built-in: memory, SQLite).

        Raises:
            StoreError: no plugin handles the URL's scheme, or it cannot be opened.
        """
        results = call_hook(self.pm, "open_store", center=self, url=url)
        if not results:
            scheme = url.split(":", 1)[0]
            raise StoreError(
                f"no plugin opens {scheme!r} stores ({url!r}); built in: memory://, "
                "sqlite:///path; install a storage plugin for others"
            )
        store: EventStore = results[0]
        return store

    @cached_property
    def assessment_rules(self) -> tuple[AssessmentRule, ...]:
        """The assessment rules (every plugin's, then the defaults not replaced)."""
        results = call_hook(self.pm, "register_assessment_rules", center=self)
        return tuple(r for result in results for r in result)

    @cached_property
    def rubric(self) -> Rubric:
        """The assessment rubric decided by the first plugin that answers."""
        (rubric,) = call_hook(self.pm, "assessment_rubric", center=self)
        return rubric  # type: ignore[no-any-return]

    def assess(
        self, store: EventStore, period: Period | str, *, table: CaseTable | None = None
    ) -> Assessment:
        """Assess the windows and staff of *store* for *period* (e.g. ``"2026-05"``).

        Pass the store's :class:`~govservice.cases.table.CaseTable` as *table*
        when assessing several periods, so the events are read once.
        """
        if isinstance(period, str):
            period = Period.month(period)
        records = collect_period(
            store, period, bad_review_days=self.rubric.bad_review_days, table=table
        )
        return assess(records, self.assessment_rules, self.rubric)

    def report(self, store: EventStore, period: Period, *, assess_months: bool = True) -> Report:
        """The period report of *store*: figures, monthly red flags, problems."""
        table = CaseTable.from_store(store)
        red_flags = {}
        if assess_months:
            for month in months_of(period):
                red_flags[month.label] = list(self.assess(store, month, table=table).red_flags)
        return build_report(
            table,
            store.clock,
            period,
            centre=self.name,
            payments=store.records("payment"),
            red_flags=red_flags,
        )

    @cached_property
    def fee_schedules(self) -> Mapping[str, FeeSchedule]:
        """The fee schedules by matter (the catalogue's, replaced by any plugin's)."""
        results = call_hook(self.pm, "register_fee_schedules", center=self)
        extra = [s for result in results for s in result]
        catalogue = self.catalogue.with_fee_schedules(extra) if extra else self.catalogue
        return catalogue.fees

    def receipt(
        self,
        matter: str,
        *,
        on: date,
        applicant: Applicant | None = None,
        quantity: Mapping[str, Decimal | int | str] | None = None,
        base: Mapping[str, Decimal | int | str] | None = None,
        facts: Mapping[str, Any] | None = None,
    ) -> Receipt:
        """The receipt of *matter*'s fees, with every plugin's waivers and reductions.

        Raises:
            FeeError: a quantity or base missing or malformed (naming the item).
            KeyError: an unknown matter.
        """
        m = self.catalogue.matter(matter)
        schedule = self.fee_schedules.get(matter) or FeeSchedule(matter, ())
        results = call_hook(
            self.pm,
            "adjust_fees",
            center=self,
            matter=m,
            applicant=applicant,
            schedule=schedule,
            on=on,
            facts=dict(facts or {}),
        )
        adjustments = [a for result in results for a in result]
        return compute_fees(schedule, quantity=quantity, base=base, adjustments=adjustments)
