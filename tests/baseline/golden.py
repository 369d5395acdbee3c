"""Golden baselines: fixed-seed runs compared with committed CSV files (tier 4 of docs/contributing.md).

A baseline changes only on purpose. To refresh after an intended change of behaviour:

    make baseline            # or: .venv/bin/python tests/baseline/golden.py refresh

and commit the new files with the reason in the commit message.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

HERE = Path(__file__).parent
CASES = {
    "changshu_status_quo": {"city": "changshu", "policies": "status_quo", "households": 1500, "rng": 2011},
    "yanta_pilot": {"city": "yanta", "policies": "yanta_pilot", "households": 1500, "rng": 2011},
}
MONTHS = 24


def run_case(name: str) -> pd.DataFrame:
    from urbanize.model import UrbanizationModel

    # the date column is derived from the month (model.calendar) and left out of the numeric comparison
    return UrbanizationModel(**CASES[name]).run(MONTHS).indicators().drop(columns=["date"])


def path_of(name: str) -> Path:
    return HERE / f"{name}.csv"


def refresh() -> None:
    for name in CASES:
        run_case(name).to_csv(path_of(name), index=False, float_format="%.10g")
        print(f"wrote {path_of(name)}")


if __name__ == "__main__":
    if sys.argv[1:] != ["refresh"]:
        sys.exit("usage: golden.py refresh")
    refresh()
