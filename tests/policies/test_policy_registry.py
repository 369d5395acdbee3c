"""Finding policies by name (shipped, user-registered, entry points), bad names and parameters, the catalogue,
and parameters from ``--set`` items and TOML files."""

from __future__ import annotations

import importlib
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from policy_helpers import small_model

from urbanize.model import UrbanizationModel
from urbanize.model.enums import HouseholdType, Job, Registration, Residence, Skill
from urbanize.model.errors import ParameterError, UnknownPolicyError
from urbanize.policies import registry
from urbanize.policies.base import Transition
from urbanize.policies.catalogue import format_packages, format_policies
from urbanize.policies.params_io import load_params_toml, merge_params, parse_set_options

REPO = Path(__file__).resolve().parents[2]
MINE = [
    "linked_registration",
    "socialized_registration",
    "rented_residence_hukou",
    "farmer_hukou",
    "villager_hukou",
    "homestead_exchange",
]


@pytest.fixture
def clean_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let a test register policies and rescan entry points without leaking into other tests."""
    monkeypatch.setattr(registry, "_POLICIES", dict(registry._POLICIES))
    monkeypatch.setattr(registry, "_entry_points_loaded", False)


def test_every_pilot_policy_is_registered_with_pilot_summary_and_docstring() -> None:
    known = registry.available()
    for name in MINE:
        cls = known[name]
        assert cls.pilot in {"Zhengzhou", "Yanta", "Jinnan"}
        assert cls.summary and "\n" not in cls.summary
        assert "Example" in (cls.__doc__ or "") and "UrbanizationModel(" in (cls.__doc__ or "")
        cls()  # defaults are valid


def test_pilot_packages_are_registered_with_their_members() -> None:
    pk = registry.packages()
    assert pk["zhengzhou_pilot"][:2] == ("linked_registration", "socialized_registration")
    assert {"rented_residence_hukou", "farmer_hukou"} <= set(pk["yanta_pilot"])
    assert {"homestead_exchange", "villager_hukou"} <= set(pk["jinnan_pilot"])
    assert "public_rental_housing" in pk["changshu_pilot"]


def test_pilot_packages_hold_the_seeds_content_of_piloting_of_their_own_city() -> None:
    """Measures the seed lists among a city's "content of piloting" are in its package (Changshu: a housing project
    for talents, health records, the rural cooperative medical scheme; Zhengzhou: capacities of migrant management
    bodies and staff), and every member is a measure of that city."""
    pk, known = registry.packages(), registry.available()
    assert {"talents_housing", "health_records", "ncms_improvement"} <= set(pk["changshu_pilot"])
    assert {"management_capacity", "information_sharing"} <= set(pk["zhengzhou_pilot"])
    assert {"elderly_home_support", "elderly_day_care", "elderly_care_training", "city_life_skills"} <= set(
        pk["yanta_pilot"]
    )
    assert {"community_organizations", "exchanged_villager_employment", "disability_assistance"} <= set(
        pk["jinnan_pilot"]
    )
    assert {"hospital_births", "elderly_care_subsidy"} <= set(pk["changshu_pilot"])
    for city in ("changshu", "jinnan", "yanta", "zhengzhou"):
        for name in pk[f"{city}_pilot"]:
            assert known[name].pilot == city.capitalize(), (city, name)


def test_unknown_policy_names_the_valid_choices() -> None:
    with pytest.raises(UnknownPolicyError) as exc:
        UrbanizationModel(city="yanta", policies="rented_residence_hukuo", households=50)
    msg = str(exc.value)
    assert "\n" not in msg
    assert "rented_residence_hukuo" in msg and "rented_residence_hukou" in msg and "yanta_pilot" in msg


@pytest.mark.parametrize(
    ("policy_params", "error", "fragments"),
    [
        (
            {"rented_residence_hukou": {"contribution_years": 11}},
            ParameterError,
            ["contribution_years", "[0, 10]"],
        ),
        ({"rented_residence_hukou": {"contribution_years": 2.5}}, ParameterError, ["must be a int"]),
        (
            {"rented_residence_hukou": {"contribution_yrs": 2}},
            ParameterError,
            ["contribution_years", "valid"],
        ),
        ({"farmer_hukou": {"outreach": 0.1}}, ParameterError, ["not active", "farmer_hukou"]),
        ({"no_such_policy": {"x": 1}}, UnknownPolicyError, ["no_such_policy", "rented_residence_hukou"]),
    ],
)
def test_bad_policy_parameters_fail_with_one_line(policy_params, error, fragments) -> None:
    with pytest.raises(error) as exc:
        UrbanizationModel(
            city="yanta", policies="rented_residence_hukou", households=50, policy_params=policy_params
        )
    msg = str(exc.value)
    assert "\n" not in msg
    for fragment in fragments:
        assert fragment in msg


def test_policy_parameters_reach_the_policy() -> None:
    m = small_model(
        policies="rented_residence_hukou",
        policy_params={"rented_residence_hukou": {"contribution_years": "2"}},
    )
    assert m.policy_set.get("rented_residence_hukou").params.contribution_years == 2
    assert m.parameters()["policy_params"]["rented_residence_hukou"]["contribution_years"] == 2


# --- user policies --------------------------------------------------------------------------------------------
def _load_example(monkeypatch: pytest.MonkeyPatch) -> object:
    """Import docs/examples/my_policy.py afresh, as a user would (``import my_policy``)."""
    monkeypatch.syspath_prepend(str(REPO / "docs" / "examples"))
    monkeypatch.delitem(sys.modules, "my_policy", raising=False)
    return importlib.import_module("my_policy")


def test_the_documented_example_policy_runs(monkeypatch, clean_registry) -> None:
    module = _load_example(monkeypatch)
    assert registry.available()["fast_track_graduates"] is module.FastTrackGraduates
    m = small_model(
        city="changshu",
        policies="fast_track_graduates",
        policy_params={"fast_track_graduates": {"months": 6}},
        hukou_const=5.0,
        hukou_settle=10.0,
    )
    assert m.policy_set.names == ["status_quo", "fast_track_graduates"]
    assert m.policy_set.get("fast_track_graduates").params.months == 6
    m.run(12)
    assert m.indicators()["residents"].iloc[-1] > 0
    assert "fast_track_graduates" in format_policies()


def test_example_policy_makes_a_graduate_eligible(monkeypatch, clean_registry) -> None:
    _load_example(monkeypatch)
    m = small_model(city="changshu", policies="fast_track_graduates")
    pop = m.pop
    rows = np.flatnonzero(pop.htype == HouseholdType.MIGRANT)[:2]
    pop.reg[rows] = Registration.RESIDENCE_PERMIT
    pop.skill[rows] = [Skill.HIGH, Skill.MID]
    pop.job[rows] = Job.INFORMAL
    pop.months_resident[rows] = 24
    pop.residence[rows] = Residence.PRIVATE_RENTAL  # the status quo says no
    assert m.policy_set.eligible(Transition.APPLY_HUKOU, rows).tolist() == [True, False]


def test_a_policy_from_an_entry_point_is_found_by_name(tmp_path: Path, monkeypatch, clean_registry) -> None:
    (tmp_path / "ep_user_policies.py").write_text(
        textwrap.dedent(
            '''
            from urbanize.policies.base import Policy, Transition

            class ExtraRegistration(Policy):
                """A user's policy shipped in another package."""
                summary = "Everyone may register (entry-point test)"

                def eligible(self, model, transition, rows):
                    return None
            '''
        )
    )
    dist = tmp_path / "ep_user_policies-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: ep-user-policies\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text(
        "[urbanize.policies]\nmy_policy = ep_user_policies:ExtraRegistration\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.invalidate_caches()
    monkeypatch.delitem(sys.modules, "ep_user_policies", raising=False)
    assert "my_policy" in registry.available()
    m = UrbanizationModel(city="changshu", policies="my_policy", households=60, rng=1)
    assert m.policy_set.names == ["status_quo", "my_policy"]
    m.run(2)
    listing = format_policies()
    assert "my_policy  [user]  Everyone may register (entry-point test)" in listing


def test_a_broken_entry_point_is_reported(tmp_path: Path, monkeypatch, clean_registry) -> None:
    (tmp_path / "ep_not_a_policy.py").write_text("NotAPolicy = 42\n")
    dist = tmp_path / "ep_not_a_policy-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: ep-not-a-policy\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text("[urbanize.policies]\nbroken = ep_not_a_policy:NotAPolicy\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.invalidate_caches()
    with pytest.raises(UnknownPolicyError, match="does not name a Policy subclass"):
        registry.available()


# --- the catalogue ---------------------------------------------------------------------------------------------
def test_catalogue_lists_every_policy_with_pilot_summary_and_parameters() -> None:
    text = format_policies()
    for name, cls in registry.available().items():
        assert f"{name}  [{cls.pilot}]" in text
        for info in cls.param_infos():
            assert f"{name}.{info.name} = " in text
    assert "rented_residence_hukou.contribution_years = 3  (years in [0, 10])" in text
    assert "villager_hukou.collective_offer = true  (on/off)" in text
    assert format_packages() in text


def test_package_listing_shows_members_and_marks_missing_ones() -> None:
    text = format_packages()
    known = registry.available()
    for name, members in registry.packages().items():
        line = next(line for line in text.splitlines() if line.strip().startswith(name + " "))
        for member in members:
            assert member in line
            assert (f"{member} (not installed)" in line) is (member not in known)


# --- --set and --params ------------------------------------------------------------------------------------------
def test_set_options_split_and_type_values() -> None:
    model_params, policy_params = parse_set_options(
        [
            "rented_residence_hukou.contribution_years=3",
            "arrival_rate=0.01",
            " villager_hukou.collective_offer = off ",
            "rented_residence_hukou.contribution_years=2",
        ]
    )
    assert model_params == {"arrival_rate": 0.01}
    assert policy_params == {
        "rented_residence_hukou": {"contribution_years": 2},
        "villager_hukou": {"collective_offer": False},
    }
    assert type(policy_params["rented_residence_hukou"]["contribution_years"]) is int
    m = small_model(
        policies="rented_residence_hukou,villager_hukou", policy_params=policy_params, **model_params
    )
    assert m.behaviour.arrival_rate == 0.01
    assert parse_set_options([]) == ({}, {})


@pytest.mark.parametrize(
    ("item", "error", "fragment"),
    [
        ("arrival_rate", ParameterError, "is not NAME=VALUE"),
        ("arrival_rate=", ParameterError, "is not NAME=VALUE"),
        ("=3", ParameterError, "is not NAME=VALUE"),
        ("a.b.c=1", ParameterError, "is not NAME=VALUE"),
        (".contribution_years=1", ParameterError, "is not NAME=VALUE"),
        ("arival_rate=0.01", ParameterError, "model parameters: access_pull, access_reference, arrival_rate"),
        ("arrival_rate=fast", ParameterError, "must be a float"),
        ("arrival_rate=0.5", ParameterError, "outside its valid range"),
        ("rented_residence_hukuo.contribution_years=3", UnknownPolicyError, "policies: "),
        ("rented_residence_hukou.years=3", ParameterError, "valid: contribution_years"),
        ("rented_residence_hukou.contribution_years=11", ParameterError, "[0, 10]"),
        ("villager_hukou.collective_offer=maybe", ParameterError, "must be a bool"),
    ],
)
def test_malformed_set_items_fail_with_one_line(item: str, error: type, fragment: str) -> None:
    with pytest.raises(error) as exc:
        parse_set_options([item])
    msg = str(exc.value)
    assert "\n" not in msg and fragment in msg


def test_params_toml_file(tmp_path: Path) -> None:
    path = tmp_path / "params.toml"
    path.write_text(
        "arrival_rate = 0.01\nhukou_const = -1\n\n[rented_residence_hukou]\ncontribution_years = 2\n\n"
        "[homestead_exchange]\napartment_cost = 100000\n"
    )
    model_params, policy_params = load_params_toml(path)
    assert model_params == {"arrival_rate": 0.01, "hukou_const": -1.0}
    assert policy_params == {
        "rented_residence_hukou": {"contribution_years": 2},
        "homestead_exchange": {"apartment_cost": 100000.0},
    }
    merged = merge_params(
        (model_params, policy_params), parse_set_options(["rented_residence_hukou.contribution_years=4"])
    )
    assert merged[1]["rented_residence_hukou"] == {"contribution_years": 4}
    assert merged[1]["homestead_exchange"] == {"apartment_cost": 100000.0}


@pytest.mark.parametrize(
    ("content", "error", "fragment"),
    [
        ("arrival_rate = \n", ParameterError, "is not valid TOML"),
        ("[rented_residence_hukou\n", ParameterError, "is not valid TOML"),
        ("arival_rate = 0.01\n", ParameterError, "unknown parameter 'arival_rate'; valid model parameters"),
        ("[no_such_policy]\nx = 1\n", UnknownPolicyError, "unknown policy 'no_such_policy'"),
        ("[farmer_hukou]\noutrech = 0.1\n", ParameterError, "valid: outreach"),
        ("[farmer_hukou]\noutreach = 2.0\n", ParameterError, "outside its valid range"),
        ("arrival_rate = [0.01, 0.02]\n", ParameterError, "single value"),
        ("[farmer_hukou.more]\noutreach = 0.1\n", ParameterError, "single value"),
    ],
)
def test_malformed_params_toml_fails_with_one_line_naming_the_file(
    tmp_path: Path, content, error, fragment
) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(content)
    with pytest.raises(error) as exc:
        load_params_toml(path)
    msg = str(exc.value)
    assert "\n" not in msg and fragment in msg and "bad.toml" in msg


def test_unreadable_params_files(tmp_path: Path) -> None:
    with pytest.raises(ParameterError, match="does not exist"):
        load_params_toml(tmp_path / "missing.toml")
    with pytest.raises(ParameterError, match="is a folder"):
        load_params_toml(tmp_path)
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(ParameterError, match="not UTF-8"):
        load_params_toml(binary)
