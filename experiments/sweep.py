"""Run a sweep: every (design point, replicate) once, resumably, on any executor.

:func:`run_sweep` writes the manifest before the first run, skips runs whose file already exists (so a sweep
killed partway resumes where it stopped, with nothing duplicated or lost), submits the rest to a
:class:`concurrent.futures.Executor` with a bounded number in flight, writes each result as it arrives and
records a run that raised as failed without stopping the others. A tqdm bar shows runs done, failed and the ETA.

The folder is locked for the whole invocation (``experiments/locking.py``), so a second sweep on the same folder
stops with a one-line error instead of computing every run again. On resume every run file is checked against
the record written with it; a corrupt one is moved to ``set_aside/`` and run again. A worker process that dies
(``experiments/pool.py``) has its run resubmitted; a run that kills two workers is recorded as failed.
"""

from __future__ import annotations

import datetime as _dt
import sys
import time
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from urbanize.experiments.cli import CliError
from urbanize.experiments.executors import capacity, default_workers, make_executor, probe_scheduler
from urbanize.experiments.locking import FolderLock
from urbanize.experiments.runner import RunConfig, RunFn, RunOutcome, execute
from urbanize.experiments.seeds import run_id, spawn_key
from urbanize.experiments.spec import SweepSpec
from urbanize.experiments.storage import FORMAT, SweepDir, code_version, package_versions


@dataclass
class SweepResult:
    """Counts and timings of one invocation of :func:`run_sweep`."""

    out: Path
    total: int
    skipped: int = 0  # finished before this invocation
    done: int = 0
    failed: int = 0
    failed_before: int = 0  # failed earlier and not retried
    resumed: bool = False
    wall_seconds: float = 0.0
    model_seconds: float = 0.0
    worker_seconds: float = 0.0
    setup_seconds: float = 0.0  # workers' one-off start-up (imports), part of worker_seconds
    parent_seconds: float = 0.0  # time the coordinating process spent handling results
    errors: list[str] = field(default_factory=list)
    set_aside: list[tuple[str, str, Path]] = field(default_factory=list)  # (run id, reason, new place)
    lock_taken_over: dict[str, Any] | None = None  # the stale lock found, when one was taken over


def build_manifest(
    spec: SweepSpec, kind: str = "sweep", overrides: dict[str, Any] | None = None
) -> dict[str, Any]:
    design = spec.design()
    return {
        "format": FORMAT,
        "kind": kind,
        "overrides": dict(overrides or {}),
        "fingerprint": spec.fingerprint(),
        "spec": spec.to_json(),
        "root_seed": spec.seed,
        "n_points": len(design.points),
        "n_runs": spec.n_runs,
        "design": design.points.to_dict(orient="records"),
        "sample": None if design.sample is None else design.sample.tolist(),
        "code_version": code_version(),
        "packages": package_versions(),
        "created": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        "command": " ".join(sys.argv),
    }


