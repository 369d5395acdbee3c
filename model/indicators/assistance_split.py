"""Assistance recipients cross-tabulated by group and sex (Yanta: "Sex disaggregated statistics on number of
recipients for interim assistance, and by local farmers and migrants"): households by group x sex of the head, and
persons of recipient households by sex (``model/members.py``)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from urbanize.model.enums import HouseholdType
from urbanize.model.indicators.assistance import recipients
from urbanize.model.indicators.base import Snapshot
from urbanize.model.indicators.service_base import cached, service_indicator
from urbanize.model.members import FEMALE, MALE


def _group_mask(s: Snapshot, group: str, rows: np.ndarray) -> np.ndarray:
    pop = s.pop
    if group == "migrant":
        return ~pop.hukou_local[rows]
    if group == "local_farmer":
        return pop.htype[rows] == int(HouseholdType.LOCAL_FARMER)
    return pop.hukou_local[rows] & (pop.htype[rows] != int(HouseholdType.LOCAL_FARMER))


def _households(kind: str, group: str, female: bool) -> Callable[[Snapshot], float]:
    def households(s: Snapshot) -> float:
        rows = recipients(s, kind)
        keep = _group_mask(s, group, rows) & (s.pop.head_female[rows] == female)
        return float(s.pop.weight[rows[keep]].sum())

    return households


def _persons(kind: str, sex: int) -> Callable[[Snapshot], float]:
    def persons(s: Snapshot) -> float:
        def by_sex() -> list[float]:
            """Both sexes' weighted persons of the recipient rows (the two indicators ask in turn)."""
            rows, members = recipients(s, kind), s.pop.members
            w = s.pop.weight[rows]
            # band by band, 1-D gathers: a gather of the rows' columns of a strided 2-D slice is twice as slow;
            # the 16-bit sums of a household's few persons are exact
            return [
                float((sum(members[sex_, band][rows] for band in range(members.shape[1])) * w).sum())
                for sex_ in (MALE, FEMALE)
            ]

        return cached(s, f"recipient_persons_{kind}", by_sex)[sex]

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
