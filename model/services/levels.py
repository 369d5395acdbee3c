"""Pre-school (kindergarten, ages 3-5) and senior middle school (ages 15-17): the levels around compulsory education.

Seed ch.2 II.2 (Zhengzhou, education, current situation): "pre-school education significantly lags behind"; its
monitoring indicators ask for the "average number of students per class in primary, junior middle and senior
middle schools" and the "enrolment rate for migrant children, and by appropriate ages". Both levels exist at the
start (the city file's ``[services]`` section, or :data:`model.services.calibration.DEFAULTS`), and neither is
free or compulsory:

* :class:`Kindergarten`: places per district. Every family pays the fee (``preschool_fee``); the city pays a
  budgetary share per child (``costs.COSTS["kindergarten"]``). Local hukou children are admitted first (public
  kindergartens enrolled their district's registered children first; assumed), then the longest waiting. About half
  the places are private ("non-government funded") and, like private migrant schools, open and close with the
  demand of the families who would pay, with a lag (:meth:`Kindergarten.adjust`); the public ones change only when a
  policy builds them (``preschool_expansion``).
* :class:`SeniorSchool`: public seats counted in classes like the compulsory levels (``class_size_norm_senior``),
  without a guaranteed seat for anyone: admission goes through the city's entrance examination, which only
  hukou holders (and pupils a policy admits, ``exam_rules``) may sit. Examination candidates are admitted first,
  others (non-hukou "borrowing" pupils) only into planned seats left, paying ``senior_fee_nonlocal`` on top of the
  tuition (``senior_tuition``). Because the gaokao must be taken in the hukou province (until Guo Ban Fa [2012]
  No. 46), a share ``gaokao_away_share`` of non-hukou families keeps no teenager in a city senior middle school.

Take-up (:func:`level_choice`) uses the fee tolerance of the compulsory levels (``take_up.fee_tolerance``): a
family seeks a place of a level when that level's fees fit what is left of its tolerance after the compulsory
fees it pays. Every random draw of these levels (starting enrolment, allocation tie-breaks, the persistent
``away_taste``) comes from a generator of their own (``model.streams.child_rng``), so adding them changes no other
draw of a run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from urbanize.model.services.base import Service
from urbanize.model.services.costs import COSTS
from urbanize.model.services.schools import PublicSchool, kept_or_all
from urbanize.model.services.take_up import fee_tolerance, private_fee
from urbanize.model.streams import child_rng

if TYPE_CHECKING:
    from urbanize.model.core import UrbanizationModel
    from urbanize.model.services.city import CityServices

#: Key of the generator of the pre-school and senior-middle levels among the children of the model's seed sequence.
_RNG_KEY = 30_317
#: Priority bonus of the first-served group (whole months waited are far below it).
_FIRST = 10_000.0


def add_columns(model: UrbanizationModel) -> None:
    """The columns of the two levels' take-up rule."""
    pop = model.pop
    pop.add_column(
        "pays_preschool", np.bool_, True, "the family would pay kindergarten fees for its children 3-5"
    )
    pop.add_column(
        "pays_senior", np.bool_, True, "the family would pay senior-middle fees for its children 15-17"
    )
    pop.add_column(
        "exam_here", np.bool_, True, "the family's children may sit the city's senior-middle entrance exam"
    )
    pop.add_column(
        "away_taste",
        np.float32,
        0.5,
        "persistent taste for schooling teenagers where the gaokao is taken, uniform",
    )


