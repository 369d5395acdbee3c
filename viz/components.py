"""Solara components of the live page's sidebar: the run controls (Mesa's ``ModelController``), city, policies,
parameters and view options. The main area (maps, effect table, charts) is in :mod:`urbanize.viz.live`."""

from __future__ import annotations

import functools

import solara
from mesa.visualization.solara_viz import ModelController

from urbanize.model.errors import UrbanizeError
from urbanize.viz import config as cfg
from urbanize.viz.twin import TwinRun

#: View options of the session (module-level reactives are per browser session in solara).
colour_by = solara.reactive("type")
map_layer = solara.reactive("auto")
second_map = solara.reactive("status quo twin")
SECOND_MAPS = ("status quo twin", "difference")


def _label(info) -> str:
    return f"{info.name} ({info.unit})" if info.unit else info.name


@solara.component
def ErrorBox(message: str):
    solara.Error(message, icon=True, classes=["urbanize-error"])


#: The sidebar at 300 px instead of Solara's 400-600 (the main area needs the width on a 1366-px screen).
SIDEBAR_CSS = """
.v-navigation-drawer.solara-content-main { min-width: 300px !important; max-width: 300px !important;
  width: 300px !important; }
.v-navigation-drawer.solara-content-main .v-sheet { min-width: 0 !important; }
"""


@solara.component
def NavBar(title: str):
    """The app bar: the page's title and links to both pages."""
    solara.Style(SIDEBAR_CSS)
    with solara.AppBar():
        with solara.Link("/"):
            solara.Button("Live city", text=True, style={"color": "white"})
        with solara.Link("/analyst"):
            solara.Button("Analyst", text=True, style={"color": "white"})
    solara.AppBarTitle(title)


@solara.component
def NoticeBox(message: str):
    solara.Warning(message, icon=True, classes=["urbanize-notice"])


@solara.component
def RunControls(model: solara.Reactive, config: cfg.VizConfig):
    """Step, play and Reset (Mesa's ``ModelController``, keyed on the run so a rebuilt run starts runnable),
    with the playing speed in plain words."""
    params = solara.use_reactive({"config": config})
    play_interval = solara.use_reactive(150)
    render_interval = solara.use_reactive(1)
    use_threads = solara.use_reactive(False)
    with solara.Card("Run", classes=["urbanize-run"]):
        ModelController(model, model_parameters=params, play_interval=play_interval,
                        render_interval=render_interval, use_threads=use_threads).key(f"ctl-{id(model.value)}")
        NumberSlider(f"Pause between months when playing: {play_interval.value} ms", play_interval.value, 50, 1000,
                     50, play_interval.set, whole=True)
        NumberSlider(f"Months per redraw when playing: {render_interval.value}", render_interval.value, 1, 12, 1,
                     render_interval.set, whole=True)


