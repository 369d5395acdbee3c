"""Analyst page: open a finished sweep or comparison folder and compare policy packages.

The numbers come from the experiments layer (``experiments.analysis.summarize`` and
``experiments.analysis.paired_differences``, the functions behind ``urbanize report`` and ``urbanize compare``),
so the page and the written report agree. Shown for one outcome at a time:

* trajectories: monthly mean across replicates with a 95 % confidence band, one line per design point;
* paired differences from the baseline point (same replicate seeds: common random numbers), with 95 % CI;
* the summary and difference tables at the chosen month.
"""

from __future__ import annotations

import traceback
from typing import cast

import numpy as np
import pandas as pd
import solara
from matplotlib.figure import Figure

from urbanize.model.errors import UrbanizeError
from urbanize.viz import html
from urbanize.viz.components import NavBar
from urbanize.viz.memory import release_on_session_close
from urbanize.viz.render import DPI, FONT, png
from urbanize.viz.sweeps import (  # noqa: F401  (re-exported: the page's loader)
    Sweep,
    SweepError,
    analyst_root,
    default_outcome,
    differences,
    find_sweeps,
    load_sweep,
    max_lines,
    resolve_under,
    summary_at,
)

MAX_BAND_MONTHS = 60  # months evaluated for the difference band (evenly spaced, last month always included)
FIG_PX = (1100, 380)  # the comparison figure's size in CSS pixels: 12-pt text reads as 12 px


def band_months(sweep: Sweep) -> list[int]:
    months = sweep.months
    if len(months) <= MAX_BAND_MONTHS:
        return months
    idx = np.unique(np.linspace(0, len(months) - 1, MAX_BAND_MONTHS).round().astype(int))
    return [months[i] for i in idx]


def colour(i: int) -> str:
    """Matplotlib's default colour ``C<i>`` as a hex string (for the page's HTML legend)."""
    from matplotlib.colors import to_hex

    return str(to_hex(f"C{i % 10}"))


def outcome_label(outcome: str) -> str:
    """An outcome in plain words with its unit, from the indicator registry."""
    from urbanize.model.indicators import registry
    from urbanize.viz.plots import plain_name

    info = registry().get(outcome)
    unit = f" ({info.unit})" if info is not None and info.unit else ""
    return f"{plain_name(outcome)}{unit}"


def line_groups(sweep: Sweep) -> list[tuple[object, str, str]]:
    """(group key, label, colour) of the trajectory lines: one per design point, or one per package when there
    are more points than the report draws (as ``urbanize report``)."""
    points = [int(p) for p in sweep.design["point"]]
    if len(points) > max_lines():
        packages = sorted(sweep.runs["policies"].unique())
        return [(pkg, str(pkg), colour(i)) for i, pkg in enumerate(packages)]
    return [(p, f"P{p}: {sweep.labels.get(p, p)}", colour(i)) for i, p in enumerate(points)]


def trajectory_figure(sweep: Sweep, outcome: str, baseline: int, month: int) -> Figure:
    """Mean and 95 % CI band across replicates per design point (left); paired difference from baseline (right).
    No legend inside: the page lists the lines with their colours in HTML (long labels wrap there)."""
    from urbanize.experiments.analysis import mean_ci

    fig = Figure(figsize=(FIG_PX[0] / DPI, FIG_PX[1] / DPI), dpi=DPI)
    ax1, ax2 = fig.subplots(1, 2)
    fig.subplots_adjust(left=0.06, right=0.99, top=0.88, bottom=0.13, wspace=0.2)
    groups = line_groups(sweep)
    many = len(groups) and groups[0][1] == str(groups[0][0])  # one line per package
    key = sweep.runs["policies"] if many else sweep.runs["point"]
    colours = {g: c for g, _, c in groups}
    for group, g in sweep.runs.groupby(key, sort=True):
        stats_ = g.groupby("month")[outcome].apply(lambda s: mean_ci(s.to_numpy()))
        x = stats_.index.to_numpy()
        mean = np.array([s[0] for s in stats_])
        lo = np.array([s[3] for s in stats_])
        hi = np.array([s[4] for s in stats_])
        c = colours.get(group if many else int(group), "#333333")
        lw = 2.4 if (not many and int(group) == baseline) else 1.6
        ax1.plot(x, mean, color=c, lw=lw)
        if np.isfinite(lo).any():
            ax1.fill_between(x, lo, hi, color=c, alpha=0.15, lw=0)
    ax1.axvline(month, color="#999999", lw=0.8, ls=":")
    ax1.set_title("mean and 95 % CI across " + ("runs, per package" if many else "replicates"), fontsize=FONT)
    diff = differences(sweep, outcome, baseline, band_months(sweep))
    if diff.empty:
        ax2.text(0.5, 0.5, "one design point only: nothing to compare", ha="center", va="center",
                 transform=ax2.transAxes, fontsize=FONT, color="#888888")
    else:
        for point, g in diff.groupby("point", sort=True):
            g = g.sort_values("month")
            if many:  # too many points to tell apart: thin lines, no bands
                ax2.plot(g["month"], g["difference"], color="#1f77b4", lw=0.8, alpha=0.5)
                continue
            c = colours.get(int(cast(int, point)), "#333333")
            ax2.plot(g["month"], g["difference"], color=c, lw=1.6)
            if np.isfinite(g["ci_low"]).any():
                ax2.fill_between(g["month"], g["ci_low"], g["ci_high"], color=c, alpha=0.15, lw=0)
        ax2.axhline(0, color="#333333", lw=0.8)
    ax2.axvline(month, color="#999999", lw=0.8, ls=":")
    ax2.set_title(f"paired difference from P{baseline} (95 % CI)", fontsize=FONT)
    for ax in (ax1, ax2):
        ax.set_xlabel("month", fontsize=FONT, labelpad=1)
        ax.tick_params(labelsize=FONT)
        ax.grid(alpha=0.3)
    fig.suptitle(outcome_label(outcome), fontsize=FONT + 1, y=0.995, va="top")
    return fig


