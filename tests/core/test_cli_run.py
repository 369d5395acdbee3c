"""``urbanize run`` and ``urbanize list``: outputs, and one clear line with exit code 2 for bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from urbanize.experiments.cli import main


def run_cli(args: list[str], capsys) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_run_writes_parquet_manifest_and_plot(tmp_path: Path, capsys) -> None:
    out = tmp_path / "run"
    code, stdout, _ = run_cli(["run", "--city", "jinnan", "--policies", "status_quo", "--years", "1",
                               "--households", "300", "--seed", "3", "--out", str(out), "--no-progress"], capsys)
    assert code == 0, stdout
    df = pd.read_parquet(out / "indicators.parquet")
    assert len(df) == 13 and df["month"].tolist() == list(range(13))
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["city"] == "jinnan" and manifest["seed"] == 3 and manifest["months"] == 12
    assert manifest["policies"][0] == "status_quo"
    assert "arrival_rate" in manifest["behaviour"] and "mesa" in manifest["package_versions"]
    assert manifest["code_version"]
    assert (out / "indicators.png").stat().st_size > 10_000
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no temporary leftovers


def test_same_seed_reproduces_the_run(tmp_path: Path, capsys) -> None:
    frames = []
    for name in ("a", "b"):
        code, _, _ = run_cli(["run", "--city", "yanta", "--years", "0.5", "--households", "200", "--seed", "9",
                              "--out", str(tmp_path / name), "--no-progress"], capsys)
        assert code == 0
        frames.append(pd.read_parquet(tmp_path / name / "indicators.parquet"))
    pd.testing.assert_frame_equal(*frames)


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--city", "atlantis"], "unknown city 'atlantis'; valid cities: changshu, jinnan, yanta, zhengzhou"),
        (["--policies", "free_hukou"], "unknown policy or package 'free_hukou'"),
        (["--set", "arrival_rate=2"], "arrival_rate"),
        (["--set", "no_such_param=1"], "unknown parameter 'no_such_param'"),
        (["--households", "5"], "households = 5 must be a whole number from 20"),
        (["--years", "-1"], "--years -1"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_writes_nothing(tmp_path: Path, capsys, args, needle) -> None:
    out = tmp_path / "out"
    code, _, err = run_cli(["run", "--households", "100", "--years", "1", "--out", str(out), "--no-progress",
                            *args], capsys)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and needle in lines[0], err
    assert not (out / "indicators.parquet").exists() and not (out / "manifest.json").exists()


def test_unwritable_output_folder(tmp_path: Path, capsys) -> None:
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder")
    code, _, err = run_cli(["run", "--households", "100", "--years", "1", "--out", str(blocker / "sub"),
                            "--no-progress"], capsys)
    assert code == 2 and "cannot write to output folder" in err and len(err.strip().splitlines()) == 1


def test_list_cities_indicators_parameters(capsys) -> None:
    code, out, _ = run_cli(["list", "cities"], capsys)
    assert code == 0 and "zhengzhou" in out and "7,521,000" in out
    code, out, _ = run_cli(["list", "indicators"], capsys)
    assert code == 0 and "registration_rate" in out and "settlement_intention" in out
    code, out, _ = run_cli(["list", "parameters"], capsys)
    assert code == 0 and "ht_elasticity" in out


def test_console_script_entry_point(tmp_path: Path) -> None:
    exe = Path(sys.executable).with_name("urbanize")
    res = subprocess.run([str(exe), "run", "--city", "atlantis", "--out", str(tmp_path)], capture_output=True,
                         text=True)
    assert res.returncode == 2 and res.stderr.count("\n") == 1 and "Traceback" not in res.stderr


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda text: text.replace("[skill]", "[housing]\nvacancy_owned = 1.5\n\n[skill]"), "must be a share in [0, 1)"),
        (lambda text: text.replace("[skill]", "[housing]\nvacancy_flats = 0.1\n\n[skill]"), "unknown [housing] key"),
        (lambda text: text.replace("[economy]", "[economics]"), "lacks 'economy'"),
        (lambda text: text.replace("residents = 1825000", "residents = = 1"), "not valid TOML"),
    ],
)
def test_a_malformed_city_file_is_one_line_and_nothing_is_written(edit, message, tmp_path, monkeypatch, capsys):
    import urbanize.model.city as city

    folder = tmp_path / "cities"
    folder.mkdir()
    (folder / "badtown.toml").write_text(edit((city.CITY_DIR / "changshu.toml").read_text(encoding="utf-8")))
    monkeypatch.setattr(city, "CITY_DIR", folder)
    city.load_city.cache_clear()
    try:
        out = tmp_path / "run"
        code, _, err = run_cli(["run", "--city", "badtown", "--years", "1", "--households", "300",
                                "--out", str(out), "--no-progress"], capsys)
    finally:
        city.load_city.cache_clear()
    assert code == 2 and message in err and "badtown.toml" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert not out.exists()
