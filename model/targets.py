"""Empirical targets as data: load ``targets.toml`` and measure a run against each target.

A :class:`Target` names an indicator, how to measure it over a run (:data:`MEASURES`), the published value, a
tolerance band written from its source before any run, whether it is for calibration or kept for validation
only, and its source. :func:`measure` evaluates one target on one run's indicator table; the batch layer
(``urbanize validate``) runs replicates and scores the mean (see docs/validation.md).
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from urbanize.model import calendar
from urbanize.model.city import list_cities
from urbanize.model.errors import UrbanizeError

MEASURES = ("at", "mean", "min", "max", "min_year", "max_year", "change", "ratio")
Use = Literal["calibration", "validation"]
NATIONAL = "national"


class TargetFileError(UrbanizeError):
    """A targets file that is malformed (bad TOML, an unknown field value, a missing field)."""


@dataclass(frozen=True)
class Target:
    """One published figure the model should reproduce (fields as documented in ``targets.toml``)."""

    name: str
    use: Use
    must_pass: bool
    city: str
    indicator: str
    measure: str
    value: float
    source: str
    tolerance_basis: str
    first_year: str
    policies: str = "status_quo"
    when: str | None = None
    start: str | None = None  # ``from`` in the file
    end: str | None = None  # ``to`` in the file
    base_from: str | None = None
    base_to: str | None = None
    tolerance: float | None = None
    relative: bool = False
    lower: float | None = None
    upper: float | None = None
    comparable: bool = True
    pool_weight: str = "residents"

    @property
    def national(self) -> bool:
        return self.city == NATIONAL

    @property
    def stable_first_year(self) -> bool:
        return self.first_year == "stable"

    def band(self) -> tuple[float, float]:
        """(low, high) the model mean must lie in."""
        if self.tolerance is not None:
            half = self.tolerance * abs(self.value) if self.relative else self.tolerance
            return (self.value - half, self.value + half)
        lo = -math.inf if self.lower is None else self.lower
        hi = math.inf if self.upper is None else self.upper
        return (lo, hi)

    def first_year_tolerance(self) -> float:
        """How far the indicator may move between month 0 and month 12 (the target's tolerance)."""
        if self.tolerance is not None:
            return self.tolerance * abs(self.value) if self.relative else self.tolerance
        lo, hi = self.band()
        return (hi - lo) / 2 if math.isfinite(hi - lo) else abs(self.value) * 0.05

    def passes(self, model_mean: float) -> bool:
        lo, hi = self.band()
        return bool(np.isfinite(model_mean) and lo - 1e-12 <= model_mean <= hi + 1e-12)

    def last_month(self) -> int:
        """The last model month the measure reads."""
        dates = [d for d in (self.when, self.end, self.base_to) if d]
        return max(calendar.month_of(d) for d in dates)


def _months(df: pd.DataFrame, start: str, end: str) -> pd.Series:
    lo, hi = calendar.month_of(start), calendar.month_of(end)
    return df["month"].between(lo, hi)


def measure(target: Target, df: pd.DataFrame) -> float:
    """The target's measure on one run's indicators (``model.indicators()`` or one run of a sweep).

    Returns NaN when the run does not reach the months the target reads or lacks the indicator.
    """
    if target.indicator not in df.columns or df["month"].max() < target.last_month():
        return float("nan")
    x = df[target.indicator]
    match target.measure:
        case "at":
            assert target.when is not None
            row = df["month"] == calendar.month_of(target.when)
            return float(x[row].iloc[0]) if row.any() else float("nan")
        case "mean" | "min" | "max":
            assert target.start is not None and target.end is not None
            window = x[_months(df, target.start, target.end)]
            return float(getattr(window, target.measure)())
        case "min_year" | "max_year":
            assert target.start is not None and target.end is not None
            window = _months(df, target.start, target.end)
            years = calendar.year_of(df.loc[window, "month"].to_numpy())
            annual = x[window].groupby(years).mean()
            return float(annual.min() if target.measure == "min_year" else annual.max())
        case "change" | "ratio":
            assert None not in (target.start, target.end, target.base_from, target.base_to)
            now = x[_months(df, target.start, target.end)]  # type: ignore[arg-type]
            base = x[_months(df, target.base_from, target.base_to)]  # type: ignore[arg-type]
            if target.measure == "change":
                return float(now.mean() - base.mean())
            return float(now.sum() / base.sum()) if base.sum() > 0 else float("nan")
    raise TargetFileError(f"target '{target.name}': unknown measure '{target.measure}'")


def default_path() -> Path:
    return Path(str(resources.files("urbanize.model").joinpath("targets.toml")))


def load(path: str | Path | None = None) -> list[Target]:
    """Read and check a targets file (default: the shipped ``model/targets.toml``).

    Raises:
        TargetFileError: bad TOML or a target with a missing or invalid field (one line naming it).
    """
    path = Path(path) if path is not None else default_path()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise TargetFileError(f"cannot read targets file '{path}': {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise TargetFileError(f"targets file '{path}' is not valid TOML: {exc}") from None
    raw = data.get("target")
    if not isinstance(raw, list) or not raw:
        raise TargetFileError(f"targets file '{path}' has no [[target]] tables")
    out = [_parse(entry, path) for entry in raw]
    names = [t.name for t in out]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise TargetFileError(f"targets file '{path}': duplicate target names {', '.join(dup)}")
    return out


_FIELDS = {
    "name", "use", "must_pass", "city", "indicator", "measure", "value", "source", "tolerance_basis",
    "first_year", "policies", "when", "from", "to", "base_from", "base_to", "tolerance", "relative", "lower",
    "upper", "comparable", "pool_weight",
}  # fmt: skip


def _parse(entry: Any, path: Path) -> Target:
    if not isinstance(entry, dict):
        raise TargetFileError(f"targets file '{path}': every [[target]] must be a table")
    name = entry.get("name", "?")
    where = f"targets file '{path}', target '{name}'"
    unknown = sorted(set(entry) - _FIELDS)
    if unknown:
        raise TargetFileError(f"{where}: unknown field(s) {', '.join(unknown)}; fields: {', '.join(sorted(_FIELDS))}")
    for key in ("name", "use", "city", "indicator", "measure", "value", "source", "tolerance_basis", "first_year"):
        if key not in entry:
            raise TargetFileError(f"{where}: missing '{key}' (every target names it; see the file's header)")
    if entry["use"] not in ("calibration", "validation"):
        raise TargetFileError(f"{where}: use = '{entry['use']}' must be 'calibration' or 'validation'")
    if entry["measure"] not in MEASURES:
        raise TargetFileError(f"{where}: measure = '{entry['measure']}' must be one of {', '.join(MEASURES)}")
    if entry["city"] != NATIONAL and entry["city"] not in list_cities():
        raise TargetFileError(f"{where}: city '{entry['city']}' must be 'national' or one of {', '.join(list_cities())}")
    has_tol = "tolerance" in entry
    if has_tol == ("lower" in entry or "upper" in entry):
        raise TargetFileError(f"{where}: give either 'tolerance' or 'lower'/'upper' bounds, not both or neither")
    need = {"at": ("when",), "mean": ("from", "to"), "min": ("from", "to"), "max": ("from", "to"),
            "min_year": ("from", "to"), "max_year": ("from", "to"),
            "change": ("from", "to", "base_from", "base_to"), "ratio": ("from", "to", "base_from", "base_to")}  # fmt: skip
    for key in need[entry["measure"]]:
        if key not in entry:
            raise TargetFileError(f"{where}: measure '{entry['measure']}' needs '{key}' (a YYYY-MM date)")
        try:
            calendar.month_of(str(entry[key]))
        except ValueError as exc:
            raise TargetFileError(f"{where}: {key}: {exc}") from None
    if has_tol and not (isinstance(entry["tolerance"], int | float) and entry["tolerance"] > 0):
        raise TargetFileError(f"{where}: tolerance must be a positive number")
    return Target(
        name=str(entry["name"]),
        use=entry["use"],
        must_pass=bool(entry.get("must_pass", False)),
        city=str(entry["city"]),
        indicator=str(entry["indicator"]),
        measure=str(entry["measure"]),
        value=float(entry["value"]),
        source=str(entry["source"]),
        tolerance_basis=str(entry["tolerance_basis"]),
        first_year=str(entry["first_year"]),
        policies=str(entry.get("policies", "status_quo")),
        when=entry.get("when"),
        start=entry.get("from"),
        end=entry.get("to"),
        base_from=entry.get("base_from"),
        base_to=entry.get("base_to"),
        tolerance=None if not has_tol else float(entry["tolerance"]),
        relative=bool(entry.get("relative", False)),
        lower=None if "lower" not in entry else float(entry["lower"]),
        upper=None if "upper" not in entry else float(entry["upper"]),
        comparable=bool(entry.get("comparable", True)),
        pool_weight=str(entry.get("pool_weight", "residents")),
    )
