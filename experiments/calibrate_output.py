"""What ``urbanize calibrate`` writes from a finished fit: the calibrated parameter files, summary.csv and plots.

- ``calibrated.toml``: the weighted posterior medians as a ``--params`` file (model parameters at the top,
  ``[POLICY]`` tables for policy parameters); with per-city parameters, ``calibrated_<city>.toml`` for each city
  instead (the shared medians plus that city's), because one file cannot hold two values of one parameter.
- ``summary.csv``: per posterior column, the prior's lo/hi, the median, the central 90 % credible interval, the
  interval's width over the prior's and, for a synthetic fit, the true value and whether the interval holds it.
- ``marginals.png`` (posterior histograms over the flat prior), ``pairs.png`` (pairwise scatter with weighted
  correlations) and ``predictive.png`` (the accepted particles' simulated targets, 5-95 % bands, against each
  target's value and tolerance band).
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from urbanize.experiments.calibrate_config import CalibrationConfig
from urbanize.experiments.calibrate_sim import Objective
from urbanize.experiments.posterior import Posterior, _weighted_quantile
from urbanize.experiments.provenance import atomic_write_bytes

LEVEL = 0.9


def _toml_value(v: float | int) -> str:
    return str(v) if isinstance(v, int) else repr(float(v))


def params_toml(values: Mapping[str, float | int], header: Sequence[str]) -> str:
    """A ``--params`` file: model parameters at the top, one ``[POLICY]`` table per policy."""
    lines = [f"# {h}" for h in header]
    policies: dict[str, dict[str, float | int]] = {}
    for name, v in values.items():
        policy, dot, pname = name.partition(".")
        if dot:
            policies.setdefault(policy, {})[pname] = v
        else:
            lines.append(f"{name} = {_toml_value(v)}")
    for policy, table in policies.items():
        lines += ["", f"[{policy}]"] + [f"{k} = {_toml_value(v)}" for k, v in table.items()]
    return "\n".join(lines) + "\n"


def _rounded(cfg: CalibrationConfig, values: Mapping[str, float]) -> dict[str, float | int]:
    out: dict[str, float | int] = {}
    for name, v in values.items():
        prior = cfg.prior_of(name)
        out[name] = int(round(v)) if prior.integer else float(v)
    return out


def write_calibrated(cfg: CalibrationConfig, post: Posterior, out: Path, digest: str) -> list[Path]:
    """``calibrated.toml`` or one ``calibrated_<city>.toml`` per city; returns the files written."""
    header = [
        f"posterior medians of calibration '{cfg.name}' (urbanize calibrate, {_dt.date.today().isoformat()})",
        f"cities {', '.join(cfg.cities)}; targets {', '.join(t.name for t in cfg.targets)}",
        f"root seed {cfg.seed}; configuration sha256 {digest[:16]}; use with: urbanize run --params FILE",
    ]
    written = []
    if not any(p.per_city for p in cfg.priors):
        path = out / "calibrated.toml"
        atomic_write_bytes(path, params_toml(_rounded(cfg, post.median()), header).encode())
        return [path]
    for city in cfg.cities:
        path = out / f"calibrated_{city}.toml"
        text = params_toml(_rounded(cfg, post.median(city)), [*header, f"values for {city}"])
        atomic_write_bytes(path, text.encode())
        written.append(path)
    return written


def summary_table(
    cfg: CalibrationConfig, post: Posterior, truth: Mapping[str, float] | None = None
) -> pd.DataFrame:
    """One row per posterior column (see the module docstring)."""
    rows = []
    for col in cfg.columns():
        prior = cfg.prior_of(col)
        x = post.samples[col].to_numpy(float)
        lo, hi = (_weighted_quantile(x, post.weights, q) for q in ((1 - LEVEL) / 2, (1 + LEVEL) / 2))
        row: dict[str, Any] = {
            "parameter": col, "prior_lo": prior.lo, "prior_hi": prior.hi,
            "median": _weighted_quantile(x, post.weights, 0.5), "ci90_low": lo, "ci90_high": hi,
            "interval_over_prior": (hi - lo) / prior.width,
        }  # fmt: skip
        if truth is not None:
            row["true"] = float(truth[col])
            row["true_inside"] = bool(lo <= truth[col] <= hi)
        rows.append(row)
    return pd.DataFrame(rows)


def write_summary(table: pd.DataFrame, out: Path) -> Path:
    path = out / "summary.csv"
    atomic_write_bytes(path, table.to_csv(index=False).encode())
    return path


def recovery_lines(table: pd.DataFrame) -> list[str]:
    """True against recovered values, one line per parameter (a synthetic fit)."""
    lines = []
    for r in table.itertuples():
        ok = "inside" if r.true_inside else "OUTSIDE"
        lines.append(
            f"{r.parameter}: true {r.true:.4g}, recovered {r.median:.4g} [90 %: {r.ci90_low:.4g}, {r.ci90_high:.4g}] "
            f"({ok}; interval {r.interval_over_prior:.0%} of the prior's width)"
        )
    return lines


def _save(fig: Any, path: Path) -> None:
    import matplotlib.pyplot as plt

    tmp = path.with_name(f".{path.stem}.tmp.png")
    fig.savefig(tmp, dpi=110)
    plt.close(fig)
    tmp.replace(path)


def plot_marginals(
    cfg: CalibrationConfig, post: Posterior, out: Path, truth: Mapping[str, float] | None
) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    cols = cfg.columns()
    ncol = min(3, len(cols))
    nrow = math.ceil(len(cols) / ncol)
    fig, axes = plt.subplots(nrow, ncol, figsize=(4.2 * ncol, 3.2 * nrow), squeeze=False)
    for ax, col in zip(axes.flat, cols, strict=False):
        prior = cfg.prior_of(col)
        bins = np.linspace(prior.lo, prior.hi, 31)
        ax.hist(post.samples[col], bins=bins, weights=post.weights, density=True, color="tab:blue", alpha=0.7,
                label="posterior")  # fmt: skip
        ax.axhline(1.0 / prior.width, color="grey", ls="--", label="prior")
        if truth is not None:
            ax.axvline(truth[col], color="tab:red", label="true")
        ax.set_title(col, fontsize=9)
        ax.set_xlim(prior.lo, prior.hi)
    for ax in list(axes.flat)[len(cols) :]:
        ax.set_visible(False)
    axes.flat[0].legend(fontsize=7)
    fig.suptitle(f"Calibration '{cfg.name}': posterior marginals against the uniform priors")
    fig.tight_layout()
    path = out / "marginals.png"
    _save(fig, path)
    return path


def plot_pairs(cfg: CalibrationConfig, post: Posterior, out: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    cols = cfg.columns()
    k = len(cols)
    fig, axes = plt.subplots(k, k, figsize=(2.2 * k + 1, 2.2 * k + 1), squeeze=False)
    w = post.weights
    for i, ci in enumerate(cols):
        for j, cj in enumerate(cols):
            ax = axes[i][j]
            pi, pj = cfg.prior_of(ci), cfg.prior_of(cj)
            if i == j:
                ax.hist(post.samples[ci], bins=np.linspace(pi.lo, pi.hi, 21), weights=w, color="tab:blue")
                ax.set_xlim(pi.lo, pi.hi)
            elif i > j:
                ax.scatter(post.samples[cj], post.samples[ci], s=6, alpha=0.5, c=w, cmap="viridis")
                ax.set_xlim(pj.lo, pj.hi)
                ax.set_ylim(pi.lo, pi.hi)
            else:
                c = np.cov(post.samples[ci], post.samples[cj], aweights=w)
                r = c[0, 1] / math.sqrt(c[0, 0] * c[1, 1]) if c[0, 0] > 0 and c[1, 1] > 0 else float("nan")
                ax.text(0.5, 0.5, f"r = {r:.2f}", ha="center", va="center", fontsize=11)
                ax.set_xticks([])
                ax.set_yticks([])
            if i == k - 1:
                ax.set_xlabel(cj, fontsize=7)
            if j == 0:
                ax.set_ylabel(ci, fontsize=7)
            ax.tick_params(labelsize=6)
    fig.suptitle(f"Calibration '{cfg.name}': pairwise posterior (weighted correlations above the diagonal)")
    fig.tight_layout()
    path = out / "pairs.png"
    _save(fig, path)
    return path


def plot_predictive(
    cfg: CalibrationConfig,
    objective: Objective,
    weights: np.ndarray,
    stats: list[dict[str, float]],
    out: Path,
) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    terms = {t.name: t for t in objective.terms}
    n = len(cfg.targets)
    ncol = min(3, n)
    nrow = math.ceil(n / ncol)
    fig, axes = plt.subplots(nrow, ncol, figsize=(4.6 * ncol, 3.2 * nrow), squeeze=False)
    for ax, t in zip(axes.flat, cfg.targets, strict=False):
        keys = [f"{t.name}@{c}" for c in cfg.cities_of(t)]
        labels = list(cfg.cities_of(t))
        if t.national and len(keys) > 1:
            keys.append(t.name)
            labels.append("pooled")
        for x, key in enumerate(keys):
            vals = np.array([s.get(key, np.nan) for s in stats])
            ok = np.isfinite(vals) & (weights > 0)
            if not ok.any():
                continue
            lo, med, hi = (_weighted_quantile(vals[ok], weights[ok], q) for q in (0.05, 0.5, 0.95))
            ax.errorbar([x], [med], yerr=[[med - lo], [hi - med]], fmt="o", color="tab:blue", capsize=4)
        term = terms[t.name]
        ax.axhline(term.value, color="tab:red", label="target")
        if term.two_sided:
            ax.axhspan(term.value - term.scale, term.value + term.scale, color="tab:red", alpha=0.12)
        else:
            for b in (term.lo, term.hi):
                if math.isfinite(b):
                    ax.axhline(b, color="tab:red", ls=":")
        ax.set_xticks(range(len(keys)), labels, fontsize=7)
        ax.set_title(t.name, fontsize=8)
    for ax in list(axes.flat)[n:]:
        ax.set_visible(False)
    fig.suptitle(f"Calibration '{cfg.name}': posterior predictive (5-95 %) against the targets")
    fig.tight_layout()
    path = out / "predictive.png"
    _save(fig, path)
    return path
