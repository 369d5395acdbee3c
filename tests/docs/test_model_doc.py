"""docs/model.md (the ODD description) agrees with the code, and no file cites design notes outside the repository."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from urbanize.model import odd_tables
from urbanize.model.errors import UrbanizeError
from urbanize.model.indicators import registry
from urbanize.model.params import BehaviourParams, describe

REPO = Path(__file__).resolve().parents[2]
MODEL_MD = REPO / "docs" / "model.md"

#: the ODD elements (Grimm et al. 2020) and the eleven design concepts, each of which must have a section
ODD_SECTIONS = (
    "Purpose and patterns",
    "Entities, state variables and scales",
    "Process overview and scheduling",
    "Design concepts",
    "Initialization",
    "Input data",
    "Submodels",
)
DESIGN_CONCEPTS = (
    "Basic principles",
    "Emergence",
    "Adaptation",
    "Objectives",
    "Learning",
    "Prediction",
    "Sensing",
    "Interaction",
    "Stochasticity",
    "Collectives",
    "Observation",
)


def test_generated_tables_match_the_registries() -> None:
    text = MODEL_MD.read_text(encoding="utf-8")
    assert odd_tables.render(text) == text, "docs/model.md is stale: run 'make docs' and commit it"


def test_every_parameter_and_indicator_is_in_the_document() -> None:
    text = MODEL_MD.read_text(encoding="utf-8")
    for info in describe(BehaviourParams):
        assert f"| `{info.name}` |" in text
    names = re.findall(r"^\| `(\w+)` \|", text.split("GENERATED: indicators -->", 1)[1], flags=re.M)
    assert names == list(registry()), "indicator table out of column order"


def test_the_document_follows_odd() -> None:
    text = MODEL_MD.read_text(encoding="utf-8")
    headings = [h.lower() for h in re.findall(r"^#+ (?:[\d.]+ )?(.+?)$", text, flags=re.M)]
    for section in ODD_SECTIONS:
        assert any(h.startswith(section.lower()) for h in headings), f"no ODD section '{section}'"
    design = text.split("## 4. Design concepts", 1)[1].split("\n## ", 1)[0]
    for concept in DESIGN_CONCEPTS:
        assert f"**{concept}.**" in design, f"design concept '{concept}' missing"


def test_stale_tables_are_rewritten_and_checked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = tmp_path / "model.md"
    doc.write_text(
        "# x\n<!-- BEGIN GENERATED: costs -->\nold\n<!-- END GENERATED: costs -->\n", encoding="utf-8"
    )
    assert odd_tables.main(["--check", str(doc)]) == 1
    assert "make docs" in capsys.readouterr().err
    assert "old" in doc.read_text(encoding="utf-8")  # --check writes nothing
    assert odd_tables.main([str(doc)]) == 0
    assert "| `primary_school` |" in doc.read_text(encoding="utf-8")
    assert odd_tables.main(["--check", str(doc)]) == 0
    assert odd_tables.main([str(tmp_path / "missing.md")]) == 2


def test_an_unknown_table_is_refused() -> None:
    with pytest.raises(UrbanizeError, match="unknown generated table 'nope'"):
        odd_tables.render("<!-- BEGIN GENERATED: nope -->\n<!-- END GENERATED: nope -->")


def test_nothing_cites_design_notes_outside_the_repository() -> None:
    outside = ("DESIGN" + ".md", "CONVENTIONS" + ".md")
    hits = []
    for path in REPO.rglob("*"):
        parts = path.relative_to(REPO).parts
        if (
            not path.is_file()
            or parts[0].startswith(".")
            or path.suffix not in {".py", ".md", ".toml", ".txt"}
        ):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        hits += [
            f"{path.relative_to(REPO)}:{n}"
            for n, line in enumerate(text.splitlines(), 1)
            if any(o in line for o in outside)
        ]
    assert not hits, "cite a section of docs/ (docs/model.md, docs/contributing.md) instead: " + ", ".join(
        hits
    )