@solara.component
def Controls(model: solara.Reactive, config: cfg.VizConfig):
    """City, package, individual policies and parameters. Choices of city and policies restart the run at
    month 0; parameter changes apply on Reset (so dragging a slider does not rebuild the city each tick)."""
    _, set_version = solara.use_state(0)

    def rebuild():
        model.value = TwinRun(config)
        set_version(lambda v: v + 1)

    def on_city(value):
        if value not in cfg.cities():
            return
        config.city = value
        config.package = cfg.default_package(value)
        config.policies = []
        rebuild()

    def on_package(value):
        if value is None:
            return
        config.package = value
        config.policies = []
        rebuild()

    def on_policy(name, on):
        current = config.active_policies()
        chosen = [p for p in cfg.policy_catalogue() if (p in current and p != name) or (p == name and on)]
        config.policies = chosen
        config.package = "custom" if chosen != cfg.package_members(config.package) else config.package
        if not chosen:
            config.package = "status_quo"
        rebuild()

    def on_twin(value):
        config.twin = bool(value)
        rebuild()

    active = set(config.active_policies())
    package_values = ["status_quo", *[p for p in cfg.packages() if p != "status_quo"]]
    if config.package not in package_values:
        package_values.append(config.package)  # "custom", or an unknown name from the address (reported)
    with solara.Card("City and policies"):
        solara.Select("City", values=list(cfg.cities()), value=config.city, on_value=on_city)
        solara.Select("Policy package", values=package_values, value=config.package, on_value=on_package)
        solara.Checkbox(label="Twin run under status quo (same seed)", value=config.twin, on_value=on_twin)
        with solara.Details("Individual policies (switch on or off)", expand=False):
            for name, (pilot, summary) in cfg.policy_catalogue().items():
                with solara.Tooltip(summary or name):
                    solara.Checkbox(label=f"{name} ({pilot})" if pilot else name, value=name in active,
                                    on_value=functools.partial(on_policy, name))

    PolicyParameters(config, active, lambda: set_version(lambda x: x + 1))

    with solara.Card("Parameters (apply on Reset)"):
        def set_households(v):
            config.households = int(v)
            set_version(lambda x: x + 1)

        try:
            shown = min(max(int(float(config.households)), cfg.HOUSEHOLDS_MIN), cfg.HOUSEHOLDS_MAX)
        except (TypeError, ValueError):
            shown = cfg.VizConfig.households
        solara.SliderInt(f"Households (agents): {shown:,}", value=shown, min=cfg.HOUSEHOLDS_MIN,
                         max=cfg.HOUSEHOLDS_MAX, step=100, on_value=set_households)

        def set_seed(v):
            config.seed = int(v)
            set_version(lambda x: x + 1)

        try:
            seed_shown = int(config.seed)
        except (TypeError, ValueError):
            seed_shown = cfg.VizConfig.seed
        solara.InputInt("Seed", value=seed_shown, on_value=set_seed)
        for info in cfg.slider_infos():
            lo = info.lo if info.lo is not None else info.default - 5
            hi = info.hi if info.hi is not None else info.default + 5

            def set_param(v, name=info.name):
                config.behaviour[name] = v
                set_version(lambda x: x + 1)

            value = float(config.behaviour.get(info.name, info.default))
            with solara.Tooltip(info.doc or info.name):
                NumberSlider(f"{_label(info)}: {value:.4g}", value, lo, hi, _step(lo, hi), set_param)

        def set_overrides(text):
            config.overrides = text or ""
            set_version(lambda x: x + 1)

        solara.InputText("Overrides: name=value, ...", value=config.overrides, on_value=set_overrides,
                         continuous_update=False,
                         message="any behavioural parameter or policy.parameter, e.g. "
                                 "rented_residence_hukou.contribution_years=2 (press Enter)")
        try:
            cfg.behaviour_kwargs(config)
            cfg.check_households(config.households)
            cfg.check_seed(config.seed)
        except UrbanizeError as exc:
            ErrorBox(f"{exc} - fix it, then press Reset.")

    with solara.Card("View"):
        solara.Text("Colour households by", style={"font-size": "0.85em", "color": "#555"})
        solara.ToggleButtonsSingle(value=colour_by, values=list(cfg.COLOUR_MODES))
        solara.Select("Map layer", values=list(cfg.MAP_LAYERS), value=map_layer)
        solara.Select("Second map", values=list(SECOND_MAPS), value=second_map)


@solara.component
def NumberSlider(caption: str, value: float, lo: float, hi: float, step: float, on_value, whole: bool = False):
    """A slider under its caption (name, unit and value): a label beside the slider would squeeze its track."""
    with solara.Div(classes=["urbanize-param"]):
        solara.Text(caption, style={"font-size": "0.85em", "color": "#555"})
        if whole:
            solara.SliderInt("", value=int(value), min=int(lo), max=int(hi), step=int(step), on_value=on_value)
        else:
            solara.SliderFloat("", value=float(value), min=float(lo), max=float(hi), step=float(step),
                               on_value=on_value)


def _step(lo: float, hi: float) -> float:
    """A slider's step: 200 steps over its range."""
    return (float(hi) - float(lo)) / 200


@solara.component
def PolicyParameters(config: cfg.VizConfig, active: set[str], changed):
    """A control for each parameter of each active policy (slider for numbers, checkbox for switches), with its
    unit and meaning; values apply on Reset, and a ``policy.param`` override typed below wins over them."""
    _, set_version = solara.use_state(0)  # re-render this card (labels show the values) on every change
    with solara.Card("Policy parameters (apply on Reset)"):
        shown = [name for name in cfg.policy_catalogue() if name in active and cfg.policy_param_infos(name)]
        if not shown:
            solara.Text("The active policies have no parameters." if active else "No policy is switched on.")
        for name in shown:
            values = config.policy_values.setdefault(name, {})
            with solara.Details(name, expand=False):
                for info in cfg.policy_param_infos(name):

                    def set_value(v, name=name, info=info):
                        config.policy_values.setdefault(name, {})[info.name] = info.kind(v)
                        set_version(lambda x: x + 1)
                        changed()

                    value = values.get(info.name, info.default)
                    label = _label(info)
                    with solara.Tooltip(info.doc or info.name):
                        if info.kind is bool:
                            solara.Checkbox(label=label, value=bool(value), on_value=set_value)
                        elif info.kind is int and info.lo is not None and info.hi is not None:
                            NumberSlider(f"{label}: {int(value)}", int(value), info.lo, info.hi,
                                         max(1, int(_step(info.lo, info.hi))), set_value, whole=True)
                        elif info.lo is not None and info.hi is not None:
                            NumberSlider(f"{label}: {float(value):.4g}", float(value), info.lo, info.hi, _step(info.lo, info.hi),
                                         set_value)
                        else:
                            solara.InputFloat(label, value=float(value), on_value=set_value)
