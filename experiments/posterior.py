"""A calibration's posterior: the file ``urbanize calibrate`` writes and ``--posterior`` reads (docs/calibration.md).

The file is Parquet, one row per posterior particle:

- one column per parameter, named as on the command line (``settle_const``, ``POLICY.PARAM``); a parameter fitted
  for one city of a multi-city calibration is named ``NAME@CITY`` (``settle_const@changshu``);
- ``weight``: the particle's importance weight (non-negative, normalised to sum 1 when read);
- schema metadata ``urbanize.kind = "posterior"`` and ``urbanize.cities`` (a JSON list), plus whatever the writer
  records under ``urbanize.meta`` (JSON: the calibration's root seed, targets, date, ...).

:meth:`Posterior.values` resolves the names for one city (``NAME@CITY`` for that city wins over a shared ``NAME``;
other cities' columns are dropped), so a draw is a ``{name: value}`` mapping that ``policies.params_io`` checks and
splits into model and policy parameters like ``--set`` items.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from urbanize.model.errors import ParameterError
from urbanize.policies.params_io import ModelParams, PolicyParams, parse_set_options

KIND = "posterior"
_KIND_KEY = b"urbanize.kind"
_CITIES_KEY = b"urbanize.cities"
_META_KEY = b"urbanize.meta"


def _weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    keep = weights > 0
    order = np.argsort(values[keep], kind="stable")
    v, w = values[keep][order], weights[keep][order]
    cum = np.cumsum(w) - 0.5 * w
    return float(np.interp(q, cum / w.sum(), v))


@dataclass(frozen=True)
class Posterior:
    """Weighted particles of a calibration (see the module docstring for the file format)."""

    samples: pd.DataFrame  # one column per parameter (file names, NAME or NAME@CITY)
    weights: np.ndarray  # normalised, sums to 1
    cities: tuple[str, ...]
    meta: dict[str, Any] = field(default_factory=dict)
    source: str = ""

    def values(self, city: str | None = None) -> pd.DataFrame:
        """The particles' parameter values for ``city``: shared columns plus ``NAME@city`` renamed to ``NAME``."""
        shared = [c for c in self.samples.columns if "@" not in c]
        out = self.samples[shared].copy()
        for col in self.samples.columns:
            name, _, where = col.partition("@")
            if where and where == city:
                out[name] = self.samples[col].to_numpy()
        return out

    def parameters(self, city: str | None = None) -> list[str]:
        return list(self.values(city).columns)

    def median(self, city: str | None = None) -> dict[str, float]:
        """Weighted posterior medians, by parameter name."""
        vals = self.values(city)
        return {c: _weighted_quantile(vals[c].to_numpy(float), self.weights, 0.5) for c in vals.columns}

    def interval(self, name: str, level: float = 0.9, city: str | None = None) -> tuple[float, float]:
        """The central ``level`` credible interval of parameter ``name`` (weighted quantiles)."""
        vals = self.values(city)
        if name not in vals.columns:
            raise ParameterError(
                f"posterior '{self.source}' has no parameter '{name}'; it has: {', '.join(vals.columns)}"
            )
        x = vals[name].to_numpy(float)
        lo = (1.0 - level) / 2.0
        return _weighted_quantile(x, self.weights, lo), _weighted_quantile(x, self.weights, 1.0 - lo)

    def draws(self, n: int, seed: int | np.random.SeedSequence, city: str | None = None) -> list[dict[str, Any]]:
        """``n`` parameter sets drawn with replacement in proportion to the weights, reproducibly from ``seed``."""
        if n < 1:
            raise ParameterError(f"the number of posterior draws must be at least 1, not {n}")
        rng = np.random.default_rng(seed)
        idx = rng.choice(len(self.weights), size=n, replace=True, p=self.weights)
        vals = self.values(city)
        return [{c: vals[c].iloc[i].item() for c in vals.columns} for i in idx]


def as_params(values: Mapping[str, Any], where: str = "posterior: ") -> tuple[ModelParams, PolicyParams]:
    """Check one draw like ``--set`` items and split it into model and policy parameters."""
    try:
        return parse_set_options(f"{k}={v!r}" if isinstance(v, str) else f"{k}={v}" for k, v in values.items())
    except ParameterError as exc:
        raise ParameterError(f"{where}{exc}") from None


def write_posterior(
    path: str | Path,
    samples: pd.DataFrame,
    weights: np.ndarray | list[float],
    cities: list[str] | tuple[str, ...],
    meta: Mapping[str, Any] | None = None,
) -> Path:
    """Write a posterior atomically (a temporary file renamed into place)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    w = np.asarray(weights, dtype=float)
    if len(w) != len(samples) or len(w) == 0:
        raise ParameterError(f"a posterior needs one weight per particle ({len(samples)} particles, {len(w)} weights)")
    if "weight" in samples.columns:
        raise ParameterError("a posterior's parameters cannot include one named 'weight'")
    df = samples.reset_index(drop=True).copy()
    df["weight"] = w / w.sum()
    table = pa.Table.from_pandas(df, preserve_index=False)
    md = dict(table.schema.metadata or {})
    md[_KIND_KEY] = KIND.encode()
    md[_CITIES_KEY] = json.dumps(list(cities)).encode()
    md[_META_KEY] = json.dumps(dict(meta or {}), default=str).encode()
    table = table.replace_schema_metadata(md)
    out = Path(path)
    tmp = out.with_name(f".{out.name}.tmp{os.getpid()}")
    pq.write_table(table, tmp)
    os.replace(tmp, out)
    return out


def load_posterior(path: str | Path) -> Posterior:
    """Read a posterior file, or raise a one-line :class:`ParameterError` naming what is wrong and the fix."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    p = Path(path)
    hint = "(pass the posterior.parquet that 'urbanize calibrate' wrote)"
    if not p.exists():
        raise ParameterError(f"posterior file '{p}' does not exist {hint}")
    if p.is_dir():
        cand = p / "posterior.parquet"
        if not cand.is_file():
            raise ParameterError(f"posterior '{p}' is a folder without posterior.parquet {hint}")
        p = cand
    try:
        table = pq.read_table(p)
    except (pa.ArrowInvalid, OSError) as exc:
        raise ParameterError(f"posterior file '{p}' is not a readable Parquet file ({exc}) {hint}") from None
    md = table.schema.metadata or {}
    if md.get(_KIND_KEY) != KIND.encode():
        raise ParameterError(f"'{p}' is a Parquet file but not a calibration posterior {hint}")
    df = table.to_pandas()
    if "weight" not in df.columns or len(df) == 0:
        raise ParameterError(f"posterior file '{p}' has no particles or no 'weight' column {hint}")
    w = df.pop("weight").to_numpy(float)
    if not np.all(np.isfinite(w)) or (w < 0).any() or w.sum() <= 0:
        raise ParameterError(f"posterior file '{p}' has negative, missing or all-zero weights {hint}")
    try:
        cities = tuple(json.loads(md.get(_CITIES_KEY, b"[]")))
        meta = json.loads(md.get(_META_KEY, b"{}"))
    except ValueError:
        raise ParameterError(f"posterior file '{p}' has damaged metadata {hint}") from None
    return Posterior(samples=df, weights=w / w.sum(), cities=cities, meta=meta, source=str(p))
