"""Yanta's coupons, city-life skills, health-project and assistance indicators; Jinnan's disability assistance and
exchanged villagers' training and jobs: hand-built worlds with exact outcomes."""

from __future__ import annotations

import numpy as np
import pytest
from service_helpers import make_migrant, services, tiny_world

from urbanize.agents import Migrant
from urbanize.model import UrbanizationModel
from urbanize.model.enums import HouseholdType, Job, Registration, Residence
from urbanize.model.indicators import registry
from urbanize.model.indicators.base import Snapshot
from urbanize.model.members import band_of
from urbanize.policies.base import Policy


def value(m: UrbanizationModel, name: str) -> float:
    return registry()[name].fn(Snapshot(m))


def set_persons(m: UrbanizationModel, row: int, people: list[tuple[int, float]]) -> None:
    """Household ``row`` holds exactly ``people``, (sex, age) pairs; the first is the head."""
    pop = m.pop
    pop.members[:, :, row] = 0
    for sex, age in people:
        pop.members[sex, int(band_of(age)), row] += 1
    pop.head_female[row] = bool(people[0][0])
    pop.head_age[row] = people[0][1]
    pop.sync_members(np.array([row]))


def city_life_world(places_per_1000_heads: float, **behaviour: float) -> tuple[UrbanizationModel, Policy]:
    """Yanta's tiny world with ``city_life_skills``: every target household is handed a coupon in January and
    attends while places last (``places_per_1000_heads`` of its 20 heads), and every attendee learns of every
    policy topic; ``behaviour``: behavioural parameters of the model."""
    m = tiny_world(
        city="yanta",
        policies="city_life_skills",
        policy_params={
            "city_life_skills": {
                "issue_share": 1.0,
                "attend_rate": 1.0,
                "learn_chance": 1.0,
                "places_per_1000_heads": places_per_1000_heads,
            }
        },
        **behaviour,
    )
    policy = m.policy_set.get("city_life_skills")
    assert policy is not None
    return m, policy


def test_city_life_coupons_go_to_migrants_and_farmers_and_teach_every_policy_topic() -> None:
    m, policy = city_life_world(1000.0)
    pop = m.pop
    make_migrant(m, [0, 1])
    pop.htype[2] = HouseholdType.LOCAL_FARMER
    pop.hukou_urban[2] = False
    m.awareness.matrix()[:] = False
    m.month = 12  # January 2010: coupons are issued
    policy.act(m)
    book = services(m).coupons
    assert book.count("issued", "city_life") == 3.0
    assert book.count("issued", "city_life", "migrant") == 2.0
    assert book.count("issued", "city_life", "local_farmer") == 1.0
    assert book.count("used", "city_life") == 3.0  # 20 places: all three attend at once
    assert m.awareness.matrix()[[0, 1, 2]].all() and not m.awareness.matrix()[3:].any()
    assert pop.city_life_coupon.sum() == 0 and (pop.city_life_month[[0, 1, 2]] == 12).all()
    assert book.take_up("city_life") == 1.0
    m.month = 13
    policy.act(m)  # nobody holds a coupon any more
    assert book.count("used", "city_life") == 0.0 and book.count("used", "city_life", cumulative=True) == 3.0


def test_city_life_places_limit_attendance_and_unused_coupons_lapse_in_january() -> None:
    m, policy = city_life_world(100.0)
    pop = m.pop
    make_migrant(m, np.arange(5))
    m.month = 12  # January 2010
    policy.act(m)  # 20 heads x 100/1000 = 2 places: two of the five attend
    assert services(m).coupons.count("used", "city_life") == 2.0
    assert pop.city_life_coupon.sum() == 3
    m.month = 24  # January 2011
    pop.city_life_month[:] = -1000
    policy.act(m)
    assert services(m).coupons.count("issued", "city_life") == 5.0  # last year's three lapsed; five new


