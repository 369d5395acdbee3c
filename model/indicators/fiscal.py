"""Fiscal (Yanta "amount of budgetary expenditure by sector of service"): spending by sector and by payer, per
resident, households' fees, and the city budget's revenue and balance (model/budget.py)."""

from __future__ import annotations

from collections.abc import Callable

from urbanize.model.budget import HOUSEHOLDS, PUBLIC_PAYERS
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
    return ratio(s.model.ledger.spend(), s.residents)


@indicator(
    "fiscal_spend_12m",
    "Public spending on the modelled services a month, averaged over the last 12 months (annual items such as "
    "January's school construction and talent-flat quota spread over their year)",
    "yuan/month",
)
def fiscal_spend_12m(s: Snapshot) -> float:
    return s.model.ledger.spend_last_year()


@indicator("fiscal_spend_cumulative", "Public spending on the modelled services since the start", "yuan")
def fiscal_spend_cumulative(s: Snapshot) -> float:
    return s.model.ledger.spend(cumulative=True)


# --- payers and the city budget (model/budget.py; seed, Zhengzhou: "implications of the piloting for local
# finance", "financial transfers from upper-level governments") -------------------------------------------------
def _payer_spend(payer: str) -> Callable[[Snapshot], float]:
    def spend(s: Snapshot) -> float:
        return s.model.ledger.spend(payer=payer)

    return spend


for _payer in PUBLIC_PAYERS:
    indicator(
        f"fiscal_spend_payer_{_payer}",
        f"Public spending on the modelled services paid by the {_payer} this month (after transfers)",
        "yuan/month",
    )(_payer_spend(_payer))

indicator(
    "household_fees_and_contributions",
    "Households' school fees and individual pension and medical insurance contributions this month",
    "yuan/month",
)(_payer_spend(HOUSEHOLDS))


@indicator(
    "fiscal_transfer_share",
    "Share of this month's public spending on the modelled services paid by the province and the centre",
    "share",
)
def fiscal_transfer_share(s: Snapshot) -> float:
    ledger = s.model.ledger
    return ratio(ledger.spend(payer="province") + ledger.spend(payer="central"), ledger.spend())


@indicator(
    "city_revenue", "City revenue for the modelled services this month (grows with residents and income)",
    "yuan/month",
)
def city_revenue(s: Snapshot) -> float:
    return s.model.budget.revenue_month


@indicator(
    "city_budget_balance",
    "City revenue for the modelled services since the start minus city and district spending since the start",
    "yuan",
)
def city_budget_balance(s: Snapshot) -> float:
    return s.model.budget.balance()


@indicator(
    "capital_refused_by_budget",
    "Capacity expansion asked for but not paid for because a sector's budget was spent, since the start "
    "(0 without the budget_limit policy)",
    "yuan",
)
def capital_refused_by_budget(s: Snapshot) -> float:
    return float(sum(s.model.budget.refused.values()))
