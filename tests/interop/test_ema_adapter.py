"""The EMA Workbench adapter (the optional ``ema`` extra): declarations from the registries, the rule for a
parameter lever whose policy is off, numpy seeds, and the documented PRIM example end to end."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ema = pytest.importorskip("ema_workbench")

from urbanize.experiments.ema import UrbanizeRun, ema_model  # noqa: E402
from urbanize.experiments.extras import MissingExtraError  # noqa: E402
from urbanize.model.errors import ParameterError, UrbanizeError  # noqa: E402
from urbanize.model.indicators import registry  # noqa: E402
from urbanize.model.params import BehaviourParams, describe  # noqa: E402
from urbanize.policies.registry import available  # noqa: E402

REPO = Path(__file__).resolve().parents[2]


def test_uncertainties_levers_and_outcomes_come_from_the_registries() -> None:
    model = ema_model(city="yanta", policies="yanta_pilot", levers=["rented_residence_hukou", "school_construction"])
    bounded = [i for i in describe(BehaviourParams) if i.lo is not None and i.hi is not None]
    unc = {u.name: u for u in model.uncertainties}
    assert set(unc) == {i.name for i in bounded}
    for info in bounded:
        assert (unc[info.name].lower_bound, unc[info.name].upper_bound) == (info.lo, info.hi)
    levers = {lever.name: lever for lever in model.levers}
    # rented_residence_hukou is in yanta_pilot: no switch; school_construction is not: a switch
    assert "rented_residence_hukou" not in levers and isinstance(levers["school_construction"], ema.BooleanParameter)
    for policy in ("rented_residence_hukou", "school_construction"):
        for info in describe(available()[policy].Params):
            lever = levers[f"{policy}__{info.name}"]
            if info.kind is int:
                assert isinstance(lever, ema.IntegerParameter)
            if info.kind is not bool:
                assert (lever.lower_bound, lever.upper_bound) == (info.lo, info.hi)
    assert [o.name for o in model.outcomes] == list(registry())
    assert [(c.name, c.value) for c in model.constants] == [("rng", 20240101)]


def test_a_parameter_lever_acts_only_where_its_policy_is_on() -> None:
    run = UrbanizeRun("changshu", ("status_quo", "changshu_pilot"), ("rented_residence_hukou",), 200, 3, ())
    experiment = {
        "arrival_rate": 0.01,
        "rented_residence_hukou": False,
        "rented_residence_hukou__contribution_years": 5,
        "rental_market__rent_subsidy": 300.0,  # in the base package: always applies
        "rng": 1,
    }
    assert run.model_kwargs(experiment) == {"arrival_rate": 0.01, "rental_market__rent_subsidy": 300.0}
    on = dict(experiment, rented_residence_hukou=True)
    assert run.active_policies(on)[-1] == "rented_residence_hukou"
    assert run.model_kwargs(on)["rented_residence_hukou__contribution_years"] == 5


def test_off_policy_settings_do_not_change_the_run_and_numpy_seeds_work() -> None:
    model = ema_model(
        city="changshu",
        levers=["rented_residence_hukou__contribution_years"],
        uncertainties=["arrival_rate"],
        ranges={"arrival_rate": (0.005, 0.02)},
        outcomes=["registration_rate", "residents"],
        households=200,
        months=3,
        seed=np.int64(9),
    )
    assert [lever.name for lever in model.levers] == [
        "rented_residence_hukou",  # brought in by its parameter's lever
        "rented_residence_hukou__contribution_years",
    ]
    seed = np.int64(model.constants["rng"].value)
    off = [
        model.function(arrival_rate=0.01, rented_residence_hukou=False, rented_residence_hukou__contribution_years=y, rng=seed)
        for y in (0, 8)
    ]
    assert off[0] == off[1]  # the policy is off: its setting is ignored
    on = [
        model.function(arrival_rate=0.01, rented_residence_hukou=np.bool_(True), rented_residence_hukou__contribution_years=np.int64(y), rng=seed)
        for y in (0, 8)
    ]
    assert on[0] != off[0] and set(on[0]) == {"registration_rate", "residents"}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"levers": ["no_such_policy"]}, "unknown policy 'no_such_policy'"),
        ({"levers": ["rented_residence_hukou__nope"]}, "unknown rented_residence_hukou parameter 'nope'"),
        ({"uncertainties": ["nope"]}, "unknown behavioural parameter 'nope'"),
        ({"outcomes": ["nope"]}, "unknown outcome 'nope'"),
        ({"ranges": {"arrival_rate": (0.0, 5.0)}}, "leaves the valid range"),
        ({"ranges": {"arrival_rate": (0.02, 0.01)}}, "low < high"),
    ],
)
def test_bad_names_and_ranges_are_one_line_errors(kwargs: dict, message: str) -> None:
    with pytest.raises(ParameterError, match=message):
        ema_model(**{"levers": [], "uncertainties": ["arrival_rate"], **kwargs})


def test_replications_give_a_replicator_model_with_distinct_int_seeds() -> None:
    model = ema_model(levers=[], uncertainties=["arrival_rate"], replications=3, seed=np.int32(5))
    assert isinstance(model, ema.ReplicatorModel)
    seeds = [r["rng"] for r in model.replications]
    assert len(set(seeds)) == 3 and all(type(s) is int for s in seeds)


def test_missing_extra_names_the_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "ema_workbench", None)  # as if not installed
    with pytest.raises(MissingExtraError, match=r"pip install 'urbanize\[ema\]'") as info:
        ema_model()
    assert isinstance(info.value, UrbanizeError) and "\n" not in str(info.value)


@pytest.mark.slow
def test_the_documented_prim_example_runs(tmp_path: Path) -> None:
    env = dict(os.environ, URBANIZE_EXAMPLE_HOUSEHOLDS="150", MPLBACKEND="Agg")
    done = subprocess.run(
        [sys.executable, str(REPO / "docs" / "examples" / "ema_prim.py")],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
        env=env,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "20 experiments" in done.stdout and "coverage" in done.stdout
