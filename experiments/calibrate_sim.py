"""Simulation and distance of ``urbanize calibrate``: one particle's parameters -> summary statistics -> distance.

A particle is a ``{column: value}`` mapping over the fitted columns (``NAME`` or ``NAME@CITY``,
experiments/posterior.py). :func:`simulate` runs each city of the fit ``replicates`` times for the months the
targets need (month 0 = January 2009 to the latest month any target reads) and measures every target on every
run with the code ``urbanize validate`` uses (``model.targets.measure``). Its statistics are:

- ``TARGET@CITY``: the replicates' mean for each city the target is compared with (all the fit's cities for a
  national target), kept for the posterior-predictive plot;
- ``TARGET``: the figure the distance compares: the city's own value for a city target, and for a national target
  the cities' values pooled as ``urbanize validate`` pools them (weighted by the target's ``pool_weight``
  indicator at the target's last month).

Distance (:class:`Objective`): the sum over targets of ((model - value) / tolerance)^2, where the tolerance is the
half-width of the target's band in ``targets.toml`` (``relative`` tolerances scaled by the value). A target given
only as a bound (``lower``/``upper``) adds nothing while the model meets it and ((model - bound) / s)^2 beyond it,
with s = 5 % of the published value (assumed: such targets give no precision to scale by). A statistic the runs
cannot compute (NaN) makes the distance infinite, so the particle is rejected.

Seeds (exactness, docs/calibration.md): every simulation's generator is ``SeedSequence(root, spawn_key=(tag, ...))``
with ``tag`` :data:`FIT_TAG` for the fit (keyed by generation, evaluation index, city and replicate) and
:data:`SYNTHETIC_TAG` for the synthetic targets of ``--synthetic``, so the fit never reuses a synthetic seed.
The sweep's replicate keys (experiments/seeds.py) are single small integers and never collide with these.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from urbanize.experiments.calibrate_config import CalibrationConfig
from urbanize.experiments.posterior import as_params
from urbanize.model.targets import Target, measure

FIT_TAG = 0xCA1  # spawn-key tag of the fit's simulations
SYNTHETIC_TAG = 0x5E7  # spawn-key tag of the simulations that make synthetic targets
# share of a one-sided target's value scaling its excess (assumed; see the module docstring)
BOUND_SCALE = 0.05
# this process's time inside model runs (building, running, reading), for the overhead figures
_MODEL_SECONDS = [0.0]


def model_seconds() -> float:
    """Seconds this process has spent inside :func:`run_city` (the plain model runs), for overhead figures."""
    return _MODEL_SECONDS[0]


def city_values(cfg: CalibrationConfig, particle: Mapping[str, float], city: str) -> dict[str, float | int]:
    """The parameter values one city runs with: shared columns plus that city's ``NAME@CITY`` columns."""
    out: dict[str, float | int] = {}
    for prior in cfg.priors:
        col = f"{prior.name}@{city}" if prior.per_city else prior.name
        value = float(particle[col])
        out[prior.name] = int(round(value)) if prior.integer else value
    return out


def run_city(
    cfg: CalibrationConfig, values: Mapping[str, float | int], city: str, seed: np.random.SeedSequence
) -> pd.DataFrame:
    """One run of ``city`` at ``values`` for the months the targets need; its monthly indicators."""
    from urbanize.experiments.spec import registry_spec
    from urbanize.model import UrbanizationModel

    start = time.perf_counter()
    model_params, policy_params = as_params(values, where=f"calibration ({city}): ")
    model = UrbanizationModel(
        city=city,
        policies=registry_spec(cfg.policies),
        households=cfg.households,
        rng=seed,
        policy_params=policy_params,
        agents="lazy",
        **model_params,
    )
    model.run(months=cfg.months)
    frame = model.indicators()
    _MODEL_SECONDS[0] += time.perf_counter() - start
    return frame


def _pool_weight(t: Target, run: pd.DataFrame) -> float:
    col = t.pool_weight if t.pool_weight in run.columns else "residents"
    month = min(t.last_month(), int(run["month"].max()))
    return float(run.loc[run["month"] == month, col].mean())


