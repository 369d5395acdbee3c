"""Zhengzhou's 2003 low-threshold hukou reform (seed ch.2 II.1).

"Zhengzhou took up Hukou reform in 2003, which explored practical methods to absorb farmers into the city at a
low threshold but had to be suspended due to the heavy pressure on urban public service infrastructures,
particularly education facilities resulting from the pouring in of a large amount of population."
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from urbanize.model import members
from urbanize.model.enums import HouseholdType, Job, Registration
from urbanize.model.params import param, validate
from urbanize.model.provenance import assumed
from urbanize.policies.base import Policy, Transition
from urbanize.policies.registry import register

if TYPE_CHECKING:
    from urbanize.model.core import UrbanizationModel


@register
class LowThresholdHukou(Policy):
    """Zhengzhou 2003: local urban hukou for residence-permit holders with modest residence time and any job.

    Mechanism: a residence permit needs only registration (no waiting, no job); a permit holder who has lived
    ``residence_months`` in the city and has any job (formal or informal; no housing requirement) may apply for
    hukou; the annual quota rises to ``quota_per_year`` of migrant households and processing takes
    ``processing_months``. The reform is publicised (hukou awareness outreach ``publicity`` a month). Families
    granted hukou bring children left at origin (``reunion_children`` compulsory-age children per family on
    average), who, as hukou holders' children, have a right to a public school seat: without new schools,
    classes swell (the 2003-04 experience: classes above 90 pupils).

    Suspension (``scale``, as ``overload_suspension`` calls it): at level ``l`` the annual quota is the prior
    quota plus ``l`` of the reform's increase, this year's unused quota shrinks to ``l`` of itself and publicity
    runs at ``l`` of its rate; at level 0 the reform's doors close (permits and hukou applications on the
    status quo's terms again, processing as before) while families already granted hukou keep it and still
    bring their children.

    Usage::

        UrbanizationModel(city="zhengzhou", policies="low_threshold_hukou")
        UrbanizationModel(city="zhengzhou", policies="low_threshold_hukou,school_construction")
        UrbanizationModel(city="zhengzhou", policies="low_threshold_hukou,overload_suspension")
    """

    name = "low_threshold_hukou"
    pilot = "Zhengzhou"
    scalable = True
    level: float = 1.0  # the reform's strength (``scale``)
    summary = "2003 reform: hukou for permit holders with any job after a short stay, no housing requirement"

    @dataclass(frozen=True)
    class Params:
        residence_months: int = param(
            12, "months", 0, 240, "Months in the city before a permit holder may apply for hukou (assumed)",
            prov=assumed("no figure for this pilot in the seed or the literature; a round value to be varied in sweeps (docs/policies.md)"),
        )
        quota_per_year: float = param(
            0.5, "share of migrant households/year", 0.0, 1.0, "Annual hukou quota (assumed: 'large')",
            prov=assumed("the seed says the quota was 'large' without a number; half the migrant households a year is a large round value"),
        )
        processing_months: int = param(2, "months", 0, 24, "Months from application to grant (assumed)", prov=assumed("no figure for this pilot in the seed or the literature; a round value to be varied in sweeps (docs/policies.md)"))
        publicity: float = param(
            0.1, "1/month", 0.0, 1.0, "Monthly chance a migrant learns of the reform from publicity (assumed)",
            prov=assumed("no figure for this pilot in the seed or the literature; a round value to be varied in sweeps (docs/policies.md)"),
        )
        reunion_children: float = param(
            2.0,
            "children/family",
            0.0,
            5.0,
            "Mean compulsory-age children who join a family granted hukou (assumed: left-behind children and "
            "relatives' children registering for school places; fitted to the stylized fact: two years of the "
            "reform take the worst district's primary classes above 90 pupils, as reported, with about 120,000 "
            "grants in the first year against the reported 150,000 registrations; 1.0 before hukou willingness and "
            "lapsing permits thinned the applicants)",
            prov=assumed("left-behind children and relatives' children registering for school places; fitted to the stylized fact: two years of the reform take the worst district's primary classes above 90 pupils, as reported, with about 120,000 grants in the first year against the reported 150,000 registrations; 1.0 before hukou willingness and lapsing permits thinned the applicants"),
        )

        def __post_init__(self) -> None:
            validate(self, "low_threshold_hukou ")

    def setup(self, model: UrbanizationModel) -> None:
        self.level = 1.0
        self._prior = (model.hukou.quota_share, model.hukou.processing_months)
        model.hukou.quota_share = max(model.hukou.quota_share, self.params.quota_per_year)
        model.hukou.processing_months = min(model.hukou.processing_months, self.params.processing_months)

    def scale(self, model: UrbanizationModel, level: float) -> None:
        level = min(max(float(level), 0.0), 1.0)
        prior_quota, prior_processing = self._prior
        reform_quota = max(prior_quota, self.params.quota_per_year)
        model.hukou.quota_share = prior_quota + level * (reform_quota - prior_quota)
        if level < self.level:
            model.hukou.quota_remaining *= level / self.level if self.level > 0 else 0.0
        if level == 0.0:
            model.hukou.processing_months = prior_processing
        self.level = level

    def eligible(
        self, model: UrbanizationModel, transition: Transition, rows: np.ndarray
    ) -> np.ndarray | None:
        pop = model.pop
        if self.level <= 0.0:
            return None
        match transition:
            case Transition.RESIDENCE_PERMIT:
                return np.ones(rows.size, dtype=bool)
            case Transition.APPLY_HUKOU:
                return (pop.months_resident[rows] >= self.params.residence_months) & (
                    pop.job[rows] != Job.NONE
                )
            case Transition.REGISTER | Transition.FARMER_CONVERSION:
                return None
            case _:
                raise ValueError(f"unknown transition {transition!r}")

    def act(self, model: UrbanizationModel) -> None:
        pop, rng = model.pop, model.rng
        migrants = np.flatnonzero(pop.htype == HouseholdType.MIGRANT)
        if self.params.publicity * self.level > 0 and migrants.size:
            model.awareness.boost("hukou", migrants, self.params.publicity * self.level)
        # families granted hukou last month (reg_months restarts at the grant) bring left-behind children
        new = np.flatnonzero(
            pop.former_migrant & (pop.reg == Registration.LOCAL_URBAN_HUKOU) & (pop.reg_months == 0)
        )
        if new.size == 0 or self.params.reunion_children <= 0:
            return
        kids = rng.poisson(self.params.reunion_children, new.size)
        junior = rng.binomial(kids, 1.0 / 3.0)  # band widths: 6-11 is six years, 12-14 three
        girls_p = members.GIRL_SHARE
        for band, count in ((2, kids - junior), (3, junior)):
            girls = rng.binomial(count, girls_p)
            pop.add_persons(new, members.MALE, band, (count - girls).astype(np.int16))
            pop.add_persons(new, members.FEMALE, band, girls.astype(np.int16))
        model.flows["arrivals"] += float(np.dot(kids.astype(float), pop.weight[new]))
