"""Fees and take-up: what a school or a health profile costs a household decides whether it seeks one.

Two documented rules (coefficients in ``model.take_up_params``, defaults, units and sources in docs/model.md,
section 7.3, "Fees and take-up"), both vectorised over the household columns and run once a decision phase:

* :func:`school_choice`: a family pays a school's fees for its children of compulsory age when the fees are within
  its tolerance, ``income x school_fee_share x ((1 - u) / u)^(1 / school_fee_steepness)`` with ``u`` its persistent
  taste (``school_taste``, uniform): across families, the share still paying fees ``c`` is the log-logistic
  ``1 / (1 + (c / (income x school_fee_share))^steepness)``, so free schooling is always paid and a fee of
  ``school_fee_share`` of income is refused by half. A family seeks a public seat when it would pay the public
  fees (``fee_nonlocal`` per pupil for non-hukou children, nothing for hukou holders'), and a private migrant
  school place for its children without a public seat when it would pay the tuition (``private_tuition`` less the
  city's allowance per pupil, assumed passed on in full). A family keeps the places it already holds (fees are paid
  by the term and a place is not given up lightly; assumed), so fees decide who seeks a place. A non-hukou family
  none of whose children of compulsory age is in school and that would pay neither sends them home to grandparents
  (left-behind children) with chance ``left_behind_rate`` a month; until then they are unschooled. A family
  arriving this month (its income is computed as it arrives, ``model.arrivals``) that could school its children
  nowhere here has left them at the origin.
* :func:`health_take_up`: a household with access seeks a health profile (child or maternal) when
  ``logistic(health_const + health_informed x informed + health_years x min(years here, 3) - health_cost x
  100 x fee / income) > u`` with ``u`` its persistent taste (``health_taste``): take-up below 1 among those with
  access, rising with information and time in the city and falling with what the profile costs (non-hukou
  households pay its cost, ``fee_nonlocal``, unless a policy makes it free). Informed: local hukou, registered
  with the migrant information system, served by a community centre, or holding a resident health record
  (``health_record``, opened by the ``health_records`` policy: the record ties the family to its community health
  station, which follows up young children and pregnant women).

Persistent tastes make the rules deterministic for a household whose circumstances do not change (no flipping
from month to month), while the share of households choosing each option follows the logit or log-logistic
curve above. Tastes are drawn from the model's generator when a household enters the rows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from urbanize.model.members import FEMALE, MALE
from urbanize.model.services.draws import sample

if TYPE_CHECKING:
    from urbanize.model.core import UrbanizationModel
    from urbanize.model.services.city import CityServices

#: Age bands of the members matrix holding children of compulsory age (6-11 and 12-14).
COMPULSORY_BANDS = (2, 3)
#: Years in the city counted by the health take-up rule.
HEALTH_YEARS_CAP = 3.0


def add_columns(model: UrbanizationModel) -> None:
    """The columns of the rules: persistent tastes and this month's school decisions."""
    pop = model.pop
    pop.add_column("school_taste", np.float32, 0.5, "persistent taste for paying school fees, uniform (0, 1)")
    pop.add_column(
        "fee_factor", np.float64, 1.0, "((1 - u) / u) ** (1 / school_fee_steepness) of u = fee_factor_taste (a cache)"
    )
    pop.add_column("fee_factor_taste", np.float32, 0.0, "the school_taste fee_factor was computed from (0: none)")
    pop.add_column(
        "health_taste", np.float32, 0.5, "persistent taste against taking up a health profile, uniform"
    )
    pop.add_column("pays_public", np.bool_, True, "the family would pay public school fees for its children")
    pop.add_column("pays_private", np.bool_, True, "the family would pay private migrant school tuition")
    pop.add_column(
        "health_record", np.bool_, False, "holds a resident health record of the local health information system"
    )


def draw_tastes(model: UrbanizationModel, rows: np.ndarray) -> None:
    """Persistent tastes of households entering the rows (from the model's generator; never 0 or 1)."""
    pop = model.pop
    u = model.rng.random((2, rows.size))
    pop.school_taste[rows] = np.clip(u[0], 1e-6, 1 - 1e-6)
    pop.health_taste[rows] = np.clip(u[1], 1e-6, 1 - 1e-6)


#: model attribute holding the steepness ``fee_factor`` was computed with (absent: not yet computed)
_FACTOR_OF = "_fee_factor_steepness"


def _taste_factor(model: UrbanizationModel, rows: np.ndarray) -> np.ndarray:
    """``((1 - u) / u) ** (1 / school_fee_steepness)`` of the school taste ``u`` at ``rows``: a power (a quarter of
    a millisecond over 18,000 families, twice a month), so kept per household in ``fee_factor`` with the taste and
    the steepness it was computed from, and computed again where either differs (the same floats either way)."""
    pop, steepness = model.pop, model.behaviour.school_fee_steepness
    if getattr(model, _FACTOR_OF, None) != steepness:
        pop.fee_factor_taste[:] = 0.0  # a new steepness: every row again
        setattr(model, _FACTOR_OF, steepness)
    taste = pop.school_taste[rows]
    stale = np.flatnonzero(taste != pop.fee_factor_taste[rows])
    if stale.size:
        at = rows[stale]
        u = taste[stale].astype(np.float64)
        pop.fee_factor[at] = ((1.0 - u) / u) ** (1.0 / steepness)
        pop.fee_factor_taste[at] = taste[stale]
    return pop.fee_factor[rows]


