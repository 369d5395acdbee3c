"""Housing pilots of Changshu (seed ch.2 V.2, housing security).

"Build public rental houses (open to local low middle income families, university graduates for less than 5
years and migrants who have a stable job and have stayed for a certain period). Foster a housing rental
market"; current situation: "Migrant workers currently live in collective dormitories"; "The housing rental
market is not in place and lacks management regulations"; indicator "The public rental housing area and actual
number of persons covered by the policy".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from urbanize.model.enums import Job, Residence
from urbanize.model.indicators import Snapshot, indicator, ratio
from urbanize.model.params import param, validate
from urbanize.model.provenance import assumed, sourced
from urbanize.model.rents import private_rents, rent_burden, rents
from urbanize.policies._services import city_services, households_by_district, queued_by_district
from urbanize.policies.base import Policy
from urbanize.policies.registry import register

if TYPE_CHECKING:
    from urbanize.model.core import UrbanizationModel

#: Tenures whose households pay rent to a landlord (the rental market's burden indicator).
RENTING = (Residence.URBAN_VILLAGE_RENTAL, Residence.PRIVATE_RENTAL, Residence.PUBLIC_RENTAL)

#: Assumed construction cost of one public rental flat (about 50 m2 at 3,000 yuan/m2).
FLAT_BUILD_COST = 150_000.0


@register
class PublicRentalHousing(Policy):
    """Changshu: public rental flats for low-middle income locals, recent graduates and settled migrants.

    Mechanism: renting households may queue for a flat if they hold local hukou with income under
    ``local_income_line`` yuan per person a month, or the head graduated under ``graduate_years`` years ago, or
    they are migrants with a formal (stable) job who have lived ``migrant_stay_months`` months in the city.
    Priority: low-income locals first, then graduates, then migrants; within a group, longest waiting first.
    The city builds ``flats_per_1000_households`` flats a year (where the queue is), at ``build_cost`` yuan each
    (housing, booked when started); they open ``lag_months`` later.

    Usage::

        UrbanizationModel(city="changshu", policies="public_rental_housing",
                          policy_params={"public_rental_housing": {"migrant_stay_months": 12}})
    """

    name = "public_rental_housing"
    pilot = "Changshu"
    summary = "Public rental flats for low-middle income locals, graduates under 5 years and settled migrants"

    @dataclass(frozen=True)
    class Params:
        local_income_line: float = param(
            1000.0,
            "yuan/person-month",
            0.0,
            20000.0,
            "Income below which locals qualify (assumed)",
            prov=assumed(
                "no figure for this pilot in the seed or the literature; a round value to be varied in sweeps (docs/policies.md)"
            ),
        )
        graduate_years: float = param(
            5.0,
            "years",
            0.0,
            20.0,
            "Years since graduation (seed: under 5)",
            prov=sourced("the seed scenario (docs/policies.md): under 5"),
        )
        migrant_stay_months: int = param(
            24,
            "months",
            0,
            240,
            "Months in the city before migrants with a stable job qualify (assumed)",
            prov=assumed(
                "no figure for this pilot in the seed or the literature; a round value to be varied in sweeps (docs/policies.md)"
            ),
        )
        flats_per_1000_households: float = param(
            3.0,
            "flats/1000 households/year",
            0.0,
            100.0,
            "Flats built a year (assumed)",
            prov=assumed(
                "no figure for this pilot in the seed or the literature; a round value to be varied in sweeps (docs/policies.md)"
            ),
        )
        lag_months: int = param(
            6,
            "months",
            0,
            60,
            "Months from starting a flat to letting it (assumed)",
            prov=assumed(
                "no figure for this pilot in the seed or the literature; a round value to be varied in sweeps (docs/policies.md)"
            ),
        )
        build_cost: float = param(
            FLAT_BUILD_COST,
            "yuan/flat",
            0.0,
            5e6,
            "Construction cost per flat (assumed)",
            prov=assumed(
                "no figure for this pilot in the seed or the literature; a round value to be varied in sweeps (docs/policies.md)"
            ),
        )

        def __post_init__(self) -> None:
            validate(self, "public_rental_housing ")

    def setup(self, model: UrbanizationModel) -> None:
        svc = city_services(model, self.name)
        svc.public_rental.graduates_need = True
        self.pipeline: list[tuple[int, np.ndarray]] = []

    def _groups(
        self, model: UrbanizationModel, rows: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        pop, p = model.pop, self.params
        persons = pop.persons(rows)
        local = pop.hukou_local[rows] & (pop.income[rows] / np.maximum(persons, 1) < p.local_income_line)
        age = pop.head_age[rows]
        graduate = pop.graduate[rows] & (age >= 22) & (age - 22 < p.graduate_years)
        migrant = (
            ~pop.hukou_local[rows]
            & (pop.job[rows] == Job.FORMAL)
            & (pop.months_resident[rows] >= p.migrant_stay_months)
        )
        return local, graduate, migrant

    def service_access(self, model: UrbanizationModel, service: str, rows: np.ndarray) -> np.ndarray | None:
        if service != "public_rental":
            return None
        local, graduate, migrant = self._groups(model, rows)
        return local | graduate | migrant

    def priority(self, model: UrbanizationModel, service: str, rows: np.ndarray) -> np.ndarray | None:
        if service != "public_rental":
            return None
        local, graduate, _ = self._groups(model, rows)
        rank = np.where(local, 2.0, np.where(graduate, 1.0, 0.0))
        return rank * 10_000.0 + model.pop.col("waitm_public_rental")[rows]

    def act(self, model: UrbanizationModel) -> None:
        svc = city_services(model, self.name)
        flats = svc.public_rental
        still = []
        for month, extra in self.pipeline:
            if month <= model.month:
                flats.add_capacity(extra)
            else:
                still.append((month, extra))
        self.pipeline = still
        per_month = self.params.flats_per_1000_households / 1000.0 / 12.0 * float(model.pop.weight.sum())
        queue = queued_by_district(model, flats.wait_col)
        where = queue if queue.sum() > 0 else households_by_district(model)
        per_month *= model.budget.grant("housing", per_month * self.params.build_cost)
        extra = per_month * where / max(where.sum(), 1e-9)
        svc.charge("housing", per_month * self.params.build_cost)
        if self.params.lag_months == 0:
            flats.add_capacity(extra)
        else:
            self.pipeline.append((model.month + self.params.lag_months, extra))


@register
class RentalMarket(Policy):
    """Changshu: a regulated private rental market, moving migrants out of dormitories and urban villages.

    Mechanism (rents from ``model/rents.py``: a private rental's rent rises as its district's vacancy falls):

    * regulation brings rooms onto the market: each month landlords register a share
      ``landlord_registration`` of the urban-village rooms let to migrants whose tenants can afford the
      registered rent (at most ``max_rent_burden`` of their income after any subsidy): the room becomes a
      registered private rental (the stock moves with it), its tenant stays and pays the market rent;
    * tenants look for a better home: each month a share ``monthly_shift`` of migrant households in dormitories
      or urban-village rooms looks for a vacant private rental in its district and takes one if it can afford
      it (same burden test; developers build more as vacancies run out, ``model/housing.py``);
    * both stop while private renters are ``max_private_share`` of migrant households or more;
    * low-income migrant private renters (income under ``subsidy_income_line`` yuan per person a month)
      receive a rent subsidy of ``rent_subsidy`` yuan a month (housing, city).

    Its indicators (columns of runs with it): ``rent_private_mean`` and ``rent_burden_migrant_renters``.

    Usage::

        UrbanizationModel(city="changshu", policies="rental_market")
    """

    name = "rental_market"
    pilot = "Changshu"
    summary = "A regulated private rental market: registered rooms, affordable moves out of dormitories, rent subsidies"

    @dataclass(frozen=True)
    class Params:
        monthly_shift: float = param(
            0.02,
            "1/month",
            0.0,
            1.0,
            "Monthly chance a dormitory or urban-village tenant looks for a private rental (assumed)",
            prov=assumed(
                "no figure for this pilot in the seed or the literature; a round value to be varied in sweeps (docs/policies.md)"
            ),
        )
        max_private_share: float = param(
            0.7,
            "share",
            0.0,
            1.0,
            "Private renters stop growing at this share of migrant households",
            prov=assumed(
                "a lever of the policy's design as described in docs/policies.md; no published figure for these cities"
            ),
        )
        rent_subsidy: float = param(
            150.0,
            "yuan/household-month",
            0.0,
            5000.0,
            "Rent subsidy to low-income migrant renters (assumed)",
            prov=assumed(
                "no figure for this pilot in the seed or the literature; a round value to be varied in sweeps (docs/policies.md)"
            ),
        )
        subsidy_income_line: float = param(
            800.0,
            "yuan/person-month",
            0.0,
            20000.0,
            "Income per person below which renters get it (assumed)",
            prov=assumed(
                "no figure for this pilot in the seed or the literature; a round value to be varied in sweeps (docs/policies.md)"
            ),
        )
        max_rent_burden: float = param(
            0.3,
            "share of income",
            0.0,
            1.0,
            "Most of its income a household pays in rent for a private rental, after subsidy (assumed: the "
            "common 30 % affordability norm)",
            prov=assumed("the common 30 % affordability norm"),
        )
        landlord_registration: float = param(
            0.03,
            "1/month",
            0.0,
            1.0,
            "Monthly share of urban-village rooms let to migrants that landlords register in the regulated "
            "market (assumed)",
            prov=assumed("no source found; a plausible value to be varied in sweeps"),
        )

        def __post_init__(self) -> None:
            validate(self, "rental_market ")

    def subsidy(self, model: UrbanizationModel, rows: np.ndarray) -> np.ndarray:
        """Rent subsidy (yuan a month) each migrant household of ``rows`` would receive as a private renter."""
        pop, p = model.pop, self.params
        per_person = pop.income[rows] / np.maximum(pop.persons(rows), 1)
        return np.where(~pop.hukou_local[rows] & (per_person < p.subsidy_income_line), p.rent_subsidy, 0.0)

    def affordable(self, model: UrbanizationModel, rows: np.ndarray, market: np.ndarray) -> np.ndarray:
        """Mask over ``rows``: the district's private rent, after subsidy, is within the burden limit."""
        pop = model.pop
        rent = np.maximum(market[pop.district[rows]] - self.subsidy(model, rows), 0.0)
        return rent <= self.params.max_rent_burden * pop.income[rows]

    def act(self, model: UrbanizationModel) -> None:
        pop, p, rng = model.pop, self.params, model.rng
        migrants = np.flatnonzero(~pop.hukou_local)
        res = pop.residence[migrants]
        w = pop.weight[migrants]
        private_share = float(w[res == Residence.PRIVATE_RENTAL].sum()) / max(float(w.sum()), 1e-9)
        if private_share < p.max_private_share:
            market = private_rents(model)
            self._register_rooms(model, migrants[res == Residence.URBAN_VILLAGE_RENTAL], market)
            cand = migrants[(res == Residence.DORMITORY) | (res == Residence.URBAN_VILLAGE_RENTAL)]
            cand = cand[pop.residence[cand] != Residence.PRIVATE_RENTAL]  # not the rooms just registered
            looking = cand[rng.random(cand.size) < p.monthly_shift]
            movers = looking[self.affordable(model, looking, market)]
            # only into vacant private rentals of their district (the market is built up as demand shows)
            _, got = model.housing.place(
                pop.district[movers],
                np.full(movers.size, int(Residence.PRIVATE_RENTAL)),
                pop.weight[movers],
                pop.htype[movers],
            )
            movers = movers[got == Residence.PRIVATE_RENTAL]
            pop.residence[movers] = Residence.PRIVATE_RENTAL
            pop.residence_months[movers] = 0
        renters = migrants[pop.residence[migrants] == Residence.PRIVATE_RENTAL]
        paid = float((self.subsidy(model, renters) * pop.weight[renters]).sum())
        city_services(model, self.name).charge("housing", paid)

    def _register_rooms(self, model: UrbanizationModel, tenants: np.ndarray, market: np.ndarray) -> None:
        """Landlords register rooms whose tenants can pay the market rent; the rooms join the private stock."""
        pop = model.pop
        rooms = tenants[model.rng.random(tenants.size) < self.params.landlord_registration]
        rooms = rooms[self.affordable(model, rooms, market)]
        if rooms.size == 0:
            return
        pop.residence[rooms] = Residence.PRIVATE_RENTAL
        stock = model.housing.dwellings
        moved = np.bincount(pop.district[rooms], weights=pop.weight[rooms], minlength=stock.shape[0])
        stock[:, int(Residence.PRIVATE_RENTAL)] += moved
        uv = int(Residence.URBAN_VILLAGE_RENTAL)
        stock[:, uv] = np.maximum(stock[:, uv] - moved, 0.0)


