"""The active policies of a run, and how their answers combine (see ``policies.base``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import numpy as np

from urbanize.policies.base import Policy, Transition

if TYPE_CHECKING:
    from urbanize.model.core import UrbanizationModel


class PolicySet:
    """Ordered active policies. Pathways combine with OR; priority rules: the last answer wins."""

    def __init__(self, model: UrbanizationModel, policies: list[Policy]) -> None:
        self.model = model
        self.policies = list(policies)

    def __iter__(self) -> Iterator[Policy]:
        return iter(self.policies)

    def __contains__(self, name: object) -> bool:
        return any(p.name == name for p in self.policies)

    def get(self, name: str) -> Policy | None:
        return next((p for p in self.policies if p.name == name), None)

    @property
    def names(self) -> list[str]:
        return [p.name for p in self.policies]

    def eligible(self, transition: Transition, rows: np.ndarray) -> np.ndarray:
        """Mask over ``rows``: True where any active policy opens ``transition``."""
        out = np.zeros(rows.size, dtype=bool)
        for p in self.policies:
            ans = p.eligible(self.model, transition, rows)
            if ans is not None:
                out |= ans
        return out

    def service_access(self, service: str, rows: np.ndarray) -> np.ndarray:
        """Mask over ``rows``: True where any active policy lets the household use ``service``."""
        out = np.zeros(rows.size, dtype=bool)
        for p in self.policies:
            ans = p.service_access(self.model, service, rows)
            if ans is not None:
                out |= ans
        return out

    def priority(self, service: str, rows: np.ndarray) -> np.ndarray | None:
        """Priority scores of the last policy that sets a rule for ``service`` (None: the service's own)."""
        result = None
        for p in self.policies:
            ans = p.priority(self.model, service, rows)
            if ans is not None:
                result = ans
        return result

    def registration_incentive(self) -> float:
        return float(sum(p.registration_incentive(self.model) for p in self.policies))
