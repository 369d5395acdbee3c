"""Tier 3: invariants with Hypothesis (conservation, no negative counts, determinism)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from urbanize.model import UrbanizationModel
from urbanize.model.housing import MARKET
from urbanize.model.members import band_of, derive


def assert_members_consistent(pop) -> None:
    """The members matrix is non-negative, the derived count columns are its sums, and each head is a person of
    its own cell (sex, band of head_age)."""
    mem = pop.members
    assert (mem >= 0).all()
    for name, values in derive(mem).items():
        np.testing.assert_array_equal(pop.col(name), values, err_msg=name)
    head_cell = mem[pop.head_female.astype(np.int64), band_of(pop.head_age), np.arange(pop.n)]
    assert (head_cell >= 1).all()
    assert (pop.head_age >= 18).all()


CITIES = st.sampled_from(["changshu", "jinnan", "yanta", "zhengzhou"])
COUNT_COLUMNS = ["adults", "elders", "kids_0_2", "kids_3_5", "kids_6_11", "kids_12_14", "kids_15_17"]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(city=CITIES, seed=st.integers(0, 2**31 - 1), households=st.integers(60, 600),
       arrival_rate=st.floats(0.0, 0.05), leave_const=st.floats(-8.0, -2.0), mortality_scale=st.floats(0.0, 10.0),
       home_leaving=st.floats(0.0, 0.5), marriage_rate=st.floats(0.0, 0.2))
def test_people_are_conserved_month_by_month(city, seed, households, arrival_rate, leave_const, mortality_scale,
                                             home_leaving, marriage_rate):
    m = UrbanizationModel(city=city, households=households, rng=seed, arrival_rate=arrival_rate,
                          leave_const=leave_const, mortality_scale=mortality_scale, home_leaving=home_leaving,
                          marriage_rate=marriage_rate)
    market = [int(t) for t in MARKET]
    from_members = []
    for _ in range(8):
        m.step()
        pop = m.pop
        from_members.append(float(pop.members.sum(axis=(0, 1), dtype=np.int64) @ pop.weight))
        for col in COUNT_COLUMNS:
            assert (pop.col(col) >= 0).all(), col
        assert ((pop.adults + pop.elders) > 0).all()  # nobody is left without an adult or elder
        assert_members_consistent(pop)
        assert (pop.weight > 0).all()
        # nobody lives in a dormitory, private rental or owned home that was never built
        housing = m.housing
        assert (housing.occupied()[:, market] <= housing.dwellings[:, market] * (1 + 1e-9) + 1e-6).all()
    df = m.indicators()
    change = df["residents"].diff().iloc[1:].to_numpy()
    flows = (df["births"] + df["arrivals"] - df["deaths"] - df["departures"]).iloc[1:].to_numpy()
    np.testing.assert_allclose(change, flows, rtol=1e-9, atol=1e-6 * df["residents"].iloc[0])
    # the same balance over the members matrix itself: residents are its weighted sum every month
    np.testing.assert_allclose(df["residents"].iloc[1:].to_numpy(), from_members, rtol=1e-9)
    # a gap, a balance and a change since the start may be negative
    signed = ["urbanization_gap", "city_budget_balance", "education_spend_per_migrant_child_increase", "date"]
    assert (df.drop(columns=signed).fillna(0) >= 0).all().all()


@settings(max_examples=5, deadline=None)
@given(city=CITIES, seed=st.integers(0, 2**31 - 1))
def test_same_seed_same_indicators_other_seed_different(city, seed):
    a = UrbanizationModel(city=city, households=150, rng=seed).run(6).indicators()
    b = UrbanizationModel(city=city, households=150, rng=seed).run(6).indicators()
    pd.testing.assert_frame_equal(a, b)
    c = UrbanizationModel(city=city, households=150, rng=seed + 1).run(6).indicators()
    assert not a.equals(c)


def test_seed_sequence_and_generator_are_accepted():
    ss = np.random.SeedSequence(5)
    a = UrbanizationModel(city="jinnan", households=100, rng=ss).run(2).indicators()
    b = UrbanizationModel(city="jinnan", households=100, rng=np.random.SeedSequence(5)).run(2).indicators()
    pd.testing.assert_frame_equal(a, b)


def test_set_counts_writes_through_members_and_persons_follow() -> None:
    """Hand-built worlds set counts through members: the derived columns and persons() agree with members, the
    other groups are left as they were, and an unknown group is refused."""
    m = UrbanizationModel(city="changshu", households=50, rng=3)
    pop = m.pop
    before_elders = pop.elders.copy()
    pop.set_counts([0, 1, 2], adults=[1, 2, 3], kids_6_11=2)
    assert pop.adults[[0, 1, 2]].tolist() == [1, 2, 3] and pop.kids_6_11[[0, 1, 2]].tolist() == [2, 2, 2]
    assert pop.members[1, 6, [0, 1, 2]].tolist() == [0, 1, 1]  # half of them women, the extra one a man
    np.testing.assert_array_equal(pop.elders, before_elders)
    counts = sum(pop.col(name).astype(np.int64) for name in COUNT_COLUMNS)
    np.testing.assert_array_equal(pop.persons(), counts)
    for name, values in derive(pop.members).items():
        np.testing.assert_array_equal(pop.col(name), values, err_msg=name)
    with pytest.raises(KeyError, match="not a derived count"):
        pop.set_counts(0, persons=3)