def test_city_life_course_attendees_learn_of_registration_and_register_where_others_do_not() -> None:
    """The chain the city-wide effect rests on (issue 11): a course teaches the registration system, and a migrant
    aware of it registers more readily (``register_aware``). With the logit made sharp (unaware: log-odds -5,
    aware: +5) the five attendees among ten unregistered migrants register and the other five do not."""
    m, policy = city_life_world(250.0, register_const=-5.0, register_aware=10.0)
    pop = m.pop
    pop.head_age[:] = 70.0
    pop.head_age[:20] = 40.0  # 20 heads under 60: five places (the world's size and ages follow its seed)
    rows = np.arange(10)
    make_migrant(m, rows)
    pop.reg[rows] = Registration.UNREGISTERED
    m.awareness.matrix()[:] = False
    m.month = 12  # January 2010: coupons are issued
    policy.act(m)
    attended = np.flatnonzero(pop.city_life_month == 12)
    assert attended.size == 5 and m.awareness.of("registration")[attended].all()
    Migrant.decide_register(m, rows)
    registered = np.flatnonzero(pop.reg[rows] == Registration.REGISTERED)
    assert registered.tolist() == attended.tolist()


def test_training_coupons_are_recorded_as_courses_start() -> None:
    m = tiny_world(city="yanta", policies="training_coupons")
    pop, training = m.pop, services(m).training
    make_migrant(m, [0])
    pop.htype[1] = HouseholdType.LOCAL_FARMER
    pop.use_training[[0, 1, 2]] = 1
    pop.training_left[[0, 1, 2]] = training.course_months  # three courses start; row 2 is a local urban resident
    m.month = 1
    m.policy_set.get("training_coupons").act(m)
    book = services(m).coupons
    assert book.count("used", "training") == 2.0
    assert book.count("used", "training", "migrant") == 1.0 and book.count("used", "training", "local_farmer") == 1.0


def test_assistance_recipients_by_group_and_sex() -> None:
    m = tiny_world(city="yanta", policies="status_quo")
    pop = m.pop
    m.month = 5
    make_migrant(m, [0, 1])
    set_persons(m, 0, [(1, 30.0), (0, 32.0), (1, 5.0)])  # female head, migrant, interim aid
    set_persons(m, 1, [(0, 40.0)])  # male head, migrant, dibao
    pop.htype[2] = HouseholdType.LOCAL_FARMER
    set_persons(m, 2, [(1, 50.0), (1, 70.0)])  # female head, local farmer, interim aid
    pop.aid_month[:] = -1000
    pop.dibao[:] = 0
    pop.aid_month[[0, 2]] = 5
    pop.dibao[1] = 1
    assert value(m, "interim_aid_households_migrant_female_head") == 1.0
    assert value(m, "interim_aid_households_migrant_male_head") == 0.0
    assert value(m, "interim_aid_households_local_farmer_female_head") == 1.0
    assert value(m, "assistance_households_migrant_male_head") == 1.0
    assert value(m, "interim_aid_persons_female") == 4.0
    assert value(m, "interim_aid_persons_male") == 1.0
    assert value(m, "assistance_persons_male") == 2.0


def test_migrant_women_in_the_health_project() -> None:
    m = tiny_world(city="yanta", policies="new_citizen_health")
    make_migrant(m, [0, 1], months=12)
    set_persons(m, 0, [(1, 25.0), (1, 44.0), (1, 50.0), (0, 30.0)])  # two women 18-44, one over
    set_persons(m, 1, [(0, 30.0), (1, 12.0)])  # a girl: not of the age
    assert value(m, "health_project_migrant_women") == 2.0
    sq = tiny_world(city="yanta", policies="status_quo")
    assert value(sq, "health_project_migrant_women") == 0.0


def test_disability_allowance_reaches_local_disabled_persons_and_counts_dibao_households_as_assisted() -> None:
    m = tiny_world(
        city="jinnan", policies="disability_assistance", policy_params={"disability_assistance": {"take_up": 1.0}}
    )
    pop = m.pop
    pop.disabled[:] = 0
    pop.disability_aid[:] = 0
    pop.dibao[:] = 0
    make_migrant(m, [1])
    pop.disabled[[0, 1, 2]] = [2, 1, 1]
    pop.dibao[2] = 1
    pop.income[:] = 5000.0
    m.month = 1
    m.policy_set.get("disability_assistance").act(m)
    assert pop.disability_aid[[0, 1, 2]].tolist() == [2, 0, 1]  # the migrant: not open to migrants by default
    assert value(m, "disabled_assisted") == 3.0  # row 0's two, row 2 (dibao)
    assert value(m, "disabled_assisted_share") == pytest.approx(3 / 4)


