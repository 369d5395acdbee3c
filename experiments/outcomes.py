"""What a report needs to know about an outcome: its words, its unit, its bounds, whether it is a monthly flow,
and how to print its numbers.

Everything comes from the indicator registry (``urbanize.model.indicators``: name, meaning, unit). Rules, and
what they assume:

* **bounds**: an indicator in unit ``share`` lies in [0, 1], except a gap (a name holding ``gap``: a difference
  of two shares), in [-1, 1]; every other indicator with a unit is a count, an amount, a rate or a ratio and is
  never negative, [0, inf) (assumed from the registry: no indicator with a physical unit can go below zero); an
  outcome that is not in the registry (a user's own column) is unbounded.
* **flows**: a unit "per month" (``persons/month``, ``yuan/month``, ``1/month``...) or a meaning saying "this
  month" marks an amount of the month just simulated. Month 0 is the starting state, before any month was
  simulated, so flows have no month-0 value (the model reports 0): plots and tables start flows at month 1.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class OutcomeInfo:
    name: str
    doc: str
    unit: str
    lo: float
    hi: float
    flow: bool

    @property
    def words(self) -> str:
        """The name in words: ``registration_rate`` -> ``registration rate``."""
        return self.name.replace("_", " ")

    def axis_label(self, prefix: str = "") -> str:
        """``"registration rate (share)"``, or ``"difference in registration rate (share)"`` with a prefix."""
        text = f"{prefix} {self.words}".strip()
        return f"{text} ({self.unit})" if self.unit else text

    @property
    def bounded(self) -> bool:
        return math.isfinite(self.lo) or math.isfinite(self.hi)


@cache
def _registry() -> dict[str, tuple[str, str]]:
    from urbanize.model.indicators import registry

    return {name: (ind.doc, ind.unit) for name, ind in registry(None).items()}  # policies' own too


def outcome_info(name: str) -> OutcomeInfo:
    """Unit, bounds and flow flag of an outcome (see the module's rules)."""
    known = _registry().get(name)
    if known is None:
        return OutcomeInfo(name, "", "", -math.inf, math.inf, False)
    doc, unit = known
    if unit == "share":
        lo, hi = (-1.0, 1.0) if "gap" in name else (0.0, 1.0)
    elif unit:
        lo, hi = 0.0, math.inf
    else:
        lo, hi = -math.inf, math.inf
    flow = unit.endswith("/month") or "this month" in doc
    return OutcomeInfo(name, doc, unit, lo, hi, flow)


def first_month(name: str) -> int:
    """The first month an outcome has a value: 1 for flows, 0 otherwise."""
    return 1 if outcome_info(name).flow else 0


def month_label(month: int) -> str:
    """``YYYY-MM`` of a model month (``urbanize.model.calendar``: month 0 is January 2009)."""
    from urbanize.model.calendar import date_of

    return date_of(int(month)).strftime("%Y-%m")


def fmt(x: float, digits: int = 4) -> str:
    """A number for people: ``digits`` significant digits, thousands separators, never e-notation, and ``0``
    for values that are zero to within rounding (``-1.4e-14`` -> ``0``)."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    x = float(x)
    if not math.isfinite(x):
        return "inf" if x > 0 else "-inf"
    if abs(x) < 1e-12:
        return "0"
    magnitude = int(math.floor(math.log10(abs(x))))
    if magnitude >= digits - 1:
        return f"{x:,.0f}"  # whole units from 1,000 up: 1,946,365
    text = f"{x:,.{digits - 1 - magnitude}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def fmt_p(p: float) -> str:
    """A p-value: 3 significant digits, ``< 0.0001`` below that."""
    if p is None or (isinstance(p, float) and math.isnan(p)):
        return ""
    return "< 0.0001" if p < 1e-4 else fmt(p, 3)


def write_csv(df: pd.DataFrame, path: Path) -> Path:
    """Write a table whose float cells never use e-notation."""
    out = df.copy()
    for col in out.columns:
        if pd.api.types.is_float_dtype(out[col]):
            out[col] = [plain_csv_number(v) for v in out[col].to_numpy()]
    out.to_csv(path, index=False)
    return path


def plain_csv_number(x: float) -> str:
    """A CSV cell without e-notation, up to 10 significant digits (1.2e-05 -> 0.000012)."""
    if x is None or not np.isfinite(x):
        return "" if x is None or np.isnan(x) else str(x)
    if x == 0:
        return "0"
    return np.format_float_positional(float(x), precision=10, unique=False, fractional=False, trim="-")
