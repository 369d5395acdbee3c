"""Sweep designs: a validated sweep (:class:`SweepSpec`) and its design table, one row per design point.

:mod:`urbanize.experiments.spec` reads and validates sweep files into a :class:`SweepSpec`; this module holds
what a valid spec is and how its design is drawn: grid levels crossed with the policy packages and, for the
``lhs``, ``sobol`` and ``morris`` samplers, SALib's sample seeded from the spec's root seed (docs/experiments.md).
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from urbanize.experiments import limits
from urbanize.model.errors import UrbanizeError

Sampler = Literal["grid", "lhs", "sobol", "morris"]
SAMPLERS: tuple[str, ...] = ("grid", "lhs", "sobol", "morris")


@dataclass(frozen=True)
class Range:
    """A continuous (or integer) range ``[lo, hi]``; ``levels`` set when a grid should step through it."""

    lo: float
    hi: float
    levels: tuple[Any, ...] | None = None


@dataclass(frozen=True)
class ParamSpec:
    """One parameter of a sweep: exactly one of ``value``, ``values`` or ``range`` is set."""

    name: str
    kind: type
    value: Any = None
    values: tuple[Any, ...] | None = None
    range: Range | None = None

    @property
    def is_fixed(self) -> bool:
        return self.values is None and self.range is None

    def to_json(self) -> Any:
        if self.values is not None:
            return list(self.values)
        if self.range is not None:
            out: dict[str, Any] = {"min": self.range.lo, "max": self.range.hi}
            if self.range.levels is not None:
                out["levels_list"] = list(self.range.levels)
            return out
        return self.value


@dataclass(frozen=True)
class SweepSpec:
    """A validated sweep. Build with :func:`load_spec` or :func:`parse_spec`."""

    name: str
    city: str
    policies: tuple[str, ...]
    households: int
    months: int
    replicates: int
    seed: int
    sampler: str
    samples: int | None
    outcomes: tuple[str, ...]
    parameters: tuple[ParamSpec, ...] = ()
    description: str = ""
    morris_levels: int = 4
    common_random_numbers: bool = True
    report_months: tuple[int, ...] = ()
    posterior: Any = None  # experiments.posterior_design.PosteriorDraws: K draws, each run with the replicates
    _design: Any = field(default=None, compare=False, repr=False)

    # --- identity -----------------------------------------------------------------------------------------
    def canonical(self) -> dict[str, Any]:
        """A JSON-able dict that identifies the sweep (what must match for a resume)."""
        return {
            "name": self.name,
            "city": self.city,
            "policies": list(self.policies),
            "households": self.households,
            "months": self.months,
            "replicates": self.replicates,
            "seed": self.seed,
            "sampler": self.sampler,
            "samples": self.samples,
            "morris_levels": self.morris_levels if self.sampler == "morris" else None,
            "common_random_numbers": self.common_random_numbers,
            "parameters": {p.name: p.to_json() for p in self.parameters},
            # the order numbers the design points and the sample's columns
            "parameter_order": [p.name for p in self.parameters],
        } | ({"posterior": self.posterior.to_json()} if self.posterior is not None else {})

    def fingerprint(self) -> str:
        text = json.dumps(self.canonical(), sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def to_json(self) -> dict[str, Any]:
        out = self.canonical()
        out.update(
            description=self.description,
            outcomes=list(self.outcomes),
            report_months=list(self.report_months),
        )
        return out

    # --- design -------------------------------------------------------------------------------------------
    @property
    def varied(self) -> list[ParamSpec]:
        return [p for p in self.parameters if not p.is_fixed]

    @property
    def sampled(self) -> list[ParamSpec]:
        """Parameters the sampler draws (ranges without grid levels, for lhs/sobol/morris)."""
        if self.sampler == "grid":
            return []
        return [p for p in self.parameters if p.range is not None and p.range.levels is None]

    def problem(self) -> dict[str, Any]:
        """The SALib problem of the sampled parameters."""
        ps = self.sampled
        return {
            "num_vars": len(ps),
            "names": [p.name for p in ps],
            "bounds": [[float(p.range.lo), float(p.range.hi)] for p in ps],  # type: ignore[union-attr]
        }

    def design(self) -> Design:
        """The design table: one row per design point (``point``, ``policies``, then every parameter)."""
        if self._design is None:
            object.__setattr__(self, "_design", build_design(self))
        return self._design

    @property
    def runs_per_point(self) -> int:
        """Replicates, times the posterior draws when the spec draws parameters from a posterior."""
        return self.replicates * (self.posterior.n if self.posterior is not None else 1)

    @property
    def n_runs(self) -> int:
        return len(self.design().points) * self.runs_per_point


@dataclass(frozen=True)
class Design:
    """Design points of a sweep and, for sampling designs, the raw sample matrix (one row per sample)."""

    points: (
        pd.DataFrame
    )  # point, policies, sample (index into `sample`, -1 for none), one column per parameter
    sample: np.ndarray | None  # raw sampler output, before rounding integer parameters


def build_design(spec: SweepSpec) -> Design:
    grid_params = [p for p in spec.parameters if p.values is not None or (p.range and p.range.levels)]
    grid_levels = [_levels(p) for p in grid_params]
    fixed = {p.name: p.value for p in spec.parameters if p.is_fixed}
    sampled = spec.sampled
    sample: np.ndarray | None = None
    if spec.sampler == "grid":
        rows_x: list[dict[str, Any]] = [{}]
    else:
        sample = draw_sample(spec)
        rows_x = []
        for row in sample:
            rows_x.append({p.name: as_kind(p.kind, v) for p, v in zip(sampled, row, strict=True)})
    records = []
    point = 0
    for policies in spec.policies:
        for combo in itertools.product(*grid_levels):
            for s_idx, xs in enumerate(rows_x):
                rec: dict[str, Any] = {
                    "point": point,
                    "policies": policies,
                    "sample": s_idx if sample is not None else -1,
                }
                rec.update(fixed)
                rec.update({p.name: v for p, v in zip(grid_params, combo, strict=True)})
                rec.update(xs)
                records.append(rec)
                point += 1
    columns = ["point", "policies", "sample"] + [p.name for p in spec.parameters]
    return Design(pd.DataFrame.from_records(records, columns=columns), sample)


def _levels(p: ParamSpec) -> list[Any]:
    """The grid levels of a parameter given as a list of values or as a range with a step or levels."""
    if p.values is not None:
        return list(p.values)
    assert p.range is not None and p.range.levels is not None  # only such parameters are on the grid
    return list(p.range.levels)


def draw_sample(spec: SweepSpec) -> np.ndarray:
    # The sample's own seed comes from the root seed, so the design is part of the spec's identity.
    seed = int(np.random.SeedSequence(spec.seed, spawn_key=(2**31 - 1,)).generate_state(1)[0])
    problem = spec.problem()
    n = int(spec.samples or 0)
    match spec.sampler:
        case "lhs":
            from SALib.sample import latin

            return latin.sample(problem, n, seed=seed)
        case "sobol":
            from SALib.sample import sobol

            return sobol.sample(problem, n, calc_second_order=False, scramble=True, seed=seed)
        case "morris":
            from SALib.sample import morris

            return morris.sample(problem, n, num_levels=spec.morris_levels, seed=seed)
        case other:
            raise UrbanizeError(f"sampler '{other}' draws no sample")  # a validated spec never has one


def as_kind(kind: type, v: Any) -> Any:
    if kind is int:
        return int(round(float(v)))
    if kind is bool:
        return bool(round(float(v)))
    return float(v)


def spec_size(
    policies: Sequence[str],
    params: Sequence[ParamSpec],
    sampler: str,
    samples: int | None,
    replicates: int,
    households: int,
    months: int,
) -> limits.DesignSize:
    """The design's size, computed from the validated parts without building the design."""
    points = len(policies)
    for ps in params:
        if ps.values is not None:
            points *= len(ps.values)
        elif ps.range is not None and ps.range.levels is not None:
            points *= len(ps.range.levels)
    if sampler != "grid":
        n_ranges = sum(1 for ps in params if ps.range is not None and ps.range.levels is None)
        points *= limits.sampler_rows(sampler, int(samples or 0), n_ranges)
    return limits.design_size(points, replicates, households, months)
