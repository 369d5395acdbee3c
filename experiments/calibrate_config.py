"""The calibration file of ``urbanize calibrate``: parse and check it before anything is written.

A calibration file (TOML, docs/calibration.md)::

    [calibration]
    name = "cities_2009_2017"
    cities = ["changshu", "yanta"]
    policies = "status_quo"
    households = 2000
    replicates = 1
    population = 200
    generations = 6
    max_simulations = 5000     # optional
    min_epsilon = 0.0          # optional
    seed = 1
    targets = ["settlement_intention_2015", "hukou_transfer_willingness_2016"]
    targets_file = "my_targets.toml"   # optional: default the shipped model/targets.toml

    [parameters.settle_const]
    lo = -3.0
    hi = 0.0
    per_city = false

Every mistake is a one-line :class:`CalibrationError` naming the problem and the fix. :func:`config_hash` is a
digest of what the fit depends on; a resumed output folder whose recorded hash differs is refused.
"""

from __future__ import annotations

import hashlib
import json
import math
import tomllib
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from urbanize.experiments import checks
from urbanize.model import docs_scale
from urbanize.model.city import list_cities
from urbanize.model.errors import ParameterError, UnknownPolicyError, UrbanizeError
from urbanize.model.indicators import registry as indicator_registry
from urbanize.model.params import BehaviourParams, ParamInfo, describe
from urbanize.model.targets import Target
from urbanize.model.targets import load as load_targets


class CalibrationError(UrbanizeError):
    """A calibration file or folder that cannot be used (one line naming the problem and the fix)."""


_TOP = {"calibration", "parameters"}
_KEYS = {
    "name", "cities", "policies", "households", "replicates", "population", "generations", "max_simulations",
    "min_epsilon", "seed", "targets", "targets_file",
}  # fmt: skip
_PRIOR_KEYS = {"lo", "hi", "per_city"}
# under URBANIZE_DOCS_SCALE (documentation examples) a fit has at most this many particles and generations
DOCS_POPULATION, DOCS_GENERATIONS = 6, 2


@dataclass(frozen=True)
class Prior:
    """A uniform prior on [lo, hi] of one parameter (``NAME`` or ``POLICY.PARAM``), shared or one per city."""

    name: str
    lo: float
    hi: float
    per_city: bool = False
    integer: bool = False  # an integer parameter: simulated and written rounded to the nearest whole number

    def columns(self, cities: tuple[str, ...]) -> list[str]:
        """Its posterior columns: ``NAME``, or ``NAME@CITY`` for each city when fitted per city."""
        return [f"{self.name}@{c}" for c in cities] if self.per_city else [self.name]

    @property
    def width(self) -> float:
        return self.hi - self.lo


@dataclass(frozen=True)
class CalibrationConfig:
    """A checked calibration file."""

    name: str
    cities: tuple[str, ...]
    policies: str
    households: int
    replicates: int
    population: int
    generations: int
    max_simulations: int | None
    min_epsilon: float
    seed: int
    targets: tuple[Target, ...]
    priors: tuple[Prior, ...]
    source: str = ""

    @property
    def months(self) -> int:
        """Months simulated: from month 0 (January 2009) to the latest month any target reads."""
        return max(t.last_month() for t in self.targets)

    def columns(self) -> list[str]:
        """Every fitted column of the posterior, in file order."""
        return [col for p in self.priors for col in p.columns(self.cities)]

    def prior_of(self, column: str) -> Prior:
        name = column.partition("@")[0]
        return next(p for p in self.priors if p.name == name)

    def cities_of(self, target: Target) -> tuple[str, ...]:
        """The cities a target is compared with: all of the fit's for a national one, else its own."""
        return self.cities if target.national else (target.city,)


def config_hash(cfg: CalibrationConfig, extra: dict[str, Any] | None = None) -> str:
    """SHA-256 of everything the fit depends on (not the file's formatting or comments)."""
    data = asdict(cfg)
    data.pop("source")
    data["extra"] = extra or {}
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def read_toml(path: str | Path, what: str) -> dict[str, Any]:
    """A TOML file's content, or a one-line error for a missing, unreadable, non-UTF-8 or malformed file."""
    p = Path(path)
    try:
        text = p.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise CalibrationError(f"{what} '{p}' does not exist; give the path of a TOML file") from None
    except IsADirectoryError:
        raise CalibrationError(f"{what} '{p}' is a folder; give the path of a TOML file") from None
    except UnicodeDecodeError:
        raise CalibrationError(f"{what} '{p}' is not UTF-8 text; save it as UTF-8 TOML") from None
    except OSError as exc:
        raise CalibrationError(f"cannot read {what} '{p}': {exc.strerror}; check the path") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        reason = " ".join(str(exc).split())
        raise CalibrationError(f"{what} '{p}' is not valid TOML ({reason}); fix the syntax") from None


