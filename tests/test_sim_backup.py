"""govservice.sim: spare counters called when the queue grows (``Station(backup=Backup(…))``)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govservice.calendars import china
from govservice.exceptions import DataFileError
from govservice.sim import (
    Appointments,
    Backup,
    CustomerClass,
    DailyProfile,
    Deterministic,
    Exponential,
    Hall,
    Lognormal,
    Poisson,
    Scenario,
    ScenarioError,
    SimulationResult,
    Station,
    load_scenario,
    simulate,
)
from test_sim import hall_scenario

MORNING, AFTERNOON = (9 * 60, 12 * 60), (13 * 60 + 30, 17 * 60 + 30)  # the default hours


def mmc(c: int, lam: float, backup: Backup | None = None, customers: int = 5_000) -> Scenario:
    return Scenario(
        stations=[Station("s", c, service=Exponential(1.0), backup=backup)],
        classes=[CustomerClass("a", Poisson(lam), route="s")],
        customers=customers,
    )


def waits(result: SimulationResult) -> np.ndarray:
    v = result.visits
    assert v is not None
    out: np.ndarray = v["start"] - v["arrival"]
    return out


# ------------------------------------------------------------- exact results


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_mm1_with_one_spare_on_call_is_mm2(seed: int) -> None:
    """M/M/1 with ``Backup(servers=1, call_at=1, release_at=0)`` gives every wait of M/M/2.

    Both runs draw the same arrivals and the same service times in the same
    order: streams are keyed by the names of the class and the station
    (``"arrivals:a:0"``, ``"service:s:a"``), and each customer takes the next
    service time on arrival.  In M/M/2 a customer finding a counter free
    starts at once, and one finding both busy waits for the first to free.
    With the spare: while it is closed nobody waits (anyone who had to wait
    would have called it, since ``call_at = 1``), so a customer finding the
    counter busy calls the spare and starts at once — as at M/M/2's idle
    second counter; while it is open, a customer finding both busy waits for
    the first to free — as in M/M/2; an idle spare closes only when nobody
    waits (``release_at = 0``), where M/M/2's second counter would stand idle.
    So both runs apply ``start = max(arrival, earliest free)`` to the same
    numbers, and every wait is equal to the bit.
    """
    spare = simulate(
        mmc(1, 1.5, Backup(servers=1, call_at=1, release_at=0)), seed=seed, records=True
    )
    two = simulate(mmc(2, 1.5), seed=seed, records=True)
    assert np.array_equal(waits(spare), waits(two))
    v = spare.visits
    assert v is not None
    assert set(np.unique(v["server"]).tolist()) == {-1, -2}  # the spare is counter #2
    s = spare.summary.stations["s"]
    assert s.backup_calls > 0
    # the spare is open exactly while it serves: its open time is its busy time
    on_spare = v["server"] == -2
    busy = float((v["end"][on_spare] - v["start"][on_spare]).sum())
    assert s.backup_minutes == pytest.approx(busy, rel=1e-9)


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
@pytest.mark.parametrize(
    "backup",
    [Backup(1, 1), Backup(1, 3, 1), Backup(2, 2), Backup(1, 5, 2), Backup(3, 4, 3)],
)
def test_more_counters_never_lengthen_a_wait(seed: int, backup: Backup) -> None:
    """FCFS with service times attached to customers: spares never lengthen any wait.

    Each customer starts at the earliest free open counter; the station's own
    counters serve a subset of the customers they serve without spares, so
    (by induction over the customers, in arrival order) their sorted free
    times are never later than without spares, and neither is any start.
    """
    base = simulate(mmc(1, 0.9), seed=seed, records=True)
    more = simulate(mmc(1, 0.9, backup), seed=seed, records=True)
    assert base.visits is not None and more.visits is not None
    assert np.array_equal(base.visits["arrival"], more.visits["arrival"])
    assert np.all(waits(more) <= waits(base))
    assert more.summary.stations["s"].mean_wait < base.summary.stations["s"].mean_wait


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_never_called_is_no_backup(seed: int) -> None:
    """A spare whose call_at exceeds every queue seen changes nothing at all."""
    base = simulate(mmc(2, 1.5), seed=seed, records=True)
    assert base.visits is not None
    longest = int(
        np.max(np.searchsorted(np.sort(base.visits["start"]), base.visits["arrival"], "right"))
    )
    never = simulate(mmc(2, 1.5, Backup(2, longest + 100, 3)), seed=seed, records=True)
    assert never.visits is not None
    # the fast path of a station without spares does not record which counter served
    for field in ("customer", "arrival", "start", "end"):
        assert np.array_equal(never.visits[field], base.visits[field])
    assert never.summary == base.summary
    assert never.summary.stations["s"].backup_calls == 0


# ------------------------------------------------------- against a reference


def reference(
    arrivals: list[tuple[float, float]],
    regular: int,
    backup: Backup,
    sessions: list[tuple[float, float]],
) -> tuple[list[float], int, float]:
    """The documented rule, event by event: starts, calls and spare minutes."""
    free = [0.0] * regular
    spares: list[list[float]] = []  # [free, opened], in order of opening
    starts: list[float] = []
    calls, minutes, session = 0, 0.0, -1
    for a, s in arrivals:
        g = max(i for i, (o, _) in enumerate(sessions) if o <= a)
        close = sessions[g][1]
        if g != session:
            minutes += sum(f - o for f, o in spares)
            spares, session = [], g
        q = sum(1 for x in starts if x > a)
        if q <= backup.release_at:
            for sp in [sp for sp in spares if sp[0] <= a]:
                minutes += sp[0] - sp[1]
                spares.remove(sp)
        if (
            len(spares) < backup.servers
            and q + 1 >= backup.call_at
            and a + s <= close
            and min(free) > a
            and all(f > a for f, _ in spares)
        ):
            spares.append([a, a])
            calls += 1
        candidates = [
            (max(a, sp[0]), i) for i, sp in enumerate(spares) if max(a, sp[0]) + s <= close
        ]
        on_spare = min(candidates) if candidates else None
        k = int(np.argmin(free))
        if on_spare is not None and on_spare[0] < max(a, free[k]):
            start = on_spare[0]
            spares[on_spare[1]][0] = start + s
        else:
            start = max(a, free[k])
            free[k] = start + s
        starts.append(start)
    minutes += sum(f - o for f, o in spares)
    return starts, calls, minutes


@given(
    classes=st.lists(
        st.tuples(st.sampled_from([5, 10, 15, 20, 30]), st.integers(1, 3), st.integers(1, 25)),
        min_size=1,
        max_size=3,
    ),
    regular=st.integers(1, 2),
    spares=st.integers(1, 2),
    call_at=st.integers(1, 5),
    release=st.integers(0, 4),
)
@settings(max_examples=60, deadline=None)
def test_engine_matches_a_reference(
    classes: list[tuple[int, int, int]], regular: int, spares: int, call_at: int, release: int
) -> None:
    """Booked slots kept to the minute, fixed service times: the engine is the rule."""
    backup = Backup(spares, call_at, min(release, call_at - 1))
    sc = Scenario(
        stations=[
            Station(
                "s",
                regular,
                service={f"c{i}": Deterministic(float(t)) for i, (_, _, t) in enumerate(classes)},
                backup=backup,
            )
        ],
        classes=[
            CustomerClass(
                f"c{i}",
                Appointments(slot_minutes=slot, per_slot=n, booked=1.0, no_show=0.0, punctuality=0),
                route="s",
            )
            for i, (slot, n, _) in enumerate(classes)
        ],
        hall=Hall(china(), date(2026, 3, 2), days=1),
    )
    arrivals = sorted(
        (o + k * slot, i, float(t))
        for i, (slot, n, t) in enumerate(classes)
        for o, c in (MORNING, AFTERNOON)
        for k in range((c - o + slot - 1) // slot)
        for _ in range(n)
    )
    sessions = [(float(o), float(c)) for o, c in (MORNING, AFTERNOON)]
    starts, calls, minutes = reference([(a, s) for a, _, s in arrivals], regular, backup, sessions)
    r = simulate(sc, records=True)
    v = r.visits
    assert v is not None
    assert v["arrival"].tolist() == [a for a, _, _ in arrivals]
    assert v["start"].tolist() == starts
    s = r.summary.stations["s"]
    assert s.backup_calls == calls
    assert s.backup_minutes == pytest.approx(minutes)


# ------------------------------------------------------------------ the hall


def busy_hall(backup: Backup | None) -> Scenario:
    return Scenario(
        stations=[Station("windows", 2, service=Lognormal(8.0, 4.0), backup=backup)],
        classes=[
            CustomerClass(
                "walk-in",
                DailyProfile(90, hourly={9: 3, 10: 3, 11: 1, 14: 2, 15: 1}),
                route="windows",
            )
        ],
        hall=Hall(china(), date(2026, 3, 2), days=10, last_ticket=15),
    )


def session_bounds(t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    day = np.floor(t / 1440) * 1440
    morning = t % 1440 < MORNING[1] + 1e-9
    return (
        day + np.where(morning, MORNING[0], AFTERNOON[0]),
        day + np.where(morning, MORNING[1], AFTERNOON[1]),
    )


@pytest.mark.parametrize("seed", [1, 2])
def test_spares_only_in_opening_hours(seed: int) -> None:
    """Spares serve inside the session of the call; their open time and load are bounded."""
    backup = Backup(servers=2, call_at=4, release_at=1)
    r = simulate(busy_hall(backup), seed=seed, records=True)
    base = simulate(busy_hall(None), seed=seed, records=True)
    v = r.visits
    assert v is not None
    spare = v["server"] <= -3
    assert spare.any() and set(np.unique(v["server"][spare]).tolist()) <= {-3, -4}
    opens, closes = session_bounds(v["arrival"][spare])
    assert np.all(v["start"][spare] >= opens)
    assert np.all(v["end"][spare] <= closes)
    s = r.summary.stations["windows"]
    assert s.backup_calls > 0
    busy_on_spares = float((v["end"][spare] - v["start"][spare]).sum())
    assert busy_on_spares <= s.backup_minutes + 1e-9
    assert s.backup_minutes <= backup.servers * r.summary.observed
    assert s.utilisation <= 1
    # the station's own two counters are staffed for the open hours, the spares while open
    served = float((v["end"] - v["start"]).sum())
    assert s.utilisation == pytest.approx(served / (2 * r.summary.observed + s.backup_minutes))
    assert np.all(waits(r) <= waits(base))
    assert s.mean_wait < base.summary.stations["windows"].mean_wait


def test_named_staff_with_spares() -> None:
    """A station with named staff (and breaks) calls spares too, numbered after its counters."""
    sc = hall_scenario()
    stations = [attrs.evolve(x, backup=Backup(1, 2)) if x.name == "W3" else x for x in sc.stations]
    stations[1] = attrs.evolve(stations[1], backup=Backup(1, 2))  # W1: named staff 张敏
    r = simulate(attrs.evolve(sc, stations=stations), seed=2, records=True)
    v = r.visits
    assert v is not None
    w1 = v["station"] == 1
    spare = w1 & (v["server"] == -2)
    assert spare.any()
    assert r.staff_name(-2, 1) == "W1#2"
    opens, closes = session_bounds(v["arrival"][spare])
    assert np.all(v["start"][spare] >= opens) and np.all(v["end"][spare] <= closes)
    s = r.summary
    assert s.stations["W1"].backup_calls > 0 and s.stations["W3"].backup_calls > 0
    assert s.staff["张敏"].breaks == 15 * 10  # breaks still taken
    assert s.stations["W1"].utilisation <= 1


# -------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("kwargs", "field", "value"),
    [
        ({"servers": 0, "call_at": 3}, "servers", 0),
        ({"servers": 1.5, "call_at": 3}, "servers", 1.5),
        ({"servers": 1, "call_at": 0}, "call_at", 0),
        ({"servers": 1, "call_at": True}, "call_at", True),
        ({"servers": 1, "call_at": 3, "release_at": 3}, "release_at", 3),
        ({"servers": 1, "call_at": 3, "release_at": -1}, "release_at", -1),
    ],
)
def test_bad_backup(kwargs: dict[str, object], field: str, value: object) -> None:
    with pytest.raises(ScenarioError) as e:
        Backup(**kwargs)  # type: ignore[arg-type]
    assert e.value.field == field
    assert e.value.value == value
    assert field in str(e.value)


def test_backup_must_be_a_backup() -> None:
    with pytest.raises(ScenarioError) as e:
        Station("s", service=Exponential(1.0), backup={"servers": 1})  # type: ignore[arg-type]
    assert e.value.field == "backup"


SCENARIO = """
name = "spare"
customers = 500

