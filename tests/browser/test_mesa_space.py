"""Mesa's stock space view on our model (issue 12 item 1): a ``SolaraViz`` page with ``make_space_component``
renders in-process with the households drawn, and a model whose households are lazy fails in one line."""

from __future__ import annotations

import numpy as np
import pytest
import solara
from mesa.visualization import SolaraViz, make_space_component

from urbanize import UrbanizationModel
from urbanize.model.space import LazyAgentsError


def portrayal(agent):
    from mesa.visualization.components import AgentPortrayalStyle

    return AgentPortrayalStyle(color="tab:red" if agent.htype == 0 else "tab:blue", size=4)


def test_grid_cells_hold_every_household_where_its_columns_say():
    model = UrbanizationModel(city="yanta", households=400, rng=3, agents="all")
    for _ in range(3):  # arrivals, departures and moves happen in the columns
        model.step()
    pop = model.pop
    agents = model.grid.agents
    assert len(agents) == pop.n == len(model._agents_by_uid)
    where = {a.uid: cell.coordinate for cell in model.grid.all_cells for a in cell.agents}
    expected = dict(zip(pop.uid.tolist(), zip(pop.cell_x.tolist(), pop.cell_y.tolist(), strict=True), strict=True))
    assert where == expected
    assert all(cell.empty == (not cell.agents) for cell in model.grid.all_cells)


def test_stock_solaraviz_space_page_draws_the_households():
    import ipywidgets
    from mesa.visualization.mpl_space_drawing import collect_agent_data

    model = UrbanizationModel(city="changshu", households=1500, rng=1)
    model.step()
    page = SolaraViz(model, components=[make_space_component(portrayal)])
    box, rc = solara.render(page, handle_error=False)  # raised IndexError before the grid held the agents
    try:
        images = [w for w in rc.find(ipywidgets.Image).widgets if bytes(w.value or b"").startswith(b"\x89PNG")]
        assert images, "the space view drew no image"
    finally:
        rc.close()
    # what the stock view draws: one marker per household, at its cell
    data = collect_agent_data(model.grid, portrayal)
    assert len(data["loc"]) == model.pop.n
    cells = {(int(x), int(y)) for x, y in np.asarray(data["loc"])}
    assert cells == set(zip(model.pop.cell_x.tolist(), model.pop.cell_y.tolist(), strict=True))


def test_lazy_households_give_one_line_instead_of_mesas_index_error():
    model = UrbanizationModel(city="yanta", households=300, rng=1, agents="lazy")
    with pytest.raises(LazyAgentsError, match="agents='all'"):
        _ = model.grid.agents
