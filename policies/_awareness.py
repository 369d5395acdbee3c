"""Outreach that makes households aware of a policy topic at once (notices, offices, village mobilisation).

``model.awareness.boost`` records an outreach chance in phase 1 for the spread in phase 4, but rows move and
the population grows in between (departures, deaths, arrivals), and the spread then drops the boost (shape
mismatch) or applies it to the wrong rows. Until the core keys outreach by household, policies draw their
outreach here, when they act: a household reached learns of ``topic`` with chance ``chance``, independently of
ties and media, which is the same per-month chance the spread formula
``1 - (1 - contact)^ties (1 - media) (1 - outreach)`` gives.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from model.core import UrbanizationModel


def inform(model: UrbanizationModel, topic: str, rows: np.ndarray, chance: float) -> None:
    """Make each of ``rows`` aware of ``topic`` with probability ``chance`` (one draw per row, ``model.rng``)."""
    if rows.size == 0 or chance <= 0:
        return
    aware = model.awareness.of(topic)
    aware[rows] |= model.rng.random(rows.size) < chance
