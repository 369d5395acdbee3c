"""Tier 2: tiny hand-built worlds with exact expected allocations (one service, a few households)."""

from __future__ import annotations

import numpy as np
from service_helpers import make_migrant, run_service, services, tiny_world

from urbanize.model.enums import HouseholdType, Job, Residence


def test_two_flats_three_applicants_priority_rule_decides() -> None:
    """public_rental_housing: low-income locals first, then graduates, then migrants; 2 flats, 3 applicants."""
    m = tiny_world(policies="public_rental_housing")
    pop, flats = m.pop, services(m).public_rental
    migrant, graduate, poor_local = 0, 1, 2
    pop.residence[[migrant, graduate, poor_local]] = Residence.PRIVATE_RENTAL
    make_migrant(m, [migrant], months=36)
    pop.income[migrant] = 1500.0  # under the need line of 1,200 yuan per adult (2 adults)
    pop.graduate[graduate] = True
    pop.head_age[graduate] = 24.0
    pop.income[graduate] = 6000.0
    pop.income[poor_local] = 1400.0  # 700 yuan/person: under the local income line
    flats.waiting_months[[migrant, graduate, poor_local]] = [9, 3, 0]  # the migrant waited longest
    flats.set_capacity(np.array([2.0, 0, 0, 0, 0]))
    run_service(m, "public_rental")
    assert flats.held[[poor_local, graduate, migrant]].tolist() == [1, 1, 0]
    assert flats.waiting[migrant] == 1
    assert pop.residence[poor_local] == Residence.PUBLIC_RENTAL
    assert pop.residence[migrant] == Residence.PRIVATE_RENTAL
    assert flats.used_after.sum() == 2.0


def test_default_rule_serves_the_longest_waiting_first() -> None:
    m = tiny_world()
    pop, flats = m.pop, services(m).public_rental
    rows = [3, 4, 5]
    pop.htype[rows] = HouseholdType.URBAN_POOR  # status quo: the urban poor may rent public flats
    pop.residence[rows] = Residence.PRIVATE_RENTAL
    pop.income[rows] = 1000.0
    flats.waiting_months[rows] = [1, 7, 4]
    flats.set_capacity(np.array([1.0, 0, 0, 0, 0]))
    run_service(m, "public_rental")
    assert flats.held[rows].tolist() == [0, 1, 0]
    assert flats.waiting[rows].tolist() == [1, 0, 1]
    assert flats.waiting_months[rows].tolist() == [2, 0, 5]  # the queue ages a month at each assessment


def test_hukou_children_fill_classes_beyond_the_norm_migrants_only_planned_seats() -> None:
    """One class (norm 45, physical limit 100): hukou holders' children are placed up to 100 pupils,
    migrant children only into planned seats."""
    m = tiny_world()
    pop, school = m.pop, services(m).primary
    local, migrant = 0, 1
    make_migrant(m, [migrant], months=36)  # status quo: open seats after a year
    pop.set_counts([local, migrant], kids_6_11=1)
    pop.weight[[local, migrant]] = [50.0, 5.0]  # 50 hukou pupils, 5 migrant pupils
    classes = np.zeros(5)
    classes[0] = 1.0
    school.set_classes(classes)
    run_service(m, "primary_school")
    assert school.held[local] == 1 and school.held[migrant] == 0  # 50 pupils > 45 planned: no open seat
    assert school.waiting[migrant] == 1
    assert school.used_after[0] == 50.0 <= school.capacity[0]


def test_partial_admission_one_seat_for_two_children() -> None:
    """A family with two children and one seat left gets one seat and waits for the other."""
    m = tiny_world()
    pop, school = m.pop, services(m).primary
    pop.set_counts(0, kids_6_11=2)
    pop.weight[0] = 10.0  # two children each standing for 10 real children: 20 real seats needed
    classes = np.zeros(5)
    classes[0] = 0.15  # 15 real seats at the physical limit of 100 per class
    school.set_classes(classes)
    run_service(m, "primary_school")
    assert school.held[0] == 1 and school.waiting[0] == 1
    assert school.held[0] + school.waiting[0] <= pop.kids_6_11[0]
    assert school.used_after[0] <= school.capacity[0] + 1e-9


def test_no_access_no_queue_counted_as_excluded() -> None:
    m = tiny_world()
    pop, health = m.pop, services(m).child_health
    make_migrant(m, [0], months=3)  # status quo: migrants without a residence permit have no profile access
    pop.set_counts(0, kids_0_2=1)
    health.set_capacity(np.full(5, 100.0))
    run_service(m, "child_health")
    assert health.held[0] == 0 and health.waiting[0] == 0
    assert health.excluded_demand() == 1.0


def test_released_units_when_need_ends() -> None:
    m = tiny_world()
    pop, school = m.pop, services(m).primary
    pop.set_counts(0, kids_6_11=1)
    school.set_classes(np.array([1.0, 0, 0, 0, 0]))
    run_service(m, "primary_school")
    assert school.held[0] == 1
    pop.set_counts(0, kids_6_11=0)
    pop.set_counts(0, kids_12_14=1)  # the child moved up to junior middle school
    run_service(m, "primary_school")
    assert school.held[0] == 0 and school.waiting[0] == 0


def test_training_course_raises_skill() -> None:
    m = tiny_world()
    pop, training = m.pop, services(m).training
    training.success = 1.0
    pop.skill[0] = 0
    training.waiting[0] = 1  # queued last month
    training.set_capacity(5.0)
    run_service(m, "training")
    assert training.held[0] == 1 and pop.training_left[0] == training.course_months
    for _ in range(training.course_months):
        training.progress()
    assert training.held[0] == 0 and pop.skill[0] == 1 and pop.trained_month[0] == m.month


def test_dibao_tops_up_to_the_line_and_migrants_get_none_under_the_status_quo() -> None:
    m = tiny_world(city="yanta")
    pop, svc = m.pop, services(m)
    dibao = svc.dibao
    dibao.take_up = 1.0
    pop.income[[0, 1]] = 200.0  # 2 adults: 100 yuan/person, below the 300 yuan line
    make_migrant(m, [1])
    svc.refresh_access()
    dibao.apply(svc.access("dibao"))
    assert pop.dibao[0] == 1 and pop.dibao_amount[0] == (dibao.line_urban - 100.0) * 2
    assert pop.dibao[1] == 0
    assert dibao.recipients == 1.0


def test_job_column_is_untouched_by_services() -> None:
    m = tiny_world()
    before = m.pop.job.copy()
    services(m).apply()
    services(m).allocate()
    assert (m.pop.job == before).all()
    assert (before == Job.FORMAL).all()


def test_adding_planned_school_seats_adds_exactly_those_seats_where_classes_run_above_the_norm() -> None:
    # a district that admits up to 50 a class (Zhengzhou started above its norm of 45): 90 planned seats asked for
    # are 1.8 such classes, with 180 seats at the physical limit of 100; counted at the norm they were 2 classes and
    # 100 planned seats
    m = tiny_world(city="zhengzhou")
    school = services(m).primary
    assert school.norm == 45.0 and school.max_class == 100.0
    school.open_size = np.full(school.classes.size, 50.0)
    school.set_classes(np.zeros(school.classes.size))
    school.add_capacity(np.array([90.0, 0, 0, 0, 0])[: school.classes.size])
    assert school.open_capacity[0] == 90.0
    assert school.classes[0] == 1.8
    assert school.capacity[0] == 180.0
