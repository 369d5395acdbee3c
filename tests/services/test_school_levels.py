"""Pre-school and senior middle school (model/services/levels.py) and their policies (policies/school_levels.py):
tiny hand-built worlds with exact outcomes, and the spending booked by the pupil's hukou."""

from __future__ import annotations

import numpy as np
import pytest
from service_helpers import make_migrant, run_service, services, tiny_world

from urbanize.model import UrbanizationModel
from urbanize.model.services.levels import level_choice


def _world(policies: str = "status_quo") -> UrbanizationModel:
    """The services' tiny world, every family at the median taste for paying school fees."""
    m = tiny_world(policies=policies)
    m.pop.school_taste[:] = 0.5
    return m


def _kids(m: UrbanizationModel, row: int, band: str, count: int = 1) -> None:
    m.pop.set_counts(row, **{band: count})


def test_kindergarten_admits_local_children_first_then_the_longest_waiting() -> None:
    m = _world()
    svc = services(m)
    make_migrant(m, [1, 2])
    for row in (0, 1, 2):
        _kids(m, row, "kids_3_5")
    m.pop.waitm_kindergarten[1] = 5
    m.pop.waitm_kindergarten[2] = 1
    svc.kindergarten.set_capacity(np.array([2.0, 0, 0, 0, 0]))
    level_choice(svc)
    assert m.pop.pays_preschool[[0, 1, 2]].all()  # income 5,000: the 200 yuan fee is well within the tolerance of 400
    run_service(m, "kindergarten")
    assert list(svc.kindergarten.held[[0, 1, 2]]) == [1, 1, 0]  # the local child, then the migrant who waited 5


def test_equal_admission_of_preschool_expansion_drops_the_local_priority() -> None:
    m = _world("status_quo,preschool_expansion")
    svc = services(m)
    make_migrant(m, [1])
    _kids(m, 0, "kids_3_5")
    _kids(m, 1, "kids_3_5")
    m.pop.waitm_kindergarten[1] = 3
    svc.kindergarten.set_capacity(np.array([1.0, 0, 0, 0, 0]))
    level_choice(svc)
    run_service(m, "kindergarten")
    assert list(svc.kindergarten.held[[0, 1]]) == [0, 1]


def test_the_kindergarten_fee_decides_take_up_and_the_subsidy_lowers_it() -> None:
    # median taste: tolerance 8 % of 2,000 = 160 yuan a month; the fee of 200 is above it, 200 - 50 below it
    m = _world()
    svc = services(m)
    m.pop.income[0] = 2000.0
    m.pop.school_taste[0] = 0.5
    _kids(m, 0, "kids_3_5")
    level_choice(svc)
    assert not m.pop.pays_preschool[0]
    svc.kindergarten.subsidy = 50.0
    level_choice(svc)
    assert m.pop.pays_preschool[0]
    # the compulsory fees a non-hukou family pays come off its tolerance first: 160 - 83.3 < 150
    make_migrant(m, [0])
    _kids(m, 0, "kids_6_11")
    m.pop.use_primary_school[0] = 1
    level_choice(svc)
    assert not m.pop.pays_preschool[0]


def test_senior_middle_is_closed_by_the_gaokao_rule_until_the_opening_policy() -> None:
    for policies, seeks in (("status_quo", False), ("status_quo,senior_middle_opening", True)):
        m = _world(policies)
        svc = services(m)
        make_migrant(m, [0], months=48)
        _kids(m, 0, "kids_15_17")
        m.pop.away_taste[0] = 0.2  # below gaokao_away_share (0.5): studies where the gaokao is taken
        level_choice(svc)
        assert bool(m.pop.pays_senior[0]) is seeks
        assert bool(m.pop.exam_here[0]) is seeks
    # without the away taste, the status quo admits the non-hukou pupil only after the examination candidates
    m = _world()
    svc = services(m)
    make_migrant(m, [1], months=48)
    _kids(m, 0, "kids_15_17")
    _kids(m, 1, "kids_15_17")
    m.pop.away_taste[1] = 0.9
    m.pop.waitm_senior_school[1] = 6
    svc.senior.set_classes(np.array([1.0 / svc.senior.open_size[0], 0, 0, 0, 0]))  # one planned seat
    level_choice(svc)
    run_service(m, "senior_school")
    assert list(svc.senior.held[[0, 1]]) == [1, 0]


def test_senior_fees_charge_the_borrowing_fee_only_to_pupils_who_may_not_sit_the_exam() -> None:
    m = _world()
    svc = services(m)
    b = m.behaviour
    make_migrant(m, [1])
    for row in (0, 1):
        _kids(m, row, "kids_15_17")
    m.pop.away_taste[1] = 0.9
    m.pop.income[:] = 20_000.0
    svc.senior.set_classes(np.array([1.0, 0, 0, 0, 0]))
    level_choice(svc)
    run_service(m, "senior_school")
    assert list(svc.senior.held[[0, 1]]) == [1, 1]
    assert svc.senior.fees() == pytest.approx(2 * b.senior_tuition + b.senior_fee_nonlocal)
    assert svc.senior.cost() == pytest.approx(2 * svc.senior.unit_cost)


