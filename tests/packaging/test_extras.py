"""Lean installs: the base package runs the model, ``urbanize run`` and process-pool sweeps without any extra,
and each feature that needs an extra says, in one line, which ``pip install`` brings it."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
EXTRA_ONLY = ("solara", "altair", "ipyvue", "ipyvuetify", "distributed", "dask", "dask_jobqueue", "duckdb")

# a meta-path finder that makes the extras' packages unimportable, as in an environment without them
BLOCKER = textwrap.dedent(
    f"""
    import sys
    class _Missing:
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in {EXTRA_ONLY!r}:
                raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
            return None
    sys.meta_path.insert(0, _Missing())
    """
)


def _run_without_extras(code: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", BLOCKER + textwrap.dedent(code)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_base_dependencies_hold_no_extra() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    base = " ".join(project["dependencies"]).lower()
    for heavy in ("solara", "dask", "duckdb", "mesa[rec]", "ipyvue", "altair"):
        assert heavy not in base
    assert set(project["optional-dependencies"]) >= {"app", "cluster", "sql", "test", "all"}


def test_model_run_and_pool_sweep_work_without_extras(tmp_path: Path) -> None:
    spec = tmp_path / "tiny.toml"
    spec.write_text(
        'name = "tiny"\ncity = "jinnan"\npolicies = ["status_quo"]\nyears = 1\nhouseholds = 200\n'
        "replicates = 2\nseed = 5\n",
        encoding="utf-8",
    )
    out = _run_without_extras(
        f"""
        from urbanize.experiments.cli import main
        assert main(["run", "--city", "jinnan", "--households", "200", "--years", "1", "--no-progress",
                     "--out", "run"]) == 0
        assert main(["sweep", {str(spec)!r}, "--out", "sweep", "--workers", "1", "--no-progress"]) == 0
        assert main(["report", "sweep"]) == 0
        for name in {EXTRA_ONLY!r}:
            assert name not in sys.modules, name
        """,
        tmp_path,
    )
    assert out.returncode == 0, out.stderr[-3000:]


def test_missing_extra_is_one_line_naming_the_install(tmp_path: Path) -> None:
    out = _run_without_extras(
        """
        from urbanize.experiments.cli import main
        code = main(["viz", "--port", "8799"])
        print("exit", code)
        from urbanize.experiments.storage import duckdb_view
        try:
            duckdb_view(".")
        except Exception as exc:
            print("sql:", exc)
        """,
        tmp_path,
    )
    assert out.returncode == 0, out.stderr
    assert "exit 2" in out.stdout
    err = out.stderr.strip().splitlines()
    assert len(err) == 1 and "pip install 'urbanize[app]'" in err[0], out.stderr
    assert "pip install 'urbanize[sql]'" in out.stdout
