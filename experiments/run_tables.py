"""A finished folder's run files read as tables: one pandas table of all runs (:func:`open_runs`), their stored
metadata (:func:`run_meta`), or a DuckDB view over the Parquet files (:func:`duckdb_view`). The folder's layout
and how its files are written and verified are described in :mod:`urbanize.experiments.storage`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from urbanize.experiments.cli import CliError
from urbanize.experiments.run_records import RUNS


def run_files(out: str | Path) -> list[Path]:
    return sorted((Path(out) / RUNS).glob("p*.parquet"))


def open_runs(out: str | Path, columns: list[str] | None = None) -> pd.DataFrame:
    """All finished runs of a sweep as one pandas table, sorted by point, replicate and month.

    Raises:
        CliError: no runs, or a run file that cannot be read (resuming the sweep sets it aside and reruns it).
    """
    files = run_files(out)
    if not files:
        raise CliError(f"'{out}' holds no finished runs")
    tables = []
    for f in files:
        try:
            tables.append(pq.read_table(f, columns=columns))
        except (pa.ArrowException, OSError, ValueError) as exc:
            raise CliError(
                f"run file '{f}' cannot be read ({type(exc).__name__}); resume the sweep on '{out}' to set it "
                "aside and run it again"
            ) from None
    df = pa.concat_tables(tables, promote_options="default").to_pandas()
    keys = [k for k in ("point", "replicate", "month") if k in df.columns]
    return df.sort_values(keys, kind="stable").reset_index(drop=True)


def run_meta(out: str | Path) -> pd.DataFrame:
    """Per-run metadata stored in each file (timings, seed key), one row per finished run."""
    rows = []
    for f in run_files(out):
        try:
            md = pq.read_schema(f).metadata or {}
            rows.append(json.loads(md.get(b"urbanize", b"{}")))
        except (pa.ArrowException, OSError, ValueError) as exc:
            raise CliError(f"run file '{f}' cannot be read ({type(exc).__name__}); resume the sweep") from None
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
