"""Households: the model's agents (docs/model.md, sections 2 and 7.4).

Household state lives column-wise in ``model.pop``. Each decision is written once, as a class method
vectorized over the rows of one household type, and subtypes override only the decisions that differ
(the ``Animal`` / ``Sheep`` / ``Wolf`` pattern of Mesa's wolf-sheep example). A ``Household`` object is a Mesa
agent that reads and writes its own row; it is for the app, inspection and users' extensions, and is created
lazily above workshop sizes.

Every decision draws from ``model.rng``. Coefficients are fields of ``model.params.BehaviourParams``. Columns are
compared with plain ints (``int(Registration.REGISTERED)``): numpy compares an int8 column with an IntEnum member
ten times slower.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

import mesa
import numpy as np
from scipy.special import expit

from urbanize.model.enums import HouseholdType, Job, Registration
from urbanize.model.population import COLUMNS, StaleHousehold
from urbanize.policies.base import Transition

if TYPE_CHECKING:
    from urbanize.model.core import UrbanizationModel


def logit_chance(utility: Callable[..., Any], *flags: np.ndarray) -> np.ndarray:
    """``expit(utility(*flags))`` at every row, for a utility made of terms in boolean ``flags`` (one array each,
    over the same rows) and constants. It takes one of ``2**len(flags)`` values: each is computed once, by the same
    arithmetic on the same operands (so to the same bits; ``expit`` is elementwise), and looked up by the row's
    flags, instead of the sums and ``expit`` over every row."""
    combos = [np.arange(2 ** len(flags)) >> i & 1 == 1 for i in range(len(flags))]
    table = expit(utility(*combos))
    code = np.zeros(flags[0].size, dtype=np.int8)
    for i, flag in enumerate(flags):
        code |= flag.view(np.int8) << np.int8(i)
    return table[code]


class Household(mesa.Agent):
    """One household agent: a view of its row in the model's column store.

    Attribute access (``hh.head_age``, ``hh.reg``, any column a service or policy added) reads the row; assignment
    writes it. A household that has left or died out raises ``StaleHousehold`` on access.
    """

    htype: ClassVar[HouseholdType]

    def __init__(self, model: UrbanizationModel, uid: int) -> None:
        super().__init__(model)
        self.__dict__["uid"] = int(uid)

    # --- the row view --------------------------------------------------------------------------------------
    @property
    def row(self) -> int:
        return self.model.pop.row_of(self.uid)

    @property
    def alive(self) -> bool:
        uid = self.uid
        rows = self.model.pop.rows_of(np.array([uid]))
        return bool(rows[0] >= 0)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or name in ("model", "uid"):
            raise AttributeError(name)
        pop = self.model.pop
        if name in pop.columns:
            return pop.col(name)[self.row].item()
        raise AttributeError(f"{type(self).__name__} has no attribute '{name}'")

    def __setattr__(self, name: str, value: Any) -> None:
        pop = self.__dict__.get("model") and self.model.pop
        if pop is not None and name in pop.columns:
            pop.col(name)[self.row] = value
        else:
            super().__setattr__(name, value)

    @property
    def persons(self) -> int:
        return int(self.model.pop.persons(np.array([self.row]))[0])

    @property
    def registration(self) -> Registration:
        return Registration(self.reg)

    @property
    def cell(self) -> Any:
        """The map cell of the household (for Mesa's space renderer)."""
        return self.model.grid._cells[(self.cell_x, self.cell_y)]

    def __repr__(self) -> str:
        state = "gone" if not self.alive else Registration(self.reg).name.lower()
        return f"<{type(self).__name__} uid={self.uid} {state}>"

    # --- decisions, vectorized over the rows of one type --------------------------------------------------
    # The base class decides nothing; subtypes override the decisions that apply to them.
    @classmethod
    def decide_registration(cls, model: UrbanizationModel, rows: np.ndarray) -> None:
        """Move along the migrant registration edges (register, residence permit, apply for hukou)."""

    @classmethod
    def decide_hukou_conversion(cls, model: UrbanizationModel, rows: np.ndarray) -> None:
        """Local rural hukou -> local urban hukou (local farmers only)."""

    @classmethod
    def decide_settlement(cls, model: UrbanizationModel, rows: np.ndarray) -> None:
        """Form the intention to settle for good (migrants only)."""

    @classmethod
    def decide_hukou_willingness(cls, model: UrbanizationModel, rows: np.ndarray) -> None:
        """Whether the household would transfer its hukou here if eligible (migrants only)."""

    @classmethod
    def decide_departure(cls, model: UrbanizationModel, rows: np.ndarray) -> np.ndarray:
        """Rows that return to origin this month (none by default: local households stay)."""
        return rows[:0]


class Migrant(Household):
    """Rural-hukou households from elsewhere: the largest target group (seed ch.1 III)."""

    htype = HouseholdType.MIGRANT

    @classmethod
    def decide_registration(cls, model: UrbanizationModel, rows: np.ndarray) -> None:
        cls.lapse_registration(model, rows)
        cls.decide_register(model, rows)
        cls.decide_residence_permit(model, rows)
        cls.decide_hukou_willingness(model, rows)
        cls.decide_hukou_application(model, rows)

    @classmethod
    def lapse_registration(cls, model: UrbanizationModel, rows: np.ndarray) -> None:
        """Registered -> unregistered, and residence permit -> registered, each with monthly chance
        ``registration_lapse`` (a temporary registration or permit not renewed after a move or a change of job:
        both are renewed yearly), so that registration settles at a level set by the flows in and out of it, not
        at 100 %. A hukou application does not lapse."""
        pop, chance = model.pop, model.behaviour.registration_lapse
        reg = pop.reg[rows]
        # ``compress``: the same rows as boolean indexing, several times faster on masks scattered over the rows
        # (registration states are: numpy's boolean indexing mispredicts its branches there)
        registered = rows.compress(reg == int(Registration.REGISTERED))
        permit = rows.compress(reg == int(Registration.RESIDENCE_PERMIT))
        model.move_state(registered[model.rng.random(registered.size) < chance], Registration.UNREGISTERED)
        model.move_state(permit[model.rng.random(permit.size) < chance], Registration.REGISTERED)

    @classmethod
    def decide_register(cls, model: UrbanizationModel, rows: np.ndarray) -> None:
        """Unregistered -> registered in the migrant information system.

        Logit: ``register_const + register_aware * aware + register_benefit * benefit``, where ``benefit`` is
        what registration unlocks under the active policies (seed ch.2 II: Zhengzhou links registration to
        services "so that migrants be mobilized to register").
        """
        pop, b = model.pop, model.behaviour
        # compress: see lapse_registration
        cand = rows.compress(pop.reg[rows] == int(Registration.UNREGISTERED))
        cand = cand[model.policy_set.eligible(Transition.REGISTER, cand)]
        if cand.size == 0:
            return
        benefit = model.registration_benefit()
        chance = logit_chance(
            lambda aware: b.register_const + b.register_aware * aware + b.register_benefit * benefit,
            model.awareness.of("registration")[cand],
        )
        model.move_state(cand[model.rng.random(cand.size) < chance], Registration.REGISTERED)

    @classmethod
    def decide_residence_permit(cls, model: UrbanizationModel, rows: np.ndarray) -> None:
        """Registered -> residence permit, for those the policies make eligible (logit ``permit_const``)."""
        pop, b = model.pop, model.behaviour
        # compress: see lapse_registration
        cand = rows.compress(pop.reg[rows] == int(Registration.REGISTERED))
        cand = cand.compress(model.policy_set.eligible(Transition.RESIDENCE_PERMIT, cand))
        if cand.size == 0:
            return
        utility = b.permit_const + b.register_benefit * model.registration_benefit()
        model.move_state(cand[model.rng.random(cand.size) < expit(utility)], Registration.RESIDENCE_PERMIT)

    @classmethod
    def decide_hukou_willingness(cls, model: UrbanizationModel, rows: np.ndarray) -> None:
        """Whether the household would transfer its hukou here if it were eligible: a stated preference, held
        with a persistent individual taste (random utility).

        ``hukou_want_const + hukou_settle * intends_settle + hukou_land_tie * holds_land + hukou_taste > 0``.
        CMDS 2016: 48.7 % of migrants intending to stay would transfer their hukou if eligible (Qiu and Zhou
        2019); land rights at origin hold many back. This is what the survey measures, apart from eligibility.
        """
        pop, b = model.pop, model.behaviour
        utility = (
            b.hukou_want_const
            + b.hukou_settle * pop.intends_settle[rows]
            + b.hukou_land_tie * pop.land[rows]
            + pop.hukou_taste[rows]
        )
        pop.wants_hukou[rows] = utility > 0

    @classmethod
    def decide_hukou_application(cls, model: UrbanizationModel, rows: np.ndarray) -> None:
        """Residence permit -> hukou applicant: households that want local hukou, know the pathway and are
        eligible under the active policies apply with monthly chance ``expit(hukou_const)`` (gathering the papers
        takes time)."""
        pop, b = model.pop, model.behaviour
        # compress: see lapse_registration
        cand = rows.compress(pop.reg[rows] == int(Registration.RESIDENCE_PERMIT))
        cand = cand.compress(pop.wants_hukou[cand])
        cand = cand.compress(model.awareness.of("hukou")[cand])
        cand = cand.compress(model.policy_set.eligible(Transition.APPLY_HUKOU, cand))
        if cand.size == 0:
            return
        model.move_state(cand[model.rng.random(cand.size) < expit(b.hukou_const)], Registration.HUKOU_APPLICANT)

    @classmethod
    def decide_settlement(cls, model: UrbanizationModel, rows: np.ndarray) -> None:
        """Intention to settle for good: random utility with a persistent individual taste.

        ``settle_const + settle_years * years + settle_family * children + settle_formal * formal job
        + settle_access * access + taste > 0``; calibrated so about 57 % intend to settle under the status quo
        (CMDS 2015). Households holding local urban hukou have settled.
        """
        pop, b = model.pop, model.behaviour
        years = pop.months_resident[rows] / 12.0
        utility = (
            b.settle_const
            + b.settle_years * np.minimum(years, 15.0)
            + b.settle_family * (pop.children(rows) > 0)
            + b.settle_formal * (pop.job[rows] == int(Job.FORMAL))
            + b.settle_access * model.access_index(rows)
            + pop.settle_taste[rows]
        )
        pop.intends_settle[rows] = (utility > 0) | (pop.reg[rows] == int(Registration.LOCAL_URBAN_HUKOU))

    @classmethod
    def decide_departure(cls, model: UrbanizationModel, rows: np.ndarray) -> np.ndarray:
        """Return migration: monthly logit ``leave_const + leave_unemployed * unemployed + leave_settle *
        intends_settle + leave_unschooled * (a child of compulsory age without a school place)``.

        Households holding local urban hukou have settled and do not return.
        """
        pop, b = model.pop, model.behaviour
        cand = rows[pop.reg[rows] != int(Registration.LOCAL_URBAN_HUKOU)]
        chance = logit_chance(
            lambda unemployed, settle, unschooled: b.leave_const
            + b.leave_unemployed * unemployed
            + b.leave_settle * settle
            + b.leave_unschooled * unschooled,
            pop.job[cand] == int(Job.NONE),
            pop.intends_settle[cand],
            pop.unschooled[cand] > 0,
        )
        return cand[model.rng.random(cand.size) < chance]


class LocalFarmer(Household):
    """Local rural-hukou households, many losing land to urban expansion (urban villages, model towns)."""

    htype = HouseholdType.LOCAL_FARMER

    @classmethod
    def decide_hukou_conversion(cls, model: UrbanizationModel, rows: np.ndarray) -> None:
        """Local rural hukou -> local urban hukou where a policy makes the household eligible.

        Logit ``farmer_convert_const`` (+ ``hukou_land_tie`` while the household still farms land), among those
        aware of the hukou pathway (seed ch.2 III and IV: hukou for local farmers in Yanta and Jinnan).
        """
        pop, b = model.pop, model.behaviour
        cand = rows[pop.reg[rows] == int(Registration.LOCAL_RURAL_HUKOU)]
        cand = cand.compress(model.awareness.of("hukou")[cand])  # compress: see Migrant.lapse_registration
        cand = cand.compress(model.policy_set.eligible(Transition.FARMER_CONVERSION, cand))
        if cand.size == 0:
            return
        utility = b.farmer_convert_const + b.hukou_land_tie * pop.land[cand]
        model.convert_to_urban_hukou(cand[model.rng.random(cand.size) < expit(utility)])


class UrbanPoor(Household):
    """Low-income households with local urban hukou (the seed's third target group)."""

    htype = HouseholdType.URBAN_POOR


class UrbanResident(Household):
    """Everyone else with local urban hukou: the benchmark for equal access."""

    htype = HouseholdType.URBAN_RESIDENT


#: Household classes by type, in ``HouseholdType`` order.
HOUSEHOLD_CLASSES: tuple[type[Household], ...] = (Migrant, LocalFarmer, UrbanPoor, UrbanResident)

__all__ = [
    "COLUMNS",
    "HOUSEHOLD_CLASSES",
    "Household",
    "StaleHousehold",
    "LocalFarmer",
    "Migrant",
    "UrbanPoor",
    "UrbanResident",
]
