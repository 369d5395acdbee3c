"""Command-line conventions (issue 12 item 7): --version, defaults in every --help, one default household count,
quiet broken pipes, ``list specs``, ``--format json``, and sweep overrides recorded and enforced on resume."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from sweep_helpers import fake_run, write_spec

from urbanize import __version__
from urbanize.experiments import limits
from urbanize.experiments.batch_cli import sweep_overrides
from urbanize.experiments.cli import build_parser, main
from urbanize.experiments.spec import load_spec
from urbanize.experiments.storage import read_manifest
from urbanize.experiments.sweep import run_sweep

COMMANDS = ["run", "list", "sweep", "report", "compare", "splits"]


def test_version(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0 and capsys.readouterr().out.strip() == f"urbanize {__version__}"


@pytest.mark.parametrize("command", COMMANDS)
def test_every_option_has_help_and_shows_its_default(command, capsys):
    sub = build_parser()._subparsers._group_actions[0].choices[command]  # type: ignore[union-attr]
    for action in sub._actions:
        if not action.option_strings or action.dest == "help":
            continue
        assert action.help, f"{command} {action.option_strings[0]} has no help text"
    with pytest.raises(SystemExit):
        main([command, "--help"])
    text = " ".join(capsys.readouterr().out.split())
    for action in sub._actions:
        if action.option_strings and action.default not in (None, False, [], "==SUPPRESS=="):
            assert f"(default: {action.default})" in text, (command, action.dest)


def test_run_and_compare_share_one_default_household_count():
    choices = build_parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    defaults = {c: choices[c].get_default("households") for c in ("run", "compare")}
    assert defaults == {"run": limits.DEFAULT_HOUSEHOLDS, "compare": limits.DEFAULT_HOUSEHOLDS}
    import inspect

    from urbanize.model import UrbanizationModel

    assert inspect.signature(UrbanizationModel).parameters["households"].default == limits.DEFAULT_HOUSEHOLDS


def test_a_closed_pipe_ends_quietly():
    """``urbanize list indicators | head -1``: the reader is gone before the writer writes."""
    proc = subprocess.Popen([sys.executable, "-c", "import sys; from urbanize.experiments.cli import main; "
                             "sys.exit(main(['list', 'parameters', '--format', 'json']))"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # closed before the child has imported anything, let alone printed
    err = proc.stderr.read().decode()
    code = proc.wait()
    assert code in (0, 141) and "Traceback" not in err and "BrokenPipe" not in err, (code, err)


def test_list_specs_gives_every_shipped_file_with_its_size(capsys):
    assert main(["list", "specs", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    by_name = {r["name"]: r for r in rows}
    assert by_name["sobol_behaviour"]["runs"] == 1536 and by_name["changshu_pilot"]["runs"] == 40
    assert all(r["runs"] == r["design_points"] * r["replicates"] for r in rows)
    assert main(["list", "specs"]) == 0
    assert "768 points x   2 replicates =  1536 runs" in capsys.readouterr().out


@pytest.mark.parametrize("what", ["cities", "policies", "packages", "indicators", "parameters"])
def test_list_json_is_a_list_of_named_records(what, capsys):
    assert main(["list", what, "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows and all(isinstance(r, dict) and r["name"] for r in rows)


def test_sweep_overrides_are_recorded_and_a_resume_must_repeat_them(tmp_path, capsys):
    spec = write_spec(tmp_path / "s.toml", {
        "name": "o", "city": "changshu", "households": 5000, "years": 10, "replicates": 20, "seed": 3,
        "outcomes": ["registration_rate", "hukou_conversions"], "parameters": {"arrival_rate": [0.005, 0.01]},
    })
    argv = ["sweep", str(spec), "--households", "100", "--replicates", "2", "--years", "1"]
    assert main([*argv, "--check", "--out", str(tmp_path / "x")]) == 0
    assert "2 design points x 2 replicates = 4 runs" in capsys.readouterr().out
    args = build_parser().parse_args([*argv, "--out", str(tmp_path / "o")])
    overrides = sweep_overrides(args)
    assert overrides == {"households": 100, "replicates": 2, "years": 1}
    out = tmp_path / "o"
    result = run_sweep(load_spec(spec, overrides), out, workers=1, run_fn=fake_run, progress=False,
                       overrides=overrides)
    assert result.done == 4
    manifest = read_manifest(out)
    assert manifest is not None and manifest["overrides"] == overrides
    assert manifest["spec"]["households"] == 100 and manifest["spec"]["months"] == 12
    assert main(["sweep", str(spec), "--households", "100", "--replicates", "2", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "was begun with --households 100 --replicates 2 --years 1, not --households 100 --replicates 2" in err
    assert len(err.strip().splitlines()) == 1
    assert main([*argv, "--out", str(out), "--no-progress"]) == 0  # the same overrides: nothing left to do
    assert "4 of 4 runs finished (0 now, 4 before)" in capsys.readouterr().err

