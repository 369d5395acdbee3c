"""Tier 2 for the registration and hukou pilots: tiny hand-set worlds with exact expected outcomes.

Each test builds a small model, overwrites a few rows of ``model.pop`` and asks the policy (or the household
decision that consults it) about them. Where a decision draws, its coefficients are set so far out that the
outcome does not depend on the draw (logit 15: probability 1 - 3e-7).
"""

from __future__ import annotations

import numpy as np
import pytest
from policy_helpers import rows_of, small_model

from urbanize.agents import LocalFarmer, Migrant
from urbanize.model.enums import DistrictKind, HouseholdType, Job, Registration, Residence
from urbanize.policies.base import Transition
from urbanize.policies.farmers import OFFERED, new_town_districts
from urbanize.policies.registration import LINKED_SERVICES

RENTED_RULE = "rented_residence_hukou"


def _stable_renters(m, k: int = 2) -> np.ndarray:
    """``k`` migrant rows meeting the rented-residence rule with 3 years of contributions, aware of it."""
    pop = m.pop
    rows = rows_of(m, HouseholdType.MIGRANT, k)
    pop.reg[rows] = Registration.RESIDENCE_PERMIT
    pop.job[rows] = Job.FORMAL
    pop.residence[rows] = Residence.PRIVATE_RENTAL
    pop.residence_months[rows] = 24
    pop.contrib_months[rows] = 36
    m.awareness.of(RENTED_RULE)[rows] = True
    return rows


# --- rented_residence_hukou ---------------------------------------------------------------------------------
def test_rented_residence_rule_needs_n_successive_years_of_contributions() -> None:
    m = small_model(policies=RENTED_RULE)
    rows = _stable_renters(m)
    m.pop.contrib_months[rows[1]] = 35  # one month short of three years
    policy = m.policy_set.get(RENTED_RULE)
    assert policy.eligible(m, Transition.APPLY_HUKOU, rows).tolist() == [True, False]
    assert m.policy_set.eligible(Transition.APPLY_HUKOU, rows).tolist() == [True, False]
    # the status quo alone asks for an owned home: neither renter qualifies
    sq = m.policy_set.get("status_quo")
    assert sq.eligible(m, Transition.APPLY_HUKOU, rows).tolist() == [False, False]


def test_rented_residence_rule_contribution_years_is_a_parameter() -> None:
    m = small_model(policies=RENTED_RULE, policy_params={RENTED_RULE: {"contribution_years": 2}})
    rows = _stable_renters(m)
    m.pop.contrib_months[rows] = [24, 23]
    assert m.policy_set.get(RENTED_RULE).eligible(m, Transition.APPLY_HUKOU, rows).tolist() == [True, False]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("residence", Residence.URBAN_VILLAGE_RENTAL), True),
        (("residence", Residence.PUBLIC_RENTAL), True),
        (("residence", Residence.OWNED), True),
        (("residence", Residence.DORMITORY), False),  # an employer's dormitory is no stable residence
        (("job", Job.INFORMAL), False),  # a stable job is a formal contract
        (("job", Job.NONE), False),
        (("residence_months", 11), False),
        (("reg", Registration.REGISTERED), False),  # a residence permit comes first
    ],
)
def test_rented_residence_rule_conditions(change: tuple[str, object], expected: bool) -> None:
    m = small_model(policies=RENTED_RULE)
    rows = _stable_renters(m, 1)
    column, value = change
    m.pop.col(column)[rows] = value
    assert m.policy_set.get(RENTED_RULE).eligible(m, Transition.APPLY_HUKOU, rows).tolist() == [expected]


def test_rented_residence_rule_only_for_households_aware_of_it() -> None:
    m = small_model(policies=RENTED_RULE)
    rows = _stable_renters(m)
    m.awareness.of(RENTED_RULE)[rows[1]] = False
    assert m.policy_set.get(RENTED_RULE).eligible(m, Transition.APPLY_HUKOU, rows).tolist() == [True, False]
    assert m.policy_set.get(RENTED_RULE).eligible(m, Transition.REGISTER, rows) is None


def test_renter_applies_for_hukou_under_the_rented_rule_but_not_under_the_status_quo() -> None:
    for policies, expected in ((RENTED_RULE, [True, False]), ("status_quo", [False, False])):
        m = small_model(policies=policies, hukou_const=5.0, hukou_settle=10.0)
        if policies == "status_quo":
            rows = rows_of(m, HouseholdType.MIGRANT, 2)
            pop = m.pop
            pop.reg[rows], pop.job[rows], pop.residence[rows] = (
                Registration.RESIDENCE_PERMIT,
                Job.FORMAL,
                Residence.PRIVATE_RENTAL,
            )
            pop.residence_months[rows], pop.contrib_months[rows] = 24, [36, 35]
        else:
            rows = _stable_renters(m)
            m.pop.contrib_months[rows[1]] = 35
        pop = m.pop
        m.awareness.of("hukou")[rows] = True
        pop.intends_settle[rows], pop.land[rows] = True, False
        pop.wants_hukou[rows] = True  # both would transfer their hukou if eligible
        for _ in range(3):  # a monthly chance of expit(5) = 0.993 for an eligible one
            Migrant.decide_hukou_application(m, rows)
        assert (pop.reg[rows] == Registration.HUKOU_APPLICANT).tolist() == expected, policies


