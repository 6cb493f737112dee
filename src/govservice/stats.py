"""Period statistics: the figures of a centre's summary, for any period and grouping.

Every figure of a half-year summary ("the centre handled 31,552 matters and
collected 111.58 million yuan; more than 70% of the stationed approval items
are completed on the spot; promised limits are more than one third shorter
than statutory ones; some units' items are not yet stationed…") comes from
here, so the report and any other consumer say the same thing.

Case figures are computed on NumPy arrays from the batch clock
(``govservice.cases.batch``): a million cases at a time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
import numpy.typing as npt

from govservice.assessment.records import Period, months_of
from govservice.cases import Clock
from govservice.cases.table import CaseTable
from govservice.model import Catalogue, HandlingKind

if TYPE_CHECKING:
    import pandas


__all__ = [
    "GROUPINGS",
    "CatalogueCoverage",
    "Compression",
    "Figures",
    "MatterCompression",
    "catalogue_coverage",
    "compression",
    "figures",
    "to_dataframe",
]

GROUPINGS = ("centre", "unit", "window", "matter", "month")
"""The groupings :func:`figures` knows."""


@attrs.frozen
class Figures:
    """The case figures of one group for one period.

    Attributes:
        received: cases submitted in the period.
        accepted: cases accepted (or deemed accepted) in the period.
        decided: cases decided in the period.
        on_the_spot: of those, decided on the day they were received (即办).
        decided_with_promise: decided cases that had a promised limit.
        on_time_promised: of those, decided within the promise.
        on_time_statutory: decided cases decided within the statutory limit.
        early: decided cases decided before the promised (else statutory) deadline's day.
        working_days_used: the working days the decided cases used, in total.
        open: cases still open at the period's end.
        overdue: open cases late at the end (:mod:`govservice.cases.late`: past
            the promised deadline, else the statutory one).
        reminders: open cases with a reminder at the end.
        yellow: open cases with a yellow card at the end.
        red: open cases with a red card at the end.
        evaluations: 好差评 evaluations made in the period.
        good: of those, at levels 3–5.
        fees: fees and taxes collected in the period (yuan).

    .. versionadded:: 0.1
    """

    received: int = 0
    accepted: int = 0
    decided: int = 0
    on_the_spot: int = 0
    decided_with_promise: int = 0
    on_time_promised: int = 0
    on_time_statutory: int = 0
    early: int = 0
    working_days_used: int = 0
    open: int = 0
    overdue: int = 0
    reminders: int = 0
    yellow: int = 0
    red: int = 0
    evaluations: int = 0
    good: int = 0
    fees: Decimal = Decimal("0.00")

    @staticmethod
    def _rate(part: int, whole: int) -> Decimal | None:
        return (Decimal(part) / whole).quantize(Decimal("0.0001")) if whole else None

    @property
    def on_the_spot_share(self) -> Decimal | None:
        """Share of decided cases decided on the day received."""
        return self._rate(self.on_the_spot, self.decided)

    @property
    def on_time_rate_promised(self) -> Decimal | None:
        """Share of decided cases with a promise decided within it."""
        return self._rate(self.on_time_promised, self.decided_with_promise)

    @property
    def on_time_rate_statutory(self) -> Decimal | None:
        """Share of decided cases decided within the statutory limit."""
        return self._rate(self.on_time_statutory, self.decided)

    @property
    def mean_working_days(self) -> Decimal | None:
        """Average working days used by the decided cases."""
        if not self.decided:
            return None
        return (Decimal(self.working_days_used) / self.decided).quantize(Decimal("0.01"))

    @property
    def good_rate(self) -> Decimal | None:
        """The good rate (好评率) — share of evaluations at levels 3–5."""
        return self._rate(self.good, self.evaluations)

    def as_dict(self) -> dict[str, Any]:
        """Every count and rate, JSON-ready: counts and rates as numbers, money as a string.

        Rates are fractions (0.985) and the average working days a number; the
        fees are a string of exact yuan (``"1234.50"``), as JSON numbers are
        binary floating point and money is not.
        """
        data: dict[str, Any] = attrs.asdict(self)
        data["fees"] = str(self.fees)
        for name in (
            "on_the_spot_share",
            "on_time_rate_promised",
            "on_time_rate_statutory",
            "mean_working_days",
            "good_rate",
        ):
            value = getattr(self, name)
            data[name] = None if value is None else float(value)
        return data


def figures(
    table: CaseTable,
    clock: Clock,
    period: Period,
    *,
    by: str = "centre",
    payments: Iterable[Mapping[str, Any]] = (),
) -> dict[str, Figures]:
    """The case figures of *period*, grouped *by* one of :data:`GROUPINGS`.

    Args:
        table: the cases.
        clock: the clock (catalogue, calendar, alert policy).
        period: the period; open cases and alerts are as at its end.
        by: ``centre`` (one group, ``"centre"``), ``unit``, ``window`` (the
            window that handled each case, as of the period's end),
            ``matter`` or ``month`` (each figure in the month of its own
            event: received in the submission's month, decided in the
            decision's; open cases and alerts as of each month's end).
        payments: ``payment`` records (``at``, ``total`` in yuan, and the
            ``case``'s ``matter``/``unit``/``window``) to add up as fees.

    Raises:
        ValueError: an unknown grouping.
    """
    if by not in GROUPINGS:
        raise ValueError(f"group by one of {', '.join(GROUPINGS)}, not {by!r}")
    f = table.facts
    cat = clock.catalogue
    tz = clock.calendar.timezone
    r = table.read(clock, period.end_instant(tz))
    start, end = np.datetime64(period.start, "D"), np.datetime64(period.end, "D")

    def within(d: npt.NDArray[np.datetime64]) -> npt.NDArray[np.bool_]:
        out: npt.NDArray[np.bool_] = ~np.isnat(d) & (d >= start) & (d <= end)
        return out

    unit_of = {c: (cat.matters[c].unit if c in cat.matters else "") for c in f.matter_codes}
    units = np.array([unit_of[c] for c in f.matter_codes], dtype=object)

    Keys = tuple[list[str], npt.NDArray[np.int64]]  # group names, each case's group code
    fixed: Keys | None = None
    if by == "centre":
        fixed = (["centre"], np.zeros(len(f), dtype=np.int64))
    elif by == "matter":
        fixed = (list(f.matter_codes), f.matter.astype(np.int64))
    elif by == "unit":  # coded by matter: a unit without cases is never added
        names, inverse = np.unique(units.astype(str), return_inverse=True)
        fixed = ([str(n) for n in names], inverse.reshape(-1).astype(np.int64)[f.matter])
    elif by == "window":
        per_case = table.handled_by(period.end_instant(tz))[1]
        names, inverse = np.unique(per_case.astype(str), return_inverse=True)
        fixed = ([str(n) for n in names], inverse.reshape(-1).astype(np.int64))

    def keys(dates: npt.NDArray[np.datetime64]) -> Keys:
        if fixed is not None:
            return fixed
        months = dates.astype("datetime64[M]")
        ok = ~np.isnat(months)
        base = months[ok].min() if ok.any() else np.datetime64("1970-01", "M")
        codes = np.where(ok, (months - base).astype(np.int64), 0)
        top = int(codes.max()) + 1 if len(codes) else 0
        return [str(base + np.timedelta64(k, "M")) for k in range(top)], codes

    out: dict[str, dict[str, Any]] = {}

    def add(
        name: str,
        mask: npt.NDArray[np.bool_],
        k: Keys,
        weights: npt.NDArray[Any] | None = None,
    ) -> None:
        names, codes = k
        present = np.bincount(codes[mask], minlength=len(names))
        sums = (
            present
            if weights is None
            else np.bincount(codes[mask], weights=weights[mask], minlength=len(names))
        )
        for g in np.flatnonzero(present).tolist():
            group = out.setdefault(names[g], {})
            group[name] = group.get(name, 0) + int(sums[g])

    received = within(f.submitted_on)
    accepted_day = r.accepted_on
    decided = within(r.decided_on)
    add("received", received, keys(f.submitted_on))
    add("accepted", within(accepted_day), keys(accepted_day))
    kd = keys(r.decided_on)
    add("decided", decided, kd)
    add("on_the_spot", decided & (r.decided_on == f.submitted_on), kd)
    has_promise = ~np.isnat(r.promised_deadline)
    add("decided_with_promise", decided & has_promise, kd)
    add("on_time_promised", decided & (r.on_time_promised == 1), kd)
    add("on_time_statutory", decided & (r.on_time_statutory == 1), kd)
    basis = np.where(has_promise, r.promised_deadline, r.statutory_deadline)
    add("early", decided & ~np.isnat(basis) & (r.decided_on < basis), kd)
    add("working_days_used", decided, kd, r.working_days_used)
    # open cases and their alerts as of the period's end, or of each month's end by month
    ends = [period] if by != "month" else months_of(period)
    for month in ends:
        opened, late, alert = table.status(clock, month.end_instant(tz))
        ke = fixed or ([str(np.datetime64(month.end, "M"))], np.zeros(len(f), dtype=np.int64))
        add("open", opened, ke)
        add("overdue", opened & late, ke)
        add("reminders", opened & (alert == 1), ke)
        add("yellow", opened & (alert == 2), ke)
        add("red", opened & (alert == 3), ke)
    evaluated = within(table.evaluated_on)
    kv = keys(table.evaluated_on)
    add("evaluations", evaluated, kv)
    add("good", evaluated & (table.level >= 3), kv)

    fees: dict[str, Decimal] = {}
    for p in payments:
        from govservice.calendars import parse_instant

        day = parse_instant(p["at"]).astimezone(tz).date()
        if not period.start <= day <= period.end:
            continue
        key = {
            "centre": "centre",
            "unit": p.get("unit") or unit_of.get(p.get("matter", ""), ""),
            "window": p.get("window") or "",
            "matter": p.get("matter") or "",
            "month": day.strftime("%Y-%m"),
        }[by]
        fees[key] = fees.get(key, Decimal("0.00")) + Decimal(str(p["total"]))
    for key, total in fees.items():
        out.setdefault(key, {})["fees"] = total
    return {k: Figures(**v) for k, v in sorted(out.items())}


@attrs.frozen
class MatterCompression:
    """How much shorter a matter's promise is than its statutory limit.

    Attributes:
        code: the matter.
        name: its name.
        statutory: the statutory limit (its amount).
        promised: the promised limit (its amount).
        ratio: (statutory − promised) / statutory.

    .. versionadded:: 0.1
    """

    code: str
    name: str
    statutory: int
    promised: int
    ratio: Decimal


@attrs.frozen
class Compression:
    """Time-limit compression (承诺时限比法定时限压缩) of a catalogue.

    FORMULA (a reasonable default, no official formula was found):
    per matter ``(statutory − promised) / statutory``, over the matters whose
    promised and statutory limits are counted in the same unit and whose
    statutory limit is above zero; ``average`` is the plain mean of those.

    .. versionadded:: 0.1
    """

    FORMULA: str = "(statutory − promised) / statutory per matter, averaged over matters"
    matters: tuple[MatterCompression, ...] = ()
    average: Decimal | None = None


def compression(catalogue: Catalogue, *, stationed_only: bool = True) -> Compression:
    """The compression of every matter with a promise, and the average."""
    rows = []
    for m in catalogue.matters.values():
        if m.promised is None or m.promised.unit is not m.statutory.unit:
            continue
        if m.statutory.amount <= 0 or (stationed_only and not catalogue.is_stationed(m)):
            continue
        ratio = Decimal(m.statutory.amount - m.promised.amount) / m.statutory.amount
        rows.append(
            MatterCompression(
                m.code,
                m.name,
                m.statutory.amount,
                m.promised.amount,
                ratio.quantize(Decimal("0.0001")),
            )
        )
    average = None
    if rows:
        average = (sum((r.ratio for r in rows), Decimal(0)) / len(rows)).quantize(Decimal("0.0001"))
    return Compression(matters=tuple(rows), average=average)


@attrs.frozen
class CatalogueCoverage:
    """两集中、两到位: how much of the catalogue is stationed and authorised.

    Attributes:
        matters: matters in the catalogue.
        stationed: matters handled in the centre (进驻).
        authorised: stationed matters whose window staff are fully authorised (授权到位).
        immediate: stationed matters handled on the spot (即办件).
        unstationed_units: units not stationed in the centre.
        unstationed_matters: matters not handled in the centre.
        unauthorised_matters: stationed matters not authorised.

    .. versionadded:: 0.1
    """

    matters: int
    stationed: int
    authorised: int
    immediate: int
    unstationed_units: tuple[str, ...]
    unstationed_matters: tuple[str, ...]
    unauthorised_matters: tuple[str, ...]

    @property
    def stationing_rate(self) -> Decimal | None:
        """The stationing rate (进驻率) — stationed matters / all matters."""
        return Figures._rate(self.stationed, self.matters)

    @property
    def authorisation_rate(self) -> Decimal | None:
        """The authorisation rate (授权到位率) — authorised / stationed matters."""
        return Figures._rate(self.authorised, self.stationed)

    @property
    def immediate_share(self) -> Decimal | None:
        """即办件 share of the stationed matters."""
        return Figures._rate(self.immediate, self.stationed)


def catalogue_coverage(catalogue: Catalogue) -> CatalogueCoverage:
    """Stationing, authorisation and on-the-spot shares, with what falls short."""
    stationed = [m for m in catalogue.matters.values() if catalogue.is_stationed(m)]
    return CatalogueCoverage(
        matters=len(catalogue.matters),
        stationed=len(stationed),
        authorised=sum(1 for m in stationed if m.authorized),
        immediate=sum(1 for m in stationed if m.kind is HandlingKind.IMMEDIATE),
        unstationed_units=tuple(u.code for u in catalogue.units.values() if not u.stationed),
        unstationed_matters=tuple(
            m.code for m in catalogue.matters.values() if not catalogue.is_stationed(m)
        ),
        unauthorised_matters=tuple(m.code for m in stationed if not m.authorized),
    )


def to_dataframe(groups: Mapping[str, Figures]) -> pandas.DataFrame:
    """The figures of :func:`figures` as a DataFrame, one row per group.

    Raises:
        ImportError: pandas is not installed (``pip install 'govservice[pandas]'``).
    """
    try:
        import pandas as pd
    except ImportError:
        raise ImportError("to_dataframe needs pandas: pip install 'govservice[pandas]'") from None
    return pd.DataFrame.from_dict({k: v.as_dict() for k, v in groups.items()}, orient="index")