def test_disability_is_drawn_from_its_own_generator() -> None:
    m = UrbanizationModel(city="jinnan", households=200, rng=4, agents="lazy")
    before = m.rng.bit_generator.state
    services(m).disability.draw(np.arange(50))
    services(m).disability.clip()
    assert m.rng.bit_generator.state == before
    assert (m.pop.disabled <= m.pop.persons()).all()


def test_exchanged_villagers_are_referred_to_training_and_placed_in_jobs() -> None:
    m = tiny_world(
        city="jinnan",
        policies="exchanged_villager_employment",
        policy_params={
            "exchanged_villager_employment": {"referral_rate": 1.0, "placement_rate": 1.0, "placement_formal_share": 1.0}
        },
    )
    pop = m.pop
    m.month = 10
    rows = [0, 1, 2]
    pop.residence[rows] = Residence.RESETTLEMENT
    pop.homestead[rows] = False
    pop.head_age[rows] = 40.0
    pop.job[rows] = Job.NONE
    pop.use_training[:] = 0
    pop.wait_training[:] = 0
    pop.trained_month[:] = -1000
    pop.trained_month[1] = 8  # trained two months ago, still jobless
    pop.homestead[3] = True  # row 3 kept its homestead: not served
    pop.job[3] = Job.NONE
    m.policy_set.get("exchanged_villager_employment").act(m)
    assert pop.wait_training[[0, 2]].tolist() == [1, 1] and pop.wait_training[3] == 0
    assert pop.job[1] == Job.FORMAL and pop.job[[0, 2]].tolist() == [Job.NONE, Job.NONE]
    access = m.policy_set.service_access("training", np.array([0, 3]))
    assert access.tolist() == [True, True]  # row 3 is a local: the status quo opens training to locals
    assert m.policy_set.get("exchanged_villager_employment").service_access(m, "training", np.array([0, 3])).tolist() == [
        True,
        False,
    ]


def test_reformed_communities_foster_organizations_whose_members_the_community_reaches() -> None:
    m = tiny_world(
        city="jinnan",
        policies="community_organizations",
        policy_params={"community_organizations": {"join_rate": 1.0, "elder_join_rate": 1.0, "outreach": 0.0}},
    )
    pop = m.pop
    pop.district[[0, 1]] = 2  # a new town
    pop.district[2] = 4  # a rural township
    set_persons(m, 1, [(0, 50.0), (1, 70.0)])  # an elder lives here: the elderly association
    m.month = 24  # every villagers' committee reformed
    policy = m.policy_set.get("community_organizations")
    policy.act(m)
    assert pop.org_member[:4].tolist() == [1, 0, 1, -1]  # row 3 lives in the urban core: no reform there
    from urbanize.model.services.social_security import reached_by_community

    assert reached_by_community(pop, np.arange(4)).tolist() == [True, True, True, False]
    assert value(m, "community_organization_members_elderly_association") == 1.0
    assert value(m, "community_organizations_count") == 1.0  # three members, 60 per organization
    pop.district[0] = 0  # moved to the urban core: leaves its organization
    policy.act(m)
    assert pop.org_member[0] == -1


def test_reform_share_follows_the_ramp() -> None:
    m = tiny_world(city="jinnan", policies="community_organizations")
    policy = m.policy_set.get("community_organizations")
    m.month = 6
    policy.act(m)
    assert value(m, "villager_committees_reformed_share") == pytest.approx(0.25)


def test_centre_desks_reach_every_town_household_once_the_centres_are_built() -> None:
    m = tiny_world(city="jinnan", policies="community_service_centres")
    pop = m.pop
    pop.district[[0, 1]] = [2, 4]
    m.month = 12  # the ramp is complete
    m.policy_set.get("community_service_centres").act(m)
    assert pop.community_reached[:3].tolist() == [True, True, False]
