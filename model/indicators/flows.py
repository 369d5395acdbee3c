"""Flows of the month: arrivals, departures, births, deaths, households formed, return migration."""

from __future__ import annotations

from collections.abc import Callable

from urbanize.model.indicators.base import Snapshot, indicator, ratio


def _flow(key: str) -> Callable[[Snapshot], float]:
    def flow(s: Snapshot) -> float:
        return s.model.flows[key]

    return flow


for _key, _doc in (
    ("arrivals", "Persons arriving in new migrant households this month"),
    ("departures", "Persons leaving the city this month (return migration, dissolved households)"),
    ("births", "Births this month"),
    ("deaths", "Deaths this month"),
):
    indicator(_key, _doc, "persons/month")(_flow(_key))
indicator(
    "households_formed",
    "New local couple households formed by young adults leaving home this month",
    "households/month",
)(_flow("households_formed"))


@indicator(
    "return_migration_rate", "Departures this month as a share of non-local-hukou residents", "1/month"
)
def return_migration_rate(s: Snapshot) -> float:
    return ratio(s.model.flows["departures"], s.persons_with("nonlocal"))
