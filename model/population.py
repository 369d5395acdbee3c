"""Column-wise household state; persons by sex and age band inside households (docs/model.md, section 2;
docs/demography.md; docs/contributing.md, "Performance").

All household state lives in numpy arrays owned by the model, one row per household agent. Decision rules are
vectorized over rows; ``agents.Household`` objects are thin views that read and write their row.

Rows move: when households leave or die out, the last rows fill the holes so the active block stays
contiguous (``pop.n`` rows). A household's identity is its ``uid``, which never changes; ``row_of(uid)`` finds
its current row, and listeners registered with ``on_move`` (the social network, the agent registry) are told
how rows moved so that nothing keeps a stale row.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np

from urbanize.model.members import (
    ADULT_BANDS,
    DERIVED,
    ELDER_BANDS,
    FEMALE,
    MALE,
    N_BANDS,
    band_index,
    derive,
    sex_index,
)


@dataclass(frozen=True)
class Column:
    dtype: Any
    default: Any
    doc: str


#: The core columns. Services and policies add their own with ``Population.add_column``.
COLUMNS: dict[str, Column] = {
    "uid": Column(np.int64, -1, "stable household id"),
    "htype": Column(np.int8, 0, "HouseholdType"),
    "weight": Column(np.float64, 1.0, "real households this agent stands for"),
    "head_female": Column(np.bool_, False, "sex of the household head"),
    "head_age": Column(np.float32, 30.0, "age of the head, years"),
    # derived from ``members`` by ``Population.sync_members`` (model/members.py): never write them directly
    "adults": Column(np.int16, 0, "adults 18-59 (head included when under 60); derived from members"),
    "elders": Column(np.int16, 0, "members aged 60+; derived from members"),
    "kids_0_2": Column(np.int16, 0, "children aged 0-2; derived from members"),
    "kids_3_5": Column(np.int16, 0, "children aged 3-5; derived from members"),
    "kids_6_11": Column(np.int16, 0, "children aged 6-11 (primary school age); derived from members"),
    "kids_12_14": Column(np.int16, 0, "children aged 12-14 (junior middle school age); derived from members"),
    "kids_15_17": Column(np.int16, 0, "children aged 15-17; derived from members"),
    "size": Column(np.int16, 0, "persons in the household (all bands); derived from members"),
    "pregnant": Column(np.int8, 0, "months left of a pregnancy of the head's couple (0: none; model/life.py)"),
    "parity": Column(np.int8, 0, "children ever born to the head's couple (at home, grown or left behind)"),
    "first_girl": Column(np.bool_, False, "the couple's first child is a girl (birth rules of the period)"),
    "hukou_urban": Column(np.bool_, False, "hukou type is urban (non-agricultural)"),
    "hukou_local": Column(np.bool_, False, "hukou is registered in this city"),
    "reg": Column(np.int8, 0, "Registration state"),
    "reg_months": Column(np.int16, 0, "months in the current registration state"),
    "months_resident": Column(np.int16, 0, "months lived in the city"),
    "job": Column(np.int8, 0, "Job of the head"),
    "income": Column(np.float32, 0.0, "household income, yuan/month"),
    "skill": Column(np.int8, 0, "Skill level of the head"),
    "contrib_months": Column(np.int16, 0, "successive months of social-insurance contributions"),
    "residence": Column(np.int8, 0, "Residence tenure"),
    "residence_months": Column(np.int16, 0, "months at the current residence"),
    "district": Column(np.int16, 0, "district index"),
    "cell_x": Column(np.int16, 0, "map cell column (within the district)"),
    "cell_y": Column(np.int16, 0, "map cell row (within the district)"),
    "land": Column(np.bool_, False, "holds contracted farmland (here for farmers, at origin for migrants)"),
    "homestead": Column(np.bool_, False, "holds a rural homestead plot"),
    "hometown": Column(np.int32, 0, "origin community id (network ties)"),
    "settle_taste": Column(np.float32, 0.0, "persistent logistic taste for settling (random utility)"),
    "intends_settle": Column(np.bool_, False, "intends to settle in the city for good"),
    "hukou_taste": Column(np.float32, 0.0, "persistent logistic taste for transferring hukou here (random utility)"),
    "wants_hukou": Column(np.bool_, False, "would transfer its hukou here if eligible (a stated preference)"),
    "former_migrant": Column(np.bool_, False, "a migrant household granted local urban hukou here"),
    "hardship": Column(np.int8, 0, "months left of a hardship shock (illness, accident, disaster)"),
    "arrived_month": Column(np.int16, 0, "model month of arrival (0 = present at start)"),
    "unschooled": Column(np.int16, 0, "children of compulsory age without a school place"),
}


def _sum16(cols: tuple[np.ndarray, ...], rows: np.ndarray | None) -> np.ndarray:
    """Row sums (int64) of int16 count columns (of every row or of ``rows``), added in 16 bits and widened once:
    several times faster than adding into 64 bits. Exact while a household's persons fit in 16 bits, as the
    derived count columns (each a sum of member cells in 16 bits) already assume."""
    # a few rows: gather each column's; more than 1/16 of them: add whole columns (vectorized 16-bit adds, far
    # cheaper than a gather per column) and gather the sums once. The same integers either way
    rows = None if rows is None else np.asarray(rows)
    few = rows is not None and 16 * rows.size <= cols[0].size
    if few:
        cols = tuple(c[rows] for c in cols)
    total = cols[0] + cols[1]
    for c in cols[2:]:
        total += c
    return (total if few or rows is None else total[rows]).astype(np.int64)


class StaleHousehold(LookupError):
    """Raised when a handle refers to a household that has left or died out."""


class Population:
    """A growable column store of households with stable ids."""

    def __init__(self, capacity: int = 1024) -> None:
        self._n = 0
        #: names of the column views cached as instance attributes (see ``__getattr__``)
        self._views: list[str] = []
        self._cap = max(16, int(capacity))
        self._cols: dict[str, np.ndarray] = {}
        self._schema: dict[str, Column] = {}
        self._matrices: dict[str, np.ndarray] = {}
        self._members = np.zeros((2, N_BANDS, self._cap), dtype=np.int16)
        self._row_of = np.full(self._cap, -1, dtype=np.int64)
        self._next_uid = 0
        self._listeners: list[Callable[[np.ndarray, np.ndarray, np.ndarray], None]] = []
        for name, col in COLUMNS.items():
            self.add_column(name, col.dtype, col.default, col.doc)

    # --- schema -------------------------------------------------------------------------------------------
    def add_column(self, name: str, dtype: Any, default: Any = 0, doc: str = "") -> None:
        """Add a column (idempotent for the same dtype); existing rows get ``default``."""
        if name in self._cols:
            if np.dtype(self._schema[name].dtype) != np.dtype(dtype):
                raise ValueError(f"column '{name}' already exists with dtype {self._schema[name].dtype}")
            return
        self._schema[name] = Column(dtype, default, doc)
        self._cols[name] = np.full(self._cap, default, dtype=dtype)

    def add_matrix(self, name: str, width: int, dtype: Any = np.bool_) -> None:
        """Add a 2-D column block (e.g. awareness of each policy topic), stored column by column (Fortran order):
        the monthly rules read and write one column over all rows, which is then contiguous."""
        self._matrices[name] = np.zeros((self._cap, width), dtype=dtype, order="F")

    def matrix(self, name: str) -> np.ndarray:
        return self._matrices[name][: self.n]

    @property
    def columns(self) -> Mapping[str, Column]:
        """The schema, column name -> ``Column`` (a read-only view: asked every month, and per attribute of an
        agent, so not copied)."""
        return MappingProxyType(self._schema)

    @property
    def n(self) -> int:
        """Number of households (rows)."""
        return self._n

    @n.setter
    def n(self, value: int) -> None:
        self._n = value
        self._drop_views()

    def _drop_views(self) -> None:
        """Forget the cached column views (the row count changed or the arrays were replaced)."""
        d = self.__dict__
        for name in self._views:
            d.pop(name, None)
        self._views.clear()

    def __getattr__(self, name: str) -> np.ndarray:
        # reached only when ``name`` is not an instance attribute: the view of column ``name`` over the current
        # rows is then made and kept as one, so later reads of it in the same month are plain attribute lookups
        # (some thousand a month); ``n`` dropping them keeps every view over exactly the current rows
        d = self.__dict__
        cols = d.get("_cols")
        if cols is not None and name in cols:
            view = cols[name][: d["_n"]]
            if not hasattr(type(self), name):
                d[name] = view
                d["_views"].append(name)
            return view
        raise AttributeError(f"Population has no column '{name}'")

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        for name in self._views:
            state.pop(name, None)
        state["_views"] = []
        return state

    def col(self, name: str) -> np.ndarray:
        if name not in self._cols:
            raise KeyError(name)
        view = self.__dict__.get(name)
        return view if view is not None else self.__getattr__(name)

    # --- persons by sex and age band (model/members.py) ----------------------------------------------------
    @property
    def members(self) -> np.ndarray:
        """Persons by sex and age band: an int16 view of shape ``(2, N_BANDS, n)`` (write, then ``sync_members``)."""
        return self._members[:, :, : self.n]

    def sync_members(self, rows: np.ndarray | None = None) -> None:
        """THE one path from ``members`` to the derived count columns (``adults``, ``elders``, ``kids_*``): every
        writer of persons calls it after its change, for the rows it changed (``None``: all rows, cheaper than
        fancy indexing when most rows changed)."""
        if rows is None:
            derived = derive(self.members)
            for name, values in derived.items():
                self._cols[name][: self.n] = values
            return
        rows = np.asarray(rows, dtype=np.int64)
        if rows.size == 0:
            return
        derived = derive(np.take(self._members, rows, axis=2))  # np.take: faster than fancy indexing, same values
        for name, values in derived.items():
            self._cols[name][rows] = values

    def add_persons(self, rows: np.ndarray, sex: int, band: int, counts: np.ndarray | int = 1) -> None:
        """Add (or with negative ``counts`` remove) persons of one sex and band to ``rows`` (repeated rows add up)
        and sync the derived columns."""
        rows = np.asarray(rows, dtype=np.int64)
        np.add.at(self._members[sex, band], rows, np.asarray(counts, dtype=np.int16))
        self.sync_members(np.unique(rows))

    def set_counts(self, rows: Any, **counts: Any) -> None:
        """Set derived counts (``adults``, ``elders``, ``kids_0_2`` ... ``kids_15_17``) of ``rows`` through
        ``members``, for hand-built worlds: each named group's persons are replaced by ``count`` persons (an int or
        one per row), half of them women (the extra one a man), adults aged 30-44, elders 60-69, children in their
        band; the derived columns follow (``sync_members``). The head's own cell is not kept in step: set the
        head's age and sex to match where a test reads them."""
        rows = np.arange(self.n)[rows] if isinstance(rows, slice) else np.atleast_1d(np.asarray(rows, dtype=np.int64))
        groups: dict[str, tuple[tuple[int, ...], int]] = {"adults": (ADULT_BANDS, 6), "elders": (ELDER_BANDS, 8)}
        groups |= {name: (bands, bands[0]) for name, bands in DERIVED.items() if len(bands) == 1}
        for name, value in counts.items():
            if name not in groups:
                raise KeyError(f"'{name}' is not a derived count; use one of {', '.join(groups)}")
            bands, band = groups[name]
            total = np.broadcast_to(np.asarray(value, dtype=np.int16), rows.shape)
            for b in bands:
                self._members[:, b, rows] = 0
            women = total // 2
            self._members[MALE, band, rows] = total - women
            self._members[FEMALE, band, rows] = women
        self.sync_members(np.unique(rows))

    def persons_by(
        self, sex: str | int | None = None, bands: Any = None, rows: np.ndarray | None = None
    ) -> np.ndarray:
        """Persons per household of a sex (``"male"``, ``"female"``, None = both) and age bands (names such as
        ``"18-29"``, indices, groups ``"children"``/``"adults"``/``"elders"``, None = all), of every row or of
        ``rows``. Weight by ``pop.weight`` for real persons."""
        m = self.members if rows is None else self._members[:, :, np.asarray(rows, dtype=np.int64)]
        sub = m[np.ix_(sex_index(sex), band_index(bands))] if m.shape[2] else m[:0, :0]
        return sub.sum(axis=(0, 1), dtype=np.int64) if sub.size else np.zeros(m.shape[2], dtype=np.int64)

    # --- derived --------------------------------------------------------------------------------------
    def persons(self, rows: np.ndarray | None = None) -> np.ndarray:
        """Persons per household row (int64), of every row or of ``rows`` only (cheaper for a few)."""
        # the derived ``size`` column: the same integers as the sum of the seven count columns, kept by
        # ``sync_members`` instead of summed some twenty times a month
        return (self.size if rows is None else self.size[np.asarray(rows)]).astype(np.int64)

    def children(self, rows: np.ndarray | None = None) -> np.ndarray:
        """Children (0-17) per household row, of every row or of ``rows`` only (cheaper for a few)."""
        return _sum16((self.kids_0_2, self.kids_3_5, self.kids_6_11, self.kids_12_14, self.kids_15_17), rows)

    # --- rows and ids -----------------------------------------------------------------------------------
    def _grow(self, need: int) -> None:
        if need <= self._cap:
            return
        new_cap = max(need, int(self._cap * 1.5))
        for name, arr in self._cols.items():
            new = np.full(new_cap, self._schema[name].default, dtype=arr.dtype)
            new[: self.n] = arr[: self.n]
            self._cols[name] = new
        self._drop_views()
        for name, mat in self._matrices.items():
            newm = np.zeros((new_cap, mat.shape[1]), dtype=mat.dtype, order="F")
            newm[: self.n] = mat[: self.n]
            self._matrices[name] = newm
        members = np.zeros((2, N_BANDS, new_cap), dtype=np.int16)
        members[:, :, : self.n] = self._members[:, :, : self.n]
        self._members = members
        self._cap = new_cap

    def append(self, k: int, members: np.ndarray | None = None, **values: Any) -> np.ndarray:
        """Add ``k`` households with their ``members`` (``(2, N_BANDS, k)`` counts; the derived count columns
        follow from them and may not be given); other columns not given take their defaults. Returns the new
        rows."""
        start = self.n
        self._grow(start + k)
        rows = np.arange(start, start + k)
        for name, arr in self._cols.items():
            arr[start : start + k] = self._schema[name].default
        for mat in self._matrices.values():
            mat[start : start + k] = 0
        self._members[:, :, start : start + k] = 0 if members is None else members
        for name, value in values.items():
            if name in DERIVED:
                raise KeyError(f"column '{name}' is derived from members: give members instead")
            if name not in self._cols:
                raise KeyError(f"unknown column '{name}'")
            self._cols[name][start : start + k] = value
        uids = np.arange(self._next_uid, self._next_uid + k, dtype=np.int64)
        self._next_uid += k
        self._cols["uid"][start : start + k] = uids
        if self._next_uid > self._row_of.size:
            grown = np.full(max(self._next_uid, int(self._row_of.size * 1.5)), -1, dtype=np.int64)
            grown[: self._row_of.size] = self._row_of
            self._row_of = grown
        self._row_of[uids] = rows
        self.n = start + k
        self.sync_members(rows)
        return rows

    def remove(self, rows: np.ndarray) -> np.ndarray:
        """Remove households at ``rows``; the last rows fill the holes. Returns the removed uids.

        Listeners receive ``(removed_rows, moved_from, moved_to)`` before the arrays shrink.
        """
        rows = np.unique(np.asarray(rows, dtype=np.int64))
        if rows.size == 0:
            return np.empty(0, dtype=np.int64)
        if rows[0] < 0 or rows[-1] >= self.n:
            raise IndexError("row out of range")
        removed_uids = self._cols["uid"][rows].copy()
        new_n = self.n - rows.size
        holes = rows[rows < new_n]
        # the tail rows not removed, by a mask over the tail (rows are sorted and unique: cheaper than np.isin)
        gone = np.zeros(rows.size, dtype=bool)
        gone[rows[holes.size :] - new_n] = True
        tail_keep = np.flatnonzero(~gone) + new_n
        # holes and tail_keep have the same length: each surviving tail row fills one hole
        for arr in self._cols.values():
            arr[holes] = arr[tail_keep]
        for mat in self._matrices.values():
            mat[holes] = mat[tail_keep]
        self._members[:, :, holes] = np.take(self._members, tail_keep, axis=2)  # np.take: faster, same values
        for listener in self._listeners:
            listener(rows, tail_keep, holes)
        self._row_of[removed_uids] = -1
        self._row_of[self._cols["uid"][holes]] = holes
        self.n = new_n
        return removed_uids

    def on_move(self, listener: Callable[[np.ndarray, np.ndarray, np.ndarray], None]) -> None:
        """Register ``listener(removed_rows, moved_from, moved_to)`` called on every removal."""
        self._listeners.append(listener)

    def row_of(self, uid: int) -> int:
        """Current row of household ``uid``.

        Raises:
            StaleHousehold: if the household has left or died out.
        """
        row = int(self._row_of[uid]) if 0 <= uid < self._row_of.size else -1
        if row < 0:
            raise StaleHousehold(f"household {uid} is no longer in the city")
        return row

    @property
    def uid_space(self) -> int:
        """One more than the largest uid ever issued (uids index arrays of this length)."""
        return self._next_uid

    def present(self) -> np.ndarray:
        """Whether each uid issued so far is still in the city (a mask over the uid space)."""
        return self._row_of[: self._next_uid] >= 0

    def rows_of(self, uids: np.ndarray) -> np.ndarray:
        """Rows of many uids (-1 for households no longer present). Every uid must have been issued."""
        return self._row_of[np.asarray(uids, dtype=np.int64)]

    def nbytes(self) -> int:
        return (
            sum(a.nbytes for a in self._cols.values())
            + sum(m.nbytes for m in self._matrices.values())
            + self._members.nbytes
        )
