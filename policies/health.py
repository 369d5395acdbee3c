"""Health pilots for migrants: Yanta's "new citizen" health project and Changshu's maternal-child health.

Seed ch.2 III.2 (Yanta): "A health project to designate 'hospitals for medical assistance and services to new
citizens' is underway"; "Further expand the scope of health project for 'new citizen' to include reproductive
health services"; indicator "Number of migrant women who have participated in the health project".
Seed ch.2 V.2 (Changshu): "Promote the 'maternal and child health project' to achieve an equal access to
essential health services"; indicators "Number of 0~36 month babies of migrant workers with child health care
profile", "Person-times of immunisation for migrant children", "Number of migrant pregnant women establishing
health care profiles", "Number of migrant pregnant women who deliver births at hospitals at stipulated prices".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from urbanize.model.enums import Registration
from urbanize.model.params import param, validate
from urbanize.model.provenance import assumed
from urbanize.policies._services import city_services
from urbanize.policies.base import Policy
from urbanize.policies.registry import register

if TYPE_CHECKING:
    from urbanize.model.core import UrbanizationModel
    from urbanize.model.services import CityServices

HEALTH = ("child_health", "maternal_health")


def _resident_migrants(model: UrbanizationModel, rows: np.ndarray, min_months: int) -> np.ndarray:
    """Households without local hukou that have lived in the city at least ``min_months``."""
    pop = model.pop
    return ~pop.hukou_local[rows] & (pop.months_resident[rows] >= min_months)


def _grow_to_need(svc: CityServices, slack: float) -> None:
    """Designated clinics: profile capacity rises to the whole resident need (never falls)."""
    for s in (svc.child_health, svc.maternal_health):
        pop = s.model.pop
        need = s.need_all()
        rows = np.flatnonzero(need > 0)
        want = np.bincount(
            s.groups(rows), weights=need[rows] * pop.weight[rows], minlength=s.capacity.size
        ) * (1 + slack)
        s.add_capacity(np.maximum(want - s.capacity, 0.0))


def _free_profiles(svc: CityServices, free: bool) -> None:
    """Migrants pay nothing for child and maternal health profiles (the city bears the cost): through the take-up
    rule (``model.services.take_up.health_take_up``) more of them take one up."""
    if free:
        svc.child_health.fee_nonlocal = 0.0
        svc.maternal_health.fee_nonlocal = 0.0


@dataclass(frozen=True)
class ProfileParams:
    """Parameters both health projects share: designated clinics' spare capacity and free profiles for migrants."""

    capacity_slack: float = param(
        0.05,
        "share",
        0.0,
        1.0,
        "Spare profile capacity over need (assumed)",
        prov=assumed(
            "no figure for this pilot in the seed or the literature; a round value to be varied in sweeps (docs/policies.md)"
        ),
    )
    free_profiles: bool = param(
        True,
        "",
        None,
        None,
        "Migrants' profiles are free (the city bears their cost); otherwise they pay it, which lowers take-up",
        prov=assumed(
            "the seed's pilots make profiles free for migrants; off lets a sweep measure what the fee costs in take-up"
        ),
    )


