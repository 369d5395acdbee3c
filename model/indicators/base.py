"""The indicator registry and the month's :class:`Snapshot` (arrays several indicators share, computed once)."""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from urbanize.model.enums import HouseholdType, Registration

if TYPE_CHECKING:
    from urbanize.model.core import UrbanizationModel
    from urbanize.model.population import Population


@dataclass(frozen=True)
class Indicator:
    name: str
    doc: str
    unit: str
    fn: Callable[[Snapshot], float]
    policy: str | None = None  # an optional policy's own indicator: a column only of runs with that policy


_REGISTRY: dict[str, Indicator] = {}
#: Modules of the indicators of the population, registration, flows, settlement and housing, in column order.
CORE_MODULES = ("population", "registration", "flows", "demography", "settlement", "housing")
#: Modules of the indicators that read the service catalogue, in column order (loaded on first use of the registry).
SERVICE_MODULES = (
    "education",
    "school_levels",
    "health",
    "tenure",
    "assistance",
    "social_security",
    "community",
    "fiscal",
    "queues",
    "access",
    "elderly_care",
    "coupons",
    "assistance_split",
    "health_project",
    "villagers",
)


def indicator(
    name: str, doc: str, unit: str = "", policy: str | None = None
) -> Callable[[Callable[[Snapshot], float]], Callable]:
    """Decorator registering ``fn(snapshot) -> float`` as indicator ``name``.

    ``policy``: the indicator describes that optional policy's own state (a suspension month, say) and is a
    column only of runs where the policy is active, so the status quo's columns do not grow with every lever.
    """

    def deco(fn: Callable[[Snapshot], float]) -> Callable[[Snapshot], float]:
        _REGISTRY[name] = Indicator(name, doc, unit, fn, policy)
        return fn

    return deco


def registry(policies: Iterable[str] | None = ()) -> dict[str, Indicator]:
    """Indicators by name, in column order: those of every run, then those of the active ``policies``.

    ``registry()`` gives the columns of every run; ``registry(names)`` adds the indicators of the named
    policies (the columns of a run with them); ``registry(None)`` gives every indicator, whatever its policy.
    """
    _load_extensions()
    if policies is None:
        return dict(_REGISTRY)
    active = set(policies)
    common = {k: v for k, v in _REGISTRY.items() if v.policy is None}
    own = {k: v for k, v in _REGISTRY.items() if v.policy is not None and v.policy in active}
    return common | own


def unknown_indicator_hint(name: str) -> str:
    """Why ``name`` is not a column of every run: a policy's own indicator names its policy; else ''."""
    found = registry(None).get(name)
    if found is None or found.policy is None:
        return ""
    return f" (it is a column only of runs with policy '{found.policy}', not of every run compared)"


def list_indicators(policies: Iterable[str] | None = ()) -> list[tuple[str, str]]:
    """(name, meaning) of the indicators ``registry(policies)`` holds, in column order: by default the columns of
    every run; ``None`` adds every policy's own, whose meaning names the policy that adds them."""

    def meaning(i: Indicator) -> str:
        text = f"{i.doc} [{i.unit}]" if i.unit else i.doc
        return f"{text} (with policy {i.policy})" if i.policy else text

    return [(i.name, meaning(i)) for i in registry(policies).values()]


def _load_extensions() -> None:
    """Register the indicators that read the service catalogue, after the policies' own (the policy modules
    register theirs on import): the columns come in the same order whatever was imported first."""
    import urbanize.policies  # noqa: F401

    for module in SERVICE_MODULES:
        importlib.import_module(f"urbanize.model.indicators.{module}")


def ratio(num: float, den: float) -> float:
    return float(num / den) if den > 0 else float("nan")


