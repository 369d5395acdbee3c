"""Registry of policies and policy packages.

Policies are found in three places, in this order: the classes shipped in ``policies`` (registered with
:func:`register`), classes registered at run time by user code, and classes advertised by installed
packages through the entry-point group ``urbanize.policies`` (``name = "module:Class"``).

A package is a named list of policies. ``status_quo`` is the baseline every run starts from: the rules of the
land before any pilot. Naming a package or policy adds to that baseline; ``<city>_pilot`` packages hold the
measures each pilot city tried (docs/policies.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from importlib import metadata
from typing import Any

from urbanize.model.errors import ParameterError, UnknownPolicyError
from urbanize.policies.base import Policy

ENTRY_POINT_GROUP = "urbanize.policies"
BASELINE = "status_quo"

_POLICIES: dict[str, type[Policy]] = {}
_PACKAGES: dict[str, tuple[str, ...]] = {}
_entry_points_loaded = False


def register(cls: type[Policy]) -> type[Policy]:
    """Class decorator: make a policy available by its ``name``."""
    if not cls.name:
        raise TypeError(f"policy class {cls.__name__} needs a non-empty 'name'")
    _POLICIES[cls.name] = cls
    return cls


def register_package(name: str, policy_names: Iterable[str]) -> None:
    """Name a list of policies as a package (e.g. ``yanta_pilot``)."""
    _PACKAGES[name] = tuple(policy_names)


def _load_entry_points() -> None:
    global _entry_points_loaded
    if _entry_points_loaded:
        return
    _entry_points_loaded = True
    for ep in metadata.entry_points(group=ENTRY_POINT_GROUP):
        cls = ep.load()
        if not (isinstance(cls, type) and issubclass(cls, Policy)):
            raise UnknownPolicyError(
                f"entry point '{ep.name}' in group {ENTRY_POINT_GROUP} does not name a Policy subclass"
            )
        if not cls.name:
            cls.name = ep.name
        _POLICIES.setdefault(cls.name, cls)


def _ensure_loaded() -> None:
    import urbanize.policies  # noqa: F401  (registers the shipped policies)

    _load_entry_points()


def available() -> dict[str, type[Policy]]:
    """Every known policy class by name."""
    _ensure_loaded()
    return dict(sorted(_POLICIES.items()))


def packages() -> dict[str, tuple[str, ...]]:
    """Every known package by name."""
    _ensure_loaded()
    return dict(sorted(_PACKAGES.items()))


def expand(spec: str | Iterable[str]) -> list[str]:
    """Expand a policy spec ("pkg", "a,b" or a list) into policy names, baseline first, without repeats.

    Raises:
        UnknownPolicyError: for a name that is neither a package nor a policy.
    """
    _ensure_loaded()
    items = [s.strip() for s in spec.split(",")] if isinstance(spec, str) else [str(s).strip() for s in spec]
    items = [s for s in items if s]
    names: list[str] = [BASELINE]
    for item in items:
        if item in _PACKAGES:
            members = list(_PACKAGES[item])
        elif item in _POLICIES:
            members = [item]
        else:
            raise UnknownPolicyError(
                f"unknown policy or package '{item}'; packages: {', '.join(sorted(_PACKAGES))}; "
                f"policies: {', '.join(sorted(_POLICIES))} (see 'urbanize list policies')"
            )
        for m in members:
            if m not in names:
                names.append(m)
    return names


def resolve(
    spec: str | Iterable[str], policy_params: Mapping[str, Mapping[str, Any]] | None = None
) -> list[Policy]:
    """Instantiate the policies of a spec with their parameters.

    Args:
        spec: package or policy names ("changshu_pilot", "rented_residence_hukou,public_rental_housing").
        policy_params: per-policy parameter values, ``{"rented_residence_hukou": {"contribution_years": 3}}``.

    Raises:
        UnknownPolicyError: unknown name. ParameterError: parameters for a policy not in the spec, or invalid.
    """
    names = expand(spec)
    params = {k: dict(v) for k, v in (policy_params or {}).items()}
    stray = sorted(set(params) - set(names))
    if stray:
        if stray[0] in _POLICIES:
            raise ParameterError(
                f"parameters given for policy '{stray[0]}', which is not active; add it to the policies "
                f"(active: {', '.join(names)})"
            )
        raise UnknownPolicyError(
            f"parameters given for unknown policy '{stray[0]}'; policies: {', '.join(sorted(_POLICIES))}"
        )
    return [_POLICIES[n](**params.get(n, {})) for n in names]


def split_dotted(values: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """Split ``{"arrival_rate": .., "policy.param": ..}`` into model and per-policy parameters."""
    model_params: dict[str, Any] = {}
    policy_params: dict[str, dict[str, Any]] = {}
    for key, value in values.items():
        if "." in key:
            pol, _, p = key.partition(".")
            policy_params.setdefault(pol, {})[p] = value
        else:
            model_params[key] = value
    return model_params, policy_params
