"""Changshu's rural cooperative medical scheme, its integration, the housing project for talents and resident health
records: hand-built worlds with exact outcomes."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from service_helpers import make_migrant, services, tiny_world

from urbanize.model import UrbanizationModel, city, core
from urbanize.model.city import load_city
from urbanize.model.enums import HouseholdType, Job, Registration, Residence, Skill
from urbanize.model.errors import CityFileError, ParameterError
from urbanize.model.indicators import registry
from urbanize.model.indicators.base import Snapshot
from urbanize.model.services import ncms
from urbanize.model.services.social_security import (
    INSURANCE_EMPLOYEE,
    INSURANCE_NCMS,
    INSURANCE_NONE,
    INSURANCE_RESIDENT,
)
from urbanize.model.services.take_up import health_take_up
from urbanize.policies.health import MaternalChildHealth, NewCitizenHealth, ProfileParams


@pytest.fixture
def separate_schemes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Changshu with its rural and urban resident medical schemes not integrated (its city file integrates them),
    for the rules of the separate rural scheme and of the policy that integrates it."""
    profile = dataclasses.replace(load_city("changshu"), medical_schemes_integrated=False)
    monkeypatch.setattr(core, "load_city", lambda name: profile if name == "changshu" else load_city(name))


def value(m: UrbanizationModel, name: str, policies: tuple[str, ...] = ()) -> float:
    return registry(policies)[name].fn(Snapshot(m))


def make_farmers(m: UrbanizationModel, rows: list[int]) -> np.ndarray:
    """Local rural-hukou households (one real household each, two adults, no children)."""
    pop = m.pop
    idx = np.asarray(rows)
    pop.htype[idx] = HouseholdType.LOCAL_FARMER
    pop.hukou_urban[idx] = False
    pop.reg[idx] = Registration.LOCAL_RURAL_HUKOU
    pop.job[idx] = Job.INFORMAL
    return idx


# --- the rural cooperative medical scheme -----------------------------------------------------------------------
def test_scheme_figures_under_the_status_quo_follow_the_2009_standard() -> None:
    scheme = services(tiny_world()).ncms
    assert scheme.funding == 100.0 and scheme.benefit == pytest.approx(90.0)
    assert scheme.compensation == pytest.approx(0.826 * 90.0 / 166.4)  # below the 55 % ceiling


def test_higher_funding_raises_benefits_and_compensation_up_to_its_ceiling() -> None:
    m = tiny_world(policies="ncms_improvement")
    m.policy_set.get("ncms_improvement").act(m)
    scheme = services(m).ncms
    assert scheme.funding == 246.0 and scheme.benefit == pytest.approx(221.4)
    assert scheme.compensation == 0.6  # 0.826 x 221.4 / 166.4 = 1.10 would exceed the ceiling
    assert value(m, "ncms_funding_per_person") == 246.0 and value(m, "ncms_compensation_share") == 0.6


def test_improvement_waits_for_its_start_month() -> None:
    m = tiny_world(policies="ncms_improvement", policy_params={"ncms_improvement": {"start_month": 12}})
    m.month = 11
    m.policy_set.get("ncms_improvement").act(m)
    assert services(m).ncms.funding == 100.0
    m.month = 12
    m.policy_set.get("ncms_improvement").act(m)
    assert services(m).ncms.funding == 246.0


def test_local_rural_households_enrol_each_january_by_their_taste_against_the_net_benefit(separate_schemes: None) -> None:
    m = tiny_world()
    pop, scheme = m.pop, services(m).ncms
    rows = make_farmers(m, [0, 1, 2, 3])
    pop.insured[:] = INSURANCE_NONE
    pop.insured[[2, 3]] = [INSURANCE_NCMS, INSURANCE_EMPLOYEE]
    pop.ncms_taste[rows] = [0.5, 0.99, 0.99, 0.01]
    chance = scheme.enrol_chance()
    b = m.behaviour
    assert chance == pytest.approx(1 / (1 + np.exp(-(b.ncms_const + b.ncms_benefit * (90.0 - 20.0) / 100))))
    m.month = 5  # not January: nobody decides
    scheme.apply()
    assert pop.insured[rows].tolist() == [INSURANCE_NONE, INSURANCE_NONE, INSURANCE_NCMS, INSURANCE_EMPLOYEE]
    m.month = 12
    scheme.apply()
    # row 0 joins (0.5 < 0.94), row 2 leaves (0.99 > 0.94), row 3 stays in the employee scheme
    assert pop.insured[rows].tolist() == [INSURANCE_NCMS, INSURANCE_NONE, INSURANCE_NONE, INSURANCE_EMPLOYEE]
    persons = pop.persons(rows).astype(float)
    assert scheme.entered == persons[0]
    assert value(m, "ncms_new_members") == persons[0]
    assert value(m, "ncms_members") == persons[0]
    assert value(m, "ncms_coverage") == pytest.approx(
        persons[0] / persons[:3].sum()
    )  # rows 0-2: outside urban schemes


