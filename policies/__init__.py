"""Pluggable city policies (DESIGN.md section 4).

Importing this package registers the shipped policies and packages; see ``policies.registry`` for lookup and
``policies.base`` for the protocol a policy follows.
"""

from policies import status_quo  # noqa: F401  (registers the baseline)
from policies.base import Policy, Transition
from policies.registry import available, packages, register, register_package, resolve

__all__ = ["Policy", "Transition", "available", "packages", "register", "register_package", "resolve"]