def load_config(path: str | Path) -> CalibrationConfig:
    """Read and check a calibration file (see the module docstring)."""
    where = f"calibration file '{path}'"
    data = read_toml(path, "calibration file")
    unknown = sorted(set(data) - _TOP)
    if unknown:
        raise CalibrationError(
            f"{where}: unknown table(s) {', '.join(unknown)}; it has [calibration] and [parameters.*]"
        )
    cal = data.get("calibration")
    if not isinstance(cal, dict):
        raise CalibrationError(f"{where}: no [calibration] table; see docs/calibration.md for an example")
    bad = sorted(set(cal) - _KEYS)
    if bad:
        raise CalibrationError(
            f"{where}: unknown key(s) {', '.join(bad)} in [calibration]; keys: {', '.join(sorted(_KEYS))}"
        )
    try:
        return _build(cal, data.get("parameters"), where, Path(path))
    except (ParameterError, UnknownPolicyError) as exc:
        msg = str(exc)
        raise CalibrationError(msg if msg.startswith(where) else f"{where}: {msg}") from None


def _int(cal: dict[str, Any], key: str, default: int | None, where: str, least: int = 1) -> int:
    value = cal.get(key, default)
    if value is None:
        raise CalibrationError(f"{where}: [calibration] needs '{key}' (a whole number >= {least})")
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        raise CalibrationError(f"{where}: {key} = {value!r} must be a whole number >= {least}")
    return value


def _build(cal: dict[str, Any], params: Any, where: str, path: Path) -> CalibrationConfig:
    from urbanize.policies import registry

    name = cal.get("name")
    if not isinstance(name, str) or not name.strip():
        raise CalibrationError(f'{where}: [calibration] needs a name, e.g. name = "cities_2009_2017"')
    cities = cal.get("cities")
    if isinstance(cities, str):
        cities = [cities]
    if not isinstance(cities, list) or not cities or not all(isinstance(c, str) for c in cities):
        raise CalibrationError(
            f"{where}: cities must be a list of city names; cities: {', '.join(list_cities())}"
        )
    unknown = sorted(set(cities) - set(list_cities()))
    if unknown or len(set(cities)) != len(cities):
        what = f"unknown city {', '.join(unknown)}" if unknown else "a city is listed twice"
        raise CalibrationError(f"{where}: {what}; cities: {', '.join(list_cities())}")
    policies = cal.get("policies", registry.BASELINE)
    if not isinstance(policies, str):
        raise CalibrationError(f'{where}: policies must be a package name such as "status_quo"')
    try:
        registry.expand(policies.split("+"))
    except UrbanizeError as exc:
        raise CalibrationError(f"{where}: policies: {exc}") from None
    households = _int(cal, "households", 2000, where)
    try:
        checks.households(households, flag="households")
    except UrbanizeError as exc:
        raise CalibrationError(f"{where}: {exc}") from None
    replicates = _int(cal, "replicates", 1, where)
    population = _int(cal, "population", None, where, least=2)
    generations = _int(cal, "generations", None, where)
    max_sims = None if cal.get("max_simulations") is None else _int(cal, "max_simulations", None, where)
    if max_sims is not None and max_sims < population:
        raise CalibrationError(
            f"{where}: max_simulations = {max_sims} is below one generation ({population} particles); raise it"
        )
    seed = cal.get("seed", 1)
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise CalibrationError(f"{where}: seed = {seed!r} must be a whole number")
    try:
        checks.seed(seed, flag="seed")
    except UrbanizeError as exc:
        raise CalibrationError(f"{where}: {exc}") from None
    min_eps = cal.get("min_epsilon", 0.0)
    if (
        isinstance(min_eps, bool)
        or not isinstance(min_eps, int | float)
        or not math.isfinite(min_eps)
        or min_eps < 0
    ):
        raise CalibrationError(f"{where}: min_epsilon = {min_eps!r} must be a number >= 0")
    priors = _priors(params, where)
    targets = _targets(cal, where, path, tuple(cities), policies)
    if docs_scale.factor() is not None:  # documentation examples run small (docs/contributing.md)
        population, generations = min(population, DOCS_POPULATION), min(generations, DOCS_GENERATIONS)
    active = set(registry.expand(policies.split("+")))
    for p in priors:
        policy, dot, _ = p.name.partition(".")
        if dot and policy not in active:
            raise CalibrationError(
                f"{where}: parameter '{p.name}' belongs to policy '{policy}', which '{policies}' does not run; "
                "add it to policies or drop the parameter"
            )
    return CalibrationConfig(
        name=name.strip(), cities=tuple(cities), policies=policies, households=households, replicates=replicates,
        population=population, generations=generations, max_simulations=max_sims, min_epsilon=float(min_eps),
        seed=seed, targets=targets, priors=priors, source=str(path),
    )  # fmt: skip


