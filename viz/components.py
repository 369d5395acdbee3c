"""Solara components of the live page: sidebar controls, the city map, the indicator charts, the twin's effect.

Components that show the run subscribe to Mesa's ``update_counter`` (bumped by SolaraViz after every step),
so a Step re-renders them; figures are rendered to PNG once per (run, month, view) and cached.
"""

from __future__ import annotations

import traceback

import solara
from mesa.visualization.utils import update_counter

from urbanize.model.errors import UrbanizeError
from urbanize.viz import config as cfg
from urbanize.viz import html, plots
from urbanize.viz.twin import TwinRun

#: View options of the session (module-level reactives are per browser session in solara).
colour_by = solara.reactive("type")
map_layer = solara.reactive("auto")


def _label(info) -> str:
    return f"{info.name} ({info.unit})" if info.unit else info.name


@solara.component
def ErrorBox(message: str):
    solara.Error(message, icon=True, classes=["urbanize-error"])


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
                                    on_value=lambda on, name=name: on_policy(name, on))

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

        solara.InputInt("Seed", value=int(config.seed), on_value=set_seed)
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
        except UrbanizeError as exc:
            ErrorBox(f"{exc} - fix it, then press Reset.")

    with solara.Card("View"):
        solara.ToggleButtonsSingle(value=colour_by, values=list(cfg.COLOUR_MODES))
        solara.Select("Map layer", values=list(cfg.MAP_LAYERS), value=map_layer)


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


@solara.component
def CityMap(run: TwinRun):
    update_counter.get()
    key = (id(run), run.steps, run.month, colour_by.value, map_layer.value)

    def render():
        try:
            return plots.map_png(run, colour_by.value, map_layer.value), None
        except Exception as exc:  # show, never blank the page
            traceback.print_exc()
            return None, f"could not draw the map: {type(exc).__name__}: {exc}"

    image, error = solara.use_memo(render, list(key))
    with solara.Div(classes=["urbanize-map"], style={"width": "100%"}):
        if error:
            ErrorBox(error)
        else:
            solara.Image(image, width="100%")


@solara.component
def IndicatorCharts(run: TwinRun):
    update_counter.get()
    key = (id(run), run.steps, run.month)

    def render():
        try:
            return plots.charts_png(run), None
        except Exception as exc:
            traceback.print_exc()
            return None, f"could not draw the charts: {type(exc).__name__}: {exc}"

    image, error = solara.use_memo(render, list(key))
    with solara.Div(classes=["urbanize-charts"], style={"width": "100%"}):
        if error:
            ErrorBox(error)
        else:
            solara.Image(image, width="100%")


def _fmt(v: float) -> str:
    if v != v:  # NaN
        return "-"
    return f"{v:,.1f}" if abs(v) >= 100 else f"{v:,.3g}"


@solara.component
def PolicyEffect(run: TwinRun):
    """The twin's message in numbers: each indicator now, under the policies and the status quo."""
    update_counter.get()
    table = plots.effect_table(run)
    charted = plots.effect_table(run, everything=True)
    with solara.Div(classes=["urbanize-effect"], style={"overflow-x": "auto", "font-size": "0.85em"}):
        html.bold_line(f"Month {run.month}", f"policies: {', '.join(run.active_policies) or '-'}")
        changed = run.changed_parameters() if run.main is not None else []
        if changed:
            with solara.Div(classes=["urbanize-policy-params"], style={"margin": "2px 0 6px 0"}):
                solara.Text(f"set: {', '.join(changed)}")
        if run.twin is None:
            note = ("the chosen package is the status quo" if run.is_baseline
                    else "twin run is off")
            solara.Text(f"No twin: {note}.")
        if table.empty:
            return
        if run.twin is not None:
            diffs = charted.dropna(subset=["difference"])
            scale = diffs["difference"].abs() / diffs["status quo"].abs().clip(lower=1e-9)
            moved = diffs[diffs["difference"].abs() > 1e-9]
            if moved.empty:
                text = "No difference from the status quo yet."
            else:
                top = moved.loc[scale[moved.index].idxmax()]
                text = (f"Largest relative effect: {top['indicator']} {top['difference']:+.3g} {top['unit']} "
                        f"against the status quo ({len(moved)} of {len(diffs)} indicators differ).")
            solara.Text(text, classes=["urbanize-effect-summary"])
        rows = [(f"{r.indicator} ({r.unit})", r.policies, r[3], r.difference) for r in table.itertuples(index=False)]

        def cell(v):
            return v if isinstance(v, str) else _fmt(v)

        html.table(rows, ["indicator (unit)", "policies", "status quo", "difference"], fmt=cell,
                   strong=lambda i, j: j == 3 and rows[i][3] == rows[i][3] and abs(rows[i][3]) > 1e-9)


@solara.component
def StatusLine(run: TwinRun):
    update_counter.get()
    text = (f"month {run.month} - {run.config.city} - {run.config.policy_spec()} - "
            f"{getattr(run.main.pop, 'n', 0) if run.main is not None else 0:,} households - "
            f"last step {run.step_seconds * 1000:.0f} ms")
    solara.Text(text, classes=["urbanize-status"])


@solara.component
def LiveContent(run: TwinRun):
    """The main area of the live page."""
    update_counter.get()
    if run.error:
        ErrorBox(run.error)
        solara.Info("Fix the setting in the sidebar (Parameters) and press Reset; the page keeps working.")
        if run.main is None:
            return
    StatusLine(run)
    with solara.Columns([1, 1]):
        CityMap(run)
        PolicyEffect(run)
    IndicatorCharts(run)