def test_extra_quota_raises_the_hukou_office_quota() -> None:
    base = small_model()
    more = small_model(policies=RENTED_RULE, policy_params={RENTED_RULE: {"extra_quota_per_year": 0.03}})
    assert more.hukou.quota_share == pytest.approx(base.hukou.quota_share + 0.03)


# --- linked_registration --------------------------------------------------------------------------------------
def test_linked_registration_opens_linked_services_to_registered_migrants() -> None:
    m = small_model(city="zhengzhou", policies="linked_registration")
    rows = rows_of(m, HouseholdType.MIGRANT, 5)
    states = [
        Registration.UNREGISTERED,
        Registration.REGISTERED,
        Registration.RESIDENCE_PERMIT,
        Registration.HUKOU_APPLICANT,
        Registration.UNREGISTERED,
    ]
    m.pop.reg[rows] = states
    m.pop.months_resident[rows] = 0  # new arrivals: the status quo opens no service to them
    policy = m.policy_set.get("linked_registration")
    for service in sorted(LINKED_SERVICES):
        assert policy.service_access(m, service, rows).tolist() == [False, True, True, True, False]
        assert m.policy_set.service_access(service, rows).tolist() == [False, True, True, True, False]
    assert policy.service_access(m, "public_rental", rows) is None
    assert policy.registration_incentive(m) > 0
    assert m.registration_benefit() == pytest.approx(1.0)
    assert small_model(city="zhengzhou").registration_benefit() == 0.0


def test_linked_registration_books_the_information_system_per_registered_household() -> None:
    m = small_model(city="zhengzhou", policies="linked_registration")
    pop = m.pop
    reg = pop.reg
    registered = (reg >= Registration.REGISTERED) & (reg <= Registration.HUKOU_APPLICANT)
    m.ledger.month.clear()
    m.policy_set.get("linked_registration").act(m)
    expected = 5.0 * float(pop.weight[registered].sum())
    assert expected > 0
    assert m.ledger.month[("registration", "city")] == pytest.approx(expected)


def test_linked_registration_makes_migrants_register_more() -> None:
    rates = {}
    for policies in ("status_quo", "linked_registration"):
        m = small_model(city="zhengzhou", policies=policies, households=1000, rng=3)
        m.run(12)
        rates[policies] = m.indicators()["registration_rate"].iloc[-1]
    assert rates["linked_registration"] > rates["status_quo"] + 0.03


# --- socialized_registration ------------------------------------------------------------------------------------
def test_employers_and_landlords_register_the_migrants_they_house() -> None:
    params = {"socialized_registration": {"employer_share": 1.0, "landlord_share": 0.0}}
    m = small_model(city="zhengzhou", policies="socialized_registration", policy_params=params)
    pop = m.pop
    rows = rows_of(m, HouseholdType.MIGRANT, 4)
    pop.reg[rows] = Registration.UNREGISTERED
    pop.residence[rows] = [
        Residence.DORMITORY,
        Residence.URBAN_VILLAGE_RENTAL,
        Residence.PRIVATE_RENTAL,
        Residence.OWNED,
    ]
    m.ledger.month.clear()
    m.policy_set.get("socialized_registration").act(m)
    assert (pop.reg[rows] == Registration.REGISTERED).tolist() == [True, False, False, False]
    assert m.cumulative["socialized_registrations"] > 0
    assert m.ledger.month[("registration", "city")] == pytest.approx(
        20.0 * m.cumulative["socialized_registrations"]
    )

    params = {"socialized_registration": {"employer_share": 0.0, "landlord_share": 1.0}}
    m = small_model(city="zhengzhou", policies="socialized_registration", policy_params=params)
    pop = m.pop
    pop.reg[rows] = Registration.UNREGISTERED
    pop.residence[rows] = [
        Residence.DORMITORY,
        Residence.URBAN_VILLAGE_RENTAL,
        Residence.PRIVATE_RENTAL,
        Residence.OWNED,
    ]
    m.policy_set.get("socialized_registration").act(m)
    assert (pop.reg[rows] == Registration.REGISTERED).tolist() == [False, True, True, False]
    assert not (pop.reg[pop.htype != HouseholdType.MIGRANT] == Registration.REGISTERED).any()


# --- farmer_hukou and villager_hukou ---------------------------------------------------------------------------
def _farmers(m, k: int) -> np.ndarray:
    rows = rows_of(m, HouseholdType.LOCAL_FARMER, k)
    m.pop.reg[rows] = Registration.LOCAL_RURAL_HUKOU
    return rows


def test_farmer_hukou_opens_conversion_to_farmers_who_still_farm() -> None:
    m = small_model(policies="farmer_hukou")
    rows = _farmers(m, 3)
    m.pop.land[rows] = [True, False, True]
    m.pop.reg[rows[2]] = Registration.LOCAL_URBAN_HUKOU  # already converted
    sq = m.policy_set.get("status_quo")
    assert sq.eligible(m, Transition.FARMER_CONVERSION, rows).tolist() == [False, True, False]
    fh = m.policy_set.get("farmer_hukou")
    assert fh.eligible(m, Transition.FARMER_CONVERSION, rows).tolist() == [True, True, False]
    assert fh.eligible(m, Transition.APPLY_HUKOU, rows) is None


