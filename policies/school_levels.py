"""Education pilots beyond the compulsory levels (Zhengzhou): more kindergarten places, senior middle school open to
migrant children.

Seed ch.2 II.2 (Zhengzhou, education): "pre-school education significantly lags behind" (current situation);
"how to ensure that construction of basic education facilities ... keep in pace with population changes" and "a
fair and equal ... education system open to both people with local Hukou and migrants" (content of piloting);
seed ch.3 (Zhengzhou results): the City Government's "Some ideas on further support to the development of
non-government funded education". The services are in ``model/services/levels.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from urbanize.model.enums import Registration
from urbanize.model.params import param, validate
from urbanize.model.provenance import assumed, sourced
from urbanize.policies._services import SEAT_BUILD_COST, city_services, queued_by_district
from urbanize.policies.base import Policy
from urbanize.policies.registry import register

if TYPE_CHECKING:
    from urbanize.model.core import UrbanizationModel


@register
class PreschoolExpansion(Policy):
    """Zhengzhou: build kindergarten places toward a target enrolment, subsidise fees, admit without hukou priority.

    Mechanism: each month, per district, the education bureau adds kindergarten places where places fall short of
    ``target_enrolment`` of the resident children aged 3-5, at most ``max_growth_per_year`` of the existing places a
    year, at ``cost_per_place`` yuan each (education, within the budget). The city pays ``fee_subsidy`` yuan per
    child-month to kindergartens (public and "non-government funded"), which lowers the fee every family pays, so
    families that refused the fee now seek a place (``levels.level_choice``). With ``equal_admission`` places go by
    time waited, not local hukou first.

    Usage::

        UrbanizationModel(city="zhengzhou", policies="preschool_expansion",
                          policy_params={"preschool_expansion": {"target_enrolment": 0.85}})
    """

    name = "preschool_expansion"
    pilot = "Zhengzhou"
    summary = (
        "Kindergarten places built toward a target enrolment, fee subsidy, admission without hukou priority"
    )

    @dataclass(frozen=True)
    class Params:
        target_enrolment: float = param(
            0.7,
            "share of children 3-5",
            0.0,
            1.0,
            "Kindergarten places aimed for, per resident child aged 3-5",
            prov=sourced(
                "Outline of China's National Plan for Medium and Long-term Education Reform and Development "
                "(2010-2020): gross enrolment in three years of pre-school education 70 % by 2020 (50.9 % in 2009)"
            ),
        )
        max_growth_per_year: float = param(
            0.3,
            "share of places/year",
            0.0,
            5.0,
            "Most places added a year, as a share of existing places",
            prov=assumed(
                "no figure for this pilot in the seed or the literature; a round value to be varied in sweeps (docs/policies.md)"
            ),
        )
        cost_per_place: float = param(
            SEAT_BUILD_COST,
            "yuan/place",
            0.0,
            1e6,
            "Construction cost per kindergarten place (assumed: as a school seat)",
            prov=assumed(
                "no figure for kindergartens in these cities; the school seat's assumed cost (policies/_services.py)"
            ),
        )
        fee_subsidy: float = param(
            50.0,
            "yuan/child-month",
            0.0,
            3000.0,
            "City subsidy per enrolled child, lowering the fee by as much",
            prov=assumed(
                "the seed names support to non-government funded education without an amount; a quarter of the "
                "assumed fee, to be varied in sweeps"
            ),
        )
        equal_admission: bool = param(
            True,
            "",
            None,
            None,
            "Places go by time waited, without local hukou children first",
            prov=assumed(
                "a switch of the policy's design (seed: an education system 'open to both people with local Hukou and migrants')"
            ),
        )

        def __post_init__(self) -> None:
            validate(self, "preschool_expansion ")

    def setup(self, model: UrbanizationModel) -> None:
        city_services(model, self.name).kindergarten.subsidy = self.params.fee_subsidy

    def priority(self, model: UrbanizationModel, service: str, rows: np.ndarray) -> np.ndarray | None:
        if service != "kindergarten" or not self.params.equal_admission:
            return None
        return model.pop.col("waitm_kindergarten")[rows].astype(float)

    def act(self, model: UrbanizationModel) -> None:
        svc = city_services(model, self.name)
        kg, pop, p = svc.kindergarten, model.pop, self.params
        nd = kg.capacity.size
        children = np.bincount(pop.district, weights=pop.kids_3_5 * pop.weight, minlength=nd)
        gap = np.maximum(p.target_enrolment * children - kg.capacity, 0.0)
        add = np.minimum(gap, kg.capacity * p.max_growth_per_year / 12.0 + 1.0)
        if add.sum() <= 0:
            return
        add = add * model.budget.grant("education", float(add.sum()) * p.cost_per_place)
        if add.sum() <= 0:
            return
        kg.add_capacity(add)
        svc.charge("education", float(add.sum()) * p.cost_per_place)


@register
class SeniorMiddleOpening(Policy):
    """Zhengzhou: migrant children who studied here may sit the city's senior-middle entrance examination.

    Mechanism: non-hukou children of families resident ``min_years_resident`` years (and, with
    ``requires_residence_permit``, holding a residence permit) may sit the entrance examination here: they are
    admitted with hukou holders' children, pay the tuition without the borrowing fee, and their families no longer
    keep them out of city schools for a gaokao taken elsewhere (``levels.level_choice``). Each month the bureau
    builds senior classes where pupils and queued children exceed the planned seats, at most
    ``max_growth_per_year`` of the classes a year (education, within the budget). The national rule came later:
    the State Council General Office's Guo Ban Fa [2012] No. 46 asked provinces to let migrant children take the
    entrance examinations where they live after compulsory education; the seed asks for an education system "open
    to both people with local Hukou and migrants" and for enrolment "by appropriate ages".

    Usage::

        UrbanizationModel(city="zhengzhou", policies="senior_middle_opening,nearby_enrolment")
    """

    name = "senior_middle_opening"
    pilot = "Zhengzhou"
    summary = (
        "Migrant children sit the local senior-middle entrance exam; senior classes built in line with demand"
    )

    @dataclass(frozen=True)
    class Params:
        min_years_resident: float = param(
            3.0,
            "years",
            0.0,
            20.0,
            "Years the family has lived in the city before its children may sit the exam",
            prov=assumed(
                "the provincial rules after Guo Ban Fa [2012] No. 46 asked for years of residence, schooling and "
                "social insurance in the city; three years (a junior middle school cycle) is a round value"
            ),
        )
        requires_residence_permit: bool = param(
            False,
            "",
            None,
            None,
            "Only families holding a residence permit (or applying for hukou) qualify",
            prov=assumed("a switch of the policy's design, to be varied in sweeps; no figure needed"),
        )
        max_growth_per_year: float = param(
            0.3,
            "share of classes/year",
            0.0,
            5.0,
            "Most senior classes added a year, as a share of existing",
            prov=assumed(
                "no figure for this pilot in the seed or the literature; a round value to be varied in sweeps (docs/policies.md)"
            ),
        )
        cost_per_seat: float = param(
            SEAT_BUILD_COST,
            "yuan/seat",
            0.0,
            1e6,
            "Construction cost per planned seat (assumed)",
            prov=assumed(
                "no figure for this pilot in the seed or the literature; a round value to be varied in sweeps (docs/policies.md)"
            ),
        )

        def __post_init__(self) -> None:
            validate(self, "senior_middle_opening ")

    def qualifies(self, model: UrbanizationModel, rows: np.ndarray) -> np.ndarray:
        """Non-hukou families whose children may sit the examination here."""
        pop = model.pop
        ok = ~pop.hukou_local[rows] & (pop.months_resident[rows] >= 12 * self.params.min_years_resident)
        if self.params.requires_residence_permit:
            ok &= (pop.reg[rows] == Registration.RESIDENCE_PERMIT) | (
                pop.reg[rows] == Registration.HUKOU_APPLICANT
            )
        return ok

    def setup(self, model: UrbanizationModel) -> None:
        city_services(model, self.name).senior.exam_rules.append(lambda rows: self.qualifies(model, rows))

    def service_access(self, model: UrbanizationModel, service: str, rows: np.ndarray) -> np.ndarray | None:
        return self.qualifies(model, rows) if service == "senior_school" else None

    def act(self, model: UrbanizationModel) -> None:
        svc = city_services(model, self.name)
        school, p = svc.senior, self.params
        demand = school.used_after + queued_by_district(model, school.wait_col)
        gap = np.maximum(demand / school.norm - school.classes, 0.0)
        start = np.minimum(gap, school.classes * p.max_growth_per_year / 12.0 + 1.0)
        if start.sum() <= 0:
            return
        start = start * model.budget.grant("education", float(start.sum()) * school.norm * p.cost_per_seat)
        if start.sum() <= 0:
            return
        school.add_classes(start)
        svc.charge("education", float(start.sum()) * school.norm * p.cost_per_seat)
