"""The urbanize web app: a live city with its status-quo twin, and an analyst page for finished sweeps.

Serve it with ``urbanize viz`` (or ``make viz``). Every browser session builds its own model
(``solara.use_memo`` in :func:`LivePage`), so tabs and users never share a run.

The run is driven by Mesa's own ``ModelController`` (Step, play, Reset) in the app's sidebar; the rest of
``SolaraViz`` (its draggable grid of tiles, "Use Threads", a "Time: 12.0" card, an empty "Model Parameters"
card) is not used: see docs/app.md, "Layout".
"""

from __future__ import annotations

import traceback
from urllib.parse import parse_qs

import solara

from urbanize.viz.analyst import AnalystPage
from urbanize.viz.components import Controls, ErrorBox, NavBar, RunControls
from urbanize.viz.config import VizConfig, default_package
from urbanize.viz.live import LIVE_CSS, LiveContent
from urbanize.viz.memory import release_on_session_close
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
        config.households = query.pop("households")  # type: ignore[assignment]  # checked by TwinRun
    if "seed" in query:
        text = query.pop("seed")
        try:
            config.seed = int(text)  # checked by TwinRun: -1 gets a message there
        except ValueError:
            config.seed = text  # type: ignore[assignment]  # TwinRun reports it
    if "twin" in query:
        config.twin = query.pop("twin").lower() not in ("0", "false", "no", "off")
    if query:  # behavioural parameters: validated with their ranges when the run is built
        config.overrides = ", ".join(f"{k}={v}" for k, v in query.items())
    return config


def one_line(exc: BaseException) -> str:
    """An exception as one line for the page (the traceback goes to the server's log)."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 200 else text[:197] + "..."


@solara.component
def Page():
    """The live page inside an error guard: an exception anywhere below becomes one line above a fresh page
    with the default settings (the controls stay), never a traceback in the browser."""
    exception, clear = solara.use_exception()
    restarts, set_restarts = solara.use_state(0)
    if exception is not None:
        traceback.print_exception(exception)
        message = one_line(exception)

        def again():
            clear()
            set_restarts(restarts + 1)

        with solara.Column(style={"width": "100%"}) as main:
            ErrorBox(f"the page hit an error and restarted with the default settings: {message}")
            solara.Button("Continue", color="primary", on_click=again, classes=["urbanize-continue"])
            LivePage(safe=True).key(f"live-safe-{restarts}")
        return main
    return LivePage(safe=restarts > 0).key(f"live-{restarts}")


@solara.component
def LivePage(safe: bool = False):
    """The live page: run controls and settings in the sidebar, maps, effect table and charts beside them.

    ``safe``: ignore the address's query (used after an error, so a bad link cannot fail twice)."""
    router = solara.use_router()
    solara.use_memo(release_on_session_close, [])  # once per session
    config = solara.use_memo(lambda: VizConfig() if safe else initial_config(router.search), [])
    first = solara.use_memo(lambda: TwinRun(config), [])
    model: solara.Reactive[TwinRun] = solara.use_reactive(first)
    with solara.Column(style={"width": "100%", "padding": "0", "gap": "4px"}) as main:  # all inside: elements
        with solara.Div(style={"display": "none"}):  # made outside the returned column are dropped
            solara.Title("urbanize - live city")
            solara.Style(LIVE_CSS)
            NavBar("urbanize - live city")
            with solara.Sidebar():
                with solara.Column(style={"padding": "0"}):
                    RunControls(model, config)
                    Controls(model, config)
        LiveContent(model.value)
    return main


@solara.component
def Layout(children=[]):  # noqa: B006  (solara's signature for a layout)
    """Solara's app layout without its tab row (48 px of a 768-px screen): each page's app bar links the other."""
    return solara.AppLayout(children=children, navigation=False)


routes = [
    solara.Route(path="/", component=Page, label="Live city", layout=Layout),
    solara.Route(path="analyst", component=AnalystPage, label="Analyst", layout=Layout),
]
