"""Life events (schedule phase 2): ageing, births, deaths, new households, jobs, hardship shocks, land loss.

Persons are counted by sex and age band inside households (model/members.py). A person leaves a band of width
``w`` years with chance ``1/(12 w)`` a month, so band sizes follow ageing on average; the head moves band exactly
when ``head_age`` crosses a band's lower bound. Births come from the one pregnancy process of
model/fertility.py, deaths and head succession from model/mortality.py. Every draw uses ``model.rng``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from urbanize.model import fertility, mortality
from urbanize.model.enums import DistrictKind, HouseholdType, Job, Registration, Residence
from urbanize.model.labour import SKILL_WAGE
from urbanize.model.members import (
    BAND_LOW,
    BAND_YEARS,
    FEMALE,
    MALE,
    N_BANDS,
    band_of,
    cell_row_counts,
    head_hits,
    slot_hits,
)
from urbanize.model.retirement import FARMING_STOP, PENSION_AMOUNT, pensioners, retirement_age
from urbanize.model.synth import draw_jobs, place_in_cells

if TYPE_CHECKING:
    from urbanize.model.core import UrbanizationModel
    from urbanize.model.population import Population

SKILL_JOB_FINDING = np.array([0.7, 1.0, 1.3])  # relative job-finding chance by skill (assumed)
SKILL_FORMAL = np.array([0.35, 0.65, 1.0])  # relative chance a new job is formal, by skill (assumed)
#: integer ages at which a head enters a new band (18 and up: heads are adults)
_HEAD_EDGES = tuple(int(e) for e in BAND_LOW[5:])


def age(model: UrbanizationModel) -> None:
    """Ageing: heads age a month (and move band when their age crosses a band's lower bound); every other
    person leaves its band with chance ``1/(12 w)`` a month (oldest band first, so at most one band a month;
    15-17-year-olds become adults, 59-year-olds elders)."""
    pop, rng = model.pop, model.rng
    old = pop.head_age.astype(np.int16)  # whole years: bands start at whole years, so they give the old band
    pop.head_age[:] += np.float32(1.0 / 12.0)
    new = pop.head_age
    # heads entering a whole year that is a band's lower bound: 16-bit compares over the rows, then the nonzero of
    # a sparse mask (that of the twelfth of the heads with a birthday is several times dearer)
    years = new.astype(np.int16)
    edge = years == _HEAD_EDGES[0]
    for e in _HEAD_EDGES[1:]:
        edge |= years == e
    turned = np.flatnonzero(edge & (old != years))
    b_old, b_new = band_of(old[turned]), band_of(new[turned])
    moved = turned[b_old != b_new]
    m = pop.members
    touched = np.zeros(pop.n, dtype=bool)  # rows whose persons changed (a mask: far cheaper than np.unique)
    touched[moved] = True
    if moved.size:
        sex = pop.head_female[moved].astype(np.int64)
        m[sex, b_old[b_old != b_new], moved] -= 1
        m[sex, b_new[b_old != b_new], moved] += 1
    # a bound on every cell's count (the largest household): what slot_hits needs, without a pass over members
    top = int(pop.size.max(initial=0))
    # every cell's draws first, oldest band first: a cell loses persons only by its own draw and gains them only by
    # that of the band below, drawn after it, so each is drawn as it stands after the heads' moves, as when each
    # draw's moves were made before the next; the moves of all cells are then made at once
    drawn: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    for b in range(N_BANDS - 2, -1, -1):
        p = 1.0 / (12.0 * BAND_YEARS[b])
        for s in (MALE, FEMALE):
            drawn[s * N_BANDS + b] = slot_hits(rng, m[s, b], p, top)
    order = sorted(drawn)  # by cell, rows increasing within each: sorted keys below
    cell = np.repeat(np.array(order), [drawn[c][0].size for c in order])
    rows = np.concatenate([drawn[c][0] for c in order])
    slot = np.concatenate([drawn[c][1] for c in order])
    # the head moves with head_age instead
    keep = ~head_hits(pop.head_female, new, cell, rows, slot)
    at_sex, at_band, at_row, count = cell_row_counts(cell.compress(keep), rows.compress(keep), pop.n)
    m[at_sex, at_band, at_row] -= count  # distinct (sex, band, row): plain indexed adds
    m[at_sex, at_band + 1, at_row] += count
    touched[at_row] = True
    pop.sync_members(np.flatnonzero(touched))
    pop.months_resident[:] += 1
    pop.reg_months[:] += 1
    pop.residence_months[:] += 1
    # one month less of a hardship where one runs (months left are never negative): a masked subtract, several
    # times faster than np.maximum, which numpy does not vectorise for int8
    np.subtract(pop.hardship, 1, out=pop.hardship, where=pop.hardship > 0)


def births(model: UrbanizationModel) -> None:
    """Births and conceptions: the one pregnancy process of model/fertility.py."""
    fertility.pregnancies(model)


def deaths(model: UrbanizationModel) -> np.ndarray:
    """Deaths by sex and age band and head succession (model/mortality.py); returns rows of households left with
    no adult or elder. Such a household dissolves: its deaths are counted here; its remaining children are
    counted as departures (they join relatives elsewhere) by the caller that removes the rows."""
    return mortality.deaths(model)


#: what a young couple takes from the first partner's home: the household type, hukou, registration state and
#: origin, where the home is and its tenure (wanted again: ``HousingStock.place`` finds a dwelling or another
#: tenure), the land rights of the village, the head's skill and taste for settling
INHERITED = (
    "htype",
    "hukou_local",
    "hukou_urban",
    "reg",
    "months_resident",
    "skill",
    "district",
    "residence",
    "land",
    "homestead",
    "hometown",
    "settle_taste",
    "intends_settle",
    "hukou_taste",
    "wants_hukou",
)


def form_households(model: UrbanizationModel) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Young adults leave home and marry: new local households (without them local populations only age); first,
    heads living alone marry (``marriages``).

    A local-hukou household with three or more adults (a grown child at home) sees one leave with monthly
    chance ``home_leaving``. Leavers of the same household type are paired at random (an odd one out stays home
    this month). The leaver is the youngest adult other than the head, a son from the first home and a daughter
    from the second where the home has one (``_leaver``); each pair forms a couple household headed by the first
    partner (aged 22-30 when in the 18-29 band, else drawn inside the partner's band), with a job as the
    city's employment and formal shares for locals say. It keeps what ``INHERITED`` names from the first
    partner's home; it wants that home's tenure in that district, and takes it where a dwelling is vacant, else
    a vacant private rental, else an urban-village room (``HousingStock.place``). The new household stands for
    the mean of the two weights, so persons are conserved exactly.

    Returns:
        (new rows, rows of the first partners' homes, rows of the second partners' homes).
    """
    pop, rng = model.pop, model.rng
    marriages(model)
    none = np.empty(0, dtype=np.int64)
    chance = model.behaviour.home_leaving
    if chance <= 0:
        return none, none, none
    homes = np.flatnonzero(pop.hukou_local & (pop.adults >= 3))
    leaving = homes[rng.random(homes.size) < chance]
    if leaving.size < 2:
        return none, none, none
    leaving = leaving[rng.permutation(leaving.size)]
    # pair within household type: sort the shuffled leavers by type (stably) and pair neighbours of one type
    leaving = leaving[np.argsort(pop.htype[leaving], kind="stable")]
    types = pop.htype[leaving]
    same = np.flatnonzero(types[:-1] == types[1:])
    starts = np.flatnonzero(np.r_[True, types[1:] != types[:-1]])
    pos = np.arange(leaving.size) - np.repeat(starts, np.diff(np.r_[starts, leaving.size]))
    same = same[pos[same] % 2 == 0]  # first partner at an even place within its type's run
    if same.size == 0:
        return none, none, none
    a, b = leaving[same], leaving[same + 1]
    k = a.size
    cols = {name: pop.col(name)[a].copy() for name in INHERITED}
    cols["weight"] = (pop.weight[a] + pop.weight[b]) / 2.0
    sex_a, band_a = _leaver(pop, a, MALE)
    sex_b, band_b = _leaver(pop, b, FEMALE)
    low = np.where(band_a == 5, 22.0, BAND_LOW[band_a])
    high = np.where(band_a == 5, 29.99, BAND_LOW[band_a] + BAND_YEARS[band_a] - 0.01)
    cols["head_age"] = rng.uniform(low, high).astype(np.float32)
    cols["head_female"] = sex_a == FEMALE
    members = np.zeros((2, N_BANDS, k), dtype=np.int16)
    np.add.at(members, (sex_a, band_a, np.arange(k)), 1)
    np.add.at(members, (sex_b, band_b, np.arange(k)), 1)
    cols["members"] = members
    econ = model.profile.economy
    cols["job"] = draw_jobs(rng, econ["employment_rate"], econ["formal_share_local"], cols["skill"])
    cols["district"], cols["residence"] = model.housing.place(
        cols["district"], cols["residence"], cols["weight"], cols["htype"]
    )
    cols["cell_x"], cols["cell_y"] = place_in_cells(rng, model.profile, cols["district"])
    m = pop.members
    np.subtract.at(m, (sex_a, band_a, a), 1)
    np.subtract.at(m, (sex_b, band_b, b), 1)
    pop.sync_members(np.concatenate([a, b]))
    rows = pop.append(k, **cols)
    model.flows["households_formed"] += float(cols["weight"].sum())
    return rows, a, b


def marriages(model: UrbanizationModel) -> np.ndarray:
    """Heads aged 20-39 living without another adult or elder marry with monthly chance ``marriage_rate``; the
    spouse (the other sex, the wife two years younger than the husband: assumed) joins from outside the city and
    is counted as an arrival. Without it a city's couples run out: young adults who leave home pair only with
    other leavers of the city (``form_households``), and migrants arrive single or already married. Returns the
    rows that married."""
    pop, rng = model.pop, model.rng
    rate = model.behaviour.marriage_rate
    if rate <= 0:
        return np.empty(0, dtype=np.int64)
    alone = np.flatnonzero((pop.adults + pop.elders == 1) & (pop.head_age >= 20) & (pop.head_age < 40))
    wed = alone[rng.random(alone.size) < rate]
    if wed.size == 0:
        return wed
    female = pop.head_female[wed]
    spouse_age = pop.head_age[wed] + np.where(female, 2.0, -2.0)
    band = np.maximum(band_of(spouse_age), 5)
    m = pop.members
    m[1 - female.astype(np.int64), band, wed] += 1  # wed rows are distinct
    pop.sync_members(wed)
    model.flows["arrivals"] += float(pop.weight[wed].sum())
    model.flows["marriages"] += float(pop.weight[wed].sum())
    return wed


def _leaver(pop: Population, rows: np.ndarray, prefer: int) -> tuple[np.ndarray, np.ndarray]:
    """(sex, band) of the adult who leaves each home at ``rows``: the youngest adult band (18-29, 30-44, 45-59)
    holding someone other than the head, of the ``prefer``-red sex when that band has one. Homes have three or
    more adults, so such a person exists."""
    m = pop.members
    head_sex = pop.head_female[rows].astype(np.int64)
    head_band = band_of(pop.head_age[rows])
    sex = np.full(rows.size, -1, dtype=np.int64)
    band = np.full(rows.size, -1, dtype=np.int64)
    for b in (5, 6, 7):
        for s in (prefer, 1 - prefer):
            free = m[s, b, rows] - ((head_sex == s) & (head_band == b))
            pick = (sex < 0) & (free > 0)
            sex[pick], band[pick] = s, b
    return sex, band


def jobs(model: UrbanizationModel) -> None:
    """Job finding and loss for heads of working age; retirement; contributions accrue in formal jobs.

    A head keeps working until ``retirement_age``: formal employees retire at the statutory age of the employee
    pension, informal workers stop at 65, farmers who farm their land farm on until 75 (a 62-year-old farmer
    still farms). Heads look for work below 60 (farmers with land below 75; assumed: employers rarely hire older
    workers), and only as far as the city has vacancies (``LabourMarket.hiring_factor``). A new job is formal
    with chance ``formal_share_skill`` x a skill factor, halved for rural hukou
    (informal work is the norm for rural migrants); social-insurance contributions accrue only while formally
    employed and the count of *successive* months restarts after a break (seed ch.2 III: "successive number of
    years").
    """
    pop, rng, b = model.pop, model.rng, model.behaviour
    n = pop.n
    age = pop.head_age
    # only heads aged 50 and over can be past a retirement age (cheaper than the rule over every row)
    older = np.flatnonzero(age >= 50.0)
    # enum members as plain ints: numpy compares an array with an IntEnum member some twenty times slower
    none, informal, formal = int(Job.NONE), int(Job.INFORMAL), int(Job.FORMAL)
    farming_older = pop.land[older] & (pop.reg[older] == int(Registration.LOCAL_RURAL_HUKOU))
    seeking_age = age < 60
    seeking_age[older] |= farming_older & (age[older] < FARMING_STOP)
    job = pop.job
    # whether past the retirement age matters only to heads with a job (who lose or leave it): asked there
    working_age = np.ones(n, dtype=bool)
    older_working = older.compress(job[older] != none)
    working_age[older_working] = age[older_working] < retirement_age(pop, older_working)
    u = rng.random(n)
    # the chance is needed at the unemployed seekers only: looked up there (a lookup of the same products)
    seekers = np.flatnonzero(seeking_age & (job == none))
    chance = (b.job_finding * SKILL_JOB_FINDING)[pop.skill[seekers]]
    chance = chance * model.labour.hiring_factor(seekers, chance)
    informal_loss = 1.5 * b.job_loss
    lose = working_age & (((job == formal) & (u < b.job_loss)) | ((job == informal) & (u < informal_loss)))
    retire = ~working_age & (job != none)
    model.flows["retirements"] += float(pop.weight[retire].sum())
    lose |= retire
    # the draw is over every row (the stream stays that of one draw per row); the chance is needed where a job is
    # found only
    u_formal = rng.random(n)
    found = seekers.compress(u[seekers] < chance)  # compress: boolean indexing is several times slower on a scattered mask
    formal_chance = (
        b.formal_share_skill * SKILL_FORMAL[pop.skill[found]] * np.where(pop.hukou_urban[found], 1.0, 0.5)
    )
    # older farmers find farm work only (informal)
    formal_chance = np.where(age[found] < 60, formal_chance, 0.0)
    job[found] = np.where(u_formal[found] < formal_chance, Job.FORMAL, Job.INFORMAL)
    job[lose] = Job.NONE
    months = pop.contrib_months
    months[:] = (months + 1) * (job == formal)  # one more month in a formal job, back to 0 out of one
    update_income(model)


def update_income(model: UrbanizationModel, rows: np.ndarray | None = None) -> None:
    """Household income: the head's wage by job and skill, a second earner's informal wage, and the pensions of
    the scheme the household is enrolled in (``pension`` column of the services; ``PENSION_AMOUNT``) for each
    pensioner; none when not enrolled.

    Every row each month (phase 2, after jobs change), or only ``rows``: households arriving in phase 3 earn their
    wages from their first month (``model.arrivals``; issue 9: they had income 0 until the next month)."""
    pop = model.pop
    at = slice(None) if rows is None else rows
    wages = model.labour.wages()
    # one lookup in a table of wage x skill factor x hukou factor, by job, skill and local hukou: each entry the
    # same product, in the same order, as the three lookups over every row it replaces
    factor = model.labour.hukou_factor(np.array([False, True]))
    table = (wages[:, None] * SKILL_WAGE[None, :])[:, :, None] * factor[None, None, :]
    code = pop.job[at] * np.int8(2 * SKILL_WAGE.size)
    code += pop.skill[at] * np.int8(2)
    code += pop.hukou_local[at].view(np.int8)
    head = np.take(table.ravel(), code)  # np.take: the same values as indexing, twice as fast with int8 codes
    second = (pop.adults[at] >= 2) * (0.6 * wages[1])
    if "pension" in pop.columns:
        pension = pensioners(pop, rows) * np.take(PENSION_AMOUNT, pop.col("pension")[at])
    else:
        pension = np.zeros(head.size)
    income = head + second + pension
    # x 0.4 in hardship, then x 0.55 for the urban poor (only where they apply: a factor of 1 changes nothing)
    np.multiply(income, 0.4, out=income, where=pop.hardship[at] > 0)
    # int: as in jobs
    np.multiply(income, 0.55, out=income, where=pop.htype[at] == int(HouseholdType.URBAN_POOR))
    pop.income[at] = income


def shocks(model: UrbanizationModel) -> None:
    """Hardship shocks (illness, accident, disaster) lasting about six months (seed ch.2 III: one-off aid)."""
    pop = model.pop
    # the rows hit once (a sparse mask read twice costs two passes over the rows)
    hit = np.flatnonzero((pop.hardship == 0) & (model.rng.random(pop.n) < model.behaviour.hardship_rate))
    pop.hardship[hit] = 6
    model.flows["hardship_shocks"] += float(pop.weight[hit].sum())


def land_requisition(model: UrbanizationModel) -> None:
    """Urban expansion requisitions farmers' land; half of those hit are resettled into new-town apartments."""
    pop, rng = model.pop, model.rng
    rate = model.behaviour.land_requisition_rate / 12.0
    farming = (pop.reg == int(Registration.LOCAL_RURAL_HUKOU)) & pop.land  # int: as in jobs
    hit = np.flatnonzero(farming & (rng.random(pop.n) < rate))
    if hit.size == 0:
        return
    pop.land[hit] = False
    moved = hit[rng.random(hit.size) < 0.5]
    new_towns = [d.index for d in model.profile.districts if d.kind is DistrictKind.NEW_TOWN]
    if moved.size and new_towns:
        model.relocate(moved, rng.choice(new_towns, size=moved.size), Residence.RESETTLEMENT)
        pop.homestead[moved] = False
