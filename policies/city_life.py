"""Yanta: city-life skills training for local farmers and migrants, paid with education coupons.

Seed ch.2 III.2 (Yanta, vocational education): "Setting up learning centres in universities for new citizens";
"Improve training system for farmers and migrants ... distribute training subsidies in the form of education
coupon"; indicators "Type and amount of education coupon issued to local farmers and migrants" and "Times &
person-times of migrants and local farmers receiving vocational and city life skills training".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from urbanize.model.calendar import is_january
from urbanize.model.enums import HouseholdType
from urbanize.model.params import param, validate
from urbanize.model.provenance import assumed
from urbanize.policies._services import city_services
from urbanize.policies.base import Policy
from urbanize.policies.registry import register

if TYPE_CHECKING:
    from urbanize.model.core import UrbanizationModel


@register
class CityLifeSkills(Policy):
    """Yanta: city-life skills courses for migrants and local farmers, with coupons.

    Mechanism: each January a city-life skills coupon goes to ``issue_share`` of migrant and local-farmer
    households that have not taken the course in the last two years; a holder attends a one-month course with
    chance ``attend_rate`` a month, within ``places_per_1000_heads`` course places a month (unused coupons lapse
    at the next issue). The course teaches how the city works: an attendee learns of each policy the city runs
    (registration in the migrant information system, the hukou pathways, the pilots' own topics) with chance
    ``learn_chance``, and acts on it as any aware household does (registration and hukou decisions). Coupons
    issued and used are recorded by type and group (``model/services/coupons.py``); each coupon used costs
    ``coupon_value`` yuan (training, paid by the district).

    Effect size: the course raises migrants' awareness of the registration system clearly (+0.066 after 24 months
    in Yanta at 1,000 households) but the registration rate by only about +0.01, less than paired replicates
    differ (0.035-0.04): about 1 % of heads attend a month, awareness lifts an unregistered household's monthly
    chance of registering from 1.1 % to 4.7 % (``register_aware``), and it fades at ``awareness_decay`` (8 % a
    month) while registrations lapse at 2 % a month. The effect was the same with the settle_const the
    calibration replaced (issue 11; docs/coverage.md, "Measures whose effect is small").

    Usage::

        UrbanizationModel(city="yanta", policies="city_life_skills")
    """

    name = "city_life_skills"
    pilot = "Yanta"
    summary = "City-life skills courses with coupons for migrants and local farmers (Yanta)"

    @dataclass(frozen=True)
    class Params:
        issue_share: float = param(
            0.3,
            "share/year",
            0.0,
            1.0,
            "Share of target households handed a coupon each January (assumed)",
            prov=assumed("no source found; a plausible value to be varied in sweeps"),
        )
        attend_rate: float = param(
            0.15,
            "1/month",
            0.0,
            1.0,
            "Monthly chance a coupon holder attends the course (assumed)",
            prov=assumed("no source found; a plausible value to be varied in sweeps"),
        )
        places_per_1000_heads: float = param(
            10.0,
            "places/1000 heads/month",
            0.0,
            1000.0,
            "Course places a month (assumed)",
            prov=assumed("no source found; a plausible value to be varied in sweeps"),
        )
        learn_chance: float = param(
            0.8,
            "share",
            0.0,
            1.0,
            "Chance an attendee learns of each policy the city runs (assumed)",
            prov=assumed("no source found; a plausible value to be varied in sweeps"),
        )
        coupon_value: float = param(
            150.0,
            "yuan/coupon",
            0.0,
            5000.0,
            "Value of one coupon (assumed)",
            prov=assumed("no source found; a plausible value to be varied in sweeps"),
        )

        def __post_init__(self) -> None:
            validate(self, "city_life_skills ")

    def setup(self, model: UrbanizationModel) -> None:
        city_services(model, self.name)
        pop = model.pop
        pop.add_column("city_life_coupon", np.bool_, False, "holds an unused city-life skills coupon")
        pop.add_column("city_life_month", np.int16, -1000, "model month of the last city-life skills course")
        self.trained = 0.0  # real heads completing the course this month

    def _targets(self, model: UrbanizationModel) -> np.ndarray:
        pop = model.pop
        return (~pop.hukou_local | (pop.htype == HouseholdType.LOCAL_FARMER)) & (
            pop.city_life_month < model.month - 24
        )

    def act(self, model: UrbanizationModel) -> None:
        pop, rng, p = model.pop, model.rng, self.params
        coupons = city_services(model, self.name).coupons
        if is_january(model.month):
            pop.city_life_coupon[:] = False  # last year's unused coupons lapse
            cand = np.flatnonzero(self._targets(model))
            got = cand[rng.random(cand.size) < p.issue_share]
            pop.city_life_coupon[got] = True
            coupons.record("issued", "city_life", got)
        holders = np.flatnonzero(pop.city_life_coupon)
        attend = holders[rng.random(holders.size) < p.attend_rate]
        places = float(pop.weight[pop.head_age < 60].sum()) * p.places_per_1000_heads / 1000.0
        attend = attend[rng.permutation(attend.size)]
        attend = attend[np.cumsum(pop.weight[attend]) <= places + 1e-9]
        pop.city_life_coupon[attend] = False
        pop.city_life_month[attend] = model.month
        coupons.record("used", "city_life", attend)
        self.trained = float(pop.weight[attend].sum())
        for topic in model.awareness.topics:
            model.awareness.boost(topic, attend, p.learn_chance)
        city_services(model, self.name).charge("training", p.coupon_value * self.trained, "district")
