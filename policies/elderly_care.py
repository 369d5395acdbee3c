"""Elderly-care pilots (Yanta, Changshu): community home-based support, day-care beds, subsidies to (private)
institutions and the training of carers. The services and their rules are in ``model/services/elderly_care.py``.

Seed ch.2 III.2 (Yanta): "Develop community support system for elderly care and provide elderly care training for
local farmers and migrants"; policies "Guidance on development of community support system for elderly care",
"Methods to support elderly institutional care through financial subsidies"; indicator "Number of beds in day care
centres and amount of financial subsidies provided to elder care institutions".
Seed ch.2 V.2 (Changshu): "develop a new system combining family support with social support"; "Policies in support
of the development of private elderly care institutions"; "Regulations on criteria for financial subsidies to
elderly care institutions in line with the quality and quantity of care"; indicator "Beds in the elderly care
institutions".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from urbanize.model.enums import HouseholdType, Job
from urbanize.model.params import param, validate
from urbanize.model.provenance import assumed, sourced
from urbanize.model.services.elderly_care import ElderlyCare
from urbanize.policies._services import city_services, ramp_capacity, ramp_share
from urbanize.policies.base import Policy
from urbanize.policies.registry import register

if TYPE_CHECKING:
    from urbanize.model.core import UrbanizationModel


def elderly_of(model: UrbanizationModel, policy: str) -> ElderlyCare:
    return city_services(model, policy).elderly


def elders_by_district(model: UrbanizationModel) -> np.ndarray:
    pop = model.pop
    return np.bincount(pop.district, weights=pop.elders * pop.weight, minlength=len(model.profile.districts))


def _ramp_to(model: UrbanizationModel, capacity: np.ndarray, per_1000: float, ramp_months: int) -> np.ndarray:
    """Capacity to add this month so that each group reaches ``per_1000`` per 1,000 elders over the ramp."""
    elders = elders_by_district(model)
    full = elders * per_1000 / 1000.0 if capacity.size == elders.size else elders.sum() * per_1000 / 1000.0
    return ramp_capacity(full, capacity, ramp_share(model, ramp_months))


class _OpenCare(Policy):
    """Community elderly care open to every resident (migrants too, unless ``open_to_migrants`` is off)."""

    service = ""

    def service_access(self, model: UrbanizationModel, service: str, rows: np.ndarray) -> np.ndarray | None:
        if service != self.service:
            return None
        if self.params.open_to_migrants:
            return np.ones(rows.size, dtype=bool)
        return model.pop.hukou_local[rows].copy()

    def act(self, model: UrbanizationModel) -> None:
        care = elderly_of(model, self.name)
        svc = next(s for s in care.services if s.name == self.service)
        p = self.params
        svc.add_capacity(_ramp_to(model, svc.capacity, p.per_1000_elders, p.ramp_months))
        city_services(model, self.name).charge(
            "community", p.cost_per_unit * float(svc.used().sum()), "district"
        )


@register
class ElderlyHomeSupport(_OpenCare):
    """Yanta: a community support system for elderly care (home-based support by the communities).

    Mechanism: community home-based support places (meals, visits, help at home) rise to ``per_1000_elders`` over
    ``ramp_months``; elders aged 70+ of households without a working-age adult take them up, migrants' elders too;
    places need carers (one per 15 elders; ``model/services/elderly_care.py``); each place in use costs
    ``cost_per_unit`` yuan a month (community, paid by the district).

    Usage::

        UrbanizationModel(city="yanta", policies="elderly_home_support")
    """

    name = "elderly_home_support"
    pilot = "Yanta"
    summary = "Community home-based support places for elders (Yanta)"
    service = "elder_home_support"

    @dataclass(frozen=True)
    class Params:
        per_1000_elders: float = param(
            70.0,
            "places/1000 elders",
            0.0,
            1000.0,
            "Target places: the 7 % community share of Shanghai's '9073' pattern (90 % family, 7 % community, "
            "3 % institutions)",
            prov=assumed(
                "no source found in the seed or the literature; a plausible value to be varied in sweeps (docs/policies.md)"
            ),
        )
        ramp_months: int = param(
            24,
            "months",
            1,
            120,
            "Months to reach the target (assumed)",
            prov=assumed("no source found; a plausible value to be varied in sweeps"),
        )
        cost_per_unit: float = param(
            150.0,
            "yuan/place-month",
            0.0,
            5000.0,
            "Service purchased per elder served (assumed)",
            prov=assumed("no source found; a plausible value to be varied in sweeps"),
        )
        open_to_migrants: bool = param(
            True,
            "",
            None,
            None,
            "Migrants' elders may use the places",
            prov=assumed(
                "a switch or scenario choice, not an empirical quantity: the default is the case the seed describes"
            ),
        )

        def __post_init__(self) -> None:
            validate(self, "elderly_home_support ")


@register
class ElderlyDayCare(_OpenCare):
    """Yanta: day-care centres for elders ("Number of beds in day care centres").

    Mechanism: day-care beds rise to ``per_1000_elders`` over ``ramp_months``; elders in poor health who live with
    a working-age adult take them up, migrants' elders too; beds need carers (one per 8 beds); each bed in use
    costs ``cost_per_unit`` yuan a month (community, paid by the district).

    Usage::

        UrbanizationModel(city="yanta", policies="elderly_day_care")
    """

    name = "elderly_day_care"
    pilot = "Yanta"
    summary = "Day-care beds for elders in community centres (Yanta)"
    service = "elder_day_care"

    @dataclass(frozen=True)
    class Params:
        per_1000_elders: float = param(
            20.0,
            "beds/1000 elders",
            0.0,
            1000.0,
            "Target day-care beds (assumed)",
            prov=assumed("no source found; a plausible value to be varied in sweeps"),
        )
        ramp_months: int = param(
            24,
            "months",
            1,
            120,
            "Months to reach the target (assumed)",
            prov=assumed("no source found; a plausible value to be varied in sweeps"),
        )
        cost_per_unit: float = param(
            300.0,
            "yuan/bed-month",
            0.0,
            5000.0,
            "Running cost per day-care bed in use (assumed)",
            prov=assumed("no source found; a plausible value to be varied in sweeps"),
        )
        open_to_migrants: bool = param(
            True,
            "",
            None,
            None,
            "Migrants' elders may use the beds",
            prov=assumed(
                "a switch or scenario choice, not an empirical quantity: the default is the case the seed describes"
            ),
        )

        def __post_init__(self) -> None:
            validate(self, "elderly_day_care ")


@register
class ElderlyCareSubsidy(Policy):
    """Changshu and Yanta: financial subsidies to (private) elderly-care institutions.

    Mechanism: a construction subsidy of ``construction_subsidy`` yuan per new bed lets private institutions build
    toward ``per_1000_elders`` beds, closing ``build_rate`` of the gap a month; an operating subsidy of
    ``operating_subsidy`` yuan per occupied bed a month ("in line with the quality and quantity of care": paid
    per bed in use) is passed on in a lower fee, so more households can afford a bed and seek one. Both are booked
    to social security, paid by the city. Quality of care is not represented (the model has no quality state).

    Usage::

        UrbanizationModel(city="changshu", policies="elderly_care_subsidy")
    """

    name = "elderly_care_subsidy"
    pilot = "Changshu"
    summary = "Construction and operating subsidies to private elderly-care institutions (Changshu, Yanta)"

    @dataclass(frozen=True)
    class Params:
        per_1000_elders: float = param(
            30.0,
            "beds/1000 elders",
            0.0,
            1000.0,
            "Target institution beds (the 2011-2015 national plan's 30)",
            prov=sourced("Target institution beds (the 2011-2015 national plan's 30)"),
        )
        build_rate: float = param(
            0.04,
            "1/month",
            0.0,
            1.0,
            "Share of the gap to the target built a month (assumed, about two years)",
            prov=assumed("about two years"),
        )
        construction_subsidy: float = param(
            5000.0,
            "yuan/bed",
            0.0,
            100000.0,
            "One-off subsidy per new bed (assumed; cities paid 3,000-10,000)",
            prov=assumed("cities paid 3,000-10,000"),
        )
        operating_subsidy: float = param(
            300.0,
            "yuan/bed-month",
            0.0,
            5000.0,
            "Subsidy per occupied bed, passed on in the fee (assumed)",
            prov=assumed("no source found; a plausible value to be varied in sweeps"),
        )

        def __post_init__(self) -> None:
            validate(self, "elderly_care_subsidy ")

    def setup(self, model: UrbanizationModel) -> None:
        elderly_of(model, self.name).fee_subsidy = self.params.operating_subsidy

    def act(self, model: UrbanizationModel) -> None:
        care, p = elderly_of(model, self.name), self.params
        home = care.care_home
        elders = float(elders_by_district(model).sum())
        new = max(elders * p.per_1000_elders / 1000.0 - float(home.capacity.sum()), 0.0) * p.build_rate
        home.add_capacity(new)
        svc = city_services(model, self.name)
        svc.charge("social_security", p.construction_subsidy * new)
        svc.charge("social_security", p.operating_subsidy * float(home.used().sum()))
        care.subsidy_paid = p.construction_subsidy * new + p.operating_subsidy * float(home.used().sum())


@register
class ElderlyCareTraining(Policy):
    """Yanta: elderly-care training for local farmers and migrants.

    Mechanism: while elderly-care services lack carers, up to ``trainees_per_1000_elders`` heads a month of
    local-farmer and migrant households (aged under 50, without a formal job) start a course of ``course_months``
    months; on completing it they are hired as carers (a formal job) and staff beds and places that stood empty
    for want of carers, so more elders are served. Each course costs ``course_cost`` yuan (training, paid by the
    district).

    Usage::

        UrbanizationModel(city="yanta", policies="elderly_day_care,elderly_care_training")
    """

    name = "elderly_care_training"
    pilot = "Yanta"
    summary = "Elderly-care training of farmers and migrants, hired as carers (Yanta)"

    @dataclass(frozen=True)
    class Params:
        trainees_per_1000_elders: float = param(
            1.0,
            "heads/1000 elders/month",
            0.0,
            100.0,
            "Course starts a month at most (assumed)",
            prov=assumed("no source found; a plausible value to be varied in sweeps"),
        )
        course_months: int = param(
            3,
            "months",
            1,
            24,
            "Length of a course (assumed)",
            prov=assumed("no source found; a plausible value to be varied in sweeps"),
        )
        course_cost: float = param(
            600.0,
            "yuan/course",
            0.0,
            20000.0,
            "Cost of a course (assumed, as vocational training)",
            prov=assumed("as vocational training"),
        )

        def __post_init__(self) -> None:
            validate(self, "elderly_care_training ")

    def setup(self, model: UrbanizationModel) -> None:
        model.pop.add_column("carer_course_left", np.int8, 0, "months left of an elderly-care course")

    def act(self, model: UrbanizationModel) -> None:
        pop, p = model.pop, self.params
        care = elderly_of(model, self.name)
        left = pop.carer_course_left
        on = np.flatnonzero(left > 0)
        left[on] -= 1
        done = on[left[on] == 0]
        if done.size:
            # each finished trainee is hired by the service with the most vacancies left
            for row in done.tolist():
                pop.carer[row] = int(np.argmax(care.vacancies_by_service()))
                pop.job[row] = Job.FORMAL
        in_course = float(pop.weight[np.flatnonzero(left > 0)].sum())
        gap = care.vacancies() - in_course
        cap = float((pop.elders * pop.weight).sum()) * p.trainees_per_1000_elders / 1000.0
        room = min(gap, cap)
        if room <= 0:
            return
        cand = np.flatnonzero(
            ((pop.htype == HouseholdType.MIGRANT) | (pop.htype == HouseholdType.LOCAL_FARMER))
            & (pop.head_age < 50)
            & (pop.job != Job.FORMAL)
            & (pop.carer < 0)
            & (left == 0)
        )
        cand = cand[model.rng.permutation(cand.size)]
        take = cand[np.cumsum(pop.weight[cand]) <= room + 1e-9]
        if take.size == 0 and cand.size and model.rng.random() < room / float(pop.weight[cand[0]]):
            take = cand[:1]  # a fraction of a sampled household: started with that chance
        left[take] = p.course_months
        city_services(model, self.name).charge(
            "training", p.course_cost * float(pop.weight[take].sum()), "district"
        )
