"""Persons inside households: counts by sex and age band, held column-wise (one contiguous row per cell).

``Population.members`` is an int16 array of shape ``(2, N_BANDS, n)``: ``members[sex, band, row]`` counts the
persons of household ``row`` of that sex (``MALE`` = 0, ``FEMALE`` = 1) in that age band. The head is one of
them: the first person (slot 0) of the cell ``(head_female, band_of(head_age))``; the head's exact age and sex
stay as columns (``head_age``, ``head_female``).

The older count columns (``adults`` 18-59, ``elders`` 60+, ``kids_0_2`` ... ``kids_15_17``) are *derived*: they
are written only by ``Population.sync_members`` from this array, and every writer of persons (synthesis, ageing,
births, deaths, new households, policies that add children) changes ``members`` and then calls it. Readers
(services, policies, indicators) keep reading the derived columns.

Bands: the children's bands are those of the school system (0-2, 3-5, 6-11 primary, 12-14 junior middle,
15-17); adults 18-29, 30-44, 45-59; elders 60-69, 70-79, 80+ (the census's ten-year bands above 60, with an
open top band).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

MALE, FEMALE = 0, 1
#: girls among births: 100 / (100 + 118), a sex ratio at birth of about 118 boys per 100 girls (2010 census;
#: NBS, Tabulation on the 2010 Population Census of the PRC: 117.96)
GIRL_SHARE = 100.0 / 218.0
BAND_NAMES = ("0-2", "3-5", "6-11", "12-14", "15-17", "18-29", "30-44", "45-59", "60-69", "70-79", "80+")
BAND_LOW = np.array([0, 3, 6, 12, 15, 18, 30, 45, 60, 70, 80], dtype=np.float64)
#: band widths in years (the open top band: 10, used for ageing out of it, which does not happen, and for
#: drawing an age inside it)
BAND_YEARS = np.array([3, 3, 6, 3, 3, 12, 15, 15, 10, 10, 10], dtype=np.float64)
N_BANDS = len(BAND_NAMES)
KID_BANDS = (0, 1, 2, 3, 4)
ADULT_BANDS = (5, 6, 7)
ELDER_BANDS = (8, 9, 10)
#: derived count columns and the bands each one sums (over both sexes)
DERIVED: dict[str, tuple[int, ...]] = {
    "kids_0_2": (0,),
    "kids_3_5": (1,),
    "kids_6_11": (2,),
    "kids_12_14": (3,),
    "kids_15_17": (4,),
    "adults": ADULT_BANDS,
    "elders": ELDER_BANDS,
    "size": tuple(range(N_BANDS)),
}


def band_of(age: np.ndarray | float) -> np.ndarray:
    """Age band index of each age in years."""
    return np.searchsorted(BAND_LOW, np.asarray(age, dtype=np.float64), side="right") - 1


def band_index(bands: str | int | Iterable[str | int] | None) -> list[int]:
    """Band indices from names ("18-29"), indices or groups ("children", "adults", "elders", None = all)."""
    if bands is None:
        return list(range(N_BANDS))
    groups = {"children": KID_BANDS, "adults": ADULT_BANDS, "elders": ELDER_BANDS}
    if isinstance(bands, str | int):
        bands = [bands]
    out: list[int] = []
    for b in bands:
        if isinstance(b, str) and b in groups:
            out.extend(groups[b])
        elif isinstance(b, str):
            if b not in BAND_NAMES:
                raise ValueError(f"unknown age band '{b}'; bands: {', '.join(BAND_NAMES)}, children, adults, elders")
            out.append(BAND_NAMES.index(b))
        else:
            if not 0 <= int(b) < N_BANDS:
                raise ValueError(f"age band index {b} outside 0-{N_BANDS - 1}")
            out.append(int(b))
    return out


def sex_index(sex: str | int | None) -> list[int]:
    """Sex indices: None = both, "male"/"female" or 0/1."""
    if sex is None:
        return [MALE, FEMALE]
    if isinstance(sex, str):
        names = {"male": MALE, "m": MALE, "female": FEMALE, "f": FEMALE}
        if sex.lower() not in names:
            raise ValueError(f"unknown sex '{sex}'; use 'male' or 'female'")
        return [names[sex.lower()]]
    if int(sex) not in (MALE, FEMALE):
        raise ValueError(f"sex {sex} must be 0 (male) or 1 (female)")
    return [int(sex)]


def derive(members: np.ndarray) -> dict[str, np.ndarray]:
    """The derived count columns (int16) of a ``(2, N_BANDS, k)`` block of members."""
    both = members[MALE] + members[FEMALE]
    out = {name: both[bands[0]].copy() for name, bands in DERIVED.items() if len(bands) == 1}
    out["adults"] = both[5] + both[6] + both[7]
    out["elders"] = both[8] + both[9] + both[10]
    # persons per household, kept with the other counts: read by many rules and indicators a month (``persons``)
    size = out["adults"] + out["elders"]
    for band in KID_BANDS:
        size += both[band]
    out["size"] = size
    return out


def head_cell(head_female: np.ndarray, head_age: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(sex, band) of each head."""
    return np.asarray(head_female, dtype=np.int64), band_of(head_age)


