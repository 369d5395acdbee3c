"""``urbanize list``: cities, policies, packages, indicators, parameters and the shipped sweep files.

``--format json`` prints one JSON array of objects (for scripts); the default is an aligned text table.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from urbanize.model.errors import UrbanizeError

WHAT = ("cities", "policies", "packages", "indicators", "parameters", "specs")
SPECS_DIR = Path(__file__).resolve().parent / "specs"


def register(sub: argparse._SubParsersAction) -> None:
    lst = sub.add_parser(
        "list",
        help="list cities, policies, packages, indicators, parameters or shipped sweep files",
        description="List what the model offers. 'specs' lists the sweep files shipped in experiments/specs with "
        "their size (runs), ready for 'urbanize sweep'.",
    )
    lst.add_argument("what", choices=WHAT, help="what to list")
    lst.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    lst.set_defaults(handler=cmd_list)


def rows(what: str) -> list[dict[str, Any]]:
    """The records ``urbanize list WHAT`` prints."""
    match what:
        case "cities":
            from urbanize.model.city import list_cities, load_city

            out = []
            for name in list_cities():
                p = load_city(name)
                out.append(
                    {
                        "name": name,
                        "display_name": p.display_name,
                        "residents": p.residents,
                        "year": p.year,
                        "migrant_share": p.migrant_share,
                        "urban_hukou_share_of_locals": p.urban_hukou_share_of_locals,
                    }
                )
            return out
        case "policies" | "packages":
            from urbanize.policies import registry

            if what == "policies":
                return [
                    {"name": name, "doc": (cls.__doc__ or "").strip().splitlines()[0] if cls.__doc__ else ""}
                    for name, cls in sorted(registry.available().items())
                ]
            return [{"name": name, "policies": list(names)} for name, names in sorted(registry.packages().items())]
        case "indicators":
            from urbanize.model.indicators import list_indicators

            return [{"name": name, "doc": doc} for name, doc in list_indicators(None)]  # policies' own too
        case "parameters":
            from urbanize.model.params import BehaviourParams, describe

            return [
                {
                    "name": i.name,
                    "default": i.default,
                    "range": i.range_text(),
                    "unit": i.unit,
                    "doc": i.doc,
                }
                for i in describe(BehaviourParams)
            ]
        case "specs":
            return [_spec_row(path) for path in sorted(SPECS_DIR.glob("*.toml"))]
    raise UrbanizeError(f"unknown list '{what}'; lists: {', '.join(WHAT)}")


def _spec_row(path: Path) -> dict[str, Any]:
    from urbanize.experiments.spec import SpecError, load_spec

    try:
        spec = load_spec(path)
    except SpecError as exc:
        return {"name": path.stem, "file": str(path), "error": str(exc)}
    size = spec.n_runs
    return {
        "name": spec.name,
        "file": str(path),
        "city": spec.city,
        "sampler": spec.sampler,
        "design_points": size // spec.replicates,
        "replicates": spec.replicates,
        "runs": size,
        "households": spec.households,
        "months": spec.months,
        "description": spec.description,
    }


def cmd_list(args: argparse.Namespace) -> int:
    if args.format == "json":
        print(json.dumps(rows(args.what), indent=1, default=str))
        return 0
    match args.what:
        case "cities":
            for r in rows("cities"):
                print(
                    f"{r['name']:<10} {r['display_name']:<18} {r['residents']:>10,} residents ({r['year']}), "
                    f"migrants {r['migrant_share']:.1%}, urban hukou among locals "
                    f"{r['urban_hukou_share_of_locals']:.1%}"
                )
        case "policies":
            from urbanize.policies.catalogue import format_policies

            print(format_policies())
        case "packages":
            from urbanize.policies.catalogue import format_packages

            print(format_packages())
        case "indicators":
            for r in rows("indicators"):
                print(f"{r['name']:<44} {r['doc']}")
        case "parameters":
            for r in rows("parameters"):
                print(f"{r['name']:<24} default {r['default']!s:<8} {r['range']:<14} {r['unit']:<36} {r['doc']}")
        case "specs":
            for r in rows("specs"):
                if "error" in r:
                    print(f"{r['name']:<24} invalid: {r['error']}")
                    continue
                print(
                    f"{r['name']:<24} {r['city']:<10} {r['sampler']:<6} {r['design_points']:>5} points x "
                    f"{r['replicates']:>3} replicates = {r['runs']:>5} runs, {r['households']:,} households, "
                    f"{r['months']} months  {r['file']}"
                )
        case other:
            raise UrbanizeError(f"unknown list '{other}'; lists: {', '.join(WHAT)}")
    return 0
