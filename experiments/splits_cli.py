"""``urbanize splits``: the split table of a run or sweep folder (model/splits.py) as a sex-by-age table.

    urbanize splits out/run1                                   # the split indicators, with their groups
    urbanize splits out/run1 --indicator pension_coverage --group migrant [--month 60] [--plot p.png]

A run folder's ``splits.parquet`` is read as is; a sweep folder's ``splits/*.parquet`` are pooled by summing
``count`` and ``base`` over its runs (for one policy package with ``--policies``). The table shows ``value``
(count / base) for each sex and age band of one indicator, group and month (default: the last collected).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from urbanize.experiments.cli import CliError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("splits", help="show an indicator split by sex and age band (a run's or sweep's split table)")
    p.add_argument("folder", help="output folder of 'urbanize run' or 'urbanize sweep'")
    p.add_argument("--indicator", default=None, help="split indicator (without it: list those in the folder)")
    p.add_argument("--group", default="migrant", help="household group: migrant, local_farmer, urban_poor, "
                                                      "urban_resident, or all")
    p.add_argument("--month", type=int, default=None, help="model month (default: the last collected)")
    p.add_argument("--policies", default=None, help="sweep folders: the policy package to show")
    p.add_argument("--plot", default=None, metavar="PNG", help="also write a bar chart of the table")
    p.set_defaults(handler=cmd_splits)


def load_splits(folder: str | Path, policies: str | None = None) -> pd.DataFrame:
    """The split table of a run folder, or of a sweep folder pooled over its runs (count and base summed).

    Raises:
        CliError: the folder has no split table, or ``policies`` is not among its runs.
    """
    from urbanize.experiments.storage import SPLITS

    root = Path(folder)
    if (root / "splits.parquet").is_file():
        return pd.read_parquet(root / "splits.parquet")
    files = sorted((root / SPLITS).glob("p*.parquet"))
    if not files:
        raise CliError(f"'{root}' holds no split table (run 'urbanize run' without --no-splits, or a sweep)")
    df = pd.concat([pd.read_parquet(f) for f in files], ignore_index=True)
    if policies is not None:
        if policies not in set(df["policies"]):
            raise CliError(f"no runs of '{policies}' in '{root}'; packages: {', '.join(sorted(set(df['policies'])))}")
        df = df[df["policies"] == policies]
    keys = ["month", "date", "indicator", "level", "unit", "group", "sex", "age_band"]
    out = df.groupby(keys, sort=False, observed=True)[["count", "base"]].sum().reset_index()
    out["value"] = out["count"] / out["base"].where(out["base"] > 0)
    return out


def sex_by_age(df: pd.DataFrame, indicator: str, group: str, month: int | None = None) -> pd.DataFrame:
    """``value`` of one split indicator by age band (rows) and sex (columns), plus ``all`` (both sexes pooled).

    Raises:
        CliError: unknown indicator, group or month.
    """
    from urbanize.model.members import BAND_NAMES
    from urbanize.model.splits import GROUPS

    names = sorted(set(df["indicator"]))
    if indicator not in names:
        raise CliError(f"unknown split indicator '{indicator}'; in this table: {', '.join(names)}")
    if group not in (*GROUPS, "all"):
        raise CliError(f"unknown group '{group}'; groups: {', '.join(GROUPS)}, all")
    sel = df[df["indicator"] == indicator]
    if group != "all":
        sel = sel[sel["group"] == group]
    months = sorted(set(sel["month"]))
    if not months:
        raise CliError(f"'{indicator}' has no {group} cells in this table")
    month = months[-1] if month is None else month
    if month not in months:
        raise CliError(f"month {month} was not collected; months: {months[0]}-{months[-1]} (every "
                       f"{months[1] - months[0] if len(months) > 1 else 1})")
    sel = sel[sel["month"] == month]
    pooled = sel.groupby(["age_band", "sex"])[["count", "base"]].sum()
    table = (pooled["count"] / pooled["base"].where(pooled["base"] > 0)).unstack("sex")
    both = sel.groupby("age_band")[["count", "base"]].sum()
    table["all"] = both["count"] / both["base"].where(both["base"] > 0)
    table["base"] = both["base"]
    order = [b for b in BAND_NAMES if b in table.index]
    table = table.loc[order]
    table.attrs["month"] = month
    return table


def cmd_splits(args: argparse.Namespace) -> int:
    df = load_splits(args.folder, args.policies)
    if args.indicator is None:
        for name, sub in df.groupby("indicator", sort=False):
            first = sub.iloc[0]
            print(f"{name:<36} {first['level']:<8} by {'head' if first['level'] == 'head' else 'person'}, "
                  f"{first['unit']:<10} groups: {', '.join(sorted(set(sub['group'])))}")
        return 0
    table = sex_by_age(df, args.indicator, args.group, args.month)
    month = table.attrs["month"]
    print(f"{args.indicator}, {args.group}, month {month}: share by sex and age band (base: {df.loc[df['indicator'] == args.indicator, 'unit'].iloc[0]})")
    print(table.to_string(float_format=lambda v: f"{v:.3f}"))
    if args.plot:
        _plot(table, Path(args.plot), f"{args.indicator} ({args.group}, month {month})")
        print(f"wrote {args.plot}")
    return 0


def _plot(table: pd.DataFrame, path: Path, title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    cols = [c for c in ("male", "female") if c in table.columns]
    fig, ax = plt.subplots(figsize=(8, 3.5))
    table[cols].plot.bar(ax=ax)
    ax.set_title(title, fontsize=10)
    ax.set_xlabel("age band")
    ax.set_ylabel("share")
    ax.grid(alpha=0.3, axis="y")
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)