def test_spending_is_booked_by_the_pupils_hukou_and_adds_up_to_the_schools_costs() -> None:
    m = _world()
    svc = services(m)
    make_migrant(m, [1])
    for row in (0, 1):
        _kids(m, row, "kids_3_5")
        _kids(m, row, "kids_15_17")
    m.pop.away_taste[1] = 0.9
    svc.kindergarten.subsidy = 30.0
    svc.kindergarten.set_capacity(np.array([5.0, 0, 0, 0, 0]))
    svc.senior.set_classes(np.array([1.0, 0, 0, 0, 0]))
    level_choice(svc)
    for name in ("kindergarten", "senior_school"):
        run_service(m, name)
    local, nonlocal_ = svc.education_split()
    per_pupil = svc.kindergarten.unit_cost + 30.0 + svc.senior.unit_cost
    assert nonlocal_ == pytest.approx(per_pupil)
    assert local == pytest.approx(per_pupil)
    costs = sum(s.cost() for s in (svc.primary, svc.junior, svc.private, svc.kindergarten, svc.senior))
    assert local + nonlocal_ == pytest.approx(costs)
    svc.book()
    m.ledger.close_month()
    assert m.ledger.spend("education") == pytest.approx(costs)
    # one non-hukou family with two children of 3-17: yuan a year per child
    assert svc.education_per_migrant_child() == pytest.approx(12 * per_pupil / 2)


def test_the_status_quo_starts_with_both_levels_and_the_indicators_are_shares() -> None:
    m = UrbanizationModel(city="zhengzhou", policies="status_quo", households=600, rng=3, agents="lazy").run(2)
    df = m.indicators()
    row = df.iloc[0]
    assert 0 < row["preschool_enrolment_rate_migrant"] < row["preschool_enrolment_rate_local"] < 1
    assert 0 <= row["senior_enrolment_rate_migrant"] < row["senior_enrolment_rate_local"] < 1
    assert row["avg_class_size_senior"] == pytest.approx(60.0)  # the city file's starting senior class size
    assert row["education_spend_per_migrant_child_increase"] == 0.0
    assert (df["education_spend_per_migrant_child"] > 0).all()


def test_private_kindergartens_open_places_for_queued_children_and_public_places_stay() -> None:
    """The defect: kindergarten places were fixed at the start, so the queue grew every year (94,000 children in
    Zhengzhou by year 10) and migrant enrolment fell while the nation's rose."""
    m = _world()
    kg = services(m).kindergarten
    kg.set_capacity(np.array([10.0, 0, 0, 0, 0]))
    kg.private = np.array([4.0, 0, 0, 0, 0])  # 6 public places, 4 private ones
    kg.slack = 0.0
    kg.held[:] = 0
    kg.held[0] = 10  # one family (weight 1) fills the ten places
    kg.waiting[:] = 0
    kg.waiting[1] = 30  # 30 children of a paying family queue in district 0
    assert m.pop.district[1] == 0
    kg.adjust()
    # private places move a third of the way to the demand the public places leave: 40 - 6 = 34
    assert kg.private[0] == pytest.approx(4 + (34 - 4) / 3)
    assert kg.capacity[0] - kg.private[0] == pytest.approx(6.0)  # public places unchanged
    kg.waiting[1] = 0
    kg.held[0] = 0
    for _ in range(60):
        kg.adjust()  # nobody enrolled or queued: the private places close, the public ones stay
    assert kg.private[0] == pytest.approx(0.0, abs=1e-6)
    assert kg.capacity[0] == pytest.approx(6.0)


def test_preschool_enrolment_does_not_fall_behind_a_growing_queue() -> None:
    """Zhengzhou status quo, ten years: the queue stays a small share of the children 3-5 (with fixed places it grew
    to about a third of them) and migrant enrolment does not fall (it fell from 0.32 to 0.22)."""
    m = UrbanizationModel(city="zhengzhou", households=1000, rng=2, agents="lazy").run(120)
    df = m.indicators()
    annual = df.groupby(df["date"].dt.year).mean(numeric_only=True)
    assert annual["preschool_enrolment_rate_migrant"].iloc[-1] >= annual["preschool_enrolment_rate_migrant"].iloc[0]
    pop, kg = m.pop, m.services.kindergarten
    children = float((pop.kids_3_5 * pop.weight).sum())
    assert float((kg.waiting * pop.weight).sum()) < 0.1 * children
