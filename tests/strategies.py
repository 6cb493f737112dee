"""Hypothesis strategies shared by the tests."""

from __future__ import annotations

from datetime import date

from hypothesis import strategies as st

#: Dates well inside the built-in coverage (2004–2026), leaving room for ±60 working days.
dates = st.dates(min_value=date(2004, 4, 1), max_value=date(2026, 9, 30))
#: Working-day counts a limit realistically has, both directions.
counts = st.integers(min_value=-60, max_value=60)
