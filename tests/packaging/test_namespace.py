"""One import package: ``urbanize.*`` resolves to this repository whatever else is importable.

Generic top-level names (``agents``, ``model``, ``viz``) from another distribution or from a user's working folder
must not shadow ours: the repository's folders install only as subpackages of ``urbanize``.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ROOTS = ("model", "agents", "policies", "experiments", "viz")


def test_shadowing_packages_cannot_replace_ours(tmp_path: Path) -> None:
    # what installing openai-agents or keeping a model.py in the working folder puts first on the path
    (tmp_path / "agents").mkdir()
    (tmp_path / "agents" / "__init__.py").write_text("raise RuntimeError('the foreign agents package ran')\n")
    (tmp_path / "viz").mkdir()
    (tmp_path / "viz" / "__init__.py").write_text("raise RuntimeError('the foreign viz package ran')\n")
    (tmp_path / "model.py").write_text("raise RuntimeError('the user model.py ran')\n")
    (tmp_path / "policies.py").write_text("raise RuntimeError('the user policies.py ran')\n")
    probe = (
        "import urbanize, urbanize.agents, urbanize.model, urbanize.policies, urbanize.experiments\n"
        "from urbanize import UrbanizationModel\n"
        "m = UrbanizationModel(city='jinnan', policies='status_quo', households=200, rng=3)\n"
        "m.run(months=1)\n"
        "for mod in (urbanize.agents, urbanize.model, urbanize.policies, urbanize.experiments):\n"
        "    print(mod.__name__, mod.__file__)\n"
    )
    env = {"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"}
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    for line in out.stdout.splitlines():
        name, path = line.split()
        folder = name.split(".")[1]
        assert Path(path).resolve() == REPO / folder / "__init__.py", line


def test_every_subpackage_is_installed() -> None:
    """A new folder with an ``__init__.py`` must be listed in pyproject's packages, or wheels would lack it."""
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    listed = set(config["packages"])
    on_disk = {"urbanize"} | {
        "urbanize." + ".".join(init.parent.relative_to(REPO).parts)
        for root in ROOTS
        for init in (REPO / root).rglob("__init__.py")
    }
    assert on_disk == listed
    for root in ROOTS:  # nested packages follow their root's mapping
        assert config["package-dir"][f"urbanize.{root}"] == root


def test_no_module_imports_the_bare_folder_names() -> None:
    """Inside the package every import goes through ``urbanize.``: a bare ``from model`` would load a second copy."""
    bad = []
    for root in (*ROOTS, "tests", "benchmarks", "docs"):
        for path in (REPO / root).rglob("*.py"):
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                stripped = line.strip()
                for name in ROOTS:
                    if stripped.startswith((f"from {name}.", f"from {name} import", f"import {name}")):
                        bad.append(f"{path.relative_to(REPO)}:{n}: {stripped}")
    assert not bad, "\n".join(bad)


def test_the_tests_do_not_put_the_checkout_s_parent_on_the_path() -> None:
    """The root's __init__.py is the package's; imported as a test package it would put the parent folder on
    sys.path, where a sibling folder named like a dependency (say ``mesa``) would shadow it."""
    assert str(REPO.parent) not in sys.path
