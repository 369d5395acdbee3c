"""Finished sweeps for the analyst page: read a sweep or comparison folder under the app's root with the
experiments layer (``experiments.analysis.summarize`` and ``paired_differences``, the functions behind
``urbanize report`` and ``urbanize compare``), so the page and the written report agree.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from urbanize.model.errors import UrbanizeError


@dataclass(frozen=True)
class Sweep:
    """A loaded sweep folder."""

    path: Path
    manifest: dict
    design: pd.DataFrame
    runs: pd.DataFrame
    params: tuple[str, ...]
    outcomes: tuple[str, ...]
    labels: dict[int, str]  # design point -> readable label

    @property
    def name(self) -> str:
        return str(self.manifest.get("spec", {}).get("name", self.path.name))

    @property
    def months(self) -> list[int]:
        return sorted(int(m) for m in self.runs["month"].unique())


class SweepError(UrbanizeError):
    """A folder that cannot be read as a sweep."""


def analyst_root() -> Path:
    """The folder under which the page opens sweeps: ``urbanize viz --root`` (``URBANIZE_VIZ_ROOT``), else the
    working folder."""
    return Path(os.environ.get("URBANIZE_VIZ_ROOT") or Path.cwd()).resolve()


def resolve_under(text: str, root: Path) -> Path:
    """``text`` as a path under ``root`` (a relative path is taken from ``root``).

    Raises:
        SweepError: when the path (after resolving ``..`` and links) leaves ``root``.
    """
    p = Path(text).expanduser()
    resolved = (p if p.is_absolute() else root / p).resolve()
    if not resolved.is_relative_to(root):
        raise SweepError(f"'{text}' is outside the folder this app may read ({root}); "
                         "restart it with 'urbanize viz --root DIR' to open sweeps elsewhere")
    return resolved


def load_sweep(path: str | Path, root: Path | None = None) -> Sweep:
    """Read a sweep or comparison folder under ``root`` (default :func:`analyst_root`) with the experiments
    layer.

    Raises:
        SweepError: a one-line message naming what is wrong (outside the root, no folder, no manifest, no
            finished runs, ...).
    """
    from urbanize.experiments.analysis import indicator_columns
    from urbanize.experiments.storage import load_design, open_runs

    text = str(path).strip()
    if not text:
        raise SweepError("type the path of a sweep or comparison folder (the one holding manifest.json)")
    p = resolve_under(text, (root or analyst_root()).resolve())
    if not p.exists():
        raise SweepError(f"folder '{p}' does not exist")
    if not p.is_dir():
        raise SweepError(f"'{p}' is a file, not a folder; give the folder holding manifest.json")
    try:
        design, manifest = load_design(p)
        runs = open_runs(p)
    except UrbanizeError as exc:
        raise SweepError(str(exc)) from None
    except (OSError, ValueError, KeyError, json.JSONDecodeError) as exc:
        raise SweepError(f"'{p}' does not hold a readable sweep: {type(exc).__name__}: {exc}") from None
    if "point" not in runs or "month" not in runs:
        raise SweepError(f"the run files in '{p}' have no 'point'/'month' columns; is this a sweep folder?")
    params = tuple(c for c in design.columns if c not in ("point", "policies", "sample"))
    outcomes = tuple(indicator_columns(runs, params))
    if not outcomes:
        raise SweepError(f"the runs in '{p}' hold no indicator columns")
    if "policies" not in runs:
        runs = runs.assign(policies=runs["point"].map(design.set_index("point")["policies"]))
    varied = [c for c in params if design[c].nunique() > 1]
    labels = {}
    for _, row in design.iterrows():
        parts = [str(row["policies"])]
        parts += [f"{c}={row[c]:.4g}" if isinstance(row[c], float) else f"{c}={row[c]}" for c in varied]
        labels[int(row["point"])] = ", ".join(parts)
    return Sweep(p, manifest, design, runs, params, outcomes, labels)


def find_sweeps(roots: list[Path] | None = None, depth: int = 3) -> list[str]:
    """Folders holding a ``manifest.json`` under the page's root, its ``out/`` and ``runs/`` (shallow search)."""
    base_root = analyst_root()
    roots = roots or [base_root / "out", base_root / "runs", base_root]
    found: set[str] = set()
    for root in roots:
        if not root.is_dir():
            continue
        base = len(root.parts)
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = [d for d in dirnames if not d.startswith(".") and d not in ("runs", "report", "node_modules")]
            if len(Path(dirpath).parts) - base >= depth:
                dirnames[:] = []
            if "manifest.json" in filenames:
                found.add(dirpath)
    return sorted(found)


def default_outcome(sweep: Sweep) -> str:
    spec_outcomes = [o for o in sweep.manifest.get("spec", {}).get("outcomes") or [] if o in sweep.outcomes]
    for o in [*spec_outcomes, "registration_rate", "hukou_conversions"]:
        if o in sweep.outcomes:
            return o
    return sweep.outcomes[0]


def summary_at(sweep: Sweep, outcome: str, month: int) -> pd.DataFrame:
    """``experiments.analysis.summarize`` for one outcome and month (as in ``urbanize report``'s summary.csv)."""
    from urbanize.experiments.analysis import summarize

    table = summarize(sweep.runs, sweep.design, [outcome], [month])
    table.insert(0, "label", table["point"].map(sweep.labels))
    return table


def differences(sweep: Sweep, outcome: str, baseline: int, months: list[int]) -> pd.DataFrame:
    """``experiments.analysis.paired_differences`` of every other point from ``baseline``."""
    from urbanize.experiments.analysis import paired_differences

    others = [int(p) for p in sweep.design["point"] if int(p) != baseline]
    if not others:
        return pd.DataFrame()
    table = paired_differences(sweep.runs, baseline, others, [outcome], months)
    table.insert(0, "label", table["point"].map(sweep.labels))
    return table


def max_lines() -> int:
    """Design points above which the report draws one line per package (``experiments.report.MAX_LINES``)."""
    try:
        from urbanize.experiments.report import MAX_LINES

        return int(MAX_LINES)
    except (ImportError, AttributeError, ValueError):
        return 8
