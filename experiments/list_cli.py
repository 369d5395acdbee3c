"""``urbanize list``: cities, policies, packages, indicators, parameters and the shipped sweep files.

``--format json`` prints one JSON array of objects (for scripts); the default is an aligned text table;
``--format markdown`` prints the parameters as the Markdown table of docs/model.md. ``list parameters`` shows every
behavioural and policy parameter with its provenance (calibrated, sourced or assumed; ``model.provenance``),
``--provenance KIND`` keeps one kind and ``--city NAME`` shows that city's values (its ``[behaviour]`` table).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from urbanize.model.errors import UrbanizeError
from urbanize.model.provenance import KINDS

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
    lst.add_argument(
        "--format", choices=("text", "json", "markdown"), default="text",
        help="output format (markdown: parameters only, the table of docs/model.md)",
    )
    lst.add_argument(
        "--provenance", choices=KINDS, default=None,
        help="parameters only: keep those whose default is calibrated, sourced or assumed",
    )
    lst.add_argument(
        "--city", default=None, help="parameters only: the values this city uses (its [behaviour] table)"
    )
    lst.add_argument("--site", default=None, help="indicators: only those a pilot site monitors "
                                                  "(zhengzhou, yanta, jinnan, changshu)")
    lst.add_argument("--sector", default=None, help="indicators: only those of a sector (education, health, ...)")
    lst.set_defaults(handler=cmd_list)


def parameter_rows(
    city: str | None = None, provenance: str | None = None, policies: bool = True
) -> list[dict[str, Any]]:
    """Behavioural parameters, then (``policies``) every policy's as ``POLICY.PARAM``, with their provenance.

    With ``city`` the ``default`` column holds the city's value (``value_from`` says "city file" where its
    ``[behaviour]`` table sets it).
    """
    from urbanize.model.params import BehaviourParams, describe
    from urbanize.policies import registry

    city_values: dict[str, Any] = {}
    if city is not None:
        from urbanize.model.city import load_city

        city_values = load_city(city).behaviour
    infos = [(i.name, i) for i in describe(BehaviourParams)]
    if policies:
        infos += [(f"{pol}.{i.name}", i) for pol, cls in sorted(registry.available().items())
                  for i in cls.param_infos()]
    out = []
    for name, i in infos:
        if provenance is not None and i.provenance_kind() != provenance:
            continue
        row = {
            "name": name,
            "default": city_values.get(name, i.default),
            "range": i.range_text(),
            "unit": i.unit,
            "provenance": i.provenance_kind(),
            "provenance_note": i.provenance_text().partition(": ")[2],
            "doc": i.doc,
        }
        if city is not None:
            row["value_from"] = f"city file ({city})" if name in city_values else "default"
        out.append(row)
    return out


def rows(what: str, city: str | None = None, provenance: str | None = None) -> list[dict[str, Any]]:
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
            from urbanize.model.indicators.meta import sector_of, sites_of

            return [
                {"name": name, "doc": doc, "sector": sector_of(name), "sites": list(sites_of(name))}
                for name, doc in list_indicators(None)  # policies' own indicators too
            ]
        case "parameters":
            return parameter_rows(city, provenance)
        case "specs":
            return [_spec_row(path) for path in sorted(SPECS_DIR.glob("*.toml")) if not is_calibration_file(path)]
    raise UrbanizeError(f"unknown list '{what}'; lists: {', '.join(WHAT)}")


def is_calibration_file(path: Path) -> bool:
    """A calibration file (``urbanize calibrate``: a top-level [calibration] table), not a sweep file."""
    import tomllib

    try:
        return "calibration" in tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False


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


def indicator_rows(site: str | None = None, sector: str | None = None) -> list[dict[str, Any]]:
    """The indicators a site monitors and of a sector (either may be None: all).

    Raises:
        UrbanizeError: an unknown site or sector, naming the valid ones.
    """
    from urbanize.model.indicators.meta import SECTORS, SITES

    if site is not None and site not in SITES:
        raise UrbanizeError(f"unknown site '{site}'; sites: {', '.join(SITES)}")
    if sector is not None and sector not in SECTORS:
        raise UrbanizeError(f"unknown sector '{sector}'; sectors: {', '.join(SECTORS)}")
    return [
        r for r in rows("indicators")
        if (site is None or site in r["sites"]) and (sector is None or r["sector"] == sector)
    ]


def cmd_list(args: argparse.Namespace) -> int:
    if args.what != "parameters" and (args.provenance or args.city or args.format == "markdown"):
        flag = "--provenance" if args.provenance else "--city" if args.city else "--format markdown"
        raise UrbanizeError(f"{flag} applies to 'urbanize list parameters' only, not to '{args.what}'")
    if args.city is not None:
        from urbanize.model.city import load_city

        load_city(args.city)  # an unknown city: one line naming the cities
    site, sector = getattr(args, "site", None), getattr(args, "sector", None)
    if (site or sector) and args.what != "indicators":
        raise UrbanizeError("--site and --sector filter 'urbanize list indicators' only")
    if args.what == "indicators":
        found = indicator_rows(site, sector)
        if args.format == "json":
            print(json.dumps(found, indent=1))
        for r in found if args.format == "text" else []:
            print(f"{r['name']:<44} {r['sector']:<18} {r['doc']}")
        return 0
    if args.format == "json":
        print(json.dumps(rows(args.what, args.city, args.provenance), indent=1, default=str))
        return 0
    if args.format == "markdown":
        from urbanize.model.odd_tables import parameter_table

        print(parameter_table(parameter_rows(args.city, args.provenance)))
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
        case "parameters":
            for r in rows("parameters", args.city, args.provenance):
                print(
                    f"{r['name']:<44} {r['provenance']:<10} default {r['default']!s:<8} {r['range']:<14} "
                    f"{r['unit']:<36} {r['doc']}"
                )
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
