"""Training: vocational training places (city-wide) and the courses that raise heads' skill."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from urbanize.model.enums import Job, Skill
from urbanize.model.services.base import Service
from urbanize.model.services.costs import COSTS
from urbanize.model.services.draws import sample

if TYPE_CHECKING:
    from urbanize.model.core import UrbanizationModel


class Training(Service):
    """Vocational training places (city-wide). A course lasts ``course_months``; completing it raises the
    head's skill one level with chance ``success`` (higher skill finds jobs faster and more often formal,
    ``model.life.jobs``)."""

    name = "training"
    sector = "training"
    unit = "places"
    per_district = False
    default_unit_cost = COSTS["training"][0]
    cost_source = COSTS["training"][1]

    def __init__(self, model: UrbanizationModel) -> None:
        super().__init__(model)
        pop = model.pop
        pop.add_column("training_left", np.int8, 0, "months left of the current training course")
        pop.add_column("trained_month", np.int16, -1000, "model month the head last completed training")
        self.course_months = 3
        self.success = 0.8  # assumed share of courses that raise skill a level
        self.interest = 0.01  # assumed monthly chance an eligible head seeks training
        self.interest_unemployed = 0.04  # assumed, unemployed heads
        self.interest_boost = 1.0  # multiplier set by policies (coupons, employment services)
        self.completed = 0.0  # real heads completing a course this month
        self._interested = np.zeros(0, dtype=bool)

    def progress(self) -> None:
        """Courses advance a month; finished ones raise skill."""
        pop, model = self.model.pop, self.model
        held = self.held
        rows = np.flatnonzero(held > 0)
        self.completed = 0.0
        if rows.size == 0:
            return
        left = pop.training_left[rows] - 1
        pop.training_left[rows] = np.maximum(left, 0)
        done = rows[left <= 0]
        if done.size == 0:
            return
        held[done] = 0
        pop.trained_month[done] = model.month
        up = done[model.rng.random(done.size) < self.success]
        pop.skill[up] = np.minimum(pop.skill[up] + 1, int(Skill.HIGH))
        self.completed = float(pop.weight[done].sum())

    def draw_interest(self) -> None:
        pop, model = self.model.pop, self.model
        # plain ints (``int(Skill.HIGH)``): numpy compares an int8 column with an IntEnum member ten times slower
        cand = np.flatnonzero(
            (pop.head_age < 50) & (pop.skill < int(Skill.HIGH)) & (pop.trained_month < model.month - 24)
        )
        self._interested = np.zeros(pop.n, dtype=bool)
        unemployed = pop.job[cand] == int(Job.NONE)
        # compress: the same rows as boolean indexing, several times faster on a mask scattered over the rows
        groups = ((cand.compress(unemployed), self.interest_unemployed), (cand.compress(~unemployed), self.interest))
        for group, p in groups:
            self._interested[sample(model.rng, group, min(p * self.interest_boost, 1.0))] = True

    def need_all(self) -> np.ndarray:
        pop = self.model.pop
        interested = self._interested if self._interested.size == pop.n else np.zeros(pop.n, dtype=bool)
        return ((self.held > 0) | (self.waiting > 0) | interested).astype(np.int16)

    def on_admit(self, rows: np.ndarray, units: np.ndarray) -> None:
        self.model.pop.training_left[rows] = self.course_months
