"""Community pilots: Yanta's urban-village sanitation and community management, Jinnan's community service
centres, and Yanta's costing of services by the finance department.

Seed ch.2 III.2 (Yanta): "Implement community management in all administrative villages"; "Improve
environmental sanitation for urban villages"; indicators "Coverage of community (village) public service
centres", "Number of villages receiving sanitation services and amount of expenditures"; financial guarantee:
"Finance department conducts calculations of expenditures on various services based on budgets provided by
sectoral departments" (indicator "Amount of budgetary expenditure by sector of service").
Seed ch.2 IV.2 (Jinnan): "Supply the following public services through community public service facilities,
organizations and personnel, such as community service centres (stations): vocational training ... social
insurance items ... migrant management services".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from urbanize.model.enums import DistrictKind
from urbanize.model.params import param, validate
from urbanize.model.provenance import assumed
from urbanize.policies._services import (
    city_services,
    districts_of_kind,
    households_by_district,
    ramp_capacity,
    ramp_share,
)
from urbanize.policies.base import Policy
from urbanize.policies.registry import register

if TYPE_CHECKING:
    from urbanize.model.core import UrbanizationModel


@register
class UrbanVillageSanitation(Policy):
    """Yanta: sanitation and community management in urban villages.

    Mechanism: sanitation coverage of urban-village districts rises linearly to ``coverage_target`` over
    ``ramp_months``, costing ``cost_per_resident`` yuan per covered resident a month (community); community
    management reaches every village: urban-village residents (migrants included) may use community service
    centres, whose places there rise to ``centre_share`` of households over the same ramp.

    Usage::

        UrbanizationModel(city="yanta", policies="urban_village_sanitation")
    """

    name = "urban_village_sanitation"
    pilot = "Yanta"
    summary = "Sanitation and community management extended to all urban villages"

    @dataclass(frozen=True)
    class Params:
        coverage_target: float = param(
            1.0, "share", 0.0, 1.0, "Sanitation coverage of urban villages aimed at",
            prov=assumed("a lever of the policy's design as described in docs/policies.md; no published figure for these cities"),
        )
        ramp_months: int = param(12, "months", 1, 120, "Months to reach the target (assumed)", prov=assumed("no figure for this pilot in the seed or the literature; a round value to be varied in sweeps (docs/policies.md)"))
        cost_per_resident: float = param(
            3.0, "yuan/resident-month", 0.0, 500.0, "Sanitation workers and trucks per resident (assumed)",
            prov=assumed("no figure for this pilot in the seed or the literature; a round value to be varied in sweeps (docs/policies.md)"),
        )
        centre_share: float = param(
            0.5, "share of households", 0.0, 1.0, "Community-centre places in urban villages (assumed)",
            prov=assumed("no figure for this pilot in the seed or the literature; a round value to be varied in sweeps (docs/policies.md)"),
        )

        def __post_init__(self) -> None:
            validate(self, "urban_village_sanitation ")

    def setup(self, model: UrbanizationModel) -> None:
        svc = city_services(model, self.name)
        self.villages = districts_of_kind(model, DistrictKind.URBAN_VILLAGE)
        self.start_coverage = svc.sanitation_coverage.copy()
        self.start_centres = svc.community.capacity.copy()

    def service_access(self, model: UrbanizationModel, service: str, rows: np.ndarray) -> np.ndarray | None:
        if service != "community_centre":
            return None
        return self.villages[model.pop.district[rows]]

    def act(self, model: UrbanizationModel) -> None:
        svc = city_services(model, self.name)
        p = self.params
        f = ramp_share(model, p.ramp_months)
        v = self.villages
        svc.sanitation_coverage[v] = np.maximum(
            self.start_coverage[v], self.start_coverage[v] + f * (p.coverage_target - self.start_coverage[v])
        )
        full = households_by_district(model) * p.centre_share
        extra = np.where(v, ramp_capacity(full, svc.community.capacity, f), 0.0)
        svc.community.add_capacity(extra)
        pop = model.pop
        residents = np.bincount(
            pop.district, weights=pop.persons() * pop.weight, minlength=len(model.profile.districts)
        )
        covered = float((residents * svc.sanitation_coverage)[v].sum())
        svc.charge("community", p.cost_per_resident * covered)


@register
class CommunityServiceCentres(Policy):
    """Jinnan: community service centres and social organizations in the model towns.

    Mechanism: centres open in new towns and rural townships, their places rising to ``centre_share`` of the
    households there over ``ramp_months``; everyone living there, migrants included (``open_to_migrants``), may
    use them. Centres deliver services locally: households they serve may take vocational training there;
    the centres' social-insurance desks reach every household of the towns (each month with the chance that its
    community already has a centre, the ramp's share), and households served or reached take up pensions and
    medical insurance ``take_up_boost`` times as readily; social organizations reach served households with
    outreach on every policy topic (chance ``outreach`` a month, ``model.awareness.boost``).

    Why the effect on farmers' *urban* pension coverage is small (0.350 against 0.344 at 1,000 households after 24
    months, seeds 0-3): a farmer may join an urban scheme only with access to it (a formal job, or
    ``harmonized_social_security``), and eligible locals already enrol at 0.2 a month, so faster take-up changes
    little; the centres raise coverage where take-up is slow: farmers in any scheme, new rural pension included
    (``pension_coverage_local_farmer_any``): 0.79 under the status quo, 0.84 when only centre users were reached,
    0.87 with the desks.

    Usage::

        UrbanizationModel(city="jinnan", policies="community_service_centres")
    """

    name = "community_service_centres"
    pilot = "Jinnan"
    summary = "Community service centres in model towns: local services, outreach, social organizations"

    @dataclass(frozen=True)
    class Params:
        centre_share: float = param(
            0.8, "share of households", 0.0, 1.0, "Places in model-town centres (assumed)",
            prov=assumed("no figure for this pilot in the seed or the literature; a round value to be varied in sweeps (docs/policies.md)"),
        )
        ramp_months: int = param(12, "months", 1, 120, "Months to build the centres up (assumed)", prov=assumed("no figure for this pilot in the seed or the literature; a round value to be varied in sweeps (docs/policies.md)"))
        outreach: float = param(
            0.05, "1/month", 0.0, 1.0, "Monthly chance a served household learns of each policy (assumed)",
            prov=assumed("no figure for this pilot in the seed or the literature; a round value to be varied in sweeps (docs/policies.md)"),
        )
        take_up_boost: float = param(
            2.0, "multiplier", 1.0, 20.0, "Take-up of pensions and insurance by served households (assumed)",
            prov=assumed("no figure for this pilot in the seed or the literature; a round value to be varied in sweeps (docs/policies.md)"),
        )
        open_to_migrants: bool = param(True, "", None, None, "Migrants living there may use the centres", prov=assumed("a switch of the policy's design, set as the pilot is described in docs/policies.md; no figure needed"))

        def __post_init__(self) -> None:
            validate(self, "community_service_centres ")

    def setup(self, model: UrbanizationModel) -> None:
        svc = city_services(model, self.name)
        self.towns = districts_of_kind(model, DistrictKind.NEW_TOWN, DistrictKind.RURAL_TOWNSHIP)
        svc.pension.delivery_boost = self.params.take_up_boost
        svc.medical_insurance.delivery_boost = self.params.take_up_boost

    def service_access(self, model: UrbanizationModel, service: str, rows: np.ndarray) -> np.ndarray | None:
        pop = model.pop
        match service:
            case "community_centre":
                ok = self.towns[pop.district[rows]]
                return ok if self.params.open_to_migrants else ok & pop.hukou_local[rows]
            case "training":
                return pop.use_community_centre[rows] > 0
            case _:
                return None

    def act(self, model: UrbanizationModel) -> None:
        svc = city_services(model, self.name)
        p = self.params
        f = ramp_share(model, p.ramp_months)
        full = households_by_district(model) * p.centre_share
        svc.community.add_capacity(np.where(self.towns, ramp_capacity(full, svc.community.capacity, f), 0.0))
        pop = model.pop
        pop.community_reached[:] = self.towns[pop.district] & (model.rng.random(pop.n) < f)
        served = np.flatnonzero(pop.use_community_centre > 0)
        if p.outreach > 0 and served.size:
            for topic in model.awareness.topics:
                model.awareness.boost(topic, served, p.outreach)


@register
class ServiceCosting(Policy):
    """Yanta: the finance department costs each service from the sectors' demand and budgets capacity to it.

    Mechanism: every ``review_months`` months (January by default) the finance department takes each costed
    service's demand (units in use plus units queued by households with access), adds ``margin``, and sets the
    capacity budget to it, growing at most ``max_growth`` a year and never below the units in use plus the units
    queued (unused capacity is cut, saving its cost). At set-up nothing has been observed, so the first budget
    keeps today's capacity (budgeting from set-up demand once cut training to nothing for good). Public schools
    (primary, junior and senior middle) get classes, not cuts. Kindergartens are costed like the other places: the
    seed's finance department "conducts calculations of expenditures on various services", none excepted, and the
    city pays a budgetary share per kindergarten child (``costs.COSTS["kindergarten"]``). The annual budget of each service (capacity x the city's cost per unit x 12,
    ``Service.unit_budget``: the kindergarten fee subsidy included) is recorded in ``model.services.budgets``.

    Usage::

        UrbanizationModel(city="yanta", policies="service_costing")
    """

    name = "service_costing"
    pilot = "Yanta"
    summary = "Finance department costs services from demand and budgets their capacity accordingly"

    COSTED = (
        "primary_school",
        "junior_school",
        "child_health",
        "maternal_health",
        "community_centre",
        "training",
        "kindergarten",
        "senior_school",
    )

    @dataclass(frozen=True)
    class Params:
        review_months: int = param(12, "months", 1, 60, "Months between budget reviews", prov=assumed("a lever of the policy's design as described in docs/policies.md; no published figure for these cities"))
        margin: float = param(0.05, "share", 0.0, 1.0, "Spare capacity budgeted over costed demand (assumed)", prov=assumed("no figure for this pilot in the seed or the literature; a round value to be varied in sweeps (docs/policies.md)"))
        max_growth: float = param(0.3, "share/year", 0.0, 5.0, "Largest capacity rise per year (assumed)", prov=assumed("no figure for this pilot in the seed or the literature; a round value to be varied in sweeps (docs/policies.md)"))

        def __post_init__(self) -> None:
            validate(self, "service_costing ")

    def setup(self, model: UrbanizationModel) -> None:
        svc = city_services(model, self.name)
        svc.budgets = {}
        # at set-up nothing has been observed yet (nobody is in training before the first month): record the
        # budgets of today's capacity and cut nothing until demand has been seen
        self._review(model, observed=False)

    def act(self, model: UrbanizationModel) -> None:
        if model.month % self.params.review_months == 1 or self.params.review_months == 1:
            self._review(model, observed=model.month >= self.params.review_months)

    def _review(self, model: UrbanizationModel, observed: bool = True) -> None:
        from urbanize.model.services.schools import PublicSchool

        svc = city_services(model, self.name)
        p = self.params
        growth = 1.0 + p.max_growth * p.review_months / 12.0
        services = svc.household_services()
        for name in self.COSTED:
            s = services[name]
            used, queued = s.used(), s.queued()
            demand = (used + queued) * (1.0 + p.margin)
            if isinstance(s, PublicSchool):
                # classes are built, never closed; as for the other services the growth cap limits the margin,
                # not the seats pupils fill or queue for (a district without classes would never get one)
                want = np.maximum(np.minimum(demand, s.open_capacity * growth), used + queued)
                s.add_capacity(np.maximum(want - s.open_capacity, 0.0))
                capacity = s.open_capacity
            elif observed:
                # never below what the service serves and what its queue needs (the growth cap limits margin only)
                budget = np.maximum(np.minimum(demand, s.capacity * growth), used + queued)
                s.set_capacity(budget)
                capacity = s.capacity
            else:
                capacity = s.capacity
            svc.budgets[name] = float(capacity.sum()) * s.unit_budget() * 12.0
