"""Status-quo demography of the four cities over ten years (small sizes, one seed each): the crude birth rate stays
in the national range, births do not collapse, and the share aged 60 and over starts near the 2010 census.

Targets: crude birth rate about 12 per 1,000 in 2010-2015 (NBS, China Statistical Yearbook 2016, table 2-2:
11.90-12.37), tested in [9, 15] per 1,000 for the noise of 2,000 households; 13.3 % aged 60 and over at the 2010
census (NBS, Tabulation on the 2010 Population Census), tested in [10, 17] % since the cities differ from the
nation (Changshu's 42 % young migrants give it 11 %).
"""

from __future__ import annotations

import numpy as np
import pytest

from urbanize.model import UrbanizationModel

CITIES = ("changshu", "jinnan", "yanta", "zhengzhou")


def ten_years(city: str) -> dict[str, np.ndarray | float]:
    m = UrbanizationModel(city=city, households=2000, rng=3, agents="lazy")
    pop = m.pop
    share60 = float((pop.elders * pop.weight).sum() / (pop.persons() * pop.weight).sum())
    births, persons = np.zeros(10), np.zeros(10)
    for t in range(120):
        m.step()
        births[t // 12] += m.flows["births"]
        persons[t // 12] += float(m.pop.persons() @ m.pop.weight) / 12.0
    return {"share60": share60, "births": births, "cbr": 1000.0 * births / persons}


@pytest.fixture(scope="module")
def runs() -> dict[str, dict[str, np.ndarray | float]]:
    return {city: ten_years(city) for city in CITIES}


@pytest.mark.slow
@pytest.mark.parametrize("city", CITIES)
def test_crude_birth_rate_stays_in_the_national_range_for_ten_years(runs, city) -> None:
    cbr = runs[city]["cbr"]
    assert 9.0 <= cbr[1:7].mean() <= 15.0, cbr  # 2010-2015
    assert 9.0 <= cbr.mean() <= 15.0, cbr


@pytest.mark.slow
@pytest.mark.parametrize("city", CITIES)
def test_births_do_not_fall_by_more_than_a_quarter_in_ten_years(runs, city) -> None:
    births = runs[city]["births"]
    assert births[7:].mean() >= 0.75 * births[:3].mean(), births


@pytest.mark.slow
def test_births_rise_after_the_universal_two_child_rule(runs) -> None:
    """2016-2017 against 2010-2015, the four cities pooled (one city is too noisy at this size)."""
    before = sum(runs[c]["cbr"][1:7].mean() for c in CITIES)
    after = sum(runs[c]["cbr"][7:9].mean() for c in CITIES)
    assert after > before


@pytest.mark.slow
@pytest.mark.parametrize("city", CITIES)
def test_share_aged_60_and_over_starts_near_the_2010_census(runs, city) -> None:
    assert 0.10 <= runs[city]["share60"] <= 0.17