[[class]]
name = "walk-in"
poisson = 0.9
route = "windows"

[[station]]
name = "windows"
service = { exponential = 1.0 }
backup = BACKUP
"""


def test_load(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text(
        SCENARIO.replace("BACKUP", "{ servers = 1, call_at = 6, release_at = 1 }"), "utf-8"
    )
    sc = load_scenario(path)
    assert sc.station("windows").backup == Backup(servers=1, call_at=6, release_at=1)
    assert simulate(sc, seed=1).summary.stations["windows"].backup_calls >= 0


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("{ servers = 0, call_at = 6 }", "backup.servers", 0),
        ("{ servers = 1, call_at = 0 }", "backup.call_at", 0),
        ("{ servers = 1, call_at = 2, release_at = 2 }", "backup.release_at", 2),
        ("{ servers = 1, call_at = 2.5 }", "backup.call_at", 2.5),
        ("{ servers = 1 }", "backup.call_at", None),
        ("{ servers = 1, call_at = 2, when = 3 }", "backup.when", 3),
        ("3", "backup", 3),
    ],
)
def test_file_errors_name_file_table_field_value(
    tmp_path: Path, text: str, field: str, value: object
) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(SCENARIO.replace("BACKUP", text), "utf-8")
    with pytest.raises(DataFileError) as e:
        load_scenario(path)
    assert e.value.record == "station 1"
    assert e.value.field == field
    assert e.value.value == value
    assert "bad.toml" in str(e.value)
