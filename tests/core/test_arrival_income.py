"""Issue 9: households arriving in a month earn their wages in that month.

Arrivals come in phase 3, after the labour market has paid the month's incomes (phase 2); an arriving household's
income used to stay 0 until the next month's life events, so in its first month it looked destitute to every rule
that reads income (fees, take-up, assistance, rents, hospital births) and to the income indicators.
"""

from __future__ import annotations

import numpy as np
import pytest

from urbanize.model import UrbanizationModel, arrivals
from urbanize.model.enums import Job
from urbanize.model.labour import SKILL_WAGE


def test_a_household_arriving_this_month_earns_its_wage_in_its_first_month() -> None:
    m = UrbanizationModel(city="changshu", households=200, rng=3, agents="lazy", arrival_rate=0.1)
    m.month = 1
    rows = arrivals.arrive(m)
    assert rows.size > 0, "the tiny city drew no arrivals: raise arrival_rate"
    pop = m.pop
    wages = m.labour.wages()
    head = wages[pop.job[rows]] * SKILL_WAGE[pop.skill[rows]] * (1.0 - m.behaviour.hukou_wage_penalty)
    second = (pop.adults[rows] >= 2) * 0.6 * wages[Job.INFORMAL]
    assert pop.income[rows] == pytest.approx(head + second)
    working = rows[pop.job[rows] != Job.NONE]
    assert working.size and (pop.income[working] > 0).all()


def test_after_a_whole_step_no_arrival_with_a_job_or_a_second_adult_has_zero_income() -> None:
    m = UrbanizationModel(city="changshu", households=200, rng=3, agents="lazy", arrival_rate=0.1)
    m.step()
    pop = m.pop
    new = np.flatnonzero(pop.arrived_month == m.month)
    assert new.size > 0
    earning = new[(pop.job[new] != Job.NONE) | (pop.adults[new] >= 2)]
    assert earning.size and (pop.income[earning] > 0).all(), pop.income[earning]
