"""Each service policy moves its own indicator in the intended direction against the status quo, under common
random numbers (same seeds), averaged over a few replicates."""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest

from urbanize.model import UrbanizationModel

SEEDS = (0, 1, 2)
MONTHS = 18
HOUSEHOLDS = 600

#: policy -> (city, indicator, +1 to raise it / -1 to lower it)
CASES = {
    "school_construction": ("zhengzhou", "avg_class_size_primary", -1),
    "nearby_enrolment": ("zhengzhou", "migrant_children_public_school_share", 1),
    "low_threshold_hukou": ("zhengzhou", "hukou_conversions_migrant", 1),
    "urban_village_sanitation": ("yanta", "sanitation_coverage_urban_village", 1),
    "new_citizen_health": ("yanta", "maternal_health_coverage_migrant", 1),
    "migrant_assistance": ("yanta", "assistance_recipients_migrant", 1),
    "training_coupons": ("yanta", "training_participants", 1),
    "service_costing": ("yanta", "unmet_demand_child_health", -1),
    "community_service_centres": ("jinnan", "community_centre_coverage", 1),
    "harmonized_social_security": ("jinnan", "pension_coverage_local_farmer", 1),
    # at 600 households one agent stands for about 1,240 real ones and 18 months of new flats admit none of them
    "public_rental_housing": ("changshu", "public_rental_households", 1, 2000),
    "rental_market": ("changshu", "private_rental_share_migrant", 1),
    "vocational_training": ("changshu", "training_participants", 1),
    "maternal_child_health": ("changshu", "health_profile_coverage_migrant_children", 1),
    "migrant_education": ("changshu", "migrant_children_public_school_share", 1),
    "pension_integration": ("changshu", "pension_coverage_migrant", 1),
}


@cache
def outcome(city: str, policies: str, indicator: str, households: int = HOUSEHOLDS) -> float:
    """Mean over seeds of ``indicator`` averaged over the last six months."""
    values = []
    for seed in SEEDS:
        df = (
            UrbanizationModel(city=city, policies=policies, households=households, rng=seed, agents="lazy")
            .run(MONTHS)
            .indicators()
        )
        values.append(df[indicator].iloc[-6:].mean())
    return float(np.mean(values))


@pytest.mark.parametrize("policy", sorted(CASES))
def test_policy_moves_its_indicator(policy: str) -> None:
    city, indicator, sign, *size = CASES[policy]
    households = size[0] if size else HOUSEHOLDS
    base = outcome(city, "status_quo", indicator, households)
    with_policy = outcome(city, policy, indicator, households)
    assert sign * (with_policy - base) > 0, f"{policy}: {indicator} {base:.4g} -> {with_policy:.4g}"


def test_every_service_policy_costs_something() -> None:
    """The pilots that add services spend more than the status quo on the sector they add to (the city's total
    is dominated by spending the policy does not touch, so at this size its replicate noise can outweigh a
    small programme such as training coupons)."""
    for policy, sector in (
        ("school_construction", "education"),
        ("new_citizen_health", "health"),
        ("public_rental_housing", "housing"),
        ("training_coupons", "training"),
    ):
        city = CASES[policy][0]
        spend = f"fiscal_spend_{sector}"
        assert outcome(city, policy, spend) > outcome(city, "status_quo", spend), f"{policy}: {spend}"


@pytest.mark.parametrize("city,policies", [("changshu", "changshu_pilot"), ("yanta", "status_quo")])
def test_access_rates_are_the_persons_with_access_over_the_group(city: str, policies: str) -> None:
    m = UrbanizationModel(city=city, policies=policies, households=800, rng=4).run(3)
    m.services.refresh_access()  # the rates of the decision phase, for the population as it is now
    pop = m.pop
    pw = pop.persons() * pop.weight
    groups = (pop.hukou_local & pop.hukou_urban, ~pop.hukou_local)
    for name, (local_urban, nonlocal_) in m.services.access_rates.items():
        access = pop.col(f"acc_{name}")
        for rate, group in zip((local_urban, nonlocal_), groups, strict=True):
            assert rate == pytest.approx(float(pw[group & access].sum() / pw[group].sum()), rel=1e-12, abs=1e-12)