@register
class NewCitizenHealth(Policy):
    """Yanta: the "new citizen" health project, extended to reproductive health for migrant women.

    Mechanism: designated hospitals open child health profiles and antenatal profiles to migrants resident
    ``min_months_resident`` months (profile capacity rises to the resident need each month), free of charge with
    ``free_profiles`` (take-up then rises: docs/model.md, section 7.3); migrant women of
    reproductive age (in households whose head is under 50) receive reproductive health services at
    ``reproductive_cost`` yuan a month each (health, paid by the district).

    Usage::

        UrbanizationModel(city="yanta", policies="new_citizen_health")
    """

    name = "new_citizen_health"
    pilot = "Yanta"
    summary = (
        "Designated hospitals give migrants child and maternal health profiles and reproductive health care"
    )

    @dataclass(frozen=True)
    class Params(ProfileParams):
        min_months_resident: int = param(
            0,
            "months",
            0,
            120,
            "Months in the city before migrants qualify",
            prov=assumed(
                "a lever of the policy's design as described in docs/policies.md; no published figure for these cities"
            ),
        )
        reproductive_cost: float = param(
            5.0,
            "yuan/woman-month",
            0.0,
            500.0,
            "Cost of reproductive health services per migrant woman (assumed)",
            prov=assumed(
                "no figure for this pilot in the seed or the literature; a round value to be varied in sweeps (docs/policies.md)"
            ),
        )

        def __post_init__(self) -> None:
            validate(self, "new_citizen_health ")

    def setup(self, model: UrbanizationModel) -> None:
        _free_profiles(city_services(model, self.name), self.params.free_profiles)

    def service_access(self, model: UrbanizationModel, service: str, rows: np.ndarray) -> np.ndarray | None:
        if service not in HEALTH:
            return None
        return _resident_migrants(model, rows, self.params.min_months_resident)

    def act(self, model: UrbanizationModel) -> None:
        svc = city_services(model, self.name)
        _grow_to_need(svc, self.params.capacity_slack)
        pop = model.pop
        # women of reproductive age: the spouse in couples, the head in female-headed households (head < 50)
        rows = np.flatnonzero(~pop.hukou_local & (pop.head_age < 50))
        women = np.where(pop.adults[rows] >= 2, 1.0, pop.head_female[rows].astype(float))
        svc.charge(
            "health", self.params.reproductive_cost * float((women * pop.weight[rows]).sum()), "district"
        )


@register
class MaternalChildHealth(Policy):
    """Changshu: maternal and child health for migrants (profiles for children 0-36 months and pregnant
    women, immunisation, hospital delivery at a stipulated price).

    Mechanism: migrant households resident ``min_months_resident`` months (registered ones only with
    ``requires_registration``) may open child and antenatal health profiles, free of charge with ``free_profiles``
    (take-up then rises: docs/model.md, section 7.3); profile capacity rises to the resident need each month; each migrant birth to a woman with an antenatal profile is delivered in hospital
    at a stipulated price, the city paying ``delivery_subsidy`` yuan.

    Usage::

        UrbanizationModel(city="changshu", policies="maternal_child_health")
    """

    name = "maternal_child_health"
    pilot = "Changshu"
    summary = (
        "Health profiles for migrant children 0-36 months and pregnant women, subsidised hospital births"
    )

    @dataclass(frozen=True)
    class Params(ProfileParams):
        min_months_resident: int = param(
            3,
            "months",
            0,
            120,
            "Months in the city before migrants qualify",
            prov=assumed(
                "a lever of the policy's design as described in docs/policies.md; no published figure for these cities"
            ),
        )
        requires_registration: bool = param(
            False,
            "",
            None,
            None,
            "Only households registered in the migrant information system qualify",
            prov=assumed(
                "a switch of the policy's design, set as the pilot is described in docs/policies.md; no figure needed"
            ),
        )
        delivery_subsidy: float = param(
            500.0,
            "yuan/birth",
            0.0,
            20000.0,
            "City subsidy per hospital delivery of a migrant woman (assumed)",
            prov=assumed(
                "no figure for this pilot in the seed or the literature; a round value to be varied in sweeps (docs/policies.md)"
            ),
        )

        def __post_init__(self) -> None:
            validate(self, "maternal_child_health ")

    def setup(self, model: UrbanizationModel) -> None:
        _free_profiles(city_services(model, self.name), self.params.free_profiles)

    def service_access(self, model: UrbanizationModel, service: str, rows: np.ndarray) -> np.ndarray | None:
        if service not in HEALTH:
            return None
        ok = _resident_migrants(model, rows, self.params.min_months_resident)
        if self.params.requires_registration:
            ok &= model.pop.reg[rows] >= Registration.REGISTERED
        return ok

    def act(self, model: UrbanizationModel) -> None:
        svc = city_services(model, self.name)
        _grow_to_need(svc, self.params.capacity_slack)
        pop = model.pop
        due = np.flatnonzero((pop.pregnant == 1) & (pop.use_maternal_health > 0) & ~pop.hukou_local)
        svc.charge("health", self.params.delivery_subsidy * float(pop.weight[due].sum()))
