"""Benchmark of the full monthly step (all phases and indicator collection).

Reports household-steps per second at 10k, 100k and 1M households, and peak memory, each measured in a fresh
process (so peaks do not mix), plus the full-scale Changshu run (one agent per real household, 10 years).

    python benchmarks/bench_model.py                  # sizes 10k, 100k, 1M (12 months each) + full Changshu
    python benchmarks/bench_model.py --sizes 100000 --months 24 --no-full
    python benchmarks/bench_model.py --repeat 3          # best and median of three runs per size
    python benchmarks/bench_model.py --sizes 100000 --no-full --repeat 3 --splits 1   # with the monthly split table

Targets (one core of the reference machine): >= 2 M household-steps/s at 100k households; full-scale Changshu
over 10 years within 3 minutes and 4 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time


def measure(city: str, policies: str, households: int | None, scale: float | None, months: int, seed: int,
            splits: int = 0) -> dict:
    from urbanize.model import UrbanizationModel

    t0 = time.perf_counter()
    m = UrbanizationModel(city=city, policies=policies, households=households, scale=scale, rng=seed,
                          splits=splits)
    t1 = time.perf_counter()
    m.run(months)
    t2 = time.perf_counter()
    n0 = m.initial_households
    return {
        "city": city,
        "policies": policies,
        "households": n0,
        "households_end": m.pop.n,
        "months": months,
        "init_s": round(t1 - t0, 3),
        "run_s": round(t2 - t1, 3),
        "household_steps_per_s": round(n0 * months / (t2 - t1)),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def in_subprocess(**kw) -> dict:
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    out = subprocess.run([sys.executable, __file__, "--one", json.dumps(kw)], capture_output=True, text=True,
                         env=env, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--months", type=int, default=12)
    ap.add_argument("--city", default="changshu")
    ap.add_argument("--policies", default="status_quo")
    ap.add_argument("--no-full", action="store_true", help="skip the full-scale 10-year Changshu run")
    ap.add_argument("--repeat", type=int, default=1,
                    help="runs per size, each in a fresh process; reports the best and the median (shared machines "
                         "are noisy: the best is the machine's capability, the median what to expect)")
    ap.add_argument("--splits", type=int, default=0,
                    help="collect the split table every N months (model/splits.py; 0: off, the model's default)")
    ap.add_argument("--one", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(measure(**json.loads(args.one))))
        return
    print(f"{'households':>10} {'months':>6} {'init s':>7} {'run s':>7} {'hh-steps/s':>12} {'peak MB':>8}"
          + ("   (best of runs; median)" if args.repeat > 1 else ""))
    for size in [int(s) for s in args.sizes.split(",") if s]:
        runs = [in_subprocess(city=args.city, policies=args.policies, households=size, scale=None,
                              months=args.months, seed=1, splits=args.splits) for _ in range(max(args.repeat, 1))]
        r = max(runs, key=lambda x: x["household_steps_per_s"])
        median = sorted(x["household_steps_per_s"] for x in runs)[len(runs) // 2]
        print(f"{r['households']:>10,} {r['months']:>6} {r['init_s']:>7} {r['run_s']:>7} "
              f"{r['household_steps_per_s']:>12,} {r['peak_rss_mb']:>8}"
              + (f"   median {median:,}" if len(runs) > 1 else ""))
    if not args.no_full:
        r = in_subprocess(city="changshu", policies=args.policies, households=None, scale=1.0, months=120, seed=1)
        print(f"full-scale Changshu, 10 years: {r['households']:,} households, init {r['init_s']} s, "
              f"run {r['run_s']} s ({r['household_steps_per_s']:,} hh-steps/s), peak {r['peak_rss_mb']} MB")


if __name__ == "__main__":
    main()
