"""Elderly care (model/services/elderly_care.py, policies/elderly_care.py): hand-built worlds with exact outcomes,
invariants, and the promise that the services change no other draw of a run."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from service_helpers import make_migrant, services, tiny_world

from urbanize.model import UrbanizationModel
from urbanize.model.enums import HouseholdType, Job
from urbanize.model.errors import UrbanizeError
from urbanize.model.members import band_of


def set_persons(m: UrbanizationModel, row: int, ages: list[float]) -> None:
    """Household ``row`` holds exactly the persons of ``ages`` (all women: sex plays no part here)."""
    pop = m.pop
    pop.members[:, :, row] = 0
    for age in ages:
        pop.members[1, int(band_of(age)), row] += 1
    pop.head_age[row] = max(a for a in ages if a >= 18)
    pop.head_female[row] = True
    pop.sync_members(np.array([row]))


def elder_world(policies: str = "status_quo") -> UrbanizationModel:
    """A tiny world of childless two-adult households, no elder, every elderly-care service empty and staffed."""
    m = tiny_world(policies=policies)
    for row in range(m.pop.n):
        set_persons(m, row, [40.0, 40.0])
    care = services(m).elderly
    m.pop.frail_elders[:] = 0
    for s in care.services:
        s.held[:] = 0
        s.waiting[:] = 0
        s.waiting_months[:] = 0
        s.set_capacity(0.0)
    care.market_carers = np.full(len(care.services), 1e6)  # staff is no limit unless a test says so
    return m


def run_care(m: UrbanizationModel, *, progress: bool = False) -> None:
    """One assessment and allocation of the three services (dependency frozen unless ``progress``)."""
    care = services(m).elderly
    svc = services(m)
    svc.refresh_access()
    if progress:
        care.progress()
    care.staff()
    from urbanize.model.services import all_rows

    rows = all_rows(m.pop.n)
    for s in care.services:
        s.apply(np.asarray(m.policy_set.service_access(s.name, rows), dtype=bool))
    care.allocate()


def test_home_support_is_needed_by_elders_over_70_without_a_working_age_adult() -> None:
    m = elder_world()
    set_persons(m, 0, [75.0])  # alone, 75: needs support
    set_persons(m, 1, [75.0, 82.0])  # an old couple: both
    set_persons(m, 2, [45.0, 75.0])  # lives with a working-age adult: the family helps
    set_persons(m, 3, [65.0])  # alone but under 70
    need = services(m).elderly.home_support.need_all()
    assert need[:5].tolist() == [1, 2, 0, 0, 0]


def test_day_care_two_beds_three_elders_longest_waiting_first_migrants_excluded_under_the_status_quo() -> None:
    m = elder_world()
    pop, day = m.pop, services(m).elderly.day_care
    rows = [0, 1, 2]
    for r in rows:
        set_persons(m, r, [45.0, 72.0])
    pop.frail_elders[rows] = 1
    make_migrant(m, [2], months=36)
    day.waiting_months[rows] = [1, 6, 9]  # the migrant waited longest
    day.set_capacity(np.array([1.0, 0, 0, 0, 0]))
    run_care(m)
    assert day.held[rows].tolist() == [0, 1, 0]  # one bed: the local who waited longest
    assert day.waiting[rows].tolist() == [1, 0, 0]  # the migrant has no access: not even queued
    assert day.used_after.sum() == 1.0


def test_day_care_policy_opens_beds_to_migrants_elders() -> None:
    m = elder_world(policies="elderly_day_care")
    pop, day = m.pop, services(m).elderly.day_care
    set_persons(m, 2, [45.0, 72.0])
    pop.frail_elders[2] = 1
    make_migrant(m, [2], months=36)
    day.set_capacity(np.array([1.0, 0, 0, 0, 0]))
    run_care(m)
    assert day.held[2] == 1


def test_care_home_fee_net_of_the_operating_subsidy_decides_who_can_seek_a_bed() -> None:
    """Fee 1,000 yuan; at most 80 % of income: 1,300 yuan pays it (1,040), 1,200 (960) only with 300 subsidy."""
    for subsidy, expected in ((0.0, [1, 0, 0]), (300.0, [1, 1, 0])):
        m = elder_world()
        pop, care = m.pop, services(m).elderly
        care.seek_rate = 1.0  # every eligible household seeks at once
        care.fee_subsidy = subsidy
        rows = [0, 1, 2]
        for r in rows:
            set_persons(m, r, [78.0])
        pop.frail_elders[rows] = 1
        pop.income[rows] = [1300.0, 1200.0, 800.0]
        care.care_home.set_capacity(10.0)
        run_care(m)
        assert care.care_home.held[rows].tolist() == expected, subsidy


def test_a_care_home_bed_is_kept_while_the_elder_is_ill_and_the_fee_affordable() -> None:
    m = elder_world()
    pop, care = m.pop, services(m).elderly
    care.seek_rate = 1.0
    set_persons(m, 0, [78.0])
    pop.frail_elders[0] = 1
    pop.income[0] = 2000.0
    care.care_home.set_capacity(10.0)
    run_care(m)
    assert care.care_home.held[0] == 1
    care.seek_rate = 0.0  # keeping a bed needs no new decision to seek
    run_care(m)
    assert care.care_home.held[0] == 1
    pop.income[0] = 500.0  # can no longer pay: the bed is given up
    run_care(m)
    assert care.care_home.held[0] == 0


def test_unstaffed_beds_stay_closed_until_carers_are_hired() -> None:
    """10 day-care beds need 10/8 carers; with half of them, 5 beds are open."""
    m = elder_world()
    pop, care = m.pop, services(m).elderly
    day = care.day_care
    rows = np.arange(8)
    for r in rows:
        set_persons(m, int(r), [45.0, 72.0])
    pop.frail_elders[rows] = 1
    day.set_capacity(np.array([10.0, 0, 0, 0, 0]))
    care.hire_rate = 0.0
    care.market_carers = np.array([0.0, 10.0 / 8 / 2, 0.0])
    run_care(m)
    assert day.open_capacity[0] == pytest.approx(5.0)
    assert int(day.held[rows].sum()) == 5
    care.market_carers = np.array([0.0, 10.0 / 8, 0.0])
    run_care(m)
    assert int(day.held[rows].sum()) == 8


def test_training_hires_a_farmer_or_migrant_head_as_a_carer_after_the_course() -> None:
    m = elder_world(policies="elderly_care_training")
    pop, care = m.pop, services(m).elderly
    pop.htype[3] = HouseholdType.LOCAL_FARMER
    pop.job[3] = Job.INFORMAL
    pop.head_age[3] = 35.0
    pop.set_counts(slice(None), elders=0)
    pop.set_counts(0, elders=1000)  # 1,000 real elders: one course start a month at most
    care.market_carers = np.zeros(3)
    care.day_care.set_capacity(np.array([8.0, 0, 0, 0, 0]))  # one carer needed
    policy = m.policy_set.get("elderly_care_training")
    m.month = 1
    policy.act(m)
    assert pop.carer_course_left[3] == 3 and pop.carer[3] == -1
    for month in (2, 3, 4):
        m.month = month
        policy.act(m)
    assert pop.carer[3] == 1 and pop.job[3] == Job.FORMAL  # hired by day care, the service lacking carers
    assert care.carers_by_service()[1] == 1.0 and care.vacancies() == 0.0


@pytest.mark.parametrize(
    ("policy", "params", "fragment"),
    [
        ("elderly_day_care", {"per_1000_elders": -1.0}, "per_1000_elders"),
        ("elderly_home_support", {"ramp_months": 0}, "ramp_months"),
        ("elderly_care_subsidy", {"build_rate": 2.0}, "build_rate"),
        ("elderly_care_subsidy", {"fee": 3.0}, "fee"),
        ("elderly_care_training", {"course_months": 0}, "course_months"),
    ],
)
def test_bad_elderly_care_parameters_fail_with_one_line(policy: str, params: dict, fragment: str) -> None:
    with pytest.raises(UrbanizeError) as err:
        UrbanizationModel(city="yanta", policies=policy, households=100, policy_params={policy: params})
    assert fragment in str(err.value) and "\n" not in str(err.value)


def test_elderly_care_draws_nothing_from_the_model_generator() -> None:
    m = UrbanizationModel(city="yanta", households=300, rng=3, agents="lazy").run(2)
    care = services(m).elderly
    before = m.rng.bit_generator.state
    care.apply()
    care.allocate()
    care.on_arrival(np.arange(10))
    assert m.rng.bit_generator.state == before


@settings(max_examples=8, deadline=None)
@given(seed=st.integers(0, 10_000), months=st.integers(1, 8))
def test_invariants_ill_elders_within_elders_use_and_queue_within_need_capacity_kept(seed: int, months: int) -> None:
    m = UrbanizationModel(
        city="changshu",
        policies="status_quo,elderly_day_care,elderly_home_support,elderly_care_subsidy",
        households=200,
        rng=seed,
        agents="lazy",
    ).run(months)
    pop, care = m.pop, services(m).elderly
    assert (pop.frail_elders >= 0).all() and (pop.frail_elders <= pop.elders).all()
    care.seek_rate = 0.0  # the care home's need is then what its holders and queue may keep, without new draws
    for s in care.services:
        assert (s.held.astype(int) + s.waiting <= s.need_all()).all(), s.name
        assert (s.used() <= s.capacity + 1e-6).all()
        assert (s.open_capacity <= s.capacity + 1e-9).all()
    assert care.served() <= float((pop.elders * pop.weight).sum()) + 1e-6
