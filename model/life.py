"""Life events (schedule phase 2): ageing, births, deaths, new households, jobs, hardship shocks, land loss.

Children are kept in age bands; a child leaves a band of width ``w`` years with chance ``1/(12 w)`` a month, so
band sizes follow ageing on average. Every draw uses ``model.rng``.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from urbanize.model.enums import DistrictKind, HouseholdType, Job, Registration, Residence
from urbanize.model.labour import SKILL_WAGE
from urbanize.model.synth import KID_BAND_YEARS, KID_BANDS, draw_jobs, place_in_cells

if TYPE_CHECKING:
    from urbanize.model.core import UrbanizationModel

SKILL_JOB_FINDING = np.array([0.7, 1.0, 1.3])  # relative job-finding chance by skill (assumed)
SKILL_FORMAL = np.array([0.35, 0.65, 1.0])  # relative chance a new job is formal, by skill (assumed)
ELDER_PENSION = {True: 1500.0, False: 120.0}  # yuan/month, urban employee vs new rural pension (assumed)


def age(model: UrbanizationModel) -> None:
    """Ageing: heads age a month; children move up the age bands; 18-year-olds become adults; heads reaching
    60 become elders."""
    pop, rng = model.pop, model.rng
    pop.head_age[:] += 1.0 / 12.0
    # oldest band first, so a child moves at most one band a month; only rows with children in a band draw
    bands = [pop.col(b) for b in KID_BANDS] + [pop.adults]
    for j in range(len(KID_BANDS) - 1, -1, -1):
        src, dst = bands[j], bands[j + 1]
        idx = np.flatnonzero(src > 0)  # a bool mask: flatnonzero of int16 counts is 7x slower
        moving = _binomial_small(rng, src[idx], 1.0 / (12 * KID_BAND_YEARS[j])).astype(src.dtype)
        src[idx] -= moving
        dst[idx] += moving
    retiring = (pop.head_age >= 60.0) & (pop.head_age - 1.0 / 12.0 < 60.0) & (pop.adults > 0)
    pop.adults[retiring] -= 1
    pop.elders[retiring] += 1
    pop.months_resident[:] += 1
    pop.reg_months[:] += 1
    pop.residence_months[:] += 1
    pop.hardship[:] = np.maximum(pop.hardship - 1, 0)


def _binomial_small(rng: np.random.Generator, n: np.ndarray, p: float) -> np.ndarray:
    """Binomial(n, p) draws for small counts ``n`` by inverting the CDF with one uniform each: exact, and several
    times faster than ``rng.binomial`` over many counts of 1 or 2 (children in one age band)."""
    top = int(n.max(initial=0))
    if top == 0:
        return np.zeros(n.size, dtype=np.int64)
    k = np.arange(top + 1)
    cdf = np.zeros((top + 1, top + 1))
    for c in range(1, top + 1):  # cdf[c, j] = P(Binomial(c, p) <= j)
        pmf = (
            np.array([math.comb(c, i) for i in range(c + 1)]) * p ** k[: c + 1] * (1 - p) ** (c - k[: c + 1])
        )
        cdf[c, : c + 1] = np.cumsum(pmf)
        cdf[c, c:] = 1.0
    cdf[0, :] = 1.0
    u = rng.random(n.size)
    count = n.astype(np.intp)
    drawn = (u >= cdf[:, 0].take(count)).astype(np.int64)
    for j in range(1, top):
        drawn += u >= cdf[:, j].take(count)
    return drawn


def births(model: UrbanizationModel) -> None:
    """Births to households whose head is 20-40 with two adults (monthly chance ``fertility``)."""
    pop = model.pop
    at_risk = (pop.head_age >= 20) & (pop.head_age < 40) & (pop.adults >= 2)
    born = at_risk & (model.rng.random(pop.n) < model.behaviour.fertility)
    pop.kids_0_2[born] += 1
    model.flows["births"] += float(pop.weight[born].sum())


def deaths(model: UrbanizationModel) -> np.ndarray:
    """Deaths of adults and elders; returns rows of households left with nobody to head them.

    Such a household dissolves: its deaths are counted here; its remaining children are counted as departures
    (they join relatives elsewhere) by the caller that removes the rows.
    """
    pop, rng, b = model.pop, model.rng, model.behaviour
    dead = 0.0
    for col, p in ((pop.elders, b.mortality_elder), (pop.adults, b.mortality_adult)):
        # Binomial(k, p) deaths, drawn exactly but only where at least one death happens (rare): given at
        # least one, the first death is member J (a truncated geometric draw) and each later member dies
        # independently, so the count is 1 + Binomial(k - J, p).
        k = col.astype(np.int64)
        # 1 - (1-p)^k looked up by k: the same values as the power, at a tenth of its cost
        p_any = (1.0 - (1.0 - p) ** np.arange(int(k.max(initial=0)) + 1))[k]
        idx = np.flatnonzero(rng.random(k.size) < p_any)
        if p <= 0 or idx.size == 0:
            continue
        u = rng.random(idx.size)
        first = np.ceil(np.log1p(-u * p_any[idx]) / np.log1p(-p)).astype(np.int64)
        first = np.clip(first, 1, k[idx])
        counts = 1 + rng.binomial(k[idx] - first, p)
        col[idx] -= counts.astype(col.dtype)
        dead += float((counts * pop.weight[idx]).sum())
    model.flows["deaths"] += dead
    return np.flatnonzero((pop.adults == 0) & (pop.elders == 0))


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
    """Young adults leave home and marry: new local households (without them local populations only age).

    A local-hukou household with three or more adults (a grown child at home) sees one leave with monthly
    chance ``home_leaving``. Leavers of the same household type are paired at random (an odd one out stays home
    this month); each pair forms a couple household, head aged 22-30 and of either sex, with a job as the
    city's employment and formal shares for locals say. It keeps what ``INHERITED`` names from the first
    partner's home; it wants that home's tenure in that district, and takes it where a dwelling is vacant, else
    a vacant private rental, else an urban-village room (``HousingStock.place``). The new household stands for
    the mean of the two weights, so persons are conserved exactly.

    Returns:
        (new rows, rows of the first partners' homes, rows of the second partners' homes).
    """
    pop, rng = model.pop, model.rng
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
    cols["head_age"] = rng.uniform(22.0, 30.0, k).astype(np.float32)
    cols["head_female"] = rng.random(k) < 0.5
    cols["adults"] = np.full(k, 2, dtype=np.int16)
    econ = model.profile.economy
    cols["job"] = draw_jobs(rng, econ["employment_rate"], econ["formal_share_local"], cols["skill"])
    cols["district"], cols["residence"] = model.housing.place(
        cols["district"], cols["residence"], cols["weight"], cols["htype"]
    )
    cols["cell_x"], cols["cell_y"] = place_in_cells(rng, model.profile, cols["district"])
    pop.adults[a] -= 1
    pop.adults[b] -= 1
    rows = pop.append(k, **cols)
    model.flows["households_formed"] += float(cols["weight"].sum())
    return rows, a, b


def jobs(model: UrbanizationModel) -> None:
    """Job finding and loss for heads of working age; contributions accrue in formal jobs; income follows.

    Heads find jobs only as far as the city has vacancies (``LabourMarket.hiring_factor``). A new job is formal
    with chance ``formal_share_skill`` x a skill factor, halved for rural hukou (informal
    work is the norm for rural migrants); social-insurance contributions accrue only while formally employed
    and the count of *successive* months restarts after a break (seed ch.2 III: "successive number of years").
    """
    pop, rng, b = model.pop, model.rng, model.behaviour
    n = pop.n
    working_age = pop.head_age < 60
    u = rng.random(n)
    job = pop.job
    unemployed = working_age & (job == Job.NONE)
    chance = b.job_finding * SKILL_JOB_FINDING[pop.skill]
    chance = chance * model.labour.hiring_factor(unemployed, chance)
    find = unemployed & (u < chance)
    informal_loss = 1.5 * b.job_loss
    lose = working_age & (
        ((job == Job.FORMAL) & (u < b.job_loss)) | ((job == Job.INFORMAL) & (u < informal_loss))
    )
    lose |= ~working_age & (job != Job.NONE)
    formal_chance = b.formal_share_skill * SKILL_FORMAL[pop.skill] * np.where(pop.hukou_urban, 1.0, 0.5)
    new_formal = rng.random(n) < formal_chance
    job[find] = np.where(new_formal[find], Job.FORMAL, Job.INFORMAL)
    job[lose] = Job.NONE
    formal = job == Job.FORMAL
    months = pop.contrib_months
    months[:] = (months + 1) * formal  # one more month in a formal job, back to 0 out of one
    update_income(model)


def update_income(model: UrbanizationModel) -> None:
    """Household income: the head's wage by job and skill, a second earner's informal wage, pensions."""
    pop = model.pop
    wages = model.labour.wages()
    # table lookups instead of np.where: the same values, several times faster over all rows
    head = wages[pop.job] * SKILL_WAGE[pop.skill] * model.labour.hukou_factor(pop.hukou_local)
    second = (pop.adults >= 2) * (0.6 * wages[1])
    pension = (
        pop.elders * np.array([ELDER_PENSION[False], ELDER_PENSION[True]])[pop.hukou_urban.view(np.int8)]
    )
    income = head + second + pension
    income *= np.array([1.0, 0.4])[(pop.hardship > 0).view(np.int8)]
    income *= np.array([1.0, 0.55])[(pop.htype == HouseholdType.URBAN_POOR).view(np.int8)]
    pop.income[:] = income


def shocks(model: UrbanizationModel) -> None:
    """Hardship shocks (illness, accident, disaster) lasting about six months (seed ch.2 III: one-off aid)."""
    pop = model.pop
    hit = (pop.hardship == 0) & (model.rng.random(pop.n) < model.behaviour.hardship_rate)
    pop.hardship[hit] = 6
    model.flows["hardship_shocks"] += float(pop.weight[hit].sum())


def land_requisition(model: UrbanizationModel) -> None:
    """Urban expansion requisitions farmers' land; half of those hit are resettled into new-town apartments."""
    pop, rng = model.pop, model.rng
    rate = model.behaviour.land_requisition_rate / 12.0
    farming = (pop.reg == Registration.LOCAL_RURAL_HUKOU) & pop.land
    hit = np.flatnonzero(farming & (rng.random(pop.n) < rate))
    if hit.size == 0:
        return
    pop.land[hit] = False
    moved = hit[rng.random(hit.size) < 0.5]
    new_towns = [d.index for d in model.profile.districts if d.kind is DistrictKind.NEW_TOWN]
    if moved.size and new_towns:
        model.relocate(moved, rng.choice(new_towns, size=moved.size), Residence.RESETTLEMENT)
        pop.homestead[moved] = False