def bernoulli_hits(rng: np.random.Generator, trials: int, p: float) -> np.ndarray:
    """Sorted positions of the successes among ``trials`` independent Bernoulli(``p``) trials.

    Drawn as the partial sums of geometric gaps: exact, and its cost grows with the successes, not the trials (a
    monthly death or ageing chance over every person slot of every household).
    """
    if trials <= 0 or p <= 0:
        return np.empty(0, dtype=np.int64)
    if p >= 1:
        return np.arange(trials, dtype=np.int64)
    mean = trials * p
    out: list[np.ndarray] = []
    pos = -1
    while True:
        gaps = rng.geometric(p, size=int(mean + 6 * np.sqrt(mean) + 16))
        hits = gaps.cumsum()  # methods: some 40 calls a month, each a few numbers, so call overhead counts
        hits += pos
        if hits[-1] >= trials:  # the hits rise (gaps of 1 or more): those below trials are the first ones
            out.append(hits[: hits.searchsorted(trials)])
            break
        out.append(hits)
        pos = int(hits[-1])
    return out[0] if len(out) == 1 else np.concatenate(out)  # nearly always one batch: no copy


def block_sums(counts: np.ndarray, top: int | None = None) -> np.ndarray:
    """Persons in each block of ``_BLOCK`` rows (the last one shorter) of every cell of ``counts`` (shape
    ``(..., n)``): int64, shape ``(..., blocks)``; for :func:`slot_hits` of several cells, summed in one pass.
    ``top``: a bound on the counts, if known (blocks then add in 16 bits when they cannot overflow)."""
    n = counts.shape[-1]
    full = n // _BLOCK
    lead = counts.shape[:-1]
    sums = np.empty((*lead, full + (n > full * _BLOCK)), dtype=np.int64)
    dtype = np.int16 if top is not None and top * _BLOCK < 2**15 else _block_dtype(counts)
    sums[..., :full] = counts[..., : full * _BLOCK].reshape(*lead, full, _BLOCK).sum(axis=-1, dtype=dtype)
    if sums.shape[-1] > full:
        sums[..., full] = counts[..., full * _BLOCK :].sum(axis=-1, dtype=np.int64)
    return sums


