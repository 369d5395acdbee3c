"""The pyabc driver of ``urbanize calibrate``: ABC-SMC over the fitted columns, one generation at a time.

Algorithm (pyabc's ABCSMC): uniform priors; a multivariate normal perturbation kernel fitted to each population,
with twice the population's weighted covariance (:func:`beaumont_bandwidth`);
the acceptance threshold of generation t > 0 is the weighted median of generation t-1's distances, and generation
0 accepts every prior draw (threshold infinity: no separate calibration sample is simulated); a constant
population size. Each generation is one ``ABCSMC.run(max_nr_populations=1)`` on the history in ``DIR/abc.db``
(``ABCSMC.new`` for generation 0, ``ABCSMC.load`` after), so an interrupted calibration resumes at its next
generation exactly as an uninterrupted one continues: every generation starts from what the database holds.

Exactness (docs/calibration.md): :class:`KeyedSampler` numbers the evaluations of generation t 0, 1, 2, ... and,
before evaluation i, seeds numpy's global generator (from which pyabc draws proposals) and the model's simulation
seeds from ``SeedSequence(root, spawn_key=(tag, t, i, ...))``; it accepts particles in index order and stops at
the n-th accepted one, so the posterior depends only on the root seed: not on the number of workers, their
speed or the order results arrive. It runs inline (``--executor single``) or on any
:class:`concurrent.futures.Executor`: our process pool (``--executor process``, experiments/pool.py) or a Dask
client's executor (``--executor dask``, experiments/executors.py); all give identical posteriors. A process runs
one evaluation at a time (:data:`_EVALUATING`), since pyabc draws from numpy's global generator: a Dask worker
with several threads then runs one evaluation per process, and stays exact.

Budget: the sampler is told the simulations left under ``max_simulations`` and stops there. A generation that
has not accepted ``population`` particles by then is abandoned (pyabc stores only whole generations): the
posterior is the last whole generation, and the abandoned simulations are recorded in ``DIR/budget.json`` so that
a resumed fit does not run them again.
"""

from __future__ import annotations

import hashlib
import json
import math
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from urbanize.experiments import calibrate_sim
from urbanize.experiments.calibrate_config import CalibrationConfig
from urbanize.experiments.calibrate_sim import FIT_TAG, Objective, simulate

PROPOSAL_TAG = 0xAB5  # spawn-key tag of the numpy global seeds pyabc's proposals are drawn from
DB_NAME = "abc.db"
BUDGET_NAME = "budget.json"  # a generation abandoned at max_simulations: its index and simulations

_EVAL_KEY: tuple[int, ...] | None = None  # the running evaluation's spawn key (set around each evaluation)
_CACHE: dict[str, Callable[[], Any]] = {}  # a worker's unpickled simulate_one of the current generation
_EVALUATING = threading.Lock()  # one evaluation at a time per process (numpy's global generator, _EVAL_KEY)


def safe_names(cfg: CalibrationConfig) -> dict[str, str]:
    """pyabc's parameter names (``p0``, ``p1``...) for the posterior's columns (pyabc reads dots as nesting)."""
    return {f"p{i}": col for i, col in enumerate(cfg.columns())}


class ParticleModel:
    """The model pyabc calls: safe-named parameters -> summary statistics (experiments/calibrate_sim.py)."""

    def __init__(self, cfg: CalibrationConfig) -> None:
        self.cfg = cfg
        self.names = safe_names(cfg)

    def __call__(self, pars: Any) -> dict[str, float]:
        particle = {col: float(pars[safe]) for safe, col in self.names.items()}
        key = _EVAL_KEY
        if key is None:
            raise RuntimeError("calibration particles are simulated only through make_sampler's sampler")
        return simulate(self.cfg, particle, key)


def _seed_numpy(root: int, t: int, i: int) -> None:
    state = np.random.SeedSequence(root, spawn_key=(PROPOSAL_TAG, t, i)).generate_state(8)
    np.random.seed(state)  # noqa: TID251, NPY002  (pyabc draws its proposals from numpy's global generator)


