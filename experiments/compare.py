"""``urbanize compare``: a paired comparison of policy packages in one city.

Runs every package with the same replicate seeds (common random numbers), then reports, per outcome, the mean
difference of each package from the first (the baseline) over the paired replicates with its 95 % CI and the
p-value of the paired t test, adjusted for multiple comparisons (Benjamini-Hochberg over all outcomes and
packages at each month; ``experiments.stats``). A package compared with itself gives differences of exactly zero.

``comparison.csv`` holds the table (units from the indicator registry, calendar month, no e-notation); the sweep
report (``experiments.report``) adds a forest plot of these paired effects and the self-contained HTML report.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from urbanize.experiments.analysis import adjust_comparisons, indicator_columns, paired_differences
from urbanize.experiments.outcomes import fmt, fmt_p, month_label, write_csv
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
    return parse_spec(data, source="compare")


def comparison_table(
    out: str | Path, outcomes: Sequence[str] | None = None, months: Sequence[int] | None = None
) -> pd.DataFrame:
    """Paired differences of every design point from point 0, per outcome, at the chosen months, with p-values
    adjusted over each month's table (all outcomes and packages)."""
    design, _ = load_design(out)
    df = open_runs(out)
    params = [c for c in design.columns if c not in ("point", "policies", "sample")]
    outcomes = list(outcomes or indicator_columns(df, params))
    others = [int(p) for p in design["point"] if int(p) != 0]
    table = adjust_comparisons(paired_differences(df, 0, others, outcomes, months))
    names = design.set_index("point")["policies"]
    table.insert(0, "package", table["point"].map(names))
    table.insert(1, "baseline", names.loc[0])
    table.insert(3, "date", [month_label(m) for m in table["month"]])
    return table.drop(columns=["point", "baseline_point"])


def write_comparison(out: str | Path, table: pd.DataFrame) -> Path:
    """``comparison.csv`` in ``out`` (numbers written in full, never in e-notation)."""
    return write_csv(table, Path(out) / "comparison.csv")


def format_table(table: pd.DataFrame) -> str:
    """The comparison as aligned text: readable numbers, the unit, the adjusted p-value."""
    head = (
        f"{'package':<26} {'month':>7} {'outcome':<38} {'unit':<14} {'baseline':>13} {'difference':>13} "
        f"{'95% CI':>27} {'p adj.':>8}"
    )
    lines = [head]
    r: Any  # a row of the table (pandas-stubs type its fields as any scalar)
    for r in table.itertuples(index=False):
        ci = f"[{fmt(r.ci_low)}, {fmt(r.ci_high)}]"
        lines.append(
            f"{r.package:<26} {r.date:>7} {r.outcome:<38} {r.unit:<14} {fmt(r.mean_baseline):>13} "
            f"{fmt(r.difference):>13} {ci:>27} {fmt_p(r.p_adjusted):>8}"
        )
    if len(table):
        lines.append(f"p adj.: {table['p_adjust_method'].iloc[0]} (paired t test of no difference)")
    return "\n".join(lines)
