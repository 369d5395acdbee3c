"""Housing services (Changshu): households in public rental flats; migrants' tenure."""

from __future__ import annotations

from collections.abc import Callable

from urbanize.model.indicators.base import Snapshot
from urbanize.model.indicators.service_base import NAN, service_indicator, services_of, wsum_of
from urbanize.model.indicators.tables import PERSONS


@service_indicator("public_rental_households", "Households living in public rental flats", "households")
def public_rental_households(s: Snapshot) -> float:
    svc = services_of(s)
    return NAN if svc is None else float(svc.public_rental.used_after.sum())


@service_indicator(
    "public_rental_migrant_households", "Migrant households in public rental flats", "households"
)
def public_rental_migrant_households(s: Snapshot) -> float:
    return wsum_of(s, "use_public_rental", False)


def _tenure_share(tenure: str) -> Callable[[Snapshot], float]:
    def share(s: Snapshot) -> float:
        return PERSONS.share(s, tenure, "nonlocal")

    return share


service_indicator("private_rental_share_migrant", "Share of migrants (persons) renting privately", "share")(
    _tenure_share("private_rental")
)
service_indicator("dormitory_share_migrant", "Share of migrants (persons) living in dormitories", "share")(
    _tenure_share("dormitory")
)
service_indicator(
    "urban_village_rental_share_migrant", "Share of migrants (persons) renting in urban villages", "share"
)(_tenure_share("urban_village_rental"))
