"""``urbanize validate``: a fast subset of the scorecard, --strict, and bad input as one line."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from urbanize.experiments.cli import main

FAST = ["--cities", "changshu", "--households", "300", "--replicates", "2", "--years", "1", "--no-progress",
        "--workers", "1"]  # fmt: skip


def test_fast_subset_writes_the_card(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "val"
    only = "changshu_migrant_share_2009,changshu_migrant_enrolment_2009,share_aged_60_plus_2010"
    assert main(["validate", *FAST, "--only", only, "--out", str(out)]) == 0
    card = pd.read_csv(out / "scorecard.csv")
    assert (out / "scorecard.png").stat().st_size > 10_000
    rows = card.set_index(["target", "city"])
    assert rows.loc[("changshu_migrant_share_2009", "changshu"), "status"] == "pass"
    # a one-year run does not reach November 2010: reported as not computed, never passed
    assert rows.loc[("share_aged_60_plus_2010", "changshu"), "status"] == "not computed"
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == len(card)
    assert any("changshu_migrant_share_2009 @ changshu" in line and "PASS" in line for line in lines)


def test_strict_exits_1_when_a_must_pass_target_fails(tmp_path: Path) -> None:
    targets = tmp_path / "t.toml"
    targets.write_text(
        '[[target]]\nname = "impossible"\nuse = "validation"\nmust_pass = true\ncity = "changshu"\n'
        'indicator = "migrant_share"\nmeasure = "at"\nwhen = "2009-01"\nvalue = 0.9\ntolerance = 0.01\n'
        'tolerance_basis = "test"\nfirst_year = "stable"\nsource = "test"\n',
        encoding="utf-8",
    )
    args = ["validate", *FAST, "--targets", str(targets), "--out", str(tmp_path / "v")]
    assert main(args) == 0
    assert main([*args, "--strict"]) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--cities", "atlantis"], "unknown city"),
        (["--only", "no_such_target"], "unknown target"),
        (["--targets", "/nonexistent/t.toml"], "cannot read targets file"),
        (["--seed", "-1"], "non-negative"),
        (["--years", "1000"], "--years 1000"),  # the run, sweep and compare bounds hold here too
        (["--households", "5"], "--households 5"),
        (["--replicates", "0"], "--replicates 0"),
        (["--scheduler", "tcp://127.0.0.1:1"], "--executor dask"),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    out = tmp_path / "v"
    assert main(["validate", *args, "--out", str(out), "--no-progress"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0]
    assert not out.exists()


def test_the_first_year_is_judged_on_the_mean_move_over_replicates() -> None:
    """One replicate's first-year move carries its replicate's noise: the card judges the mean move (the model's
    own) against the tolerance and reports the largest beside it."""
    from urbanize.experiments.validate import score
    from urbanize.model.targets import Target

    t = Target(name="share", use="validation", must_pass=True, city="changshu", indicator="migrant_share",
               measure="at", when="2009-01", value=0.5, tolerance=0.05, source="s", tolerance_basis="b",
               first_year="stable")  # fmt: skip
    moves = [-0.01, -0.02, -0.06]  # one replicate beyond the 0.05 tolerance, the mean -0.03 within it
    runs = pd.DataFrame(
        [{"replicate": r, "month": m, "migrant_share": 0.5 + (mv if m == 12 else 0.0)}
         for r, mv in enumerate(moves) for m in (0, 12)]  # fmt: skip
    )
    row = score([t], {("changshu", "status_quo"): runs}, ["changshu"]).iloc[0]
    assert row["first_year_change"] == pytest.approx(-0.03)
    assert row["first_year_largest"] == pytest.approx(-0.06)
    assert bool(row["first_year_ok"])
    moves[:] = [-0.04, -0.06, -0.07]
    runs["migrant_share"] = [0.5 + (mv if m == 12 else 0.0) for mv in moves for m in (0, 12)]
    assert not bool(score([t], {("changshu", "status_quo"): runs}, ["changshu"]).iloc[0]["first_year_ok"])
