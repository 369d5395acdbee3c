"""``urbanize calibrate``: fit parameters to the targets by ABC-SMC (pyabc) and write the posterior (docs/calibration.md).

:func:`prepare` checks everything a user can get wrong (the calibration file, ``--synthetic``'s true values, the
output folder and whether it belongs to this calibration) before anything is written; :func:`calibrate` then
runs the fit (experiments/calibrate_abc.py) under the folder's lock and writes the outputs
(experiments/calibrate_output.py). The output folder's ``manifest.json`` records kind ``calibration``, the
calibration's name, the SHA-256 of its configuration (:func:`calibrate_config.config_hash`, which includes the
true values of a synthetic fit), the root seed and the synthetic targets; a folder whose hash differs is refused.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from urbanize.experiments import storage
from urbanize.experiments.calibrate_config import CalibrationConfig, CalibrationError, config_hash, read_toml
from urbanize.experiments.posterior import as_params, load_posterior, write_posterior
from urbanize.model.errors import UrbanizeError

EXECUTORS = ("single", "process", "dask")


@dataclass(frozen=True)
class Plan:
    """A checked calibration, ready to run."""

    cfg: CalibrationConfig
    out: Path
    digest: str
    truth: dict[str, float] | None = None
    resume: bool = False
    executor: str = "process"
    workers: int = 1
    scheduler: str | None = None
    progress: bool = True


@dataclass
class Result:
    """What a calibration produced (for the command line, the tests and the benchmark)."""

    out: Path
    files: list[Path] = field(default_factory=list)
    summary: Any = None  # pandas DataFrame
    simulations: int = 0
    wasted: int = 0
    seconds: float = 0.0
    eval_seconds: float = 0.0
    model_seconds: float = 0.0
    synthetic_seconds: float = 0.0  # making the synthetic targets (before the fit)
    generations: int = 0  # stored generations (the posterior is the last)
    abandoned: int = 0  # simulations of a generation stopped at max_simulations (counted in simulations)


def load_truth(path: str | Path, cfg: CalibrationConfig) -> dict[str, float]:
    """True values of a synthetic fit: a ``--params``-style file; per-city ones as ``"NAME@CITY"`` keys."""
    where = f"--synthetic '{path}'"
    data = read_toml(path, "--synthetic file")
    flat: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            for k, v in value.items():
                flat[f"{key}.{k}"] = v
        else:
            flat[key] = value
    want = cfg.columns()
    missing = [c for c in want if c not in flat]
    extra = sorted(set(flat) - set(want))
    if missing or extra:
        what = (
            f"lacks {', '.join(missing)}" if missing else f"sets {', '.join(extra)}, which the fit does not"
        )
        raise CalibrationError(f"{where} {what}; give exactly the fitted values: {', '.join(want)}")
    truth = {}
    for col in want:
        v = flat[col]
        prior = cfg.prior_of(col)
        if isinstance(v, bool) or not isinstance(v, int | float) or not prior.lo <= v <= prior.hi:
            raise CalibrationError(
                f"{where}: {col} = {v!r} must be a number inside its prior [{prior.lo}, {prior.hi}]"
            )
        truth[col] = float(v)
    for city in cfg.cities:  # each city's values must also pass the parameters' own checks
        from urbanize.experiments.calibrate_sim import city_values

        as_params(city_values(cfg, truth, city), where=f"{where}: ")
    return truth


def _check_executor(executor: str, workers: int | None, scheduler: str | None) -> int:
    from urbanize.experiments.batch_cli import MAX_WORKERS
    from urbanize.experiments.executors import check_scheduler_address, default_workers

    if executor not in EXECUTORS:
        raise CalibrationError(f"--executor '{executor}' is not one of {', '.join(EXECUTORS)}")
    if workers is not None and not 1 <= workers <= MAX_WORKERS:
        raise CalibrationError(f"--workers must be a whole number from 1 to {MAX_WORKERS}, got {workers}")
    if scheduler is not None:
        if executor != "dask":
            raise CalibrationError("--scheduler needs --executor dask")
        check_scheduler_address(scheduler)
    if executor == "dask":
        from urbanize.experiments.extras import require

        require("distributed", "cluster", "--executor dask")
    return 1 if executor == "single" else (workers or default_workers())


def prepare(
    cfg: CalibrationConfig,
    out: str | Path,
    truth: Mapping[str, float] | None = None,
    executor: str = "process",
    workers: int | None = None,
    scheduler: str | None = None,
    progress: bool = True,
) -> Plan:
    """Check the output folder and the run options; nothing is written."""
    root = storage.out_folder(out)
    n = _check_executor(executor, workers, scheduler)
    storage.check_folder(root, "calibration")
    if scheduler is not None:  # an unreachable scheduler is an error before anything is written
        from urbanize.experiments.executors import probe_scheduler

        probe_scheduler(scheduler)
    digest = config_hash(cfg, {"synthetic": dict(truth) if truth is not None else None})
    manifest = storage.read_manifest(root) if root.is_dir() else None
    if manifest is not None and manifest.get("config_sha256") != digest:
        raise CalibrationError(
            f"'{root}' holds calibration '{manifest.get('name', '?')}' with another configuration (a different "
            "file, targets, priors, seed or --synthetic values); use another --out, or the calibration file it was "
            "made with"
        )
    return Plan(cfg, root, digest, dict(truth) if truth is not None else None, manifest is not None, executor, n,
                scheduler, progress)  # fmt: skip


def _manifest(plan: Plan, synthetic: dict[str, float] | None) -> dict[str, Any]:
    from dataclasses import asdict

    cfg = plan.cfg
    return {
        "kind": "calibration", "format": storage.FORMAT, "name": cfg.name, "config_sha256": plan.digest,
        "config_file": cfg.source, "seed": cfg.seed, "cities": list(cfg.cities), "months": cfg.months,
        "targets": [t.name for t in cfg.targets], "priors": [asdict(p) for p in cfg.priors],
        "synthetic_true": plan.truth, "synthetic_targets": synthetic, "command": " ".join(["urbanize", *sys.argv[1:]]),
        "code_version": storage.code_version(), "packages": storage.package_versions(),
        "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }  # fmt: skip


def calibrate(plan: Plan) -> Result:
    """Run (or resume) the fit and write every output; returns what it did."""
    from urbanize.experiments import calibrate_abc as abcmod
    from urbanize.experiments import calibrate_output as outmod
    from urbanize.experiments.calibrate_sim import objective, synthetic_targets
    from urbanize.experiments.locking import FolderLock

    cfg, out = plan.cfg, plan.out
    start = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    with ExitStack() as stack:
        stack.enter_context(FolderLock(out, command="urbanize calibrate"))
        synthetic, synthetic_seconds = None, 0.0
        if plan.resume:
            synthetic = storage.read_manifest(out).get("synthetic_targets")  # type: ignore[union-attr]
        elif plan.truth is not None:
            if plan.progress:
                print(
                    f"simulating the synthetic targets at the true values ({len(cfg.cities)} city(ies))",
                    file=sys.stderr,
                )
            t_synth = time.perf_counter()
            synthetic = synthetic_targets(cfg, plan.truth)
            synthetic_seconds = time.perf_counter() - t_synth
        if not plan.resume:
            text = json.dumps(_manifest(plan, synthetic), indent=2, default=storage._json_default)
            storage.atomic_write_bytes(out / storage.MANIFEST, text.encode())
        goal = objective(cfg.targets, synthetic)
        stats = abcmod.Stats()
        executor = None  # single: every evaluation in this process
        if plan.executor != "single":  # the same sampler on either executor: identical posteriors
            from urbanize.experiments.executors import make_executor

            executor = stack.enter_context(make_executor(plan.executor, plan.workers, plan.scheduler))
        sampler = abcmod.make_sampler(cfg.seed, executor, plan.workers, stats, plan.progress)
        meta = {"calibration": cfg.name, "config_sha256": plan.digest, "seed": cfg.seed}
        history = abcmod.run_generations(cfg, goal, out, sampler, stats, plan.progress, meta)
        samples, weights = abcmod.posterior_frame(cfg, history)
        abandoned = abcmod.abandoned_simulations(out)
        post_meta = {
            "calibration": cfg.name, "config_sha256": plan.digest, "seed": cfg.seed, "generations": history.max_t + 1,
            "targets": [t.name for t in cfg.targets], "households": cfg.households, "replicates": cfg.replicates,
            "epsilon": float(history.get_all_populations()["epsilon"].iloc[-1]),
            "simulations": int(history.total_nr_simulations), "abandoned_simulations": abandoned, "date": time.strftime("%Y-%m-%d", time.gmtime()),
            "priors": {p.name: [p.lo, p.hi] for p in cfg.priors},
        }  # fmt: skip
        files = [write_posterior(out / "posterior.parquet", samples, weights, cfg.cities, post_meta)]
        post = load_posterior(files[0])
        files += outmod.write_calibrated(cfg, post, out, plan.digest)
        table = outmod.summary_table(cfg, post, plan.truth)
        files.append(outmod.write_summary(table, out))
        files.append(outmod.plot_marginals(cfg, post, out, plan.truth))
        files.append(outmod.plot_pairs(cfg, post, out))
        pw, pstats = abcmod.predictive_stats(history)
        files.append(outmod.plot_predictive(cfg, goal, pw, pstats, out))
    return Result(
        out, files, table, int(history.total_nr_simulations) + abandoned, stats.wasted, time.perf_counter() - start,
        stats.eval_seconds, stats.model_seconds, synthetic_seconds, history.max_t + 1, abandoned,
    )  # fmt: skip


__all__ = ["EXECUTORS", "Plan", "Result", "UrbanizeError", "calibrate", "load_truth", "prepare"]
