"""The city budget and who pays (docs/model.md, "Budgets and payers"; seed, Zhengzhou education: "how to raise
and allocate compulsory education funds ... including financial transfers from upper-level governments";
Zhengzhou overall: "implications of the piloting for local finance"; Yanta: "amount of budgetary expenditure by
sector of service").

Payers. A service or policy books its public cost to the local government that spends it (``city`` or
``district``); :func:`split_local` passes a share of it on to the ``province`` and the ``central`` government by
the sector's transfer rule (:class:`FiscalParams`, ``<sector>_province`` and ``<sector>_central``). Households'
fees and individual contributions are booked to ``households`` and are not public spending (the ``fiscal_spend_*``
indicators leave them out).

Budget. The city's revenue for the modelled services grows with its residents and its economy:
``revenue = revenue_per_resident x residents + revenue_income_share x households' income`` each month (the
income column is wages, informal earnings and pensions). The balance is the revenue since the start minus the
city's and districts' spending since the start. By default nothing is limited (the status quo); the
``budget_limit`` policy gives each sector a yearly capital allowance (``capital_share`` of the year's revenue,
set each January from that month's revenue) and capacity expansions (school classes, public rental flats,
health, community and training places built by policies) stop when it is spent: :meth:`CityBudget.grant`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from urbanize.model.errors import ParameterError
from urbanize.model.params import param, validate
from urbanize.model.provenance import assumed

if TYPE_CHECKING:
    from urbanize.model.core import UrbanizationModel

LOCAL_PAYERS = ("city", "district")
UPPER_PAYERS = ("province", "central")
PUBLIC_PAYERS = (*LOCAL_PAYERS, *UPPER_PAYERS)
HOUSEHOLDS = "households"


@dataclass(frozen=True)
class FiscalParams:
    """Transfer rules (share of a local booking passed to the province and the centre, by sector) and revenue.

    The shares are assumed, one set for all four cities (the centre pays more in central and western provinces,
    Zhengzhou and Yanta, than in the east; not modelled); their order of magnitude follows the funding rules named
    in each line.
    """

    education_province: float = param(
        0.10,
        "share",
        0.0,
        1.0,
        "Province's share of local education spending "
        "(assumed; Compulsory Education Law 2006 art. 44: county governments lead)",
        prov=assumed("Compulsory Education Law 2006 art. 44: county governments lead"),
    )
    education_central: float = param(
        0.05,
        "share",
        0.0,
        1.0,
        "Centre's share of local education spending (assumed: "
        "small 'awards instead of subsidies' for migrant children, MOF 2008)",
        prov=assumed("small 'awards instead of subsidies' for migrant children, MOF 2008"),
    )
    health_province: float = param(
        0.15,
        "share",
        0.0,
        1.0,
        "Province's share of local health spending (assumed)",
        prov=assumed("no source found; a plausible value to be varied in sweeps"),
    )
    health_central: float = param(
        0.25,
        "share",
        0.0,
        1.0,
        "Centre's share of local health spending (assumed: "
        "central subsidies to basic public health and NCMS premiums, 2009 reform)",
        prov=assumed("central subsidies to basic public health and NCMS premiums, 2009 reform"),
    )
    housing_province: float = param(
        0.10,
        "share",
        0.0,
        1.0,
        "Province's share of local housing spending (assumed)",
        prov=assumed("no source found; a plausible value to be varied in sweeps"),
    )
    housing_central: float = param(
        0.10,
        "share",
        0.0,
        1.0,
        "Centre's share of local housing spending (assumed: central subsidies to low-rent housing from 2007)",
        prov=assumed("central subsidies to low-rent housing from 2007"),
    )
    social_assistance_province: float = param(
        0.15,
        "share",
        0.0,
        1.0,
        "Province's share of local assistance spending (assumed)",
        prov=assumed("no source found; a plausible value to be varied in sweeps"),
    )
    social_assistance_central: float = param(
        0.30,
        "share",
        0.0,
        1.0,
        "Centre's share of local assistance spending (assumed: central dibao subsidies)",
        prov=assumed("central dibao subsidies"),
    )
    social_security_province: float = param(
        0.20,
        "share",
        0.0,
        1.0,
        "Province's share of local pension "
        "subsidies (assumed; the centre's basic new rural pension is booked "
        "to the centre directly)",
        prov=assumed("the centre's basic new rural pension is booked to the centre directly"),
    )
    social_security_central: float = param(
        0.0,
        "share",
        0.0,
        1.0,
        "Centre's share of local pension subsidies",
        prov=assumed(
            "no source found in the seed or the literature; a plausible value to be varied in sweeps (docs/policies.md)"
        ),
    )
    training_province: float = param(
        0.20,
        "share",
        0.0,
        1.0,
        "Province's share of local training spending (assumed)",
        prov=assumed("no source found; a plausible value to be varied in sweeps"),
    )
    training_central: float = param(
        0.20,
        "share",
        0.0,
        1.0,
        "Centre's share of local training spending (assumed: employment special funds)",
        prov=assumed("employment special funds"),
    )
    registration_province: float = param(
        0.0,
        "share",
        0.0,
        1.0,
        "Province's share of registration spending "
        "(assumed: migrant management is locally funded; seed, Zhengzhou)",
        prov=assumed("migrant management is locally funded; seed, Zhengzhou"),
    )
    registration_central: float = param(
        0.0,
        "share",
        0.0,
        1.0,
        "Centre's share of registration spending",
        prov=assumed(
            "no source found in the seed or the literature; a plausible value to be varied in sweeps (docs/policies.md)"
        ),
    )
    community_province: float = param(
        0.0,
        "share",
        0.0,
        1.0,
        "Province's share of community spending (assumed)",
        prov=assumed("no source found; a plausible value to be varied in sweeps"),
    )
    community_central: float = param(
        0.0,
        "share",
        0.0,
        1.0,
        "Centre's share of community spending (assumed)",
        prov=assumed("no source found; a plausible value to be varied in sweeps"),
    )
    revenue_per_resident: float = param(
        25.0,
        "yuan/resident-month",
        0.0,
        1e5,
        "City revenue for the modelled services per resident (assumed: with the "
        "income share, about the local spending on them under the status quo)",
        prov=assumed("with the income share, about the local spending on them under the status quo"),
    )
    revenue_income_share: float = param(
        0.005,
        "share of income",
        0.0,
        1.0,
        "City revenue for the modelled services per yuan of households' income "
        "(assumed: taxes and fees that follow the economy)",
        prov=assumed("taxes and fees that follow the economy"),
    )

    def __post_init__(self) -> None:
        validate(self, "fiscal ")
        for sector in _SECTORS:
            if self.province_share(sector) + self.central_share(sector) > 1.0 + 1e-12:
                raise ParameterError(
                    f"fiscal parameters {sector}_province + {sector}_central add up to more than 1; lower one"
                )

    def province_share(self, sector: str) -> float:
        return float(getattr(self, f"{sector}_province"))

    def central_share(self, sector: str) -> float:
        return float(getattr(self, f"{sector}_central"))


_SECTORS = (
    "education",
    "health",
    "housing",
    "social_assistance",
    "social_security",
    "training",
    "registration",
    "community",
)


def split_local(params: FiscalParams, sector: str, amount: float) -> dict[str, float]:
    """The upper levels' parts of a local booking of ``amount`` in ``sector`` (the local payer keeps the rest)."""
    return {
        "province": amount * params.province_share(sector),
        "central": amount * params.central_share(sector),
    }


