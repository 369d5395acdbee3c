"""The split table (docs/model.md, "The split table"): access, coverage and recipient indicators by household
group, sex and age band, in long format (seed, Zhengzhou: "conduct disaggregated analysis by sex and age on
migrants' access to social services"; Yanta: "sex disaggregated statistics on number of recipients").

One row per (month, indicator, group, sex, age band) with ``count`` (persons or households with the service),
``base`` (those it is a share of) and ``value`` = count / base. Cells with an empty base are left out.

Two levels, each split documented in :data:`SPLITS`:

* ``persons``: the service is held by persons (a school place, a child's health profile): the cells are the
  persons' own sex and age band, from ``pop.members``. Services hold units per *household*, not per child, so a
  household's units are shared evenly among its children of the service's ages (assumed: the model does not
  record which child holds the place; a household with one boy and one girl and one place counts half a child
  of each). The split by a child's sex therefore reflects which households get places, not choices inside them.
* ``head``: the service or status belongs to the household (registration, insurance and pension enrolment,
  assistance, training of the head, public rental): the cells are the sex and age band of the head, and the
  weights those of the indicator the split belongs to (persons or households; column ``unit``).

Naming: a split's ``indicator`` is the name of the indicator it splits with the group word taken out
(``pension_coverage`` splits ``pension_coverage_migrant`` and ``pension_coverage_local_farmer``;
``children_enrolment_rate`` splits ``migrant_children_enrolment_rate``); its ``group`` column names the group.
Groups are household types (``migrant``, ``local_farmer``, ``urban_poor``, ``urban_resident``); a migrant granted
local urban hukou becomes an urban resident (model/core.py), as in the indicators.

Cost: one weighted ``np.bincount`` per count and base over 88 cells (4 groups x 2 sexes x 11 bands), about a
dozen per collection; collected every ``splits`` months (``UrbanizationModel(splits=...)``, 0 = never).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from urbanize.model import calendar
from urbanize.model.enums import HouseholdType, Registration, Residence
from urbanize.model.members import BAND_NAMES, N_BANDS, band_of

if TYPE_CHECKING:
    from urbanize.model.core import UrbanizationModel
    from urbanize.model.population import Population

GROUPS = tuple(t.label for t in HouseholdType)
SEXES = ("male", "female")
N_CELLS = len(GROUPS) * 2 * N_BANDS
COLUMNS = ("month", "date", "indicator", "level", "unit", "group", "sex", "age_band", "count", "base", "value")

RowMask = Callable[["UrbanizationModel"], np.ndarray]


@dataclass(frozen=True)
class Split:
    """One split indicator.

    ``level`` ``head``: ``base(model)`` and ``has(model)`` are per-household masks (or 0-1 weights).
    ``level`` ``persons``: ``base`` and ``has`` are per-household shares of the household's persons in ``bands``
    who are in the base and who hold the service.
    """

    name: str
    doc: str
    level: str  # "head" or "persons"
    unit: str  # "persons" or "households"
    base: RowMask
    has: RowMask
    splits: tuple[str, ...] = ()  # the indicators it splits (group-specific names)
    bands: tuple[int, ...] = ()  # persons level: the age bands of the persons served


def _share(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    den = den.astype(np.float64)
    return np.divide(num, den, out=np.zeros(den.shape), where=den > 0).clip(0.0, 1.0)


def _col(name: str) -> Callable[[Population], np.ndarray]:
    return lambda pop: pop.col(name)


def _enrolled(m: UrbanizationModel) -> np.ndarray:
    pop = m.pop
    return pop.use_primary_school + pop.use_junior_school + pop.use_private_migrant_school


def _school_age(m: UrbanizationModel) -> np.ndarray:
    return m.pop.kids_6_11 + m.pop.kids_12_14


def _all(m: UrbanizationModel) -> np.ndarray:
    return np.ones(m.pop.n, dtype=bool)


def _registered(m: UrbanizationModel) -> np.ndarray:
    reg = m.pop.reg
    return (reg >= Registration.REGISTERED) & (reg <= Registration.HUKOU_APPLICANT)


def _covered(col: str, codes: tuple[int, int]) -> RowMask:
    def covered(m: UrbanizationModel) -> np.ndarray:
        v = m.pop.col(col)
        return (v == codes[0]) | (v == codes[1])

    return covered


def _splits() -> tuple[Split, ...]:
    from urbanize.model.services.social_security import (
        INSURANCE_EMPLOYEE,
        INSURANCE_RESIDENT,
        PENSION_EMPLOYEE,
        PENSION_RESIDENT,
    )

    return (
        Split("registration_rate", "Share of non-local-hukou residents registered, with a permit or applying",
              "head", "persons", lambda m: ~m.pop.hukou_local, _registered, ("registration_rate",)),
        Split("settlement_intention", "Share of migrants intending to settle", "head", "persons",
              lambda m: ~m.pop.hukou_local & (m.pop.htype == HouseholdType.MIGRANT),
              lambda m: m.pop.intends_settle, ("settlement_intention",)),
        Split("urban_hukou_share", "Share of residents with local urban hukou", "head", "persons",
              _all, lambda m: m.pop.hukou_local & m.pop.hukou_urban),
        Split("children_enrolment_rate", "Share of children aged 6-14 enrolled in a public or private school",
              "persons", "persons", lambda m: np.ones(m.pop.n),
              lambda m: _share(_enrolled(m), _school_age(m)), ("migrant_children_enrolment_rate",), (2, 3)),
        Split("children_public_school_share", "Share of enrolled children aged 6-14 in public schools",
              "persons", "persons", lambda m: _share(_enrolled(m), _school_age(m)),
              lambda m: _share(m.pop.use_primary_school + m.pop.use_junior_school, _school_age(m)),
              ("migrant_children_public_school_share",), (2, 3)),
        Split("health_profile_coverage_children", "Share of children aged 0-36 months with a health-care profile",
              "persons", "persons", lambda m: np.ones(m.pop.n),
              lambda m: _share(m.pop.use_child_health, m.pop.kids_0_2),
              ("health_profile_coverage_migrant_children", "health_profile_coverage_local_children"), (0,)),
        Split("maternal_health_coverage", "Share of households with a pregnancy whose mother has a health profile",
              "head", "households", lambda m: m.pop.pregnant > 0, lambda m: m.pop.use_maternal_health > 0,
              ("maternal_health_coverage_migrant",)),
        Split("urban_medical_insurance_coverage", "Share of households in urban medical insurance", "head",
              "households", _all, _covered("insured", (INSURANCE_EMPLOYEE, INSURANCE_RESIDENT)),
              ("urban_medical_insurance_coverage_migrant", "urban_medical_insurance_coverage_local_farmer")),
        Split("pension_coverage", "Share of households enrolled in an urban pension scheme", "head",
              "households", _all, _covered("pension", (PENSION_EMPLOYEE, PENSION_RESIDENT)),
              ("pension_coverage_migrant", "pension_coverage_local_farmer")),
        Split("assistance_recipients", "Share of households receiving dibao or one-off hardship aid this month",
              "head", "households", _all, lambda m: (m.pop.dibao > 0) | (m.pop.aid_month == m.month),
              ("assistance_recipients_female", "assistance_recipients_male", "assistance_recipients_migrant",
               "assistance_recipients_local_farmer")),
        Split("training_participation", "Share of households whose head is in subsidised vocational training",
              "head", "households", _all, lambda m: m.pop.use_training > 0, ("training_participants",)),
        Split("public_rental_share", "Share of households living in public rental flats", "head", "households",
              _all, lambda m: m.pop.residence == Residence.PUBLIC_RENTAL, ("public_rental_households",)),
    )


_SPLITS: tuple[Split, ...] | None = None


def splits() -> tuple[Split, ...]:
    """Every split indicator, in table order."""
    global _SPLITS
    if _SPLITS is None:
        _SPLITS = _splits()
    return _SPLITS


def split_names() -> list[str]:
    return [s.name for s in splits()]


class SplitCollector:
    """Collects the split table every ``every`` months into column lists (``table`` is a Mesa table)."""

    def __init__(self, every: int) -> None:
        self.every = int(every)
        self.table: dict[str, list] = {c: [] for c in COLUMNS if c != "date"}

    def due(self, month: int) -> bool:
        return self.every > 0 and month % self.every == 0

    def collect(self, model: UrbanizationModel) -> None:
        """Append the month's rows (every split, every non-empty cell)."""
        pop = model.pop
        n = pop.n
        htype = pop.htype[:n].astype(np.int64)
        head = (htype * 2 + pop.head_female[:n]) * N_BANDS + band_of(pop.head_age[:n])
        weight = pop.weight[:n]
        pw = pop.persons()[:n] * weight
        members = pop.members
        for spec in splits():
            base = np.asarray(spec.base(model), dtype=np.float64)
            has = np.asarray(spec.has(model), dtype=np.float64)
            if spec.level == "head":
                w = pw if spec.unit == "persons" else weight
                wb = w * base
                count = np.bincount(head, weights=wb * has, minlength=N_CELLS)
                den = np.bincount(head, weights=wb, minlength=N_CELLS)
            else:
                count, den = np.zeros(N_CELLS), np.zeros(N_CELLS)
                for sex in (0, 1):
                    for band in spec.bands:
                        persons = members[sex, band] * weight
                        cells = (np.arange(len(GROUPS)) * 2 + sex) * N_BANDS + band
                        den[cells] = np.bincount(htype, weights=persons * base, minlength=len(GROUPS))
                        count[cells] = np.bincount(htype, weights=persons * has, minlength=len(GROUPS))
            self._append(model.month, spec, count, den)

    def _append(self, month: int, spec: Split, count: np.ndarray, den: np.ndarray) -> None:
        cells = np.flatnonzero(den > 0)
        k = cells.size
        group, rest = np.divmod(cells, 2 * N_BANDS)
        sex, band = np.divmod(rest, N_BANDS)
        t = self.table
        t["month"].extend([month] * k)
        t["indicator"].extend([spec.name] * k)
        t["level"].extend([spec.level] * k)
        t["unit"].extend([spec.unit] * k)
        t["group"].extend(GROUPS[g] for g in group.tolist())
        t["sex"].extend(SEXES[s] for s in sex.tolist())
        t["age_band"].extend(BAND_NAMES[b] for b in band.tolist())
        t["count"].extend(count[cells].tolist())
        t["base"].extend(den[cells].tolist())
        t["value"].extend((count[cells] / den[cells]).tolist())

    def frame(self) -> pd.DataFrame:
        """The long-format table (``COLUMNS``); ``date`` is the first day of the month."""
        df = pd.DataFrame({c: self.table[c] for c in COLUMNS if c != "date"})
        df["month"] = df["month"].astype(int)
        df.insert(1, "date", calendar.dates(df["month"]).to_numpy())
        for c in ("indicator", "level", "unit", "group", "sex", "age_band"):
            df[c] = df[c].astype(str)
        return df


def aggregate(df: pd.DataFrame, by: tuple[str, ...] = ("indicator", "group")) -> pd.DataFrame:
    """Sum ``count`` and ``base`` over the other cell columns, ``value`` = count / base (e.g. a group's total)."""
    keys = [c for c in ("month", *by) if c in df.columns]
    out = df.groupby(keys, sort=True, observed=True)[["count", "base"]].sum().reset_index()
    out["value"] = out["count"] / out["base"].where(out["base"] > 0)
    return out
