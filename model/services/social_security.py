"""Social security: pension schemes and medical insurance (entitlements with take-up, no seats)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from urbanize.model.enums import Job
from urbanize.model.retirement import (
    PENSION_EMPLOYEE,
    PENSION_NEW_RURAL,
    PENSION_NONE,
    PENSION_RESIDENT,
    statutory_age,
)
from urbanize.model.services.base import Entitlement
from urbanize.model.services.costs import COSTS
from urbanize.model.services.draws import draw

if TYPE_CHECKING:
    from urbanize.model.core import UrbanizationModel

INSURANCE_NONE, INSURANCE_EMPLOYEE, INSURANCE_RESIDENT, INSURANCE_NCMS = 0, 1, 2, 3


def reached_by_community(pop: Any, rows: np.ndarray) -> np.ndarray:
    """Households a community centre serves or the community otherwise reaches (a centre's social-insurance desk,
    a social organization: ``community_reached``), to whom community delivery raises take-up."""
    return (pop.use_community_centre[rows] > 0) | pop.community_reached[rows] | (pop.org_member[rows] >= 0)


def _mask(access: np.ndarray) -> np.ndarray:
    """``access > 0`` as a boolean mask: the mask itself when it is one (numpy compares a boolean array with 0
    through 64-bit ints, fifteen times slower than reading it)."""
    return access if access.dtype == np.bool_ else access > 0


class Pension(Entitlement):
    """Pension schemes: urban employee (formal jobs), urban-rural resident (others with urban access) and
    new rural pension (local rural hukou without urban access). Enrolment follows monthly take-up chances;
    non-local households take up far less (2009: 7.6 % of migrant workers had pension insurance, NBS migrant
    worker monitoring survey).

    Membership of the employee scheme lasts as long as the contributions through a formal job: a head who leaves
    formal work before the statutory retirement age stops contributing (his accrued account is frozen, not paid
    out) and the household is no longer an active member (scheme 0), free to join the resident or new rural
    scheme by their take-up; a head retired at the statutory age keeps the scheme and draws it. Without this
    exit, entry through formal jobs was a one-way door and job turnover ratcheted coverage up (local farmers'
    coverage crept 0.36 -> 0.49 in ten years of the status quo while their formal employment fell 0.36 -> 0.20:
    three in ten farmers without a formal job stayed in the employee scheme, none at the start).
    """

    name = "pension"
    sector = "social_security"
    cost_source = "contribution subsidy and basic pensions (Guo Fa [2009] 32; urban resident basic assumed)"

    def __init__(self, model: UrbanizationModel) -> None:
        super().__init__(model)
        model.pop.add_column(
            "pension", np.int8, 0, "pension scheme: 0 none, 1 employee, 2 resident, 3 new rural"
        )
        self.take_up_local = 0.2  # assumed monthly enrolment chance of eligible local households
        self.take_up_nonlocal = 0.01  # assumed (low employer compliance for migrants)
        self.take_up_new_rural = 0.02  # assumed roll-out of the new rural pension
        self.delivery_boost = 1.0  # take-up multiplier for households the community reaches

    def apply(self, access: np.ndarray) -> None:
        pop, model = self.model.pop, self.model
        scheme = pop.pension
        local = pop.hukou_local
        formal = pop.job == int(Job.FORMAL)  # a plain int: ten times faster than the IntEnum
        self.lapse(formal)
        acc_all = _mask(access)
        cand = np.flatnonzero(
            (
                acc_all
                & (((scheme != PENSION_EMPLOYEE) & formal) | (scheme == 0) | (scheme == PENSION_NEW_RURAL))
            )
            | (~acc_all & local & ~pop.hukou_urban & (scheme == 0))
        )
        if cand.size == 0:
            return
        acc = acc_all[cand]
        chance = np.where(
            acc, np.where(local[cand], self.take_up_local, self.take_up_nonlocal), self.take_up_new_rural
        )
        if self.delivery_boost != 1.0:
            chance = chance * np.where(reached_by_community(pop, cand), self.delivery_boost, 1.0)
        join = draw(model.rng, cand, chance)
        a = acc_all[join]
        scheme[join] = np.where(
            a, np.where(formal[join], PENSION_EMPLOYEE, PENSION_RESIDENT), PENSION_NEW_RURAL
        )

    def lapse(self, formal: np.ndarray) -> None:
        """Employee-scheme members without a formal job and under the statutory retirement age stop contributing
        and leave the scheme (see the class docstring)."""
        pop = self.model.pop
        rows = np.flatnonzero((pop.pension == PENSION_EMPLOYEE) & ~formal)
        if rows.size:
            rows = rows[pop.head_age[rows] < statutory_age(pop, rows)]
            pop.pension[rows] = PENSION_NONE

    def cost(self) -> float:
        return self.cost_and_fees()[0]

    def fees(self) -> float:
        """Individual contributions of the adults enrolled in the resident and new rural schemes."""
        return self.cost_and_fees()[1]

    def cost_and_fees(self) -> tuple[float, float]:
        """(contribution subsidies and basic urban-resident pensions, individual contributions): both count the
        adults of the resident and new rural schemes, once."""
        return self.booking()[:2]

    def booking(self) -> tuple[float, float, float]:
        """(:meth:`cost`, :meth:`fees`, central cost) from one pass over the resident and new rural schemes' rows.
        The central cost is the basic new rural pensions of the new rural scheme's elders, paid by the central
        government (``CityServices.book``)."""
        pop = self.model.pop
        pension = pop.pension
        rows = ((pension == PENSION_RESIDENT) | (pension == PENSION_NEW_RURAL)).nonzero()[0]
        w = pop.weight[rows]
        resident = pension[rows] == PENSION_RESIDENT
        adults = float((pop.adults[rows].astype(float) * w).sum())
        subsidy = COSTS["pension_contribution_subsidy"][0] * adults
        elders = pop.elders[rows].astype(float) * w
        # compress: the same elements as boolean indexing (the schemes are scattered over the rows)
        cost = subsidy + COSTS["pension_basic_urban_resident"][0] * float(elders.compress(resident).sum())
        central = COSTS["pension_basic_new_rural"][0] * float(elders.compress(~resident).sum())
        return cost, COSTS["pension_individual_contribution"][0] * adults, central


class MedicalInsurance(Entitlement):
    """Medical insurance: urban employee (formal jobs), urban resident (others with urban access), new rural
    cooperative (rural hukou without urban access; migrants' NCMS is paid at origin and not booked here)."""

    name = "medical_insurance"
    sector = "health"
    cost_source = COSTS["medical_subsidy"][1]

    def __init__(self, model: UrbanizationModel) -> None:
        super().__init__(model)
        model.pop.add_column(
            "insured", np.int8, 0, "medical insurance: 0 none, 1 employee, 2 resident, 3 NCMS"
        )
        self.take_up_local = 0.2  # assumed
        self.take_up_nonlocal = 0.02  # assumed
        self.delivery_boost = 1.0
        # local members of the integrated residents' pool are booked by it (model.services.ncms)
        self.pooled_locals = model.profile.medical_schemes_integrated

    def apply(self, access: np.ndarray) -> None:
        pop, model = self.model.pop, self.model
        ins = pop.insured
        formal = pop.job == int(Job.FORMAL)  # a plain int: see Pension.apply
        open_ = _mask(access)
        if self.pooled_locals:  # local farmers decide on the integrated pool each January (model.services.ncms)
            open_ = open_ & (formal | ~pop.hukou_local | pop.hukou_urban)
        cand = np.flatnonzero(
            open_ & (((ins != INSURANCE_EMPLOYEE) & formal) | (ins == 0) | (ins == INSURANCE_NCMS))
        )
        if cand.size == 0:
            return
        chance = np.where(pop.hukou_local[cand], self.take_up_local, self.take_up_nonlocal)
        if self.delivery_boost != 1.0:
            chance = chance * np.where(reached_by_community(pop, cand), self.delivery_boost, 1.0)
        join = draw(model.rng, cand, chance)
        ins[join] = np.where(formal[join], INSURANCE_EMPLOYEE, INSURANCE_RESIDENT)

    def cost(self) -> float:
        """Government premium subsidies for urban resident members (persons); the city's NCMS members are booked
        by their scheme (``ncms.RuralCooperativeMedical``), migrants' NCMS at their origin. Where the city's
        resident schemes are integrated, that pool books its local-hukou members too, so only non-local members
        (admitted by a policy) are booked here."""
        pop = self.model.pop
        resident = pop.insured == INSURANCE_RESIDENT
        rows = np.flatnonzero(resident & ~pop.hukou_local if self.pooled_locals else resident)
        return COSTS["medical_subsidy"][0] * float(
            ((pop.persons(rows).astype(float)) * (pop.weight[rows])).sum()
        )

    def fees(self) -> float:
        """Individual premiums of the members whose government subsidy is booked here (same persons)."""
        return self._fees_of(self.cost())

    @staticmethod
    def _fees_of(cost: float) -> float:
        return cost * COSTS["medical_individual_premium"][0] / COSTS["medical_subsidy"][0]

    def cost_and_fees(self) -> tuple[float, float]:
        """(:meth:`cost`, :meth:`fees`) from one count of the members."""
        cost = self.cost()
        return cost, self._fees_of(cost)
