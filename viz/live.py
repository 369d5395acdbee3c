"""The main area of the live page: a status line, the policy map beside the status-quo twin (or their
difference), a legend, the policy effect table and the indicator charts, laid out to fit a 1366x768 screen.

Components that show the run subscribe to Mesa's ``update_counter`` (bumped by ``ModelController`` after every
step), so a Step re-renders them; figures are rendered to PNG once per (run, month, view) and cached.
"""

from __future__ import annotations

import traceback
from typing import Any, cast

import solara
from mesa.visualization.utils import update_counter

from urbanize.viz import html, maps, plots
from urbanize.viz.components import ErrorBox, NoticeBox, colour_by, map_layer, second_map
from urbanize.viz.twin import TwinRun

#: Sizes in CSS pixels: the figures are drawn at these sizes (1 pt = 1 px at 72 dpi), so their 12-pt text shows
#: at 12 px; the main area of a 1366x768 window is about 1090 x 700 px beside the sidebar.
LIVE_CSS = """
.urbanize-status { font-size: 13px; color: #444; margin: 2px 0; }
.urbanize-top { display: flex; gap: 8px; align-items: flex-start; width: 100%; }
.urbanize-map { flex: 0 0 auto; width: 300px; }
.urbanize-map img { width: 300px; height: auto; display: block; }
.urbanize-effect { flex: 1 1 auto; min-width: 0; height: 228px; overflow: auto; font-size: 13px; }
.urbanize-effect .urbanize-table { font-size: 13px; margin-top: 2px; }
.urbanize-legend { font-size: 13px; line-height: 1.5; margin: 2px 0; }
.urbanize-legend .swatch { display: inline-block; width: 11px; height: 11px; margin: 0 3px 0 8px;
  border: 1px solid #777; vertical-align: -1px; }
.urbanize-charts img { width: 100%; max-width: 1040px; height: auto; display: block; }
"""


@solara.component
def CityMap(run: TwinRun, which: str):
    """The map of one run (``which``: "main" or "twin") or of their difference ("difference")."""
    update_counter.get()
    key = (id(run), run.steps, run.month, colour_by.value, map_layer.value, which)

    def render():
        try:
            if which == "difference":
                return maps.difference_png(run, colour_by.value), None
            return maps.map_png(run, colour_by.value, map_layer.value, which), None
        except Exception as exc:  # show, never blank the page
            traceback.print_exc()
            return None, f"could not draw the map: {type(exc).__name__}: {exc}"

    image, error = solara.use_memo(render, list(key))
    with solara.Div(classes=["urbanize-map", f"urbanize-map-{which}"]):
        if error:
            ErrorBox(error)
        else:
            solara.Image(image)


@solara.component
def Legend(run: TwinRun):
    """District kinds (the maps' background) and the household categories of the colour mode, in HTML text."""
    import html as _html

    def swatches(pairs) -> str:
        return "".join(f'<span class="swatch" style="background:{c}"></span>{_html.escape(label)}'
                       for label, c in pairs)

    cats = maps.CATEGORY_STYLES[colour_by.value]
    text = (f"<b>Districts:</b>{swatches(zip(maps.KIND_LABELS, maps.KIND_COLOURS, strict=True))}"
            f"<br><b>Households by {_html.escape(cats[2])}:</b>{swatches(zip(cats[0], cats[1], strict=True))}")
    solara.HTML(tag="div", unsafe_innerHTML=text, classes=["urbanize-legend"])


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
            solara.Image(image)


@solara.component
def PolicyEffect(run: TwinRun):
    """The twin's message in numbers: each indicator now, under the policies and the status quo."""
    update_counter.get()
    table = plots.effect_table(run)
    charted = plots.effect_table(run, everything=True)
    with solara.Div(classes=["urbanize-effect"]):
        with solara.Tooltip(f"policies: {', '.join(run.active_policies) or 'none (status quo)'}"):
            html.bold_line(f"Policy effect in month {run.month}", "(policies against the status quo)")
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
            moved = diffs[diffs["difference"].abs() > plots.ZERO]
            if moved.empty:
                text = "No difference from the status quo yet."
            else:
                top = moved.loc[cast(Any, scale[moved.index].idxmax())]  # a label (pandas-stubs: Hashable)
                text = (f"Largest relative effect: {top['name']} {plots.fmt(top['difference'], sign=True)} "
                        f"{top['unit']} ({len(moved)} of {len(diffs)} indicators differ).")
            solara.Text(text, classes=["urbanize-effect-summary"])
        rows: list[tuple[Any, ...]] = [(r.name, r.unit, r.policies, r[4], r.difference)
                                       for r in table.itertuples(index=False)]

        def cell(v):
            return v if isinstance(v, str) else plots.fmt(v)

        html.table(rows, ["indicator", "unit", "policies", "status quo", "difference"], fmt=cell,
                   strong=lambda i, j: j == 4 and rows[i][4] == rows[i][4] and abs(rows[i][4]) > plots.ZERO,
                   titles=list(table["doc"]))


@solara.component
def StatusLine(run: TwinRun):
    update_counter.get()
    households = getattr(run.main.pop, "n", 0) if run.main is not None else 0
    text = (f"month {run.month} - {run.config.city} - {run.config.policy_spec()} - {households:,} households - "
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
    if run.notice:
        NoticeBox(run.notice)
    StatusLine(run)
    second = "difference" if second_map.value == "difference" else "twin"
    with solara.Div(classes=["urbanize-top"]):
        CityMap(run, "main")
        CityMap(run, second)
        PolicyEffect(run)
    Legend(run)
    IndicatorCharts(run)
