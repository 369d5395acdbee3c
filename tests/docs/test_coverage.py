"""docs/coverage.md: every row names registered policies, indicators or split indicators, or states why not."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from urbanize.model.indicators import registry as indicator_registry
from urbanize.model.indicators.meta import SITES, sites_of
from urbanize.model.splits import split_names
from urbanize.policies import registry as policy_registry

DOC = Path(__file__).resolve().parents[2] / "docs" / "coverage.md"
PLANNED = "planned: issue 11 (measure being built)"
HEADER = ["Site", "Sector", "Kind", "Seed's wording", "Counterpart", "Reason"]


def parse(text: str) -> list[dict[str, str]]:
    """The rows of the coverage table (cells by header)."""
    lines = [ln for ln in text.splitlines() if ln.startswith("|")]
    header = [c.strip() for c in lines[0].strip("|").split("|")]
    assert header == HEADER, header
    rows = []
    for ln in lines[2:]:
        cells = [c.strip() for c in ln.strip().removeprefix("|").removesuffix("|").split("|")]
        assert len(cells) == len(header), ln
        rows.append(dict(zip(header, cells, strict=True)))
    return rows


def check_row(row: dict[str, str]) -> list[str]:
    """What is wrong with one row (empty: nothing)."""
    problems = []
    site = row["Site"].lower()
    if site not in SITES:
        problems.append(f"unknown site {row['Site']!r}")
    if row["Kind"] not in ("measure", "indicator"):
        problems.append(f"kind {row['Kind']!r} is neither measure nor indicator")
    names = re.findall(r"`([^`]+)`", row["Counterpart"])
    leftover = re.sub(r"`[^`]+`", "", row["Counterpart"]).replace(",", "").strip()
    if leftover:
        problems.append(f"counterpart holds text outside names: {leftover!r}")
    if bool(names) == bool(row["Reason"]):
        problems.append("a row names a counterpart or states a reason, exactly one of them")
    indicators, policies = indicator_registry(None), policy_registry.available()  # policies' own indicators too
    packages = policy_registry.packages()
    for name in names:
        if name.startswith("split:"):
            if name.removeprefix("split:") not in split_names():
                problems.append(f"no split indicator {name.removeprefix('split:')!r}")
        elif name in indicators:
            if site not in sites_of(name):
                problems.append(f"indicator {name!r} is not listed for {site} (model/indicators/meta.py)")
        elif name in policies:
            pilot = policies[name].pilot.lower()
            if pilot not in (site, "all"):
                problems.append(f"policy {name!r} belongs to {pilot}, not {site}")
        elif name not in packages:
            problems.append(f"{name!r} is neither a policy, a package, an indicator nor a split indicator")
    return problems


ROWS = parse(DOC.read_text(encoding="utf-8"))


def test_the_table_covers_the_four_sites_measures_and_indicators() -> None:
    assert {r["Site"].lower() for r in ROWS} == set(SITES)
    for site in SITES:
        kinds = {r["Kind"] for r in ROWS if r["Site"].lower() == site}
        assert kinds == {"measure", "indicator"}, site


@pytest.mark.parametrize("row", ROWS, ids=[f"{r['Site']}: {r['Seed\'s wording'][:40]}" for r in ROWS])
def test_each_row_names_what_exists_or_states_a_reason(row: dict[str, str]) -> None:
    assert check_row(row) == []


@pytest.mark.parametrize(
    ("counterpart", "reason", "needle"),
    [
        ("`no_such_indicator`", "", "neither a policy"),
        ("`split:no_such_split`", "", "no split indicator"),
        ("", "", "exactly one"),
        ("`registration_rate`", PLANNED, "exactly one"),
        ("`public_rental_housing`", "", "belongs to changshu"),
        ("`avg_class_size_primary`", "", "not listed for yanta"),
        ("see `residents` and more", "", "outside names"),
    ],
)
def test_the_check_catches_bad_rows(counterpart: str, reason: str, needle: str) -> None:
    row = {"Site": "Yanta", "Sector": "x", "Kind": "indicator", "Seed's wording": "x",
           "Counterpart": counterpart, "Reason": reason}
    assert any(needle in p for p in check_row(row)), check_row(row)


def test_good_rows_pass_the_check() -> None:
    for counterpart, reason in [("`hukou_conversions_migrant`, `split:registration_rate`", ""), ("", PLANNED),
                                ("`yanta_pilot`, `budget_limit`", "")]:
        row = {"Site": "Yanta", "Sector": "x", "Kind": "measure", "Seed's wording": "x",
               "Counterpart": counterpart, "Reason": reason}
        assert check_row(row) == []
