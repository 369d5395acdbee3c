"""Education coupons (Yanta): coupons issued and used, by type and by group of the receiving household.

Seed ch.2 III.2 (Yanta, vocational education): "distribute training subsidies in the form of education coupon";
indicator "Type and amount of education coupon issued to local farmers and migrants". The policies that hand out
coupons record them here (``training_coupons``: a vocational-training coupon is issued and used when a course
starts; ``city_life_skills``: city-life skills coupons are issued each January and used, or not, over the year);
the book itself changes nothing in a run.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

import numpy as np

from urbanize.model.enums import HouseholdType

if TYPE_CHECKING:
    from urbanize.model.core import UrbanizationModel

#: Coupon types the policies issue.
COUPON_TYPES = ("training", "city_life")
#: Groups of the receiving household.
GROUPS = ("migrant", "local_farmer", "other")


class CouponBook:
    """Coupons issued and used (real households), this month and since the start, by (type, group)."""

    def __init__(self, model: UrbanizationModel) -> None:
        self.model = model
        self.month: dict[tuple[str, str, str], float] = defaultdict(float)  # (action, type, group)
        self.cumulative: dict[tuple[str, str, str], float] = defaultdict(float)
        self._month_of = -1

    def _groups(self, rows: np.ndarray) -> np.ndarray:
        pop = self.model.pop
        return np.where(
            ~pop.hukou_local[rows], 0, np.where(pop.htype[rows] == HouseholdType.LOCAL_FARMER, 1, 2)
        )

    def record(self, action: str, kind: str, rows: np.ndarray) -> None:
        """Book ``rows`` as having been issued (``action="issued"``) or having used a coupon of ``kind``."""
        if action not in ("issued", "used") or kind not in COUPON_TYPES:
            raise ValueError(f"unknown coupon record ({action!r}, {kind!r}); types: {', '.join(COUPON_TYPES)}")
        if self._month_of != self.model.month:
            self.month = defaultdict(float)
            self._month_of = self.model.month
        w = np.bincount(self._groups(rows), weights=self.model.pop.weight[rows], minlength=len(GROUPS))
        for g, name in enumerate(GROUPS):
            self.month[(action, kind, name)] += float(w[g])
            self.cumulative[(action, kind, name)] += float(w[g])

    def count(self, action: str, kind: str, group: str | None = None, cumulative: bool = False) -> float:
        """Coupons of ``kind`` issued or used this month (or since the start), of one group or all."""
        book = self.cumulative if cumulative else (self.month if self._month_of == self.model.month else {})
        return float(sum(v for (a, k, g), v in book.items() if a == action and k == kind and group in (None, g)))

    def take_up(self, kind: str) -> float:
        """Coupons used per coupon issued since the start (NaN before any is issued)."""
        issued = self.count("issued", kind, cumulative=True)
        return self.count("used", kind, cumulative=True) / issued if issued > 0 else float("nan")
