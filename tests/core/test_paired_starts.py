"""Runs at two values of a behavioural constant start from the same households (common random numbers): the
starting migrants' history (model/migrant_history.py) draws from a generator of its own, so its rejection sampling,
which takes as many draws as the behaviour asks for, cannot re-roll the rest of the starting population."""

from __future__ import annotations

import numpy as np
import pytest

from urbanize.model import UrbanizationModel


@pytest.mark.parametrize("name,low,high", [("settle_const", -2.5, -0.5), ("leave_const", -5.0, -3.0)])
def test_two_values_of_a_constant_start_from_the_same_households(name: str, low: float, high: float) -> None:
    a = UrbanizationModel(city="changshu", households=600, rng=5, agents="lazy", **{name: low})
    b = UrbanizationModel(city="changshu", households=600, rng=5, agents="lazy", **{name: high})
    assert a.pop.n == b.pop.n
    for col in ("htype", "district", "job", "skill", "head_age", "income", "reg", "hukou_local"):
        assert np.array_equal(a.pop.col(col), b.pop.col(col)), col
    assert np.array_equal(a.pop.members, b.pop.members)
    # what the constant is about does differ: the stock's settlement tastes and times in the city
    migrants = ~a.pop.hukou_local
    assert not np.array_equal(a.pop.settle_taste[migrants], b.pop.settle_taste[migrants])
