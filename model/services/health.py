"""Health: child health-care profiles (0-36 months, with immunisation) and maternal health-care profiles."""

from __future__ import annotations

import numpy as np

from urbanize.model.services.base import Service
from urbanize.model.services.costs import COSTS


class ChildHealth(Service):
    """Health-care profiles (with immunisation) of children aged 0-36 months, per district clinic capacity."""

    name = "child_health"
    sector = "health"
    unit = "profiles"
    default_unit_cost = COSTS["child_health"][0]
    cost_source = COSTS["child_health"][1]

    def need_all(self) -> np.ndarray:
        return self.model.pop.kids_0_2


class MaternalHealth(Service):
    """Health-care profiles of pregnant women (antenatal care), per district capacity."""

    name = "maternal_health"
    sector = "health"
    unit = "profiles"
    default_unit_cost = COSTS["maternal_health"][0]
    cost_source = COSTS["maternal_health"][1]

    def need_all(self) -> np.ndarray:
        return (self.model.pop.pregnant > 0).astype(np.int16)
