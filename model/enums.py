"""Categorical states of households and districts (docs/model.md, section 2).

States are Enums with small integer values so they can live in numpy columns; code that branches on them
matches exhaustively and raises on the unknown case.
"""

import enum


class HouseholdType(enum.IntEnum):
    """The seed's three target groups plus the benchmark group (seed ch.1 III)."""

    MIGRANT = 0  # rural-hukou households from elsewhere
    LOCAL_FARMER = 1  # local rural-hukou households, many losing land to urban expansion
    URBAN_POOR = 2  # low-income households with local urban hukou
    URBAN_RESIDENT = 3  # everyone else with local urban hukou: the benchmark for equal access

    @property
    def label(self) -> str:
        return self.name.lower()


class Registration(enum.IntEnum):
    """The registration state machine, the spine of the model.

    unregistered -> registered -> residence permit -> hukou applicant -> local urban hukou, and
    local rural hukou -> local urban hukou for local farmers.
    """

    UNREGISTERED = 0
    REGISTERED = 1  # in the migrant information system
    RESIDENCE_PERMIT = 2
    HUKOU_APPLICANT = 3
    LOCAL_URBAN_HUKOU = 4
    LOCAL_RURAL_HUKOU = 5


class Job(enum.IntEnum):
    NONE = 0
    INFORMAL = 1
    FORMAL = 2  # labour contract with social insurance contributions


class Skill(enum.IntEnum):
    LOW = 0
    MID = 1
    HIGH = 2


class Residence(enum.IntEnum):
    DORMITORY = 0
    URBAN_VILLAGE_RENTAL = 1
    PRIVATE_RENTAL = 2
    PUBLIC_RENTAL = 3
    OWNED = 4
    RESETTLEMENT = 5  # apartment received for land or homestead (Jinnan model towns)


RENTED = (Residence.URBAN_VILLAGE_RENTAL, Residence.PRIVATE_RENTAL, Residence.PUBLIC_RENTAL)


class DistrictKind(enum.IntEnum):
    URBAN_CORE = 0
    URBAN_VILLAGE = 1
    NEW_TOWN = 2  # new town or resettlement community (model town)
    INDUSTRIAL_PARK = 3
    RURAL_TOWNSHIP = 4

    @property
    def urban(self) -> bool:
        return self is not DistrictKind.RURAL_TOWNSHIP


def parse_enum[E: enum.Enum](cls: type[E], value: str, what: str) -> E:
    """Look up an enum member by lower-case name, with a clear error listing the valid names."""
    try:
        return cls[value.upper()]
    except KeyError:
        valid = ", ".join(m.name.lower() for m in cls)
        raise ValueError(f"unknown {what} '{value}'; valid: {valid}") from None
