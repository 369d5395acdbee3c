"""What a browser session has chosen: city, policies, size, seed and parameters, plus catalogues for the UI.

One :class:`VizConfig` per browser session, mutated by the sidebar controls and read by :class:`viz.twin.TwinRun`
whenever the run is (re)built (SolaraViz's Reset rebuilds the model as ``TwinRun(config=...)``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from urbanize.model.errors import ParameterError, UrbanizeError

#: Behavioural parameters that get a slider on the live page (the rest are reachable through "overrides").
MAIN_PARAMS = (
    "arrival_rate",
    "ht_elasticity",
    "access_pull",
    "family_share",
    "job_finding",
    "settle_const",
    "hukou_const",
    "leave_const",
)
HOUSEHOLDS_MIN, HOUSEHOLDS_MAX = 200, 20000
#: Months one browser session may run (20 years). Assumed: a workshop looks at a policy's first years, and a
#: bound keeps a forgotten Play from growing the server's memory without end (issue 13: 3.1 -> 6.7 GB).
MONTHS_MAX = 240
#: Household rows one run of a session may hold while it runs (arrivals add rows): 5x the largest starting
#: size. Assumed, as MONTHS_MAX: about 200 bytes of columns and 400 bytes of agent per row, so a session's
#: two runs stay under about 120 MB.
ROWS_MAX = 5 * HOUSEHOLDS_MAX
#: Seeds numpy accepts as a plain integer seed.
SEED_MAX = 2**63 - 1
#: Above this many household agents the map shows per-district layers instead of households.
POINT_LIMIT = 3000
COLOUR_MODES = ("type", "registration", "school", "housing")
MAP_LAYERS = ("auto", "households", "districts")


@dataclass
class VizConfig:
    """Settings of one session's run (mutable: the sidebar edits it, Reset reads it)."""

    city: str = "changshu"
    package: str = "changshu_pilot"
    policies: list[str] = field(default_factory=list)  # explicit selection; empty = the package's members
    households: int = 2000
    seed: int = 7
    twin: bool = True
    behaviour: dict[str, Any] = field(default_factory=dict)
    overrides: str = ""  # "name=value, name=value" typed by the user
    policy_values: dict[str, dict[str, Any]] = field(default_factory=dict)  # {policy: {param: value}}, controls

    def policy_spec(self) -> str:
        """The policies to run, as the model's spec string."""
        return ",".join(self.policies) if self.policies else self.package

    def active_policies(self) -> list[str]:
        """The policies switched on (without the baseline)."""
        return list(self.policies) if self.policies else package_members(self.package)

    def copy(self) -> VizConfig:
        return VizConfig(self.city, self.package, list(self.policies), self.households, self.seed, self.twin,
                         dict(self.behaviour), self.overrides,
                         {k: dict(v) for k, v in self.policy_values.items()})


def parse_overrides(text: str) -> dict[str, Any]:
    """Parse ``"arrival_rate=0.01, rented_residence_hukou.contribution_years=2"`` into a dict.

    Plain names are behavioural parameters, ``policy.param`` names are policy parameters (as ``--set`` on the
    command line). Values are checked by the model's own validation (types and ranges); this only checks the
    syntax and the behavioural names.

    Raises:
        ParameterError: for malformed text or an unknown behavioural parameter name.
    """
    out: dict[str, Any] = {}
    known = {p.name for p in behaviour_infos()}
    for item in (s.strip() for s in text.replace(";", ",").split(",")):
        if not item:
            continue
        name, sep, value = item.partition("=")
        name, value = name.strip(), value.strip()
        if not sep or not name or not value:
            raise ParameterError(f"cannot read '{item}': write overrides as name=value, separated by commas")
        if "." not in name and name not in known:
            raise ParameterError(f"unknown parameter '{name}'; valid parameters: {', '.join(sorted(known))}")
        out[name] = value
    return out


def behaviour_kwargs(config: VizConfig) -> dict[str, Any]:
    """Behavioural keyword arguments for the model, sliders first, typed overrides on top (validated)."""
    from urbanize.model.params import BehaviourParams, build

    plain = {k: v for k, v in parse_overrides(config.overrides).items() if "." not in k}
    values = {**config.behaviour, **plain}
    typed = build(BehaviourParams, values)  # raises ParameterError with the valid range
    return {k: getattr(typed, k) for k in values}


