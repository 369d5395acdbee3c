"""Sweep files: experiments as data (docs/experiments.md).

A sweep file is a TOML document naming the city, the policy packages to compare, the parameters (fixed values,
lists of levels or ranges; behavioural parameters by name, policy parameters as ``policy.param``), a sampler
(``grid``, ``lhs``, ``sobol``, ``morris``), the sample size, replicates, months, outcomes and the root seed.
It follows the XLRM framing of EMA Workbench: ranges are uncertainties, policy packages and their parameters are
levers, ``outcomes`` are the metrics.

:func:`load_spec` reads and validates a file before anything runs: every problem is reported, one line each
(unknown parameter, range outside the parameter's valid range, sampler and sample size that do not fit), in one
:class:`SpecError`. :meth:`SweepSpec.design` (:mod:`urbanize.experiments.design`) turns a valid spec into its design table, one row
per design point.

Example (``experiments/specs/hukou_threshold.toml``)::

    name = "hukou_threshold"
    city = "zhengzhou"
    policies = ["rented_residence_hukou", "rented_residence_hukou+school_construction"]
    households = 3000
    months = 60
    replicates = 10
    seed = 20030101
    sampler = "grid"
    outcomes = ["hukou_conversions", "avg_class_size_primary"]

    [parameters]
    "rented_residence_hukou.contribution_years" = { min = 0, max = 8, step = 1 }
    arrival_rate = 0.01
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from urbanize.experiments import limits
from urbanize.experiments.design import (  # noqa: F401  (Design, Sampler, spec_size: re-exported)
    SAMPLERS,
    Design,
    ParamSpec,
    Range,
    Sampler,
    SweepSpec,
    as_kind,
    spec_size,
)
from urbanize.experiments.spec_params import _check_param, _check_sampler, _did_you_mean, _param_info
from urbanize.model import docs_scale
from urbanize.model.errors import UrbanizeError

TOP_KEYS = {
    "name": "short name of the sweep",
    "description": "free text",
    "city": "one of the shipped cities",
    "policies": "list of policy packages to compare (a package, a policy, or 'a+b' for several together)",
    "households": "number of households in each run",
    "months": "months to simulate (or give 'years')",
    "years": "years to simulate (or give 'months')",
    "replicates": "runs per design point, each with its own seed stream",
    "seed": "root seed every run's seed is spawned from",
    "sampler": "grid, lhs, sobol or morris",
    "samples": "sample size: design points (lhs), base sample N (sobol), trajectories (morris)",
    "morris_levels": "grid levels of the Morris design (even, default 4)",
    "common_random_numbers": "replicate r of every point shares one seed (default true)",
    "outcomes": "indicator names the report analyses",
    "report_months": "months at which the report tabulates outcomes (default: the last)",
    "parameters": "table of parameters: fixed value, list of levels, or {min, max[, step | levels]}",
    "posterior": "posterior.parquet of 'urbanize calibrate': every point runs posterior_draws parameter sets",
    "posterior_draws": "parameter sets drawn from the posterior (default 20), each run with the replicates",
}


class SpecError(UrbanizeError):
    """A sweep file with one or more problems; ``problems`` holds one line per problem."""

    def __init__(self, problems: Sequence[str], source: str = "") -> None:
        # one line per distinct problem (a name holding a line break is shown escaped, still one line)
        self.problems = list(dict.fromkeys(_one_line(p) for p in problems))
        self.source = source
        prefix = f"{source}: " if source else ""
        super().__init__("; ".join(prefix + p for p in self.problems))

    def lines(self) -> list[str]:
        prefix = f"{self.source}: " if self.source else ""
        return [prefix + p for p in self.problems]


def _one_line(text: str) -> str:
    return text.replace("\r", "\\r").replace("\n", "\\n")


# --- parsing and validation ---------------------------------------------------------------------------------
MAX_SPEC_BYTES = 1_000_000  # a sweep file is a page of TOML; anything larger is the wrong file (assumed)


def load_spec(path: str | Path, overrides: Mapping[str, Any] | None = None) -> SweepSpec:
    """Read and validate a sweep file.

    Args:
        path: the TOML file.
        overrides: top-level keys replacing the file's (``households``, ``replicates``, ``years``: the sweep
            command's ``--households``, ``--replicates`` and ``--years``); validated like the file's own.

    Raises:
        SpecError: listing every problem found, one line each.
    """
    path = Path(path)
    if not path.is_file():
        raise SpecError([f"no such sweep file '{path}'"])
    try:
        with path.open("rb") as fh:
            raw = fh.read(MAX_SPEC_BYTES + 1)
    except OSError as exc:
        raise SpecError([f"cannot read the file: {exc.strerror}"], source=str(path)) from None
    if len(raw) > MAX_SPEC_BYTES:
        raise SpecError([f"larger than {MAX_SPEC_BYTES:,} bytes; is this a sweep file?"], source=str(path))
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise SpecError(
            [f"not UTF-8 text (byte {exc.start}); save the sweep file as UTF-8"], source=str(path)
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise SpecError([f"not valid TOML: {exc}"], source=str(path)) from None
    if isinstance(data.get("posterior"), str) and not Path(data["posterior"]).is_absolute():
        data["posterior"] = str(path.parent / data["posterior"])  # relative to the sweep file
    if overrides:
        data = apply_overrides(data, overrides)
    return parse_spec(data, source=str(path), default_name=path.stem)


def apply_overrides(data: Mapping[str, Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
    """The spec's keys with ``overrides`` applied (``years`` replaces ``months`` and the other way round)."""
    out = dict(data)
    for key, value in overrides.items():
        if key == "years":
            out.pop("months", None)
        elif key == "months":
            out.pop("years", None)
        out[key] = value
    return out


