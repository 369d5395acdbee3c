"""Analyst page: open a finished sweep or comparison folder and compare policy packages.

The numbers come from the experiments layer (``experiments.analysis.summarize`` and
``experiments.analysis.paired_differences``, the functions behind ``urbanize report`` and ``urbanize compare``),
so the page and the written report agree. Shown for one outcome at a time:

* trajectories: monthly mean across replicates with a 95 % confidence band, one line per design point;
* paired differences from the baseline point (same replicate seeds: common random numbers), with 95 % CI;
* the summary and difference tables at the chosen month.
"""

from __future__ import annotations

import json
import os
import traceback
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import solara
from matplotlib.figure import Figure

from urbanize.model.errors import UrbanizeError
from urbanize.viz import html
from urbanize.viz.plots import DPI, png

MAX_BAND_MONTHS = 60  # months evaluated for the difference band (evenly spaced, last month always included)


@dataclass(frozen=True)
class Sweep:
    """A loaded sweep folder."""

    path: Path
    manifest: dict
    design: pd.DataFrame
    runs: pd.DataFrame
    params: tuple[str, ...]
    outcomes: tuple[str, ...]
    labels: dict[int, str]  # design point -> readable label

    @property
    def name(self) -> str:
        return str(self.manifest.get("spec", {}).get("name", self.path.name))

    @property
    def months(self) -> list[int]:
        return sorted(int(m) for m in self.runs["month"].unique())


class SweepError(UrbanizeError):
    """A folder that cannot be read as a sweep."""


def load_sweep(path: str | Path) -> Sweep:
    """Read a sweep or comparison folder with the experiments layer.

    Raises:
        SweepError: a one-line message naming what is wrong (no folder, no manifest, no finished runs, ...).
    """
    from urbanize.experiments.analysis import indicator_columns
    from urbanize.experiments.storage import load_design, open_runs

    text = str(path).strip()
    if not text:
        raise SweepError("type the path of a sweep or comparison folder (the one holding manifest.json)")
    p = Path(text).expanduser()
    if not p.exists():
        raise SweepError(f"folder '{p}' does not exist")
    if not p.is_dir():
        raise SweepError(f"'{p}' is a file, not a folder; give the folder holding manifest.json")
    try:
        design, manifest = load_design(p)
        runs = open_runs(p)
    except UrbanizeError as exc:
        raise SweepError(str(exc)) from None
    except (OSError, ValueError, KeyError, json.JSONDecodeError) as exc:
        raise SweepError(f"'{p}' does not hold a readable sweep: {type(exc).__name__}: {exc}") from None
    if "point" not in runs or "month" not in runs:
        raise SweepError(f"the run files in '{p}' have no 'point'/'month' columns; is this a sweep folder?")
    params = tuple(c for c in design.columns if c not in ("point", "policies", "sample"))
    outcomes = tuple(indicator_columns(runs, params))
    if not outcomes:
        raise SweepError(f"the runs in '{p}' hold no indicator columns")
    if "policies" not in runs:
        runs = runs.assign(policies=runs["point"].map(design.set_index("point")["policies"]))
    varied = [c for c in params if design[c].nunique() > 1]
    labels = {}
    for _, row in design.iterrows():
        parts = [str(row["policies"])]
        parts += [f"{c}={row[c]:.4g}" if isinstance(row[c], float) else f"{c}={row[c]}" for c in varied]
        labels[int(row["point"])] = ", ".join(parts)
    return Sweep(p, manifest, design, runs, params, outcomes, labels)


def find_sweeps(roots: list[Path] | None = None, depth: int = 3) -> list[str]:
    """Folders holding a ``manifest.json`` under ``out/``, ``runs/`` and the working folder (shallow search)."""
    roots = roots or [Path.cwd() / "out", Path.cwd() / "runs", Path.cwd()]
    found: set[str] = set()
    for root in roots:
        if not root.is_dir():
            continue
        base = len(root.parts)
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = [d for d in dirnames if not d.startswith(".") and d not in ("runs", "report", "node_modules")]
            if len(Path(dirpath).parts) - base >= depth:
                dirnames[:] = []
            if "manifest.json" in filenames:
                found.add(dirpath)
    return sorted(found)


