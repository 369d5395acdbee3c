"""``urbanize validate``: run the status quo (and any package a target names) over replicates and score the model
against the empirical targets of ``model/targets.toml``.

Each (city, package) is one small sweep run on the sweep machinery (process pool or Dask, resumable, a progress
bar), written under ``OUT/runs/<city>-<package>``. Each target is measured on every replicate; the card gives the
model mean with a 95 % t-interval over replicates and passes the target when the mean lies in its band. A national
target is scored for each city and for the four pooled (city figures weighted by the target's ``pool_weight``
indicator), and the card names the city that binds: the one furthest outside (or nearest the edge of) its band
relative to the band's half-width. Targets the model cannot compute yet (an indicator it lacks) and targets marked
not comparable are reported, never scored. See docs/validation.md.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from urbanize.experiments.analysis import mean_ci
from urbanize.experiments.compare import comparison_spec
from urbanize.experiments.storage import open_runs
from urbanize.experiments.sweep import run_sweep
from urbanize.model import calendar
from urbanize.model.city import list_cities
from urbanize.model.errors import UrbanizeError
from urbanize.model.indicators import registry
from urbanize.model.targets import Target, load, measure

POOLED = "pooled"
CARD_COLUMNS = [
    "target", "use", "must_pass", "city", "indicator", "measure", "value", "low", "high", "model_mean",
    "ci_low", "ci_high", "replicates", "status", "binds", "first_year_change", "first_year_largest",
    "first_year_tolerance", "first_year_ok", "source", "tolerance_basis",
]  # fmt: skip


@dataclass(frozen=True)
class ValidateOptions:
    """What ``urbanize validate`` runs (the defaults are its command-line defaults)."""

    cities: tuple[str, ...] = tuple(list_cities())
    households: int = 2000
    replicates: int = 5
    years: int = 10
    seed: int = 20090101
    workers: int | None = None
    executor: str = "process"
    scheduler: str | None = None
    progress: bool = True
    targets_path: str | None = None
    names: tuple[str, ...] = ()  # only these targets (default all)

    @property
    def months(self) -> int:
        return 12 * self.years


def select_targets(opts: ValidateOptions) -> list[Target]:
    """The targets to score: those naming one of the chosen cities (national ones always), by name if asked."""
    targets = load(opts.targets_path)
    if opts.names:
        known = {t.name for t in targets}
        unknown = sorted(set(opts.names) - known)
        if unknown:
            raise UrbanizeError(f"unknown target(s) {', '.join(unknown)}; targets: {', '.join(sorted(known))}")
        targets = [t for t in targets if t.name in opts.names]
    return [t for t in targets if t.national or t.city in opts.cities]


def run_all(opts: ValidateOptions, out: Path, targets: Sequence[Target]) -> dict[tuple[str, str], pd.DataFrame]:
    """Run every (city, package) the targets need; returns their run tables keyed by (city, package)."""
    needs = sorted({(c, t.policies) for t in targets for c in (opts.cities if t.national else [t.city])})
    frames = {}
    for city, package in needs:
        spec = comparison_spec(city, [package], opts.replicates, opts.months, opts.households, opts.seed)
        folder = out / "runs" / f"{city}-{package}"
        result = run_sweep(
            spec, folder, executor=opts.executor, workers=opts.workers, scheduler=opts.scheduler,
            progress=opts.progress,
        )  # fmt: skip
        if result.failed or result.failed_before:
            raise UrbanizeError(f"{result.failed + result.failed_before} run(s) of {city}/{package} failed; see {folder}")
        frames[(city, package)] = open_runs(folder)
    return frames


def _per_replicate(target: Target, runs: pd.DataFrame) -> np.ndarray:
    return np.array([measure(target, run) for _, run in runs.groupby("replicate", sort=True)])


def _first_year(target: Target, runs: pd.DataFrame) -> tuple[float, float]:
    """(mean, largest) month-0 -> month-12 move of the target's indicator over the replicates (NaN if not
    applicable). The mean is judged: it is the model's own first-year move. One replicate's move also carries
    its replicate's noise, which at the scorecard's 2,000 households is larger than some tolerances (Changshu's
    migrant enrolment moved -1.2 to -5.2 pp over five replicates where 10,000-household runs move -0.4 to
    -0.9 pp); the largest is reported beside it."""
    if not target.stable_first_year or target.indicator not in runs.columns:
        return float("nan"), float("nan")
    moves = []
    for _, run in runs.groupby("replicate", sort=True):
        x = run.set_index("month")[target.indicator]
        if 0 in x.index and 12 in x.index:
            moves.append(float(x.loc[12] - x.loc[0]))
    if not moves:
        return float("nan"), float("nan")
    return float(np.mean(moves)), max(moves, key=abs)


def _pool_weights(target: Target, frames: dict[tuple[str, str], pd.DataFrame], cities: Sequence[str]) -> np.ndarray:
    month = target.last_month()
    out = []
    for city in cities:
        runs = frames[(city, target.policies)]
        col = target.pool_weight if target.pool_weight in runs.columns else "residents"
        out.append(float(runs.loc[runs["month"] == min(month, int(runs["month"].max())), col].mean()))
    return np.array(out)


def score(targets: Sequence[Target], frames: dict[tuple[str, str], pd.DataFrame], cities: Sequence[str]) -> pd.DataFrame:
    """The scorecard: one row per (target, city), plus a pooled row for national targets."""
    known = set(registry())
    rows: list[dict] = []
    for t in targets:
        lo, hi = t.band()
        base: dict[str, Any] = {
            "target": t.name, "use": t.use, "must_pass": t.must_pass, "indicator": t.indicator,
            "measure": t.measure, "value": t.value, "low": lo, "high": hi, "source": t.source,
            "tolerance_basis": t.tolerance_basis, "first_year_tolerance": t.first_year_tolerance(),
        }  # fmt: skip
        where = list(cities) if t.national else [t.city]
        per_city: dict[str, np.ndarray] = {}
        group: list[dict] = []
        for city in where:
            runs = frames[(city, t.policies)]
            row = {**base, "city": city}
            if t.indicator not in known:
                row |= {"status": "not computable", "replicates": 0}
            else:
                vals = _per_replicate(t, runs)
                per_city[city] = vals
                row |= _summary(t, vals)
                move, row["first_year_largest"] = _first_year(t, runs)
                row["first_year_change"] = move
                row["first_year_ok"] = (
                    bool(abs(move) <= row["first_year_tolerance"] + 1e-12) if math.isfinite(move) else None
                )
            group.append(row)
        if t.national and per_city and len(per_city) == len(where):
            w = _pool_weights(t, frames, where)
            pooled = np.average(np.vstack([per_city[c] for c in where]), axis=0, weights=w)
            group.append({**base, "city": POOLED, **_summary(t, pooled)})
        scored = [r for r in group if r.get("status") in ("pass", "fail") and r["city"] != POOLED]
        if t.national and scored:
            min(scored, key=lambda r: slack(t, r["model_mean"]))["binds"] = True
        rows.extend(group)
    card = pd.DataFrame(rows)
    for col in CARD_COLUMNS:
        if col not in card.columns:
            card[col] = None
    card["binds"] = card["binds"].fillna(False).astype(bool)
    return card[CARD_COLUMNS]


def slack(t: Target, mean: float) -> float:
    """How far inside the target's band a model mean lies, in half-widths of the band (negative: outside); for a
    one-sided bound, the distance from the bound relative to the published value."""
    lo, hi = t.band()
    if math.isfinite(hi - lo):
        half = max((hi - lo) / 2, 1e-12)
        return 1.0 - abs(mean - (lo + hi) / 2) / half
    scale = max(abs(t.value), 1e-12)
    return (mean - lo) / scale if math.isfinite(lo) else (hi - mean) / scale


def _summary(t: Target, vals: np.ndarray) -> dict:
    mean, _sd, n, lo, hi = mean_ci(vals)
    if n == 0:
        status = "not computed"
    elif not t.comparable:
        status = "not comparable"
    else:
        status = "pass" if t.passes(mean) else "fail"
    return {"model_mean": mean, "ci_low": lo, "ci_high": hi, "replicates": n, "status": status}


def card_lines(card: pd.DataFrame) -> list[str]:
    """One line per scored row for stdout: status, target, city, model mean [CI] against the band."""
    lines = []
    r: Any  # a row of the scorecard (pandas-stubs type its fields as any scalar)
    for r in card.itertuples():
        band = _band_text(r.low, r.high)
        model = "n/a" if not _finite(r.model_mean) else f"{_fmt(r.model_mean)} [{_fmt(r.ci_low)}, {_fmt(r.ci_high)}]"
        flag = " (binds)" if r.binds else ""
        fy = "" if r.first_year_ok in (None, True) or pd.isna(r.first_year_ok) else f"; first-year move {_fmt(r.first_year_change)}"
        req = "" if r.must_pass else " (reported)"
        lines.append(f"{r.status.upper():>14}  {r.target} @ {r.city}{flag}: model {model}, target {band}{fy}{req}")
    return lines


def _finite(x: object) -> bool:
    return isinstance(x, int | float) and math.isfinite(x)


def _fmt(x: float) -> str:
    if not _finite(x):
        return "nan"
    ax = abs(x)
    if ax >= 1000:
        return f"{x:,.0f}"
    if ax >= 10:
        return f"{x:.1f}"
    return f"{x:.3f}"


def _band_text(lo: float, hi: float) -> str:
    if math.isfinite(lo) and math.isfinite(hi):
        return f"[{_fmt(lo)}, {_fmt(hi)}]"
    return f">= {_fmt(lo)}" if math.isfinite(lo) else f"<= {_fmt(hi)}"


def failures(card: pd.DataFrame) -> pd.DataFrame:
    """Rows that make ``--strict`` fail: a must-pass target failing, or moving too far in the first year."""
    scored = card[card["must_pass"].astype(bool) & (card["city"] != POOLED)]
    bad_first = scored["first_year_ok"].map(lambda v: v is False)
    return scored[(scored["status"] == "fail") | bad_first]


def describe_month_range(months: int) -> str:
    return f"{calendar.date_of(0):%Y-%m} to {calendar.date_of(months):%Y-%m}"
