"""Check records of run files (``<run>.check.json``: SHA-256, bytes, rows) and their verification, for the run
file and its split table (docs/experiments.md; experiments/storage.py lays out the folders)."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from urbanize.experiments.provenance import atomic_write_bytes

CHECK_SUFFIX = ".check.json"
RUNS = "runs"  # the folder of run files inside an output folder
SPLITS = "splits"  # a run's split table (model/splits.py), same name as its run file, with its own check record


def write_checked(path: Path, table: pa.Table, extra: dict[str, Any] | None = None) -> tuple[Path, Path]:
    """Write ``table`` to a temporary file beside ``path`` and its check record (SHA-256, bytes, rows and
    ``extra``) under its final name; returns (temporary file, path): the caller renames it into place."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    pq.write_table(table, tmp)
    data = tmp.read_bytes()
    check = {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data), "rows": table.num_rows, **(extra or {})}
    atomic_write_bytes(path.with_name(path.name.removesuffix(".parquet") + CHECK_SUFFIX), json.dumps(check).encode())
    return tmp, path


def verify_splits(root: Path, run_file: Path) -> str | None:
    """Why the split file of a whole run file is not whole (None when it is, or when the run made none)."""
    check_path = run_file.with_name(run_file.name.removesuffix(".parquet") + CHECK_SUFFIX)
    try:
        wanted = json.loads(check_path.read_text()).get("splits") if check_path.is_file() else None
    except (OSError, ValueError, AttributeError):
        return f"its record {check_path.name} is unreadable"
    if wanted is None:
        return None
    reason = verify_run_file(root / SPLITS / run_file.name)
    return None if reason is None else f"its split table: {reason}"


def verify_run_file(path: Path, require_check: bool = True) -> str | None:
    """Why the run file at ``path`` is not whole (None when it is): checked against its ``.check.json``."""
    check_path = path.with_name(path.name.removesuffix(".parquet") + CHECK_SUFFIX)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return f"unreadable ({exc.strerror})"
    if not data:
        return "empty"
    if check_path.is_file():
        try:
            check = json.loads(check_path.read_text())
            expected_hash, expected_bytes, expected_rows = check["sha256"], check["bytes"], check["rows"]
        except (OSError, ValueError, KeyError, TypeError):
            return f"its record {check_path.name} is unreadable"
        if len(data) != expected_bytes:
            return f"{len(data):,} bytes instead of {expected_bytes:,} (truncated?)"
        if hashlib.sha256(data).hexdigest() != expected_hash:
            return "content differs from its record (SHA-256)"
    elif require_check:
        return f"no record {check_path.name} (written before it was complete?)"
    else:
        expected_rows = None
    try:
        rows = pq.read_metadata(pa.BufferReader(data)).num_rows
    except (pa.ArrowException, OSError, ValueError) as exc:
        return f"not a readable Parquet file ({type(exc).__name__})"
    if expected_rows is not None and rows != expected_rows:
        return f"{rows} rows instead of {expected_rows}"
    if rows == 0:
        return "no rows"
    return None
