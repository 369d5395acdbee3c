"""Changshu: hospital births at stipulated prices for migrant women (seed ch.2 V.2, public health).

Seed indicator: "Number of migrant pregnant women who deliver births at hospitals at stipulated prices"; content
of piloting: promote the "maternal and child health project" to achieve an equal access to essential health
services. Pregnancies come from the one pregnancy process (model/fertility.py); this module models only where a
migrant woman delivers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from scipy.special import expit

from urbanize.model.indicators import Snapshot, indicator, ratio
from urbanize.model.params import param, validate
from urbanize.model.provenance import assumed
from urbanize.policies._services import city_services
from urbanize.policies.base import Policy
from urbanize.policies.registry import register

if TYPE_CHECKING:
    from urbanize.model.core import UrbanizationModel

NAME = "hospital_births"
#: what a normal hospital delivery costs a migrant family without the programme, yuan (assumed: a county-level
#: hospital in the Yangtze delta about 2009, fees and stay for a normal delivery)
MARKET_PRICE = 3500.0
#: the delivery choice (assumed): log-odds of a hospital delivery = BASE + PROFILE x (antenatal profile held)
#: - COST x (price / the household's monthly income). With a 2,500-yuan income at the market price a woman
#: with a profile delivers in hospital with chance 0.89, one without 0.75 (the national hospital delivery rate
#: was 96 % in 2009, China Health Statistics Yearbook; migrants' lower, studies of the period report 80-90 %).
BASE, PROFILE, COST = 2.5, 1.0, 1.0


def hospital_chance(model: UrbanizationModel, rows: np.ndarray, price_with_profile: float) -> np.ndarray:
    """Chance that the woman of each household at ``rows`` delivers in hospital: a profile holder pays
    ``price_with_profile``, anyone else the market price."""
    pop = model.pop
    profile = pop.col("use_maternal_health")[rows] > 0
    price = np.where(profile, price_with_profile, MARKET_PRICE)
    income = np.maximum(pop.income[rows], 100.0)  # a family without income borrows: as if 100 yuan a month
    return expit(BASE + PROFILE * profile - COST * price / income)


def expected_share(model: UrbanizationModel, price_with_profile: float) -> float:
    """Expected share of the migrant pregnancies in progress that end in a hospital delivery (persons' weights)."""
    pop = model.pop
    rows = np.flatnonzero((pop.pregnant > 0) & ~pop.hukou_local)
    p = hospital_chance(model, rows, price_with_profile)
    return ratio(float((p * pop.weight[rows]).sum()), float(pop.weight[rows].sum()))


@register
class HospitalBirths(Policy):
    """Changshu: migrant women with an antenatal (maternal health) profile deliver in hospital at a stipulated
    price.

    Mechanism: where a woman delivers is her family's choice (log-odds ``2.5 + 1.0 x profile - price / monthly
    income``, assumed, see ``BASE``): the programme lowers the price a profile holder pays from the market's
    3,500 yuan to ``stipulated_price``, so more deliver in hospital, most where incomes are lowest. It works
    through the maternal health service: only women who hold a profile (``maternal_health``, opened to migrants
    by ``maternal_child_health`` or ``information_sharing``) get the price. The city pays the difference for
    each expected hospital birth at the stipulated price (health).

    Effect size: alone, on the status quo, only residence-permit holders have profiles, so the price reaches few
    women (0-3 of the 7-17 migrant women pregnant in a month at 600 households in Changshu): the expected share
    rises by about +0.005, and not at all where no pregnant migrant woman holds a profile. With
    ``maternal_child_health`` giving migrant women profiles the gain is about +0.045 (issue 11; docs/coverage.md,
    "Measures whose effect is small").

    Indicator (a column of runs with it): ``hospital_birth_share_migrant``, the expected share of migrant
    pregnancies in progress that end in hospital (the choice's chance, not a draw: it carries no sampling noise
    of its own); ``expected_share(model, MARKET_PRICE)`` gives the same figure for a run without the programme.

    Usage::

        UrbanizationModel(city="changshu", policies="maternal_child_health,hospital_births")
    """

    name = NAME
    pilot = "Changshu"
    summary = "Migrant women with an antenatal profile deliver in hospital at a stipulated price"

    @dataclass(frozen=True)
    class Params:
        stipulated_price: float = param(
            1500.0,
            "yuan/delivery",
            0.0,
            MARKET_PRICE,
            "Price of a normal hospital delivery for a migrant woman with a profile (assumed; the market price "
            "is 3,500)",
            prov=assumed("the market price is 3,500"),
        )

        def __post_init__(self) -> None:
            validate(self, f"{NAME} ")

    def act(self, model: UrbanizationModel) -> None:
        pop = model.pop
        due = np.flatnonzero((pop.pregnant == 1) & ~pop.hukou_local)  # delivering this month
        due = due[pop.col("use_maternal_health")[due] > 0]
        if due.size == 0:
            return
        p = hospital_chance(model, due, self.params.stipulated_price)
        births = float((p * pop.weight[due]).sum())
        city_services(model, self.name).charge(
            "health", births * (MARKET_PRICE - self.params.stipulated_price)
        )


@indicator(
    "hospital_birth_share_migrant",
    "Expected share of migrant pregnancies in progress that end in a hospital delivery",
    "share",
    policy=NAME,
)
def hospital_birth_share_migrant(s: Snapshot) -> float:
    rule = s.model.policy_set.get(NAME)
    assert isinstance(rule, HospitalBirths)
    return expected_share(s.model, rule.params.stipulated_price)
