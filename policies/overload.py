"""A city that reacts to overload: suspend or scale back a reform when a monitored figure stays too high.

Seed ch.2 II.1 (Zhengzhou): "Zhengzhou took up Hukou reform in 2003, which explored practical methods to absorb
farmers into the city at a low threshold but had to be suspended due to the heavy pressure on urban public
service infrastructures, particularly education facilities resulting from the pouring in of a large amount of
population." The seed's indicator for Zhengzhou's schools is the "average number of students per class in
primary, junior middle and senior middle schools".

The rule is the city government's, so it reads what a government reads: the published monthly figures (the
model's indicator table, ``model.datacollector``), each available ``reporting_lag`` months after the month it
describes; it never looks at households or services directly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from urbanize.model.errors import ParameterError
from urbanize.model.indicators import Snapshot, indicator, registry
from urbanize.model.params import param, validate
from urbanize.model.provenance import assumed, sourced
from urbanize.policies.base import Policy
from urbanize.policies.registry import register

if TYPE_CHECKING:
    from urbanize.model.core import UrbanizationModel

NAME = "overload_suspension"


@register
class OverloadSuspension(Policy):
    """The city suspends (or scales back) a reform once a monitored figure has crossed a threshold for
    ``months`` consecutive published months.

    Mechanism: at the start of each month the government reads one new published figure of ``indicator``: the
    figure for the month ``reporting_lag`` months before last month (0: last month's, collected at its end).
    It counts the consecutive published months the figure was above ``threshold`` (below it, with
    ``fire_above`` off; a missing figure breaks the run). When the count reaches ``months``, it scales the
    ``target`` reform to ``level`` of its strength (0: suspended) for the rest of the run; the month it does so
    is the indicator ``reform_suspension_month``. The rule acts once and never reinstates the reform (the 2003
    reform was not reinstated; Zhengzhou built schools instead, seed ch.2 II.1).

    Defaults: the target is ``low_threshold_hukou``; the figure is the average class size of public primary
    schools; the threshold, 56 pupils, is where the Ministry of Education counts a class as a "large class"
    (classes of 56-65 pupils are large, 66 and more very large; the primary norm is 45); six consecutive months
    over it (assumed: a school term of overcrowded classes before the city acts; with the reform's build-up it
    gives about a year from the reform's start to the suspension, as in 2003-04).

    Usage::

        UrbanizationModel(city="zhengzhou", policies="low_threshold_hukou,overload_suspension")
        UrbanizationModel(city="zhengzhou", policies="low_threshold_hukou,overload_suspension",
                          policy_params={"overload_suspension": {"level": 0.5, "threshold": 60}})
    """

    name = NAME
    pilot = "Zhengzhou"
    summary = "The city suspends or scales back a reform when a monitored figure stays past a threshold"

    @dataclass(frozen=True)
    class Params:
        target: str = param(
            "low_threshold_hukou",
            "policy",
            None,
            None,
            "The reform suspended; it must be active and scalable",
            prov=assumed(
                "a switch or scenario choice, not an empirical quantity: the default is the case the seed describes"
            ),
        )
        indicator: str = param(
            "avg_class_size_primary",
            "indicator",
            None,
            None,
            "The monitored figure (any indicator of the run; seed: average students per class)",
            prov=assumed(
                "a switch or scenario choice, not an empirical quantity: the default is the case the seed describes"
            ),
        )
        threshold: float = param(
            56.0,
            "indicator's unit",
            None,
            None,
            "Level past which the figure counts as overload (default: 56 pupils a class, the Ministry of "
            "Education's lower bound of a 'large class')",
            prov=sourced(
                "Level past which the figure counts as overload (default: 56 pupils a class, the Ministry of Education's lower bound of a 'large class')"
            ),
        )
        fire_above: bool = param(
            True,
            "",
            None,
            None,
            "Overload is the figure above the threshold (off: below it, e.g. a coverage)",
            prov=assumed(
                "a switch or scenario choice, not an empirical quantity: the default is the case the seed describes"
            ),
        )
        months: int = param(
            6,
            "months",
            1,
            120,
            "Consecutive published months of overload before the city acts (assumed)",
            prov=assumed("no source found; a plausible value to be varied in sweeps"),
        )
        reporting_lag: int = param(
            1,
            "months",
            0,
            24,
            "Months between the end of the month a figure describes and the month it is acted on "
            "(assumed: monthly statistics reach the city government a month after they are compiled)",
            prov=assumed("monthly statistics reach the city government a month after they are compiled"),
        )
        level: float = param(
            0.0,
            "share of the reform",
            0.0,
            1.0,
            "Strength of the reform after the city acts (0: suspended; 0.5: scaled back by half)",
            prov=assumed(
                "no source found in the seed or the literature; a plausible value to be varied in sweeps (docs/policies.md)"
            ),
        )

        def __post_init__(self) -> None:
            validate(self, f"{NAME} ")

    def setup(self, model: UrbanizationModel) -> None:
        p = self.params
        target = model.policy_set.get(p.target)
        if target is None:
            raise ParameterError(
                f"{NAME}: target '{p.target}' is not an active policy; add it to the policies "
                f"(active: {', '.join(model.policy_set.names)})"
            )
        if not target.scalable:
            scalable = [q.name for q in model.policy_set if q.scalable]
            raise ParameterError(
                f"{NAME}: policy '{p.target}' cannot be suspended; scalable active policies: "
                f"{', '.join(scalable) or 'none'}"
            )
        if p.indicator not in registry(model.policy_set.names):
            raise ParameterError(
                f"{NAME}: unknown indicator '{p.indicator}'; see 'urbanize list indicators' for the names"
            )
        self.target: Policy = target
        self.overload_run = 0  # consecutive published months of overload seen so far
        self.suspended_month = math.nan  # the month the city acted, NaN before

    def published(self, model: UrbanizationModel) -> float | None:
        """The figure the government learns this month (None while nothing is published yet)."""
        row = model.month - 1 - self.params.reporting_lag  # row m: the state at the end of month m
        series = model.datacollector.model_vars[self.params.indicator]
        if row < 0 or row >= len(series):
            return None
        return float(series[row])

    def act(self, model: UrbanizationModel) -> None:
        if not math.isnan(self.suspended_month):
            return
        value = self.published(model)
        if value is None:
            return
        p = self.params
        over = (value > p.threshold) if p.fire_above else (value < p.threshold)  # NaN compares False
        self.overload_run = self.overload_run + 1 if over else 0
        if self.overload_run >= p.months:
            self.target.scale(model, p.level)
            self.suspended_month = float(model.month)


def _rule(s: Snapshot) -> OverloadSuspension:
    rule = s.model.policy_set.get(NAME)
    assert isinstance(rule, OverloadSuspension)
    return rule


@indicator(
    "reform_suspension_month",
    "Month in which the city suspended (or scaled back) the target reform for overload; NaN until it does",
    "month",
    policy=NAME,
)
def reform_suspension_month(s: Snapshot) -> float:
    return _rule(s).suspended_month


@indicator(
    "reform_level",
    "Strength of the target reform (1: as set; 0: suspended)",
    "share",
    policy=NAME,
)
def reform_level(s: Snapshot) -> float:
    return 1.0 if math.isnan(_rule(s).suspended_month) else _rule(s).params.level


@indicator(
    "overload_months_published",
    "Consecutive published months in which the monitored figure showed overload, as the city counts them",
    "months",
    policy=NAME,
)
def overload_months_published(s: Snapshot) -> float:
    return float(_rule(s).overload_run)
