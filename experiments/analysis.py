"""Statistics over a sweep's runs: summaries with confidence intervals, paired policy differences under common
random numbers, and Sobol / Morris sensitivity indices (SALib).

All functions take the long table of :func:`experiments.storage.open_runs` (one row per run and month).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

import numpy as np
import pandas as pd
from scipy import stats

from urbanize.experiments.outcomes import first_month, outcome_info
from urbanize.experiments.stats import (
    P_ADJUST_METHOD,
    adjust_p_values,
    bounded_ci,
    paired_p_value,
)

LABELS = ("run_id", "point", "replicate", "policies", "sample", "month")


def indicator_columns(df: pd.DataFrame, params: Sequence[str] = ()) -> list[str]:
    """Numeric columns of a run table that are indicators (not labels or parameters)."""
    skip = set(LABELS) | set(params)
    return [c for c in df.columns if c not in skip and pd.api.types.is_numeric_dtype(df[c])]


def mean_ci(values: np.ndarray, conf: float = 0.95) -> tuple[float, float, int, float, float]:
    """Mean, standard deviation, n and the two-sided t confidence interval of the mean (NaNs dropped)."""
    v = np.asarray(values, dtype=float)
    v = v[~np.isnan(v)]
    n = int(v.size)
    if n == 0:
        return (np.nan, np.nan, 0, np.nan, np.nan)
    mean = float(v.mean())
    if n == 1:
        return (mean, np.nan, 1, np.nan, np.nan)
    sd = float(v.std(ddof=1))
    half = float(stats.t.ppf(0.5 + conf / 2, n - 1)) * sd / np.sqrt(n)
    return (mean, sd, n, mean - half, mean + half)


def pick_months(df: pd.DataFrame, months: Sequence[int] | None) -> list[int]:
    last = int(df["month"].max())
    if not months:
        return [last]
    return sorted({m if m >= 0 else last + 1 + m for m in months})


def summarize(
    df: pd.DataFrame,
    design: pd.DataFrame,
    outcomes: Sequence[str],
    months: Sequence[int] | None = None,
    conf: float = 0.95,
) -> pd.DataFrame:
    """Mean and CI across replicates of each outcome, per design point, at the chosen months.

    The CI respects the outcome's bounds (``experiments.stats.bounded_ci``: t, or bootstrap where t would leave
    them); ``ci_method`` says which. Monthly flows have no month-0 value and are left out there.
    """
    params = [c for c in design.columns if c not in ("point", "policies", "sample")]
    months = pick_months(df, months)
    sub = df[df["month"].isin(months)]
    rows = []
    info = design.set_index("point")
    for (point, month), g in sub.groupby(["point", "month"], sort=True):
        base: dict[str, Any] = {"point": point, "policies": info.at[point, "policies"]}
        base.update({p: info.at[point, p] for p in params})
        for outcome in outcomes:
            if cast(int, month) < first_month(outcome):
                continue
            oi = outcome_info(outcome)
            mean, sd, n, _, _ = mean_ci(g[outcome].to_numpy(), conf)
            lo, hi, method = bounded_ci(g[outcome].to_numpy(), oi.lo, oi.hi, conf)
            rows.append(
                dict(
                    base,
                    month=month,
                    outcome=outcome,
                    unit=oi.unit,
                    n=n,
                    mean=mean,
                    sd=sd,
                    ci_low=lo,
                    ci_high=hi,
                    ci_method=method,
                )
            )
    return pd.DataFrame(rows)


def paired_differences(
    df: pd.DataFrame,
    baseline_point: int,
    points: Sequence[int],
    outcomes: Sequence[str],
    months: Sequence[int] | None = None,
    conf: float = 0.95,
) -> pd.DataFrame:
    """Difference (point minus baseline) of each outcome, paired by replicate, with its CI.

    Under common random numbers replicate ``r`` of both points saw the same seed stream, so the paired
    difference removes the noise they share; a package compared with itself differs by exactly zero. A value
    missing (NaN) in both runs of a pair counts as no difference. ``p_value`` is the paired t test of no
    difference (``experiments.stats.paired_p_value``); :func:`adjust_comparisons` adds the adjusted p-values.
    """
    months = pick_months(df, months)
    sub = df[df["month"].isin(months)]
    base = sub[sub["point"] == baseline_point].set_index(["replicate", "month"])
    rows = []
    for point in points:
        other = sub[sub["point"] == point].set_index(["replicate", "month"])
        common = base.index.intersection(other.index)
        for month in months:
            idx = [k for k in common if k[1] == month]
            for outcome in outcomes:
                if month < first_month(outcome):
                    continue  # a monthly flow has no month-0 value
                a = other.loc[idx, outcome].to_numpy(dtype=float)
                b = base.loc[idx, outcome].to_numpy(dtype=float)
                d = np.where(np.isnan(a) & np.isnan(b), 0.0, a - b)
                mean, sd, n, lo, hi = mean_ci(d, conf)
                rows.append(
                    {
                        "point": point,
                        "baseline_point": baseline_point,
                        "month": month,
                        "outcome": outcome,
                        "unit": outcome_info(outcome).unit,
                        "n_pairs": n,
                        "mean_baseline": float(np.nanmean(b)) if n else np.nan,
                        "mean_other": float(np.nanmean(a)) if n else np.nan,
                        "difference": mean,
                        "sd": sd,
                        "ci_low": lo,
                        "ci_high": hi,
                        "p_value": paired_p_value(d),
                    }
                )
    return pd.DataFrame(rows)


def adjust_comparisons(table: pd.DataFrame) -> pd.DataFrame:
    """Add ``p_adjusted`` and ``p_adjust_method`` to a table of :func:`paired_differences`: Benjamini-Hochberg
    over each comparison table, i.e. all outcomes and packages (points) at one month."""
    out = table.copy()
    out["p_adjusted"] = np.nan
    for _, idx in out.groupby("month").groups.items():
        out.loc[idx, "p_adjusted"] = adjust_p_values(out.loc[idx, "p_value"].to_numpy())
    sizes = out.groupby("month")["p_value"].transform(lambda p: int(p.notna().sum()))
    out["p_adjust_method"] = [f"{P_ADJUST_METHOD} over {int(k)} tests at this month" for k in sizes]
    return out


def point_means(
    df: pd.DataFrame, points: Sequence[int], outcome: str, month: int
) -> tuple[np.ndarray, float]:
    """Replicate-averaged outcome per point (in the given order) and the replicate noise variance.

    The noise variance is the mean over points of the variance of a point's replicate mean
    (within-point variance / replicates): the part of the spread of the averaged outputs that is simulation
    noise rather than the parameters' effect.
    """
    sub = df[(df["month"] == month) & df["point"].isin(points)]
    g = sub.groupby("point")[outcome]
    means = g.mean().reindex(list(points)).to_numpy(dtype=float)
    var_of_mean = (g.var(ddof=1) / g.count()).reindex(list(points)).to_numpy(dtype=float)
    noise = float(np.nanmean(var_of_mean)) if np.isfinite(var_of_mean).any() else np.nan
    return means, noise


def sensitivity(
    df: pd.DataFrame,
    design: pd.DataFrame,
    manifest: dict[str, Any],
    outcomes: Sequence[str],
    month: int | None = None,
    conf: float = 0.95,
) -> pd.DataFrame:
    """Sobol (S1, ST) or Morris (mu*, sigma) indices with CIs, per policy package and outcome.

    Computed on the replicate-averaged output of each design point; ``noise_share`` is the replicate noise
    variance divided by the variance of those averages (near 0: indices reflect the parameters; near 1: they
    reflect simulation noise and more replicates are needed).
    """
    spec = manifest["spec"]
    sampler = spec["sampler"]
    if sampler not in ("sobol", "morris"):
        return pd.DataFrame()
    names = [n for n, v in spec["parameters"].items() if isinstance(v, dict) and "levels_list" not in v]
    problem = {
        "num_vars": len(names),
        "names": names,
        "bounds": [[float(spec["parameters"][n]["min"]), float(spec["parameters"][n]["max"])] for n in names],
    }
    sample = np.asarray(manifest["sample"], dtype=float)
    month = int(df["month"].max()) if month is None else month
    seed = int(spec["seed"]) % (2**32)
    rows = []
    for package, pts in design.groupby("policies", sort=False):
        pts = pts.sort_values("sample")
        points = pts["point"].tolist()
        x = sample[pts["sample"].to_numpy()]
        for outcome in outcomes:
            y, noise = point_means(df, points, outcome, month)
            base = {"policies": package, "outcome": outcome, "month": month}
            if np.isnan(y).any():
                rows.append(dict(base, parameter="", note=f"{int(np.isnan(y).sum())} design points missing"))
                continue
            var_y = float(np.var(y, ddof=1))
            share = noise / var_y if var_y > 0 else np.nan
            if sampler == "sobol":
                from SALib.analyze import sobol

                res = sobol.analyze(problem, y, calc_second_order=False, conf_level=conf, seed=seed)
                for i, n in enumerate(names):
                    rows.append(
                        dict(
                            base,
                            parameter=n,
                            S1=res["S1"][i],
                            S1_conf=res["S1_conf"][i],
                            ST=res["ST"][i],
                            ST_conf=res["ST_conf"][i],
                            output_var=var_y,
                            noise_var=noise,
                            noise_share=share,
                            note="",
                        )
                    )
            else:
                from SALib.analyze import morris

                res = morris.analyze(
                    problem, x, y, conf_level=conf, num_levels=int(spec.get("morris_levels") or 4), seed=seed
                )
                for i, n in enumerate(names):
                    rows.append(
                        dict(
                            base,
                            parameter=n,
                            mu=res["mu"][i],
                            mu_star=res["mu_star"][i],
                            mu_star_conf=res["mu_star_conf"][i],
                            sigma=res["sigma"][i],
                            output_var=var_y,
                            noise_var=noise,
                            noise_share=share,
                            note="",
                        )
                    )
    return pd.DataFrame(rows)
