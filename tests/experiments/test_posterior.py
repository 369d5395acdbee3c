"""The posterior file contract shared by ``urbanize calibrate`` (writer) and ``--posterior`` (readers)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from urbanize.experiments.posterior import as_params, load_posterior, write_posterior
from urbanize.model.errors import ParameterError


def _write(tmp_path, weights=(1.0, 1.0, 2.0)):
    samples = pd.DataFrame(
        {
            "settle_const": [-1.0, -2.0, -3.0],
            "leave_const@changshu": [-4.0, -4.5, -5.0],
            "leave_const@yanta": [-3.0, -3.5, -3.9],
            "rented_residence_hukou.contribution_years": [1, 2, 3],
        }
    )
    return write_posterior(tmp_path / "posterior.parquet", samples, list(weights), ["changshu", "yanta"], {"seed": 4})


def test_round_trip_resolves_city_columns(tmp_path):
    post = load_posterior(_write(tmp_path))
    assert post.cities == ("changshu", "yanta")
    assert post.meta == {"seed": 4}
    assert np.isclose(post.weights.sum(), 1.0) and np.allclose(post.weights, [0.25, 0.25, 0.5])
    vals = post.values("yanta")
    assert sorted(vals.columns) == ["leave_const", "rented_residence_hukou.contribution_years", "settle_const"]
    assert vals["leave_const"].tolist() == [-3.0, -3.5, -3.9]
    assert "leave_const" not in post.values(None).columns


def test_median_interval_and_draws_follow_weights(tmp_path):
    post = load_posterior(_write(tmp_path, weights=(0.0, 0.0, 1.0)))
    assert post.median()["settle_const"] == -3.0
    assert post.interval("settle_const") == (-3.0, -3.0)
    draws = post.draws(20, seed=1, city="changshu")
    assert all(d["settle_const"] == -3.0 and d["leave_const"] == -5.0 for d in draws)
    assert post.draws(5, seed=7) == post.draws(5, seed=7)


def test_draw_checks_like_set_items(tmp_path):
    post = load_posterior(_write(tmp_path))
    model, policy = as_params(post.draws(1, seed=0, city="changshu")[0])
    assert set(model) == {"settle_const", "leave_const"}
    assert set(policy["rented_residence_hukou"]) == {"contribution_years"}
    with pytest.raises(ParameterError, match="unknown parameter 'nonsense'"):
        as_params({"nonsense": 1.0})


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda p: p, "does not exist"),
        (lambda p: (p.write_text("not parquet"), p)[1], "not a readable Parquet"),
        (lambda p: (pd.DataFrame({"a": [1]}).to_parquet(p), p)[1], "not a calibration posterior"),
    ],
)
def test_bad_files_are_one_line_errors(tmp_path, make, message):
    path = make(tmp_path / "x.parquet")
    with pytest.raises(ParameterError, match=message) as err:
        load_posterior(path)
    assert "\n" not in str(err.value)
