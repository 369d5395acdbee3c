"""The status quo: rules of the land before any pilot (seed ch.2, "current situation" columns).

* Registration in the migrant information system is voluntary and unlinked to services (Zhengzhou: data
  "restricted to only internal public security purposes").
* A residence permit needs registration for some months and a job.
* Hukou for migrants needs privately owned housing and a formal job (Yanta: "privately owned houses as
  pre-requisite for migrants to get urban Hukou"), within an annual quota, after processing.
* Local farmers convert to urban hukou only once their land has been requisitioned.
* Services (``service_access``): local hukou holders use public schools, health profiles, community centres,
  hardship aid and training (residence-permit holders also get health profiles); migrants may take a public school seat left open after a year in the city (paying
  a fee) and use private migrant schools; kindergartens admit anyone who pays (local children first), and
  non-hukou pupils may take a senior-middle seat left after the examination candidates, as fee-paying "borrowing"
  pupils, after a year in the city (model/services/levels.py); urban dibao, urban pensions and medical insurance follow local urban
  hukou (plus formal jobs for the employee schemes); public rental flats go to the urban poor (seed ch.2,
  "current situation": "Urban and rural poor families (with local Hukou) have housing subsidies"); elderly-care
  institutions admit anyone who pays, community home-based support and day care serve local hukou holders
  (assumed: community services followed hukou, as the community centres do).

Usage::

    UrbanizationModel(city="yanta", policies="status_quo")     # this policy alone
    UrbanizationModel(city="yanta", policies="yanta_pilot")    # the baseline plus Yanta's pilot measures
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from urbanize.model.enums import HouseholdType, Job, Registration, Residence
from urbanize.model.params import param, validate
from urbanize.model.provenance import assumed
from urbanize.model.services import take
from urbanize.policies.base import Policy, Transition
from urbanize.policies.registry import register, register_package

if TYPE_CHECKING:
    from urbanize.model.core import UrbanizationModel

#: Months in the city before a migrant child may take an open public school seat (assumed; fee-paying).
MIGRANT_SCHOOL_MONTHS = 12


@register
class StatusQuo(Policy):
    name = "status_quo"
    pilot = "all"
    summary = (
        "Baseline rules: voluntary registration, hukou only with owned housing, farmers convert on land loss"
    )

    @dataclass(frozen=True)
    class Params:
        permit_registered_months: int = param(
            6, "months", 0, 120, "Months registered before a migrant may take a residence permit (assumed)",
            prov=assumed("no figure for this pilot in the seed or the literature; a round value to be varied in sweeps (docs/policies.md)"),
        )
        hukou_processing_months: int = param(
            6, "months", 0, 60, "Months between a hukou application and the grant (assumed)",
            prov=assumed("no figure for this pilot in the seed or the literature; a round value to be varied in sweeps (docs/policies.md)"),
        )
        hukou_quota_per_year: float = param(
            0.02,
            "share of migrant households/year",
            0.0,
            1.0,
            "Annual quota of hukou grants as a share of migrant households present in January (assumed)",
            prov=assumed("no figure for this pilot in the seed or the literature; a round value to be varied in sweeps (docs/policies.md)"),
        )

        def __post_init__(self) -> None:
            validate(self, "status_quo ")

    def setup(self, model: UrbanizationModel) -> None:
        model.hukou.processing_months = self.params.hukou_processing_months
        model.hukou.quota_share = self.params.hukou_quota_per_year

    def eligible(
        self, model: UrbanizationModel, transition: Transition, rows: np.ndarray
    ) -> np.ndarray | None:
        pop = model.pop
        # plain ints (``int(Job.NONE)``, ...) here and in ``service_access``: numpy compares an int8 column with an
        # IntEnum member ten times slower
        match transition:
            case Transition.REGISTER:
                return np.ones(rows.size, dtype=bool)
            case Transition.RESIDENCE_PERMIT:
                return (pop.reg_months[rows] >= self.params.permit_registered_months) & (
                    pop.job[rows] != int(Job.NONE)
                )
            case Transition.APPLY_HUKOU:
                return (pop.residence[rows] == int(Residence.OWNED)) & (pop.job[rows] == int(Job.FORMAL))
            case Transition.FARMER_CONVERSION:
                return ~pop.land[rows] & (pop.reg[rows] == int(Registration.LOCAL_RURAL_HUKOU))
            case _:
                raise ValueError(f"unknown transition {transition!r}")

    def service_access(self, model: UrbanizationModel, service: str, rows: np.ndarray) -> np.ndarray | None:
        pop = model.pop
        local = take(pop.hukou_local, rows)
        match service:
            case "primary_school" | "junior_school":
                return local | (take(pop.months_resident, rows) >= MIGRANT_SCHOOL_MONTHS)
            case "private_migrant_school":
                return ~local
            case "kindergarten":
                return np.ones(rows.size, dtype=bool)
            case "senior_school":
                return local | (take(pop.months_resident, rows) >= MIGRANT_SCHOOL_MONTHS)
            case "child_health" | "maternal_health":
                reg = take(pop.reg, rows)
                permit, applicant = int(Registration.RESIDENCE_PERMIT), int(Registration.HUKOU_APPLICANT)
                return local | (reg == permit) | (reg == applicant)
            case "community_centre" | "hardship_aid" | "training":
                return local.copy()
            case "public_rental":
                return take(pop.htype, rows) == int(HouseholdType.URBAN_POOR)
            case "dibao":
                return local & take(pop.hukou_urban, rows)
            case "pension" | "medical_insurance":
                return (local & take(pop.hukou_urban, rows)) | (take(pop.job, rows) == int(Job.FORMAL))
            case "elder_care_home":
                return np.ones(rows.size, dtype=bool)
            case "elder_home_support" | "elder_day_care":
                return local.copy()
            case _:
                return None


register_package("status_quo", ["status_quo"])
