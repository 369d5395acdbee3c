"""Tier 2: tiny hand-built worlds with exact expected outcomes."""

from __future__ import annotations

import numpy as np
import pytest
from demography_helpers import set_household

from urbanize.agents import Migrant
from urbanize.model import UrbanizationModel
from urbanize.model.enums import HouseholdType, Job, Registration, Residence
from urbanize.model.population import Population, StaleHousehold
from urbanize.policies.base import Transition


def small_model(**kw) -> UrbanizationModel:
    return UrbanizationModel(
        city="changshu", households=kw.pop("households", 200), rng=kw.pop("rng", 11), **kw
    )


def test_status_quo_grants_hukou_pathway_only_with_owned_housing() -> None:
    m = small_model()
    pop = m.pop
    rows = np.flatnonzero(pop.htype == HouseholdType.MIGRANT)[:2]
    pop.reg[rows] = Registration.RESIDENCE_PERMIT
    pop.job[rows] = Job.FORMAL
    pop.residence[rows[0]] = Residence.OWNED
    pop.residence[rows[1]] = Residence.PRIVATE_RENTAL
    assert m.policy_set.eligible(Transition.APPLY_HUKOU, rows).tolist() == [True, False]


def test_an_eligible_migrant_applies_and_is_granted_after_processing() -> None:
    m = small_model(hukou_const=5.0, hukou_settle=10.0)  # utility 15: applies once eligible and aware
    pop = m.pop
    r = int(np.flatnonzero(pop.htype == HouseholdType.MIGRANT)[0])
    uid = int(pop.uid[r])
    pop.reg[r], pop.job[r], pop.residence[r] = Registration.RESIDENCE_PERMIT, Job.FORMAL, Residence.OWNED
    m.awareness.of("hukou")[r] = True
    pop.intends_settle[r], pop.land[r] = True, False
    pop.wants_hukou[r] = True  # the household would transfer its hukou (its own taste; not left to the seed)
    rows = np.array([r])
    Migrant.decide_hukou_application(m, rows)
    assert pop.reg[r] == Registration.HUKOU_APPLICANT
    m.hukou.processing_months = 2
    m.hukou.quota_remaining = 1e9
    for months_waited in (0, 1):
        pop.reg_months[r] = months_waited
        m.hukou.grant()
        assert pop.reg[r] == Registration.HUKOU_APPLICANT
    pop.reg_months[r] = 2
    before = m.cumulative["hukou_conversions_migrant"]
    m.hukou.grant()
    row = pop.row_of(uid)
    assert pop.reg[row] == Registration.LOCAL_URBAN_HUKOU and pop.hukou_local[row]
    assert m.cumulative["hukou_conversions_migrant"] - before == pytest.approx(
        pop.persons()[row] * pop.weight[row]
    )


def test_quota_limits_grants_longest_waiting_first() -> None:
    m = small_model()
    pop = m.pop
    rows = np.flatnonzero(pop.htype == HouseholdType.MIGRANT)[:3]
    pop.reg[:] = np.where(pop.reg == Registration.HUKOU_APPLICANT, Registration.REGISTERED, pop.reg)
    pop.reg[rows] = Registration.HUKOU_APPLICANT
    pop.reg_months[rows] = [10, 30, 20]
    m.hukou.processing_months = 6
    m.hukou.quota_remaining = pop.weight[rows[1]] * 1.5  # room for exactly one household
    m.hukou.grant()
    assert pop.reg[rows].tolist() == [
        Registration.HUKOU_APPLICANT,
        Registration.LOCAL_URBAN_HUKOU,
        Registration.HUKOU_APPLICANT,
    ]


def test_hukou_quota_resets_each_january_only() -> None:
    # month 0 is January 2009 (model.calendar): the quota set at construction lasts until month 12 (January
    # 2010), then 24; in no other month is it refilled (it was in months 1, 13: February, twice in 2009)
    m = small_model()
    resets: list[int] = []
    m.hukou.reset_quota = lambda: resets.append(m.month)  # type: ignore[method-assign]
    for month in range(1, 26):
        m.month = month
        m.act_policies()
    assert resets == [12, 24]


def test_awareness_reaches_exactly_the_households_within_k_ties() -> None:
    # a chain of five households a-b-c-d-e, the first aware; contact certain, no media: after k months the
    # topic has travelled exactly k ties, and nobody off the chain learns of it
    m = small_model(awareness_contact=1.0, awareness_media=0.0, awareness_decay=0.0)  # nothing is forgotten
    net = m.network
    net.clear()
    chain = np.arange(5)
    net.add(chain[:-1], chain[1:], kind=0)
    col = m.awareness.of("hukou")
    col[:] = False
    col[0] = True
    for k in range(1, 5):
        m.awareness.spread()
        assert np.flatnonzero(m.awareness.of("hukou")).tolist() == list(range(k + 1))


