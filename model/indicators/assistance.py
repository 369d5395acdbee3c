"""Assistance (Yanta, Jinnan): recipients of dibao or one-off aid by sex of the head and by group."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from urbanize.model.enums import HouseholdType
from urbanize.model.indicators.base import Snapshot
from urbanize.model.indicators.service_base import NAN, cached, service_indicator, services_of


def recipients(s: Snapshot, kind: str = "any") -> np.ndarray:
    """Rows receiving ``kind`` this month, once a month: "interim" (one-off hardship aid) or "any" (dibao or
    one-off aid; also the recipients of ``assistance_split``)."""

    def compute() -> np.ndarray:
        pop = s.pop
        interim = pop.aid_month == s.model.month
        return np.flatnonzero(interim if kind == "interim" else interim | (pop.dibao > 0))

    return cached(s, f"recipients_{kind}", compute)


def _recipients_where(mask: Callable[[Snapshot, np.ndarray], np.ndarray]) -> Callable[[Snapshot], float]:
    """Households receiving dibao or one-off aid this month among those where ``mask(s, rows)`` holds."""

    def households(s: Snapshot) -> float:
        rows = recipients(s)
        return float(s.pop.weight[rows][mask(s, rows)].sum())

    return households


#: (indicator name, description, mask of the recipient rows), in column order
_BY_GROUP: tuple[tuple[str, str, Callable[[Snapshot, np.ndarray], np.ndarray]], ...] = (
    ("assistance_recipients_female", "Households with a female head receiving dibao or one-off hardship aid this month",
     lambda s, rows: s.pop.head_female[rows]),
    ("assistance_recipients_male", "Households with a male head receiving dibao or one-off hardship aid this month",
     lambda s, rows: ~s.pop.head_female[rows]),
    ("assistance_recipients_migrant", "Migrant households receiving dibao or one-off aid this month",
     lambda s, rows: ~s.pop.hukou_local[rows]),
    ("assistance_recipients_local_farmer", "Local-farmer households receiving dibao or one-off aid this month",
     lambda s, rows: s.pop.htype[rows] == int(HouseholdType.LOCAL_FARMER)),
)
for _name, _doc, _mask in _BY_GROUP:
    service_indicator(_name, _doc, "households")(_recipients_where(_mask))


@service_indicator("dibao_households", "Households receiving dibao (urban or rural)", "households")
def dibao_households(s: Snapshot) -> float:
    svc = services_of(s)
    return NAN if svc is None else svc.dibao.recipients


@service_indicator(
    "hardship_aid_households", "Households receiving one-off hardship aid this month", "households"
)
def hardship_aid_households(s: Snapshot) -> float:
    svc = services_of(s)
    return NAN if svc is None else svc.hardship_aid.recipients