def _fmt(v) -> str:
    if isinstance(v, float | np.floating):
        x = float(v)
        if not np.isfinite(x):
            return "-"
        if abs(x) < 1e-9:
            return "0"  # rounding noise, never -1.42e-14
        return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:.4g}" if abs(x) >= 1e-3 else f"{x:.6f}".rstrip("0")
    return str(v)


#: Table columns in plain words: (column, header).
SUMMARY_COLUMNS = (("label", "design point"), ("n", "runs"), ("mean", "mean"), ("sd", "sd"),
                   ("ci_low", "95 % CI low"), ("ci_high", "95 % CI high"))
DIFF_COLUMNS = (("label", "design point"), ("n_pairs", "pairs"), ("mean_baseline", "baseline mean"),
                ("mean_other", "this point's mean"), ("difference", "difference"), ("ci_low", "95 % CI low"),
                ("ci_high", "95 % CI high"))


def _table(df: pd.DataFrame, columns: tuple[tuple[str, str], ...]) -> None:
    rows = [[f"P{int(r['point'])}: {r[c]}" if c == "label" else r[c] for c, _ in columns] for _, r in df.iterrows()]
    html.table(rows, [h for _, h in columns], fmt=_fmt, classes="urbanize-table urbanize-analyst-table")


ANALYST_CSS = """
.urbanize-analyst-chart img { width: 100%; max-width: 1100px; height: auto; display: block; }
.urbanize-analyst-legend { font-size: 13px; line-height: 1.6; max-width: 1100px; }
.urbanize-analyst-legend span.item { display: inline-block; margin-right: 14px; }
.urbanize-analyst-legend .swatch { display: inline-block; width: 18px; height: 4px; margin-right: 4px;
  vertical-align: 3px; }
.urbanize-analyst-table { max-width: 1100px; }
.urbanize-analyst-table td:first-child { text-align: left; white-space: normal; overflow-wrap: anywhere;
  max-width: 480px; }
.urbanize-analyst-tables { max-width: 100%; overflow-x: auto; }
"""


def legend_html(sweep: Sweep) -> str:
    import html as _html

    items = "".join(f'<span class="item"><span class="swatch" style="background:{c}"></span>{_html.escape(lab)}'
                    "</span>" for _, lab, c in line_groups(sweep))
    return f"<b>Lines:</b> {items}"


