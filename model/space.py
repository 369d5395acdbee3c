"""The city map as a Mesa grid whose cells hold the household agents, so Mesa's own space views draw them.

Household state lives in the model's columns (``pop.cell_x``, ``pop.cell_y``); the cells' agent lists are a
view of those columns, rebuilt when read after the model has stepped (arrivals, departures and moves happen
in vectorized code that never touches a cell). Only materialised agents are placed: ``agents="all"``, or
``"auto"`` at up to ``AUTO_AGENT_LIMIT`` households (docs/app.md, "Mesa's space views").

Above that the households are lazy (created on demand by ``model.household(uid)``); a space view asking for
the grid's agents then gets a one-line error saying why and what to do, instead of Mesa's IndexError on an
empty grid.
"""

from __future__ import annotations

import weakref
from typing import Any

from mesa.agent import AgentSet
from mesa.discrete_space import OrthogonalMooreGrid

from urbanize.model.errors import UrbanizeError


class LazyAgentsError(UrbanizeError):
    """The grid was asked for its agents while the households are not materialised as Mesa agents."""


class CityGrid(OrthogonalMooreGrid):
    """An ``OrthogonalMooreGrid`` whose cells list the model's household agents (synchronised on read)."""

    def __init__(self, model: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._model_ref = weakref.ref(model)  # the model owns the grid: no reference cycle
        self._synced: tuple[int, int, int] | None = None

    def sync_agents(self) -> None:
        """Put every materialised household agent in the cell its columns name (no-op when nothing changed)."""
        model = self._model_ref()
        if model is None or not getattr(model, "_eager_agents", False):
            return
        agents = model._agents_by_uid
        key = (int(model.steps), int(model.pop.n), len(agents))
        if key == self._synced:
            return
        cells = self._cells
        for cell in cells.values():
            cell._agents.clear()  # in place: all_cells maps each cell to this very list
        pop = model.pop
        for uid, x, y in zip(pop.uid.tolist(), pop.cell_x.tolist(), pop.cell_y.tolist(), strict=True):
            agent = agents.get(uid)
            if agent is not None:
                cells[(x, y)]._agents.append(agent)
        for cell in cells.values():
            cell.empty = not cell._agents
        self._synced = key

    @property
    def agents(self) -> AgentSet:
        """The household agents on the map (what Mesa's space views draw).

        Raises:
            LazyAgentsError: when the households are not materialised as Mesa agents.
        """
        model = self._model_ref()
        if model is not None and not getattr(model, "_eager_agents", True):
            raise LazyAgentsError(
                f"the map holds no Mesa agents: this model's {int(model.pop.n):,} households are lazy "
                "(agents='lazy', or 'auto' above 20,000 households); build it with agents='all' "
                "(or at most 20,000 households) to draw households with Mesa's space views"
            )
        self.sync_agents()
        return super().agents
