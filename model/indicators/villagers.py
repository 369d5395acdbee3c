"""Jinnan: villagers who exchanged their homesteads (trained, employed, placed by the street employment service)
and persons with disability receiving assistance (``model/services/disability.py``)."""

from __future__ import annotations

import numpy as np

from urbanize.model.enums import Job, Residence
from urbanize.model.indicators.base import Snapshot, ratio
from urbanize.model.indicators.service_base import NAN, cached, service_indicator, services_of
from urbanize.model.indicators.tables import HOUSEHOLDS


def _heads(s: Snapshot) -> np.ndarray:
    """Working-age heads (under 60) of households that exchanged their homestead."""

    def compute() -> np.ndarray:
        pop = s.pop
        # a plain int: numpy compares the int8 column with an IntEnum ten times slower
        resettled = pop.residence == int(Residence.RESETTLEMENT)
        return np.flatnonzero(resettled & ~pop.homestead & (pop.head_age < 60))

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
    return ratio(float(pop.weight[rows][pop.job[rows] != int(Job.NONE)].sum()), float(pop.weight[rows].sum()))


@service_indicator(
    "exchanged_heads_placed",
    "Heads of exchanged households placed in a job by the street employment service this month",
    "persons",
)
def exchanged_heads_placed(s: Snapshot) -> float:
    policy = s.model.policy_set.get("exchanged_villager_employment")
    return 0.0 if policy is None else float(getattr(policy, "placed", 0.0))


@service_indicator(
    "pension_coverage_local_farmer_any",
    "Share of local-farmer households enrolled in any pension scheme (new rural pension included)",
    "share",
)
def pension_coverage_local_farmer_any(s: Snapshot) -> float:
    return HOUSEHOLDS.share(s, "pension_any", "local_farmer")


@service_indicator(
    "community_reached_share", "Share of households the community reaches (centres' desks, organizations)", "share"
)
def community_reached_share(s: Snapshot) -> float:
    return HOUSEHOLDS.share(s, "reached")


@service_indicator(
    "villager_committees_reformed_share", "Share of model-town villagers' committees reformed (Jinnan)", "share"
)
def villager_committees_reformed_share(s: Snapshot) -> float:
    policy = s.model.policy_set.get("community_organizations")
    return 0.0 if policy is None else float(getattr(policy, "reformed_share", 0.0))


for _kind, _label in ((None, "any"), (0, "elderly_association"), (1, "residents_association")):

    def _count(s: Snapshot, kind: int | None = _kind) -> float:
        pop = s.pop
        mask = pop.org_member >= 0 if kind is None else pop.org_member == kind
        return float(pop.weight[mask].sum())

    suffix = "" if _kind is None else f"_{_label}"
    service_indicator(
        f"community_organization_members{suffix}",
        f"Households in community social organizations ({_label.replace('_', ' ')})",
        "households",
    )(_count)


@service_indicator(
    "community_organizations_count",
    "Community social organizations (members / members per organization)",
    "organizations",
)
def community_organizations_count(s: Snapshot) -> float:
    policy = s.model.policy_set.get("community_organizations")
    if policy is None:
        return 0.0
    return float(np.ceil(float(s.pop.weight[s.pop.org_member >= 0].sum()) / policy.params.members_per_organization))


@service_indicator("disabled_persons", "Persons with disability", "persons")
def disabled_persons(s: Snapshot) -> float:
    return s.weighted_total("disabled")


@service_indicator(
    "disabled_assisted", "Persons with disability receiving assistance (dibao or disability allowance)", "persons"
)
def disabled_assisted(s: Snapshot) -> float:
    svc = services_of(s)
    if svc is None:
        return NAN
    # once a month: disabled_assisted_share asks again
    return cached(s, "disabled_assisted", lambda: float((svc.disability.assisted() * s.pop.weight).sum()))


@service_indicator(
    "disabled_assisted_share", "Share of persons with disability receiving assistance or welfare", "share"
)
def disabled_assisted_share(s: Snapshot) -> float:
    return ratio(disabled_assisted(s), disabled_persons(s))
