"""docs/policies.md stays in step with the code: every shipped policy, its parameters and defaults, every
package, and the example (which test_policy_registry.py runs) as it is in docs/examples/my_policy.py."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from urbanize.policies import registry
from urbanize.policies.catalogue import _value
from urbanize.policies.params_io import load_params_toml

REPO = Path(__file__).resolve().parents[2]
DOC = (REPO / "docs" / "policies.md").read_text(encoding="utf-8")
SHIPPED = {n: c for n, c in registry.available().items() if c.__module__.startswith("urbanize.policies.")}


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_every_shipped_policy_is_documented_with_its_parameters(name: str) -> None:
    assert f"### `{name}`" in DOC, f"docs/policies.md has no section for policy '{name}'"
    section = DOC.split(f"### `{name}`", 1)[1].split("\n### ", 1)[0]
    cls = SHIPPED[name]
    assert cls.pilot.split()[0] in DOC.split(f"### `{name}`", 1)[1][:400] or cls.pilot == "all"
    for info in cls.param_infos():
        row = f"| `{info.name}` | {_value(info.default)} | {info.unit} |"
        assert row in section, f"docs/policies.md: policy '{name}' lacks the row {row!r}"


def test_every_package_is_documented_with_its_members() -> None:
    for name, members in registry.packages().items():
        line = next((ln for ln in DOC.splitlines() if ln.startswith(f"| `{name}` |")), None)
        assert line is not None, f"docs/policies.md: no row for package '{name}'"
        for member in members:
            assert f"`{member}`" in line


def test_the_example_in_the_docs_is_the_tested_file() -> None:
    example = (REPO / "docs" / "examples" / "my_policy.py").read_text(encoding="utf-8").rstrip()
    assert f"```python\n{example}\n```" in DOC
    assert '[project.entry-points."urbanize.policies"]' in DOC


def test_the_parameter_file_in_the_docs_loads(tmp_path: Path) -> None:
    blocks = [textwrap.dedent(b) for b in re.findall(r"```toml\n(.*?)```", DOC, flags=re.S)]
    files = [b for b in blocks if "entry-points" not in b]
    assert files
    for i, block in enumerate(files):
        path = tmp_path / f"params{i}.toml"
        path.write_text(block)
        model_params, policy_params = load_params_toml(path)
        assert model_params or policy_params
