"""information_sharing (policies/information.py): registered migrants' records shared between bureaus.

Hand-built: which households each connected sector can identify, the registration incentive per sector, a pupil
placed through the shared record. Whole runs (small, slow): the registered migrants' access index rises well
outside the replicate spread against the status quo, and households use the services the records open.
"""

from __future__ import annotations

import numpy as np
import pytest
from service_helpers import make_migrant, run_service, services, tiny_world

from urbanize.model import UrbanizationModel
from urbanize.model.enums import Registration
from urbanize.model.indicators import Snapshot, registry
from urbanize.policies.information import SECTOR_SERVICES, InformationSharing


def world(**params: object) -> tuple[UrbanizationModel, InformationSharing]:
    m = tiny_world(
        city="zhengzhou", policies="information_sharing", policy_params={"information_sharing": dict(params)}
    )
    pol = m.policy_set.get("information_sharing")
    assert isinstance(pol, InformationSharing)
    return m, pol


def test_a_bureau_identifies_registered_migrants_once_their_record_reaches_it() -> None:
    m, pol = world(sync_months=2)
    pop = m.pop
    make_migrant(m, [0, 1, 2, 3])  # registered, 36 months in the city
    pop.reg_months[[0, 1, 2, 3]] = [5, 1, 0, 0]
    pop.reg[2] = Registration.RESIDENCE_PERMIT  # a permit holder was registered before
    pop.reg[3] = Registration.UNREGISTERED
    rows = np.arange(5)  # row 4: a local urban resident, served under the status quo anyway
    expected = [True, False, True, False, False]
    for services_ in SECTOR_SERVICES.values():
        for service in services_:
            assert pol.service_access(m, service, rows).tolist() == expected, service
    assert pol.service_access(m, "community_centre", rows) is None  # not a sector of the system
    assert pol.registration_incentive(m) == pytest.approx(4 * 0.25)


def test_only_the_connected_sectors_open_their_services() -> None:
    m, pol = world(health=False, housing=False)
    make_migrant(m, [0])
    m.pop.reg_months[0] = 3
    rows = np.arange(1)
    assert pol.service_access(m, "maternal_health", rows) is None
    assert pol.service_access(m, "public_rental", rows) is None
    assert pol.service_access(m, "primary_school", rows).tolist() == [True]
    assert pol.service_access(m, "pension", rows).tolist() == [True]
    assert pol.sectors() == ["education", "social_security"]
    assert pol.registration_incentive(m) == pytest.approx(0.5)


def test_a_registered_newcomer_child_is_placed_through_the_shared_record() -> None:
    """The status quo opens public schools to migrant children after some months in the city; with the record
    shared, registration is proof enough, so a newly arrived registered child gets a seat and an unregistered
    one does not."""
    m, _ = world()
    pop, school = m.pop, services(m).primary
    make_migrant(m, [0, 1], months=1)
    pop.reg_months[[0, 1]] = 1  # registered on arrival; the monthly exchange has passed the record on
    pop.reg[1] = Registration.UNREGISTERED
    pop.set_counts([0, 1], kids_6_11=1)
    school.set_classes(np.array([1.0, 0, 0, 0, 0]))
    run_service(m, "primary_school")
    assert school.held[[0, 1]].tolist() == [1, 0]
    snap = Snapshot(m)
    users = registry(["information_sharing"])["info_system_service_users"].fn(snap)
    assert users == pytest.approx(float(pop.persons(np.array([0]))[0]))


def test_the_education_bureau_reaches_senior_middle_school_and_kindergartens() -> None:
    """A registered newcomer teenager gets a senior-middle seat through the shared record (the status quo waits
    a year), an unregistered one does not; a registered family's kindergarten child counts as a user of the
    system."""
    m, _ = world()
    pop, svc = m.pop, services(m)
    make_migrant(m, [0, 1], months=1)
    make_migrant(m, [2], months=36)
    pop.reg_months[[0, 1, 2]] = 1
    pop.reg[1] = Registration.UNREGISTERED
    pop.set_counts([0, 1], kids_15_17=1)
    pop.set_counts(2, kids_3_5=1)
    svc.senior.set_classes(np.array([1.0, 0, 0, 0, 0]))
    svc.kindergarten.set_capacity(np.array([1.0, 0, 0, 0, 0]))
    run_service(m, "senior_school")
    run_service(m, "kindergarten")
    assert svc.senior.held[[0, 1]].tolist() == [1, 0]
    assert svc.kindergarten.held[2] == 1
    users = registry(["information_sharing"])["info_system_service_users"].fn(Snapshot(m))
    assert users == pytest.approx(float(pop.persons(np.array([0, 2])).sum()))


def registered_access(policies: str, seeds: tuple[int, ...] = (0, 1, 2)) -> np.ndarray:
    """Per seed, the registered migrants' access index averaged over months 7-12 (computed with the
    indicator's function, so the status quo, which lacks the column, is measured the same way)."""
    fn = registry(None)["access_index_registered_migrants"].fn
    out = []
    for seed in seeds:
        m = UrbanizationModel(city="zhengzhou", policies=policies, households=400, rng=seed, agents="lazy")
        values = []
        for _ in range(12):
            m.step()
            if m.month > 6:
                values.append(fn(Snapshot(m)))
        out.append(np.mean(values))
    return np.array(out)


@pytest.mark.slow
def test_sharing_raises_registered_migrants_access_beyond_the_replicate_spread() -> None:
    base = registered_access("status_quo")
    shared = registered_access("information_sharing")
    spread = base.max() - base.min() + shared.max() - shared.min()
    assert (shared - base).min() > max(0.2, 3 * spread), (base, shared)  # status quo ~0.29, shared ~0.70
