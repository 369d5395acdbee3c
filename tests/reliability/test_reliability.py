"""Reliability of the batch layer (issue 13): nothing lost, nothing duplicated, one writer per folder.

* the coordinator killed with SIGKILL at random moments, then resumed: the result equals an uninterrupted sweep;
* a worker process killed mid-run (as the out-of-memory killer would): its run is resubmitted, nothing fails, the
  result equals an uninterrupted sweep; a run that kills its worker twice is recorded failed with the reason;
* every kind of damaged file (run file truncated, emptied, altered; its check record garbled or missing; the
  manifest) is detected on resume: run files are set aside and rerun, a broken manifest is one line;
* two writers on one folder: the second gets the lock error; a dead writer's lock is taken over;
* ``urbanize run`` reruns into its own folder (``make demo`` twice).

Sizes are small (12 runs of 200 households over 4 months); the suite runs in well under a minute on 2 cores.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from reliability_helpers import (
    always_die,
    coordinator,
    die_once,
    kill_session,
    small_spec,
    wait_for,
    write_toml,
)

from urbanize.experiments.cli import main
from urbanize.experiments.locking import LOCK
from urbanize.experiments.spec import load_spec
from urbanize.experiments.storage import open_runs
from urbanize.experiments.sweep import run_sweep

pytestmark = pytest.mark.reliability


@pytest.fixture(scope="module")
def spec_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_toml(tmp_path_factory.mktemp("spec") / "reliability.toml", small_spec())


@pytest.fixture(scope="module")
def reference(spec_path: Path, tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    """The uninterrupted sweep."""
    out = tmp_path_factory.mktemp("reference") / "sweep"
    result = run_sweep(load_spec(spec_path), out, workers=2, progress=False)
    assert (result.done, result.failed) == (12, 0), result.errors
    return open_runs(out)


def n_files(out: Path) -> int:
    return len(list((out / "runs").glob("p*.parquet")))


def test_coordinator_killed_at_random_moments_then_resumed_is_exact(tmp_path, spec_path, reference):
    out = tmp_path / "sweep"
    rng = np.random.default_rng(13)  # the kill moments: random, but the same on every run of the test
    kills = 0
    for _ in range(2):
        if n_files(out) >= 10:
            break
        # a random moment, measured in progress: right after the k-th run file appears (k < 12, so before the end)
        k = int(rng.integers(n_files(out) + 1, 11))
        proc = coordinator(spec_path, out)
        wait_for(lambda p=proc, k=k: n_files(out) >= k or p.poll() is not None, f"run file {k}")
        if proc.poll() is None:
            kills += 1
        kill_session(proc)
    assert kills >= 1, "the sweep always finished before it could be killed"
    # (whether a lock was left depends on the moment of the last kill; the two-writers test covers take-over)
    result = run_sweep(load_spec(spec_path), out, workers=2, progress=False)
    assert result.failed == 0 and result.skipped + result.done == 12
    assert not (out / LOCK).exists()
    pd.testing.assert_frame_equal(open_runs(out), reference)


def test_a_killed_worker_is_replaced_and_its_runs_are_not_failed(tmp_path, spec_path, reference):
    victims = ((1, 0), (2, 2), (3, 1))
    run_fn = functools.partial(die_once, str(tmp_path), victims)
    result = run_sweep(load_spec(spec_path), tmp_path / "sweep", workers=2, progress=False, run_fn=run_fn)
    assert len(list(tmp_path.glob("*.died"))) == 3  # each victim really killed a worker once
    assert (result.done, result.failed) == (12, 0), result.errors
    pd.testing.assert_frame_equal(open_runs(tmp_path / "sweep"), reference)


def test_a_run_that_kills_its_worker_twice_is_recorded_failed_with_the_reason(tmp_path, spec_path):
    run_fn = functools.partial(always_die, (2, 1))
    out = tmp_path / "sweep"
    result = run_sweep(load_spec(spec_path), out, workers=2, progress=False, run_fn=run_fn)
    assert (result.done, result.failed) == (11, 1)
    record = json.loads((out / "runs" / "p00002-r0001.failed.json").read_text())
    assert record["error"].startswith("WorkerLost: the run killed its worker process 2 times (signal SIGKILL")


def _damage(runs: Path) -> dict[str, str]:
    """One damage of each kind; returns run id -> expected reason."""
    f = runs / "p00000-r0000.parquet"
    f.write_bytes(f.read_bytes()[: f.stat().st_size // 2])
    (runs / "p00000-r0001.parquet").write_bytes(b"")
    g = runs / "p00001-r0000.parquet"
    data = bytearray(g.read_bytes())
    data[len(data) // 2] ^= 0xFF
    g.write_bytes(bytes(data))
    (runs / "p00001-r0001.check.json").write_text("{garbled")
    (runs / "p00002-r0000.check.json").unlink()
    return {
        "p00000-r0000": "truncated",
        "p00000-r0001": "empty",
        "p00001-r0000": "content differs from its record",
        "p00001-r0001": "record p00001-r0001.check.json is unreadable",
        "p00002-r0000": "no record p00002-r0000.check.json",
    }


def test_every_kind_of_damaged_run_file_is_set_aside_and_rerun(tmp_path, spec_path, reference):
    out = tmp_path / "sweep"
    assert run_sweep(load_spec(spec_path), out, workers=2, progress=False).done == 12
    expected = _damage(out / "runs")
    result = run_sweep(load_spec(spec_path), out, workers=2, progress=False)
    found = {rid: why for rid, why, _ in result.set_aside}
    assert set(found) == set(expected)
    for rid, fragment in expected.items():
        assert fragment in found[rid], (rid, found[rid])
    assert (result.skipped, result.done, result.failed) == (7, 5, 0)
    kept = sorted(p.name.split(".")[0] for p in (out / "set_aside").glob("p*.parquet.*"))
    assert kept == sorted(expected)  # moved aside, not deleted
    pd.testing.assert_frame_equal(open_runs(out), reference)


def test_a_broken_manifest_stops_the_resume_in_one_line_and_nothing_is_touched(tmp_path, spec_path, capsys):
    out = tmp_path / "sweep"
    assert run_sweep(load_spec(spec_path), out, workers=2, progress=False).done == 12
    (out / "manifest.json").write_text('{"format": 2, "kind": "sweep", "spe')
    before = sorted(str(p) for p in out.rglob("*"))
    assert main(["sweep", str(spec_path), "--out", str(out), "--no-progress"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "not a readable manifest" in err[0]
    assert sorted(str(p) for p in out.rglob("*")) == before


def test_a_second_writer_gets_the_lock_error_and_a_dead_writers_lock_is_taken_over(tmp_path, spec_path, reference,
                                                                                   capsys):
    out = tmp_path / "sweep"
    proc = coordinator(spec_path, out, hang_gate=str(tmp_path / "never"))
    try:
        wait_for(lambda: n_files(out) >= 3 or proc.poll() is not None, "design point 0")
        assert proc.poll() is None
        assert main(["sweep", str(spec_path), "--out", str(out), "--no-progress"]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and f"is being written by process {proc.pid} on " in err[0], err
        assert n_files(out) == 3  # the second writer computed nothing
    finally:
        kill_session(proc)
    assert main(["sweep", str(spec_path), "--out", str(out), "--no-progress", "--workers", "2"]) == 0
    err = capsys.readouterr().err
    assert f"took over the lock of '{out}' left by process {proc.pid}" in err
    pd.testing.assert_frame_equal(open_runs(out), reference)


def test_run_replaces_its_own_output_and_keeps_what_it_did_not_write(tmp_path, capsys):
    out = tmp_path / "demo"
    args = ["run", "--households", "100", "--years", "0.25", "--seed", "3", "--out", str(out), "--no-progress"]
    assert main(args) == 0
    first = (out / "indicators.parquet").read_bytes()
    assert main(args) == 0  # make demo, twice
    assert (out / "indicators.parquet").read_bytes() == first
    (out / "notes.txt").write_text("mine")
    assert main(args) == 2
    assert main([*args, "--force"]) == 0
    assert (out / "notes.txt").read_text() == "mine"
    (out / "notes.txt").unlink()
    assert sorted(p.name for p in out.iterdir()) == ["indicators.parquet", "indicators.png", "manifest.json",
                                                     "splits.parquet"]
    assert json.loads((out / "manifest.json").read_text())["kind"] == "run"
    capsys.readouterr()


def test_run_with_force_onto_a_sweep_sets_the_sweep_manifest_aside(tmp_path, spec_path, capsys):
    sweep = tmp_path / "sweep"
    assert run_sweep(load_spec(spec_path), sweep, workers=1, progress=False,
                     run_fn=functools.partial(die_once, str(tmp_path), ())).done == 12
    manifest = (sweep / "manifest.json").read_bytes()
    shutil.copytree(sweep, tmp_path / "copy")
    args = ["run", "--households", "100", "--years", "0.25", "--out", str(tmp_path / "copy"), "--no-progress"]
    assert main(args) == 2  # the data loss: refused
    assert (tmp_path / "copy" / "manifest.json").read_bytes() == manifest
    assert main([*args, "--force"]) == 0
    (moved,) = (tmp_path / "copy" / "set_aside").glob("manifest.json.*")
    assert moved.read_bytes() == manifest  # set aside, never deleted
    assert n_files(tmp_path / "copy") == 12
    capsys.readouterr()


def test_no_worker_outlives_its_coordinator(tmp_path, spec_path):
    """A coordinator killed alone (not its session): its workers exit once their run is done."""
    from reliability_helpers import descendants

    out = tmp_path / "sweep"
    proc = coordinator(spec_path, out, hang_gate=str(tmp_path / "gate"))
    wait_for(lambda: n_files(out) >= 3 or proc.poll() is not None, "design point 0")
    below = descendants(proc.pid)
    assert below, "the coordinator started no processes"
    os.kill(proc.pid, 9)
    proc.wait()
    (tmp_path / "gate").write_text("open")  # let the hanging runs end

    def gone() -> bool:
        return not [p for p in below if Path(f"/proc/{p}").exists() and "Z" not in _state(p)]

    wait_for(gone, "the workers to exit", timeout=60)


def _state(pid: int) -> str:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return "Z"
    return text[text.rfind(")") + 2 :].split()[0]
