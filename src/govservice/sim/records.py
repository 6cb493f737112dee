"""Per-visit, per-customer and per-case records of a run, and its events.

Records are NumPy structured arrays (``pandas.DataFrame`` on request); times
are minutes since midnight of the first simulated day in a hall, free units
otherwise; the DataFrames give a hall's times as timestamps in the centre's
time zone.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
import numpy.typing as npt

from govservice.sim.summary import Summary
from govservice.text import N_, Message

if TYPE_CHECKING:
    from govservice.sim.scenario import Scenario

__all__ = [
    "BAULKED",
    "CASE",
    "CUSTOMER",
    "NO_COUNTER",
    "RENEGED",
    "SERVED",
    "VISIT",
    "SimulationResult",
]

_TIMES = ("arrival", "start", "end", "departure", "submitted", "accepted")
"""The records' columns that are times (minutes since midnight of the first day, in a hall)."""

VISIT = np.dtype(
    [
        ("customer", "i8"),
        ("cls", "i4"),
        ("station", "i4"),
        ("server", "i8"),
        ("arrival", "f8"),
        ("start", "f8"),
        ("end", "f8"),
        ("outcome", "i1"),
    ]
)
"""One visit to a station: ``server`` is the staff index in the scenario, or
negative for an anonymous counter.  ``outcome`` is ``SERVED`` (0), ``RENEGED``
(1: left the queue when his patience ran out; ``start`` and ``end`` are then
that moment) or ``BAULKED`` (2: did not join; ``start`` and ``end`` are his
arrival); an unserved visit's ``server`` is ``NO_COUNTER``."""

CUSTOMER = np.dtype(
    [
        ("customer", "i8"),
        ("cls", "i4"),
        ("arrival", "f8"),
        ("departure", "f8"),
        ("wait", "f8"),
        ("outcome", "i1"),
        ("left_at", "i4"),
    ]
)
"""One customer: arrival in the hall, departure, total wait; ``outcome`` as in
``VISIT`` (0 for those served everywhere), and ``left_at`` the station he left
unserved (-1 for none)."""

SERVED, RENEGED, BAULKED = 0, 1, 2
"""The outcomes of a visit."""

NO_COUNTER = int(np.iinfo(np.int64).min)
"""The ``server`` of a visit that was not served."""

CASE = np.dtype(
    [
        ("customer", "i8"),
        ("cls", "i4"),
        ("matter", "i4"),
        ("station", "i4"),
        ("staff", "i8"),
        ("submitted", "f8"),
        ("accepted", "f8"),
        ("accepted_day", "datetime64[D]"),
        ("decided_day", "datetime64[D]"),
        ("working_days", "i8"),
        ("promised_deadline", "datetime64[D]"),
        ("statutory_deadline", "datetime64[D]"),
        ("on_time_promised", "i1"),
        ("on_time_statutory", "?"),
        ("carried", "?"),
        ("open_case", "i8"),
    ]
)
"""One case: submitted and accepted at the counter, decided in the back office;
``on_time_promised`` is -1 without a promise.  A case still pending at the end
(a back office with limited capacity) has no ``decided_day`` (NaT),
``working_days`` -1 and is not on time.  A case carried over from the warm
start has ``carried`` true, ``open_case`` its index in
``scenario.initial.cases`` (-1 for the others), ``customer``, ``cls``,
``station`` and ``staff`` -1, no submission or acceptance time (NaN), and as
``working_days`` those used at the warm start plus those from its instant to
the decision."""


def pandas() -> Any:
    """The pandas module, an optional dependency, for the simulation's DataFrames.

    Raises:
        ImportError: pandas is not installed (``pip install 'govservice[pandas]'``).
    """
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - the test environment has pandas
        raise ImportError("DataFrames need pandas: pip install 'govservice[pandas]'") from None
    return pd


