"""The base classes of services and entitlements: the generic machinery (schedule phases 5, 6 and 7).

A :class:`Service` is a resource in the manner of SimPy's ``BaseResource``: an explicit capacity (per district
where it applies, in real units: seats, profiles, flats, training places), a queue and one allocation rule.

* **Assess, then act.** In the decision phase (:meth:`Service.apply`) every household states how many units it
  needs (``need``); units it holds beyond its need are released; the units it still lacks join the queue if the
  active policies give it access (``model.policy_set.service_access(name, rows)``, an OR over policies), and
  count as *excluded* demand otherwise. In the allocation phase (:meth:`Service.allocate`) the service admits
  queued units by its priority rule, within capacity.
* **One replaceable rule.** The queue is ordered by ``model.policy_set.priority(name, rows)`` when a policy sets
  one, else by the service's own rule (longest waiting first, random tie-break). A service may also name
  *guaranteed* applicants (e.g. hukou holders' children in public schools), who are served first and may fill
  the hard capacity, whereas the others are admitted only up to the planned ("open") capacity.
* **State in columns.** Units held, units waiting and months waiting are household columns
  (``use_<name>``, ``wait_<name>``, ``waitm_<name>``), so they move with the rows when households leave;
  capacity used is always the weighted sum of ``use_<name>``. No service is ever over its hard capacity, and
  no household holds and waits for the same units (``use + wait <= need``).

An :class:`~urbanize.model.services.sets.Entitlement` (dibao, hardship aid, pensions, medical insurance) has
eligibility and take-up, no seats; a :class:`~urbanize.model.services.sets.ServiceSet` holds the services of a
run (both in ``model/services/sets.py``, re-exported here); ``model.services.city.CityServices`` fills it with
the concrete catalogue and calibrates it from the city profile.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from urbanize.model.enums import Registration
from urbanize.model.services.sets import Entitlement, ServiceSet  # noqa: F401  (re-exported)

if TYPE_CHECKING:
    from urbanize.model.core import UrbanizationModel

_EPS = 1e-9


class AllRows(np.ndarray):
    """Row indices that cover every household in row order (``np.arange(pop.n)``), marked as such so that
    answers over all rows can read whole columns instead of gathering them (see :func:`take`).

    Only the array :func:`all_rows` returns carries the mark: indexing it or computing with it gives plain
    arrays.
    """

    def __getitem__(self, key: Any) -> Any:
        return np.asarray(self)[key]

    def __array_wrap__(self, arr: Any, context: Any = None, return_scalar: bool = False) -> Any:
        return np.asarray(arr)


def all_rows(n: int) -> np.ndarray:
    """``np.arange(n)`` marked as covering every row."""
    return np.arange(n).view(AllRows)


def take(column: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """``column[rows]``, without a gather when ``rows`` covers every row (:func:`all_rows`): a read-only view
    then, so treat the result as read-only."""
    if type(rows) is AllRows and rows.size == column.size:
        return column
    return column[rows]


class Service:
    """A capacity-limited service with a queue and one replaceable allocation rule.

    Subclasses set the class attributes and implement :meth:`need_all`; they may override
    :meth:`guaranteed`, :meth:`default_priority`, :meth:`on_admit`, :meth:`on_release` and :meth:`cost`.

    Attributes:
        capacity: hard capacity per district (real units; one entry when ``per_district`` is False).
        open_capacity: planned capacity per district open to non-guaranteed applicants (<= ``capacity``).
        unit_cost: yuan per unit held per month (``cost_source`` says where the figure comes from).
    """

    name: ClassVar[str] = ""
    sector: ClassVar[str] = "community"
    unit: ClassVar[str] = "units"
    per_district: ClassVar[bool] = True
    default_unit_cost: ClassVar[float] = 0.0
    cost_source: ClassVar[str] = "assumed"

    def __init__(self, model: UrbanizationModel) -> None:
        self.model = model
        pop = model.pop
        self.held_col, self.wait_col, self.waitm_col = (
            f"use_{self.name}",
            f"wait_{self.name}",
            f"waitm_{self.name}",
        )
        pop.add_column(self.held_col, np.int16, 0, f"units of {self.name} held")
        pop.add_column(self.wait_col, np.int16, 0, f"units of {self.name} waited for")
        pop.add_column(self.waitm_col, np.int16, 0, f"months waiting for {self.name}")
        size = len(model.profile.districts) if self.per_district else 1
        self.at_col = f"at_{self.name}"
        if self.per_district:
            pop.add_column(self.at_col, np.int16, -1, f"district where the {self.name} units are held")
        self.capacity = np.zeros(size)
        self.open_capacity = np.zeros(size)
        self.unit_cost = self.default_unit_cost
        self.payer = "city"
        #: extra guarantee rules policies add (``rows -> mask``), ORed with :meth:`guaranteed`
        self.guarantees: list[Any] = []
        # month statistics (real units)
        self.admitted = 0.0
        self.applied = 0.0
        self.used_after = np.zeros(size)  # capacity used per group after this month's allocation
        self.unmet_after = 0.0  # real units still queued after this month's allocation
        self.mean_wait_after = 0.0  # their mean months waited so far

    @property
    def rng(self) -> np.random.Generator:
        """The generator of the allocation's random tie-break (the model's)."""
        return self.model.rng

    # --- columns ---------------------------------------------------------------------------------------
    @property
    def held(self) -> np.ndarray:
        return self.model.pop.col(self.held_col)

    @property
    def waiting(self) -> np.ndarray:
        return self.model.pop.col(self.wait_col)

    @property
    def waiting_months(self) -> np.ndarray:
        return self.model.pop.col(self.waitm_col)

    def groups(self, rows: np.ndarray) -> np.ndarray:
        """Capacity group (district, or 0 for a city-wide service) of each row."""
        if self.per_district:
            return self.model.pop.district[rows].astype(np.int64)
        return np.zeros(rows.size, dtype=np.int64)

    def used(self) -> np.ndarray:
        """Capacity used per group: the weighted sum of units held."""
        pop = self.model.pop
        h = self.held
        rows = (h > 0).nonzero()[0]  # the method: np.flatnonzero adds a Python-level wrapper and a ravel
        # a weighted bincount is already float64 (the copy astype(float) made is not needed)
        return np.bincount(
            self.groups(rows), weights=h[rows] * pop.weight[rows], minlength=self.capacity.size
        )

    def queue_rows(self) -> np.ndarray:
        """Rows waiting for units, in row order."""
        return (self.waiting > 0).nonzero()[0]

    def queued(self, rows: np.ndarray | None = None) -> np.ndarray:
        """Units waited for per group: the weighted sum of units queued (``rows``: :meth:`queue_rows`, when the
        caller has just found them)."""
        pop = self.model.pop
        w = self.waiting
        if rows is None:
            rows = self.queue_rows()
        return np.bincount(self.groups(rows), weights=w[rows] * pop.weight[rows], minlength=self.capacity.size)

    def mark_held_here(self) -> None:
        """Record the current district of every holder (after setting holdings directly, e.g. calibration)."""
        if self.per_district:
            pop = self.model.pop
            pop.col(self.at_col)[:] = np.where(self.held > 0, pop.district, -1)

    def set_capacity(self, capacity: np.ndarray | float, open_share: float = 1.0) -> None:
        """Set hard capacity (per group) and the open capacity as a share of it."""
        cap = np.broadcast_to(np.asarray(capacity, dtype=float), self.capacity.shape).copy()
        self.capacity = np.maximum(cap, 0.0)
        self.open_capacity = self.capacity * open_share

    def add_capacity(self, extra: np.ndarray | float, open_extra: np.ndarray | float | None = None) -> None:
        """Add capacity (new seats, centres, flats); open capacity grows by ``open_extra`` (default: same)."""
        extra = np.broadcast_to(np.asarray(extra, dtype=float), self.capacity.shape)
        self.capacity = self.capacity + np.maximum(extra, 0.0)
        oe = (
            extra if open_extra is None else np.broadcast_to(np.asarray(open_extra, dtype=float), extra.shape)
        )
        self.open_capacity = np.minimum(self.open_capacity + np.maximum(oe, 0.0), self.capacity)

    # --- the hooks ----------------------------------------------------------------------------------------
    def need_all(self) -> np.ndarray:
        """Units each household needs now (an int array over all rows)."""
        raise NotImplementedError

    def guaranteed(self, rows: np.ndarray) -> np.ndarray | None:
        """Mask over queued ``rows`` served first and up to the hard capacity (None: nobody)."""
        return None

    def default_priority(self, rows: np.ndarray) -> np.ndarray:
        """The service's own rule: longest waiting first."""
        return self.waiting_months[rows].astype(float)

    def on_admit(self, rows: np.ndarray, units: np.ndarray) -> None:
        """Called after ``units`` were admitted to ``rows``."""

    def on_release(self, rows: np.ndarray, units: np.ndarray) -> None:
        """Called after ``rows`` released ``units`` they no longer need."""

    def cost(self) -> float:
        """Yuan this month, real-population terms (default: unit cost times units held after allocation)."""
        return self.unit_cost * float(self.used_after.sum())

    def fees(self) -> float:
        """Households' fees this month, yuan (booked to the payer ``households``; default none)."""
        return 0.0

    def cost_and_fees(self) -> tuple[float, float]:
        """(:meth:`cost`, :meth:`fees`), for the month's booking."""
        return self.cost(), self.fees()

    def unit_budget(self) -> float:
        """Yuan the city budgets per unit of capacity a month (``service_costing``; default the unit cost)."""
        return self.unit_cost

    # --- phase 5: assess -------------------------------------------------------------------------------
    def apply(self, access: np.ndarray, need_all: np.ndarray | None = None) -> None:
        """Every household states its need; the units it lacks join the queue where it has access.

        Args:
            access: boolean access mask over all rows, from the policies (read only where units are lacking).
            need_all: ``self.need_all()`` when the caller has just computed it.
        """
        pop = self.model.pop
        if need_all is None:
            need_all = self.need_all()
        held, wait, waitm = self.held, self.waiting, self.waiting_months
        # only rows that must release units, may queue (lacking units, with access) or already queue can change;
        # a household that moved to another district gives up its place there and queues again
        changed = (held > need_all) | ((need_all > held) & access) | (wait > 0)
        moved = None
        if self.per_district:
            moved = (held > 0) & (pop.col(self.at_col) != pop.district)
            changed |= moved
        rows = changed.nonzero()[0]
        if rows.size == 0:
            self.applied = 0.0
            return
        idx: np.ndarray | slice = slice(None) if rows.size == pop.n else rows
        need = need_all[idx]
        h = held[idx]
        keep = np.minimum(h, need)
        if moved is not None:
            keep = keep * ~moved[idx]  # 0 where moved: np.where's values, 16-bit ints without a cast
        if (h > keep).any():
            released = h - keep
            held[idx] = keep
            r = released > 0
            self.on_release(rows[r], released[r])
        lack = (need - keep).astype(np.int16)
        acc = access[idx]
        w = lack * acc
        wait[idx] = w
        waitm[idx] = (waitm[idx] + 1) * (w > 0)
        self.applied = float((w * pop.weight[idx]).sum())  # 16-bit ints times floats: the float products

    # --- phase 6: act ------------------------------------------------------------------------------------
    def free(self) -> tuple[np.ndarray, np.ndarray]:
        """(hard, open) capacity left per group."""
        used = self.used()
        return np.maximum(self.capacity - used, 0.0), np.maximum(self.open_capacity - used, 0.0)

    def allocate(self, used: np.ndarray | None = None, queue: np.ndarray | None = None) -> np.ndarray:
        """Admit queued units by priority within capacity; returns the rows admitted (any units).

        ``used`` and ``queue`` (:meth:`used`, :meth:`queue_rows`) when the caller has just computed them and no
        holding or queue has changed since (``CityServices.allocate`` after a capacity adjustment)."""
        self.admitted = 0.0
        if used is None:
            used = self.used()
        self.used_after = used
        rows = self.queue_rows() if queue is None else queue
        try:
            return self._admit(rows, used)
        finally:
            self._queue_stats(rows)

    def _queue_stats(self, queued: np.ndarray) -> None:
        """Unmet units and mean months waited after allocation (``queued``: rows queued before it)."""
        pop = self.model.pop
        w = self.waiting[queued]
        ww = w * pop.weight[queued]
        self.unmet_after = float(ww.sum())
        self.mean_wait_after = (
            float((self.waiting_months[queued] * ww).sum() / self.unmet_after)
            if self.unmet_after > 0
            else 0.0
        )

    def _admit(self, rows: np.ndarray, used: np.ndarray) -> np.ndarray:
        # some sixty numpy calls on a few hundred rows, so written for cheap calls: array methods and ufuncs
        # (``a.cumsum()``, ``np.rint``, ``np.maximum.reduce``), not the Python-level wrappers ``np.cumsum``,
        # ``np.round``, ``np.clip``, ``a.max`` (the same C loops, several microseconds a call fewer)
        pop, model = self.model.pop, self.model
        wait = self.waiting
        if rows.size == 0:
            return rows
        hard_free = np.maximum(self.capacity - used, 0.0)
        open_free = np.maximum(self.open_capacity - used, 0.0)
        if not (hard_free > _EPS).any():
            return rows[:0]
        groups = self.groups(rows)
        g = self.guaranteed(rows)
        if g is None:
            g = np.zeros(rows.size, dtype=bool)
        for rule in self.guarantees:
            g = g | rule(rows)
        limit = np.where(g, hard_free.take(groups), open_free.take(groups))
        weight = pop.weight[rows]
        # rows that could take at least one unit (a nearly full district does not sort its whole queue)
        room = limit >= weight - _EPS
        if not room.all():
            if not room.any():
                return rows[:0]
            # compress: the same elements as boolean indexing, faster where the rows with room are scattered
            rows, groups, g, limit, weight = (a.compress(room) for a in (rows, groups, g, limit, weight))
        score = model.policy_set.priority(self.name, rows)
        if score is None:
            score = self.default_priority(rows)
        # by group, guaranteed first, then score, ties broken at random: a random permutation, then a stable sort
        # by the rest; when the scores are whole numbers (months waited, points) the rest is one exact float key
        shuffled = self.rng.permutation(rows.size)
        first = (groups * 2 + ~g)[shuffled]
        score = np.asarray(score, dtype=float)[shuffled]
        span = float(np.maximum.reduce(np.abs(score), initial=0.0)) * 2 + 1
        whole = bool((score == np.rint(score)).all())
        if span * (float(np.maximum.reduce(first, initial=0)) + 1) < 2.0**52 and whole:
            key = first * span - score
            low, high = np.minimum.reduce(key, initial=0.0), np.maximum.reduce(key, initial=0.0)
            if -(2.0**15) <= low and high < 2.0**15:
                key = key.astype(np.int16)  # a stable sort of 16-bit keys is a radix sort
            order = shuffled[key.argsort(kind="stable")]
        else:
            order = shuffled[np.lexsort((-score, first))]
        # the limits and weights of the room check, put in the same order (not gathered again)
        rows, groups, limit, weight = rows[order], groups[order], limit[order], weight[order]
        units = wait[rows].astype(np.int64)
        demand = units * weight
        cum = demand.cumsum()
        start = np.empty(rows.size, dtype=bool)
        start[0] = True
        np.not_equal(groups[1:], groups[:-1], out=start[1:])
        # units admitted before each row within its group: less the cumulated demand before the group's first row
        # (its index carried along the group by a running maximum)
        head = np.maximum.accumulate(np.arange(rows.size) * start)
        cum_in = cum - (cum - demand)[head]
        full = cum_in <= limit * (1 + 1e-12) + _EPS
        # the first row that does not fit in its group takes what is left (the row before it fitted, or it starts)
        first_fail = ~full & (start | np.concatenate(([True], full[:-1])))
        room_left = limit - (cum_in - demand)
        # np.clip(x, 0, units - 1) as its maximum, then minimum
        partial = np.minimum(np.maximum(np.floor((room_left - _EPS) / weight), 0), units - 1).astype(np.int64)
        adm = np.where(full, units, partial * first_fail)
        got = adm > 0
        rows, adm, groups, weight = (a.compress(got) for a in (rows, adm, groups, weight))
        if rows.size == 0:
            return rows
        adm16 = adm.astype(np.int16)
        self.held[rows] += adm16
        if self.per_district:
            pop.col(self.at_col)[rows] = pop.district[rows]
        left = wait[rows] - adm16
        wait[rows] = left
        self.waiting_months[rows] = np.where(left > 0, self.waiting_months[rows], 0)
        aw = adm * weight
        self.admitted = float(aw.sum())
        self.used_after = used + np.bincount(groups, weights=aw, minlength=used.size)
        self.on_admit(rows, adm)
        return rows

    # --- statistics ----------------------------------------------------------------------------------
    def excluded_demand(self) -> float:
        """Real units needed by households the policies give no access (not queued; computed on demand)."""
        pop = self.model.pop
        lack = np.maximum(self.need_all().astype(np.int64) - self.held, 0)
        rows = np.flatnonzero((lack > 0) & ~self.model.services.access(self.name))
        return float((lack[rows].astype(float) * pop.weight[rows]).sum())

    def unmet(self) -> float:
        """Real units still waiting (queued demand not served)."""
        pop = self.model.pop
        w = self.waiting
        rows = np.flatnonzero(w > 0)
        return float((w[rows] * pop.weight[rows]).sum())

    def mean_wait(self) -> float:
        """Mean months waited by queued units (weighted), 0 when nobody waits."""
        pop = self.model.pop
        w = self.waiting
        rows = np.flatnonzero(w > 0)
        if rows.size == 0:
            return 0.0
        ww = w[rows] * pop.weight[rows]
        return float((self.waiting_months[rows] * ww).sum() / ww.sum())


__all__ = ["AllRows", "Entitlement", "Registration", "Service", "ServiceSet", "all_rows", "take"]
