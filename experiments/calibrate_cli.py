"""``urbanize calibrate CONFIG.toml --out DIR``: the command line of experiments/calibrate.py."""

from __future__ import annotations

import argparse
import sys


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "calibrate",
        help="fit parameters to the targets by ABC-SMC (pyabc); --synthetic checks that known values are recovered",
        description="Fit the parameters of a calibration file (priors, targets, cities, budget; see "
        "docs/calibration.md) to the targets by approximate Bayesian computation (ABC-SMC with pyabc). Writes "
        "posterior.parquet, calibrated.toml (or calibrated_<city>.toml), summary.csv and plots into --out; an "
        "interrupted calibration resumes when run again with the same file and --out. Month 0 is January 2009.",
    )
    p.add_argument("config", help="calibration file (TOML)")
    p.add_argument("--out", default="out/calibrate", help="output folder (abc.db, posterior, plots)")
    p.add_argument(
        "--synthetic",
        default=None,
        metavar="TRUE.toml",
        help='true values (a --params file; per-city ones as "NAME@CITY" keys): fit to targets the model makes '
        "at them, from seeds the fit never uses, and print true against recovered values",
    )
    p.add_argument(
        "--executor",
        default="process",
        choices=("single", "process", "dask"),
        help="single: one process; process: our process pool; dask: a Dask LocalCluster, or --scheduler. All "
        "three give the same posterior, bit for bit",
    )
    p.add_argument("--workers", type=int, default=None, help="worker processes (default: all CPUs)")
    p.add_argument(
        "--scheduler", default=None, help="address of a running Dask scheduler (with --executor dask)"
    )
    p.add_argument("--no-progress", action="store_true", help="no progress lines")
    p.set_defaults(handler=cmd_calibrate)


def cmd_calibrate(args: argparse.Namespace) -> int:
    from urbanize.experiments.calibrate import calibrate, load_truth, prepare
    from urbanize.experiments.calibrate_config import load_config
    from urbanize.experiments.calibrate_output import recovery_lines
    from urbanize.experiments.extras import require

    require("pyabc", "calibrate", "urbanize calibrate")
    cfg = load_config(args.config)
    truth = load_truth(args.synthetic, cfg) if args.synthetic else None
    plan = prepare(cfg, args.out, truth, args.executor, args.workers, args.scheduler, not args.no_progress)
    if plan.resume and plan.progress:
        print(f"resuming calibration '{cfg.name}' in {plan.out}", file=sys.stderr)
    result = calibrate(plan)
    table = result.summary
    if truth is not None:
        print("true against recovered values (weighted median, 90 % credible interval):")
        for line in recovery_lines(table):
            print(f"  {line}")
    else:
        for r in table.itertuples():
            print(f"  {r.parameter}: {r.median:.4g} [90 %: {r.ci90_low:.4g}, {r.ci90_high:.4g}]")
    print(
        f"{result.simulations:,} simulations in {result.generations} generations, {result.seconds:.0f} s; "
        f"wrote {', '.join(f.name for f in result.files)} in {result.out}",
        file=sys.stderr,
    )
    return 0
