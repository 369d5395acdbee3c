"""Capacity-limited services and entitlements (schedule phases 5 and 6).

The core ships the container; concrete services are registered by ``model.service_catalog`` when present.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from model.enums import Registration

if TYPE_CHECKING:
    from model.core import UrbanizationModel

#: Access proxy by registration state, used when no services are modelled.
_ACCESS_BY_STATE = np.array([0.0, 0.25, 0.5, 0.5, 1.0, 0.6])


class ServiceSet:
    """All services of a run: applications, allocation, booking, access."""

    def __init__(self, model: UrbanizationModel) -> None:
        self.model = model
        self.services: list[Any] = []

    def setup(self) -> None:
        """Create the services (after the starting population and the policies exist)."""

    def apply(self) -> None:
        """Households apply for services (decision phase)."""

    def allocate(self) -> None:
        """Services admit applicants by their priority rule (allocation phase)."""

    def book(self) -> None:
        """Book the month's costs in the ledger."""

    def on_arrival(self, rows: np.ndarray) -> None:
        """Set up service state of arriving households."""

    def access_index(self, rows: np.ndarray) -> np.ndarray:
        """Each household's access to services, 0-1 (here: a proxy by registration state)."""
        return _ACCESS_BY_STATE[self.model.pop.reg[rows]]

    def __contains__(self, reg: object) -> bool:
        return False


__all__ = ["Registration", "ServiceSet"]
