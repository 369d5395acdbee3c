"""The hukou office (docs/model.md, section 3, phase 6): grants local hukou to applicants after processing, within
an annual quota."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from urbanize.model.enums import Registration

if TYPE_CHECKING:
    from urbanize.model.core import UrbanizationModel


class HukouOffice:
    """Grants hukou to applicants after processing, within an annual quota reset each January."""

    def __init__(self, model: UrbanizationModel) -> None:
        self.model = model
        self.processing_months = 6
        self.quota_share = 1.0  # share of migrant households that may be granted hukou per year
        self.quota_remaining = 0.0  # real households

    def reset_quota(self) -> None:
        pop = self.model.pop
        migrants = float(pop.weight[~pop.hukou_local].sum())  # households without local hukou
        self.quota_remaining = self.quota_share * migrants

    def grant(self) -> None:
        """Grant hukou to applicants who have waited long enough, longest-waiting first, within the quota."""
        pop = self.model.pop
        # a plain int: numpy compares the int8 column with an IntEnum member ten times slower
        ready = np.flatnonzero(
            (pop.reg == int(Registration.HUKOU_APPLICANT)) & (pop.reg_months >= self.processing_months)
        )
        if ready.size == 0:
            return
        ready = ready[np.argsort(-pop.reg_months[ready], kind="stable")]
        within = np.cumsum(pop.weight[ready]) <= self.quota_remaining + 1e-9
        granted = ready[within]
        self.quota_remaining -= float(pop.weight[granted].sum())
        self.model.convert_to_urban_hukou(granted)
