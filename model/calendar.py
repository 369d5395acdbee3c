"""The model's calendar: month 0 is January 2009, the year of the seed's city figures.

One step is one month. ``date_of(month)`` gives the first day of that month, ``year_of(month)`` its calendar year
and ``month_of("2016-01")`` the model month of a date (84). Stylized episodes from other years, such as
Zhengzhou's 2003 low-threshold hukou reform, run as scenarios on the 2009 city profile and say so: their dates
are the model's, not history's (see docs/model.md, "Scales").
"""

from __future__ import annotations

import datetime as _dt

import numpy as np
import pandas as pd

START_YEAR = 2009
START_MONTH = 1  # January


def date_of(month: int) -> _dt.date:
    """First day of model month ``month`` (0 = 2009-01-01)."""
    y, m = divmod(START_MONTH - 1 + int(month), 12)
    return _dt.date(START_YEAR + y, m + 1, 1)


def is_january(month: int) -> bool:
    """Whether model month ``month`` is a January (0, 12, 24, ...): when yearly plans, quotas and coupons start."""
    return (START_MONTH - 1 + int(month)) % 12 == 0


def year_of(month: int | np.ndarray) -> int | np.ndarray:
    """Calendar year of a model month (or of an array of months)."""
    if isinstance(month, np.ndarray):
        return START_YEAR + (START_MONTH - 1 + month) // 12
    return START_YEAR + (START_MONTH - 1 + int(month)) // 12


def decimal_year(month: int | np.ndarray | pd.Series) -> float | np.ndarray | pd.Series:
    """Year with the month as a fraction (2009.0 for month 0, 2009.5 for July 2009): for plot axes."""
    return START_YEAR + (START_MONTH - 1 + month) / 12.0


def month_of(when: str | _dt.date) -> int:
    """Model month of a date or a ``YYYY-MM`` string (``month_of("2016-01") == 84``).

    Raises:
        ValueError: the text is not ``YYYY-MM`` (or ``YYYY-MM-DD``).
    """
    if isinstance(when, str):
        try:
            parts = [int(p) for p in when.strip().split("-")[:2]]
            year, mon = parts[0], parts[1] if len(parts) > 1 else 1
        except (ValueError, IndexError):
            raise ValueError(f"'{when}' is not a date of the form YYYY-MM") from None
        if not 1 <= mon <= 12:
            raise ValueError(f"'{when}' has no month {mon}; months are 01-12")
    else:
        year, mon = when.year, when.month
    return (year - START_YEAR) * 12 + (mon - START_MONTH)


def dates(months: pd.Series | np.ndarray) -> pd.Series:
    """First days of the model months, as a datetime column (for indicator tables)."""
    m = np.asarray(months, dtype=np.int64)
    y, mm = np.divmod(START_MONTH - 1 + m, 12)
    return pd.Series(pd.to_datetime({"year": START_YEAR + y, "month": mm + 1, "day": 1}))
