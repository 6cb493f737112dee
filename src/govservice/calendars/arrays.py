"""The array forms' inputs: what NumPy and pandas users have, as local dates.

The calendar's array forms take a NumPy ``datetime64`` array of any unit, a
list or tuple of dates (or aware datetimes, or ISO strings), a pandas
``Series`` or ``Index`` of dates or timestamps; they answer with an array of
the same shape — a ``Series`` with the same index and name for a ``Series``,
an ``Index`` for an ``Index`` — as NumPy's and pandas' own functions do.
pandas is imported only when a pandas object is given.

Dates are local dates of the calendar's time zone:

* a ``datetime64`` (NumPy, or a naive pandas column) is a date: at midnight in
  a finer unit (``datetime64[ns]`` from ``pd.to_datetime(["2026-10-01"])``);
  a naive time of day is refused, as naive datetimes are, since its time zone
  is unknown;
* an aware pandas column (``datetime64[ns, UTC]``) counts on its local date in
  the calendar's time zone;
* ``NaT`` (and ``None`` in a list) passes through: the answer for it is
  ``NaT`` for a date, ``False`` for a yes-or-no, and NaN for a count (whose
  array is then float, as pandas' ``.dt.days`` is).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import tzinfo
from typing import Any

import numpy as np
import numpy.typing as npt

from govservice.calendars.instants import local_date
from govservice.exceptions import CalendarError
from govservice.text import N_, Message

__all__ = ["as_days", "fill_missing", "is_array"]

_DAY = np.dtype("datetime64[D]")


def is_array(value: object) -> bool:
    """Whether *value* is one of the array forms' inputs (not a scalar date)."""
    if isinstance(value, np.ndarray | np.datetime64 | list | tuple):
        return True
    module = type(value).__module__
    return module.startswith("pandas") and hasattr(value, "dtype") and hasattr(value, "__len__")


def as_days(
    value: Any, tz: tzinfo
) -> tuple[npt.NDArray[np.datetime64], Callable[[npt.NDArray[Any]], Any]]:
    """*value* as local dates (``datetime64[D]``, NaT kept), and how to give an answer back.

    The second item turns an answer computed on the dates into the input's
    kind: a ``Series`` with its index and name, an ``Index``, else a NumPy array.

    Raises:
        CalendarError: a naive time of day, or something that is not a date.
    """
    if type(value).__module__.startswith("pandas"):
        return _from_pandas(value, tz)
    if isinstance(value, np.datetime64):
        value = np.asarray(value)
    if isinstance(value, np.ndarray) and value.dtype.kind == "M":
        return _dates(value), _same
    return _each(np.asarray(value, dtype=object), tz), _same


def fill_missing(out: npt.NDArray[Any], missing: npt.NDArray[np.bool_]) -> npt.NDArray[Any]:
    """*out* with the answers for NaT inputs replaced: NaT, False, or NaN (counts become float)."""
    if not missing.any():
        return out
    missing = np.broadcast_to(missing, out.shape)
    if out.dtype.kind == "M":
        return np.where(missing, np.datetime64("NaT"), out)
    if out.dtype.kind == "b":
        return np.where(missing, False, out)
    return np.where(missing, np.nan, out.astype(np.float64))


def _same(out: npt.NDArray[Any]) -> npt.NDArray[Any]:
    return out


def _dates(values: npt.NDArray[Any]) -> npt.NDArray[np.datetime64]:
    """A naive ``datetime64`` array of any unit as dates; a time of day is refused."""
    days = values.astype(_DAY, copy=False)
    unit, _ = np.datetime_data(values.dtype)
    if unit in ("h", "m", "s", "ms", "us", "ns", "ps", "fs", "as"):
        timed = (days.astype(values.dtype) != values) & ~np.isnat(values)
        if timed.any():
            first = values[timed].flat[0]
            raise CalendarError(
                Message(
                    N_(
                        "date-times without a time zone (%(first)s): give local dates "
                        "(datetime64 at midnight, or .dt.normalize() of local times), or aware "
                        "timestamps (.dt.tz_localize('Asia/Shanghai'))"
                    ),
                    {"first": first},
                )
            )
    return days


def _each(values: npt.NDArray[Any], tz: tzinfo) -> npt.NDArray[np.datetime64]:
    """Dates, aware datetimes, ISO strings or missing values, one by one, as dates."""
    out = np.empty(values.shape, dtype=_DAY)
    flat = out.reshape(-1)
    for i, v in enumerate(values.reshape(-1)):
        if v is None or (isinstance(v, float) and np.isnan(v)) or _is_nat(v):
            flat[i] = np.datetime64("NaT")
        elif isinstance(v, np.datetime64):
            flat[i] = _dates(np.asarray(v))
        else:
            flat[i] = np.datetime64(local_date(v, tz), "D")
    return out


def _is_nat(v: object) -> bool:
    return type(v).__name__ == "NaTType" or (isinstance(v, np.datetime64) and np.isnat(v))


def _from_pandas(
    value: Any, tz: tzinfo
) -> tuple[npt.NDArray[np.datetime64], Callable[[npt.NDArray[Any]], Any]]:
    import pandas as pd

    dtype = value.dtype
    if isinstance(dtype, pd.DatetimeTZDtype):
        local = pd.DatetimeIndex(value).tz_convert(tz).tz_localize(None)
        days = local.to_numpy().astype(_DAY)
    elif dtype.kind == "M":
        days = _dates(np.asarray(value))
    else:
        days = _each(np.asarray(value, dtype=object), tz)
    unit: str
    if isinstance(dtype, pd.DatetimeTZDtype):
        unit = dtype.unit
    else:
        unit = np.datetime_data(dtype)[0] if dtype.kind == "M" else "ns"
    unit = unit if unit in ("s", "ms", "us", "ns") else "ns"  # the units pandas holds

    def back(out: npt.NDArray[Any]) -> Any:
        if out.dtype.kind == "M":
            out = out.astype(f"datetime64[{unit}]")
        if isinstance(value, pd.Series):
            return pd.Series(out, index=value.index, name=value.name)
        if isinstance(value, pd.Index):
            return pd.Index(out, name=value.name)
        return out

    return days, back
