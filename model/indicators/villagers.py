"""Jinnan: villagers who exchanged their homesteads (trained, employed, placed by the street employment service)
and persons with disability receiving assistance (``model/services/disability.py``)."""

from __future__ import annotations

import numpy as np

from urbanize.model.enums import Job, Residence
from urbanize.model.indicators.base import Snapshot, ratio
from urbanize.model.indicators.service_base import NAN, cached, service_indicator, services_of


def _heads(s: Snapshot) -> np.ndarray:
    """Working-age heads (under 60) of households that exchanged their homestead."""

    def compute() -> np.ndarray:
        pop = s.pop
        return np.flatnonzero((pop.residence == Residence.RESETTLEMENT) & ~pop.homestead & (pop.head_age < 60))

    return cached(s, "exchanged_heads", compute)


@service_indicator("exchanged_heads", "Working-age heads of households that exchanged their homestead", "persons")
def exchanged_heads(s: Snapshot) -> float:
    return float(s.pop.weight[_heads(s)].sum())


@service_indicator(
    "exchanged_heads_trained_share",
    "Share of working-age heads of exchanged households who have completed vocational training",
    "share",
)
def exchanged_heads_trained_share(s: Snapshot) -> float:
    rows, pop = _heads(s), s.pop
    return ratio(float(pop.weight[rows][pop.trained_month[rows] >= 0].sum()), float(pop.weight[rows].sum()))


@service_indicator(
    "exchanged_heads_employed_share", "Share of working-age heads of exchanged households with a job", "share"
)
def exchanged_heads_employed_share(s: Snapshot) -> float:
    rows, pop = _heads(s), s.pop
    return ratio(float(pop.weight[rows][pop.job[rows] != Job.NONE].sum()), float(pop.weight[rows].sum()))


@service_indicator(
    "exchanged_heads_placed",
    "Heads of exchanged households placed in a job by the street employment service this month",
    "persons",
)
def exchanged_heads_placed(s: Snapshot) -> float:
    policy = s.model.policy_set.get("exchanged_villager_employment")
    return 0.0 if policy is None else float(getattr(policy, "placed", 0.0))


@service_indicator("disabled_persons", "Persons with disability", "persons")
def disabled_persons(s: Snapshot) -> float:
    return float((s.pop.disabled * s.pop.weight).sum())


@service_indicator(
    "disabled_assisted", "Persons with disability receiving assistance (dibao or disability allowance)", "persons"
)
def disabled_assisted(s: Snapshot) -> float:
    svc = services_of(s)
    return NAN if svc is None else float((svc.disability.assisted() * s.pop.weight).sum())


@service_indicator(
    "disabled_assisted_share", "Share of persons with disability receiving assistance or welfare", "share"
)
def disabled_assisted_share(s: Snapshot) -> float:
    return ratio(disabled_assisted(s), disabled_persons(s))
