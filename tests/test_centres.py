"""Centres choose their plugins: region chains, conflicts, centre files, stores that remember.

The plugins here are objects placed in a region chain; ``test_regions.py`` does the same with
plugins installed by pip, through their entry points and the command line.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from govservice import DataFileError, PluginError, ServiceCenter, hookimpl
from govservice.assessment import AssessmentRule, Period
from govservice.calendars import CalendarAdjustment, HolidayYear, OpeningHours, Schedule
from govservice.centre_file import find_centre_file, read_centre_file
from govservice.exceptions import CentreMismatch, PluginConflict
from govservice.fees import FeeItem, FeeSchedule, Fixed
from govservice.model import LimitUnit, TimeLimit, TimeLimitRule, load_catalogue
from govservice.provenance import Provenance

CATALOGUE = Path(__file__).parent / "data" / "catalogue_clock.toml"


def hours(*sessions: tuple[str, str]) -> OpeningHours:
    return OpeningHours((Schedule("all year", sessions),))


class Plugin:
    """A plugin object with a name, answering opening_hours and giving adjustments."""

    def __init__(self, name: str, opening: OpeningHours | None = None, *adjustments: object):
        self.__name__ = name
        self._opening = opening
        self._adjustments = adjustments

    @hookimpl
    def opening_hours(self, center):
        return self._opening

    @hookimpl
    def register_calendar_adjustments(self, center):
        return list(self._adjustments)


LAWFUL = {"kind": "lawful_local_day"}  # counted for every limit, statutory ones included
PROMISED = {"kind": "hall_day", "counts_for_promised": True}  # the county's promises only

PROVINCE = Plugin(
    "province",
    hours(("08:00", "12:00"), ("14:00", "18:00")),
    CalendarAdjustment(date(2026, 3, 5), False, "自治区纪念日", **LAWFUL),
    CalendarAdjustment(date(2026, 4, 20), False, "三月三", **LAWFUL),
)
CITY = Plugin("city", hours(("08:30", "12:00"), ("14:00", "17:30")))
COUNTY = Plugin(
    "county",
    hours(("09:00", "12:00"), ("13:30", "17:00")),
    CalendarAdjustment(date(2026, 3, 7), True, "周末延时服务日", **PROMISED),
    CalendarAdjustment(date(2026, 4, 20), True, "县城集中办理日", kind="hall_day"),
)


def sessions(center: ServiceCenter) -> list[str]:
    return [str(s) for s in center.opening_hours.sessions_on(date(2026, 6, 1))]


class TestRegionChain:
    """The chain orders single answers (local first) and merges what plugins give."""

    def test_the_most_local_answers_first(self) -> None:
        def centre(*region: object) -> ServiceCenter:
            return ServiceCenter(entrypoints=False, region=region)

        assert sessions(centre(PROVINCE, CITY, COUNTY)) == ["09:00–12:00", "13:30–17:00"]
        assert sessions(centre(PROVINCE, CITY)) == ["08:30–12:00", "14:00–17:30"]
        assert sessions(centre(PROVINCE)) == ["08:00–12:00", "14:00–18:00"]
        assert sessions(centre()) == ["09:00–12:00", "13:30–17:30"]  # the national default

    def test_a_plugin_that_does_not_answer_leaves_it_to_the_next(self) -> None:
        quiet = Plugin("quiet-county")  # opening_hours returns None
        center = ServiceCenter(entrypoints=False, region=[CITY, quiet])
        assert sessions(center) == ["08:30–12:00", "14:00–17:30"]

    def test_adjustments_merge_and_the_most_local_holds_a_day(self) -> None:
        center = ServiceCenter(entrypoints=False, region=[PROVINCE, CITY, COUNTY])
        cal = center.calendar
        assert not cal.is_working_day(date(2026, 3, 5))  # the province's lawful rest day
        assert cal.promised.is_working_day(date(2026, 3, 7))  # the county's Saturday
        # 20 April: the province's lawful rest day, the county's hall opens; in the hall's
        # days the county is more local; the law counts the province's day, not a hall day
        hall = cal.hall.day(date(2026, 4, 20))
        assert hall.working and center.plugin_of(hall.adjustment) == "county"
        assert center.adjustment_text(hall) == (
            "local hall day — county: 县城集中办理日, hall hours only, counted for no limit"
        )
        law = cal.day(date(2026, 4, 20))
        assert not law.working and center.plugin_of(law.adjustment) == "province"
        assert center.adjustment_text(law) == (
            "lawful local rest day — province: 三月三, counted for every limit"
        )
        reversed_chain = ServiceCenter(entrypoints=False, region=[COUNTY, PROVINCE])
        assert not reversed_chain.calendar.hall.is_working_day(date(2026, 4, 20))

    def test_region_and_levels_are_named(self) -> None:
        center = ServiceCenter(entrypoints=False, region=[PROVINCE, [CITY]], plugins=[COUNTY])
        assert center.region == (("province",), ("city",), ("county",))
        levels = {p.name: (p.kind, p.level) for p in center.plugins}
        assert levels["county"] == ("regional", 3)
        assert levels["govservice.defaults.calendar_china"] == ("built-in", None)

    def test_centres_without_the_chain_are_untouched(self) -> None:
        ServiceCenter(entrypoints=False, region=[PROVINCE, COUNTY]).calendar  # noqa: B018
        assert ServiceCenter(entrypoints=False).calendar.is_working_day(date(2026, 3, 5))
        assert not ServiceCenter(entrypoints=False).calendar.hall.is_working_day(date(2026, 3, 7))


class TestConflicts:
    """Answers nothing orders, and ids given twice, are errors naming both plugins."""

    def test_one_level_two_answers(self) -> None:
        other = Plugin("county-b", hours(("08:00", "11:00")))
        center = ServiceCenter(entrypoints=False, region=[PROVINCE, [COUNTY, other]])
        with pytest.raises(PluginConflict) as e:
            center.opening_hours  # noqa: B018
        assert set(e.value.plugins) == {"county", "county-b"}
        assert e.value.hook == "opening_hours"
        assert "region chain does not order them" in str(e.value)
        assert "'county'" in str(e.value) and "'county-b'" in str(e.value)
        assert isinstance(e.value, PluginError)

    def test_one_level_one_answer_is_no_conflict(self) -> None:
        center = ServiceCenter(entrypoints=False, region=[[COUNTY, Plugin("fees-only")]])
        assert sessions(center) == ["09:00–12:00", "13:30–17:00"]

    def test_one_day_adjusted_twice_on_one_level(self) -> None:
        blackout = CalendarAdjustment(date(2026, 3, 7), False, "停电", kind="hall_day")
        other = Plugin("county-b", None, blackout)
        center = ServiceCenter(entrypoints=False, region=[[COUNTY, other]])
        with pytest.raises(PluginConflict, match=r"calendar adjustment of 2026-03-07") as e:
            center.calendar  # noqa: B018
        assert set(e.value.plugins) == {"county", "county-b"}
        assert e.value.hook == "register_calendar_adjustments"

    @pytest.mark.parametrize(
        ("hook", "item", "what"),
        [
            (
                "register_time_limit_rules",
                TimeLimitRule(
                    id="local.subsidy",
                    title="住房补贴审核",
                    law="某地住房补贴办法",
                    article="第十二条",
                    limit=TimeLimit(15, LimitUnit.WORKING_DAYS),
                ),
                "time-limit rule local.subsidy",
            ),
            (
                "register_fee_schedules",
                FeeSchedule("MR-001", [FeeItem("MR-001-F9", "工本费", Fixed("10"), basis="第3项")]),
                "fee schedule of MR-001",
            ),
            (
                "register_assessment_rules",
                AssessmentRule("local.pennants", "satisfaction", "锦旗", lambda r, rubric: ()),
                "assessment rule local.pennants",
            ),
            ("register_calendar_years", HolidayYear(2026, None, ()), "year 2026"),
        ],
    )
    def test_an_id_given_by_two_plugins(self, hook: str, item: object, what: str) -> None:
        """Even at different levels: ids are unique among a centre's plugins."""

        def giver(name: str) -> object:
            return type(name, (), {"__name__": name, hook: hookimpl(lambda self, center: [item])})()

        center = ServiceCenter(
            entrypoints=False, region=[giver("city"), giver("county")], catalogue=CATALOGUE
        )
        with pytest.raises(PluginConflict) as e:
            {
                "register_time_limit_rules": lambda: center.rules,
                "register_fee_schedules": lambda: center.fee_schedules,
                "register_assessment_rules": lambda: center.assessment_rules,
                "register_calendar_years": lambda: center.calendar,
            }[hook]()
        assert e.value.plugins == ("county", "city") and e.value.hook == hook
        assert f"both give the {what}" in str(e.value)

    def test_a_plugin_still_replaces_a_default(self) -> None:
        rule = AssessmentRule("default.findings", "discipline", "not scored", lambda r, rubric: ())

        class County:
            __name__ = "county"

            @hookimpl
            def register_assessment_rules(self, center):
                return [rule]

        center = ServiceCenter(entrypoints=False, region=[County()])
        assert center.assessment_rules[0] is rule


