"""Education: public primary and junior middle school seats (counted in classes) and private migrant schools.

Hukou holders' children are *guaranteed* a public seat (the district must enrol them, up to the physical limit
``max_class_size`` per class); others are admitted only into planned seats (``class_size_norm`` per class).
Class size is pupils / classes. Private migrant schools take compulsory-age children without a public seat.
Non-hukou pupils pay a public school fee (``fee_nonlocal``), private pupils the school's tuition; which a family
would pay is decided by ``take_up.school_choice`` (docs/model.md, section 7.3, "Fees and take-up").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from urbanize.model.services.base import Service
from urbanize.model.services.costs import COSTS

if TYPE_CHECKING:
    from urbanize.model.core import UrbanizationModel


def kept_or_all(held: np.ndarray, wanted: np.ndarray, pays: np.ndarray) -> np.ndarray:
    """``wanted`` where the family pays (``pays``), else the places it holds up to ``wanted``: the values of
    ``np.where(pays, wanted, np.minimum(held, wanted))`` without its branch per row (``pays`` is scattered over the
    rows, where a select mispredicts: 82 -> 41 us over 100,000 rows), exact in integers."""
    out = np.minimum(held, wanted)
    out += (wanted - out) * pays
    return out


class PublicSchool(Service):
    """Public school seats of one level, per district, counted in classes.

    Hard capacity is ``classes x max_class_size`` (physical limit); open capacity is ``classes x open_size``, where
    ``open_size`` is the class size up to which a district admits children without a guaranteed seat: the norm,
    or the crowding its schools already carried at the start (a city that ran classes of 50 in 2009 kept admitting
    to 50; starting above the norm and admitting only to it made the status quo shed migrant pupils in its first
    year). Hukou holders' children are guaranteed a seat (compulsory enrolment of the district's registered
    children), so lowering the hukou threshold without building classes overloads them (the Zhengzhou 2003 reform).
    """

    sector = "education"
    unit = "seats"
    kids_col = "kids_6_11"

    def __init__(self, model: UrbanizationModel, norm: float, max_class: float) -> None:
        super().__init__(model)
        self.norm = float(norm)
        self.max_class = float(max(max_class, norm))
        self.classes = np.zeros(self.capacity.size)
        self.open_size = np.full(self.capacity.size, self.norm)  # per district (see the class docstring)
        self.unit_cost = COSTS[self.name][0]
        self.fee_nonlocal = COSTS["school_fee_nonlocal"][0]
        self.nonlocal_pupils = 0.0  # real non-hukou pupils after this month's allocation

    def set_classes(self, classes: np.ndarray) -> None:
        self.classes = np.maximum(np.asarray(classes, dtype=float), 0.0)
        self.capacity = self.classes * self.max_class
        self.open_capacity = self.classes * self.open_size

    def add_classes(self, extra: np.ndarray | float) -> None:
        """Build classes (each adds ``norm`` planned seats and ``max_class_size`` hard seats)."""
        self.set_classes(self.classes + np.maximum(np.asarray(extra, dtype=float), 0.0))

    def add_capacity(self, extra: np.ndarray | float, open_extra: np.ndarray | float | None = None) -> None:
        """Add ``extra`` planned seats per district: ``extra / open_size`` classes. A new class admits up to the
        district's ``open_size`` as its other classes do, so classes counted at the norm gave ``extra x open_size
        / norm`` planned seats where a district started above the norm (Zhengzhou, Yanta), more than were asked
        and paid for."""
        self.add_classes(np.asarray(extra, dtype=float) / self.open_size)

    def set_capacity(self, capacity: np.ndarray | float, open_share: float = 1.0) -> None:
        """Set the hard capacity (classes = capacity / max class size); planned seats follow the norm."""
        cap = np.broadcast_to(np.asarray(capacity, dtype=float), self.capacity.shape)
        self.set_classes(cap / self.max_class)

    def need_all(self) -> np.ndarray:
        """Children of this level, where the family would pay the public fees (``take_up.school_choice``); a
        family that would not keeps the seats it holds."""
        pop = self.model.pop
        kids = pop.col(self.kids_col)
        return kept_or_all(self.held, kids, pop.pays_public)

    def guaranteed(self, rows: np.ndarray) -> np.ndarray:
        return self.model.pop.hukou_local[rows]

    def used(self) -> np.ndarray:
        pop = self.model.pop
        h = self.held
        rows = (h > 0).nonzero()[0]  # as Service.used
        hw = h[rows] * pop.weight[rows]
        # compress: the same elements as boolean indexing, faster on the scattered non-hukou pupils
        self.nonlocal_pupils = float(hw.compress(~pop.hukou_local[rows]).sum())
        return np.bincount(self.groups(rows), weights=hw, minlength=self.capacity.size)

    def on_admit(self, rows: np.ndarray, units: np.ndarray) -> None:
        pop = self.model.pop
        nl = ~pop.hukou_local[rows]
        self.nonlocal_pupils += float((units[nl].astype(float) * pop.weight[rows[nl]]).sum())

    def cost(self) -> float:
        """Per-pupil expenditure for every public pupil, less the fees non-hukou pupils pay."""
        total = float(self.used_after.sum())
        return max(self.unit_cost * total - self.fee_nonlocal * self.nonlocal_pupils, 0.0)

    def fees(self) -> float:
        """The fees non-hukou pupils' households pay (no more than the schools' spending they offset)."""
        return min(self.fee_nonlocal * self.nonlocal_pupils, self.unit_cost * float(self.used_after.sum()))

    def cost_by_hukou(self) -> tuple[float, float]:
        """(local, non-local) split of :meth:`cost` by the pupil's hukou: a non-hukou pupil costs the per-pupil
        expenditure less the fee paid (never below nothing, never above the total)."""
        total = self.cost()
        nonlocal_ = min(max(self.unit_cost - self.fee_nonlocal, 0.0) * self.nonlocal_pupils, total)
        return total - nonlocal_, nonlocal_


class PrimarySchool(PublicSchool):
    name = "primary_school"
    kids_col = "kids_6_11"
    cost_source = COSTS["primary_school"][1]


class JuniorSchool(PublicSchool):
    name = "junior_school"
    kids_col = "kids_12_14"
    cost_source = COSTS["junior_school"][1]


class PrivateMigrantSchool(Service):
    """Private schools for migrant children: compulsory-age children without a public seat may enrol.

    Private migrant schools are businesses that open and close places with demand, with a lag: each month a
    district's capacity moves ``response`` of the way to its demand (pupils plus children queued) with
    ``slack`` spare seats (:meth:`adjust`). With no shortage of buildings or teachers enrolment therefore stays
    near 100 % unless a policy or a shortage says otherwise (seed ch.2 V.2: Changshu enrols 100 % of migrant
    children, 30 % of them in private schools). Assumed: about three months to open a class (``response`` 1/3 a
    month) and 5 % spare seats (the city file's ``private_school_slack``).
    """

    name = "private_migrant_school"
    sector = "education"
    unit = "seats"
    cost_source = COSTS["private_migrant_school"][1]

    def __init__(self, model: UrbanizationModel, response: float = 1.0 / 3.0, slack: float = 0.05) -> None:
        super().__init__(model)
        self.subsidy = 0.0  # yuan per pupil-month paid by the city (``migrant_education`` sets it)
        self.response = float(response)  # share of the gap to demand closed a month
        self.slack = float(slack)  # spare seats kept, as a share of demand

    def adjust(self, used: np.ndarray | None = None, queued: np.ndarray | None = None) -> None:
        """Open or close places: capacity moves ``response`` of the way to demand (pupils and queued children)
        plus ``slack`` spare seats, per district (``used``, ``queued``: :meth:`used`, :meth:`queued` when the caller
        has them)."""
        used = self.used() if used is None else used
        queued = self.queued() if queued is None else queued
        target = (used + queued) * (1.0 + self.slack)
        self.set_capacity(self.capacity + self.response * (target - self.capacity))

    def need_all(self) -> np.ndarray:
        """Children of compulsory age without a public seat, where the family would pay the tuition
        (``take_up.school_choice``); a family that would not keeps the places it holds."""
        pop = self.model.pop
        without = np.maximum(
            pop.kids_6_11 + pop.kids_12_14 - pop.col("use_primary_school") - pop.col("use_junior_school"), 0
        )
        return kept_or_all(self.held, without, pop.pays_private)

    def reconcile(self) -> np.ndarray:
        """Release private seats of children who just got a public seat; shorten their queue. Returns the rows
        still waiting (:meth:`queue_rows`)."""
        need = self.need_all()
        held, wait = self.held, self.waiting
        over = np.flatnonzero(held > need)
        if over.size:
            held[over] = need[over]
        w = np.flatnonzero(wait > 0)
        left = np.minimum(wait[w], need[w] - held[w])
        wait[w] = left
        self.waiting_months[w[left == 0]] = 0
        return w[left > 0]

    def cost(self) -> float:
        return self.subsidy * float(self.used_after.sum()) if self.subsidy > 0 else 0.0

    def cost_by_hukou(self) -> tuple[float, float]:
        """(local, non-local) split of :meth:`cost` by the pupil's hukou (the allowance per pupil)."""
        if self.subsidy <= 0:
            return 0.0, 0.0
        pop = self.model.pop
        nonlocal_ = self.subsidy * float((self.held * pop.weight * ~pop.hukou_local).sum())
        return self.cost() - nonlocal_, nonlocal_
