"""A user's own policy: hukou for graduates after a year in the city (the example of docs/policies.md).

Use it from Python (importing the module registers the policy)::

    import my_policy  # noqa: F401
    from urbanize import UrbanizationModel
    m = UrbanizationModel(city="changshu", policies="fast_track_graduates",
                          policy_params={"fast_track_graduates": {"months": 6}})

or, without importing anything, by advertising it in your package's ``pyproject.toml``::

    [project.entry-points."urbanize.policies"]
    fast_track_graduates = "my_policy:FastTrackGraduates"

after which ``urbanize run --policies changshu_pilot,fast_track_graduates`` and sweep files find it by name.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from urbanize.model.enums import Job, Registration, Skill
from urbanize.model.params import param, validate
from urbanize.policies.base import Policy, Transition
from urbanize.policies.registry import register


@register
class FastTrackGraduates(Policy):
    """User policy: graduates (high skill) with any job may apply for hukou after ``months`` in the city.

    Mechanism: opens ``APPLY_HUKOU`` to residence-permit holders of high skill with a job who have lived in the
    city for ``months`` months, and makes a share ``outreach`` of such graduates aware of the hukou pathway each
    month.
    """

    name = "fast_track_graduates"
    pilot = "user"
    summary = "Graduates with any job may apply for hukou after a year in the city"

    @dataclass(frozen=True)
    class Params:
        months: int = param(12, "months", 0, 120, "Months of residence before a graduate may apply")
        outreach: float = param(0.1, "1/month", 0.0, 1.0, "Monthly chance a graduate learns of the pathway")

        def __post_init__(self) -> None:
            validate(self, "fast_track_graduates ")

    def graduates(self, model, rows: np.ndarray) -> np.ndarray:
        """Mask over ``rows``: high-skill heads with a job."""
        pop = model.pop
        return (pop.skill[rows] == Skill.HIGH) & (pop.job[rows] != Job.NONE)

    def act(self, model) -> None:
        holders = np.flatnonzero(model.pop.reg == Registration.RESIDENCE_PERMIT)
        graduates = holders[self.graduates(model, holders)]
        reached = model.rng.random(graduates.size) < self.params.outreach  # every draw from model.rng
        model.awareness.of("hukou")[graduates[reached]] = True

    def eligible(self, model, transition: Transition, rows: np.ndarray) -> np.ndarray | None:
        if transition is not Transition.APPLY_HUKOU:
            return None  # nothing to say about other transitions
        return self.graduates(model, rows) & (model.pop.months_resident[rows] >= self.params.months)
