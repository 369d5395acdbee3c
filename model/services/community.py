"""Community: places in community service centres (households served), per district."""

from __future__ import annotations

import numpy as np

from urbanize.model.services.base import Service
from urbanize.model.services.costs import COSTS


class CommunityCentre(Service):
    """Places in community service centres (households served), per district."""

    name = "community_centre"
    sector = "community"
    unit = "households served"
    default_unit_cost = COSTS["community_centre"][0]
    cost_source = COSTS["community_centre"][1]

    def need_all(self) -> np.ndarray:
        """Households that use community services: with young children or elders."""
        pop = self.model.pop
        users = (pop.kids_0_2 > 0) | (pop.kids_3_5 > 0) | (pop.elders > 0)
        return users.astype(np.int16)
