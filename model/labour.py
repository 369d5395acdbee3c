"""The labour market and the origin (docs/model.md, section 7.6).

Wages of formal and informal jobs grow at ``wage_growth`` a year and origin income at ``origin_income_growth``.
The expected urban income of a migrant is the informal/formal wage mix times the chance of having a job
(Harris and Todaro 1970); its ratio to origin income drives arrivals.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from urbanize.model.enums import HouseholdType, Job

if TYPE_CHECKING:
    from urbanize.model.core import UrbanizationModel


class LabourMarket:
    def __init__(self, model: UrbanizationModel) -> None:
        self.model = model
        econ = model.profile.economy
        self.wage_formal0 = econ["wage_formal"]
        self.wage_informal0 = econ["wage_informal"]
        self.origin_income0 = econ["origin_income"]
        self.reference_ratio = 1.0  # set by the model after the starting population exists

    def _growth(self, annual: float) -> float:
        return float((1.0 + annual) ** (self.model.month / 12.0))

    def wages(self) -> np.ndarray:
        """Wages indexed by ``Job`` (none, informal, formal), yuan per worker-month."""
        g = self._growth(self.model.behaviour.wage_growth)
        return np.array([0.0, self.wage_informal0 * g, self.wage_formal0 * g])

    def origin_income(self) -> float:
        return self.origin_income0 * self._growth(self.model.behaviour.origin_income_growth)

    def unemployment(self, htype: HouseholdType | None = None) -> float:
        """Weighted share of working-age heads without a job (of one type, or all)."""
        pop = self.model.pop
        mask = pop.head_age < 60
        if htype is not None:
            mask &= pop.htype == htype
        w = pop.weight[mask]
        return float((w * (pop.job[mask] == Job.NONE)).sum() / max(w.sum(), 1e-12))

    def expected_urban_income(self) -> float:
        """Migrants' expected income: the mean wage of employed migrants times the employment chance."""
        pop = self.model.pop
        mig = (pop.htype == HouseholdType.MIGRANT) & (pop.head_age < 60)
        wages = self.wages()
        w = pop.weight[mig]
        employed = pop.job[mig] != Job.NONE
        if not employed.any():
            return 0.0
        mean_wage = float((w[employed] * wages[pop.job[mig][employed]]).sum() / w[employed].sum())
        return mean_wage * (1.0 - self.unemployment(HouseholdType.MIGRANT))

    def income_ratio(self) -> float:
        """Expected urban income over origin income (the Harris-Todaro gap as a ratio)."""
        return self.expected_urban_income() / max(self.origin_income(), 1e-9)
