"""Arrivals of new migrant households (schedule phase 3).

The expected number of arriving households a month is

    migrant households x arrival_rate x exp(ht_elasticity x (ln R - ln R0)) x (1 + access_pull x (A - A0))

where R is the Harris-Todaro ratio of expected urban income (wage times the chance of a job) to origin income,
A the migrants' mean access to services, and R0, A0 their values at the start, so that the status quo keeps
its calibrated inflow. A share ``chain_share`` of arrivals follows a tie to a household already here: it
shares that household's hometown and, half the time, its district, and is tied to it.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from urbanize.model.enums import HouseholdType
from urbanize.model.network import HOMETOWN, NEIGHBOUR, ties_within_groups
from urbanize.model.synth import new_households, place_in_cells

if TYPE_CHECKING:
    from urbanize.model.core import UrbanizationModel

TIE_SAMPLE = 20_000  # residents among whom an arrival's further ties are drawn


def expected_arrivals(model: UrbanizationModel) -> float:
    """Expected number of arriving household agents this month."""
    b = model.behaviour
    pop = model.pop
    migrants = int(np.count_nonzero(pop.htype == HouseholdType.MIGRANT))
    ratio = max(model.labour.income_ratio(), 1e-9)
    pull = math.exp(b.ht_elasticity * (math.log(ratio) - math.log(model.labour.reference_ratio)))
    access = 1.0 + b.access_pull * (model.migrant_access() - model.reference_access)
    return migrants * b.arrival_rate * pull * max(access, 0.0)


def arrive(model: UrbanizationModel) -> np.ndarray:
    """Add this month's arrivals; returns their rows."""
    rng, pop = model.rng, model.pop
    k = int(rng.poisson(expected_arrivals(model)))
    if k == 0:
        return np.empty(0, dtype=np.int64)
    cols = new_households(model, "migrant", k, model.type_weight["migrant"], arriving=True)
    migrant_rows = np.flatnonzero(pop.htype == HouseholdType.MIGRANT)
    chain = rng.random(k) < model.behaviour.chain_share
    contacts = np.full(k, -1, dtype=np.int64)
    if migrant_rows.size:
        contacts[chain] = rng.choice(migrant_rows, size=int(chain.sum()))
        has = contacts >= 0
        cols["hometown"][has] = pop.hometown[contacts[has]]
        same_district = has & (rng.random(k) < 0.5)
        cols["district"][same_district] = pop.district[contacts[same_district]]
    # a dwelling of the tenure drawn where one is vacant, else a private rental, else an urban-village room
    cols["district"], cols["residence"] = model.housing.place(
        cols["district"], cols["residence"], cols["weight"], cols["htype"]
    )
    cols["cell_x"], cols["cell_y"] = place_in_cells(rng, model.profile, cols["district"])
    rows = pop.append(k, **cols)
    model.network.add(rows[contacts >= 0], contacts[contacts >= 0], HOMETOWN)
    # further ties among a random sample of residents (sorting everyone each month would dominate the step)
    sample = (
        rng.choice(pop.n, size=min(pop.n, TIE_SAMPLE), replace=False)
        if pop.n > TIE_SAMPLE
        else np.arange(pop.n)
    )
    s, d = ties_within_groups(rng, pop.hometown[rows], rows, 2, sample, pop.hometown[sample])
    model.network.add(s, d, HOMETOWN)
    s, d = ties_within_groups(
        rng, pop.district[rows].astype(np.int64), rows, 1, sample, pop.district[sample].astype(np.int64)
    )
    model.network.add(s, d, NEIGHBOUR)
    model.flows["arrivals"] += float((pop.persons(rows) * pop.weight[rows]).sum())
    model.on_arrival(rows)
    return rows
