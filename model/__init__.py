"""The urbanization model (Mesa): households, the city, the monthly schedule and the indicators.

``from model import UrbanizationModel`` is the entry point; see its docstring and the README.
"""

from typing import Any

__all__ = ["UrbanizationModel", "list_cities", "load_city"]


def __getattr__(name: str) -> Any:
    # imported lazily so that ``agents`` and ``policies`` can import model submodules without a cycle
    if name == "UrbanizationModel":
        from urbanize.model.core import UrbanizationModel

        return UrbanizationModel
    if name in ("list_cities", "load_city"):
        from urbanize.model import city

        return getattr(city, name)
    raise AttributeError(f"module 'model' has no attribute '{name}'")
