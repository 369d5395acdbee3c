"""Yanta's "new citizen" health project: "Number of migrant women who have participated in the health project".

Migrant women of reproductive age (18-44, ``model/members.py``) in households the project reaches: while
``new_citizen_health`` runs, those of migrant households resident at least its ``min_months_resident`` months
(reproductive health services reach them all, as the policy books them); without it, none.
"""

from __future__ import annotations

import numpy as np

from urbanize.model.indicators.base import Snapshot
from urbanize.model.indicators.service_base import service_indicator
from urbanize.model.members import FEMALE, band_index


@service_indicator(
    "health_project_migrant_women",
    "Migrant women aged 18-44 taking part in the 'new citizen' health project (Yanta)",
    "persons",
)
def health_project_migrant_women(s: Snapshot) -> float:
    policy = s.model.policy_set.get("new_citizen_health")
    if policy is None:
        return 0.0
    pop = s.pop
    rows = np.flatnonzero(~pop.hukou_local & (pop.months_resident >= policy.params.min_months_resident))
    women = pop.members[FEMALE][band_index(["18-29", "30-44"])][:, rows].sum(axis=0)
    return float((women * pop.weight[rows]).sum())
