"""Demography in hand-built worlds: birth rules of the period, one pregnancy process, retirement by scheme, deaths
with head succession, and persons by sex and age band."""

from __future__ import annotations

import numpy as np
import pytest
from demography_helpers import set_household

from urbanize.model import UrbanizationModel, fertility, life, mortality
from urbanize.model.enums import HouseholdType, Job, Registration
from urbanize.model.fertility import TWO_CHILD_MONTH
from urbanize.model.members import FEMALE, MALE


def world(**kw) -> UrbanizationModel:
    return UrbanizationModel(city="changshu", households=kw.pop("households", 60), rng=kw.pop("rng", 4),
                             agents="lazy", **kw)


def couples(m: UrbanizationModel, k: int, *, urban: bool, first_girl: bool, children: int = 1) -> np.ndarray:
    """``k`` couples (husband 30, wife 28) with ``children`` children aged 0-2 of the first child's sex."""
    pop = m.pop
    rows = np.arange(k)
    kid = "f0-2" if first_girl else "m0-2"
    set_household(pop, rows, ("m", 30.0), {"f18-29": 1, kid: children} if children else {"f18-29": 1})
    pop.hukou_urban[rows] = urban
    pop.hukou_local[rows] = True
    pop.parity[rows] = children
    pop.first_girl[rows] = first_girl and children > 0
    pop.pregnant[:] = 0
    return rows


def months_of_pregnancies(m: UrbanizationModel, months: int) -> None:
    for _ in range(months):
        m.month += 1
        fertility.pregnancies(m)


@pytest.mark.parametrize(
    ("urban", "first_girl", "month", "may_conceive"),
    [
        (True, False, 0, False),  # one-child rule: an urban couple with a son
        (True, True, 0, False),  # ... or a daughter
        (False, True, 0, True),  # rural hukou, first child a girl: a second child
        (False, False, 0, False),  # rural hukou, first child a boy: none
        (True, False, TWO_CHILD_MONTH, True),  # from January 2016: two children for everyone
        (False, False, TWO_CHILD_MONTH, True),
    ],
)
def test_a_second_child_follows_the_birth_rules_of_the_period(urban, first_girl, month, may_conceive) -> None:
    m = world(fertility=0.5)
    m.month = month
    rows = couples(m, 10, urban=urban, first_girl=first_girl)
    chance = fertility.conception_chance(m, rows)
    assert ((chance > 0) == may_conceive).all()


def test_an_urban_couple_with_one_child_has_no_second_before_2016_but_may_after() -> None:
    m = world(fertility=0.5, marriage_rate=0.0)
    rows = couples(m, 10, urban=True, first_girl=False)
    m.month = TWO_CHILD_MONTH - 30
    months_of_pregnancies(m, 29)  # up to December 2015
    assert (m.pop.pregnant[rows] == 0).all() and (m.pop.parity[rows] == 1).all()
    months_of_pregnancies(m, 24)  # 2016-2017: about 0.225 a month each, so all ten conceive
    assert (m.pop.parity[rows] + (m.pop.pregnant[rows] > 0) == 2).all()


def test_a_rural_couple_whose_first_child_is_a_girl_has_a_second_and_then_stops() -> None:
    m = world(fertility=0.5, marriage_rate=0.0)
    rows = couples(m, 10, urban=False, first_girl=True)
    m.month = 1
    births = m.pop.kids_0_2[rows].sum()
    months_of_pregnancies(m, 40)
    pop = m.pop
    assert (pop.parity[rows] == 2).all() and (pop.pregnant[rows] == 0).all()
    # every second child was born (0-2 or already 3-5), each a boy or a girl in the members matrix
    assert int(pop.persons_by(bands=["0-2", "3-5"], rows=rows).sum()) == births + 10


def test_one_pregnancy_process_feeds_births_and_the_maternal_health_count() -> None:
    m = world(fertility=0.5, marriage_rate=0.0)
    rows = couples(m, 10, urban=True, first_girl=False, children=0)
    m.month = 1
    fertility.pregnancies(m)
    pregnant = rows[m.pop.pregnant[rows] == fertility.PREGNANCY_MONTHS]
    assert pregnant.size > 0
    before = m.pop.kids_0_2[pregnant].copy()
    months_of_pregnancies(m, fertility.PREGNANCY_MONTHS - 1)
    assert (m.pop.pregnant[pregnant] == 1).all() and (m.pop.kids_0_2[pregnant] == before).all()
    m.flows["births"] = 0.0
    months_of_pregnancies(m, 1)  # the ninth month: birth
    assert (m.pop.kids_0_2[pregnant] == before + 1).all() and (m.pop.parity[pregnant] == 1).all()
    assert m.flows["births"] >= float(m.pop.weight[pregnant].sum())


