"""The model's calendar: month 0 is January 2009, and month ``m`` is ``m`` months later.

Assumed start: January 2009, the year of the earliest calibration figures the indicators cite (e.g. Changshu's
2009 public-school share of migrant pupils, ``migrant_children_public_school_share``). A run's months are whole
months from that start; reports draw time axes in calendar years with these helpers.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

START = dt.date(2009, 1, 1)


def month_to_date(month: int) -> dt.date:
    """The first day of model month ``month`` (0 -> 2009-01-01, 12 -> 2010-01-01)."""
    m = int(month)
    if m != month:
        raise ValueError(f"month must be a whole number, got {month!r}")
    year, index = divmod(START.month - 1 + m, 12)
    return dt.date(START.year + year, index + 1, 1)


def month_label(month: int) -> str:
    """``YYYY-MM`` of model month ``month`` (``2009-01`` for month 0)."""
    return month_to_date(month).strftime("%Y-%m")


def month_to_year(month: float | np.ndarray) -> float | np.ndarray:
    """Decimal calendar year of the start of a month (month 6 -> 2009.5), for time axes."""
    return START.year + (START.month - 1) / 12 + np.asarray(month, dtype=float) / 12
