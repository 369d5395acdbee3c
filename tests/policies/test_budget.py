"""Budgets and payers (model/budget.py, the budget_limit policy): who pays a booking, the city's revenue and
balance, capital allowances, and the direction test of a tight budget against an unlimited one."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from urbanize.model import UrbanizationModel
from urbanize.model.budget import FiscalParams
from urbanize.model.errors import ParameterError
from urbanize.model.ledger import FiscalLedger

sys.path.insert(0, str(Path(__file__).parents[1] / "services"))
from service_helpers import tiny_world  # noqa: E402


def test_a_local_booking_is_split_by_the_sectors_transfer_rule() -> None:
    ledger = FiscalLedger()
    ledger.charge("education", 1000.0, "city")  # province 10 %, centre 5 %
    ledger.charge("health", 200.0, "district")  # province 15 %, centre 25 %
    ledger.charge("social_security", 300.0, "central")  # upper payers are booked as they are
    ledger.charge("education", 50.0, "households")  # fees: not public spending
    ledger.close_month()
    assert ledger.spend(payer="city") == pytest.approx(850.0)
    assert ledger.spend(payer="district") == pytest.approx(120.0)
    assert ledger.spend(payer="province") == pytest.approx(100.0 + 30.0)
    assert ledger.spend(payer="central") == pytest.approx(50.0 + 50.0 + 300.0)
    assert ledger.spend(payer="households") == 50.0
    assert ledger.spend() == pytest.approx(1500.0)  # every public payer, no fees
    assert ledger.spend("education") == pytest.approx(1000.0)


def test_transfer_rules_are_parameters() -> None:
    ledger = FiscalLedger()
    ledger.transfers = FiscalParams(education_province=0.5, education_central=0.5)
    ledger.charge("education", 400.0, "city")
    ledger.close_month()
    assert [ledger.spend(payer=p) for p in ("city", "province", "central")] == [0.0, 200.0, 200.0]


@pytest.mark.parametrize(
    ("params", "needle"),
    [
        ({"education_province": 0.7, "education_central": 0.5}, "add up to more than 1"),
        ({"health_central": -0.1}, "health_central"),
        ({"revenue_per_resident": float("nan")}, "revenue_per_resident"),
    ],
)
def test_bad_fiscal_parameters_are_one_line_errors(params: dict, needle: str) -> None:
    with pytest.raises(ParameterError, match=needle):
        UrbanizationModel(city="changshu", households=50, rng=1, policies="budget_limit",
                          policy_params={"budget_limit": params})


def test_revenue_grows_with_residents_and_income_and_the_balance_counts_local_spending() -> None:
    m = tiny_world()
    pop = m.pop
    persons = float((pop.persons() * pop.weight).sum())
    income = float((pop.income.astype(float) * pop.weight).sum())
    assert m.budget.revenue() == pytest.approx(25.0 * persons + 0.005 * income)
    pop.weight[:] = 2.0  # twice the residents and twice the income
    assert m.budget.revenue() == pytest.approx(2 * (25.0 * persons + 0.005 * income))
    m.ledger.charge("community", 1000.0, "city")  # no transfers: all local
    m.ledger.close_month()
    m.budget.close_month()
    assert m.budget.balance() == pytest.approx(m.budget.revenue_month - 1000.0)


def test_a_capital_allowance_pays_part_of_a_plan_then_nothing_until_january() -> None:
    m = tiny_world()
    budget = m.budget
    assert budget.grant("education", 1e12) == 1.0  # no limit: everything
    budget.set_limit(0.01)
    allowance = 0.01 * 12 * budget.revenue()
    assert budget.grant("education", 4 * allowance) == pytest.approx(0.25)
    assert budget.grant("education", 100.0) == 0.0
    assert budget.grant("housing", allowance / 2) == 1.0  # each sector has its own allowance
    assert budget.refused["education"] == pytest.approx(3 * allowance + 100.0)
    m.month = 12  # the step that closes December renews the allowances
    budget.close_month()
    assert budget.grant("education", allowance) == pytest.approx(1.0)


def test_without_a_binding_limit_the_pilot_runs_exactly_as_before() -> None:
    kw = {"city": "zhengzhou", "households": 300, "rng": 4, "agents": "lazy"}
    free = UrbanizationModel(policies="low_threshold_hukou,school_construction", **kw).run(14).indicators()
    loose = UrbanizationModel(policies="low_threshold_hukou,school_construction,budget_limit",
                              policy_params={"budget_limit": {"capital_share": 10.0}}, **kw).run(14).indicators()
    assert free.equals(loose)


def _classes(policies: str, seed: int, capital_share: float | None = None) -> float:
    params = {} if capital_share is None else {"budget_limit": {"capital_share": capital_share}}
    m = UrbanizationModel(city="zhengzhou", policies=policies, households=400, rng=seed, agents="lazy",
                          policy_params=params)
    return float(m.run(18).indicators()["public_school_classes"].iloc[-1])


@pytest.mark.slow
def test_a_tight_budget_shrinks_school_constructions_effect() -> None:
    """Zhengzhou, low-threshold hukou: school_construction's extra classes against no construction, with an
    unlimited and with a tight budget, paired on common seeds."""
    seeds = (0, 1, 2)
    base = np.array([_classes("low_threshold_hukou", s) for s in seeds])
    build = "low_threshold_hukou,school_construction,budget_limit"
    unlimited = np.array([_classes(build, s, 10.0) for s in seeds]) - base
    tight = np.array([_classes(build, s, 0.005) for s in seeds]) - base
    shrink = unlimited - tight
    assert unlimited.mean() > 0
    assert tight.mean() < 0.25 * unlimited.mean(), (tight, unlimited)
    assert shrink.mean() > 3 * shrink.std(ddof=1) / np.sqrt(len(seeds)), shrink  # beyond replicate noise


_SECTORS = ("education", "health", "housing", "social_assistance", "social_security", "training", "registration",
            "community")


@settings(max_examples=60, deadline=None)
@given(
    charges=st.lists(
        st.tuples(st.sampled_from(_SECTORS), st.floats(0, 1e9), st.sampled_from(("city", "district", "province",
                                                                               "central", "households"))),
        max_size=20,
    ),
    share=st.floats(0, 0.5),
)
def test_transfers_move_spending_between_payers_and_never_create_or_lose_any(charges, share) -> None:
    ledger = FiscalLedger()
    ledger.transfers = FiscalParams(**{f"{s}_province": share for s in _SECTORS}, **{f"{s}_central": share
                                                                                      for s in _SECTORS})
    for sector, amount, payer in charges:
        ledger.charge(sector, amount, payer)
    ledger.close_month()
    public = sum(a for _, a, p in charges if p != "households")
    assert ledger.spend() == pytest.approx(public, rel=1e-9, abs=1e-6)
    assert ledger.spend(payer="households") == pytest.approx(
        sum(a for _, a, p in charges if p == "households"), rel=1e-9, abs=1e-6)
    local = sum(a for _, a, p in charges if p in ("city", "district"))
    assert ledger.spend(payer="city") + ledger.spend(payer="district") == pytest.approx(
        (1 - 2 * share) * local, rel=1e-9, abs=1e-6)
    for sector in _SECTORS:
        assert ledger.spend(sector) == pytest.approx(
            sum(a for s, a, p in charges if s == sector and p != "households"), rel=1e-9, abs=1e-6)


def test_spending_over_the_last_year_spreads_an_annual_lump() -> None:
    """A January lump (school construction, the talent-flat quota) counts once a year in the 12-month mean, which
    is what a pilot's spending is compared on (benchmarks/bench_pilots.py), not in full in every January read."""
    ledger = FiscalLedger()
    assert ledger.spend_last_year() == 0.0
    for month in range(25):
        ledger.charge("education", 100.0 + (1200.0 if month % 12 == 0 else 0.0))
        ledger.charge("education", 50.0, payer="households")  # fees: not public spending
        ledger.close_month()
    assert ledger.spend() == 1300.0  # the last month is a January
    assert ledger.spend_last_year() == 200.0  # 12 x 100 + one lump of 1,200, over 12 months
