"""The urbanize web app: a live city with its status-quo twin, and an analyst page for finished sweeps.

Serve it with ``urbanize viz`` (or ``make viz``); ``solara run viz/app.py`` also works. Every browser session
builds its own model (``solara.use_memo`` in :func:`Page`), so tabs and users never share a run.
"""

from __future__ import annotations

import solara
from mesa.visualization import SolaraViz

from viz.analyst import AnalystPage
from viz.components import Controls, LiveContent
from viz.config import VizConfig, default_package
from viz.twin import TwinRun


def initial_config() -> VizConfig:
    config = VizConfig()
    try:
        config.package = default_package(config.city)
    except Exception:  # the page must still render if the registry is broken
        config.package = "status_quo"
    return config


@solara.component
def _SidebarControls(model, config):
    # one component level below SolaraViz's own sidebar cards, so ours come after Step / Play / Reset
    _InnerSidebar(model, config)


@solara.component
def _InnerSidebar(model, config):
    with solara.Sidebar():
        Controls(model, config)


@solara.component
def Page():
    """The live page: SolaraViz's controls (Step, Play, Reset) driving a :class:`TwinRun`."""
    config = solara.use_memo(initial_config, [])
    first = solara.use_memo(lambda: TwinRun(config), [])
    model = solara.use_reactive(first)
    with solara.Column(style={"width": "100%"}) as main:
        SolaraViz(
            model,
            components=[],  # the main area is laid out below (see docs/app.md: why not the draggable grid)
            model_params={"config": config},
            name="urbanize - live city",
            play_interval=150,
        )
        _SidebarControls(model, config)
        LiveContent(model.value)
    return main


routes = [
    solara.Route(path="/", component=Page, label="Live city"),
    solara.Route(path="analyst", component=AnalystPage, label="Analyst"),
]