class TestCentreFile:
    """A centre file: every setting read, every error naming file, table, field and value."""

    def write(self, tmp_path: Path, text: str) -> Path:
        f = tmp_path / "govservice.toml"
        f.write_text(text, encoding="utf-8")
        return f

    def test_every_setting(self, tmp_path: Path) -> None:
        (tmp_path / "catalogue.toml").write_text(CATALOGUE.read_text(encoding="utf-8"))
        f = self.write(
            tmp_path,
            '[centre]\nname = "示范县政务服务中心"\ntimezone = "Asia/Urumqi"\n'
            'store = "sqlite:///hall.db"\ncatalogue = "catalogue.toml"\nregion = []\n'
            '[policies]\nprovisional = true\nlanguage = "en"\n',
        )
        center = ServiceCenter.from_file(f, entrypoints=False)
        assert center.name == "示范县政务服务中心" and center.timezone == "Asia/Urumqi"
        assert center.store_url == f"sqlite:///{tmp_path.resolve()}/hall.db"
        assert center.catalogue.source == str(tmp_path.resolve() / "catalogue.toml")
        assert center.provisional and center.calendar.provisional
        assert center.language == "en" and center.source == str(f)
        assert center.region == ()

    def test_changes_replace_the_files_settings(self, tmp_path: Path) -> None:
        f = self.write(tmp_path, '[centre]\nname = "某县"\ntimezone = "Asia/Urumqi"\n')
        assert ServiceCenter.from_file(f, timezone="Asia/Shanghai").timezone == "Asia/Shanghai"

    @pytest.mark.parametrize(
        ("text", "where", "value"),
        [
            ('[center]\nname = "某县"\n', "top level, field 'center'", "{'name': '某县'}"),
            ('[centre]\nname = "某县"\nregoin = ["x"]\n', "centre, field 'regoin'", "['x']"),
            ('[centre]\nname = "某县"\ntimezone = "Asia/Shangai"\n', "field 'timezone'", ""),
            ('[centre]\nname = "某县"\nregion = "sample_county"\n', "field 'region'", ""),
            ('[centre]\nname = "某县"\nregion = ["a", "a"]\n', "field 'region'", "'a'"),
            ('[centre]\nname = "某县"\nregion = [3]\n', "field 'region'", "3"),
            ('[centre]\nname = "某县"\nstore = "hall.db"\n', "field 'store'", "'hall.db'"),
            ('[centre]\nname = "某县"\ncatalogue = "nope.toml"\n', "field 'catalogue'", ""),
            ('[centre]\nname = "某县"\n[policies]\nlanguage = "fr"\n', "policies", "'fr'"),
            ('[centre]\nname = "某县"\n[policies]\nprovisional = "yes"\n', "policies", "'yes'"),
            ('[centre]\ntimezone = "Asia/Shanghai"\n', "centre, field 'name'", "None"),
            ('name = "某县"\n', "top level, field 'name'", "'某县'"),
            ("[policies]\n", "top level, field 'centre'", "None"),
            ('[centre\nname = "某县"\n', "not valid TOML", ""),
        ],
    )
    def test_errors_say_where(self, tmp_path: Path, text: str, where: str, value: str) -> None:
        f = self.write(tmp_path, text)
        with pytest.raises(DataFileError) as e:
            ServiceCenter.from_file(f, entrypoints=False)
        assert str(e.value).startswith(str(f)) and where in str(e.value)
        if value == "None":  # a field missing: no value to show
            assert "missing" in str(e.value) and "(got" not in str(e.value), str(e.value)
        else:
            assert f"(got {value}" in str(e.value)

    def test_a_chain_naming_what_is_not_installed(self, tmp_path: Path) -> None:
        f = self.write(tmp_path, '[centre]\nname = "某县"\nregion = ["no_such_county"]\n')
        with pytest.raises(DataFileError) as e:
            ServiceCenter.from_file(f)
        assert (e.value.record, e.value.field, e.value.value) == (
            "centre",
            "region",
            "no_such_county",
        )
        assert "no installed plugin has this entry-point name" in str(e.value)

    def test_where_it_is_found(self, tmp_path: Path) -> None:
        here = self.write(tmp_path, '[centre]\nname = "某县"\n')
        other = tmp_path / "other.toml"
        env = {"GOVSERVICE_CENTRE": str(other)}
        assert find_centre_file("x.toml", environ=env, cwd=tmp_path) == Path("x.toml")
        assert find_centre_file(None, environ=env, cwd=tmp_path) == other
        assert find_centre_file(None, environ={}, cwd=tmp_path) == here
        assert find_centre_file(None, environ={}, cwd=tmp_path / "elsewhere") is None

    def test_read_gives_the_constructor_arguments(self, tmp_path: Path) -> None:
        f = self.write(tmp_path, '[centre]\nname = "某县"\nregion = ["a", ["b", "c"]]\n')
        assert read_centre_file(f) == {"name": "某县", "region": ["a", ["b", "c"]]}