def evaluate(blob: bytes, digest: str, root: int, t: int, i: int) -> tuple[Any, float, float]:
    """Evaluation ``i`` of generation ``t`` (in a worker or inline): the particle, the seconds it took and the
    seconds of those spent in model runs."""
    global _EVAL_KEY
    with _EVALUATING:
        start = time.perf_counter()
        model_before = calibrate_sim.model_seconds()
        fn = _CACHE.get(digest)
        if fn is None:
            import cloudpickle

            _CACHE.clear()
            fn = _CACHE[digest] = cloudpickle.loads(blob)
        _seed_numpy(root, t, i)
        _EVAL_KEY = (FIT_TAG, t, i)
        try:
            particle = fn()
        finally:
            _EVAL_KEY = None
        return particle, time.perf_counter() - start, calibrate_sim.model_seconds() - model_before


def _sampler_base() -> type:
    from pyabc.sampler import Sampler

    return Sampler


@dataclass
class Stats:
    """Counters for progress and the benchmark."""

    simulations: int = 0  # evaluations counted: those of stored generations and of an abandoned one
    wasted: int = 0  # evaluations run in parallel past the n-th accepted one (discarded)
    abandoned: int = 0  # evaluations of a generation stopped at max_simulations (not in the posterior)
    eval_seconds: float = 0.0  # time spent inside the counted evaluations (model runs, measuring, proposing)
    model_seconds: float = (
        0.0  # of which inside model runs (what plain runs of the same particles would cost)
    )
    generation_seconds: list[float] = field(default_factory=list)


def make_sampler(
    root: int, executor: Executor | None, workers: int, stats: Stats, progress: bool = False
) -> Any:
    """The exact sampler: inline when ``executor`` is None, else as many evaluations in flight as the executor
    has workers (``workers``, or a Dask cluster's threads if more). Its ``budget`` (simulations left, set before
    each generation) caps the evaluations of a generation. With ``progress``, a bar on stderr counts the
    generation's accepted particles and its simulations (a generation of a four-city fit takes many minutes)."""
    from tqdm import tqdm

    from urbanize.experiments.executors import capacity

    class KeyedSampler(_sampler_base()):  # type: ignore[misc]
        budget: float = math.inf

        def sample_until_n_accepted(
            self, n: int, simulate_one: Callable, t: int, *, max_eval: float = np.inf, all_accepted: bool = False,
            ana_vars: Any = None,
        ) -> Any:  # fmt: skip
            import cloudpickle

            blob = cloudpickle.dumps(simulate_one)
            digest = hashlib.sha256(blob).hexdigest()
            sample = self._create_empty_sample()
            max_eval = min(max_eval, self.budget)
            slots = 1 if executor is None else capacity(executor, workers)
            accepted = done = 0
            results: dict[int, tuple[Any, float, float]] = {}
            inflight: dict[Future, int] = {}
            nxt = 0
            bar = tqdm(total=n, desc=f"generation {t + 1}", unit="accepted", file=sys.stderr, leave=False,
                       disable=not progress, dynamic_ncols=True)  # fmt: skip
            while accepted < n and done < max_eval:
                if executor is None:
                    results[nxt] = evaluate(blob, digest, root, t, nxt)
                    nxt += 1
                else:
                    while len(inflight) < slots and nxt < max_eval:
                        inflight[executor.submit(evaluate, blob, digest, root, t, nxt)] = nxt
                        nxt += 1
                    finished, _ = wait(list(inflight), return_when=FIRST_COMPLETED)
                    for fut in finished:
                        results[inflight.pop(fut)] = fut.result()
                while (
                    done in results and accepted < n
                ):  # accept in index order, whatever order results came in
                    particle, seconds, model = results.pop(done)
                    stats.eval_seconds += seconds
                    stats.model_seconds += model
                    sample.append(particle)
                    accepted += int(particle.accepted)
                    done += 1
                    bar.update(int(particle.accepted))
                    bar.set_postfix(simulations=done, refresh=False)
            bar.close()
            for fut in inflight:
                fut.cancel()
            stats.wasted += len(inflight) + len(results)
            stats.simulations += done
            self.nr_evaluations_ = done
            if sample.n_accepted < n:  # stopped at the budget: pyabc does not store the generation
                sample.ok = False
                stats.abandoned += done
            return sample

    return KeyedSampler()


