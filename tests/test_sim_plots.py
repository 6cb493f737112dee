"""govservice.sim.plots: each chart on a small hall run."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from govservice.calendars import china
from govservice.model import load_catalogue
from govservice.sim import (
    BackOffice,
    Break,
    CustomerClass,
    DailyProfile,
    Empirical,
    Exponential,
    Hall,
    Lognormal,
    Poisson,
    Replications,
    Scenario,
    ServiceGoal,
    SimulationResult,
    StaffMember,
    Station,
    on_time_against_staffing,
    plan_staffing,
    queue_over_day,
    replicate,
    simulate,
    staffing_plan,
    utilisation,
    waits_by_hour,
)

plt = pytest.importorskip("matplotlib.pyplot")
from matplotlib.figure import Figure  # noqa: E402

DATA = Path(__file__).parent / "data"
OPEN, CLOSE = 9, 17.5  # the default opening hours: 09:00-12:00 and 13:30-17:30


@pytest.fixture(autouse=True)
def _close_figures() -> Iterator[None]:
    yield
    plt.close("all")


def scenario(windows: int = 2, scale: float = 1.0) -> Scenario:
    return Scenario(
        stations=[
            Station("triage", 1, service=Exponential(1.0), accepts=False, next="windows"),
            Station("windows", windows, service=Lognormal(8.0, 4.0)),
        ],
        classes=[
            CustomerClass(
                "market",
                DailyProfile(50, hourly={9: 3, 10: 3, 11: 2, 13: 1, 14: 2, 15: 2, 16: 1}),
                route="triage",
                matter="MR-001",
            )
        ],
        staff=[StaffMember("Zhang", "windows", breaks=[Break("10:30", 15)])],
        hall=Hall(china(), date(2026, 3, 2), days=3, last_ticket=15),
        back_office=[BackOffice("MR-001", Empirical([3, 5, 6, 8]), limit_scale=scale)],
        catalogue=load_catalogue(DATA / "catalogue_small.toml"),
        name=f"{windows} windows",
    )


@pytest.fixture(scope="module")
def run() -> SimulationResult:
    return simulate(scenario(), seed=1, records=True)


def test_waits_by_hour(run: SimulationResult) -> None:
    fig = waits_by_hour(run)
    assert isinstance(fig, Figure)
    (ax,) = fig.axes
    bars = ax.patches
    hours = [b.get_x() for b in bars]
    assert len(bars) == len(set(hours)) > 3
    assert all(OPEN <= h < CLOSE for h in hours)
    heights = np.array([b.get_height() for b in bars])
    assert np.all(heights >= 0) and heights.max() > 0
    assert run.visits is not None
    v = run.visits
    nine = np.floor(v["arrival"] % 1440 / 60) == 9
    assert heights[0] == pytest.approx((v["start"] - v["arrival"])[nine].mean())


def test_waits_by_hour_one_station_on_given_axes(run: SimulationResult) -> None:
    fig, ax = plt.subplots()
    assert waits_by_hour(run, station="windows", ax=ax) is fig
    assert "windows" in ax.get_title()
    with pytest.raises(ValueError, match="no station 'nowhere'"):
        waits_by_hour(run, station="nowhere")


def test_records_needed() -> None:
    bare = simulate(scenario(), seed=1)
    with pytest.raises(ValueError, match=r"records=True"):
        waits_by_hour(bare)
    with pytest.raises(ValueError, match=r"records=True"):
        queue_over_day(bare)


def test_queue_over_day(run: SimulationResult) -> None:
    fig = queue_over_day(run)
    (ax,) = fig.axes
    (line,) = ax.lines
    x, y = line.get_xdata(), line.get_ydata()
    assert np.all(y >= 0) and y.max() > 0 and y[-1] == 0
    assert np.all(np.diff(x) >= 0)
    assert x[0] >= OPEN and x[-1] <= 24
    # the busiest day by default
    assert run.customers is not None
    days = np.bincount(np.floor(run.customers["arrival"] / 1440).astype(int))
    busiest = date.fromordinal(date(2026, 3, 2).toordinal() + int(days.argmax()))
    assert str(busiest) in ax.get_title()


def test_queue_over_a_given_day_and_station(run: SimulationResult) -> None:
    ax = queue_over_day(run, "2026-03-03", station="windows").axes[0]
    assert "2026-03-03" in ax.get_title()
    assert np.all(ax.lines[0].get_ydata() >= 0)
    with pytest.raises(ValueError, match="no visits on 2026-03-01"):
        queue_over_day(run, date(2026, 3, 1))


def test_queue_without_a_hall() -> None:
    mm1 = Scenario(
        stations=[Station("s", 1, service=Exponential(1.0))],
        classes=[CustomerClass("a", Poisson(0.8), route="s")],
        customers=500,
    )
    r = simulate(mm1, seed=3, records=True)
    (line,) = queue_over_day(r).axes[0].lines
    assert np.all(line.get_ydata() >= 0)
    with pytest.raises(ValueError, match="hall"):
        queue_over_day(r, "2026-03-02")
    with pytest.raises(ValueError, match="hall"):
        waits_by_hour(r)


def test_utilisation(run: SimulationResult) -> None:
    fig = utilisation(run)
    ax = fig.axes[0]
    widths = [b.get_width() for b in ax.patches]
    assert len(widths) == 2 + 1  # two stations, one named member of staff
    assert all(0 < w < 1 for w in widths)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["triage", "windows", "Zhang (windows)"]
    assert widths[0] == pytest.approx(run.summary.stations["triage"].utilisation)
    assert len(utilisation(run.summary).axes[0].patches) == 3


def _points(fig: Figure) -> list[tuple[Any, Any]]:
    ax = fig.axes[0]
    return [(c.lines[0].get_xdata(), c.lines[0].get_ydata()) for c in ax.containers]


def test_on_time_against_staffing_runs() -> None:
    runs = {n: simulate(scenario(n, scale=2 / 3), seed=2) for n in (3, 1, 2)}
    ((x, y),) = _points(on_time_against_staffing(runs))
    assert list(x) == [1, 2, 3]
    assert np.all((y >= 0) & (y <= 1))
    assert y[0] == runs[1].summary.matters["MR-001"].on_time_promised
    statutory = on_time_against_staffing(runs, deadline="statutory", matter="MR-001")
    assert "statutory" in statutory.axes[0].get_ylabel()


def test_on_time_against_staffing_replications() -> None:
    reps: dict[int, Replications] = {
        n: replicate(scenario(n, scale=2 / 3), replications=3, seed=1) for n in (2, 3)
    }
    fig = on_time_against_staffing(reps)
    ((x, y),) = _points(fig)
    assert list(x) == [2, 3]
    assert y[0] == pytest.approx(np.mean(reps[2].values("matters.MR-001.on_time_promised")))
    (container,) = fig.axes[0].containers
    (bars,) = container.lines[2]
    assert len(bars.get_segments()) == 2  # an error bar a point
    for seg in bars.get_segments():
        assert 0 <= seg[:, 1].min() <= seg[:, 1].max() <= 1


def test_on_time_against_staffing_errors() -> None:
    runs = {2: simulate(scenario(), seed=1)}
    with pytest.raises(ValueError, match="deadline"):
        on_time_against_staffing(runs, deadline="soon")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="no promised on-time rates"):
        on_time_against_staffing(runs, matter="XX-999")


def test_without_matplotlib(run: SimulationResult, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(ImportError, match=r"pip install 'govservice\[charts\]'"):
        utilisation(run)


# ------------------------------------------------------------------ Chinese


def chinese_hall() -> Scenario:
    return Scenario(
        stations=[Station("综合窗口", 2, service=Exponential(1.0))],
        classes=[CustomerClass("群众", Poisson(1.5), route="综合窗口")],
        customers=300,
    )


def test_chinese_names_are_drawn_with_a_cjk_font(tmp_path: Path) -> None:
    """Saved as PNG, no glyph is missing (warnings are errors here); the font is named."""
    from govservice.fonts import installed_cjk_font

    font = installed_cjk_font()
    assert font is not None, "a CJK font (fonts-noto-cjk) is installed where the tests run"
    fig = utilisation(simulate(chinese_hall(), seed=1).summary)
    fig.savefig(tmp_path / "load.png", dpi=60)  # "Glyph … missing" would fail here
    label = fig.axes[0].get_yticklabels()[0]
    assert label.get_text() == "综合窗口" and font in label.get_fontfamily()


def test_without_the_fallback_glyphs_are_missing(tmp_path: Path) -> None:
    """The same label in a plain matplotlib figure: the default font has no Chinese."""
    fig, ax = plt.subplots()
    ax.set_title("综合窗口")
    with pytest.warns(UserWarning, match="missing from font"):
        fig.savefig(tmp_path / "plain.png", dpi=60)


def test_no_cjk_font_says_how_to_install_one(monkeypatch: pytest.MonkeyPatch) -> None:
    import govservice.fonts as fonts

    monkeypatch.setattr(fonts, "installed_cjk_font", lambda: None)
    summary = simulate(chinese_hall(), seed=1).summary
    with pytest.warns(fonts.CJKFontWarning, match="apt install fonts-noto-cjk"):
        utilisation(summary)
    plt.close("all")
    latin = simulate(scenario(), seed=1).summary
    utilisation(latin)  # no Chinese: no warning (warnings are errors here)


def test_staffing_plan() -> None:
    """One panel per day: the counters planned as bars, the load and Erlang C's guess."""
    hall = Scenario(
        stations=[Station("windows", 2, service=Lognormal(8.0, 4.0))],
        classes=[CustomerClass("walk-in", DailyProfile(120), route="windows")],
        hall=Hall(china(), start=date(2026, 3, 2), days=2),
    )
    plan = plan_staffing(hall, "windows", ServiceGoal(mean_wait=10), replications=2, seed=1)
    fig = staffing_plan(plan)
    assert isinstance(fig, Figure)
    assert len(fig.axes) == 2
    first = [h for h in plan.hours if h.day == date(2026, 3, 2)]
    assert [p.get_height() for p in fig.axes[0].patches] == [h.counters for h in first]
    assert np.allclose(fig.axes[0].lines[0].get_ydata(), [h.load for h in first])
    assert np.allclose(fig.axes[0].lines[1].get_ydata(), [h.erlang for h in first])
    _, ax = plt.subplots()
    assert staffing_plan(plan, "2026-03-03", ax=ax) is ax.figure
    with pytest.raises(ValueError, match="not in the plan"):
        staffing_plan(plan, "2026-03-09")
    with pytest.raises(ValueError, match="draw one day on given axes"):
        staffing_plan(plan, ax=ax)
