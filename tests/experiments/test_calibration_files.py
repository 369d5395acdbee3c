"""The shipped calibration files follow the contract (docs/validation.md): known parameters, priors inside the
valid ranges, calibration-only targets that exist, a budget."""

from __future__ import annotations

import tomllib

import pytest

from urbanize.experiments.list_cli import SPECS_DIR
from urbanize.model import targets as targets_module
from urbanize.model.city import list_cities
from urbanize.model.params import BehaviourParams, describe

FILES = ["calibrate_cities.toml", "calibrate_smoke.toml", "calibrate_stay.toml"]


@pytest.mark.parametrize("name", FILES)
def test_calibration_file_follows_the_contract(name):
    data = tomllib.loads((SPECS_DIR / name).read_text(encoding="utf-8"))
    cal = data["calibration"]
    assert set(cal["cities"]) <= set(list_cities()) and cal["cities"]
    assert cal["population"] >= 1 and cal["generations"] >= 1 and cal.get("max_simulations", 1) >= 1
    known = {t.name: t for t in targets_module.load()}
    for t in cal["targets"]:
        assert known[t].use == "calibration", f"{t} is kept for validation and may not be fitted"
    infos = {i.name: i for i in describe(BehaviourParams)}
    for pname, prior in data["parameters"].items():
        info = infos[pname]
        assert info.lo <= prior["lo"] < prior["hi"] <= info.hi, f"{pname}: prior outside its valid range"
        assert info.lo <= info.default <= info.hi


def test_the_four_city_file_fits_six_to_ten_parameters_to_every_behavioural_calibration_target():
    data = tomllib.loads((SPECS_DIR / "calibrate_cities.toml").read_text(encoding="utf-8"))
    assert 6 <= len(data["parameters"]) <= 10
    assert sorted(data["calibration"]["cities"]) == ["changshu", "jinnan", "yanta", "zhengzhou"]
    behavioural = {
        t.name for t in targets_module.load()
        if t.use == "calibration" and not t.must_pass
    }
    assert behavioural <= set(data["calibration"]["targets"])


def test_calibration_files_are_not_listed_as_sweeps(capsys):
    from urbanize.experiments.list_cli import rows

    names = {r["name"] for r in rows("specs")}
    assert "calibrate_cities" not in names and all("error" not in r for r in rows("specs"))