def parse_spec(data: Mapping[str, Any], source: str = "", default_name: str = "sweep") -> SweepSpec:
    """Validate a sweep given as a dict (the parsed TOML). See :func:`load_spec`."""
    problems: list[str] = []
    p = problems.append

    for key in data:
        if key not in TOP_KEYS:
            p(f"unknown key '{key}'{_did_you_mean(key, TOP_KEYS)}; valid keys: {', '.join(TOP_KEYS)}")

    name = str(data.get("name", default_name))
    city = _check_city(data.get("city"), p)
    policies = _check_policies(data.get("policies", ["status_quo"]), p)
    households = _positive_int(
        data, "households", p, default=1000, lo=limits.MIN_HOUSEHOLDS, hi=limits.MAX_HOUSEHOLDS
    )
    if "months" in data and "years" in data:
        p("give either 'months' or 'years', not both")
    if "years" in data:
        years = _positive_int(data, "years", p, default=1, hi=limits.MAX_YEARS)
        months: int | None = (years or 1) * 12  # years is never None: its default is 1
    else:
        months = _positive_int(data, "months", p, default=None, hi=limits.MAX_MONTHS)
    replicates = _positive_int(data, "replicates", p, default=1, hi=limits.MAX_RUNS)
    seed = data.get("seed")
    if seed is None:
        p("missing 'seed' (the root seed every run's seed is spawned from), e.g. seed = 12345")
        seed = 0
    elif isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= limits.MAX_SEED:
        p(f"'seed' must be a non-negative integer, got {seed!r} (at most 2**63 - 1)")
        seed = 0

    sampler = data.get("sampler", "grid")
    if sampler not in SAMPLERS:
        p(
            f"unknown sampler {sampler!r}{_did_you_mean(str(sampler), SAMPLERS)}; samplers: {', '.join(SAMPLERS)}"
        )
        sampler = "grid"
    samples = data.get("samples")
    morris_levels = data.get("morris_levels", 4)
    crn = data.get("common_random_numbers", True)
    if not isinstance(crn, bool):
        p(f"'common_random_numbers' must be true or false, got {crn!r}")
        crn = True

    active = {pkg: _active_policies(pkg) for pkg in policies}
    raw_params = data.get("parameters", {})
    if not isinstance(raw_params, Mapping):
        p("'parameters' must be a table ([parameters]) of name = value, [levels] or {min, max}")
        raw_params = {}
    before = len(problems)
    params = [ps for ps in (_check_param(k, v, sampler, active, p) for k, v in raw_params.items()) if ps]

    _check_sampler(sampler, samples, morris_levels, params, p, params_ok=len(problems) == before)
    posterior, n_draws = None, 1
    if "posterior_draws" in data or "posterior" in data:
        from urbanize.experiments import posterior_design

        n_draws = posterior_design.check_draws(data.get("posterior_draws", posterior_design.DEFAULT_DRAWS), p)
        if "posterior" not in data:
            p("'posterior_draws' without 'posterior'; give posterior = \"path/to/posterior.parquet\"")
    if not problems:
        size = spec_size(policies, params, sampler, samples, replicates * n_draws, households, months)  # type: ignore[operator, arg-type]
        too_big = size.problem()
        if too_big:
            p(too_big)
    if not problems and "posterior" in data:
        posterior = posterior_design.draw_posterior(
            data["posterior"], n_draws, int(seed), city, lambda n: _param_info(n, active, p),
            [ps.name for ps in params], p,
        )
    outcomes = _check_outcomes(data.get("outcomes"), p)

    report_months = data.get("report_months", [])
    if not isinstance(report_months, list) or not all(
        isinstance(m, int) and not isinstance(m, bool) and 0 <= m <= (months or 0) for m in report_months
    ):
        p(f"'report_months' must be a list of months between 0 and {months}, got {report_months!r}")
        report_months = []

    if problems:
        raise SpecError(problems, source=source)
    assert households is not None and months is not None and replicates is not None  # else a problem above
    return SweepSpec(
        name=name,
        description=str(data.get("description", "")),
        city=city,
        policies=tuple(policies),
        households=int(households),
        months=docs_scale.months(int(months)),
        replicates=docs_scale.replicates(int(replicates)),
        seed=int(seed),
        sampler=sampler,
        samples=int(samples) if samples is not None else None,
        outcomes=tuple(outcomes),
        parameters=tuple(params),
        morris_levels=int(morris_levels),
        common_random_numbers=crn,
        report_months=tuple(sorted({docs_scale.months(int(m)) for m in report_months})),
        posterior=posterior,
    )


