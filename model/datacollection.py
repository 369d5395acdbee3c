"""The model's ``mesa.DataCollector``: the registered indicators as Mesa model reporters.

``UrbanizationModel.datacollector`` is an :class:`IndicatorCollector`, a subclass of ``mesa.DataCollector``, so
what Mesa's tools expect is there: ``model_vars`` (one list per reporter), ``_collection_steps`` (the model time
of each collection), ``get_model_vars_dataframe()``, and ``collect(model)``. ``mesa.batch_run`` and SolaraViz's
plot components read it as they read any Mesa model's collector.

Its model reporters are the indicator registry (``urbanize.model.indicators``) plus ``month``. Instead of
calling each reporter with the model (Mesa's default), :meth:`IndicatorCollector.collect` builds one
:class:`~urbanize.model.indicators.Snapshot` and evaluates every indicator on it, so the arrays several indicators
share (persons, weights, counts by group) are computed once a month: the collector *is* the model's column
store of results, not a second pass over the households. ``get_table_dataframe("splits")`` returns the split table
(indicators by group, sex and age band, model/splits.py) when the model collects it (``splits=N``). Reporters a user adds in Mesa's forms (a lambda, an
attribute name, a method, ``[function, args]``) are evaluated the way Mesa evaluates them.

There are no agent reporters: households live in numpy columns and per-household rows at 100,000 households a
month would cost as much as the month itself (docs/mesa.md).
"""

from __future__ import annotations

import types
from collections.abc import Callable, Mapping
from copy import deepcopy
from functools import partial
from typing import TYPE_CHECKING, Any

import mesa
import pandas as pd

from urbanize.model.indicators import Indicator, Snapshot

if TYPE_CHECKING:
    from urbanize.model.core import UrbanizationModel


class IndicatorCollector(mesa.DataCollector):
    """A ``mesa.DataCollector`` whose model reporters are the model's indicators (and ``month``).

    ``model_reporters`` maps ``month`` to the attribute name, each indicator to its
    :class:`~urbanize.model.indicators.Indicator`, and any reporter added later to what Mesa accepts.

    Args:
        indicators: name -> :class:`~urbanize.model.indicators.Indicator`, in column order (normally
            ``urbanize.model.indicators.registry()``).
        extra_reporters: further model reporters in any of Mesa's forms.
    """

    def __init__(
        self, indicators: Mapping[str, Indicator], extra_reporters: Mapping[str, Any] | None = None
    ) -> None:
        reporters: dict[str, Any] = {"month": "month", **indicators, **(extra_reporters or {})}
        self.model_reporters: dict[str, Any]
        super().__init__(model_reporters=reporters)
        self._validated = True  # Mesa's validation would call every indicator a second time
        self.indicators: dict[str, Indicator] = dict(indicators)
        #: tables the model keeps itself (the split table, model/splits.py), read by ``get_table_dataframe``
        self.table_providers: dict[str, Callable[[], pd.DataFrame]] = {}

    def get_table_dataframe(self, table_name: str) -> pd.DataFrame:
        """Mesa's table as a DataFrame; ``"splits"`` is the model's split table (model/splits.py)."""
        if table_name in self.table_providers:
            return self.table_providers[table_name]()
        return super().get_table_dataframe(table_name)

    def collect(self, model: UrbanizationModel, snapshot: Snapshot | None = None) -> None:  # type: ignore[override]
        """Record every reporter for the model's current state (one row of ``model_vars``).

        ``snapshot``: the month's :class:`~urbanize.model.indicators.Snapshot` when the caller has one to share.
        """
        self._collection_steps.append(model.time)
        snap = Snapshot(model) if snapshot is None else snapshot
        for name, reporter in self.model_reporters.items():
            if isinstance(reporter, Indicator):
                value: Any = float(reporter.fn(snap))
            elif name == "month" and reporter == "month":
                value = int(model.month)
            else:
                value = _mesa_report(reporter, model)
            self.model_vars[name].append(value)
        if self.agent_reporters or self.agenttype_reporters:
            # reporters a user added on agents: Mesa's own pass over model.agents (see docs/mesa.md)
            saved, self.model_reporters = self.model_reporters, {}
            try:
                super().collect(model)
            finally:
                self.model_reporters = saved

    def latest(self) -> dict[str, Any]:
        """The last collected row, reporter -> value."""
        return {name: values[-1] for name, values in self.model_vars.items()}


def _mesa_report(reporter: Any, model: Any) -> Any:
    """Evaluate a model reporter the way ``mesa.DataCollector.collect`` does."""
    if isinstance(reporter, types.LambdaType | partial):
        return deepcopy(reporter(model))
    if isinstance(reporter, str):
        return deepcopy(getattr(model, reporter, None))
    if isinstance(reporter, list):
        return deepcopy(reporter[0](*reporter[1]))
    return deepcopy(reporter())
