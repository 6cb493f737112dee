"""The plugin spine: loading, ordering, failures named, and each hook's own test."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest

from command import gs
from govservice import PluginError, ServiceCenter, hookimpl
from govservice.calendars import CalendarAdjustment, DayKind, OpeningHours, load_years
from govservice.plugins import get_plugins


class ClosurePlugin:
    """A county that closes for 壮族三月三 and opens one Saturday."""

    __name__ = "county-closures"

    @hookimpl
    def register_calendar_adjustments(self, center):
        return [
            CalendarAdjustment(
                date(2026, 4, 20), False, "壮族三月三", "county", kind="lawful_local_day"
            ),
            CalendarAdjustment(
                date(2026, 3, 14),
                True,
                "周末延时服务日",
                "county",
                kind="hall_day",
                counts_for_promised=True,
            ),
        ]


def test_hook_register_calendar_adjustments() -> None:
    center = ServiceCenter(entrypoints=False, plugins=[ClosurePlugin()])
    assert center.calendar.day(date(2026, 4, 20)).kind is DayKind.LOCAL_CLOSURE
    # the Saturday of service is a hall day: open, counted for promises, not for the law
    assert not center.calendar.is_working_day(date(2026, 3, 14))
    assert center.calendar.promised.is_working_day(date(2026, 3, 14))
    assert center.calendar.hall.is_working_day(date(2026, 3, 14))
    # a second centre without the plugin is unaffected
    assert ServiceCenter(entrypoints=False).calendar.is_working_day(date(2026, 4, 20))


def test_hook_opening_hours() -> None:
    seasonal = OpeningHours.seasonal(summer=[("08:30", "12:00")], winter=[("09:00", "12:00")])

    class Hours:
        __name__ = "county-hours"

        @hookimpl
        def opening_hours(self, center):
            return seasonal

    center = ServiceCenter(entrypoints=False, plugins=[Hours()])
    assert center.opening_hours is seasonal  # the county wins over the trylast default
    assert ServiceCenter(entrypoints=False).opening_hours == OpeningHours.default()


def test_hook_register_calendar_years(tmp_path: Path) -> None:
    f = tmp_path / "2027.toml"
    f.write_text(
        '[[year]]\nyear = 2027\nnotice = "国务院办公厅关于2027年部分节假日安排的通知"\n'
        '[[year.holiday]]\nfestivals = ["new_year"]\nname = "元旦"\n'
        "off = [2027-01-01, 2027-01-01]\nstatutory = [2027-01-01]\nmakeup = []\n",
        encoding="utf-8",
    )

    class Year2027:
        __name__ = "year-2027"

        @hookimpl
        def register_calendar_years(self, center):
            return load_years(f)

    center = ServiceCenter(entrypoints=False, plugins=[Year2027()])
    assert center.calendar.coverage == (2004, 2027)
    assert not center.calendar.is_working_day(date(2027, 1, 1))


class TestFailures:
    """A plugin's failure is a PluginError naming the plugin and the hook."""

    def test_misspelled_hook_fails_loudly(self) -> None:
        class Typo:
            __name__ = "typo-plugin"

            @hookimpl
            def register_calender_adjustments(self, center):
                return []

        with pytest.raises(PluginError, match="typo-plugin") as e:
            ServiceCenter(entrypoints=False, plugins=[Typo()])
        assert "register_calender_adjustments" in str(e.value)

    def test_exception_in_plugin(self) -> None:
        class Broken:
            __name__ = "broken-plugin"

            @hookimpl
            def register_calendar_adjustments(self, center):
                raise KeyError("no such county")

        center = ServiceCenter(entrypoints=False, plugins=[Broken()])
        with pytest.raises(PluginError) as e:
            center.calendar  # noqa: B018
        assert e.value.plugin == "broken-plugin"
        assert e.value.hook == "register_calendar_adjustments"
        assert isinstance(e.value.__cause__, KeyError)

    def test_malformed_result(self) -> None:
        class Wrong:
            __name__ = "wrong-plugin"

            @hookimpl
            def opening_hours(self, center):
                return "09:00-17:00"

        center = ServiceCenter(entrypoints=False, plugins=[Wrong()])
        with pytest.raises(PluginError, match=r"wrong-plugin.*opening_hours.*malformed"):
            center.opening_hours  # noqa: B018

    def test_malformed_item(self) -> None:
        class Wrong:
            __name__ = "wrong-items"

            @hookimpl
            def register_calendar_adjustments(self, center):
                return [date(2026, 4, 20)]

        with pytest.raises(PluginError, match=r"wrong-items.*CalendarAdjustment"):
            ServiceCenter(entrypoints=False, plugins=[Wrong()]).calendar  # noqa: B018

    def test_wrong_argument_name(self) -> None:
        class BadArgs:
            __name__ = "bad-args"

            @hookimpl
            def opening_hours(self, centre):
                return None

        with pytest.raises(PluginError, match="bad-args"):
            ServiceCenter(entrypoints=False, plugins=[BadArgs()])

    def test_essential_plugin_cannot_be_blocked(self) -> None:
        with pytest.raises(PluginError, match="cannot be blocked"):
            ServiceCenter(entrypoints=False, block=["govservice.defaults.calendar_china"])


