"""Entitlements and the set of a run's services.

An :class:`Entitlement` (dibao, hardship aid, pensions, medical insurance) has eligibility and take-up, no seats.
A :class:`ServiceSet` holds the services of a run (:class:`urbanize.model.services.base.Service`) and entitlements;
this base set has none and gives a proxy access index by registration state;
``model.services.city.CityServices`` is the full catalogue.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

if TYPE_CHECKING:
    from urbanize.model.core import UrbanizationModel

#: Access proxy by registration state, used when no services are modelled.
_ACCESS_BY_STATE = np.array([0.0, 0.25, 0.5, 0.5, 1.0, 0.6])


class Entitlement:
    """A benefit with eligibility and take-up, no seats (dibao, hardship aid, pensions, insurance).

    Subclasses implement :meth:`apply` (eligibility from the access mask and their own rules, then take-up)
    and :meth:`cost`.
    """

    name: ClassVar[str] = ""
    sector: ClassVar[str] = "social_assistance"
    cost_source: ClassVar[str] = "assumed"

    def __init__(self, model: UrbanizationModel) -> None:
        self.model = model
        self.payer = "city"
        self.recipients = 0.0  # real households receiving this month

    def apply(self, access: np.ndarray) -> None:
        raise NotImplementedError

    def allocate(self) -> None:
        """Entitlements need no allocation (kept for a uniform interface)."""

    def cost(self) -> float:
        return 0.0

    def fees(self) -> float:
        """Households' individual contributions this month, yuan (default none)."""
        return 0.0

    def cost_and_fees(self) -> tuple[float, float]:
        """(:meth:`cost`, :meth:`fees`), for the month's booking; overridden where the two share their sums."""
        return self.cost(), self.fees()


class ServiceSet:
    """All services of a run: applications, allocation, booking, access.

    This base set has no services (its access index is a proxy by registration state);
    ``model.services.city.CityServices`` is the full catalogue.
    """

    def __init__(self, model: UrbanizationModel) -> None:
        self.model = model
        self.services: list[Any] = []

    def setup(self) -> None:
        """Create the services (after the starting population exists)."""

    def settle(self) -> None:
        """Month-0 entitlements that depend on incomes (called once after the first income update)."""

    def apply(self) -> None:
        """Households apply for services (decision phase)."""

    def allocate(self) -> None:
        """Services admit applicants by their priority rule (allocation phase)."""

    def book(self) -> None:
        """Book the month's costs in the ledger."""

    def on_arrival(self, rows: np.ndarray) -> None:
        """Set up service state of arriving households."""

    def on_formation(self, rows: np.ndarray) -> None:
        """Set up service state of households newly formed in the city (local couples leaving home)."""
        self.on_arrival(rows)

    def access_index(self, rows: np.ndarray) -> np.ndarray:
        """Each household's access to services, 0-1 (here: a proxy by registration state)."""
        return _ACCESS_BY_STATE[self.model.pop.reg[rows]]

    def __getitem__(self, name: str) -> Any:
        for s in self.services:
            if s.name == name:
                return s
        raise KeyError(f"no service '{name}'; services: {', '.join(s.name for s in self.services)}")

    def __contains__(self, name: object) -> bool:
        return any(s.name == name for s in self.services)
