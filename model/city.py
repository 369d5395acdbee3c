"""City profiles: the four pilot sites of the seed as data files (``model/cities/*.toml``).

Each profile holds the seed's population figures (docs/model.md, section 6, checked against seed ch.2), the
districts with their kind and a map, the labour market, housing tenure and starting registration. Figures not in
the seed are marked "assumed" in the data file with the reasoning, so a user can replace them.

An optional ``[behaviour]`` table overrides ``model.params.BehaviourParams`` defaults for this city (calibrated
per-city values, docs/model.md "Input data"); it is checked like a ``--params`` file, and explicit keywords,
``--set`` and ``--params`` still win over it. An optional ``[medical_insurance]`` table says whether the city's rural
and urban resident medical schemes are integrated at the start (``resident_schemes_integrated``, default false;
``model.services.ncms``).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import numpy as np

from urbanize.model.enums import DistrictKind, HouseholdType, Residence, parse_enum
from urbanize.model.errors import CityFileError, UnknownCityError, UrbanizeError

CITY_DIR = Path(__file__).parent / "cities"
TYPE_KEYS = tuple(t.label for t in HouseholdType)


@dataclass(frozen=True)
class District:
    """One district of a city map."""

    index: int
    code: str
    name: str
    kind: DistrictKind
    share: dict[str, float]  # share of each household type's persons living here
    cells: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class CityProfile:
    """Everything the model needs to build a city at the start of a run."""

    name: str
    display_name: str
    year: int
    residents: int
    local_hukou_share: float
    urban_hukou_share_of_locals: float
    urban_poor_share_of_urban_locals: float
    districts: tuple[District, ...]
    width: int
    height: int
    economy: dict[str, float]
    tenure: dict[str, dict[Residence, float]]
    skill: dict[str, tuple[float, float, float]]
    registration: dict[str, float]
    behaviour: dict[str, Any] = field(default_factory=dict)  # BehaviourParams overrides, checked
    medical_schemes_integrated: bool = False  # [medical_insurance] resident_schemes_integrated, checked
    raw: dict[str, Any] = field(repr=False, default_factory=dict)

    @cached_property
    def cell_table(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Map cells of all districts as one (cells x 2) int16 array, each district's first row in it, and its
        number of cells (for drawing cells of many households at once)."""
        count = np.array([len(d.cells) for d in self.districts], dtype=np.int64)
        first = np.concatenate([[0], np.cumsum(count)[:-1]]).astype(np.int64)
        cells = np.array([c for d in self.districts for c in d.cells], dtype=np.int16).reshape(-1, 2)
        return cells, first, count

    @property
    def migrant_share(self) -> float:
        return 1.0 - self.local_hukou_share

    def persons_by_type(self) -> dict[str, float]:
        """Target persons of each household type at the start."""
        locals_ = self.residents * self.local_hukou_share
        urban_locals = locals_ * self.urban_hukou_share_of_locals
        poor = urban_locals * self.urban_poor_share_of_urban_locals
        return {
            "migrant": self.residents * self.migrant_share,
            "local_farmer": locals_ - urban_locals,
            "urban_poor": poor,
            "urban_resident": urban_locals - poor,
        }


def list_cities() -> list[str]:
    """Names of the shipped city profiles."""
    return sorted(p.stem for p in CITY_DIR.glob("*.toml"))


HOUSING_KEYS = ("vacancy_dormitory", "vacancy_private_rental", "vacancy_owned")


def _check_housing(housing: dict[str, Any], city: str) -> None:
    """The optional ``[housing]`` table: target vacancies of the market tenures, each a share in [0, 1)."""
    for k, v in housing.items():
        if k == "note":
            continue
        if k not in HOUSING_KEYS:
            raise ValueError(f"city '{city}': unknown [housing] key '{k}'; valid keys: {', '.join(HOUSING_KEYS)}")
        if isinstance(v, bool) or not isinstance(v, int | float) or not 0.0 <= float(v) < 1.0:
            raise ValueError(f"city '{city}': [housing] {k} = {v!r} must be a share in [0, 1)")


MEDICAL_KEYS = ("resident_schemes_integrated",)


def _check_medical(table: Any, city: str) -> bool:
    """The optional ``[medical_insurance]`` table: whether the city's new rural cooperative medical scheme is
    integrated with its urban residents' basic medical insurance at the start (``model.services.ncms``)."""
    if not isinstance(table, dict):
        raise ValueError(f"city '{city}': [medical_insurance] must be a table, got {table!r}")
    for k in table:
        if k not in (*MEDICAL_KEYS, "note"):
            raise ValueError(
                f"city '{city}': unknown [medical_insurance] key '{k}'; valid keys: {', '.join(MEDICAL_KEYS)}"
            )
    value = table.get("resident_schemes_integrated", False)
    if not isinstance(value, bool):
        raise ValueError(
            f"city '{city}': [medical_insurance] resident_schemes_integrated = {value!r} must be true or false"
        )
    return value


