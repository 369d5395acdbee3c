"""State changes of households that decisions, life events and policies make through the model
(``model.move_state``, ``model.convert_to_urban_hukou``, ``model.relocate``, ``model.depart``, ``model.on_arrival``,
``model.on_formation``): each keeps the columns, the cumulative counts, the network and the ``Household`` agents
consistent. A mixin of :class:`~urbanize.model.core.UrbanizationModel`, kept apart from the schedule."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, cast

import numpy as np

from urbanize.agents.household import HOUSEHOLD_CLASSES, Household
from urbanize.model.enums import HouseholdType, Registration, Residence
from urbanize.model.network import HOMETOWN
from urbanize.model.synth import place_in_cells

if TYPE_CHECKING:
    from urbanize.model.city import CityProfile
    from urbanize.model.core import UrbanizationModel
    from urbanize.model.network import Awareness, SocialNetwork
    from urbanize.model.population import Population
    from urbanize.model.services import CityServices


class HouseholdMoves:
    """The model's state changes of households (mixed into ``UrbanizationModel``)."""

    pop: Population
    profile: CityProfile
    rng: np.random.Generator
    network: SocialNetwork
    awareness: Awareness
    services: CityServices
    flows: dict[str, float]
    cumulative: dict[str, float]
    _agents_by_uid: dict[int, Household]
    _eager_agents: bool

    def _as_model(self) -> UrbanizationModel:
        """This model, typed as the ``UrbanizationModel`` the mixin is part of (for the agents it creates)."""
        return cast("UrbanizationModel", self)

    def _initial_awareness(self, rows: np.ndarray, shares: Mapping[str, float]) -> None:
        for topic, share in shares.items():
            col = self.awareness.of(topic)
            col[rows] = self.rng.random(rows.size) < share

    def _create_agents(self, rows: np.ndarray) -> None:
        for uid, t in zip(self.pop.uid[rows].tolist(), self.pop.htype[rows].tolist(), strict=True):
            self._agents_by_uid[uid] = HOUSEHOLD_CLASSES[t](self._as_model(), uid)

    def move_state(self, rows: np.ndarray, state: Registration) -> None:
        """Move households to a registration state (counting residence permits issued)."""
        if rows.size == 0:
            return
        pop = self.pop
        pop.reg[rows] = state
        pop.reg_months[rows] = 0
        if state is Registration.RESIDENCE_PERMIT:
            self.cumulative["residence_permits"] += float((pop.persons(rows) * pop.weight[rows]).sum())

    def convert_to_urban_hukou(self, rows: np.ndarray) -> None:
        """Grant local urban hukou (to migrant applicants or converting local farmers)."""
        if rows.size == 0:
            return
        pop = self.pop
        pw = pop.persons(rows) * pop.weight[rows]
        farmer = pop.reg[rows] == int(Registration.LOCAL_RURAL_HUKOU)  # an IntEnum compares slowly
        self.cumulative["hukou_conversions_local_farmer"] += float(pw[farmer].sum())
        self.cumulative["hukou_conversions_migrant"] += float(pw[~farmer].sum())
        pop.reg[rows] = Registration.LOCAL_URBAN_HUKOU
        pop.reg_months[rows] = 0
        pop.hukou_local[rows] = True
        pop.hukou_urban[rows] = True
        pop.intends_settle[rows] = True
        # a migrant household granted local urban hukou is a local urban resident from now on: it leaves the migrant
        # base of arrivals, the hukou quota's count and the migrant indicators (its conversion stays counted)
        became_local = rows[~farmer & (pop.htype[rows] == int(HouseholdType.MIGRANT))]
        pop.htype[became_local] = HouseholdType.URBAN_RESIDENT
        pop.former_migrant[became_local] = True
        for uid in pop.uid[became_local].tolist():
            agent = self._agents_by_uid.pop(uid, None)
            if agent is not None:
                agent.remove()
                self._agents_by_uid[uid] = HOUSEHOLD_CLASSES[HouseholdType.URBAN_RESIDENT](self._as_model(), uid)

    def relocate(self, rows: np.ndarray, districts: np.ndarray, residence: Residence) -> None:
        """Move households to new districts and a new residence tenure."""
        pop = self.pop
        pop.district[rows] = districts
        pop.residence[rows] = residence
        pop.residence_months[rows] = 0
        pop.cell_x[rows], pop.cell_y[rows] = place_in_cells(self.rng, self.profile, pop.district[rows])

    def depart(self, rows: np.ndarray) -> None:
        """Households leave the city (return migration or a household dissolved); their rows go."""
        if rows.size == 0:
            return
        pop = self.pop
        self.flows["departures"] += float((pop.persons(rows) * pop.weight[rows]).sum())
        removed = pop.remove(rows)
        if self._agents_by_uid:  # above workshop sizes agents exist only where asked for (often none)
            for uid in removed.tolist():
                agent = self._agents_by_uid.pop(uid, None)
                if agent is not None:
                    agent.remove()

    def on_arrival(self, rows: np.ndarray) -> None:
        """Set up state of arriving households (awareness through their ties, services, agents)."""
        self._initial_awareness(rows, {"registration": 0.3, "hukou": 0.2})
        self.services.on_arrival(rows)
        if self._eager_agents:
            self._create_agents(rows)

    def on_formation(self, rows: np.ndarray, home_a: np.ndarray, home_b: np.ndarray) -> None:
        """Set up new couple households at ``rows``, formed by one adult from ``home_a`` and one from ``home_b``:
        each partner knows what their home knew, keeps a tie to it, and the household enters the services."""
        if rows.size == 0:
            return
        aware = self.awareness.matrix()
        aware[rows] = aware[home_a] | aware[home_b]
        self.network.add(rows, home_a, HOMETOWN)
        self.network.add(rows, home_b, HOMETOWN)
        self.services.on_formation(rows)
        if self._eager_agents:
            self._create_agents(rows)
