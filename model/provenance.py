"""Where each parameter's default comes from (docs/model.md, "Input data" and the parameter tables).

Every behavioural and policy parameter declares one of three provenances in its ``param(...)``:

* ``calibrated()``: the default is the posterior median of a calibration (``urbanize calibrate``); the record of
  that calibration (targets, date, 90 % interval, prior, the output folder) lives in ``model/calibration.toml``,
  so shipping new medians is a data change. A parameter may be marked calibrated only if its 90 % posterior
  interval is under half its prior's width (issue 10: otherwise the data did not pin it down); the tests check
  every record.
* ``sourced(citation)``: taken from, or fitted by hand to, a published figure (author, year, table), said in the
  citation.
* ``assumed(reason)``: no source; the reason says why this value (an order of magnitude, a rule of thumb, a
  round number to be varied in sensitivity analysis).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from urbanize.model.errors import UrbanizeError

Kind = Literal["calibrated", "sourced", "assumed"]
KINDS: tuple[str, ...] = ("calibrated", "sourced", "assumed")
CALIBRATION_FILE = Path(__file__).resolve().parent / "calibration.toml"
MAX_INTERVAL_SHARE = 0.5  # a calibrated parameter's 90 % interval must be under this share of its prior's width


@dataclass(frozen=True)
class Provenance:
    """Where a default comes from: ``kind`` and its ``note`` (citation, reason, or the calibration's targets)."""

    kind: Kind
    note: str

    def text(self) -> str:
        return f"{self.kind}: {self.note}" if self.note else self.kind


def sourced(citation: str) -> Provenance:
    """A value taken from (or fitted by hand to) the cited figure."""
    return Provenance("sourced", citation)


def assumed(reason: str) -> Provenance:
    """A value without a source, with the reason for it."""
    return Provenance("assumed", reason)


def calibrated(note: str = "") -> Provenance:
    """A posterior median of a calibration recorded in ``model/calibration.toml``."""
    return Provenance("calibrated", note)


@dataclass(frozen=True)
class CalibrationRecord:
    """One shipped posterior median: which parameter, for which city ("shared" for all), and its evidence."""

    parameter: str
    city: str
    value: float
    interval: tuple[float, float]  # 90 % credible interval
    prior: tuple[float, float]  # uniform prior [lo, hi]
    targets: tuple[str, ...]
    date: str
    source: str  # the calibration's output folder or its archive

    @property
    def interval_share(self) -> float:
        """90 % interval width over prior width (must be under :data:`MAX_INTERVAL_SHARE`)."""
        return (self.interval[1] - self.interval[0]) / (self.prior[1] - self.prior[0])

    def text(self) -> str:
        lo, hi = self.interval
        return (
            f"{self.city}: {self.value:g}, 90 % interval [{lo:g}, {hi:g}] = {100 * self.interval_share:.0f} % of the prior "
            f"[{self.prior[0]:g}, {self.prior[1]:g}]; targets {', '.join(self.targets)}; {self.date}; {self.source}"
        )


def _record(raw: dict[str, Any], where: str) -> CalibrationRecord:
    try:
        rec = CalibrationRecord(
            parameter=str(raw["parameter"]),
            city=str(raw.get("city", "shared")),
            value=float(raw["value"]),
            interval=(float(raw["interval"][0]), float(raw["interval"][1])),
            prior=(float(raw["prior"][0]), float(raw["prior"][1])),
            targets=tuple(str(t) for t in raw["targets"]),
            date=str(raw["date"]),
            source=str(raw["source"]),
        )
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise UrbanizeError(
            f"{where}: a [[calibrated]] record needs parameter, value, interval = [lo, hi], prior = [lo, hi], "
            f"targets, date and source ({exc!r})"
        ) from None
    if not rec.prior[0] < rec.prior[1] or not rec.interval[0] <= rec.value <= rec.interval[1]:
        raise UrbanizeError(f"{where}: record of '{rec.parameter}' ({rec.city}) has an empty prior or a value "
                            "outside its interval")
    return rec


@cache
def calibration_records(path: Path = CALIBRATION_FILE) -> tuple[CalibrationRecord, ...]:
    """The shipped calibration records (``[[calibrated]]`` tables of ``model/calibration.toml``)."""
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    return tuple(_record(r, str(path)) for r in data.get("calibrated", []))


def records_for(parameter: str) -> list[CalibrationRecord]:
    """The calibration records of one parameter (shared and per city)."""
    return [r for r in calibration_records() if r.parameter == parameter]
