"""The starting calibration of the services: capacities, enrolment, profiles, tenancies and entitlements.

Starting capacities come from the ``[services]`` section of each city file (``model/cities/<city>.toml``);
figures there cite their source or say "assumed"; :data:`DEFAULTS` holds the fallbacks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from urbanize.model.enums import DistrictKind, Job, Residence
from urbanize.model.retirement import statutory_age
from urbanize.model.services.base import Service
from urbanize.model.services.social_security import (
    INSURANCE_EMPLOYEE,
    INSURANCE_NCMS,
    INSURANCE_RESIDENT,
    PENSION_EMPLOYEE,
    PENSION_NEW_RURAL,
    PENSION_RESIDENT,
)

if TYPE_CHECKING:
    from urbanize.model.core import UrbanizationModel
    from urbanize.model.services.city import CityServices

#: Fallback calibration (each city file's ``[services]`` section overrides these; see the city files).
DEFAULTS: dict[str, Any] = {
    "class_size_norm_primary": 45.0,  # assumed: MOE urban primary norm of 40-45 pupils per class
    "class_size_norm_junior": 50.0,  # assumed: junior middle norm of 45-50
    "max_class_size": 100.0,  # assumed physical limit; Zhengzhou 2003-04 reported classes above 90
    "class_size_start_primary": 42.0,  # assumed
    "class_size_start_junior": 46.0,  # assumed
    "class_size_norm_senior": 50.0,  # assumed: senior middle norm of 45-50
    "class_size_start_senior": 56.0,  # assumed: senior middle classes were larger than the compulsory ones
    # pre-school: national gross enrolment in three years of pre-school 50.9 % in 2009 (MOE, 2009 statistical
    # communique on education); assumed above it for urban hukou children and below it for migrant children
    "preschool_enrolment_start_local": 0.7,
    "preschool_enrolment_start_migrant": 0.4,
    "preschool_slack": 0.02,  # assumed spare kindergarten places
    # private kindergartens' share of the children enrolled: 13.99 of 29.77 million in 2010 (MOE education
    # statistics for 2010); national, no city figure found
    "preschool_private_share": 0.47,
    # senior middle: national gross enrolment in senior secondary education 79.2 % in 2009 (MOE, same communique,
    # general and vocational); assumed 0.85 for hukou children in general senior middle schools of a big city and
    # 0.5 for the non-hukou families that would keep a teenager in the city (most sit the gaokao elsewhere)
    "senior_enrolment_start_local": 0.85,
    "senior_enrolment_start_migrant": 0.5,
    "migrant_enrolment_start": 0.95,  # assumed share of migrant compulsory-age children in school
    "migrant_public_share_start": 0.7,  # assumed share of enrolled migrant children in public schools
    "private_school_slack": 0.05,  # assumed spare private seats
    "child_health_coverage_local": 0.9,  # assumed
    "child_health_coverage_migrant": 0.15,  # assumed ("not implemented well", seed ch.2 V.2)
    "maternal_health_coverage_local": 0.9,  # assumed
    "maternal_health_coverage_migrant": 0.15,  # assumed
    "health_slack": 0.05,  # assumed spare profile capacity
    "community_centre_share": {  # places as a share of the district's households, by district kind (assumed)
        "urban_core": 0.6,
        "urban_village": 0.15,
        "new_town": 0.3,
        "industrial_park": 0.2,
        "rural_township": 0.2,
    },
    "public_rental_slack": 0.02,  # assumed spare flats
    "training_places_per_1000_heads": 3.0,  # assumed training places per 1,000 working-age heads
    "dibao_line_urban": 400.0,  # yuan/person-month, assumed near 2009 municipal lines (300-450)
    "dibao_line_rural": 200.0,  # yuan/person-month, assumed
}


def config(model: UrbanizationModel) -> dict[str, Any]:
    """The city's ``[services]`` section over :data:`DEFAULTS`."""
    raw = dict(model.profile.raw.get("services", {}))
    cfg = {**DEFAULTS, **{k: v for k, v in raw.items() if k != "note"}}
    share = dict(DEFAULTS["community_centre_share"])
    share.update(raw.get("community_centre_share", {}))
    cfg["community_centre_share"] = share
    return cfg