def bit_code(masks: Iterable[np.ndarray], low: np.ndarray | None = None, low_bits: int = 0) -> np.ndarray:
    """Each row's code for counting rows by a combination of traits with one ``np.bincount``: bit
    ``low_bits + i`` set where ``masks[i]`` holds, the bits below it from ``low`` (uint8 values below
    ``2 ** low_bits``). At most 16 bits in all: a uint8 code up to 8 bits, else uint16."""
    lanes: list[np.ndarray] = [] if low is None else [low.astype(np.uint8)]
    bit = low_bits
    for mask in masks:
        m = np.asarray(mask, dtype=bool)
        if bit % 8 == 0 and len(lanes) <= bit // 8:
            lanes.append(np.zeros(m.size, dtype=np.uint8))
        # a bool's byte times a power of two: numpy multiplies uint8 arrays with vector instructions, while it
        # shifts them one element at a time (five times slower); the bits are disjoint, so adding sets them
        lanes[bit // 8] += m.view(np.uint8) * np.uint8(1 << (bit % 8))
        bit += 1
    if bit > 16:
        raise ValueError(f"{bit} bits of traits do not fit a 16-bit code")
    if len(lanes) == 1:
        return lanes[0]
    return lanes[1].astype(np.uint16) * np.uint16(256) + lanes[0]


class Snapshot:
    """Arrays shared by the indicators of one month (computed once, on first use)."""

    def __init__(self, model: UrbanizationModel) -> None:
        self.model: UrbanizationModel = model
        self.pop: Population = model.pop

    @cached_property
    def persons(self) -> np.ndarray:
        return self.pop.persons()

    @cached_property
    def pw(self) -> np.ndarray:
        """Real persons each row stands for."""
        return self.persons * self.pop.weight

    @cached_property
    def residents(self) -> float:
        """Real persons in all (four indicators ask)."""
        return float(self.pw.sum())

    @cached_property
    def htype(self) -> np.ndarray:
        return self.pop.htype

    @cached_property
    def by_type(self) -> np.ndarray:
        return np.bincount(_CELL & ((1 << _TYPE_BITS) - 1), weights=self._cells, minlength=4)

    @cached_property
    def by_registration(self) -> np.ndarray:
        """Persons by registration state."""
        return np.bincount(self.pop.reg.view(np.uint8), weights=self.pw, minlength=max(Registration) + 1)

    @cached_property
    def nonlocal_(self) -> np.ndarray:
        """Rows without local hukou (the seed's "migrants")."""
        return ~self.pop.hukou_local

    @cached_property
    def migrant_pw(self) -> np.ndarray:
        return self.pw * self.nonlocal_

    @cached_property
    def registered(self) -> np.ndarray:
        reg = self.pop.reg  # plain ints: numpy compares an int8 column with an IntEnum ten times slower
        return (reg >= int(Registration.REGISTERED)) & (reg <= int(Registration.HUKOU_APPLICANT))

    @cached_property
    def vacant_dwellings(self) -> np.ndarray:
        return self.model.housing.vacant()

    @cached_property
    def urban_district(self) -> np.ndarray:
        # a comparison per district (a handful) instead of a gather through the int16 index: four times faster
        urban, district = self.model.district_is_urban, self.pop.district
        rare = urban if 2 * urban.sum() <= urban.size else ~urban
        mask = np.zeros(district.size, dtype=bool)
        for d in np.flatnonzero(rare):
            mask |= district == d
        return mask if rare is urban else ~mask

    def weighted_total(self, column: str) -> float:
        """Sum of the population column ``column`` times the rows' weights (real households), once a month."""
        totals = self.__dict__.setdefault("_weighted_totals", {})
        if column not in totals:
            # elementwise products, not np.dot: a threaded BLAS dot stalls on a loaded machine (7 ms a month at
            # 100,000 households with 2 cores busy)
            totals[column] = float((self.pop.col(column) * self.pop.weight).sum())
        return totals[column]

    def share(self, mask: np.ndarray, among: np.ndarray) -> float:
        """Weighted-person share of ``mask`` among rows ``among``."""
        among_pw = self.pw * among
        # elementwise products, not BLAS dot: a threaded dot stalls on a loaded machine
        return ratio(float((among_pw * mask).sum()), float(among_pw.sum()))

    # --- persons by trait: one pass over the rows serves every share of traits ---------------------------------
    @cached_property
    def _cells(self) -> np.ndarray:
        """Persons in each combination of household type (bits 0-1) and the traits of ``TRAITS`` (bits 2-)."""
        code = bit_code((trait(self) for trait in TRAITS.values()), self.htype.view(np.uint8), _TYPE_BITS)
        return np.bincount(code, weights=self.pw, minlength=1 << (_TYPE_BITS + len(TRAITS)))

    def persons_with(self, *traits: str) -> float:
        """Persons in households with all ``traits`` (names of ``TRAITS``, ``not <trait>`` or ``type_<type>``)."""
        cells = self._cells
        return float(cells[_cells_with(traits)].sum()) if traits else float(cells.sum())

    def share_of(self, trait: str, *among: str) -> float:
        """Persons with ``trait`` as a share of those with all of ``among`` (traits as for :meth:`persons_with`)."""
        return ratio(self.persons_with(trait, *among), self.persons_with(*among))


_TYPE_BITS = 2  # household type, 0-3

# Household traits the population, registration and settlement shares are made of. ``Snapshot.persons_with`` sums
# the persons of any combination of them (and of the household type) from one weighted count of the rows by
# trait, instead of a pass over the rows per indicator.
TRAITS: dict[str, Callable[[Snapshot], np.ndarray]] = {
    "nonlocal": lambda s: s.nonlocal_,
    "hukou_urban": lambda s: s.pop.hukou_urban,
    "urban_district": lambda s: s.urban_district,
    "registered": lambda s: s.registered,
    "intends_settle": lambda s: s.pop.intends_settle,
    "wants_hukou": lambda s: s.pop.wants_hukou,
    "female_head": lambda s: s.pop.head_female,
    "head_under_30": lambda s: s.pop.head_age < 30,
    "head_30_44": lambda s: (s.pop.head_age >= 30) & (s.pop.head_age < 45),
    "aware_registration": lambda s: s.model.awareness.of("registration"),
    "aware_hukou": lambda s: s.model.awareness.of("hukou"),
}
_CELL = np.arange(1 << (_TYPE_BITS + len(TRAITS)))
assert _CELL.size <= 1 << 16, "household traits are coded in 16 bits"
_CELL_HAS = {name: (_CELL >> bit) & 1 == 1 for bit, name in enumerate(TRAITS, start=_TYPE_BITS)}
_CELL_HAS |= {f"type_{t.label}": (_CELL & ((1 << _TYPE_BITS) - 1)) == int(t) for t in HouseholdType}
_CELL_HAS["head_45_plus"] = ~_CELL_HAS["head_under_30"] & ~_CELL_HAS["head_30_44"]


@functools.cache
def _cells_with(traits: tuple[str, ...]) -> np.ndarray:
    """Cells (of ``Snapshot._cells``, as indices) of households with all ``traits``; computed once per combination
    (some 40 indicators a month ask for the same few dozen)."""
    mask = np.ones(_CELL.size, dtype=bool)
    for trait in traits:
        negate = trait.startswith("not ")
        has = _CELL_HAS.get(trait.removeprefix("not "))
        if has is None:
            raise KeyError(f"unknown household trait '{trait}'; known: {', '.join(_CELL_HAS)}")
        mask &= ~has if negate else has
    cells = np.flatnonzero(mask)
    cells.flags.writeable = False  # shared by every call
    return cells


def split_by_head(base: str, doc: str, trait: str, *among: str) -> None:
    """Register ``base`` (the share with ``trait`` among ``among``) split by sex and age group of the head."""
    groups = {
        "female_head": "female_head",
        "male_head": "not female_head",
        "head_under_30": "head_under_30",
        "head_30_44": "head_30_44",
        "head_45_plus": "head_45_plus",
    }
    for suffix, group in groups.items():

        def split_indicator(s: Snapshot, group: str = group) -> float:
            return s.share_of(trait, *among, group)

        indicator(f"{base}_{suffix}", f"{doc}, households with {suffix.replace('_', ' ')}", "share")(
            split_indicator
        )