class Kindergarten(Service):
    """Kindergarten places per district (ages 3-5): fee-paying, local hukou children admitted first.

    ``private`` places (per district) are private kindergartens' and follow demand: each month they move
    ``response`` of the way to the paying demand (children enrolled and queued) that the public places leave, plus
    ``slack`` spare places (:meth:`adjust`). Sourced: private kindergartens held 47.0 % of the children enrolled in
    2010 and took 83 % of the growth of 2009-2010 (13.99 of 29.77 million children; +2.65 of +3.19 million; MOE
    education statistics for 2010), so private supply answered demand within a year; the city file's
    ``preschool_private_share`` sets the starting share. Assumed: the lag of private migrant schools (a third of
    the gap closed a month). Without it, places were fixed at the start while the migrant cohort of children 3-5
    grew, local children took the places others left first, and migrant enrolment fell from 0.32 to 0.22 in ten
    years in Zhengzhou (0.39 to 0.19 in Changshu) with a queue from the first months.
    """

    name = "kindergarten"
    sector = "education"
    unit = "places"
    kids_col = "kids_3_5"
    cost_source = COSTS["kindergarten"][1]

    def __init__(self, model: UrbanizationModel, rng: np.random.Generator) -> None:
        super().__init__(model)
        self._rng = rng
        self.unit_cost = COSTS["kindergarten"][0]
        self.subsidy = 0.0  # yuan per child-month the city pays to lower the fee (``preschool_expansion``)
        self.private = np.zeros(self.capacity.size)  # places of private kindergartens, per district
        self.response = 1.0 / 3.0  # share of the gap to demand private places close a month (assumed, see above)
        self.slack = 0.0  # spare places kept, as a share of demand (the city file's ``preschool_slack``)

    def adjust(self, used: np.ndarray | None = None, queued: np.ndarray | None = None) -> None:
        """Private kindergartens open or close places: per district, private places move ``response`` of the way
        to the paying demand (children enrolled plus children queued) that the public places do not meet, plus
        ``slack`` spare places; public places (the rest of the capacity) stay as they are (``used``, ``queued``:
        :meth:`used`, :meth:`queued` when the caller has them)."""
        used = self.used() if used is None else used
        queued = self.queued() if queued is None else queued
        public = np.maximum(self.capacity - self.private, 0.0)
        target = np.maximum((used + queued) * (1.0 + self.slack) - public, 0.0)
        self.private = np.maximum(self.private + self.response * (target - self.private), 0.0)
        self.set_capacity(public + self.private)

    @property
    def rng(self) -> np.random.Generator:
        return self._rng

    def fee(self) -> float:
        """The fee a family pays per child-month, after the city's subsidy."""
        return max(self.model.behaviour.preschool_fee - self.subsidy, 0.0)

    def need_all(self) -> np.ndarray:
        """Children 3-5 where the family would pay the fee; a family that would not keeps the places it holds."""
        pop = self.model.pop
        kids = pop.kids_3_5
        return kept_or_all(self.held, kids, pop.pays_preschool)

    def default_priority(self, rows: np.ndarray) -> np.ndarray:
        """Local hukou children first, then the longest waiting."""
        return self.model.pop.hukou_local[rows] * _FIRST + self.waiting_months[rows]

    def cost(self) -> float:
        """The city's budgetary share and its fee subsidy per child enrolled."""
        return (self.unit_cost + self.subsidy) * float(self.used_after.sum())

    def fees(self) -> float:
        return self.fee() * float(self.used_after.sum())

    def unit_budget(self) -> float:
        """The city's share and its fee subsidy per place, as :meth:`cost` counts them per child."""
        return self.unit_cost + self.subsidy

    def cost_by_hukou(self) -> tuple[float, float]:
        """(local, non-local) split of :meth:`cost` by the child's hukou."""
        nonlocal_ = (self.unit_cost + self.subsidy) * _nonlocal_units(self)
        return self.cost() - nonlocal_, nonlocal_


class SeniorSchool(PublicSchool):
    """Public senior middle school seats (ages 15-17), counted in classes; no guaranteed seat (see the module)."""

    name = "senior_school"
    kids_col = "kids_15_17"
    cost_source = COSTS["senior_school"][1]

    def __init__(
        self, model: UrbanizationModel, norm: float, max_class: float, rng: np.random.Generator
    ) -> None:
        super().__init__(model, norm, max_class)
        self._rng = rng
        self.unit_cost = COSTS["senior_school"][0]
        #: rules (``rows -> mask``) of pupils a policy lets sit the city's entrance examination, ORed with hukou
        self.exam_rules: list[Any] = []

    @property
    def rng(self) -> np.random.Generator:
        return self._rng

    def exam_here(self, rows: np.ndarray) -> np.ndarray:
        """May the children of ``rows`` sit the city's senior-middle entrance examination?"""
        ok = self.model.pop.hukou_local[rows].copy()
        for rule in self.exam_rules:
            ok |= np.asarray(rule(rows), dtype=bool)
        return ok

    def need_all(self) -> np.ndarray:
        pop = self.model.pop
        kids = pop.kids_15_17
        return kept_or_all(self.held, kids, pop.pays_senior)

    def guaranteed(self, rows: np.ndarray) -> np.ndarray:
        """Nobody: senior middle school is not compulsory, so no child is owed a seat."""
        return np.zeros(rows.size, dtype=bool)

    def default_priority(self, rows: np.ndarray) -> np.ndarray:
        """Examination candidates first, then the longest waiting."""
        return self.model.pop.exam_here[rows] * _FIRST + self.waiting_months[rows]

    def _borrowing(self) -> float:
        """Pupils (persons) who may not sit the examination here and pay the borrowing fee."""
        pop = self.model.pop
        return float((self.held * pop.weight * ~pop.exam_here).sum())

    def cost(self) -> float:
        """Budgetary expenditure per pupil; fees are the households' own spending, booked apart."""
        return self.unit_cost * float(self.used_after.sum())

    def fees(self) -> float:
        b = self.model.behaviour
        return b.senior_tuition * float(self.used_after.sum()) + b.senior_fee_nonlocal * self._borrowing()

    def cost_by_hukou(self) -> tuple[float, float]:
        nonlocal_ = self.unit_cost * _nonlocal_units(self)
        return self.cost() - nonlocal_, nonlocal_


def _nonlocal_units(svc: Service) -> float:
    """Units of ``svc`` held by non-hukou households (real persons)."""
    pop = svc.model.pop
    return float((svc.held * pop.weight * ~pop.hukou_local).sum())


