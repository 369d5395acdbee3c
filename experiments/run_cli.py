"""``urbanize run``: one city, one policy package, written to a folder.

The folder holds ``indicators.parquet``, ``indicators.png``, ``splits.parquet`` (the split table, model/splits.py,
every ``--splits`` months and the last; not with ``--splits 0``) and ``manifest.json`` (kind ``run``). A rerun on the
same folder replaces them (each file renamed into place, the manifest last), so ``make demo`` can be run again;
a folder holding another kind of output or files ``run`` did not write is refused unless ``--force``, and even
then nothing ``run`` did not write is deleted: a file in the way is moved to ``set_aside/``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import pandas as pd

from urbanize.experiments import limits
from urbanize.model import calendar, docs_scale
from urbanize.model.errors import ParameterError


def register(sub: argparse._SubParsersAction) -> None:
    run = sub.add_parser("run", help="run one city under a policy package and write its indicators")
    run.add_argument("--city", default="changshu", help="pilot city (see 'urbanize list cities')")
    run.add_argument("--policies", default="status_quo",
                     help="package or comma-separated policies, e.g. yanta_pilot or rented_residence_hukou,public_rental_housing")
    run.add_argument("--years", type=float, default=10.0,
                     help=f"years to simulate (a whole number of months, at most {limits.MAX_YEARS})")
    size = run.add_mutually_exclusive_group()
    size.add_argument("--households", type=int, default=limits.DEFAULT_HOUSEHOLDS,
                      help=f"household agents ({limits.MIN_HOUSEHOLDS} to {limits.MAX_HOUSEHOLDS:,})")
    size.add_argument("--scale", type=float, default=None,
                      help="share of real households simulated instead of --households (1.0: one agent each)")
    run.add_argument("--seed", type=int, default=7, help="root seed (a non-negative integer)")
    run.add_argument("--set", dest="settings", action="append", default=[], metavar="NAME=VALUE",
                     help="a model parameter (arrival_rate=0.01) or policy parameter "
                          "(rented_residence_hukou.contribution_years=3); repeatable")
    run.add_argument("--params", default=None, metavar="FILE",
                     help="TOML file of model parameters and [policy] tables of policy parameters")
    run.add_argument("--out", required=True,
                     help="output folder (created; an earlier run's files in it are replaced atomically)")
    run.add_argument("--force", action="store_true",
                     help="write into a folder holding other files or another kind of output (nothing is deleted: "
                          "files in the way are moved to set_aside/)")
    run.add_argument("--no-progress", action="store_true", help="no progress bar")
    run.add_argument("--splits", type=int, default=12, metavar="MONTHS",
                     help="months between rows of splits.parquet (indicators by group, sex and age band; the last "
                          "month is always in it); 0: no split table. Monthly (1) costs about a fifth of the run")
    run.set_defaults(handler=cmd_run)


# --- urbanize run ---------------------------------------------------------------------------------------------
def _prepare_out(path: str, force: bool = False) -> Path:
    """Check the output folder may hold a run, create it and check it is writable, before any work is done."""
    from urbanize.experiments.cli import CliError
    from urbanize.experiments.storage import check_folder, out_folder

    out = out_folder(path)
    check_folder(out, "run", force=force)
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = tempfile.NamedTemporaryFile(dir=out, prefix=".probe-", delete=True)
        probe.close()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise CliError(f"cannot write to output folder '{out}': {reason}; choose another --out") from None
    return out


def _gather_params(args: argparse.Namespace) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    from urbanize.policies.params_io import load_params_toml, parse_set_options

    model_params: dict[str, Any] = {}
    policy_params: dict[str, dict[str, Any]] = {}
    if args.params:
        _check_params_file(Path(args.params))
        model_params, policy_params = load_params_toml(args.params)
    m2, p2 = parse_set_options(args.settings)
    model_params.update(m2)
    for name, values in p2.items():
        policy_params.setdefault(name, {}).update(values)
    return model_params, policy_params


MAX_PARAMS_BYTES = 1_000_000  # a parameter file is a few lines of TOML; more is the wrong file (assumed)


def _check_params_file(path: Path) -> None:
    """Refuse what is not a small regular file (``--params /dev/zero`` would be read forever)."""
    if path.exists() and not path.is_dir() and not path.is_file():
        raise ParameterError(f"parameter file '{path}' is not a regular file (a TOML file is expected)")
    if path.is_file() and path.stat().st_size > MAX_PARAMS_BYTES:
        raise ParameterError(f"parameter file '{path}' is larger than {MAX_PARAMS_BYTES:,} bytes; is it a TOML file?")


def check_run_args(args: argparse.Namespace) -> int:
    """Validate the options the model does not check itself; returns the number of months."""
    years = args.years
    if not math.isfinite(years) or not 0 < years <= limits.MAX_YEARS or years * 12 != int(years * 12):
        raise ParameterError(
            f"--years {years:g} must be positive, at most {limits.MAX_YEARS} and a whole number of months"
        )
    if not 0 <= args.seed <= limits.MAX_SEED:
        raise ParameterError(f"--seed {args.seed} must be a non-negative integer (at most 2**63 - 1)")
    if not args.policies.strip(" ,+"):
        raise ParameterError("--policies is empty; give a package or policies, e.g. --policies status_quo")
    return int(years * 12)


def build_model(args: argparse.Namespace) -> Any:
    from urbanize.model import UrbanizationModel

    model_params, policy_params = _gather_params(args)
    households = args.households if args.scale is None else None
    return UrbanizationModel(
        city=args.city, policies=args.policies, households=households, scale=args.scale, rng=args.seed,
        policy_params=policy_params, splits=getattr(args, "splits", 12), **model_params,
    )


def cmd_run(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from urbanize.experiments.locking import FolderLock

    months = docs_scale.months(check_run_args(args))
    model = build_model(args)  # validates city, policies and parameters before anything is written
    out = _prepare_out(args.out, args.force)  # and the output folder, before the (possibly long) run
    with FolderLock(out, command="urbanize run"):
        started = time.perf_counter()
        with tqdm(total=months, unit="month", desc=f"{model.profile.display_name} / {args.policies}",
                  disable=args.no_progress) as bar:
            model.run(months, progress=lambda _m: bar.update(1))
        elapsed = time.perf_counter() - started
        df = model.indicators()
        write_outputs(out, model, df, args, elapsed)
    last = df.iloc[-1]
    splits = ", splits.parquet (by sex, age band and group)" if (out / "splits.parquet").exists() else ""
    print(f"wrote {out}/indicators.parquet ({len(df)} months x {df.shape[1] - 1} indicators){splits}, "
          f"manifest.json, indicators.png in {elapsed:.1f}s")
    print(f"after {months} months: residents {last['residents']:,.0f}, registration rate "
          f"{last['registration_rate']:.1%}, hukou conversions {last['hukou_conversions']:,.0f}")
    return 0


def manifest_for(model: Any, args: argparse.Namespace, months: int, elapsed: float) -> dict[str, Any]:
    from dataclasses import asdict

    from urbanize.experiments.storage import code_version, package_versions

    return {
        "kind": "run",
        "command": "urbanize run",
        "city": model.city,
        "policies_requested": args.policies,
        "policies": model.policy_set.names,
        "seed": args.seed,
        "months": months,
        "households_initial": int(model.initial_households),
        "scale": args.scale,
        "behaviour": asdict(model.behaviour),
        "policy_params": {p.name: asdict(p.params) for p in model.policy_set},
        "code_version": code_version(),
        "package_versions": package_versions(),
        "wall_seconds": round(elapsed, 3),
    }


def write_outputs(out: Path, model: Any, df: pd.DataFrame, args: argparse.Namespace, elapsed: float) -> None:
    """Write every output into a temporary folder first, then move each into place: never half-written.

    An earlier run's files are replaced (its manifest is removed first, so a folder caught between the moves
    holds no manifest naming a run it does not hold); a file of the same name that ``run`` did not write (the
    folder held another kind of output, allowed by ``--force``) is moved to ``set_aside/`` first.
    """
    from urbanize.experiments.storage import folder_kind, set_aside

    tmp = Path(tempfile.mkdtemp(dir=out, prefix=".tmp-run-"))
    try:
        df.to_parquet(tmp / "indicators.parquet", index=False)
        manifest = manifest_for(model, args, int(df["month"].iloc[-1]), elapsed)
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2, default=str), encoding="utf-8")
        plot_indicators(df, tmp / "indicators.png", f"{model.profile.display_name}: {args.policies}")
        names: tuple[str, ...] = ("indicators.parquet", "indicators.png", "manifest.json")  # manifest last
        if model.split_collector.every > 0:
            model.split_table().to_parquet(tmp / "splits.parquet", index=False)
            names = ("splits.parquet", *names)
        ours = folder_kind(out) in ("run", None)
        if ours:
            (out / "manifest.json").unlink(missing_ok=True)
            if "splits.parquet" not in names:  # an earlier run's split table would not match this run
                (out / "splits.parquet").unlink(missing_ok=True)
        for name in names:
            if not ours and (out / name).exists():
                set_aside(out, out / name)
            os.replace(tmp / name, out / name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


PANELS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("Residents by household type", ("residents_migrant", "residents_local_farmer", "residents_urban_poor",
                                     "residents_urban_resident"), "persons"),
    ("Urbanization", ("urbanization_rate_residence", "urbanization_rate_hukou", "migrant_share"), "share"),
    ("Registration and settlement", ("registration_rate", "settlement_intention", "awareness_hukou"), "share"),
    ("Permits and hukou (cumulative)", ("residence_permits", "hukou_conversions_migrant",
                                         "hukou_conversions_local_farmer"), "persons"),
    ("Flows", ("arrivals", "departures", "births", "deaths"), "persons/month"),
    ("Schools", ("migrant_children_public_school_share", "migrant_children_enrolment_rate",
                 "school_utilization"), "share"),
    ("Fiscal spending", ("fiscal_spend_total", "fiscal_spend_education", "fiscal_spend_health",
                         "fiscal_spend_housing"), "yuan/month"),
    ("Access gaps (locals minus migrants)", ("access_gap_primary_school", "access_gap_public_rental",
                                             "access_gap_pension", "access_gap_child_health"), "share"),
    ("Housing", ("housing_vacancy_rate", "housing_vacancy_private_rental", "housing_vacancy_dormitory",
                 "urban_village_rental_share_migrant"), "share"),
)


def plot_indicators(df: pd.DataFrame, path: Path, title: str) -> None:
    """A PNG of the main indicators, one panel per theme (panels whose indicators are absent are skipped)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    panels = [(t, [c for c in cols if c in df.columns], u) for t, cols, u in PANELS]
    panels = [p for p in panels if p[1]]
    ncols = 2
    nrows = (len(panels) + 1) // 2
    fig, axes = plt.subplots(nrows, ncols, figsize=(12, 3.2 * nrows), squeeze=False)
    years = calendar.decimal_year(df["month"])  # calendar years: month 0 is January 2009
    for ax, (panel_title, cols, unit) in zip(axes.flat, panels, strict=False):
        for c in cols:
            ax.plot(years, df[c], label=c.replace("_", " "))
        ax.set_title(panel_title, fontsize=10)
        ax.set_xlabel("year")
        ax.set_ylabel(unit)
        ax.legend(fontsize=7)
        ax.grid(alpha=0.3)
    for ax in list(axes.flat)[len(panels):]:
        ax.axis("off")
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)
