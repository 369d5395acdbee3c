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


#: count columns that are zero in most rows, in families nonzero in the same few rows (young children and their
#: places with pregnancies and the mothers' profiles, 15 % of the rows at 100,000 households; youths aged 15-17 and
#: theirs, 6 %; public rental flats): their sums run over those rows only. One family of the under-sixes and the
#: pregnancies finds its rows once, cheaper than three families of a few percent each
SPARSE_FAMILIES = (
    ("kids_0_2", "use_child_health", "kids_3_5", "use_kindergarten", "pregnant>0", "use_maternal_health"),
    ("kids_15_17", "use_senior_school"),
    ("use_public_rental",),
)
_FAMILY_OF = {name: family for family in SPARSE_FAMILIES for name in family}


def _column(s: Snapshot, name: str) -> np.ndarray:
    """The population column ``name``; ``<column>>0``: whether it is positive."""
    return s.pop.col(name[:-2]) > 0 if name.endswith(">0") else s.pop.col(name)


def _family_rows(s: Snapshot, family: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows where any column of ``family`` is nonzero, and their weights over local-hukou and non-local
    households (zero outside the group)."""

    def compute() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        nonzero = _column(s, family[0]) != 0
        for name in family[1:]:
            nonzero |= _column(s, name) != 0
        rows = np.flatnonzero(nonzero)
        w, local = s.pop.weight[rows], s.pop.hukou_local[rows]
        return rows, w * local, w * ~local

    return cached(s, f"family_{family[0]}", compute)


def wsum_of(s: Snapshot, name: str, local: bool) -> float:
    """:func:`wsum` of the population column ``name`` (``<column>>0``: of households where it is positive),
    computed once a month (several indicators ask for it). A column of a sparse family is summed over the family's
    rows: the rows left out add zeros, so the sum has the same terms in another order (the last bits may differ)."""

    def compute() -> float:
        family = _FAMILY_OF.get(name)
        if family is None:
            return wsum(s, _column(s, name), local)
        rows, w_local, w_nonlocal = _family_rows(s, family)
        return float((_column(s, name)[rows] * (w_local if local else w_nonlocal)).sum())

    return cached(s, f"wsum_{name}_{local}", compute)
