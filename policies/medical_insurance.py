"""Changshu's basic medical insurance for rural residents (seed ch.2 V.2, public health and social securities).

Seed ch.2 V.2: "Policies relating to funding arrangement and reimbursement for basic medical insurance (rural
cooperative system) need to be improved"; measure "Improve the basic medical insurance system for residents (rural
cooperative medical system)"; indicators "The funding level for basic medical insurance (rural cooperative medical
system), compensation percentage and rate of insurance coverage" and "Increase in the new rural cooperative medical
insurance entitlements"; current situation (social securities): "Integration completed of new rural cooperative
medical system into urban residents' basic medical system". The scheme itself, with its status-quo funding, is
``model.services.ncms``; these policies change its funding or open the urban residents' scheme to its members.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from urbanize.model.errors import ParameterError
from urbanize.model.params import param, validate
from urbanize.model.provenance import assumed, sourced
from urbanize.policies._services import city_services
from urbanize.policies.base import Policy
from urbanize.policies.registry import register

if TYPE_CHECKING:
    from urbanize.model.core import UrbanizationModel


@register
class NcmsImprovement(Policy):
    """Changshu: higher funding and reimbursement of the new rural cooperative medical scheme.

    Mechanism: from ``start_month`` the government subsidy is ``subsidy_per_person`` and the individual premium
    ``individual_premium`` yuan a member-year, and the scheme may reimburse up to ``max_compensation`` of inpatient
    costs. The scheme spends what it raises (``model.services.ncms``), so members' benefits rise with the funding;
    local rural households decide at the next January enrolment whether the higher net benefit is worth joining
    (``ncms_const``, ``ncms_benefit``), which moves the coverage rate.

    In Changshu the scheme is integrated with urban residents' insurance in the status quo (city file
    ``[medical_insurance]``; seed ch.2 V.2: "Integration completed"), so the policy acts on the integrated pool:
    over the integrated status quo it adds the higher funding and reimbursement (the 2011 national standard
    against 2009's), for every local member of the pool, urban and rural, whose subsidies the city pays; the
    integration itself (farmers in the residents' scheme, one pool) is already there. Elsewhere it acts on the
    rural scheme alone.

    Usage::

        UrbanizationModel(city="changshu", policies="ncms_improvement",
                          policy_params={"ncms_improvement": {"subsidy_per_person": 120}})
    """

    name = "ncms_improvement"
    pilot = "Changshu"
    summary = "Raise the funding and reimbursement of the new rural cooperative medical scheme"

    @dataclass(frozen=True)
    class Params:
        subsidy_per_person: float = param(
            200.0,
            "yuan/person-year",
            0.0,
            5000.0,
            "Government subsidy per member (2011 national standard: raised from 120 to 200 yuan)",
            prov=sourced(
                "Government Work Report 2012 (on 2011): per-person subsidies for urban residents' medical insurance "
                "and the NCMS raised from 120 to 200 yuan a year"
            ),
        )
        individual_premium: float = param(
            46.0,
            "yuan/person-year",
            0.0,
            5000.0,
            "Individual premium per member (2011: 246.2 yuan pooled per member less the 200 yuan subsidy)",
            prov=sourced(
                "NBS China Statistical Yearbook 2012, table 21-20: 246.2 yuan per capita premium in 2011, less the "
                "200 yuan government subsidy"
            ),
        )
        max_compensation: float = param(
            0.6,
            "share",
            0.0,
            1.0,
            "Ceiling of the share of inpatient costs reimbursed (about 50-60 % of costs in 2011)",
            prov=assumed(
                "the 2011 scheme reimbursed about half to 60 % of inpatient costs (2009: 55 %, Ministry of Health); "
                "the policy-catalogue target of about 75 % for 2012 covered only listed costs"
            ),
        )
        start_month: int = param(
            0,
            "month",
            0,
            600,
            "Model month from which the new funding applies (members decide at the next January enrolment)",
            prov=assumed("a lever of the policy's design; the pilot began at the start of the run"),
        )

        def __post_init__(self) -> None:
            validate(self, "ncms_improvement ")

    def act(self, model: UrbanizationModel) -> None:
        if model.month < self.params.start_month:
            return
        scheme = city_services(model, self.name).ncms
        scheme.subsidy = self.params.subsidy_per_person
        scheme.premium = self.params.individual_premium
        scheme.max_compensation = self.params.max_compensation


@register
class ResidentMedicalIntegration(Policy):
    """Changshu: the new rural cooperative medical scheme integrated into urban residents' basic medical insurance.

    Mechanism: local rural-hukou households may join the urban residents' scheme (``medical_insurance``); members
    of the rural scheme move over as they take it up (the urban scheme's monthly take-up, raised to ``take_up``
    while the integration is mobilised), so coverage of local farmers by urban medical insurance rises and the
    rural scheme empties. For a city whose schemes are not yet integrated: Changshu's are in its status quo (city
    file ``[medical_insurance]``), where the policy is refused with a one-line error.

    Usage::

        UrbanizationModel(city="zhengzhou", policies="resident_medical_integration")
    """

    name = "resident_medical_integration"
    pilot = "Changshu"
    summary = "Local farmers join the urban residents' medical insurance (rural cooperative scheme integrated)"

    @dataclass(frozen=True)
    class Params:
        take_up: float = param(
            0.2,
            "1/month",
            0.0,
            1.0,
            "Monthly chance that an eligible local rural household moves to the urban residents' scheme",
            prov=assumed(
                "the urban scheme's own take-up of local households (0.2 a month); the integration was an "
                "administrative transfer, so no slower"
            ),
        )

        def __post_init__(self) -> None:
            validate(self, "resident_medical_integration ")

    def setup(self, model: UrbanizationModel) -> None:
        if model.profile.medical_schemes_integrated:
            raise ParameterError(
                f"policy '{self.name}': {model.profile.display_name}'s rural and urban resident medical schemes "
                "are already integrated in its status quo (city file [medical_insurance]); drop the policy"
            )
        insurance = city_services(model, self.name).medical_insurance
        insurance.take_up_local = max(insurance.take_up_local, self.params.take_up)

    def service_access(self, model: UrbanizationModel, service: str, rows: np.ndarray) -> np.ndarray | None:
        if service != "medical_insurance":
            return None
        pop = model.pop
        return pop.hukou_local[rows] & ~pop.hukou_urban[rows]
