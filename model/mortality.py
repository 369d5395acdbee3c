"""Deaths by sex and age band, and head succession.

Each person dies with a monthly chance from ``ANNUAL_DEATH`` (by sex and band) times ``mortality_scale``. When the
head dies, the remaining adult or elder closest to the head's age, of the other sex first (the spouse), heads the
household; a household with no adult or elder left dissolves (its children join relatives elsewhere: the caller
counts them as departures).

``ANNUAL_DEATH``: annual death probabilities by sex and band, rounded band averages of China's 2010 mortality by
age and sex (NBS, Tabulation on the 2010 Population Census of the PRC, deaths by age and sex in the year before
the census; infant mortality about 13 per 1,000). They are our rounded reading, not copied cell by cell, and the
table number was not checked (assumed to within about 20 % per band); with the census age structure they give a crude death rate near the
7.1 per 1,000 of 2010 (NBS, China Statistical Yearbook 2011).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from urbanize.model.members import (
    BAND_LOW,
    BAND_YEARS,
    FEMALE,
    N_BANDS,
    block_sums,
    cell_row_counts,
    head_hits,
    slot_hits_cells,
)

if TYPE_CHECKING:
    from urbanize.model.core import UrbanizationModel

#: annual death probability [sex, band]; bands 0-2, 3-5, 6-11, 12-14, 15-17, 18-29, 30-44, 45-59, 60-69, 70-79, 80+
ANNUAL_DEATH = np.array(
    [
        [0.0050, 0.0005, 0.0003, 0.0003, 0.0006, 0.0010, 0.0018, 0.0055, 0.0150, 0.0420, 0.1250],
        [0.0045, 0.0004, 0.0002, 0.0002, 0.0003, 0.0004, 0.0008, 0.0030, 0.0090, 0.0290, 0.1050],
    ]
)
BAND_MID = BAND_LOW + BAND_YEARS / 2.0


def monthly_death(scale: float) -> np.ndarray:
    """Monthly death chance [sex, band] at ``scale`` times the annual probabilities."""
    return 1.0 - (1.0 - np.minimum(ANNUAL_DEATH * scale, 1.0)) ** (1.0 / 12.0)


def deaths(model: UrbanizationModel) -> np.ndarray:
    """This month's deaths; returns rows of households left with no adult or elder (to be dissolved)."""
    pop, rng = model.pop, model.rng
    q = monthly_death(model.behaviour.mortality_scale)
    m = pop.members
    # a bound on every cell's count (the largest household; see life.age), and the persons by blocks of rows of
    # every cell in one pass: a cell changes only after its own draw, so every cell's draw can come first
    sums = block_sums(m, int(pop.size.max(initial=0)))
    cell, rows, slot = slot_hits_cells(rng, m, q, sums)
    if rows.size == 0:
        return np.empty(0, dtype=np.int64)
    model.flows["deaths"] += float(pop.weight[rows].sum())
    dead_heads = rows[head_hits(pop.head_female, pop.head_age, cell, rows, slot)]
    at_sex, at_band, at_row, count = cell_row_counts(cell, rows, m.shape[-1])
    m[at_sex, at_band, at_row] -= count
    touched = np.unique(rows)
    pop.sync_members(touched)
    gone = touched[(pop.adults[touched] == 0) & (pop.elders[touched] == 0)]
    succeed(model, np.setdiff1d(dead_heads, gone))
    return gone


def succeed(model: UrbanizationModel, rows: np.ndarray) -> None:
    """A new head for each household at ``rows`` whose head died: the adult or elder (18+) nearest in age to the
    dead head's partner (two years younger for a husband, older for a wife), of the other sex when one is left.
    The new head takes the age the spouse would have, kept inside the band of the person chosen."""
    if rows.size == 0:
        return
    pop = model.pop
    old_age = pop.head_age[rows].astype(np.float64)
    old_female = pop.head_female[rows]
    partner_age = old_age + np.where(old_female, 2.0, -2.0)
    bands = np.arange(5, N_BANDS)
    # cost of each (sex, band) cell: distance in age, plus a penalty for the same sex as the dead head
    counts = pop.members[:, 5:, :][:, :, rows]  # (2, 6, k)
    dist = np.abs(BAND_MID[bands][None, :, None] - partner_age[None, None, :])
    same = (np.arange(2)[:, None, None] == old_female.astype(np.int64)[None, None, :]) * 1000.0
    cost = np.where(counts > 0, dist + same, np.inf).reshape(2 * bands.size, rows.size)
    best = np.argmin(cost, axis=0)
    sex, band = np.divmod(best, bands.size)
    band = band + 5
    low = BAND_LOW[band]
    high = np.where(band == N_BANDS - 1, 100.0, low + BAND_YEARS[band]) - 0.01
    pop.head_female[rows] = sex == FEMALE
    pop.head_age[rows] = np.clip(partner_age, low, high).astype(np.float32)
    model.flows["head_successions"] += float(pop.weight[rows].sum())
