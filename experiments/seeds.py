"""Seed streams of a sweep (docs/experiments.md).

Every run's generator is spawned from the sweep's root seed by run id with :class:`numpy.random.SeedSequence`
(``spawn_key``), never by drawing from a shared generator, so a run's result depends only on the root seed and
its id: not on run order, executor or worker count.

Under common random numbers (the default) the stream key is the replicate alone: replicate ``r`` of every design
point gets the same stream, so two policy packages (or two parameter values) are compared on the same simulated
population and shocks, and their difference is paired. With ``common_random_numbers = false`` the key is
``(replicate, point)`` and every run is independent.
"""

from __future__ import annotations

import numpy as np

# Spawn keys below this value identify replicates; sampler seeds use keys far away from them.
_INDEPENDENT_TAG = 1


def run_id(point: int, replicate: int) -> str:
    """The id of replicate ``replicate`` of design point ``point`` (also its file name)."""
    return f"p{point:05d}-r{replicate:04d}"


def parse_run_id(rid: str) -> tuple[int, int]:
    p, r = rid.split("-")
    return int(p[1:]), int(r[1:])


def spawn_key(point: int, replicate: int, common_random_numbers: bool = True) -> tuple[int, ...]:
    """The ``SeedSequence.spawn_key`` of one run."""
    if common_random_numbers:
        return (replicate,)
    return (replicate, _INDEPENDENT_TAG, point)


def run_seed(
    root: int, point: int, replicate: int, common_random_numbers: bool = True
) -> np.random.SeedSequence:
    """The seed sequence of one run, spawned from ``root`` by run id.

    Equal to ``np.random.SeedSequence(root).spawn(R)[replicate]`` under common random numbers.
    """
    return np.random.SeedSequence(root, spawn_key=spawn_key(point, replicate, common_random_numbers))
