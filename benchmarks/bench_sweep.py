"""Benchmark of the sweep machinery: N Changshu runs (5,000 households, 10 years) on 2 workers.

Reports wall time, runs per hour and the overhead of everything but the model run, as a share of model time:

* ``steady-state overhead``: per run, what the worker does besides building, running and reading the model
  (labelling the frame) plus what the coordinating process does (receiving, writing Parquet atomically,
  bookkeeping), over the mean model time per run. This is the per-run cost of the machinery (target < 5 %).
* ``total overhead``: ``(wall x workers - sum of model time) / sum of model time``; it adds the one-off costs
  (manifest, starting the pool, importing the model in each worker) and the idle tail of the last runs, which
  shrink relative to the run time as N grows.

Usage::

    .venv/bin/python benchmarks/bench_sweep.py              # 40 runs, a couple of minutes on 2 cores
    .venv/bin/python benchmarks/bench_sweep.py --runs 1000  # the full figure
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from urbanize.experiments.spec import parse_spec  # noqa: E402
from urbanize.experiments.sweep import run_sweep  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=40, help="number of runs (default 40)")
    ap.add_argument("--households", type=int, default=5000)
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--executor", choices=("process", "dask"), default="process")
    ap.add_argument("--policies", default="status_quo", help="package to run (default status_quo)")
    ap.add_argument("--out", default=None, help="output folder (default: a temporary folder, removed after)")
    args = ap.parse_args()

    spec = parse_spec(
        {
            "name": "bench_sweep",
            "city": "changshu",
            "policies": [args.policies],
            "households": args.households,
            "years": args.years,
            "replicates": args.runs,
            "seed": 2024,
            "sampler": "grid",
        }
    )
    out = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="bench_sweep_"))
    try:
        r = run_sweep(spec, out / "sweep", executor=args.executor, workers=args.workers, progress=True)
    finally:
        if not args.out:
            shutil.rmtree(out, ignore_errors=True)
    n = r.done
    if n == 0:
        print("no run finished:", *r.errors[:3], sep="\n  ")
        return 1
    model_per_run = r.model_seconds / n
    worker_extra = (r.worker_seconds - r.setup_seconds - r.model_seconds) / n
    parent_per_run = r.parent_seconds / n
    steady = (worker_extra + parent_per_run) / model_per_run
    total = (r.wall_seconds * args.workers - r.model_seconds) / r.model_seconds
    print(
        f"runs                     {n} ({r.failed} failed), {args.households} households x {args.years} years, "
        f"{args.workers} {args.executor} workers"
    )
    print(f"wall time                {r.wall_seconds:.1f} s")
    print(f"throughput               {n / r.wall_seconds * 3600:,.0f} runs/hour")
    print(f"model time per run       {model_per_run:.3f} s")
    print(
        f"machinery per run        {1000 * (worker_extra + parent_per_run):.1f} ms "
        f"(worker {1000 * worker_extra:.1f} ms, coordinator {1000 * parent_per_run:.1f} ms)"
    )
    print(f"steady-state overhead    {100 * steady:.2f} % of model time (target < 5 %)")
    print(f"worker start-up          {r.setup_seconds:.2f} s in all (imports, once per worker)")
    print(f"total overhead           {100 * total:.2f} % (with pool start-up, imports and the idle tail)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