def test_removing_households_keeps_ids_rows_and_handles_straight() -> None:
    pop = Population(capacity=4)
    rows = pop.append(6, head_age=np.arange(6, dtype=np.float32) + 20)
    assert rows.tolist() == list(range(6)) and pop.n == 6
    removed = pop.remove(np.array([1, 4]))
    assert sorted(removed.tolist()) == [1, 4] and pop.n == 4
    # every remaining uid maps to the row that holds its own data
    for uid in (0, 2, 3, 5):
        assert pop.head_age[pop.row_of(uid)] == 20 + uid
    with pytest.raises(StaleHousehold):
        pop.row_of(4)


def test_agent_handles_go_stale_when_the_household_leaves() -> None:
    m = small_model()
    migrants = np.flatnonzero(m.pop.htype == HouseholdType.MIGRANT)
    leaving, staying = int(m.pop.uid[migrants[0]]), int(m.pop.uid[migrants[-1]])
    a, b = m.household(leaving), m.household(staying)
    age_b = b.head_age
    m.depart(np.array([m.pop.row_of(leaving)]))
    assert not a.alive and a not in m.agents
    with pytest.raises(StaleHousehold):
        _ = a.head_age
    assert b.alive and b.head_age == age_b
    b.head_age = 44.0
    assert m.pop.head_age[m.pop.row_of(staying)] == 44.0


def test_settlement_follows_utility_plus_persistent_taste() -> None:
    m = small_model()
    rows = np.flatnonzero(m.pop.htype == HouseholdType.MIGRANT)[:4]
    m.pop.reg[rows] = Registration.REGISTERED
    m.pop.settle_taste[rows] = [-50.0, 50.0, -50.0, 50.0]  # the taste decides against a bounded utility
    Migrant.decide_settlement(m, rows)
    assert m.pop.intends_settle[rows].tolist() == [False, True, False, True]
    m.pop.reg[rows[0]] = Registration.LOCAL_URBAN_HUKOU  # hukou holders have settled
    Migrant.decide_settlement(m, rows)
    assert m.pop.intends_settle[rows].tolist() == [True, True, False, True]


def test_network_is_available_as_networkx() -> None:
    m = small_model(households=100)
    g = m.network.to_networkx()
    assert g.number_of_nodes() == m.pop.n
    assert g.number_of_edges() > m.pop.n  # hometown and neighbourhood ties
    kinds = {d["kind"] for _, _, d in g.edges(data=True)}
    assert kinds == {"hometown", "neighbourhood"}


def _homes(m: UrbanizationModel, htype: HouseholdType, k: int) -> np.ndarray:
    rows = np.flatnonzero(m.pop.htype == htype)[:k]
    set_household(m.pop, rows, ("m", 50.0), {"f45-59": 1, "m18-29": 1})  # a grown son at home
    return rows


def _no_grown_children(m: UrbanizationModel) -> None:
    """Every household with three or more adults keeps only its head and one other adult."""
    pop = m.pop
    rows = np.flatnonzero(pop.adults >= 3)
    set_household(pop, rows, ("m", 50.0), {"f45-59": 1})


def test_two_grown_children_of_one_type_form_a_couple_household() -> None:
    from urbanize.model import life

    m = small_model(home_leaving=1.0, marriage_rate=0.0)
    pop = m.pop
    _no_grown_children(m)  # only the two homes below have a grown child at home
    a, b = _homes(m, HouseholdType.URBAN_RESIDENT, 2)
    pop.weight[a] = 100.0
    pop.weight[b] = 140.0
    aware = m.awareness.matrix()
    aware[[a, b]] = False
    aware[a, 0] = aware[b, 1] = True
    persons = float((pop.persons() * pop.weight).sum())
    uid_a, uid_b = int(pop.uid[a]), int(pop.uid[b])
    n = pop.n
    rows, home_a, home_b = life.form_households(m)
    m.on_formation(rows, home_a, home_b)
    assert rows.tolist() == [n] and pop.n == n + 1
    assert {int(pop.uid[home_a[0]]), int(pop.uid[home_b[0]])} == {uid_a, uid_b}
    new = int(rows[0])
    assert pop.adults[new] == 2 and pop.persons()[new] == 2 and 22 <= pop.head_age[new] <= 30
    # the grown son heads the new household; his partner is the other home's grown son (no daughter there)
    assert not pop.head_female[new] and pop.persons_by("male", "18-29", rows=[new]).tolist() == [2]
    assert pop.htype[new] == HouseholdType.URBAN_RESIDENT and pop.reg[new] == Registration.LOCAL_URBAN_HUKOU
    assert pop.adults[a] == 2 and pop.adults[b] == 2
    assert pop.weight[new] == 120.0  # persons are conserved exactly
    assert float((pop.persons() * pop.weight).sum()) == pytest.approx(persons, rel=1e-12)
    assert m.awareness.matrix()[new].tolist()[:2] == [True, True]  # each partner knows what their home knew
    ties = {(int(s), int(d)) for s, d in zip(m.network.src_uid, m.network.dst_uid, strict=True)}
    assert {(int(pop.uid[new]), uid_a), (int(pop.uid[new]), uid_b)} <= ties
    assert m.flows["households_formed"] == 120.0


