"""Helpers shared by the service policies (not a policy module: the leading underscore keeps it out of the
automatic registration in ``policies/__init__``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from urbanize.model.enums import DistrictKind
from urbanize.model.errors import ParameterError

if TYPE_CHECKING:
    from urbanize.model.core import UrbanizationModel
    from urbanize.model.services import CityServices

#: Construction cost of one school seat (assumed: about 5 m2 per pupil at 3,000 yuan/m2 including land works).
SEAT_BUILD_COST = 15_000.0


def city_services(model: UrbanizationModel, policy: str) -> CityServices:
    """The model's service catalogue, or a clear error when the catalogue is not in use."""
    from urbanize.model.services import CityServices

    svc = model.services
    if not isinstance(svc, CityServices):
        raise ParameterError(f"policy '{policy}' needs the service catalogue (model.services.CityServices)")
    return svc


def districts_of_kind(model: UrbanizationModel, *kinds: DistrictKind) -> np.ndarray:
    """Mask over districts of the given kinds."""
    return np.array([d.kind in kinds for d in model.profile.districts])


def households_by_district(model: UrbanizationModel, rows: np.ndarray | None = None) -> np.ndarray:
    """Real households per district (of ``rows``, or all)."""
    pop = model.pop
    nd = len(model.profile.districts)
    if rows is None:
        return np.bincount(pop.district, weights=pop.weight, minlength=nd)
    return np.bincount(pop.district[rows], weights=pop.weight[rows], minlength=nd)


def queued_by_district(model: UrbanizationModel, col: str, rows: np.ndarray | None = None) -> np.ndarray:
    """Real units in column ``col`` per district (e.g. ``wait_primary_school``)."""
    pop = model.pop
    v = pop.col(col)
    r = np.flatnonzero(v > 0) if rows is None else rows
    nd = len(model.profile.districts)
    return np.bincount(pop.district[r], weights=v[r] * pop.weight[r], minlength=nd)


def ramp_share(model: UrbanizationModel, months: int) -> float:
    """Share of a measure's target reached this month on a linear ramp from month 0: ``month / months``, then 1."""
    return min(model.month / months, 1.0)


def ramp_capacity(full_target: np.ndarray, capacity: np.ndarray, share: float) -> np.ndarray:
    """Capacity to add this month so that each group (district, or the city) holds ``share`` of its full target;
    capacity is never taken away."""
    return np.maximum(full_target * share - capacity, 0.0)
