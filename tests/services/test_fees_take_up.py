"""Fees and take-up change behaviour (model/services/take_up.py): hand-built families with exact outcomes, the
tolerance's invariants, the employee-pension lapse, and the direction of exemptions and free profiles."""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from service_helpers import make_migrant, run_service, services, tiny_world

from urbanize.model import UrbanizationModel
from urbanize.model.enums import HouseholdType, Job, Registration
from urbanize.model.members import FEMALE, MALE
from urbanize.model.retirement import PENSION_EMPLOYEE, PENSION_NONE
from urbanize.model.services.take_up import fee_tolerance, health_take_up, school_choice

PRIMARY_BAND = 2


def _family(m: UrbanizationModel, row: int, income: float, taste: float, kids: int = 1) -> None:
    """A migrant family at ``row`` with ``kids`` children of primary age (in the members matrix) and no others."""
    pop = m.pop
    make_migrant(m, [row])
    for band in range(5):
        for sex in (MALE, FEMALE):
            pop.members[sex, band, row] = 0
    pop.add_persons(np.array([row]), MALE, PRIMARY_BAND, kids)
    pop.income[row] = income
    pop.school_taste[row] = taste


def test_tolerance_is_the_documented_log_logistic_quantile() -> None:
    m = tiny_world()
    b = m.behaviour
    _family(m, 0, 2000.0, 0.5)
    _family(m, 1, 2000.0, 0.2)
    expected_1 = 2000.0 * b.school_fee_share * 4.0 ** (1.0 / b.school_fee_steepness)
    assert fee_tolerance(m, np.array([0, 1])) == pytest.approx([2000.0 * b.school_fee_share, expected_1])


def test_a_family_whose_public_fee_exceeds_its_tolerance_chooses_the_private_school_and_exemption_flips_it() -> (
    None
):
    # tolerance at the median taste: 8 % of 1,000 = 80 yuan/month; the public fee (83.3) is above it, the private
    # tuition (66.7) below it
    m = tiny_world()
    svc = services(m)
    _family(m, 0, 1000.0, 0.5)
    school_choice(svc)
    assert not m.pop.pays_public[0] and m.pop.pays_private[0]
    svc.primary.set_classes(np.array([1.0, 0, 0, 0, 0]))
    run_service(m, "primary_school")
    assert svc.primary.held[0] == 0 and svc.primary.waiting[0] == 0  # does not seek the public seat
    svc.private.set_capacity(np.array([5.0, 0, 0, 0, 0]))
    run_service(m, "private_migrant_school")
    assert svc.private.held[0] == 1
    # a tuition exemption (the migrant_education policy sets the fee to 0): the family now takes the public seat
    svc.primary.fee_nonlocal = 0.0
    school_choice(svc)
    assert m.pop.pays_public[0]
    run_service(m, "primary_school")
    assert svc.primary.held[0] == 1


def test_migrant_education_exemption_sets_the_fee_the_rule_reads() -> None:
    on = tiny_world(policies="status_quo,migrant_education")
    off = tiny_world(
        policies="status_quo,migrant_education",
        policy_params={"migrant_education": {"tuition_exemption": False}},
    )
    for m, pays in ((on, True), (off, False)):
        _family(m, 0, 1000.0, 0.5)
        school_choice(services(m))
        assert bool(m.pop.pays_public[0]) is pays


def test_a_family_that_can_pay_no_school_keeps_the_child_home_then_sends_it_to_the_origin() -> None:
    m = tiny_world(left_behind_rate=1.0)
    svc = services(m)
    _family(m, 0, 500.0, 0.5, kids=2)  # tolerance 40 yuan; two pupils cost 167 public, 133 private
    _family(m, 1, 500.0, 0.5, kids=2)
    svc.private.held[1] = 2  # already in a private school: keeps the places, keeps the children here
    school_choice(svc)
    assert not m.pop.pays_public[0] and not m.pop.pays_private[0]
    assert m.pop.kids_6_11[0] == 0 and m.pop.members[:, PRIMARY_BAND, 0].sum() == 0
    assert svc.sent_home == pytest.approx(2.0)
    assert m.pop.kids_6_11[1] == 2
    svc.private.set_capacity(np.array([5.0, 0, 0, 0, 0]))
    run_service(m, "private_migrant_school")
    assert svc.private.held[1] == 2


def test_without_left_behind_the_unpaying_family_stays_unschooled() -> None:
    m = tiny_world(left_behind_rate=0.0)
    svc = services(m)
    _family(m, 0, 500.0, 0.5, kids=2)
    school_choice(svc)
    svc.private.set_capacity(np.array([5.0, 0, 0, 0, 0]))
    run_service(m, "private_migrant_school")
    svc.update_unschooled()
    assert m.pop.unschooled[0] == 2 and svc.private.held[0] == 0


