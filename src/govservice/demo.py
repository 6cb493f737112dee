"""``govservice demo``: the whole library working, in one command.

A seeded generator plays half a year of a hall over a catalogue: applications
arriving on working days within opening hours, handled by the staff of the
windows that serve their matters — on the spot, within the promise, late now
and then, with corrections, suspensions, extensions, decisions, 好差评
evaluations and fee payments — plus the month's inspections, complaints,
commendations and service records.  Every event goes through a SQLite store,
which validates it against its case's history; then every month is assessed
and the half-year report written.  The same seed gives the same files.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import numpy as np

from govservice.assessment import Period, briefing
from govservice.calendars import OpeningHours, WorkingDayCalendar
from govservice.fees import compute_fees
from govservice.model import Catalogue, HandlingKind, LimitUnit, Matter
from govservice.progress import Progress, tracker
from govservice.reports import months_of
from govservice.supervision import (
    Commendation,
    Complaint,
    Finding,
    Inspection,
    ServiceRecord,
    to_record,
)

__all__ = ["SAMPLE_COUNTY", "DemoResult", "generate_events", "generate_records", "run_demo"]

PEOPLE = "张王李赵刘陈杨黄吴周徐孙马朱胡郭何高林罗"
FINDINGS = [
    "late",
    "phone_use",
    "no_badge",
    "absent_from_post",
    "procedure_error",
    "poor_attitude",
    "unauthorised_fee",
]
FINDING_ODDS = [0.3, 0.25, 0.2, 0.1, 0.08, 0.05, 0.02]
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"


@attrs.frozen
class DemoResult:
    """Where the demo wrote everything, and what it stored.

    .. versionadded:: 0.1
    """

    store: str
    report_html: Path
    report_md: Path
    report_json: Path
    briefings: tuple[Path, ...]
    cases: int
    events: int


def _seconds(t: time) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second


class _Hall:
    """The catalogue's staff at their windows, and time on the calendar."""

    def __init__(
        self,
        catalogue: Catalogue,
        calendar: WorkingDayCalendar,
        hours: OpeningHours,
        rng: np.random.Generator,
    ) -> None:
        self.cat, self.cal, self.hours, self.rng = catalogue, calendar, hours, rng
        self.tz = calendar.timezone
        self.staff_of: dict[str, list[str]] = {}
        for s in catalogue.staff.values():
            self.staff_of.setdefault(s.window, []).append(s.code)
        self.windows_of: dict[str, list[str]] = {}
        for m in catalogue.matters.values():
            wins = [w for w in m.windows if w in catalogue.windows] or [
                w.code for w in catalogue.windows.values() if m.unit in w.units
            ]
            if wins:
                self.windows_of[m.code] = wins

    def instant(self, day: date, after: datetime | None = None) -> datetime:
        """A moment of *day* while the hall is open (after *after* if given)."""
        sessions = self.hours.sessions_on(day)
        total = sum(s.seconds for s in sessions)
        for _ in range(8):
            x = self.rng.uniform(0, total)
            for s in sessions:
                if x < s.seconds:
                    t = datetime.combine(day, time(), tzinfo=self.tz) + timedelta(
                        seconds=_seconds(s.start) + x
                    )
                    break
                x -= s.seconds
            if after is None or t > after:
                return t
        assert after is not None
        return after + timedelta(minutes=1)

    def later(self, t: datetime, minutes: float) -> datetime:
        return t + timedelta(minutes=float(minutes))

    def working_day(self, t: datetime, n: int) -> date:
        return self.cal.add_working_days(t.astimezone(self.tz).date(), n)


def _applicant(rng: np.random.Generator, k: int) -> dict[str, str]:
    if rng.random() < 0.3:
        return {
            "name": f"示范{PEOPLE[k % len(PEOPLE)]}{GIVEN[k % len(GIVEN)]}有限公司",
            "kind": "organization",
        }
    return {"name": PEOPLE[k % len(PEOPLE)] + GIVEN[(k * 7) % len(GIVEN)], "kind": "person"}


