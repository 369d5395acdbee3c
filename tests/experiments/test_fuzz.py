"""Fuzzing the validators and the command line: never a traceback, bad input is exit 2 with nothing written.

Bounded for CI (a few dozen examples each, no deadline: the machine is shared): Hypothesis builds sweep-spec
dicts from valid and hostile values, ``--set`` items and parameter files; shipped sweep files are mutated (lines
dropped or duplicated, numbers replaced with hostile ones, bytes flipped, the file cut) and fed to
``urbanize sweep``: an invalid file must give exit 2, every stderr line an ``error:`` line, no traceback and no
output folder; a valid one is only checked (``--check``), which writes nothing either.
``URBANIZE_FUZZ_EXAMPLES=300`` raises the budget of each test for a longer local hunt.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from urbanize.experiments import limits
from urbanize.experiments.cli import error_line, main
from urbanize.experiments.list_cli import is_calibration_file
from urbanize.experiments.spec import TOP_KEYS, SpecError, load_spec, parse_spec, spec_size
from urbanize.model.errors import UrbanizeError

SPECS = sorted(
    p for p in (Path(__file__).resolve().parents[2] / "experiments" / "specs").glob("*.toml") if not is_calibration_file(p)
)  # calibration files (urbanize calibrate) live there too
HOSTILE_NUMBERS = ["nan", "inf", "-inf", "-1", "0", "1e309", "1e-320", "1000000000", "3", "-0.0",
                   "9223372036854775808", "2.5", '"x"', "true", "[]", "{}"]
FUZZ = settings(max_examples=int(os.environ.get("URBANIZE_FUZZ_EXAMPLES", "30")), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

scalars = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.text(max_size=12),
    st.sampled_from(["changshu", "status_quo", "grid", "lhs", "sobol", "morris", "arrival_rate"]),
)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
    st.sampled_from(["min", "max", "step", "levels", "x"]), inner, max_size=4), max_leaves=8)
param_names = st.sampled_from(["arrival_rate", "register_const", "rented_residence_hukou.contribution_years",
                               "no_such", "a.b", ""])
spec_dicts = st.fixed_dictionaries(
    {"city": st.sampled_from(["changshu", "atlantis"]), "seed": st.one_of(st.integers(-5, 2**64), values)},
    optional={
        **{k: values for k in TOP_KEYS if k not in ("city", "seed", "parameters")},
        "households": st.one_of(st.integers(-10, 10**9), values),
        "months": st.one_of(st.integers(-10, 10**5), values),
        "replicates": st.one_of(st.integers(-10, 10**10), values),
        "samples": st.one_of(st.integers(-10, 10**10), values),
        "parameters": st.dictionaries(param_names, values, max_size=3),
    },
)


@FUZZ
@given(spec_dicts)
def test_parse_spec_accepts_or_lists_problems(data):
    try:
        spec = parse_spec(data)
    except SpecError as exc:
        assert exc.problems and all(isinstance(p, str) and "\n" not in p for p in exc.problems)
        return
    size = spec_size(spec.policies, spec.parameters, spec.sampler, spec.samples, spec.replicates,
                     spec.households, spec.months)
    assert size.runs <= limits.MAX_RUNS
    assert limits.MIN_HOUSEHOLDS <= spec.households <= limits.MAX_HOUSEHOLDS
    assert 1 <= spec.months <= limits.MAX_MONTHS


@FUZZ
@given(st.lists(st.one_of(st.text(max_size=30), st.builds(lambda n, v: f"{n}={v}", param_names,
                                                             st.sampled_from(HOSTILE_NUMBERS))), max_size=4))
def test_set_options_accept_or_raise_one_line(items):
    from urbanize.policies.params_io import parse_set_options

    try:
        parse_set_options(items)
    except UrbanizeError as exc:
        assert "\n" not in error_line(exc)


@FUZZ
@given(st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
def test_parameter_files_accept_or_raise_one_line(tmp_path, blob):
    from urbanize.policies.params_io import load_params_toml

    path = tmp_path / "params.toml"
    path.write_bytes(blob)
    try:
        load_params_toml(path)
    except UrbanizeError as exc:
        assert "\n" not in error_line(exc)


def _mutate(text: str, data: st.DataObject) -> bytes:
    lines = text.splitlines()
    kind = data.draw(st.sampled_from(["drop", "dup", "number", "flip", "cut", "number", "number"]))
    i = data.draw(st.integers(0, len(lines) - 1))
    match kind:
        case "drop":
            del lines[i]
        case "dup":
            lines.insert(i, lines[i])
        case "number":
            numbers = [m.span() for m in re.finditer(r"(?<![\w.])-?\d+(\.\d+)?(e-?\d+)?", text)]
            if numbers:
                a, b = numbers[data.draw(st.integers(0, len(numbers) - 1))]
                text = text[:a] + data.draw(st.sampled_from(HOSTILE_NUMBERS)) + text[b:]
            return text.encode()
        case "flip":
            raw = bytearray(text.encode())
            j = data.draw(st.integers(0, len(raw) - 1))
            raw[j] = data.draw(st.integers(0, 255))
            return bytes(raw)
        case "cut":
            return text.encode()[: data.draw(st.integers(0, len(text)))]
    return ("\n".join(lines) + "\n").encode()


@FUZZ
@given(st.sampled_from(SPECS), st.data())
def test_mutated_spec_files_through_the_cli(tmp_path, capsys, spec_file, data):
    path = tmp_path / "mutated.toml"
    path.write_bytes(_mutate(spec_file.read_text(), data))
    out = tmp_path / "out"
    try:
        load_spec(path)
        valid = True
    except SpecError:
        valid = False
    args = ["sweep", str(path), "--out", str(out), "--no-progress"] + ([] if not valid else ["--check"])
    code = main(args)
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    if valid:
        assert code == 0 and "valid;" in captured.out
    else:
        assert code == 2
        lines = captured.err.strip().splitlines()
        assert lines and all(line.startswith("error: ") for line in lines), captured.err
    assert not out.exists()


@pytest.mark.parametrize("spec_file", SPECS, ids=[p.stem for p in SPECS])
def test_every_shipped_spec_is_valid_and_within_limits(spec_file):
    spec = load_spec(spec_file)
    assert spec.n_runs <= limits.MAX_RUNS