class TestStoreRemembersItsCentre:
    """The store records the centre that created it and refuses another chain."""

    def test_recorded_when_created(self, tmp_path: Path) -> None:
        url = f"sqlite:///{tmp_path}/hall.db"
        center = ServiceCenter(
            name="某县", entrypoints=False, region=[PROVINCE, COUNTY], catalogue=CATALOGUE
        )
        with center.open_store(url) as store:
            record = store.centre_record()
        assert record == {
            "name": "某县",
            "region": [["province"], ["county"]],
            "catalogue": load_catalogue(CATALOGUE).fingerprint(),
        }
        with center.open_store(url) as store:  # the same chain: opened
            assert store.centre_record() == record

    def test_another_chain_is_refused_showing_both(self, tmp_path: Path) -> None:
        url = f"sqlite:///{tmp_path}/hall.db"
        ServiceCenter(name="某县", entrypoints=False, region=[PROVINCE, COUNTY]).open_store(
            url
        ).close()
        city = ServiceCenter(name="某市", entrypoints=False, region=[PROVINCE, CITY])
        with pytest.raises(CentreMismatch) as e:
            city.open_store(url)
        message = str(e.value)
        assert "某县 (region chain: province → county)" in message
        assert "某市 (region chain: province → city)" in message
        assert "--force" in message
        national = ServiceCenter(entrypoints=False)
        with pytest.raises(CentreMismatch, match="none — the national defaults"):
            national.open_store(url)
        with city.open_store(url, force=True) as store:  # forced: opened, the record kept
            assert store.centre_record()["region"] == [["province"], ["county"]]

    def test_the_centres_own_store(self, tmp_path: Path) -> None:
        center = ServiceCenter(entrypoints=False, store=f"sqlite:///{tmp_path}/own.db")
        with center.open_store() as store:
            assert store.url == f"sqlite:///{tmp_path}/own.db"
        from govservice.exceptions import StoreError

        with pytest.raises(StoreError, match="no store"):
            ServiceCenter(entrypoints=False).open_store()