def test_a_farmer_aged_62_still_farms_while_employees_retire_at_the_statutory_age() -> None:
    m = world(job_loss=0.0)
    pop = m.pop
    farmer, man, woman, cadre, informal = range(5)
    for row, head, job in (
        (farmer, ("m", 62.0), Job.INFORMAL),
        (man, ("m", 60.0), Job.FORMAL),
        (woman, ("f", 50.0), Job.FORMAL),
        (cadre, ("f", 50.0), Job.FORMAL),
        (informal, ("m", 65.0), Job.INFORMAL),
    ):
        set_household(pop, row, head)
        pop.job[row] = job
    pop.htype[farmer] = HouseholdType.LOCAL_FARMER
    pop.reg[farmer] = Registration.LOCAL_RURAL_HUKOU
    pop.land[farmer] = True
    pop.skill[[woman, informal, man]] = 1
    pop.skill[cadre] = 2
    life.jobs(m)
    assert pop.job[farmer] == Job.INFORMAL  # farms on
    assert pop.job[man] == Job.NONE and pop.job[woman] == Job.NONE and pop.job[informal] == Job.NONE
    assert pop.job[cadre] == Job.FORMAL  # cadres (women) retire at 55


def test_pensions_are_paid_by_the_scheme_the_household_is_enrolled_in() -> None:
    m = world()
    pop = m.pop
    rows = np.arange(3)
    set_household(pop, rows, ("m", 70.0), {"f60-69": 1})
    pop.job[rows] = Job.NONE
    pop.hardship[rows] = 0
    pop.htype[rows] = HouseholdType.URBAN_RESIDENT
    pop.pension[rows] = [0, 1, 3]  # none, urban employee, new rural
    life.update_income(m)
    assert pop.income[rows].tolist() == pytest.approx([0.0, 2 * 1225.0, 2 * 80.0])


def test_a_head_who_dies_is_succeeded_by_the_spouse_and_a_household_without_adults_dissolves() -> None:
    m = world(mortality_scale=8.0)  # men of 80+ die for certain this month
    pop = m.pop
    set_household(pop, 0, ("m", 85.0), {"f45-59": 1, "m15-17": 1})
    set_household(pop, 1, ("m", 85.0), {"m6-11": 1})
    uid0, uid1 = int(pop.uid[0]), int(pop.uid[1])
    gone = mortality.deaths(m)
    assert 1 in gone.tolist() and 0 not in gone.tolist()
    m.depart(gone)
    with pytest.raises(LookupError):
        pop.row_of(uid1)
    row = pop.row_of(uid0)
    assert pop.head_female[row] and 45 <= pop.head_age[row] < 60
    assert pop.persons_by("female", "45-59", rows=[row]).tolist() == [1] and pop.elders[row] == 0


def test_persons_by_sex_and_band() -> None:
    m = world()
    pop = m.pop
    set_household(pop, [0, 1], ("f", 35.0), {"m30-44": 1, "f6-11": 2, "m80+": 1})
    assert pop.persons_by(rows=[0, 1]).tolist() == [5, 5]
    assert pop.persons_by("female", rows=[0]).tolist() == [3]
    assert pop.persons_by("male", "elders", rows=[0]).tolist() == [1]
    assert pop.persons_by(bands="children", rows=[1]).tolist() == [2]
    assert pop.kids_6_11[0] == 2 and pop.adults[0] == 2 and pop.elders[0] == 1
    assert pop.members[FEMALE, 2, 0] == 2 and pop.members[MALE, 10, 0] == 1
    with pytest.raises(ValueError, match="unknown age band"):
        pop.persons_by(bands="18-30")
    with pytest.raises(KeyError, match="derived from members"):
        pop.append(1, adults=np.int16(2))


def test_ageing_moves_a_head_exactly_at_60_and_keeps_the_head_in_its_cell() -> None:
    m = world()
    pop = m.pop
    set_household(pop, 0, ("m", 59.95), {"f45-59": 1})
    life.age(m)
    assert pop.head_age[0] >= 60 and pop.members[MALE, 8, 0] == 1 and pop.members[MALE, 7, 0] == 0
    assert pop.elders[0] == 1


def test_wife_age_groups_are_the_floor_division_groups_at_every_bound() -> None:
    """Five-year groups from 15 by counting bounds: the groups of ``clip((age - 15) // 5, 0, 6)`` for float32 ages
    at, just below and just above every bound, and between."""
    from urbanize.model.fertility import AGE_SHAPE, _age_group

    bounds = np.arange(0.0, 80.0, 5.0, dtype=np.float32)
    ages = np.concatenate([
        bounds,
        np.nextafter(bounds, np.float32(-np.inf)),
        np.nextafter(bounds, np.float32(np.inf)),
        np.linspace(-10.0, 90.0, 10_001, dtype=np.float32),
    ])
    expected = np.clip(((ages - 15.0) // 5.0).astype(np.int64), 0, AGE_SHAPE.size - 1)
    assert np.array_equal(_age_group(ages), expected)
    assert _age_group(np.array([19.99, 20.0, 49.99, 50.0], dtype=np.float32)).tolist() == [0, 1, 6, 6]
