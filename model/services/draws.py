"""Random draws over household rows shared by the services (all from the model's generator)."""

from __future__ import annotations

import numpy as np


def sample(rng: np.random.Generator, rows: np.ndarray, p: float) -> np.ndarray:
    """Each of ``rows`` independently with chance ``p`` (a binomial count, then distinct rows; cheaper than a
    uniform draw per row when ``p`` is small)."""
    if rows.size == 0 or p <= 0:
        return rows[:0]
    if p >= 1:
        return rows
    k = int(rng.binomial(rows.size, p))
    return rows[rng.choice(rows.size, size=k, replace=False)] if k else rows[:0]


def draw(rng: np.random.Generator, rows: np.ndarray, chance: np.ndarray) -> np.ndarray:
    """Each of ``rows`` independently with its own ``chance`` (few distinct values): rows sharing a chance are
    sampled together (:func:`sample`), much cheaper than a uniform draw per row when chances are small."""
    picked = []
    rest = np.ones(rows.size, dtype=bool)
    while rest.any():
        value = chance[np.argmax(rest)]
        same = rest & (chance == value)
        # compress: the same rows as boolean indexing, several times faster when ``same`` is scattered
        picked.append(sample(rng, rows.compress(same), float(value)))
        rest &= ~same
        if len(picked) > 8:  # many distinct chances: a uniform draw each
            left, left_chance = rows.compress(rest), chance.compress(rest)
            picked.append(left[rng.random(left.size) < left_chance])
            break
    return np.sort(np.concatenate(picked)) if picked else rows[:0]
