"""Service, access and fiscal indicators (DESIGN.md section 5; seed ch.2 "indicators to monitor").

All figures are real-population terms (household weights; persons where the unit says so) and aggregates over
columns. ``migrant`` means households without local hukou (the seed's "migrants"), ``local urban`` households
with local urban hukou (the benchmark of equal access), ``local farmer`` households of the local-farmer type.

* Education (Zhengzhou, Changshu): enrolment rate and public-school share of migrant children, average class
  size (pupils per class, norm about 45) and school utilization.
* Health (Yanta, Changshu): health profiles of migrant children 0-36 months and migrant pregnant women,
  immunisation person-times.
* Housing (Changshu): households in public rental flats; migrants' tenure.
* Assistance (Yanta, Jinnan): recipients of dibao or one-off aid by sex of the head and by group.
* Social security (Changshu, Jinnan): urban pension and medical insurance coverage of migrants and local farmers.
* Training (Yanta, Changshu, Jinnan): participants, completions.
* Fiscal (Yanta "amount of budgetary expenditure by sector of service"): spending by sector, per resident.
* Equal access: ``access_gap_<service>``, the share of local urban residents who may use a service minus the
  share of migrants who may (persons; as assessed in the month's decision phase). 0 is equal access.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from urbanize.model.enums import HouseholdType, Residence
from urbanize.model.indicators import Snapshot, indicator
from urbanize.model.ledger import SECTORS
from urbanize.model.service_catalog import (
    ACCESS_SERVICES,
    CAPACITY_SERVICES,
    COSTS,
    INDEX_SERVICES,
    INSURANCE_EMPLOYEE,
    INSURANCE_RESIDENT,
    PENSION_EMPLOYEE,
    PENSION_RESIDENT,
    CityServices,
)

NAN = float("nan")


def _ratio(num: float, den: float) -> float:
    return float(num / den) if den > 0 else NAN


def _services(s: Snapshot) -> CityServices | None:
    svc = s.model.services
    return svc if isinstance(svc, CityServices) else None


def service_indicator(
    name: str, doc: str, unit: str = ""
) -> Callable[[Callable[[Snapshot], float]], Callable]:
    """Register an indicator that needs the service catalogue (NaN when a run has none)."""

    def deco(fn: Callable[[Snapshot], float]) -> Callable[[Snapshot], float]:
        def guarded(s: Snapshot) -> float:
            return fn(s) if _services(s) is not None else NAN

        guarded.__doc__ = fn.__doc__
        indicator(name, doc, unit)(guarded)
        return fn

    return deco


def _cached(s: Snapshot, key: str, fn: Callable[[], Any]) -> Any:
    store = s.__dict__.setdefault("_service_cache", {})
    if key not in store:
        store[key] = fn()
    return store[key]


def _wsum(s: Snapshot, column: np.ndarray, local: bool) -> float:
    """Real-household-weighted sum of ``column`` over local-hukou (or non-local) households, no gathers."""
    key = "w_local" if local else "w_nonlocal"
    w = _cached(s, key, lambda: s.pop.weight * (s.pop.hukou_local if local else ~s.pop.hukou_local))
    return float((w * column).sum())


# --- education ------------------------------------------------------------------------------------------
def _migrant_schooling(s: Snapshot) -> tuple[float, float, float]:
    """(compulsory-age migrant children, enrolled, in public schools), persons."""

    def compute() -> tuple[float, float, float]:
        pop = s.pop
        public = pop.use_primary_school + pop.use_junior_school
        return (
            _wsum(s, pop.kids_6_11 + pop.kids_12_14, False),
            _wsum(s, public + pop.use_private_migrant_school, False),
            _wsum(s, public, False),
        )

    return _cached(s, "schooling", compute)


@service_indicator(
    "migrant_children_enrolment_rate",
    "Share of migrant children of compulsory age (6-14) enrolled in a public or private school",
    "share",
)
def migrant_children_enrolment_rate(s: Snapshot) -> float:
    kids, enrolled, _ = _migrant_schooling(s)
    return _ratio(enrolled, kids)


@service_indicator(
    "migrant_children_public_school_share",
    "Share of enrolled migrant children who attend public schools (Changshu 2009: 70 %; national 2014: 80 %)",
    "share",
)
def migrant_children_public_school_share(s: Snapshot) -> float:
    _, enrolled, public = _migrant_schooling(s)
    return _ratio(public, enrolled)


@service_indicator(
    "avg_class_size_primary", "Public primary pupils per class (norm about 45)", "pupils/class"
)
def avg_class_size_primary(s: Snapshot) -> float:
    return _avg_class_size(s, "primary")


def _avg_class_size(s: Snapshot, level: str) -> float:
    """Pupils per class of one school level ("primary" or "junior"), city-wide."""
    svc = _services(s)
    if svc is None:
        return NAN
    school = getattr(svc, level)
    return _ratio(float(school.used_after.sum()), float(school.classes.sum()))


@service_indicator(
    "max_class_size_primary",
    "Public primary pupils per class in the most crowded district (Zhengzhou 2003-04: above 90)",
    "pupils/class",
)
def max_class_size_primary(s: Snapshot) -> float:
    svc = _services(s)
    if svc is None:
        return NAN
    classes = svc.primary.classes
    has = classes > 0
    return float((svc.primary.used_after[has] / classes[has]).max()) if has.any() else NAN


@service_indicator(
    "avg_class_size_junior", "Public junior middle pupils per class (norm about 50)", "pupils/class"
)
def avg_class_size_junior(s: Snapshot) -> float:
    return _avg_class_size(s, "junior")


@service_indicator(
    "school_utilization",
    "Public compulsory school pupils over planned seats (classes x norm); above 1 means overloaded",
    "ratio",
)
def school_utilization(s: Snapshot) -> float:
    svc = _services(s)
    if svc is None:
        return NAN
    pupils = float(svc.primary.used_after.sum() + svc.junior.used_after.sum())
    return _ratio(pupils, float(svc.primary.open_capacity.sum() + svc.junior.open_capacity.sum()))


@service_indicator("public_school_classes", "Public primary and junior middle classes", "classes")
def public_school_classes(s: Snapshot) -> float:
    svc = _services(s)
    return NAN if svc is None else float(svc.primary.classes.sum() + svc.junior.classes.sum())


# --- health -----------------------------------------------------------------------------------------------
@service_indicator(
    "health_profile_coverage_migrant_children",
    "Share of migrant children aged 0-36 months with a child health-care profile",
    "share",
)
def health_profile_coverage_migrant_children(s: Snapshot) -> float:
    profiles = _cached(s, "child_profiles_nonlocal", lambda: _wsum(s, s.pop.use_child_health, False))
    return _ratio(profiles, _wsum(s, s.pop.kids_0_2, False))


@service_indicator(
    "health_profile_coverage_local_children",
    "Share of local-hukou children aged 0-36 months with a child health-care profile",
    "share",
)
def health_profile_coverage_local_children(s: Snapshot) -> float:
    return _ratio(_wsum(s, s.pop.use_child_health, True), _wsum(s, s.pop.kids_0_2, True))


@service_indicator(
    "immunisation_person_times_migrant",
    "Immunisation doses given to migrant children with a health profile this month",
    "person-times/month",
)
def immunisation_person_times_migrant(s: Snapshot) -> float:
    profiles = _cached(s, "child_profiles_nonlocal", lambda: _wsum(s, s.pop.use_child_health, False))
    return COSTS["immunisation_per_child_month"][0] * profiles


@service_indicator(
    "maternal_health_profiles_migrant",
    "Migrant pregnant women with a health-care profile (the seed's 'new citizen' and maternal health projects)",
    "persons",
)
def maternal_health_profiles_migrant(s: Snapshot) -> float:
    return _cached(s, "maternal_profiles_nonlocal", lambda: _wsum(s, s.pop.use_maternal_health, False))


@service_indicator(
    "maternal_health_coverage_migrant",
    "Share of migrant pregnant women with a health-care profile",
    "share",
)
def maternal_health_coverage_migrant(s: Snapshot) -> float:
    profiles = _cached(s, "maternal_profiles_nonlocal", lambda: _wsum(s, s.pop.use_maternal_health, False))
    return _ratio(profiles, _wsum(s, s.pop.pregnant > 0, False))


# --- housing ---------------------------------------------------------------------------------------------
@service_indicator("public_rental_households", "Households living in public rental flats", "households")
def public_rental_households(s: Snapshot) -> float:
    svc = _services(s)
    return NAN if svc is None else float(svc.public_rental.used_after.sum())


@service_indicator(
    "public_rental_migrant_households", "Migrant households in public rental flats", "households"
)
def public_rental_migrant_households(s: Snapshot) -> float:
    return _wsum(s, s.pop.use_public_rental, False)


def _tenure_share(res: Residence) -> Callable[[Snapshot], float]:
    def share(s: Snapshot) -> float:
        # migrants' persons by tenure, one pass for all the tenure shares
        by_tenure = _cached(
            s,
            "migrant_persons_by_tenure",
            lambda: np.bincount(
                s.pop.residence.view(np.uint8), weights=s.migrant_pw, minlength=len(Residence)
            ),
        )
        return _ratio(float(by_tenure[int(res)]), float(by_tenure.sum()))

    return share


service_indicator("private_rental_share_migrant", "Share of migrants (persons) renting privately", "share")(
    _tenure_share(Residence.PRIVATE_RENTAL)
)
service_indicator("dormitory_share_migrant", "Share of migrants (persons) living in dormitories", "share")(
    _tenure_share(Residence.DORMITORY)
)
service_indicator(
    "urban_village_rental_share_migrant", "Share of migrants (persons) renting in urban villages", "share"
)(_tenure_share(Residence.URBAN_VILLAGE_RENTAL))


# --- assistance ------------------------------------------------------------------------------------------
def _recipients(s: Snapshot) -> np.ndarray:
    def compute() -> np.ndarray:
        pop = s.pop
        return np.flatnonzero((pop.dibao > 0) | (pop.aid_month == s.model.month))

    return _cached(s, "recipients", compute)


@service_indicator(
    "assistance_recipients_female",
    "Households with a female head receiving dibao or one-off hardship aid this month",
    "households",
)
def assistance_recipients_female(s: Snapshot) -> float:
    rows = _recipients(s)
    return float(s.pop.weight[rows][s.pop.head_female[rows]].sum())


@service_indicator(
    "assistance_recipients_male",
    "Households with a male head receiving dibao or one-off hardship aid this month",
    "households",
)
def assistance_recipients_male(s: Snapshot) -> float:
    rows = _recipients(s)
    return float(s.pop.weight[rows][~s.pop.head_female[rows]].sum())


@service_indicator(
    "assistance_recipients_migrant",
    "Migrant households receiving dibao or one-off aid this month",
    "households",
)
def assistance_recipients_migrant(s: Snapshot) -> float:
    rows = _recipients(s)
    return float(s.pop.weight[rows][~s.pop.hukou_local[rows]].sum())


@service_indicator(
    "assistance_recipients_local_farmer",
    "Local-farmer households receiving dibao or one-off aid this month",
    "households",
)
def assistance_recipients_local_farmer(s: Snapshot) -> float:
    rows = _recipients(s)
    return float(s.pop.weight[rows][s.pop.htype[rows] == HouseholdType.LOCAL_FARMER].sum())


@service_indicator("dibao_households", "Households receiving dibao (urban or rural)", "households")
def dibao_households(s: Snapshot) -> float:
    svc = _services(s)
    return NAN if svc is None else svc.dibao.recipients


@service_indicator(
    "hardship_aid_households", "Households receiving one-off hardship aid this month", "households"
)
def hardship_aid_households(s: Snapshot) -> float:
    svc = _services(s)
    return NAN if svc is None else svc.hardship_aid.recipients


# --- social security -------------------------------------------------------------------------------------
def _coverage(col: str, codes: tuple[int, int], group: int) -> Callable:
    """Weighted share of households of ``group`` (1 migrants, 2 local farmers) whose ``col`` is in ``codes``."""

    def coverage(s: Snapshot) -> float:
        pop = s.pop
        among = _cached(
            s, f"group_{group}", lambda: s.nonlocal_ if group == 1 else s.htype == HouseholdType.LOCAL_FARMER
        )
        w = _cached(s, f"group_weight_{group}", lambda: pop.weight * among)
        v = pop.col(col)
        covered = (v == codes[0]) | (v == codes[1])
        return _ratio(float((w * covered).sum()), float(w.sum()))

    return coverage


service_indicator(
    "pension_coverage_migrant",
    "Share of migrant households enrolled in an urban pension scheme (employee or urban-rural resident)",
    "share",
)(_coverage("pension", (PENSION_EMPLOYEE, PENSION_RESIDENT), 1))
service_indicator(
    "pension_coverage_local_farmer",
    "Share of local-farmer households enrolled in an urban pension scheme (employee or urban-rural resident)",
    "share",
)(_coverage("pension", (PENSION_EMPLOYEE, PENSION_RESIDENT), 2))
service_indicator(
    "urban_medical_insurance_coverage_migrant",
    "Share of migrant households in urban medical insurance (employee or urban resident)",
    "share",
)(_coverage("insured", (INSURANCE_EMPLOYEE, INSURANCE_RESIDENT), 1))
service_indicator(
    "urban_medical_insurance_coverage_local_farmer",
    "Share of local-farmer households in urban medical insurance (employee or urban resident)",
    "share",
)(_coverage("insured", (INSURANCE_EMPLOYEE, INSURANCE_RESIDENT), 2))


# --- training and community ------------------------------------------------------------------------------
@service_indicator("training_participants", "Persons in subsidised vocational training this month", "persons")
def training_participants(s: Snapshot) -> float:
    svc = _services(s)
    return NAN if svc is None else float(svc.training.used_after.sum())


@service_indicator(
    "training_completed", "Persons completing a vocational training course this month", "persons"
)
def training_completed(s: Snapshot) -> float:
    svc = _services(s)
    return NAN if svc is None else svc.training.completed


@service_indicator(
    "community_centre_coverage", "Share of households served by a community service centre", "share"
)
def community_centre_coverage(s: Snapshot) -> float:
    svc = _services(s)
    if svc is None:
        return NAN
    return _ratio(float(svc.community.used_after.sum()), float(s.pop.weight.sum()))


@service_indicator(
    "sanitation_coverage_urban_village",
    "Share of urban-village residents covered by sanitation services (Yanta)",
    "share",
)
def sanitation_coverage_urban_village(s: Snapshot) -> float:
    svc = _services(s)
    if svc is None:
        return NAN
    from urbanize.model.enums import DistrictKind

    covered = residents = 0.0
    for d in s.model.profile.districts:
        if d.kind is DistrictKind.URBAN_VILLAGE:
            here = float((s.pw * (s.pop.district == d.index)).sum())
            residents += here
            covered += here * float(svc.sanitation_coverage[d.index])
    return _ratio(covered, residents)


# --- fiscal -----------------------------------------------------------------------------------------------
@indicator(
    "fiscal_spend_total", "Public spending on the modelled services this month, all payers", "yuan/month"
)
def fiscal_spend_total(s: Snapshot) -> float:
    return s.model.ledger.spend()


def _sector_spend(sector: str) -> Callable[[Snapshot], float]:
    def spend(s: Snapshot) -> float:
        return s.model.ledger.spend(sector)

    return spend


for _sector in SECTORS:
    indicator(
        f"fiscal_spend_{_sector}",
        f"Public spending on {_sector.replace('_', ' ')} this month, all payers",
        "yuan/month",
    )(_sector_spend(_sector))


@indicator("fiscal_spend_per_resident", "Public spending on the modelled services per resident", "yuan/month")
def fiscal_spend_per_resident(s: Snapshot) -> float:
    return _ratio(s.model.ledger.spend(), float(s.pw.sum()))


@indicator("fiscal_spend_cumulative", "Public spending on the modelled services since the start", "yuan")
def fiscal_spend_cumulative(s: Snapshot) -> float:
    return s.model.ledger.spend(cumulative=True)


# --- queues ----------------------------------------------------------------------------------------------
def _unmet(name: str) -> Callable[[Snapshot], float]:
    def unmet(s: Snapshot) -> float:
        svc = _services(s)
        return NAN if svc is None else svc.household_services()[name].unmet_after

    return unmet


def _wait(name: str) -> Callable[[Snapshot], float]:
    def wait(s: Snapshot) -> float:
        svc = _services(s)
        return NAN if svc is None else svc.household_services()[name].mean_wait_after

    return wait


for _name in CAPACITY_SERVICES:
    service_indicator(f"unmet_demand_{_name}", f"Units of {_name} waited for after allocation", "units")(
        _unmet(_name)
    )
    service_indicator(
        f"mean_wait_{_name}", f"Mean months waited so far by units queued for {_name}", "months"
    )(_wait(_name))


# --- equal access ------------------------------------------------------------------------------------------
def _gap(name: str) -> Callable[[Snapshot], float]:
    def gap(s: Snapshot) -> float:
        svc = _services(s)
        if svc is None:
            return NAN
        local, migrant = svc.access_rates.get(name, (NAN, NAN))
        return local - migrant

    return gap


# the private migrant school serves only non-hukou children: "equal access" to it is not a meaningful gap
for _name in ACCESS_SERVICES[:INDEX_SERVICES]:
    service_indicator(
        f"access_gap_{_name}",
        f"Share of local urban residents who may use {_name} minus the share of migrants who may",
        "share",
    )(_gap(_name))


@service_indicator(
    "migrant_access_index", "Mean access index of migrants (share of 11 household services open)", "share"
)
def migrant_access_index(s: Snapshot) -> float:
    pop = s.pop
    among = s.migrant_pw
    return _ratio(float((among * pop.access_count.astype(float)).sum()) / 11.0, float(among.sum()))
