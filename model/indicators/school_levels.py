"""Education beyond the compulsory levels and spending on migrant children (Zhengzhou, seed ch.2 II.2, indicators to
monitor): enrolment in pre-school (3-5) and senior middle school (15-17) by group, "average number of students per
class in ... senior middle schools", and the "increase in per capita budgetary education expenditure for migrant
children" (the schools' recurrent spending booked by the pupil's hukou, ``CityServices.education_split``)."""

from __future__ import annotations

from collections.abc import Callable

from urbanize.model.indicators.base import Snapshot, ratio
from urbanize.model.indicators.service_base import NAN, cached, service_indicator, services_of, wsum_of


def _enrolment(held: str, kids: str, local: bool) -> Callable[[Snapshot], float]:
    """Share of the group's children of a level's ages (``kids``) holding a place of it (``held``)."""

    def enrolment(s: Snapshot) -> float:
        return ratio(wsum_of(s, held, local), wsum_of(s, kids, local))

    return enrolment


#: (indicator name, description, place column, children column, local hukou?), in column order
_ENROLMENT = (
    ("preschool_enrolment_rate_migrant", "Share of migrant (non-hukou) children aged 3-5 in a kindergarten place",
     "use_kindergarten", "kids_3_5", False),
    ("preschool_enrolment_rate_local",
     "Share of local hukou children aged 3-5 in a kindergarten place (national 2009: 50.9 % of all children)",
     "use_kindergarten", "kids_3_5", True),
    ("senior_enrolment_rate_migrant",
     "Share of migrant (non-hukou) children aged 15-17 in the city in a public senior middle school",
     "use_senior_school", "kids_15_17", False),
    ("senior_enrolment_rate_local", "Share of local hukou children aged 15-17 in a public senior middle school",
     "use_senior_school", "kids_15_17", True),
)
for _name, _doc, _held, _kids, _local in _ENROLMENT:
    service_indicator(_name, _doc, "share")(_enrolment(_held, _kids, _local))


@service_indicator(
    "preschool_enrolment_rate",
    "Share of all children aged 3-5 in a kindergarten place (national gross enrolment 2009: 50.9 %, 2017: 79.6 %)",
    "share",
)
def preschool_enrolment_rate(s: Snapshot) -> float:
    held, kids = "use_kindergarten", "kids_3_5"  # the sums of the two preschool rates above, not computed again
    return ratio(
        wsum_of(s, held, True) + wsum_of(s, held, False), wsum_of(s, kids, True) + wsum_of(s, kids, False)
    )


@service_indicator(
    "avg_class_size_senior", "Public senior middle pupils per class (norm about 50)", "pupils/class"
)
def avg_class_size_senior(s: Snapshot) -> float:
    svc = services_of(s)
    if svc is None:
        return NAN
    return ratio(float(svc.senior.used_after.sum()), float(svc.senior.classes.sum()))


@service_indicator(
    "education_spend_per_migrant_child",
    "Recurrent public spending of the schools (pre-school to senior middle, not construction) on non-hukou pupils, "
    "per non-hukou child aged 3-17 in the city",
    "yuan/year",
)
def education_spend_per_migrant_child(s: Snapshot) -> float:
    svc = services_of(s)
    return NAN if svc is None else cached(s, "edu_migrant", svc.education_per_migrant_child)


@service_indicator(
    "education_spend_per_migrant_child_increase",
    "Increase of education_spend_per_migrant_child since the start (month 0)",
    "yuan/year",
)
def education_spend_per_migrant_child_increase(s: Snapshot) -> float:
    svc = services_of(s)
    if svc is None:
        return NAN
    return cached(s, "edu_migrant", svc.education_per_migrant_child) - svc.education_per_migrant_start
