"""Assistance (Yanta, Jinnan): recipients of dibao or one-off aid by sex of the head and by group."""

from __future__ import annotations

import numpy as np

from urbanize.model.enums import HouseholdType
from urbanize.model.indicators.base import Snapshot
from urbanize.model.indicators.service_base import NAN, cached, service_indicator, services_of


def _recipients(s: Snapshot) -> np.ndarray:
    def compute() -> np.ndarray:
        pop = s.pop
        return np.flatnonzero((pop.dibao > 0) | (pop.aid_month == s.model.month))

    return cached(s, "recipients", compute)


@service_indicator(
    "assistance_recipients_female",
    "Households with a female head receiving dibao or one-off hardship aid this month",
    "households",
)
def assistance_recipients_female(s: Snapshot) -> float:
    rows = _recipients(s)
    return float(s.pop.weight[rows][s.pop.head_female[rows]].sum())


@service_indicator(
    "assistance_recipients_male",
    "Households with a male head receiving dibao or one-off hardship aid this month",
    "households",
)
def assistance_recipients_male(s: Snapshot) -> float:
    rows = _recipients(s)
    return float(s.pop.weight[rows][~s.pop.head_female[rows]].sum())


@service_indicator(
    "assistance_recipients_migrant",
    "Migrant households receiving dibao or one-off aid this month",
    "households",
)
def assistance_recipients_migrant(s: Snapshot) -> float:
    rows = _recipients(s)
    return float(s.pop.weight[rows][~s.pop.hukou_local[rows]].sum())


@service_indicator(
    "assistance_recipients_local_farmer",
    "Local-farmer households receiving dibao or one-off aid this month",
    "households",
)
def assistance_recipients_local_farmer(s: Snapshot) -> float:
    rows = _recipients(s)
    return float(s.pop.weight[rows][s.pop.htype[rows] == HouseholdType.LOCAL_FARMER].sum())


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
