"""Site and sector of the indicators (model/indicators/meta.py) and ``urbanize list indicators --site --sector``."""

from __future__ import annotations

import json

import pytest

from urbanize.experiments.cli import main
from urbanize.model.indicators import registry
from urbanize.model.indicators.meta import SECTOR_SITES, sector_of, sites_of


@pytest.mark.parametrize(
    ("name", "sector"),
    [
        ("registration_rate_female_head", "registration"),
        ("hukou_transfer_willingness", "settlement"),
        ("unmet_demand_public_rental", "housing"),
        ("access_gap_pension", "social_security"),
        ("mean_wait_child_health", "health"),
        ("fiscal_spend_payer_central", "fiscal"),
        ("births", "population"),
        ("training_completed", "training"),
    ],
)
def test_sector_rules(name: str, sector: str) -> None:
    assert sector_of(name) == sector


def test_every_indicator_has_a_known_sector_and_sites() -> None:
    for name in registry():
        assert sector_of(name) in SECTOR_SITES and sites_of(name), name


def test_list_filters_by_site_and_sector(capsys) -> None:
    assert main(["list", "indicators", "--site", "zhengzhou", "--sector", "education", "--format", "json"]) == 0
    found = json.loads(capsys.readouterr().out)
    names = {r["name"] for r in found}
    assert names == {n for n in registry(None) if sector_of(n) == "education"}
    assert "migrant_children_public_school_share" in names
    assert main(["list", "indicators", "--site", "yanta", "--sector", "education"]) == 0
    assert capsys.readouterr().out == ""  # Yanta's programme monitors no school indicator
    assert main(["list", "indicators", "--site", "jinnan"]) == 0
    text = capsys.readouterr().out
    assert "homestead_exchanges" in text and "migrant_children_enrolment_rate" not in text


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["list", "indicators", "--site", "beijing"], "unknown site 'beijing'"),
        (["list", "indicators", "--sector", "roads"], "unknown sector 'roads'"),
        (["list", "cities", "--site", "yanta"], "filter 'urbanize list indicators' only"),
    ],
)
def test_bad_filters_are_one_line(args: list[str], needle: str, capsys) -> None:
    assert main(args) == 2
    err = capsys.readouterr().err
    assert needle in err and err.count("\n") == 1
