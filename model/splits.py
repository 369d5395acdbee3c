"""The split table (docs/model.md, "The split table"): access, coverage and recipient indicators by household
group, sex and age band, in long format (seed, Zhengzhou: "conduct disaggregated analysis by sex and age on
migrants' access to social services"; Yanta: "sex disaggregated statistics on number of recipients").

One row per (month, indicator, group, sex, age band) with ``count`` (persons or households with the service),
``base`` (those it is a share of) and ``value`` = count / base. Cells with an empty base are left out.

Two levels, each split documented in :data:`SPLITS`:

* ``persons``: the service is held by persons (a school place, a child's health profile, membership of the
  rural cooperative medical scheme, a resident health record): the cells are the persons' own sex and age band,
  from ``pop.members``. Scheme membership and health records belong to the whole household, so every member is
  counted. Services hold units per *household*, not per child, so a
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

Cost: weighted ``np.bincount`` calls over 88 cells (4 groups x 2 sexes x 11 bands), a pair per head-level split
and per (sex, band) of a persons-level one; the splits over every person of the household go through one list of
each household's non-empty (sex, band) cells (``Rows.persons_cells``). Collected every ``splits`` months
(``UrbanizationModel(splits=...)``, 0 = never): a collection of the sixteen splits costs about a third of a
month's step at 100,000 households (docs/model.md, "The split table"), so ``urbanize run`` and sweeps collect
yearly; ``UrbanizationModel.run`` adds the last month of the run. The splits by age band read only the rows with
persons of the band (``Rows.band_rows``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
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

RowMask = Callable[["Rows"], "np.ndarray | None"]
#: age band of each whole year of age 0-120 (bands start at whole years, so the floor of an age has its band)
_BAND_OF_YEAR = band_of(np.arange(121)).astype(np.intp)
ALL_BANDS = tuple(range(N_BANDS))


class Rows:
    """The arrays of one collection, computed once and shared by the splits that need them."""

    def __init__(self, model: UrbanizationModel) -> None:
        self.model = model
        self.pop: Population = model.pop
        self._cache: dict[str, np.ndarray] = {}
        self._persons: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None

    def get(self, key: str, fn: Callable[[], np.ndarray]) -> np.ndarray:
        if key not in self._cache:
            self._cache[key] = fn()
        return self._cache[key]

    def persons_cells(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every household's non-empty (sex, band) cells: (row, table cell, weighted persons); a household holds
        a few persons, so this is about three entries a row rather than one per sex and band."""
        if self._persons is None:
            pop = self.pop
            rows, cells, persons = [], [], []
            for sex in (0, 1):
                for band in range(N_BANDS):
                    k = pop.members[sex, band]
                    row = self.band_rows(sex, band)
                    rows.append(row)
                    cells.append(pop.htype[row].astype(np.intp) * (2 * N_BANDS) + (sex * N_BANDS + band))
                    persons.append(k[row] * pop.weight[row])
            self._persons = (np.concatenate(rows), np.concatenate(cells), np.concatenate(persons))
        return self._persons

    def band_rows(self, sex: int, band: int) -> np.ndarray:
        """Rows with persons of ``sex`` in age ``band`` (nonzero of a bool mask: three times faster than of the
        int16 counts)."""
        return self.get(f"rows{sex}{band}", lambda: np.flatnonzero(self.pop.members[sex, band] != 0))

    def enrolled_share(self) -> np.ndarray:
        pop = self.pop
        return self.get("enrolled", lambda: _share(
            pop.use_primary_school + pop.use_junior_school + pop.use_private_migrant_school, self.school_age()))

    def school_age(self) -> np.ndarray:
        return self.get("school_age", lambda: self.pop.kids_6_11 + self.pop.kids_12_14)


@dataclass(frozen=True)
class Split:
    """One split indicator.

    ``level`` ``head``: ``base(rows)`` and ``has(rows)`` are per-household masks (``base`` None: every household).
    ``level`` ``persons``: ``base`` and ``has`` are per-household shares of the household's persons in ``bands``
    who are in the base (None: all of them) and who hold the service.
    """

    name: str
    doc: str
    level: str  # "head" or "persons"
    unit: str  # "persons" or "households"
    base: RowMask
    has: RowMask
    splits: tuple[str, ...] = ()  # the indicators it splits (group-specific names)
    bands: tuple[int, ...] = ()  # persons level: the age bands of the persons served


def _weighted(persons: np.ndarray, weight: np.ndarray) -> np.ndarray:
    return persons * weight


