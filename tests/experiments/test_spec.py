"""Sweep files are validated before anything runs: one line per problem, exit code 2 from the command line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import small_grid
from hypothesis import given, settings
from hypothesis import strategies as st

from urbanize.experiments.list_cli import is_calibration_file
from urbanize.experiments.seeds import run_seed
from urbanize.experiments.spec import SpecError, load_spec, parse_spec

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted(
    p for p in (ROOT / "experiments" / "specs").glob("*.toml") if not is_calibration_file(p)
)  # calibration files (urbanize calibrate) live there too


def with_changes(**changes):
    data = small_grid()
    params = changes.pop("parameters", None)
    data.update(changes)
    if params is not None:
        data["parameters"] = params
    return data


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            with_changes(parameters={"arival_rate": 0.01}),
            "unknown parameter 'arival_rate' (did you mean 'arrival_rate'?)",
        ),
        (
            with_changes(parameters={"arrival_rate": {"min": 0.0, "max": 0.5, "step": 0.1}}),
            "parameter 'arrival_rate': range [0, 0.5] is outside its valid range [0, 0.1]",
        ),
        (
            with_changes(parameters={"arrival_rate": [0.01, 0.2]}),
            "parameter 'arrival_rate' = 0.2 is outside its valid range [0, 0.1]",
        ),
        (with_changes(samples=10), "sampler 'grid' takes no 'samples'"),
        (
            with_changes(
                sampler="sobol", samples=100, parameters={"arrival_rate": {"min": 0.0, "max": 0.02}}
            ),
            "sampler 'sobol' needs 'samples' to be a power of two >= 2, got 100; try 64 or 128",
        ),
        (
            with_changes(sampler="lhs", parameters={"arrival_rate": {"min": 0.0, "max": 0.02}}),
            "sampler 'lhs' needs 'samples' (design points)",
        ),
        (
            with_changes(sampler="morris", samples=4, parameters={"register_const": -4.0}),
            "sampler 'morris' needs at least one parameter range",
        ),
        (
            with_changes(sampler="sobol", samples=8, parameters={"arrival_rate": [0.01, 0.02]}),
            "parameter 'arrival_rate': sampler 'sobol' analyses ranges, not lists",
        ),
        (
            with_changes(parameters={"arrival_rate": {"min": 0.0, "max": 0.02}}),
            "parameter 'arrival_rate': sampler 'grid' needs levels for a range",
        ),
        (with_changes(sampler="latin"), "unknown sampler 'latin'"),
        (with_changes(city="shanghai"), "unknown city 'shanghai'"),
        (
            with_changes(policies=["status_quo", "no_such_package"]),
            "unknown policy or package 'no_such_package'",
        ),
        (with_changes(parameters={"status_quo.no_such": 1}), "unknown parameter 'status_quo.no_such'"),
        (
            with_changes(parameters={"nosuchpolicy.x": 1}),
            "unknown policy 'nosuchpolicy' in parameter 'nosuchpolicy.x'",
        ),
        (
            with_changes(outcomes=["registration_rat"]),
            "unknown outcome 'registration_rat' (did you mean 'registration_rate'?)",
        ),
        (with_changes(replicates=0), "'replicates' must be a whole number from 1 to 1,000,000, got 0"),
        (with_changes(seed=-1), "'seed' must be a non-negative integer, got -1"),
        (with_changes(colour="red"), "unknown key 'colour'"),
        (
            with_changes(parameters={"register_const": "high"}),
            "parameter 'register_const' must be a float, got 'high'",
        ),
    ],
)
def test_malformed_spec_names_the_problem(data, message):
    with pytest.raises(SpecError) as info:
        parse_spec(data)
    assert len(info.value.problems) == 1, info.value.problems
    assert message in info.value.problems[0]
    assert "\n" not in info.value.problems[0]


def test_every_problem_is_reported_once_per_line():
    data = with_changes(samples=3, city="atlantis", parameters={"arival_rate": 0.01, "arrival_rate": [0.5]})
    with pytest.raises(SpecError) as info:
        parse_spec(data, source="bad.toml")
    lines = info.value.lines()
    assert len(lines) == 4
    assert all(line.startswith("bad.toml: ") for line in lines)


def test_cli_prints_one_error_line_per_problem_and_exits_2(tmp_path, spec_file):
    bad = spec_file(with_changes(samples=3, parameters={"arival_rate": 0.01}))
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "urbanize.experiments.cli", "sweep", str(bad), "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 2 and all(line.startswith(f"error: {bad}: ") for line in lines), lines
    assert "Traceback" not in proc.stderr
    assert not out.exists(), "nothing may be written for an invalid spec"


def test_cli_rejects_unreadable_toml(tmp_path):
    bad = tmp_path / "broken.toml"
    bad.write_text("city = \n")
    from urbanize.experiments.cli import main

    assert main(["sweep", str(bad), "--out", str(tmp_path / "o")]) == 2


def test_check_validates_and_prints_the_design_size(spec_file, tmp_path, capsys):
    from urbanize.experiments.cli import main

    assert main(["sweep", str(spec_file(small_grid())), "--out", str(tmp_path / "o"), "--check"]) == 0
    assert "valid; 4 design points x 3 replicates = 12 runs" in capsys.readouterr().out
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_shipped_specs_are_valid(path):
    spec = load_spec(path)
    assert spec.n_runs > 0


def test_shipped_specs_cover_the_issue():
    names = {p.stem for p in SHIPPED}
    assert {"changshu_pilot", "yanta_pilot", "jinnan_pilot", "zhengzhou_pilot"} <= names
    hukou = load_spec(ROOT / "experiments/specs/hukou_threshold.toml")
    points = hukou.design().points
    assert sorted(points["rented_residence_hukou.contribution_years"].unique()) == list(range(9))
    assert points["policies"].nunique() == 2 and len(points) == 18
    sobol = load_spec(ROOT / "experiments/specs/sobol_behaviour.toml")
    assert sobol.sampler == "sobol"
    assert {"registration_rate", "hukou_conversions", "fiscal_spend_total"} <= set(sobol.outcomes)


def test_design_sizes_follow_the_sampler():
    ranges = {
        "arrival_rate": {"min": 0.0, "max": 0.02},
        "register_const": {"min": -6.0, "max": -3.0},
        "settle_const": {"min": -2.0, "max": 0.5},
    }
    two_packages = ["status_quo", "status_quo"]
    sobol = parse_spec(with_changes(sampler="sobol", samples=8, parameters=ranges, policies=two_packages))
    assert len(sobol.design().points) == 2 * 8 * (3 + 2)
    morris = parse_spec(with_changes(sampler="morris", samples=4, parameters=ranges))
    assert len(morris.design().points) == 4 * (3 + 1)
    lhs = parse_spec(with_changes(sampler="lhs", samples=10, parameters=dict(ranges, job_loss=[0.01, 0.02])))
    assert len(lhs.design().points) == 10 * 2
    grid = parse_spec(
        with_changes(
            parameters={
                "arrival_rate": {"min": 0.0, "max": 0.02, "levels": 3},
                "register_const": [-5.0, -4.0],
            }
        )
    )
    assert len(grid.design().points) == 6
    # both packages of a sampling design see the same sample (paired)
    pts = sobol.design().points
    half = len(pts) // 2
    assert pts["arrival_rate"].iloc[:half].tolist() == pts["arrival_rate"].iloc[half:].tolist()
    assert pts["sample"].iloc[:half].tolist() == list(range(half))


def test_seed_streams_are_spawned_by_replicate():
    root = 987
    children = np.random.SeedSequence(root).spawn(4)
    for rep in range(4):
        expected = children[rep].generate_state(4)
        # common random numbers: every design point of replicate r shares the stream
        for point in (0, 5, 99):
            assert (run_seed(root, point, rep).generate_state(4) == expected).all()
    independent = {
        tuple(run_seed(root, p, 0, common_random_numbers=False).generate_state(2)) for p in range(5)
    }
    assert len(independent) == 5


@settings(max_examples=40, deadline=None)
@given(
    levels=st.lists(st.integers(1, 4), min_size=0, max_size=3),
    packages=st.integers(1, 3),
    replicates=st.integers(1, 4),
)
def test_grid_design_covers_every_combination_once(levels, packages, replicates):
    from urbanize.experiments.sweep import run_configs

    names = ["arrival_rate", "job_loss", "fertility"]
    params = {n: [0.001 * (i + 1) for i in range(k)] for n, k in zip(names, levels, strict=False)}
    spec = parse_spec(
        with_changes(parameters=params, policies=["status_quo"] * packages, replicates=replicates)
    )
    configs = run_configs(spec)
    assert len(configs) == packages * int(np.prod(levels or [1])) * replicates
    assert len({c.run_id for c in configs}) == len(configs)
    combos = {
        (c.policies, c.params, c.replicate)
        for c in configs
        if c.point < len(configs) // packages // replicates
    }
    assert len(combos) == int(np.prod(levels or [1])) * replicates
    assert all(c.seed_spawn_key == (c.replicate,) for c in configs)
