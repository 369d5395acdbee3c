"""Fertility: one pregnancy process under the birth rules of the period, read by births and maternal services.

Each month (``pregnancies``, schedule phase 2):

1. pregnancies count down (``pregnant``: months left); those ending give birth to a boy or a girl (118 boys per
   100 girls: ``members.GIRL_SHARE``), the couple's ``parity`` rises and its first child's sex is kept;
2. couples that may have another child under the rules of the period conceive with a monthly chance
   ``fertility`` x ``AGE_SHAPE[wife's age band]`` x ``PARITY_SHAPE[parity]`` and are then pregnant nine months.

The maternal-health service counts the ``pregnant`` column (profiles nine months ahead of the births they
precede); nothing else draws pregnancies or births.

A couple: a head with a partner, i.e. at least one man and one woman aged 18-59 in the household (assumed: a
widowed head living with a grown child of the other sex would count; rare below the wife's age of 50). The wife's
age derives from the head's: the head's own age when the head is a woman, else two years less (assumed: the mean
age gap of spouses, see model/composition.py).

Birth rules (``allowed``), after the national rules of the period (Population and Family Planning Law 2001,
provincial regulations; State Council decision of 2015-12 for the universal two-child rule from 2016-01-01):

* before January 2016 (model month 84): urban-hukou couples one child; rural-hukou couples a second child when
  the first is a girl (the rule of most provinces);
* from January 2016: every couple two children.

Not modelled (assumed minor at city scale): two children for couples of two only children (all provinces by
2011) and the "selective two-child" rule of 2014 (about 11 million eligible couples nationally, few took it up);
births beyond the rules (out-of-plan births) are not drawn.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from urbanize.model.members import FEMALE, GIRL_SHARE, MALE

if TYPE_CHECKING:
    from urbanize.model.core import UrbanizationModel
    from urbanize.model.population import Population

TWO_CHILD_YEAR = 2016  # the universal two-child rule, from 1 January 2016
TWO_CHILD_MONTH = (TWO_CHILD_YEAR - 2009) * 12  # model month 84 (month 0 = January 2009)
PREGNANCY_MONTHS = 9
#: relative conception chance by the wife's age, five-year groups from 15 (15-19, 20-24, ..., 45-49); shape of the
#: age-specific fertility rates of the 2010 census (NBS, Tabulation on the 2010 Population Census of the PRC; our
#: rounded reading, about 6, 69, 84, 46, 19, 8, 5 births per 1,000 women, table number not checked: assumed
#: shape), scaled to 1 at 25-29
AGE_SHAPE = np.array([0.07, 0.83, 1.0, 0.55, 0.22, 0.09, 0.05])
#: relative conception chance by parity (0, 1, 2+): a second child is wanted less and later (assumed)
PARITY_SHAPE = np.array([1.0, 0.45, 0.2])


def year(month: int) -> int:
    """Calendar year of a model month (month 0 = January 2009). Swap for ``urbanize.model.calendar`` when it lands."""
    return 2009 + month // 12


def wife_age(pop: Population) -> np.ndarray:
    """Age of the head's wife (the head when a woman; else the head's age less two years, assumed)."""
    return pop.head_age - np.float32(2.0) * ~pop.head_female


def allowed(parity: np.ndarray, hukou_urban: np.ndarray, first_girl: np.ndarray, month: int) -> np.ndarray:
    """Whether a couple may have another child under the birth rules of ``month`` (see the module docstring)."""
    if year(month) >= TWO_CHILD_YEAR:
        return parity < 2
    return (parity == 0) | ((parity == 1) & ~hukou_urban & first_girl)


def _age_group(age: np.ndarray) -> np.ndarray:
    """Five-year group of each wife's age from 15 (ages below in the first group, above in the last): the count
    of the group bounds 20, 25, ... it has reached. The same groups as ``clip((age - 15) // 5, 0, 6)`` for every
    float32 age (checked over all of them from -60 to 120), a tenth of the cost: a floor division of floats is
    slow."""
    d = age - 15.0
    group = (d >= 5.0).view(np.int8).copy()
    for k in range(2, AGE_SHAPE.size):
        group += d >= 5.0 * k
    return group


def conception_chance(model: UrbanizationModel, rows: np.ndarray) -> np.ndarray:
    """Monthly conception chance of the couples at ``rows`` (0 where not a couple or not allowed)."""
    pop = model.pop
    age = pop.head_age[rows] - np.float32(2.0) * ~pop.head_female[rows]  # wife_age of these rows only
    group = _age_group(age)
    fertile = (age >= 18.0) & (age < 50.0)
    m = pop.members
    if 8 * rows.size >= pop.n:  # many rows (each month's candidates): whole-column 16-bit adds, one gather
        couple = (m[MALE, 5] + m[MALE, 6] + m[MALE, 7] > 0) & (m[FEMALE, 5] + m[FEMALE, 6] + m[FEMALE, 7] > 0)
        couple = couple[rows]
    else:  # a cell's row first (a view), then the rows: a third cheaper than indexing sex, band and rows at once
        men = m[MALE, 5][rows] + m[MALE, 6][rows] + m[MALE, 7][rows]
        women = m[FEMALE, 5][rows] + m[FEMALE, 6][rows] + m[FEMALE, 7][rows]
        couple = (men > 0) & (women > 0)
    parity = pop.parity[rows]
    ok = fertile & couple & allowed(parity, pop.hukou_urban[rows], pop.first_girl[rows], model.month)
    parity = np.minimum(parity, PARITY_SHAPE.size - 1)
    # np.take: the same values as indexing by the int8 groups, twice as fast
    return ok * model.behaviour.fertility * np.take(AGE_SHAPE, group) * np.take(PARITY_SHAPE, parity)


def _candidates(model: UrbanizationModel) -> np.ndarray:
    """Rows that might conceive: not pregnant, two or more adults, fewer than two children (no rule of the period
    allows a third), head 18-51 (cheap masks before the rules, which ``conception_chance`` applies)."""
    pop = model.pop
    return np.flatnonzero(
        (pop.pregnant == 0) & (pop.adults >= 2) & (pop.parity < 2) & (pop.head_age < 52.0) & (pop.head_age >= 18.0)
    )


def pregnancies(model: UrbanizationModel) -> None:
    """Deliveries of the pregnancies that end this month, then this month's conceptions."""
    pop, rng = model.pop, model.rng
    preg = pop.pregnant
    on = np.flatnonzero(preg != 0)  # of a bool mask: several times faster than of the int8 column itself
    due = on[preg[on] == 1]
    preg[on] -= 1
    if due.size:
        girl = rng.random(due.size) < GIRL_SHARE
        first = pop.parity[due] == 0
        pop.first_girl[due[first]] = girl[first]
        pop.parity[due] = np.minimum(pop.parity[due] + 1, 100)
        m = pop.members
        m[MALE, 0, due[~girl]] += 1  # due rows are distinct: plain fancy adds
        m[FEMALE, 0, due[girl]] += 1
        pop.sync_members(due)
        model.flows["births"] += float(pop.weight[due].sum())
    cand = _candidates(model)
    if due.size:  # not the mothers who just gave birth (a mask over the rows: cheaper than np.isin)
        delivered = np.zeros(pop.n, dtype=bool)
        delivered[due] = True
        cand = cand[~delivered[cand]]
    conceive = cand[rng.random(cand.size) < conception_chance(model, cand)]
    preg[conceive] = PREGNANCY_MONTHS


def start_pregnancies(model: UrbanizationModel, rows: np.ndarray) -> None:
    """Pregnancies in progress among households new at ``rows`` (the starting population): each couple that may
    conceive is pregnant with chance nine times its monthly chance, with 1-9 months left."""
    pop, rng = model.pop, model.rng
    pop.pregnant[rows] = 0
    cand = rows[(pop.adults[rows] >= 2)]
    chance = np.minimum(PREGNANCY_MONTHS * conception_chance(model, cand), 1.0)
    hit = cand[rng.random(cand.size) < chance]
    pop.pregnant[hit] = rng.integers(1, PREGNANCY_MONTHS + 1, hit.size)
