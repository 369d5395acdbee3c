"""Every bad input of the command line is one line on stderr, exit code 2, and nothing written (issue 13).

One table: each case names the command line (``{tmp}`` is the test's folder, ``{spec}`` a sweep file written from
the case's changes to a small valid spec, ``{sweep}`` a finished small sweep, ``{run}`` a finished run), an optional
damage done to the folder first, and a fragment of the expected message. The whole of ``{tmp}`` is listed before
and after: not one file may appear, vanish or change.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sweep_helpers import fake_run, write_spec

from urbanize.experiments.cli import main
from urbanize.experiments.spec import load_spec
from urbanize.experiments.sweep import run_sweep


def base_spec(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "tiny",
        "city": "changshu",
        "policies": ["status_quo"],
        "households": 100,
        "months": 3,
        "replicates": 2,
        "seed": 1,
        "outcomes": ["registration_rate", "hukou_conversions"],
        "parameters": {"arrival_rate": [0.005, 0.01]},
    }
    params = changes.pop("parameters", None)
    data.update(changes)
    if params is not None:
        data["parameters"] = params
    return {k: v for k, v in data.items() if v is not None}


def _range(**r: Any) -> dict[str, Any]:
    return {"arrival_rate": {"min": 0.0, "max": 0.02, **r}}


@pytest.fixture(scope="module")
def finished(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A finished sweep (stand-in model) and a finished run, copied into each test's folder."""
    root = tmp_path_factory.mktemp("finished")
    spec = load_spec(write_spec(root / "tiny.toml", base_spec()))
    result = run_sweep(spec, root / "sweep", workers=1, run_fn=fake_run, progress=False)
    assert result.done == 4
    assert main(["run", "--households", "100", "--years", "0.25", "--out", str(root / "run"), "--no-progress"]) == 0
    return {"sweep": root / "sweep", "run": root / "run"}


def truncate_run(d: Path) -> None:
    (d / "runs" / "p00000-r0000.parquet").write_bytes(b"not parquet")


def break_manifest(d: Path) -> None:
    (d / "manifest.json").write_text("{")


def foreign_file(d: Path) -> None:
    (d / "notes.txt").write_text("mine")


def hold_lock(d: Path) -> None:
    """A lock held by a live process on this host: the test process itself."""
    from urbanize.experiments.locking import FolderLock

    FolderLock(d, command="urbanize sweep (held by the test)").acquire()


R = ["run", "--households", "100", "--years", "1", "--no-progress"]
C = ["compare", "--city", "changshu", "--policies", "status_quo,status_quo", "--replicates", "2", "--months", "2",
     "--households", "100", "--no-progress"]
S = ["sweep", "{spec}", "--no-progress"]
NUL: Callable[[Path], None] | None = None

