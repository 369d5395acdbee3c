"""Synthetic households: the starting population and new arrivals.

Household composition (persons by sex and age, model/composition.py) is drawn per type (sizes: migrants about
1.9 persons, local households about 3); the weights are then set per type so that weighted persons match the
city profile's figures exactly (composition within one percentage point of the seed; docs/model.md, section 6).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from urbanize.model.city import TYPE_KEYS, CityProfile
from urbanize.model.composition import compose
from urbanize.model.enums import HouseholdType, Job, Registration, Residence, Skill
from urbanize.model.fertility import start_pregnancies
from urbanize.model.migrant_history import stationary_history
from urbanize.model.retirement import retirement_age_of
from urbanize.model.streams import child_rng

if TYPE_CHECKING:
    from urbanize.model.core import UrbanizationModel

#: Assumed mean persons per household, used to turn persons into households.
MEAN_SIZE = {"migrant": 1.9, "local_farmer": 3.3, "urban_poor": 2.6, "urban_resident": 2.9}
N_HOMETOWNS = 400  # origin communities of migrants (chain-migration ties)
HISTORY_KEY = 20_090  # the starting migrants' history draws from a generator of its own (model/streams.py)


def household_counts(profile: CityProfile, households: int | None, scale: float | None) -> dict[str, int]:
    """Agents per household type for a requested size.

    ``households`` fixes the total number of agents; ``scale`` is the share of real households simulated
    (1.0 = one agent per real household). Each type gets at least 5 agents.
    """
    persons = profile.persons_by_type()
    real = {t: persons[t] / MEAN_SIZE[t] for t in TYPE_KEYS}
    total_real = sum(real.values())
    if scale is not None:
        target = total_real * scale
    elif households is not None:
        target = float(households)
    else:
        target = 2000.0
    counts = {t: max(5, int(round(target * real[t] / total_real))) for t in TYPE_KEYS}
    return counts


def _choice(rng: np.random.Generator, options: dict, k: int) -> np.ndarray:
    keys = list(options)
    p = np.array([options[o] for o in keys], dtype=float)
    idx = rng.choice(len(keys), size=k, p=p / p.sum())
    return np.array([int(keys[i]) for i in range(len(keys))])[idx]


def draw_districts(rng: np.random.Generator, profile: CityProfile, htype: str, k: int) -> np.ndarray:
    shares = np.array([d.share[htype] for d in profile.districts])
    return rng.choice(len(shares), size=k, p=shares / shares.sum()).astype(np.int16)


def place_in_cells(
    rng: np.random.Generator, profile: CityProfile, district: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Random map cell of each household inside its district (one draw per household)."""
    cells, first, count = profile.cell_table
    d = np.asarray(district, dtype=np.int64)
    pick = first[d] + (rng.random(d.size) * count[d]).astype(np.int64)
    return cells[pick, 0].copy(), cells[pick, 1].copy()


def draw_jobs(rng: np.random.Generator, employment_rate: float, formal_share: float, skill: np.ndarray) -> np.ndarray:
    """Jobs of new heads: employed with ``employment_rate``, and formal with ``formal_share`` scaled by skill
    (0.6 at low skill to 1.4 at high; formal jobs carry social-insurance contributions)."""
    k = skill.size
    employed = rng.random(k) < employment_rate
    formal = rng.random(k) < formal_share * (0.6 + 0.4 * skill)
    return np.where(employed, np.where(formal, int(Job.FORMAL), int(Job.INFORMAL)), int(Job.NONE)).astype(np.int8)


