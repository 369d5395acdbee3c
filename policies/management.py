"""Capacities of the migrant-management bodies and their staff (seed ch.2 II, Zhengzhou, content of piloting 4:
"Improve the funding mechanism on and capacities of migrant management bodies and staff").

``management_capacity`` funds migrant-management coordinators (协管员) of the street offices and communities who
go from door to door through rented rooms and dormitories to collect migrants' information: the "door-knocking"
(拍门式) management that Chinese cities use to register their floating population (Huang Jiapeng 2020, "The
formation, dilemmas and responses of door-knocking management", Journal of Yunnan Administration College 2020(3)).
What the staff can do is bounded by their number: a coordinator visits ``visits_per_staff`` households a month,
so the households registered this way are a count set by the funding, not a share of those unregistered. That is
what distinguishes the measure from ``socialized_registration`` (landlords and employers, a share of their
tenants) and what makes the funding mechanism a lever: more staff, more visits, more registrations, until the
unregistered are few and visits find nobody new.

Usage::

    UrbanizationModel(city="zhengzhou", policies="management_capacity")
    UrbanizationModel(city="zhengzhou", policies="zhengzhou_pilot",  # the package holds the measure
                      policy_params={"management_capacity": {"staff_per_10k": 20}})
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from urbanize.model.enums import HouseholdType, Registration, Residence
from urbanize.model.indicators.base import Snapshot, indicator
from urbanize.model.params import param, validate
from urbanize.model.provenance import assumed
from urbanize.policies.base import Policy, Transition
from urbanize.policies.registry import register

if TYPE_CHECKING:
    from urbanize.model.core import UrbanizationModel

#: Where the coordinators knock: rented rooms and dormitories (Huang 2020: the door-knocking checks rental rooms,
#: where most migrants live); migrants in owned or public housing are registered through their property or lease.
VISITED = (Residence.URBAN_VILLAGE_RENTAL, Residence.PRIVATE_RENTAL, Residence.DORMITORY)


@register
class ManagementCapacity(Policy):
    """Zhengzhou: funded migrant-management staff who register migrants from door to door.

    Mechanism, each month (schedule phase 1):
        * staff: ``staff_per_10k`` coordinators per 10,000 migrant households living in the city (the funding rule:
          staff follow the number of migrants they serve), each visiting ``visits_per_staff`` households a month;
        * the visits go to migrant households in rented rooms and dormitories, drawn at random among those (a
          coordinator cannot tell at the door who is registered); a visited household that is unregistered learns
          of the registration system (its awareness is set) and is registered with chance ``register_on_visit``,
          among those the active policies let register (``Transition.REGISTER``);
        * the staff's pay is booked each month to the ``registration`` sector, paid by the city:
          ``cost_per_staff`` yuan per coordinator.

    Registered households lapse as under the status quo (``registration_lapse``), so the measure holds
    registration at a higher level only for as long as it is funded.
    """

    name = "management_capacity"
    pilot = "Zhengzhou"
    summary = "Funded migrant-management staff register migrants from door to door (capacity-bound)"

    @dataclass(frozen=True)
    class Params:
        staff_per_10k: float = param(
            10.0,
            "staff per 10,000 migrant households",
            0.0,
            1000.0,
            "Migrant-management coordinators funded per 10,000 migrant households (assumed)",
            prov=assumed(
                "no staffing figure for Zhengzhou in the seed; a round value of the order of one coordinator per "
                "few hundred migrants that city rules describe, to be varied in sweeps"
            ),
        )
        visits_per_staff: float = param(
            60.0,
            "households/month",
            0.0,
            1000.0,
            "Households a coordinator visits in a month (assumed: about three a working day)",
            prov=assumed("about three household visits a working day, with the records to enter"),
        )
        register_on_visit: float = param(
            0.5,
            "share",
            0.0,
            1.0,
            "Chance that a visited unregistered household is registered (assumed: some are out or refuse)",
            prov=assumed("households absent at the visit or unwilling to give their information"),
        )
        cost_per_staff: float = param(
            2500.0,
            "yuan/month",
            0.0,
            100000.0,
            "Monthly pay of a coordinator, booked to the registration sector (assumed)",
            prov=assumed("the order of a coordinator's wage in a provincial capital around 2010"),
        )

        def __post_init__(self) -> None:
            validate(self, "management_capacity ")

    def setup(self, model: UrbanizationModel) -> None:
        self.visited = 0.0  # real households visited this month
        self.registered = 0.0  # real households registered by the visits this month
        self.funded = 0.0  # coordinators funded this month, as ``act`` computed them (none before the first month)

    def staff(self, model: UrbanizationModel) -> float:
        """Coordinators funded this month (real persons), from the migrant households living in the city."""
        pop = model.pop
        migrants = float(pop.weight[pop.htype == HouseholdType.MIGRANT].sum())
        return self.params.staff_per_10k * migrants / 10_000.0

    def act(self, model: UrbanizationModel) -> None:
        pop, p = model.pop, self.params
        staff = self.funded = self.staff(model)
        self.visited = 0.0
        self.registered = 0.0
        if staff > 0 and p.cost_per_staff > 0:
            model.ledger.charge("registration", p.cost_per_staff * staff, "city")
        visited = np.isin(pop.residence, [int(r) for r in VISITED])
        rows = np.flatnonzero((pop.htype == HouseholdType.MIGRANT) & visited)
        visits = staff * p.visits_per_staff  # real households
        if rows.size == 0 or visits <= 0:
            return
        # agents stand for pop.weight real households each: a visit reaches an agent with chance visits / total
        total = float(pop.weight[rows].sum())
        reached = rows[model.rng.random(rows.size) < min(visits / total, 1.0)]
        self.visited = float(pop.weight[reached].sum())
        unregistered = reached[pop.reg[reached] == Registration.UNREGISTERED]
        if unregistered.size == 0:
            return
        model.awareness.boost("registration", unregistered, 1.0)
        chosen = unregistered[model.rng.random(unregistered.size) < p.register_on_visit]
        chosen = chosen[model.policy_set.eligible(Transition.REGISTER, chosen)]
        if chosen.size:
            model.move_state(chosen, Registration.REGISTERED)
            self.registered = float(pop.weight[chosen].sum())


def _rule(s: Snapshot) -> ManagementCapacity | None:
    rule = s.model.policy_set.get("management_capacity")
    return rule if isinstance(rule, ManagementCapacity) else None


@indicator(
    "management_staff", "Migrant-management coordinators funded this month", "persons", policy="management_capacity"
)
def management_staff(s: Snapshot) -> float:
    """The staff the policy funded and sent out this month (not recomputed from the month-end population)."""
    rule = _rule(s)
    return rule.funded if rule is not None else 0.0


@indicator(
    "management_visits_per_staff",
    "Households visited this month per coordinator (below visits_per_staff when the rented stock is small)",
    "households/month",
    policy="management_capacity",
)
def management_visits_per_staff(s: Snapshot) -> float:
    rule = _rule(s)
    if rule is None:
        return 0.0
    return rule.visited / rule.funded if rule.funded > 0 else 0.0


@indicator(
    "management_registrations",
    "Migrant households registered this month by the coordinators' visits",
    "households",
    policy="management_capacity",
)
def management_registrations(s: Snapshot) -> float:
    rule = _rule(s)
    return rule.registered if rule is not None else 0.0
