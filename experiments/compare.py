"""``urbanize compare``: a paired comparison of policy packages in one city.

Runs every package with the same replicate seeds (common random numbers), then reports, per outcome, the mean
difference of each package from the first (the baseline) over the paired replicates with its 95 % CI. A package
compared with itself gives differences of exactly zero.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from urbanize.experiments.analysis import indicator_columns, paired_differences
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
    """Paired differences of every design point from point 0, per outcome, at the chosen months."""
    design, _ = load_design(out)
    df = open_runs(out)
    params = [c for c in design.columns if c not in ("point", "policies", "sample")]
    outcomes = list(outcomes or indicator_columns(df, params))
    others = [int(p) for p in design["point"] if int(p) != 0]
    table = paired_differences(df, 0, others, outcomes, months)
    names = design.set_index("point")["policies"]
    table.insert(0, "package", table["point"].map(names))
    table.insert(1, "baseline", names.loc[0])
    return table.drop(columns=["point", "baseline_point"])


def format_table(table: pd.DataFrame) -> str:
    lines = [
        f"{'package':<28} {'month':>5} {'outcome':<36} {'baseline':>12} {'difference':>12} {'95% CI':>27}"
    ]
    for r in table.itertuples(index=False):
        ci = f"[{r.ci_low:.4g}, {r.ci_high:.4g}]"
        lines.append(
            f"{r.package:<28} {r.month:>5} {r.outcome:<36} {r.mean_baseline:>12.4g} {r.difference:>12.4g} {ci:>27}"
        )
    return "\n".join(lines)