def test_several_centres_in_one_process(tmp_path: Path) -> None:
    """A city platform over two counties: each centre its chain, its calendar, its store."""
    saturday = CalendarAdjustment(date(2026, 3, 28), True, "周末服务日", **PROMISED)
    county_b = Plugin("county-b", hours(("08:00", "12:00")), saturday)

    def make(name: str, *region: object) -> ServiceCenter:
        return ServiceCenter(name=name, entrypoints=False, region=region, catalogue=CATALOGUE)

    city = make("某市", PROVINCE, CITY)
    a = make("甲县", PROVINCE, CITY, COUNTY)
    b = make("乙县", PROVINCE, CITY, county_b)
    # 20 working days from Friday 13 February 2026 (Spring Festival in between): 19 March
    # nationally; the province's rest day on the 5th puts off every count by a day, and
    # county A's Saturday the 7th brings its promises back
    start = date(2026, 2, 13)
    assert city.calendar.add_working_days(start, 20) == date(2026, 3, 20)
    assert a.calendar.add_working_days(start, 20) == date(2026, 3, 20)
    assert a.calendar.promised.add_working_days(start, 20) == date(2026, 3, 19)
    assert b.calendar.promised.add_working_days(start, 20) == date(2026, 3, 20)
    assert b.calendar.hall.is_working_day(date(2026, 3, 28)) and sessions(b) == ["08:00–12:00"]
    assert not a.calendar.hall.is_working_day(date(2026, 3, 28))
    stores = {}
    for centre in (city, a, b):
        url = f"sqlite:///{tmp_path}/{centre.name}.db"
        with centre.open_store(url) as store:
            store.set_catalogue(centre.catalogue)
        stores[centre.name] = url
    with pytest.raises(CentreMismatch):
        a.open_store(stores["乙县"])
    with a.open_store(stores["甲县"]) as store:
        assert store.centre_record()["name"] == "甲县"