CASES: list[tuple[str, list[str], dict[str, Any] | None, Callable[[Path], None] | None, str]] = [
    # --- urbanize run --------------------------------------------------------------------------------------
    ("run years inf", [*R, "--years", "inf", "--out", "{tmp}/o"], None, NUL, "--years inf must be positive"),
    ("run years nan", [*R, "--years", "nan", "--out", "{tmp}/o"], None, NUL, "--years nan"),
    ("run years 101", [*R, "--years", "101", "--out", "{tmp}/o"], None, NUL, "at most 100"),
    ("run seed -1", [*R, "--seed", "-1", "--out", "{tmp}/o"], None, NUL, "--seed -1 must be a non-negative"),
    ("run params /dev/zero", [*R, "--params", "/dev/zero", "--out", "{tmp}/o"], None, NUL, "not a regular file"),
    ("run policies empty", [*R, "--policies", "", "--out", "{tmp}/o"], None, NUL, "--policies is empty"),
    ("run out empty", [*R, "--out", ""], None, NUL, "--out is empty"),
    ("run households 5", [*R, "--households", "5", "--out", "{tmp}/o"], None, NUL, "households = 5"),
    ("run onto a sweep", [*R, "--out", "{sweep}"], None, NUL, "holds the output of 'urbanize sweep', not 'run'"),
    ("run onto foreign files", [*R, "--out", "{run}"], None, foreign_file, "did not write there (notes.txt)"),
    ("run onto a file", [*R, "--out", "{sweep}/manifest.json"], None, NUL, "is a file, not a folder"),
    # --- urbanize sweep ------------------------------------------------------------------------------------
    ("spec not UTF-8", [*S, "--out", "{tmp}/o"], {"raw": b'name = "\xff"\n'}, NUL, "not UTF-8"),
    ("spec step nan", [*S, "--out", "{tmp}/o"], base_spec(parameters=_range(step=float("nan"))), NUL,
     "'step' must be a positive finite number, got nan"),
    ("spec step inf", [*S, "--out", "{tmp}/o"], base_spec(parameters=_range(step=float("inf"))), NUL,
     "got inf"),
    ("spec step 1e-10", [*S, "--check", "--out", "{tmp}/o"], base_spec(parameters=_range(step=1e-10)), NUL,
     "gives 200,000,001 levels"),
    ("spec levels 1e9", [*S, "--check", "--out", "{tmp}/o"], base_spec(parameters=_range(levels=10**9)), NUL,
     "'levels' must be a whole number from 2"),
    ("spec lhs 1e9 samples", [*S, "--check", "--out", "{tmp}/o"],
     base_spec(sampler="lhs", samples=10**9, parameters=_range()), NUL, "'samples' must be a whole number"),
    ("spec sobol too large", [*S, "--check", "--out", "{tmp}/o"],
     base_spec(sampler="sobol", samples=2**19, replicates=2, parameters=_range()), NUL,
     "= 3,145,728 runs (estimated"),
    ("spec morris too large", [*S, "--check", "--out", "{tmp}/o"],
     base_spec(sampler="morris", samples=600_000, replicates=1, parameters=_range()), NUL,
     "= 1,200,000 runs (estimated"),
    ("spec grid 1000^3", [*S, "--check", "--out", "{tmp}/o"],
     base_spec(parameters={**_range(levels=1000), "register_const": {"min": -5.0, "max": -1.0, "levels": 1000},
                           "settle_const": {"min": -5.0, "max": -1.0, "levels": 1000}}), NUL,
     "1,000,000,000 design points x 2 replicates = 2,000,000,000 runs"),
    ("spec replicates 1e9", [*S, "--check", "--out", "{tmp}/o"], base_spec(replicates=10**9), NUL,
     "'replicates' must be a whole number from 1 to 1,000,000"),
    ("spec replicates x points", [*S, "--check", "--out", "{tmp}/o"], base_spec(replicates=600_000), NUL,
     "2 design points x 600,000 replicates = 1,200,000 runs"),
    ("spec households 5", [*S, "--out", "{tmp}/o"], base_spec(households=5), NUL,
     "'households' must be a whole number from 20"),
    ("spec months 12000", [*S, "--check", "--out", "{tmp}/o"], base_spec(months=12000), NUL,
     "'months' must be a whole number from 1 to 1,200"),
    ("spec years 1000", [*S, "--check", "--out", "{tmp}/o"], base_spec(months=None, years=1000), NUL,
     "'years' must be a whole number from 1 to 100"),
    ("spec morris_levels 3", [*S, "--check", "--out", "{tmp}/o"],
     base_spec(sampler="morris", samples=4, morris_levels=3, parameters=_range()), NUL,
     "'morris_levels' must be an even whole number"),
    ("sweep override households 5", [*S, "--households", "5", "--out", "{tmp}/o"], base_spec(), NUL,
     "'households' must be a whole number from 20"),
    ("sweep out empty", [*S, "--out", ""], base_spec(), NUL, "--out is empty"),
    ("sweep scheduler garbage", [*S, "--executor", "dask", "--scheduler", "not an address", "--out", "{tmp}/o"],
     base_spec(), NUL, "is not a scheduler address"),
    ("sweep scheduler unreachable", [*S, "--executor", "dask", "--scheduler", "tcp://127.0.0.1:1", "--out",
                                     "{tmp}/o"], base_spec(), NUL, "cannot reach the Dask scheduler"),
    ("sweep onto a run", [*S, "--out", "{run}"], base_spec(), NUL, "holds the output of 'urbanize run'"),
    ("sweep onto a different sweep", [*S, "--out", "{sweep}"], base_spec(months=4), NUL,
     "holds a different sweep ('tiny'; differs in: months)"),
    ("sweep with other overrides", [*S, "--replicates", "3", "--out", "{sweep}"], base_spec(), NUL,
     "was begun with no overrides, not --replicates 3"),
    ("sweep locked", [*S, "--out", "{sweep}"], base_spec(), hold_lock, "is being written by process"),
    ("sweep broken manifest", [*S, "--out", "{sweep}"], base_spec(), break_manifest, "not a readable manifest"),
    ("sweep workers 0", [*S, "--workers", "0", "--out", "{tmp}/o"], base_spec(), NUL, "--workers must be"),
    # --- urbanize compare ----------------------------------------------------------------------------------
    ("compare at 9999", [*C, "--at", "9999", "--out", "{tmp}/o"], None, NUL, "--at month 9999 is outside"),
    ("compare at abc", [*C, "--at", "abc", "--out", "{tmp}/o"], None, NUL, "--at takes comma-separated"),
    ("compare policies empty", [*C, "--policies", "", "--out", "{tmp}/o"], None, NUL, "at least two packages"),
    ("compare seed -1", [*C, "--seed", "-1", "--out", "{tmp}/o"], None, NUL, "--seed -1"),
    ("compare months 0", [*C, "--months", "0", "--out", "{tmp}/o"], None, NUL, "--months 0 must be"),
    ("compare households 5", [*C, "--households", "5", "--out", "{tmp}/o"], None, NUL, "--households 5"),
    ("compare outcomes unknown", [*C, "--outcomes", "nope", "--out", "{tmp}/o"], None, NUL, "unknown indicator"),
    ("compare out empty", [*C, "--out", ""], None, NUL, "--out is empty"),
    ("compare onto a sweep", [*C, "--out", "{sweep}"], None, NUL, "holds the output of 'urbanize sweep'"),
    # --- urbanize report -----------------------------------------------------------------------------------
    ("report broken manifest", ["report", "{sweep}"], None, break_manifest, "not a readable manifest"),
    ("report non-Parquet run", ["report", "{sweep}"], None, truncate_run, "cannot be read (ArrowInvalid)"),
    ("report to a file", ["report", "{sweep}", "--to", "{sweep}/manifest.json"], None, NUL, "is a file"),
    ("report to unwritable", ["report", "{sweep}", "--to", "/proc/urbanize-report"], None, NUL, "cannot write"),
    ("report months 9999", ["report", "{sweep}", "--months", "9999"], None, NUL, "month 9999 is outside"),
    ("report months abc", ["report", "{sweep}", "--months", "abc"], None, NUL, "comma-separated whole months"),
    ("report on a run", ["report", "{run}"], None, NUL, "holds the output of 'urbanize run', not a sweep"),
    ("report no folder", ["report", "{tmp}/none"], None, NUL, "holds no sweep"),
]


