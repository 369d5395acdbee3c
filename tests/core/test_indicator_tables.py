"""The indicators' shared counts (model/indicators/tables.py, base.py, service_base.py) equal the plain sums they
replace: the trait tables and the persons table against masked sums, the sparse families' sums against sums over
every row, and the bit codes against hand-worked codes."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from urbanize.model import UrbanizationModel
from urbanize.model.enums import HouseholdType
from urbanize.model.indicators import TRAITS, Snapshot
from urbanize.model.indicators.base import bit_code
from urbanize.model.indicators.service_base import SPARSE_FAMILIES, wsum, wsum_of
from urbanize.model.indicators.tables import HOUSEHOLDS, PERSONS, TraitTable


@pytest.fixture(scope="module")
def snapshot() -> Snapshot:
    model = UrbanizationModel(city="yanta", policies="yanta_pilot", households=2000, rng=5)
    for _ in range(4):
        model.step()
    return Snapshot(model)


def test_bit_code_by_hand() -> None:
    """Rows with traits (a), (b), (a, b) and none, over a 2-bit field: code = field + 4 a + 8 b."""
    a = np.array([True, False, True, False])
    b = np.array([False, True, True, False])
    field = np.array([3, 0, 1, 2], dtype=np.int8)
    assert bit_code([a, b], field.view(np.uint8), 2).tolist() == [7, 8, 13, 2]
    assert field.tolist() == [3, 0, 1, 2]  # the field is copied, not written
    # past 8 bits the code is 16-bit: trait i at bit i
    masks = [np.array([i % 3 == 0, True]) for i in range(12)]
    assert bit_code(masks).tolist() == [sum(1 << i for i in range(12) if i % 3 == 0), (1 << 12) - 1]
    with pytest.raises(ValueError, match="16-bit"):
        bit_code([a] * 17)


@pytest.mark.parametrize("table", [HOUSEHOLDS, PERSONS], ids=lambda t: t.key)
def test_trait_tables_equal_masked_sums(snapshot: Snapshot, table: TraitTable) -> None:
    """Every trait alone, negated, and every pair: the table's total is the weighted sum over the rows."""
    s = snapshot
    weights = table.weights(s)
    masks = {name: np.asarray(trait(s), dtype=bool) for name, trait in table.traits.items()}
    queries = [(name,) for name in masks] + [(f"not {name}",) for name in masks]
    queries += list(itertools.combinations(masks, 2)) + [("not nonlocal", "migrant_type")]
    for query in queries:
        rows = np.ones(weights.size, dtype=bool)
        for trait in query:
            name = trait.removeprefix("not ")
            rows &= ~masks[name] if trait.startswith("not ") else masks[name]
        assert table.total(s, *query) == pytest.approx(float(weights[rows].sum()), rel=1e-12, abs=1e-9), query
    assert table.total(s) == pytest.approx(float(weights.sum()), rel=1e-12)
    assert table.total(s, "nonlocal", "not nonlocal") == 0.0
    with pytest.raises(KeyError, match="unknown trait"):
        table.total(s, "no_such_trait")


def test_persons_table_equals_masked_sums(snapshot: Snapshot) -> None:
    """The persons table (``Snapshot.persons_with``): 600 random queries of traits, their negations, household
    types and head ages give the weighted persons of the rows that match."""
    s = snapshot
    masks = {name: np.asarray(trait(s), dtype=bool) for name, trait in TRAITS.items()}
    masks |= {f"type_{t.label}": s.htype == int(t) for t in HouseholdType}
    masks["head_45_plus"] = ~masks["head_under_30"] & ~masks["head_30_44"]
    rng = np.random.default_rng(0)
    for _ in range(600):
        query = tuple(("not " if rng.random() < 0.3 else "") + str(rng.choice(list(masks))) for _ in range(3))
        rows = np.ones(s.pw.size, dtype=bool)
        for trait in query:
            name = trait.removeprefix("not ")
            rows &= ~masks[name] if trait.startswith("not ") else masks[name]
        assert s.persons_with(*query) == pytest.approx(float(s.pw[rows].sum()), rel=1e-12, abs=1e-9), query


def test_sparse_family_sums_equal_sums_over_every_row(snapshot: Snapshot) -> None:
    s = snapshot
    for name in itertools.chain.from_iterable(SPARSE_FAMILIES):
        column = s.pop.col(name[:-2]) > 0 if name.endswith(">0") else s.pop.col(name)
        for local in (True, False):
            assert wsum_of(s, name, local) == pytest.approx(wsum(s, column, local), rel=1e-12, abs=1e-9), name
