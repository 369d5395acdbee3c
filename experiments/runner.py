"""Run one configuration, return its indicators.

This is the one function the batch layer calls (docs/contributing.md: "experiments are data"). :class:`RunConfig` is a
small, picklable description of one run; :func:`run_one` builds the model, runs it and returns its monthly
indicators; :func:`execute` is what executors call: it never raises, it returns a :class:`RunOutcome` holding
the indicators (with run id, design point and replicate columns) or the error and its traceback, plus timings
that let the benchmark separate the model's time from the sweep machinery's.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from urbanize.experiments.spec import registry_spec


@dataclass(frozen=True)
class RunConfig:
    """Everything one run needs; ``params`` holds behavioural and dotted policy parameters."""

    run_id: str
    point: int
    replicate: int
    city: str
    policies: str  # package label, 'a+b' for several
    households: int
    months: int
    seed_entropy: int
    seed_spawn_key: tuple[int, ...]
    params: tuple[tuple[str, Any], ...] = ()

    def seed(self) -> np.random.SeedSequence:
        return np.random.SeedSequence(self.seed_entropy, spawn_key=self.seed_spawn_key)


@dataclass
class RunOutcome:
    """What a worker sends back: indicators or an error, and timings in seconds."""

    run_id: str
    point: int
    replicate: int
    frame: pd.DataFrame | None = None
    error: str | None = None
    traceback: str | None = None
    model_seconds: float = 0.0  # building, running and reading the model
    worker_seconds: float = 0.0  # everything the worker did for this run
    setup_seconds: float = 0.0  # one-off start-up work (imports) done by a worker's first run
    meta: dict[str, Any] = field(default_factory=dict)
    splits: pd.DataFrame | None = None  # the run's split table (model/splits.py), when the run made one

    @property
    def ok(self) -> bool:
        return self.error is None


#: months between split tables in sweeps (model/splits.py): yearly and the last month, so a sweep's split files
#: stay small (about 1,000 rows a collection); ``urbanize run`` collects them monthly
SWEEP_SPLIT_EVERY = 12


def run_one(cfg: RunConfig) -> pd.DataFrame:
    """Build the model for ``cfg``, run it for ``cfg.months`` and return ``model.indicators()``, with the split
    table (every :data:`SWEEP_SPLIT_EVERY` months) in its ``attrs["splits"]``."""
    from urbanize.model import UrbanizationModel
    from urbanize.policies.registry import split_dotted

    model_params, policy_params = split_dotted(dict(cfg.params))
    model = UrbanizationModel(
        city=cfg.city,
        policies=registry_spec(cfg.policies),
        households=cfg.households,
        rng=cfg.seed(),
        policy_params=policy_params,
        agents="lazy",  # no Mesa Household objects: a batch run only reads the indicators
        splits=SWEEP_SPLIT_EVERY,
        **model_params,
    )
    model.run(months=cfg.months)  # the split table holds the last month too
    frame = model.indicators()
    frame.attrs["splits"] = model.split_table()
    return frame


RunFn = Callable[[RunConfig], pd.DataFrame]


def execute(cfg: RunConfig, run_fn: RunFn | None = None) -> RunOutcome:
    """Run ``cfg`` with ``run_fn`` (default :func:`run_one`) and package the result; never raises."""
    t0 = time.perf_counter()
    out = RunOutcome(cfg.run_id, cfg.point, cfg.replicate)
    try:
        if run_fn is None:
            _import_model()  # a worker's first import is start-up overhead, not model time
        t1 = time.perf_counter()
        out.setup_seconds = t1 - t0
        frame = (run_fn or run_one)(cfg)
        out.model_seconds = time.perf_counter() - t1
        splits = frame.attrs.pop("splits", None)
        out.frame = _label(frame, cfg)
        if isinstance(splits, pd.DataFrame):
            out.splits = _label(splits, cfg, with_params=False)
    except Exception as exc:  # noqa: BLE001  (a failing run is recorded, not fatal)
        out.error = f"{type(exc).__name__}: {exc}"
        out.traceback = traceback.format_exc()
    out.worker_seconds = time.perf_counter() - t0
    return out


def _import_model() -> None:
    import urbanize.model.core  # noqa: F401
    import urbanize.policies.registry  # noqa: F401


def _label(frame: pd.DataFrame, cfg: RunConfig, with_params: bool = True) -> pd.DataFrame:
    if "month" not in frame.columns:
        raise ValueError("the model's indicators() has no 'month' column")
    frame = frame.reset_index(drop=True)
    labels = pd.DataFrame(
        {
            "run_id": cfg.run_id,
            "point": np.int64(cfg.point),
            "replicate": np.int64(cfg.replicate),
            "policies": cfg.policies,
        },
        index=frame.index,
    )
    for name, value in cfg.params if with_params else ():
        labels[name] = value
    return pd.concat([labels, frame], axis=1)
