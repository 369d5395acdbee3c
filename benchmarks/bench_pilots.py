"""The pilot effects the README quotes: each city's pilot package against its status quo (``urbanize compare``).

Runs ``urbanize compare --city C --policies status_quo,C_pilot`` for the four cities with paired replicates
(common random numbers) and prints one markdown table of the headline outcomes at the chosen months: the status
quo's mean, the pilot's mean difference and its 95 % interval (Benjamini-Hochberg-adjusted p-value beside it).
With ``--posterior FILE`` the parameters are drawn from a calibration's posterior (``--draws`` sets per
replicate), so the interval includes parameter uncertainty.

    python benchmarks/bench_pilots.py                       # 2,000 households, 10 replicates, 10 years
    python benchmarks/bench_pilots.py --households 5000 --replicates 20 --out out/bench_pilots

Re-run whenever the model's dynamics or defaults change, and paste the table into the README.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

CITIES = ("changshu", "jinnan", "yanta", "zhengzhou")
HEADLINE = (
    "registration_rate",
    "settlement_intention",
    "hukou_conversions",
    "migrant_access_index",
    "migrant_children_public_school_share",
    "fiscal_spend_12m",  # the 12-month mean: months 60 and 120 are Januaries, which book annual items
)


def _compare(city: str, args: argparse.Namespace, out: Path) -> pd.DataFrame:
    cmd = [
        sys.executable, "-m", "urbanize.experiments.cli", "compare", "--city", city,
        "--policies", f"status_quo,{city}_pilot", "--replicates", str(args.replicates),
        "--years", str(args.years), "--households", str(args.households), "--seed", str(args.seed),
        "--outcomes", ",".join(HEADLINE), "--at", ",".join(str(12 * y) for y in args.at_years),
        "--out", str(out), "--no-progress",
    ]  # fmt: skip
    if args.posterior:
        cmd += ["--posterior", args.posterior, "--draws", str(args.draws)]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    table = pd.read_csv(out / "comparison.csv")
    table.insert(0, "city", city)
    return table


def _fmt(x: float) -> str:
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    return f"{x:.3f}"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--households", type=int, default=2000)
    p.add_argument("--replicates", type=int, default=10)
    p.add_argument("--years", type=int, default=10)
    p.add_argument("--at-years", type=lambda s: [int(x) for x in s.split(",")], default=[5, 10])
    p.add_argument("--seed", type=int, default=2009)
    p.add_argument("--posterior", default=None, help="a calibration's posterior.parquet")
    p.add_argument("--draws", type=int, default=10)
    p.add_argument("--out", default="out/bench_pilots")
    args = p.parse_args(argv)
    root = Path(args.out)
    root.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    tables = [_compare(c, args, root / c) for c in CITIES]
    table = pd.concat(tables, ignore_index=True)
    lines = [
        "| city | date | outcome | status quo | pilot effect | 95 % interval | p adj. |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in table.itertuples(index=False):
        lines.append(
            f"| {r.city} | {r.date} | {r.outcome} | {_fmt(r.mean_baseline)} | {_fmt(r.difference)} | "
            f"[{_fmt(r.ci_low)}, {_fmt(r.ci_high)}] | {r.p_adjusted:.2g} |"
        )
    text = "\n".join(lines)
    (root / "pilot_effects.md").write_text(text + "\n", encoding="utf-8")
    print(text)
    print(
        f"\n{len(CITIES)} cities, {args.households} households, {args.replicates} paired replicates, "
        f"{args.years} years, seed {args.seed}{', posterior ' + args.posterior if args.posterior else ''}: "
        f"{time.perf_counter() - t0:.0f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
