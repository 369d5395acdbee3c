"""Zhengzhou: the migrant information system shared between bureaus (seed ch.2 II.1 and ch.3).

Seed ch.2 II.1, current situation: "In 2007, the local Government started to use 'Henan Provincial Migrant
Comprehensive Public Security Information Management System' ... Yet the collected data are restricted to only
internal public security purposes"; content of piloting: "build an authoritative and unified migrant information
management system", "develop the potentials of migrant information management system"; indicators: "utilization
by other service sectors of the management information system", "access to social service by the registered
migrants". Seed ch.3 (2011 milestones): "an information sharing mechanism between the Public Security Bureau (as
the data holder) and Housing Management Bureau and Education Bureau (as data users) ... used by departments of
housing management, education, human resources and social security for service provision". Seed ch.1, theme 5:
"a migrants registration system with information shared among government bodies".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from urbanize.model.enums import Registration
from urbanize.model.indicators import Snapshot, indicator, ratio
from urbanize.model.params import param, validate
from urbanize.model.provenance import assumed
from urbanize.policies.base import Policy
from urbanize.policies.registration import registered_migrants
from urbanize.policies.registry import register

if TYPE_CHECKING:
    from urbanize.model.core import UrbanizationModel

NAME = "information_sharing"

#: The bureaus that may receive the Public Security Bureau's records, and the services each provides. The education
#: bureau runs the pre-school and senior-middle levels as well (the seed's Zhengzhou education section: "pre-school
#: education significantly lags behind", class sizes "in primary, junior middle and senior middle schools"); under
#: the status quo kindergartens admit anyone who pays, so there the record changes who counts as using the system
#: (``info_system_service_users``), not who is admitted. Left out, because no registration record bears on them:
#: the new rural cooperative medical scheme (``ncms``: the city's scheme is its local rural-hukou residents';
#: migrants are insured at their origin's county), resident health records (``health_records``: community health
#: stations open one for every household resident ``min_months_resident`` months, registered or not, so a shared
#: record unlocks nothing) and talents housing (``talents_housing``: a yearly quota chosen on skill, a formal job
#: and the wish to transfer hukou, granted with hukou; the seed's Zhengzhou sharing names the housing bureau for
#: service provision, which public rental flats already stand for).
SECTOR_SERVICES: dict[str, tuple[str, ...]] = {
    "education": ("primary_school", "junior_school", "senior_school", "kindergarten"),
    "health": ("child_health", "maternal_health"),
    "housing": ("public_rental",),
    "social_security": ("training", "pension", "medical_insurance"),  # human resources and social security
}

#: Entitlements record enrolment in a scheme column rather than in units held.
ENROLMENT_COLUMNS = {"pension": "pension", "medical_insurance": "insured"}


@register
class InformationSharing(Policy):
    """Zhengzhou: the Public Security Bureau shares registered migrants' records with the education, health,
    housing and human-resources/social-security bureaus.

    Mechanism: a bureau that receives the records accepts registration as proof of identity and residence, so
    it can identify the registered migrants among its applicants: each sector switched on opens its services
    (education: public primary, junior and senior middle schools and kindergartens; health: child and maternal health profiles; housing: public
    rental flats, within their need and means test; human resources and social security: training, pensions and
    medical insurance, with their own take-up) to registered migrant households (registered, permit holders,
    hukou applicants) whose record has reached it, ``sync_months`` after they registered. Households then apply,
    queue and take up as any other applicant; nothing is handed out. What the records unlock makes registering
    worth more: ``incentive_per_sector`` benefit units for each connected sector (added to the
    ``register_benefit`` term of the registration decision). Each connected sector costs ``cost_per_sector`` yuan
    a month (registration sector, city) for the data interface.

    Without the policy the records serve public security only (the 2007 system, seed ch.2 II.1).

    Usage::

        UrbanizationModel(city="zhengzhou", policies="information_sharing")
        UrbanizationModel(city="zhengzhou", policies="linked_registration,information_sharing",
                          policy_params={"information_sharing": {"health": False, "sync_months": 3}})
    """

    name = NAME
    pilot = "Zhengzhou"
    summary = (
        "Registered migrants' records shared with education, health, housing and social-security bureaus"
    )

    @dataclass(frozen=True)
    class Params:
        education: bool = param(
            True,
            "",
            None,
            None,
            "The education bureau receives the records",
            prov=assumed(
                "a switch or scenario choice, not an empirical quantity: the default is the case the seed describes"
            ),
        )
        health: bool = param(
            True,
            "",
            None,
            None,
            "The health bureau receives the records",
            prov=assumed(
                "a switch or scenario choice, not an empirical quantity: the default is the case the seed describes"
            ),
        )
        housing: bool = param(
            True,
            "",
            None,
            None,
            "The housing management bureau receives the records",
            prov=assumed(
                "a switch or scenario choice, not an empirical quantity: the default is the case the seed describes"
            ),
        )
        social_security: bool = param(
            True,
            "",
            None,
            None,
            "The human resources and social security bureau receives the records",
            prov=assumed(
                "a switch or scenario choice, not an empirical quantity: the default is the case the seed describes"
            ),
        )
        sync_months: int = param(
            1,
            "months",
            0,
            24,
            "Months from registration until the record reaches the bureaus (assumed: a monthly data exchange)",
            prov=assumed("a monthly data exchange"),
        )
        incentive_per_sector: float = param(
            0.25,
            "benefit units/sector",
            0.0,
            2.0,
            "What each connected sector adds to the value of registering (assumed: four sectors make the one "
            "unit linked_registration assumes for its linked services)",
            prov=assumed(
                "four sectors make the one unit linked_registration assumes for its linked services"
            ),
        )
        cost_per_sector: float = param(
            50_000.0,
            "yuan/sector-month",
            0.0,
            1e8,
            "Running cost of one bureau's data interface (assumed: a few staff and upkeep of an exchange link)",
            prov=assumed("a few staff and upkeep of an exchange link"),
        )

        def __post_init__(self) -> None:
            validate(self, f"{NAME} ")

    def sectors(self) -> list[str]:
        """The sectors that receive the records."""
        return [s for s in SECTOR_SERVICES if getattr(self.params, s)]

    def setup(self, model: UrbanizationModel) -> None:
        self._services = {svc for s in self.sectors() for svc in SECTOR_SERVICES[s]}

    def known(self, model: UrbanizationModel, rows: np.ndarray) -> np.ndarray:
        """Mask over ``rows``: registered migrant households whose record has reached the bureaus."""
        pop = model.pop
        reg = pop.reg[rows]
        synced = (reg > Registration.REGISTERED) | (pop.reg_months[rows] >= self.params.sync_months)
        return registered_migrants(model, rows) & synced

    def service_access(self, model: UrbanizationModel, service: str, rows: np.ndarray) -> np.ndarray | None:
        if service not in self._services:
            return None
        return self.known(model, np.asarray(rows))

    def registration_incentive(self, model: UrbanizationModel) -> float:
        return self.params.incentive_per_sector * len(self.sectors())

    def act(self, model: UrbanizationModel) -> None:
        cost = self.params.cost_per_sector * len(self.sectors())
        if cost > 0:
            model.ledger.charge("registration", cost, "city")


def registered_migrant_access(s: Snapshot) -> float:
    """Mean access index (share of the eleven household services open) of persons in registered migrant
    households: the seed's "access to social service by the registered migrants"."""
    among = s.pw * (s.registered & s.nonlocal_)
    return ratio(float((among * s.pop.access_count.astype(float)).sum()) / 11.0, float(among.sum()))


