"""Education pilots: school construction in line with population, nearby enrolment, migrant education.

Seed ch.2 II.2 (Zhengzhou, education): "ensure that construction of basic education facilities ... keep in pace
with population changes"; "a fair and equal compulsory education system open to both people with local Hukou
and migrants"; "more policies to ensure that migrant children enrol in nearby schools". Seed ch.2 V.2
(Changshu, compulsory education): "reduction and/or exemption of tuition and miscellaneous costs for migrant
students", "proportion of migrant students enrolled in public schools".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from urbanize.model.calendar import is_january
from urbanize.model.params import param, validate
from urbanize.model.provenance import assumed
from urbanize.policies._services import SEAT_BUILD_COST, city_services, queued_by_district
from urbanize.policies.base import Policy
from urbanize.policies.registry import register

if TYPE_CHECKING:
    from urbanize.model.core import UrbanizationModel

SCHOOLS = ("primary_school", "junior_school")


@register
class SchoolConstruction(Policy):
    """Zhengzhou: build public school classes in line with the resident population's demand.

    Mechanism: each month, for each level and district, the education bureau compares the classes it has and
    has under construction with the classes the resident demand needs (pupils plus children queued with access,
    at ``target_class_size`` of the norm). It starts the missing classes, at most ``max_growth_per_year`` of the
    existing classes a year; they open ``lag_months`` later. Each seat costs ``cost_per_seat`` yuan (education,
    booked when construction starts).

    Usage::

        UrbanizationModel(city="zhengzhou", policies="low_threshold_hukou,school_construction")
    """

    name = "school_construction"
    pilot = "Zhengzhou"
    summary = "School classes built in line with resident demand, with a construction lag and a build rate"

    @dataclass(frozen=True)
    class Params:
        lag_months: int = param(6, "months", 0, 60, "Months from starting a class to opening it (assumed)", prov=assumed("no figure for this pilot in the seed or the literature; a round value to be varied in sweeps (docs/policies.md)"))
        max_growth_per_year: float = param(
            0.6,
            "share of classes/year",
            0.0,
            5.0,
            "Most classes added a year, as a share of existing (assumed)",
            prov=assumed("no figure for this pilot in the seed or the literature; a round value to be varied in sweeps (docs/policies.md)"),
        )
        target_class_size: float = param(
            1.0, "share of norm", 0.5, 2.0, "Pupils per class the plan aims for, as a share of the norm",
            prov=assumed("a lever of the policy's design as described in docs/policies.md; no published figure for these cities"),
        )
        cost_per_seat: float = param(
            SEAT_BUILD_COST, "yuan/seat", 0.0, 1e6, "Construction cost per planned seat (assumed)",
            prov=assumed("no figure for this pilot in the seed or the literature; a round value to be varied in sweeps (docs/policies.md)"),
        )

        def __post_init__(self) -> None:
            validate(self, "school_construction ")

    def setup(self, model: UrbanizationModel) -> None:
        city_services(model, self.name)
        self.pipeline: list[
            tuple[int, str, np.ndarray]
        ] = []  # (opening month, service, classes per district)

    def act(self, model: UrbanizationModel) -> None:
        svc = city_services(model, self.name)
        p = self.params
        still: list[tuple[int, str, np.ndarray]] = []
        for month, name, classes in self.pipeline:
            if month <= model.month:
                school = svc.primary if name == svc.primary.name else svc.junior
                school.add_classes(classes)
            else:
                still.append((month, name, classes))
        self.pipeline = still
        for school in (svc.primary, svc.junior):
            demand = school.used_after + queued_by_district(model, school.wait_col)
            building = sum(
                (c for _, n, c in self.pipeline if n == school.name), np.zeros_like(school.classes)
            )
            target = demand / (school.norm * p.target_class_size)
            gap = np.maximum(target - school.classes - building, 0.0)
            start = np.minimum(gap, school.classes * p.max_growth_per_year / 12.0 + 1.0)
            if start.sum() <= 0:
                continue
            start = start * model.budget.grant("education", float(start.sum()) * school.norm * p.cost_per_seat)
            if start.sum() <= 0:
                continue
            svc.charge("education", float(start.sum()) * school.norm * p.cost_per_seat)
            if p.lag_months == 0:
                school.add_classes(start)
            else:
                self.pipeline.append((model.month + p.lag_months, school.name, start))


@register
class NearbyEnrolment(Policy):
    """Zhengzhou: fair compulsory education open to migrant children, enrolled in nearby public schools.

    Mechanism: migrant children who have lived in the city ``min_months_resident`` months (and, with
    ``requires_registration``, are registered) may use public primary and junior schools, and are enrolled on
    the same terms as hukou holders' children (the district must place them, up to the physical class limit).
    The queue is ordered by time lived at the current address (nearby residents first) instead of time waited.

    Usage::

        UrbanizationModel(city="zhengzhou", policies="nearby_enrolment,school_construction")
    """

    name = "nearby_enrolment"
    pilot = "Zhengzhou"
    summary = "Migrant children enrol in nearby public schools on the same terms as hukou holders' children"

    @dataclass(frozen=True)
    class Params:
        min_months_resident: int = param(
            6, "months", 0, 120, "Months in the city before a migrant child may enrol nearby (assumed)",
            prov=assumed("no figure for this pilot in the seed or the literature; a round value to be varied in sweeps (docs/policies.md)"),
        )
        requires_registration: bool = param(
            False, "", None, None, "Only households registered in the migrant information system qualify",
            prov=assumed("a switch of the policy's design, set as the pilot is described in docs/policies.md; no figure needed"),
        )

        def __post_init__(self) -> None:
            validate(self, "nearby_enrolment ")

    def _qualifies(self, model: UrbanizationModel, rows: np.ndarray) -> np.ndarray:
        pop = model.pop
        ok = ~pop.hukou_local[rows] & (pop.months_resident[rows] >= self.params.min_months_resident)
        if self.params.requires_registration:
            ok &= pop.reg[rows] >= 1
        return ok

    def setup(self, model: UrbanizationModel) -> None:
        svc = city_services(model, self.name)
        for school in (svc.primary, svc.junior):
            school.guarantees.append(lambda rows: self._qualifies(model, rows))

    def service_access(self, model: UrbanizationModel, service: str, rows: np.ndarray) -> np.ndarray | None:
        if service not in SCHOOLS:
            return None
        return self._qualifies(model, rows)

    def priority(self, model: UrbanizationModel, service: str, rows: np.ndarray) -> np.ndarray | None:
        if service not in SCHOOLS:
            return None
        return model.pop.residence_months[rows].astype(float)


@register
class MigrantEducation(Policy):
    """Changshu: tuition exemption for migrant pupils and a target share of them in public schools.

    Mechanism: migrant children resident ``min_months_resident`` months may use public schools; with
    ``tuition_exemption`` they pay no fee (the city bears the full per-pupil cost), so families that would not
    pay the fee now seek a public seat (``model.services.take_up.school_choice``). Each January the education
    bureau builds classes where migrant children wait or attend private schools until the planned public seats
    could hold ``public_share_target`` of enrolled migrant children (public pupils, and those in private schools
    or queued, each counted once); private migrant schools receive an allowance of ``private_allowance`` yuan
    per pupil-month, which lowers their tuition by as much (seed: "increase input on the education of migrant
    children"; "improve school facilities").

    Usage::

        UrbanizationModel(city="changshu", policies="migrant_education",
                          policy_params={"migrant_education": {"public_share_target": 0.9}})
    """

    name = "migrant_education"
    pilot = "Changshu"
    summary = (
        "Tuition exemption for migrant pupils, a public-school share target, allowances to migrant schools"
    )

    @dataclass(frozen=True)
    class Params:
        public_share_target: float = param(
            0.85, "share", 0.0, 1.0, "Target share of enrolled migrant children in public schools (assumed)",
            prov=assumed("no figure for this pilot in the seed or the literature; a round value to be varied in sweeps (docs/policies.md)"),
        )
        tuition_exemption: bool = param(True, "", None, None, "Exempt migrant pupils from public-school fees", prov=assumed("a switch of the policy's design, set as the pilot is described in docs/policies.md; no figure needed"))
        private_allowance: float = param(
            50.0, "yuan/pupil-month", 0.0, 2000.0, "Allowance to private migrant schools per pupil (assumed)",
            prov=assumed("no figure for this pilot in the seed or the literature; a round value to be varied in sweeps (docs/policies.md)"),
        )
        min_months_resident: int = param(
            0, "months", 0, 120, "Months in the city before a migrant child may take a public seat",
            prov=assumed("a lever of the policy's design as described in docs/policies.md; no published figure for these cities"),
        )
        cost_per_seat: float = param(
            SEAT_BUILD_COST, "yuan/seat", 0.0, 1e6, "Construction cost per planned seat (assumed)",
            prov=assumed("no figure for this pilot in the seed or the literature; a round value to be varied in sweeps (docs/policies.md)"),
        )

        def __post_init__(self) -> None:
            validate(self, "migrant_education ")

    def setup(self, model: UrbanizationModel) -> None:
        svc = city_services(model, self.name)
        if self.params.tuition_exemption:
            svc.primary.fee_nonlocal = 0.0
            svc.junior.fee_nonlocal = 0.0
        svc.private.subsidy = self.params.private_allowance
        self._build(model)

    def service_access(self, model: UrbanizationModel, service: str, rows: np.ndarray) -> np.ndarray | None:
        if service not in SCHOOLS:
            return None
        pop = model.pop
        return ~pop.hukou_local[rows] & (pop.months_resident[rows] >= self.params.min_months_resident)

    def act(self, model: UrbanizationModel) -> None:
        if is_january(model.month):
            self._build(model)

    def _build(self, model: UrbanizationModel) -> None:
        """Build classes, district by district, where public seats fall short of the target share."""
        svc = city_services(model, self.name)
        pop = model.pop
        nonlocal_ = ~pop.hukou_local
        for school in (svc.primary, svc.junior):
            kids = pop.col(school.kids_col)
            rows = np.flatnonzero(nonlocal_ & (kids > 0))
            public = queued_by_district(model, school.held_col, rows)
            # the children outside public schools who attend a private school or queue for a public seat, each
            # counted once: a private pupil with access keeps queuing for a public seat (model/services/base.py:
            # ``use + wait <= need`` holds per service, not across them), so adding private pupils and the queue
            # counted most of them twice and built up to twice the seats the target asks for
            private_units = np.minimum(pop.use_private_migrant_school[rows], kids[rows])
            outside_units = np.minimum(kids[rows] - school.held[rows], private_units + school.waiting[rows])
            outside = np.bincount(
                pop.district[rows], weights=outside_units * pop.weight[rows], minlength=public.size
            )
            free = np.maximum(school.open_capacity - school.used_after, 0.0)
            want = self.params.public_share_target * (public + outside) - public - free
            extra = np.maximum(want, 0.0)
            if extra.sum() <= 0:
                continue
            extra = extra * model.budget.grant("education", float(extra.sum()) * self.params.cost_per_seat)
            if extra.sum() <= 0:
                continue
            school.add_capacity(extra)
            svc.charge("education", float(extra.sum()) * self.params.cost_per_seat)