def default_outcome(sweep: Sweep) -> str:
    spec_outcomes = [o for o in sweep.manifest.get("spec", {}).get("outcomes") or [] if o in sweep.outcomes]
    for o in [*spec_outcomes, "registration_rate", "hukou_conversions"]:
        if o in sweep.outcomes:
            return o
    return sweep.outcomes[0]


def summary_at(sweep: Sweep, outcome: str, month: int) -> pd.DataFrame:
    """``experiments.analysis.summarize`` for one outcome and month (as in ``urbanize report``'s summary.csv)."""
    from urbanize.experiments.analysis import summarize

    table = summarize(sweep.runs, sweep.design, [outcome], [month])
    table.insert(0, "label", table["point"].map(sweep.labels))
    return table


def differences(sweep: Sweep, outcome: str, baseline: int, months: list[int]) -> pd.DataFrame:
    """``experiments.analysis.paired_differences`` of every other point from ``baseline``."""
    from urbanize.experiments.analysis import paired_differences

    others = [int(p) for p in sweep.design["point"] if int(p) != baseline]
    if not others:
        return pd.DataFrame()
    table = paired_differences(sweep.runs, baseline, others, [outcome], months)
    table.insert(0, "label", table["point"].map(sweep.labels))
    return table


def max_lines() -> int:
    """Design points above which the report draws one line per package (``experiments.report.MAX_LINES``)."""
    try:
        from urbanize.experiments.report import MAX_LINES

        return int(MAX_LINES)
    except (ImportError, AttributeError, ValueError):
        return 8


def band_months(sweep: Sweep) -> list[int]:
    months = sweep.months
    if len(months) <= MAX_BAND_MONTHS:
        return months
    idx = np.unique(np.linspace(0, len(months) - 1, MAX_BAND_MONTHS).round().astype(int))
    return [months[i] for i in idx]


def trajectory_figure(sweep: Sweep, outcome: str, baseline: int, month: int) -> Figure:
    """Mean and 95 % CI band across replicates per design point (left); paired difference from baseline (right)."""
    from urbanize.experiments.analysis import mean_ci

    fig = Figure(figsize=(13, 4.2), dpi=DPI)
    ax1, ax2 = fig.subplots(1, 2)
    fig.subplots_adjust(left=0.06, right=0.99, top=0.86, bottom=0.28, wspace=0.22)
    points = [int(p) for p in sweep.design["point"]]
    colours = {p: f"C{i % 10}" for i, p in enumerate(points)}
    many = len(points) > max_lines()
    # as 'urbanize report': one line per design point, or per package when there are many points
    key = sweep.runs["policies"] if many else sweep.runs["point"]
    for i, (group, g) in enumerate(sweep.runs.groupby(key, sort=True)):
        stats_ = g.groupby("month")[outcome].apply(lambda s: mean_ci(s.to_numpy()))
        x = stats_.index.to_numpy()
        mean = np.array([s[0] for s in stats_])
        lo = np.array([s[3] for s in stats_])
        hi = np.array([s[4] for s in stats_])
        colour = f"C{i % 10}" if many else colours[int(group)]
        label = str(group) if many else sweep.labels.get(int(group), str(group))
        lw = 2.2 if (not many and int(group) == baseline) else 1.5
        ax1.plot(x, mean, color=colour, lw=lw, label=label)
        if np.isfinite(lo).any():
            ax1.fill_between(x, lo, hi, color=colour, alpha=0.18, lw=0)
    ax1.axvline(month, color="#999999", lw=0.8, ls=":")
    ax1.set_title(f"{outcome}: mean and 95 % CI across " + ("runs, per package" if many else "replicates"),
                  fontsize=10)
    ax1.set_xlabel("month", fontsize=9)
    ax1.grid(alpha=0.3)
    ax1.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2, frameon=False)

    diff = differences(sweep, outcome, baseline, band_months(sweep))
    if diff.empty:
        ax2.text(0.5, 0.5, "one design point only: nothing to compare", ha="center", va="center",
                 transform=ax2.transAxes, fontsize=9, color="#888888")
    else:
        for point, g in diff.groupby("point", sort=True):
            g = g.sort_values("month")
            if many:  # too many points for a legend: thin lines, no bands
                ax2.plot(g["month"], g["difference"], color="#1f77b4", lw=0.7, alpha=0.5)
                continue
            ax2.plot(g["month"], g["difference"], color=colours[int(point)], lw=1.5,
                     label=sweep.labels.get(int(point), str(point)))
            if np.isfinite(g["ci_low"]).any():
                ax2.fill_between(g["month"], g["ci_low"], g["ci_high"], color=colours[int(point)], alpha=0.18, lw=0)
        ax2.axhline(0, color="#333333", lw=0.8)
        if not many:
            ax2.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2, frameon=False)
    ax2.axvline(month, color="#999999", lw=0.8, ls=":")
    ax2.set_title(f"paired difference from '{sweep.labels.get(baseline, baseline)}' (95 % CI)", fontsize=10)
    ax2.set_xlabel("month", fontsize=9)
    ax2.grid(alpha=0.3)
    return fig


