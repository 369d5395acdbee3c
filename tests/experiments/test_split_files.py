"""Split tables on disk: ``urbanize run`` writes ``splits.parquet``; a sweep writes ``splits/<run>.parquet`` with
its own check record, verified on resume like the run file; ``urbanize splits`` shows one as a table."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from sweep_helpers import write_spec

from urbanize.experiments.cli import main
from urbanize.experiments.spec import load_spec
from urbanize.experiments.sweep import run_sweep


def _spec() -> dict:
    return {
        "name": "split_files", "city": "yanta", "policies": ["status_quo"], "households": 200, "months": 3,
        "replicates": 2, "seed": 5, "sampler": "grid", "outcomes": ["registration_rate"],
        "parameters": {"arrival_rate": [0.01]},
    }


@pytest.fixture(scope="module")
def sweep(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("splitsweep")
    result = run_sweep(load_spec(write_spec(root / "spec.toml", _spec())), root / "out", workers=1, progress=False)
    assert result.done == 2, result.errors
    return root


def test_a_sweep_writes_one_checked_split_file_per_run(sweep: Path) -> None:
    out = sweep / "out"
    runs = sorted(p.name for p in (out / "runs").glob("p*.parquet"))
    assert sorted(p.name for p in (out / "splits").glob("p*.parquet")) == runs
    for name in runs:
        record = json.loads((out / "runs" / name.replace(".parquet", ".check.json")).read_text())
        df = pd.read_parquet(out / "splits" / name)
        assert record["splits"] == len(df) > 0
        assert sorted(set(df["month"])) == [0, 3]  # yearly and the last month
        assert {"run_id", "point", "replicate", "policies", "indicator", "sex", "age_band"} <= set(df.columns)


@pytest.mark.parametrize("damage", ["truncate", "delete"])
def test_a_damaged_split_file_sets_its_run_aside_and_reruns_it(sweep: Path, tmp_path: Path, damage: str) -> None:
    import shutil

    out = tmp_path / "copy"
    shutil.copytree(sweep / "out", out)
    victim = sorted((out / "splits").glob("p*.parquet"))[0]
    before = pd.read_parquet(victim)
    if damage == "truncate":
        victim.write_bytes(victim.read_bytes()[:100])
    else:
        victim.unlink()
    result = run_sweep(load_spec(sweep / "spec.toml"), out, workers=1, progress=False)
    assert result.done == 1 and result.skipped == 1
    assert [rid for rid, _, _ in result.set_aside] == [victim.name.removesuffix(".parquet")]
    assert "split table" in result.set_aside[0][1]
    pd.testing.assert_frame_equal(pd.read_parquet(victim), before)  # the rerun gives the same table


def test_run_writes_splits_and_the_splits_command_shows_a_table(tmp_path: Path, capsys) -> None:
    out = tmp_path / "run"
    assert main(["run", "--city", "changshu", "--years", "0.25", "--households", "300", "--seed", "2",
                 "--out", str(out), "--no-progress"]) == 0
    assert sorted(set(pd.read_parquet(out / "splits.parquet")["month"])) == [0, 3]  # yearly, and the last month
    assert main(["run", "--city", "changshu", "--years", "0.25", "--households", "300", "--seed", "2",
                 "--out", str(out), "--no-progress", "--splits", "1"]) == 0
    df = pd.read_parquet(out / "splits.parquet")
    assert sorted(set(df["month"])) == [0, 1, 2, 3]
    capsys.readouterr()
    assert main(["splits", str(out), "--indicator", "pension_coverage", "--group", "local_farmer",
                 "--plot", str(tmp_path / "p.png")]) == 0
    text = capsys.readouterr().out
    assert "pension_coverage, local_farmer, month 3" in text and "female" in text and "30-44" in text
    assert (tmp_path / "p.png").stat().st_size > 5_000
    assert main(["run", "--city", "changshu", "--years", "0.25", "--households", "300", "--seed", "2",
                 "--out", str(out), "--no-progress", "--splits", "0"]) == 0
    assert not (out / "splits.parquet").exists()  # the earlier run's table is gone with its run


def test_the_splits_command_pools_a_sweeps_runs(sweep: Path, capsys) -> None:
    assert main(["splits", str(sweep / "out")]) == 0
    assert "registration_rate" in capsys.readouterr().out
    assert main(["splits", str(sweep / "out"), "--indicator", "registration_rate", "--month", "0"]) == 0
    assert "month 0" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--indicator", "nope"], "unknown split indicator 'nope'"),
        (["--indicator", "registration_rate", "--group", "aliens"], "unknown group 'aliens'"),
        (["--indicator", "registration_rate", "--month", "2"], "month 2 was not collected"),
        (["--policies", "yanta_pilot"], "no runs of 'yanta_pilot'"),
    ],
)
def test_bad_splits_arguments_are_one_line(sweep: Path, capsys, args: list[str], needle: str) -> None:
    assert main(["splits", str(sweep / "out"), *args]) == 2
    err = capsys.readouterr().err
    assert needle in err and err.count("\n") == 1


def test_a_folder_without_splits_is_one_line(tmp_path: Path, capsys) -> None:
    assert main(["splits", str(tmp_path)]) == 2
    assert "holds no split table" in capsys.readouterr().err