def simulate(cfg: CalibrationConfig, particle: Mapping[str, float], key: Sequence[int]) -> dict[str, float]:
    """Summary statistics of one particle (see the module docstring); ``key`` is the spawn key of its seeds."""
    per_city: dict[str, dict[str, float]] = {}
    weights: dict[str, dict[str, float]] = {}
    for ci, city in enumerate(cfg.cities):
        values = city_values(cfg, particle, city)
        targets = [t for t in cfg.targets if city in cfg.cities_of(t)]
        if not targets:
            continue
        measured: dict[str, list[float]] = {t.name: [] for t in targets}
        pool: dict[str, list[float]] = {t.name: [] for t in targets}
        for rep in range(cfg.replicates):
            seed = np.random.SeedSequence(cfg.seed, spawn_key=(*key, ci, rep))
            run = run_city(cfg, values, city, seed)
            for t in targets:
                measured[t.name].append(measure(t, run))
                pool[t.name].append(_pool_weight(t, run))
        per_city[city] = {n: float(np.mean(v)) for n, v in measured.items()}
        weights[city] = {n: float(np.mean(v)) for n, v in pool.items()}
    stats: dict[str, float] = {}
    for t in cfg.targets:
        where = cfg.cities_of(t)
        vals = np.array([per_city[c][t.name] for c in where])
        for c, v in zip(where, vals, strict=True):
            stats[f"{t.name}@{c}"] = float(v)
        if t.national and len(where) > 1:
            w = np.array([weights[c][t.name] for c in where])
            ok = np.all(np.isfinite(vals)) and np.all(np.isfinite(w)) and w.sum() > 0
            stats[t.name] = float(np.average(vals, weights=w)) if ok else float("nan")
        else:
            stats[t.name] = float(vals[0])
    return stats


@dataclass(frozen=True)
class Term:
    """One target's term of the distance."""

    name: str
    value: float
    lo: float
    hi: float
    scale: float  # the tolerance (band half-width), or the scale of a one-sided bound's excess
    two_sided: bool

    def contribution(self, x: float) -> float:
        if not math.isfinite(x):
            return math.inf
        if self.two_sided:
            return ((x - self.value) / self.scale) ** 2
        if self.lo <= x <= self.hi:
            return 0.0
        bound = self.lo if x < self.lo else self.hi
        return ((x - bound) / self.scale) ** 2


@dataclass(frozen=True)
class Objective:
    """The distance of a particle's statistics from the targets: sum of (model - value)/tolerance squared."""

    terms: tuple[Term, ...]

    def __call__(self, stats: Mapping[str, float], _observed: Mapping[str, float] | None = None) -> float:
        return float(sum(term.contribution(float(stats[term.name])) for term in self.terms))

    def observed(self) -> dict[str, float]:
        """The targets' values as pyabc's observed statistics (the distance does not read them)."""
        return {term.name: term.value for term in self.terms}


def objective(targets: Sequence[Target], synthetic: Mapping[str, float] | None = None) -> Objective:
    """The distance to ``targets``; with ``synthetic``, to those values instead of the published ones (same
    tolerances; a one-sided target becomes two-sided around the synthetic value, scaled by 5 % of its bound)."""
    terms = []
    for t in targets:
        lo, hi = t.band()
        two_sided = math.isfinite(hi - lo)
        if synthetic is not None:
            value = float(synthetic[t.name])
            scale = (hi - lo) / 2 if two_sided else max(abs(t.value) * BOUND_SCALE, 1e-12)
            terms.append(Term(t.name, value, value - scale, value + scale, scale, True))
        elif two_sided:
            terms.append(Term(t.name, t.value, lo, hi, max((hi - lo) / 2, 1e-12), True))
        else:
            terms.append(Term(t.name, t.value, lo, hi, max(abs(t.value) * BOUND_SCALE, 1e-12), False))
    return Objective(tuple(terms))


def synthetic_targets(cfg: CalibrationConfig, truth: Mapping[str, float]) -> dict[str, float]:
    """The statistics of the model at the true values, from seeds the fit never uses (:data:`SYNTHETIC_TAG`)."""
    return simulate(cfg, truth, (SYNTHETIC_TAG,))