def test_leavers_pair_only_within_their_type_and_migrants_do_not_form_households() -> None:
    from urbanize.model import life

    m = small_model(home_leaving=1.0, marriage_rate=0.0)
    pop = m.pop
    _no_grown_children(m)
    _homes(m, HouseholdType.URBAN_RESIDENT, 1)
    _homes(m, HouseholdType.LOCAL_FARMER, 1)
    _homes(m, HouseholdType.MIGRANT, 2)  # migrant flows are renewed by arrivals, not modelled here
    n = pop.n
    rows, _, _ = life.form_households(m)
    assert rows.size == 0 and pop.n == n
    assert (pop.adults >= 3).sum() == 4  # nobody left home


def test_no_households_form_when_leaving_home_is_off() -> None:
    from urbanize.model import life

    m = small_model(home_leaving=0.0)
    _homes(m, HouseholdType.URBAN_RESIDENT, 4)
    rows, _, _ = life.form_households(m)
    assert rows.size == 0


def test_counting_only_open_ties_gives_the_full_counts_at_unaware_households() -> None:
    # the spread sets aside ties whose two ends both know a topic; at households that do not know it the counts
    # must stay exactly those of counting every tie, month after month, as ties are added and dropped
    # without forgetting (awareness_decay = 0): only then does the spread count open ties alone
    m = small_model(households=400, awareness_contact=0.3, awareness_media=0.05, awareness_decay=0.0)
    net = m.network
    for _ in range(10):
        aware = m.awareness.matrix()
        topics = np.arange(aware.shape[1])
        full = net.aware_neighbours(aware, topics)
        fast = net.aware_neighbours(aware, topics, monotone=True)
        assert np.array_equal(full[~aware], fast[~aware])
        m.step()
    assert any(su.size < net.size for su, _ in net._open.values())  # some ties were set aside


def test_slot_hits_draw_binomial_counts_per_row() -> None:
    """Each person of a cell is hit independently: per row, the hits follow Binomial(count, p)."""
    from scipy import stats

    from urbanize.model.members import slot_hits

    rng = np.random.default_rng(3)
    n = rng.integers(0, 6, 300_000)
    rows, slot = slot_hits(rng, n, 0.07)
    drawn = np.bincount(rows, minlength=n.size)
    assert ((slot >= 0) & (slot < n[rows])).all()
    assert np.unique(rows * 8 + slot).size == rows.size  # nobody is hit twice
    for c in range(6):
        observed = np.bincount(drawn[n == c], minlength=c + 1)
        expected = stats.binom.pmf(np.arange(c + 1), c, 0.07) * observed.sum()
        seen = expected > 5  # chi-square over the cells with enough expected draws
        if seen.sum() > 1:
            f_exp = expected[seen] * observed[seen].sum() / expected[seen].sum()
            assert stats.chisquare(observed[seen], f_exp).pvalue > 0.001, c


def test_slot_hits_32_bit_sums_find_the_same_persons_as_64_bit_sums() -> None:
    """Given the largest count, slot_hits sums in 32 bits; the persons hit are those of the 64-bit sums."""
    from urbanize.model.members import slot_hits

    counts = np.random.default_rng(5).integers(0, 7, 50_000).astype(np.int16)
    counts[:100] = 0  # leading empty rows
    for p in (0.3, 0.01, 1e-4):
        rows32, slot32 = slot_hits(np.random.default_rng(9), counts, p, int(counts.max()))
        rows64, slot64 = slot_hits(np.random.default_rng(9), counts, p)
        assert rows32.size > 0 or p < 1e-3
        assert np.array_equal(rows32, rows64) and np.array_equal(slot32, slot64)
        assert rows32.dtype == rows64.dtype == np.int64 and slot32.dtype == slot64.dtype == np.int64


