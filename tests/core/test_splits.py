"""The split table (model/splits.py): hand-built worlds with exact cells, and the splits adding up to the
indicators they split in real runs."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from urbanize.model import UrbanizationModel
from urbanize.model.enums import HouseholdType, Registration
from urbanize.model.errors import ParameterError
from urbanize.model.splits import SplitCollector, aggregate, split_names

sys.path.insert(0, str(Path(__file__).parents[1] / "services"))
from service_helpers import make_migrant, tiny_world  # noqa: E402


def _set_members(m: UrbanizationModel, row: int, cells: dict[tuple[int, int], int]) -> None:
    """Household ``row`` holds exactly ``cells`` ((sex, band) -> persons)."""
    m.pop.members[:, :, row] = 0
    for (sex, band), k in cells.items():
        m.pop.members[sex, band, row] = k
    m.pop.sync_members(np.array([row]))


def _world() -> UrbanizationModel:
    m = tiny_world()
    for row in range(m.pop.n):
        _set_members(m, row, {(0, 6): 1})  # a man of 30-44 living alone
        m.pop.head_female[row] = False
        m.pop.head_age[row] = 35.0
    return m


def _cells(m: UrbanizationModel, indicator: str, group: str) -> dict[tuple[str, str], tuple[float, float]]:
    c = SplitCollector(1)
    c.collect(m)
    df = c.frame()
    df = df[(df["indicator"] == indicator) & (df["group"] == group)]
    return {(r.sex, r.age_band): (r.count, r.base) for r in df.itertuples()}


def test_registration_is_split_by_the_heads_sex_and_age_weighted_by_persons() -> None:
    m = _world()
    make_migrant(m, [0, 1, 2])
    pop = m.pop
    _set_members(m, 0, {(1, 5): 1, (0, 5): 1, (0, 2): 1})  # a woman of 18-29 heads a family of three
    pop.head_female[0], pop.head_age[0] = True, 25.0
    _set_members(m, 1, {(1, 5): 1})  # a woman of 18-29 alone, unregistered
    pop.head_female[1], pop.head_age[1] = True, 22.0
    pop.reg[1] = Registration.UNREGISTERED
    cells = _cells(m, "registration_rate", "migrant")  # row 2: a registered man of 30-44 alone
    assert cells == {("female", "18-29"): (3.0, 4.0), ("male", "30-44"): (1.0, 1.0)}


def test_school_places_are_shared_evenly_among_the_households_children() -> None:
    """One place for a boy and a girl of 6-11: half a child of each is enrolled; a girl of 12-14 with a junior
    place: one girl enrolled."""
    m = _world()
    make_migrant(m, [0, 1])
    _set_members(m, 0, {(0, 6): 1, (0, 2): 1, (1, 2): 1})
    _set_members(m, 1, {(1, 6): 1, (1, 3): 1})
    pop = m.pop
    pop.use_primary_school[0] = 1
    pop.use_junior_school[1] = 1
    cells = _cells(m, "children_enrolment_rate", "migrant")
    assert cells == {
        ("male", "6-11"): (0.5, 1.0),
        ("female", "6-11"): (0.5, 1.0),
        ("female", "12-14"): (1.0, 1.0),
    }
    public = _cells(m, "children_public_school_share", "migrant")
    assert public[("female", "12-14")] == (1.0, 1.0)


def test_assistance_recipients_by_sex_of_head_and_group_count_households() -> None:
    m = _world()
    pop = m.pop
    pop.htype[[3, 4]] = HouseholdType.LOCAL_FARMER
    pop.head_female[3], pop.head_age[3] = True, 62.0
    pop.dibao[[3, 4]] = 2
    pop.weight[3] = 2.5  # an agent standing for 2.5 real households
    cells = _cells(m, "assistance_recipients", "local_farmer")
    assert cells == {("female", "60-69"): (2.5, 2.5), ("male", "30-44"): (1.0, 1.0)}


def test_kindergarten_and_senior_places_are_shared_among_the_childrens_sexes() -> None:
    """One kindergarten place for a boy and a girl of 3-5 counts half a child of each; a senior seat held by the
    only teenager of a household counts that girl of 15-17."""
    m = _world()
    make_migrant(m, [0, 1])
    _set_members(m, 0, {(0, 6): 1, (0, 1): 1, (1, 1): 1})
    _set_members(m, 1, {(0, 6): 1, (1, 4): 1})
    m.pop.use_kindergarten[0] = 1
    m.pop.use_senior_school[1] = 1
    assert _cells(m, "preschool_enrolment_rate", "migrant") == {
        ("male", "3-5"): (0.5, 1.0), ("female", "3-5"): (0.5, 1.0)
    }
    assert _cells(m, "senior_enrolment_rate", "migrant") == {("female", "15-17"): (1.0, 1.0)}


def test_rural_scheme_members_and_health_records_count_every_person_of_the_household() -> None:
    """Local farmers: a family of three in the rural scheme, a man alone outside any scheme and a woman in urban
    employee insurance (not among those the rural scheme is for); a migrant family of two with a health record.
    The rural scheme's members hold its code: in Changshu, whose scheme is integrated with urban residents'
    insurance (city file [medical_insurance]), the residents' scheme."""
    from urbanize.model.services.social_security import INSURANCE_EMPLOYEE, INSURANCE_NONE

    m = _world()
    pop = m.pop
    farmers = [0, 1, 2]
    pop.htype[farmers] = HouseholdType.LOCAL_FARMER
    pop.hukou_urban[farmers] = False
    pop.reg[farmers] = Registration.LOCAL_RURAL_HUKOU
    _set_members(m, 0, {(0, 7): 1, (1, 7): 1, (0, 2): 1})
    _set_members(m, 2, {(1, 6): 1})
    pop.insured[farmers] = [m.services.ncms.code, INSURANCE_NONE, INSURANCE_EMPLOYEE]
    assert _cells(m, "ncms_coverage", "local_farmer") == {
        ("male", "45-59"): (1.0, 1.0), ("female", "45-59"): (1.0, 1.0), ("male", "6-11"): (1.0, 1.0),
        ("male", "30-44"): (0.0, 1.0),
    }
    make_migrant(m, [3, 4])
    _set_members(m, 3, {(1, 5): 1, (1, 0): 1})
    pop.health_record[3] = True
    assert _cells(m, "health_record_coverage", "migrant") == {
        ("female", "18-29"): (1.0, 1.0), ("female", "0-2"): (1.0, 1.0), ("male", "30-44"): (0.0, 1.0),
    }


