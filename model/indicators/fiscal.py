"""Fiscal (Yanta "amount of budgetary expenditure by sector of service"): spending by sector, per resident."""

from __future__ import annotations

from collections.abc import Callable

from urbanize.model.indicators.base import Snapshot, indicator, ratio
from urbanize.model.ledger import SECTORS


@indicator(
    "fiscal_spend_total", "Public spending on the modelled services this month, all payers", "yuan/month"
)
def fiscal_spend_total(s: Snapshot) -> float:
    return s.model.ledger.spend()


def _sector_spend(sector: str) -> Callable[[Snapshot], float]:
    def spend(s: Snapshot) -> float:
        return s.model.ledger.spend(sector)

    return spend


for _sector in SECTORS:
    indicator(
        f"fiscal_spend_{_sector}",
        f"Public spending on {_sector.replace('_', ' ')} this month, all payers",
        "yuan/month",
    )(_sector_spend(_sector))


@indicator("fiscal_spend_per_resident", "Public spending on the modelled services per resident", "yuan/month")
def fiscal_spend_per_resident(s: Snapshot) -> float:
    return ratio(s.model.ledger.spend(), float(s.pw.sum()))


@indicator("fiscal_spend_cumulative", "Public spending on the modelled services since the start", "yuan")
def fiscal_spend_cumulative(s: Snapshot) -> float:
    return s.model.ledger.spend(cumulative=True)
