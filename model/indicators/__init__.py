"""Named indicators (docs/model.md, section 8): each a documented function of the model state.

Indicators are reported each month in real-population terms (agents' ``weight`` times persons) and are
aggregates over columns (weighted sums, ``np.bincount`` by group), never per-agent reporters. Register one
with::

    @indicator("registration_rate", "Share of migrants (non-local hukou) registered or beyond", "share")
    def registration_rate(s: Snapshot) -> float: ...

``Snapshot`` caches the arrays several indicators share, so a month's collection computes each once.

One module per sector; the column order is the order in which the modules register: ``population``,
``registration``, ``flows``, ``settlement``, ``housing`` (``base.CORE_MODULES``, imported here), then the indicators the policy modules
register, then those that read the service catalogue (``base.SERVICE_MODULES``: education, health, tenure,
assistance, social security, training and community, fiscal, queues, equal access; seed ch.2 "indicators to
monitor"), loaded on first use of :func:`registry`.
"""

import importlib

from urbanize.model.indicators.base import (
    CORE_MODULES,
    TRAITS,
    Indicator,
    Snapshot,
    indicator,
    list_indicators,
    ratio,
    registry,
    unknown_indicator_hint,
)

for _module in CORE_MODULES:  # in column order
    importlib.import_module(f"urbanize.model.indicators.{_module}")

__all__ = ["TRAITS", "Indicator", "Snapshot", "indicator", "list_indicators", "ratio", "registry", "unknown_indicator_hint"]