def policy_params(config: VizConfig) -> dict[str, dict[str, Any]]:
    """Per-policy parameters: the policy controls' values for the active policies, then the ``policy.param=value``
    overrides on top (all validated by the policies when the run is built)."""
    active = set(config.active_policies())
    out: dict[str, dict[str, Any]] = {
        pol: dict(values) for pol, values in config.policy_values.items() if values and pol in active
    }
    for key, value in parse_overrides(config.overrides).items():
        if "." in key:
            pol, _, name = key.partition(".")
            out.setdefault(pol, {})[name] = value
    return out


# --- catalogues (cached: they do not change while the server runs) ---------------------------------------------
@cache
def cities() -> tuple[str, ...]:
    from urbanize.model.city import list_cities

    return tuple(list_cities())


@cache
def city_display_name(name: str) -> str:
    from urbanize.model.city import load_city

    try:
        return load_city(name).display_name
    except (UrbanizeError, OSError, ValueError, KeyError):
        return name


@cache
def packages() -> dict[str, tuple[str, ...]]:
    from urbanize.policies import registry

    return registry.packages()


@cache
def policy_catalogue() -> dict[str, tuple[str, str]]:
    """{policy name: (pilot, summary)} for every registered policy except the baseline."""
    from urbanize.policies import registry

    return {
        name: (getattr(cls, "pilot", ""), getattr(cls, "summary", ""))
        for name, cls in registry.available().items()
        if name != registry.BASELINE
    }


def package_members(package: str) -> list[str]:
    """Policies a package switches on (without the baseline)."""
    from urbanize.policies import registry

    try:
        names = registry.expand(package)
    except UrbanizeError:
        return []
    return [n for n in names if n != registry.BASELINE]


def package_ready(package: str) -> bool:
    """Whether every policy of a package is registered (a package may name measures not yet implemented)."""
    members = packages().get(package)
    return members is not None and set(members) <= set(policy_catalogue()) | {"status_quo"}


def default_package(city: str) -> str:
    """The city's pilot package when it exists and all its policies are registered, else the status quo."""
    return f"{city}_pilot" if package_ready(f"{city}_pilot") else "status_quo"


@cache
def behaviour_infos() -> tuple:
    from urbanize.model.params import BehaviourParams, describe

    return tuple(describe(BehaviourParams))


@cache
def policy_param_infos(name: str) -> tuple:
    """ParamInfo of a policy's parameters (empty for an unknown policy or one without parameters)."""
    from urbanize.model.params import describe
    from urbanize.policies import registry

    cls = registry.available().get(name)
    params = getattr(cls, "Params", None)
    return tuple(describe(params)) if params is not None else ()


def slider_infos() -> list:
    """ParamInfo of the behavioural parameters with a slider, in MAIN_PARAMS order."""
    by_name = {p.name: p for p in behaviour_infos()}
    return [by_name[n] for n in MAIN_PARAMS if n in by_name]


def check_households(value: Any) -> int:
    """Validate the number of household agents for the app.

    Raises:
        ParameterError: for a non-integer or out-of-range value.
    """
    try:
        n = int(float(value))
    except (TypeError, ValueError):
        raise ParameterError(f"households must be a whole number, got {value!r}") from None
    if not HOUSEHOLDS_MIN <= n <= HOUSEHOLDS_MAX:
        raise ParameterError(
            f"households = {n} is outside the app's range [{HOUSEHOLDS_MIN}, {HOUSEHOLDS_MAX}]; "
            "use 'urbanize run' for larger cities"
        )
    return n


def check_seed(value: Any) -> int:
    """Validate a seed typed on the page or given in the address.

    Raises:
        ParameterError: for a non-integer or negative seed.
    """
    try:
        seed = int(value)
    except (TypeError, ValueError, OverflowError):
        raise ParameterError(f"seed must be a whole number, got {value!r}") from None
    if not 0 <= seed <= SEED_MAX:
        raise ParameterError(f"seed = {seed} is outside [0, 2**63 - 1]; type a non-negative whole number")
    return seed
