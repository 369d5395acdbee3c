"""URBANIZE_DOCS_SCALE shrinks runs for the documentation examples, and only when set."""

from __future__ import annotations

import pytest

from urbanize.model import UrbanizationModel, docs_scale
from urbanize.model.errors import ParameterError


def test_unset_changes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(docs_scale.VARIABLE, raising=False)
    assert docs_scale.households(5000) == 5000
    assert docs_scale.scale(1.0) == 1.0
    assert docs_scale.months(120) == 120
    assert docs_scale.replicates(20) == 20


@pytest.mark.parametrize(
    "f, households, expected",
    [("0.5", 5000, 2500), ("0.001", 5000, 100), ("0.001", 60, 60), ("1", 300, 300)],
)
def test_households_shrink_to_at_least_100(
    monkeypatch: pytest.MonkeyPatch, f: str, households: int, expected: int
) -> None:
    monkeypatch.setenv(docs_scale.VARIABLE, f)
    assert docs_scale.households(households) == expected
    assert docs_scale.households(None) is None


def test_months_and_replicates_are_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(docs_scale.VARIABLE, "0.5")
    assert (docs_scale.months(120), docs_scale.months(6)) == (12, 6)
    assert (docs_scale.replicates(20), docs_scale.replicates(1)) == (2, 1)
    assert docs_scale.scale(0.2) == pytest.approx(0.1)


def test_the_model_runs_shrunk(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(docs_scale.VARIABLE, "0.01")
    m = UrbanizationModel(city="jinnan", households=20_000, rng=1).run(months=30)
    assert m.initial_households < 300  # 20,000 x 0.01 = 200 agents (types rounded)
    assert m.month == 12


@pytest.mark.parametrize("value", ["x", "0", "-0.1", "1.5", "nan", "inf"])
def test_a_bad_value_is_one_clear_error(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv(docs_scale.VARIABLE, value)
    with pytest.raises(ParameterError, match=r"URBANIZE_DOCS_SCALE=.* must be a number in \(0, 1\]"):
        docs_scale.months(12)
