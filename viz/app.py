"""The urbanize web app: a live city with its status-quo twin, and an analyst page for finished sweeps.

Serve it with ``urbanize viz`` (or ``make viz``); ``solara run viz/app.py`` also works. Every browser session
builds its own model (``solara.use_memo`` in :func:`Page`), so tabs and users never share a run.
"""

from __future__ import annotations

from urllib.parse import parse_qs

import solara
from mesa.visualization import SolaraViz

from urbanize.viz.analyst import AnalystPage
from urbanize.viz.components import Controls, LiveContent
from urbanize.viz.config import VizConfig, default_package
from urbanize.viz.twin import TwinRun


def initial_config(search: str | None = None) -> VizConfig:
    """The session's starting settings: defaults, then the address's query (``?city=yanta&households=5000``).

    Query keys: city, package, policies (comma-separated), households, seed, twin (0/1), and any behavioural
    parameter by name. Bad values are not rejected here: the run reports them on the page.
    """
    config = VizConfig()
    query = {k: v[-1] for k, v in parse_qs(search or "").items()}
    if "city" in query:
        config.city = query.pop("city").strip().lower()
    try:
        config.package = default_package(config.city)
    except Exception:  # the page must still render if the registry is broken
        config.package = "status_quo"
    if "package" in query:
        config.package = query.pop("package")
    if "policies" in query:
        config.policies = [p.strip() for p in query.pop("policies").split(",") if p.strip()]
        config.package = "custom"
    if "households" in query:
        config.households = query.pop("households")  # type: ignore[assignment]  (checked by TwinRun)
    if "seed" in query:
        try:
            config.seed = int(query.pop("seed"))
        except ValueError:
            pass
    if "twin" in query:
        config.twin = query.pop("twin").lower() not in ("0", "false", "no", "off")
    if query:  # behavioural parameters: validated with their ranges when the run is built
        config.overrides = ", ".join(f"{k}={v}" for k, v in query.items())
    return config


#: SolaraViz always draws a "Model Parameters" card; this app's settings live in its own cards (the run is built
#: from a whole ``VizConfig``), so the empty card is hidden rather than shown blank.
HIDE_EMPTY_CARDS = ".v-card:has(> .v-card__text > .v-sheet:empty:only-child) { display: none; }"


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
    router = solara.use_router()
    config = solara.use_memo(lambda: initial_config(router.search), [])
    first = solara.use_memo(lambda: TwinRun(config), [])
    model = solara.use_reactive(first)
    with solara.Column(style={"width": "100%"}) as main:
        solara.Style(HIDE_EMPTY_CARDS)
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
