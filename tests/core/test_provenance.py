"""Every parameter says where its default comes from; calibrated ones have a record that earns the mark."""

from __future__ import annotations

from pathlib import Path

import pytest

from urbanize.model import provenance
from urbanize.model.errors import UrbanizeError
from urbanize.model.params import BehaviourParams, describe
from urbanize.model.provenance import KINDS, MAX_INTERVAL_SHARE, calibration_records
from urbanize.policies import registry


def _all_infos():
    out = [(i.name, i) for i in describe(BehaviourParams)]
    out += [(f"{pol}.{i.name}", i) for pol, cls in registry.available().items() for i in cls.param_infos()]
    return out


def test_every_parameter_has_a_provenance_with_its_note():
    infos = _all_infos()
    assert len(infos) > 100  # behavioural and policy parameters
    missing = [name for name, i in infos if i.provenance is None or i.provenance.kind not in KINDS]
    assert not missing, f"parameters without a provenance: {missing}"
    bare = [name for name, i in infos if i.provenance.kind != "calibrated" and len(i.provenance.note) < 15]
    assert not bare, f"sourced/assumed without a citation or reason: {bare}"


def test_calibrated_marks_and_records_agree_and_earn_the_mark():
    infos = dict(_all_infos())
    marked = {name for name, i in infos.items() if i.provenance.kind == "calibrated"}
    recorded = {r.parameter for r in calibration_records()}
    assert marked == recorded, "a parameter marked calibrated needs a record in model/calibration.toml and back"
    for r in calibration_records():
        assert r.interval_share < MAX_INTERVAL_SHARE, (
            f"{r.parameter} ({r.city}): 90 % interval is {r.interval_share:.0%} of the prior; mark it sourced or "
            "assumed instead"
        )
        if r.city == "shared":
            assert infos[r.parameter].default == pytest.approx(r.value)


def test_a_calibration_record_is_read_and_checked(tmp_path: Path):
    good = tmp_path / "c.toml"
    good.write_text(
        '[[calibrated]]\nparameter = "settle_const"\ncity = "shared"\nvalue = -1.5\ninterval = [-1.8, -1.2]\n'
        'prior = [-3.0, 0.0]\ntargets = ["settlement_intention_2015"]\ndate = "2026-12-02"\nsource = "runs/x"\n'
    )
    (rec,) = provenance.calibration_records(good)
    assert rec.interval_share == pytest.approx(0.2)
    assert "20 % of the prior" in rec.text()
    bad = tmp_path / "bad.toml"
    bad.write_text(good.read_text().replace("value = -1.5", "value = -2.5"))
    with pytest.raises(UrbanizeError, match="outside its interval"):
        provenance.calibration_records(bad)
    (tmp_path / "short.toml").write_text('[[calibrated]]\nparameter = "x"\n')
    with pytest.raises(UrbanizeError, match="needs parameter, value"):
        provenance.calibration_records(tmp_path / "short.toml")


def test_list_parameters_shows_and_filters_provenance(capsys):
    from urbanize.experiments.cli import main

    assert main(["list", "parameters", "--provenance", "sourced", "--format", "json"]) == 0
    import json

    rows = json.loads(capsys.readouterr().out)
    names = {r["name"] for r in rows}
    assert "mortality_scale" in names and not {"ht_elasticity", "settle_const", "leave_const", "fertility"} & names
    assert all(r["provenance"] == "sourced" and r["provenance_note"] for r in rows)
    assert main(["list", "parameters"]) == 0
    out = capsys.readouterr().out
    assert "rented_residence_hukou.contribution_years" in out and " assumed " in out
    assert main(["list", "parameters", "--format", "markdown", "--provenance", "assumed"]) == 0
    md = capsys.readouterr().out
    assert md.startswith("| parameter | default |") and "| sourced |" not in md


@pytest.mark.parametrize(
    "argv, message",
    [
        (["list", "cities", "--provenance", "assumed"], "applies to 'urbanize list parameters' only"),
        (["list", "parameters", "--city", "atlantis"], "unknown city 'atlantis'"),
    ],
)
def test_list_parameters_bad_flags_are_one_line(argv, message, capsys):
    from urbanize.experiments.cli import main

    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and "\n" not in err
