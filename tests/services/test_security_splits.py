"""Changshu's split social-security indicators (policies/security_splits.py).

Hand-built: each count on a world of five households with known schemes. Whole runs (small, slow):
``pension_integration`` raises each count beyond the replicate spread of the status quo.
"""

from __future__ import annotations

import numpy as np
import pytest
from service_helpers import make_migrant, tiny_world

from urbanize.model import UrbanizationModel
from urbanize.model.enums import HouseholdType, Job, Registration
from urbanize.model.indicators import Snapshot, registry
from urbanize.model.retirement import PENSION_EMPLOYEE, PENSION_NEW_RURAL, PENSION_RESIDENT

NAMES = (
    "pension_migrants_factory",
    "pension_migrants_self_employed",
    "pension_coverage_migrants_self_employed",
    "urban_security_land_loss_farmers",
    "urban_security_rural_people",
)


def values(m: UrbanizationModel) -> dict[str, float]:
    ind = registry(None)
    snap = Snapshot(m)
    return {name: ind[name].fn(snap) for name in NAMES}


def test_each_group_counts_its_members_in_an_urban_scheme() -> None:
    m = tiny_world(policies="status_quo")  # the functions read pension schemes only: any run can be measured
    pop = m.pop
    pop.pension[:] = 0
    make_migrant(m, [0, 1, 2])
    pop.job[[0, 1, 2]] = [Job.FORMAL, Job.INFORMAL, Job.INFORMAL]
    pop.pension[[0, 1, 2]] = [PENSION_EMPLOYEE, PENSION_RESIDENT, 0]
    farmers = [3, 4, 5]
    pop.htype[farmers] = HouseholdType.LOCAL_FARMER
    pop.hukou_urban[farmers] = False
    pop.reg[farmers] = Registration.LOCAL_RURAL_HUKOU
    pop.land[farmers] = [False, False, True]
    pop.pension[farmers] = [PENSION_RESIDENT, PENSION_NEW_RURAL, PENSION_RESIDENT]
    pop.weight[:6] = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
    persons = pop.persons(np.arange(6)).astype(float)
    got = values(m)
    assert got["pension_migrants_factory"] == pytest.approx(1.0)
    assert got["pension_migrants_self_employed"] == pytest.approx(2.0)
    assert got["pension_coverage_migrants_self_employed"] == pytest.approx(2.0 / 5.0)
    assert got["urban_security_land_loss_farmers"] == pytest.approx(4.0 * persons[3])  # row 4: new rural
    assert got["urban_security_rural_people"] == pytest.approx(4.0 * persons[3] + 6.0 * persons[5])


def per_seed(policies: str) -> np.ndarray:
    """Per seed (rows) each indicator (columns) after 12 months."""
    out = []
    for seed in (0, 1, 2):
        m = UrbanizationModel(city="changshu", policies=policies, households=600, rng=seed, agents="lazy")
        out.append(list(values(m.run(12)).values()))
    return np.array(out)


@pytest.mark.slow
def test_pension_integration_raises_every_split_beyond_the_replicate_spread() -> None:
    base, lever = per_seed("status_quo"), per_seed("pension_integration")
    for j, name in enumerate(NAMES):
        assert lever[:, j].min() > base[:, j].max(), (name, base[:, j], lever[:, j])