def _case_events(
    hall: _Hall, m: Matter, cid: str, day: date, k: int, last_day: date
) -> list[dict[str, Any]]:
    """One case's events: a plausible history the clock accepts."""
    rng, cat = hall.rng, hall.cat
    window = str(rng.choice(hall.windows_of[m.code]))
    staff = hall.staff_of.get(window)
    by = str(rng.choice(staff)) if staff else window
    t0 = hall.instant(day)
    ev: list[dict[str, Any]] = [
        {
            "case": cid,
            "id": f"{cid}-1",
            "type": "submitted",
            "at": t0.isoformat(),
            "matter": m.code,
            "applicant": _applicant(rng, k),
            "by": window,
        }
    ]

    def add(kind: str, t: datetime, **fields: Any) -> datetime:
        ev.append(
            {
                "case": cid,
                "id": f"{cid}-{len(ev) + 1}",
                "type": kind,
                "at": t.isoformat(),
                "by": by,
                **fields,
            }
        )
        return t

    t = t0
    rule = cat.rules.resolve(m.statutory.rule or "alicensing.joint", day)
    if rng.random() < 0.04 and m.kind is not HandlingKind.IMMEDIATE:
        late = rng.random() < 0.15  # notified after the 5 working days: deemed accepted
        t = add(
            "correction_requested",
            hall.instant(hall.working_day(t, 6 if late else 1), t),
            items=["补充材料"],
        )
        t = add(
            "correction_received", hall.instant(hall.working_day(t, int(rng.integers(1, 4))), t)
        )
    t = add("accepted", hall.later(t, rng.uniform(3, 15)))
    immediate = m.kind is HandlingKind.IMMEDIATE or (m.promised and m.promised.amount == 0)
    if immediate:
        if m.promised and m.promised.unit is LimitUnit.WORKING_HOURS:
            spent = rng.uniform(10, 60 * m.promised.amount * (1.3 if rng.random() < 0.05 else 0.8))
        else:
            spent = rng.uniform(10, 90)
        decided = hall.later(t, spent)
        if decided.astimezone(hall.tz).date() > last_day:
            return ev
        if not hall.cal.is_working_day(decided) or not hall.hours.sessions_on(decided.date()):
            decided = hall.instant(hall.working_day(t, 1), t)
        add("decided", decided, outcome="approved")
    else:
        limit = m.promised or m.statutory
        days = limit.amount if limit.unit is LimitUnit.WORKING_DAYS else max(1, limit.amount // 2)
        r = rng.random()
        if r < 0.85:
            n = int(rng.integers(1, max(2, days + 1)))
        elif r < 0.97:
            n = days + int(rng.integers(1, 4))  # a few days past the promise
        else:
            n = m.statutory.amount + int(rng.integers(1, 3))  # past the law
        if rng.random() < 0.05 and rule.pausable:
            s_day = hall.working_day(t, max(1, n // 2))
            if s_day > last_day:
                return ev
            s = add("suspended", hall.instant(s_day, t), reason=sorted(rule.pausable)[0])
            pause = int(rng.integers(2, 7))
            r_day = hall.working_day(s, pause)
            if r_day > last_day:
                return ev
            t = add("resumed", hall.instant(r_day, s))
            n = max(1, n - n // 2)
        if rule.max_extension and n > m.statutory.amount and rng.random() < 0.5:
            ext_day = hall.working_day(t, 1)
            t = add(
                "extended",
                hall.instant(ext_day, t),
                working_days=min(rule.max_extension, n - m.statutory.amount + 2),
                approved_by="分管负责人",
            )
            n = max(1, n - 1)
        d_day = hall.working_day(t, n)
        if d_day > last_day:
            return ev
        add(
            "decided",
            hall.instant(d_day, t),
            outcome="approved" if rng.random() < 0.97 else "denied",
        )
    decided_at = datetime.fromisoformat(ev[-1]["at"])
    if rng.random() < 0.6 and decided_at.astimezone(hall.tz).date() <= last_day:
        level = int(rng.choice([5, 4, 3, 2, 1], p=[0.82, 0.11, 0.04, 0.02, 0.01]))
        add(
            "evaluated",
            hall.later(decided_at, 3),
            level=level,
            channel=str(rng.choice(["counter", "online"])),
        )
    return ev


def generate_events(
    catalogue: Catalogue,
    calendar: WorkingDayCalendar,
    hours: OpeningHours,
    period: Period,
    *,
    seed: int = 2026,
    per_day: float = 260.0,
) -> Iterator[tuple[date, list[dict[str, Any]]]]:
    """Yield each working day of *period* with the events of the cases received on it.

    Cases still being handled at the period's end stop at their last event
    before it.  The same seed gives the same events.
    """
    rng = np.random.default_rng(seed)
    hall = _Hall(catalogue, calendar, hours, rng)
    matters = [m for m in catalogue.matters.values() if m.code in hall.windows_of]
    weights = np.array([3.0 if m.kind is HandlingKind.IMMEDIATE else 1.0 for m in matters])
    weights /= weights.sum()
    k = 0
    for day in calendar.working_days(period.start, period.end):
        if not hours.sessions_on(day):
            continue
        events: list[dict[str, Any]] = []
        for _ in range(int(rng.poisson(per_day))):
            k += 1
            m = matters[int(rng.choice(len(matters), p=weights))]
            events += _case_events(hall, m, f"{day:%Y%m%d}-{k:06d}", day, k, period.end)
        yield day, events


def generate_records(
    catalogue: Catalogue,
    calendar: WorkingDayCalendar,
    hours: OpeningHours,
    period: Period,
    events: list[dict[str, Any]],
    *,
    seed: int = 2026,
) -> dict[str, list[dict[str, Any]]]:
    """The period's supervision records and fee payments for *events*."""
    rng = np.random.default_rng(seed + 1)
    hall = _Hall(catalogue, calendar, hours, rng)
    windows = sorted(catalogue.windows)
    staff = {s.code: s.window for s in catalogue.staff.values()}
    out: dict[str, list[dict[str, Any]]] = {
        k: [] for k in ("inspection", "complaint", "commendation", "service", "payment")
    }
    for month in months_of(period):
        days = calendar.working_days(month.start, month.end)

        def pick_day(days: list[date] = days) -> date:
            return days[int(rng.integers(len(days)))]

        for i in range(4):
            findings = []
            for _ in range(int(rng.poisson(1.2))):
                s = str(rng.choice(sorted(staff)))
                kind = str(rng.choice(FINDINGS, p=FINDING_ODDS))
                findings.append(Finding(kind, staff[s], s))
            out["inspection"].append(
                to_record(
                    Inspection(
                        id=f"I-{month.label}-{i}",
                        at=hall.instant(pick_day()),
                        findings=tuple(findings),
                    )
                )
            )
        for i in range(3):
            s = str(rng.choice(sorted(staff)))
            at = hall.instant(pick_day())
            out["complaint"].append(
                to_record(
                    Complaint(
                        id=f"K-{month.label}-{i}",
                        at=at,
                        window=staff[s],
                        staff=s,
                        summary="服务态度",
                        substantiated=bool(rng.random() < 0.3),
                        verified_at=at + timedelta(hours=2),
                    )
                )
            )
        for i in range(8):
            s = str(rng.choice(sorted(staff)))
            out["commendation"].append(
                to_record(
                    Commendation(
                        id=f"P-{month.label}-{i}",
                        at=hall.instant(pick_day()),
                        window=staff[s],
                        staff=s,
                        type=str(rng.choice(["pennant", "letter", "online"], p=[0.25, 0.35, 0.4])),
                    )
                )
            )
        for i in range(5):
            w = str(rng.choice(windows))
            out["service"].append(
                to_record(
                    ServiceRecord(
                        id=f"V-{month.label}-{i}",
                        at=hall.instant(pick_day()),
                        window=w,
                        type=str(rng.choice(["on_site", "holiday", "extended_hours"])),
                        hours=Decimal(int(rng.integers(1, 5))),
                    )
                )
            )
    submitted = {e["case"]: e for e in events if e["type"] == "submitted"}
    for e in events:
        if e["type"] != "decided" or e.get("outcome") != "approved":
            continue
        first = submitted[e["case"]]
        schedule = catalogue.fees.get(first["matter"])
        if schedule is None:
            continue
        quantity: dict[str, int] = {}
        base: dict[str, int] = {}
        for item in schedule.items:
            need = item.amount.needs
            if need == "quantity":
                quantity[item.code] = int(rng.integers(1, 4))
            elif need == "base":
                base[item.code] = int(rng.integers(50, 3000)) * 1000
        receipt = compute_fees(schedule, quantity=quantity, base=base)
        out["payment"].append(
            {
                "id": f"pay-{e['case']}",
                "at": e["at"],
                "case": e["case"],
                "matter": first["matter"],
                "window": first.get("by"),
                "total": str(receipt.total),
            }
        )
    return out


SAMPLE_COUNTY = "sample_county"
"""The entry-point name of the sample county plugin, the demo's region chain."""


def run_demo(
    out: Path,
    *,
    seed: int = 2026,
    period: Period | None = None,
    per_day: float = 260.0,
    center: Any = None,
    progress: Progress = False,
) -> DemoResult:
    """Generate, store, assess and report half a year of a hall into folder *out*.

    Args:
        out: the folder to write into (created; an earlier demo store there is replaced).
        seed: the seed; the same seed gives the same report.
        period: the half year (default January to June 2026).
        per_day: applications per working day, on average.
        center: the :class:`~govservice.center.ServiceCenter` (default: the sample
            county's, ``region=[SAMPLE_COUNTY]``, whose plugin provides the catalogue).
        progress: a bar over the simulated days (see :mod:`govservice.progress`).
    """
    from govservice.center import ServiceCenter

    center = center or ServiceCenter(name="示范县政务服务中心", region=[SAMPLE_COUNTY])
    period = period or Period(date(2026, 1, 1), date(2026, 6, 30))
    out.mkdir(parents=True, exist_ok=True)
    db = out / "demo.db"
    for leftover in (db, db.with_name("demo.db-wal"), db.with_name("demo.db-shm")):
        leftover.unlink(missing_ok=True)
    url = f"sqlite:///{db}"
    catalogue = center.catalogue
    days = center.calendar.working_days(period.start, period.end)
    all_events: list[dict[str, Any]] = []
    with center.open_store(url) as store:
        store.set_catalogue(catalogue)
        with tracker(progress, len(days), "days", "simulating the hall") as step:
            for _, events in generate_events(
                catalogue,
                center.calendar,
                center.opening_hours,
                period,
                seed=seed,
                per_day=per_day,
            ):
                store.append(events)
                all_events += events
                step()
        records = generate_records(
            catalogue, center.calendar, center.opening_hours, period, all_events, seed=seed
        )
        for kind, rows in records.items():
            store.put_records(kind, rows)
        briefings = []
        for month in months_of(period):
            assessment = center.assess(store, month)
            for ext, render in (("md", briefing.to_markdown), ("html", briefing.to_html)):
                path = out / f"assessment-{month.label}.{ext}"
                path.write_text(render(assessment), encoding="utf-8")
                briefings.append(path)
        report = center.report(store, period)
        paths = {}
        for ext, text in (
            ("html", report.to_html()),
            ("md", report.to_markdown()),
            ("json", report.to_json()),
        ):
            paths[ext] = out / f"report-{period.start:%Y%m}-{period.end:%Y%m}.{ext}"
            paths[ext].write_text(text, encoding="utf-8")
        cases = len(store.cases())
    return DemoResult(
        url, paths["html"], paths["md"], paths["json"], tuple(briefings), cases, len(all_events)
    )
