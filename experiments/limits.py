"""Upper limits of what one command may ask for, and the size of a design before it is built.

Every limit lives here (the model's own ceilings, :data:`MAX_HOUSEHOLDS` and :data:`MAX_MONTHS`, are defined in
``model/core.py`` and re-exported), so the run, compare and sweep commands and the sweep-file validator refuse
the same things with the same words. A design's size is computed arithmetically from the spec (levels per
parameter, sampler rows, packages, replicates) *before* any design table or sample is drawn, so an absurd
design (``step = 1e-10``, ``samples = 1000000000``) is refused in one line, with its figure, instead of
exhausting memory.

Estimates (assumed, measured on the 2-core development machine, docs/experiments.md "Limits"):

* model time per run: :data:`SECONDS_PER_HOUSEHOLD_MONTH` x households x months plus
  :data:`SECONDS_PER_RUN_SETUP` (README: a Changshu run of 5,000 households over 10 years takes about a second on
  one core, 1.7e-6 s per household-month with its set-up; about 40 ms per month at 100,000 households, 4e-7 s;
  1e-6 sits between them: an order of magnitude, not a promise);
* memory of one worker: :data:`BYTES_PER_HOUSEHOLD` per household (README: 1.9 GB for Zhengzhou's 2.4 million
  households at full scale, about 800 bytes each; rounded up) plus 200 MB for the interpreter and libraries;
* output: one Parquet row per month and run, about :data:`BYTES_PER_ROW` bytes compressed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from urbanize.model.core import DEFAULT_HOUSEHOLDS, MAX_HOUSEHOLDS, MAX_MONTHS

__all__ = [
    "DEFAULT_HOUSEHOLDS",
    "MAX_HOUSEHOLDS",
    "MAX_MONTHS",
    "MAX_YEARS",
    "MIN_HOUSEHOLDS",
    "MAX_RUNS",
    "MAX_LEVELS",
    "MAX_SEED",
    "DesignSize",
    "design_size",
]

MIN_HOUSEHOLDS = 20  # the model's own minimum (model/core.py)
MAX_YEARS = MAX_MONTHS // 12
# A sweep of a million runs at the smallest size is days of CPU on a workstation and a few GB of Parquet: a
# larger design is almost certainly a typo (a step too small, an extra zero), assumed.
MAX_RUNS = 1_000_000
MAX_LEVELS = 10_000  # levels of one grid parameter (from 'step' or 'levels'); same reasoning, assumed
MAX_SEED = 2**63 - 1  # seeds are stored in Parquet int64 metadata columns
MAX_MORRIS_LEVELS = 100  # SALib's Morris grid; more levels than this only slows the sampler (assumed)

SECONDS_PER_HOUSEHOLD_MONTH = 1e-6
SECONDS_PER_RUN_SETUP = 0.3
BYTES_PER_HOUSEHOLD = 1_000
WORKER_BASE_BYTES = 200e6
BYTES_PER_ROW = 1_500


@dataclass(frozen=True)
class DesignSize:
    """The size of a design and what running it would cost (estimates, see the module docstring)."""

    points: int
    replicates: int
    households: int
    months: int

    @property
    def runs(self) -> int:
        return self.points * self.replicates

    @property
    def cpu_seconds(self) -> float:
        per_run = SECONDS_PER_RUN_SETUP + SECONDS_PER_HOUSEHOLD_MONTH * self.households * self.months
        return self.runs * per_run

    @property
    def worker_bytes(self) -> float:
        return WORKER_BASE_BYTES + BYTES_PER_HOUSEHOLD * self.households

    @property
    def output_bytes(self) -> float:
        return self.runs * (self.months + 1) * BYTES_PER_ROW

    def describe(self) -> str:
        return (
            f"{self.points:,} design points x {self.replicates:,} replicates = {self.runs:,} runs; "
            f"estimated {_duration(self.cpu_seconds)} of CPU, {_bytes(self.worker_bytes)} per worker, "
            f"{_bytes(self.output_bytes)} of output"
        )

    def problem(self) -> str | None:
        """One line when the design is too large to run, else None."""
        if self.runs > MAX_RUNS:
            return (
                f"the design has {self.points:,} design points x {self.replicates:,} replicates = "
                f"{self.runs:,} runs (estimated {_duration(self.cpu_seconds)} of CPU, {_bytes(self.output_bytes)} of "
                f"output), more than the limit of {MAX_RUNS:,} runs; use fewer levels, samples or replicates"
            )
        return None


def design_size(points: int, replicates: int, households: int, months: int) -> DesignSize:
    return DesignSize(int(points), int(replicates), int(households), int(months))


def sampler_rows(sampler: str, samples: int, n_ranges: int) -> int:
    """Rows a SALib sampler draws: LHS N, Sobol (first and total order) N(D+2), Morris N(D+1)."""
    match sampler:
        case "lhs":
            return samples
        case "sobol":
            return samples * (n_ranges + 2)
        case "morris":
            return samples * (n_ranges + 1)
    return 1


def step_levels(lo: float, hi: float, step: float) -> float:
    """How many levels ``min, min + step, ... <= max`` gives (a float: it may be astronomically large)."""
    q = (hi - lo) / step
    return math.floor(q + 1e-9) + 1 if math.isfinite(q) else math.inf


def _duration(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    if seconds < 3 * 86400:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:,.0f} days"


def _bytes(n: float) -> str:
    for unit in ("B", "kB", "MB", "GB"):
        if n < 1000:
            return f"{n:.0f} {unit}"
        n /= 1000
    return f"{n:,.1f} TB"