def _epsilon() -> Any:
    from pyabc.epsilon import QuantileEpsilon

    class FirstAcceptsAll(QuantileEpsilon):  # type: ignore[misc]
        """The weighted median of the last population's distances; generation 0 accepts every prior draw."""

        def __init__(self) -> None:
            super().__init__(initial_epsilon="from_sample", alpha=0.5, weighted=True)

        def initialize(self, t: int, *args: Any, **kwargs: Any) -> None:
            if t == 0:
                self._look_up = {0: math.inf}
                return
            super().initialize(t, *args, **kwargs)

    return FirstAcceptsAll()


def beaumont_bandwidth(n_eff: float, dim: int) -> float:
    """The perturbation kernel's covariance is twice the last population's weighted covariance (Beaumont, Cornuet,
    Marin and Robert 2009, Biometrika 96: 983-990; Filippi et al. 2013 show it near the best component-wise normal
    kernel). pyabc's default, Silverman's rule, gives 0.39 of the covariance at 7 parameters and 80 particles: a
    kernel that narrow made the importance weights degenerate (the effective sample size of the 7-parameter recovery
    benchmark fell 80 -> 37 -> 27 -> 20 -> 4.4 -> 1.4 over six generations, one particle holding 85 % of the weight,
    so the weighted intervals collapsed onto it and missed three of seven true values). Returns the factor on the
    standard deviation (pyabc squares it)."""
    return math.sqrt(2.0)


def _transition() -> Any:
    from pyabc.transition import MultivariateNormalTransition

    return MultivariateNormalTransition(bandwidth_selector=beaumont_bandwidth)


def effective_sample_size(w: np.ndarray) -> float:
    """Kish's effective sample size of importance weights: (sum w)^2 / sum w^2."""
    w = np.asarray(w, dtype=float)
    return float(w.sum() ** 2 / max(float((w * w).sum()), 1e-300))


def _distance(objective: Objective) -> Any:
    from pyabc.distance import Distance

    class TargetDistance(Distance):  # type: ignore[misc]
        def __call__(self, x: dict, x_0: dict, t: int | None = None, par: dict | None = None) -> float:
            return objective(x)

    return TargetDistance()


def _prior(cfg: CalibrationConfig) -> Any:
    from pyabc import RV, Distribution

    rvs = {}
    for safe, col in safe_names(cfg).items():
        p = cfg.prior_of(col)
        rvs[safe] = RV("uniform", p.lo, p.width)
    return Distribution(rvs)


def db_url(out: Path) -> str:
    return f"sqlite:///{(out / DB_NAME).resolve()}"


