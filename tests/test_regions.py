"""Three installed regional plugins at once, each centre seeing only its region chain.

The sample county (installed in the test environment) and three plugins made with
``govservice new-plugin`` and installed by pip into a folder put on ``PYTHONPATH``: a province
(its hours and a closure), a city (the generated hours) and a copycat county (the generated
hours, and a time-limit rule with the sample county's id).  Everything runs in subprocesses,
as a user runs it, with centre files naming the chains.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from govservice.model import BUILTIN_RULES, load_catalogue

ADD_CLOSURE = '''

@hookimpl
def register_calendar_adjustments(center):
    """The province's lawful rest day, 5 March 2026 (illustrative)."""
    from datetime import date

    from govservice.calendars import CalendarAdjustment

    day = date(2026, 3, 5)
    return [CalendarAdjustment(day, False, "自治区示例纪念日", kind="lawful_local_day")]
'''

ADD_RULE = '''

@hookimpl
def register_time_limit_rules(center):
    """A rule under the sample county's id: refused beside the sample county."""
    from govservice.model import TimeLimit, TimeLimitRule

    return [
        TimeLimitRule(
            id="sample_county.public_service",
            title="抄来的规则",
            law="示例",
            article="第一条",
            limit=TimeLimit(30),
        )
    ]
'''

CHAINS = {
    "none": None,
    "province": '["demo_province"]',
    "city": '["demo_province", "demo_city"]',
    "county": '["demo_province", "demo_city", "sample_county"]',
    "one-level": '["sample_county", ["demo_province", "demo_city"]]',
    "duplicate": '["demo_copycat", "sample_county"]',
    "typo": '["demo_provnce", "sample_county"]',
}

EVENTS = [
    {
        "id": "HR5-1-1",
        "case": "HR5-1",
        "type": "submitted",
        "at": "2026-03-02T10:00:00+08:00",
        "matter": "HR-005",
        "applicant": {"name": "张三", "kind": "person"},
    },
    {"id": "HR5-1-2", "case": "HR5-1", "type": "accepted", "at": "2026-03-02T10:30:00+08:00"},
    {
        "id": "HR5-1-3",
        "case": "HR5-1",
        "type": "decided",
        "at": "2026-03-10T15:00:00+08:00",
        "outcome": "approved",
    },
]

Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture(scope="module")
def region(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Run]:
    """A folder per centre (``<name>/govservice.toml``) and a runner in the environment."""
    root = tmp_path_factory.mktemp("regions")
    made = root / "made"
    for name in ("demo-province", "demo-city", "demo-copycat"):
        out = subprocess.run(
            [sys.executable, "-m", "govservice", "new-plugin", name, "--directory", str(made)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert out.returncode == 0, out.stderr
    province = (
        made / "govservice-demo-province" / "src" / "govservice_demo_province" / "__init__.py"
    )
    text = province.read_text(encoding="utf-8").replace('"08:30"', '"08:00"')
    province.write_text(text.replace('"17:30"', '"18:00"') + ADD_CLOSURE, encoding="utf-8")
    copycat = made / "govservice-demo-copycat" / "src" / "govservice_demo_copycat" / "__init__.py"
    copycat.write_text(copycat.read_text(encoding="utf-8") + ADD_RULE, encoding="utf-8")
    site = root / "site"
    pip = subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site)]
        + [str(p) for p in sorted(made.iterdir())],
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    assert pip.returncode == 0, pip.stdout + pip.stderr
    env = {k: v for k, v in os.environ.items() if not k.startswith("GOVSERVICE_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(site), env.get("PYTHONPATH")]))
    for name, chain in CHAINS.items():
        folder = root / name
        folder.mkdir()
        (folder / "events.jsonl").write_text(
            "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in EVENTS), encoding="utf-8"
        )
        if chain is not None:
            (folder / "govservice.toml").write_text(
                f'[centre]\nname = "{name} centre"\nstore = "sqlite:///hall.db"\n'
                f"region = {chain}\n",
                encoding="utf-8",
            )

    def run(where: str, *args: str, python: bool = False) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, *args] if python else [sys.executable, "-m", "govservice", *args]
        out = subprocess.run(
            command,
            cwd=root / where,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
        assert "Traceback" not in out.stderr, out.stderr
        return out

    return root, run


LOOK = """
import json
from datetime import date
from govservice import ServiceCenter
c = ServiceCenter.from_file("govservice.toml")
print(json.dumps({
    "region": c.region,
    "ignored": sorted(p.name for p in c.ignored_plugins),
    "hours": [str(s) for s in c.opening_hours.sessions_on(date(2026, 6, 1))],
    "5 March": c.calendar.is_working_day(date(2026, 3, 5)),
    "7 March": c.calendar.is_working_day(date(2026, 3, 7)),
    "7 March, promised": c.calendar.promised.is_working_day(date(2026, 3, 7)),
}))
"""


def test_chains(region: tuple[Path, Run]) -> None:
    """Province, city, county: each its own hours and calendar; the others left out."""
    _, run = region
    seen = {}
    for centre in ("province", "city", "county"):
        out = run(centre, "-c", LOOK, python=True)
        assert out.returncode == 0, out.stderr
        seen[centre] = json.loads(out.stdout)
    assert seen["province"] == {
        "region": [["demo_province"]],
        "ignored": ["demo_city", "demo_copycat", "sample_county"],
        "hours": ["08:00–12:00", "14:00–18:00"],
        "5 March": False,
        "7 March": False,
        "7 March, promised": False,
    }
    assert seen["city"]["region"] == [["demo_province"], ["demo_city"]]
    assert seen["city"]["hours"] == ["08:30–12:00", "14:00–17:30"]  # the city's, not the province's
    assert not seen["city"]["5 March"]  # the province's closure still counts
    county = seen["county"]
    assert county["region"] == [["demo_province"], ["demo_city"], ["sample_county"]]
    assert county["ignored"] == ["demo_copycat"]
    assert county["hours"] == ["09:00–12:00", "14:30–17:30"]  # the sample county's summer hours
    # the province's rest day counts for every limit; the county's Saturday for its promises
    assert not county["5 March"] and not county["7 March"] and county["7 March, promised"]


def test_no_centre_file_says_what_it_ignores(region: tuple[Path, Run]) -> None:
    _, run = region
    out = run("none", "calendar", "add", "2026-03-02", "7")
    assert out.stdout.startswith("2026年3月11日星期三")  # the national calendar
    assert "adjusted" not in out.stdout
    assert out.stderr.count("govservice：没有中心配置文件") == 1
    for name in ("demo_province", "demo_city", "demo_copycat", "sample_county"):
        assert name in out.stderr
    listed = json.loads(run("none", "plugins", "--format", "json").stdout)["plugins"]
    regional = {p["name"]: p for p in listed if p["kind"] == "regional"}
    assert set(regional) == {"demo_province", "demo_city", "demo_copycat", "sample_county"}
    assert not any(p["applied"] for p in regional.values())


def test_conflict_on_one_level(region: tuple[Path, Run]) -> None:
    """The province and the city on one level both answer opening_hours: refused."""
    _, run = region
    out = run("one-level", "case", "replay", "events.jsonl", "--at", "2026-03-04T12:00:00+08:00")
    assert out.returncode == 2
    assert "'demo_province'" in out.stderr and "'demo_city'" in out.stderr
    assert "钩子'opening_hours'" in out.stderr and "地区链没有区分它们的先后" in out.stderr


def test_duplicate_rule_ids(region: tuple[Path, Run]) -> None:
    """Ordered by the chain, the two still give one rule id: refused, naming both."""
    _, run = region
    out = run("duplicate", "case", "replay", "events.jsonl", "--at", "2026-03-04T12:00:00+08:00")
    assert out.returncode == 2
    assert "插件'sample_county'和'demo_copycat'" in out.stderr
    assert "钩子'register_time_limit_rules'" in out.stderr
    assert "时限规则sample_county.public_service" in out.stderr


def test_a_typo_in_the_chain(region: tuple[Path, Run]) -> None:
    _, run = region
    out = run("typo", "plugins")
    assert out.returncode == 1  # the centre file's field refused
    assert "typo/govservice.toml，centre，字段'region'：" in out.stderr
    assert "是否指'demo_province'？" in out.stderr and "（实际为'demo_provnce'）" in out.stderr


def test_provenance_in_calendar_replay_and_report(region: tuple[Path, Run]) -> None:
    """Who moved a deadline: the calendar's lines, the replay's provenance, the report's footer."""
    root, run = region
    # 7 working days from Monday 2 March on the law's calendar: the province's rest day on the
    # 5th is not counted, nor is the county's hall day on Saturday the 7th (its promises only)
    out = run("county", "calendar", "add", "2026-03-02", "7", "--lang", "en")
    assert out.returncode == 0 and out.stderr == ""
    assert out.stdout.splitlines() == [
        "Thursday, 12 March 2026: working day",
        "  within the count: Thursday, 5 March 2026: not a working day — local closure; "
        "lawful local rest day — demo_province: 自治区示例纪念日, counted for every limit",
        "  within the count: Saturday, 7 March 2026: not a working day — weekend; local hall "
        "day — sample_county: 周末延时服务日（春季企业开办高峰）, counted for promised limits only",
    ]
    zh = run("county", "calendar", "add", "2026-03-02", "7").stdout.splitlines()
    assert zh[0] == "2026年3月12日星期四：工作日"
    assert zh[1].startswith("  计算期间内：2026年3月5日星期四：非工作日——地方休息日；")
    replay = run(
        "county",
        "case",
        "replay",
        "events.jsonl",
        "--at",
        "2026-03-04T12:00:00+08:00",
        "--all-fields",
    )
    assert replay.returncode == 0, replay.stderr
    (reading,) = [json.loads(line) for line in replay.stdout.splitlines()]
    # HR-005: 15 working days under the county's rule from 2 March, the 5th a rest day:
    # 3, 4, 6, 9–13, 16–20, 23, 24; promised 7 on the promised calendar, which also counts
    # the Saturday: 3, 4, 6, 7, 9, 10, 11
    assert reading["statutory_deadline"] == "2026-03-24"
    assert reading["promised_deadline"] == "2026-03-11"
    provenance = reading["provenance"]
    statutory = provenance["statutory_deadline"]
    assert statutory["rule"] == {
        "id": "sample_county.public_service",
        "version": "always",
        "plugin": "sample_county",
        "source": "govservice-sample-county",
    }
    assert statutory["limit"] == "15 working days (sample_county.public_service)"
    assert [f"{a['plugin']}: {a['name']}" for a in statutory["calendar"]["adjustments"]] == [
        "demo_province: 自治区示例纪念日"
    ]
    promised = provenance["promised_deadline"]["calendar"]
    assert promised["view"] == "promised"
    assert [f"{a['plugin']}: {a['name']}" for a in promised["adjustments"]] == [
        "demo_province: 自治区示例纪念日",
        "sample_county: 周末延时服务日（春季企业开办高峰）",
    ]
    stored = run("county", "store", "import", "events.jsonl")
    assert stored.returncode == 0, stored.stderr
    assert f"存储：sqlite:///{root / 'county' / 'hall.db'}" in stored.stdout
    report = run("county", "report", "--from", "2026-03-01", "--to", "2026-03-31")
    assert report.returncode == 0, report.stderr
    import govservice_sample_county as county

    fingerprint = load_catalogue(
        county.catalogue_path(), rules=BUILTIN_RULES.with_rules(county.COUNTY_RULES)
    ).fingerprint()
    footer = report.stdout.split("\n---\n")[-1].strip().splitlines()
    assert len(footer) == 5 and footer[4].endswith("county/govservice.toml")
    assert footer[0] == "办理中心: county centre  "
    assert footer[1] == "区域插件链: demo_province → demo_city → sample_county  "
    # govservice first, then the chain general to local (then any generic plugin installed)
    assert footer[2].startswith("插件及版本: govservice ")
    assert ", demo_province 0.1.0, demo_city 0.1.0, sample_county 0.1.0" in footer[2]
    assert footer[3].rstrip() == f"事项目录指纹: {fingerprint}"
    briefing = run("county", "assess", "--month", "2026-03")
    assert briefing.returncode == 0, briefing.stderr
    assert f"事项目录指纹: {fingerprint}" in briefing.stdout
    # the province's centre may not count the county's store, unless forced
    url = f"sqlite:///{root / 'county' / 'hall.db'}"
    refused = run("province", "store", "check", "--db", url)
    assert refused.returncode == 2
    assert "county centre（地区链：demo_province → demo_city → sample_county）" in (refused.stderr)
    assert "province centre（地区链：demo_province）" in refused.stderr
    forced = run("province", "store", "check", "--db", url, "--force")
    assert forced.returncode == 0, forced.stderr


def test_the_generated_plugins_tests_pass_here(region: tuple[Path, Run]) -> None:
    """Beside the sample county and the other generated plugins, a plugin's own tests pass."""
    root, run = region
    tests = root / "made" / "govservice-demo-city" / "tests"
    out = run("none", "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tests), python=True)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "3 passed" in out.stdout


SCENARIO = """
[hall]
start = 2026-03-02
days = 3

[[class]]
name = "all"
route = "windows"
walk_in = { per_day = 20 }

[[station]]
name = "windows"
servers = 2
service = { exponential = 8.0 }
"""


@pytest.mark.parametrize("centre", ["none", "county"])
def test_every_command_with_and_without_a_centre_file(
    region: tuple[Path, Run], centre: str
) -> None:
    """No traceback, and the store and catalogue come from the centre file when there is one."""
    root, run = region
    (root / centre / "hall.toml").write_text(SCENARIO, encoding="utf-8")
    urumqi = SCENARIO.replace("days = 3", 'days = 3\ntimezone = "Asia/Urumqi"')
    (root / centre / "urumqi.toml").write_text(urumqi, encoding="utf-8")
    db = [] if centre == "county" else ["--db", f"sqlite:///{root / centre / 'every.db'}"]
    at = ["--at", "2026-03-04T12:00:00+08:00"]
    county = 0 if centre == "county" else 2  # without a centre, no catalogue: a clear error
    commands = [
        (["calendar", "is-working-day", "2026-03-07"], 0),
        (["calendar", "add", "2026-03-02", "7"], 0),
        (["calendar", "between", "2026-03-02", "2026-03-11"], 0),
        (["calendar", "year", "2026"], 0),
        (["case", "replay", "events.jsonl", *at], county),
        (["store", "import", "events.jsonl", *db], county),
        # without a centre, the failed import left no store: none to export or check
        (["store", "export", *db], county),
        (["store", "check", *db], county),
        (["assess", "--month", "2026-03", *db], county),
        (["report", "--from", "2026-03-01", "--to", "2026-03-31", "--no-assess", *db], county),
        (["simulate", "hall.toml"], 0),
        # its own time zone: the scenario's without a centre file; against the centre's, refused
        (["simulate", "urumqi.toml"], 0 if centre == "none" else 1),
        (["plugins"], 0),
    ]
    for args, status in commands:
        out = run(centre, *args)
        assert out.returncode == status, (args, out.stdout, out.stderr)
        if status:
            assert "govservice：错误：" in out.stderr, (args, out.stderr)
    if centre == "none":
        replay = run(centre, "case", "replay", "events.jsonl", *at)
        assert "this centre has no catalogue" in replay.stderr
