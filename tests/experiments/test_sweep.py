"""Sweeps: resumable after SIGKILL, identical on any executor, failing runs recorded, paired comparisons exact.

Small worlds only (300 households, 6 months) so the module runs in well under two minutes on two cores.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from conftest import small_grid
from sweep_helpers import GATE_ENV, failing_run, write_spec

from urbanize.experiments.cli import CliError, main
from urbanize.experiments.spec import load_spec, parse_spec
from urbanize.experiments.storage import SweepDir, duckdb_view, open_runs, run_meta
from urbanize.experiments.sweep import run_sweep

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent


def wait_for(predicate, what: str, limit: float = 120.0) -> None:
    """Poll until ``predicate()`` holds; the limit only guards against a hung test, it asserts no timing."""
    deadline = time.monotonic() + limit
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.02)


def test_manifest_is_complete(reference):
    manifest = json.loads((reference / "manifest.json").read_text())
    assert manifest["root_seed"] == 12345
    assert manifest["n_runs"] == 12 and len(manifest["design"]) == 4
    assert manifest["spec"]["parameters"]["arrival_rate"] == [0.005, 0.01, 0.015, 0.02]
    assert manifest["code_version"] and manifest["packages"]["mesa"].startswith("3.")
    df = open_runs(reference)
    assert {"run_id", "point", "replicate", "policies", "arrival_rate", "month", "registration_rate"} <= set(
        df.columns
    )
    assert len(df) == 12 * 7 and df.groupby("run_id").size().eq(7).all()


def test_sigkill_then_resume_gives_the_uninterrupted_results(tmp_path, reference):
    spec = write_spec(tmp_path / "spec.toml", small_grid())
    out = tmp_path / "sweep"
    env = dict(
        os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), str(HERE)]), **{GATE_ENV: str(tmp_path / "never")}
    )
    code = f"import sweep_helpers; sweep_helpers.gated_sweep({str(spec)!r}, {str(out)!r})"
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=env, start_new_session=True)
    try:
        # design points 0 and 1 (6 runs) finish; runs of points 2 and 3 hang until the kill
        wait_for(
            lambda: len(list((out / "runs").glob("p*.parquet"))) >= 6 or proc.poll() is not None, "6 runs"
        )
        assert proc.poll() is None, "the sweep ended before it could be killed"
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    assert len(list((out / "runs").glob("p*.parquet"))) == 6
    # a half-written file of a killed write must not count as a finished run
    (out / "runs" / ".p00003-r0001.parquet.tmp-99999").write_bytes(b"PAR1 partial")

    result = run_sweep(load_spec(spec), out, workers=2, progress=False)
    assert (result.resumed, result.skipped, result.done, result.failed) == (True, 6, 6, 0)
    assert not list((out / "runs").glob(".*tmp*"))
    pd.testing.assert_frame_equal(open_runs(out), open_runs(reference))

    again = run_sweep(
        load_spec(spec), out, workers=2, progress=False
    )  # nothing left to do, nothing duplicated
    assert (again.skipped, again.done) == (12, 0)
    assert len(list((out / "runs").glob("p*.parquet"))) == 12


def test_dask_local_cluster_gives_identical_results(tmp_path, reference):
    spec = load_spec(write_spec(tmp_path / "spec.toml", small_grid()))
    result = run_sweep(spec, tmp_path / "dask", executor="dask", workers=2, progress=False)
    assert result.done == 12, result.errors
    pd.testing.assert_frame_equal(open_runs(tmp_path / "dask"), open_runs(reference))


def test_one_worker_gives_identical_results(tmp_path, reference):
    spec = load_spec(write_spec(tmp_path / "spec.toml", small_grid()))
    run_sweep(spec, tmp_path / "one", workers=1, progress=False)
    pd.testing.assert_frame_equal(open_runs(tmp_path / "one"), open_runs(reference))


def test_a_run_that_raises_is_recorded_and_the_rest_finish(tmp_path, reference):
    spec = load_spec(write_spec(tmp_path / "spec.toml", small_grid()))
    out = tmp_path / "sweep"
    result = run_sweep(spec, out, workers=2, run_fn=failing_run, progress=False)
    assert (result.done, result.failed) == (11, 1)
    (failure,) = SweepDir(out).failures()
    assert failure["run_id"] == "p00001-r0000"
    assert failure["error"] == "RuntimeError: deliberate failure for the test"
    assert "failing_run" in failure["traceback"]
    finished = open_runs(out)
    expected = open_runs(reference)
    expected = expected[expected["run_id"] != "p00001-r0000"].reset_index(drop=True)
    pd.testing.assert_frame_equal(finished, expected)

    # a resume leaves the failure alone unless asked; --retry-failed reruns it (and it fails again)
    assert run_sweep(spec, out, workers=1, run_fn=failing_run, progress=False).failed_before == 1
    retried = run_sweep(spec, out, workers=1, run_fn=failing_run, progress=False, retry_failed=True)
    assert (retried.done, retried.failed) == (0, 1)
    # the report lists it
    from urbanize.experiments.report import write_report

    files = write_report(out)
    assert (out / "report" / "failures.csv") in files


def test_a_different_spec_in_the_same_folder_is_refused(tmp_path, reference):
    data = small_grid()
    data["seed"] = 999
    spec = load_spec(write_spec(tmp_path / "other.toml", data))
    with pytest.raises(CliError, match=r"holds a different sweep \('small_grid'; differs in: seed\)"):
        run_sweep(spec, reference, workers=1, progress=False)


def test_duckdb_view_matches_pandas(reference):
    con = duckdb_view(reference)
    n, mean = con.execute("SELECT count(*), avg(registration_rate) FROM runs WHERE month = 6").fetchone()
    df = open_runs(reference)
    assert n == 12
    assert mean == pytest.approx(df.loc[df["month"] == 6, "registration_rate"].mean(), rel=1e-12)
    assert (run_meta(reference)["model_seconds"] > 0).all()


def test_report_writes_tables_and_plots(reference, tmp_path):
    assert main(["report", str(reference), "--months", "3,6", "--to", str(tmp_path / "rep")]) == 0
    summary = pd.read_csv(tmp_path / "rep" / "summary.csv")
    assert set(summary["month"]) == {3, 6} and set(summary["point"]) == {0, 1, 2, 3}
    assert {"mean", "ci_low", "ci_high", "n"} <= set(summary.columns) and (summary["n"] == 3).all()
    assert (summary["ci_low"] <= summary["mean"]).all() and (summary["mean"] <= summary["ci_high"]).all()
    assert (tmp_path / "rep" / "trajectory_registration_rate.png").stat().st_size > 1000
    assert (tmp_path / "rep" / "response_registration_rate.png").stat().st_size > 1000


def test_sobol_report_gives_indices_with_noise(tmp_path, spec_file):
    data = small_grid()
    data.update(
        sampler="sobol",
        samples=4,
        replicates=2,
        parameters={
            "arrival_rate": {"min": 0.004, "max": 0.02},
            "register_const": {"min": -6.0, "max": -3.0},
        },
    )
    out = tmp_path / "sobol"
    assert main(["sweep", str(spec_file(data)), "--out", str(out), "--workers", "2", "--no-progress"]) == 0
    assert main(["report", str(out)]) == 0
    sens = pd.read_csv(out / "report" / "sensitivity.csv")
    assert set(sens["parameter"]) == {"arrival_rate", "register_const"}
    assert {"S1", "S1_conf", "ST", "ST_conf", "noise_share"} <= set(sens.columns)
    assert (out / "report" / "sensitivity_registration_rate.png").exists()


def test_compare_a_package_with_itself_gives_exactly_zero(tmp_path, capsys):
    out = tmp_path / "cmp"
    code = main(
        [
            "compare",
            "--city",
            "changshu",
            "--policies",
            "status_quo,status_quo",
            "--replicates",
            "3",
            "--months",
            "6",
            "--households",
            "300",
            "--out",
            str(out),
            "--workers",
            "2",
            "--no-progress",
        ]
    )
    assert code == 0
    table = pd.read_csv(out / "comparison.csv")
    assert len(table) > 10 and (table["n_pairs"] == 3).all()
    assert (table["difference"] == 0).all()
    assert (table["ci_low"] == 0).all() and (table["ci_high"] == 0).all()
    assert "difference" in capsys.readouterr().out


def test_paired_differences_remove_shared_noise():
    from urbanize.experiments.analysis import paired_differences

    df = pd.DataFrame(
        {
            "point": [0, 0, 0, 1, 1, 1],
            "replicate": [0, 1, 2, 0, 1, 2],
            "month": [6] * 6,
            "y": [10.0, 20.0, 30.0, 11.0, 21.0, 31.0],
        }
    )
    (row,) = paired_differences(df, 0, [1], ["y"]).to_dict(orient="records")
    assert row["difference"] == 1.0 and row["sd"] == 0.0 and row["ci_low"] == row["ci_high"] == 1.0


def test_spec_problems_stop_compare(tmp_path, capsys):
    code = main(
        [
            "compare",
            "--city",
            "atlantis",
            "--policies",
            "status_quo,status_quo",
            "--replicates",
            "2",
            "--months",
            "3",
            "--out",
            str(tmp_path / "c"),
        ]
    )
    assert code == 2
    assert "unknown city 'atlantis'" in capsys.readouterr().err


def test_parse_spec_is_independent_of_key_order():
    a = small_grid()
    b = dict(reversed(list(a.items())))
    assert parse_spec(a).fingerprint() == parse_spec(b).fingerprint()
