"""Social assistance and social security pilots.

Seed ch.2 III.2 (Yanta, social assistance): "Provide a one-off assistance to migrants in serious family
difficulties such as disease, disaster and accidents"; "Explore to include migrants in urban minimum living
standard subsidy system"; indicator "Sex disaggregated statistics on number of recipients for interim
assistance, and by local farmers and migrants".
Seed ch.2 IV.2 (Jinnan): "Promote equal access to regular urban benefits in terms of social assistance and
social security by those who have exchanged their homestead land for apartment in towns".
Seed ch.2 V.2 (Changshu, social securities): "harmonize rural and urban social security systems";
"Improve policies for migrants self-employed or employed in factories to join in urban pension system".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from urbanize.model.enums import HouseholdType, Job, Registration, Residence
from urbanize.model.params import param, validate
from urbanize.model.provenance import assumed
from urbanize.policies._services import city_services
from urbanize.policies.base import Policy
from urbanize.policies.registry import register

if TYPE_CHECKING:
    from urbanize.model.core import UrbanizationModel


@register
class MigrantAssistance(Policy):
    """Yanta: one-off aid for migrants in hardship, and migrants' inclusion in urban dibao.

    Mechanism: migrant households resident ``aid_min_months`` months may receive the one-off hardship aid
    (``aid_amount`` yuan) when a shock leaves them poor; those resident ``dibao_min_months`` months (holding a
    residence permit, with ``dibao_requires_permit``) may receive urban dibao on the same terms as hukou holders.

    Usage::

        UrbanizationModel(city="yanta", policies="migrant_assistance")
    """

    name = "migrant_assistance"
    pilot = "Yanta"
    summary = "One-off hardship aid for migrants and their inclusion in urban dibao"

    @dataclass(frozen=True)
    class Params:
        aid_min_months: int = param(6, "months", 0, 120, "Months in the city before hardship aid (assumed)", prov=assumed("no figure for this pilot in the seed or the literature; a round value to be varied in sweeps (docs/policies.md)"))
        aid_amount: float = param(2000.0, "yuan/household", 0.0, 50000.0, "One-off aid amount (assumed)", prov=assumed("no figure for this pilot in the seed or the literature; a round value to be varied in sweeps (docs/policies.md)"))
        dibao_min_months: int = param(24, "months", 0, 240, "Months in the city before urban dibao (assumed)", prov=assumed("no figure for this pilot in the seed or the literature; a round value to be varied in sweeps (docs/policies.md)"))
        dibao_requires_permit: bool = param(
            True, "", None, None, "Urban dibao only for migrants holding a residence permit",
            prov=assumed("a switch of the policy's design, set as the pilot is described in docs/policies.md; no figure needed"),
        )

        def __post_init__(self) -> None:
            validate(self, "migrant_assistance ")

    def setup(self, model: UrbanizationModel) -> None:
        city_services(model, self.name).hardship_aid.amount = self.params.aid_amount

    def service_access(self, model: UrbanizationModel, service: str, rows: np.ndarray) -> np.ndarray | None:
        pop = model.pop
        p = self.params
        match service:
            case "hardship_aid":
                return ~pop.hukou_local[rows] & (pop.months_resident[rows] >= p.aid_min_months)
            case "dibao":
                ok = ~pop.hukou_local[rows] & (pop.months_resident[rows] >= p.dibao_min_months)
                if p.dibao_requires_permit:
                    ok &= pop.reg[rows] >= Registration.RESIDENCE_PERMIT
                return ok
            case _:
                return None


@register
class HarmonizedSocialSecurity(Policy):
    """Jinnan: urban social assistance and social insurance for farmers who exchanged their homestead for a
    model-town apartment, and (with ``include_landless``) for landless farmers.

    Mechanism: these local-farmer households may receive urban dibao and join the urban pension
    (urban-rural resident scheme, or employee scheme with a formal job) and urban resident medical insurance;
    enrolment is mobilised (take-up ``take_up`` a month); the district pays an extra ``subsidy`` yuan a month
    per enrolled household to complete their integration (seed ch.2 V.2: "increase financial subsidies for land
    loss farmers for a completion into urban social security system").

    Usage::

        UrbanizationModel(city="jinnan", policies="harmonized_social_security")
    """

    name = "harmonized_social_security"
    pilot = "Jinnan"
    summary = "Urban dibao, pensions and medical insurance for farmers who exchanged homesteads or lost land"

    @dataclass(frozen=True)
    class Params:
        include_landless: bool = param(True, "", None, None, "Also landless farmers (land requisitioned)", prov=assumed("a switch of the policy's design, set as the pilot is described in docs/policies.md; no figure needed"))
        take_up: float = param(
            0.2, "1/month", 0.0, 1.0, "Monthly enrolment chance of eligible farmers (assumed)",
            prov=assumed("no figure for this pilot in the seed or the literature; a round value to be varied in sweeps (docs/policies.md)"),
        )
        subsidy: float = param(
            50.0,
            "yuan/household-month",
            0.0,
            5000.0,
            "Extra district subsidy per enrolled household (assumed)",
            prov=assumed("no figure for this pilot in the seed or the literature; a round value to be varied in sweeps (docs/policies.md)"),
        )

        def __post_init__(self) -> None:
            validate(self, "harmonized_social_security ")

    def _qualifies(self, model: UrbanizationModel, rows: np.ndarray) -> np.ndarray:
        pop = model.pop
        farmer = pop.htype[rows] == HouseholdType.LOCAL_FARMER
        exchanged = (pop.residence[rows] == Residence.RESETTLEMENT) & ~pop.homestead[rows]
        ok = exchanged | ~pop.land[rows] if self.params.include_landless else exchanged
        return farmer & ok

    def setup(self, model: UrbanizationModel) -> None:
        svc = city_services(model, self.name)
        svc.pension.take_up_local = max(svc.pension.take_up_local, self.params.take_up)
        svc.medical_insurance.take_up_local = max(svc.medical_insurance.take_up_local, self.params.take_up)

    def service_access(self, model: UrbanizationModel, service: str, rows: np.ndarray) -> np.ndarray | None:
        if service not in ("dibao", "pension", "medical_insurance"):
            return None
        return self._qualifies(model, rows)

    def act(self, model: UrbanizationModel) -> None:
        pop = model.pop
        rows = np.flatnonzero(
            (pop.htype == HouseholdType.LOCAL_FARMER) & ((pop.pension == 1) | (pop.pension == 2))
        )
        rows = rows[self._qualifies(model, rows)]
        city_services(model, self.name).charge(
            "social_security", self.params.subsidy * float(pop.weight[rows].sum()), "district"
        )


@register
class PensionIntegration(Policy):
    """Changshu: rural pensions integrated into the urban scheme, and migrants into urban pensions.

    Mechanism: local rural-hukou households may join the urban pension (urban-rural resident scheme; members of
    the new rural pension move over); migrants resident ``migrant_min_months`` months working in factories
    (formal jobs) or self-employed (informal jobs, with ``include_self_employed``) may join the urban pension,
    mobilised to a monthly take-up of ``migrant_take_up``.

    Usage::

        UrbanizationModel(city="changshu", policies="pension_integration")
    """

    name = "pension_integration"
    pilot = "Changshu"
    summary = "Rural pensions integrated into urban pensions; migrants (factory or self-employed) join them"

    @dataclass(frozen=True)
    class Params:
        migrant_min_months: int = param(6, "months", 0, 120, "Months in the city before migrants may join", prov=assumed("a lever of the policy's design as described in docs/policies.md; no published figure for these cities"))
        migrant_take_up: float = param(
            0.05, "1/month", 0.0, 1.0, "Monthly enrolment chance of eligible migrants (assumed)",
            prov=assumed("no figure for this pilot in the seed or the literature; a round value to be varied in sweeps (docs/policies.md)"),
        )
        include_self_employed: bool = param(True, "", None, None, "Migrants in informal work may join too", prov=assumed("a switch of the policy's design, set as the pilot is described in docs/policies.md; no figure needed"))
        rural_integration: bool = param(True, "", None, None, "Local farmers join the urban-rural scheme", prov=assumed("a switch of the policy's design, set as the pilot is described in docs/policies.md; no figure needed"))

        def __post_init__(self) -> None:
            validate(self, "pension_integration ")

    def setup(self, model: UrbanizationModel) -> None:
        pension = city_services(model, self.name).pension
        pension.take_up_nonlocal = max(pension.take_up_nonlocal, self.params.migrant_take_up)

    def service_access(self, model: UrbanizationModel, service: str, rows: np.ndarray) -> np.ndarray | None:
        if service != "pension":
            return None
        pop, p = model.pop, self.params
        job = pop.job[rows]
        working = (job == Job.FORMAL) | ((job == Job.INFORMAL) if p.include_self_employed else False)
        ok = ~pop.hukou_local[rows] & (pop.months_resident[rows] >= p.migrant_min_months) & working
        if p.rural_integration:
            ok |= pop.hukou_local[rows] & ~pop.hukou_urban[rows]
        return ok
