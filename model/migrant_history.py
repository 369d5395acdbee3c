"""Starting migrants as the stock that the model's own arrivals and departures leave behind.

A city's migrants in January 2009 are the survivors of earlier arrivals: those who meant to settle stayed, those
who did not mostly left. Drawing their time in the city from a fixed distribution and their taste for settling
from the arrivals' distribution (as the model did before) starts the city far from the stock its own dynamics
keep, and the status quo then drifts for no reason the model explains (settlement intention rose from 0.57 to
0.83 in ten years). Here each starting migrant household's settlement taste and months in the city are drawn
from the steady-growth stock of the model's own rules, with arrivals growing at the rate those rules imply:

* A household with settlement utility ``u(j) = u0 + settle_years x years(j) + taste`` (``Migrant.decide_settlement``,
  years capped at 15, access at ``access_reference``) decides at months ``j = 0, 1, ...`` (the month it arrives,
  then after each month's ageing) and intends to settle once ``u`` is positive, so the first ``K`` of its monthly
  departure draws (``K = floor(t*) + 1``, ``t*`` where ``u`` reaches 0) come before settling. It leaves with
  monthly chance ``h_n`` before and ``h_s`` after (``Migrant.decide_departure``, at its starting job), so it has
  survived ``m`` draws with chance ``P(m) = (1-h_n)^min(m,K) (1-h_s)^max(0,m-K)``, and shows ``m - 1`` months.
* Arrivals are ``arrival_rate`` times the stock (``model.arrivals``, at the reference income ratio and access).
  In a stock whose arrivals grow at monthly rate ``g``, the share of households with taste ``x`` that have
  survived ``m`` draws is proportional to ``logistic(x) P(m | x) exp(-g m)``, m = 1..360, and ``g`` is the rate
  at which the arrivals this stock needs to grow at ``g`` are ``arrival_rate`` of it: ``arrival_rate = E[1 /
  sum_m exp(-g m) P(m)]`` over the stock's households (the Euler-Lotka equation of demography, truncated at the
  30-year bound; ``history_growth``). The needed arrivals rise with ``g``, so a bracketing root-finder finds the
  one ``g``, for a growing stock or a shrinking one: about 1.6 %/yr for alike households at the defaults and
  -10 %/yr with departures 20 % faster (``leave_const`` -2.875); 0.4 to 1.3 %/yr in the four cities' stocks
  at the defaults (10,000 households). Tastes are drawn by rejection from their marginal, then ``m`` from its
  piecewise-geometric conditional by inverting its distribution function.

Earlier versions found ``g`` by a fixed-point iteration, ``g = arrival_rate -`` the drawn stock's mean departure
chance, floored at half the settlers' departure rate. That is the balance of a stock without the 30-year bound:
within it the stock also loses, each month, the households that reach 30 years, and a shrinking stock
(``exp(-g m)`` rising with ``m``) holds many of those. The iteration also swung between about -1.5 %/month and
0 (a lower ``g`` draws more settlers, whose lower departure chance raises the next ``g``), and the floor held
it at -0.6 %/month where the root is -0.8 %/month: the start then held fewer settlers than the flows keep and
settlement intention rose 2.1 pp in a year under the history's own rules (tests/core/test_migrant_history.py),
and 5.1 pp in Yanta's first year with departures 20 % faster (seed 1469, the first-year property test).

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
about 0.1 to 0.2 pp a year (the history's own rules run forward: tests/core/test_migrant_history.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from scipy.optimize import brentq
from scipy.special import expit

from urbanize.model.enums import Job
from urbanize.model.members import KID_BANDS

if TYPE_CHECKING:
    from urbanize.model.params import BehaviourParams

MAX_YEARS = 30.0  # the longest stay drawn: migration out of the villages opened around 1980 (assumed)
YEARS_CAP = 15.0  # settlement utility stops rising after 15 years (Migrant.decide_settlement)
MONTHS = int(12 * MAX_YEARS)  # departure draws a household of the longest stay has been through
QUANTILES = 2000  # points of the taste quadrature in the growth equation (logistic quantiles)


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


def _months_unsettled(b: BehaviourParams, u0: np.ndarray, taste: np.ndarray) -> np.ndarray:
    """Departure draws a household takes before it intends to settle (0: settles on arrival; inf: never).

    It decides at months 0, 1, 2, ... and intends to settle at month ``j`` when ``u0 + taste + settle_years x
    min(j / 12, 15) > 0``, so it is unsettled at the draws ``j <= t*`` with ``t* = 12 (-u0 - taste) /
    settle_years``: ``floor(t*) + 1`` of them.
    """
    u = u0 + taste
    if b.settle_years <= 0:
        return np.where(u > 0, 0.0, np.inf)
    never = (u + b.settle_years * YEARS_CAP) <= 0
    with np.errstate(invalid="ignore"):
        k = np.floor(12.0 * (-u) / b.settle_years) + 1.0
    return np.where(u > 0, 0.0, np.where(never, np.inf, k))


def _geometric(rate: np.ndarray, n: np.ndarray) -> np.ndarray:
    """sum of exp(-rate m) over m = 1..n (n may be 0; rate may be zero or negative)."""
    flat = np.abs(rate) < 1e-12
    r = np.where(flat, 1.0, rate)
    return np.where(flat, n, -np.expm1(-r * n) / np.expm1(r))


def _pieces(a, s, g, draws):  # noqa: ANN001, ANN202  (vectorized helper)
    """Masses of the stays spent unsettled and settled: sum over m = 1..MONTHS of exp(-g m) P(m), P(m) the chance
    of surviving m departure draws, split at ``draws`` (the unsettled ones)."""
    alpha, sigma = a + g, s + g
    k = np.minimum(draws, MONTHS)
    m1 = _geometric(alpha, k)
    m2 = np.exp(-alpha * k) * _geometric(sigma, MONTHS - k)
    return alpha, sigma, k, m1, m2


def _growth_equation(b: BehaviourParams, u0: np.ndarray, a: np.ndarray, s: np.ndarray):  # noqa: ANN202
    """g -> the arrivals per household of the stock that growth at g asks for, less ``arrival_rate``.

    A group of alike households (features as drawn for the stock) holds ``E[sum_m exp(-g m) P(m)]`` households
    (months 1..MONTHS, over the arrivals' logistic tastes) per household of it arriving now, so growing at g it
    needs ``1 / E[...]`` arrivals per household of its own; the stock needs the mean of that over its households.
    """
    # groups of alike households (s follows from a): a few features make them, so a few groups
    _, iu = np.unique(u0, return_inverse=True)
    a_values, ia = np.unique(a, return_inverse=True)
    _, first, counts = np.unique(iu * a_values.size + ia, return_index=True, return_counts=True)
    rows = np.stack([u0[first], a[first], s[first]], axis=1)
    p = (np.arange(QUANTILES) + 0.5) / QUANTILES
    taste = np.log(p) - np.log1p(-p)  # the logistic's quantiles
    share = counts / counts.sum()
    draws = np.stack([_months_unsettled(b, np.full(QUANTILES, r[0]), taste) for r in rows])

    def shortfall(g: float) -> float:
        *_, m1, m2 = _pieces(rows[:, 1:2], rows[:, 2:3], g, draws)
        return float(share @ (1.0 / (m1 + m2).mean(axis=1)) - b.arrival_rate)

    return shortfall


def history_growth(b: BehaviourParams, u0: np.ndarray, a: np.ndarray, s: np.ndarray) -> float:
    """The monthly growth rate g of arrivals (and of the stock) that the model's own flows imply.

    Arrivals are ``arrival_rate`` times the stock. A household arriving now is still here after m months with
    chance P(m), so a stock fed by arrivals growing at g holds ``sum_m exp(-g m) P(m)`` households per household
    arriving now (months 1..MONTHS: the Euler-Lotka equation of demography, truncated at the 30-year bound), and g
    is the rate at which the arrivals this asks for equal ``arrival_rate`` (``_growth_equation``). That rises
    with g, so a bracketing root-finder finds the one root, for a growing stock or a shrinking one.
    """
    if b.arrival_rate <= 0:
        return 0.0  # no arrivals imply no history: the stock is drawn as one that kept its size (assumed)
    shortfall = _growth_equation(b, u0, a, s)
    # exp(1.5 x 360) is still finite; at g = 1.0 a stock needs more arrivals than any arrival_rate in range
    lo, hi = -1.5, 1.0
    if shortfall(lo) >= 0:  # an arrival_rate too small for any history within 30 years (practically never)
        return lo
    return float(brentq(shortfall, lo, hi, xtol=1e-10))


def stationary_history(
    rng: np.random.Generator, b: BehaviourParams, cols: dict[str, np.ndarray]
) -> tuple[np.ndarray, np.ndarray]:
    """(settle_taste, months_resident) of starting migrant households, from the steady-growth stock.

    ``cols`` are the household columns drawn so far (job, ``members``). The longest stay is ``MAX_YEARS``.
    """
    u0, a, s = _rates(b, cols)
    return _draw(rng, b, u0, a, s, history_growth(b, u0, a, s))


def _truncated_exponential(v, rate, span):  # noqa: ANN001, ANN202  (vectorized helper)
    """Inverse distribution function of exp(-rate t) on (0, span] at v in [0, 1) (uniform where rate is 0)."""
    flat = np.abs(rate) < 1e-12
    r = np.where(flat, 1.0, rate)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        t = -np.log1p(v * np.expm1(-r * span)) / r
    return np.where(flat, v * span, t)


def _draw(rng, b, u0, a, s, g):  # noqa: ANN001, ANN202  (vectorized helper)
    k = u0.size
    # the largest possible mass (settled from arrival: a >= s since leave_settle <= 0), to bound the rejection step
    upper = _geometric(s + g, np.full(k, float(MONTHS)))
    taste = np.empty(k)
    todo = np.arange(k)
    for _ in range(200):
        x = rng.logistic(0.0, 1.0, todo.size)
        *_, m1, m2 = _pieces(a[todo], s[todo], g, _months_unsettled(b, u0[todo], x))
        keep = rng.random(todo.size) * upper[todo] < m1 + m2
        taste[todo[keep]] = x[keep]
        todo = todo[~keep]
        if todo.size == 0:
            break
    if todo.size:  # practically never: accept the last proposals as they are
        taste[todo] = rng.logistic(0.0, 1.0, todo.size)
    alpha, sigma, unsettled, m1, m2 = _pieces(a, s, g, _months_unsettled(b, u0, taste))
    # m, the departure draws survived (1..MONTHS), has mass exp(-alpha m) up to ``unsettled`` and exp(-alpha
    # unsettled - sigma (m - unsettled)) after: the ceiling of a truncated exponential in each piece
    u = rng.random(k) * (m1 + m2)
    first = u < m1
    with np.errstate(divide="ignore", invalid="ignore"):
        v_first, v_after = u / m1, (u - m1) / m2
    before = np.ceil(_truncated_exponential(np.nan_to_num(v_first), alpha, unsettled))
    after = unsettled + np.ceil(_truncated_exponential(np.nan_to_num(v_after), sigma, MONTHS - unsettled))
    m = np.where(first, np.clip(before, 1, unsettled), np.clip(after, unsettled + 1, MONTHS))
    # a household decides and takes its departure draw at months 0, 1, ...: after m draws it shows m - 1 months
    return taste.astype(np.float32), (m - 1).astype(np.int16)