class TestProvenance:
    """Reports and briefings end with the centre, its plugins and versions, and the catalogue."""

    def test_the_catalogue_fingerprint(self, tmp_path: Path) -> None:
        text = CATALOGUE.read_text(encoding="utf-8")
        moved = tmp_path / "elsewhere.toml"
        moved.write_text(text, encoding="utf-8")
        changed = tmp_path / "changed.toml"
        changed.write_text(text.replace('"MR-002"', '"MR-012"'), encoding="utf-8")
        first = load_catalogue(CATALOGUE).fingerprint()
        assert len(first) == 12 and int(first, 16) >= 0
        assert load_catalogue(moved).fingerprint() == first
        assert load_catalogue(changed).fingerprint() != first

    def test_report_and_briefing_end_with_it(self, tmp_path: Path) -> None:
        from test_assessment import CATALOGUE as SMALL
        from test_assessment import month_events

        center = ServiceCenter(
            name="某县", entrypoints=False, region=[PROVINCE, COUNTY], catalogue=SMALL
        )
        fingerprint = load_catalogue(SMALL).fingerprint()
        with center.open_store(f"sqlite:///{tmp_path}/hall.db") as store:
            store.set_catalogue(center.catalogue)
            store.append(month_events())
            report = center.report(store, Period.month("2026-05"))
            assessment = center.assess(store, "2026-05")
        from govservice.assessment import briefing

        assert report.provenance == assessment.provenance
        p = report.provenance
        assert isinstance(p, Provenance)
        assert (p.centre, p.region, p.catalogue) == (
            "某县",
            (("province",), ("county",)),
            fingerprint,
        )
        assert [n for n, _ in p.plugins] == ["govservice", "province", "county"]
        md = report.to_markdown().splitlines()
        assert md[-4:] == [
            "办理中心: 某县  ",
            "区域插件链: province → county  ",
            f"插件及版本: govservice {p.plugins[0][1]}, province -, county -  ",
            f"事项目录指纹: {fingerprint}  ",
        ]
        assert json.loads(report.to_json())["provenance"]["catalogue_fingerprint"] == fingerprint
        assert "区域插件链: province → county" in report.to_html().split("<footer")[1]
        assert briefing.to_markdown(assessment).rstrip().endswith(f"事项目录指纹: {fingerprint}")
        assert "区域插件链: province → county" in briefing.to_html(assessment)
        assert json.loads(briefing.to_json(assessment))["provenance"]["region"] == [
            ["province"],
            ["county"],
        ]

    def test_in_english(self) -> None:
        p = Provenance("Sample County", (), (("govservice", "0.1"),), None, "c.toml", "en")
        assert p.lines() == [
            "Centre: Sample County",
            "Region chain: none — the national defaults",
            "Plugins and versions: govservice 0.1",
            "Catalogue fingerprint: –",
            "Centre file: c.toml",
        ]

    def test_a_deadlines_rule_and_calendar(self) -> None:
        from clock_cases import ev, sub

        center = ServiceCenter(entrypoints=False, region=[PROVINCE, COUNTY], catalogue=CATALOGUE)
        case = center.clock.case([sub("2026-03-02"), ev("accepted", "2026-03-02")])
        reading = center.clock.reading(case, "2026-03-03T12:00:00+08:00")
        made = center.deadline_provenance(case, reading)
        statutory = made["statutory_deadline"]
        assert statutory["rule"] == {
            "id": "alicensing.decision",
            "version": case.rule.validity,
            "plugin": None,
            "source": "builtin",
        }
        assert statutory["limit"] == "20 working days (alicensing.decision)"
        # from 2 March the law counts the province's rest day on the 5th, the promise also
        # the county's Saturday on the 7th
        assert statutory["calendar"]["view"] == "statutory"
        assert [f"{a['plugin']}: {a['name']}" for a in statutory["calendar"]["adjustments"]] == [
            "province: 自治区纪念日"
        ]
        promised = made["promised_deadline"]
        assert promised["limit"].startswith(str(case.promised.amount))
        assert [
            (a["date"], a["plugin"], a["kind"]) for a in promised["calendar"]["adjustments"]
        ] == [
            ("2026-03-05", "province", "lawful_local_day"),
            ("2026-03-07", "county", "hall_day"),
        ]


def test_unknown_language() -> None:
    with pytest.raises(ValueError, match="language"):
        ServiceCenter(entrypoints=False, language="fr")


def test_receipts_count_with_the_chain() -> None:
    class Fees:
        __name__ = "city-fees"

        @hookimpl
        def register_fee_schedules(self, center):
            item = FeeItem("MR-001-F9", "工本费", Fixed("10"), basis="某市收费目录 第3项")
            return [FeeSchedule("MR-001", [item])]

    center = ServiceCenter(entrypoints=False, region=[Fees(), COUNTY], catalogue=CATALOGUE)
    assert center.receipt("MR-001", on=date(2026, 5, 6)).total == Decimal("10.00")