def run_generations(
    cfg: CalibrationConfig,
    objective: Objective,
    out: Path,
    sampler: Any,
    stats: Stats,
    progress: bool = True,
    meta: dict[str, Any] | None = None,
) -> Any:
    """Run generations until a budget is met; resumes the history in ``out/abc.db``. Returns the History."""
    import logging

    from pyabc import ABCSMC, History

    logging.getLogger("ABC").setLevel(logging.WARNING)
    logging.getLogger("pyabc").setLevel(logging.WARNING)
    url = db_url(out)
    if (out / DB_NAME).exists() and History(url).n_populations == 0:
        (out / DB_NAME).unlink()  # interrupted before its first generation was stored: nothing to resume
        (out / BUDGET_NAME).unlink(missing_ok=True)
    fresh = not (out / DB_NAME).exists()
    while True:
        history = None if fresh else History(url)
        t = 0 if history is None else history.max_t + 1
        total = 0 if history is None else int(history.total_nr_simulations) + abandoned_simulations(out)
        if history is not None:
            eps = float(history.get_all_populations().query("t >= 0")["epsilon"].iloc[-1])
            if _done(cfg, t, total, eps) or (out / BUDGET_NAME).exists():
                return history
        abc = ABCSMC(
            ParticleModel(cfg), _prior(cfg), _distance(objective), population_size=cfg.population,
            eps=_epsilon(), sampler=sampler, transitions=_transition(),
        )  # fmt: skip
        if fresh:
            abc.new(url, objective.observed(), meta_info=meta or {})
            fresh = False
        else:
            abc.load(url, 1)
        sampler.budget = math.inf if cfg.max_simulations is None else cfg.max_simulations - total
        start = time.perf_counter()
        before = stats.simulations
        abc.run(max_nr_populations=1, minimum_epsilon=cfg.min_epsilon)
        seconds = time.perf_counter() - start
        stats.generation_seconds.append(seconds)
        if abc.history.max_t < t:  # stopped at max_simulations before the generation was whole
            n_sims = stats.simulations - before
            text = json.dumps({"generation": t, "simulations": n_sims})
            (out / BUDGET_NAME).write_text(text + "\n", encoding="utf-8")
            if progress:
                print(
                    f"generation {t + 1}/{cfg.generations}: stopped at max_simulations = {cfg.max_simulations} "
                    f"after {n_sims} simulations, before {cfg.population} particles were accepted; not used (the "
                    f"posterior is generation {t}), {seconds:.0f} s",
                    file=sys.stderr,
                    flush=True,
                )
            return abc.history
        if progress:
            pops = abc.history.get_all_populations()
            row = pops[pops["t"] == t].iloc[0]
            n_sims = int(row["samples"])
            ess = effective_sample_size(abc.history.get_distribution(m=0, t=t)[1])
            print(
                f"generation {t + 1}/{cfg.generations}: epsilon {row['epsilon']:.4g}, acceptance "
                f"{cfg.population / max(n_sims, 1):.0%} ({cfg.population}/{n_sims}), effective sample size "
                f"{ess:.0f}, {n_sims / max(seconds, 1e-9):.2f} sims/s, {seconds:.0f} s",
                file=sys.stderr,
                flush=True,
            )


def abandoned_simulations(out: Path) -> int:
    """Simulations of a generation abandoned at ``max_simulations`` (``DIR/budget.json``), 0 if none."""
    path = out / BUDGET_NAME
    return int(json.loads(path.read_text(encoding="utf-8"))["simulations"]) if path.exists() else 0


def _done(cfg: CalibrationConfig, t: int, total: int, eps: float) -> bool:
    if t >= cfg.generations:
        return True
    if cfg.max_simulations is not None and total >= cfg.max_simulations:
        return True
    return t > 0 and eps <= cfg.min_epsilon


def posterior_frame(cfg: CalibrationConfig, history: Any) -> tuple[pd.DataFrame, np.ndarray]:
    """The last generation's particles (posterior columns in config order) and weights."""
    df, w = history.get_distribution(m=0, t=history.max_t)
    names = safe_names(cfg)
    samples = pd.DataFrame({col: df[safe].to_numpy(float) for safe, col in names.items()})
    return samples, np.asarray(w, dtype=float)


def predictive_stats(history: Any) -> tuple[np.ndarray, list[dict[str, float]]]:
    """Weights and summary statistics of the last generation's accepted particles (posterior predictive)."""
    w, stats = history.get_weighted_sum_stats_for_model(m=0, t=history.max_t)
    return np.asarray(w, dtype=float), [{k: float(v) for k, v in s.items()} for s in stats]
