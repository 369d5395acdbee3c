"""Health (Yanta, Changshu): health profiles of migrant children 0-36 months and migrant pregnant women, immunisation person-times."""

from __future__ import annotations

from urbanize.model.indicators.base import Snapshot, ratio
from urbanize.model.indicators.service_base import service_indicator, wsum_of
from urbanize.model.services.costs import COSTS


@service_indicator(
    "health_profile_coverage_migrant_children",
    "Share of migrant children aged 0-36 months with a child health-care profile",
    "share",
)
def health_profile_coverage_migrant_children(s: Snapshot) -> float:
    return ratio(wsum_of(s, "use_child_health", False), wsum_of(s, "kids_0_2", False))


@service_indicator(
    "health_profile_coverage_local_children",
    "Share of local-hukou children aged 0-36 months with a child health-care profile",
    "share",
)
def health_profile_coverage_local_children(s: Snapshot) -> float:
    return ratio(wsum_of(s, "use_child_health", True), wsum_of(s, "kids_0_2", True))


@service_indicator(
    "immunisation_person_times_migrant",
    "Immunisation doses given to migrant children with a health profile this month",
    "person-times/month",
)
def immunisation_person_times_migrant(s: Snapshot) -> float:
    profiles = wsum_of(s, "use_child_health", False)
    return COSTS["immunisation_per_child_month"][0] * profiles


@service_indicator(
    "maternal_health_profiles_migrant",
    "Migrant pregnant women with a health-care profile (the seed's 'new citizen' and maternal health projects)",
    "persons",
)
def maternal_health_profiles_migrant(s: Snapshot) -> float:
    return wsum_of(s, "use_maternal_health", False)


@service_indicator(
    "maternal_health_coverage_migrant",
    "Share of migrant pregnant women with a health-care profile",
    "share",
)
def maternal_health_coverage_migrant(s: Snapshot) -> float:
    return ratio(wsum_of(s, "use_maternal_health", False), wsum_of(s, "pregnant>0", False))
