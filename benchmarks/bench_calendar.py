"""Benchmark ``add_working_days``: govservice against its peers, in one process.

Run::

    python benchmarks/bench_calendar.py [--queries N] [--seed S]

or ``python -m nox -s bench``.  It draws random queries (a start date uniform
over 2021-01-01..2026-10-31 and a count of working days uniform over 1..60),
answers them with

* govservice, scalar: ``cal.add_working_days(d, n)`` in a Python loop;
* govservice, batch: one ``cal.add_working_days(dates, counts)`` call on arrays;
* a plain-Python baseline: ``bisect`` over the sorted list of govservice's own
  working days (the practical floor of a pure Python look-up);
* ``holidays``: ``holidays.China(...).get_nth_working_day(d, n)``;
* ``workalendar``: ``workalendar.asia.China().add_working_days(d, n)``;
* ``chinesecalendar``: ``chinese_calendar.find_workday(n - 1, d + 1 day)``,
  which is the n-th working day after d (``find_workday`` counts its start day);

checks that all agree where they have data, and prints a Markdown table of the
times.  The slow peers answer a prefix of the queries; govservice is timed on
the same prefix for their ratio.  It asserts nothing about time.
"""

from __future__ import annotations

import argparse
import bisect
import gc
import os
import platform
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any

import numpy as np

from _machine import cpu_name, version
from govservice.calendars import china
from govservice.exceptions import CalendarDataMissing

FIRST = date(2021, 1, 1)
LAST = date(2026, 10, 31)
N_MAX = 60
ONE_DAY = timedelta(days=1)
EXAMPLES = 5

Scalar = Callable[[date, int], date]


# ------------------------------------------------------------------ helpers


