"""Benchmark of ``urbanize calibrate``: the full synthetic recovery (7 parameters, 10 targets, one city).

Changshu at 2,000 households over the target period (January 2009 to December 2017), 7 behavioural parameters
with uniform priors, 10 synthetic targets each built from an indicator at the true values (seeds the fit never
uses), ABC-SMC on our process pool. Reports:

* wall time, simulations and simulations per second;
* ``overhead``: ``(wall x workers - model seconds) / model seconds``, where model seconds is the time spent
  inside the model runs themselves (building, running, reading the indicators: what the same number of plain
  runs costs). It holds pyabc's proposals and bookkeeping, measuring the targets, shipping the sampler's closure to
  the workers, starting the pool, the runs discarded when a generation's n-th particle is accepted while others
  are in flight, and the idle tail of each generation; the issue's aim is under 10 %;
* ``per-evaluation overhead``: the evaluations' own time beyond their model runs, over the model runs;
* true against recovered values with 90 % intervals.

The targets' tolerances (the distance's scales) are assumed, close to the replicate-to-replicate spread of each
indicator at 2,000 households: 0.02 for shares, 1 per 1,000 for the crude birth rate, 0.001 a month for the return
rate. Usage::

    .venv/bin/python benchmarks/bench_calibrate.py                      # the full figure (long)
    .venv/bin/python benchmarks/bench_calibrate.py --households 300 --population 12 --generations 2   # a smoke run
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from urbanize.experiments.calibrate import calibrate, load_truth, prepare  # noqa: E402
from urbanize.experiments.calibrate_config import load_config  # noqa: E402
from urbanize.experiments.calibrate_output import recovery_lines  # noqa: E402

# name: (prior lo, prior hi, true value); true values away from the priors' centres
PARAMETERS = {
    "settle_const": (-3.0, 0.0, -2.1),
    "hukou_want_const": (-3.0, 0.5, -0.4),
    "fertility": (0.02, 0.08, 0.033),
    "leave_const": (-6.0, -3.0, -4.8),
    "register_const": (-7.0, -2.0, -3.5),
    "arrival_rate": (0.004, 0.024, 0.017),
    "job_finding": (0.1, 0.5, 0.2),
}
# name, indicator, measure fields, tolerance (the value is a placeholder: --synthetic replaces it)
TARGETS = [
    ("b_intention", "settlement_intention", 'measure = "mean"\nfrom = "2014-01"\nto = "2016-12"', 0.02),
    ("b_intention_young", "settlement_intention_head_under_30", 'measure = "mean"\nfrom = "2014-01"\nto = "2016-12"', 0.02),
    ("b_hukou_want", "hukou_transfer_willingness", 'measure = "mean"\nfrom = "2015-01"\nto = "2017-12"', 0.02),
    ("b_birth_rate", "crude_birth_rate", 'measure = "mean"\nfrom = "2010-01"\nto = "2015-12"', 1.0),
    ("b_return", "return_migration_rate", 'measure = "mean"\nfrom = "2010-01"\nto = "2017-12"', 0.001),
    ("b_registration_2013", "registration_rate", 'measure = "at"\nwhen = "2013-12"', 0.02),
    ("b_registration_2017", "registration_rate", 'measure = "at"\nwhen = "2017-12"', 0.02),
    ("b_migrant_share", "migrant_share", 'measure = "at"\nwhen = "2017-12"', 0.02),
    ("b_unemployment", "unemployment_rate_migrant", 'measure = "mean"\nfrom = "2012-01"\nto = "2017-12"', 0.02),
    ("b_awareness", "awareness_registration", 'measure = "at"\nwhen = "2015-12"', 0.02),
]  # fmt: skip


def write_files(folder: Path, args: argparse.Namespace) -> tuple[Path, Path]:
    targets = []
    for name, indicator, fields, tol in TARGETS:
        targets.append(
            f'[[target]]\nname = "{name}"\nuse = "calibration"\ncity = "national"\nindicator = "{indicator}"\n'
            f'{fields}\nvalue = 0.0\ntolerance = {tol}\ntolerance_basis = "assumed: about the replicate spread"\n'
            'first_year = "benchmark"\nsource = "synthetic (benchmarks/bench_calibrate.py)"\n'
        )
    (folder / "targets.toml").write_text("\n".join(targets), encoding="utf-8")
    lines = [
        "[calibration]", 'name = "bench_recovery"', 'cities = ["changshu"]', f"households = {args.households}",
        f"replicates = {args.replicates}", f"population = {args.population}", f"generations = {args.generations}",
        f"seed = {args.seed}", "targets = [" + ", ".join(f'"{t[0]}"' for t in TARGETS) + "]",
        'targets_file = "targets.toml"',
    ]  # fmt: skip
    for name, (lo, hi, _) in PARAMETERS.items():
        lines += ["", f"[parameters.{name}]", f"lo = {lo}", f"hi = {hi}"]
    config = folder / "calibration.toml"
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    truth = folder / "true.toml"
    truth.write_text("".join(f"{k} = {v[2]}\n" for k, v in PARAMETERS.items()), encoding="utf-8")
    return config, truth


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--households", type=int, default=2000)
    ap.add_argument("--population", type=int, default=100, help="particles per generation")
    ap.add_argument("--generations", type=int, default=6)
    ap.add_argument("--replicates", type=int, default=1)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--executor", choices=("single", "process", "dask"), default="process")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", default=None, help="output folder (default: a temporary folder, removed after)")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="bench_calibrate_"))
    out = Path(args.out) if args.out else tmp / "out"
    try:
        config, truth_file = write_files(tmp, args)
        cfg = load_config(config)
        truth = load_truth(truth_file, cfg)
        plan = prepare(cfg, out, truth, args.executor, args.workers)
        t0 = time.perf_counter()
        result = calibrate(plan)
        wall = time.perf_counter() - t0 - result.synthetic_seconds  # the fit alone
        workers = plan.workers
        print(f"calibration: {len(PARAMETERS)} parameters, {len(TARGETS)} targets, changshu, {args.households:,} "
              f"households, months 0-{cfg.months}, {args.population} particles x {result.generations} generations, "
              f"{args.executor} x {workers}")  # fmt: skip
        print(f"synthetic targets: {result.synthetic_seconds:.0f} s (not counted below)")
        print(f"wall time of the fit: {wall:.0f} s ({wall / 60:.1f} min); simulations: {result.simulations} "
              f"(+{result.wasted} discarded in flight); {result.simulations / wall:.3f} simulations/s")  # fmt: skip
        if result.model_seconds > 0:
            model = result.model_seconds
            print(f"model time: {model:.0f} s ({model / max(result.simulations, 1):.2f} s per simulation)")
            print(f"overhead over plain runs: {(wall * workers - model) / model:.1%} "
                  f"(per evaluation: {(result.eval_seconds - model) / model:.1%})")  # fmt: skip
        if result.abandoned:
            print(f"of the simulations, {result.abandoned} belong to a generation max_simulations cut (not used)")
        for line in recovery_lines(result.summary):
            print(f"  {line}")
    finally:
        if not args.out:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
