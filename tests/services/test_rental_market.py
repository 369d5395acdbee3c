"""Rents (model/rents.py) and the regulated rental market (policies/housing.py, ``rental_market``).

Hand-built: rents from vacancy and tenure, the burden test that decides who moves and whose room is
registered, the subsidy in the burden. Whole runs (small, slow): the market raises migrants' private-rental
share beyond the replicate spread against the status quo.
"""

from __future__ import annotations

import numpy as np
import pytest
from service_helpers import make_migrant, tiny_world

from urbanize.model import UrbanizationModel
from urbanize.model.enums import Residence
from urbanize.model.indicators import Snapshot, registry
from urbanize.model.rents import BASE_PRIVATE_RENT, private_rents, rents
from urbanize.policies.housing import RentalMarket, migrant_rent_burden

PR, UV = int(Residence.PRIVATE_RENTAL), int(Residence.URBAN_VILLAGE_RENTAL)


def market_world(**params: object) -> tuple[UrbanizationModel, RentalMarket]:
    m = tiny_world(policies="rental_market", policy_params={"rental_market": dict(params)})
    pol = m.policy_set.get("rental_market")
    assert isinstance(pol, RentalMarket)
    m.housing.dwellings[:, PR] = 0.0  # no private stock: every district at the base rent
    return m, pol


def test_rent_follows_vacancy_and_tenure() -> None:
    m, _ = market_world()
    pop, stock = m.pop, m.housing
    target = stock.vacancy_target[PR]
    pop.residence[[0, 1]] = Residence.PRIVATE_RENTAL
    pop.district[[0, 1]] = 1
    pop.weight[[0, 1]] = 50.0  # 100 households rent privately in district 1
    stock.dwellings[1, PR] = 100.0  # no vacancy there
    stock.dwellings[2, PR] = 100.0  # all vacant in district 2
    market = private_rents(m)
    assert market[0] == pytest.approx(BASE_PRIVATE_RENT)
    assert market[1] == pytest.approx(BASE_PRIVATE_RENT * (1 + 5.0 * target))
    assert market[2] == pytest.approx(BASE_PRIVATE_RENT * 0.5)  # floor at half the base
    pop.residence[[2, 3, 4]] = [Residence.URBAN_VILLAGE_RENTAL, Residence.DORMITORY, Residence.PUBLIC_RENTAL]
    got = rents(m, np.arange(5))
    assert got.tolist() == pytest.approx([market[1], market[1], 300.0, 0.0, 300.0])


def test_landlords_register_rooms_whose_tenants_can_pay_and_the_stock_moves() -> None:
    m, pol = market_world(landlord_registration=1.0, monthly_shift=0.0, max_private_share=1.0)
    pop = m.pop
    make_migrant(m, [0, 1, 2])
    pop.residence[[0, 1, 2]] = Residence.URBAN_VILLAGE_RENTAL
    pop.income[[0, 1, 2]] = [2500.0, 1500.0, 1500.0]  # 600 is within 30 % of 2,500 only
    pop.set_counts([0, 1, 2], adults=[2, 2, 1])  # row 2: 1,500 a person, no subsidy; row 1: 750, subsidised
    m.housing.dwellings[0, UV] = 10.0
    pol.act(m)
    # row 1 pays 600 - 150 = 450 = 30 % of 1,500 after the subsidy: affordable; row 2 pays 600 of 1,500
    assert pop.residence[[0, 1, 2]].tolist() == [PR, PR, UV]
    assert m.housing.dwellings[0, PR] == pytest.approx(2.0)
    assert m.housing.dwellings[0, UV] == pytest.approx(8.0)


def test_tenants_move_only_into_vacant_private_rentals_they_can_afford() -> None:
    m, pol = market_world(landlord_registration=0.0, monthly_shift=1.0, max_private_share=1.0)
    pop = m.pop
    make_migrant(m, [0, 1])
    pop.residence[[0, 1]] = Residence.DORMITORY
    pop.income[[0, 1]] = [4000.0, 800.0]
    pop.set_counts([0, 1], adults=1)  # row 1: 800 a person, at the subsidy line, so no subsidy; 300 > 30 % of 800
    m.housing.dwellings[0, PR] = 5.0  # five vacant flats in district 0; rent at its floor, 300
    pol.act(m)
    assert pop.residence[[0, 1]].tolist() == [PR, int(Residence.DORMITORY)]


def test_the_burden_counts_rent_after_subsidy_over_income() -> None:
    m, pol = market_world()
    pop = m.pop
    make_migrant(m, [0, 1])
    pop.residence[[0, 1]] = [Residence.PRIVATE_RENTAL, Residence.URBAN_VILLAGE_RENTAL]
    pop.income[[0, 1]] = [1200.0, 3000.0]
    pop.set_counts([0, 1], adults=2)  # row 0: 600 a person, subsidised; row 1 is not a private renter
    burden0, burden1 = (600.0 - 150.0) / 1200.0, 300.0 / 3000.0
    pw = pop.persons(np.arange(2)).astype(float)
    expected = (burden0 * pw[0] + burden1 * pw[1]) / pw.sum()
    assert migrant_rent_burden(m, pol) == pytest.approx(expected)
    fn = registry(["rental_market"])["rent_burden_migrant_renters"].fn
    assert fn(Snapshot(m)) == pytest.approx(expected)
    assert migrant_rent_burden(m, None) > expected  # without the subsidy


def private_share(policies: str) -> np.ndarray:
    """Per seed, migrants' private-rental share averaged over months 19-24."""
    out = []
    for seed in (0, 1, 2):
        m = UrbanizationModel(city="changshu", policies=policies, households=1000, rng=seed, agents="lazy")
        df = m.run(24).indicators()
        out.append(df["private_rental_share_migrant"].iloc[-6:].mean())
    return np.array(out)


@pytest.mark.slow
def test_the_market_raises_the_private_rental_share_beyond_the_replicate_spread() -> None:
    base = private_share("status_quo")  # about 0.25 (0.24-0.27)
    market = private_share("rental_market")  # about 0.33 (0.32-0.34)
    assert market.min() > base.max(), (base, market)
    assert (market - base).min() > 0.04, (base, market)
