"""Helpers of the indicators that read the service catalogue (``model.services``).

``migrant`` means households without local hukou (the seed's "migrants"), ``local urban`` households with local
urban hukou (the benchmark of equal access), ``local farmer`` households of the local-farmer type.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from urbanize.model.indicators.base import Snapshot, indicator
from urbanize.model.services.city import CityServices

NAN = float("nan")


def services_of(s: Snapshot) -> CityServices | None:
    svc = s.model.services
    return svc if isinstance(svc, CityServices) else None


def service_indicator(
    name: str, doc: str, unit: str = ""
) -> Callable[[Callable[[Snapshot], float]], Callable]:
    """Register an indicator that needs the service catalogue (NaN when a run has none)."""

    def deco(fn: Callable[[Snapshot], float]) -> Callable[[Snapshot], float]:
        def guarded(s: Snapshot) -> float:
            return fn(s) if services_of(s) is not None else NAN

        guarded.__doc__ = fn.__doc__
        indicator(name, doc, unit)(guarded)
        return fn

    return deco


def cached(s: Snapshot, key: str, fn: Callable[[], Any]) -> Any:
    store = s.__dict__.setdefault("_service_cache", {})
    if key not in store:
        store[key] = fn()
    return store[key]


def wsum(s: Snapshot, column: np.ndarray, local: bool) -> float:
    """Real-household-weighted sum of ``column`` over local-hukou (or non-local) households, no gathers."""
    key = "w_local" if local else "w_nonlocal"
    w = cached(s, key, lambda: s.pop.weight * (s.pop.hukou_local if local else ~s.pop.hukou_local))
    return float((w * column).sum())


def wsum_of(s: Snapshot, name: str, local: bool) -> float:
    """:func:`wsum` of the population column ``name``, computed once a month (several indicators ask for it)."""
    return cached(s, f"wsum_{name}_{local}", lambda: wsum(s, s.pop.col(name), local))
