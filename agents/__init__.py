"""Household agents (Mesa agents backed by the model's column store)."""

from urbanize.agents.household import (
    HOUSEHOLD_CLASSES,
    Household,
    LocalFarmer,
    Migrant,
    UrbanPoor,
    UrbanResident,
)

__all__ = ["HOUSEHOLD_CLASSES", "Household", "LocalFarmer", "Migrant", "UrbanPoor", "UrbanResident"]
