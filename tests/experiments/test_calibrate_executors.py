"""``urbanize calibrate`` on Dask and under ``max_simulations`` (experiments/calibrate_abc.py): the same fit gives
the same posterior on a Dask cluster as on our process pool (no change but the executor), and the budget stops
the sampler at ``max_simulations`` simulations, abandoning a generation it cannot finish, also on resume."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from calib_helpers import write_calibration

from urbanize.experiments import calibrate_abc
from urbanize.experiments.calibrate import calibrate, prepare
from urbanize.experiments.calibrate_config import load_config

pytest.importorskip("pyabc")


def _posterior(out: Path) -> pd.DataFrame:
    return pd.read_parquet(out / "posterior.parquet")


def test_a_fit_on_dask_gives_the_posterior_of_the_process_pool(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    cfg = load_config(write_calibration(tmp_path, population=4, generations=2))
    pool = calibrate(prepare(cfg, tmp_path / "pool", executor="process", workers=2, progress=False))
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=2, processes=False, host="127.0.0.1", protocol="tcp://",
        dashboard_address=None,
    ) as cluster:  # fmt: skip
        address = cluster.scheduler_address
        plan = prepare(cfg, tmp_path / "dask", executor="dask", scheduler=address, progress=False)
        dask = calibrate(plan)
        with distributed.Client(address) as client:  # the fit closed its client; the cluster still serves
            assert len(client.scheduler_info()["workers"]) == 1
    assert cluster.status.name == "closed"
    post = _posterior(dask.out)
    assert (
        list(post.columns) == ["settle_const", "hukou_want_const", "weight"] and len(post) == cfg.population
    )
    pd.testing.assert_frame_equal(post, _posterior(pool.out), check_exact=True)
    assert dask.simulations == pool.simulations and dask.generations == pool.generations == 2
    assert dask.model_seconds > 0  # the time inside model runs is measured on Dask workers too
    assert {p.name for p in dask.out.iterdir()} >= {"posterior.parquet", "calibrated.toml", "summary.csv"}


def test_the_sampler_stops_at_max_simulations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    unbounded = load_config(write_calibration(tmp_path / "u", population=4, generations=3))
    whole = calibrate(prepare(unbounded, tmp_path / "whole", executor="single", progress=False))
    from pyabc import History

    counts = (
        History(calibrate_abc.db_url(tmp_path / "whole")).get_all_populations().query("t >= 0")["samples"]
    )
    g0, g1, g2 = (int(c) for c in counts)
    assert g2 > 1  # the third generation needs more than one simulation, so a budget can cut it
    budget = g0 + g1 + g2 - 1  # one short of what the third generation takes
    cfg = load_config(write_calibration(tmp_path / "b", population=4, generations=3, max_simulations=budget))
    calls = {"n": 0}
    real = calibrate_abc.simulate

    def counted(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        calls["n"] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(calibrate_abc, "simulate", counted)
    out = tmp_path / "capped"
    capped = calibrate(prepare(cfg, out, executor="single", progress=False))
    assert calls["n"] == budget == capped.simulations  # not one simulation past the budget
    assert capped.abandoned == g2 - 1 and capped.generations == 2
    assert json.loads((out / "budget.json").read_text()) == {"generation": 2, "simulations": g2 - 1}
    # the posterior is the last whole generation: generation 2 of the unbounded fit (same seeds)
    second = History(calibrate_abc.db_url(tmp_path / "whole")).get_distribution(m=0, t=1)[0]
    assert sorted(_posterior(out)["settle_const"]) == pytest.approx(sorted(second["p0"]))
    assert whole.simulations == g0 + g1 + g2
    # running it again simulates nothing: the abandoned generation is not run twice
    calls["n"] = 0
    again = calibrate(prepare(cfg, out, executor="single", progress=False))
    assert calls["n"] == 0 and again.simulations == budget
    pd.testing.assert_frame_equal(_posterior(out), _posterior(capped.out), check_exact=True)
