"""Weighted counts of the rows by a combination of traits, for the coverage, work, tenure and permit indicators.

Most indicators are weighted sums over a group of households (migrants, local farmers, working-age heads, ...)
of a yes/no trait (covered, employed, renting privately). Summed one by one, each costs a product and a sum over
every row; :class:`TraitTable` instead codes each row's traits in the bits of one 16-bit number and counts the
weights by code with one ``np.bincount``, after which any group's total is the sum of a few of its cells (the
``Snapshot`` persons table, ``base.TRAITS``, does the same for the population and registration shares). The
tables' totals add the same weights as the sums they replace, in another order: they may differ in the last
bits. The dynamics read no indicator except the one ``overload_suspension`` monitors (by default
``avg_class_size_primary``, not computed here), and a threshold could flip only on a tie within about 1e-14.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from urbanize.model.enums import HouseholdType, Job, Registration, Residence, Skill
from urbanize.model.indicators.base import bit_code, ratio
from urbanize.model.retirement import PENSION_EMPLOYEE, PENSION_RESIDENT
from urbanize.model.services.city import CityServices
from urbanize.model.services.social_security import (
    INSURANCE_EMPLOYEE,
    INSURANCE_NCMS,
    INSURANCE_NONE,
    INSURANCE_RESIDENT,
)

if TYPE_CHECKING:
    from urbanize.model.indicators.base import Snapshot

Trait = Callable[["Snapshot"], np.ndarray]
STAY_MONTHS = 36  # "more than 3 years" in the NHFPC's report on the 2014 CMDS (model/targets.toml)


class TraitTable:
    """Weights (``weights(snapshot)``) of the rows counted by every combination of ``traits`` (name -> mask),
    once per snapshot; :meth:`total` and :meth:`share` read it.

    A query names traits the rows must all have; ``"not <trait>"`` the rows must lack.
    """

    def __init__(self, key: str, weights: Trait, traits: dict[str, Trait]) -> None:
        if len(traits) > 16:
            raise ValueError(f"table '{key}': {len(traits)} traits do not fit a 16-bit code; split the table")
        self.key = key
        self.weights = weights
        self.traits = traits
        cell = np.arange(1 << len(traits))
        self._has = {name: (cell >> bit) & 1 == 1 for bit, name in enumerate(traits)}
        self._queries: dict[tuple[str, ...], np.ndarray] = {}

    def counts(self, s: Snapshot) -> np.ndarray:
        """The weights by cell (the cell of a row is its code: bit ``i`` set if it has the ``i``-th trait),
        computed on the snapshot's first query."""
        store = s.__dict__.setdefault("_trait_tables", {})
        if self.key not in store:
            code = bit_code(trait(s) for trait in self.traits.values())
            store[self.key] = np.bincount(code, weights=self.weights(s), minlength=1 << len(self.traits))
        return store[self.key]

    def _cells(self, traits: tuple[str, ...]) -> np.ndarray:
        """The cells of the rows with all ``traits`` (computed once per query, asked every month)."""
        if traits not in self._queries:
            mask = np.ones(1 << len(self.traits), dtype=bool)
            for trait in traits:
                has = self._has.get(trait.removeprefix("not "))
                if has is None:
                    raise KeyError(f"unknown trait '{trait}' of table '{self.key}'; known: {', '.join(self._has)}")
                mask &= ~has if trait.startswith("not ") else has
            self._queries[traits] = np.flatnonzero(mask)
        return self._queries[traits]

    def total(self, s: Snapshot, *traits: str) -> float:
        """Weight of the rows with all ``traits``."""
        counts = self.counts(s)
        return float(counts[self._cells(traits)].sum()) if traits else float(counts.sum())

    def share(self, s: Snapshot, trait: str, *among: str) -> float:
        """Weight with ``trait`` as a share of the weight with all of ``among`` (NaN for an empty group)."""
        return ratio(self.total(s, trait, *among), self.total(s, *among))


def _either(column: str, a: int, b: int) -> Trait:
    a, b = int(a), int(b)  # plain ints: numpy compares an int8 column with an IntEnum member ten times slower

    def either(s: Snapshot) -> np.ndarray:
        v = s.pop.col(column)
        return (v == a) | (v == b)

    return either


def _is(column: str, value: int) -> Trait:
    value = int(value)  # as in _either
    return lambda s: s.pop.col(column) == value


def _scheme_code(s: Snapshot) -> int:
    """The ``insured`` value of the city's rural scheme: the residents' scheme where integrated (``ncms.code``)."""
    svc = s.model.services
    return int(svc.ncms.code) if isinstance(svc, CityServices) else INSURANCE_NCMS


def _rural_scheme(s: Snapshot) -> np.ndarray:
    """In a rural cooperative medical scheme: a migrant in that of its origin (NCMS), a local in the city's."""
    ins = s.pop.insured
    origin = ins == INSURANCE_NCMS
    code = _scheme_code(s)
    return origin if code == INSURANCE_NCMS else (origin & s.nonlocal_) | ((ins == code) & s.pop.hukou_local)


def _outside_other_schemes(s: Snapshot) -> np.ndarray:
    """Locals the city's rural scheme is for: in it, or in no scheme (as ``ncms_coverage``)."""
    ins = s.pop.insured
    return (ins == _scheme_code(s)) | (ins == INSURANCE_NONE)


#: households (real households, ``pop.weight``): pension and insurance coverage, work, community reach
HOUSEHOLDS = TraitTable(
    "households",
    lambda s: s.pop.weight,
    {
        "nonlocal": lambda s: s.nonlocal_,
        "local_farmer": _is("htype", HouseholdType.LOCAL_FARMER),
        "migrant_type": _is("htype", HouseholdType.MIGRANT),
        "pension_urban": _either("pension", PENSION_EMPLOYEE, PENSION_RESIDENT),
        "pension_any": lambda s: s.pop.pension > 0,
        "insured_urban": _either("insured", INSURANCE_EMPLOYEE, INSURANCE_RESIDENT),
        "reached": lambda s: s.pop.community_reached | (s.pop.use_community_centre > 0) | (s.pop.org_member >= 0),
        "head_under_60": lambda s: s.pop.head_age < 60,
        "employed": lambda s: s.pop.job != int(Job.NONE),
        "formal": _is("job", Job.FORMAL),
    },
)

#: persons (``Snapshot.pw``): tenure, permits, length of stay, high-skill settlers, the rural medical schemes
PERSONS = TraitTable(
    "persons",
    lambda s: s.pw,
    {
        "nonlocal": lambda s: s.nonlocal_,
        "migrant_type": _is("htype", HouseholdType.MIGRANT),
        "hukou_urban": lambda s: s.pop.hukou_urban,
        "high_skill": _is("skill", Skill.HIGH),
        # migrants and migrants granted local urban hukou here
        "migrant_origin": lambda s: ((s.htype == int(HouseholdType.MIGRANT)) & s.nonlocal_) | s.pop.former_migrant,
        "stay_3y": lambda s: s.pop.months_resident >= STAY_MONTHS,
        "resident_1m": lambda s: s.pop.months_resident >= 1,
        "rural_scheme": _rural_scheme,
        "outside_other_schemes": _outside_other_schemes,
        "private_rental": _is("residence", Residence.PRIVATE_RENTAL),
        "dormitory": _is("residence", Residence.DORMITORY),
        "urban_village_rental": _is("residence", Residence.URBAN_VILLAGE_RENTAL),
        "permit": _either("reg", Registration.RESIDENCE_PERMIT, Registration.HUKOU_APPLICANT),
        "applicant": _is("reg", Registration.HUKOU_APPLICANT),
    },
)