def run_configs(spec: SweepSpec) -> list[RunConfig]:
    """One config per run, ordered by point then replicate."""
    params = [p.name for p in spec.parameters]
    configs = []
    for row in spec.design().points.to_dict(orient="records"):
        point = int(row["point"])
        values = tuple((name, row[name]) for name in params)
        for rep in range(spec.runs_per_point):
            if spec.posterior is not None:  # nested: replicate rep % R of draw rep // R (posterior_design)
                drawn = spec.posterior.draws[rep // spec.replicates]
            else:
                drawn = ()
            configs.append(
                RunConfig(
                    run_id=run_id(point, rep),
                    point=point,
                    replicate=rep,
                    city=spec.city,
                    policies=row["policies"],
                    households=spec.households,
                    months=spec.months,
                    seed_entropy=spec.seed,
                    seed_spawn_key=spawn_key(point, rep, spec.common_random_numbers),
                    params=values + drawn,
                )
            )
    return configs


def run_sweep(
    spec: SweepSpec,
    out: str | Path,
    *,
    executor: str = "process",
    workers: int | None = None,
    scheduler: str | None = None,
    run_fn: RunFn | None = None,
    retry_failed: bool = False,
    progress: bool = True,
    pool: Executor | None = None,
    kind: str = "sweep",
    overrides: dict[str, Any] | None = None,
) -> SweepResult:
    """Run (or resume) a sweep into ``out``.

    Args:
        spec: a validated sweep.
        out: output folder; may hold part of the same sweep (resumed), never a different one.
        executor: ``process`` or ``dask`` (ignored when ``pool`` is given).
        workers: worker processes (default: all CPUs available).
        scheduler: address of a running Dask scheduler.
        run_fn: replaces :func:`experiments.runner.run_one` (must be picklable; for tests and custom models).
        retry_failed: run again the runs recorded as failed by an earlier invocation.
        progress: show a tqdm bar on stderr.
        pool: an executor to use as is (not closed here).
        kind: what the folder holds (``sweep``, ``compare``, ``calibration``), recorded in the manifest.
        overrides: command-line options that changed the spec file (recorded; a resume must repeat them).

    Raises:
        CliError: ``out`` holds a different sweep or another kind of output, is locked by a live process, or
            the Dask scheduler does not answer (checked before anything is written).
    """
    t_start = time.perf_counter()
    root = Path(out)
    if pool is None and executor == "dask" and scheduler:
        probe_scheduler(scheduler)  # fail fast, before the manifest is written
    folder = SweepDir(root)
    manifest = build_manifest(spec, kind, overrides)
    folder.check(manifest)  # read-only: refuse a wrong folder before creating anything
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CliError(f"cannot create output folder '{root}': {exc.strerror}; choose another --out") from None
    with FolderLock(root, command=manifest["command"] or f"urbanize {kind}") as lock:
        result = _run_locked(spec, folder, manifest, executor, workers, scheduler, run_fn, retry_failed,
                             progress, pool)
        result.lock_taken_over = lock.took_over
    result.wall_seconds = time.perf_counter() - t_start
    return result


def _run_locked(
    spec: SweepSpec,
    folder: SweepDir,
    manifest: dict[str, Any],
    executor: str,
    workers: int | None,
    scheduler: str | None,
    run_fn: RunFn | None,
    retry_failed: bool,
    progress: bool,
    pool: Executor | None,
) -> SweepResult:
    configs = run_configs(spec)
    resumed = folder.prepare(manifest)
    if resumed:
        begun_with = folder.read_manifest().get("code_version")
        if begun_with != manifest["code_version"]:
            print(
                f"warning: resuming a sweep begun with code version {begun_with} (now {manifest['code_version']}); "
                "runs from both versions will be mixed",
                file=sys.stderr,
            )
    old_format = int(folder.read_manifest().get("format") or 1) < 2
    finished, bad = folder.verified_ids(require_check=not old_format)
    failed_before = folder.failed_ids() - finished
    skip = finished | (set() if retry_failed else failed_before)
    todo = [c for c in configs if c.run_id not in skip]
    result = SweepResult(
        out=folder.root,
        total=len(configs),
        skipped=len(finished & {c.run_id for c in configs}),
        failed_before=0 if retry_failed else len(failed_before),
        resumed=resumed,
        set_aside=bad,
    )
    if bad:
        print(
            f"warning: {len(bad)} run file(s) in '{folder.root}' did not match their records and were moved to "
            f"{folder.root / 'set_aside'} to be run again: "
            + "; ".join(f"{rid}: {why}" for rid, why, _ in bad[:3])
            + ("; ..." if len(bad) > 3 else ""),
            file=sys.stderr,
        )
    if todo:
        n_workers = workers or default_workers()
        if pool is not None:
            _drive(pool, todo, folder, result, run_fn, n_workers, progress)
        else:
            with make_executor(executor, n_workers, scheduler) as ex:
                _drive(ex, todo, folder, result, run_fn, n_workers, progress)
    return result


def _drive(
    ex: Executor,
    todo: list[RunConfig],
    folder: SweepDir,
    result: SweepResult,
    run_fn: RunFn | None,
    n_workers: int,
    progress: bool,
) -> None:
    from tqdm import tqdm

    # enough queued work to keep every worker busy, not so much that a huge sweep floods memory; Dask
    # clusters may grow (adaptive scaling), so they get a generous queue
    is_dask = getattr(ex, "_client", None) is not None
    max_inflight = max(256, 4 * capacity(ex, n_workers)) if is_dask else max(2, 2 * n_workers)
    pending = iter(todo)
    inflight: dict[Future, RunConfig] = {}
    bar = tqdm(
        total=result.total,
        initial=result.skipped,
        unit="run",
        disable=not progress,
        dynamic_ncols=True,
        desc="sweep",
        file=sys.stderr,
    )
    bar.set_postfix(failed=result.failed_before, refresh=False)

    def submit_more() -> None:
        while len(inflight) < max_inflight:
            cfg = next(pending, None)
            if cfg is None:
                return
            inflight[ex.submit(execute, cfg, run_fn)] = cfg

    try:
        submit_more()
        while inflight:
            done, _ = wait(list(inflight), return_when=FIRST_COMPLETED)
            for fut in done:
                cfg = inflight.pop(fut)
                t0 = time.perf_counter()
                try:
                    outcome = fut.result()
                except Exception as exc:  # noqa: BLE001  (the worker itself died or could not unpickle)
                    outcome = RunOutcome(
                        cfg.run_id, cfg.point, cfg.replicate, error=f"{type(exc).__name__}: {exc}"
                    )
                _record(folder, cfg, outcome, result)
                result.parent_seconds += time.perf_counter() - t0
                bar.update(1)
                bar.set_postfix(failed=result.failed + result.failed_before, refresh=False)
            submit_more()
    except BaseException:
        for fut in inflight:
            fut.cancel()
        raise
    finally:
        bar.close()


def _record(folder: SweepDir, cfg: RunConfig, outcome: RunOutcome, result: SweepResult) -> None:
    result.model_seconds += outcome.model_seconds
    result.worker_seconds += outcome.worker_seconds
    result.setup_seconds += outcome.setup_seconds
    if outcome.ok and outcome.frame is not None:
        meta = {
            "run_id": cfg.run_id,
            "point": cfg.point,
            "replicate": cfg.replicate,
            "seed_entropy": cfg.seed_entropy,
            "seed_spawn_key": list(cfg.seed_spawn_key),
            "model_seconds": outcome.model_seconds,
            "worker_seconds": outcome.worker_seconds,
        }
        folder.write_run(cfg.run_id, outcome.frame, meta, outcome.splits)
        result.done += 1
    else:
        folder.write_failure(
            cfg.run_id,
            {
                "run_id": cfg.run_id,
                "point": cfg.point,
                "replicate": cfg.replicate,
                "policies": cfg.policies,
                "params": dict(cfg.params),
                "error": outcome.error,
                "traceback": outcome.traceback,
            },
        )
        result.failed += 1
        result.errors.append(f"{cfg.run_id}: {outcome.error}")
