"""The new rural cooperative medical scheme (NCMS) of the city's local rural-hukou residents.

Seed ch.2 V.2 (Changshu, public health): "Policies relating to funding arrangement and reimbursement for basic
medical insurance (rural cooperative system) need to be improved"; indicators "The funding level for basic medical
insurance (rural cooperative medical system), compensation percentage and rate of insurance coverage" and
"Increase in the new rural cooperative medical insurance entitlements". Migrants are insured at their origin's
county scheme (``insured`` = 3 from their arrival, ``calibration.initial_entitlements``); the city's scheme is its
local farmers'.

The scheme, a county-level pool renewed every January:

* **Funding level** ``F = subsidy + premium`` yuan a member-year: the government subsidy and the individual premium
  (status quo: the 2008-2009 national standard of 80 + 20 yuan; Xinhua 2008-12-11 and 2010-03-09).
* **Benefits** (the members' entitlement): the scheme spends what it raises ("以收定支, 收支平衡", the NCMS funding
  rule), ``B = PAYOUT_RATIO x F`` yuan a member-year.
* **Compensation percentage**: the share of members' inpatient costs reimbursed,
  ``min(max_compensation, INPATIENT_SHARE x B / INPATIENT_COST)``: inpatient care takes ``INPATIENT_SHARE`` of the
  payout; at 2009 prices a member's inpatient care costs ``INPATIENT_COST`` a year. Benefits beyond what the
  ceiling reimburses of that cost are spent on more inpatient care (insured members use more of it: assumed,
  as the NCMS evaluations found rising admissions), so they raise the benefit, not the percentage.
* **Enrolment** (households' decision, each January and when a local household forms or the run starts): a local
  rural-hukou household outside the urban schemes enrols when
  ``logistic(ncms_const + ncms_benefit x (B - premium) / 100) > u``, ``u`` its persistent taste (``ncms_taste``),
  and leaves the scheme otherwise. Urban-scheme take-up (``social_security.MedicalInsurance``) moves members out
  where a policy opens it to them (``resident_medical_integration``).
* **Integrated scheme** (city file ``[medical_insurance] resident_schemes_integrated``; Changshu, seed ch.2 V.2,
  social securities, current situation: "Integration completed of new rural cooperative medical system into urban
  residents' basic medical system"): the rural scheme and the urban residents' scheme are one pool. Its members
  hold the residents' scheme (``insured`` = 2, so local farmers count in urban medical insurance), the pool books
  the subsidy and premium of every local-hukou member, rural and urban, at one funding level (the figures above,
  which a policy changes for all of them), and local rural-hukou households outside the employee scheme still
  decide on it each January by the rule above (its funding, compensation and coverage remain the seed's NCMS
  indicators). Local urban households enter it by the urban scheme's monthly take-up, as before: the rule that
  fits each group's enrolment (the logit was fitted to NCMS enrolment), unchanged by the merger (assumed).

Draws come from a generator of the scheme's own (``model.streams.child_rng``), so the scheme changes no other draw
of a run; the government subsidy is booked as health spending of the city and the premium as households' fees.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from urbanize.model import calendar
from urbanize.model.services.social_security import INSURANCE_NCMS, INSURANCE_NONE, INSURANCE_RESIDENT
from urbanize.model.streams import child_rng

if TYPE_CHECKING:
    from urbanize.model.core import UrbanizationModel

#: Government subsidy and individual premium, yuan a member-year: the 2008-2009 national standard (Ministry of
#: Health, Xinhua 2008-12-11: "20 yuan from the participant and 80 yuan from the government").
SUBSIDY_2009, PREMIUM_2009 = 80.0, 20.0
#: Benefits paid as a share of the funds raised: between the national 0.98 (2009: 92.29 of 94.44 billion yuan)
#: and 0.83 (2011: 171.0 of 204.8 billion yuan); NBS China Statistical Yearbook 2012, table 21-20.
PAYOUT_RATIO = 0.9
#: Share of the payout on inpatient care, 2009 (Ministry of Health, Xinhua 2010-03-09: 82.6 %).
INPATIENT_SHARE = 0.826
#: A member's inpatient costs, yuan a year at 2009 prices: derived so that the 2009 national figures agree
#: (92.29 billion paid to 833 million members, 82.6 % of it inpatient, 55 % of inpatient costs reimbursed:
#: 0.826 x 110.8 / 0.55 = 166 yuan; Xinhua 2010-03-09).
INPATIENT_COST = 166.4
#: Ceiling of the compensation percentage under the status quo: the 55 % reported for 2009 (same source).
MAX_COMPENSATION_2009 = 0.55
#: Key of the scheme's generator among the children of the model's seed sequence.
_RNG_KEY = 60_662


class RuralCooperativeMedical:
    """The city's NCMS pool: funding, benefits, compensation and the enrolment of local rural households.

    Attributes:
        subsidy: government subsidy, yuan a member-year (a policy may raise it: ``ncms_improvement``).
        premium: individual premium, yuan a member-year.
        max_compensation: ceiling of the share of inpatient costs reimbursed.
        integrated: whether the scheme is integrated with the urban residents' scheme (the city file's
            ``[medical_insurance] resident_schemes_integrated``).
        code: the ``insured`` value of its members: the residents' scheme when integrated, else the NCMS.
        entered: real persons who joined the scheme this month (the month's new entitlements).
    """

    name = "ncms"
    sector = "health"

    def __init__(self, model: UrbanizationModel) -> None:
        self.model = model
        self.rng = child_rng(model, _RNG_KEY)
        self.subsidy = SUBSIDY_2009
        self.premium = PREMIUM_2009
        self.max_compensation = MAX_COMPENSATION_2009
        self.payer = "city"
        self.integrated = model.profile.medical_schemes_integrated
        self.code = INSURANCE_RESIDENT if self.integrated else INSURANCE_NCMS
        self.entered = 0.0
        pop = model.pop
        pop.add_column("ncms_taste", np.float32, 0.5, "persistent taste against enrolling in the NCMS, uniform")
        self.draw_tastes(np.arange(pop.n))

    # --- the scheme's figures ---------------------------------------------------------------------------------
    @property
    def funding(self) -> float:
        """Funds raised per member, yuan a year."""
        return self.subsidy + self.premium

    @property
    def benefit(self) -> float:
        """Benefits paid per member, yuan a year (the members' entitlement)."""
        return PAYOUT_RATIO * self.funding

    @property
    def compensation(self) -> float:
        """Share of members' inpatient costs the scheme reimburses."""
        return min(self.max_compensation, INPATIENT_SHARE * self.benefit / INPATIENT_COST)

    def enrol_chance(self) -> float:
        """Share of local rural households that would enrol at this year's net benefit (the logit)."""
        b = self.model.behaviour
        utility = b.ncms_const + b.ncms_benefit * (self.benefit - self.premium) / 100.0
        return float(1.0 / (1.0 + np.exp(-np.clip(utility, -50.0, 50.0))))

    # --- households ---------------------------------------------------------------------------------------
    def draw_tastes(self, rows: np.ndarray) -> None:
        """Persistent tastes of households entering the rows (the scheme's own generator; never 0 or 1)."""
        self.model.pop.ncms_taste[rows] = np.clip(self.rng.random(rows.size), 1e-6, 1 - 1e-6)

    def enrol(self, rows: np.ndarray | None = None) -> None:
        """Local rural-hukou households outside the other schemes (of ``rows``, or all) enrol or leave, by the rule
        of the module docstring. When integrated, a household still holding the NCMS (the starting entitlements)
        decides as a member: the merger moved the members, so it is not a new entitlement."""
        pop = self.model.pop
        ins = pop.insured
        if rows is None:
            rows = np.arange(pop.n)
        i = ins[rows]
        held = (i == INSURANCE_NCMS) | (i == self.code)
        cand = rows[pop.hukou_local[rows] & ~pop.hukou_urban[rows] & ((i == INSURANCE_NONE) | held)]
        joins = self.enrol_chance() > pop.ncms_taste[cand]
        new = cand[joins & (ins[cand] == INSURANCE_NONE)]
        self.entered += float((pop.persons(new) * pop.weight[new]).sum())
        ins[cand] = np.where(joins, self.code, INSURANCE_NONE)

    def is_member(self, insured: np.ndarray, hukou_local: np.ndarray) -> np.ndarray:
        """Rows whose subsidy the pool books: local-hukou households holding the scheme (rural and urban when
        integrated; migrants' NCMS is at their origin)."""
        return (insured == self.code) & hukou_local

    def apply(self) -> None:
        """Decision phase: the yearly enrolment, each January."""
        self.entered = 0.0
        if calendar.date_of(self.model.month).month == 1:
            self.enrol()

    # --- the ledger ---------------------------------------------------------------------------------------
    def members(self) -> float:
        """Real persons in the city's scheme (:meth:`is_member`)."""
        pop = self.model.pop
        rows = np.flatnonzero(self.is_member(pop.insured, pop.hukou_local))
        return float((pop.persons(rows) * pop.weight[rows]).sum())

    def cost(self) -> float:
        """The government subsidy of this month's members."""
        return self.subsidy / 12.0 * self.members()

    def fees(self) -> float:
        """The individual premiums of this month's members."""
        return self.premium / 12.0 * self.members()

    def cost_and_fees(self) -> tuple[float, float]:
        """(:meth:`cost`, :meth:`fees`) from one count of the members."""
        members = self.members()
        return self.subsidy / 12.0 * members, self.premium / 12.0 * members


__all__ = ["INPATIENT_COST", "INPATIENT_SHARE", "PAYOUT_RATIO", "RuralCooperativeMedical"]
