"""``urbanize calibrate`` on tiny fits (100 households, 3 model months): exact reproduction on one core and on
our process pool, resume after an interruption, and the files a fit writes (experiments/calibrate*.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from calib_helpers import write_calibration

from urbanize.experiments import calibrate_abc
from urbanize.experiments.calibrate import calibrate, prepare
from urbanize.experiments.calibrate_config import load_config
from urbanize.experiments.cli import main
from urbanize.experiments.posterior import load_posterior
from urbanize.policies.params_io import load_params_toml

pytest.importorskip("pyabc")

PER_CITY = {
    "settle_const": {"lo": -3.0, "hi": 0.0, "per_city": True},
    "hukou_want_const": {"lo": -3.0, "hi": 0.0},
}


def _posterior(out: Path) -> pd.DataFrame:
    return pd.read_parquet(out / "posterior.parquet")


@pytest.mark.slow
def test_single_core_and_process_pool_reproduce_a_two_city_fit_exactly(tmp_path: Path) -> None:
    config = write_calibration(tmp_path, cities=["changshu", "yanta"], parameters=PER_CITY, population=4)
    cfg = load_config(config)
    a = calibrate(prepare(cfg, tmp_path / "single", executor="single", progress=False))
    b = calibrate(prepare(cfg, tmp_path / "pool", executor="process", workers=2, progress=False))
    pa, pb = _posterior(a.out), _posterior(b.out)
    assert list(pa.columns) == ["settle_const@changshu", "settle_const@yanta", "hukou_want_const", "weight"]
    pd.testing.assert_frame_equal(pa, pb, check_exact=True)
    assert a.simulations == b.simulations >= 2 * cfg.population
    # another root seed gives another posterior (the seed reaches the simulations)
    other = write_calibration(
        tmp_path / "s8", cities=["changshu", "yanta"], parameters=PER_CITY, population=4, seed=8
    )
    c = calibrate(prepare(load_config(other), tmp_path / "seed8", executor="single", progress=False))
    assert not _posterior(c.out).equals(pa)


def test_per_city_fit_writes_one_parameter_file_per_city(tmp_path: Path) -> None:
    config = write_calibration(tmp_path, cities=["changshu", "yanta"], parameters=PER_CITY, generations=1)
    result = calibrate(prepare(load_config(config), tmp_path / "out", executor="single", progress=False))
    post = load_posterior(result.out)
    assert post.cities == ("changshu", "yanta")
    assert not (result.out / "calibrated.toml").exists()
    for city in ("changshu", "yanta"):
        model_params, policy_params = load_params_toml(result.out / f"calibrated_{city}.toml")
        assert model_params == pytest.approx(post.median(city)) and policy_params == {}
    assert post.median("changshu")["settle_const"] != post.median("yanta")["settle_const"]


def test_outputs_of_a_fit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = write_calibration(tmp_path, generations=2)
    out = tmp_path / "out"
    assert main(["calibrate", str(config), "--out", str(out), "--executor", "single"]) == 0
    captured = capsys.readouterr()
    assert "generation 1/2: epsilon inf" in captured.err and "generation 2/2: epsilon " in captured.err
    assert "sims/s" in captured.err and "effective sample size" in captured.err
    assert "generation 1: " in captured.err and "accepted" in captured.err  # the bar within a generation
    assert {p.name for p in out.iterdir()} >= {
        "manifest.json", "abc.db", "posterior.parquet", "calibrated.toml", "summary.csv", "marginals.png",
        "pairs.png", "predictive.png",
    }  # fmt: skip
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["kind"] == "calibration" and manifest["name"] == "test" and manifest["seed"] == 7
    post = load_posterior(out)
    model_params, _ = load_params_toml(out / "calibrated.toml")
    assert model_params == pytest.approx(post.median())
    summary = pd.read_csv(out / "summary.csv")
    assert list(summary["parameter"]) == ["settle_const", "hukou_want_const"]
    for r in summary.itertuples():
        lo, hi = post.interval(r.parameter, 0.9)
        assert (r.ci90_low, r.ci90_high) == pytest.approx((lo, hi))
        assert r.interval_over_prior == pytest.approx((hi - lo) / 3.0)
        assert -3.0 <= r.ci90_low <= r.median <= r.ci90_high <= 0.0
    # the weights are those of the last generation: the population size, normalised
    assert len(post.weights) == 4 and post.weights.sum() == pytest.approx(1.0)
    assert post.meta["generations"] == 2 and post.meta["seed"] == 7


@pytest.mark.slow
def test_an_interrupted_fit_resumes_to_the_posterior_of_an_uninterrupted_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cfg = load_config(write_calibration(tmp_path, generations=3))
    whole = calibrate(prepare(cfg, tmp_path / "whole", executor="single", progress=False))

    calls = {"n": 0}
    real = calibrate_abc.simulate

    def interrupted(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        calls["n"] += 1
        if calls["n"] > whole.simulations - 3:  # Ctrl-C inside the last generation
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(calibrate_abc, "simulate", interrupted)
    out = tmp_path / "cut"
    with pytest.raises(KeyboardInterrupt):
        calibrate(prepare(cfg, out, executor="single", progress=False))
    assert not (out / "posterior.parquet").exists() and not (out / ".urbanize.lock").exists()
    monkeypatch.setattr(calibrate_abc, "simulate", real)
    plan = prepare(cfg, out, executor="single", progress=False)
    assert plan.resume
    resumed = calibrate(plan)
    pd.testing.assert_frame_equal(_posterior(resumed.out), _posterior(whole.out), check_exact=True)
    assert resumed.simulations == whole.simulations


def test_the_perturbation_kernel_is_twice_the_weighted_covariance() -> None:
    """Beaumont et al. (2009): pyabc's default (Silverman's rule, 0.39 of the covariance at 7 parameters and 80
    particles) let the 7-parameter recovery's weights degenerate (docs/calibration.md, "The algorithm")."""
    import numpy as np

    rng = np.random.default_rng(3)
    x = pd.DataFrame(rng.normal(size=(80, 7)) * [1, 2, 3, 0.5, 1, 4, 0.1], columns=[f"p{i}" for i in range(7)])
    w = rng.random(80)
    w /= w.sum()
    kernel = calibrate_abc._transition()
    kernel.fit(x, w)
    mean = (x.to_numpy() * w[:, None]).sum(axis=0)
    d = x.to_numpy() - mean
    weighted = (d * w[:, None]).T @ d / (1 - (w**2).sum())  # pyabc's unbiased weighted covariance
    assert np.allclose(kernel.cov, 2 * weighted, rtol=1e-9)


def test_effective_sample_size() -> None:
    assert calibrate_abc.effective_sample_size([1.0] * 80) == pytest.approx(80)
    assert calibrate_abc.effective_sample_size([0.85] + [0.15 / 79] * 79) == pytest.approx(1.38, abs=0.01)