def test_farmer_with_land_converts_only_under_farmer_hukou() -> None:
    for policies, expected in (("farmer_hukou", True), ("status_quo", False)):
        m = small_model(policies=policies, farmer_convert_const=5.0, hukou_land_tie=0.0)
        rows = _farmers(m, 1)
        m.pop.land[rows] = True
        m.awareness.of("hukou")[rows] = True
        LocalFarmer.decide_hukou_conversion(m, rows)
        assert bool(m.pop.hukou_urban[rows[0]]) is expected, policies


def test_villager_hukou_opens_conversion_in_model_towns_only() -> None:
    m = small_model(
        city="jinnan",
        policies="villager_hukou",
        policy_params={"villager_hukou": {"collective_offer": False}},
    )
    pop = m.pop
    rows = _farmers(m, 3)
    town = int(new_town_districts(m)[0])
    rural = next(d.index for d in m.profile.districts if d.kind is DistrictKind.RURAL_TOWNSHIP)
    pop.land[rows] = True
    pop.residence[rows] = [Residence.RESETTLEMENT, Residence.OWNED, Residence.OWNED]
    pop.district[rows] = [town, town, rural]
    vh = m.policy_set.get("villager_hukou")
    assert vh.eligible(m, Transition.FARMER_CONVERSION, rows).tolist() == [True, True, False]
    assert m.policy_set.eligible(Transition.FARMER_CONVERSION, rows).tolist() == [True, True, False]


def test_villager_hukou_offers_hukou_once_with_the_apartment() -> None:
    for offer_const, converts in ((15.0, True), (-15.0, False)):
        m = small_model(
            city="jinnan",
            policies="villager_hukou",
            policy_params={"villager_hukou": {"offer_const": offer_const}},
        )
        pop = m.pop
        rows = _farmers(m, 2)
        town = int(new_town_districts(m)[0])
        pop.land[rows] = False
        pop.district[rows] = town
        pop.residence[rows] = [Residence.RESETTLEMENT, Residence.OWNED]
        pop.col(OFFERED)[rows] = False
        m.policy_set.get("villager_hukou").act(m)
        assert pop.col(OFFERED)[rows].tolist() == [True, False]  # offered with a resettlement apartment only
        assert pop.hukou_urban[rows].tolist() == [converts, False]


# --- homestead_exchange -------------------------------------------------------------------------------------------
def test_homestead_exchange_moves_aware_farmers_into_model_town_apartments() -> None:
    params = {"homestead_exchange": {"exchange_const": 5.0, "exchange_landless": 10.0, "outreach": 0.0}}
    m = small_model(city="jinnan", policies="homestead_exchange", policy_params=params)
    pop = m.pop
    pop.homestead[:] = False
    rows = _farmers(m, 3)
    pop.homestead[rows] = True
    pop.land[rows] = False
    pop.set_counts(rows, elders=0)
    pop.residence[rows] = Residence.OWNED
    aware = m.awareness.of("homestead_exchange")
    aware[:] = False
    aware[rows[:2]] = True  # the third has not heard of the scheme
    uids = pop.uid[rows].copy()
    m.ledger.month.clear()
    m.policy_set.get("homestead_exchange").act(m)
    rows = pop.rows_of(uids)
    towns = new_town_districts(m)
    assert pop.residence[rows].tolist() == [Residence.RESETTLEMENT, Residence.RESETTLEMENT, Residence.OWNED]
    assert pop.homestead[rows].tolist() == [False, False, True]
    assert np.isin(pop.district[rows[:2]], towns).all()
    exchanged = rows[:2]
    persons = float((pop.persons()[exchanged] * pop.weight[exchanged]).sum())
    assert m.cumulative["homestead_exchanges"] == pytest.approx(persons)
    # the district books the apartments; the transfer rule passes part of it on to the province and the centre
    housing = sum(v for (sector, _), v in m.ledger.month.items() if sector == "housing")
    assert housing == pytest.approx(120_000.0 * pop.weight[exchanged].sum())
    assert m.ledger.month[("housing", "district")] == pytest.approx(0.8 * housing)
    m.collect()
    assert m.indicators()["homestead_exchanges"].iloc[-1] == pytest.approx(persons)


def test_homestead_exchanges_indicator_is_zero_without_the_policy() -> None:
    m = small_model(city="jinnan")
    m.run(3)
    assert (m.indicators()["homestead_exchanges"] == 0).all()


def test_policies_draw_only_from_the_model_generator() -> None:
    """Same seed, same policies: the same trajectory."""
    spec = "linked_registration,socialized_registration,rented_residence_hukou,farmer_hukou,homestead_exchange,villager_hukou"
    runs = [small_model(city="jinnan", policies=spec, rng=5).run(6).indicators() for _ in range(2)]
    assert runs[0].equals(runs[1])