def _targets(
    cal: dict[str, Any], where: str, path: Path, cities: tuple[str, ...], policies: str
) -> tuple[Target, ...]:
    names = cal.get("targets")
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        raise CalibrationError(
            f"{where}: targets must be a list of target names (see 'urbanize list targets' or model/targets.toml)"
        )
    file = cal.get("targets_file")
    if file is not None and not isinstance(file, str):
        raise CalibrationError(f"{where}: targets_file must be a path")
    tpath = None if file is None else (path.parent / file if not Path(file).is_absolute() else Path(file))
    try:
        known = {t.name: t for t in load_targets(tpath)}
    except UrbanizeError as exc:
        raise CalibrationError(f"{where}: {exc}") from None
    unknown = [n for n in names if n not in known]
    if unknown:
        fit = sorted(n for n, t in known.items() if t.use == "calibration")
        raise CalibrationError(
            f"{where}: unknown target(s) {', '.join(unknown)}; calibration targets: {', '.join(fit)}"
        )
    if len(set(names)) != len(names):
        raise CalibrationError(f"{where}: a target is listed twice in targets; list each once")
    out = []
    indicators = set(indicator_registry())
    for n in names:
        t = known[n]
        if t.use != "calibration":
            raise CalibrationError(
                f"{where}: target '{n}' is validation only (use = \"validation\") and is kept out of every fit; remove it"
            )
        if not t.national and t.city not in cities:
            raise CalibrationError(
                f"{where}: target '{n}' is for {t.city}, which is not in cities; add the city or drop it"
            )
        if t.indicator not in indicators:
            raise CalibrationError(
                f"{where}: target '{n}' reads indicator '{t.indicator}', which the model lacks; drop it"
            )
        if not t.comparable:
            raise CalibrationError(f"{where}: target '{n}' is marked not comparable with the model; drop it")
        if t.policies != policies:
            raise CalibrationError(
                f"{where}: target '{n}' is measured under '{t.policies}' but the fit runs '{policies}'; drop it or change policies"
            )
        out.append(t)
    return tuple(out)


def _param_info(name: str) -> ParamInfo:
    from urbanize.policies import registry

    policy, dot, pname = name.partition(".")
    if not dot:
        infos = {i.name: i for i in describe(BehaviourParams)}
        if name not in infos:
            raise CalibrationError(
                f"unknown parameter '{name}'; see 'urbanize list parameters' (policy parameters are \"POLICY.PARAM\")"
            )
        return infos[name]
    known = registry.available()
    if policy not in known:
        raise CalibrationError(
            f"unknown policy '{policy}' in parameter '{name}'; see 'urbanize list policies'"
        )
    infos = {i.name: i for i in describe(known[policy].Params)}
    if pname not in infos:
        raise CalibrationError(
            f"unknown parameter '{pname}' of policy '{policy}'; valid: {', '.join(sorted(infos)) or 'none'}"
        )
    return infos[pname]


def _priors(params: Any, where: str) -> tuple[Prior, ...]:
    if not isinstance(params, dict) or not params:
        raise CalibrationError(
            f"{where}: no [parameters.NAME] table; give at least one parameter with lo and hi"
        )
    out = []
    for name, spec in params.items():
        w = f"{where}: [parameters.{name}]" if "." not in name else f'{where}: [parameters."{name}"]'
        if not isinstance(spec, dict):
            raise CalibrationError(
                f'{w} must be a table with lo and hi (a dotted name is quoted: [parameters."POLICY.PARAM"])'
            )
        if set(spec) - _PRIOR_KEYS:
            if all(isinstance(v, dict) for v in spec.values()):
                raise CalibrationError(f'{w}: quote a policy parameter\'s name: [parameters."{name}.PARAM"]')
            raise CalibrationError(
                f"{w}: unknown key(s) {', '.join(sorted(set(spec) - _PRIOR_KEYS))}; keys: hi, lo, per_city"
            )
        try:
            info = _param_info(name)
        except CalibrationError as exc:
            raise CalibrationError(f"{w}: {exc}") from None
        if info.kind is bool or info.kind not in (int, float):
            raise CalibrationError(
                f"{w}: '{name}' is not a numeric parameter; only numbers can be calibrated"
            )
        lo, hi = spec.get("lo"), spec.get("hi")
        for key, v in (("lo", lo), ("hi", hi)):
            if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
                raise CalibrationError(f"{w}: {key} must be a number (the uniform prior is [lo, hi])")
        assert isinstance(lo, int | float) and isinstance(hi, int | float)
        if lo >= hi:
            raise CalibrationError(f"{w}: lo = {lo} must be below hi = {hi}")
        if (info.lo is not None and lo < info.lo) or (info.hi is not None and hi > info.hi):
            raise CalibrationError(
                f"{w}: prior [{lo}, {hi}] leaves the parameter's valid range {info.range_text()}; narrow it"
            )
        per_city = spec.get("per_city", False)
        if not isinstance(per_city, bool):
            raise CalibrationError(f"{w}: per_city must be true or false")
        out.append(Prior(name, float(lo), float(hi), per_city, integer=info.kind is int))
    return tuple(out)
