"""Social assistance: dibao (minimum living standard) and one-off hardship aid (entitlements, no seats)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from urbanize.model.services.base import Entitlement
from urbanize.model.services.costs import COSTS

if TYPE_CHECKING:
    from urbanize.model.core import UrbanizationModel


def income_per_person(model: UrbanizationModel, rows: np.ndarray) -> np.ndarray:
    pop = model.pop
    persons = pop.persons(rows)
    return pop.income[rows] / np.maximum(persons, 1)


class Dibao(Entitlement):
    """Minimum living standard guarantee: a top-up to the line for households below it.

    Households with access (``service_access("dibao")``) get urban dibao at the urban line; local rural-hukou
    households without urban access get rural dibao at the rural line. An eligible household takes it up with
    monthly chance ``take_up`` and keeps it while eligible.
    """

    name = "dibao"
    sector = "social_assistance"
    cost_source = (
        "top-up to the city's dibao line (lines in the city file, assumed near 2009 municipal lines)"
    )

    def __init__(self, model: UrbanizationModel, line_urban: float, line_rural: float) -> None:
        super().__init__(model)
        model.pop.add_column("dibao", np.int8, 0, "receives dibao: 0 no, 1 urban, 2 rural")
        model.pop.add_column("dibao_amount", np.float32, 0.0, "dibao top-up, yuan/month")
        self.line_urban = float(line_urban)
        self.line_rural = float(line_rural)
        self.take_up = 0.5  # assumed monthly take-up among the newly eligible

    def apply(self, access: np.ndarray) -> None:
        pop, model = self.model.pop, self.model
        receiving = pop.dibao
        # income per person in 64-bit floats from the 16-bit persons column: the quotients of pop.persons() (64-bit
        # ints), without widening the persons first
        ipp_all = np.divide(pop.income, np.maximum(pop.size, 1), dtype=np.float64)
        cand = np.flatnonzero((ipp_all < max(self.line_urban, self.line_rural)) | (receiving > 0))
        persons = pop.persons(cand)
        ipp = ipp_all[cand]
        acc = access[cand] > 0
        rural_local = pop.hukou_local[cand] & ~pop.hukou_urban[cand] & ~acc
        line = np.where(acc, self.line_urban, np.where(rural_local, self.line_rural, 0.0))
        eligible = ipp < line
        was = receiving[cand] > 0
        new = eligible & ~was & (model.rng.random(cand.size) < self.take_up)
        now = eligible & (was | new)
        receiving[cand] = np.where(now, np.where(acc, 1, 2), 0)
        pop.dibao_amount[cand] = np.where(now, (line - ipp) * persons, 0.0)
        self.recipients = float(pop.weight[cand[now]].sum())

    def cost(self) -> float:
        pop = self.model.pop
        rows = np.flatnonzero(pop.dibao > 0)
        return float((pop.dibao_amount[rows] * pop.weight[rows]).sum())


class HardshipAid(Entitlement):
    """One-off aid to households hit by a hardship shock this month whose income falls below twice the urban
    dibao line, where the policies give access (seed ch.2 III: "one-off assistance to migrants in serious
    family difficulties such as disease, disaster and accidents")."""

    name = "hardship_aid"
    sector = "social_assistance"
    cost_source = COSTS["hardship_aid"][1]

    def __init__(self, model: UrbanizationModel, line: float) -> None:
        super().__init__(model)
        model.pop.add_column("aid_month", np.int16, -1000, "model month of the last one-off hardship aid")
        self.amount = COSTS["hardship_aid"][0]
        self.income_line = 2.0 * float(line)
        self.take_up = 0.8  # assumed
        self.paid = 0.0

    def apply(self, access: np.ndarray) -> None:
        pop, model = self.model.pop, self.model
        hit = np.flatnonzero(pop.hardship == 6)  # the shock struck this month (``model.life.shocks``)
        hit = hit[access[hit] > 0]
        hit = hit[income_per_person(model, hit) < self.income_line]
        got = hit[model.rng.random(hit.size) < self.take_up]
        pop.aid_month[got] = model.month
        self.recipients = float(pop.weight[got].sum())
        self.paid = self.amount * self.recipients

    def cost(self) -> float:
        return self.paid
