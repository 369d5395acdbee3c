"""Changshu's local health information system based on resident health records (seed ch.2 V.2, public health).

Seed ch.2 V.2: current situation "Individuals' medical records are separately stored by different hospital
department, not easy to be shared"; measure "Establish a local health information system based on the health
records"; output "The implementation plan for the health information system"; indicator "Number of urban and rural
citizens with health care profiles".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from urbanize.model.indicators import Snapshot, indicator, ratio
from urbanize.model.params import param, validate
from urbanize.model.provenance import assumed, sourced
from urbanize.model.services.draws import sample
from urbanize.model.streams import child_rng
from urbanize.policies._services import city_services
from urbanize.policies.base import Policy
from urbanize.policies.registry import register

if TYPE_CHECKING:
    from urbanize.model.core import UrbanizationModel

#: Key of the policy's generator among the children of the model's seed sequence.
_RNG_KEY = 60_671


@register
class HealthRecords(Policy):
    """Changshu: a resident health record for every household of the city, migrants included, in one local
    health information system.

    Mechanism: each month community health stations open a record for a share ``monthly_rate`` of the resident
    households without one that have lived ``min_months_resident`` months in the city (locals and migrants alike).
    A record ties the household to its community health station, which follows up young children and pregnant
    women, so the household counts as informed in the take-up rule of child and maternal health profiles
    (``model.services.take_up.health_take_up``): migrants with access to profiles (under ``maternal_child_health``,
    say) take more of them up. Records cost ``cost_per_person`` yuan a person-year (health, city).

    Its indicators (columns of runs with it): ``health_records_persons`` (the seed's indicator) and
    ``health_record_coverage_migrant``.

    Usage::

        UrbanizationModel(city="changshu", policies="maternal_child_health,health_records")
    """

    name = "health_records"
    pilot = "Changshu"
    summary = "Resident health records for all, migrants included, in one local health information system"

    @dataclass(frozen=True)
    class Params:
        monthly_rate: float = param(
            0.05,
            "1/month",
            0.0,
            1.0,
            "Share of resident households without a record that receive one each month",
            prov=assumed(
                "no figure for Changshu; about half the households recorded within a year, the pace the 2009 health "
                "reform asked of the basic public health service package"
            ),
        )
        min_months_resident: int = param(
            3,
            "months",
            0,
            120,
            "Months in the city before a household receives a record",
            prov=assumed("a lever of the policy's design; as maternal_child_health's qualifying stay"),
        )
        cost_per_person: float = param(
            15.0,
            "yuan/person-year",
            0.0,
            1000.0,
            "Cost of keeping a person's record and its follow-up (the 2009 basic public health service standard)",
            prov=sourced(
                "2009 national standard of basic public health service funding, at least 15 yuan per person a year "
                "(Ministry of Health, Ministry of Finance 2009), of which records are the first item"
            ),
        )

        def __post_init__(self) -> None:
            validate(self, "health_records ")

    def setup(self, model: UrbanizationModel) -> None:
        city_services(model, self.name)
        self.rng = child_rng(model, _RNG_KEY)

    def act(self, model: UrbanizationModel) -> None:
        pop = model.pop
        rows = np.flatnonzero(~pop.health_record & (pop.months_resident >= self.params.min_months_resident))
        pop.health_record[sample(self.rng, rows, self.params.monthly_rate)] = True
        held = np.flatnonzero(pop.health_record)
        persons = float((pop.persons(held) * pop.weight[held]).sum())
        city_services(model, self.name).charge("health", self.params.cost_per_person / 12.0 * persons)


@indicator(
    "health_records_persons",
    "Urban and rural residents (migrants included) with a resident health record",
    "persons",
    policy="health_records",
)
def health_records_persons(s: Snapshot) -> float:
    return float((s.pw * s.pop.health_record).sum())


@indicator(
    "health_record_coverage_migrant",
    "Share of migrant persons (non-local hukou) with a resident health record",
    "share",
    policy="health_records",
)
def health_record_coverage_migrant(s: Snapshot) -> float:
    return ratio(float((s.migrant_pw * s.pop.health_record).sum()), float(s.migrant_pw.sum()))