def new_households(
    model: UrbanizationModel, htype: str, k: int, weight: float, *, arriving: bool
) -> dict[str, np.ndarray]:
    """Column values for ``k`` new households of one type (the starting population or arrivals)."""
    rng = model.rng
    profile = model.profile
    econ = profile.economy
    cols: dict[str, np.ndarray] = compose(rng, htype, k, model.behaviour.family_share)
    t = HouseholdType[htype.upper()]
    cols["htype"] = np.full(k, int(t), dtype=np.int8)
    cols["weight"] = np.full(k, weight)
    local = t is not HouseholdType.MIGRANT
    cols["hukou_local"] = np.full(k, local)
    cols["hukou_urban"] = np.full(k, t in (HouseholdType.URBAN_POOR, HouseholdType.URBAN_RESIDENT))
    skill_p = np.array(profile.skill[htype])
    cols["skill"] = rng.choice(3, size=k, p=skill_p / skill_p.sum()).astype(np.int8)
    if t is HouseholdType.URBAN_POOR:
        cols["skill"] = np.minimum(cols["skill"], int(Skill.MID)).astype(np.int8)
    # residence and district: tenure first; urban-village renters live in urban villages, dormitories in parks
    residence = _choice(rng, {int(r): p for r, p in profile.tenure[htype].items()}, k).astype(np.int8)
    district = draw_districts(rng, profile, htype, k)
    kinds = np.array([int(d.kind) for d in profile.districts])
    for res, kind_name in ((Residence.URBAN_VILLAGE_RENTAL, 1), (Residence.DORMITORY, 3)):
        want = residence == int(res)
        pool = np.flatnonzero(kinds == kind_name)
        if pool.size and want.any():
            district[want] = rng.choice(pool, size=int(want.sum())).astype(np.int16)
    cols["residence"] = residence
    cols["district"] = district
    cols["cell_x"], cols["cell_y"] = place_in_cells(rng, profile, district)
    # jobs: employment and formality (formal jobs carry social-insurance contributions)
    formal_share = econ["formal_share_local"] if local else econ["formal_share_migrant"]
    job = draw_jobs(rng, 0.7 if arriving else econ["employment_rate"], formal_share, cols["skill"])
    if t is HouseholdType.URBAN_POOR:
        job = np.where(job == int(Job.FORMAL), int(Job.INFORMAL), job)
    cols["job"] = job.astype(np.int8)
    # time in the city and registration state
    if arriving:
        months = np.zeros(k, dtype=np.int16)
        cols["arrived_month"] = np.full(k, model.month, dtype=np.int16)
    elif local:
        months = np.full(k, 12 * 30, dtype=np.int16)
    else:  # the stock the model's own arrivals and departures leave behind (model.migrant_history)
        # from a generator of its own: the history's rejection sampling takes as many draws as the behaviour asks
        # for, and from the model's generator that re-rolled every later draw, so runs at two values of
        # settle_const or leave_const were not paired (common random numbers) from the first household on
        cols["settle_taste"], months = stationary_history(child_rng(model, HISTORY_KEY), model.behaviour, cols)
    cols["months_resident"] = months
    cols["residence_months"] = np.minimum(months, rng.exponential(30.0, k)).astype(np.int16)
    contributing = cols["job"] == int(Job.FORMAL)
    cols["contrib_months"] = np.where(
        contributing, (rng.random(k) * np.minimum(months, 120)).astype(np.int16), 0
    )
    if t is HouseholdType.MIGRANT:
        reg = np.full(k, int(Registration.UNREGISTERED), dtype=np.int8)
        if not arriving:
            u = rng.random(k)
            r = profile.registration
            reg[u < r["registered"] + r["residence_permit"]] = int(Registration.REGISTERED)
            reg[u < r["residence_permit"]] = int(Registration.RESIDENCE_PERMIT)
        cols["reg"] = reg
        cols["land"] = rng.random(k) < 0.8  # contracted land at origin
        cols["homestead"] = rng.random(k) < 0.9
        hometown_p = 1.0 / np.arange(1, N_HOMETOWNS + 1) ** 0.8
        cols["hometown"] = rng.choice(N_HOMETOWNS, size=k, p=hometown_p / hometown_p.sum()).astype(np.int32)
    elif t is HouseholdType.LOCAL_FARMER:
        cols["reg"] = np.full(k, int(Registration.LOCAL_RURAL_HUKOU), dtype=np.int8)
        resettled = residence == int(Residence.RESETTLEMENT)
        cols["land"] = ~resettled & (rng.random(k) < 0.85)
        cols["homestead"] = ~resettled
        cols["hometown"] = (10_000 + district.astype(np.int32) * 100 + rng.integers(0, 20, k)).astype(
            np.int32
        )
    else:
        cols["reg"] = np.full(k, int(Registration.LOCAL_URBAN_HUKOU), dtype=np.int8)
        cols["hometown"] = (20_000 + district.astype(np.int32) * 100 + rng.integers(0, 20, k)).astype(
            np.int32
        )
    cols["reg_months"] = np.minimum(months, rng.integers(0, 36, k)).astype(np.int16)
    cols["hukou_taste"] = rng.logistic(0.0, 1.0, k).astype(np.float32)
    if "settle_taste" not in cols:
        cols["settle_taste"] = rng.logistic(0.0, 1.0, k).astype(np.float32)
    # heads past the age at which they would stop working hold no job (retired; farmers farm on until 75)
    farming = cols.get("land", np.zeros(k, dtype=bool)) & (t is HouseholdType.LOCAL_FARMER)
    retired = cols["head_age"] >= retirement_age_of(cols["job"], cols["head_female"], cols["skill"], farming)
    cols["job"][retired] = int(Job.NONE)
    cols["contrib_months"][retired] = 0
    return cols


def starting_population(model: UrbanizationModel, households: int | None, scale: float | None) -> None:
    """Create the starting population with per-type weights matching the profile's persons exactly."""
    profile = model.profile
    counts = household_counts(profile, households, scale)
    targets = profile.persons_by_type()
    model.type_weight = {}
    for htype in TYPE_KEYS:
        k = counts[htype]
        cols = new_households(model, htype, k, 1.0, arriving=False)
        persons = int(cols["members"].sum())
        weight = targets[htype] / persons
        cols["weight"] = np.full(k, weight)
        model.type_weight[htype] = weight
        rows = model.pop.append(k, **cols)
        start_pregnancies(model, rows)
