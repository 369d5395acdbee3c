"""The validation scorecard as a picture: one small panel per target, the target's band shaded, each city's model
mean with its 95 % interval (green inside the band, red outside, grey where reported but not scored)."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from urbanize.model.indicators import registry

COLOURS = {"pass": "#2e7d32", "fail": "#c62828"}


def plot_card(card: pd.DataFrame, path: Path, title: str) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    units = {name: ind.unit for name, ind in registry().items()}
    names = list(dict.fromkeys(card["target"]))
    ncols = 4
    nrows = max(1, math.ceil(len(names) / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(4.2 * ncols, 2.5 * nrows), squeeze=False)
    for ax, name in zip(axes.flat, names, strict=False):
        rows = card[card["target"] == name].reset_index(drop=True)
        first = rows.iloc[0]
        lo, hi = float(first["low"]), float(first["high"])
        y = range(len(rows))
        finite = [v for v in rows["model_mean"].tolist() + [lo, hi, float(first["value"])] if _finite(v)]
        span = (max(finite) - min(finite)) or abs(float(first["value"])) or 1.0
        left, right = min(finite) - 0.15 * span, max(finite) + 0.15 * span
        ax.axvspan(lo if math.isfinite(lo) else left, hi if math.isfinite(hi) else right, color="#c8e6c9", alpha=0.7)
        ax.axvline(float(first["value"]), color="#1b5e20", lw=1, ls="--")
        for i, r in rows.iterrows():
            if not _finite(r["model_mean"]):
                continue
            colour = COLOURS.get(str(r["status"]), "#757575")
            err = [[r["model_mean"] - r["ci_low"]], [r["ci_high"] - r["model_mean"]]] if _finite(r["ci_low"]) else None
            ax.errorbar(r["model_mean"], i, xerr=err, fmt="o", color=colour, ms=5, capsize=3)
        ax.set_yticks(list(y))
        ax.set_yticklabels([f"{c}{' *' if b else ''}" for c, b in zip(rows["city"], rows["binds"], strict=True)], fontsize=8)
        ax.set_xlim(left, right)
        ax.invert_yaxis()
        unit = units.get(str(first["indicator"]), "")
        req = "" if bool(first["must_pass"]) else " (reported)"
        ax.set_title(f"{name}{req}", fontsize=8.5)
        ax.set_xlabel(f"{first['indicator']} [{unit}], {first['measure']}", fontsize=7.5)
        ax.tick_params(axis="x", labelsize=7)
    for ax in list(axes.flat)[len(names):]:
        ax.set_visible(False)
    fig.suptitle(f"{title}\nshaded: target band; dashed: published value; dot: model mean with 95 % CI; * binds", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def _finite(x: object) -> bool:
    try:
        return math.isfinite(float(x))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
