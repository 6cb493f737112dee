"""Example data: a county hall and the ticket log its queue-calling system keeps.

The log is synthetic and seeded: :func:`county_hall` is the hall behind it
(the truth a fit should find), :func:`county_hall_log` simulates it and keeps
the log of its ticket machine (排队叫号).  Nothing is fetched: the data are made
here, the same on every machine for a seed.

.. versionadded:: 0.1
"""

from __future__ import annotations

from datetime import date

from govservice.calendars import WorkingDayCalendar, china
from govservice.sim.distributions import Lognormal
from govservice.sim.engine import simulate
from govservice.sim.scenario import (
    CustomerClass,
    DailyProfile,
    Hall,
    Scenario,
    Staffing,
    Station,
    Surge,
)
from govservice.sim.tickets import TicketLog

__all__ = ["WALK_IN_SURGE", "county_hall", "county_hall_log"]

WALK_IN_SURGE = Surge(days=5, factor=1.6, min_days_off=7)
"""The walk-ins' surge after Spring Festival, or any week off, 60 % more for five days."""

_STAFFING = Staffing(
    {9: 5, 10: 6, 11: 5, 13: 3, 14: 5, 15: 5, 16: 4, 17: 2},
    weekdays={0: {9: 6, 10: 7, 11: 6, 14: 6, 15: 6}},
)


def county_hall(
    start: date = date(2025, 1, 2), days: int = 60, calendar: WorkingDayCalendar | None = None
) -> Scenario:
    """The county hall behind the example log: windows, three classes, the staffing it had.

    Walk-ins (180 an ordinary day, Monday busiest, 60 % more in the five
    working days after a week off; they give up after a lognormal patience
    of mean 35 minutes), bookings (40 a day, served first) and the green
    channel (8 a day, before everyone) at windows of anonymous counters open
    by hour (five to seven in the morning, fewer at lunch and late), tickets
    until a quarter of an hour before closing.

    Example:
        >>> from govservice.examples.ticket_log import county_hall
        >>> [c.name for c in county_hall(days=1).classes]
        ['walk-in', 'booked', 'green']

    .. versionadded:: 0.1
    """
    morning_peak = {9: 3.0, 10: 3.5, 11: 2.5, 13: 0.8, 14: 2.5, 15: 2.5, 16: 1.5}
    return Scenario(
        stations=[
            Station(
                "windows",
                4,
                service={
                    "walk-in": Lognormal(9.0, 5.0),
                    "booked": Lognormal(7.0, 3.0),
                    "green": Lognormal(11.0, 6.0),
                },
                staffing=_STAFFING,
            )
        ],
        classes=[
            CustomerClass(
                "walk-in",
                DailyProfile(
                    180,
                    hourly=morning_peak,
                    weekday=(1.25, 1.05, 1.0, 0.95, 0.85, 1.0, 1.0),
                    surge=WALK_IN_SURGE,
                ),
                route="windows",
                patience=Lognormal(35.0, 25.0),
            ),
            CustomerClass(
                "booked",
                DailyProfile(40, hourly={9: 1, 10: 1, 11: 1, 14: 1, 15: 1, 16: 1}),
                route="windows",
                priority=1,
            ),
            CustomerClass("green", DailyProfile(8), route="windows", priority=2),
        ],
        hall=Hall(calendar or china(), start=start, days=days, last_ticket=15),
        name="county hall",
    )


def county_hall_log(
    *,
    seed: int = 2025,
    start: date = date(2025, 1, 2),
    days: int = 60,
    calendar: WorkingDayCalendar | None = None,
) -> TicketLog:
    """The ticket log of :func:`county_hall` over *days* working days from *start*.

    The default spans the 2025 Spring Festival (28 January – 4 February; work
    resumed on 5 February), so the log holds the surge after it.

    Example:
        >>> from govservice.examples.ticket_log import county_hall_log
        >>> log = county_hall_log(days=2)
        >>> str(log.issued[0])[:10], sorted(set(log.cls.tolist()))
        ('2025-01-02', ['booked', 'green', 'walk-in'])

    .. versionadded:: 0.1
    """
    result = simulate(county_hall(start, days, calendar), seed=seed, records=True)
    return TicketLog.from_run(result)
