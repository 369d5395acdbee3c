"""The app's logic without a browser (fast; not marked ``browser``): the twin run, input checks, figures, the
analyst page's loader."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from urbanize.viz import maps, plots
from urbanize.viz.app import initial_config
from urbanize.viz.config import VizConfig, parse_overrides, policy_params
from urbanize.viz.twin import TwinRun

PNG = b"\x89PNG"


def pixels(data: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB"), dtype=np.int16)


def test_twin_steps_in_lock_step_with_the_same_seed():
    run = TwinRun(VizConfig(city="yanta", policies=["rented_residence_hukou"], households=400, seed=3))
    assert run.ok and run.twin is not None
    for _ in range(3):
        run.step()
    assert run.main.month == run.twin.month == run.month == 3
    main, twin = run.indicators("main"), run.indicators("twin")
    assert len(main) == len(twin) == 4
    assert main["residents"].iloc[0] == twin["residents"].iloc[0]  # same seed: the same starting city


def test_status_quo_has_no_twin_and_can_switch_it_off():
    assert TwinRun(VizConfig(package="status_quo", households=300)).twin is None
    assert TwinRun(VizConfig(city="yanta", policies=["farmer_hukou"], households=300, twin=False)).twin is None


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (VizConfig(overrides="arrival_rate=5", households=300), "outside its valid range"),
        (VizConfig(city="atlantis", households=300), "unknown city"),
        (VizConfig(package="no_such_package", households=300), "unknown policy or package"),
        (VizConfig(households=10, package="status_quo"), "outside the app's range"),
        (VizConfig(overrides="arrival_rate", households=300), "name=value"),
        (VizConfig(overrides="no_such_param=1", households=300), "unknown parameter"),
    ],
)
def test_bad_input_becomes_a_message_not_an_exception(config, message):
    run = TwinRun(config)
    assert not run.ok and message in run.error
    assert run.running is False
    run.step()  # a no-op, never a crash
    assert maps.map_png(run).startswith(PNG) and plots.charts_png(run).startswith(PNG)


def test_overrides_and_address_presets():
    assert parse_overrides("arrival_rate=0.01, rented_residence_hukou.contribution_years=2") == {
        "arrival_rate": "0.01", "rented_residence_hukou.contribution_years": "2"}
    config = VizConfig(overrides="rented_residence_hukou.contribution_years=2")
    assert policy_params(config) == {"rented_residence_hukou": {"contribution_years": "2"}}
    c = initial_config("city=Yanta&households=5000&seed=4&twin=0&policies=farmer_hukou&arrival_rate=0.01")
    assert (c.city, c.households, c.seed, c.twin, c.policies) == ("yanta", "5000", 4, False, ["farmer_hukou"])
    assert c.overrides == "arrival_rate=0.01"


@pytest.mark.parametrize("colour_by", ["type", "registration", "school", "housing"])
@pytest.mark.parametrize("layer", ["households", "districts"])
def test_map_draws_every_colour_mode_and_layer(colour_by, layer):
    run = TwinRun(VizConfig(city="jinnan", households=300, package="status_quo"))
    run.step()
    assert maps.map_png(run, colour_by, layer).startswith(PNG)


def test_incremental_charts_match_a_full_redraw():
    run = TwinRun(VizConfig(city="zhengzhou", households=400, policies=["linked_registration"], seed=5))
    for _ in range(9):
        run.step()
        frame = plots.charts_png(run)  # mostly partial redraws
    incremental = run._viz_renderers["charts"]
    fresh = plots.ChartsRenderer(run)
    fresh.ylims = dict(incremental.ylims)
    for idx, (ax, *_rest) in enumerate(fresh.items):
        if idx in fresh.ylims:
            ax.set_ylim(*fresh.ylims[idx])
    full = fresh.png(run)  # one full draw with the same axes ranges
    a, b = pixels(frame), pixels(full)
    assert a.shape == b.shape
    differing = (np.abs(a - b).max(axis=2) > 60).mean()
    assert differing < 0.002, f"{differing:.2%} of pixels differ between the incremental and a full drawing"


def test_analyst_loader_messages(tmp_path):
    from urbanize.viz.analyst import SweepError, load_sweep

    with pytest.raises(SweepError, match="does not exist"):
        load_sweep(tmp_path / "missing", root=tmp_path)
    with pytest.raises(SweepError, match="holds no sweep"):
        load_sweep(tmp_path, root=tmp_path)
    (tmp_path / "file.txt").write_text("x")
    with pytest.raises(SweepError, match="is a file"):
        load_sweep("file.txt", root=tmp_path)  # relative to the root
    with pytest.raises(SweepError, match="type the path"):
        load_sweep("  ", root=tmp_path)


@pytest.mark.parametrize("outside", ["..", "../elsewhere", "/etc", "sub/../../x", "link"])
def test_analyst_refuses_folders_outside_its_root(tmp_path, outside):
    from urbanize.viz.analyst import SweepError, load_sweep

    root = tmp_path / "root"
    (root / "sub").mkdir(parents=True)
    (root / "link").symlink_to(tmp_path)  # a link out of the root is outside too
    with pytest.raises(SweepError, match="outside the folder this app may read"):
        load_sweep(outside, root=root)


def test_analyst_numbers_are_the_report_numbers(small_sweep):
    from urbanize.experiments.analysis import paired_differences, summarize
    from urbanize.viz.analyst import differences, load_sweep, summary_at, trajectory_figure

    sweep = load_sweep(small_sweep, root=small_sweep.parent)
    last = sweep.months[-1]
    ours = summary_at(sweep, "registration_rate", last)
    theirs = summarize(sweep.runs, sweep.design, ["registration_rate"], [last])
    assert np.allclose(ours["mean"], theirs["mean"]) and np.allclose(ours["ci_low"], theirs["ci_low"])
    d = differences(sweep, "registration_rate", 0, [last])
    ref = paired_differences(sweep.runs, 0, [p for p in sweep.design["point"] if p != 0], ["registration_rate"],
                             [last])
    assert np.allclose(d["difference"], ref["difference"])
    assert plots.png(trajectory_figure(sweep, "registration_rate", 0, last)).startswith(PNG)


def test_policy_controls_set_policy_parameters_and_typed_overrides_win():
    config = VizConfig(city="yanta", policies=["rented_residence_hukou"], households=300, seed=1)
    config.policy_values = {
        "rented_residence_hukou": {"contribution_years": 2, "outreach": 0.2},
        "farmer_hukou": {"min_years": 1},  # a policy switched off: its controls' values are not passed on
    }
    assert policy_params(config) == {"rented_residence_hukou": {"contribution_years": 2, "outreach": 0.2}}
    run = TwinRun(config)
    assert run.ok, run.error
    (policy,) = [p for p in run.main.policy_set if p.name == "rented_residence_hukou"]
    assert (policy.params.contribution_years, policy.params.outreach) == (2, 0.2)
    assert run.changed_parameters() == [
        "rented_residence_hukou.contribution_years=2", "rented_residence_hukou.outreach=0.2"
    ]
    config.overrides = "rented_residence_hukou.contribution_years=5"
    (policy,) = [p for p in TwinRun(config).main.policy_set if p.name == "rented_residence_hukou"]
    assert policy.params.contribution_years == 5
    # out of range from a control: a message on the page, not a crash
    config.overrides = ""
    config.policy_values["rented_residence_hukou"]["contribution_years"] = 99
    bad = TwinRun(config)
    assert not bad.ok and "contribution_years" in bad.error
