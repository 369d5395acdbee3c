"""``urbanize report DIR``: summary tables (CSV) and plots (PNG) of a finished or partial sweep.

Writes into ``DIR/report/`` (or ``--to``):

* ``summary.csv``: mean, sd and 95 % CI across replicates per outcome, per design point, at the chosen months;
* ``trajectory_<outcome>.png``: monthly mean with a 95 % band, one line per design point (or per policy package
  when there are many points);
* ``response_<outcome>.png`` for a grid over one parameter: the outcome against that parameter per package, with
  95 % CIs, at each tabulated month;
* for Sobol / Morris sweeps, ``sensitivity.csv`` and ``sensitivity_<outcome>.png``: S1/ST or mu*/sigma with
  CIs, computed on replicate means, with the replicate-noise share next to them;
* ``failures.csv`` when runs failed.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from urbanize.experiments.analysis import indicator_columns, mean_ci, sensitivity, summarize
from urbanize.experiments.checks import writable_folder
from urbanize.experiments.cli import CliError
from urbanize.experiments.storage import SweepDir, load_design, open_runs

MAX_LINES = 8


def write_report(
    out: str | Path,
    outcomes: Sequence[str] | None = None,
    months: Sequence[int] | None = None,
    to: str | Path | None = None,
) -> list[Path]:
    """Write the report of the sweep in ``out``; returns the files written."""
    out = Path(out)
    design, manifest = load_design(out)
    df = open_runs(out)
    spec = manifest["spec"]
    params = [c for c in design.columns if c not in ("point", "policies", "sample")]
    available = indicator_columns(df, params)
    outcomes = list(outcomes or spec.get("outcomes") or available)
    missing = [o for o in outcomes if o not in df.columns]
    if missing:
        raise CliError(f"outcome '{missing[0]}' is not in the runs; indicators: {', '.join(available)}")
    last = int(df["month"].max())
    bad = [m for m in (months or []) if not 0 <= int(m) <= last]
    if bad:
        raise CliError(f"--months month {bad[0]} is outside the simulated months 0 to {last}")
    months = list(months or spec.get("report_months") or [])
    dest = writable_folder(to if to is not None else out / "report", "--to")
    written = []

    summary = summarize(df, design, outcomes, months)
    written.append(_csv(summary, dest / "summary.csv"))
    params_varied = [p for p in params if design[p].nunique() > 1]
    for outcome in outcomes:
        written.append(plot_trajectories(df, design, outcome, dest / f"trajectory_{outcome}.png"))
        if spec["sampler"] == "grid" and len(params_varied) == 1:
            written.append(
                plot_response(summary, params_varied[0], outcome, dest / f"response_{outcome}.png")
            )
    if spec["sampler"] in ("sobol", "morris"):
        month = max(months) if months else None
        sens = sensitivity(df, design, manifest, outcomes, month)
        written.append(_csv(sens, dest / "sensitivity.csv"))
        for outcome in outcomes:
            part = sens[(sens["outcome"] == outcome) & (sens["parameter"] != "")]
            if not part.empty:
                written.append(
                    plot_sensitivity(part, spec["sampler"], outcome, dest / f"sensitivity_{outcome}.png")
                )
    failures = SweepDir(out).failures()
    if failures:
        fail = pd.DataFrame(failures).drop(columns=["traceback"], errors="ignore")
        written.append(_csv(fail, dest / "failures.csv"))
    return written


def _csv(df: pd.DataFrame, path: Path) -> Path:
    df.to_csv(path, index=False, float_format="%.6g")
    return path


def _point_label(row: pd.Series, varied: Sequence[str], show_policies: bool = True) -> str:
    parts = [str(row["policies"])] * show_policies + [
        f"{p}={row[p]:g}" if isinstance(row[p], float) else f"{p}={row[p]}" for p in varied
    ]
    return ", ".join(parts)


def plot_trajectories(df: pd.DataFrame, design: pd.DataFrame, outcome: str, path: Path) -> Path:
    """Monthly mean of ``outcome`` with a 95 % CI band across runs, per design point or per package."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    params = [c for c in design.columns if c not in ("point", "policies", "sample")]
    varied = [p for p in params if design[p].nunique() > 1]
    if len(design) <= MAX_LINES:
        several = design["policies"].nunique() > 1 or not varied
        labels = {int(r["point"]): _point_label(r, varied, several) for _, r in design.iterrows()}
        key = df["point"].map(labels)
    else:
        key = df["policies"]
    fig, ax = plt.subplots(figsize=(8, 4.5))
    for label, g in df.groupby(key, sort=False):
        stats_ = g.groupby("month")[outcome].apply(lambda s: mean_ci(s.to_numpy()))
        months = stats_.index.to_numpy()
        mean = np.array([s[0] for s in stats_])
        lo = np.array([s[3] for s in stats_])
        hi = np.array([s[4] for s in stats_])
        (line,) = ax.plot(months, mean, label=str(label))
        if np.isfinite(lo).any():
            ax.fill_between(months, lo, hi, alpha=0.15, color=line.get_color(), linewidth=0)
    ax.set_xlabel("month")
    ax.set_ylabel(outcome)
    ax.set_title(f"{outcome}: mean and 95 % CI across runs")
    ax.legend(fontsize="small")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def plot_response(summary: pd.DataFrame, param: str, outcome: str, path: Path) -> Path:
    """Outcome against the one swept parameter, per package, with 95 % CIs, at each tabulated month."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    part = summary[summary["outcome"] == outcome]
    fig, ax = plt.subplots(figsize=(8, 4.5))
    for (package, month), g in part.groupby(["policies", "month"], sort=False):
        g = g.sort_values(param)
        err = [g["mean"] - g["ci_low"], g["ci_high"] - g["mean"]]
        ax.errorbar(g[param], g["mean"], yerr=err, marker="o", capsize=3, label=f"{package}, month {month}")
    ax.set_xlabel(param)
    ax.set_ylabel(outcome)
    ax.set_title(f"{outcome}: mean and 95 % CI across replicates", fontsize="medium")
    ax.legend(fontsize="small")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def plot_sensitivity(sens: pd.DataFrame, sampler: str, outcome: str, path: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    packages = list(dict.fromkeys(sens["policies"]))
    fig, axes = plt.subplots(1, len(packages), figsize=(6 * len(packages), 4), squeeze=False)
    for ax, package in zip(axes[0], packages, strict=True):
        part = sens[sens["policies"] == package]
        y = np.arange(len(part))
        if sampler == "sobol":
            ax.barh(y - 0.2, part["S1"], 0.4, xerr=part["S1_conf"], label="S1")
            ax.barh(y + 0.2, part["ST"], 0.4, xerr=part["ST_conf"], label="ST")
            ax.set_xlabel("Sobol index")
        else:
            ax.barh(y, part["mu_star"], 0.5, xerr=part["mu_star_conf"], label="mu*")
            ax.plot(part["sigma"], y, "o", label="sigma")
            ax.set_xlabel("elementary effect")
        ax.set_yticks(y, part["parameter"])
        share = part["noise_share"].iloc[0]
        ax.set_title(f"{package}\n{outcome} (replicate noise share {share:.2f})", fontsize="small")
        ax.legend(fontsize="small")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path
