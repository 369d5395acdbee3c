"""Small calibration files for the tests of ``urbanize calibrate`` (experiments/calibrate*.py).

The targets are written to a test targets file (``targets_file``) that reads the first months of a run, so a
simulation lasts a few model months instead of the nine years the shipped targets need.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

TEST_TARGETS = """
[[target]]
name = "intention_early"
use = "calibration"
city = "national"
indicator = "settlement_intention"
measure = "mean"
from = "2009-01"
to = "{end}"
value = 0.55
tolerance = 0.03
tolerance_basis = "about the replicate-to-replicate spread at a few hundred households (test file)"
first_year = "test"
source = "test"

[[target]]
name = "hukou_want_early"
use = "calibration"
city = "national"
indicator = "hukou_transfer_willingness"
measure = "mean"
from = "2009-01"
to = "{end}"
value = 0.45
tolerance = 0.03
tolerance_basis = "about the replicate-to-replicate spread at a few hundred households (test file)"
first_year = "test"
source = "test"

[[target]]
name = "changshu_intention_early"
use = "calibration"
city = "changshu"
indicator = "settlement_intention"
measure = "at"
when = "{end}"
value = 0.55
tolerance = 0.05
tolerance_basis = "test"
first_year = "test"
source = "test"

[[target]]
name = "births_validation"
use = "validation"
city = "national"
indicator = "crude_birth_rate"
measure = "mean"
from = "2009-01"
to = "{end}"
value = 12.0
tolerance = 1.0
tolerance_basis = "test"
first_year = "test"
source = "test"
"""


def _value(v: Any) -> str:
    if isinstance(v, str):
        return f'"{v}"'
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, list):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    return repr(v)


def write_calibration(
    folder: Path,
    end: str = "2009-03",
    parameters: dict[str, dict[str, Any]] | None = None,
    name: str = "calib.toml",
    **calibration: Any,
) -> Path:
    """A calibration file (and its targets file) in ``folder``; keyword arguments override [calibration] keys."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "targets.toml").write_text(TEST_TARGETS.format(end=end), encoding="utf-8")
    cal: dict[str, Any] = {
        "name": "test", "cities": ["changshu"], "households": 100, "replicates": 1, "population": 4,
        "generations": 2, "seed": 7, "targets": ["intention_early", "hukou_want_early"],
        "targets_file": "targets.toml",
    }  # fmt: skip
    cal.update(calibration)
    cal = {k: v for k, v in cal.items() if v is not None}
    if parameters is None:
        parameters = {"settle_const": {"lo": -3.0, "hi": 0.0}, "hukou_want_const": {"lo": -3.0, "hi": 0.0}}
    lines = ["[calibration]"] + [f"{k} = {_value(v)}" for k, v in cal.items()]
    for pname, spec in parameters.items():
        key = f'"{pname}"' if "." in pname else pname
        lines += ["", f"[parameters.{key}]"] + [f"{k} = {_value(v)}" for k, v in spec.items()]
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
