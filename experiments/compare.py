"""``urbanize compare``: a paired comparison of policy packages in one city.

Runs every package with the same replicate seeds (common random numbers), then reports, per outcome, the mean
difference of each package from the first (the baseline) over the paired replicates with its 95 % CI and the
p-value of the paired t test, adjusted for multiple comparisons (Benjamini-Hochberg over all outcomes and
packages at each month; ``experiments.stats``). A package compared with itself gives differences of exactly zero.

With a posterior (``--posterior FILE --draws K``, ``experiments.posterior_design``) every package runs the same K
parameter sets, each with the same replicate seeds; the table then gives each effect's mean over all draws and
replicates, its 95 % interval including parameter uncertainty, and the shares of the effect's variance that come
from the parameters and from replicate noise (law of total variance; docs/experiments.md, "Parameter
uncertainty").

``comparison.csv`` holds the table (units from the indicator registry, calendar month, no e-notation); the sweep
report (``experiments.report``) adds a forest plot of these paired effects and the self-contained HTML report.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from urbanize.experiments.analysis import adjust_comparisons, indicator_columns, paired_differences
from urbanize.experiments.outcomes import fmt, fmt_p, month_label, write_csv
from urbanize.experiments.posterior_design import nested_summary, posterior_names, replicate_groups
from urbanize.experiments.spec import SweepSpec, parse_spec
from urbanize.experiments.storage import load_design, open_runs


def comparison_spec(
    city: str,
    packages: Sequence[str],
    replicates: int,
    months: int,
    households: int,
    seed: int,
    outcomes: Sequence[str] | None = None,
    posterior: str | Path | None = None,
    draws: int | None = None,
) -> SweepSpec:
    data: dict[str, Any] = {
        "name": f"compare_{city}",
        "city": city,
        "policies": list(packages),
        "households": households,
        "months": months,
        "replicates": replicates,
        "seed": seed,
        "sampler": "grid",
    }
    if outcomes:
        data["outcomes"] = list(outcomes)
    if posterior is not None:
        data["posterior"] = str(posterior)
    if draws is not None:
        data["posterior_draws"] = draws
    return parse_spec(data, source="compare")


def comparison_table(
    out: str | Path, outcomes: Sequence[str] | None = None, months: Sequence[int] | None = None
) -> pd.DataFrame:
    """Paired differences of every design point from point 0, per outcome, at the chosen months, with p-values
    adjusted over each month's table (all outcomes and packages)."""
    design, manifest = load_design(out)
    df = open_runs(out)
    params = [c for c in design.columns if c not in ("point", "policies", "sample")] + posterior_names(manifest)
    outcomes = list(outcomes or indicator_columns(df, params))
    others = [int(p) for p in design["point"] if int(p) != 0]
    table = paired_differences(df, 0, others, outcomes, months)
    groups = replicate_groups(manifest)
    if groups is not None:
        table = _with_parameter_uncertainty(table, df, groups)
    table = adjust_comparisons(table)
    names = design.set_index("point")["policies"]
    table.insert(0, "package", table["point"].map(names))
    table.insert(1, "baseline", names.loc[0])
    table.insert(3, "date", [month_label(m) for m in table["month"]])
    return table.drop(columns=["point", "baseline_point"])


def _with_parameter_uncertainty(table: pd.DataFrame, df: pd.DataFrame, groups: dict[int, int]) -> pd.DataFrame:
    """Replace each row's CI and p-value by the nested ones (``posterior_design.nested_summary``) and add the
    variance split; the paired differences are recomputed here per replicate to know each one's draw."""
    out = table.copy()
    extra: dict[str, list[float]] = {k: [] for k in ("var_total", "var_param", "var_noise", "param_share",
                                                      "noise_share", "param_share_adjusted", "parameter_sets")}
    lows, highs, ps = [], [], []
    for r in out.itertuples(index=False):
        base = df[(df["point"] == r.baseline_point) & (df["month"] == r.month)].set_index("replicate")[r.outcome]
        other = df[(df["point"] == r.point) & (df["month"] == r.month)].set_index("replicate")[r.outcome]
        common = base.index.intersection(other.index)
        a, b = other.loc[common].to_numpy(float), base.loc[common].to_numpy(float)
        d = np.where(np.isnan(a) & np.isnan(b), 0.0, a - b)
        s = nested_summary(d, np.array([groups[int(j)] for j in common]))
        lows.append(s["ci_low"])
        highs.append(s["ci_high"])
        ps.append(s["p_value"])
        for k in extra:
            extra[k].append(s[k])
    out["ci_low"], out["ci_high"], out["p_value"] = lows, highs, ps
    for k, v in extra.items():
        out[k] = v
    return out


def write_comparison(out: str | Path, table: pd.DataFrame) -> Path:
    """``comparison.csv`` in ``out`` (numbers written in full, never in e-notation)."""
    return write_csv(table, Path(out) / "comparison.csv")


def format_table(table: pd.DataFrame) -> str:
    """The comparison as aligned text: readable numbers, the unit, the adjusted p-value."""
    head = (
        f"{'package':<26} {'month':>7} {'outcome':<38} {'unit':<14} {'baseline':>13} {'difference':>13} "
        f"{'95% CI':>27} {'p adj.':>8}"
    )
    nested = "param_share" in table.columns
    if nested:
        head += f" {'param. share':>12} {'adj.':>5}"
    lines = [head]
    r: Any  # a row of the table (pandas-stubs type its fields as any scalar)
    for r in table.itertuples(index=False):
        ci = f"[{fmt(r.ci_low)}, {fmt(r.ci_high)}]"
        line = (
            f"{r.package:<26} {r.date:>7} {r.outcome:<38} {r.unit:<14} {fmt(r.mean_baseline):>13} "
            f"{fmt(r.difference):>13} {ci:>27} {fmt_p(r.p_adjusted):>8}"
        )
        if nested:
            line += f" {fmt(r.param_share, 2):>12} {fmt(r.param_share_adjusted, 2):>5}"
        lines.append(line)
    if len(table):
        lines.append(f"p adj.: {table['p_adjust_method'].iloc[0]} (paired t test of no difference)")
    if nested and len(table):
        lines.append(
            "with a posterior: 95% CI and p include parameter uncertainty; param. share = the share of the "
            "effect's variance from the posterior draws (the rest is replicate noise); adj. = the same with the noise "
            "of each draw's mean removed (random-effects ANOVA)"
        )
    return "\n".join(lines)
