"""The stylized fact of docs/model.md, section 1: Zhengzhou's 2003 low-threshold hukou reform overloaded schools.

Reported: about 150,000 registrations in a year and primary classes above 90 pupils, about double the norm,
before the reform was suspended. In the model, families granted hukou have a right to public school seats:
with the seats fixed, classes swell far above the norm within two years; building classes in line with the
resident population keeps them near it.
"""

from __future__ import annotations

import numpy as np
import pytest
from direction_helpers import assert_beyond_noise

from urbanize.model import UrbanizationModel

NORM = 45.0
SEEDS = (1, 2, 3, 4, 5, 6)  # six: at three the +10-pupil margin sat inside replicate noise (seeds 1-3 gave
# +10.7 before the arrival-income fix of issue 9 and +8.8 after it; seeds 1-6, +11.6 and +11.0)


def per_seed(policies: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per seed (in SEEDS order): average class size at 24 months, the worst district's, conversions in year 1."""
    avg, worst, year1 = [], [], []
    for seed in SEEDS:
        df = (
            UrbanizationModel(city="zhengzhou", policies=policies, households=1500, rng=seed)
            .run(24)
            .indicators()
        )
        avg.append(df["avg_class_size_primary"].iloc[-1])
        worst.append(df["max_class_size_primary"].iloc[-1])
        year1.append(df["hukou_conversions_migrant"].iloc[12])
    return np.array(avg), np.array(worst), np.array(year1)


@pytest.fixture(scope="module")
def seeds() -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    return {p: per_seed(p) for p in ("status_quo", "low_threshold_hukou", "low_threshold_hukou,school_construction")}


@pytest.fixture(scope="module")
def sizes(seeds) -> dict[str, tuple[float, float, float]]:
    return {p: (float(a.mean()), float(w.mean()), float(y.mean())) for p, (a, w, y) in seeds.items()}


def test_low_threshold_hukou_without_schools_overloads_classes(sizes, seeds) -> None:
    avg, worst, year1 = sizes["low_threshold_hukou"]
    # The source reports the worst classes ("above 90 pupils, about double the norm"), not the average; the
    # average is judged against the status quo on the same seeds, beyond replicate noise. (An unsourced level,
    # 1.3 x the norm on average, was asserted until the four-city refit of 2026-12-03, whose lower settle_const
    # leaves fewer migrants wanting hukou: the mean moved from above it to 1.297 x; the paired gain is +11.0.)
    gain = seeds["low_threshold_hukou"][0] - seeds["status_quo"][0]
    assert (gain > 0).all(), gain
    assert_beyond_noise(gain, floor=10.0)  # over 10 pupils more on average, and over 3 standard errors
    assert worst > 1.8 * NORM, worst  # about double the norm where migrants concentrate
    assert year1 > 80_000, year1  # a large wave of hukou grants in the first year (reported +150,000)


def test_building_schools_in_line_with_population_keeps_classes_near_the_norm(sizes) -> None:
    avg, worst, _ = sizes["low_threshold_hukou,school_construction"]
    # classes stay about where they would be without the reform (the status quo itself drifts a little above
    # the norm as migrant families' children enrol; at 1,500 households seeds differ by several pupils)
    assert avg < 1.1 * sizes["status_quo"][0], (avg, sizes["status_quo"][0])
    assert avg < 1.25 * NORM, avg
    assert avg < sizes["low_threshold_hukou"][0] - 10
    assert worst < sizes["low_threshold_hukou"][1]
