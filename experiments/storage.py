"""Output folders of every command (run, sweep, compare, calibration): what they hold, who writes them, and
whether their run files are whole.

Layout of a sweep's ``--out DIR`` (``compare`` adds ``comparison.csv`` and ``report/``)::

    DIR/manifest.json               kind, spec, root seed, design table, code and package versions (written first)
    DIR/runs/p00003-r0007.parquet   monthly indicators of one run (run_id, point, replicate, policies,
                                    parameter columns, month, indicators...)
    DIR/runs/p00003-r0007.check.json  its SHA-256, byte count and row count, written with it
    DIR/runs/p00004-r0000.failed.json  a run that raised: its error and traceback
    DIR/splits/p00003-r0007.parquet   its split table (model/splits.py; yearly), with its own .check.json;
                                    the run's record names it, so a missing or damaged one reruns the run
    DIR/set_aside/...               run files found corrupt on resume, moved here (never deleted) and rerun
    DIR/.urbanize.lock              held while a command writes (``experiments/locking.py``)

Every folder's ``manifest.json`` records its ``kind`` (``run``, ``sweep``, ``compare``, ``calibration``), and no
command writes into a folder holding another kind of output or files urbanize did not write (``urbanize run
--force`` excepted, which still deletes nothing it did not write). Every file is written to a temporary name
in the same folder and renamed into place (``os.replace`` is atomic on POSIX), so a killed command leaves
either a whole file or none; leftovers are removed on resume. A run counts as finished only when its file
matches its ``.check.json`` record; a file that does not (truncated, emptied, rewritten) is moved to
``set_aside/`` and run again. :func:`open_runs` reads all runs as one pandas table; :func:`duckdb_view`
exposes them to DuckDB as a view.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from urbanize.experiments.cli import CliError
from urbanize.experiments.provenance import (  # noqa: F401  (re-exported: run, sweep and compare use them)
    _json_default,
    atomic_write_bytes,
    code_version,
    package_versions,
)
from urbanize.experiments.run_records import (  # noqa: F401  (re-exported: the run file checks)
    CHECK_SUFFIX,
    RUNS,
    SPLITS,
    verify_run_file,
    verify_splits,
    write_checked,
)
from urbanize.experiments.run_tables import (  # noqa: F401  (re-exported: readers of a folder's runs)
    duckdb_view,
    open_runs,
    run_files,
    run_meta,
)
from urbanize.model.city import list_cities

MANIFEST = "manifest.json"

FORMAT = 2  # 2: run files have check records, manifests record their kind
KINDS = ("run", "sweep", "compare", "calibration")
SAMPLERS = ("grid", "lhs", "sobol", "morris")
SET_ASIDE = "set_aside"
# what each kind of command writes at the top of its folder (hidden files are temporary files and the lock)
OWN_ENTRIES = {
    "run": {"indicators.parquet", "indicators.png", "splits.parquet", MANIFEST},
    "sweep": {MANIFEST, RUNS, SPLITS, "report", SET_ASIDE},
    "compare": {MANIFEST, RUNS, SPLITS, "report", SET_ASIDE, "comparison.csv"},
    # urbanize calibrate (experiments/calibrate.py): abc.db is pyabc's history (SQLite may add its journal);
    # budget.json a generation abandoned at max_simulations (experiments/calibrate_abc.py)
    "calibration": {
        MANIFEST, SET_ASIDE, "abc.db", "abc.db-journal", "budget.json", "posterior.parquet", "calibrated.toml", "summary.csv",
        "marginals.png", "pairs.png", "predictive.png", *(f"calibrated_{c}.toml" for c in list_cities()),
    },
}


def out_folder(text: str | Path) -> Path:
    """The ``--out`` argument as a path; an empty one is an error (it would mean the current folder)."""
    if not str(text).strip():
        raise CliError("--out is empty; give the output folder, e.g. --out out/run1")
    return Path(text)


def read_manifest(root: Path) -> dict[str, Any] | None:
    """The folder's manifest, None when it has none; an unreadable one is a one-line error."""
    path = root / MANIFEST
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CliError(
            f"'{path}' is not a readable manifest ({type(exc).__name__}); the folder's output cannot be used: "
            "move the folder aside and run again"
        ) from None
    if not isinstance(data, dict):
        raise CliError(f"'{path}' is not a readable manifest (not a JSON object); move the folder aside")
    return data