def slot_hits(
    rng: np.random.Generator,
    counts: np.ndarray,
    p: float,
    top: int | None = None,
    sums: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Each person of a cell (``counts`` per row) is hit independently with chance ``p``: returns ``(rows, slot)``
    of the persons hit, rows in increasing order (slot = the person's place 0..count-1 in the row's cell; slot 0
    of the head's cell is the head). The persons of all rows are numbered in row order (a cumulative sum); the
    hits among them are Bernoulli successes (``bernoulli_hits``) and find their row by a sorted search.
    ``top`` (a bound on the counts: the largest household will do) picks 32-bit running sums where they cannot
    overflow, and at 0 skips a cell with nobody in it; ``sums``: the cell's
    :func:`block_sums`, when summed already."""
    if top is not None and top <= 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    if p > 0.5 / _BLOCK:  # hits in most blocks (ageing): one running sum over every row
        return _slot_hits_all(rng, counts, p, top)
    # the persons of blocks of rows first (a plain sum, several times cheaper than a running one): when the hits
    # fall in few blocks (rare deaths), only those blocks need a running sum
    n = counts.size
    full = n // _BLOCK
    if sums is None:
        sums = block_sums(counts)
    block_ends = np.cumsum(sums)
    total = int(block_ends[-1]) if block_ends.size else 0
    hits = bernoulli_hits(rng, total, p)
    if hits.size == 0:
        return hits, hits.copy()
    blocks = np.searchsorted(block_ends, hits, side="right")
    hit_blocks = np.unique(blocks) if hits.size < 4 * n // _BLOCK else None
    if hit_blocks is None or 4 * hit_blocks.size * _BLOCK > n:
        return _slot_hits_all(rng, counts, p, top, hits)
    # running sums of the hit blocks only, each from the persons before its block: for a hit, the first row whose
    # end passes it is the same as in the running sum over every row (earlier blocks end at or before it)
    part = np.zeros((hit_blocks.size, _BLOCK), dtype=np.int64)
    inner = hit_blocks[hit_blocks < full]
    part[: inner.size] = counts[: full * _BLOCK].reshape(full, _BLOCK)[inner]
    if inner.size < hit_blocks.size:  # the last, shorter block
        part[-1, : n - full * _BLOCK] = counts[full * _BLOCK :]
    ends = np.cumsum(part, axis=1)
    ends += (block_ends[hit_blocks] - sums[hit_blocks])[:, None]
    at = np.searchsorted(ends.ravel(), hits, side="right")
    rows = hit_blocks[at // _BLOCK] * _BLOCK + at % _BLOCK
    return rows, hits - (ends.ravel()[at] - counts[rows]).astype(np.int64)


def _slot_hits_all(
    rng: np.random.Generator, counts: np.ndarray, p: float, top: int | None, hits: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`slot_hits` by one running sum over every row (``hits``: when already drawn)."""
    # 32-bit sums when they cannot overflow (several times faster to sum and search than 64-bit ones)
    small = top is not None and counts.size * int(top) < 2**31
    # array methods, not the np.* wrappers: less call overhead (ageing: 20 calls a month)
    ends = counts.cumsum(dtype=np.int32 if small else np.int64)
    if hits is None:
        hits = bernoulli_hits(rng, int(ends[-1]) if ends.size else 0, p)
    rows = ends.searchsorted(hits.astype(ends.dtype), side="right")
    return rows, hits - (ends[rows] - counts[rows]).astype(np.int64)


def slot_hits_cells(
    rng: np.random.Generator, counts: np.ndarray, p: np.ndarray, sums: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`slot_hits` of every cell of ``counts`` (shape ``(2, N_BANDS, n)``), with chance ``p[sex, band]``, the
    cells taken in order (``MALE`` first, bands up) and each drawn by the same ``bernoulli_hits`` as there: the
    same draws and the same persons hit. ``sums``: the cells' :func:`block_sums`. Returns ``(cell, rows, slot)``,
    ``cell = sex * N_BANDS + band``, by cell and then row (the order of the per-cell results one after another).

    For rare hits (deaths): the draws first, then every cell's rows found at once, the persons of all cells
    numbered one after another; a few dozen numpy calls a month fewer than a :func:`slot_hits` per cell."""
    n = counts.shape[-1]
    cells = counts.shape[0] * counts.shape[1]
    flat_sums = sums.reshape(cells, -1)
    totals = flat_sums.sum(axis=1)
    hits = [bernoulli_hits(rng, int(totals[c]), float(p.flat[c])) for c in range(cells)]
    cell = np.repeat(np.arange(cells), [h.size for h in hits])
    if cell.size == 0:
        return cell, cell.copy(), cell.copy()
    # the persons of the cells one after another: a hit of cell c is offset by the persons of the cells before it
    hit = np.concatenate(hits) + (np.cumsum(totals) - totals)[cell]
    block_ends = np.cumsum(flat_sums.ravel())
    hit_blocks = np.unique(np.searchsorted(block_ends, hit, side="right"))
    block_cell, block = np.divmod(hit_blocks, flat_sums.shape[1])
    # running sums of the hit blocks only, each from the persons before its block (see slot_hits); the last block
    # of a cell may be shorter: its columns past the rows count nobody
    col = block[:, None] * _BLOCK + np.arange(_BLOCK)
    part = counts.reshape(cells, n)[block_cell[:, None], np.minimum(col, n - 1)].astype(np.int64)
    part[col >= n] = 0
    ends = np.cumsum(part, axis=1)
    ends += (block_ends[hit_blocks] - flat_sums.ravel()[hit_blocks])[:, None]
    at = np.searchsorted(ends.ravel(), hit, side="right")
    rows = col.ravel()[at]
    return cell, rows, hit - (ends.ravel()[at] - part.ravel()[at])


#: rows per block of :func:`slot_hits`
_BLOCK = 256


def _block_dtype(counts: np.ndarray) -> type:
    """Sum blocks of 16-bit counts in 32 bits (exact: 256 x 32767 < 2**31), wider counts in 64 bits."""
    return np.int32 if counts.dtype.itemsize <= 2 else np.int64


def sorted_counts(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct values of a sorted array and how often each occurs (cheaper than ``np.unique`` on sorted input)."""
    if rows.size == 0:
        return rows, rows
    first = np.empty(rows.size, dtype=bool)  # plain arrays, not np.r_: this runs some 40 times a month
    first[0] = True
    np.not_equal(rows[1:], rows[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    counts = np.empty(starts.size, dtype=np.int64)
    np.subtract(starts[1:], starts[:-1], out=counts[:-1])
    counts[-1] = rows.size - starts[-1]
    return rows[starts], counts


def head_hits(
    head_female: np.ndarray, head_age: np.ndarray, cell: np.ndarray, rows: np.ndarray, slot: np.ndarray
) -> np.ndarray:
    """Which person hits (``cell = sex * N_BANDS + band``, ``rows``, ``slot``, as :func:`slot_hits_cells` gives
    them) are the head: slot 0 of the head's own cell, its sex and the band of its age (heads are adults or elders,
    bands 5 and up). The one rule for ageing and deaths, whose heads move and die with ``head_age`` instead."""
    sex, band = np.divmod(cell, N_BANDS)
    out = (band >= 5) & (slot == 0)
    out &= head_female[rows] == (sex == FEMALE)
    out &= band_of(head_age[rows]) == band
    return out


def cell_row_counts(cell: np.ndarray, rows: np.ndarray, n: int) -> tuple[np.ndarray, ...]:
    """Person hits counted per distinct cell and row, as indices of ``members``: ``(sex, band, row, count)``, so
    that ``members[sex, band, row] -= count`` is a plain indexed update. The hits must come by cell and, within
    a cell, by increasing row (``n``: more than any row), so that their keys are sorted."""
    key, count = sorted_counts(cell * n + rows)
    at_cell, row = np.divmod(key, n)
    sex, band = np.divmod(at_cell, N_BANDS)
    return sex, band, row, count.astype(np.int16)
