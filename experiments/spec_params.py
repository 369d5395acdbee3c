"""Checks of a sweep file's parameters and sampler: each parameter is a known behavioural ('arrival_rate') or
policy ('policy.param') parameter of an active policy, with a fixed value, a list of levels or a range inside its
valid range, and the sampler gets what it needs (samples, Morris levels). Problems are recorded through ``p`` (one
line each, collected by :func:`urbanize.experiments.spec.parse_spec`), so a file reports all of its problems at once.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from urbanize.experiments import limits
from urbanize.experiments.design import ParamSpec, Range, as_kind
from urbanize.model.errors import UrbanizeError


def _did_you_mean(word: str, options: Any) -> str:
    close = difflib.get_close_matches(word, list(options), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _param_info(name: str, active: Mapping[str, set[str] | None], p: Any) -> Any:
    """The ParamInfo of a behavioural ('arrival_rate') or policy ('policy.param') parameter, or None."""
    from urbanize.model.params import BehaviourParams, describe
    from urbanize.policies import registry

    if "." not in name:
        infos = {i.name: i for i in describe(BehaviourParams)}
        if name not in infos:
            p(
                f"unknown parameter '{name}'{_did_you_mean(name, infos)}; behavioural parameters are listed by "
                f"'urbanize list parameters', policy parameters are written 'policy.param'"
            )
            return None
        return infos[name]
    pol, _, pname = name.partition(".")
    classes = registry.available()
    if pol not in classes:
        p(f"unknown policy '{pol}' in parameter '{name}'{_did_you_mean(pol, classes)}")
        return None
    infos = {i.name: i for i in classes[pol].param_infos()}
    if pname not in infos:
        valid = ", ".join(f"{pol}.{n}" for n in infos) or "none"
        p(f"unknown parameter '{name}'{_did_you_mean(pname, infos)}; parameters of policy '{pol}': {valid}")
        return None
    inactive = [pkg for pkg, act in active.items() if act is not None and pol not in act]
    if inactive:
        p(
            f"parameter '{name}' sets policy '{pol}', which is not active in package '{inactive[0]}'; "
            f"add '{pol}' to that package (e.g. '{inactive[0]}+{pol}')"
        )
        return None
    return infos[name.partition(".")[2]]


_BAD = object()  # marks a value that failed validation (its problem is already recorded)


def _check_value(info: Any, name: str, value: Any, p: Any) -> Any:
    from urbanize.model.params import coerce

    try:
        v = coerce(info, value, "")
    except UrbanizeError as exc:
        p(str(exc).replace(f"parameter '{info.name}'", f"parameter '{name}'"))
        return _BAD
    if isinstance(v, float) and not math.isfinite(v):
        p(f"parameter '{name}' must be finite, got {value!r}")
        return _BAD
    if isinstance(v, int | float) and not isinstance(v, bool) and not _inside(info, v):
        p(
            f"parameter '{name}' = {value!r} is outside its valid range {info.range_text()} {info.unit}".rstrip()
        )
        return _BAD
    return v


def _inside(info: Any, v: float) -> bool:
    return (info.lo is None or v >= info.lo) and (info.hi is None or v <= info.hi)


def _check_param(
    name: str, raw: Any, sampler: str, active: Mapping[str, set[str] | None], p: Any
) -> ParamSpec | None:
    info = _param_info(name, active, p)
    if info is None:
        return None
    kind = info.kind
    if isinstance(raw, list):
        if not raw:
            p(f"parameter '{name}': empty list of levels")
            return None
        if sampler in ("sobol", "morris"):
            p(
                f"parameter '{name}': sampler '{sampler}' analyses ranges, not lists; "
                f"give it as {{ min = ..., max = ... }} or a fixed value"
            )
            return None
        values = [_check_value(info, name, v, p) for v in raw]
        if any(v is _BAD for v in values):
            return None
        if len(set(values)) != len(values):
            p(f"parameter '{name}': repeated levels in {raw!r}")
            return None
        return ParamSpec(name, kind, values=tuple(values))
    if isinstance(raw, Mapping):
        return _check_range(name, raw, info, sampler, p)
    v = _check_value(info, name, raw, p)
    return None if v is _BAD else ParamSpec(name, kind, value=v)


def _check_range(name: str, raw: Mapping[str, Any], info: Any, sampler: str, p: Any) -> ParamSpec | None:
    keys = set(raw)
    unknown = sorted(keys - {"min", "max", "step", "levels"})
    if unknown or not {"min", "max"} <= keys:
        p(
            f"parameter '{name}': a range is {{ min = ..., max = ... }} with optional 'step' or 'levels', got {dict(raw)!r}"
        )
        return None
    lo, hi = raw["min"], raw["max"]
    if not all(isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x) for x in (lo, hi)):
        p(f"parameter '{name}': range bounds must be finite numbers, got min = {lo!r}, max = {hi!r}")
        return None
    if info.kind is bool:
        p(f"parameter '{name}' is true/false; give it as [true, false] or a fixed value, not a range")
        return None
    if not lo < hi:
        p(f"parameter '{name}': range min ({lo}) must be below max ({hi})")
        return None
    if not (_inside(info, lo) and _inside(info, hi)):
        p(
            f"parameter '{name}': range [{lo:g}, {hi:g}] is outside its valid range "
            f"{info.range_text()} {info.unit}".rstrip()
        )
        return None
    levels = None
    if "step" in raw and "levels" in raw:
        p(f"parameter '{name}': give 'step' or 'levels', not both")
        return None
    if "step" in raw:
        step = raw["step"]
        if not isinstance(step, int | float) or isinstance(step, bool) or not 0 < step < math.inf:
            p(f"parameter '{name}': 'step' must be a positive finite number, got {step!r}")
            return None
        n_float = limits.step_levels(lo, hi, step)
        if n_float > limits.MAX_LEVELS:
            p(
                f"parameter '{name}': step {step!r} gives {n_float:,.0f} levels from {lo:g} to {hi:g}, more than "
                f"the limit of {limits.MAX_LEVELS:,}; use a larger step"
            )
            return None
        n = int(n_float)
        levels = tuple(as_kind(info.kind, lo + i * step) for i in range(n))
    elif "levels" in raw:
        k = raw["levels"]
        if isinstance(k, bool) or not isinstance(k, int) or not 2 <= k <= limits.MAX_LEVELS:
            p(f"parameter '{name}': 'levels' must be a whole number from 2 to {limits.MAX_LEVELS:,}, got {k!r}")
            return None
        levels = tuple(dict.fromkeys(as_kind(info.kind, x) for x in np.linspace(lo, hi, k)))
    if levels is not None and sampler in ("sobol", "morris"):
        p(f"parameter '{name}': sampler '{sampler}' samples the range itself; drop 'step'/'levels'")
        return None
    if levels is None and sampler == "grid":
        p(
            f"parameter '{name}': sampler 'grid' needs levels for a range; add 'step' or 'levels', "
            f"or use sampler 'lhs', 'sobol' or 'morris'"
        )
        return None
    return ParamSpec(name, info.kind, range=Range(float(lo), float(hi), levels))


def _check_sampler(
    sampler: str, samples: Any, morris_levels: Any, params: list[ParamSpec], p: Any, params_ok: bool = True
) -> None:
    ranges = [ps for ps in params if ps.range is not None and ps.range.levels is None]
    if samples is not None and (
        isinstance(samples, bool) or not isinstance(samples, int) or not 1 <= samples <= limits.MAX_RUNS
    ):
        p(f"'samples' must be a whole number from 1 to {limits.MAX_RUNS:,}, got {samples!r}")
        return
    match sampler:
        case "grid":
            if samples is not None:
                p(
                    "sampler 'grid' takes no 'samples' (its size is the product of the levels); "
                    "remove 'samples' or use sampler 'lhs', 'sobol' or 'morris'"
                )
        case "lhs" | "sobol" | "morris":
            if not ranges and params_ok:
                p(f"sampler '{sampler}' needs at least one parameter range {{ min = ..., max = ... }}")
            if samples is None:
                what = {
                    "lhs": "design points",
                    "sobol": "base sample N, a power of two",
                    "morris": "trajectories",
                }
                p(f"sampler '{sampler}' needs 'samples' ({what[sampler]})")
            elif sampler == "sobol" and (samples < 2 or samples & (samples - 1)):
                lo = 1 << max(1, samples.bit_length() - 1)
                p(
                    f"sampler 'sobol' needs 'samples' to be a power of two >= 2, got {samples}; try {lo} or {lo * 2}"
                )
            elif sampler in ("lhs", "morris") and samples < 2:
                p(f"sampler '{sampler}' needs 'samples' >= 2, got {samples}")
            if sampler == "morris" and (
                isinstance(morris_levels, bool)
                or not isinstance(morris_levels, int)
                or not 2 <= morris_levels <= limits.MAX_MORRIS_LEVELS
                or morris_levels % 2
            ):
                # an even number of levels lets every level be reached by a jump of levels / 2 (Morris 1991;
                # SALib's documentation asks for it)
                p(
                    f"'morris_levels' must be an even whole number from 2 to {limits.MAX_MORRIS_LEVELS}, "
                    f"got {morris_levels!r}"
                )
    if sampler != "morris" and morris_levels != 4:
        p(f"'morris_levels' applies to sampler 'morris' only (sampler is '{sampler}')")
