"""Tier 1 smoke tests and the starting composition of every city (docs/model.md, section 6)."""

from __future__ import annotations

import numpy as np
import pytest

from urbanize.model import UrbanizationModel, list_cities, load_city
from urbanize.model.indicators import list_indicators

CORE_COLUMNS = [
    "residents", "residents_migrant", "residents_local_farmer", "residents_urban_poor", "residents_urban_resident",
    "migrant_share", "local_hukou_share", "urban_hukou_share_of_locals", "urbanization_rate_residence",
    "urbanization_rate_hukou", "urbanization_gap", "registration_rate", "residence_permits", "hukou_conversions",
    "arrivals", "departures", "births", "deaths", "settlement_intention",
]

# The seed's figures (docs/model.md, section 6), checked against seed ch.2.
SEED = {
    "zhengzhou": {"residents": 7_521_000, "local_hukou_share": 5.461 / 7.521, "urban_hukou_share_of_locals": 0.571},
    "yanta": {"residents": 1_136_700, "local_hukou_share": 0.6945, "urban_hukou_share_of_locals": 0.785},
    "jinnan": {"residents": 519_300, "local_hukou_share": 0.78, "urban_hukou_share_of_locals": 0.27},
    "changshu": {"residents": 1_825_000, "local_hukou_share": 1065 / 1825, "urban_hukou_share_of_locals": 0.54},
}


def test_four_pilot_cities_ship() -> None:
    assert list_cities() == ["changshu", "jinnan", "yanta", "zhengzhou"]


@pytest.mark.parametrize("city", sorted(SEED))
def test_every_city_runs_a_few_months(city: str) -> None:
    m = UrbanizationModel(city=city, households=400, rng=1).run(3)
    df = m.indicators()
    assert list(df["month"]) == [0, 1, 2, 3]
    for col in CORE_COLUMNS:
        assert col in df.columns, col
    assert np.isfinite(df[CORE_COLUMNS].to_numpy()).all()


@pytest.mark.parametrize("city", sorted(SEED))
@pytest.mark.parametrize("households", [300, 5000])
def test_starting_composition_matches_the_seed(city: str, households: int) -> None:
    row = UrbanizationModel(city=city, households=households, rng=3).indicators().iloc[0]
    seed = SEED[city]
    assert row["residents"] == pytest.approx(seed["residents"], rel=1e-9)
    assert abs(row["local_hukou_share"] - seed["local_hukou_share"]) < 0.01
    assert abs(row["migrant_share"] - (1 - seed["local_hukou_share"])) < 0.01
    assert abs(row["urban_hukou_share_of_locals"] - seed["urban_hukou_share_of_locals"]) < 0.01


def test_scale_gives_one_agent_per_real_household() -> None:
    profile = load_city("jinnan")
    m = UrbanizationModel(city="jinnan", scale=0.05, rng=1)
    weights = m.pop.weight
    # each agent stands for about 20 real households, and the people add up to the seed's residents
    assert 15 < weights.mean() < 25
    assert m.indicators()["residents"].iloc[0] == pytest.approx(profile.residents)


def test_indicators_are_listed_with_their_meaning() -> None:
    listed = dict(list_indicators())
    for col in CORE_COLUMNS:
        assert listed[col], col
    df = UrbanizationModel(city="jinnan", households=200, rng=1).indicators()
    assert list(df.columns[1:]) == list(listed)


def test_households_are_mesa_agents_at_workshop_sizes() -> None:
    m = UrbanizationModel(city="yanta", households=300, rng=2)
    assert len(m.agents) == m.pop.n
    kinds = {type(a).__name__ for a in m.agents}
    assert kinds == {"Migrant", "LocalFarmer", "UrbanPoor", "UrbanResident"}
    big = UrbanizationModel(city="yanta", households=300, rng=2, agents="lazy")
    assert len(big.agents) == 0
    hh = big.household(int(big.pop.uid[5]))
    assert hh.uid == int(big.pop.uid[5]) and len(big.agents) == 1
