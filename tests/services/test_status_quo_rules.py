"""Tier 2: hand-built worlds for each status-quo rule repaired in issue 9 (each would have caught its defect)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from service_helpers import services, tiny_world

from urbanize.agents import Migrant
from urbanize.model import UrbanizationModel
from urbanize.model.arrivals import expected_arrivals
from urbanize.model.enums import HouseholdType, Job, Registration, Residence
from urbanize.model.services.schools import PrivateMigrantSchool


def _migrants(m: UrbanizationModel, k: int) -> np.ndarray:
    pop = m.pop
    rows = np.arange(k)
    pop.htype[rows] = HouseholdType.MIGRANT
    pop.hukou_local[rows] = False
    pop.hukou_urban[rows] = False
    pop.reg[rows] = Registration.UNREGISTERED
    return rows


def test_a_private_school_opens_places_when_30_children_queue() -> None:
    m = tiny_world()
    school: PrivateMigrantSchool = services(m).private
    school.set_capacity(0.0)
    pop = m.pop
    rows = _migrants(m, 15)
    pop.set_counts(rows, kids_6_11=2)  # 30 children of primary age, no seat anywhere
    school.waiting[rows] = 2
    before = school.capacity.copy()
    school.adjust()
    opened = school.capacity - before
    # a third of the way to 30 queued children plus 5 % spare seats, in their district
    assert opened[0] == pytest.approx(30 * 1.05 / 3)
    assert opened[1:].sum() == 0
    for _ in range(60):
        school.adjust()
    assert school.capacity[0] == pytest.approx(31.5, rel=1e-3)


def test_a_private_school_closes_empty_places_slowly() -> None:
    m = tiny_world()
    school = services(m).private
    school.set_capacity(np.full(school.capacity.size, 60.0))
    school.adjust()  # nobody enrolled or queued: a third of the seats close this month
    assert school.capacity[0] == pytest.approx(40.0)


def test_changshu_keeps_its_enrolment_for_ten_years() -> None:
    """The defect: private places were fixed at the start, enrolment fell from 1.00 to 0.76 in ten years.

    The target (changshu_migrant_enrolment_2009_2018, at least 95 % every year) is judged on the mean over
    replicates, as `urbanize validate` does: one run at 1,000 households has few migrant children, and its
    lowest year lies at 0.948-0.968 over seeds 0-7 (the mean of seeds 0-3 at 0.972; validate, 2,000 households x 5,
    at 0.979)."""
    years = []
    for seed in range(4):
        df = UrbanizationModel(city="changshu", households=1000, rng=seed, agents="lazy").run(120).indicators()
        years.append(df["migrant_children_enrolment_rate"].groupby(df["date"].dt.year).mean())
    annual = pd.concat(years, axis=1).mean(axis=1)
    assert annual.min() >= 0.95, annual.round(3).to_dict()


def test_registration_and_permits_lapse_unless_renewed() -> None:
    m = tiny_world(registration_lapse=1.0, register_const=-15.0)
    rows = _migrants(m, 4)
    m.pop.reg[rows] = [Registration.REGISTERED, Registration.RESIDENCE_PERMIT, Registration.HUKOU_APPLICANT,
                       Registration.UNREGISTERED]  # fmt: skip
    Migrant.lapse_registration(m, rows)
    assert m.pop.reg[rows].tolist() == [
        Registration.UNREGISTERED, Registration.REGISTERED, Registration.HUKOU_APPLICANT, Registration.UNREGISTERED
    ]  # fmt: skip


def test_awareness_fades_without_contact() -> None:
    m = tiny_world(awareness_decay=1.0, awareness_contact=0.0, awareness_media=0.0)
    m.awareness.of("hukou")[:] = True
    m.awareness.spread()
    assert not m.awareness.of("hukou").any()


def test_only_households_that_want_hukou_apply() -> None:
    m = tiny_world(hukou_const=5.0, hukou_want_const=0.0, hukou_settle=0.0, hukou_land_tie=0.0)
    rows = _migrants(m, 2)
    pop = m.pop
    pop.reg[rows] = Registration.RESIDENCE_PERMIT
    pop.residence[rows] = Residence.OWNED  # the status quo's pathway: owned housing
    pop.job[rows] = Job.FORMAL
    m.awareness.of("hukou")[rows] = True
    pop.hukou_taste[rows] = [5.0, -5.0]  # one wants local hukou, one would not transfer it
    Migrant.decide_hukou_willingness(m, rows)
    assert pop.wants_hukou[rows].tolist() == [True, False]
    for _ in range(5):  # a monthly chance of expit(5) = 0.993: applied within five months
        Migrant.decide_hukou_application(m, rows)
    assert pop.reg[rows].tolist() == [Registration.HUKOU_APPLICANT, Registration.RESIDENCE_PERMIT]


def test_a_migrant_granted_hukou_leaves_the_migrant_base_and_quota() -> None:
    m = tiny_world(arrival_rate=0.01)
    rows = _migrants(m, 5)
    base = expected_arrivals(m)
    m.hukou.reset_quota()
    quota = m.hukou.quota_remaining
    m.convert_to_urban_hukou(rows[:1])
    assert m.pop.htype[rows[0]] == HouseholdType.URBAN_RESIDENT
    assert m.cumulative["hukou_conversions_migrant"] > 0
    assert expected_arrivals(m) == pytest.approx(base * 4 / 5, rel=0.2)  # the pull itself moves a little
    m.hukou.reset_quota()
    assert m.hukou.quota_remaining == pytest.approx(quota * 4 / 5)


def test_hires_stop_when_every_job_is_taken() -> None:
    m = tiny_world(job_finding=1.0, job_loss=0.0)
    pop = m.pop
    pop.head_age[:] = 30.0
    pop.job[:] = Job.FORMAL
    m.labour.open()  # one job per head, all held
    pop.job[:5] = Job.NONE  # five heads lose theirs and the jobs go with them
    m.labour.jobs0 = float(pop.n - 5)
    from urbanize.model import life

    life.jobs(m)
    assert (pop.job[:5] == Job.NONE).all()  # no vacancy: nobody is hired, however keen
    m.labour.jobs0 = float(pop.n - 3)  # two jobs open up
    life.jobs(m)
    assert int((pop.job[:5] != Job.NONE).sum()) <= 2


def test_a_city_with_higher_wages_draws_more_arrivals() -> None:
    low = UrbanizationModel(city="yanta", households=600, rng=2, agents="lazy")
    high = UrbanizationModel(city="yanta", households=600, rng=2, agents="lazy")
    high.labour.wage_formal0 *= 1.5
    high.labour.wage_informal0 *= 1.5
    assert expected_arrivals(high) > 1.5 * expected_arrivals(low)


def test_the_city_stays_within_what_its_jobs_hold() -> None:
    """The defect: Changshu grew x1.5 in its fourth decade (428 million residents by year 80)."""
    m = UrbanizationModel(city="changshu", households=300, rng=9, agents="lazy").run(360)
    df = m.indicators()
    growth_30y = df["residents"].iloc[-1] / df["residents"].iloc[0]
    jobs_30y = (1 + m.labour.job_growth) ** 30
    assert growth_30y < 1.5 * jobs_30y


def test_service_costing_never_budgets_training_below_its_queue() -> None:
    """The defect: budgeted from set-up demand, training capacity was 0 for ever in yanta_pilot."""
    m = UrbanizationModel(city="yanta", policies="yanta_pilot", households=800, rng=1, agents="lazy").run(26)
    df = m.indicators()
    assert (df["training_participants"].iloc[1:] > 0).all()
    training = services(m).training
    assert training.capacity.sum() >= training.used().sum() - 1e-6