def test_the_scheme_books_its_subsidy_and_premiums_for_local_members_only(separate_schemes: None) -> None:
    m = tiny_world()
    pop, scheme = m.pop, services(m).ncms
    make_farmers(m, [0])
    make_migrant(m, [1])
    pop.insured[:] = INSURANCE_NONE
    pop.insured[[0, 1]] = INSURANCE_NCMS  # the migrant's scheme is at its origin
    members = float(pop.persons(np.array([0]))[0])
    assert scheme.members() == members
    assert scheme.cost() == pytest.approx(members * 80.0 / 12) and scheme.fees() == pytest.approx(
        members * 20.0 / 12
    )
    assert services(m).medical_insurance.cost() == 0.0  # no urban resident members
    assert value(m, "ncms_coverage_migrant_origin") == 1.0


def test_integration_moves_members_into_the_urban_residents_scheme(separate_schemes: None) -> None:
    m = tiny_world(
        policies="resident_medical_integration",
        policy_params={"resident_medical_integration": {"take_up": 1.0}},
    )
    pop, svc = m.pop, services(m)
    make_farmers(m, [0, 1])
    make_migrant(m, [2])
    pop.insured[:] = INSURANCE_EMPLOYEE
    pop.insured[[0, 1, 2]] = [INSURANCE_NCMS, INSURANCE_NONE, INSURANCE_NCMS]
    pop.job[[0, 1, 2]] = Job.INFORMAL
    svc.refresh_access()
    svc.medical_insurance.apply(svc.access("medical_insurance"))
    assert pop.insured[[0, 1, 2]].tolist() == [INSURANCE_RESIDENT, INSURANCE_RESIDENT, INSURANCE_NCMS]
    sq = tiny_world()
    make_farmers(sq, [0])
    services(sq).refresh_access()
    assert not services(sq).access("medical_insurance")[0]


def test_changshu_starts_with_the_integrated_scheme_and_its_farmers_enrol_in_the_residents_pool(
    separate_schemes: None,
) -> None:
    """The same hand-built world and seed with the schemes separate and integrated: the same January decisions
    (same tastes, same chance), but members hold the residents' scheme and the pool books its urban members too."""

    def world(integrated: bool) -> UrbanizationModel:
        m = tiny_world_integrated() if integrated else tiny_world()  # the city file's setting on or off
        pop = m.pop
        rows = make_farmers(m, [0, 1, 2, 3])
        pop.insured[:] = INSURANCE_EMPLOYEE
        pop.insured[[0, 1, 2, 3, 4]] = [INSURANCE_NONE, INSURANCE_NONE, INSURANCE_NCMS, INSURANCE_EMPLOYEE,
                                        INSURANCE_RESIDENT]  # row 4: a local urban household outside work
        pop.job[4] = Job.INFORMAL
        pop.ncms_taste[rows] = [0.5, 0.99, 0.5, 0.01]
        m.month = 12
        services(m).ncms.apply()
        return m

    sep, integ = world(False), world(True)
    assert not services(sep).ncms.integrated and services(sep).ncms.code == INSURANCE_NCMS
    assert services(integ).ncms.integrated and services(integ).ncms.code == INSURANCE_RESIDENT
    rows = [0, 1, 2, 3, 4]
    assert sep.pop.insured[rows].tolist() == [
        INSURANCE_NCMS, INSURANCE_NONE, INSURANCE_NCMS, INSURANCE_EMPLOYEE, INSURANCE_RESIDENT
    ]
    assert integ.pop.insured[rows].tolist() == [
        INSURANCE_RESIDENT, INSURANCE_NONE, INSURANCE_RESIDENT, INSURANCE_EMPLOYEE, INSURANCE_RESIDENT
    ]
    persons = sep.pop.persons(np.array(rows)).astype(float)
    for m in (sep, integ):  # the NCMS indicators count the same farmers, whichever scheme they hold
        assert value(m, "ncms_members") == persons[[0, 2]].sum()
        assert value(m, "ncms_coverage") == pytest.approx(persons[[0, 2]].sum() / persons[:3].sum())
        assert value(m, "ncms_new_members") == persons[0]  # row 2 was a member: the merger is no new entitlement
    # the farmers count in urban medical insurance only when integrated
    assert value(sep, "urban_medical_insurance_coverage_local_farmer") == 0.25
    assert value(integ, "urban_medical_insurance_coverage_local_farmer") == 0.75
    # the ledger: the same subsidy per person; the integrated pool books its urban member too, the urban scheme
    # nothing of its local members
    sep_svc, integ_svc = services(sep), services(integ)
    assert sep_svc.ncms.cost() == pytest.approx(persons[[0, 2]].sum() * 80.0 / 12)
    assert sep_svc.medical_insurance.cost() == pytest.approx(persons[4] * 80.0 / 12)
    assert integ_svc.ncms.cost() == pytest.approx(persons[[0, 2, 4]].sum() * 80.0 / 12)
    assert integ_svc.medical_insurance.cost() == 0.0
    assert integ_svc.ncms.fees() == pytest.approx(persons[[0, 2, 4]].sum() * 20.0 / 12)


