"""The fixed-seed runs must match the committed baselines (refresh: ``make baseline``)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from golden import CASES, path_of, run_case  # noqa: E402


@pytest.mark.parametrize("name", sorted(CASES))
def test_matches_committed_baseline(name: str) -> None:
    expected = pd.read_csv(path_of(name))
    actual = run_case(name)
    assert list(actual.columns) == list(expected.columns), (
        "indicator columns changed; if intended, run 'make baseline' and commit the new baseline with the reason"
    )
    for col in expected.columns:
        np.testing.assert_allclose(actual[col].to_numpy(dtype=float), expected[col].to_numpy(dtype=float),
                                   rtol=1e-8, atol=1e-9, equal_nan=True,
                                   err_msg=f"{name}: column {col} differs from the baseline (refresh: make baseline)")
