"""``urbanize validate``: the status quo against the empirical targets (see experiments/validate.py)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from urbanize.experiments import checks
from urbanize.experiments.batch_cli import _check_executor, _executor_args
from urbanize.experiments.validate import (
    ValidateOptions,
    card_lines,
    describe_month_range,
    failures,
    run_all,
    score,
    select_targets,
)
from urbanize.model.city import list_cities
from urbanize.model.errors import UrbanizeError


def register(sub: argparse._SubParsersAction) -> None:
    d = ValidateOptions()
    p = sub.add_parser(
        "validate",
        help="score the status quo against the empirical targets (model/targets.toml)",
        description="Run the status quo of each city over replicates (on the sweep machinery: resumable, process "
        "pool or Dask) and write a scorecard: scorecard.csv, scorecard.png and one line per target. Month 0 is "
        "January 2009.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    p.add_argument("--out", default="out/validate", help="output folder (runs and the scorecard)")
    p.add_argument("--cities", default="all", help=f"comma-separated cities or 'all' ({', '.join(list_cities())})")
    p.add_argument("--households", type=int, default=d.households, help="household agents per run")
    p.add_argument("--replicates", type=int, default=d.replicates, help="replicates per city")
    p.add_argument("--years", type=int, default=d.years, help="years simulated from January 2009")
    p.add_argument("--seed", type=int, default=d.seed, help="root seed of every replicate stream")
    p.add_argument("--targets", default=None, help="targets file (default: the shipped model/targets.toml)")
    p.add_argument("--only", default="", help="comma-separated target names (default: all)")
    _executor_args(p)
    p.add_argument("--strict", action="store_true", help="exit 1 when a must-pass target fails")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(handler=cmd_validate)


def _options(args: argparse.Namespace) -> ValidateOptions:
    cities = tuple(list_cities()) if args.cities == "all" else tuple(c.strip() for c in args.cities.split(",") if c.strip())
    unknown = sorted(set(cities) - set(list_cities()))
    if unknown or not cities:
        raise UrbanizeError(f"--cities: unknown city {', '.join(unknown) or '(none)'}; cities: {', '.join(list_cities())}, or all")
    _check_executor(args)  # the same bounds as sweep and compare, so a validation cannot outgrow the machine
    return ValidateOptions(
        cities=cities,
        households=checks.households(args.households),
        replicates=checks.replicates(args.replicates),
        years=checks.years(args.years),
        seed=checks.seed(args.seed),
        workers=args.workers,
        executor=args.executor,
        scheduler=args.scheduler,
        progress=not args.no_progress,
        targets_path=args.targets,
        names=tuple(n.strip() for n in args.only.split(",") if n.strip()),
    )


def cmd_validate(args: argparse.Namespace) -> int:
    from urbanize.experiments.validate_plot import plot_card

    opts = _options(args)
    targets = select_targets(opts)  # a bad targets file or name fails here, before anything is written
    out = Path(args.out)
    frames = run_all(opts, out, targets)
    card = score(targets, frames, opts.cities)
    out.mkdir(parents=True, exist_ok=True)
    tmp = out / "scorecard.csv.tmp"
    card.to_csv(tmp, index=False)
    tmp.replace(out / "scorecard.csv")
    title = (
        f"Status quo against the targets: {', '.join(opts.cities)}, {opts.households:,} households, "
        f"{opts.replicates} replicates, {describe_month_range(opts.months)}"
    )
    plot_card(card, out / "scorecard.png", title)
    for line in card_lines(card):
        print(line)
    bad = failures(card)
    must = card[card["must_pass"].astype(bool) & (card["city"] != "pooled")]
    print(
        f"{len(must) - len(bad)} of {len(must)} must-pass checks pass; scorecard: {out / 'scorecard.csv'}, "
        f"{out / 'scorecard.png'}",
        file=sys.stderr,
    )
    return 1 if args.strict and len(bad) else 0
