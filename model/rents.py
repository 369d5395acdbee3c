"""Rents and rent burden: what a dwelling of each tenure costs its household a month (docs/policies.md,
``rental_market``).

Rents are a pure function of the housing stock's state, so they need no bookkeeping and change nothing in a run
that does not read them: the rent of a private rental in a district rises as its vacancy falls below the
builders' target and falls as it rises above; a room in an urban village and a public rental flat cost fixed
shares of it; employers' dormitories and owned or resettlement homes cost no rent.

Figures (all assumed, for a county-level city of the Yangtze delta in 2009, in yuan per dwelling a month): a
private rental 600 (a one-room flat; Changshu's 2009 wage of an informal worker in the city profile is 1,800
a month, so a lone informal worker renting pays a third of it); a room in an urban village 0.5 of that (the
informal, unregulated market); a public rental flat 0.5 of the district's market rent (public rental housing
is let below market, the 2010 guideline of the Ministry of Housing and Urban-Rural Development asks for rents
"below the market level"; the share is assumed).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from urbanize.model.enums import Residence

if TYPE_CHECKING:
    from urbanize.model.core import UrbanizationModel

#: market rent of a private rental at the builders' target vacancy, yuan per dwelling a month (assumed)
BASE_PRIVATE_RENT = 600.0
#: rent of other tenures as a share of the district's private rent (assumed; see the module docstring)
RENT_SHARE = {
    Residence.DORMITORY: 0.0,
    Residence.URBAN_VILLAGE_RENTAL: 0.5,
    Residence.PRIVATE_RENTAL: 1.0,
    Residence.PUBLIC_RENTAL: 0.5,
    Residence.OWNED: 0.0,
    Residence.RESETTLEMENT: 0.0,
}
#: rise in rent per point of vacancy below the target (assumed: a vacancy 5 points under the target raises
#: rents by a quarter); rents stay within half and twice the base
VACANCY_ELASTICITY = 5.0
_SHARES = np.array([RENT_SHARE[r] for r in sorted(RENT_SHARE)])


def private_rents(model: UrbanizationModel) -> np.ndarray:
    """Market rent of a private rental in each district (yuan a month), from its vacancy."""
    stock = model.housing
    pr = int(Residence.PRIVATE_RENTAL)
    dwellings = stock.dwellings[:, pr]
    vacant = stock.vacant()[:, pr]
    vacancy = np.divide(
        vacant, dwellings, out=np.full(dwellings.size, stock.vacancy_target[pr]), where=dwellings > 0
    )
    factor = 1.0 + VACANCY_ELASTICITY * (stock.vacancy_target[pr] - vacancy)
    return BASE_PRIVATE_RENT * np.clip(factor, 0.5, 2.0)


def rents(model: UrbanizationModel, rows: np.ndarray, market: np.ndarray | None = None) -> np.ndarray:
    """Rent each household of ``rows`` pays for its dwelling (yuan a month, before any subsidy)."""
    pop = model.pop
    market = private_rents(model) if market is None else market
    return market[pop.district[rows]] * _SHARES[pop.residence[rows]]


def rent_burden(rent: np.ndarray, income: np.ndarray) -> np.ndarray:
    """Rent over household income (a household without income pays with help: its burden counts as 1)."""
    return np.where(income > 0, rent / np.maximum(income, 1e-9), 1.0)
