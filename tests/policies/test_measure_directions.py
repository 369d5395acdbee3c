"""Yanta's city-life skills and Jinnan's disability assistance, exchanged villagers' training, community service
centres and community organizations each move their own
indicator against the status quo (or the measure they build on), on common seeds, by a margin well above the spread
across seeds.

Measured at 1,000 households after 24 months, seeds 0-3 (mean, sd across seeds): city-life skills in Yanta:
households aware of registration 0.364 (0.029) -> 0.465 (0.027), registration rate 0.501 (0.016) -> 0.536 (0.016);
disability assistance in Jinnan: share of disabled persons assisted 0.03 -> 0.61; exchanged villagers' employment in
Jinnan (on top of ``homestead_exchange``): share of exchanged heads trained 0.016 (0.007) -> 0.130 (0.012);
local-farmer households in any pension scheme in Jinnan 0.794 (0.017) -> 0.867 (0.006) with community service
centres and 0.825 (0.010) with community organizations.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest

from urbanize.model import UrbanizationModel

SEEDS = (0, 1, 2, 3)
HOUSEHOLDS = 1000
MONTHS = 24
NAMES = (
    "awareness_registration",
    "registration_rate",
    "disabled_assisted_share",
    "exchanged_heads_trained_share",
    "pension_coverage_local_farmer_any",
)

pytestmark = pytest.mark.slow


@cache
def final_means(city: str, policies: str) -> dict[str, float]:
    values = []
    for seed in SEEDS:
        m = UrbanizationModel(city=city, policies=policies, households=HOUSEHOLDS, rng=seed, agents="lazy")
        values.append(m.run(MONTHS).indicators()[list(NAMES)].iloc[-1].to_numpy(dtype=float))
    return dict(zip(NAMES, np.mean(values, axis=0), strict=True))


def assert_raises(city: str, base: str, policies: str, gains: dict[str, float]) -> None:
    before, after = final_means(city, base), final_means(city, policies)
    for name, gain in gains.items():
        assert after[name] > before[name] + gain, f"{policies} in {city}: {name} {after[name]:.4g} vs {before[name]:.4g}"


@pytest.mark.xfail(
    strict=True,
    reason="known defect (issue 11): with the calibrated settle_const (-1.906) the registration gain of city-life "
    "skills vanished (0.520 vs 0.525 at 1,000 households, seeds 0-3); awareness still rises",
)
def test_city_life_skills_teach_households_about_registration_and_more_register() -> None:
    assert_raises(
        "yanta", "status_quo", "city_life_skills", {"awareness_registration": 0.05, "registration_rate": 0.015}
    )


def test_disability_assistance_reaches_disabled_persons() -> None:
    assert_raises("jinnan", "status_quo", "disability_assistance", {"disabled_assisted_share": 0.3})


def test_exchanged_villagers_are_trained() -> None:
    assert_raises(
        "jinnan",
        "homestead_exchange",
        "homestead_exchange,exchanged_villager_employment",
        {"exchanged_heads_trained_share": 0.07},
    )


def test_community_service_centres_raise_farmers_pension_coverage() -> None:
    assert_raises("jinnan", "status_quo", "community_service_centres", {"pension_coverage_local_farmer_any": 0.04})


@pytest.mark.xfail(
    strict=True,
    reason="known defect (issue 11): with the calibrated defaults the organizations' pension gain fell inside the "
    "noise (0.778 vs 0.776 at 1,000 households, seeds 0-3; it was +0.031 before the calibration)",
)
def test_community_organizations_raise_farmers_pension_coverage() -> None:
    assert_raises("jinnan", "status_quo", "community_organizations", {"pension_coverage_local_farmer_any": 0.015})
