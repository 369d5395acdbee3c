"""Hukou and housing pilots for local farmers (seed ch.2 III Yanta, ch.2 IV Jinnan).

* ``farmer_hukou`` (Yanta): "provisions and operational procedures on granting urban Hukou for local farmers"
  (161,629 local farmers in the district).
* ``villager_hukou`` (Jinnan): "explore how to take up Hukou reform for villagers in model towns".
* ``homestead_exchange`` (Jinnan): farmers "exchange their homestead land for apartment in small cities and
  towns" (the model towns).

The module also registers the indicator ``homestead_exchanges`` (seed ch.2 IV: "number and percentage of
villagers who have exchanged their rural homesteads for apartments").

Usage::

    UrbanizationModel(city="jinnan", policies="homestead_exchange,villager_hukou")
    UrbanizationModel(city="yanta", policies="farmer_hukou")
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from scipy.special import expit

from urbanize.model.enums import DistrictKind, HouseholdType, Registration, Residence
from urbanize.model.indicators import Snapshot, indicator
from urbanize.model.params import param, validate
from urbanize.model.provenance import assumed
from urbanize.policies.base import Policy, Transition
from urbanize.policies.registry import register

if TYPE_CHECKING:
    from urbanize.model.core import UrbanizationModel


#: Column marking farmer households already offered hukou with their apartment (``villager_hukou``).
OFFERED = "villager_hukou_offered"


def local_farmers(model: UrbanizationModel) -> np.ndarray:
    """Rows of local farmer households still holding local rural hukou."""
    pop = model.pop
    return np.flatnonzero(
        (pop.htype == HouseholdType.LOCAL_FARMER) & (pop.reg == Registration.LOCAL_RURAL_HUKOU)
    )


def new_town_districts(model: UrbanizationModel) -> np.ndarray:
    """Indices of the city's new-town / resettlement-community districts (the model towns)."""
    return np.array(
        [d.index for d in model.profile.districts if d.kind is DistrictKind.NEW_TOWN], dtype=np.int64
    )


def in_model_town(model: UrbanizationModel, rows: np.ndarray) -> np.ndarray:
    """Mask over ``rows``: living in a resettlement apartment or in a new-town district."""
    pop = model.pop
    return (pop.residence[rows] == Residence.RESETTLEMENT) | np.isin(
        pop.district[rows], new_town_districts(model)
    )


@register
class FarmerHukou(Policy):
    """Yanta: urban hukou for local farmers, whether or not their land has been requisitioned.

    Mechanism: opens ``FARMER_CONVERSION`` to every local farmer household still holding local rural hukou (the
    status quo opens it only to those whose land has been requisitioned), and village outreach adds a monthly
    chance ``outreach`` for each such household to learn of the hukou pathway (topic ``hukou``). Farmers who
    still farm keep the land tie that holds many back (behavioural ``hukou_land_tie``).

    Example::

        UrbanizationModel(city="yanta", policies="farmer_hukou",
                          policy_params={"farmer_hukou": {"outreach": 0.1}})
    """

    name = "farmer_hukou"
    pilot = "Yanta"
    summary = "Every local farmer may convert to local urban hukou; village outreach on the procedure"

    @dataclass(frozen=True)
    class Params:
        outreach: float = param(
            0.05,
            "1/month",
            0.0,
            1.0,
            "Monthly chance that village outreach makes a farmer household aware of the hukou pathway (assumed)",
            prov=assumed("no figure for this pilot in the seed or the literature; a round value to be varied in sweeps (docs/policies.md)"),
        )

        def __post_init__(self) -> None:
            validate(self, "farmer_hukou ")

    def act(self, model: UrbanizationModel) -> None:
        if self.params.outreach > 0:
            model.awareness.boost("hukou", local_farmers(model), self.params.outreach)

    def eligible(
        self, model: UrbanizationModel, transition: Transition, rows: np.ndarray
    ) -> np.ndarray | None:
        if transition is not Transition.FARMER_CONVERSION:
            return None
        return model.pop.reg[rows] == Registration.LOCAL_RURAL_HUKOU


