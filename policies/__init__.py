"""Pluggable city policies (docs/policies.md).

Importing this package registers every policy module in it (each module registers its classes with
``policies.registry.register`` and its packages with ``register_package``); see ``policies.base`` for the
protocol a policy follows and ``docs/policies.md`` for the catalogue.
"""

import importlib
import pkgutil

from urbanize.policies.base import Policy, Transition
from urbanize.policies.registry import available, packages, register, register_package, resolve

_INFRASTRUCTURE = {"base", "registry"}
for _info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
    if _info.name not in _INFRASTRUCTURE and not _info.name.startswith("_"):
        importlib.import_module(f"urbanize.policies.{_info.name}")

__all__ = ["Policy", "Transition", "available", "packages", "register", "register_package", "resolve"]
