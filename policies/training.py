"""Vocational training pilots: Yanta's training coupons and Changshu's training and employment services.

Seed ch.2 III.2 (Yanta): "Improve training system for farmers and migrants; encourage universities and
vocational schools to conduct training seminars; distribute training subsidies in the form of education
coupon"; indicators "Type and amount of education coupon issued to local farmers and migrants", "person-times
of migrants and local farmers receiving vocational and city life skills training".
Seed ch.2 V.2 (Changshu): "Improve vocational education and training system"; "Develop and regulate employment
intermediary market"; indicators "Number of persons that receives subsidized vocational training, including
specifically by migrant workers and land loss farmers", "Amount of subsidies on vocational training".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from urbanize.model.enums import HouseholdType, Job
from urbanize.model.params import param, validate
from urbanize.model.provenance import assumed
from urbanize.policies._services import city_services
from urbanize.policies.base import Policy
from urbanize.policies.registry import register

if TYPE_CHECKING:
    from urbanize.model.core import UrbanizationModel


def _heads(model: UrbanizationModel) -> float:
    pop = model.pop
    return float(pop.weight[pop.head_age < 60].sum())


@register
class TrainingCoupons(Policy):
    """Yanta: vocational training coupons for local farmers and migrants.

    Mechanism: migrants and local farmers may take subsidised training places; the coupon removes the fee, so
    interest in training rises by ``interest_boost``; universities and vocational schools add
    ``extra_places_per_1000_heads`` places; each coupon used is worth ``coupon_value`` yuan (training, paid by
    the district, booked when the course starts).

    Usage::

        UrbanizationModel(city="yanta", policies="training_coupons")
    """

    name = "training_coupons"
    pilot = "Yanta"
    summary = "Training coupons for farmers and migrants; universities add training places"

    @dataclass(frozen=True)
    class Params:
        coupon_value: float = param(
            800.0,
            "yuan/coupon",
            0.0,
            20000.0,
            "Value of one coupon (assumed)",
            prov=assumed(
                "no figure for this pilot in the seed or the literature; a round value to be varied in sweeps (docs/policies.md)"
            ),
        )
        interest_boost: float = param(
            2.0,
            "multiplier",
            1.0,
            20.0,
            "Rise in the monthly chance of seeking training (assumed)",
            prov=assumed(
                "no figure for this pilot in the seed or the literature; a round value to be varied in sweeps (docs/policies.md)"
            ),
        )
        extra_places_per_1000_heads: float = param(
            3.0,
            "places/1000 heads",
            0.0,
            100.0,
            "Training places added by universities and schools (assumed)",
            prov=assumed(
                "no figure for this pilot in the seed or the literature; a round value to be varied in sweeps (docs/policies.md)"
            ),
        )

        def __post_init__(self) -> None:
            validate(self, "training_coupons ")

    def setup(self, model: UrbanizationModel) -> None:
        training = city_services(model, self.name).training
        training.interest_boost *= self.params.interest_boost
        training.add_capacity(_heads(model) * self.params.extra_places_per_1000_heads / 1000.0)

    def _targets(self, model: UrbanizationModel, rows: np.ndarray) -> np.ndarray:
        pop = model.pop
        return ~pop.hukou_local[rows] | (pop.htype[rows] == HouseholdType.LOCAL_FARMER)

    def service_access(self, model: UrbanizationModel, service: str, rows: np.ndarray) -> np.ndarray | None:
        return self._targets(model, rows) if service == "training" else None

    def act(self, model: UrbanizationModel) -> None:
        svc = city_services(model, self.name)
        pop = model.pop
        started = np.flatnonzero((pop.use_training > 0) & (pop.training_left == svc.training.course_months))
        started = started[self._targets(model, started)]
        svc.charge("training", self.params.coupon_value * float(pop.weight[started].sum()), "district")
        # a coupon is handed to a farmer or migrant as the course starts, and used at once (model/services/coupons.py)
        svc.coupons.record("issued", "training", started)
        svc.coupons.record("used", "training", started)


@register
class VocationalTraining(Policy):
    """Changshu: vocational training and employment services.

    Mechanism: every working-age head (migrants included) may take a training place; the city adds
    ``extra_places_per_1000_heads`` places and promotes training (interest x ``interest_boost``); a completed
    course raises skill (faster job finding and more formal jobs, ``model.life.jobs``); employment services
    place unemployed heads trained in the last six months in a job with chance ``placement_rate`` a month, a
    formal one with chance ``placement_formal_share``; jobs follow training (seed ch.2 V.2, Changshu:
    "senior technical workers and technical talents are in shortage"; "develop and regulate employment
    intermediary market"): the intermediary matches heads working informally who completed a course in the
    last ``upgrade_window_months`` months with employers short of skilled workers, who hire them on a formal
    contract, with chance ``upgrade_rate`` a month.

    Usage::

        UrbanizationModel(city="changshu", policies="vocational_training")
    """

    name = "vocational_training"
    pilot = "Changshu"
    summary = "More training places open to migrants, skill upgrades and job placement by employment services"

    @dataclass(frozen=True)
    class Params:
        extra_places_per_1000_heads: float = param(
            5.0,
            "places/1000 heads",
            0.0,
            100.0,
            "Training places added (assumed)",
            prov=assumed(
                "no figure for this pilot in the seed or the literature; a round value to be varied in sweeps (docs/policies.md)"
            ),
        )
        interest_boost: float = param(
            1.5,
            "multiplier",
            1.0,
            20.0,
            "Rise in interest in training (assumed)",
            prov=assumed(
                "no figure for this pilot in the seed or the literature; a round value to be varied in sweeps (docs/policies.md)"
            ),
        )
        placement_rate: float = param(
            0.3,
            "1/month",
            0.0,
            1.0,
            "Monthly placement chance of unemployed recent trainees (assumed)",
            prov=assumed(
                "no figure for this pilot in the seed or the literature; a round value to be varied in sweeps (docs/policies.md)"
            ),
        )
        placement_formal_share: float = param(
            0.6,
            "share",
            0.0,
            1.0,
            "Share of placements in formal jobs (assumed)",
            prov=assumed(
                "no figure for this pilot in the seed or the literature; a round value to be varied in sweeps (docs/policies.md)"
            ),
        )
        upgrade_rate: float = param(
            0.1,
            "1/month",
            0.0,
            1.0,
            "Monthly chance the employment intermediary matches an informally employed recent trainee with an "
            "employer short of skilled workers, who hires them on a formal contract (assumed)",
            prov=assumed("no source found; a plausible value to be varied in sweeps"),
        )
        upgrade_window_months: int = param(
            12,
            "months",
            0,
            120,
            "Months after a course during which a trainee is matched (assumed)",
            prov=assumed("no source found; a plausible value to be varied in sweeps"),
        )

        def __post_init__(self) -> None:
            validate(self, "vocational_training ")

    def setup(self, model: UrbanizationModel) -> None:
        training = city_services(model, self.name).training
        training.interest_boost *= self.params.interest_boost
        training.add_capacity(_heads(model) * self.params.extra_places_per_1000_heads / 1000.0)

    def service_access(self, model: UrbanizationModel, service: str, rows: np.ndarray) -> np.ndarray | None:
        return model.pop.head_age[rows] < 60 if service == "training" else None

    def act(self, model: UrbanizationModel) -> None:
        pop, rng, p = model.pop, model.rng, self.params
        cand = np.flatnonzero(
            (pop.job == Job.NONE) & (pop.head_age < 60) & (pop.trained_month >= model.month - 6)
        )
        placed = cand[rng.random(cand.size) < p.placement_rate]
        formal = rng.random(placed.size) < p.placement_formal_share
        pop.job[placed] = np.where(formal, Job.FORMAL, Job.INFORMAL)
        # jobs that follow training: informal workers with a recent course are matched to formal openings
        trained = np.flatnonzero(
            (pop.job == Job.INFORMAL)
            & (pop.head_age < 60)
            & (pop.trained_month >= model.month - p.upgrade_window_months)
        )
        pop.job[trained[rng.random(trained.size) < p.upgrade_rate]] = Job.FORMAL