def _fmt(v) -> str:
    if isinstance(v, float | np.floating):
        return "-" if not np.isfinite(v) else f"{v:.4g}"
    return str(v)


def _table(df: pd.DataFrame, columns: list[str]) -> None:
    html.table([[r[c] for c in columns] for _, r in df.iterrows()], columns, fmt=_fmt)


# --- the page ------------------------------------------------------------------------------------------------
@solara.component
def AnalystPage():
    folder_text = solara.use_reactive("")
    opened = solara.use_reactive("")  # the folder actually loaded (set by Open)
    outcome = solara.use_reactive("")
    month = solara.use_reactive(-1)
    baseline = solara.use_reactive(0)
    candidates = solara.use_memo(find_sweeps, [])

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
    label_to_point = {sweep.labels[p]: p for p in points}
    spec = sweep.manifest.get("spec", {})
    n_runs = sweep.runs.groupby(["point", "replicate"]).ngroups if "replicate" in sweep.runs else len(points)
    html.bold_line(
        sweep.name, f"- city {spec.get('city', '?')}, {len(points)} design points, {n_runs} runs, "
        f"months 0-{months[-1]}, root seed {spec.get('seed', '?')}, code {sweep.manifest.get('code_version', '?')}",
        size="0.9em",
    )
    with solara.Row():
        solara.Select("Outcome", values=list(sweep.outcomes), value=out, on_value=outcome.set)
        solara.Select("Month", values=months, value=m, on_value=month.set)
        solara.Select("Baseline", values=list(label_to_point), value=sweep.labels[base],
                      on_value=lambda v: baseline.set(label_to_point.get(v, points[0])))

    def render():
        try:
            return png(trajectory_figure(sweep, out, base, m)), None
        except Exception as exc:
            traceback.print_exc()
            return None, f"could not draw the comparison: {type(exc).__name__}: {exc}"

    image, err = solara.use_memo(render, [id(sweep), out, base, m])
    with solara.Div(classes=["urbanize-analyst-chart"], style={"width": "100%"}):
        if err:
            solara.Error(err, classes=["urbanize-error"])
        else:
            solara.Image(image, width="100%")
    try:
        summary = summary_at(sweep, out, m)
        diff = differences(sweep, out, base, [m])
    except Exception as exc:  # never a blank page
        traceback.print_exc()
        solara.Error(f"could not compute the tables: {type(exc).__name__}: {exc}", classes=["urbanize-error"])
        return
    with solara.Columns([1, 1]):
        with solara.Column():
            html.bold_line(f"Summary at month {m}", "(as in report/summary.csv)")
            _table(summary, ["label", "n", "mean", "sd", "ci_low", "ci_high"])
        with solara.Column(classes=["urbanize-differences"]):
            html.bold_line(f"Paired differences from the baseline at month {m}", "(as 'urbanize compare')")
            if diff.empty:
                solara.Text("Only one design point: nothing to compare.")
            else:
                _table(diff, ["label", "n_pairs", "mean_baseline", "mean_other", "difference",
                              "ci_low", "ci_high"])
