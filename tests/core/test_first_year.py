"""No indicator that has a target moves by more than that target's tolerance between month 0 and month 12
(issue 9): month 0 is a state the status quo keeps, for every city, seed and plausible behaviour."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from urbanize.model import UrbanizationModel, life
from urbanize.model.city import list_cities
from urbanize.model.params import BehaviourParams, describe
from urbanize.model.targets import load

STABLE = [t for t in load() if t.stable_first_year and t.policies == "status_quo"]
# behavioural coefficients that set the flows of the status quo's stocks, drawn within +-20 % of their defaults;
# the registry's ranges are validity ranges, and a tenfold arrival rate is meant to move a city (a scenario)
DRAWN = ("settle_const", "settle_years", "leave_const", "leave_settle", "register_const", "registration_lapse",
         "hukou_want_const", "hukou_const", "job_finding", "job_loss", "awareness_decay", "fertility")  # fmt: skip
INFO = {p.name: p for p in describe(BehaviourParams)}
#: no migration and no life events that change who lives here (arrivals, departures, births, deaths, marriages)
STILL = dict(arrival_rate=0.0, leave_const=-15.0, fertility=0.0, mortality_scale=0.0, marriage_rate=0.0,
             home_leaving=0.0)  # fmt: skip


def _near(name: str) -> st.SearchStrategy[float]:
    p = INFO[name]
    d = float(p.default)
    lo, hi = sorted((d * 0.8, d * 1.2))
    if p.lo is not None:
        lo = max(lo, p.lo)
    if p.hi is not None:
        hi = min(hi, p.hi)
    return st.floats(lo, hi, allow_nan=False)


@pytest.mark.slow
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
@given(
    city=st.sampled_from(list_cities()),
    seed=st.integers(0, 2**31 - 1),
    behaviour=st.fixed_dictionaries({name: _near(name) for name in DRAWN if name in INFO}),
)
def test_no_targeted_indicator_jumps_in_the_first_year(city: str, seed: int, behaviour: dict) -> None:
    m = UrbanizationModel(city=city, households=10_000, rng=seed, agents="lazy", **behaviour).run(12)
    df = m.indicators().set_index("month")
    for t in STABLE:
        if t.city not in ("national", city) or t.indicator not in df.columns:
            continue
        move = df.loc[12, t.indicator] - df.loc[0, t.indicator]
        if math.isnan(move):
            continue
        assert abs(move) <= t.first_year_tolerance() + 1e-9, (t.name, city, move)


@pytest.mark.parametrize("city", list_cities())
def test_the_migrant_share_moves_only_with_net_migration(city: str) -> None:
    """The causes the targets file names for the migrant share's first-year move: with no arrivals, departures,
    births, deaths or marriages the share holds to 0.1 pp; with migration alone it moves."""
    m = UrbanizationModel(city=city, households=4000, rng=3, agents="lazy", **STILL).run(12)
    share = m.indicators()["migrant_share"]
    assert abs(share.iloc[12] - share.iloc[0]) < 0.001


def _no_ageing(model: UrbanizationModel) -> None:
    """life.age without the ageing of persons: the months counters still advance (residence, registration)."""
    pop = model.pop
    pop.months_resident[:] += 1
    pop.reg_months[:] += 1
    pop.residence_months[:] += 1
    pop.hardship[:] = np.maximum(pop.hardship - 1, 0)


def _schooling_move(seed: int) -> tuple[float, float, float]:
    m = UrbanizationModel(city="changshu", households=10_000, rng=seed, agents="lazy", **STILL).run(12)
    df = m.indicators()
    share = df["migrant_children_public_school_share"]
    enrolment = df["migrant_children_enrolment_rate"]
    size = df["avg_class_size_primary"]
    return (float(share.iloc[12] - share.iloc[0]), float(enrolment.iloc[12] - enrolment.iloc[0]),
            float(size.iloc[12] - size.iloc[0]))  # fmt: skip


def test_schooling_moves_only_with_net_migration_and_cohort_ageing(monkeypatch: pytest.MonkeyPatch) -> None:
    """The causes named for Changshu's enrolment, public-school share and primary class size (model/targets.toml):
    with migration and life events off, cohort ageing still moves them (the locals' school-age cohort shrinks and
    the migrants' grows while public seats stay fixed per district, and children turning 6 wait for a private
    place; Changshu, 10,000 households, seeds 1-5: enrolment by -0.7 to -1.0 pp, the share by -2.2 to +0.3 pp,
    0.9 pp on average either way, the class by 0.46 pupils on average, at most 1.1); with ageing off as well,
    enrolment does not move, the share holds within 1 pp (the fee rule still follows incomes; at most 0.5 pp) and
    the class within 0.2 pupils (at most 0.11). Judged over seeds 1-5, not at two seeds: each seed's move of the
    share and the class has either sign and a size that a new draw of the start re-rolls (over seeds 1-8 the share
    moved under 0.5 pp at three seeds, both with the starting history before issue 9's fix and after it, but not
    the same three)."""
    seeds = range(1, 6)
    share, enrolment, size = np.array([_schooling_move(seed) for seed in seeds]).T
    assert (enrolment < -0.003).all(), enrolment
    assert np.abs(share).mean() > 0.005, share
    # the primary class size moves with net migration (model/targets.toml): without it, inside its tolerance of
    # 2.25 pupils at every seed and under a quarter of it on average
    assert (np.abs(size) < 2.25).all() and abs(size.mean()) < 2.25 / 4, size
    monkeypatch.setattr(life, "age", _no_ageing)
    share, enrolment, size = np.array([_schooling_move(seed) for seed in seeds]).T
    assert (np.abs(share) < 0.01).all(), share
    assert (np.abs(enrolment) < 1e-9).all(), enrolment
    assert (np.abs(size) < 0.2).all(), size