def test_hukou_holders_children_are_always_sent_to_public_school() -> None:
    m = tiny_world()
    pop = m.pop
    pop.add_persons(np.array([3]), FEMALE, PRIMARY_BAND, 3)
    pop.income[3] = 0.0
    school_choice(services(m))
    assert pop.pays_public[3]


@settings(max_examples=60, deadline=None)
@given(
    income=st.floats(0.0, 50_000.0),
    taste=st.floats(0.001, 0.999),
    fee=st.floats(0.0, 500.0),
    extra=st.floats(0.0, 500.0),
    share=st.floats(0.001, 1.0),
    steepness=st.floats(0.1, 20.0),
)
def test_tolerance_invariants(
    income: float, taste: float, fee: float, extra: float, share: float, steepness: float
) -> None:
    """Free schooling is always paid; a family that pays a fee pays any lower one, and pays it with more income."""
    m = _shared_world()
    object.__setattr__(m.behaviour, "school_fee_share", share)
    object.__setattr__(m.behaviour, "school_fee_steepness", steepness)
    m.pop.income[0], m.pop.income[1] = income, income + extra
    m.pop.school_taste[[0, 1]] = taste
    tol = fee_tolerance(m, np.array([0, 1]))
    assert tol[0] >= 0.0 and tol[1] >= tol[0]
    if fee + extra <= tol[0]:
        assert fee <= tol[0]


@cache
def _shared_world() -> UrbanizationModel:
    return tiny_world()


def test_health_take_up_follows_the_logit_and_a_free_profile_flips_it() -> None:
    # informed (registered), three years here: logit -0.8 + 1.5 + 1.5 = 2.2; a fee of 2 % of income takes 2.0
    # off: chance 0.55, below the taste 0.6; free: chance 0.90, above it
    m = tiny_world()
    pop = m.pop
    make_migrant(m, [0, 1], months=36)
    pop.income[[0, 1]] = 1000.0
    pop.health_taste[[0, 1]] = [0.6, 0.5]
    access = np.zeros(pop.n, dtype=bool)
    access[[0, 1]] = True
    assert health_take_up(m, 20.0, access)[[0, 1]].tolist() == [False, True]
    assert health_take_up(m, 0.0, access)[[0, 1]].tolist() == [True, True]
    # not informed and new in the city: logit -0.8, chance 0.31 even when free
    pop.reg[0] = Registration.UNREGISTERED
    pop.months_resident[0] = 0
    pop.health_taste[0] = 0.4
    assert not health_take_up(m, 0.0, access)[0]
    # no access, no take-up, whatever the taste
    access[1] = False
    assert not health_take_up(m, 0.0, access)[1]


def test_a_household_that_does_not_take_up_does_not_queue_for_a_profile() -> None:
    m = tiny_world(
        policies="status_quo,maternal_child_health",
        policy_params={"maternal_child_health": {"free_profiles": False}},
    )
    svc = services(m)
    pop = m.pop
    make_migrant(m, [0], months=36)
    pop.reg[0] = Registration.RESIDENCE_PERMIT
    pop.income[0] = 1000.0
    pop.health_taste[0] = 0.6
    pop.add_persons(np.array([0]), MALE, 0, 1)
    svc.child_health.set_capacity(np.array([5.0, 0, 0, 0, 0]))
    svc.apply()
    svc.allocate()
    assert svc.child_health.held[0] == 0 and svc.child_health.waiting[0] == 0
    svc.child_health.fee_nonlocal = 0.0  # what free_profiles sets
    svc.apply()
    svc.allocate()
    assert svc.child_health.held[0] == 1


def test_employee_pension_lapses_when_a_working_age_head_leaves_formal_work_and_is_kept_in_retirement() -> (
    None
):
    """The cause of the farmers' pension creep: entry through a formal job was a one-way door."""
    m = tiny_world()
    svc = services(m)
    pop = m.pop
    rows = np.arange(4)
    pop.htype[rows] = HouseholdType.LOCAL_FARMER
    pop.hukou_urban[rows] = False
    pop.reg[rows] = Registration.LOCAL_RURAL_HUKOU
    pop.pension[rows] = PENSION_EMPLOYEE
    pop.head_female[rows] = False
    pop.head_age[rows] = [45.0, 45.0, 62.0, 62.0]
    pop.job[rows] = [Job.FORMAL, Job.INFORMAL, Job.NONE, Job.INFORMAL]  # the last retired, farms again
    svc.pension.take_up_local = svc.pension.take_up_nonlocal = svc.pension.take_up_new_rural = 0.0
    svc.refresh_access()
    svc.pension.apply(svc.access("pension"))
    assert pop.pension[rows].tolist() == [PENSION_EMPLOYEE, PENSION_NONE, PENSION_EMPLOYEE, PENSION_EMPLOYEE]


