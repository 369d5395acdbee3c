"""A sweep's folder: manifest, one Parquet file per run, and readers over them.

Layout of ``--out DIR``::

    DIR/manifest.json            spec, root seed, design table, code and package versions (written first)
    DIR/runs/p00003-r0007.parquet  monthly indicators of one run (run_id, point, replicate, policies,
                                   parameter columns, month, indicators...)
    DIR/runs/p00004-r0000.failed.json  a run that raised: its error and traceback

Every file is written to a temporary name in the same folder and renamed into place (``os.replace`` is atomic
on POSIX), so a killed sweep leaves either a whole run file or none; leftovers are removed on resume.
:func:`open_runs` reads all runs as one pandas table; :func:`duckdb_view` exposes them to DuckDB as a view.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from urbanize.experiments.cli import CliError

MANIFEST = "manifest.json"
RUNS = "runs"
FORMAT = 1
PACKAGES = (
    "mesa",
    "numpy",
    "pandas",
    "scipy",
    "networkx",
    "pyarrow",
    "SALib",
    "dask",
    "distributed",
    "duckdb",
)


def code_version() -> str:
    """``git describe`` of the source tree when it is a git checkout, else the installed package version."""
    here = Path(__file__).resolve().parent.parent
    try:
        out = subprocess.run(
            ["git", "describe", "--always", "--dirty", "--tags"],
            cwd=here,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
        if out.returncode == 0 and out.stdout.strip():
            return f"git:{out.stdout.strip()}"
    except (OSError, subprocess.SubprocessError):
        pass
    try:
        return f"urbanize {metadata.version('urbanize')}"
    except metadata.PackageNotFoundError:
        return "unknown"


def package_versions() -> dict[str, str]:
    versions = {"python": sys.version.split()[0]}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def atomic_write_bytes(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    with open(tmp, "wb") as fh:
        fh.write(data)
    os.replace(tmp, path)


def _json_default(obj: Any) -> Any:
    if hasattr(obj, "item"):  # numpy scalars
        return obj.item()
    if hasattr(obj, "tolist"):
        return obj.tolist()
    raise TypeError(f"not JSON serializable: {obj!r}")


@dataclass(frozen=True)
class SweepDir:
    """The output folder of one sweep."""

    root: Path

    @property
    def runs(self) -> Path:
        return self.root / RUNS

    @property
    def manifest_path(self) -> Path:
        return self.root / MANIFEST

    # --- manifest -----------------------------------------------------------------------------------------
    def read_manifest(self) -> dict[str, Any]:
        if not self.manifest_path.is_file():
            raise CliError(f"'{self.root}' holds no sweep ({MANIFEST} missing)")
        return json.loads(self.manifest_path.read_text())

    def prepare(self, manifest: dict[str, Any]) -> bool:
        """Create the folder and write the manifest, or check it matches an existing one.

        Returns:
            True when resuming a sweep already begun in this folder.

        Raises:
            CliError: the folder holds a different sweep, or runs without a manifest.
        """
        if self.manifest_path.is_file():
            old = self.read_manifest()
            if old.get("fingerprint") != manifest["fingerprint"]:
                diff = _diff_keys(old.get("spec", {}), manifest["spec"])
                raise CliError(
                    f"'{self.root}' holds a different sweep ('{old.get('spec', {}).get('name')}'; differs in: "
                    f"{', '.join(diff) or 'design'}); use another --out folder"
                )
            if old.get("design") != manifest["design"]:
                raise CliError(
                    f"'{self.root}' holds the same spec but a different design table (sampler library changed?); "
                    "use another --out folder"
                )
            self.clean_partial()
            return True
        if self.runs.is_dir() and any(self.runs.iterdir()):
            raise CliError(f"'{self.root}' holds runs but no {MANIFEST}; use another --out folder")
        try:
            self.runs.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CliError(f"cannot create output folder '{self.root}': {exc.strerror}") from None
        payload = json.dumps(manifest, indent=1, default=_json_default).encode()
        atomic_write_bytes(self.manifest_path, payload)
        return False

    def clean_partial(self) -> None:
        """Remove temporary files left by a killed sweep."""
        for tmp in self.runs.glob(".*.tmp-*"):
            tmp.unlink(missing_ok=True)

    # --- runs ---------------------------------------------------------------------------------------------
    def finished_ids(self) -> set[str]:
        return {p.name.removesuffix(".parquet") for p in self.runs.glob("p*.parquet")}

    def failed_ids(self) -> set[str]:
        return {p.name.removesuffix(".failed.json") for p in self.runs.glob("p*.failed.json")}

    def failures(self) -> list[dict[str, Any]]:
        return [json.loads(p.read_text()) for p in sorted(self.runs.glob("p*.failed.json"))]

    def write_run(self, run_id: str, frame: pd.DataFrame, meta: dict[str, Any]) -> None:
        table = pa.Table.from_pandas(frame, preserve_index=False)
        md = dict(table.schema.metadata or {})
        md[b"urbanize"] = json.dumps(meta, default=_json_default).encode()
        table = table.replace_schema_metadata(md)
        path = self.runs / f"{run_id}.parquet"
        tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
        pq.write_table(table, tmp)
        os.replace(tmp, path)
        (self.runs / f"{run_id}.failed.json").unlink(missing_ok=True)

    def write_failure(self, run_id: str, record: dict[str, Any]) -> None:
        record = dict(record, time=_dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"))
        atomic_write_bytes(self.runs / f"{run_id}.failed.json", json.dumps(record, indent=1).encode())


def _diff_keys(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    keys = (
        "name",
        "city",
        "policies",
        "households",
        "months",
        "replicates",
        "seed",
        "sampler",
        "samples",
        "morris_levels",
        "common_random_numbers",
        "parameters",
        "parameter_order",
    )
    return [k for k in keys if a.get(k) != b.get(k)]


def run_files(out: str | Path) -> list[Path]:
    return sorted((Path(out) / RUNS).glob("p*.parquet"))


def open_runs(out: str | Path, columns: list[str] | None = None) -> pd.DataFrame:
    """All finished runs of a sweep as one pandas table, sorted by point, replicate and month."""
    files = run_files(out)
    if not files:
        raise CliError(f"'{out}' holds no finished runs")
    tables = [pq.read_table(f, columns=columns) for f in files]
    df = pa.concat_tables(tables, promote_options="default").to_pandas()
    keys = [k for k in ("point", "replicate", "month") if k in df.columns]
    return df.sort_values(keys, kind="stable").reset_index(drop=True)


def run_meta(out: str | Path) -> pd.DataFrame:
    """Per-run metadata stored in each file (timings, seed key), one row per finished run."""
    rows = []
    for f in run_files(out):
        md = pq.read_schema(f).metadata or {}
        rows.append(json.loads(md.get(b"urbanize", b"{}")))
    return pd.DataFrame(rows)


def duckdb_view(out: str | Path, con: Any = None, name: str = "runs") -> Any:
    """A DuckDB connection with a view ``name`` over every run file of the sweep.

    Example::

        con = duckdb_view("out/hukou")
        con.sql('SELECT policies, avg(hukou_conversions) FROM runs WHERE month = 60 GROUP BY 1').df()
    """
    from urbanize.experiments.extras import require

    duckdb = require("duckdb", "sql", "duckdb_view")
    if con is None:
        con = duckdb.connect()
    pattern = str((Path(out) / RUNS / "p*.parquet").resolve()).replace("'", "''")
    con.execute(
        f"CREATE OR REPLACE VIEW \"{name}\" AS SELECT * FROM read_parquet('{pattern}', union_by_name = true)"
    )
    return con


def load_design(out: str | Path) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The design table and manifest of a sweep folder."""
    manifest = SweepDir(Path(out)).read_manifest()
    design = pd.DataFrame.from_records(manifest["design"])
    return design, manifest
