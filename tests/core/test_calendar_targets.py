"""The calendar, the targets file and the stationary start of the migrant stock."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from urbanize.model import calendar
from urbanize.model.errors import UrbanizeError
from urbanize.model.indicators import registry
from urbanize.model.members import N_BANDS
from urbanize.model.migrant_history import stationary_history
from urbanize.model.params import BehaviourParams
from urbanize.model.targets import Target, load, measure


def test_month_zero_is_january_2009() -> None:
    assert calendar.date_of(0) == dt.date(2009, 1, 1)
    assert calendar.date_of(84) == dt.date(2016, 1, 1)
    assert calendar.month_of("2016-01") == 84
    assert calendar.year_of(np.array([0, 11, 12])).tolist() == [2009, 2009, 2010]
    with pytest.raises(ValueError, match="YYYY-MM"):
        calendar.month_of("January")
    # yearly acts (school building, coupons, quotas) start in the months that are Januaries, as documented
    januaries = [m for m in range(36) if calendar.is_january(m)]
    assert januaries == [0, 12, 24]
    assert all(calendar.date_of(m).month == 1 for m in januaries)


def test_every_shipped_target_names_a_known_indicator_and_a_source() -> None:
    targets = load()
    known = set(registry())
    assert len(targets) >= 20
    for t in targets:
        assert t.indicator in known, t.name
        assert t.source and t.tolerance_basis and t.first_year
        lo, hi = t.band()
        assert lo < hi
    assert {t.use for t in targets} == {"calibration", "validation"}


def _target(**kw) -> Target:
    base = dict(name="x", use="validation", must_pass=True, city="changshu", indicator="births", measure="mean",
                value=1.0, source="s", tolerance_basis="b", first_year="stable")  # fmt: skip
    return Target(**{**base, **kw})


def test_measures_on_a_hand_made_run() -> None:
    months = np.arange(0, 36)
    df = pd.DataFrame({"month": months, "births": months.astype(float)})
    assert measure(_target(measure="at", when="2009-03"), df) == 2.0
    assert measure(_target(measure="mean", start="2010-01", end="2010-12"), df) == pytest.approx(17.5)
    assert measure(_target(measure="min_year", start="2009-01", end="2011-12"), df) == pytest.approx(5.5)
    change = _target(measure="change", start="2011-01", end="2011-12", base_from="2009-01", base_to="2009-12")
    assert measure(change, df) == pytest.approx(24.0)
    ratio = _target(measure="ratio", start="2010-01", end="2010-12", base_from="2009-01", base_to="2009-12")
    assert measure(ratio, df) == pytest.approx(sum(range(12, 24)) / sum(range(12)))
    assert np.isnan(measure(_target(measure="at", when="2020-01"), df))  # the run does not reach it


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("[[target]]\nname = 'a'\n", "missing"),
        ("not toml = = 1", "not valid TOML"),
        ("x = 1", r"no \[\[target\]\]"),
    ],
)
def test_a_bad_targets_file_is_one_line(tmp_path: Path, text: str, problem: str) -> None:
    f = tmp_path / "t.toml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(UrbanizeError, match=problem) as err:
        load(f)
    assert "\n" not in str(err.value)


def _alone(k: int) -> np.ndarray:
    """Members of ``k`` one-person households (a man of 30-44)."""
    members = np.zeros((2, N_BANDS, k), dtype=np.int16)
    members[0, 6, :] = 1
    return members


def test_the_starting_stock_has_the_stationary_mean_stay() -> None:
    """With one constant departure chance h and an inflow that just replaces departures (no growth), the stock's
    time in the city is geometric with mean about 1/h months (the stock a constant inflow leaves behind)."""
    h = 1 / (1 + np.exp(4.0))
    b = BehaviourParams(leave_const=-4.0, leave_settle=0.0, leave_unemployed=0.0, arrival_rate=h)
    k = 40_000
    cols = {"job": np.full(k, 1, dtype=np.int8), "head_age": np.full(k, 70.0), "members": _alone(k)}
    _taste, months = stationary_history(np.random.default_rng(1), b, cols)
    expected = (1 - np.exp(-h * 360) * (1 + h * 360)) / (h * (1 - np.exp(-h * 360)))  # truncated at 30 years
    assert months.mean() == pytest.approx(expected, rel=0.03)


def test_settlers_stay_longer_in_the_starting_stock() -> None:
    b = BehaviourParams()
    k = 20_000
    cols = {"job": np.full(k, 1, dtype=np.int8), "head_age": np.full(k, 45.0), "members": _alone(k)}
    taste, months = stationary_history(np.random.default_rng(2), b, cols)
    # high tastes survive selection: the stock's tastes are shifted up against the arrivals' logistic(0, 1)
    assert np.median(taste) > 0.2
    assert months[taste > 2].mean() > months[taste < -2].mean()
