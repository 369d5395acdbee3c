"""Health: child health-care profiles (0-36 months, with immunisation) and maternal health-care profiles.

Households without local hukou pay a profile's cost themselves (``fee_nonlocal``, yuan a month: the unit cost)
unless a policy makes it free (``maternal_child_health``, ``new_citizen_health``); hukou holders' profiles are
free (the national basic public health service package from 2009). Who takes a profile up is decided by
``take_up.health_take_up`` (docs/model.md, section 7.3).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from urbanize.model.services.base import Service
from urbanize.model.services.costs import COSTS

if TYPE_CHECKING:
    from urbanize.model.core import UrbanizationModel


class HealthProfile(Service):
    """A health-care profile service whose non-hukou users pay ``fee_nonlocal`` a month (assumed: the unit cost,
    as hospitals charged migrants the stipulated price)."""

    def __init__(self, model: UrbanizationModel) -> None:
        super().__init__(model)
        self.fee_nonlocal = self.unit_cost

    def cost(self) -> float:
        """Unit cost of every profile held, less the fees non-hukou households pay."""
        pop = self.model.pop
        rows = np.flatnonzero((self.held > 0) & ~pop.hukou_local)
        paid = self.fee_nonlocal * float((self.held[rows] * pop.weight[rows]).sum())
        return max(self.unit_cost * float(self.used_after.sum()) - paid, 0.0)


class ChildHealth(HealthProfile):
    """Health-care profiles (with immunisation) of children aged 0-36 months, per district clinic capacity."""

    name = "child_health"
    sector = "health"
    unit = "profiles"
    default_unit_cost = COSTS["child_health"][0]
    cost_source = COSTS["child_health"][1]

    def need_all(self) -> np.ndarray:
        return self.model.pop.kids_0_2


class MaternalHealth(HealthProfile):
    """Health-care profiles of pregnant women (antenatal care), per district capacity."""

    name = "maternal_health"
    sector = "health"
    unit = "profiles"
    default_unit_cost = COSTS["maternal_health"][0]
    cost_source = COSTS["maternal_health"][1]

    def need_all(self) -> np.ndarray:
        return (self.model.pop.pregnant > 0).astype(np.int16)
