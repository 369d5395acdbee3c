"""Shared fixtures of the batch-layer tests: small sweeps (300 households, a few months) on the real model."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sweep_helpers import write_spec

from urbanize.experiments.spec import load_spec
from urbanize.experiments.sweep import run_sweep


def small_grid() -> dict[str, Any]:
    """12 runs: 4 design points x 3 replicates, 300 households, 6 months."""
    return {
        "name": "small_grid",
        "city": "changshu",
        "policies": ["status_quo"],
        "households": 300,
        "months": 6,
        "replicates": 3,
        "seed": 12345,
        "sampler": "grid",
        "outcomes": ["registration_rate", "hukou_conversions"],
        "parameters": {"arrival_rate": [0.005, 0.01, 0.015, 0.02], "register_const": -4.0},
    }


@pytest.fixture
def spec_file(tmp_path: Path):
    """Write a spec dict to a TOML file and return its path."""

    def make(data: dict[str, Any], name: str = "spec.toml") -> Path:
        return write_spec(tmp_path / name, data)

    return make


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small grid run uninterrupted on a 2-worker process pool."""
    out = tmp_path_factory.mktemp("reference")
    path = write_spec(out / "spec.toml", small_grid())
    result = run_sweep(load_spec(path), out / "sweep", workers=2, progress=False)
    assert result.done == 12 and result.failed == 0, result.errors
    return out / "sweep"