def folder_kind(root: Path) -> str | None:
    """``run``, ``sweep``, ``compare`` or ``calibration``; None for a folder without a manifest.

    Manifests written before kinds were recorded are recognised by their content ('design': a sweep).
    """
    manifest = read_manifest(root)
    if manifest is None:
        return None
    kind = manifest.get("kind")
    if kind in KINDS:
        return str(kind)
    if "design" in manifest:
        return "sweep"
    if str(manifest.get("command", "")).startswith("urbanize run"):
        return "run"
    return "unknown"


def foreign_entries(root: Path, kind: str) -> list[str]:
    """Top-level entries of ``root`` that a command of ``kind`` did not write (hidden files excepted)."""
    if not root.is_dir():
        return []
    own = OWN_ENTRIES[kind]
    return sorted(e.name for e in root.iterdir() if e.name not in own and not e.name.startswith("."))


def check_folder(root: Path, kind: str, force: bool = False) -> None:
    """Refuse a folder that holds another kind of output, or files ``kind`` does not write (unless ``force``)."""
    if root.exists() and not root.is_dir():
        raise CliError(f"--out '{root}' is a file, not a folder; choose another --out")
    found = folder_kind(root) if root.is_dir() else None
    legacy = found == "sweep" and "kind" not in (read_manifest(root) or {})  # written before kinds: either
    compatible = {kind} | ({"sweep", "compare"} if kind in ("sweep", "compare") and legacy else set())
    if found is not None and found not in compatible and not force:
        hint = " (or --force to write beside it)" if kind == "run" else ""
        raise CliError(f"'{root}' holds the output of 'urbanize {found}', not '{kind}'; use another --out{hint}")
    others = foreign_entries(root, kind)
    if others and not force:
        shown = ", ".join(others[:3]) + (", ..." if len(others) > 3 else "")
        hint = " (or --force to write beside them)" if kind == "run" else ""
        raise CliError(
            f"'{root}' holds files urbanize did not write there ({shown}); use an empty or new --out{hint}"
        )


def set_aside(root: Path, path: Path, name: str | None = None) -> Path:
    """Move ``path`` into ``root/set_aside/`` under a time-stamped name (never deleted); returns the new path."""
    dest_dir = root / SET_ASIDE
    dest_dir.mkdir(exist_ok=True)
    stamp = _dt.datetime.now(_dt.UTC).strftime("%Y%m%dT%H%M%S")
    name = name or path.name
    dest = dest_dir / f"{name}.{stamp}"
    n = 1
    while dest.exists():
        dest = dest_dir / f"{name}.{stamp}-{n}"
        n += 1
    os.replace(path, dest)
    return dest


