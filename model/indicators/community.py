"""Training and community (Yanta, Changshu, Jinnan): training participants and completions, community centres, sanitation."""

from __future__ import annotations

from urbanize.model.enums import DistrictKind
from urbanize.model.indicators.base import Snapshot, ratio
from urbanize.model.indicators.service_base import NAN, service_indicator, services_of
from urbanize.model.indicators.tables import HOUSEHOLDS


@service_indicator("training_participants", "Persons in subsidised vocational training this month", "persons")
def training_participants(s: Snapshot) -> float:
    svc = services_of(s)
    return NAN if svc is None else float(svc.training.used_after.sum())


@service_indicator(
    "training_completed", "Persons completing a vocational training course this month", "persons"
)
def training_completed(s: Snapshot) -> float:
    svc = services_of(s)
    return NAN if svc is None else svc.training.completed


@service_indicator(
    "community_centre_coverage", "Share of households served by a community service centre", "share"
)
def community_centre_coverage(s: Snapshot) -> float:
    svc = services_of(s)
    if svc is None:
        return NAN
    return ratio(float(svc.community.used_after.sum()), HOUSEHOLDS.total(s))


@service_indicator(
    "sanitation_coverage_urban_village",
    "Share of urban-village residents covered by sanitation services (Yanta)",
    "share",
)
def sanitation_coverage_urban_village(s: Snapshot) -> float:
    svc = services_of(s)
    if svc is None:
        return NAN

    covered = residents = 0.0
    for d in s.model.profile.districts:
        if d.kind is DistrictKind.URBAN_VILLAGE:
            here = float((s.pw * (s.pop.district == d.index)).sum())
            residents += here
            covered += here * float(svc.sanitation_coverage[d.index])
    return ratio(covered, residents)
