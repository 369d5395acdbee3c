"""The social network and the spread of awareness (docs/model.md, sections 2, 3 and 7.5).

Ties are hometown ties (migrants from the same origin community, villagers of the same village) and
neighbourhood ties (households in the same district). They carry awareness of policies and chain migration.

At scale the ties are generated with numpy and kept as an edge list of household uids (stable while rows
move); the monthly spread is a sparse product over that list in uid space (a CSR matrix of the ties kept by
model/tie_sums.py, or weighted ``np.bincount`` over the list). ``to_networkx()`` gives a networkx graph (nodes are
household uids) for analysis and inspection at workshop sizes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import networkx as nx
import numpy as np
import scipy.sparse as sp

from urbanize.model.members import sorted_counts
from urbanize.model.tie_sums import TieSums

if TYPE_CHECKING:
    from urbanize.model.core import UrbanizationModel

HOMETOWN, NEIGHBOUR = 0, 1
#: counting two awareness topics in one pass codes the second as this multiple (see ``_count_pair``)
_PAIR_BITS = 26
_PAIR_SIZE = 2**_PAIR_BITS
_PAIR_BASE = float(_PAIR_SIZE)
TIE_KINDS = {HOMETOWN: "hometown", NEIGHBOUR: "neighbourhood"}


def ties_within_groups(
    rng: np.random.Generator,
    groups: np.ndarray,
    rows: np.ndarray,
    k: int,
    candidates: np.ndarray | None = None,
    candidate_groups: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """For each row, ``k`` random partners among ``candidates`` of the same group (no self-ties).

    Args:
        groups: group id of each row in ``rows``.
        candidates / candidate_groups: possible partners (default: ``rows`` themselves).
    """
    if candidates is None:
        candidates, candidate_groups = rows, groups
    assert candidate_groups is not None
    keys = candidate_groups
    if keys.size and -32768 <= keys.min() and keys.max() < 32768:
        keys = keys.astype(np.int16)  # a stable sort of 16-bit keys is a radix sort: same order, 5x faster
    order = np.argsort(keys, kind="stable")
    sorted_groups = candidate_groups[order]
    # the runs of the sorted groups: what np.unique gives, without its sort of the sorted array
    uniq, size = sorted_counts(sorted_groups)
    start = np.cumsum(size) - size
    pos = np.searchsorted(uniq, groups)
    found = (pos < uniq.size) & (uniq[np.minimum(pos, uniq.size - 1)] == groups)
    src = np.repeat(rows[found], k)
    g_start = np.repeat(start[pos[found]], k)
    g_size = np.repeat(size[pos[found]], k)
    pick = g_start + (rng.random(src.size) * g_size).astype(np.int64)
    dst = candidates[order[pick]]
    keep = src != dst
    return src[keep], dst[keep]


class SocialNetwork:
    """Undirected ties between households, stored once per tie as pairs of household uids.

    Storing uids (not rows) means rows can move without touching the ties; each month the ties are mapped to
    rows once, and ties to households that have gone are dropped then.
    """

    def __init__(self, model: UrbanizationModel) -> None:
        self.model = model
        self._src = np.empty(1024, dtype=np.int64)
        self._dst = np.empty(1024, dtype=np.int64)
        self._kind = np.empty(1024, dtype=np.int8)
        self.size = 0
        self._removed_since_compact = 0
        self._version = 0  # changes whenever ties are dropped (not just added)
        # per awareness topic: ties that may still inform (see aware_neighbours(monotone=True)), and how many of
        # the network's ties they have seen
        self._open: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self._open_size: dict[int, int] = {}
        self._open_version = 0
        self._sums = TieSums()  # the ties as a sparse matrix for ``packed_counts`` (model/tie_sums.py)
        model.pop.on_move(self._count_removed)

    def _count_removed(self, removed: np.ndarray, moved_from: np.ndarray, moved_to: np.ndarray) -> None:
        self._removed_since_compact += removed.size

    @property
    def src_uid(self) -> np.ndarray:
        return self._src[: self.size]

    @property
    def dst_uid(self) -> np.ndarray:
        return self._dst[: self.size]

    @property
    def kind(self) -> np.ndarray:
        return self._kind[: self.size]

    def clear(self) -> None:
        """Remove every tie."""
        self.size = 0
        self._version += 1
        self._sums.reset()

    # --- building ---------------------------------------------------------------------------------------
    def add(self, src_rows: np.ndarray, dst_rows: np.ndarray, kind: int) -> None:
        """Add ties between households at the given rows."""
        uid = self.model.pop.uid
        k = src_rows.size
        need = self.size + k
        if need > self._src.size:
            cap = max(need, int(self._src.size * 1.5))
            for name in ("_src", "_dst", "_kind"):
                old = getattr(self, name)
                new = np.empty(cap, dtype=old.dtype)
                new[: self.size] = old[: self.size]
                setattr(self, name, new)
        self._src[self.size : need] = uid[src_rows]
        self._dst[self.size : need] = uid[dst_rows]
        self._kind[self.size : need] = kind
        self.size = need

    def build(self, rows: np.ndarray, k_hometown: int = 3, k_neighbour: int = 2) -> None:
        """Tie ``rows`` to others of their hometown and of their district."""
        pop, rng = self.model.pop, self.model.rng
        all_rows = np.arange(pop.n)
        s, d = ties_within_groups(rng, pop.hometown[rows], rows, k_hometown, all_rows, pop.hometown)
        self.add(s, d, HOMETOWN)
        s, d = ties_within_groups(
            rng,
            pop.district[rows].astype(np.int64),
            rows,
            k_neighbour,
            all_rows,
            pop.district.astype(np.int64),
        )
        self.add(s, d, NEIGHBOUR)
        if self.model.behaviour.awareness_decay > 0 and self.can_pack():
            # the matrix of the monthly sums (``packed_counts``, the spread with forgetting), built with the ties
            self._sums.build(self.src_uid, self.dst_uid, pop.uid_space)

    def rows(self, drop_gone_below: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
        """Current rows of both ends of every tie.

        Ties to households that have gone map to row ``n`` (one past the last) until more than
        ``drop_gone_below`` of all ties are such, when they are dropped for good (the default drops them now).
        """
        pop = self.model.pop
        s = pop.rows_of(self.src_uid)
        d = pop.rows_of(self.dst_uid)
        gone = (s < 0) | (d < 0)
        n_gone = int(np.count_nonzero(gone))
        if n_gone == 0 or n_gone > drop_gone_below * self.size:
            self._removed_since_compact = 0
        if n_gone and n_gone > drop_gone_below * self.size:
            alive = ~gone
            self._keep(alive, self.size - n_gone)
            return s[alive], d[alive]
        if n_gone:
            s[gone] = pop.n
            d[gone] = pop.n
        return s, d

    # --- use ---------------------------------------------------------------------------------------------
    def adjacency(self) -> sp.csr_matrix:
        """Symmetric adjacency matrix over current rows."""
        n = self.model.pop.n
        s, d = self.rows()
        data = np.ones(2 * s.size, dtype=np.float32)
        return sp.csr_matrix((data, (np.concatenate([s, d]), np.concatenate([d, s]))), shape=(n, n))

    def aware_neighbours(
        self, aware: np.ndarray, topics: np.ndarray | None = None, *, monotone: bool = False
    ) -> np.ndarray:
        """Count of aware ties per household for each topic column of ``aware`` (n x T).

        Only the columns in ``topics`` are counted (others are left at zero). Counting runs in uid space, so ties
        need no mapping to rows: a household that has gone has no uid in the city and so is never aware.
        Callers read the counts only at unaware households, so ties between two aware ones may count or not.

        Args:
            monotone: the caller promises that column ``j`` of ``aware`` only ever gains awareness between calls
                (as ``Awareness`` does). Ties found with both ends aware are then set aside for good, so the
                work shrinks as a topic saturates.
        """
        pop = self.model.pop
        n, t = aware.shape
        out = np.zeros((n, t))
        self.compact_if_due()
        uid = pop.uid
        space = pop.uid_space
        cols = np.arange(t) if topics is None else np.asarray(topics, dtype=np.int64)
        if not monotone and 2 * self.size < _PAIR_BASE:
            for pair in (cols[i : i + 2] for i in range(0, cols.size, 2)):
                out[:, pair] = self._count_pair(aware[:, pair])
            return out
        known = np.zeros(space, dtype=bool)
        for j in cols:
            known[uid] = aware[:, j]
            parts = self._open_ties(int(j)) if monotone else [(self.src_uid, self.dst_uid)]
            count = np.zeros(space)
            closed = []
            for su, du in parts:
                at_s, at_d = known[su], known[du]
                count += np.bincount(su, weights=at_d, minlength=space)
                count += np.bincount(du, weights=at_s, minlength=space)
                if monotone:
                    closed.append(at_s & at_d)
            out[:, j] = count[uid]
            known[uid] = False
            if monotone:
                self._set_aside(int(j), parts, closed)
        return out

    def _count_pair(self, aware: np.ndarray) -> np.ndarray:
        """Aware ties at every household for one or two topics (columns of ``aware``, n x 1 or 2) (see
        :meth:`packed_counts`)."""
        total = self.packed_counts(aware[:, 0], aware[:, 1] if aware.shape[1] > 1 else None)
        if aware.shape[1] == 1:
            return total[:, None]
        high = np.floor(total / _PAIR_BASE)  # division by a power of two: exact
        return np.stack([total - high * _PAIR_BASE, high], axis=1)

    def can_pack(self) -> bool:
        """Whether two topics' counts fit one float (:meth:`packed_counts`)."""
        return 2 * self.size < _PAIR_BASE

    def packed_counts(self, first: np.ndarray, second: np.ndarray | None = None) -> np.ndarray:
        """Aware ties at every household (float64 per row) for the topic ``first`` (a boolean column over rows)
        plus ``_PAIR_BASE`` times those for ``second``, over every tie, in one pass: both are summed by the same
        sparse product (model/tie_sums.py). Exact: a count is at most the tie ends (``2 * size < _PAIR_BASE``), so each
        part fits below the base and the total below 2**53; ``Awareness._aware_ties`` splits it)."""
        pop = self.model.pop
        space = pop.uid_space
        code = np.zeros(space)
        code[pop.uid] = first if second is None else first + _PAIR_BASE * second
        return np.take(self._sums.sums(code, self.src_uid, self.dst_uid), pop.uid)  # take: faster than [ ]

    def _keep(self, alive: np.ndarray, keep: int) -> None:
        """Keep only the ties where ``alive`` holds (``keep`` of them), in order."""
        for name in ("_src", "_dst", "_kind"):
            arr = getattr(self, name)
            arr[:keep] = arr[: self.size][alive]
        self._sums.compacted(alive)
        self.size = keep
        self._version += 1

    def compact_if_due(self) -> None:
        """Drop ties to gone households for good once they are more than 5 % of the rows (as ``rows()`` does, from
        a byte per uid: whether it is still here, several times cheaper than mapping both ends to rows)."""
        if self._removed_since_compact > 0.05 * max(self.model.pop.n, 1):
            present = self.model.pop.present()
            alive = present[self.src_uid]
            alive &= present[self.dst_uid]
            self._removed_since_compact = 0
            keep = int(np.count_nonzero(alive))
            if keep < self.size:
                self._keep(alive, keep)

    def _open_ties(self, j: int) -> list[tuple[np.ndarray, np.ndarray]]:
        """Uids of both ends of the ties of topic ``j`` not yet found joining two aware households: a list kept
        for the topic and the ties added since it was last rebuilt (views, not copies)."""
        if self._open_version != self._version:
            self._open, self._open_size, self._open_version = {}, {}, self._version
        if j not in self._open:
            return [(self.src_uid, self.dst_uid)]
        start = self._open_size[j]
        return [self._open[j], (self._src[start : self.size], self._dst[start : self.size])]

    def _set_aside(
        self, j: int, parts: list[tuple[np.ndarray, np.ndarray]], closed: list[np.ndarray]
    ) -> None:
        """Rebuild topic ``j``'s open ties without the closed ones, once enough have closed or been added (until
        then a topic counts over all ties, which costs nothing to keep)."""
        total = sum(c.size for c in closed)
        added = closed[-1].size if len(parts) > 1 else 0
        if added <= 0.1 * total and sum(map(np.count_nonzero, closed)) <= 0.4 * total:
            return
        keep = [~c for c in closed]
        self._open[j] = (
            np.concatenate([su[k] for (su, _), k in zip(parts, keep, strict=True)]),
            np.concatenate([du[k] for (_, du), k in zip(parts, keep, strict=True)]),
        )
        self._open_size[j] = self.size

    def degree(self) -> np.ndarray:
        n = self.model.pop.n
        s, d = self.rows()
        return np.bincount(s, minlength=n) + np.bincount(d, minlength=n)

    def to_networkx(self) -> nx.Graph:
        """The network as a networkx graph; nodes are household uids with their type as attribute."""
        pop = self.model.pop
        self.rows()
        g = nx.Graph()
        g.add_nodes_from((int(u), {"htype": int(t)}) for u, t in zip(pop.uid, pop.htype, strict=True))
        g.add_edges_from(
            (int(a), int(b), {"kind": TIE_KINDS[int(k)]})
            for a, b, k in zip(self.src_uid, self.dst_uid, self.kind, strict=True)
        )
        return g