def test_listing_names_hooks() -> None:
    center = ServiceCenter(entrypoints=False, plugins=[ClosurePlugin()])
    by_name = {p.name: p for p in get_plugins(center.pm)}
    assert by_name["county-closures"].hooks == ("register_calendar_adjustments",)
    assert by_name["govservice.defaults.calendar_china"].hooks == ("opening_hours",)
    assert by_name["govservice.defaults.calendar_china"].version


@pytest.fixture
def installed_plugin(tmp_path: Path) -> dict[str, str]:
    """A real distribution on sys.path with a ``govservice`` entry point."""
    (tmp_path / "county_demo.py").write_text(
        textwrap.dedent("""
        from datetime import date
        from govservice import hookimpl
        from govservice.calendars import CalendarAdjustment

        @hookimpl
        def register_calendar_adjustments(center):
            return [
                CalendarAdjustment(
                    date(2026, 4, 20), False, "壮族三月三", "county-demo", kind="lawful_local_day"
                )
            ]
    """),
        encoding="utf-8",
    )
    dist = tmp_path / "county_demo-1.2.3.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: county-demo\nVersion: 1.2.3\n")
    (dist / "entry_points.txt").write_text("[govservice]\ncounty_demo = county_demo\n")
    (tmp_path / "broken_demo.py").write_text("raise ImportError('missing dependency xyz')\n")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(tmp_path), env.get("PYTHONPATH", "")])
    # only these two of the installed plugins (others, such as the sample county, stay out)
    env["GOVSERVICE_LOAD_PLUGINS"] = "county_demo,broken_demo"
    return env


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return gs(*args, env=env)


def test_entry_point_plugin_applies_where_a_centre_names_it(
    installed_plugin: dict[str, str], tmp_path: Path
) -> None:
    """Installed, a plugin that declares no kind is regional: listed, applied only when named."""
    out = _run(installed_plugin, "plugins")
    assert out.returncode == 0, out.stderr
    assert "已安装、未应用" in out.stdout
    assert "county_demo 1.2.3 — 地区（未声明GOVSERVICE_PLUGIN_KIND，按地区插件处理）" in out.stdout
    # without a centre file: the national calendar, and stderr says what is left out and how
    day = _run(installed_plugin, "calendar", "is-working-day", "2026-04-20", "--lang", "en")
    assert "Monday, 20 April 2026: working day" in day.stdout
    assert "regional plugins not applied: county_demo" in day.stderr
    assert "name them in govservice.toml's region" in day.stderr
    # a centre file naming it: the closure, and who made it
    centre = tmp_path / "centre.toml"
    centre.write_text('[centre]\nname = "某县"\nregion = ["county_demo"]\n', encoding="utf-8")
    named = _run(
        installed_plugin, "calendar", "is-working-day", "2026-04-20", "--centre", str(centre),
        "--lang", "en",
    )  # fmt: skip
    assert named.returncode == 0, named.stderr
    assert named.stdout == (
        "Monday, 20 April 2026: not a working day — local closure; "
        "lawful local rest day — county_demo: 壮族三月三, counted for every limit\n"
    )
    assert named.stderr == ""
    listed = _run(installed_plugin, "plugins", "--centre", str(centre), "--lang", "en")
    assert "county_demo 1.2.3 — regional (declares no" in listed.stdout
    assert "region chain level 1" in listed.stdout and "installed, not applied" not in listed.stdout
    # --no-plugins: not even the centre file's chain
    plain = _run(
        installed_plugin,
        "calendar",
        "is-working-day",
        "2026-04-20",
        "--centre",
        str(centre),
        "--no-plugins",
    )
    assert "2026年4月20日星期一：工作日" in plain.stdout


def test_broken_entry_point_is_named(installed_plugin: dict[str, str], tmp_path: Path) -> None:
    dist = tmp_path / "broken_demo-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: broken-demo\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text("[govservice]\nbroken_demo = broken_demo\n")
    out = _run(installed_plugin, "plugins")
    assert out.returncode == 2
    assert "插件'broken_demo'" in out.stderr and "missing dependency xyz" in out.stderr


def test_load_plugins_env_restricts(installed_plugin: dict[str, str]) -> None:
    env = dict(installed_plugin, GOVSERVICE_LOAD_PLUGINS="")
    out = _run(env, "plugins")
    assert "county_demo" not in out.stdout