def test_slot_hits_by_blocks_find_the_same_persons_as_one_running_sum() -> None:
    """Rare hits (deaths) are found from running sums of the hit blocks only: the same persons, the same draws."""
    from urbanize.model.members import _slot_hits_all, slot_hits

    gen = np.random.default_rng(11)
    for n in (0, 1, 255, 256, 257, 10_000, 100_003):
        counts = gen.poisson(0.4, n).astype(np.int16)
        counts[: n // 3] = 0  # a run of empty rows
        for p in (1e-5, 3e-4, 1.9e-3):
            rows, slot = slot_hits(np.random.default_rng(n), counts, p, int(counts.max(initial=0)))
            rows_all, slot_all = _slot_hits_all(np.random.default_rng(n), counts, p, int(counts.max(initial=0)))
            assert np.array_equal(rows, rows_all) and np.array_equal(slot, slot_all)
            assert rows.dtype == rows_all.dtype == np.int64 and slot.dtype == slot_all.dtype == np.int64


def test_slot_hits_of_all_cells_find_the_same_persons_as_one_cell_at_a_time() -> None:
    """Deaths draw every cell first and find the rows of all at once: the same draws and persons as slot_hits
    cell by cell (including a shorter last block, empty cells and a chance high enough for many blocks)."""
    from urbanize.model.members import N_BANDS, block_sums, slot_hits, slot_hits_cells

    gen = np.random.default_rng(12)
    for n in (1, 255, 257, 10_000):
        buf = gen.poisson(0.3, (2, N_BANDS, n + 50)).astype(np.int16)  # rows past n count nobody here
        counts = buf[:, :, :n]
        counts[1, 3] = 0
        p = gen.choice([1e-5, 3e-4, 1.9e-3, 0.05], size=(2, N_BANDS))
        cell, rows, slot = slot_hits_cells(np.random.default_rng(n), counts, p, block_sums(counts))
        rng = np.random.default_rng(n)
        sums = block_sums(counts)
        for c in range(2 * N_BANDS):
            sex, band = divmod(c, N_BANDS)
            want_rows, want_slot = slot_hits(rng, counts[sex, band], float(p[sex, band]), 8, sums[sex, band])
            assert np.array_equal(rows[cell == c], want_rows) and np.array_equal(slot[cell == c], want_slot)
        assert np.array_equal(cell, np.sort(cell, kind="stable"))


def test_households_take_vacant_dwellings_and_the_rest_fall_back_to_informal_housing() -> None:
    from urbanize.model.enums import DistrictKind

    m = small_model()
    stock = m.housing
    pop = m.pop
    core = next(d.index for d in m.profile.districts if d.kind is DistrictKind.URBAN_CORE)
    villages = {d.index for d in m.profile.districts if d.kind is DistrictKind.URBAN_VILLAGE}
    w = float(pop.weight[0])
    occupied = stock.occupied()
    stock.dwellings[:] = occupied  # nothing vacant ...
    stock.dwellings[core, Residence.PRIVATE_RENTAL] += 2 * w  # ... but two private rentals in the core
    wants = np.full(3, int(Residence.PRIVATE_RENTAL))
    district, tenure = stock.place(
        np.full(3, core), wants, np.full(3, w), np.full(3, int(HouseholdType.MIGRANT))
    )
    got = tenure == Residence.PRIVATE_RENTAL
    assert got.sum() == 2 and (district[got] == core).all()
    assert tenure[~got].tolist() == [Residence.URBAN_VILLAGE_RENTAL] and int(district[~got][0]) in villages
    # a farmer couple's house is self-built; a public rental flat is had only through the service's queue
    district, tenure = stock.place(
        np.array([core, core]),
        np.array([int(Residence.OWNED), int(Residence.PUBLIC_RENTAL)]),
        np.full(2, w),
        np.array([int(HouseholdType.LOCAL_FARMER), int(HouseholdType.URBAN_POOR)]),
    )
    assert tenure[0] == Residence.OWNED and tenure[1] != Residence.PUBLIC_RENTAL


def test_builders_close_part_of_the_gap_to_the_target_vacancy_each_month() -> None:
    m = small_model(housing_supply_response=0.25)
    stock = m.housing
    occupied = stock.occupied()
    col = int(Residence.PRIVATE_RENTAL)
    stock.dwellings[:, col] = occupied[:, col]  # no vacancy
    gap = occupied[:, col] * stock.vacancy_target[col]
    stock.build()
    np.testing.assert_allclose(stock.dwellings[:, col], occupied[:, col] + 0.25 * gap)
    assert stock.built == pytest.approx(0.25 * gap.sum())