class Awareness:
    """Which households know of which policy topic, and how they learn (schedule phase 4).

    Topics are the registration system, the hukou pathway and one per policy that declares an
    ``awareness_topic``. Each month an unaware household learns a topic with chance
    ``1 - (1 - contact)^(aware ties) * (1 - media)``; policies' outreach (community service centres,
    notices) informs households directly through :meth:`boost`.

    Awareness fades: each month an aware household forgets a topic with chance ``awareness_decay`` (rules and
    offices change, a notice seen years ago is no longer known), so that, with the turnover of the population,
    awareness settles at a level instead of creeping to everyone. Without decay (``awareness_decay = 0``)
    awareness is never lost and the spread counts each topic's ties with ``monotone=True``, which sets aside ties
    once both ends know.
    """

    BASE_TOPICS = ("registration", "hukou")

    def __init__(self, model: UrbanizationModel, topics: list[str]) -> None:
        self.model = model
        self.topics = list(dict.fromkeys([*self.BASE_TOPICS, *topics]))
        self.index = {t: i for i, t in enumerate(self.topics)}
        model.pop.add_matrix("aware", len(self.topics))

    def matrix(self) -> np.ndarray:
        return self.model.pop.matrix("aware")

    def of(self, topic: str) -> np.ndarray:
        """Awareness column of one topic (a view: writes go through)."""
        return self.matrix()[:, self.index[topic]]

    def boost(self, topic: str, rows: np.ndarray | slice, chance: float | np.ndarray) -> None:
        """Outreach: each household at ``rows`` learns ``topic`` now with ``chance``.

        Drawn immediately, because rows move (households leave and arrive) between the phase in which policies
        act and the phase in which awareness spreads.
        """
        col = self.of(topic)
        idx = np.arange(col.size)[rows]
        if idx.size == 0 or not np.any(np.asarray(chance) > 0):
            return
        col[idx] |= self.model.rng.random(idx.size) < np.broadcast_to(np.asarray(chance), idx.shape)

    def spread(self) -> None:
        b = self.model.behaviour
        aware = self.matrix()
        n = aware.shape[0]
        if n == 0:
            return
        decay = b.awareness_decay
        if decay > 0:  # forgetting first; what is forgotten may be learned again from ties this month
            for j in range(aware.shape[1]):
                rows = np.flatnonzero(aware[:, j])
                aware[:, j][rows[self.model.rng.random(rows.size) < decay]] = False  # the column (a view), then rows
        # only topics some household still does not know need counting, and only for those households
        unaware_of = [np.flatnonzero(~aware[:, j]) for j in range(aware.shape[1])]
        pending = [j for j, rows in enumerate(unaware_of) if rows.size]
        ties_of = self._aware_ties(aware, pending, unaware_of, monotone=decay <= 0)
        for j in pending:
            unaware = unaware_of[j]
            ties = ties_of[j]
            # (1 - contact)^ties looked up by the count of aware ties: the same values as the power, far cheaper
            # (and the media factor applied to the table: the same products)
            stay = ((1.0 - b.awareness_contact) ** np.arange(int(ties.max(initial=0)) + 1)) * (1 - b.awareness_media)
            aware[:, j][unaware] = self.model.rng.random(unaware.size) >= stay[ties]

    def _aware_ties(
        self, aware: np.ndarray, pending: list[int], unaware_of: list[np.ndarray], *, monotone: bool
    ) -> dict[int, np.ndarray]:
        """Aware ties (int64) of the households unaware of each pending topic, at those households only.

        Two topics at a time share one pass over the ties (``SocialNetwork.packed_counts``) and are split only at the
        unaware rows; with ``monotone`` (no forgetting) the network sets aside ties that can no longer inform."""
        net = self.model.network
        if monotone or not net.can_pack():
            counts = net.aware_neighbours(aware, np.asarray(pending, dtype=np.int64), monotone=monotone)
            return {j: counts[unaware_of[j], j].astype(np.int64) for j in pending}
        net.compact_if_due()
        out: dict[int, np.ndarray] = {}
        for i in range(0, len(pending), 2):
            pair = pending[i : i + 2]
            total = net.packed_counts(aware[:, pair[0]], aware[:, pair[1]] if len(pair) > 1 else None)
            for k, j in enumerate(pair):
                t = total[unaware_of[j]].astype(np.int64)  # whole numbers below 2**53: exact
                if len(pair) > 1:
                    t = t >> _PAIR_BITS if k else t & (_PAIR_SIZE - 1)
                out[j] = t
        return out

