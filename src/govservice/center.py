"""The host: a service centre with its own plugins, calendar and opening hours.

:class:`ServiceCenter` is the only code that calls plugin hooks.  A centre is
chosen, not implied by what is installed: its region chain names the
regional plugins that shape its answers (see :mod:`govservice.plugins`), and
a centre file holds its settings (:mod:`govservice.centre_file`).  Two centres
built with different chains are independent, so one process can serve a city
and its counties side by side, each with its own store.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from functools import cached_property
from importlib import metadata
from pathlib import Path
from typing import Any

import attrs
import pluggy

from govservice._gc import gc_paused
from govservice.assessment import (
    Assessment,
    AssessmentRule,
    Period,
    Rubric,
    assess,
    collect_period,
    period_table,
)
from govservice.calendars import (
    CalendarAdjustment,
    DayInfo,
    OpeningHours,
    WorkingDayCalendar,
    WorkingHours,
    china,
)
from govservice.cases import AlertPolicy, Applicant, Case, Clock, Reading
from govservice.cases.table import CaseTable
from govservice.centre_file import LANGUAGES, read_centre_file
from govservice.exceptions import N_, CentreMismatch, DataFileError, PluginError, StoreError
from govservice.fees import FeeSchedule, Receipt, compute_fees
from govservice.i18n import Names
from govservice.model import BUILTIN_RULES, Catalogue, RuleBook, TimeLimitRule, load_catalogue
from govservice.plugins import (
    BUILT_IN,
    Level,
    PluginInfo,
    call_hook,
    collect,
    get_plugins,
    hook_answers,
    ignored_plugins,
    make_plugin_manager,
)
from govservice.progress import Progress, tracker
from govservice.provenance import Provenance
from govservice.reports import Report, build_report, months_of
from govservice.storage import EventStore, StoreContext

__all__ = ["ServiceCenter"]


class ServiceCenter:
    """A government service centre (政务服务中心) and the plugins that shape it.

    Args:
        name: the centre's name, for reports.
        timezone: the IANA timezone whose local dates are the centre's days.
        region: the region chain, general to local (province → city →
            county): each level an installed regional plugin's entry-point
            name, a plugin object, or a list of them for plugins of one level.
            For a single-answer hook the more local plugin answers first.
            Without a chain the centre has the national defaults.
        plugins: plugin objects appended to the region chain, one level each,
            the last the most local.
        entrypoints: load the installed generic plugins (store backends); set
            ``False`` for a centre with only the plugins it names, as tests do.
        block: names of installed generic plugins not to load.
        provisional: let the calendar answer for years without an announced
            arrangement, marking such answers as provisional.
        years: a TOML file of newly announced years in the built-in format
            (:meth:`~govservice.calendars.WorkingDayCalendar.with_years`),
            over the national data and the plugins' years.
        catalogue: the centre's catalogue of matters: a
            :class:`~govservice.model.Catalogue` or the path of a catalogue TOML
            file (loaded with the centre's rules, plugin rules included).
        store: the URL of the centre's store, opened by :meth:`open_store`
            when it is given no other.
        language: the language of reports and briefings, ``"zh"`` or ``"en"``.

    Raises:
        PluginError: the chain names a plugin that is not installed or is
            generic, or a plugin fails to load.
        ValueError: an unknown language.

    Example:
        >>> from govservice import ServiceCenter
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
        region: Sequence[Level] = (),
        plugins: Sequence[object] = (),
        entrypoints: bool = True,
        block: Iterable[str] = (),
        provisional: bool = False,
        years: str | Path | None = None,
        catalogue: Catalogue | str | Path | None = None,
        store: str | None = None,
        language: str = "zh",
    ) -> None:
        if language not in LANGUAGES:
            raise ValueError(f"language must be one of {', '.join(LANGUAGES)} (got {language!r})")
        self.name = name
        self._catalogue_source = catalogue
        self._catalogue_plugin: str | None = None
        self.timezone = timezone
        self.provisional = provisional
        self.years = years
        self.store_url = store
        self.language = language
        self.source: str | None = None
        """The centre file this centre was read from, if any."""
        self._origins: dict[object, str] = {}
        self.pm: pluggy.PluginManager = make_plugin_manager(
            entrypoints=entrypoints, region=region, plugins=plugins, block=block
        )

    @classmethod
    def from_file(cls, path: str | Path, **changes: Any) -> ServiceCenter:
        """The centre a centre file describes (see :mod:`govservice.centre_file`).

        Args:
            path: the centre file.
            changes: constructor arguments that replace the file's (e.g.
                ``entrypoints=False``).

        Raises:
            DataFileError: naming the file, the table, the field and the
                value — including a region chain naming a plugin that is not
                installed, is generic, or fails to load.
        """
        settings = {**read_centre_file(path), **changes}
        named = {
            n
            for level in settings.get("region", ())
            for n in ([level] if isinstance(level, str) else level)
            if isinstance(n, str)
        }
        try:
            center = cls(**settings)
        except PluginError as e:
            if e.hook is None and e.plugin in named:
                raise DataFileError(path, "centre", "region", e.plugin, e.reason) from None
            raise
        center.source = str(path)
        return center

    def __repr__(self) -> str:
        return f"<ServiceCenter {self.name!r} {self.timezone} plugins={len(self.plugins)}>"

    @property
    def plugins(self) -> list[PluginInfo]:
        """The plugins applied, their kinds, versions and the hooks each implements."""
        return get_plugins(self.pm)

    @property
    def ignored_plugins(self) -> list[PluginInfo]:
        """The installed regional plugins this centre leaves out (its chain names none of them)."""
        return ignored_plugins(self.pm)

    @property
    def region(self) -> tuple[tuple[str, ...], ...]:
        """The region chain, general to local, each level the names of its plugins."""
        levels: dict[int, list[str]] = {}
        for p in self.plugins:
            if p.level is not None:
                levels.setdefault(p.level, []).append(p.name)
        return tuple(tuple(levels[n]) for n in sorted(levels))

    def plugin_of(self, item: object) -> str | None:
        """The plugin that gave *item*, or ``None`` for govservice's own and the caller's.

        *item* is a calendar adjustment (``center.calendar.day(d).adjustment``)
        or a time-limit rule (a case's ``rule``); a rule a plugin's catalogue
        file defines is that plugin's.
        """
        if isinstance(item, CalendarAdjustment):
            self.calendar  # noqa: B018 - collects the adjustments and who gave them
        elif isinstance(item, TimeLimitRule):
            self.rules  # noqa: B018
            if item not in self._origins and self._catalogue_plugin is not None:
                return self._catalogue_plugin if item.source == self.catalogue.source else None
        return self._origins.get(item)

    def provenance(self, catalogue: Catalogue | None = None) -> Provenance:
        """The centre, its chain, its plugins' versions and *catalogue*'s fingerprint.

        Args:
            catalogue: the catalogue counted with (a store's); default the
                centre's own, if it has one.
        """
        if catalogue is None:
            catalogue = self._catalogue_or_none()
        plugins: list[tuple[str, str | None]] = [("govservice", metadata.version("govservice"))]
        applied = [p for p in self.plugins if p.kind != BUILT_IN]  # the chain, then generic ones
        applied.sort(key=lambda p: (p.level is None, p.level or 0))
        plugins += [(p.name, p.version) for p in applied]
        return Provenance(
            self.name,
            self.region,
            tuple(plugins),
            catalogue.fingerprint() if catalogue is not None else None,
            self.source,
            self.language,
        )

    def _catalogue_or_none(self) -> Catalogue | None:
        try:
            return self.catalogue
        except ValueError as e:
            if isinstance(e, DataFileError):
                raise
            return None

    def _collect(
        self, hook: str, key: Callable[[Any], Hashable], what: str, *, local_wins: bool = False
    ) -> list[tuple[str, Any]]:
        """What the plugins give to a collecting hook, with their names (see :func:`collect`)."""
        return collect(self.pm, hook, key=key, what=what, local_wins=local_wins, center=self)

    @cached_property
    def calendar(self) -> WorkingDayCalendar:
        """The working-day calendar (national data, plugin years, local adjustments).

        It counts for statutory limits: national data and lawful local days;
        its ``promised`` and ``hall`` views count the county's hall days too
        (:class:`~govservice.calendars.AdjustmentKind`).  Adjustments merge by
        the region chain: for a day several plugins adjust, the most local
        adjustment a view counts holds in it.
        """
        cal = china(timezone=self.timezone, provisional=self.provisional)
        years = self._collect("register_calendar_years", lambda y: y.year, N_("year"))
        if years:
            cal = cal.with_years([y for _, y in years])
        if self.years is not None:
            cal = cal.with_years(self.years)
        given = self._collect(
            "register_calendar_adjustments",
            lambda a: a.date,
            N_("calendar adjustment of"),
            local_wins=True,
        )
        self._origins.update((a, plugin) for plugin, a in given)
        # the chain's most general plugin first, so that for one day the most local one holds
        by_plugin: dict[str, list[CalendarAdjustment]] = {}
        for plugin, a in given:
            by_plugin.setdefault(plugin, []).append(a)
        adjustments = [a for plugin in reversed(by_plugin) for a in by_plugin[plugin]]
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
        given = self._collect("register_time_limit_rules", lambda r: r.id, N_("time-limit rule"))
        self._origins.update((r, plugin) for plugin, r in given)
        return BUILTIN_RULES.with_rules([r for _, r in given]) if given else BUILTIN_RULES

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
            provided = hook_answers(self.pm, "provide_catalogue", center=self)
            if not provided:
                raise ValueError(
                    "this centre has no catalogue: give it one (catalogue = … in its centre "
                    "file, --catalogue FILE, catalogue=… in Python), or name in its region "
                    "chain a county plugin that provides one"
                )
            self._catalogue_plugin, source = provided[0]
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

    def adjustment_text(self, info: DayInfo, language: str = "en") -> str | None:
        """The local adjustment of the day *info* describes, in words, with its plugin.

        Its :meth:`~govservice.calendars.CalendarAdjustment.text` in *language*
        (``"zh"`` or ``"en"``), the name prefixed with the plugin that gave it
        (see :meth:`plugin_of`), e.g. ``"local hall day — sample_county:
        周末延时服务日, counted for promised limits only"``; ``None`` for a day
        no local adjustment concerns.
        """
        adjustment = info.adjustment
        if adjustment is None:
            return None
        plugin = self.plugin_of(adjustment)
        if plugin is not None:
            adjustment = attrs.evolve(adjustment, name=f"{plugin}: {adjustment.name}")
        return adjustment.text(language)

    def deadline_provenance(self, case: Case, reading: Reading) -> dict[str, Any]:
        """What set each deadline of *reading*: the limit, the rule and the calendar.

        For the statutory and the promised deadline: the limit counted, the
        time-limit rule governing the case (its id, the version in force on
        the day of receipt, the plugin that gave it, its source), and the
        calendar it was counted on — its view (statutory limits count lawful
        local days only, promised ones the county's hall days too), the
        national data's coverage, and every local adjustment that view counts
        between the day counting started and the deadline, with its plugin.

        Args:
            case: the case, as the centre's clock folded it.
            reading: its reading at some instant.
        """
        rule = case.decision_rule  # the simplified procedure's while a case is under it
        rule_info = {
            "id": rule.id,
            "version": rule.validity,
            "plugin": self.plugin_of(rule),
            "source": rule.source,
        }
        out: dict[str, Any] = {}
        for key, limit, view in (
            ("statutory_deadline", case.decision_limit, "statutory"),
            ("promised_deadline", case.promised, "promised"),
        ):
            deadline = getattr(reading, key)
            if deadline is None or limit is None:
                continue
            cal = getattr(self.calendar, view)
            start = reading.counting_from
            counted = [
                d.adjustment
                for d in (cal.adjusted_days(start, deadline) if start is not None else [])
                if d.adjustment is not None and d.adjustment.counts_in(view)
            ]
            out[key] = {
                "limit": str(limit),
                "rule": rule_info,
                "calendar": {
                    "view": view,
                    "national_data": "{}–{}".format(*cal.coverage),
                    "provisional": cal.is_provisional(deadline),
                    "adjustments": [
                        {
                            "date": a.date.isoformat(),
                            "working": a.working,
                            "kind": a.kind.value,
                            "name": a.name,
                            "plugin": self.plugin_of(a),
                            "source": a.source,
                        }
                        for a in counted
                    ],
                },
            }
        return out

    @cached_property
    def store_context(self) -> StoreContext:
        """What this centre's stores validate events with (rules, calendar, hours, alerts)."""
        return StoreContext(self.rules, self.calendar, self.opening_hours, self.alert_policy)

    def open_store(
        self, url: str | None = None, *, force: bool = False, readonly: bool = False
    ) -> EventStore:
        """Open the event store at *url* (default: the centre's) through the plugins.

        Built in: ``memory://`` and ``sqlite:///path``.  A store remembers
        the centre that created it — its name, region chain and catalogue
        fingerprint, recorded when a centre first opens it for writing — and a
        centre with another region chain may open it only with *force*, since
        its plugins would count the store's cases differently.

        With *readonly*, the store is opened for reading only: a store that
        does not exist is an error (nothing is created), nothing is written
        (not even the centre), and a SQLite store is read while another
        process writes to it.

        Raises:
            CentreMismatch: the store records another region chain (and
                *force* is false); the message shows both.
            StoreError: no URL, no plugin handles the URL's scheme, or the
                store cannot be opened (with *readonly*: there is no store at
                the URL).
        """
        url = url or self.store_url
        if url is None:
            raise StoreError(
                N_("no store: give its URL (--db URL), or set store = … in the centre file")
            )
        results = call_hook(self.pm, "open_store", center=self, url=url, readonly=readonly)
        if not results:
            scheme = url.split(":", 1)[0]
            raise StoreError(
                N_(
                    "no plugin opens %(scheme)r stores (%(url)r); built in: memory://, "
                    "sqlite:///path; install a storage plugin for others"
                ),
                scheme=scheme,
                url=url,
            )
        store: EventStore = results[0]
        try:
            self._check_centre(store, force=force)
        except BaseException:
            store.close()
            raise
        return store

    def _check_centre(self, store: EventStore, *, force: bool) -> None:
        """Record this centre in a store that has none; refuse another chain's store."""
        region = [list(level) for level in self.region]
        recorded = store.centre_record()
        if recorded is None:
            if store.readonly:
                return
            catalogue = self._catalogue_or_none()
            store.record_centre(
                {
                    "name": self.name,
                    "region": region,
                    "catalogue": catalogue.fingerprint() if catalogue is not None else None,
                }
            )
        elif recorded.get("region") != region and not force:
            raise CentreMismatch(store.url, recorded, {"name": self.name, "region": region})

    @cached_property
    def assessment_rules(self) -> tuple[AssessmentRule, ...]:
        """The assessment rules (every plugin's, then the defaults not replaced)."""
        given = self._collect("register_assessment_rules", lambda r: r.name, N_("assessment rule"))
        return tuple(r for _, r in given)

    @cached_property
    def rubric(self) -> Rubric:
        """The assessment rubric decided by the first plugin that answers."""
        (rubric,) = call_hook(self.pm, "assessment_rubric", center=self)
        return rubric  # type: ignore[no-any-return]

    def assess(
        self, store: EventStore, period: Period | str, *, table: CaseTable | None = None
    ) -> Assessment:
        """Assess the windows and staff of *store* for *period* (e.g. ``"2026-05"``).

        The cases read are those the period needs
        (:func:`~govservice.assessment.period_table`), however long the
        store's history.  Pass a :class:`~govservice.cases.table.CaseTable` as
        *table* that holds at least those (the whole store's, or a longer
        period's) when assessing several periods, so the events are read once.
        """
        if isinstance(period, str):
            period = Period.month(period)
        with gc_paused():  # a large centre's month is a few hundred thousand records
            records = collect_period(
                store, period, bad_review_days=self.rubric.bad_review_days, table=table
            )
            assessment = assess(records, self.assessment_rules, self.rubric)
        catalogue = store.catalogue()
        return attrs.evolve(
            assessment, provenance=self.provenance(catalogue), names=Names.of(catalogue)
        )

    def report(
        self,
        store: EventStore,
        period: Period,
        *,
        assess_months: bool = True,
        language: str | None = None,
        progress: Progress = False,
    ) -> Report:
        """The period report of *store*: figures, monthly red flags, problems.

        Args:
            store: the centre's store.
            period: the period reported.
            assess_months: assess each month for its red-flag windows.
            language: ``"zh"`` or ``"en"`` (default: the centre's ``language``).
            progress: a bar over the steps (reading the store, each month,
                the figures); see :mod:`govservice.progress`.
        """
        language = language or self.language
        months = months_of(period) if assess_months else []
        red_flags = {}
        with tracker(progress, len(months) + 2, "steps", "report") as step, gc_paused():
            # what the period's figures read, and its months' assessments
            table = period_table(store, period, bad_review_days=self.rubric.bad_review_days)
            step()
            for month in months:
                red_flags[month.label] = list(self.assess(store, month, table=table).red_flags)
                step()
            report = build_report(
                table,
                store.clock,
                period,
                centre=self.name,
                payments=store.records("payment"),
                red_flags=red_flags,
                provenance=attrs.evolve(self.provenance(store.clock.catalogue), language=language),
                language=language,
            )
            step()
        return report

    @cached_property
    def fee_schedules(self) -> Mapping[str, FeeSchedule]:
        """The fee schedules by matter (the catalogue's, replaced by any plugin's)."""
        given = self._collect("register_fee_schedules", lambda s: s.matter, N_("fee schedule of"))
        extra = [s for _, s in given]
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
