"""Population: residents by household type, hukou shares and the urbanization rates."""

from __future__ import annotations

from collections.abc import Callable

from urbanize.model.enums import HouseholdType
from urbanize.model.indicators.base import Snapshot, indicator


@indicator("residents", "Resident population", "persons")
def residents(s: Snapshot) -> float:
    return s.residents


def _residents_of(t: HouseholdType) -> Callable[[Snapshot], float]:
    def residents_of_type(s: Snapshot) -> float:
        return float(s.by_type[int(t)])

    residents_of_type.__doc__ = f"Residents living in {t.label} households"
    return residents_of_type


for _t in HouseholdType:
    indicator(f"residents_{_t.label}", f"Residents in {_t.label.replace('_', ' ')} households", "persons")(
        _residents_of(_t)
    )


@indicator("migrant_share", "Share of residents without local hukou (the seed's 'migrants')", "share")
def migrant_share(s: Snapshot) -> float:
    return s.share_of("nonlocal")


@indicator("local_hukou_share", "Share of residents holding local hukou", "share")
def local_hukou_share(s: Snapshot) -> float:
    return s.share_of("not nonlocal")


@indicator("urban_hukou_share_of_locals", "Share of local-hukou residents whose hukou is urban", "share")
def urban_hukou_share_of_locals(s: Snapshot) -> float:
    return s.share_of("hukou_urban", "not nonlocal")


@indicator("urbanization_rate_residence", "Share of residents living in urban districts", "share")
def urbanization_rate_residence(s: Snapshot) -> float:
    return s.share_of("urban_district")


@indicator("urbanization_rate_hukou", "Share of residents holding urban hukou (local or elsewhere)", "share")
def urbanization_rate_hukou(s: Snapshot) -> float:
    return s.share_of("hukou_urban")


@indicator(
    "urbanization_gap", "Urbanization by residence minus by hukou (2010 national: 50.3 - 39.3 %)", "share"
)
def urbanization_gap(s: Snapshot) -> float:
    return urbanization_rate_residence(s) - urbanization_rate_hukou(s)
