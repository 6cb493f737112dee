"""Hypothesis strategies for govservice's values: dates, applicants, events, case histories.

Import needs hypothesis (a test dependency); plugin authors use these in their
own property tests.

.. versionadded:: 0.1
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from hypothesis import strategies as st

from govservice.cases import Case, Clock, EventError, event_from_dict
from govservice.exceptions import CalendarDataMissing

__all__ = ["applicants", "case_histories", "dates", "instants", "working_day_counts"]


def dates(min_year: int = 2004, max_year: int = 2026) -> st.SearchStrategy[date]:
    """Dates within the built-in calendar's coverage (by default)."""
    return st.dates(min_value=date(min_year, 1, 1), max_value=date(max_year, 12, 31))


def instants(min_year: int = 2025, max_year: int = 2026) -> st.SearchStrategy[datetime]:
    """Aware instants in Shanghai time."""
    from zoneinfo import ZoneInfo

    tz = ZoneInfo("Asia/Shanghai")
    return st.datetimes(
        min_value=datetime(min_year, 1, 1), max_value=datetime(max_year, 12, 31)
    ).map(lambda d: d.replace(tzinfo=tz))


def working_day_counts(limit: int = 60) -> st.SearchStrategy[int]:
    """Working-day counts a limit realistically has, both directions."""
    return st.integers(min_value=-limit, max_value=limit)


def applicants() -> st.SearchStrategy[dict[str, Any]]:
    """Applicant objects of the event format (without identity numbers)."""
    return st.builds(
        lambda name, kind: {"name": name, "kind": kind},
        st.text(alphabet="张王李赵刘陈杨黄吴周某公司", min_size=2, max_size=6),
        st.sampled_from(["person", "organization"]),
    )


_STEPS = (
    "accepted",
    "correction_requested",
    "correction_received",
    "suspended",
    "resumed",
    "extended",
    "decided",
    "delivered",
    "withdrawn",
    "evaluated",
    "rejected",
    "hearing_requested",
    "hearing_held",
    "procedure_changed",
)


@st.composite
def case_histories(
    draw: st.DrawFn,
    clock: Clock,
    matters: list[str] | None = None,
    case: str = "P",
    *,
    start: st.SearchStrategy[datetime] | None = None,
) -> Case:
    """Valid case histories for *clock*'s catalogue: random steps, refused ones skipped.

    Every history returned is one the clock accepts, so properties can be
    checked over realistic cases (pauses, extensions, corrections, decisions,
    hearings, changes of procedure, renewals of licences).  *start* gives the
    instant received, aware, whose offset the later events keep (by default one
    of 2026 before November in Shanghai time); each step comes up to ten days
    after the one before, within 2026.
    """
    codes = matters or sorted(clock.catalogue.matters)
    t = draw(start if start is not None else instants(2026, 2026).filter(lambda d: d.month < 11))
    submitted = {
        "case": case,
        "type": "submitted",
        "at": t.isoformat(),
        "matter": draw(st.sampled_from(codes)),
        "applicant": draw(applicants()),
    }
    expires = min(t.date() + timedelta(days=draw(st.integers(0, 90))), date(t.year, 12, 31))
    renewal = {"renewal_of": {"licence": "许可证", "expires_on": expires.isoformat()}}
    try:  # a renewal where the matter's rule has a renewal clock, sometimes
        current = clock.case([event_from_dict({**submitted, **renewal})])
        if not draw(st.booleans()):
            raise EventError(case, None, "not a renewal this time")
    except EventError:
        current = clock.case([event_from_dict(submitted)])
    for _ in range(draw(st.integers(0, 8))):
        kind = draw(st.sampled_from(_STEPS))
        t += timedelta(hours=draw(st.integers(0, 24 * 10)))
        if t.year > 2026:
            break
        extras: dict[str, dict[str, Any]] = {
            "correction_requested": {"items": ["材料"]},
            "suspended": {"reason": draw(st.sampled_from(sorted(current.rule.pausable) or ["x"]))},
            "extended": {"working_days": draw(st.integers(1, 6)), "approved_by": "局长"},
            "decided": {"outcome": draw(st.sampled_from(["approved", "denied"]))},
            "evaluated": {"level": draw(st.integers(1, 5))},
            "rejected": {"reason": "材料不符"},
            "procedure_changed": {
                "to": draw(st.sampled_from(["simplified", "ordinary"])),
                "approved_by": "负责人",
            },
        }
        fields = extras.get(kind, {})
        try:
            current = clock.append(
                current,
                event_from_dict({"case": case, "type": kind, "at": t.isoformat(), **fields}),
            )
        except (EventError, CalendarDataMissing):  # refused, or counted into a year without data
            continue
    return current
