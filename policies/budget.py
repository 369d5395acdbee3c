"""The city budget as a lever: capacity expansion stops when a sector's yearly capital allowance is spent.

Seed ch.2 II.2 (Zhengzhou, education): "development of compulsory education faces shortage of funds"; "how to
raise and allocate compulsory education funds ... including financial transfers from upper-level governments";
Zhengzhou overall: "implications of the piloting for local finance"; Yanta: "Finance department conducts
calculations of expenditures on various services based on budgets provided by sectoral departments".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from urbanize.model.budget import FiscalParams
from urbanize.model.params import param
from urbanize.model.provenance import assumed
from urbanize.policies.base import Policy
from urbanize.policies.registry import register

if TYPE_CHECKING:
    from urbanize.model.core import UrbanizationModel


@register
class BudgetLimit(Policy):
    """All pilots: each sector's capacity expansion is limited by the city's budget for it.

    Mechanism: each January the city sets aside ``capital_share`` of a year's revenue for the modelled services
    (``model.budget``: ``revenue_per_resident`` per resident plus ``revenue_income_share`` of households' income,
    so it grows with residents and the economy) as each sector's capital allowance. A policy that builds capacity
    with a construction cost (school classes by ``school_construction`` and ``migrant_education``, public rental
    flats by ``public_rental_housing``) builds only the part of its plan the allowance left pays for; the rest
    is refused (indicator ``capital_refused_by_budget``) and asked for again the next month. The transfer rules
    (``<sector>_province``, ``<sector>_central``: the shares of local spending the province and the centre pay)
    and the revenue parameters are this policy's too (the same defaults apply without it); ``limit=false`` keeps
    them and limits nothing. Expansions without a booked capital cost (community centre places, health profile
    capacity, training places) are not limited: the model books no construction cost for them.

    Without this policy nothing is limited, so the status quo and every pilot run as before.

    Usage::

        UrbanizationModel(city="zhengzhou", policies="low_threshold_hukou,school_construction,budget_limit",
                          policy_params={"budget_limit": {"capital_share": 0.01}})
    """

    name = "budget_limit"
    pilot = "all"
    summary = (
        "Capacity expansion stops when the sector's yearly capital allowance from the city budget is spent"
    )

    @dataclass(frozen=True)
    class Params(FiscalParams):
        capital_share: float = param(
            0.05,
            "share of revenue/year",
            0.0,
            10.0,
            "Each sector's yearly capital allowance, as a share of a year's revenue for the services (assumed)",
            prov=assumed("no source found; a plausible value to be varied in sweeps"),
        )
        limit: bool = param(
            True,
            "",
            None,
            None,
            "Limit capacity expansion (false: only the fiscal parameters)",
            prov=assumed(
                "a switch or scenario choice, not an empirical quantity: the default is the case the seed describes"
            ),
        )

    def setup(self, model: UrbanizationModel) -> None:
        model.ledger.transfers = self.params
        model.budget.params = self.params
        model.budget.set_limit(self.params.capital_share if self.params.limit else None)