@register
class VillagerHukou(Policy):
    """Jinnan: hukou reform for villagers in model towns.

    Mechanism:
        * opens ``FARMER_CONVERSION`` to local farmers living in a resettlement apartment or in a new-town
          district (the model towns), land or no land, and the town's community office adds a monthly outreach
          chance ``outreach`` for them to learn of the hukou pathway (the monthly choice is then the
          household's ``decide_hukou_conversion``);
        * with ``collective_offer`` on, each farmer household living in a resettlement apartment is offered
          urban hukou once, together with its apartment (the first month it is seen there), and takes it with
          probability ``expit(offer_const + hukou_land_tie * still farms land)``; the model's behavioural
          ``hukou_land_tie`` applies. Taken offers are granted at once (``model.convert_to_urban_hukou``).

    Example::

        UrbanizationModel(city="jinnan", policies="villager_hukou")
    """

    name = "villager_hukou"
    pilot = "Jinnan"
    summary = "Farmers living in model towns (resettlement apartments, new towns) may convert to urban hukou"

    @dataclass(frozen=True)
    class Params:
        outreach: float = param(
            0.05,
            "1/month",
            0.0,
            1.0,
            "Monthly chance that the model-town community office makes a farmer household aware of the hukou "
            "pathway (assumed)",
            prov=assumed("no figure for this pilot in the seed or the literature; a round value to be varied in sweeps (docs/policies.md)"),
        )

        collective_offer: bool = param(
            True,
            "on/off",
            None,
            None,
            "Offer urban hukou once to each farmer household receiving a resettlement apartment",
            prov=assumed("a switch of the policy's design, set as the pilot is described in docs/policies.md; no figure needed"),
        )
        offer_const: float = param(
            0.0,
            "logit",
            -15.0,
            15.0,
            "Log-odds of taking the one-time hukou offer for a household without farmland (assumed: one in two)",
            prov=assumed("no take-up figure for the one-time offer; one household in two accepts (log-odds 0)"),
        )

        def __post_init__(self) -> None:
            validate(self, "villager_hukou ")

    def setup(self, model: UrbanizationModel) -> None:
        model.pop.add_column(OFFERED, np.bool_, False, "offered urban hukou with a model-town apartment")

    def act(self, model: UrbanizationModel) -> None:
        p = self.params
        farmers = local_farmers(model)
        town = farmers[in_model_town(model, farmers)]
        if p.outreach > 0:
            model.awareness.boost("hukou", town, p.outreach)
        if p.collective_offer:
            pop = model.pop
            offered = pop.col(OFFERED)
            new = town[(pop.residence[town] == Residence.RESETTLEMENT) & ~offered[town]]
            offered[new] = True
            utility = p.offer_const + model.behaviour.hukou_land_tie * pop.land[new]
            model.convert_to_urban_hukou(new[model.rng.random(new.size) < expit(utility)])

    def eligible(
        self, model: UrbanizationModel, transition: Transition, rows: np.ndarray
    ) -> np.ndarray | None:
        if transition is not Transition.FARMER_CONVERSION:
            return None
        return (model.pop.reg[rows] == Registration.LOCAL_RURAL_HUKOU) & in_model_town(model, rows)


