"""Confidence intervals that respect an outcome's bounds, paired-test p-values and their multiple-comparison
adjustment, for reports.

* :func:`bounded_ci`: the two-sided t interval of a mean across replicates; where it would leave the outcome's
  range (a share below 0 or above 1, a count below 0: see ``experiments.outcomes``), the percentile bootstrap
  interval of the mean instead, which stays inside the range of the data and so inside the bounds. (With few
  replicates the percentile bootstrap is narrower than it should be; the column ``ci_method`` says which was
  used, so a reader can tell.)
* :func:`paired_p_value`: the paired t test of "no difference" (one-sample t test of the paired differences,
  ``scipy.stats.ttest_1samp``).
* :func:`adjust_p_values`: Benjamini-Hochberg adjustment (false discovery rate), ``scipy.stats.
  false_discovery_control``, over one comparison table: every outcome and package at one month.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

P_ADJUST_METHOD = "Benjamini-Hochberg"
P_ADJUST_TEXT = (
    "p-values of the paired t test (difference = 0), adjusted with the Benjamini-Hochberg procedure "
    "(false discovery rate, scipy.stats.false_discovery_control) over all outcomes and packages at each month"
)
BOOTSTRAP_RESAMPLES = 4000
BOOTSTRAP_SEED = 20090101  # fixed: the same table gives the same intervals


def t_interval(v: np.ndarray, conf: float = 0.95) -> tuple[float, float]:
    """Two-sided t confidence interval of the mean of ``v`` (NaN when fewer than two values)."""
    n = v.size
    if n < 2:
        return (np.nan, np.nan)
    half = float(stats.t.ppf(0.5 + conf / 2, n - 1)) * float(v.std(ddof=1)) / np.sqrt(n)
    mean = float(v.mean())
    return (mean - half, mean + half)


def bootstrap_interval(v: np.ndarray, conf: float = 0.95, seed: int = BOOTSTRAP_SEED) -> tuple[float, float]:
    """Percentile bootstrap interval of the mean of ``v`` (within [min(v), max(v)])."""
    rng = np.random.default_rng(seed)
    means = v[rng.integers(0, v.size, size=(BOOTSTRAP_RESAMPLES, v.size))].mean(axis=1)
    lo, hi = np.quantile(means, [0.5 - conf / 2, 0.5 + conf / 2])
    return (float(lo), float(hi))


def bounded_ci(
    values: np.ndarray, lo: float = -np.inf, hi: float = np.inf, conf: float = 0.95
) -> tuple[float, float, str]:
    """CI of the mean of ``values`` (NaNs dropped) that stays within ``[lo, hi]``; returns (low, high, method).

    The method is ``"t"`` or ``"bootstrap"`` (where the t interval would cross a bound), ``""`` with fewer than
    two values.
    """
    v = np.asarray(values, dtype=float)
    v = v[~np.isnan(v)]
    low, high = t_interval(v, conf)
    if np.isnan(low):
        return (low, high, "")
    if low >= lo - 1e-12 and high <= hi + 1e-12:
        return (low, high, "t")
    blo, bhi = bootstrap_interval(v, conf)
    return (blo, bhi, "bootstrap")


def paired_p_value(differences: np.ndarray) -> float:
    """p-value of the paired t test that the mean difference is 0 (NaNs dropped).

    No spread: 1 when every difference is 0 (a package against itself), 0 when all are the same non-zero value
    (the t statistic is infinite); NaN with fewer than two pairs.
    """
    d = np.asarray(differences, dtype=float)
    d = d[~np.isnan(d)]
    if d.size < 2:
        return np.nan
    if np.all(d == d[0]):
        return 1.0 if d[0] == 0 else 0.0
    return float(stats.ttest_1samp(d, 0.0).pvalue)


def adjust_p_values(p: np.ndarray) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values of one family (NaNs stay NaN and do not count)."""
    p = np.asarray(p, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = ~np.isnan(p)
    if ok.any():
        out[ok] = stats.false_discovery_control(p[ok], method="bh")
    return out