def test_trace_shows_calls_and_results(installed_plugin: dict[str, str], tmp_path: Path) -> None:
    centre = tmp_path / "centre.toml"
    centre.write_text('[centre]\nname = "某县"\nregion = ["county_demo"]\n', encoding="utf-8")
    env = dict(installed_plugin, GOVSERVICE_TRACE_PLUGINS="1", GOVSERVICE_CENTRE=str(centre))
    out = _run(env, "calendar", "is-working-day", "2026-04-20")
    assert "hook register_calendar_adjustments(center=" in out.stderr
    assert "county_demo -> [CalendarAdjustment(" in out.stderr


CATALOGUE = Path(__file__).parent / "data" / "catalogue_clock.toml"


def test_hook_register_time_limit_rules(tmp_path: Path) -> None:
    from govservice.model import LimitUnit, TimeLimit, TimeLimitRule

    class County:
        __name__ = "county-rules"

        @hookimpl
        def register_time_limit_rules(self, center):
            return [
                TimeLimitRule(
                    id="county.subsidy",
                    title="住房补贴审核",
                    law="某县住房补贴管理办法",
                    article="第十二条",
                    limit=TimeLimit(15, LimitUnit.WORKING_DAYS),
                    max_extension=5,
                    source="county",
                )
            ]

    f = tmp_path / "catalogue.toml"
    f.write_text(
        CATALOGUE.read_text(encoding="utf-8")
        + (
            '\n[[matter]]\ncode = "ZJ-009"\nname = "住房补贴"\nunit = "GOV"\ncategory = "subsidy"\n'
            'kind = "promised"\nstatutory = { working_days = 15, rule = "county.subsidy" }\n'
        ),
        encoding="utf-8",
    )
    center = ServiceCenter(entrypoints=False, plugins=[County()], catalogue=f)
    assert "county.subsidy" in center.rules
    assert center.catalogue.matters["ZJ-009"].statutory.rule == "county.subsidy"
    # without the plugin the rule id is unknown and the catalogue is refused
    from govservice import DataFileError

    with pytest.raises(DataFileError, match=r"county\.subsidy"):
        ServiceCenter(entrypoints=False, catalogue=f).catalogue  # noqa: B018


def test_hook_alert_policy() -> None:
    from govservice.cases import Alert, AlertPolicy, event_from_dict

    class Strict:
        __name__ = "strict-county"

        @hookimpl
        def alert_policy(self, center):
            return AlertPolicy(reminder_days=3, yellow_days=2)

    events = [
        event_from_dict(e)
        for e in (
            {
                "case": "C",
                "type": "submitted",
                "at": "2026-09-24T10:00:00+08:00",
                "matter": "MR-001",
                "applicant": {"name": "张三", "kind": "person"},
            },
            {"case": "C", "type": "accepted", "at": "2026-09-24T10:00:00+08:00"},
        )
    ]
    at = "2026-10-09T12:00:00+08:00"  # promised deadline 13 Oct: 3 working days left (10, 12, 13)
    strict = ServiceCenter(entrypoints=False, plugins=[Strict()], catalogue=CATALOGUE)
    default = ServiceCenter(entrypoints=False, catalogue=CATALOGUE)
    assert strict.clock.reading(strict.clock.case(events), at).alert is Alert.REMINDER
    assert default.clock.reading(default.clock.case(events), at).alert is Alert.NONE


def test_hook_provide_catalogue() -> None:
    class County:
        __name__ = "county-catalogue"

        @hookimpl
        def provide_catalogue(self, center):
            return CATALOGUE

    center = ServiceCenter(entrypoints=False, plugins=[County()])
    assert "MR-001" in center.catalogue.matters
    with pytest.raises(ValueError, match="no catalogue"):
        ServiceCenter(entrypoints=False).catalogue  # noqa: B018
    explicit = ServiceCenter(
        entrypoints=False,
        plugins=[County()],
        catalogue=Path(__file__).parent / "data" / "catalogue_small.toml",
    )
    assert "NR-001" in explicit.catalogue.matters


def test_hook_register_fee_schedules() -> None:
    from datetime import date
    from decimal import Decimal

    from govservice.fees import FeeItem, FeeSchedule, Fixed

    class County:
        __name__ = "county-fees"

        @hookimpl
        def register_fee_schedules(self, center):
            item = FeeItem("MR-001-F9", "执照工本费", Fixed("10"), basis="某县收费目录 第3项")
            return [FeeSchedule("MR-001", [item], source="county-fees")]

    center = ServiceCenter(entrypoints=False, plugins=[County()], catalogue=CATALOGUE)
    assert center.receipt("MR-001", on=date(2026, 5, 6)).total == Decimal("10.00")
    plain = ServiceCenter(entrypoints=False, catalogue=CATALOGUE)
    assert plain.receipt("MR-001", on=date(2026, 5, 6)).total == Decimal("0.00")


