"""Every bad input of ``urbanize calibrate`` is one line on stderr, exit code 2, and nothing written.

One table: each case builds a calibration file (from changes to a small valid one, or raw bytes), optionally a
``--synthetic`` file or an output folder, and names a fragment of the expected message. The whole test folder is
listed before and after the command: not one file may appear, vanish or change. None of these cases runs the model
(every check happens before the first simulation).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from calib_helpers import write_calibration

from urbanize.experiments.cli import main

pytest.importorskip("pyabc")

GOOD = {"settle_const": {"lo": -3.0, "hi": 0.0}, "hukou_want_const": {"lo": -3.0, "hi": 0.0}}


def cfg(**changes: Any) -> Callable[[Path], Path]:
    return lambda tmp: write_calibration(tmp, **changes)


def raw(data: bytes) -> Callable[[Path], Path]:
    def make(tmp: Path) -> Path:
        p = tmp / "raw.toml"
        p.write_bytes(data)
        return p

    return make


def folder(manifest: dict[str, Any]) -> Callable[[Path], None]:
    def make(tmp: Path) -> None:
        (tmp / "out").mkdir()
        (tmp / "out" / "manifest.json").write_text(json.dumps(manifest))

    return make


def truth(text: str) -> Callable[[Path], None]:
    return lambda tmp: (tmp / "true.toml").write_text(text, encoding="utf-8") and None


CASES: list[tuple[str, Callable[[Path], Path], list[str], Callable[[Path], None] | None, str]] = [
    ("unknown parameter", cfg(parameters={"settle_konst": {"lo": -1.0, "hi": 0.0}}), [], None,
     "unknown parameter 'settle_konst'"),
    ("unknown policy", cfg(parameters={"nopolicy.x": {"lo": 0.0, "hi": 1.0}}), [], None, "unknown policy 'nopolicy'"),
    ("unknown target", cfg(targets=["no_such_target"]), [], None, "unknown target(s) no_such_target"),
    ("validation-only target", cfg(targets=["births_validation"]), [], None, "is validation only"),
    ("city target, city not fitted", cfg(cities=["yanta"], targets=["changshu_intention_early"]), [], None,
     "not in cities"),
    ("prior below valid range", cfg(parameters={"settle_const": {"lo": -20.0, "hi": 0.0}}), [], None,
     "leaves the parameter's valid range [-10, 10]"),
    ("prior above valid range", cfg(parameters={"fertility": {"lo": 0.0, "hi": 0.9}}), [], None,
     "leaves the parameter's valid range"),
    ("lo equals hi", cfg(parameters={"settle_const": {"lo": -1.0, "hi": -1.0}}), [], None, "must be below hi"),
    ("lo above hi", cfg(parameters={"settle_const": {"lo": 0.0, "hi": -1.0}}), [], None, "must be below hi"),
    ("prior without hi", cfg(parameters={"settle_const": {"lo": 0.0}}), [], None, "hi must be a number"),
    ("boolean parameter", cfg(policies="nearby_enrolment", parameters={"nearby_enrolment.requires_registration": {
        "lo": 0.0, "hi": 1.0}}), [], None, "is not a numeric parameter"),
    ("parameter of a policy not run", cfg(parameters={"rented_residence_hukou.outreach": {"lo": 0.0, "hi": 1.0}}), [],
     None, "which 'status_quo' does not run"),
    ("zero generations", cfg(generations=0), [], None, "generations = 0 must be a whole number >= 1"),
    ("negative generations", cfg(generations=-2), [], None, "generations = -2"),
    ("zero population", cfg(population=0), [], None, "population = 0"),
    ("zero max_simulations", cfg(max_simulations=0), [], None, "max_simulations = 0"),
    ("max_simulations below a generation", cfg(max_simulations=3), [], None, "below one generation"),
    ("zero replicates", cfg(replicates=0), [], None, "replicates = 0"),
    ("fractional households", cfg(households=10.5), [], None, "households = 10.5"),
    ("too few households", cfg(households=5), [], None, "households 5 must be"),
    ("negative min_epsilon", cfg(min_epsilon=-1.0), [], None, "min_epsilon = -1.0"),
    ("unknown city", cfg(cities=["atlantis"]), [], None, "unknown city atlantis"),
    ("unknown key", cfg(budget=3), [], None, "unknown key(s) budget"),
    ("no parameters", cfg(parameters={}), [], None, "no [parameters.NAME] table"),
    ("no cities", raw(b'[calibration]\nname = "x"\n'), [], None, "cities must be a list"),
    ("no calibration table", raw(b'x = 1\n'), [], None, "unknown table(s) x"),
    ("malformed TOML", raw(b"[calibration\nname = 1\n"), [], None, "is not valid TOML"),
    ("not UTF-8", raw(b"\xff\xfe[calibration]\n"), [], None, "is not UTF-8"),
    ("missing file", lambda tmp: tmp / "nope.toml", [], None, "does not exist"),
    ("synthetic lacks a value", cfg(), ["--synthetic", "{tmp}/true.toml"], truth("settle_const = -2.0\n"),
     "lacks hukou_want_const"),
    ("synthetic value outside prior", cfg(), ["--synthetic", "{tmp}/true.toml"],
     truth("settle_const = -5.0\nhukou_want_const = -1.0\n"), "inside its prior"),
    ("synthetic extra value", cfg(), ["--synthetic", "{tmp}/true.toml"],
     truth("settle_const = -2.0\nhukou_want_const = -1.0\narrival_rate = 0.01\n"), "sets arrival_rate"),
    ("folder of another calibration", cfg(), [], folder({"kind": "calibration", "name": "other", "config_sha256": "0"}),
     "holds calibration 'other' with another configuration"),
    ("folder of a sweep", cfg(), [], folder({"kind": "sweep"}), "holds the output of 'urbanize sweep'"),
    ("scheduler without dask", cfg(), ["--scheduler", "tcp://127.0.0.1:1"], None, "--scheduler needs --executor dask"),
    ("zero workers", cfg(), ["--workers", "0"], None, "--workers must be"),
]  # fmt: skip


def _listing(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize(("label", "make", "extra", "setup", "message"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_one_line_exit_2_nothing_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], label: str, make: Callable[[Path], Path],
    extra: list[str], setup: Callable[[Path], None] | None, message: str,
) -> None:  # fmt: skip
    config = make(tmp_path)
    if setup is not None:
        setup(tmp_path)
    before = _listing(tmp_path)
    args = [a.replace("{tmp}", str(tmp_path)) for a in extra]
    code = main(["calibrate", str(config), "--out", str(tmp_path / "out"), "--no-progress", *args])
    err = capsys.readouterr().err
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert message in lines[0]
    assert _listing(tmp_path) == before
    assert not (tmp_path / "out").exists() or setup is not None