@register
class HomesteadExchange(Policy):
    """Jinnan: farmers exchange their rural homestead for an apartment in a model town.

    Mechanism, each month (schedule phase 1): a local farmer household still holding a homestead, aware of the
    scheme (topic ``homestead_exchange``), exchanges it with monthly probability
    ``expit(exchange_const + exchange_landless * (no farmland left) + exchange_elders * (elders present))``
    and moves into a resettlement apartment in a new-town district (``model.relocate``; ``homestead`` becomes
    False; contracted farmland is kept, to be pooled separately). The apartment's construction cost net of the
    homestead land released, ``apartment_cost`` yuan per household, is booked to ``housing``, paid by the
    district. The scheme is announced in the villages: a share ``initial_awareness`` knows of it at the start
    and ``outreach`` is a monthly chance to learn of it. Exchanged households are counted in the indicator
    ``homestead_exchanges`` (persons, cumulative). A city without a new-town district has nowhere to build:
    the policy then does nothing.

    Example::

        UrbanizationModel(city="jinnan", policies="homestead_exchange",
                          policy_params={"homestead_exchange": {"exchange_const": -3.5}})
    """

    name = "homestead_exchange"
    pilot = "Jinnan"
    summary = "Farmers exchange their homestead for a resettlement apartment in a model town"
    awareness_topic = "homestead_exchange"

    @dataclass(frozen=True)
    class Params:
        exchange_const: float = param(
            -4.5,
            "logit/month",
            -15.0,
            5.0,
            "Monthly log-odds that an aware farmer household with a homestead exchanges it (assumed: about 1 % "
            "a month, 13 %/yr)",
            prov=assumed("about 1 % a month, 13 %/yr"),
        )
        exchange_landless: float = param(
            1.0,
            "logit",
            -10.0,
            10.0,
            "Log-odds gain when the household no longer farms contracted land (assumed: less tying it to the "
            "village)",
            prov=assumed("less tying it to the village"),
        )
        exchange_elders: float = param(
            -0.5,
            "logit",
            -10.0,
            10.0,
            "Log-odds change when elders live in the household (assumed: elders prefer to stay in the village)",
            prov=assumed("elders prefer to stay in the village"),
        )
        initial_awareness: float = param(
            0.3, "share", 0.0, 1.0, "Share of households aware of the scheme at the start (assumed)",
            prov=assumed("no figure for this pilot in the seed or the literature; a round value to be varied in sweeps (docs/policies.md)"),
        )
        outreach: float = param(
            0.05,
            "1/month",
            0.0,
            1.0,
            "Monthly chance that village mobilisation makes a farmer household with a homestead aware (assumed)",
            prov=assumed("no figure for this pilot in the seed or the literature; a round value to be varied in sweeps (docs/policies.md)"),
        )
        apartment_cost: float = param(
            120_000.0,
            "yuan/household",
            0.0,
            5_000_000.0,
            "Construction cost of a resettlement apartment net of the homestead land released (assumed)",
            prov=assumed("no figure for this pilot in the seed or the literature; a round value to be varied in sweeps (docs/policies.md)"),
        )

        def __post_init__(self) -> None:
            validate(self, "homestead_exchange ")

    def setup(self, model: UrbanizationModel) -> None:
        aware = model.awareness.of(self.awareness_topic or self.name)
        aware[:] |= model.rng.random(model.pop.n) < self.params.initial_awareness

    def holders(self, model: UrbanizationModel) -> np.ndarray:
        """Rows of local farmer households holding a homestead (who may exchange it)."""
        farmers = local_farmers(model)
        return farmers[model.pop.homestead[farmers]]

    def act(self, model: UrbanizationModel) -> None:
        towns = new_town_districts(model)
        if towns.size == 0:
            return
        pop, p = model.pop, self.params
        holders = self.holders(model)
        topic = self.awareness_topic or self.name
        if p.outreach > 0:
            model.awareness.boost(topic, holders, p.outreach)
        cand = holders[model.awareness.of(topic)[holders]]
        if cand.size == 0:
            return
        utility = (
            p.exchange_const
            + p.exchange_landless * ~pop.land[cand]
            + p.exchange_elders * (pop.elders[cand] > 0)
        )
        movers = cand[model.rng.random(cand.size) < expit(utility)]
        if movers.size == 0:
            return
        model.relocate(movers, model.rng.choice(towns, size=movers.size), Residence.RESETTLEMENT)
        pop.homestead[movers] = False
        model.cumulative["homestead_exchanges"] += float((pop.persons(movers) * pop.weight[movers]).sum())
        if p.apartment_cost > 0:
            model.ledger.charge("housing", p.apartment_cost * float(pop.weight[movers].sum()), "district")


@indicator(
    "homestead_exchanges",
    "Persons in local farmer households that exchanged a homestead for a model-town apartment, cumulative",
    "persons",
)
def homestead_exchanges(s: Snapshot) -> float:
    return float(s.model.cumulative.get("homestead_exchanges", 0.0))
