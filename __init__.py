"""urbanize: an agent-based model of urbanization and equal access to social services (Mesa).

The repository's top-level folders install as subpackages of this one import package, so that generic names
never collide with other packages or with a user's own files::

    from urbanize import UrbanizationModel     # the model (urbanize.model)
    import urbanize.policies                   # pluggable policies and packages
    import urbanize.experiments                # sweeps, comparisons, the command line
    import urbanize.viz                        # the Solara app (needs the ``app`` extra)

This file is the package's ``__init__``: ``pyproject.toml`` maps the package ``urbanize`` to the repository's
root and ``urbanize.model`` to ``model/`` and so on (see docs/install.md).
"""

from __future__ import annotations

from importlib import metadata
from typing import Any

try:
    __version__ = metadata.version("urbanize")
except metadata.PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"

__all__ = ["UrbanizationModel", "__version__", "list_cities", "load_city"]


def __getattr__(name: str) -> Any:
    # lazy, so that ``import urbanize.policies`` does not build the model's import graph first
    if name in ("UrbanizationModel", "list_cities", "load_city"):
        from urbanize import model

        return getattr(model, name)
    raise AttributeError(f"module 'urbanize' has no attribute '{name}'")