def draw(count: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The queries: start dates (datetime64[D]) and counts (int64)."""
    rng = np.random.default_rng(seed)
    lo, hi = np.datetime64(FIRST, "D"), np.datetime64(LAST, "D")
    span = int((hi - lo).astype(np.int64)) + 1
    days = lo + rng.integers(0, span, size=count).astype("timedelta64[D]")
    counts = rng.integers(1, N_MAX + 1, size=count, dtype=np.int64)
    return days, counts


def run_scalar(f: Scalar, ds: Sequence[date], ns: Sequence[int]) -> tuple[float, list[Any]]:
    """Answer every query with *f*; an exception is kept as the answer."""
    out: list[Any] = []
    append = out.append
    gc.disable()
    try:
        t0 = time.perf_counter()
        for d, n in zip(ds, ns, strict=True):
            try:
                append(f(d, n))
            except Exception as e:
                append(e)
        t = time.perf_counter() - t0
    finally:
        gc.enable()
    return t, out


def best_of(
    repeat: int, f: Scalar, ds: Sequence[date], ns: Sequence[int]
) -> tuple[float, list[Any]]:
    best, out = run_scalar(f, ds, ns)
    for _ in range(repeat - 1):
        t, out = run_scalar(f, ds, ns)
        best = min(best, t)
    return best, out


def fmt_int(k: int) -> str:
    return f"{k:,}"


def md_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(["---"] * len(header)) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def compare(
    name: str,
    ds: Sequence[date],
    ns: Sequence[int],
    ref: Sequence[date],
    got: Sequence[Any],
) -> dict[str, Any]:
    """Agreement of *got* with govservice's answers *ref*."""
    disagree: list[tuple[date, int, date, date]] = []
    errors: dict[str, int] = {}
    for d, n, r, g in zip(ds, ns, ref, got, strict=True):
        if isinstance(g, BaseException):
            key = f"{type(g).__name__}: {g}"
            errors[key] = errors.get(key, 0) + 1
        elif g != r:
            disagree.append((d, n, r, g))
    return {"name": name, "n": len(ds), "disagree": disagree, "errors": errors}


def report_agreement(res: dict[str, Any]) -> None:
    dis, errs = res["disagree"], res["errors"]
    n_err = sum(errs.values())
    agree = res["n"] - len(dis) - n_err
    print(
        f"- **{res['name']}**: {fmt_int(res['n'])} queries compared: {fmt_int(agree)} agree, "
        f"{fmt_int(len(dis))} disagree, {fmt_int(n_err)} raised."
    )
    for d, n, r, g in dis[:EXAMPLES]:
        print(f"  - add({d}, {n}): govservice {r}, {res['name']} {g}")
    for msg, k in errs.items():
        print(f"  - raised {fmt_int(k)}×: {msg}")


def day_diff(
    cal: Any, is_working: Callable[[date], bool], first: date, last: date
) -> list[tuple[date, bool, bool]]:
    """Days in [first, last] on which *is_working* and govservice differ."""
    out = []
    d = first
    while d <= last:
        g, p = cal.is_working_day(d), bool(is_working(d))
        if g != p:
            out.append((d, g, p))
        d += ONE_DAY
    return out


def report_days(name: str, diffs: list[tuple[date, bool, bool]], first: date, last: date) -> None:
    def w(x: bool) -> str:
        return "working" if x else "rest"

    if not diffs:
        print(f"- {name} vs govservice, every day {first}..{last}: identical.")
        return
    print(f"- {name} vs govservice, every day {first}..{last}: {len(diffs)} days differ:")
    for d, g, p in diffs:
        print(f"  - {d} ({d:%a}): govservice {w(g)}, {name} {w(p)}")


# -------------------------------------------------------------------- peers


def chinese_calendar_add(find_workday: Callable[[int, date], date]) -> Scalar:
    """``add_working_days`` from ``chinese_calendar.find_workday``.

    ``find_workday(k, d)`` with k >= 0 rolls d forward to a working day (d
    counted) and then moves k working days on, so the n-th working day after
    d is ``find_workday(n - 1, d + 1 day)``; with k < 0 it moves |k| working
    days back, d not counted.
    """

    def add(d: date, n: int) -> date:
        if n > 0:
            return find_workday(n - 1, d + ONE_DAY)
        if n < 0:
            return find_workday(n, d)
        return d

    return add


def is_workday_loop(is_workday: Callable[[date], bool]) -> Scalar:
    """The obvious loop over ``is_workday``, to cross-check the mapping above."""

    def add(d: date, n: int) -> date:
        step = ONE_DAY if n > 0 else -ONE_DAY
        k = abs(n)
        while k:
            d += step
            if is_workday(d):
                k -= 1
        return d

    return add


# --------------------------------------------------------------------- main


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--queries", type=int, default=100_000, help="number of queries (100000)")
    p.add_argument("--seed", type=int, default=20261126, help="numpy default_rng seed")
    p.add_argument("--repeat", type=int, default=3, help="repetitions of the fast ones (3)")
    p.add_argument(
        "--holidays-queries", type=int, default=20_000, help="prefix answered by holidays"
    )
    p.add_argument(
        "--slow-queries",
        type=int,
        default=5_000,
        help="prefix answered by workalendar and chinesecalendar",
    )
    args = p.parse_args(argv)

    # -------------------------------------------------------------- environment
    print("# Calendar benchmark: `add_working_days`\n")
    print("## Environment\n")
    print(f"- Python {platform.python_version()} ({platform.python_implementation()})")
    print(f"- NumPy {np.__version__}")
    for dist in ("govservice", "holidays", "workalendar", "chinesecalendar"):
        print(f"- {dist} {version(dist)}")
    print(f"- Machine: {platform.platform()}; platform.processor(): {cpu_name()}")
    aff = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    print(f"- CPU count: {os.cpu_count()}" + (f" ({aff} usable by this process)" if aff else ""))
    if "OPENBLAS_CORETYPE" in os.environ:
        print(
            f"- OPENBLAS_CORETYPE={os.environ['OPENBLAS_CORETYPE']} is set "
            "(recorded only; this benchmark does no linear algebra)"
        )
    print(
        f"- Timer: time.perf_counter, garbage collector off while timing; best of "
        f"{args.repeat} for govservice and bisect, one run for each peer after a "
        "warm-up of 200 queries."
    )

    # ------------------------------------------------------------------ queries
    days_np, counts_np = draw(args.queries, args.seed)
    all_ds: list[date] = days_np.tolist()
    all_ns: list[int] = counts_np.tolist()
    cal = china()
    cov_first, cov_last = cal.coverage
    official_end = date(cov_last, 12, 31)

    # govservice answers from official data only: queries whose answer falls
    # after its last year raise CalendarDataMissing and are set aside.
    _, first_pass = run_scalar(cal.add_working_days, all_ds, all_ns)
    keep = [not isinstance(r, BaseException) for r in first_pass]
    other_errors = [
        r
        for r in first_pass
        if isinstance(r, BaseException) and not isinstance(r, CalendarDataMissing)
    ]
    if other_errors:
        print(f"\nUNEXPECTED: govservice raised {other_errors[0]!r} ({len(other_errors)} queries)")
    beyond = [i for i, k in enumerate(keep) if not k]
    ds = [d for d, k in zip(all_ds, keep, strict=True) if k]
    ns = [n for n, k in zip(all_ns, keep, strict=True) if k]
    keep_np = np.array(keep, dtype=bool)
    d_arr, n_arr = days_np[keep_np], counts_np[keep_np]
    q = len(ds)

    print("\n## Queries\n")
    print(
        f"{fmt_int(args.queries)} queries drawn with numpy.random.default_rng({args.seed}): "
        f"start date uniform over {FIRST}..{LAST}, n uniform over 1..{N_MAX}. "
        f"govservice's official data covers {cov_first}–{cov_last}; "
        f"{fmt_int(len(beyond))} queries have their answer after {official_end} "
        f"(govservice raises CalendarDataMissing for them, by design) and are left out "
        f"of the timings, leaving {fmt_int(q)} queries."
    )

    # --------------------------------------------------------------- govservice
    t_scalar, gs = best_of(args.repeat, cal.add_working_days, ds, ns)

    t_batch = float("inf")
    batch_out = cal.add_working_days(d_arr, n_arr)
    for _ in range(args.repeat):
        gc.disable()
        t0 = time.perf_counter()
        batch_out = cal.add_working_days(d_arr, n_arr)
        t_batch = min(t_batch, time.perf_counter() - t0)
        gc.enable()

    # ------------------------------------------------------- bisect baseline
    wdays = cal.working_days(date(cov_first, 1, 1), official_end)
    bisect_right = bisect.bisect_right

    def bisect_add(d: date, n: int) -> date:
        if n > 0:
            return wdays[bisect_right(wdays, d) + n - 1]
        if n < 0:
            return wdays[bisect.bisect_left(wdays, d) + n]
        return d

    t_bisect, bis = best_of(args.repeat, bisect_add, ds, ns)

    rows: list[list[str]] = []

    def row(name: str, k: int, t: float, t_gs: float | None, ratio_label: str = "") -> None:
        rows.append(
            [
                name,
                fmt_int(k),
                f"{t:.4f}",
                f"{t / k * 1e6:.3f}",
                f"{t_gs / k * 1e6:.3f}" if t_gs is not None else "—",
                (f"{t / t_gs:.2f}" if t_gs else "—") + ratio_label,
            ]
        )

    row("govservice scalar", q, t_scalar, t_scalar)
    row("govservice batch (one call on arrays; per query)", q, t_batch, t_scalar)
    row("plain Python bisect over govservice's working days", q, t_bisect, t_scalar)

    agreements: list[dict[str, Any]] = []
    batch_dates: list[date] = batch_out.tolist()
    agreements.append(compare("govservice batch", ds, ns, gs, batch_dates))
    agreements.append(compare("bisect baseline", ds, ns, gs, bis))

    day_reports: list[tuple[str, list[tuple[date, bool, bool]], date, date]] = []
    notes: list[str] = []
    ratio_holidays: float | None = None

    def time_peer(name: str, f: Scalar, sub_ds: list[date], sub_ns: list[int]) -> float:
        """Time *f* and govservice on the same queries; record the row and agreement."""
        k = len(sub_ds)
        run_scalar(f, sub_ds[:200], sub_ns[:200])  # warm-up: caches, lazy year data
        t_peer, out = run_scalar(f, sub_ds, sub_ns)
        t_gs, ref = best_of(args.repeat, cal.add_working_days, sub_ds, sub_ns)
        row(f"{name}", k, t_peer, t_gs)
        agreements.append(compare(name, sub_ds, sub_ns, ref, out))
        return t_peer / t_gs

    # ----------------------------------------------------------------- holidays
    try:
        import holidays
    except ImportError:
        notes.append("holidays is not installed: skipped.")
    else:
        t0 = time.perf_counter()
        hcal = holidays.China(years=range(2021, 2028))  # type: ignore[attr-defined]
        t_build = time.perf_counter() - t0
        k = min(args.holidays_queries, q)
        ratio_holidays = time_peer(
            "holidays `China().get_nth_working_day`", hcal.get_nth_working_day, ds[:k], ns[:k]
        )
        notes.append(
            f"holidays: `holidays.China(years=range(2021, 2028))` built in {t_build:.3f} s "
            "(not timed in the table)."
        )
        day_reports.append(
            (
                "holidays",
                day_diff(cal, hcal.is_working_day, FIRST, official_end),
                FIRST,
                official_end,
            )
        )
        # The queries govservice leaves out (answer after its official data).
        if beyond:
            pcal = china(provisional=True)
            b_ds = [all_ds[i] for i in beyond]
            b_ns = [all_ns[i] for i in beyond]
            _, h_out = run_scalar(hcal.get_nth_working_day, b_ds, b_ns)
            _, p_out = run_scalar(pcal.add_working_days, b_ds, b_ns)
            same = sum(
                1
                for a, b in zip(h_out, p_out, strict=True)
                if not isinstance(a, BaseException) and a == b
            )
            raised = sum(isinstance(a, BaseException) for a in h_out)
            swaps_next = sorted(x for x in hcal.weekend_workdays if x.year == cov_last + 1)
            notes.append(
                f"The {fmt_int(len(beyond))} queries answered after {official_end}: holidays "
                f"answers {fmt_int(len(beyond) - raised)} of them without any warning (its data "
                f"has {len(swaps_next)} make-up working days for {cov_last + 1}); govservice "
                f"answers them only with `china(provisional=True)`, marked provisional; the "
                f"two agree on {fmt_int(same)} of {fmt_int(len(beyond))}."
            )

    # -------------------------------------------------------------- workalendar
    try:
        import workalendar.asia
        import workalendar.asia.china as wchina
        from workalendar.exceptions import CalendarError as WorkalendarError
    except ImportError:
        notes.append("workalendar is not installed: skipped.")
    else:
        wcal = workalendar.asia.China()
        w_first, w_last = min(wchina.holidays), max(wchina.holidays)
        w_end = date(w_last, 12, 31)
        inside = [i for i in range(q) if ds[i].year >= w_first and gs[i] <= w_end]
        inside_set = set(inside)
        outside = [i for i in range(q) if i not in inside_set]
        k = min(args.slow_queries, len(inside))
        sub = inside[:k]
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            time_peer(
                "workalendar `asia.China().add_working_days`",
                wcal.add_working_days,
                [ds[i] for i in sub],
                [ns[i] for i in sub],
            )
            probe = outside[:200]
            _, w_out = run_scalar(
                wcal.add_working_days, [ds[i] for i in probe], [ns[i] for i in probe]
            )
        w_raised = [r for r in w_out if isinstance(r, WorkalendarError)]
        w_msgs = sorted({str(w.message) for w in caught})
        notes.append(
            f"workalendar has holiday data for {w_first}–{w_last} only. {fmt_int(len(outside))} "
            f"of the {fmt_int(q)} queries ({len(outside) / q:.1%}) start or end outside those "
            f"years; it was timed on the first {fmt_int(k)} queries that lie inside them. "
            f"Of the first {len(probe)} queries outside, {len(w_raised)} raised "
            f"`CalendarError` (e.g. {str(w_raised[0]) if w_raised else '—'!r}) and "
            f"{len(probe) - len(w_raised)} were answered. It warns when it computes a "
            f"year: {'; '.join(repr(m) for m in w_msgs) or 'no warning'}."
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            day_reports.append(
                ("workalendar", day_diff(cal, wcal.is_working_day, FIRST, w_end), FIRST, w_end)
            )

    # ---------------------------------------------------------- chinesecalendar
    try:
        import chinese_calendar
        from chinese_calendar import constants as cconst
    except ImportError:
        notes.append("chinesecalendar is not installed: skipped.")
    else:
        c_first = min(cconst.holidays).year
        c_last = max(cconst.holidays).year
        c_end = date(c_last, 12, 31)
        inside = [i for i in range(q) if ds[i].year >= c_first and gs[i] <= c_end]
        k = min(args.slow_queries, len(inside))
        sub = inside[:k]
        c_add = chinese_calendar_add(chinese_calendar.find_workday)
        time_peer(
            "chinesecalendar `find_workday(n - 1, d + 1 day)`",
            c_add,
            [ds[i] for i in sub],
            [ns[i] for i in sub],
        )
        # Cross-check the find_workday mapping with the obvious is_workday loop.
        loop = is_workday_loop(chinese_calendar.is_workday)
        chk = sub[:500]
        mism = sum(1 for i in chk if loop(ds[i], ns[i]) != c_add(ds[i], ns[i]))
        c_beyond = ""
        if beyond:
            _, c_out = run_scalar(c_add, [all_ds[i] for i in beyond], [all_ns[i] for i in beyond])
            c_err = [r for r in c_out if isinstance(r, BaseException)]
            c_beyond = (
                f" On the {fmt_int(len(beyond))} queries answered after {official_end} it "
                f"raised for {fmt_int(len(c_err))}"
                + (f" ({type(c_err[0]).__name__}: {c_err[0]})." if c_err else ".")
            )
        notes.append(
            f"chinesecalendar has data for {c_first}–{c_last}; it has no add function, so "
            f"`find_workday(n - 1, d + 1 day)` is used (`find_workday(k, d)` counts d itself "
            f"when d is a working day). On {len(chk)} queries it matches the plain "
            f"`is_workday` loop in {len(chk) - mism} cases.{c_beyond}"
        )
        day_reports.append(
            (
                "chinesecalendar",
                day_diff(cal, chinese_calendar.is_workday, FIRST, c_end),
                FIRST,
                c_end,
            )
        )

    # -------------------------------------------------------------------- table
    print("\n## Timings\n")
    print(
        md_table(
            [
                "implementation",
                "queries",
                "total s",
                "µs per call",
                "govservice scalar µs per call, same queries",
                "ratio (time / govservice scalar, same queries)",
            ],
            rows,
        )
    )
    per_query_batch = t_batch / q * 1e6
    print("\n## Targets\n")
    if ratio_holidays is None:
        print("- govservice scalar ≥ 100× faster than holidays: not measured (holidays missing)")
    else:
        print(
            f"- govservice scalar at least 100× faster than holidays, same run: "
            f"{ratio_holidays:.0f}× — {'met' if ratio_holidays >= 100 else 'NOT MET'}"
        )
    print(
        f"- govservice batch ≤ 0.1 µs per query: {per_query_batch:.4f} µs — "
        f"{'met' if per_query_batch <= 0.1 else 'NOT MET'}"
    )

    # ---------------------------------------------------------------- agreement
    print("\n## Agreement with govservice\n")
    for res in agreements:
        report_agreement(res)
    print("\nDay by day (`is_working_day`):\n")
    for name, diffs, a, b in day_reports:
        report_days(name, diffs, a, b)
    if notes:
        print("\n## Notes\n")
        for note in notes:
            print(f"- {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