def _check_behaviour(table: Any, city: str) -> dict[str, Any]:
    """The optional ``[behaviour]`` table: BehaviourParams names with valid values (typed), as --params."""
    from urbanize.model.params import BehaviourParams, build

    if not isinstance(table, dict):
        raise ValueError(f"city '{city}': [behaviour] must be a table of behavioural parameters, got {table!r}")
    try:
        params = build(BehaviourParams, table, owner="behavioural ")
    except UrbanizeError as exc:
        raise CityFileError(f"city file {city}.toml, [behaviour]: {exc}; fix the file") from None
    return {k: getattr(params, k) for k in table}


def _check_shares(shares: dict[str, float], what: str, city: str) -> None:
    total = sum(shares.values())
    if abs(total - 1.0) > 1e-6:
        raise ValueError(f"city '{city}': {what} sums to {total:.4f}, not 1")


@cache
def load_city(name: str) -> CityProfile:
    """Load and validate a city profile by name.

    Raises:
        UnknownCityError: if there is no such city.
    """
    key = str(name).strip().lower()
    path = CITY_DIR / f"{key}.toml"
    if not path.is_file():
        raise UnknownCityError(f"unknown city '{name}'; valid cities: {', '.join(list_cities())}")
    try:
        return _parse_city(key, tomllib.loads(path.read_text(encoding="utf-8")))
    except UrbanizeError:
        raise
    except tomllib.TOMLDecodeError as exc:
        raise CityFileError(f"city file {path.name} is not valid TOML ({exc}); fix the file") from None
    except KeyError as exc:
        raise CityFileError(
            f"city file {path.name} lacks {exc}; a city needs every section and field changshu.toml has"
        ) from None
    except (ValueError, TypeError, IndexError, AttributeError) as exc:
        raise CityFileError(f"city file {path.name}: {exc}; fix the file") from None


def _parse_city(key: str, raw: dict[str, Any]) -> CityProfile:
    pop = raw["population"]
    grid_rows = [row.replace(" ", "") for row in raw["map"]["rows"]]
    height, width = len(grid_rows), len(grid_rows[0])
    if any(len(r) != width for r in grid_rows):
        raise ValueError(f"city '{key}': map rows differ in length")
    districts = []
    for i, d in enumerate(raw["districts"]):
        share = {t: float(d["share"].get(t, 0.0)) for t in TYPE_KEYS}
        cells = tuple(
            (x, height - 1 - y)
            for y, row in enumerate(grid_rows)
            for x, ch in enumerate(row)
            if ch == d["code"]
        )
        if not cells:
            raise ValueError(f"city '{key}': district {d['code']} has no cells on the map")
        districts.append(
            District(
                i, d["code"], d["name"], parse_enum(DistrictKind, d["kind"], "district kind"), share, cells
            )
        )
    for t in TYPE_KEYS:
        _check_shares({d.code: d.share[t] for d in districts}, f"district shares of {t}", key)
    tenure: dict[str, dict[Residence, float]] = {}
    for t in TYPE_KEYS:
        tt = {k: float(v) for k, v in raw["tenure"][t].items() if k != "note"}
        _check_shares(tt, f"tenure of {t}", key)
        tenure[t] = {parse_enum(Residence, k, "residence"): v for k, v in tt.items()}
    skill = {t: tuple(float(x) for x in raw["skill"][t]) for t in TYPE_KEYS}
    _check_housing(raw.get("housing", {}), key)
    return CityProfile(
        name=key,
        display_name=raw["display_name"],
        year=int(raw["year"]),
        residents=int(pop["residents"]),
        local_hukou_share=float(pop["local_hukou_share"]),
        urban_hukou_share_of_locals=float(pop["urban_hukou_share_of_locals"]),
        urban_poor_share_of_urban_locals=float(pop["urban_poor_share_of_urban_locals"]),
        districts=tuple(districts),
        width=width,
        height=height,
        economy={k: float(v) for k, v in raw["economy"].items() if not isinstance(v, str)},
        tenure=tenure,
        skill=skill,  # type: ignore[arg-type]
        registration={k: float(v) for k, v in raw["registration"].items() if not isinstance(v, str)},
        behaviour=_check_behaviour(raw.get("behaviour", {}), key),
        medical_schemes_integrated=_check_medical(raw.get("medical_insurance", {}), key),
        raw=raw,
    )
