"""``urbanize run`` (one city, one policy package, written to a folder) and ``urbanize list``."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import pandas as pd

from urbanize.model import docs_scale
from urbanize.model.errors import ParameterError, UrbanizeError


def register(sub: argparse._SubParsersAction) -> None:
    run = sub.add_parser("run", help="run one city under a policy package and write its indicators")
    run.add_argument("--city", default="changshu", help="pilot city (see 'urbanize list cities')")
    run.add_argument("--policies", default="status_quo",
                     help="package or comma-separated policies, e.g. yanta_pilot or rented_residence_hukou,public_rental_housing")
    run.add_argument("--years", type=float, default=10.0, help="years to simulate (default 10)")
    size = run.add_mutually_exclusive_group()
    size.add_argument("--households", type=int, default=None, help="household agents (default 5000)")
    size.add_argument("--scale", type=float, default=None,
                      help="share of real households simulated instead of --households (1.0: one agent each)")
    run.add_argument("--seed", type=int, default=7, help="root seed (default 7)")
    run.add_argument("--set", dest="settings", action="append", default=[], metavar="NAME=VALUE",
                     help="a model parameter (arrival_rate=0.01) or policy parameter "
                          "(rented_residence_hukou.contribution_years=3); repeatable")
    run.add_argument("--params", default=None, metavar="FILE",
                     help="TOML file of model parameters and [policy] tables of policy parameters")
    run.add_argument("--out", required=True, help="output folder (created; files are replaced atomically)")
    run.add_argument("--no-progress", action="store_true", help="no progress bar")
    run.set_defaults(handler=cmd_run)

    lst = sub.add_parser("list", help="list cities, policies, packages, indicators or parameters")
    lst.add_argument("what", choices=["cities", "policies", "packages", "indicators", "parameters"])
    lst.set_defaults(handler=cmd_list)


# --- urbanize run ---------------------------------------------------------------------------------------------
def _prepare_out(path: str) -> Path:
    """Create the output folder and check it is writable, before any work is done."""
    from urbanize.experiments.cli import CliError

    out = Path(path)
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
        model_params, policy_params = load_params_toml(args.params)
    m2, p2 = parse_set_options(args.settings)
    model_params.update(m2)
    for name, values in p2.items():
        policy_params.setdefault(name, {}).update(values)
    return model_params, policy_params


def build_model(args: argparse.Namespace) -> Any:
    from urbanize.model import UrbanizationModel

    model_params, policy_params = _gather_params(args)
    households = args.households if args.scale is None else None
    if households is None and args.scale is None:
        households = 5000
    return UrbanizationModel(
        city=args.city, policies=args.policies, households=households, scale=args.scale, rng=args.seed,
        policy_params=policy_params, **model_params,
    )


def cmd_run(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    if not args.years > 0 or args.years * 12 != int(args.years * 12):
        raise ParameterError(f"--years {args.years} must be positive and a whole number of months")
    months = docs_scale.months(int(args.years * 12))
    model = build_model(args)  # validates city, policies and parameters before anything is written
    out = _prepare_out(args.out)  # and the output folder, before the (possibly long) run
    started = time.perf_counter()
    with tqdm(total=months, unit="month", desc=f"{model.profile.display_name} / {args.policies}",
              disable=args.no_progress) as bar:
        model.run(months, progress=lambda _m: bar.update(1))
    elapsed = time.perf_counter() - started
    df = model.indicators()
    write_outputs(out, model, df, args, elapsed)
    last = df.iloc[-1]
    print(f"wrote {out}/indicators.parquet ({len(df)} months x {df.shape[1] - 1} indicators), manifest.json, "
          f"indicators.png in {elapsed:.1f}s")
    print(f"after {months} months: residents {last['residents']:,.0f}, registration rate "
          f"{last['registration_rate']:.1%}, hukou conversions {last['hukou_conversions']:,.0f}")
    return 0


def manifest_for(model: Any, args: argparse.Namespace, months: int, elapsed: float) -> dict[str, Any]:
    from dataclasses import asdict

    from urbanize.experiments.storage import code_version, package_versions

    return {
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
    """Write every output into a temporary folder first, then move each into place: never half-written."""
    tmp = Path(tempfile.mkdtemp(dir=out, prefix=".tmp-run-"))
    try:
        df.to_parquet(tmp / "indicators.parquet", index=False)
        manifest = manifest_for(model, args, int(df["month"].iloc[-1]), elapsed)
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2, default=str), encoding="utf-8")
        plot_indicators(df, tmp / "indicators.png", f"{model.profile.display_name}: {args.policies}")
        for name in ("indicators.parquet", "indicators.png", "manifest.json"):  # manifest last: marks completion
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
    years = df["month"] / 12.0
    for ax, (panel_title, cols, unit) in zip(axes.flat, panels, strict=False):
        for c in cols:
            ax.plot(years, df[c], label=c.replace("_", " "))
        ax.set_title(panel_title, fontsize=10)
        ax.set_xlabel("years")
        ax.set_ylabel(unit)
        ax.legend(fontsize=7)
        ax.grid(alpha=0.3)
    for ax in list(axes.flat)[len(panels):]:
        ax.axis("off")
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


# --- urbanize list ---------------------------------------------------------------------------------------------
def cmd_list(args: argparse.Namespace) -> int:
    match args.what:
        case "cities":
            from urbanize.model.city import list_cities, load_city

            for name in list_cities():
                p = load_city(name)
                print(f"{name:<10} {p.display_name:<18} {p.residents:>10,} residents ({p.year}), "
                      f"migrants {p.migrant_share:.1%}, urban hukou among locals {p.urban_hukou_share_of_locals:.1%}")
        case "policies":
            from urbanize.policies.catalogue import format_policies

            print(format_policies())
        case "packages":
            from urbanize.policies.catalogue import format_packages

            print(format_packages())
        case "indicators":
            from urbanize.model.indicators import list_indicators

            for name, doc in list_indicators():
                print(f"{name:<44} {doc}")
        case "parameters":
            from urbanize.model.params import BehaviourParams, describe

            for info in describe(BehaviourParams):
                print(f"{info.name:<24} default {info.default!s:<8} {info.range_text():<14} {info.unit:<36} {info.doc}")
        case _:
            raise UrbanizeError(f"unknown list '{args.what}'")
    return 0
