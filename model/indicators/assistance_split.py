"""Assistance recipients cross-tabulated by group and sex (Yanta: "Sex disaggregated statistics on number of
recipients for interim assistance, and by local farmers and migrants"): households by group x sex of the head, and
persons of recipient households by sex (``model/members.py``)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from urbanize.model.enums import HouseholdType
from urbanize.model.indicators.base import Snapshot
from urbanize.model.indicators.service_base import cached, service_indicator
from urbanize.model.members import FEMALE, MALE


def _recipients(s: Snapshot, kind: str) -> np.ndarray:
    """Rows receiving ``kind`` this month: "interim" (one-off hardship aid) or "any" (dibao or one-off aid)."""

    def compute() -> np.ndarray:
        pop = s.pop
        interim = pop.aid_month == s.model.month
        return np.flatnonzero(interim if kind == "interim" else interim | (pop.dibao > 0))

    return cached(s, f"recipients_{kind}", compute)


def _group_mask(s: Snapshot, group: str, rows: np.ndarray) -> np.ndarray:
    pop = s.pop
    if group == "migrant":
        return ~pop.hukou_local[rows]
    if group == "local_farmer":
        return pop.htype[rows] == HouseholdType.LOCAL_FARMER
    return pop.hukou_local[rows] & (pop.htype[rows] != HouseholdType.LOCAL_FARMER)


def _households(kind: str, group: str, female: bool) -> Callable[[Snapshot], float]:
    def households(s: Snapshot) -> float:
        rows = _recipients(s, kind)
        keep = _group_mask(s, group, rows) & (s.pop.head_female[rows] == female)
        return float(s.pop.weight[rows[keep]].sum())

    return households


def _persons(kind: str, sex: int) -> Callable[[Snapshot], float]:
    def persons(s: Snapshot) -> float:
        rows = _recipients(s, kind)
        return float((s.pop.members[sex][:, rows].sum(axis=0) * s.pop.weight[rows]).sum())

    return persons


for _kind, _what in (("interim", "one-off hardship aid"), ("any", "dibao or one-off aid")):
    _prefix = "interim_aid" if _kind == "interim" else "assistance"
    for _group in ("migrant", "local_farmer", "local_other"):
        for _female, _sex in ((True, "female"), (False, "male")):
            service_indicator(
                f"{_prefix}_households_{_group}_{_sex}_head",
                f"Households receiving {_what} this month: {_group.replace('_', ' ')}, {_sex} head",
                "households",
            )(_households(_kind, _group, _female))
    for _sex_index, _sex in ((FEMALE, "female"), (MALE, "male")):
        service_indicator(
            f"{_prefix}_persons_{_sex}",
            f"{_sex.capitalize()} persons in households receiving {_what} this month",
            "persons",
        )(_persons(_kind, _sex_index))
