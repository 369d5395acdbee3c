"""Arrivals of new migrant households (schedule phase 3).

The expected number of arriving households a month is

    H x arrival_rate x (R / ht_reference_ratio) ** ht_elasticity x max(1 + access_pull x (A - access_reference), 0)

where H is the number of households without local hukou (the migrant base that chain migration draws on), R the
Harris-Todaro ratio of a migrant's expected urban income here (wage for job, skill and hukou, times the chance of a
job: ``LabourMarket.expected_urban_income``) to origin income, and A the migrants' mean access to services. The
reference ratio and reference access are the same for every city, so a city with higher wages, more jobs or more
open services against origin income draws more (Harris and Todaro 1970); the inflow is not normalised to a city's
own starting point. What bounds a city is its labour market: arrivals crowd it, wages and job finding fall
(``model.labour``), expected income falls and unemployed households return. A share ``chain_share`` of arrivals
follows a tie to a household already here: it shares that household's hometown and, half the time, its district,
and is tied to it.

Arrivals come after the month's jobs and incomes (schedule phase 2), so an arriving household's income is computed
as it arrives, from the job it came with, at this month's wages: it earns from its first month (issue 9).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from urbanize.model.life import update_income
from urbanize.model.network import HOMETOWN, NEIGHBOUR, ties_within_groups
from urbanize.model.synth import new_households, place_in_cells

if TYPE_CHECKING:
    from urbanize.model.core import UrbanizationModel

TIE_SAMPLE = 20_000  # residents among whom an arrival's further ties are drawn


def pull(model: UrbanizationModel) -> float:
    """Arrivals per household of the migrant base per month, before the Poisson draw."""
    b = model.behaviour
    ratio = max(model.labour.income_ratio(), 1e-9)
    income = (ratio / b.ht_reference_ratio) ** b.ht_elasticity
    access = max(1.0 + b.access_pull * (model.migrant_access() - b.access_reference), 0.0)
    return b.arrival_rate * income * access


def expected_arrivals(model: UrbanizationModel) -> float:
    """Expected number of arriving household agents this month."""
    base = int(np.count_nonzero(~model.pop.hukou_local))
    return base * pull(model)


def arrive(model: UrbanizationModel) -> np.ndarray:
    """Add this month's arrivals; returns their rows."""
    rng, pop = model.rng, model.pop
    k = int(rng.poisson(expected_arrivals(model)))
    if k == 0:
        return np.empty(0, dtype=np.int64)
    cols = new_households(model, "migrant", k, model.type_weight["migrant"], arriving=True)
    migrant_rows = np.flatnonzero(~pop.hukou_local)
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
    update_income(model, rows)  # after on_arrival: the pension scheme it enters is part of its income
    return rows
