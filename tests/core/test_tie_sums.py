"""TieSums (model/tie_sums.py): sums over ties through a cached sparse matrix equal the plain edge-list sums."""

from __future__ import annotations

import numpy as np

from urbanize.model.tie_sums import TieSums


def _edge_list_sums(value: np.ndarray, src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    out = np.bincount(src, weights=value[dst], minlength=value.size)
    out += np.bincount(dst, weights=value[src], minlength=value.size)
    return out


def test_tie_sums_of_a_hand_built_network() -> None:
    """Three ties 0-1, 1-2, 0-2 and a value 1 at uid 0, 2**26 at uid 2: every sum by hand."""
    src, dst = np.array([0, 1, 0]), np.array([1, 2, 2])
    sums = TieSums()
    sums.build(src, dst, 3)
    value = np.array([1.0, 0.0, 2.0**26])
    assert sums.sums(value, src, dst).tolist() == [2.0**26, 1.0 + 2.0**26, 1.0]


def test_tie_sums_follow_added_and_dropped_ties_exactly() -> None:
    """Ties added after the build (the tail) and ties dropped by compaction (uids gone, valued 0) give the sums of
    the list as it is, month after month, through rebuilds."""
    rng = np.random.default_rng(11)
    space = 500
    src, dst = rng.integers(0, space, 3000), rng.integers(0, space, 3000)
    sums = TieSums()
    sums.build(src, dst, space)
    gone = np.zeros(space, dtype=bool)
    builds = 0
    for _ in range(40):
        # arrivals: new uids with ties to anyone present
        new = np.arange(space, space + 20)
        space += 20
        gone = np.append(gone, np.zeros(20, dtype=bool))
        src = np.concatenate([src, np.repeat(new, 3)])
        dst = np.concatenate([dst, rng.integers(0, space, 60)])
        # departures, and now and then a compaction that drops the ties to them
        gone[rng.choice(space, 15, replace=False)] = True
        if rng.random() < 0.3:
            alive = ~gone[src] & ~gone[dst]
            sums.compacted(alive)
            src, dst = src[alive], dst[alive]
        value = np.where(gone, 0.0, rng.integers(0, 2, space) + 2.0**26 * rng.integers(0, 2, space))
        before = sums.matrix
        got = sums.sums(value, src, dst)
        builds += sums.matrix is not before
        present = ~gone
        assert np.array_equal(got[present], _edge_list_sums(value, src, dst)[present])
    assert builds >= 1  # the tail grew past the rebuild share at least once


def test_new_uids_without_new_ties_give_float_sums() -> None:
    """Households arrived (the uid space grew) but formed no tie since the build: the sums are the matrix's, zero
    for the new uids (a changshu_pilot run of 500 households crashed here adding floats into integers)."""
    src, dst = np.array([0, 1]), np.array([1, 2])
    sums = TieSums()
    sums.build(src, dst, 3)
    value = np.array([1.0, 2.0, 4.0, 8.0, 16.0])
    out = sums.sums(value, src, dst)
    assert out.dtype == np.float64
    assert out.tolist() == _edge_list_sums(value, src, dst).tolist() == [2.0, 5.0, 2.0, 0.0, 0.0]
