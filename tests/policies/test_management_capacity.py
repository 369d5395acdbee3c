"""``management_capacity`` (Zhengzhou): funded coordinators register migrants from door to door, a count bounded
by the staff, paid from the registration sector."""

from __future__ import annotations

import numpy as np
import pytest

from urbanize.model.enums import HouseholdType, Registration, Residence
from urbanize.policies.management import (
    VISITED,
    ManagementCapacity,
    management_staff,
    management_visits_per_staff,
)

from .policy_helpers import rows_of, small_model


def _world(**params):
    m = small_model(city="zhengzhou", policies="management_capacity",
                    policy_params={"management_capacity": params})
    rule = m.policy_set.get("management_capacity")
    assert isinstance(rule, ManagementCapacity)
    return m, rule


def test_visits_register_unregistered_renters_and_dormitory_dwellers_only() -> None:
    # staff enough to visit everyone (1,000 per 10,000 households x 1,000 visits), every visit registers
    m, rule = _world(staff_per_10k=1000.0, visits_per_staff=1000.0, register_on_visit=1.0)
    pop = m.pop
    rows = rows_of(m, HouseholdType.MIGRANT, 5)
    pop.reg[rows] = [Registration.UNREGISTERED] * 4 + [Registration.RESIDENCE_PERMIT]
    pop.residence[rows] = [Residence.DORMITORY, Residence.URBAN_VILLAGE_RENTAL, Residence.PRIVATE_RENTAL,
                           Residence.OWNED, Residence.PRIVATE_RENTAL]
    m.awareness.of("registration")[rows] = False
    m.ledger.month.clear()
    rule.act(m)
    assert pop.reg[rows].tolist() == [Registration.REGISTERED] * 3 + [Registration.UNREGISTERED,
                                                                       Registration.RESIDENCE_PERMIT]
    assert m.awareness.of("registration")[rows[:3]].all() and not m.awareness.of("registration")[rows[3]]
    migrants = float(pop.weight[pop.htype == HouseholdType.MIGRANT].sum())
    assert rule.staff(m) == pytest.approx(0.1 * migrants)
    assert m.ledger.month[("registration", "city")] == pytest.approx(2500.0 * rule.staff(m))
    local = pop.htype != HouseholdType.MIGRANT
    assert not (pop.reg[local] == Registration.REGISTERED).any()


def test_registrations_are_bounded_by_the_staff_not_a_share_of_the_unregistered() -> None:
    # visits reach a quarter of the renting and dormitory households; with everyone unregistered and every visit
    # registering, about a quarter are registered, whatever the number unregistered
    m, rule = _world(staff_per_10k=10.0, register_on_visit=1.0)
    pop = m.pop
    visited = np.flatnonzero((pop.htype == HouseholdType.MIGRANT) & np.isin(pop.residence, [int(r) for r in VISITED]))
    total = float(pop.weight[visited].sum())
    visits = 0.25 * total
    staff = rule.staff(m)
    m2, rule2 = _world(staff_per_10k=10.0, register_on_visit=1.0, visits_per_staff=visits / staff)
    pop2 = m2.pop
    pop2.reg[visited] = Registration.UNREGISTERED
    rule2.act(m2)
    share = np.mean(pop2.reg[visited] == Registration.REGISTERED)
    se = np.sqrt(0.25 * 0.75 / visited.size)
    assert abs(share - 0.25) < 4 * se
    assert rule2.registered == pytest.approx(float(pop2.weight[visited][pop2.reg[visited] == Registration.REGISTERED].sum()))
    assert rule2.visited >= rule2.registered


def test_no_staff_no_visits_no_cost() -> None:
    m, rule = _world(staff_per_10k=0.0)
    before = m.pop.reg.copy()
    m.ledger.month.clear()
    rule.act(m)
    assert (m.pop.reg == before).all()
    assert rule.visited == 0.0 and rule.registered == 0.0
    assert m.ledger.month.get(("registration", "city"), 0.0) == 0.0


def test_the_policy_indicators_are_columns_of_its_runs_only() -> None:
    # 2,000 households over six months: at 300 a month's visits reach a handful of agents, and the month's figure
    # ranges from 9 to 91 around its expectation of 60 (seeds 11-13)
    m = small_model(city="zhengzhou", policies="management_capacity", households=2000)
    m.run(6)
    df = m.indicators()
    assert df["management_staff"].iloc[-1] > 0
    assert df["management_visits_per_staff"].iloc[1:].mean() == pytest.approx(60.0, rel=0.2)
    sq = small_model(city="zhengzhou")
    sq.run(1)
    assert "management_staff" not in sq.indicators().columns


def test_the_indicators_report_the_staff_the_policy_funded_in_its_act() -> None:
    """Households arrive, leave and settle after the policy acts: the indicators report the staff that were paid
    and made the visits, not a recount from the month-end population."""
    from urbanize.model.indicators import Snapshot

    m, rule = _world()
    pop = m.pop
    assert management_staff(Snapshot(m)) == 0.0  # nothing funded before the first month
    m.ledger.month.clear()
    rule.act(m)
    funded = m.ledger.month[("registration", "city")] / 2500.0
    pop.htype[rows_of(m, HouseholdType.MIGRANT, 10)] = HouseholdType.URBAN_RESIDENT  # ten households settle
    assert rule.staff(m) < funded
    snap = Snapshot(m)
    assert management_staff(snap) == pytest.approx(funded)
    assert management_visits_per_staff(snap) == pytest.approx(rule.visited / funded)


def test_funded_staff_raise_registration_against_the_status_quo() -> None:
    """Direction, common seeds: Zhengzhou, 1,000 households, 24 months, 4 paired seeds; the registration rate is
    read from households' states (not the policy's counter) and the mean paired gain must exceed 3 standard errors."""
    from urbanize.model import UrbanizationModel

    gains = []
    for seed in range(4):
        rates = {}
        for policies in ("status_quo", "management_capacity"):
            m = UrbanizationModel(city="zhengzhou", policies=policies, households=1000, rng=seed)
            m.run(24)
            rates[policies] = m.indicators()["registration_rate"].iloc[-1]
        gains.append(rates["management_capacity"] - rates["status_quo"])
    gains = np.array(gains)
    se = gains.std(ddof=1) / np.sqrt(gains.size)
    assert gains.mean() > 3 * se and gains.mean() > 0.05, (gains, se)