class CityBudget:
    """The city's revenue for the modelled services, its balance, and (with a limit) capital allowances."""

    def __init__(self, model: UrbanizationModel, params: FiscalParams | None = None) -> None:
        self.model = model
        self.params = params or FiscalParams()
        self.capital_share: float | None = None  # None: nothing is limited (the status quo)
        self.allowance: dict[str, float] = {}  # capital left this year, by sector (with a limit)
        self.revenue_month = 0.0
        self.revenue_cumulative = 0.0
        self.refused: dict[str, float] = {s: 0.0 for s in _SECTORS}  # capital asked for but not granted, yuan

    def revenue(self) -> float:
        """This month's revenue for the modelled services, yuan (residents and households' income)."""
        pop = self.model.pop
        persons = float((pop.persons() * pop.weight).sum())
        income = float((pop.income.astype(float) * pop.weight).sum())
        p = self.params
        return p.revenue_per_resident * persons + p.revenue_income_share * income

    def set_limit(self, capital_share: float | None) -> None:
        """Limit each sector's capacity expansion to ``capital_share`` of a year's revenue (None: no limit)."""
        self.capital_share = capital_share
        self.allowance = {}  # set at the first grant, once incomes exist (policies are set up before them)

    def reset_allowances(self) -> None:
        """Each January (and when a limit is set): a year's capital allowance per sector."""
        if self.capital_share is not None:
            year = 12.0 * self.revenue()
            self.allowance = {s: self.capital_share * year for s in _SECTORS}

    def grant(self, sector: str, amount: float) -> float:
        """The share (0-1) of a capacity expansion costing ``amount`` yuan that the sector's budget pays for now;
        the granted part is taken from the allowance. Exactly 1.0 without a limit."""
        if self.capital_share is None or amount <= 0:
            return 1.0
        if not self.allowance:
            self.reset_allowances()
        left = self.allowance.get(sector, 0.0)
        share = min(1.0, left / amount) if left > 0 else 0.0
        self.allowance[sector] = left - share * amount
        self.refused[sector] += (1.0 - share) * amount
        return share

    def close_month(self) -> None:
        """Phase 7: the month's revenue accrues; allowances are renewed in January."""
        self.revenue_month = self.revenue()
        self.revenue_cumulative += self.revenue_month
        if self.model.month % 12 == 0:  # the step that closes December opens January's allowances
            self.reset_allowances()

    def balance(self) -> float:
        """Revenue since the start minus local (city and district) public spending since the start, yuan."""
        ledger = self.model.ledger
        local = sum(ledger.spend(payer=p, cumulative=True) for p in LOCAL_PAYERS)
        return self.revenue_cumulative - local

    def describe(self) -> dict[str, float]:
        return {k: float(v) for k, v in asdict(self.params).items()}
