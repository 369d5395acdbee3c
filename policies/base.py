"""The policy protocol.

A policy is a small class with a lifecycle modelled on Covasim's ``Intervention``:

* ``setup(model)`` once, after the starting population exists (add columns, size services, register
  awareness topics);
* ``act(model)`` at the start of every month (phase 1 of the schedule: scheduled changes, capacity built,
  quotas reset in January);
* narrow questions the model asks while households decide and services allocate:
  ``eligible(model, transition, rows)`` for the registration state machine and
  ``service_access(model, service, rows)`` / ``priority(model, service, rows)`` for services;
* ``finalize(model)`` after the last month.

Each answer is a boolean mask (or score array) over the given rows, or ``None`` when the policy has nothing to
say. Pathways combine with OR: every active policy may open a door, none closes one another policy opened.
Priority rules are replaced, not combined: the last active policy that answers wins.

Example, a user's own policy (see docs/policies.md for the full walk-through)::

    from dataclasses import dataclass
    from urbanize.model.params import param, validate
    from urbanize.policies.base import Policy, Transition

    class FastTrackGraduates(Policy):
        name = "fast_track_graduates"
        pilot = "user"
        summary = "Graduates with any job may apply for hukou after 12 months."

        @dataclass(frozen=True)
        class Params:
            months: int = param(12, "months", 0, 120, "Months of residence before applying")
            def __post_init__(self): validate(self, "fast_track_graduates ")

        def eligible(self, model, transition, rows):
            if transition is not Transition.APPLY_HUKOU:
                return None
            pop = model.pop
            return (pop.skill[rows] >= 2) & (pop.months_resident[rows] >= self.params.months)
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from urbanize.model.params import build, describe

if TYPE_CHECKING:
    from urbanize.model.core import UrbanizationModel


class Transition(enum.Enum):
    """Edges of the registration state machine (docs/model.md, section 2) a policy may open."""

    REGISTER = "register"  # unregistered -> registered in the migrant information system
    RESIDENCE_PERMIT = "residence_permit"  # registered -> residence permit
    APPLY_HUKOU = "apply_hukou"  # residence permit -> hukou applicant
    FARMER_CONVERSION = "farmer_conversion"  # local rural hukou -> local urban hukou


@dataclass(frozen=True)
class NoParams:
    """A policy without parameters."""


class Policy:
    """Base class of every policy. Subclasses set the class attributes and override what they need."""

    name: ClassVar[str] = ""
    pilot: ClassVar[str] = ""  # "Zhengzhou", "Yanta", "Jinnan", "Changshu", "all" (baseline) or "user"
    summary: ClassVar[str] = ""
    Params: ClassVar[type] = NoParams
    awareness_topic: ClassVar[str | None] = None  # a topic households must learn of before acting on it
    scalable: ClassVar[bool] = False  # a city may suspend or scale back this reform (``scale``)

    def __init__(self, **params: Any) -> None:
        self.params: Any = build(self.Params, params, owner=f"{self.name} ")

    # --- lifecycle -------------------------------------------------------------------------------------
    def setup(self, model: UrbanizationModel) -> None:
        """Prepare the model for this policy (called once, after the starting population exists)."""

    def act(self, model: UrbanizationModel) -> None:
        """Monthly action at the start of the month (schedule phase 1)."""

    def finalize(self, model: UrbanizationModel) -> None:
        """Called once after the last month."""

    def scale(self, model: UrbanizationModel, level: float) -> None:
        """Scale this reform to ``level`` of its set strength, from now on (1: as set; 0: suspended).

        Called by a rule that reacts to monitored indicators (``overload_suspension``); only policies with
        ``scalable = True`` implement it.
        """
        raise NotImplementedError(f"policy '{self.name}' cannot be suspended or scaled back")

    # --- questions ---------------------------------------------------------------------------------------
    def eligible(
        self, model: UrbanizationModel, transition: Transition, rows: np.ndarray
    ) -> np.ndarray | None:
        """Mask over ``rows`` of households this policy lets take ``transition``, or None."""
        return None

    def service_access(self, model: UrbanizationModel, service: str, rows: np.ndarray) -> np.ndarray | None:
        """Mask over ``rows`` of households this policy lets use ``service``, or None."""
        return None

    def priority(self, model: UrbanizationModel, service: str, rows: np.ndarray) -> np.ndarray | None:
        """Scores over ``rows`` (higher is served first) replacing ``service``'s priority rule, or None."""
        return None

    def registration_incentive(self, model: UrbanizationModel) -> float:
        """What registering unlocks under this policy, in units of the ``register_benefit`` coefficient."""
        return 0.0

    # --- description -------------------------------------------------------------------------------------
    @classmethod
    def param_infos(cls) -> list:
        return describe(cls.Params)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.params})"
