"""Social security (Changshu, Jinnan): urban pension and medical insurance coverage of migrants and local farmers."""

from __future__ import annotations

from collections.abc import Callable

from urbanize.model.enums import HouseholdType
from urbanize.model.indicators.base import Snapshot, ratio
from urbanize.model.indicators.service_base import cached, service_indicator
from urbanize.model.services.social_security import (
    INSURANCE_EMPLOYEE,
    INSURANCE_NCMS,
    INSURANCE_NONE,
    INSURANCE_RESIDENT,
    PENSION_EMPLOYEE,
    PENSION_RESIDENT,
)


def _coverage(col: str, codes: tuple[int, int], group: int) -> Callable:
    """Weighted share of households of ``group`` (1 migrants, 2 local farmers) whose ``col`` is in ``codes``."""

    def coverage(s: Snapshot) -> float:
        pop = s.pop
        among = cached(
            s, f"group_{group}", lambda: s.nonlocal_ if group == 1 else s.htype == HouseholdType.LOCAL_FARMER
        )
        w = cached(s, f"group_weight_{group}", lambda: pop.weight * among)
        v = pop.col(col)
        covered = (v == codes[0]) | (v == codes[1])
        return ratio(float((w * covered).sum()), float(w.sum()))

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


# --- the new rural cooperative medical scheme (Changshu; model.services.ncms) ------------------------------------
def _ncms_persons(s: Snapshot) -> tuple[float, float]:
    """(members, persons it is for): local rural-hukou persons in the scheme (the residents' scheme where it is
    integrated: ``ncms.code``), and those outside the other schemes."""

    def count() -> tuple[float, float]:
        pop = s.pop
        ins = pop.insured
        rural = pop.hukou_local & ~pop.hukou_urban
        member = rural & (ins == s.model.services.ncms.code)
        return float((s.pw * member).sum()), float((s.pw * (member | (rural & (ins == INSURANCE_NONE)))).sum())

    return cached(s, "ncms_persons", count)


@service_indicator(
    "ncms_funding_per_person",
    "Funding level of the new rural cooperative medical scheme: government subsidy plus individual premium",
    "yuan/person-year",
)
def ncms_funding_per_person(s: Snapshot) -> float:
    return s.model.services.ncms.funding


@service_indicator(
    "ncms_compensation_share",
    "Compensation percentage of the new rural cooperative medical scheme: share of members' inpatient costs reimbursed",
    "share",
)
def ncms_compensation_share(s: Snapshot) -> float:
    return s.model.services.ncms.compensation


@service_indicator(
    "ncms_benefit_per_member",
    "Entitlement of a member of the new rural cooperative medical scheme: benefits paid per member",
    "yuan/person-year",
)
def ncms_benefit_per_member(s: Snapshot) -> float:
    return s.model.services.ncms.benefit


@service_indicator(
    "ncms_coverage",
    "Rate of coverage of the new rural cooperative medical scheme (integrated or not): local rural-hukou persons "
    "enrolled, as a share of those outside the other schemes",
    "share",
)
def ncms_coverage(s: Snapshot) -> float:
    members, target = _ncms_persons(s)
    return ratio(members, target)


@service_indicator(
    "ncms_members",
    "Local rural-hukou persons enrolled in the city's new rural cooperative medical scheme",
    "persons",
)
def ncms_members(s: Snapshot) -> float:
    return _ncms_persons(s)[0]


@service_indicator(
    "ncms_new_members",
    "Persons who joined the city's new rural cooperative medical scheme this month (new entitlements; the "
    "scheme enrols each January)",
    "persons/month",
)
def ncms_new_members(s: Snapshot) -> float:
    return s.model.services.ncms.entered


@service_indicator(
    "ncms_coverage_migrant_origin",
    "Share of migrant persons with rural hukou insured by the cooperative medical scheme of their origin",
    "share",
)
def ncms_coverage_migrant_origin(s: Snapshot) -> float:
    rural_migrant = s.nonlocal_ & ~s.pop.hukou_urban
    return s.share(s.pop.insured == INSURANCE_NCMS, rural_migrant)