@attrs.frozen
class SimulationResult:
    """The result of one run: the summary, and the records when asked for.

    Attributes:
        scenario: the scenario run.
        summary: the summary by station, class, day, staff and matter.
        visits: per-visit records (``VISIT``), or ``None``.
        customers: per-customer records (``CUSTOMER``), or ``None``.
        cases: per-case records (``CASE``), or ``None``.
        first_day: the first simulated day (a hall), the origin of times.
        matters: the matter codes that ``cases["matter"]`` indexes.

    .. versionadded:: 0.1
    """

    scenario: Scenario = attrs.field(repr=False)
    summary: Summary
    visits: npt.NDArray[Any] | None = attrs.field(repr=False)
    customers: npt.NDArray[Any] | None = attrs.field(repr=False)
    cases: npt.NDArray[Any] | None = attrs.field(repr=False)
    first_day: date | None
    matters: tuple[str, ...]

    def _need(self, table: str) -> npt.NDArray[Any]:
        out = getattr(self, table)
        if out is None:
            raise ValueError(
                Message(
                    N_("no %(table)s records: run simulate(..., records=True)"), {"table": table}
                )
            )
        return out  # type: ignore[no-any-return]

    def instant(self, minutes: float) -> datetime:
        """The aware local datetime of a time in minutes (a hall only)."""
        hall = self.scenario.hall
        if hall is None or self.first_day is None:
            raise ValueError(Message(N_("times are instants only in a hall")))
        midnight = datetime.combine(self.first_day, datetime.min.time(), hall.calendar.timezone)
        return midnight + timedelta(minutes=float(minutes))

    def to_pandas(self, table: str = "visits") -> Any:
        """One table of records as a ``pandas.DataFrame``, names in place of indices.

        In a hall, times (``arrival``, ``start``, ``end``, ``departure``,
        ``submitted``, ``accepted``) are timestamps in the centre's time zone
        (NaT where there is none), and the minutes they are counted in stay
        beside them as ``arrival_minutes`` and so on; waits stay minutes.
        Without a hall, times are the simulation's own units.

        Args:
            table: ``"visits"``, ``"customers"`` or ``"cases"``.

        Raises:
            ImportError: pandas is not installed (``pip install govservice[pandas]``).
        """
        pd = pandas()
        if table not in ("visits", "customers", "cases"):
            raise ValueError(
                Message(N_("no table %(table)r (visits, customers, cases)"), {"table": table})
            )
        df = pd.DataFrame(self._need(table))
        classes = [c.name for c in self.scenario.classes]
        df["cls"] = pd.Categorical.from_codes(df["cls"], categories=classes)
        if "station" in df:
            names = [s.name for s in self.scenario.stations]
            df["station"] = pd.Categorical.from_codes(df["station"], categories=names)
        if table == "cases":
            df["matter"] = pd.Categorical.from_codes(df["matter"], categories=list(self.matters))
        hall = self.scenario.hall
        if hall is not None and self.first_day is not None:
            midnight = pd.Timestamp(self.first_day)
            for column in _TIMES:
                if column in df:
                    minutes = df[column]
                    # wall-clock minutes from midnight of the first day, as instant() counts
                    local = midnight + pd.to_timedelta(minutes, unit="min")
                    df[column] = local.dt.tz_localize(hall.calendar.timezone.key)
                    df[f"{column}_minutes"] = minutes
        return df

    def staff_name(self, index: int, station: int) -> str:
        """The name of staff *index* (anonymous counters as ``station#n``)."""
        if index >= 0:
            return self.scenario.staff[index].name
        return f"{self.scenario.stations[station].name}#{-index}"

    def _decided_at(self, day: date, accepted: datetime | None) -> datetime:
        hall = self.scenario.hall
        assert hall is not None
        if accepted is not None and day == accepted.date():
            return accepted
        first = hall.opening.sessions_on(day)[0].start
        return datetime.combine(day, first, hall.calendar.timezone) + timedelta(hours=1)

    def events(self) -> Iterator[dict[str, Any]]:
        """Each case's events in the event format: ``submitted``, ``accepted``, ``decided``.

        Cases are submitted when their service starts at the first accepting
        station, accepted when it ends, and decided then (nothing for the
        back office) or an hour after the first opening of the decision day.
        Case ids are ``SIM-<replication>-<customer>``; ``by`` is the staff
        member who served the case where the catalogue has a window or staff
        member of that code (an event's ``by`` names one), else left out.  A case pending at the
        end has no ``decided`` event; a case carried over from the warm start
        has only its ``decided`` event (if decided), under its own id, to
        append to the store it came from.

        Raises:
            ValueError: the run kept no case records.
        """
        cases = self._need("cases")
        catalogue = self.scenario.catalogue
        actors = set(catalogue.windows) | set(catalogue.staff) if catalogue is not None else set()
        hall = self.scenario.hall
        assert hall is not None
        rep = self.summary.replication
        initial = self.scenario.initial
        for row in cases:
            decided_day = None if np.isnat(row["decided_day"]) else row["decided_day"].astype(date)
            if row["carried"]:
                assert initial is not None
                if decided_day is not None:
                    cid = initial.cases[int(row["open_case"])].case
                    yield {
                        "case": cid,
                        "id": f"{cid}-SIM-{rep}-decided",
                        "type": "decided",
                        "at": self._decided_at(decided_day, None).isoformat(),
                        "outcome": "approved",
                    }
                continue
            cid = f"SIM-{rep}-{int(row['customer']):08d}"
            station = int(row["station"])
            by = self.staff_name(int(row["staff"]), station)
            accepted = self.instant(row["accepted"])
            common = {"case": cid, "by": by} if by in actors else {"case": cid}
            yield {
                **common,
                "id": f"{cid}-1",
                "type": "submitted",
                "at": self.instant(row["submitted"]).isoformat(),
                "matter": self.matters[int(row["matter"])],
                "applicant": {"name": f"申请人{int(row['customer'])}", "kind": "person"},
                "channel": "counter",
            }
            yield {**common, "id": f"{cid}-2", "type": "accepted", "at": accepted.isoformat()}
            if decided_day is None:
                continue
            yield {
                **common,
                "id": f"{cid}-3",
                "type": "decided",
                "at": self._decided_at(decided_day, accepted).isoformat(),
                "outcome": "approved",
            }
