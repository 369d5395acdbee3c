"""Hand-built households for the demography tests: set who lives in a row by sex and age band."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from urbanize.model.members import BAND_NAMES, FEMALE, MALE, band_of
from urbanize.model.population import Population

SEX = {"m": MALE, "f": FEMALE}


def set_household(
    pop: Population, rows: np.ndarray | list[int] | int, head: tuple[str, float], others: Mapping[str, int] = ()
) -> None:
    """Replace the members of ``rows``: a head ``(sex, age)`` (sex "m" or "f") and ``others`` as counts keyed
    "<sex><band>", e.g. ``{"f18-29": 1, "m0-2": 1}``; then sync the derived columns."""
    rows = np.atleast_1d(np.asarray(rows, dtype=np.int64))
    m = pop.members
    m[:, :, rows] = 0
    sex, age = SEX[head[0]], float(head[1])
    pop.head_female[rows] = sex == FEMALE
    pop.head_age[rows] = np.float32(age)
    m[sex, int(band_of(np.float32(age))), rows] += 1
    for key, count in dict(others).items():
        s, band = SEX[key[0]], BAND_NAMES.index(key[1:])
        m[s, band, rows] += count
    pop.sync_members(rows)
