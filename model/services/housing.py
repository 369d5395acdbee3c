"""Housing: public rental flats, per district; renters in need queue for them."""

from __future__ import annotations

import numpy as np

from urbanize.model.enums import Residence
from urbanize.model.services.base import Service
from urbanize.model.services.costs import COSTS


class PublicRental(Service):
    """Public rental flats, per district. Renting households queue; an admitted household moves in."""

    name = "public_rental"
    sector = "housing"
    unit = "flats"
    default_unit_cost = COSTS["public_rental"][0]
    cost_source = COSTS["public_rental"][1]

    income_line = 1200.0  # yuan/adult-month: renters below it would gain from a subsidised flat (assumed)
    graduates_need = (
        False  # recent graduates (head under 27) renting also want a flat (public_rental_housing)
    )

    def need_all(self) -> np.ndarray:
        pop = self.model.pop
        res = pop.residence
        public = int(Residence.PUBLIC_RENTAL)  # a plain int: numpy compares with an IntEnum ten times slower
        renting = res < public
        want = pop.income < self.income_line * pop.adults
        if self.graduates_need:
            want |= pop.graduate & (pop.head_age < 27)
        return ((renting & want) | (res == public)).astype(np.int16)

    def on_admit(self, rows: np.ndarray, units: np.ndarray) -> None:
        pop = self.model.pop
        pop.residence[rows] = Residence.PUBLIC_RENTAL
        pop.residence_months[rows] = 0