def test_job_turnover_does_not_ratchet_employee_coverage_above_formal_employment() -> None:
    """Farmers moving in and out of formal jobs: the employee scheme covers at most the formally employed."""
    m = tiny_world()
    svc = services(m)
    pop = m.pop
    pop.htype[:] = HouseholdType.LOCAL_FARMER
    pop.hukou_urban[:] = False
    pop.reg[:] = Registration.LOCAL_RURAL_HUKOU
    pop.head_age[:] = 40.0
    rng = np.random.default_rng(3)
    for _ in range(24):
        pop.job[:] = np.where(rng.random(pop.n) < 0.5, Job.FORMAL, Job.INFORMAL)
        svc.refresh_access()
        svc.pension.apply(svc.access("pension"))
        employee = pop.pension == PENSION_EMPLOYEE
        assert not (employee & (pop.job != Job.FORMAL)).any()


# --- directions under common seeds, beyond replicate noise --------------------------------------------------
SEEDS = (1, 2, 3)


@cache
def _final(
    policy_params: tuple[tuple[str, str, bool], ...], indicator: str, months: int, seed: int, households: int = 2000
) -> float:
    params: dict[str, dict[str, bool]] = {}
    for policy, name, value in policy_params:
        params.setdefault(policy, {})[name] = value
    policies = ",".join(["status_quo", *params])
    df = (
        UrbanizationModel(
            city="changshu", policies=policies, households=households, rng=seed, agents="lazy", policy_params=params
        )
        .run(months)
        .indicators()
    )
    return float(df[indicator].iloc[-12:].mean())


def _paired_gain(
    on: tuple, off: tuple, indicator: str, months: int, seeds: tuple[int, ...] = SEEDS, households: int = 2000
) -> tuple[float, float]:
    diffs = np.array(
        [_final(on, indicator, months, s, households) - _final(off, indicator, months, s, households) for s in seeds]
    )
    return float(diffs.mean()), float(diffs.std(ddof=1) / np.sqrt(diffs.size))


@pytest.mark.slow
def test_tuition_exemption_raises_the_demand_for_public_seats_beyond_replicate_noise() -> None:
    """Waiving public-school tuition brings migrant families who could not afford it to the public schools' queue.
    Under migrant_education the public seats bind (utilisation about 0.95; its January construction builds for the
    children outside the public schools, whatever their fees), so the exemption shows in who seeks a seat, not in
    the public share: over seeds 1-6 (Changshu, 2,000 households, the last 12 of 48 months) the primary queue
    gained +4,875 children (standard error 1,164) and the share +0.006 (0.016). The share rose (+0.076) while the
    construction counted a private pupil who also queues twice, which left spare seats; that was fixed. Run at
    10,000 households since issue 9's starting history: at 2,000 its new draw put the gain at +2,845 (1,518,
    under two of them; seeds 1-16: +1,950, 792) where the earlier start gave +4,875; at 10,000 the two starts
    agree within noise, +4,501 (783) and +3,467 (557)."""
    on = (("migrant_education", "tuition_exemption", True),)
    off = (("migrant_education", "tuition_exemption", False),)
    gain, se = _paired_gain(on, off, "unmet_demand_primary_school", 48, seeds=(1, 2, 3, 4, 5, 6), households=10_000)
    assert gain > 2 * se and gain > 1000, (gain, se)


@pytest.mark.slow
def test_free_profiles_raise_take_up_beyond_replicate_noise() -> None:
    on = (("maternal_child_health", "free_profiles", True),)
    off = (("maternal_child_health", "free_profiles", False),)
    # six seeds: with three, the stream of this round (history generator, calibrated leave_const) left the mean
    # (+0.057) inside two standard errors (0.034)
    gain, se = _paired_gain(on, off, "health_profile_coverage_migrant_children", 24, seeds=(1, 2, 3, 4, 5, 6))
    assert gain > 2 * se and gain > 0.02, (gain, se)


def test_a_family_arriving_this_month_that_could_school_its_children_nowhere_left_them_at_the_origin() -> None:
    """An arriving family earns from its first month (issue 9: model/arrivals.py computes its income as it arrives),
    so it decides on its income like any other; one whose taste pays almost nothing left its children behind."""
    m = tiny_world(left_behind_rate=0.0)
    m.month = 5
    svc = services(m)
    pop = m.pop
    _family(m, 0, 3000.0, 0.5, kids=1)  # pays public fees on its income
    _family(m, 1, 3000.0, 0.99, kids=2)  # a taste that pays almost nothing: the children stayed at the origin
    pop.arrived_month[[0, 1]] = 5
    school_choice(svc)
    assert pop.pays_public[0] and pop.kids_6_11[0] == 1
    assert pop.kids_6_11[1] == 0 and svc.sent_home == pytest.approx(2.0)
