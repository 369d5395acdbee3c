"""The active policies of a run, and how their answers combine (see ``policies.base``)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from urbanize.model.errors import ParameterError
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
        return _any(rows.size, [p.eligible(self.model, transition, rows) for p in self.policies], None)

    def service_access(self, service: str, rows: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        """Mask over ``rows``: True where any active policy lets the household use ``service`` (written into
        ``out``, a bool array of ``rows.size``, when given: every policy answers before it is written)."""
        return _any(rows.size, [p.service_access(self.model, service, rows) for p in self.policies], out)

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


def _any(size: int, answers: list[np.ndarray | None], out: np.ndarray | None) -> np.ndarray:
    """The OR of the masks among ``answers`` (None: no answer) in a fresh array or ``out``. The first is copied in
    and the others ORed onto it: with one answering policy (the usual case) one pass over the rows instead of
    zeros and an OR."""
    masks = [a for a in answers if a is not None]
    if out is None:
        out = np.empty(size, dtype=bool)
    if not masks:
        out[...] = False
        return out
    out[...] = masks[0]
    for mask in masks[1:]:
        out |= mask
    return out


def split_policy_keywords(
    keywords: Mapping[str, Any], policy_params: Mapping[str, Mapping[str, Any]] | None
) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """Split flat keywords into behavioural parameters and per-policy parameters.

    ``policy__param`` and ``policy.param`` name a policy parameter (policy names hold no double underscore or
    dot); they join ``policy_params``. Giving one parameter both ways is an error.
    """
    behaviour: dict[str, Any] = {}
    merged = {k: dict(v) for k, v in (policy_params or {}).items()}
    for key, value in keywords.items():
        sep = "__" if "__" in key else "." if "." in key else None
        if sep is None:
            behaviour[key] = value
            continue
        policy, _, name = key.partition(sep)
        if not policy or not name:
            raise ParameterError(f"keyword '{key}' must be policy{sep}parameter, e.g. hukou_points{sep}quota")
        if name in merged.get(policy, {}):
            raise ParameterError(
                f"policy parameter '{policy}.{name}' given twice (as a keyword and in policy_params); keep one"
            )
        merged.setdefault(policy, {})[name] = value
    return behaviour, merged
