"""Starting migrants as the stock that the model's own arrivals and departures leave behind.

A city's migrants in January 2009 are the survivors of earlier arrivals: those who meant to settle stayed, those
who did not mostly left. Drawing their time in the city from a fixed distribution and their taste for settling
from the arrivals' distribution (as the model did before) starts the city far from the stock its own dynamics
keep, and the status quo then drifts for no reason the model explains (settlement intention rose from 0.57 to
0.83 in ten years). Here each starting migrant household's settlement taste and months in the city are drawn
from the stationary stock of the model's own rules, with arrivals growing at the rate the model's own flows imply
(the reference inflow ``arrival_rate`` less the stock's mean departure chance, about 3 %/yr at the defaults):

* A household with settlement utility ``u(t) = u0 + settle_years x years(t) + taste`` (``Migrant.decide_settlement``,
  years capped at 15, access at ``access_reference``) intends to settle from month ``t*`` on, where ``u`` turns
  positive. It leaves with monthly chance ``h_n`` before ``t*`` and ``h_s`` after (``Migrant.decide_departure``,
  at its starting job), so it is still here after ``t`` months with chance ``S(t) = (1-h_n)^min(t,t*)
  (1-h_s)^max(0,t-t*)``.
* In a stock fed by arrivals growing at rate ``g`` (floored at half the settlers' departure rate, so a
  shrinking history stays well defined), the share of households with taste ``x`` and time ``t`` is
  proportional to ``logistic(x) S(t | x) exp(-g t)``. Tastes are drawn by rejection from that marginal, then ``t``
  from its piecewise-exponential conditional by inverting its distribution function.

This assumes that a household's job, children and access stay as they are at the start over its history (the
features are drawn for 2009), and it ignores the small effect of unschooled children on departures. See
docs/model.md, "Initialization".

Stays are not bounded by the head's age. Earlier versions bounded the longest stay by the head's years since age
16, and that is not the stock of the model's own rules: months in the city belong to the household (a young
couple's new household inherits its parents' months, ``model.life.INHERITED``), departures and settlement do not
depend on the head's age, and arrivals' heads are drawn from the same ages as the stock's. The bound removed the
long stays (mostly settlers) of young heads, and the status quo then refilled them: settlement intention rose
1.4 pp in Yanta's first year (1.3 pp in Changshu; 10,000 households, seed 0), and 5.3 pp where departures were
faster (``leave_const`` -3.0). Without the bound it moves 0.3 pp and 0.0 pp. The one bound kept is 30 years
(``MAX_YEARS``): migration out of the villages opened around 1980, so no starting household arrived earlier. The
model's rules set no such bound, so stays beyond 30 years build up after 2009 and raise the settlers' share by
about 0.3 pp a year (the history's own rules run forward: tests/core/test_migrant_history.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from scipy.special import expit

from urbanize.model.enums import Job
from urbanize.model.members import KID_BANDS

if TYPE_CHECKING:
    from urbanize.model.params import BehaviourParams

MAX_YEARS = 30.0  # the longest stay drawn: migration out of the villages opened around 1980 (assumed)
YEARS_CAP = 15.0  # settlement utility stops rising after 15 years (Migrant.decide_settlement)


def _rates(b: BehaviourParams, cols: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per household: utility without taste at t = 0, and monthly log-survival rates before and after settling."""
    kids = cols["members"][:, list(KID_BANDS), :].sum(axis=(0, 1))  # children under 18
    formal = cols["job"] == int(Job.FORMAL)
    unemployed = cols["job"] == int(Job.NONE)
    u0 = (
        b.settle_const
        + b.settle_family * (kids > 0)
        + b.settle_formal * formal
        + b.settle_access * b.access_reference
    )
    base = b.leave_const + b.leave_unemployed * unemployed
    a = -np.log1p(-expit(base))  # monthly hazard as a rate, before settling
    s = -np.log1p(-expit(base + b.leave_settle))  # after
    return u0, a, s


def _switch_month(b: BehaviourParams, u0: np.ndarray, taste: np.ndarray) -> np.ndarray:
    """Month from which the household intends to settle (0: from arrival; inf: never)."""
    u = u0 + taste
    if b.settle_years <= 0:
        return np.where(u > 0, 0.0, np.inf)
    t = 12.0 * (-u) / b.settle_years
    never = (u + b.settle_years * YEARS_CAP) <= 0
    return np.where(u > 0, 0.0, np.where(never, np.inf, t))


def _masses(a, s, g, tstar, horizon):  # noqa: ANN001, ANN202  (vectorized helper)
    alpha, sigma = a + g, s + g
    t1 = np.minimum(tstar, horizon)
    m1 = -np.expm1(-alpha * t1) / alpha
    m2 = np.exp(-alpha * t1) * -np.expm1(-sigma * (horizon - t1)) / sigma
    return alpha, sigma, t1, m1, m2


def stationary_history(
    rng: np.random.Generator, b: BehaviourParams, cols: dict[str, np.ndarray]
) -> tuple[np.ndarray, np.ndarray]:
    """(settle_taste, months_resident) of starting migrant households, from the stationary stock.

    ``cols`` are the household columns drawn so far (job, ``members``). The longest stay is ``MAX_YEARS``.
    """
    u0, a, s = _rates(b, cols)
    # the history's growth is the one the model's own flows imply: the reference inflow (arrival_rate) less the
    # stock's mean departure chance; the stock depends on it, so iterate (two rounds settle it to 1e-4 a month)
    g = 0.0025  # a first guess, about 3 %/yr
    for _ in range(3):
        taste, months = _draw(rng, b, u0, a, s, g, cols)
        tstar = _switch_month(b, u0, taste)
        hazard = np.where(months < tstar, -np.expm1(-a), -np.expm1(-s)).mean()
        g = float(np.clip(b.arrival_rate - hazard, -0.5 * s.min(), 0.05))
    return _draw(rng, b, u0, a, s, g, cols)


def _draw(rng, b, u0, a, s, g, cols):  # noqa: ANN001, ANN202  (vectorized helper)
    k = u0.size
    horizon = np.full(k, 12.0 * MAX_YEARS)  # not the head's age: see the module's docstring
    # the largest possible mass (settled from arrival), to bound the rejection step
    upper = -np.expm1(-(s + g) * horizon) / (s + g)
    taste = np.empty(k)
    todo = np.arange(k)
    for _ in range(200):
        x = rng.logistic(0.0, 1.0, todo.size)
        tstar = _switch_month(b, u0[todo], x)
        *_, m1, m2 = _masses(a[todo], s[todo], g, tstar, horizon[todo])
        keep = rng.random(todo.size) * upper[todo] < m1 + m2
        taste[todo[keep]] = x[keep]
        todo = todo[~keep]
        if todo.size == 0:
            break
    if todo.size:  # practically never: accept the last proposals as they are
        taste[todo] = rng.logistic(0.0, 1.0, todo.size)
    tstar = _switch_month(b, u0, taste)
    alpha, sigma, t1, m1, m2 = _masses(a, s, g, tstar, horizon)
    u = rng.random(k) * (m1 + m2)
    first = u < m1
    with np.errstate(divide="ignore", invalid="ignore"):
        t_before = -np.log1p(-alpha * u) / alpha
        v = u - m1
        t_after = t1 - np.log1p(-sigma * v * np.exp(alpha * t1)) / sigma
    months = np.where(first, t_before, t_after)
    months = np.clip(np.nan_to_num(months, nan=0.0), 0.0, horizon)
    return taste.astype(np.float32), months.astype(np.int16)
