"""Named indicators (DESIGN.md section 5): each a documented function of the model state.

Indicators are reported each month in real-population terms (agents' ``weight`` times persons) and are
aggregates over columns (weighted sums, ``np.bincount`` by group), never per-agent reporters. Register one
with::

    @indicator("registration_rate", "Share of migrants (non-local hukou) registered or beyond", "share")
    def registration_rate(s: Snapshot) -> float: ...

``Snapshot`` caches the arrays several indicators share, so a month's collection computes each once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from urbanize.model.enums import HouseholdType, Job, Registration, Residence
from urbanize.model.housing import MARKET
from urbanize.model.population import set_bit

if TYPE_CHECKING:
    from urbanize.model.core import UrbanizationModel
    from urbanize.model.population import Population


@dataclass(frozen=True)
class Indicator:
    name: str
    doc: str
    unit: str
    fn: Callable[[Snapshot], float]


_REGISTRY: dict[str, Indicator] = {}


def indicator(name: str, doc: str, unit: str = "") -> Callable[[Callable[[Snapshot], float]], Callable]:
    """Decorator registering ``fn(snapshot) -> float`` as indicator ``name``."""

    def deco(fn: Callable[[Snapshot], float]) -> Callable[[Snapshot], float]:
        _REGISTRY[name] = Indicator(name, doc, unit, fn)
        return fn

    return deco


def registry() -> dict[str, Indicator]:
    _load_extensions()
    return dict(_REGISTRY)


def list_indicators() -> list[tuple[str, str]]:
    """(name, meaning) of every indicator, in column order."""
    return [(i.name, f"{i.doc} [{i.unit}]" if i.unit else i.doc) for i in registry().values()]


def _load_extensions() -> None:
    # indicators registered by other modules (services and fiscal, demography), in column order
    import urbanize.model.demography_indicators  # noqa: F401
    import urbanize.model.service_indicators  # noqa: F401


def _ratio(num: float, den: float) -> float:
    return float(num / den) if den > 0 else float("nan")


class Snapshot:
    """Arrays shared by the indicators of one month (computed once, on first use)."""

    def __init__(self, model: UrbanizationModel) -> None:
        self.model: UrbanizationModel = model
        self.pop: Population = model.pop

    @cached_property
    def persons(self) -> np.ndarray:
        return self.pop.persons()

    @cached_property
    def pw(self) -> np.ndarray:
        """Real persons each row stands for."""
        return self.persons * self.pop.weight

    @cached_property
    def htype(self) -> np.ndarray:
        return self.pop.htype

    @cached_property
    def by_type(self) -> np.ndarray:
        return np.bincount(_CELL & ((1 << _TYPE_BITS) - 1), weights=self._cells, minlength=4)

    @cached_property
    def by_registration(self) -> np.ndarray:
        """Persons by registration state."""
        return np.bincount(self.pop.reg.view(np.uint8), weights=self.pw, minlength=max(Registration) + 1)

    @cached_property
    def nonlocal_(self) -> np.ndarray:
        """Rows without local hukou (the seed's "migrants")."""
        return ~self.pop.hukou_local

    @cached_property
    def migrant_pw(self) -> np.ndarray:
        return self.pw * self.nonlocal_

    @cached_property
    def registered(self) -> np.ndarray:
        reg = self.pop.reg
        return (reg >= Registration.REGISTERED) & (reg <= Registration.HUKOU_APPLICANT)

    @cached_property
    def vacant_dwellings(self) -> np.ndarray:
        return self.model.housing.vacant()

    @cached_property
    def urban_district(self) -> np.ndarray:
        return self.model.district_is_urban[self.pop.district]

    def share(self, mask: np.ndarray, among: np.ndarray) -> float:
        """Weighted-person share of ``mask`` among rows ``among``."""
        among_pw = self.pw * among
        # elementwise products, not BLAS dot: a threaded dot stalls on a loaded machine
        return _ratio(float((among_pw * mask).sum()), float(among_pw.sum()))

    # --- persons by trait: one pass over the rows serves every share of traits ---------------------------------
    @cached_property
    def _cells(self) -> np.ndarray:
        """Persons in each combination of household type (bits 0-1) and the traits of ``TRAITS`` (bits 2-)."""
        code = self.htype.astype(np.uint16)
        for bit, trait in enumerate(TRAITS.values(), start=_TYPE_BITS):
            set_bit(code, trait(self), bit)
        return np.bincount(code, weights=self.pw, minlength=1 << (_TYPE_BITS + len(TRAITS)))

    def persons_with(self, *traits: str) -> float:
        """Persons in households with all ``traits`` (names of ``TRAITS``, ``not <trait>`` or ``type_<type>``)."""
        cells = self._cells
        return float(cells[_cells_with(traits)].sum()) if traits else float(cells.sum())

    def share_of(self, trait: str, *among: str) -> float:
        """Persons with ``trait`` as a share of those with all of ``among`` (traits as for :meth:`persons_with`)."""
        return _ratio(self.persons_with(trait, *among), self.persons_with(*among))


_TYPE_BITS = 2  # household type, 0-3

# Household traits the population, registration and settlement shares are made of. ``Snapshot.persons_with`` sums
# the persons of any combination of them (and of the household type) from one weighted count of the rows by
# trait, instead of a pass over the rows per indicator.
TRAITS: dict[str, Callable[[Snapshot], np.ndarray]] = {
    "nonlocal": lambda s: s.nonlocal_,
    "hukou_urban": lambda s: s.pop.hukou_urban,
    "urban_district": lambda s: s.urban_district,
    "registered": lambda s: s.registered,
    "intends_settle": lambda s: s.pop.intends_settle,
    "wants_hukou": lambda s: s.pop.wants_hukou,
    "female_head": lambda s: s.pop.head_female,
    "head_under_30": lambda s: s.pop.head_age < 30,
    "head_30_44": lambda s: (s.pop.head_age >= 30) & (s.pop.head_age < 45),
    "aware_registration": lambda s: s.model.awareness.of("registration"),
    "aware_hukou": lambda s: s.model.awareness.of("hukou"),
}
_CELL = np.arange(1 << (_TYPE_BITS + len(TRAITS)))
assert _CELL.size <= 1 << 16, "household traits are coded in 16 bits"
_CELL_HAS = {name: (_CELL >> bit) & 1 == 1 for bit, name in enumerate(TRAITS, start=_TYPE_BITS)}
_CELL_HAS |= {f"type_{t.label}": (_CELL & ((1 << _TYPE_BITS) - 1)) == int(t) for t in HouseholdType}
_CELL_HAS["head_45_plus"] = ~_CELL_HAS["head_under_30"] & ~_CELL_HAS["head_30_44"]


def _cells_with(traits: tuple[str, ...]) -> np.ndarray:
    """Cells (of ``Snapshot._cells``) of households with all ``traits``."""
    mask = np.ones(_CELL.size, dtype=bool)
    for trait in traits:
        negate = trait.startswith("not ")
        has = _CELL_HAS.get(trait.removeprefix("not "))
        if has is None:
            raise KeyError(f"unknown household trait '{trait}'; known: {', '.join(_CELL_HAS)}")
        mask &= ~has if negate else has
    return mask


# --- population ---------------------------------------------------------------------------------------------
@indicator("residents", "Resident population", "persons")
def residents(s: Snapshot) -> float:
    return float(s.pw.sum())


def _residents_of(t: HouseholdType) -> Callable[[Snapshot], float]:
    def residents_of_type(s: Snapshot) -> float:
        return float(s.by_type[int(t)])

    residents_of_type.__doc__ = f"Residents living in {t.label} households"
    return residents_of_type


for _t in HouseholdType:
    indicator(f"residents_{_t.label}", f"Residents in {_t.label.replace('_', ' ')} households", "persons")(
        _residents_of(_t)
    )


@indicator("migrant_share", "Share of residents without local hukou (the seed's 'migrants')", "share")
def migrant_share(s: Snapshot) -> float:
    return s.share_of("nonlocal")


@indicator("local_hukou_share", "Share of residents holding local hukou", "share")
def local_hukou_share(s: Snapshot) -> float:
    return s.share_of("not nonlocal")


@indicator("urban_hukou_share_of_locals", "Share of local-hukou residents whose hukou is urban", "share")
def urban_hukou_share_of_locals(s: Snapshot) -> float:
    return s.share_of("hukou_urban", "not nonlocal")


@indicator("urbanization_rate_residence", "Share of residents living in urban districts", "share")
def urbanization_rate_residence(s: Snapshot) -> float:
    return s.share_of("urban_district")


@indicator("urbanization_rate_hukou", "Share of residents holding urban hukou (local or elsewhere)", "share")
def urbanization_rate_hukou(s: Snapshot) -> float:
    return s.share_of("hukou_urban")


@indicator(
    "urbanization_gap", "Urbanization by residence minus by hukou (2010 national: 50.3 - 39.3 %)", "share"
)
def urbanization_gap(s: Snapshot) -> float:
    return urbanization_rate_residence(s) - urbanization_rate_hukou(s)


# --- registration and hukou --------------------------------------------------------------------------------
@indicator(
    "registration_rate", "Share of non-local-hukou residents registered, with a permit or applying", "share"
)
def registration_rate(s: Snapshot) -> float:
    return s.share_of("registered", "nonlocal")


def _split(base: str, doc: str, trait: str, *among: str) -> None:
    """Register ``base`` (the share with ``trait`` among ``among``) split by sex and age group of the head."""
    groups = {
        "female_head": "female_head",
        "male_head": "not female_head",
        "head_under_30": "head_under_30",
        "head_30_44": "head_30_44",
        "head_45_plus": "head_45_plus",
    }
    for suffix, group in groups.items():

        def split_indicator(s: Snapshot, group: str = group) -> float:
            return s.share_of(trait, *among, group)

        indicator(f"{base}_{suffix}", f"{doc}, households with {suffix.replace('_', ' ')}", "share")(
            split_indicator
        )


_split("registration_rate", "Registration rate", "registered", "nonlocal")


@indicator("residence_permit_holders", "Residents holding a residence permit (permit or applying)", "persons")
def residence_permit_holders(s: Snapshot) -> float:
    return float(
        s.by_registration[Registration.RESIDENCE_PERMIT] + s.by_registration[Registration.HUKOU_APPLICANT]
    )


@indicator("residence_permits", "Residence permits issued since the start, cumulative", "persons")
def residence_permits(s: Snapshot) -> float:
    return s.model.cumulative["residence_permits"]


@indicator("hukou_applicants", "Residents in households waiting for a hukou decision", "persons")
def hukou_applicants(s: Snapshot) -> float:
    return float(s.by_registration[Registration.HUKOU_APPLICANT])


@indicator(
    "hukou_conversions", "Conversions to local urban hukou since the start (migrants and farmers)", "persons"
)
def hukou_conversions(s: Snapshot) -> float:
    c = s.model.cumulative
    return c["hukou_conversions_migrant"] + c["hukou_conversions_local_farmer"]


@indicator("hukou_conversions_migrant", "Migrants converted to local urban hukou since the start", "persons")
def hukou_conversions_migrant(s: Snapshot) -> float:
    return s.model.cumulative["hukou_conversions_migrant"]


@indicator(
    "hukou_conversions_local_farmer", "Local farmers converted to urban hukou since the start", "persons"
)
def hukou_conversions_local_farmer(s: Snapshot) -> float:
    return s.model.cumulative["hukou_conversions_local_farmer"]


@indicator(
    "awareness_registration", "Share of non-local-hukou residents aware of the registration system", "share"
)
def awareness_registration(s: Snapshot) -> float:
    return s.share_of("aware_registration", "nonlocal")


@indicator("awareness_hukou", "Share of non-local-hukou residents aware of a hukou pathway", "share")
def awareness_hukou(s: Snapshot) -> float:
    return s.share_of("aware_hukou", "nonlocal")


# --- flows --------------------------------------------------------------------------------------------------
def _flow(key: str) -> Callable[[Snapshot], float]:
    def flow(s: Snapshot) -> float:
        return s.model.flows[key]

    return flow


for _key, _doc in (
    ("arrivals", "Persons arriving in new migrant households this month"),
    ("departures", "Persons leaving the city this month (return migration, dissolved households)"),
    ("births", "Births this month"),
    ("deaths", "Deaths this month"),
):
    indicator(_key, _doc, "persons/month")(_flow(_key))
indicator(
    "households_formed",
    "New local couple households formed by young adults leaving home this month",
    "households/month",
)(_flow("households_formed"))


@indicator(
    "return_migration_rate", "Departures this month as a share of non-local-hukou residents", "1/month"
)
def return_migration_rate(s: Snapshot) -> float:
    return _ratio(s.model.flows["departures"], s.persons_with("nonlocal"))


# --- settlement and work ------------------------------------------------------------------------------------
def _migrant_type(s: Snapshot) -> np.ndarray:
    return (s.htype == HouseholdType.MIGRANT) & s.nonlocal_


@indicator(
    "settlement_intention",
    "Share of migrants (non-local hukou) intending to settle (CMDS 2015: 57 %)",
    "share",
)
def settlement_intention(s: Snapshot) -> float:
    return s.share_of("intends_settle", "type_migrant", "nonlocal")


_split("settlement_intention", "Settlement intention", "intends_settle", "type_migrant", "nonlocal")


@indicator(
    "hukou_transfer_willingness",
    "Share of migrants intending to settle who would transfer their hukou here if eligible (CMDS 2016: 48.7 %)",
    "share",
)
def hukou_transfer_willingness(s: Snapshot) -> float:
    return s.share_of("wants_hukou", "intends_settle", "nonlocal")


@indicator("unemployment_rate_migrant", "Share of migrant heads of working age without a job", "share")
def unemployment_rate_migrant(s: Snapshot) -> float:
    return s.model.labour.unemployment(HouseholdType.MIGRANT)


@indicator("unemployment_rate_local", "Share of local heads of working age without a job", "share")
def unemployment_rate_local(s: Snapshot) -> float:
    pop = s.pop
    mask = (pop.head_age < 60) & pop.hukou_local
    return _ratio(
        float((pop.weight[mask] * (pop.job[mask] == Job.NONE)).sum()), float(pop.weight[mask].sum())
    )


@indicator("formal_job_share_migrant", "Share of employed migrant heads with a formal contract", "share")
def formal_job_share_migrant(s: Snapshot) -> float:
    pop = s.pop
    employed = pop.weight * (_migrant_type(s) & (pop.job != Job.NONE))
    return _ratio(float((employed * (pop.job == Job.FORMAL)).sum()), float(employed.sum()))


@indicator(
    "income_ratio_migrant_local", "Mean income per person of migrants over that of local residents", "ratio"
)
def income_ratio_migrant_local(s: Snapshot) -> float:
    pop = s.pop
    w = pop.weight
    mig = _migrant_type(s)
    loc = pop.hukou_local
    income = pop.income * w
    per_mig = _ratio(float((income * mig).sum()), float((s.pw * mig).sum()))
    per_loc = _ratio(float((income * loc).sum()), float((s.pw * loc).sum()))
    return _ratio(per_mig, per_loc)


# --- housing ------------------------------------------------------------------------------------------------
@indicator(
    "housing_vacancy_rate",
    "Vacant share of dormitories, private rentals and owned homes (the housing market)",
    "share",
)
def housing_vacancy_rate(s: Snapshot) -> float:
    return s.model.housing.vacancy_rate(vacant=s.vacant_dwellings)


def _vacancy_of(tenure: Residence) -> Callable[[Snapshot], float]:
    def vacancy(s: Snapshot) -> float:
        return s.model.housing.vacancy_rate((tenure,), vacant=s.vacant_dwellings)

    return vacancy


for _tenure in MARKET:
    _label = _tenure.name.lower()
    indicator(f"housing_vacancy_{_label}", f"Vacant share of {_label.replace('_', ' ')} dwellings", "share")(
        _vacancy_of(_tenure)
    )


@indicator(
    "dwellings",
    "Dwellings of every tenure (including public rental flats and urban-village rooms)",
    "dwellings",
)
def dwellings(s: Snapshot) -> float:
    return float(s.model.housing.dwellings.sum())


@indicator(
    "dwellings_built", "Dormitories, private rentals and owned homes built since the start", "dwellings"
)
def dwellings_built(s: Snapshot) -> float:
    return s.model.housing.built
