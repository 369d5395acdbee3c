"""Optional parts of the install: one line naming the ``pip install`` when an extra is missing.

The base install holds the model, the command line and sweeps on a local process pool. The app, Dask clusters
and DuckDB queries live in extras (``pyproject.toml``: ``app``, ``cluster``, ``sql``; ``all`` and ``test`` pull
every one), so that an environment for sweeps on a cluster node does not carry a web stack.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from urbanize.model.errors import UrbanizeError


class MissingExtraError(UrbanizeError):
    """An optional dependency that the requested feature needs is not installed."""


def require(module: str, extra: str, feature: str) -> ModuleType:
    """Import ``module`` or raise a one-line error naming the extra that brings it.

    Args:
        module: the import name, e.g. ``"solara"``.
        extra: the extra of this package that installs it, e.g. ``"app"``.
        feature: what the user asked for, for the message, e.g. ``"urbanize viz"``.
    """
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        if exc.name is not None and exc.name.split(".")[0] != module.split(".")[0]:
            raise  # the package is there but is itself broken: show that, not a misleading hint
        raise MissingExtraError(
            f"{feature} needs the optional package '{module.split('.')[0]}', which is not installed; "
            f"install it with: pip install 'urbanize[{extra}]'"
        ) from None