def calibrate(services: CityServices) -> None:
    """Starting enrolment, profiles, tenancies and capacities (city file ``[services]``)."""
    model, cfg, rng = services.model, services.config, services.model.rng
    pop = model.pop
    n, w = pop.n, pop.weight
    nd = len(model.profile.districts)
    district = pop.district.astype(np.int64)
    local = pop.hukou_local
    services.set_static(np.arange(n))
    # schools: locals all in public; migrant households in a random order take public places until their children
    # make the calibrated public share of the city's migrant children, then private places until the enrolment
    # share (the month-0 figures then match the city file to within one household, as the composition does)
    comp_kids = (pop.kids_6_11 + pop.kids_12_14).astype(float) * w
    order = rng.permutation(np.flatnonzero(~local))
    cum = np.cumsum(comp_kids[order])
    total = cum[-1] if cum.size else 0.0
    enrol = cfg["migrant_enrolment_start"]
    public = local.copy()
    private = np.zeros(n, dtype=bool)
    public[order[cum <= enrol * cfg["migrant_public_share_start"] * total + 1e-9]] = True
    private[order[~public[order] & (cum <= enrol * total + 1e-9)]] = True
    for svc, size_key in ((services.primary, "primary"), (services.junior, "junior")):
        kids = pop.col(svc.kids_col)
        svc.held[:] = np.where(public, kids, 0)
        pupils = np.bincount(district, weights=svc.held * w, minlength=nd)
        start_size = float(cfg[f"class_size_start_{size_key}"])
        svc.open_size = np.full(nd, max(svc.norm, start_size))  # admit up to today's crowding
        svc.set_classes(pupils / start_size)
    comp = pop.kids_6_11 + pop.kids_12_14
    services.private.held[:] = np.where(private, comp, 0)
    services.private.set_capacity(
        np.bincount(district, weights=services.private.held * w, minlength=nd)
        * (1 + cfg["private_school_slack"])
    )
    # health profiles (pregnancies in progress come from the starting population: model/fertility.py)
    health: tuple[tuple[Service, str], ...] = (
        (services.child_health, "child_health"),
        (services.maternal_health, "maternal_health"),
    )
    for hsvc, key in health:
        need = hsvc.need_all()
        cover = np.where(local, cfg[f"{key}_coverage_local"], cfg[f"{key}_coverage_migrant"])
        hsvc.held[:] = np.where(rng.random(n) < cover, need, 0)
        hsvc.set_capacity(hsvc.used() * (1 + cfg["health_slack"]))
    # community centres: places by district kind, first to local households
    kinds = [d.kind for d in model.profile.districts]
    share = np.array([float(cfg["community_centre_share"].get(k.name.lower(), 0.0)) for k in kinds])
    households = np.bincount(district, weights=w, minlength=nd)
    services.community.set_capacity(households * share)
    local_hh = np.bincount(district, weights=w * local, minlength=nd)
    p_place = np.where(local_hh > 0, np.minimum(households * share / np.maximum(local_hh, 1e-9), 1.0), 0.0)
    wanted = np.flatnonzero(local & (rng.random(n) < p_place[district]))
    wanted = wanted[rng.permutation(wanted.size)]
    order = np.argsort(district[wanted], kind="stable")
    wanted = wanted[order]
    cum = np.cumsum(w[wanted])
    start = np.searchsorted(district[wanted], np.arange(nd))
    before = np.concatenate([[0.0], cum])[start]
    fits = cum - before[district[wanted]] <= services.community.capacity[district[wanted]] + 1e-9
    services.community.held[:] = 0
    services.community.held[wanted[fits]] = 1
    # public rental: current tenants
    services.public_rental.held[:] = pop.residence == Residence.PUBLIC_RENTAL
    services.public_rental.set_capacity(services.public_rental.used() * (1 + cfg["public_rental_slack"]))
    # training: places for working-age heads
    heads = float(w[pop.head_age < 60].sum())
    services.training.set_capacity(heads * cfg["training_places_per_1000_heads"] / 1000.0)
    # entitlements
    initial_entitlements(model, np.arange(n), arriving=False)
    # sanitation: "being extended into urban villages ... in certain villages" (seed ch.2 III.2)
    services.sanitation_coverage = np.array(
        [
            1.0 if k is DistrictKind.URBAN_CORE else 0.3 if k is DistrictKind.URBAN_VILLAGE else 0.5
            for k in kinds
        ]
    )
    services.update_unschooled()
    for svc in services.services:
        svc.mark_held_here()
        svc.used_after = svc.used()


