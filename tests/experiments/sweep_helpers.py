"""Helpers for the batch-layer tests: a TOML writer for small specs and run functions that fail on purpose.

Run functions here are module-level so worker processes (spawned, not forked) can unpickle them by name.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from urbanize.experiments.runner import RunConfig, run_one


def _value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return json.dumps(v)
    if isinstance(v, list):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{k} = {_value(x)}" for k, x in v.items()) + " }"
    return repr(v)


def dump_toml(data: dict[str, Any]) -> str:
    """A minimal TOML writer for sweep specs (top-level keys and one [parameters] table)."""
    lines = [f"{k} = {_value(v)}" for k, v in data.items() if k != "parameters"]
    if "parameters" in data:
        lines.append("\n[parameters]")
        lines += [f"{json.dumps(k)} = {_value(v)}" for k, v in data["parameters"].items()]
    return "\n".join(lines) + "\n"


def write_spec(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(dump_toml(data))
    return path


def fake_run(cfg: RunConfig) -> pd.DataFrame:
    """A stand-in model: noise from the run's seed stream plus a parameter effect (fast, deterministic)."""
    rng = np.random.default_rng(cfg.seed())
    params = dict(cfg.params)
    shift = sum(float(v) for v in params.values() if isinstance(v, int | float))
    months = np.arange(cfg.months + 1)
    return pd.DataFrame(
        {
            "month": months,
            "registration_rate": 0.3 + 0.01 * months + shift + rng.normal(0, 0.01, months.size),
            "hukou_conversions": np.cumsum(rng.poisson(3, months.size)).astype(float),
        }
    )


def failing_run(cfg: RunConfig) -> pd.DataFrame:
    """The real model, except that replicate 0 of design point 1 raises."""
    if cfg.point == 1 and cfg.replicate == 0:
        raise RuntimeError("deliberate failure for the test")
    return run_one(cfg)


GATE_ENV = "URBANIZE_TEST_GATE"


def gated_run(cfg: RunConfig) -> pd.DataFrame:
    """The real model, but runs of design points >= 2 wait until the gate file exists (used to kill a sweep
    at a known point: the first two points finish, the rest hang until the process group is killed)."""
    import os
    import time

    gate = os.environ.get(GATE_ENV)
    if gate and cfg.point >= 2:
        while not os.path.exists(gate):
            time.sleep(0.05)
    return run_one(cfg)


def gated_sweep(spec_path: str, out: str, workers: int = 2) -> None:
    """Entry point of the subprocess the kill test starts."""
    from urbanize.experiments.spec import load_spec
    from urbanize.experiments.sweep import run_sweep

    run_sweep(load_spec(spec_path), out, workers=workers, run_fn=gated_run, progress=False)
