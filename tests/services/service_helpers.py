"""Shared helpers of the service tests: tiny worlds with hand-set rows."""

from __future__ import annotations

from typing import Any

import numpy as np

from urbanize.model import UrbanizationModel
from urbanize.model.enums import HouseholdType, Job, Registration, Residence
from urbanize.model.services import CityServices


def tiny_world(city: str = "changshu", policies: str = "status_quo", **kw: Any) -> UrbanizationModel:
    """A 20-household model with every household a childless local urban resident owning its home, one real
    household per agent, in district 0, and every service empty: tests then set the rows they need."""
    m = UrbanizationModel(
        city=city, policies=policies, households=20, rng=kw.pop("rng", 5), agents="lazy", **kw
    )
    pop = m.pop
    pop.weight[:] = 1.0
    pop.htype[:] = HouseholdType.URBAN_RESIDENT
    pop.hukou_local[:] = True
    pop.hukou_urban[:] = True
    pop.reg[:] = Registration.LOCAL_URBAN_HUKOU
    pop.residence[:] = Residence.OWNED
    pop.district[:] = 0
    for s in services(m).services:
        s.mark_held_here()
    pop.job[:] = Job.FORMAL
    pop.income[:] = 5000.0
    pop.set_counts(
        slice(None), adults=2, elders=0, kids_0_2=0, kids_3_5=0, kids_6_11=0, kids_12_14=0, kids_15_17=0
    )
    pop.pregnant[:] = 0
    svc = services(m)
    for s in svc.services:
        s.held[:] = 0
        s.waiting[:] = 0
        s.waiting_months[:] = 0
        s.set_capacity(0.0)
        s.used_after = s.used()
    return m


def services(m: UrbanizationModel) -> CityServices:
    svc = m.services
    assert isinstance(svc, CityServices)
    return svc


def make_migrant(m: UrbanizationModel, rows: np.ndarray | list[int], months: int = 36) -> None:
    pop = m.pop
    rows = np.asarray(rows)
    pop.htype[rows] = HouseholdType.MIGRANT
    pop.hukou_local[rows] = False
    pop.hukou_urban[rows] = False
    pop.reg[rows] = Registration.REGISTERED
    pop.months_resident[rows] = months


def run_service(m: UrbanizationModel, name: str) -> None:
    """Assess, then act, for one service: refresh access, apply, allocate."""
    svc = services(m)
    svc.refresh_access()
    s = svc.by_name(name)
    s.apply(svc.access(name))
    s.allocate()
