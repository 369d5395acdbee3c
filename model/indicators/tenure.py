"""Housing services (Changshu): households in public rental flats; migrants' tenure."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from urbanize.model.enums import Residence
from urbanize.model.indicators.base import Snapshot, ratio
from urbanize.model.indicators.service_base import NAN, cached, service_indicator, services_of, wsum


@service_indicator("public_rental_households", "Households living in public rental flats", "households")
def public_rental_households(s: Snapshot) -> float:
    svc = services_of(s)
    return NAN if svc is None else float(svc.public_rental.used_after.sum())


@service_indicator(
    "public_rental_migrant_households", "Migrant households in public rental flats", "households"
)
def public_rental_migrant_households(s: Snapshot) -> float:
    return wsum(s, s.pop.use_public_rental, False)


def _tenure_share(res: Residence) -> Callable[[Snapshot], float]:
    def share(s: Snapshot) -> float:
        # migrants' persons by tenure, one pass for all the tenure shares
        by_tenure = cached(
            s,
            "migrant_persons_by_tenure",
            lambda: np.bincount(
                s.pop.residence.view(np.uint8), weights=s.migrant_pw, minlength=len(Residence)
            ),
        )
        return ratio(float(by_tenure[int(res)]), float(by_tenure.sum()))

    return share


service_indicator("private_rental_share_migrant", "Share of migrants (persons) renting privately", "share")(
    _tenure_share(Residence.PRIVATE_RENTAL)
)
service_indicator("dormitory_share_migrant", "Share of migrants (persons) living in dormitories", "share")(
    _tenure_share(Residence.DORMITORY)
)
service_indicator(
    "urban_village_rental_share_migrant", "Share of migrants (persons) renting in urban villages", "share"
)(_tenure_share(Residence.URBAN_VILLAGE_RENTAL))
