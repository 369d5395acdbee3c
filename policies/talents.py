"""Changshu's housing project for talents (seed ch.2 V.2, housing security).

Seed ch.2 V.2: measure "Set up a housing project for talents"; indicator "The actual number of persons who get
settled through the housing project for talents"; employment: "senior technical workers and technical talents are
in shortage". The project is modelled as a yearly quota of subsidised flats that come with local urban hukou, for
high-skill migrants in stable jobs who would transfer their hukou here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from urbanize.model import calendar
from urbanize.model.enums import HouseholdType, Job, Residence, Skill
from urbanize.model.indicators import Snapshot, indicator
from urbanize.model.params import param, validate
from urbanize.model.provenance import assumed
from urbanize.policies._services import city_services
from urbanize.policies.base import Policy
from urbanize.policies.registry import register

if TYPE_CHECKING:
    from urbanize.model.core import UrbanizationModel


@register
class TalentsHousing(Policy):
    """Changshu: a housing project for talents, a quota of subsidised flats with local urban hukou.

    Mechanism: each January the city opens ``flats_per_1000_households`` talent flats per 1,000 households for the
    year. Each month, migrant households whose head is high-skill, holds a formal (stable) job, has lived
    ``min_months_resident`` months in the city and would transfer the household's hukou here (its own stated
    preference, ``wants_hukou``: those tied to land at origin or not intending to settle decline) take the flats
    still open, longest resident first. A household that takes one moves into it (an owned flat in its district,
    added to the stock) and is granted local urban hukou with it, outside the hukou office's quota; the city pays
    ``subsidy_per_flat`` yuan per flat (housing). As hukou holders, these households have settled and no longer
    return (``Migrant.decide_departure``).

    Its indicators (columns of runs with it): ``talent_housing_settled`` (the seed's indicator, persons settled
    through the project since the start) and ``talent_flats_open`` (flats of this year's quota still open).

    Usage::

        UrbanizationModel(city="changshu", policies="talents_housing",
                          policy_params={"talents_housing": {"flats_per_1000_households": 2.0}})
    """

    name = "talents_housing"
    pilot = "Changshu"
    summary = "Subsidised flats with local urban hukou for high-skill migrants in stable jobs (a yearly quota)"

    @dataclass(frozen=True)
    class Params:
        flats_per_1000_households: float = param(
            2.0,
            "flats/1000 households/year",
            0.0,
            100.0,
            "Talent flats opened each year per 1,000 households of the city",
            prov=assumed(
                "the seed gives no size for the project; a small quota beside public rental housing (3 flats per "
                "1,000 households a year), to be varied in sweeps"
            ),
        )
        min_months_resident: int = param(
            6,
            "months",
            0,
            240,
            "Months in the city before a high-skill migrant household qualifies",
            prov=assumed("a lever of the policy's design; no published figure for Changshu"),
        )
        subsidy_per_flat: float = param(
            50_000.0,
            "yuan/flat",
            0.0,
            5e6,
            "City subsidy per talent flat (a discount of about a third on a 150,000 yuan flat)",
            prov=assumed(
                "no figure for Changshu's project; a third of the assumed 150,000 yuan cost of a 50 m2 flat "
                "(policies/housing.py)"
            ),
        )

        def __post_init__(self) -> None:
            validate(self, "talents_housing ")

    def setup(self, model: UrbanizationModel) -> None:
        city_services(model, self.name)
        self.open = 0.0  # flats of this year's quota still open (real units)
        self.settled = 0.0  # persons settled through the project since the start
        self._open_year(model)

    def _open_year(self, model: UrbanizationModel) -> None:
        self.open = self.params.flats_per_1000_households / 1000.0 * float(model.pop.weight.sum())

    def eligible_rows(self, model: UrbanizationModel) -> np.ndarray:
        """Rows of the households that qualify for a talent flat and want one (see the class docstring)."""
        pop = model.pop
        return np.flatnonzero(
            (pop.htype == HouseholdType.MIGRANT)
            & ~pop.hukou_local
            & (pop.skill == Skill.HIGH)
            & (pop.job == Job.FORMAL)
            & (pop.months_resident >= self.params.min_months_resident)
            & pop.wants_hukou
        )

    def act(self, model: UrbanizationModel) -> None:
        if model.month > 0 and calendar.date_of(model.month).month == 1:
            self._open_year(model)
        rows = self.eligible_rows(model)
        if rows.size == 0 or self.open <= 0:
            return
        pop = model.pop
        rows = rows[np.argsort(-pop.months_resident[rows], kind="stable")]
        rows = rows[np.cumsum(pop.weight[rows]) <= self.open + 1e-9]
        if rows.size == 0:
            return
        w = pop.weight[rows]
        self.open -= float(w.sum())
        self.settled += float((pop.persons(rows) * w).sum())
        district = pop.district[rows].copy()
        np.add.at(model.housing.dwellings, (district.astype(np.intp), int(Residence.OWNED)), w)
        model.relocate(rows, district, Residence.OWNED)
        model.convert_to_urban_hukou(rows)
        city_services(model, self.name).charge("housing", self.params.subsidy_per_flat * float(w.sum()))


def _project(s: Snapshot) -> TalentsHousing:
    return next(p for p in s.model.policy_set if isinstance(p, TalentsHousing))


@indicator(
    "talent_housing_settled",
    "Persons settled (local urban hukou with a talent flat) through the housing project for talents since the start",
    "persons",
    policy="talents_housing",
)
def talent_housing_settled(s: Snapshot) -> float:
    return _project(s).settled


@indicator(
    "talent_flats_open",
    "Talent flats of this year's quota not yet taken",
    "flats",
    policy="talents_housing",
)
def talent_flats_open(s: Snapshot) -> float:
    return _project(s).open