# --- the page ------------------------------------------------------------------------------------------------
@solara.component
def AnalystPage():
    folder_text = solara.use_reactive("")
    opened = solara.use_reactive("")  # the folder actually loaded (set by Open)
    outcome = solara.use_reactive("")
    month = solara.use_reactive(-1)
    baseline = solara.use_reactive(0)
    candidates = solara.use_memo(find_sweeps, [])
    solara.use_memo(release_on_session_close, [])  # a loaded sweep's memory goes back when the tab closes

    def load():
        if not opened.value:
            return None, None
        try:
            return load_sweep(opened.value), None
        except UrbanizeError as exc:
            return None, str(exc)
        except Exception as exc:  # never a blank page
            traceback.print_exc()
            return None, f"could not read '{opened.value}': {type(exc).__name__}: {exc}"

    sweep, error = solara.use_memo(load, [opened.value])

    def do_open(*_):
        outcome.set("")
        month.set(-1)
        baseline.set(0)
        opened.set("")  # force a reload when the same folder is opened again
        opened.set(folder_text.value.strip() or " ")

    solara.Title("urbanize - analyst")
    with solara.Column(style={"width": "100%", "padding": "12px"}):
        NavBar("urbanize - analyst")
        html.heading("Analyst: compare policy packages in a finished sweep")
        with solara.Row(style={"align-items": "center"}):
            solara.InputText("Sweep or comparison folder", value=folder_text, continuous_update=True,
                             style={"min-width": "480px"})
            solara.Button("Open", color="primary", on_click=do_open)
        if candidates:
            def pick(value):
                folder_text.set(value)
                outcome.set("")
                month.set(-1)
                baseline.set(0)
                opened.set(value)

            solara.Select("or pick one found here", values=candidates, value=None, on_value=pick)
        if error:
            solara.Error(error, icon=True, classes=["urbanize-error"])
            return
        if sweep is None:
            solara.Info("A sweep folder holds manifest.json and runs/*.parquet (made by 'urbanize sweep' or "
                        "'urbanize compare').")
            return
        AnalystView(sweep, outcome, month, baseline)


@solara.component
def AnalystView(sweep: Sweep, outcome: solara.Reactive, month: solara.Reactive, baseline: solara.Reactive):
    out = outcome.value if outcome.value in sweep.outcomes else default_outcome(sweep)
    months = sweep.months
    m = month.value if month.value in months else months[-1]
    points = [int(p) for p in sweep.design["point"]]
    base = baseline.value if baseline.value in points else points[0]
    label_to_point = {f"P{p}: {sweep.labels[p]}": p for p in points}
    spec = sweep.manifest.get("spec", {})
    n_runs = sweep.runs.groupby(["point", "replicate"]).ngroups if "replicate" in sweep.runs else len(points)
    html.bold_line(
        sweep.name, f"- city {spec.get('city', '?')}, {len(points)} design points, {n_runs} runs, "
        f"months 0-{months[-1]}, root seed {spec.get('seed', '?')}, code {sweep.manifest.get('code_version', '?')}",
        size="0.9em",
    )
    by_label = {outcome_label(o): o for o in sweep.outcomes}
    with solara.Row():
        solara.Select("Outcome", values=list(by_label), value=outcome_label(out),
                      on_value=lambda v: outcome.set(by_label.get(v, out)), style={"min-width": "420px"})
        solara.Select("Month", values=months, value=m, on_value=month.set)
        solara.Select("Baseline", values=list(label_to_point), value=f"P{base}: {sweep.labels[base]}",
                      on_value=lambda v: baseline.set(label_to_point.get(v, points[0])))

    def render():
        try:
            return png(trajectory_figure(sweep, out, base, m)), None
        except Exception as exc:
            traceback.print_exc()
            return None, f"could not draw the comparison: {type(exc).__name__}: {exc}"

    image, err = solara.use_memo(render, [id(sweep), out, base, m])
    solara.Style(ANALYST_CSS)
    with solara.Div(classes=["urbanize-analyst-chart"], style={"width": "100%"}):
        if err:
            solara.Error(err, classes=["urbanize-error"])
        else:
            solara.Image(image)
    solara.HTML(tag="div", unsafe_innerHTML=legend_html(sweep), classes=["urbanize-analyst-legend"])
    try:
        summary = summary_at(sweep, out, m)
        diff = differences(sweep, out, base, [m])
    except Exception as exc:  # never a blank page
        traceback.print_exc()
        solara.Error(f"could not compute the tables: {type(exc).__name__}: {exc}", classes=["urbanize-error"])
        return
    with solara.Div(classes=["urbanize-analyst-tables"]):  # stacked: each table gets the full width
        with solara.Div(classes=["urbanize-differences"]):
            html.bold_line(f"Paired differences from P{base} at month {m}", "(as 'urbanize compare')")
            if diff.empty:
                solara.Text("Only one design point: nothing to compare.")
            else:
                _table(diff, DIFF_COLUMNS)
        with solara.Div(classes=["urbanize-summary"]):
            html.bold_line(f"Summary at month {m}", "(as in report/summary.csv)")
            _table(summary, SUMMARY_COLUMNS)
