"""Compulsory education allowances enjoyed by migrant children (Changshu's monitoring indicator): the public
school fees waived and the city's allowance to private migrant schools, in a hand-built world."""

from __future__ import annotations

import pytest
from service_helpers import make_migrant, services, tiny_world

from urbanize.model.indicators import Snapshot, registry
from urbanize.model.services.costs import COSTS


def value(m, name: str) -> float:
    return registry()[name].fn(Snapshot(m))


def test_status_quo_grants_no_allowance() -> None:
    m = tiny_world()
    svc = services(m)
    svc.primary.nonlocal_pupils, svc.junior.nonlocal_pupils = 100.0, 50.0
    assert value(m, "compulsory_allowance_fee_waiver") == 0.0
    assert value(m, "compulsory_allowance_private_school") == 0.0
    assert value(m, "compulsory_allowance_per_migrant_pupil") == 0.0


def test_fee_waiver_and_private_allowance_are_counted_per_migrant_pupil() -> None:
    m = tiny_world(policies="migrant_education", policy_params={"migrant_education": {"private_allowance": 10.0}})
    svc = services(m)
    assert svc.primary.fee_nonlocal == 0.0 and svc.junior.fee_nonlocal == 0.0  # the exemption
    svc.primary.nonlocal_pupils, svc.junior.nonlocal_pupils = 100.0, 50.0
    make_migrant(m, [0, 1])
    m.pop.weight[[0, 1]] = [30.0, 20.0]
    svc.private.held[:] = 0
    svc.private.held[[0, 1, 2]] = [2, 1, 3]  # row 2 is a local urban household: its pupils are not counted
    svc.private.used_after[:] = 0.0
    svc.private.used_after[0] = 2 * 30.0 + 1 * 20.0 + 3 * 1.0
    standard = COSTS["school_fee_nonlocal"][0]
    waived = standard * 150.0
    private = 10.0 * (2 * 30.0 + 1 * 20.0)
    assert value(m, "compulsory_allowance_fee_waiver") == pytest.approx(waived)
    assert value(m, "compulsory_allowance_private_school") == pytest.approx(private)
    pupils = 150.0 + 80.0
    assert value(m, "compulsory_allowance_per_migrant_pupil") == pytest.approx(12.0 * (waived + private) / pupils)
