"""Starting state of the services (city files' ``[services]`` sections) and a smoke run of every package."""

from __future__ import annotations

import pytest
from service_helpers import services

from urbanize.model import UrbanizationModel
from urbanize.model.city import list_cities
from urbanize.policies.registry import packages


def test_changshu_starts_with_every_migrant_child_enrolled_70_percent_in_public_schools() -> None:
    """Seed ch.2 V.2: "The enrolment rate for migrant children at compulsory education is 100% and 70% of whom
    are enrolled in public schools"."""
    df = UrbanizationModel(city="changshu", households=4000, rng=3).indicators()
    assert df["migrant_children_enrolment_rate"].iloc[0] == pytest.approx(1.0)
    assert df["migrant_children_public_school_share"].iloc[0] == pytest.approx(0.70, abs=0.04)


@pytest.mark.parametrize("city", list_cities())
def test_starting_classes_match_the_calibrated_class_size(city: str) -> None:
    m = UrbanizationModel(city=city, households=1000, rng=1)
    svc = services(m)
    expected = float(m.profile.raw["services"]["class_size_start_primary"])
    assert svc.primary.used_after.sum() / svc.primary.classes.sum() == pytest.approx(expected)
    for s in svc.services:
        assert (s.used() <= s.capacity + 1e-6).all(), s.name


@pytest.mark.parametrize("city", list_cities())
def test_every_package_runs_with_services(city: str) -> None:
    for package in packages():
        df = UrbanizationModel(city=city, policies=package, households=150, rng=2).run(3).indicators()
        assert df["fiscal_spend_total"].iloc[1:].gt(0).all(), package
        assert df["avg_class_size_primary"].notna().all(), package
