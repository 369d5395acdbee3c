"""Parameter uncertainty in sweeps and comparisons: posterior draws x replicates, and the variance split."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sweep_helpers import write_spec

from urbanize.experiments.analysis import mean_ci
from urbanize.experiments.compare import comparison_spec, comparison_table
from urbanize.experiments.posterior import write_posterior
from urbanize.experiments.posterior_design import MAX_DRAWS, nested_summary
from urbanize.experiments.spec import SpecError, load_spec
from urbanize.experiments.stats import paired_p_value
from urbanize.experiments.sweep import run_configs, run_sweep


def _posterior(path, values: dict[str, list[float]], cities=("changshu",)):
    n = len(next(iter(values.values())))
    return write_posterior(path, pd.DataFrame(values), [1.0] * n, list(cities), {"seed": 1})


def _run(spec, out, run_fn=None):
    with ThreadPoolExecutor(1) as pool:
        return run_sweep(spec, out, pool=pool, run_fn=run_fn, progress=False, kind="compare")


# --- the variance split -----------------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.floats(-100, 100, allow_nan=False), min_size=2, max_size=40),
    st.integers(1, 6),
)
def test_variance_split_sums_to_the_total(values, n_groups):
    v = np.array(values)
    groups = np.arange(v.size) % n_groups
    s = nested_summary(v, groups)
    assert s["var_param"] + s["var_noise"] == pytest.approx(s["var_total"], rel=1e-9, abs=1e-9)
    assert s["var_total"] == pytest.approx(float(v.var(ddof=1)), rel=1e-9, abs=1e-9)
    assert s["var_param"] >= 0 and s["var_noise"] >= 0
    assert s["ci_low"] <= s["mean"] <= s["ci_high"]
    adj = s["param_share_adjusted"]
    assert np.isnan(adj) or 0 <= adj <= 1


def test_one_parameter_set_gives_the_paired_t_interval_and_test():
    d = np.array([0.3, -0.1, 0.5, 0.2, 0.4, 0.0])
    s = nested_summary(d, np.zeros(d.size, int))
    mean, _, _, lo, hi = mean_ci(d)
    assert (s["mean"], s["ci_low"], s["ci_high"]) == pytest.approx((mean, lo, hi))
    assert s["p_value"] == pytest.approx(paired_p_value(d))
    assert s["var_param"] == 0 and s["param_share"] == 0 and s["noise_share"] == 1
    assert s["param_share_adjusted"] == 0


def test_hand_computed_split():
    # two parameter sets with means 1 and 3, within-set deviations +-1: SS_within = 4, SS_between = 4 * 1 = 4
    d = np.array([0.0, 2.0, 2.0, 4.0])
    s = nested_summary(d, np.array([0, 0, 1, 1]))
    assert s["var_noise"] == pytest.approx(4 / 3) and s["var_param"] == pytest.approx(4 / 3)
    assert s["param_share"] == pytest.approx(0.5)
    # random-effects ANOVA: MS_within = 4/2, MS_between = 4/1, n0 = (4 - 8/4)/1 = 2, s_b^2 = (4 - 2)/2 = 1
    assert s["param_share_adjusted"] == pytest.approx(1 / 3)
    half = s["ci_high"] - s["mean"]
    from scipy import stats

    assert half == pytest.approx(stats.t.ppf(0.975, 3) * np.sqrt(4 / 3 + (4 / 3) / 4))


# --- the design -------------------------------------------------------------------------------------------------


def test_draws_are_nested_reproducible_and_shared_by_packages(tmp_path):
    post = _posterior(tmp_path / "p.parquet", {"settle_const": [-1.0, -2.0, -3.0], "leave_const": [-4, -4.5, -5]})
    spec = comparison_spec("changshu", ["status_quo", "changshu_pilot"], 2, 3, 20, 7, None, post, 4)
    assert spec.posterior.n == 4 and spec.runs_per_point == 8 and spec.n_runs == 16
    configs = run_configs(spec)
    by_point = {p: [c for c in configs if c.point == p] for p in (0, 1)}
    for a, b in zip(by_point[0], by_point[1], strict=True):
        assert a.params == b.params and a.seed_spawn_key == b.seed_spawn_key  # paired
    # replicate j runs draw j // 2: the two replicates of one draw share its values, seeds all differ
    params = [dict(c.params) for c in by_point[0]]
    assert params[0] == params[1] and params[2] == params[3]
    assert len({c.seed_spawn_key for c in by_point[0]}) == 8
    again = comparison_spec("changshu", ["status_quo", "changshu_pilot"], 2, 3, 20, 7, None, post, 4)
    assert again.fingerprint() == spec.fingerprint()
    other_seed = comparison_spec("changshu", ["status_quo", "changshu_pilot"], 2, 3, 20, 8, None, post, 4)
    assert other_seed.fingerprint() != spec.fingerprint()
    assert spec.to_json()["posterior"]["values"] == params[::2]  # the design records the draws


def test_one_point_posterior_equals_the_plain_run(tmp_path):
    """A posterior with one particle, 2 draws x 2 replicates, is exactly a plain run with those values and 4
    replicates (same seeds, same outputs, same comparison table; parameter share 0)."""
    values = {"settle_const": [-2.0], "leave_const": [-4.5]}
    post = _posterior(tmp_path / "p.parquet", values)
    pkgs = ["status_quo", "changshu_pilot"]
    nested = comparison_spec("changshu", pkgs, 2, 2, 20, 3, ["registration_rate"], post, 2)
    base = {"name": "plain", "city": "changshu", "policies": pkgs, "households": 20, "months": 2, "replicates": 4,
            "seed": 3, "outcomes": ["registration_rate"], "parameters": {"settle_const": -2.0, "leave_const": -4.5}}
    plain = load_spec(write_spec(tmp_path / "plain.toml", base))
    _run(nested, tmp_path / "nested")
    _run(plain, tmp_path / "plain")
    t_nested = comparison_table(tmp_path / "nested", ["registration_rate"])
    t_plain = comparison_table(tmp_path / "plain", ["registration_rate"])
    cols = ["difference", "ci_low", "ci_high", "p_value", "mean_baseline"]
    pd.testing.assert_frame_equal(t_nested[cols], t_plain[cols])
    assert (t_nested["param_share"] == 0).all() and (t_nested["parameter_sets"] == 1).all()


def _interacting_run(cfg):
    """A stand-in model whose pilot effect is 0.1 x settle_const: the effect depends on the draw."""
    rng = np.random.default_rng(cfg.seed())
    params = dict(cfg.params)
    months = np.arange(cfg.months + 1)
    effect = 0.1 * params["settle_const"] if cfg.policies != "status_quo" else 0.0
    return pd.DataFrame({"month": months, "registration_rate": 0.3 + effect + rng.normal(0, 0.01, months.size)})


def test_spread_widens_the_interval_and_has_a_parameter_share(tmp_path):
    pkgs = ["status_quo", "changshu_pilot"]
    point = _posterior(tmp_path / "one.parquet", {"settle_const": [-2.0]})
    spread = _posterior(tmp_path / "spread.parquet", {"settle_const": [-3.0, -2.5, -2.0, -1.5, -1.0]})
    results = {}
    for label, post in (("one", point), ("spread", spread)):
        spec = comparison_spec("changshu", pkgs, 3, 2, 20, 5, ["registration_rate"], post, 6)
        _run(spec, tmp_path / label, run_fn=_interacting_run)
        results[label] = comparison_table(tmp_path / label, ["registration_rate"]).iloc[0]
    one, wide = results["one"], results["spread"]
    assert one.difference == pytest.approx(-0.2, abs=0.02)
    assert wide.ci_high - wide.ci_low > 5 * (one.ci_high - one.ci_low)
    assert one.param_share == 0 and wide.param_share > 0.9
    assert one.param_share_adjusted == 0 and wide.param_share_adjusted > 0.9
    assert wide.var_param + wide.var_noise == pytest.approx(wide.var_total)


def test_a_spec_file_takes_the_posterior_relative_to_itself(tmp_path):
    _posterior(tmp_path / "post.parquet", {"settle_const": [-1.0, -2.0]})
    spec = load_spec(
        write_spec(
            tmp_path / "s.toml",
            {"name": "s", "city": "changshu", "households": 20, "months": 2, "replicates": 2, "seed": 1,
             "posterior": "post.parquet", "posterior_draws": 3},
        )
    )
    assert spec.posterior.n == 3 and spec.n_runs == 6
    manifest_spec = json.loads(json.dumps(spec.to_json(), default=str))
    assert manifest_spec["posterior"]["draws"] == 3


# --- bad input --------------------------------------------------------------------------------------------------


def _bad_cases(tmp_path):
    good = _posterior(tmp_path / "good.parquet", {"settle_const": [-1.0, -2.0]})
    pd.DataFrame({"a": [1.0]}).to_parquet(tmp_path / "plain.parquet")
    yanta = _posterior(tmp_path / "yanta.parquet", {"settle_const": [-1.0]}, cities=("yanta",))
    outside = _posterior(tmp_path / "outside.parquet", {"settle_const": [99.0]})
    policy = _posterior(tmp_path / "policy.parquet", {"rented_residence_hukou.contribution_years": [2]})
    return [
        ({"posterior": str(tmp_path / "missing.parquet")}, "does not exist"),
        ({"posterior": str(tmp_path / "plain.parquet")}, "not a calibration posterior"),
        ({"posterior": str(good), "posterior_draws": 0}, "posterior_draws"),
        ({"posterior": str(good), "posterior_draws": MAX_DRAWS + 1}, "posterior_draws"),
        ({"posterior": str(good), "posterior_draws": 10**9}, "posterior_draws"),
        ({"posterior_draws": 3}, "without 'posterior'"),
        ({"posterior": str(yanta)}, "fitted to yanta"),
        ({"posterior": str(outside)}, "outside its valid range"),
        ({"posterior": str(policy)}, "not active in package"),
        ({"posterior": str(good), "parameters": {"settle_const": -1.0}}, "both in"),
    ]


def test_bad_posterior_input_is_one_line_and_writes_nothing(tmp_path):
    for extra, message in _bad_cases(tmp_path):
        data = {"name": "s", "city": "changshu", "households": 20, "months": 2, "replicates": 2, "seed": 1} | extra
        with pytest.raises(SpecError, match=message) as info:
            load_spec(write_spec(tmp_path / "bad.toml", data))
        assert "\n" not in str(info.value)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "args, message",
    [
        (["--posterior", "missing.parquet"], "does not exist"),
        (["--posterior", "post.parquet", "--draws", "0"], "posterior_draws"),
        (["--posterior", "post.parquet", "--draws", "100000000"], "posterior_draws"),
        (["--draws", "3"], "--draws needs --posterior"),
    ],
)
def test_compare_cli_bad_posterior(tmp_path, monkeypatch, capsys, args, message):
    from urbanize.experiments.cli import main

    monkeypatch.chdir(tmp_path)
    _posterior(tmp_path / "post.parquet", {"settle_const": [-1.0, -2.0]})
    code = main(["compare", "--city", "changshu", "--policies", "status_quo,changshu_pilot", "--replicates", "2",
                 "--months", "2", "--households", "20", "--out", "out", "--no-progress", *args])
    err = capsys.readouterr().err.strip()
    assert code == 2 and err.startswith("error:") and message in err and "\n" not in err
    assert not (tmp_path / "out").exists()


def test_a_resume_is_exact_and_another_posterior_is_refused(tmp_path):
    from urbanize.experiments.cli import CliError

    path = _posterior(tmp_path / "p.parquet", {"settle_const": [-3.0, -2.0, -1.0]})
    spec = comparison_spec("changshu", ["status_quo", "changshu_pilot"], 2, 2, 20, 5, None, path, 3)
    first = _run(spec, tmp_path / "out", run_fn=_interacting_run)
    again = _run(comparison_spec("changshu", ["status_quo", "changshu_pilot"], 2, 2, 20, 5, None, path, 3),
                 tmp_path / "out", run_fn=_interacting_run)
    assert first.done == 12 and again.skipped == 12 and again.done == 0
    _posterior(path, {"settle_const": [-3.0, -2.0, -0.5]})  # the file changed under the same name
    changed = comparison_spec("changshu", ["status_quo", "changshu_pilot"], 2, 2, 20, 5, None, path, 3)
    with pytest.raises(CliError, match="use another --out folder"):
        _run(changed, tmp_path / "out", run_fn=_interacting_run)
