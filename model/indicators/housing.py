"""The housing market: vacancy by tenure and the dwelling stock."""

from __future__ import annotations

from collections.abc import Callable

from urbanize.model.enums import Residence
from urbanize.model.housing import MARKET
from urbanize.model.indicators.base import Snapshot, indicator


@indicator(
    "housing_vacancy_rate",
    "Vacant share of dormitories, private rentals and owned homes (the housing market)",
    "share",
)
def housing_vacancy_rate(s: Snapshot) -> float:
    return s.model.housing.vacancy_rate(vacant=s.vacant_dwellings)


def _vacancy_of(tenure: Residence) -> Callable[[Snapshot], float]:
    def vacancy(s: Snapshot) -> float:
        return s.model.housing.vacancy_rate((tenure,), vacant=s.vacant_dwellings)

    return vacancy


for _tenure in MARKET:
    _label = _tenure.name.lower()
    indicator(f"housing_vacancy_{_label}", f"Vacant share of {_label.replace('_', ' ')} dwellings", "share")(
        _vacancy_of(_tenure)
    )


@indicator(
    "dwellings",
    "Dwellings of every tenure (including public rental flats and urban-village rooms)",
    "dwellings",
)
def dwellings(s: Snapshot) -> float:
    return float(s.model.housing.dwellings.sum())


@indicator(
    "dwellings_built", "Dormitories, private rentals and owned homes built since the start", "dwellings"
)
def dwellings_built(s: Snapshot) -> float:
    return s.model.housing.built
