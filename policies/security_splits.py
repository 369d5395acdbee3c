"""Changshu's social-security indicators split as the seed asks (seed ch.2 V.2, social securities).

Indicators: "Number of rural people integrated into urban security system"; "Number of land loss farmers
integrated into urban security system"; "Number of migrant workers, either in factories or self-employed, who
join in urban pension scheme". They are columns of runs with ``pension_integration`` (the lever they monitor);
each is a function of households' pension schemes only, so a run without the lever can be measured the same way
(``registry(None)[name].fn(Snapshot(model))``).

Who is who (assumed mapping onto the model's households): a migrant "in a factory" is a migrant head with a
formal job, a "self-employed" migrant one with an informal job (the model does not tell self-employment from
informal wage work); "land loss farmers" are local farmer households without contracted land; "rural people" are
households with local rural hukou. The urban system is the urban employee or the urban-rural resident pension.
"""

from __future__ import annotations

import numpy as np

from urbanize.model.enums import HouseholdType, Job, Registration
from urbanize.model.indicators import Snapshot, indicator, ratio
from urbanize.model.retirement import PENSION_EMPLOYEE, PENSION_RESIDENT

LEVER = "pension_integration"


def _urban_pension(s: Snapshot) -> np.ndarray:
    pension = s.pop.pension
    return (pension == PENSION_EMPLOYEE) | (pension == PENSION_RESIDENT)


def _migrant_heads(s: Snapshot, job: Job) -> tuple[float, float]:
    """(migrant heads with ``job``, of whom in an urban pension), real households."""
    pop = s.pop
    group = ~pop.hukou_local & (pop.job == job)
    w = pop.weight * group
    return float((w * _urban_pension(s)).sum()), float(w.sum())


@indicator(
    "pension_migrants_factory",
    "Migrant heads in factories (formal jobs) in an urban pension scheme",
    "households",
    policy=LEVER,
)
def pension_migrants_factory(s: Snapshot) -> float:
    return _migrant_heads(s, Job.FORMAL)[0]


@indicator(
    "pension_migrants_self_employed",
    "Self-employed migrant heads (informal work) in an urban pension scheme",
    "households",
    policy=LEVER,
)
def pension_migrants_self_employed(s: Snapshot) -> float:
    return _migrant_heads(s, Job.INFORMAL)[0]


@indicator(
    "pension_coverage_migrants_self_employed",
    "Share of self-employed migrant heads (informal work) in an urban pension scheme",
    "share",
    policy=LEVER,
)
def pension_coverage_migrants_self_employed(s: Snapshot) -> float:
    return ratio(*_migrant_heads(s, Job.INFORMAL))


@indicator(
    "urban_security_land_loss_farmers",
    "Persons in local farmer households without land who are in an urban pension scheme",
    "persons",
    policy=LEVER,
)
def urban_security_land_loss_farmers(s: Snapshot) -> float:
    pop = s.pop
    landless = (pop.htype == HouseholdType.LOCAL_FARMER) & ~pop.land
    return float((s.pw * (landless & _urban_pension(s))).sum())


@indicator(
    "urban_security_rural_people",
    "Persons in households with local rural hukou who are in an urban pension scheme",
    "persons",
    policy=LEVER,
)
def urban_security_rural_people(s: Snapshot) -> float:
    rural = s.pop.reg == Registration.LOCAL_RURAL_HUKOU
    return float((s.pw * (rural & _urban_pension(s))).sum())
