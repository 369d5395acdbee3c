"""Sums over a household's ties, for the monthly spread of awareness (model/network.py).

The ties are an edge list of household uids that grows as households arrive and is compacted now and then.
:class:`TieSums` keeps the ties that existed when it was last built as a sparse matrix in uid space, each tie in
both directions and the rows in uid order (CSR), and sums a value over the ties of every uid as one sparse
product over that matrix, plus a weighted ``np.bincount`` over the few ties added since. The product reads the
matrix row by row: far fewer cache misses than two weighted ``np.bincount`` over the whole list, which scatter
into random uids.

Exact, as the callers need it: the values summed are whole numbers (awareness flags, two of them packed into one
float below 2**53), so every partial sum is exact and the order of the additions cannot change the result.

Ties dropped from the list when it is compacted stay in the matrix until it is rebuilt. They all have an end at a
household that has gone; the caller gives such uids the value 0 and reads no sum at them, so the sums it reads
are the same as over the compacted list.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

#: rebuild once the ties added since the last build exceed this share of those in the matrix (assumed: the added
#: ties are summed by the slower scatter; Changshu at 100k households adds about 0.5 % of its ties a month, so this
#: is some four years of a run)
REBUILD_ADDED = 0.25
#: rebuild once the ties dropped since exceed this share of those in the matrix (they still cost a read; about
#: 0.8 % are dropped a month, so some two and a half years)
REBUILD_DROPPED = 0.25


class TieSums:
    """Sums of a per-uid value over the ties of every uid (see the module docstring)."""

    def __init__(self) -> None:
        self.matrix: sp.csr_matrix | None = None
        self.built = 0  # ties of the list (its first ones) that the matrix holds
        self.in_matrix = 0  # ties the matrix holds, including those dropped from the list since
        self.space = 0  # uids the matrix covers

    def reset(self) -> None:
        """Forget the matrix (the ties were cleared)."""
        self.matrix, self.built, self.in_matrix, self.space = None, 0, 0, 0

    def compacted(self, alive: np.ndarray) -> None:
        """The list kept the ties where ``alive`` holds, in order: the matrix now covers its first so many."""
        if self.matrix is not None:
            self.built = int(np.count_nonzero(alive[: self.built]))

    def build(self, src: np.ndarray, dst: np.ndarray, space: int) -> None:
        """The matrix of the ties ``(src, dst)`` (uids below ``space``), in both directions, rows in uid order
        (scipy's conversion from coordinates: a counting sort; a tie given twice becomes one entry of 2, the same
        sums)."""
        # 32-bit uids while they fit: half the memory of the build's temporaries
        uid_type = np.int32 if space < 2**31 else np.int64
        keys = np.concatenate([src, dst], dtype=uid_type, casting="same_kind")
        other = np.concatenate([dst, src], dtype=uid_type, casting="same_kind")
        self.matrix = sp.coo_matrix((np.ones(keys.size), (keys, other)), shape=(space, space)).tocsr()
        self.built = self.in_matrix = src.size
        self.space = space

    def sums(self, value: np.ndarray, src: np.ndarray, dst: np.ndarray) -> np.ndarray:
        """For every uid, the sum of ``value`` (float64, one per uid) at the other end of each of its ties
        ``(src, dst)`` (the network's current list); whole numbers in ``value``, as the module docstring says."""
        space = value.size
        size = src.size
        if (
            self.matrix is None
            or size - self.built > REBUILD_ADDED * self.in_matrix
            or self.in_matrix - self.built > REBUILD_DROPPED * self.in_matrix
        ):
            self.build(src, dst, space)
        assert self.matrix is not None
        product = self.matrix @ value[: self.space]
        if size == self.built and space == self.space:
            return product
        # the ties added since the build, both directions in one count (whole numbers: the order cannot matter)
        s, d = src[self.built :], dst[self.built :]
        if s.size == 0:  # only new uids: bincount of nothing would be an integer array
            out = np.zeros(space)
        else:
            out = np.bincount(np.concatenate([s, d]), weights=np.concatenate([value[d], value[s]]), minlength=space)
        out[: self.space] += product
        return out