@dataclass(frozen=True)
class SweepDir:
    """The output folder of one sweep (or comparison, or calibration)."""

    root: Path

    @property
    def runs(self) -> Path:
        return self.root / RUNS

    @property
    def manifest_path(self) -> Path:
        return self.root / MANIFEST

    # --- manifest -----------------------------------------------------------------------------------------
    def read_manifest(self) -> dict[str, Any]:
        manifest = read_manifest(self.root)
        if manifest is None:
            raise CliError(f"'{self.root}' holds no sweep ({MANIFEST} missing)")
        if "design" not in manifest or "spec" not in manifest:
            kind = folder_kind(self.root)
            raise CliError(f"'{self.root}' holds the output of 'urbanize {kind}', not a sweep")
        return manifest

    def check(self, manifest: dict[str, Any]) -> bool:
        """Whether ``manifest`` may be written here (True: it resumes the sweep already here); writes nothing.

        Raises:
            CliError: the folder holds a different sweep, another kind of output, or runs without a manifest.
        """
        kind = manifest.get("kind", "sweep")
        check_folder(self.root, kind)
        if self.manifest_path.is_file():
            old = self.read_manifest()
            if old.get("overrides", {}) != manifest.get("overrides", {}):
                raise CliError(
                    f"'{self.root}' was begun with {_overrides_text(old.get('overrides', {}))}, not "
                    f"{_overrides_text(manifest.get('overrides', {}))}; resume with the same options or use "
                    "another --out"
                )
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
            return True
        if self.runs.is_dir() and any(self.runs.iterdir()):
            raise CliError(f"'{self.root}' holds runs but no {MANIFEST}; use another --out folder")
        return False

    def prepare(self, manifest: dict[str, Any]) -> bool:
        """Create the folder and write the manifest, or check it matches an existing one.

        The caller holds the folder's lock (:class:`~urbanize.experiments.locking.FolderLock`).

        Returns:
            True when resuming a sweep already begun in this folder.

        Raises:
            CliError: the folder holds a different sweep, another kind of output, or runs without a manifest.
        """
        if self.check(manifest):
            self.clean_partial()
            return True
        try:
            self.runs.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CliError(f"cannot create output folder '{self.root}': {exc.strerror}") from None
        payload = json.dumps(manifest, indent=1, default=_json_default).encode()
        atomic_write_bytes(self.manifest_path, payload)
        return False

    def clean_partial(self) -> None:
        """Remove temporary files left by a killed sweep."""
        for tmp in [*self.runs.glob(".*.tmp-*"), *(self.root / SPLITS).glob(".*.tmp-*")]:
            tmp.unlink(missing_ok=True)

    # --- runs ---------------------------------------------------------------------------------------------
    def finished_ids(self) -> set[str]:
        """Ids of run files present (not verified: see :meth:`verified_ids`)."""
        return {p.name.removesuffix(".parquet") for p in self.runs.glob("p*.parquet")}

    def verified_ids(self, require_check: bool = True) -> tuple[set[str], list[tuple[str, str, Path]]]:
        """Ids of the run files that match their check record, and the others, moved to ``set_aside/``.

        Args:
            require_check: a file without its ``.check.json`` is corrupt (False for folders written before
                checks existed: such a file only has to open and hold rows).

        Returns:
            (good ids, [(run id, reason, where the file was moved)]).
        """
        good: set[str] = set()
        bad: list[tuple[str, str, Path]] = []
        for path in sorted(self.runs.glob("p*.parquet")):
            rid = path.name.removesuffix(".parquet")
            reason = verify_run_file(path, require_check) or verify_splits(self.root, path)
            if reason is None:
                good.add(rid)
                continue
            moved = set_aside(self.root, path)
            check = self.runs / f"{rid}{CHECK_SUFFIX}"
            if check.exists():
                set_aside(self.root, check)
            for other in (self.root / SPLITS / path.name, self.root / SPLITS / f"{rid}{CHECK_SUFFIX}"):
                if other.exists():  # named apart from the run file's copy
                    set_aside(self.root, other, f"{SPLITS}-{other.name}")
            bad.append((rid, reason, moved))
        return good, bad

    def failed_ids(self) -> set[str]:
        return {p.name.removesuffix(".failed.json") for p in self.runs.glob("p*.failed.json")}

    def failures(self) -> list[dict[str, Any]]:
        out = []
        for p in sorted(self.runs.glob("p*.failed.json")):
            try:
                out.append(json.loads(p.read_text()))
            except (OSError, ValueError):
                out.append({"run_id": p.name.removesuffix(".failed.json"), "error": "unreadable failure record"})
        return out

    def write_run(
        self, run_id: str, frame: pd.DataFrame, meta: dict[str, Any], splits: pd.DataFrame | None = None
    ) -> None:
        """Write a run file and its check record (record first: a file without a matching record is rerun); its
        split table, when given, goes to ``splits/`` first, with its own record, named in the run's record."""
        table = pa.Table.from_pandas(frame, preserve_index=False)
        md = dict(table.schema.metadata or {})
        md[b"urbanize"] = json.dumps(meta, default=_json_default).encode()
        table = table.replace_schema_metadata(md)
        extra: dict[str, Any] = {}
        if splits is not None:
            (self.root / SPLITS).mkdir(exist_ok=True)
            split_table = pa.Table.from_pandas(splits, preserve_index=False)
            os.replace(*write_checked(self.root / SPLITS / f"{run_id}.parquet", split_table))
            extra["splits"] = split_table.num_rows
        tmp, path = write_checked(self.runs / f"{run_id}.parquet", table, extra)
        os.replace(tmp, path)
        (self.runs / f"{run_id}.failed.json").unlink(missing_ok=True)

    def write_failure(self, run_id: str, record: dict[str, Any]) -> None:
        record = dict(record, time=_dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"))
        atomic_write_bytes(self.runs / f"{run_id}.failed.json", json.dumps(record, indent=1).encode())


def _overrides_text(overrides: dict[str, Any]) -> str:
    if not overrides:
        return "no overrides"
    return " ".join(f"--{k} {v}" for k, v in sorted(overrides.items()))


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


def load_design(out: str | Path) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The design table and manifest of a sweep folder."""
    manifest = SweepDir(Path(out)).read_manifest()
    try:
        design = pd.DataFrame.from_records(manifest["design"])
        if "point" not in design.columns or "policies" not in design.columns:
            raise ValueError("no design points")
        if not isinstance(manifest["spec"], dict) or manifest["spec"].get("sampler") not in SAMPLERS:
            raise ValueError("no sampler in its spec")
    except (KeyError, TypeError, ValueError) as exc:
        raise CliError(f"the manifest of '{out}' is damaged ({type(exc).__name__}: {exc}); rerun the sweep") from None
    return design, manifest