def _share(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    return np.minimum(np.divide(num, den, out=np.zeros(den.shape), where=den > 0), 1.0)


def _all(r: Rows) -> None:
    return None


def _registered(r: Rows) -> np.ndarray:
    reg = r.pop.reg
    return (reg >= Registration.REGISTERED) & (reg <= Registration.HUKOU_APPLICANT)


def _covered(col: str, codes: tuple[int, int]) -> RowMask:
    def covered(r: Rows) -> np.ndarray:
        v = r.pop.col(col)
        return (v == codes[0]) | (v == codes[1])

    return covered


def _ncms_base(r: Rows) -> np.ndarray:
    """Local rural-hukou households outside the other medical schemes: those the rural scheme (integrated or not)
    is for (as ``ncms_coverage``)."""
    from urbanize.model.services.social_security import INSURANCE_NONE

    ins = r.pop.insured
    return _ncms_member(r) | (r.pop.hukou_local & ~r.pop.hukou_urban & (ins == INSURANCE_NONE))


def _ncms_member(r: Rows) -> np.ndarray:
    pop = r.pop
    return pop.hukou_local & ~pop.hukou_urban & (pop.insured == r.model.services.ncms.code)


def _splits() -> tuple[Split, ...]:
    from urbanize.model.services.social_security import (
        INSURANCE_EMPLOYEE,
        INSURANCE_RESIDENT,
        PENSION_EMPLOYEE,
        PENSION_RESIDENT,
    )

    return (
        Split("registration_rate", "Share of non-local-hukou residents registered, with a permit or applying",
              "head", "persons", lambda r: ~r.pop.hukou_local, _registered, ("registration_rate",)),
        Split("settlement_intention", "Share of migrants intending to settle", "head", "persons",
              lambda r: ~r.pop.hukou_local & (r.pop.htype == HouseholdType.MIGRANT),
              lambda r: r.pop.intends_settle, ("settlement_intention",)),
        Split("urban_hukou_share", "Share of residents with local urban hukou", "head", "persons",
              _all, lambda r: r.pop.hukou_local & r.pop.hukou_urban),
        Split("children_enrolment_rate", "Share of children aged 6-14 enrolled in a public or private school",
              "persons", "persons", _all, Rows.enrolled_share, ("migrant_children_enrolment_rate",), (2, 3)),
        Split("children_public_school_share", "Share of enrolled children aged 6-14 in public schools",
              "persons", "persons", Rows.enrolled_share,
              lambda r: _share(r.pop.use_primary_school + r.pop.use_junior_school, r.school_age()),
              ("migrant_children_public_school_share",), (2, 3)),
        Split("health_profile_coverage_children", "Share of children aged 0-36 months with a health-care profile",
              "persons", "persons", _all, lambda r: _share(r.pop.use_child_health, r.pop.kids_0_2),
              ("health_profile_coverage_migrant_children", "health_profile_coverage_local_children"), (0,)),
        Split("maternal_health_coverage", "Share of households with a pregnancy whose mother has a health profile",
              "head", "households", lambda r: r.pop.pregnant > 0, lambda r: r.pop.use_maternal_health > 0,
              ("maternal_health_coverage_migrant",)),
        Split("urban_medical_insurance_coverage", "Share of households in urban medical insurance", "head",
              "households", _all, _covered("insured", (INSURANCE_EMPLOYEE, INSURANCE_RESIDENT)),
              ("urban_medical_insurance_coverage_migrant", "urban_medical_insurance_coverage_local_farmer")),
        Split("pension_coverage", "Share of households enrolled in an urban pension scheme", "head",
              "households", _all, _covered("pension", (PENSION_EMPLOYEE, PENSION_RESIDENT)),
              ("pension_coverage_migrant", "pension_coverage_local_farmer")),
        Split("assistance_recipients", "Share of households receiving dibao or one-off hardship aid this month",
              "head", "households", _all, lambda r: (r.pop.dibao > 0) | (r.pop.aid_month == r.model.month),
              ("assistance_recipients_female", "assistance_recipients_male", "assistance_recipients_migrant",
               "assistance_recipients_local_farmer")),
        Split("training_participation", "Share of households whose head is in subsidised vocational training",
              "head", "households", _all, lambda r: r.pop.use_training > 0, ("training_participants",)),
        Split("public_rental_share", "Share of households living in public rental flats", "head", "households",
              _all, lambda r: r.pop.residence == Residence.PUBLIC_RENTAL, ("public_rental_households",)),
        Split("preschool_enrolment_rate", "Share of children aged 3-5 in a kindergarten place", "persons",
              "persons", _all, lambda r: _share(r.pop.use_kindergarten, r.pop.kids_3_5),
              ("preschool_enrolment_rate_migrant", "preschool_enrolment_rate_local"), (1,)),
        Split("senior_enrolment_rate", "Share of children aged 15-17 in a public senior middle school", "persons",
              "persons", _all, lambda r: _share(r.pop.use_senior_school, r.pop.kids_15_17),
              ("senior_enrolment_rate_migrant", "senior_enrolment_rate_local"), (4,)),
        # a household joins the rural scheme, and holds a health record, as a whole: every member is covered
        Split("ncms_coverage", "Share of local rural-hukou persons outside the other schemes in the new rural "
              "cooperative medical scheme", "persons", "persons", _ncms_base, _ncms_member, ("ncms_coverage",),
              ALL_BANDS),
        Split("health_record_coverage", "Share of persons with a resident health record (health_records)",
              "persons", "persons", _all, lambda r: r.pop.health_record, ("health_record_coverage_migrant",),
              ALL_BANDS),
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
    """Collects the split table every ``every`` months (month 0 included; 0: never). Each collection is kept as
    numpy arrays of cell codes; :meth:`frame` turns them into the long table."""

    def __init__(self, every: int) -> None:
        self.every = int(every)
        self.chunks: list[tuple[int, int, np.ndarray, np.ndarray, np.ndarray]] = []  # month, split, cells, count, base

    def due(self, month: int) -> bool:
        return self.every > 0 and month % self.every == 0

    def finish(self, model: UrbanizationModel) -> None:
        """At the end of a run: the last month too, when it was not collected."""
        if self.every > 0 and not (self.chunks and self.chunks[-1][0] == model.month):
            self.collect(model)

    def collect(self, model: UrbanizationModel) -> None:
        """Add the month's cells (every split, every cell with a non-empty base)."""
        r = Rows(model)
        pop = r.pop
        htype = pop.htype.astype(np.intp)
        years = np.minimum(pop.head_age, 120).astype(np.intp)
        head = (htype * 2 + pop.head_female) * N_BANDS + _BAND_OF_YEAR[years]
        weight = pop.weight
        pw = pop.persons() * weight
        members = pop.members
        by_group = np.arange(len(GROUPS)) * 2 * N_BANDS
        for k, spec in enumerate(splits()):
            base = spec.base(r)
            has = spec.has(r)
            if spec.level == "head":
                w = pw if spec.unit == "persons" else weight
                wb = w if base is None else w * base
                count = np.bincount(head, weights=wb * has, minlength=N_CELLS)
                den = np.bincount(head, weights=wb, minlength=N_CELLS)
            elif len(spec.bands) == N_BANDS:  # every person of the household: one pass over its persons
                prow, pcell, pweight = r.persons_cells()
                pb = pweight if base is None else pweight * base[prow]
                den = np.bincount(pcell, weights=pb, minlength=N_CELLS)
                count = np.bincount(pcell, weights=pweight * np.asarray(has)[prow], minlength=N_CELLS)
            else:
                count, den = np.zeros(N_CELLS), np.zeros(N_CELLS)
                for sex in (0, 1):
                    for band in spec.bands:
                        # the rows with such persons only (a few percent for the children's bands): the others
                        # add zeros, and np.bincount adds in row order, so the sums are the same to the bit
                        rows = r.band_rows(sex, band)
                        persons = r.get(f"p{sex}{band}", partial(_weighted, members[sex, band][rows], weight[rows]))
                        group = r.get(f"g{sex}{band}", partial(np.take, htype, rows))
                        cells = by_group + sex * N_BANDS + band
                        pb = persons if base is None else persons * np.asarray(base)[rows]
                        den[cells] = np.bincount(group, weights=pb, minlength=len(GROUPS))
                        has_rows = np.asarray(has)[rows]
                        count[cells] = np.bincount(group, weights=persons * has_rows, minlength=len(GROUPS))
            keep = np.flatnonzero(den > 0)
            self.chunks.append((model.month, k, keep, count[keep], den[keep]))

    def frame(self) -> pd.DataFrame:
        """The long-format table (``COLUMNS``); ``date`` is the first day of the month."""
        specs = splits()
        if not self.chunks:
            return pd.DataFrame({c: pd.Series(dtype=float if c in ("count", "base", "value") else object)
                                 for c in COLUMNS})
        sizes = [c[2].size for c in self.chunks]
        month = np.repeat([c[0] for c in self.chunks], sizes)
        which = np.repeat([c[1] for c in self.chunks], sizes)
        cells = np.concatenate([c[2] for c in self.chunks])
        count = np.concatenate([c[3] for c in self.chunks])
        base = np.concatenate([c[4] for c in self.chunks])
        group, rest = np.divmod(cells, 2 * N_BANDS)
        sex, band = np.divmod(rest, N_BANDS)
        df = pd.DataFrame({
            "month": month.astype(int),
            "indicator": np.array([s.name for s in specs], dtype=object)[which],
            "level": np.array([s.level for s in specs], dtype=object)[which],
            "unit": np.array([s.unit for s in specs], dtype=object)[which],
            "group": np.array(GROUPS, dtype=object)[group],
            "sex": np.array(SEXES, dtype=object)[sex],
            "age_band": np.array(BAND_NAMES, dtype=object)[band],
            "count": count,
            "base": base,
            "value": count / base,
        })
        df.insert(1, "date", calendar.dates(df["month"]).to_numpy())
        return df


def aggregate(df: pd.DataFrame, by: tuple[str, ...] = ("indicator", "group")) -> pd.DataFrame:
    """Sum ``count`` and ``base`` over the other cell columns, ``value`` = count / base (e.g. a group's total)."""
    keys = [c for c in ("month", *by) if c in df.columns]
    out = df.groupby(keys, sort=True, observed=True)[["count", "base"]].sum().reset_index()
    out["value"] = out["count"] / out["base"].where(out["base"] > 0)
    return out
