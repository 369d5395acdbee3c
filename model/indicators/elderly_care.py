"""Elderly care (Yanta, Changshu): elders, beds and places, occupancy, queues, elders served by group, carers and
subsidies (services in ``model/services/elderly_care.py``).

Seed indicators: Yanta "Number of beds in day care centres and amount of financial subsidies provided to elder care
institutions"; Changshu "Beds in the elderly care institutions".
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from urbanize.model.enums import HouseholdType
from urbanize.model.indicators.base import Snapshot, ratio
from urbanize.model.indicators.service_base import NAN, cached, service_indicator, services_of
from urbanize.model.population import Population
from urbanize.model.services.elderly_care import ElderlyCare

SERVICES = ("elder_home_support", "elder_day_care", "elder_care_home")
UNITS = {"elder_home_support": "places", "elder_day_care": "beds", "elder_care_home": "beds"}


def _care(s: Snapshot) -> ElderlyCare | None:
    svc = services_of(s)
    return None if svc is None else svc.elderly


def _service(name: str, s: Snapshot):  # noqa: ANN202 - an elderly-care Service
    care = _care(s)
    return None if care is None else next(x for x in care.services if x.name == name)


@service_indicator("elders", "Residents aged 60+", "persons")
def elders(s: Snapshot) -> float:
    return s.weighted_total("elders")


@service_indicator("elders_poor_health", "Residents aged 60+ in poor health (unhealthy or dependent)", "persons")
def elders_poor_health(s: Snapshot) -> float:
    return s.weighted_total("frail_elders")


def _capacity(name: str) -> Callable[[Snapshot], float]:
    def capacity(s: Snapshot) -> float:
        svc = _service(name, s)
        return NAN if svc is None else float(svc.capacity.sum())

    return capacity


def _served(name: str) -> Callable[[Snapshot], float]:
    def served(s: Snapshot) -> float:
        svc = _service(name, s)
        return NAN if svc is None else float(svc.used_after.sum())

    return served


def _occupancy(name: str) -> Callable[[Snapshot], float]:
    def occupancy(s: Snapshot) -> float:
        svc = _service(name, s)
        return NAN if svc is None else ratio(float(svc.used_after.sum()), float(svc.capacity.sum()))

    return occupancy


def _queue(name: str) -> Callable[[Snapshot], float]:
    def queue(s: Snapshot) -> float:
        svc = _service(name, s)
        return NAN if svc is None else svc.unmet_after

    return queue


for _name in SERVICES:
    _label = _name.replace("elder_", "").replace("_", " ")
    service_indicator(f"{_name}_capacity", f"Elderly care: {_label} {UNITS[_name]}", UNITS[_name])(_capacity(_name))
    service_indicator(f"{_name}_served", f"Elders served by {_label} after allocation", "persons")(_served(_name))
    service_indicator(f"{_name}_occupancy", f"Share of {_label} {UNITS[_name]} in use", "share")(_occupancy(_name))
    service_indicator(f"{_name}_queue", f"Elders waiting for {_label} after allocation", "persons")(_queue(_name))


def _serving(s: Snapshot, care: ElderlyCare) -> tuple[np.ndarray, np.ndarray]:
    """Rows holding elderly-care units (a few hundred in 100,000: the only nonzero terms of the served sums) and
    their units times their weight; once a month for the served indicators."""

    def compute() -> tuple[np.ndarray, np.ndarray]:
        units = care.units_held()
        rows = np.flatnonzero(units != 0)  # nonzero of a bool mask: three times faster than of the floats
        return rows, units[rows] * s.pop.weight[rows]

    return cached(s, "elder_serving", compute)


#: the groups of the served indicators, as masks over ``rows``
_GROUP_MASKS: dict[str, Callable[[Population, np.ndarray], np.ndarray]] = {
    "migrant": lambda pop, rows: ~pop.hukou_local[rows],
    "local_farmer": lambda pop, rows: pop.htype[rows] == int(HouseholdType.LOCAL_FARMER),
    "local_urban": lambda pop, rows: pop.hukou_local[rows] & pop.hukou_urban[rows],
    "female_head": lambda pop, rows: pop.head_female[rows],
    "male_head": lambda pop, rows: ~pop.head_female[rows],
}


def _served_by(group: str) -> Callable[[Snapshot], float]:
    def served(s: Snapshot) -> float:
        care = _care(s)
        if care is None:
            return NAN
        rows, units = _serving(s, care)
        # what ``care.served(mask)`` sums (units x weight of the group's rows), over the serving rows only: the
        # rows without units add zeros (the sum may differ in the last bits, from the order of the additions)
        return float(units[_GROUP_MASKS[group](s.pop, rows)].sum())

    return served


for _group in ("migrant", "local_farmer", "local_urban", "female_head", "male_head"):
    service_indicator(
        f"elders_served_{_group}",
        f"Elders served by home support, day care or institutions, households: {_group.replace('_', ' ')}",
        "persons",
    )(_served_by(_group))


@service_indicator(
    "elder_care_home_affordable",
    "Share of elders in poor health without a working-age adult at home whose household can pay the institution fee",
    "share",
)
def elder_care_home_affordable(s: Snapshot) -> float:
    care = _care(s)
    if care is None:
        return NAN
    # the few rows with such elders (the service's own): the other rows add zeros to both sums
    rows, frail, affordable = care.care_home.eligible_rows()
    w = s.pop.weight[rows]
    return ratio(float((affordable * w).sum()), float((frail * w).sum()))


@service_indicator("elders_served", "Elders served by home support, day care or institutions", "persons")
def elders_served(s: Snapshot) -> float:
    care = _care(s)
    return NAN if care is None else float(_serving(s, care)[1].sum())


@service_indicator("elder_care_carers", "Carers staffing elderly-care beds and places", "persons")
def elder_care_carers(s: Snapshot) -> float:
    care = _care(s)
    return NAN if care is None else care.carers


@service_indicator(
    "elder_care_staffed_share", "Share of elderly-care capacity staffed by carers (open to elders)", "share"
)
def elder_care_staffed_share(s: Snapshot) -> float:
    care = _care(s)
    return NAN if care is None else min(ratio(care.carers, care.carers_needed()), 1.0)


@service_indicator(
    "elder_care_subsidy", "Financial subsidies to elderly-care institutions this month", "yuan/month"
)
def elder_care_subsidy(s: Snapshot) -> float:
    care = _care(s)
    return NAN if care is None else care.subsidy_paid