def _market(s: Snapshot) -> RentalMarket | None:
    """The run's rental market policy (None: the burden is then computed without its subsidy)."""
    rule = s.model.policy_set.get("rental_market")
    return rule if isinstance(rule, RentalMarket) else None


@indicator(
    "rent_private_mean",
    "Mean market rent of a private rental, over the private rental stock (model/rents.py)",
    "yuan/month",
    policy="rental_market",
)
def rent_private_mean(s: Snapshot) -> float:
    stock = s.model.housing.dwellings[:, int(Residence.PRIVATE_RENTAL)]
    return ratio(float((private_rents(s.model) * stock).sum()), float(stock.sum()))


@indicator(
    "rent_burden_migrant_renters",
    "Mean rent over income, after the rent subsidy, of persons in migrant households renting a room or flat "
    "(capped at 1)",
    "share",
    policy="rental_market",
)
def rent_burden_migrant_renters(s: Snapshot) -> float:
    return migrant_rent_burden(s.model, _market(s))


def migrant_rent_burden(model: UrbanizationModel, market: RentalMarket | None) -> float:
    """Mean rent burden (after ``market``'s subsidy, if given) of persons in migrant renting households."""
    pop = model.pop
    res = pop.residence
    rows = np.flatnonzero(~pop.hukou_local & np.isin(res, list(RENTING)))
    rent = rents(model, rows)
    if market is not None:
        private = res[rows] == Residence.PRIVATE_RENTAL
        rent = np.where(private, np.maximum(rent - market.subsidy(model, rows), 0.0), rent)
    burden = np.minimum(rent_burden(rent, pop.income[rows]), 1.0)
    pw = pop.persons(rows) * pop.weight[rows]
    return ratio(float((burden * pw).sum()), float(pw.sum()))
