"""Queues: units waited for after allocation and mean months waited, per capacity-limited service."""

from __future__ import annotations

from collections.abc import Callable

from urbanize.model.indicators.base import Snapshot
from urbanize.model.indicators.service_base import NAN, service_indicator, services_of
from urbanize.model.services.city import CAPACITY_SERVICES


def _unmet(name: str) -> Callable[[Snapshot], float]:
    def unmet(s: Snapshot) -> float:
        svc = services_of(s)
        return NAN if svc is None else svc.household_services()[name].unmet_after

    return unmet


def _wait(name: str) -> Callable[[Snapshot], float]:
    def wait(s: Snapshot) -> float:
        svc = services_of(s)
        return NAN if svc is None else svc.household_services()[name].mean_wait_after

    return wait


for _name in CAPACITY_SERVICES:
    service_indicator(f"unmet_demand_{_name}", f"Units of {_name} waited for after allocation", "units")(
        _unmet(_name)
    )
    service_indicator(
        f"mean_wait_{_name}", f"Mean months waited so far by units queued for {_name}", "months"
    )(_wait(_name))