def fee_tolerance(model: UrbanizationModel, rows: np.ndarray) -> np.ndarray:
    """Yuan a month the families at ``rows`` would pay in school fees for all their children of compulsory age."""
    b, pop = model.behaviour, model.pop
    income = np.maximum(pop.income[rows].astype(np.float64), 0.0)
    return income * b.school_fee_share * _taste_factor(model, rows)


def private_fee(services: CityServices) -> float:
    """Tuition of a private migrant school per pupil-month after the city's allowance."""
    return max(services.model.behaviour.private_tuition - services.private.subsidy, 0.0)


def school_choice(services: CityServices) -> None:
    """Decide, for every family with children of compulsory age, whether it would pay public school fees and
    private tuition (``pays_public``, ``pays_private``); send home the children of families that would pay
    neither and have none in school."""
    model = services.model
    pop = model.pop
    kids6, kids12 = pop.kids_6_11, pop.kids_12_14
    rows = np.flatnonzero((kids6 > 0) | (kids12 > 0))
    if rows.size == 0:
        return
    tolerance = fee_tolerance(model, rows)
    nonlocal_ = ~pop.hukou_local[rows]
    k6, k12 = kids6[rows].astype(np.float64), kids12[rows].astype(np.float64)
    public_fees = nonlocal_ * (services.primary.fee_nonlocal * k6 + services.junior.fee_nonlocal * k12)
    pays_public = public_fees <= tolerance
    in_public = pop.use_primary_school[rows] + pop.use_junior_school[rows]
    without = np.maximum(k6 + k12 - in_public, 0.0)
    pays_private = private_fee(services) * without <= tolerance
    pop.pays_public[rows] = pays_public
    pop.pays_private[rows] = pays_private
    b = model.behaviour
    stuck = nonlocal_ & ~pays_public & ~pays_private & (in_public + pop.use_private_migrant_school[rows] == 0)
    # a family arriving this month that could school its children nowhere here left them at the origin
    arrived = (pop.arrived_month[rows] == model.month) & (model.month > 0)  # month 0: the starting population
    home = np.concatenate(
        [rows[stuck & arrived], sample(model.rng, rows[stuck & ~arrived], b.left_behind_rate)]
    )
    if home.size:
        send_home(model, home)


def send_home(model: UrbanizationModel, rows: np.ndarray) -> None:
    """The children of compulsory age of ``rows`` (distinct rows) leave the city to live at the origin (left-behind
    children); their queue places go with them, and they count among the month's departures of persons."""
    pop = model.pop
    members = pop.members
    sent = 0.0
    for band in COMPULSORY_BANDS:
        for sex in (MALE, FEMALE):
            count = members[sex, band, rows]
            sent += float((count.astype(np.float64) * pop.weight[rows]).sum())
            # every child of the cell leaves: the cell is emptied (what add_persons(rows, sex, band, -count) leaves
            # at distinct rows), and the derived columns are synced once for the four cells, not once per cell
            members[sex, band, rows] = 0
    pop.sync_members(rows)
    services = model.services
    for name in ("primary_school", "junior_school", "private_migrant_school"):
        svc = services[name]
        svc.waiting[rows] = 0
        svc.waiting_months[rows] = 0
    services.sent_home += sent
    model.flows["departures"] += sent  # persons leaving the city (the residents' balance counts them)


def health_take_up(model: UrbanizationModel, fee_nonlocal: float, access: np.ndarray) -> np.ndarray:
    """Access mask narrowed to the households that would take up a profile costing non-hukou ones
    ``fee_nonlocal`` yuan a month (the rule of the module docstring); only rows with access are evaluated."""
    rows = access.nonzero()[0]
    if rows.size == 0:
        return access
    pop, b = model.pop, model.behaviour
    local = pop.hukou_local[rows]
    informed = local | (pop.reg[rows] >= 1) | (pop.use_community_centre[rows] > 0) | pop.health_record[rows]
    years = np.minimum(pop.months_resident[rows].astype(np.float64) / 12.0, HEALTH_YEARS_CAP)
    share = np.where(local, 0.0, fee_nonlocal / np.maximum(pop.income[rows].astype(np.float64), 1.0))
    logit = (
        b.health_const + b.health_informed * informed + b.health_years * years - b.health_cost * 100 * share
    )
    # np.clip(logit, -50, 50) as a maximum then a minimum (ufuncs: the same values without the Python wrappers)
    takes = 1.0 / (1.0 + np.exp(-np.minimum(np.maximum(logit, -50.0), 50.0))) > pop.health_taste[rows]
    out = np.zeros(access.shape, dtype=bool)
    out[rows.compress(takes)] = True
    return out


__all__ = ["add_columns", "draw_tastes", "fee_tolerance", "health_take_up", "school_choice", "send_home"]
