"""``URBANIZE_DOCS_SCALE``: shrink every run so that documented examples run in seconds (docs/contributing.md).

With ``URBANIZE_DOCS_SCALE=f`` (0 < f <= 1) in the environment, household counts (and the share ``scale``) are
multiplied by ``f``, never below 100 households; a run lasts at most 12 months; sweeps and comparisons run at
most 2 replicates. Unset (the default), nothing changes. The documentation tests set it to run every example as
written at a small size.
"""

from __future__ import annotations

import os

from urbanize.model.errors import ParameterError

VARIABLE = "URBANIZE_DOCS_SCALE"
MIN_HOUSEHOLDS, MAX_MONTHS, MAX_REPLICATES = 100, 12, 2


def factor() -> float | None:
    """The factor in the environment (None when unset)."""
    raw = os.environ.get(VARIABLE, "").strip()
    if not raw:
        return None
    try:
        f = float(raw)
    except ValueError:
        f = float("nan")
    if not 0 < f <= 1:
        raise ParameterError(f"{VARIABLE}={raw!r} must be a number in (0, 1]; unset it to run at full size")
    return f


def households(n: int | None) -> int | None:
    f = factor()
    return n if f is None or n is None else min(n, max(MIN_HOUSEHOLDS, round(n * f)))


def scale(share: float | None) -> float | None:
    f = factor()
    return share if f is None or share is None else share * f


def months(m: int) -> int:
    return m if factor() is None else min(m, MAX_MONTHS)


def replicates(r: int) -> int:
    return r if factor() is None else min(r, MAX_REPLICATES)
