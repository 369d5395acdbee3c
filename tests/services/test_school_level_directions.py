"""Whole runs (small, slow): each pre-school and senior-middle policy moves its own indicator against the status quo
under common random numbers, on every seed and by more than three standard errors of the paired difference. The
indicators are households' enrolment (take-up by fee, then admission) and the spending that follows the pupils,
not counters the policies set."""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest

from urbanize.model import UrbanizationModel

SEEDS = (0, 1, 2, 3, 4, 5, 6, 7)
MONTHS = 18
HOUSEHOLDS = 1000

#: (policy, indicator, +1 to raise it / -1 to lower it)
CASES = (
    ("preschool_expansion", "preschool_enrolment_rate_migrant", 1),
    ("senior_middle_opening", "senior_enrolment_rate_migrant", 1),
    # more non-hukou pupils in public senior middle schools: more recurrent spending per migrant child
    ("senior_middle_opening", "education_spend_per_migrant_child_increase", 1),
)


@cache
def outcome(policies: str, seed: int) -> dict[str, float]:
    """Indicators averaged over the last six months of one Zhengzhou run."""
    df = (
        UrbanizationModel(city="zhengzhou", policies=policies, households=HOUSEHOLDS, rng=seed, agents="lazy")
        .run(MONTHS)
        .indicators()
    )
    return {name: float(df[name].iloc[-6:].mean()) for name in {c[1] for c in CASES}}


@pytest.mark.slow
@pytest.mark.parametrize("policy,indicator,sign", CASES)
def test_policy_moves_its_indicator_beyond_replicate_noise(policy: str, indicator: str, sign: int) -> None:
    diff = np.array([outcome(policy, s)[indicator] - outcome("status_quo", s)[indicator] for s in SEEDS]) * sign
    se = diff.std(ddof=1) / np.sqrt(diff.size)
    assert (diff > 0).all(), f"{policy}: {indicator} paired differences {diff}"
    assert diff.mean() > 3 * se, f"{policy}: {indicator} mean {diff.mean():.4g}, standard error {se:.4g}"