def create(
    model: UrbanizationModel, cfg: dict[str, Any]
) -> tuple[Kindergarten, SeniorSchool, np.random.Generator]:
    """The two services, sharing one generator of their own."""
    rng = child_rng(model, _RNG_KEY)
    return (
        Kindergarten(model, rng),
        SeniorSchool(model, cfg["class_size_norm_senior"], cfg["max_class_size"], rng),
        rng,
    )


def draw_tastes(services: CityServices, rows: np.ndarray) -> None:
    """Persistent ``away_taste`` of households entering the rows (the levels' own generator)."""
    services.model.pop.away_taste[rows] = services.levels_rng.random(rows.size).astype(np.float32)


def level_choice(services: CityServices) -> None:
    """For every family with children 3-5 or 15-17, decide whether it would pay each level's fees
    (``pays_preschool``, ``pays_senior``) and whether its teenagers may sit the city's examination (``exam_here``).

    What a family pays for compulsory schooling (public fees, or private tuition for children without a public
    seat) comes off its tolerance first. A non-hukou family whose teenagers may not sit the examination here pays
    the borrowing fee on top of the tuition, and one with ``away_taste < gaokao_away_share`` keeps no teenager in a
    city senior middle school (they study where the gaokao is taken)."""
    model = services.model
    pop, b = model.pop, model.behaviour
    k35, k1517 = pop.kids_3_5, pop.kids_15_17
    rows = np.flatnonzero((k35 > 0) | (k1517 > 0))
    if rows.size == 0:
        return
    nonlocal_ = ~pop.hukou_local[rows]
    compulsory = (
        nonlocal_
        * (
            services.primary.fee_nonlocal * pop.use_primary_school[rows]
            + services.junior.fee_nonlocal * pop.use_junior_school[rows]
        )
        + private_fee(services) * pop.use_private_migrant_school[rows]
    )
    left = fee_tolerance(model, rows) - compulsory
    pop.pays_preschool[rows] = services.kindergarten.fee() * k35[rows] <= left
    exam = services.senior.exam_here(rows)
    pop.exam_here[rows] = exam
    senior_fee = b.senior_tuition + ~exam * b.senior_fee_nonlocal
    away = ~exam & (pop.away_taste[rows] < b.gaokao_away_share)
    pop.pays_senior[rows] = (senior_fee * k1517[rows] <= left) & ~away


def _start_chance(services: CityServices, level: str, kids: np.ndarray, pays: np.ndarray) -> np.ndarray:
    """Chance that a family holds places at the start: among the families that would pay, the share that makes the
    group's enrolment (local or non-local children) the city file's starting share, or all of them if fewer pay."""
    pop, cfg = services.model.pop, services.config
    out = np.zeros(pop.n)
    for local, key in ((True, "local"), (False, "migrant")):
        group = pop.hukou_local == local
        children = float((kids * pop.weight * group).sum())
        paying = float((kids * pop.weight * (group & pays)).sum())
        share = cfg[f"{level}_enrolment_start_{key}"]
        out[group & pays] = min(share * children / paying, 1.0) if paying > 0 else 0.0
    return out


def calibrate(services: CityServices) -> None:
    """Starting enrolment and capacity (called once incomes exist, ``CityServices.settle``): the families that would
    pay hold places, local and non-local children with the city file's starting shares (drawn per family);
    kindergarten places are the children enrolled plus ``preschool_slack``, ``preschool_private_share`` of them
    private; senior classes hold
    ``class_size_start_senior`` pupils. The start is the city of 2009, before any pilot: the choice ignores the
    fee subsidies and examination rules policies have set up, so every policy starts from the same state."""
    model, cfg, rng = services.model, services.config, services.levels_rng
    pop = model.pop
    n, w = pop.n, pop.weight
    nd = len(model.profile.districts)
    district = pop.district.astype(np.int64)
    kg, senior = services.kindergarten, services.senior
    subsidy, rules = kg.subsidy, senior.exam_rules
    kg.subsidy, senior.exam_rules = 0.0, []
    try:
        level_choice(services)
    finally:
        kg.subsidy, senior.exam_rules = subsidy, rules
    u = rng.random((2, n))
    kg.held[:] = np.where(
        u[0] < _start_chance(services, "preschool", pop.kids_3_5, pop.pays_preschool), pop.kids_3_5, 0
    )
    kg.set_capacity(kg.used() * (1 + cfg["preschool_slack"]))
    kg.private = kg.capacity * cfg["preschool_private_share"]
    kg.slack = float(cfg["preschool_slack"])
    chance = _start_chance(services, "senior", pop.kids_15_17, pop.pays_senior)
    senior.held[:] = np.where(u[1] < chance, pop.kids_15_17, 0)
    pupils = np.bincount(district, weights=senior.held * w, minlength=nd)
    start_size = float(cfg["class_size_start_senior"])
    senior.open_size = np.full(nd, max(senior.norm, start_size))
    senior.set_classes(pupils / start_size)
    for svc in (kg, senior):
        svc.mark_held_here()
        svc.used_after = svc.used()


__all__ = [
    "Kindergarten",
    "SeniorSchool",
    "add_columns",
    "calibrate",
    "create",
    "draw_tastes",
    "level_choice",
]