def test_the_new_splits_add_up_to_their_indicators() -> None:
    """Pre-school, senior-middle, rural-scheme and health-record splits against the indicators (Changshu, with
    health records so that some households hold one)."""
    m = UrbanizationModel(city="changshu", policies="health_records", households=400, rng=11, agents="lazy",
                          splits=4)
    m.run(8)
    last = m.indicators().iloc[-1]
    sq = m.split_table()[lambda d: d["month"] == 8]
    agg = aggregate(sq).set_index(["indicator", "group"])["value"]
    local = aggregate(sq.assign(group=sq["group"].where(sq["group"] == "migrant", "local")))
    local = local.set_index(["indicator", "group"])["value"]
    whole = aggregate(sq, by=("indicator",)).set_index("indicator")["value"]
    checks = {
        "preschool_enrolment_rate_migrant": agg["preschool_enrolment_rate", "migrant"],
        "preschool_enrolment_rate_local": local["preschool_enrolment_rate", "local"],
        "senior_enrolment_rate_migrant": agg["senior_enrolment_rate", "migrant"],
        "senior_enrolment_rate_local": local["senior_enrolment_rate", "local"],
        "ncms_coverage": whole["ncms_coverage"],
        "health_record_coverage_migrant": agg["health_record_coverage", "migrant"],
    }
    for name, value in checks.items():
        assert value == pytest.approx(last[name], rel=1e-9), name
    # the sums are not met trivially: every split but the migrants' senior enrolment (none at the start, a few
    # by month 8 on some seeds) lies strictly between 0 and 1
    assert [name for name, value in checks.items() if not 0 < value < 1 and name != "senior_enrolment_rate_migrant"] == []


@pytest.mark.parametrize("city", ["changshu", "yanta"])
def test_splits_add_up_to_the_indicators_they_split(city: str) -> None:
    m = UrbanizationModel(city=city, policies="status_quo", households=400, rng=11, agents="lazy", splits=2)
    m.run(4)
    last = m.indicators().iloc[-1]
    agg = aggregate(m.split_table()[lambda d: d["month"] == 4]).set_index(["indicator", "group"])["value"]
    pairs = {
        ("pension_coverage", "local_farmer"): "pension_coverage_local_farmer",
        ("urban_medical_insurance_coverage", "local_farmer"): "urban_medical_insurance_coverage_local_farmer",
        ("registration_rate", "migrant"): "registration_rate",
        ("settlement_intention", "migrant"): "settlement_intention",
        ("children_enrolment_rate", "migrant"): "migrant_children_enrolment_rate",
    }
    for key, name in pairs.items():
        assert agg[key] == pytest.approx(last[name], rel=1e-9), name
    sq = m.split_table()
    recipients = sq[(sq["month"] == 4) & (sq["indicator"] == "assistance_recipients")]
    assert recipients.loc[recipients["sex"] == "female", "count"].sum() == pytest.approx(
        last["assistance_recipients_female"], rel=1e-9
    )
    assert sorted(set(sq["month"])) == [0, 2, 4]
    assert set(sq["indicator"]) <= set(split_names())
    assert ((sq["value"] >= 0) & (sq["value"] <= 1) & (sq["base"] > 0)).all()


def test_splits_are_off_by_default_and_a_mesa_table_when_on() -> None:
    m = UrbanizationModel(city="changshu", households=200, rng=3, agents="lazy")
    m.run(1)
    assert m.split_table().empty
    m = UrbanizationModel(city="changshu", households=200, rng=3, agents="lazy", splits=1)
    m.run(1)
    mesa_table = m.datacollector.get_table_dataframe("splits")
    assert mesa_table.equals(m.split_table())
    assert set(mesa_table["month"]) == {0, 1}


def test_a_run_ends_with_its_last_month_collected_once() -> None:
    m = UrbanizationModel(city="jinnan", households=200, rng=3, agents="lazy", splits=5)
    m.run(3)
    m.run(3)
    m.run(0)
    assert sorted(set(m.split_table()["month"])) == [0, 3, 5, 6]
    assert len(m.split_table()) == len(m.split_table().drop_duplicates(["month", "indicator", "group", "sex",
                                                                         "age_band"]))


def test_splits_change_no_indicator() -> None:
    a = UrbanizationModel(city="yanta", households=300, rng=9, agents="lazy").run(3).indicators()
    b = UrbanizationModel(city="yanta", households=300, rng=9, agents="lazy", splits=1).run(3).indicators()
    assert a.equals(b)


@pytest.mark.parametrize("bad", [-1, 1.5, True, "12", 1201])
def test_bad_split_interval_is_a_one_line_error(bad: object) -> None:
    with pytest.raises(ParameterError, match="splits"):
        UrbanizationModel(city="changshu", households=50, rng=1, splits=bad)  # type: ignore[arg-type]

