"""Jinnan: services for villagers in the model towns rendered through the community: help for the disabled, and
training and job finding of villagers who exchanged their homesteads.

Seed ch.2 IV.2 (Jinnan, piloting on rendering community public services): "Supply the following public services
through community public service facilities, organizations and personnel, such as community service centres
(stations): 1. Vocational training ... 4. Social welfare: help for the disabled"; policies "Provisions for
encouraging villagers to start up business and seek for jobs and providing vocational training"; indicators
"Number and percentage of villagers who have exchanged their rural homesteads for apartments, and have attended
vocational training; number of whom finding jobs; services rendered by streets (towns) related to employment" and
"number and percentage of disabled persons receiving assistance and welfare".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from urbanize.model.enums import Job, Residence
from urbanize.model.params import param, validate
from urbanize.model.provenance import assumed
from urbanize.policies._services import city_services
from urbanize.policies.base import Policy
from urbanize.policies.registry import register

if TYPE_CHECKING:
    from urbanize.model.core import UrbanizationModel


def exchanged(model: UrbanizationModel) -> np.ndarray:
    """Mask of households that exchanged their homestead for a model-town apartment."""
    pop = model.pop
    return (pop.residence == Residence.RESETTLEMENT) & ~pop.homestead


@register
class DisabilityAssistance(Policy):
    """Jinnan: help for the disabled through the community.

    Mechanism: the community finds disabled persons of local households (of every household in the model towns'
    communities where ``open_to_migrants``); each disabled person not yet assisted enrols in a disability allowance
    of ``allowance`` yuan a month with monthly chance ``take_up``, ``centre_take_up`` where the household is served
    by a community service centre (the centre's staff know and visit it). The allowance is booked to social
    assistance, paid by the district.

    Usage::

        UrbanizationModel(city="jinnan", policies="disability_assistance")
    """

    name = "disability_assistance"
    pilot = "Jinnan"
    summary = "Disability allowance through the community, found by community service centres (Jinnan)"

    @dataclass(frozen=True)
    class Params:
        allowance: float = param(
            100.0,
            "yuan/person-month",
            0.0,
            5000.0,
            "Disability allowance (assumed)",
            prov=assumed("no source found; a plausible value to be varied in sweeps"),
        )
        take_up: float = param(
            0.05,
            "1/month",
            0.0,
            1.0,
            "Monthly chance a disabled person enrols (assumed)",
            prov=assumed("no source found; a plausible value to be varied in sweeps"),
        )
        centre_take_up: float = param(
            0.2,
            "1/month",
            0.0,
            1.0,
            "The same for households a community centre serves (assumed)",
            prov=assumed("no source found; a plausible value to be varied in sweeps"),
        )
        open_to_migrants: bool = param(
            False,
            "",
            None,
            None,
            "Disabled migrants may receive the allowance",
            prov=assumed(
                "a switch or scenario choice, not an empirical quantity: the default is the case the seed describes"
            ),
        )

        def __post_init__(self) -> None:
            validate(self, "disability_assistance ")

    def setup(self, model: UrbanizationModel) -> None:
        city_services(model, self.name)

    def act(self, model: UrbanizationModel) -> None:
        pop, p = model.pop, self.params
        svc = city_services(model, self.name)
        svc.disability.clip()
        ok = pop.hukou_local | p.open_to_migrants
        rows = np.flatnonzero(ok & (pop.disabled > pop.disability_aid))
        chance = np.where(pop.use_community_centre[rows] > 0, p.centre_take_up, p.take_up)
        gaps = (pop.disabled[rows] - pop.disability_aid[rows]).astype(np.int64)
        new = model.rng.binomial(gaps, chance)
        pop.disability_aid[rows] += new.astype(np.int8)
        aided = np.flatnonzero(pop.disability_aid > 0)
        svc.charge(
            "social_assistance",
            p.allowance * float((pop.disability_aid[aided] * pop.weight[aided]).sum()),
            "district",
        )


@register
class ExchangedVillagerEmployment(Policy):
    """Jinnan: training and job finding for villagers who exchanged their homesteads.

    Mechanism: the street (town) employment service refers the working-age heads of exchanged households who have
    no job to a vocational training course (they may take training places; ``referral_rate`` a month; the
    training places are those of the city, so referrals queue with everybody else); once trained (in the last
    six months) and still without a job, the service places them in a job with chance ``placement_rate`` a month,
    a formal one with chance ``placement_formal_share``. A completed course also raises skill, which finds jobs
    faster and more often formal (``model.life.jobs``). Needs ``homestead_exchange`` to have exchanged households.

    Usage::

        UrbanizationModel(city="jinnan", policies="homestead_exchange,exchanged_villager_employment")
    """

    name = "exchanged_villager_employment"
    pilot = "Jinnan"
    summary = "Training referrals and job placement for villagers who exchanged their homesteads (Jinnan)"

    @dataclass(frozen=True)
    class Params:
        referral_rate: float = param(
            0.2,
            "1/month",
            0.0,
            1.0,
            "Monthly chance a jobless exchanged head is referred to training (assumed)",
            prov=assumed("no source found; a plausible value to be varied in sweeps"),
        )
        placement_rate: float = param(
            0.3,
            "1/month",
            0.0,
            1.0,
            "Monthly placement chance of jobless recent trainees (assumed)",
            prov=assumed("no source found; a plausible value to be varied in sweeps"),
        )
        placement_formal_share: float = param(
            0.6,
            "share",
            0.0,
            1.0,
            "Share of placements in formal jobs (assumed)",
            prov=assumed("no source found; a plausible value to be varied in sweeps"),
        )
        extra_places: float = param(
            0.05,
            "places/exchanged household",
            0.0,
            1.0,
            "Training places added per exchanged household (assumed)",
            prov=assumed("no source found; a plausible value to be varied in sweeps"),
        )

        def __post_init__(self) -> None:
            validate(self, "exchanged_villager_employment ")

    def setup(self, model: UrbanizationModel) -> None:
        city_services(model, self.name)
        self.placed = 0.0  # real heads placed in a job this month
        self.places_added = 0.0

    def service_access(self, model: UrbanizationModel, service: str, rows: np.ndarray) -> np.ndarray | None:
        if service != "training":
            return None
        return exchanged(model)[rows] & (model.pop.head_age[rows] < 60)

    def act(self, model: UrbanizationModel) -> None:
        pop, rng, p = model.pop, model.rng, self.params
        training = city_services(model, self.name).training
        ex = exchanged(model)
        want = float(pop.weight[ex].sum()) * p.extra_places
        if want > self.places_added:
            training.add_capacity(want - self.places_added)
            self.places_added = want
        jobless = ex & (pop.job == Job.NONE) & (pop.head_age < 60)
        refer = np.flatnonzero(jobless & (pop.use_training == 0) & (pop.wait_training == 0))
        refer = refer[rng.random(refer.size) < p.referral_rate]
        pop.wait_training[refer] = 1  # joins the queue at the next assessment (``Training.need_all``)
        cand = np.flatnonzero(jobless & (pop.trained_month >= model.month - 6))
        placed = cand[rng.random(cand.size) < p.placement_rate]
        formal = rng.random(placed.size) < p.placement_formal_share
        pop.job[placed] = np.where(formal, Job.FORMAL, Job.INFORMAL)
        self.placed = float(pop.weight[placed].sum())