def tiny_world_integrated(**kw: Any) -> UrbanizationModel:
    """A tiny world of Changshu's own profile (schemes integrated), whatever the test's fixture patched."""
    profile = dataclasses.replace(load_city("changshu"), medical_schemes_integrated=True)
    saved = core.load_city
    core.load_city = lambda name: profile  # type: ignore[assignment]
    try:
        return tiny_world(**kw)
    finally:
        core.load_city = saved


def test_integrated_farmers_enrol_only_in_january_even_where_a_policy_opens_the_urban_scheme() -> None:
    """Under the integration, farmers outside formal work decide on the pool each January; the urban scheme's
    monthly take-up does not enrol them in between (or the January rule would undo it)."""
    m = tiny_world()
    svc = services(m)
    rows = make_farmers(m, [0, 1])
    m.pop.insured[rows] = INSURANCE_NONE
    m.pop.job[1] = Job.FORMAL
    svc.medical_insurance.take_up_local = 1.0
    svc.medical_insurance.apply(np.ones(m.pop.n))  # access opened to all
    assert m.pop.insured[rows].tolist() == [INSURANCE_NONE, INSURANCE_EMPLOYEE]


def test_the_integration_policy_is_refused_where_the_status_quo_already_integrates() -> None:
    with pytest.raises(ParameterError, match="already integrated in its status quo"):
        tiny_world(policies="resident_medical_integration")


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ("resident_schemes_integrated = 'yes'", "resident_schemes_integrated = 'yes' must be true or false"),
        ("integrated = true", "unknown [medical_insurance] key 'integrated'"),
    ],
)
def test_a_bad_integration_setting_is_a_one_line_city_file_error(
    table: str, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (city.CITY_DIR / "changshu.toml").read_text(encoding="utf-8")
    text = text.replace("resident_schemes_integrated = true", table)
    (tmp_path / "badmed.toml").write_text(text, encoding="utf-8")
    monkeypatch.setattr(city, "CITY_DIR", tmp_path)
    with pytest.raises(CityFileError, match=re.escape(message)) as err:
        city.load_city("badmed")
    assert "\n" not in str(err.value) and "fix the file" in str(err.value)


# --- the housing project for talents ---------------------------------------------------------------------------
def _talents(m: UrbanizationModel, rows: list[int], months: list[int]) -> np.ndarray:
    pop = m.pop
    idx = np.asarray(rows)
    make_migrant(m, idx)
    pop.months_resident[idx] = months
    pop.skill[idx] = Skill.HIGH
    pop.job[idx] = Job.FORMAL
    pop.wants_hukou[idx] = True
    pop.residence[idx] = Residence.PRIVATE_RENTAL
    return idx


def test_talent_flats_go_to_the_longest_resident_high_skill_migrants_who_want_hukou() -> None:
    # 100 flats per 1,000 households a year: two flats this year for the 20-odd households of the tiny world
    m = tiny_world(
        policies="talents_housing", policy_params={"talents_housing": {"flats_per_1000_households": 100}}
    )
    pop = m.pop
    rows = _talents(m, [0, 1, 2, 3, 4, 5], [30, 12, 24, 40, 50, 3])
    pop.wants_hukou[3] = False  # would not transfer its hukou (land at origin, say)
    pop.skill[4] = Skill.MID  # not a talent
    policy = m.policy_set.get("talents_housing")
    policy.setup(m)  # the year's quota again, on the hand-set weights (one real household per row)
    assert policy.eligible_rows(m).tolist() == [0, 1, 2]  # row 5 has lived here under six months
    dwellings = m.housing.dwellings[0, Residence.OWNED]
    m.month = 1
    policy.act(m)
    assert pop.hukou_local[rows].tolist() == [True, False, True, False, False, False]
    assert pop.residence[[0, 2]].tolist() == [Residence.OWNED, Residence.OWNED]
    assert pop.htype[0] == HouseholdType.URBAN_RESIDENT and pop.former_migrant[0]
    assert m.housing.dwellings[0, Residence.OWNED] == dwellings + 2.0
    persons = pop.persons(rows).astype(float)
    assert policy.settled == persons[[0, 2]].sum()
    assert policy.open == pytest.approx(0.1 * pop.weight.sum() - 2.0)
    assert value(m, "talent_housing_settled", ("talents_housing",)) == persons[[0, 2]].sum()
    policy.open = 0.5
    m.month = 2
    policy.act(m)  # half a flat left of the year's quota: row 1 waits for January
    assert not pop.hukou_local[1]
    m.month = 12
    policy.act(m)
    assert pop.hukou_local[1] and policy.settled == persons[[0, 1, 2]].sum()
    # of the high-skill households of migrant origin (rows 0-3 and 5), rows 0-2 hold hukou; row 3 declined
    high = persons[[0, 1, 2, 3, 5]]
    assert value(m, "hukou_share_high_skill_migrants") == pytest.approx(high[:3].sum() / high.sum())


# --- resident health records ---------------------------------------------------------------------------------
def test_records_reach_resident_households_and_inform_their_take_up_of_profiles() -> None:
    m = tiny_world(policies="health_records", policy_params={"health_records": {"monthly_rate": 1.0}})
    pop = m.pop
    make_migrant(m, [0, 1, 2])
    pop.reg[[0, 1, 2]] = Registration.UNREGISTERED
    pop.months_resident[[0, 1, 2]] = [0, 6, 6]
    pop.months_resident[3:] = 12
    pop.health_taste[:] = 0.5
    access = np.zeros(pop.n, dtype=bool)
    access[[0, 1]] = True
    # without a record an unregistered migrant is not informed: logistic(-0.8 + 0.5 x 0.5 years) < 0.5
    assert not health_take_up(m, 0.0, access)[[0, 1]].any()
    m.policy_set.get("health_records").act(m)
    assert pop.health_record.tolist() == [False] + [True] * (pop.n - 1)
    took = health_take_up(m, 0.0, access)
    assert took[[0, 1]].tolist() == [False, True]  # row 1 informed: logistic(0.95) > 0.5; row 0 has no record
    persons = pop.persons(np.arange(pop.n)).astype(float)
    assert value(m, "health_record_coverage_migrant", ("health_records",)) == pytest.approx(
        persons[[1, 2]].sum() / persons[[0, 1, 2]].sum()
    )
    assert value(m, "health_records_persons", ("health_records",)) == pytest.approx(persons[1:].sum())


# --- the health projects' shared parameters ----------------------------------------------------------------------
def test_both_health_projects_take_slack_and_free_profiles_from_one_base() -> None:
    shared = {f.name for f in dataclasses.fields(ProfileParams)}
    assert shared == {"capacity_slack", "free_profiles"}
    for policy in (NewCitizenHealth, MaternalChildHealth):
        assert issubclass(policy.Params, ProfileParams)
        own = {f.name for f in dataclasses.fields(policy.Params)} - shared
        assert own and "capacity_slack" not in policy.Params.__dict__.get("__annotations__", {})


def test_scheme_constants_are_the_cited_figures() -> None:
    assert (ncms.SUBSIDY_2009, ncms.PREMIUM_2009, ncms.INPATIENT_SHARE) == (80.0, 20.0, 0.826)
    assert ncms.INPATIENT_COST == pytest.approx(0.826 * 922.9 / 8.33 / 0.55, rel=1e-3)


def test_formally_employed_farmers_start_in_the_employee_insurance_and_stay_there() -> None:
    """Starting entitlements are what the profile intends (issue 9): the NCMS rule once overwrote the employee
    insurance of local farmers with formal jobs, so their urban insurance coverage started at 0.02 and jumped to
    0.33 in the first year as monthly take-up caught up. Each rule now serves its own group."""
    from urbanize.model import UrbanizationModel
    from urbanize.model.enums import HouseholdType, Job
    from urbanize.model.services.social_security import INSURANCE_EMPLOYEE

    m = UrbanizationModel(city="changshu", policies="status_quo", households=3000, rng=5)
    pop = m.pop
    farmer = pop.htype == HouseholdType.LOCAL_FARMER
    formal = farmer & (pop.job == Job.FORMAL)
    assert formal.sum() > 50
    employee = np.mean(pop.insured[formal] == INSURANCE_EMPLOYEE)
    assert 0.9 < employee <= 1.0, employee
    # the few formal farmers left outside the employee scheme may join the rural scheme like other farmers (in
    # Changshu it is integrated with the urban residents' scheme, whose code its members hold: ncms.code)
    code = m.services.ncms.code
    assert np.mean(pop.insured[formal] == code) < 0.1
    others = farmer & ~formal
    assert 0.85 < np.mean(pop.insured[others] == code) < 0.99
    start = m.indicators()["urban_medical_insurance_coverage_local_farmer"].iloc[0]
    m.run(12)
    after = m.indicators()["urban_medical_insurance_coverage_local_farmer"].iloc[-1]
    assert abs(after - start) < 0.05, (start, after)