def test_hook_adjust_fees() -> None:
    """A small and micro enterprise pays half (an illustrative relief with its basis)."""
    from datetime import date
    from decimal import Decimal

    from govservice.fees import FeeAdjustment, FeeItem, FeeSchedule, Fixed

    class Fees:
        __name__ = "fees"

        @hookimpl
        def register_fee_schedules(self, center):
            item = FeeItem("MR-001-F9", "执照工本费", Fixed("15"), basis="某县收费目录 第3项")
            return [FeeSchedule("MR-001", [item])]

    class Relief:
        __name__ = "relief"

        @hookimpl
        def adjust_fees(self, matter, facts, on):
            if facts.get("enterprise_size") == "small_micro" and on.year == 2026:
                return [
                    FeeAdjustment(
                        kind="reduction",
                        reason="小微企业减半",
                        basis="示例政策 第2条",
                        rate=Decimal("0.5"),
                    )
                ]
            return None

    center = ServiceCenter(entrypoints=False, plugins=[Fees(), Relief()], catalogue=CATALOGUE)
    small = center.receipt("MR-001", on=date(2026, 5, 6), facts={"enterprise_size": "small_micro"})
    assert small.total == Decimal("7.50")
    assert "小微企业减半" in small.to_text() and "示例政策 第2条" in small.to_text()
    assert center.receipt("MR-001", on=date(2026, 5, 6)).total == Decimal("15.00")


def _install(folder: Path, name: str, source: str) -> None:
    """A real distribution *name* on sys.path, its module *name* registered as a plugin."""
    (folder / f"{name}.py").write_text(textwrap.dedent(source), encoding="utf-8")
    dist = folder / f"{name}-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(f"[govservice]\n{name} = {name}\n")


STORE_PLUGIN = """
    from govservice import hookimpl
    from govservice.storage import MemoryStore

    GOVSERVICE_PLUGIN_KIND = "generic"

    @hookimpl
    def open_store(center, url):
        return MemoryStore(url, center.store_context) if url.startswith("demo://") else None
"""


class TestGenericPlugins:
    """Generic plugins load wherever installed, shape no answer, and may not answer twice."""

    def env(self, tmp_path: Path, *names: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("GOVSERVICE_")}
        env["PYTHONPATH"] = os.pathsep.join([str(tmp_path), env.get("PYTHONPATH", "")])
        env["GOVSERVICE_LOAD_PLUGINS"] = ",".join(names)
        return env

    def test_loaded_without_a_chain(self, tmp_path: Path) -> None:
        _install(tmp_path, "store_a", STORE_PLUGIN)
        code = "from govservice import ServiceCenter; print(ServiceCenter().open_store('demo://x'))"
        out = subprocess.run(
            [sys.executable, "-c", code],
            env=self.env(tmp_path, "store_a"),
            capture_output=True,
            text=True,
            check=False,
        )
        assert out.stdout.strip() == "<MemoryStore demo://x>", out.stderr
        listed = _run(self.env(tmp_path, "store_a"), "plugins")
        assert "store_a 1.0 — 通用" in listed.stdout

    def test_two_answering_one_url_conflict(self, tmp_path: Path) -> None:
        _install(tmp_path, "store_a", STORE_PLUGIN)
        _install(tmp_path, "store_b", STORE_PLUGIN)
        out = _run(self.env(tmp_path, "store_a", "store_b"), "store", "check", "--db", "demo://x")
        assert out.returncode == 2
        assert "插件'store_a'和'store_b'，钩子'open_store'" in out.stderr or (
            "插件'store_b'和'store_a'，钩子'open_store'" in out.stderr
        )

    def test_a_generic_plugin_may_not_shape_answers(self, tmp_path: Path) -> None:
        _install(
            tmp_path,
            "sneaky",
            STORE_PLUGIN
            + """
    @hookimpl
    def opening_hours(center):
        return None
""",
        )
        out = _run(self.env(tmp_path, "sneaky"), "plugins")
        assert out.returncode == 2
        assert "插件'sneaky'，钩子'opening_hours'" in out.stderr
        assert "声明GOVSERVICE_PLUGIN_KIND = 'generic'，却实现了会影响中心结果的opening_hours" in (
            out.stderr
        )

    def test_a_kind_that_is_neither(self, tmp_path: Path) -> None:
        _install(tmp_path, "odd", STORE_PLUGIN.replace('"generic"', '"county"'))
        out = _run(self.env(tmp_path, "odd"), "plugins")
        assert out.returncode == 2
        assert "GOVSERVICE_PLUGIN_KIND须为'regional'或'generic'（实际为'county'）" in out.stderr
