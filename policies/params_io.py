"""Model and policy parameters from the command line (``--set``) and from TOML files (``--params``).

Both give the same pair: model (behavioural) parameters, the keywords of ``UrbanizationModel`` listed by
``model.params.BehaviourParams``, and per-policy parameters, ``{"policy": {"param": value}}``. Names and values
are checked here, so a typo fails before a run starts, with a one-line message naming the valid choices.

Command line::

    urbanize run --set arrival_rate=0.01 --set rented_residence_hukou.contribution_years=3 ...

A parameter file (top-level keys are model parameters, each table a policy)::

    arrival_rate = 0.01

    [rented_residence_hukou]
    contribution_years = 2

Python::

    model_params, policy_params = load_params_toml("params.toml")
    UrbanizationModel(city="yanta", policies="yanta_pilot", policy_params=policy_params, **model_params)

Whether a policy named here is active is checked when the model is built (``policies.registry.resolve``).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from urbanize.model.errors import ParameterError, UnknownPolicyError
from urbanize.model.params import BehaviourParams, build, describe
from urbanize.policies import registry

ModelParams = dict[str, Any]
PolicyParams = dict[str, dict[str, Any]]

_SET_EXAMPLE = "e.g. arrival_rate=0.01 or rented_residence_hukou.contribution_years=3"


def _check_model_param(name: str, value: Any, where: str) -> Any:
    """The typed, range-checked value of model parameter ``name``."""
    infos = {i.name: i for i in describe(BehaviourParams)}
    if name not in infos:
        raise ParameterError(
            f"{where}unknown parameter '{name}'; valid model parameters: {', '.join(sorted(infos))} "
            "(policy parameters are written POLICY.PARAM; see 'urbanize list parameters')"
        )
    return getattr(build(BehaviourParams, {name: value}), name)


def _check_policy_param(policy: str, name: str, value: Any, where: str) -> Any:
    """The typed, range-checked value of parameter ``name`` of ``policy``."""
    known = registry.available()
    if policy not in known:
        raise UnknownPolicyError(
            f"{where}unknown policy '{policy}'; policies: {', '.join(sorted(known))} (see 'urbanize list policies')"
        )
    cls = known[policy]
    valid = sorted(i.name for i in describe(cls.Params))
    if name not in valid:
        choices = ", ".join(valid) if valid else "none (it has no parameters)"
        raise ParameterError(f"{where}unknown parameter '{name}' of policy '{policy}'; valid: {choices}")
    return getattr(build(cls.Params, {name: value}, owner=f"{policy} "), name)


def _with_where(exc: ParameterError | UnknownPolicyError, where: str) -> Exception:
    msg = str(exc)
    return type(exc)(msg if msg.startswith(where) else f"{where}{msg}")


def parse_set_options(items: Iterable[str]) -> tuple[ModelParams, PolicyParams]:
    """Parse ``--set`` items, ``NAME=VALUE`` (model parameter) or ``POLICY.PARAM=VALUE``.

    Values are converted to each parameter's type (int, float or bool: true/false, yes/no, on/off, 1/0) and
    range-checked. A later item for the same name wins.

    Args:
        items: e.g. ``["arrival_rate=0.01", "rented_residence_hukou.contribution_years=3"]``.

    Returns:
        ``(model_params, policy_params)``, e.g.
        ``({"arrival_rate": 0.01}, {"rented_residence_hukou": {"contribution_years": 3}})``.

    Raises:
        ParameterError: a malformed item, an unknown parameter or a bad value (one line, naming valid choices).
        UnknownPolicyError: an unknown policy name.
    """
    model_params: ModelParams = {}
    policy_params: PolicyParams = {}
    for raw in items:
        item = str(raw).strip()
        key, eq, value = item.partition("=")
        key, value = key.strip(), value.strip()
        parts = key.split(".")
        if not eq or not value or not all(parts) or len(parts) > 2:
            raise ParameterError(f"--set '{raw}' is not NAME=VALUE or POLICY.PARAM=VALUE; {_SET_EXAMPLE}")
        where = f"--set {key}: "
        try:
            if len(parts) == 1:
                model_params[key] = _check_model_param(key, value, where)
            else:
                policy, name = parts
                policy_params.setdefault(policy, {})[name] = _check_policy_param(policy, name, value, where)
        except (ParameterError, UnknownPolicyError) as exc:
            raise _with_where(exc, where) from None
    return model_params, policy_params


def params_from_mapping(data: Mapping[str, Any], where: str = "") -> tuple[ModelParams, PolicyParams]:
    """Split and check a mapping of top-level model parameters and ``{policy: {param: value}}`` tables.

    Raises:
        ParameterError / UnknownPolicyError: as :func:`parse_set_options`, prefixed by ``where``.
    """
    model_params: ModelParams = {}
    policy_params: PolicyParams = {}
    for key, value in data.items():
        try:
            if isinstance(value, Mapping):
                table: dict[str, Any] = {}
                for name, v in value.items():
                    if isinstance(v, Mapping | list):
                        raise ParameterError(
                            f"{where}[{key}] {name} must be a single value, not a "
                            f"{'table' if isinstance(v, Mapping) else 'list'}"
                        )
                    table[name] = _check_policy_param(key, name, v, where)
                policy_params[key] = table
            elif isinstance(value, list):
                raise ParameterError(f"{where}model parameter '{key}' must be a single value, not a list")
            else:
                model_params[key] = _check_model_param(key, value, where)
        except (ParameterError, UnknownPolicyError) as exc:
            raise _with_where(exc, where) from None
    return model_params, policy_params


def load_params_toml(path: str | Path) -> tuple[ModelParams, PolicyParams]:
    """Read a TOML parameter file: top-level model parameters and one ``[policy_name]`` table per policy.

    Args:
        path: the file, e.g. ``params.toml`` containing ``arrival_rate = 0.01`` and
            ``[rented_residence_hukou]`` / ``contribution_years = 2``.

    Returns:
        ``(model_params, policy_params)`` as :func:`parse_set_options`.

    Raises:
        ParameterError: an unreadable or malformed file, an unknown parameter or a bad value (one line, naming
            the file). UnknownPolicyError: a table naming an unknown policy.
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ParameterError(f"parameter file '{p}' does not exist") from None
    except IsADirectoryError:
        raise ParameterError(f"parameter file '{p}' is a folder, not a TOML file") from None
    except UnicodeDecodeError:
        raise ParameterError(f"parameter file '{p}' is not UTF-8 text (a TOML file is expected)") from None
    except OSError as exc:
        raise ParameterError(
            f"cannot read parameter file '{p}': {exc.strerror or type(exc).__name__}"
        ) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        reason = " ".join(str(exc).split())
        raise ParameterError(f"parameter file '{p}' is not valid TOML: {reason}") from None
    return params_from_mapping(data, where=f"parameter file '{p}': ")


def merge_params(
    *pairs: tuple[Mapping[str, Any], Mapping[str, Mapping[str, Any]]],
) -> tuple[ModelParams, PolicyParams]:
    """Merge ``(model_params, policy_params)`` pairs; later pairs win (file first, then ``--set``)."""
    model_params: ModelParams = {}
    policy_params: PolicyParams = {}
    for mp, pp in pairs:
        model_params.update(mp)
        for name, values in pp.items():
            policy_params.setdefault(name, {}).update(values)
    return model_params, policy_params