def initial_entitlements(model: UrbanizationModel, rows: np.ndarray, arriving: bool) -> None:
    """Starting pension and insurance enrolment (assumed shares; NBS 2009 migrant monitoring: 7.6 % of
    migrant workers with pension insurance, 12.2 % with medical insurance; NCMS covered ~94 % of rural
    residents in 2009).

    Pensions, one scheme per household and each rule for its own group (an earlier version let the new-rural
    rule overwrite farmers with formal jobs, so 39 % of them started in the employee scheme where 90 % was
    intended, and monthly take-up then moved coverage 0.14 -> 0.40 in the first year):

    * local households with a formal job: the employee scheme, at the steady state of its monthly take-up
      against formal job loss, ``take_up / (take_up + job_loss)`` (0.2 / 0.208 = 96 %; a flat 90 % start rose
      by 4 points in the first year as the rest took it up);
    * local urban households whose head has retired (no job, past the statutory age): the employee scheme,
      70 % (assumed: about two thirds of urban elders lived mainly on a pension at the 2010 census), else the
      resident scheme half the time;
    * other local urban households: the resident scheme, 50 %;
    * other local rural households: the new rural pension, 50 % (its roll-out from 2009; monthly take-up then
      continues it);
    * migrants with a formal job: the employee scheme, 19 %.
    """
    pop, rng = model.pop, model.rng
    k = rows.size
    local, urban = pop.hukou_local[rows], pop.hukou_urban[rows]
    formal = pop.job[rows] == Job.FORMAL
    retired = (pop.job[rows] == Job.NONE) & (pop.head_age[rows] >= statutory_age(pop, rows))
    u1, u2 = rng.random(k), rng.random(k)
    pension = np.zeros(k, dtype=np.int8)
    if not arriving:
        take_up = model.services.pension.take_up_local
        employee_share = take_up / (take_up + model.behaviour.job_loss)
        pension[local & formal & (u1 < employee_share)] = PENSION_EMPLOYEE
        retired_urban = local & urban & ~formal & retired
        pension[retired_urban & (u1 < 0.7)] = PENSION_EMPLOYEE
        pension[retired_urban & (u1 >= 0.7) & (u1 < 0.85)] = PENSION_RESIDENT
        pension[local & urban & ~formal & ~retired & (u1 < 0.5)] = PENSION_RESIDENT
        pension[local & ~urban & ~formal & (u1 < 0.5)] = PENSION_NEW_RURAL
    pension[~local & formal & (u1 < 0.19)] = PENSION_EMPLOYEE
    pop.pension[rows] = pension
    ins = np.zeros(k, dtype=np.int8)
    ins[local & formal & (u2 < 0.95)] = INSURANCE_EMPLOYEE
    ins[local & urban & ~formal & (u2 < 0.85)] = INSURANCE_RESIDENT
    # the NCMS rule is for rural-hukou households outside the employee scheme: it used to overwrite local farmers
    # with formal jobs, so they started at 1-2 % in urban insurance and monthly take-up moved them to ~0.33 in
    # the first year (the same defect as the pensions' above)
    ins[~urban & ~(local & formal) & (u2 < 0.92)] = INSURANCE_NCMS
    ins[~local & formal & (u2 < 0.3)] = INSURANCE_EMPLOYEE
    pop.insured[rows] = ins
