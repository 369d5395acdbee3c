"""Shared helpers of the direction tests: whole runs on common seeds, a measure against the status quo (or the
measures it builds on).

Both arms of a comparison run on the same seeds. A policy's own draws shift the generator's stream, so the arms
part ways after the first month and the pairing removes little of the spread; a comparison therefore either asks
for a margin well above the spread seen across seeds (``assert_raises``) or judges the mean paired gain against
its standard error (``assert_beyond_noise``). Runs are cached, so the tests of a module share them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache

import numpy as np

from urbanize.model import UrbanizationModel


@cache
def final_values(
    city: str, policies: str, names: tuple[str, ...], seeds: tuple[int, ...], households: int, months: int
) -> np.ndarray:
    """Each of ``names`` (columns) after ``months`` months, one row per seed."""
    values = []
    for seed in seeds:
        m = UrbanizationModel(city=city, policies=policies, households=households, rng=seed, agents="lazy")
        values.append(m.run(months).indicators()[list(names)].iloc[-1].to_numpy(dtype=float))
    return np.array(values)


def final_means(
    city: str, policies: str, names: Iterable[str], seeds: Iterable[int], households: int, months: int
) -> dict[str, float]:
    """Mean over ``seeds`` of each of ``names`` after ``months`` months."""
    names = tuple(names)
    values = final_values(city, policies, names, tuple(seeds), households, months)
    return dict(zip(names, values.mean(axis=0), strict=True))


def assert_raises(
    city: str,
    base: str,
    policies: str,
    gains: Mapping[str, float],
    *,
    names: Iterable[str] | None = None,
    seeds: Iterable[int],
    households: int,
    months: int,
) -> None:
    """``policies`` raises each indicator of ``gains`` above ``base`` by more than its gain (in the indicator's
    unit), on the mean over ``seeds``. ``names``: the indicators to run for (default: those of ``gains``; a
    module passing all its indicators shares one set of runs among its tests)."""
    names = tuple(gains) if names is None else tuple(names)
    seeds = tuple(seeds)
    before = final_means(city, base, names, seeds, households, months)
    after = final_means(city, policies, names, seeds, households, months)
    for name, gain in gains.items():
        assert after[name] > before[name] + gain, (
            f"{policies} in {city}: {name} {after[name]:.4g} vs {before[name]:.4g}"
        )


def paired_gains(
    city: str, base: str, policies: str, name: str, *, seeds: Iterable[int], households: int, months: int
) -> np.ndarray:
    """Per seed, ``name`` after ``months`` months under ``policies`` minus under ``base``."""
    seeds = tuple(seeds)
    after = final_values(city, policies, (name,), seeds, households, months)[:, 0]
    before = final_values(city, base, (name,), seeds, households, months)[:, 0]
    return after - before


def assert_beyond_noise(gains: np.ndarray, floor: float, k: float = 3.0) -> None:
    """The mean paired gain exceeds ``floor`` and ``k`` standard errors of the mean (the repository's rule for
    effects that the spread across seeds could otherwise produce)."""
    gains = np.asarray(gains, dtype=float)
    mean = float(gains.mean())
    se = float(gains.std(ddof=1) / np.sqrt(gains.size))
    assert mean > floor and mean > k * se, (
        f"mean gain {mean:.4g}, standard error {se:.4g}, per seed {gains.round(4)}"
    )
