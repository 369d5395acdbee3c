"""Generators of their own, derived from the model's seed: a part of the model that draws from one changes no
other draw of a run, so runs stay paired (common random numbers) when that part changes.

Keys in use: the starting migrants' history 20_090 (model/synth.py), pre-school and senior middle 30_317
(model/services/levels.py), elderly care 60_601 (model/services/elderly_care.py), disability 60_634, the rural cooperative medical scheme
60_662, health records 60_671 (policies/health_records.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from urbanize.model.core import UrbanizationModel


def child_rng(model: UrbanizationModel, key: int) -> np.random.Generator:
    """A generator of its own (``key``), derived from the model's seed sequence without advancing or spawning from
    it: a state that must exist under the status quo draws from it and changes no other draw of a run."""
    seq = getattr(model.rng.bit_generator, "seed_seq", None)
    if not isinstance(seq, np.random.SeedSequence):
        return np.random.default_rng(np.random.SeedSequence(0, spawn_key=(key,)))
    return np.random.default_rng(
        np.random.SeedSequence(seq.entropy, spawn_key=(*seq.spawn_key, key), pool_size=seq.pool_size)
    )
