"""Recovery on synthetic data: ``urbanize calibrate --synthetic`` finds known parameter values (issue 10, item 2).

The README's recovery, as written (docs/examples/recovery*.toml): one city at 300 households, two parameters each
pinned down by one target (settle_const by the share intending to settle, hukou_want_const by the share willing
to transfer hukou, means over January-December 2009, tolerance 0.03 each), true values away from the priors'
centre (-1.5), 25 particles, 5 generations (about 210 simulations). Asserted: each true value inside its 90 % credible interval, each interval
under half its prior's width, and the synthetic targets simulated with seeds the fit never uses.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from urbanize.experiments import calibrate_sim
from urbanize.experiments.calibrate import load_truth
from urbanize.experiments.calibrate_config import load_config
from urbanize.experiments.cli import main

pytest.importorskip("pyabc")

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
TRUE = {"settle_const": -2.2, "hukou_want_const": -0.6}
PRIOR = (-3.0, 0.0)


@pytest.mark.slow
def test_synthetic_fit_recovers_the_true_values(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert all(abs(v - sum(PRIOR) / 2) >= 0.5 for v in TRUE.values())  # away from the prior's centre
    for name in ("recovery.toml", "recovery_true.toml", "recovery_targets.toml"):
        shutil.copy(EXAMPLES / name, tmp_path / name)
    config, truth = tmp_path / "recovery.toml", tmp_path / "recovery_true.toml"
    cfg = load_config(config)
    assert load_truth(truth, cfg) == TRUE
    assert [(p.name, p.lo, p.hi) for p in cfg.priors] == [(n, *PRIOR) for n in TRUE]
    seeds: list[tuple[int, tuple[int, ...]]] = []
    real = calibrate_sim.run_city

    def recording(cfg, values, city, seed: np.random.SeedSequence):  # noqa: ANN001, ANN202
        seeds.append((int(seed.entropy), tuple(seed.spawn_key)))  # type: ignore[arg-type]
        return real(cfg, values, city, seed)

    monkeypatch.setattr(calibrate_sim, "run_city", recording)
    out = tmp_path / "out"
    assert (
        main(["calibrate", str(config), "--synthetic", str(truth), "--out", str(out), "--executor", "single"])
        == 0
    )
    printed = capsys.readouterr().out
    synthetic = [s for s in seeds if s[1][0] == calibrate_sim.SYNTHETIC_TAG]
    fit = [s for s in seeds if s[1][0] == calibrate_sim.FIT_TAG]
    assert len(synthetic) == 1 and len(fit) == len(seeds) - 1 >= 5 * 25
    assert not set(synthetic) & set(fit) and len(set(fit)) == len(fit)  # every simulation its own seed

    summary = pd.read_csv(out / "summary.csv").set_index("parameter")
    for name, value in TRUE.items():
        row = summary.loc[name]
        assert row["true"] == value
        assert row["ci90_low"] <= value <= row["ci90_high"], row.to_dict()
        assert row["ci90_high"] - row["ci90_low"] < 0.5 * (PRIOR[1] - PRIOR[0]), row.to_dict()
        assert f"{name}: true {value:.4g}, recovered" in printed
    assert "OUTSIDE" not in printed
