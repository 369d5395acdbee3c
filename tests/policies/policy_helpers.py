"""Shared helpers of the policy tests: small models and hand-set rows."""

from __future__ import annotations

from typing import Any

import numpy as np

from urbanize.model import UrbanizationModel
from urbanize.model.enums import HouseholdType
from urbanize.policies import registry


def small_model(city: str = "yanta", policies: str = "status_quo", **kw: Any) -> UrbanizationModel:
    """A 300-household model, seed 11, unless told otherwise."""
    return UrbanizationModel(
        city=city, policies=policies, households=kw.pop("households", 300), rng=kw.pop("rng", 11), **kw
    )


def rows_of(model: UrbanizationModel, htype: HouseholdType, k: int) -> np.ndarray:
    """The first ``k`` rows of one household type."""
    rows = np.flatnonzero(model.pop.htype == htype)[:k]
    assert rows.size == k, f"the small model has fewer than {k} {htype.label} households"
    return rows


def missing_members(package: str) -> list[str]:
    """Members of ``package`` that are not registered (yet)."""
    known = registry.available()
    return [m for m in registry.packages()[package] if m not in known]
