"""Registration and hukou pilots for migrants (seed ch.2 II Zhengzhou, ch.2 III Yanta).

* ``linked_registration`` (Zhengzhou): an authoritative, unified migrant information management system whose
  registration is linked to access to social services, "so that migrants be mobilized to register".
* ``socialized_registration`` (Zhengzhou): "a socialized management model of migrant information
  registration": employers register the migrants in their dormitories, landlords their tenants.
* ``rented_residence_hukou`` (Yanta): "migrants who have a stable job and a stable living residence (including
  rented residence), and have paid social security premium for a successive number of years may get urban
  Hukou" (status quo: "privately owned houses as pre-requisite").

Usage::

    UrbanizationModel(city="zhengzhou", policies="linked_registration,socialized_registration")
    UrbanizationModel(city="yanta", policies="rented_residence_hukou",
                      policy_params={"rented_residence_hukou": {"contribution_years": 2}})
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from urbanize.model.enums import RENTED, HouseholdType, Job, Registration, Residence
from urbanize.model.params import param, validate
from urbanize.model.provenance import assumed
from urbanize.policies.base import Policy, Transition
from urbanize.policies.registry import register

if TYPE_CHECKING:
    from urbanize.model.core import UrbanizationModel

#: Services the Zhengzhou information system links to registration (seed ch.2 II: registration "linked with
#: access to social services"; the pilot's services are compulsory education, health and community services).
LINKED_SERVICES = frozenset(
    {"primary_school", "junior_school", "child_health", "maternal_health", "community_centre", "training"}
)


def registered_migrants(model: UrbanizationModel, rows: np.ndarray) -> np.ndarray:
    """Mask over ``rows``: registered in the migrant information system, holding a permit or applying."""
    reg = model.pop.reg[rows]
    return (reg >= Registration.REGISTERED) & (reg <= Registration.HUKOU_APPLICANT)


@register
class LinkedRegistration(Policy):
    """Zhengzhou: a unified migrant information system, with registration linked to access to services.

    Mechanism:
        * registering unlocks services: ``registration_incentive`` returns ``incentive`` (in units of the
          behavioural ``register_benefit`` coefficient), which raises the monthly log-odds of registering and of
          taking a residence permit;
        * ``service_access`` opens the linked services (primary and junior school, child and maternal health,
          community service centre, training) to registered migrants (registered, permit holder or hukou
          applicant);
        * public notices add a monthly outreach chance for unregistered migrants to learn of the system;
        * the system's running cost is booked each month to the ``registration`` sector, paid by the city:
          ``cost_per_registered`` yuan per registered migrant household (assumed).

    Example::

        UrbanizationModel(city="zhengzhou", policies="linked_registration",
                          policy_params={"linked_registration": {"incentive": 1.5}})
    """

    name = "linked_registration"
    pilot = "Zhengzhou"
    summary = "Unified migrant information system; registering unlocks schools, health, centres and training"

    @dataclass(frozen=True)
    class Params:
        incentive: float = param(
            1.0,
            "benefit units",
            0.0,
            5.0,
            "What registering unlocks, in units of the register_benefit coefficient (assumed: one unit for the "
            "linked services)",
            prov=assumed("one unit for the linked services"),
        )
        outreach: float = param(
            0.05,
            "1/month",
            0.0,
            1.0,
            "Monthly chance that notices make an unregistered migrant household aware of the system (assumed)",
            prov=assumed("no figure for this pilot in the seed or the literature; a round value to be varied in sweeps (docs/policies.md)"),
        )
        cost_per_registered: float = param(
            5.0,
            "yuan/household-month",
            0.0,
            1000.0,
            "Running cost of the information system per registered migrant household (assumed: staff and IT "
            "of a district system serving ~100,000 households at ~0.5 million yuan/month)",
            prov=assumed("staff and IT of a district system serving ~100,000 households at ~0.5 million yuan/month"),
        )

        def __post_init__(self) -> None:
            validate(self, "linked_registration ")

    def act(self, model: UrbanizationModel) -> None:
        pop = model.pop
        migrant = pop.htype == HouseholdType.MIGRANT
        unregistered = np.flatnonzero(migrant & (pop.reg == Registration.UNREGISTERED))
        if unregistered.size and self.params.outreach > 0:
            model.awareness.boost("registration", unregistered, self.params.outreach)
        registered = np.flatnonzero(registered_migrants(model, np.arange(pop.n)))
        cost = self.params.cost_per_registered * float(pop.weight[registered].sum())
        if cost > 0:
            model.ledger.charge("registration", cost, "city")

    def registration_incentive(self, model: UrbanizationModel) -> float:
        return float(self.params.incentive)

    def service_access(self, model: UrbanizationModel, service: str, rows: np.ndarray) -> np.ndarray | None:
        if service not in LINKED_SERVICES:
            return None
        return registered_migrants(model, rows)


@register
class SocializedRegistration(Policy):
    """Zhengzhou: socialized registration, employers and landlords register the migrants they house.

    Mechanism, each month (schedule phase 1):
        * a share ``employer_share`` of unregistered migrant households living in dormitories is registered by
          their employers, and a share ``landlord_share`` of those renting in urban villages or privately by
          their landlords (``model.move_state(rows, REGISTERED)``), among those the active policies let
          register;
        * the households reached learn of the registration system (outreach chance ``awareness_boost``);
        * each registration costs ``cost_per_registration`` yuan to the ``registration`` sector (assumed:
          forms, checks and a small fee to the registering landlord or employer), paid by the city.

    Example::

        UrbanizationModel(city="zhengzhou", policies="socialized_registration",
                          policy_params={"socialized_registration": {"landlord_share": 0.1}})
    """

    name = "socialized_registration"
    pilot = "Zhengzhou"
    summary = "Employers register migrants in their dormitories and landlords their tenants"

    @dataclass(frozen=True)
    class Params:
        employer_share: float = param(
            0.05,
            "1/month",
            0.0,
            1.0,
            "Monthly share of unregistered migrant households in dormitories registered by employers (assumed)",
            prov=assumed("no figure for this pilot in the seed or the literature; a round value to be varied in sweeps (docs/policies.md)"),
        )
        landlord_share: float = param(
            0.03,
            "1/month",
            0.0,
            1.0,
            "Monthly share of unregistered migrant households renting (urban village or private) registered by "
            "landlords (assumed: landlords comply less than employers)",
            prov=assumed("landlords comply less than employers"),
        )
        awareness_boost: float = param(
            0.1,
            "1/month",
            0.0,
            1.0,
            "Monthly chance that a landlord or employer makes an unregistered household aware of the system",
            prov=assumed("a lever of the policy's design as described in docs/policies.md; no published figure for these cities"),
        )
        cost_per_registration: float = param(
            20.0, "yuan/household", 0.0, 10000.0, "Cost of one socialized registration (assumed)",
            prov=assumed("no figure for this pilot in the seed or the literature; a round value to be varied in sweeps (docs/policies.md)"),
        )

        def __post_init__(self) -> None:
            validate(self, "socialized_registration ")

    def act(self, model: UrbanizationModel) -> None:
        pop, p = model.pop, self.params
        unregistered = (pop.htype == HouseholdType.MIGRANT) & (pop.reg == Registration.UNREGISTERED)
        dorm = np.flatnonzero(unregistered & (pop.residence == Residence.DORMITORY))
        rental = np.flatnonzero(
            unregistered
            & np.isin(pop.residence, [int(Residence.URBAN_VILLAGE_RENTAL), int(Residence.PRIVATE_RENTAL)])
        )
        reached = np.concatenate([dorm, rental])
        if reached.size == 0:
            return
        if p.awareness_boost > 0:
            model.awareness.boost("registration", reached, p.awareness_boost)
        share = np.concatenate([np.full(dorm.size, p.employer_share), np.full(rental.size, p.landlord_share)])
        chosen = reached[model.rng.random(reached.size) < share]
        chosen = chosen[model.policy_set.eligible(Transition.REGISTER, chosen)]
        if chosen.size == 0:
            return
        model.move_state(chosen, Registration.REGISTERED)
        households = float(pop.weight[chosen].sum())
        model.cumulative["socialized_registrations"] += households
        if p.cost_per_registration > 0:
            model.ledger.charge("registration", p.cost_per_registration * households, "city")


@register
class RentedResidenceHukou(Policy):
    """Yanta: urban hukou for migrants with a stable job and a stable residence, including a rented one.

    Mechanism: opens ``APPLY_HUKOU`` to a household that
        * holds a residence permit,
        * has a stable job (a formal labour contract),
        * has a stable residence, owned or rented (urban-village, private or public rental; dormitories do not
          count), lived in for at least ``residence_months`` months,
        * has paid social-insurance contributions for ``contribution_years`` successive years
          (``contrib_months >= 12 * contribution_years``),
        * and has heard of the new rule (awareness topic ``rented_residence_hukou``: a share
          ``initial_awareness`` learns of it when it is announced; after that it spreads through ties, media and
          ``outreach`` to permit holders).

    The status quo asks for an owned home instead. Grants still go through the hukou office's processing time
    and annual quota; ``extra_quota_per_year`` raises that quota (0: unchanged).

    Example::

        UrbanizationModel(city="yanta", policies="rented_residence_hukou",
                          policy_params={"rented_residence_hukou": {"contribution_years": 3}})
    """

    name = "rented_residence_hukou"
    pilot = "Yanta"
    summary = "Hukou for migrants with a formal job, a stable (also rented) home and N years of contributions"
    awareness_topic = "rented_residence_hukou"

    @dataclass(frozen=True)
    class Params:
        contribution_years: int = param(
            3,
            "years",
            0,
            10,
            "Successive years of social-insurance contributions required (seed: 'a successive number of "
            "years'; 3 assumed)",
            prov=assumed("the seed says 'a successive number of years'; the number is assumed"),
        )
        residence_months: int = param(
            12,
            "months",
            0,
            120,
            "Months at the current (owned or rented) residence to count as stable (assumed)",
            prov=assumed("no figure for this pilot in the seed or the literature; a round value to be varied in sweeps (docs/policies.md)"),
        )
        initial_awareness: float = param(
            0.1, "share", 0.0, 1.0, "Share of households aware of the rule when it is announced (assumed)",
            prov=assumed("no figure for this pilot in the seed or the literature; a round value to be varied in sweeps (docs/policies.md)"),
        )
        outreach: float = param(
            0.03,
            "1/month",
            0.0,
            1.0,
            "Monthly chance that a residence-permit holder learns of the rule from the permit office (assumed)",
            prov=assumed("no figure for this pilot in the seed or the literature; a round value to be varied in sweeps (docs/policies.md)"),
        )
        extra_quota_per_year: float = param(
            0.0,
            "share of migrant households/year",
            0.0,
            1.0,
            "Added to the hukou office's annual quota (0: the status quo quota applies)",
            prov=assumed("a lever of the policy's design as described in docs/policies.md; no published figure for these cities"),
        )

        def __post_init__(self) -> None:
            validate(self, "rented_residence_hukou ")

    def setup(self, model: UrbanizationModel) -> None:
        aware = model.awareness.of(self.awareness_topic or self.name)
        aware[:] |= model.rng.random(model.pop.n) < self.params.initial_awareness
        model.hukou.quota_share += self.params.extra_quota_per_year

    def act(self, model: UrbanizationModel) -> None:
        if self.params.outreach > 0:
            holders = np.flatnonzero(model.pop.reg == Registration.RESIDENCE_PERMIT)
            model.awareness.boost(self.awareness_topic or self.name, holders, self.params.outreach)

    def meets_rule(self, model: UrbanizationModel, rows: np.ndarray) -> np.ndarray:
        """Mask over ``rows``: permit, formal job, stable owned or rented home, contributions (awareness aside)."""
        pop, p = model.pop, self.params
        stable_home = np.isin(pop.residence[rows], [int(r) for r in (*RENTED, Residence.OWNED)])
        return (
            (pop.reg[rows] == Registration.RESIDENCE_PERMIT)
            & (pop.job[rows] == Job.FORMAL)
            & stable_home
            & (pop.residence_months[rows] >= p.residence_months)
            & (pop.contrib_months[rows] >= 12 * p.contribution_years)
        )

    def eligible(
        self, model: UrbanizationModel, transition: Transition, rows: np.ndarray
    ) -> np.ndarray | None:
        if transition is not Transition.APPLY_HUKOU:
            return None
        aware = model.awareness.of(self.awareness_topic or self.name)[rows]
        return self.meets_rule(model, rows) & aware
