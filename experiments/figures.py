"""The report's figures: trajectories, paired effects over time, forest plots of paired effects, responses to a
swept parameter, sensitivity indices.

Conventions every figure follows (docs/experiments.md, "Reports"): the y axis names the outcome in words with
its unit from the indicator registry; time axes are calendar years (month 0 = January 2009,
``urbanize.model.calendar``); monthly flows start at month 1 (``experiments.outcomes``); at most
:data:`MAX_LINES` lines share a panel (more become small multiples); titles carry the city, the households and
the replicates; a band says what it is: a 95 % CI across the replicates of one design point, or, where lines
pool design points that differ in their parameters (Sobol, Morris, LHS, or many grid points), the spread over
those design points, which is not a confidence interval.

Each function returns the matplotlib ``Figure`` (tests read its axes) and saves it when given a path.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, cast

import numpy as np
import pandas as pd

from urbanize.experiments.outcomes import first_month, fmt, fmt_p, month_label, outcome_info
from urbanize.experiments.stats import bounded_ci, t_interval
from urbanize.model.calendar import decimal_year

MAX_LINES = 4  # lines per panel
MAX_POINT_LINES = 8  # design points drawn one by one (in panels of MAX_LINES); above, lines pool by package
FOREST_PER_FIGURE = 12
YEAR_LABEL = "year (month 0 = January 2009)"


def _plt() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"font.size": 10, "axes.titlesize": 10, "legend.fontsize": 8})
    return plt


def subtitle(meta: Mapping[str, Any]) -> str:
    """``Changshu, 2,000 households, 10 replicates`` from a sweep's spec."""
    city = str(meta.get("city", "")).capitalize()
    parts = [city] if city else []
    if meta.get("households"):
        parts.append(f"{int(meta['households']):,} households")
    if meta.get("replicates"):
        n = int(meta["replicates"])
        parts.append(f"{n} replicate{'s' * (n != 1)}")
    return ", ".join(parts)


def _readable(ax: Any, value_axis: str = "y", years: bool = True, nbins: int = 5) -> None:
    """Plain numbers with thousands separators on the value axis (no "1e8" offset), whole years on time axes."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    axis = ax.yaxis if value_axis == "y" else ax.xaxis
    axis.set_major_locator(MaxNLocator(nbins=nbins))
    axis.set_major_formatter(FuncFormatter(lambda v, _pos: fmt(v, 3)))
    if years and value_axis == "y":
        _year_ticks(ax)


def _year_ticks(ax: Any) -> None:
    """Whole years on a time axis of three years or more; ``YYYY-MM`` at quarters or half-years below."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator, MultipleLocator

    lo, hi = ax.get_xlim()
    if hi - lo >= 3:
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:.0f}"))
        return
    ax.xaxis.set_major_locator(MultipleLocator(0.25 if hi - lo <= 1.5 else 0.5))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: month_label(round((v - float(cast(float, decimal_year(0)))) * 12))))


def _finish(fig: Any, path: Path | None) -> Any:
    fig.tight_layout()
    if path is not None:
        fig.savefig(path, dpi=100)
    _plt().close(fig)
    return fig


def _panels(n_lines: int) -> tuple[int, int, int]:
    """(panels, rows, cols) for ``n_lines`` lines at most MAX_LINES a panel."""
    panels = max(1, math.ceil(n_lines / MAX_LINES))
    cols = min(panels, 2)
    return panels, math.ceil(panels / cols), cols


def _point_label(row: pd.Series, varied: Sequence[str], show_policies: bool) -> str:
    parts = [str(row["policies"])] * show_policies + [
        f"{p}={fmt(row[p])}" if isinstance(row[p], float) else f"{p}={row[p]}" for p in varied
    ]
    return ", ".join(parts)


def trajectory_groups(design: pd.DataFrame, sampled: bool) -> tuple[dict[int, str], bool]:
    """Line label of every design point, and whether lines pool several design points (then bands show the
    spread over design points, not a CI)."""
    params = [c for c in design.columns if c not in ("point", "policies", "sample")]
    varied = [p for p in params if design[p].nunique() > 1]
    if sampled or len(design) > MAX_POINT_LINES:
        return {int(r["point"]): str(r["policies"]) for _, r in design.iterrows()}, bool(varied) or sampled
    several = design["policies"].nunique() > 1 or not varied
    return {int(r["point"]): _point_label(r, varied, several) for _, r in design.iterrows()}, False


