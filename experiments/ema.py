"""EMA Workbench adapter: the model as an ``ema_workbench.Model`` built from the registries.

    from urbanize.experiments.ema import ema_model
    from ema_workbench import perform_experiments

    model = ema_model(city="changshu", policies="status_quo", levers=["rented_residence_hukou"],
                      uncertainties=["arrival_rate", "settle_const"], outcomes=["registration_rate"],
                      households=300, months=24, seed=7)
    experiments, outcomes = perform_experiments(model, scenarios=10, policies=2)

What the adapter declares (docs/mesa.md has the full walk-through with PRIM):

* **uncertainties**: behavioural parameters (``urbanize.model.params.BehaviourParams``) over their registered valid
  ranges (or the narrower ``ranges`` you give); floats become ``RealParameter``, whole numbers
  ``IntegerParameter``, switches ``BooleanParameter``. Parameters without a finite range are left out.
* **levers**: for each policy in ``levers`` that is not in the base package, an on/off ``BooleanParameter`` named
  after the policy; and each policy parameter with a finite range as ``<policy>__<parameter>`` (the model's flat
  keyword). A lever list entry may also name one parameter (``"rented_residence_hukou__contribution_years"``).
* **the rule for a parameter lever whose policy is off**: a policy parameter acts only in experiments where its
  policy is active (in the base package, or switched on by its lever); elsewhere the sampled value is ignored.
  A parameter lever of a policy outside the base package brings that policy's on/off lever with it, so the two
  are always sampled together. (This is the usual conditional-parameter design: the value of a measure's
  setting means nothing where the measure is not taken; tying the switch to the setting instead would make
  "off" unreachable.)
* **outcomes**: registered indicators (``urbanize.model.indicators``), as ``ScalarOutcome`` at the last month,
  or with ``time_series=True`` as ``ArrayOutcome`` over months 0..``months``.
* **seed**: a ``Constant`` named ``rng`` (common random numbers: every experiment draws from the same seed, so
  differences between experiments are the parameters' and levers'), or ``replications=n`` for a
  ``ReplicatorModel`` with ``n`` seeds spawned from ``seed``. Python and numpy integers are both accepted.

Needs the ``ema`` extra: ``pip install 'urbanize[ema]'``.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from urbanize.experiments.extras import require
from urbanize.model.errors import ParameterError
from urbanize.model.params import BehaviourParams, ParamInfo, describe

SEP = "__"


def _ema() -> Any:
    return require("ema_workbench", "ema", "the EMA Workbench adapter (urbanize.experiments.ema)")


@dataclasses.dataclass(frozen=True)
class UrbanizeRun:
    """The function EMA Workbench calls once per experiment (picklable, so EMA's process pools can use it).

    ``experiment`` holds the sampled uncertainties and levers and the constants; see :func:`ema_model` for how
    they map onto ``UrbanizationModel``.
    """

    city: str
    base_policies: tuple[str, ...]
    switchable: tuple[str, ...]
    households: int
    months: int
    outcomes: tuple[str, ...]
    time_series: bool = False

    def active_policies(self, experiment: Mapping[str, Any]) -> list[str]:
        on = [p for p in self.switchable if bool(experiment.get(p, False))]
        return [*self.base_policies, *on]

    def model_kwargs(self, experiment: Mapping[str, Any]) -> dict[str, Any]:
        """``UrbanizationModel`` keywords for one experiment (parameter levers of inactive policies dropped)."""
        from urbanize.policies.registry import expand

        active = set(expand(self.active_policies(experiment)))
        kwargs: dict[str, Any] = {}
        for key, value in experiment.items():
            if key in self.switchable or key == "rng":
                continue
            policy, sep, _ = key.partition(SEP)
            if sep and policy not in active:
                continue  # the rule: a policy's parameter acts only where the policy is active
            kwargs[key] = value
        return kwargs

    def __call__(self, **experiment: Any) -> dict[str, Any]:
        from urbanize.model.core import UrbanizationModel

        model = UrbanizationModel(
            city=self.city,
            policies=self.active_policies(experiment),
            households=self.households,
            rng=experiment.get("rng"),
            agents="lazy",
            **self.model_kwargs(experiment),
        )
        model.run(self.months)
        data = model.datacollector.model_vars
        if self.time_series:
            return {name: np.asarray(data[name], dtype=float) for name in self.outcomes}
        return {name: float(data[name][-1]) for name in self.outcomes}


def _parameter(ema: Any, name: str, info: ParamInfo, ranges: Mapping[str, Sequence[float]]) -> Any | None:
    if info.kind is bool:
        return ema.BooleanParameter(name)
    lo, hi = ranges.get(name, (info.lo, info.hi))
    if lo is None or hi is None or not (math.isfinite(lo) and math.isfinite(hi)) or lo >= hi:
        if name in ranges:
            raise ParameterError(f"range for '{name}' must be two finite numbers, low < high, got {lo}, {hi}")
        return None  # unbounded: EMA cannot sample it without a range from the user
    if info.lo is not None and info.hi is not None and (lo < info.lo or hi > info.hi):
        raise ParameterError(
            f"range for '{name}' [{lo:g}, {hi:g}] leaves the valid range {info.range_text()} {info.unit}"
        )
    if info.kind is int:
        return ema.IntegerParameter(name, int(lo), int(hi))
    return ema.RealParameter(name, float(lo), float(hi))


def _lever_policies(levers: Sequence[str] | None) -> dict[str, list[str] | None]:
    """policy -> its parameters to expose (None: all), from the ``levers`` argument."""
    from urbanize.policies.registry import available

    known = available()
    wanted: dict[str, list[str] | None] = {}
    for item in [p for p in known if p != "status_quo"] if levers is None else levers:
        policy, sep, param = str(item).partition(SEP)
        if policy not in known:
            raise ParameterError(
                f"unknown policy '{policy}' in levers; policies: {', '.join(sorted(known))}"
            )
        if not sep:
            wanted[policy] = None
        elif wanted.get(policy, []) is not None:
            fields = {i.name for i in describe(known[policy].Params)}
            if param not in fields:
                raise ParameterError(
                    f"unknown {policy} parameter '{param}' in levers; valid: {', '.join(sorted(fields))}"
                )
            wanted.setdefault(policy, [])
            wanted[policy].append(param)  # type: ignore[union-attr]
    return wanted


def ema_model(
    city: str = "changshu",
    policies: str | Sequence[str] = "status_quo",
    *,
    levers: Sequence[str] | None = None,
    uncertainties: Sequence[str] | None = None,
    ranges: Mapping[str, Sequence[float]] | None = None,
    outcomes: Sequence[str] | None = None,
    households: int = 2000,
    months: int = 120,
    seed: int | np.integer = 20240101,
    replications: int | None = None,
    time_series: bool = False,
    name: str | None = None,
) -> Any:
    """An ``ema_workbench.Model`` (or ``ReplicatorModel``) of the model in ``city``.

    Args:
        city: a pilot city (``urbanize list cities``).
        policies: the base package every experiment runs (on top of the status quo).
        levers: policies (on/off plus their parameters) and/or single ``policy__parameter`` names; default every
            registered policy.
        uncertainties: behavioural parameter names; default all with a finite range.
        ranges: ``{name: (low, high)}`` narrowing an uncertainty's or a lever's range (inside its valid range).
        outcomes: indicator names; default all.
        households, months: size and length of each run.
        seed: the common seed of every experiment (``Constant("rng", seed)``), or the root of the replication seeds.
        replications: if given, a ``ReplicatorModel`` running each experiment with that many seeds.
        time_series: outcomes as monthly series (``ArrayOutcome``) instead of last-month values.
        name: the EMA model name (a Python identifier; default ``urbanize_<city>``).

    Raises:
        MissingExtraError: the ``ema`` extra is missing (one line naming the ``pip install``). ParameterError / UnknownPolicyError: unknown names or ranges.
    """
    from urbanize.model.city import load_city
    from urbanize.model.indicators import registry
    from urbanize.policies.registry import available, expand

    ema = _ema()
    load_city(city)  # an unknown city fails here, in one line, rather than in every experiment
    base = expand(policies)
    ranges = dict(ranges or {})
    indicator_names = list(registry())
    chosen = list(outcomes) if outcomes is not None else indicator_names
    unknown = [o for o in chosen if o not in indicator_names]
    if unknown:
        raise ParameterError(f"unknown outcome '{unknown[0]}'; see 'urbanize list indicators'")
    behaviour = {i.name: i for i in describe(BehaviourParams)}
    names = list(uncertainties) if uncertainties is not None else list(behaviour)
    bad = [n for n in names if n not in behaviour]
    if bad:
        raise ParameterError(f"unknown behavioural parameter '{bad[0]}'; see 'urbanize list parameters'")

    known = available()
    wanted = _lever_policies(levers)
    switchable = tuple(p for p in wanted if p not in base)
    lever_params = [ema.BooleanParameter(p) for p in switchable]
    for policy, params in wanted.items():
        infos = {i.name: i for i in describe(known[policy].Params)}
        for pname in params if params is not None else list(infos):
            lever = _parameter(ema, f"{policy}{SEP}{pname}", infos[pname], ranges)
            if lever is not None:
                lever_params.append(lever)
    unc = [u for n in names if (u := _parameter(ema, n, behaviour[n], ranges)) is not None]

    run = UrbanizeRun(
        city=city,
        base_policies=tuple(base),
        switchable=switchable,
        households=int(households),
        months=int(months),
        outcomes=tuple(chosen),
        time_series=time_series,
    )
    model_name = name or f"urbanize_{city}"
    seed = int(seed)
    if replications is None:
        model = ema.Model(model_name, function=run)
        model.constants = [ema.Constant("rng", seed)]
    else:
        model = ema.ReplicatorModel(model_name, function=run)
        streams = np.random.SeedSequence(seed).spawn(int(replications))
        model.replications = [{"rng": int(s.generate_state(1)[0])} for s in streams]
    model.uncertainties = unc
    model.levers = lever_params
    outcome_cls = ema.ArrayOutcome if time_series else ema.ScalarOutcome
    model.outcomes = [outcome_cls(o) for o in chosen]
    return model
