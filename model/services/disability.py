"""Persons with disability (Jinnan, "help for the disabled"): a count per household and who receives assistance.

Seed ch.2 IV.2 (Jinnan, community public services): "Social welfare: help for the disabled, help for elderly care";
indicator "number and percentage of disabled persons receiving assistance and welfare".

* **State.** ``disabled`` counts a household's persons with disability. Each person is disabled with chance
  :data:`DISABLED_SHARE` (the second national sample survey on disability, 2006: 6.34 % of the population), drawn
  when the household enters the model (start, arrival, formation); the count is clipped to the household's
  persons when members die or leave (no onset during a run: the share is a stock over a few years).
* **Assistance.** Under the status quo a disabled person is assisted when the household receives dibao (the
  survey's disabled were assisted mostly through the minimum living standard guarantee);
  ``disability_assistance`` adds a disability allowance (``disability_aid``: persons receiving it).
* **Randomness** comes from a generator of its own derived from the model's seed sequence (as in
  ``elderly_care``), so the state changes no other draw of a run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from urbanize.model.streams import child_rng

if TYPE_CHECKING:
    from urbanize.model.core import UrbanizationModel

#: Share of persons with disability (2006 second China national sample survey on disability: 82.96 million,
#: 6.34 % of the population).
DISABLED_SHARE = 0.0634
_RNG_KEY = 60_634


class Disability:
    """Persons with disability per household (``model.services.disability``)."""

    def __init__(self, model: UrbanizationModel) -> None:
        self.model = model
        self.rng = child_rng(model, _RNG_KEY)
        model.pop.add_column("disabled", np.int8, 0, "persons with disability in the household")
        model.pop.add_column("disability_aid", np.int8, 0, "persons receiving a disability allowance")

    def draw(self, rows: np.ndarray) -> None:
        """Persons with disability of ``rows`` (on entering the model)."""
        pop = self.model.pop
        pop.disabled[rows] = self.rng.binomial(pop.persons(rows).astype(np.int64), DISABLED_SHARE).astype(np.int8)
        pop.disability_aid[rows] = 0

    def clip(self) -> None:
        """Deaths and departures of members: no more disabled (or aided) persons than persons."""
        pop = self.model.pop
        # the 16-bit persons column, not pop.persons() (widened to 64 bits): the same minimum, a pass cheaper
        np.minimum(pop.disabled, pop.size, out=pop.disabled, casting="unsafe")
        np.minimum(pop.disability_aid, pop.disabled, out=pop.disability_aid)

    def assisted(self) -> np.ndarray:
        """Disabled persons assisted per row: all of a dibao household's, else those with the allowance."""
        pop = self.model.pop
        return np.where(pop.dibao > 0, pop.disabled, pop.disability_aid)


__all__ = ["DISABLED_SHARE", "Disability"]
