"""Social security (Changshu, Jinnan): urban pension and medical insurance coverage of migrants and local farmers."""

from __future__ import annotations

from collections.abc import Callable

from urbanize.model.indicators.base import Snapshot, ratio
from urbanize.model.indicators.service_base import cached, service_indicator
from urbanize.model.indicators.tables import HOUSEHOLDS, PERSONS


def _coverage(covered: str, group: str) -> Callable:
    """Weighted share of households of ``group`` (``nonlocal``: migrants, or ``local_farmer``) with trait
    ``covered`` (``pension_urban``: employee or resident pension; ``insured_urban``: employee or resident
    medical insurance; ``tables.HOUSEHOLDS``)."""

    def coverage(s: Snapshot) -> float:
        return HOUSEHOLDS.share(s, covered, group)

    return coverage


service_indicator(
    "pension_coverage_migrant",
    "Share of migrant households enrolled in an urban pension scheme (employee or urban-rural resident)",
    "share",
)(_coverage("pension_urban", "nonlocal"))
service_indicator(
    "pension_coverage_local_farmer",
    "Share of local-farmer households enrolled in an urban pension scheme (employee or urban-rural resident)",
    "share",
)(_coverage("pension_urban", "local_farmer"))
service_indicator(
    "urban_medical_insurance_coverage_migrant",
    "Share of migrant households in urban medical insurance (employee or urban resident)",
    "share",
)(_coverage("insured_urban", "nonlocal"))
service_indicator(
    "urban_medical_insurance_coverage_local_farmer",
    "Share of local-farmer households in urban medical insurance (employee or urban resident)",
    "share",
)(_coverage("insured_urban", "local_farmer"))


# --- the new rural cooperative medical scheme (Changshu; model.services.ncms) ------------------------------------
def _ncms_persons(s: Snapshot) -> tuple[float, float]:
    """(members, persons it is for): local rural-hukou persons in the scheme (the residents' scheme where it is
    integrated: ``ncms.code``), and those outside the other schemes."""

    def count() -> tuple[float, float]:
        rural = ("not nonlocal", "not hukou_urban")
        return PERSONS.total(s, "rural_scheme", *rural), PERSONS.total(s, "outside_other_schemes", *rural)

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
    return PERSONS.share(s, "rural_scheme", "nonlocal", "not hukou_urban")
