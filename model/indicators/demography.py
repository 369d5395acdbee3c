"""Demography: the crude birth rate and the share of residents aged 60 and over (scored against published
national rates in ``model/targets.toml``)."""

from __future__ import annotations

from urbanize.model.indicators.base import Snapshot, indicator


@indicator(
    "crude_birth_rate",
    "Births this month at an annual rate per 1,000 residents (national 2010-2015: 11.9-12.4)",
    "per 1,000/year",
)
def crude_birth_rate(s: Snapshot) -> float:
    residents = s.residents
    return 12_000.0 * s.model.flows["births"] / residents if residents > 0 else float("nan")


@indicator(
    "share_aged_60_plus",
    "Share of residents aged 60 and over (2010 census, national: 13.26 %)",
    "share",
)
def share_aged_60_plus(s: Snapshot) -> float:
    residents = s.residents
    return s.weighted_total("elders") / residents if residents > 0 else float("nan")
