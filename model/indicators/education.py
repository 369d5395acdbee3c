"""Education (Zhengzhou, Changshu): enrolment and public-school share of migrant children, class sizes, school utilization."""

from __future__ import annotations

from urbanize.model.indicators.base import Snapshot, ratio
from urbanize.model.indicators.service_base import (
    NAN,
    cached,
    service_indicator,
    services_of,
    wsum,
    wsum_of,
)
from urbanize.model.services.costs import COSTS


def _migrant_schooling(s: Snapshot) -> tuple[float, float, float]:
    """(compulsory-age migrant children, enrolled, in public schools), persons."""

    def compute() -> tuple[float, float, float]:
        pop = s.pop
        public = pop.use_primary_school + pop.use_junior_school
        return (
            wsum(s, pop.kids_6_11 + pop.kids_12_14, False),
            wsum(s, public + pop.use_private_migrant_school, False),
            wsum(s, public, False),
        )

    return cached(s, "schooling", compute)


@service_indicator(
    "migrant_children_enrolment_rate",
    "Share of migrant children of compulsory age (6-14) enrolled in a public or private school",
    "share",
)
def migrant_children_enrolment_rate(s: Snapshot) -> float:
    kids, enrolled, _ = _migrant_schooling(s)
    return ratio(enrolled, kids)


@service_indicator(
    "migrant_children_public_school_share",
    "Share of enrolled migrant children who attend public schools (Changshu 2009: 70 %; national 2014: 80 %)",
    "share",
)
def migrant_children_public_school_share(s: Snapshot) -> float:
    _, enrolled, public = _migrant_schooling(s)
    return ratio(public, enrolled)


@service_indicator(
    "avg_class_size_primary", "Public primary pupils per class (norm about 45)", "pupils/class"
)
def avg_class_size_primary(s: Snapshot) -> float:
    return _avg_class_size(s, "primary")


def _avg_class_size(s: Snapshot, level: str) -> float:
    """Pupils per class of one school level ("primary" or "junior"), city-wide."""
    svc = services_of(s)
    if svc is None:
        return NAN
    school = getattr(svc, level)
    return ratio(float(school.used_after.sum()), float(school.classes.sum()))


@service_indicator(
    "max_class_size_primary",
    "Public primary pupils per class in the most crowded district (Zhengzhou 2003-04: above 90)",
    "pupils/class",
)
def max_class_size_primary(s: Snapshot) -> float:
    svc = services_of(s)
    if svc is None:
        return NAN
    classes = svc.primary.classes
    has = classes > 0
    return float((svc.primary.used_after[has] / classes[has]).max()) if has.any() else NAN


@service_indicator(
    "avg_class_size_junior", "Public junior middle pupils per class (norm about 50)", "pupils/class"
)
def avg_class_size_junior(s: Snapshot) -> float:
    return _avg_class_size(s, "junior")


@service_indicator(
    "school_utilization",
    "Public compulsory school pupils over planned seats (classes x norm); above 1 means overloaded",
    "ratio",
)
def school_utilization(s: Snapshot) -> float:
    svc = services_of(s)
    if svc is None:
        return NAN
    pupils = float(svc.primary.used_after.sum() + svc.junior.used_after.sum())
    return ratio(pupils, float(svc.primary.open_capacity.sum() + svc.junior.open_capacity.sum()))


@service_indicator("public_school_classes", "Public primary and junior middle classes", "classes")
def public_school_classes(s: Snapshot) -> float:
    svc = services_of(s)
    return NAN if svc is None else float(svc.primary.classes.sum() + svc.junior.classes.sum())


@service_indicator(
    "migrant_children_sent_home",
    "Children of compulsory age sent home this month by families that could pay no school here (left-behind)",
    "persons/month",
)
def migrant_children_sent_home(s: Snapshot) -> float:
    svc = services_of(s)
    return NAN if svc is None else float(svc.sent_home)


# --- compulsory education allowances for migrant children (Changshu monitoring: "items and amount of government
# compulsory education allowances enjoyed by migrant children"), two items: the public-school fee waived and the
# city's allowance to private migrant schools
def _allowances(s: Snapshot) -> tuple[float, float, float]:
    """(fees waived, private-school allowance, non-hukou compulsory pupils), yuan/month and persons."""

    def compute() -> tuple[float, float, float]:
        svc = services_of(s)
        if svc is None:
            return NAN, NAN, NAN
        standard = COSTS["school_fee_nonlocal"][0]
        schools = (svc.primary, svc.junior)
        waived = sum(max(standard - sch.fee_nonlocal, 0.0) * sch.nonlocal_pupils for sch in schools)
        private = svc.private.cost_by_hukou()[1]
        in_private = wsum_of(s, svc.private.held_col, False)
        pupils = sum(sch.nonlocal_pupils for sch in schools) + in_private
        return waived, private, pupils

    return cached(s, "allowances", compute)


@service_indicator(
    "compulsory_allowance_fee_waiver",
    "Public primary and junior school fees waived for non-hukou pupils this month: the standard borrowing fee less "
    "the fee charged, times the non-hukou pupils (0 under the status quo)",
    "yuan/month",
)
def compulsory_allowance_fee_waiver(s: Snapshot) -> float:
    return _allowances(s)[0]


@service_indicator(
    "compulsory_allowance_private_school",
    "The city's allowance to private migrant schools for their non-hukou pupils this month (0 under the status quo)",
    "yuan/month",
)
def compulsory_allowance_private_school(s: Snapshot) -> float:
    return _allowances(s)[1]


@service_indicator(
    "compulsory_allowance_per_migrant_pupil",
    "Both allowances (fees waived and private-school allowance) per non-hukou pupil in compulsory education, a year",
    "yuan/year",
)
def compulsory_allowance_per_migrant_pupil(s: Snapshot) -> float:
    waived, private, pupils = _allowances(s)
    return ratio(12.0 * (waived + private), pupils)
