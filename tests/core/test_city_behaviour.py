"""A city file's [behaviour] table sets that city's behavioural defaults; keywords still win."""

from __future__ import annotations

import json
import shutil

import pytest

from urbanize.model import city as city_module
from urbanize.model.city import CITY_DIR, load_city
from urbanize.model.core import UrbanizationModel
from urbanize.model.errors import CityFileError
from urbanize.model.params import BehaviourParams


@pytest.fixture
def city_dir(tmp_path, monkeypatch):
    """A copy of the shipped city files whose changshu.toml the test may edit."""
    for f in CITY_DIR.glob("*.toml"):
        shutil.copy(f, tmp_path / f.name)
    monkeypatch.setattr(city_module, "CITY_DIR", tmp_path)
    load_city.cache_clear()
    yield tmp_path
    load_city.cache_clear()


def _set_behaviour(city_dir, lines: str) -> None:
    path = city_dir / "changshu.toml"
    path.write_text(path.read_text(encoding="utf-8") + lines + "\n", encoding="utf-8")


def test_shipped_cities_have_valid_behaviour_tables():
    for name in ("changshu", "jinnan", "yanta", "zhengzhou"):
        assert isinstance(load_city(name).behaviour, dict)


def test_the_city_value_replaces_the_default_and_a_keyword_wins(city_dir):
    _set_behaviour(city_dir, "settle_const = -2.25\nfertility = 0.05")
    assert load_city("changshu").behaviour == {"settle_const": -2.25, "fertility": 0.05}
    m = UrbanizationModel(city="changshu", households=20, rng=1)
    assert m.behaviour.settle_const == -2.25 and m.behaviour.fertility == 0.05
    assert m.behaviour.leave_const == BehaviourParams().leave_const
    m = UrbanizationModel(city="changshu", households=20, rng=1, settle_const=-1.0)
    assert m.behaviour.settle_const == -1.0 and m.behaviour.fertility == 0.05
    other = UrbanizationModel(city="yanta", households=20, rng=1)
    assert other.behaviour.settle_const == BehaviourParams().settle_const


def test_list_parameters_city_shows_the_city_values(city_dir, capsys):
    from urbanize.experiments.cli import main

    _set_behaviour(city_dir, "settle_const = -2.25")
    assert main(["list", "parameters", "--city", "changshu", "--format", "json"]) == 0
    rows = {r["name"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["settle_const"]["default"] == -2.25 and rows["settle_const"]["value_from"] == "city file (changshu)"
    assert rows["fertility"]["value_from"] == "default"


@pytest.mark.parametrize(
    "lines, message",
    [
        ("settle_cnst = -2.0", "unknown behavioural parameter 'settle_cnst'"),
        ("fertility = 0.9", "outside its valid range"),
        ("fertility = 'high'", "must be a float"),
    ],
)
def test_a_bad_behaviour_table_is_one_line(city_dir, lines, message):
    _set_behaviour(city_dir, lines)
    with pytest.raises(CityFileError, match=message) as info:
        load_city("changshu")
    assert "changshu.toml" in str(info.value) and "\n" not in str(info.value)
