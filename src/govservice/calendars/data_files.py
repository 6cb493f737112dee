"""Reading calendar data files: national years, estimates and local adjustments.

Three TOML formats, each documented in :doc:`/calendar`:

* **year data** — the State Council's yearly arrangement (the built-in
  ``data/china.toml`` and any newly announced year a user adds);
* **estimates** — the statutory days of years without a notice
  (``data/china_estimates.toml``), used only for provisional answers;
* **adjustments** — a county's closures and extra working days, each of its
  declared kind (a hall day or a lawful local day).

Every malformed value raises :class:`~govservice.exceptions.DataFileError`
naming the file, the record, the field and the value.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from importlib import resources
from itertools import pairwise
from pathlib import Path
from typing import Any

import attrs

from govservice._toml import Reader as _Reader
from govservice._toml import read_toml as _read_toml
from govservice.calendars.days import AdjustmentKind, CalendarAdjustment, Holiday, Notice
from govservice.text import N_, Message

__all__ = [
    "FESTIVALS",
    "HolidayYear",
    "load_adjustments",
    "load_estimates",
    "load_years",
    "national_estimates",
    "national_years",
]

FESTIVALS: Mapping[str, str] = {
    "new_year": "元旦",
    "spring_festival": "春节",
    "qingming": "清明节",
    "labour_day": "劳动节",
    "dragon_boat": "端午节",
    "mid_autumn": "中秋节",
    "national_day": "国庆节",
}
"""The recurring festivals of the 全国年节及纪念日放假办法, key → Chinese name.