def _positive_int(
    data: Mapping[str, Any], key: str, p: Any, default: int | None, lo: int = 1, hi: int | None = None
) -> int | None:
    if key not in data:
        if default is None:
            p(f"missing '{key}'")
        return default
    v = data[key]
    if isinstance(v, bool) or not isinstance(v, int) or v < lo or (hi is not None and v > hi):
        if hi is None:
            p(f"'{key}' must be a positive integer, got {v!r}")
        else:
            p(f"'{key}' must be a whole number from {lo:,} to {hi:,}, got {v!r}")
        return default or lo
    return v


def _check_city(city: Any, p: Any) -> str:
    from urbanize.model.city import list_cities

    cities = list_cities()
    if city is None:
        p(f"missing 'city'; cities: {', '.join(cities)}")
        return ""
    if city not in cities:
        p(f"unknown city {city!r}{_did_you_mean(str(city), cities)}; cities: {', '.join(cities)}")
    return str(city)


def package_label(entry: Any) -> str:
    """Canonical label of one policy package entry: a name, 'a,b' / 'a+b', or a list of names -> 'a+b'."""
    if isinstance(entry, str):
        items = entry.replace(",", "+").split("+")
    else:
        items = [str(x) for x in entry]
    return "+".join(s.strip() for s in items if s.strip())


def registry_spec(label: str) -> list[str]:
    """The names the policy registry expands for a package label."""
    return [s for s in label.split("+") if s]


def _active_policies(label: str) -> set[str] | None:
    from urbanize.policies import registry

    try:
        return set(registry.expand(registry_spec(label)))
    except UrbanizeError:
        return None


def _check_policies(raw: Any, p: Any) -> list[str]:
    from urbanize.policies import registry

    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not raw:
        p(f"'policies' must be a non-empty list of packages, got {raw!r}")
        return ["status_quo"]
    labels = []
    for entry in raw:
        if not (
            isinstance(entry, str) or (isinstance(entry, list) and all(isinstance(x, str) for x in entry))
        ):
            p(f"'policies' entries must be names or lists of names, got {entry!r}")
            continue
        label = package_label(entry)
        try:
            registry.expand(registry_spec(label))
        except UrbanizeError as exc:
            p(str(exc))
        labels.append(label or "status_quo")
    return labels


def _check_outcomes(raw: Any, p: Any) -> list[str]:
    from urbanize.model.indicators import list_indicators, unknown_indicator_hint

    known = [n for n, _ in list_indicators()]
    if raw is None:
        return ["registration_rate", "hukou_conversions", "settlement_intention"]
    if not isinstance(raw, list) or not raw or not all(isinstance(x, str) for x in raw):
        p(f"'outcomes' must be a non-empty list of indicator names, got {raw!r}")
        return []
    for name in raw:
        if known and name not in known:
            hint = unknown_indicator_hint(name) or _did_you_mean(name, known)
            p(f"unknown outcome '{name}'{hint}; see 'urbanize list indicators'")
    return list(raw)