def _listing(root: Path) -> dict[str, tuple[int, int]]:
    return {
        str(p.relative_to(root)): (p.stat().st_size, p.stat().st_mtime_ns) if p.is_file() else (-1, 0)
        for p in root.rglob("*")
    }


@pytest.mark.parametrize(("argv", "spec", "damage", "needle"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_is_one_line_exit_2_and_nothing_written(argv, spec, damage, needle, tmp_path, finished, capsys):
    work = tmp_path / "work"
    shutil.copytree(finished["sweep"], work / "sweep")
    shutil.copytree(finished["run"], work / "run")
    spec_path = tmp_path / "spec.toml"
    if spec is not None:
        if "raw" in spec:
            spec_path.write_bytes(spec["raw"])
        else:
            write_spec(spec_path, spec)
    if damage is not None:
        damage(work / ("run" if "{run}" in argv else "sweep"))
    before = _listing(tmp_path)
    args = [a.format(tmp=work, spec=spec_path, sweep=work / "sweep", run=work / "run") for a in argv]
    code = main(args)
    out, err = capsys.readouterr()
    lines = err.strip().splitlines()
    assert code == 2, (code, out, err)
    assert len(lines) == 1 and lines[0].startswith("error: ") and needle in lines[0], err
    assert "Traceback" not in out + err
    assert _listing(tmp_path) == before


def test_the_lock_of_the_held_case_is_released_by_its_holder(tmp_path):
    """The table's 'sweep locked' case holds a lock with this process's PID: releasing it frees the folder."""
    from urbanize.experiments.locking import LOCK, FolderLock

    lock = FolderLock(tmp_path, command="test")
    lock.acquire()
    assert (tmp_path / LOCK).is_file()
    lock.release()
    assert not (tmp_path / LOCK).exists() and os.listdir(tmp_path) == []