def record_users(s: Snapshot) -> float:
    """Persons in registered migrant households holding a unit of a service of a sector that receives the
    records (or, for entitlements, enrolled in it)."""
    rule = s.model.policy_set.get(NAME)
    assert isinstance(rule, InformationSharing)
    pop = s.pop
    uses = np.zeros(pop.n, dtype=bool)
    for service in sorted(rule._services):
        if service in ENROLMENT_COLUMNS:
            uses |= pop.col(ENROLMENT_COLUMNS[service]) > 0
        else:
            uses |= pop.col(f"use_{service}") > 0
    return float((s.pw * (s.registered & s.nonlocal_ & uses)).sum())


@indicator(
    "access_index_registered_migrants",
    "Mean access index of persons in registered migrant households (share of 11 household services open)",
    "share",
    policy=NAME,
)
def access_index_registered_migrants(s: Snapshot) -> float:
    return registered_migrant_access(s)


@indicator(
    "info_system_sectors",
    "Service sectors (of education, health, housing, social security) using the migrant information system",
    "sectors",
    policy=NAME,
)
def info_system_sectors(s: Snapshot) -> float:
    rule = s.model.policy_set.get(NAME)
    assert isinstance(rule, InformationSharing)
    return float(len(rule.sectors()))


@indicator(
    "info_system_service_users",
    "Persons in registered migrant households using a service of a sector that receives their records",
    "persons",
    policy=NAME,
)
def info_system_service_users(s: Snapshot) -> float:
    return record_users(s)
