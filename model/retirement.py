"""Retirement and pensions by scheme.

A head stops working at ``retirement_age``: by the job held (formal employees at the statutory age of the urban
employee pension), by sex and skill, and whether the household farms its own land (farmers farm on). Each
pensioner of a household draws the pension of the scheme the household is enrolled in (``pension`` column, kept
by the pension entitlement of model/services/social_security.py); a household in no scheme draws none.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from urbanize.model.enums import Job, Registration

if TYPE_CHECKING:
    from urbanize.model.population import Population

#: pension scheme codes of the ``pension`` column
PENSION_NONE, PENSION_EMPLOYEE, PENSION_RESIDENT, PENSION_NEW_RURAL = 0, 1, 2, 3
#: statutory retirement age of formal employees (urban employee pension): men 60, women 50 as workers and 55 as
#: cadres (State Council Guo Fa [1978] No. 104 and No. 105; we treat high-skill women as cadres: assumed)
RETIRE_MEN, RETIRE_WOMEN_WORKER, RETIRE_WOMEN_CADRE = 60.0, 50.0, 55.0
#: informal workers have no statutory age: they stop at 65 (assumed); farmers who farm land keep farming until
#: 75 (assumed: most rural people over 60 still farm, CHARLS 2011 baseline)
INFORMAL_STOP, FARMING_STOP = 65.0, 75.0
#: monthly pension by scheme (yuan): 0 none; 1 urban employee: the mean basic pension of enterprise retirees,
#: about 1,225 yuan in 2009 (MOHRSS statistical bulletin 2009); 2 urban resident and 3 new rural: the central
#: basic pension of 55 yuan (Guo Fa [2009] No. 32) plus local top-ups, 80 yuan in all (assumed)
PENSION_AMOUNT = np.array([0.0, 1225.0, 80.0, 80.0])
#: pension age by scheme for members other than the head: 60 in every scheme (the resident and new rural schemes
#: pay from 60; employee pensions of women from 50/55 are counted for the head only)
PENSION_AGE = 60.0


def statutory_age_of(female: np.ndarray, skill: np.ndarray) -> np.ndarray:
    """Statutory retirement age as a formal employee, by sex and skill (high-skill women as cadres)."""
    return np.where(female, np.where(skill == 2, RETIRE_WOMEN_CADRE, RETIRE_WOMEN_WORKER), RETIRE_MEN)


def retirement_age_of(job: np.ndarray, female: np.ndarray, skill: np.ndarray, farming: np.ndarray) -> np.ndarray:
    """Age at which a head stops working: the statutory age in a formal job, else 75 when farming its own land,
    else 65."""
    other = np.where(farming, FARMING_STOP, INFORMAL_STOP)
    # plain ints: numpy compares an array with an IntEnum member some twenty times slower
    return np.where(job == int(Job.FORMAL), statutory_age_of(female, skill), other).astype(np.float32)


def statutory_age(pop: Population, rows: np.ndarray | None = None) -> np.ndarray:
    """Statutory retirement age of each head (of every row or of ``rows``) as a formal employee."""
    idx = slice(None) if rows is None else rows
    return statutory_age_of(pop.head_female[idx], pop.skill[idx])


def retirement_age(pop: Population, rows: np.ndarray | None = None) -> np.ndarray:
    """Age at which each head stops working (see ``RETIRE_*``, ``INFORMAL_STOP``, ``FARMING_STOP``): by the job
    the head holds, its sex and skill, and whether the household farms its own land."""
    idx = slice(None) if rows is None else rows
    farming = pop.land[idx] & (pop.reg[idx] == int(Registration.LOCAL_RURAL_HUKOU))  # int: see above
    return retirement_age_of(pop.job[idx], pop.head_female[idx], pop.skill[idx], farming)


def pensioners(pop: Population, rows: np.ndarray | None = None) -> np.ndarray:
    """Pension recipients per household (of every row or of ``rows`` only: arriving households): members aged 60
    and over, and a head under 60 retired from a formal job at the statutory age (a woman of 50-59 in the
    employee scheme)."""
    idx = slice(None) if rows is None else rows
    out = pop.elders[idx].astype(np.int64)
    if "pension" not in pop.columns:
        return out
    age = pop.head_age[idx]
    # heads of 50-59 without a job in the employee scheme, by masks over the rows (cheap) before the statutory age
    # at the few rows they leave; int: see retirement_age_of
    near = np.flatnonzero(
        (age >= RETIRE_WOMEN_WORKER)
        & (age < PENSION_AGE)
        & (pop.job[idx] == int(Job.NONE))
        & (pop.col("pension")[idx] == PENSION_EMPLOYEE)
    )
    at = near if rows is None else rows[near]
    out[near] += age[near] >= statutory_age(pop, at)
    return out
