"""Equal access: ``access_gap_<service>``, the share of local urban residents who may use a service minus the
share of migrants who may (persons; as assessed in the month's decision phase; 0 is equal access), and the
migrants' access index."""

from __future__ import annotations

from collections.abc import Callable

from urbanize.model.indicators.base import Snapshot, ratio
from urbanize.model.indicators.service_base import NAN, service_indicator, services_of
from urbanize.model.services.city import ACCESS_SERVICES, INDEX_SERVICES


def _gap(name: str) -> Callable[[Snapshot], float]:
    def gap(s: Snapshot) -> float:
        svc = services_of(s)
        if svc is None:
            return NAN
        local, migrant = svc.access_rates.get(name, (NAN, NAN))
        return local - migrant

    return gap


# the private migrant school serves only non-hukou children: "equal access" to it is not a meaningful gap
for _name in ACCESS_SERVICES[:INDEX_SERVICES]:
    service_indicator(
        f"access_gap_{_name}",
        f"Share of local urban residents who may use {_name} minus the share of migrants who may",
        "share",
    )(_gap(_name))


@service_indicator(
    "migrant_access_index", "Mean access index of migrants (share of 11 household services open)", "share"
)
def migrant_access_index(s: Snapshot) -> float:
    # the int8 counts promote to float64 in the product itself; the migrants' persons come from the persons table
    open_services = float((s.migrant_pw * s.pop.access_count).sum())
    return ratio(open_services / 11.0, s.persons_with("nonlocal"))