One-off festivals (e.g. ``victory_day_2015``) may appear in year data too.
"""


@attrs.frozen
class HolidayYear:
    """One year's arrangement: its notice and its holiday blocks.

    Attributes:
        year: the year.
        notice: the notice that announced it; ``None`` for an estimated year.
        holidays: the holiday blocks, in date order.

    .. versionadded:: 0.1

    """

    year: int
    notice: Notice | None
    holidays: tuple[Holiday, ...]

    @property
    def estimated(self) -> bool:
        """True for a year estimated from the law, without an announced notice."""
        return self.notice is None


def load_years(source: Path | str) -> tuple[HolidayYear, ...]:
    """Load year data (the format of the built-in ``china.toml``) from a file.

    This is how a user adds a newly announced year without upgrading the
    package: write the notice's arrangement in the same format and pass the
    file to :meth:`~govservice.calendars.WorkingDayCalendar.with_years`.

    Raises:
        DataFileError: naming the file, the year and holiday, field and value.

    """
    doc = _read_toml(source)
    top = _Reader(source, "top level", doc, ("year",))
    years = []
    seen: set[int] = set()
    for i, raw in enumerate(top.get("year", list), start=1):
        r = _Reader(
            source,
            f"year record {i}",
            raw,
            ("year", "notice", "number", "published", "source", "holiday", "disagreement"),
        )
        year = r.get("year", int)
        r.record = f"year {year}"
        if year in seen:
            raise r.fail("year", year, N_("year given twice"))
        seen.add(year)
        notice = Notice(
            year=year,
            title=r.get("notice", str),
            number=r.get("number", str, required=False),
            published=r.get("published", date, required=False),
            source=r.get("source", str, required=False),
        )
        blocks = [
            _holiday(source, year, j, raw_h, notice)
            for j, raw_h in enumerate(r.get("holiday", list), start=1)
        ]
        years.append(HolidayYear(year, notice, tuple(sorted(blocks, key=lambda h: h.first))))
    return tuple(sorted(years, key=lambda y: y.year))


def _holiday(source: Path | str, year: int, j: int, raw: Any, notice: Notice) -> Holiday:
    name_hint = raw.get("name", "") if isinstance(raw, dict) else ""
    r = _Reader(
        source,
        f"year {year}, holiday {j} {name_hint}".rstrip(),
        raw,
        ("festivals", "name", "off", "statutory", "makeup", "special", "note"),
    )
    festivals = r.get("festivals", list)
    if not festivals or not all(isinstance(f, str) and f for f in festivals):
        raise r.fail("festivals", festivals, N_("expected a non-empty list of festival keys"))
    off = r.dates("off")
    if len(off) != 2:
        raise r.fail("off", list(off), N_("expected [first day, last day]"))
    first, last = off
    statutory, makeup, special = (
        r.dates("statutory"),
        r.dates("makeup"),
        r.dates("special", required=False),
    )
    for field, days in (("statutory", statutory), ("special", special)):
        for d in days:
            if not first <= d <= last:
                raise r.fail(
                    field,
                    d,
                    Message(
                        N_("outside the block %(first)s–%(last)s"), {"first": first, "last": last}
                    ),
                )
    for d in makeup:
        if first <= d <= last:
            raise r.fail(
                "makeup",
                d,
                Message(
                    N_("a make-up working day inside the block %(first)s–%(last)s"),
                    {"first": first, "last": last},
                ),
            )
        if d.weekday() < 5:
            raise r.fail("makeup", d, N_("a make-up working day must be a Saturday or Sunday"))
    if set(statutory) & set(special):
        raise r.fail(
            "special", sorted(set(statutory) & set(special))[0], N_("also listed as statutory")
        )
    return Holiday(
        festivals=tuple(festivals),
        name=r.get("name", str),
        first=first,
        last=last,
        statutory=statutory,
        makeup=makeup,
        special=special,
        notice=notice,
        note=r.get("note", str, required=False),
    )


def load_estimates(source: Path | str) -> tuple[HolidayYear, ...]:
    """Load estimated statutory days (the format of ``china_estimates.toml``).

    Each festival's statutory days become a one-block holiday without swaps and
    without a notice (:attr:`~govservice.calendars.Holiday.estimated`).
    """
    doc = _read_toml(source)
    top = _Reader(source, "top level", doc, ("rules", "year"))
    years = []
    for i, raw in enumerate(top.get("year", list), start=1):
        r = _Reader(source, f"year record {i}", raw, ("year", *FESTIVALS))
        year = r.get("year", int)
        r.record = f"year {year}"
        blocks = []
        for key, name in FESTIVALS.items():
            days = r.dates(key)
            if not days or any(b - a != timedelta(days=1) for a, b in pairwise(days)):
                raise r.fail(key, list(days), N_("expected consecutive days"))
            blocks.append(
                Holiday(festivals=(key,), name=name, first=days[0], last=days[-1], statutory=days)
            )
        years.append(HolidayYear(year, None, tuple(sorted(blocks, key=lambda h: h.first))))
    return tuple(sorted(years, key=lambda y: y.year))


def load_adjustments(source: Path | str) -> tuple[CalendarAdjustment, ...]:
    """Load a county's local adjustments from a TOML file.

    The file holds ``[[closure]]`` and ``[[working_day]]`` tables, each with a
    ``name``, either a ``date`` or a ``from``/``to`` range (inclusive), and its
    ``kind`` (:class:`~govservice.calendars.AdjustmentKind`): ``"hall_day"``
    for the hall's own opening or closing (hours only; a statutory limit never
    counts it, the county's promised limits only with
    ``counts_for_promised = true``), ``"lawful_local_day"`` for a rest day set
    by law for the locality (every limit counts it)::

        [[closure]]
        name = "壮族三月三"
        kind = "lawful_local_day"
        from = 2026-04-19
        to = 2026-04-21

        [[working_day]]
        name = "周末延时服务日"
        kind = "hall_day"
        counts_for_promised = true
        date = 2026-06-13

    Raises:
        DataFileError: naming the file, the record, the field and the value.

    """
    doc = _read_toml(source)
    top = _Reader(source, "top level", doc, ("closure", "working_day"))
    out: list[CalendarAdjustment] = []
    kinds = {k.value: k for k in AdjustmentKind}
    for key, working in (("closure", False), ("working_day", True)):
        for i, raw in enumerate(top.get(key, list, required=False) or (), start=1):
            r = _Reader(
                source,
                f"{key} {i}",
                raw,
                ("name", "date", "from", "to", "kind", "counts_for_promised"),
            )
            name = r.get("name", str)
            if "kind" not in r.table:
                raise r.fail(
                    "kind",
                    None,
                    N_(
                        "missing: declare 'hall_day' (the hall's own opening or closing: hours "
                        "only, never a statutory limit) or 'lawful_local_day' (a rest day set by "
                        "law for the locality: every limit counts it)"
                    ),
                )
            kind = kinds.get(r.get("kind", str))
            if kind is None:
                raise r.fail(
                    "kind",
                    r.table["kind"],
                    Message(N_("unknown kind (known: %(value)s)"), {"value": ", ".join(kinds)}),
                )
            promised = bool(r.get("counts_for_promised", bool, required=False))
            if promised and kind is AdjustmentKind.LAWFUL_LOCAL_DAY:
                raise r.fail(
                    "counts_for_promised",
                    True,
                    N_("a lawful local day counts for every limit: the flag is for hall days only"),
                )
            single = r.get("date", date, required=False)
            if single is not None:
                if "from" in r.table or "to" in r.table:
                    raise r.fail("date", single, N_("give either 'date' or 'from'/'to', not both"))
                days = [single]
            else:
                start, end = r.get("from", date), r.get("to", date)
                if end < start:
                    raise r.fail(
                        "to", end, Message(N_("before 'from' (%(start)s)"), {"start": start})
                    )
                days = [start + timedelta(days=k) for k in range((end - start).days + 1)]
            out.extend(
                CalendarAdjustment(
                    d, working, name, str(source), kind=kind, counts_for_promised=promised
                )
                for d in days
            )
    return tuple(out)


def _packaged(name: str) -> Path:
    return Path(str(resources.files("govservice.calendars") / "data" / name))


def national_years() -> tuple[HolidayYear, ...]:
    """The built-in national year data (``data/china.toml``), 2004 onwards."""
    return load_years(_packaged("china.toml"))


def national_estimates() -> tuple[HolidayYear, ...]:
    """The built-in estimates for years without a notice (``data/china_estimates.toml``)."""
    return load_estimates(_packaged("china_estimates.toml"))