def _line_stats(g: pd.DataFrame, outcome: str, pooled: bool) -> pd.DataFrame:
    """Per month: centre, band low, band high."""
    oi = outcome_info(outcome)
    rows = []
    if pooled:  # replicate-average each design point, then the median and 5-95 % range over design points
        per_point = g.groupby(["month", "point"])[outcome].mean().unstack("point")
        for month, vals in per_point.iterrows():
            v = vals.dropna().to_numpy(dtype=float)
            q = np.quantile(v, [0.05, 0.5, 0.95]) if v.size else [np.nan] * 3
            rows.append((month, q[1], q[0], q[2]))
    else:
        for month, s in g.groupby("month")[outcome]:
            v = s.to_numpy(dtype=float)
            lo, hi, _ = bounded_ci(v, oi.lo, oi.hi)
            rows.append((month, float(np.nanmean(v)) if v.size else np.nan, lo, hi))
    return pd.DataFrame(rows, columns=["month", "centre", "low", "high"]).set_index("month")


def plot_trajectories(
    df: pd.DataFrame,
    design: pd.DataFrame,
    outcome: str,
    path: Path | None = None,
    meta: Mapping[str, Any] | None = None,
    sampled: bool = False,
) -> Any:
    """Monthly trajectory of ``outcome`` per design point (or package), small multiples of at most 4 lines."""
    plt = _plt()
    meta = meta or {}
    oi = outcome_info(outcome)
    labels, pooled = trajectory_groups(design, sampled)
    df = df[df["month"] >= first_month(outcome)]
    key = df["point"].map(labels)
    groups = list(dict.fromkeys(labels.values()))
    panels, rows, cols = _panels(len(groups))
    fig, axes = plt.subplots(rows, cols, figsize=(6.5 * cols, 3.6 * rows), squeeze=False, sharey=True)
    for k, label in enumerate(groups):
        ax = axes.flat[k // MAX_LINES]
        st = _line_stats(df[key == label], outcome, pooled)
        x = decimal_year(st.index.to_numpy())
        (line,) = ax.plot(x, st["centre"], label=label)
        if np.isfinite(st["low"].to_numpy(dtype=float)).any():
            ax.fill_between(x, st["low"], st["high"], alpha=0.18, color=line.get_color(), linewidth=0)
    band = (
        "median and 5-95 % range over design points\n(spread of the sampled parameters and noise; not a CI)"
        if pooled
        else "mean and 95 % CI across replicates"
    )
    for i, ax in enumerate(axes.flat):
        if i >= panels:
            ax.set_visible(False)
            continue
        ax.set_xlabel(YEAR_LABEL)
        ax.set_ylabel(oi.axis_label())
        ax.legend(loc="best")
        ax.grid(alpha=0.3)
        _readable(ax)
    fig.suptitle(f"{oi.words}: {subtitle(meta)}\n{band}", fontsize=10 if cols > 1 else 9)
    return _finish(fig, path)


def plot_paired_over_time(
    df: pd.DataFrame,
    design: pd.DataFrame,
    outcome: str,
    path: Path | None = None,
    meta: Mapping[str, Any] | None = None,
    baseline_point: int = 0,
) -> Any:
    """Left: each package's mean with its 95 % CI; right: the paired difference from the baseline package over
    time with its 95 % CI (the comparison's result: overlapping bands on the left can hide a difference that the
    paired interval on the right excludes from zero)."""
    plt = _plt()
    meta = meta or {}
    oi = outcome_info(outcome)
    df = df[df["month"] >= first_month(outcome)]
    names = design.set_index("point")["policies"]
    base = df[df["point"] == baseline_point].set_index(["replicate", "month"])[outcome]
    others = [int(p) for p in design["point"] if int(p) != baseline_point]
    chunks = [others[i : i + MAX_LINES - 1] for i in range(0, len(others), MAX_LINES - 1)] or [[]]
    fig, axes = plt.subplots(len(chunks), 2, figsize=(13, 3.8 * len(chunks)), squeeze=False)
    for (left, right), chunk in zip(axes, chunks, strict=True):  # the baseline and up to 3 packages a row
        for point in [baseline_point, *chunk]:
            st = _line_stats(df[df["point"] == point], outcome, pooled=False)
            x = decimal_year(st.index.to_numpy())
            (line,) = left.plot(x, st["centre"], label=str(names[point]))
            left.fill_between(x, st["low"], st["high"], alpha=0.18, color=line.get_color(), linewidth=0)
            if point == baseline_point:
                continue
            other = df[df["point"] == point].set_index(["replicate", "month"])[outcome]
            diff = (other - base).dropna().groupby(level="month")
            months = np.array(sorted(diff.groups), dtype=int)  # type: ignore[type-var]
            mean = diff.mean().reindex(months).to_numpy()
            ci = np.array([t_interval(diff.get_group(m).to_numpy(dtype=float)) for m in months])
            x = decimal_year(months)
            right.plot(x, mean, color=line.get_color(), label=f"{names[point]} minus {names[baseline_point]}")
            right.fill_between(x, ci[:, 0], ci[:, 1], alpha=0.18, color=line.get_color(), linewidth=0)
        right.axhline(0, color="black", linewidth=0.8)
        left.set_ylabel(oi.axis_label())
        right.set_ylabel(oi.axis_label("difference in"))
        left.set_title("mean and 95 % CI across replicates")
        right.set_title("paired difference (common seeds) and its 95 % CI")
        for ax in (left, right):
            ax.set_xlabel(YEAR_LABEL)
            ax.legend(loc="best")
            ax.grid(alpha=0.3)
            _readable(ax)
    fig.suptitle(f"{oi.words}: {subtitle(meta)}")
    return _finish(fig, path)


def plot_forest(
    table: pd.DataFrame, path: Path | None = None, meta: Mapping[str, Any] | None = None
) -> Any:
    """Forest plot of paired effects (package minus baseline) with 95 % CIs: one small panel per outcome (its own
    unit), one row per package, at one month. ``table``: rows of ``compare.comparison_table`` for that month."""
    plt = _plt()
    meta = meta or {}
    outcomes = list(dict.fromkeys(table["outcome"]))
    cols = min(3, len(outcomes))
    rows = math.ceil(len(outcomes) / cols)
    packages = list(dict.fromkeys(table["package"]))
    height = 0.55 * len(packages) + 1.3
    fig, axes = plt.subplots(rows, cols, figsize=(5.2 * cols, height * rows), squeeze=False)
    for ax, outcome in zip(axes.flat, outcomes, strict=False):
        part = table[table["outcome"] == outcome].set_index("package").reindex(packages)
        y = np.arange(len(packages))[::-1]
        err = np.vstack([part["difference"] - part["ci_low"], part["ci_high"] - part["difference"]])
        ax.errorbar(part["difference"], y, xerr=np.nan_to_num(err), fmt="o", capsize=3, color="tab:blue")
        ax.axvline(0, color="black", linewidth=0.8)
        ax.set_yticks(y, [f"{p}\np adj. {fmt_p(q)}" for p, q in zip(packages, part["p_adjusted"], strict=True)])
        ax.set_xlabel(outcome_info(outcome).axis_label("difference in"))
        ax.set_ylim(-0.7, len(packages) - 0.3)
        ax.grid(alpha=0.3, axis="x")
        _readable(ax, "x", years=False, nbins=4)
    for ax in list(axes.flat)[len(outcomes) :]:
        ax.set_visible(False)
    month = int(table["month"].iloc[0])
    baseline = table["baseline"].iloc[0]
    fig.suptitle(
        f"Paired effects vs {baseline} at month {month} ({month_label(month)}), mean and 95 % CI; "
        f"{subtitle(meta)}"
    )
    return _finish(fig, path)


def forest_pages(table: pd.DataFrame) -> list[pd.DataFrame]:
    """Split a comparison table into pages of at most FOREST_PER_FIGURE outcomes, one month each."""
    pages = []
    for _, g in table.groupby("month", sort=True):
        outcomes = list(dict.fromkeys(g["outcome"]))
        for i in range(0, len(outcomes), FOREST_PER_FIGURE):
            pages.append(g[g["outcome"].isin(outcomes[i : i + FOREST_PER_FIGURE])])
    return pages


def plot_response(
    summary: pd.DataFrame,
    param: str,
    outcome: str,
    path: Path | None = None,
    meta: Mapping[str, Any] | None = None,
    param_unit: str = "",
) -> Any:
    """Outcome against the one swept parameter, per package, with 95 % CIs: one panel per tabulated month."""
    plt = _plt()
    meta = meta or {}
    oi = outcome_info(outcome)
    part = summary[summary["outcome"] == outcome]
    packages = list(dict.fromkeys(part["policies"]))
    chunks = [packages[i : i + MAX_LINES] for i in range(0, len(packages), MAX_LINES)]
    months = sorted(part["month"].unique())
    panels = [(m, c) for m in months for c in chunks]  # one panel per month and group of <= 4 packages
    cols = min(len(panels), 3)
    rows = math.ceil(len(panels) / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(5.2 * cols, 3.6 * rows), squeeze=False, sharey=True)
    for ax, (month, chunk) in zip(axes.flat, panels, strict=False):
        at = part[(part["month"] == month) & part["policies"].isin(chunk)]
        for package, g in at.groupby("policies", sort=False):
            g = g.sort_values(param)
            err = np.vstack([g["mean"] - g["ci_low"], g["ci_high"] - g["mean"]])
            ax.errorbar(g[param], g["mean"], yerr=np.nan_to_num(err), marker="o", capsize=3, label=str(package))
        ax.set_title(f"month {month} ({month_label(month)})")
        ax.set_xlabel(f"{param} ({param_unit})" if param_unit else param)
        ax.set_ylabel(oi.axis_label())
        ax.legend(loc="best")
        ax.grid(alpha=0.3)
        _readable(ax, years=False)
    for ax in list(axes.flat)[len(panels) :]:
        ax.set_visible(False)
    fig.suptitle(f"{oi.words}: mean and 95 % CI across replicates; {subtitle(meta)}")
    return _finish(fig, path)


def plot_sensitivity(
    sens: pd.DataFrame, sampler: str, outcome: str, path: Path | None = None, meta: Mapping[str, Any] | None = None
) -> Any:
    """Sobol S1/ST or Morris mu*/sigma with CIs per parameter, one panel per package."""
    plt = _plt()
    meta = meta or {}
    oi = outcome_info(outcome)
    packages = list(dict.fromkeys(sens["policies"]))
    fig, axes = plt.subplots(1, len(packages), figsize=(6 * len(packages), 4), squeeze=False)
    for ax, package in zip(axes[0], packages, strict=True):
        part = sens[sens["policies"] == package]
        y = np.arange(len(part))
        if sampler == "sobol":
            ax.barh(y - 0.2, part["S1"], 0.4, xerr=part["S1_conf"], label="S1 (first order)")
            ax.barh(y + 0.2, part["ST"], 0.4, xerr=part["ST_conf"], label="ST (total)")
            ax.set_xlabel("Sobol index (share of the output variance)")
        else:
            ax.barh(y, part["mu_star"], 0.5, xerr=part["mu_star_conf"], label="mu*")
            ax.plot(part["sigma"], y, "o", label="sigma")
            ax.set_xlabel(f"elementary effect ({oi.unit or 'outcome units'} over the parameter's range)")
        ax.set_yticks(y, part["parameter"])
        share = part["noise_share"].iloc[0]
        ax.set_title(f"{package} (replicate noise share {fmt(share, 2)})")
        ax.legend(loc="best")
    month = int(sens["month"].iloc[0])
    fig.suptitle(f"Sensitivity of {oi.axis_label()} at month {month} ({month_label(month)}); {subtitle(meta)}")
    return _finish(fig, path)
