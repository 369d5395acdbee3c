"""``urbanize report DIR``: summary tables (CSV), plots (PNG) and one self-contained HTML report of a finished or
partial sweep; ``urbanize compare`` writes the same report for its comparison.

Writes into ``DIR/report/`` (or ``--to``):

* ``report.html``: everything below in one file that opens without Python (images embedded, no external
  assets): the set-up (city, households, replicates, months, seed), the method notes, the tables and figures;
* ``summary.csv``: mean, sd and 95 % CI across replicates per outcome (with its unit), per design point, at the
  chosen months; CIs respect the outcome's bounds (bootstrap where the t interval would cross them,
  ``ci_method``); numbers never in e-notation;
* ``trajectory_<outcome>.png``: the monthly trajectories in calendar years, at most 4 lines a panel; for a
  comparison (several packages, no parameter varied, common random numbers) the paired difference from the first
  package over time beside the levels;
* ``forest_<month>_<page>.png`` for a comparison: paired effects (package minus the first package) with 95 % CIs
  and adjusted p-values, one small panel per outcome;
* ``response_<outcome>.png`` for a grid over one parameter: the outcome against the parameter (with its unit);
* for Sobol / Morris sweeps, ``sensitivity.csv`` and ``sensitivity_<outcome>.png``;
* ``failures.csv`` when runs failed.

Figures follow the conventions of ``experiments.figures``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from urbanize.experiments import figures
from urbanize.experiments.analysis import indicator_columns, sensitivity, summarize
from urbanize.experiments.checks import writable_folder
from urbanize.experiments.cli import CliError
from urbanize.experiments.html_report import HtmlReport
from urbanize.experiments.outcomes import fmt, fmt_p, month_label, write_csv
from urbanize.experiments.posterior_design import posterior_names
from urbanize.experiments.stats import P_ADJUST_TEXT
from urbanize.experiments.storage import SweepDir, code_version, load_design, open_runs

# design points above which trajectories pool by package (the app's analyst page follows the report)
MAX_LINES = figures.MAX_POINT_LINES
HTML_TABLE_ROWS = 400  # rows of the summary shown in the HTML (all of them are in summary.csv)
CI_NOTE = (
    "Intervals are 95 % confidence intervals of the mean across replicates (t distribution); where that "
    "interval would leave an outcome's possible range (a share outside 0-1, a count below 0) the percentile "
    "bootstrap interval is used instead (column ci_method). Monthly flows (per-month amounts) start at month 1: "
    "month 0 is the starting state, before any month was simulated. Month 0 is January 2009."
)

POSTERIOR_NOTE = (
    "Parameters drawn from the posterior {file}: {k} draws x {r} replicates per package, the same draws and seeds "
    "for every package. The 95 % interval and p-values include parameter uncertainty: mean +- t * sqrt(Var(E[effect "
    "| draw]) + E[Var(effect | draw)] / n); 'parameter share' and 'noise share' split the variance of one run's "
    "effect by the law of total variance (docs/experiments.md, 'Parameter uncertainty'); the parameter share also "
    "holds the noise of each draw's mean, which 'parameter share (adj.)' removes (random-effects ANOVA)."
)


def is_comparison(design: pd.DataFrame, spec: dict[str, Any]) -> bool:
    """Several packages, no parameter varied, common random numbers: a paired comparison against point 0."""
    params = [c for c in design.columns if c not in ("point", "policies", "sample")]
    return (
        spec.get("sampler") == "grid"
        and len(design) >= 2
        and not [p for p in params if design[p].nunique() > 1]
        and bool(spec.get("common_random_numbers", True))
    )


def param_unit(name: str) -> str:
    """Unit of a behavioural (``arrival_rate``) or policy (``policy.param``) parameter, '' if unknown."""
    from urbanize.model.params import BehaviourParams, describe
    from urbanize.policies.registry import available

    policy, sep, pname = name.replace("__", ".").partition(".")
    if sep:
        cls = available().get(policy)
        infos = describe(cls.Params) if cls is not None else []
    else:
        pname, infos = name, describe(BehaviourParams)
    return next((i.unit for i in infos if i.name == pname), "")


def write_report(
    out: str | Path,
    outcomes: Sequence[str] | None = None,
    months: Sequence[int] | None = None,
    to: str | Path | None = None,
) -> list[Path]:
    """Write the report of the sweep in ``out``; returns the files written (``report.html`` first)."""
    out = Path(out)
    design, manifest = load_design(out)
    df = open_runs(out)
    spec = manifest["spec"]
    params = [c for c in design.columns if c not in ("point", "policies", "sample")]
    available = indicator_columns(df, params + posterior_names(manifest))
    outcomes = list(outcomes or spec.get("outcomes") or available)
    missing = [o for o in outcomes if o not in df.columns]
    if missing:
        raise CliError(f"outcome '{missing[0]}' is not in the runs; indicators: {', '.join(available)}")
    last = int(df["month"].max())
    bad = [m for m in (months or []) if not 0 <= int(m) <= last]
    if bad:
        raise CliError(f"--months month {bad[0]} is outside the simulated months 0 to {last}")
    months = list(months or spec.get("report_months") or [])
    dest = writable_folder(to if to is not None else out / "report", "--to")
    meta = {k: spec.get(k) for k in ("city", "households", "replicates")}
    if spec.get("posterior"):  # runs per package: posterior draws x replicates
        meta["replicates"] = int(spec["replicates"]) * int(spec["posterior"]["draws"])
    sampled = spec["sampler"] in ("sobol", "morris", "lhs")
    comparison = is_comparison(design, spec)
    page = _page(spec, design, df, comparison)
    written: list[Path] = []

    summary = summarize(df, design, outcomes, months)
    if not summary.empty:
        summary.insert(list(summary.columns).index("month") + 1, "date", [month_label(m) for m in summary["month"]])
    written.append(write_csv(summary, dest / "summary.csv"))

    if comparison:
        from urbanize.experiments.compare import comparison_table

        table = comparison_table(out, outcomes, months)
        page.heading("Paired effects")
        page.note(
            "Each package minus the first one, paired by replicate (both ran on the same seeds), with the 95 % CI "
            f"of the mean paired difference. {P_ADJUST_TEXT}."
        )
        nested = "param_share" in table.columns
        if nested:
            post = spec["posterior"]
            page.note(POSTERIOR_NOTE.format(k=post["draws"], r=spec["replicates"], file=post["file"]))
        for k, part in enumerate(figures.forest_pages(table), start=1):
            path = dest / f"forest_{int(part['month'].iloc[0])}_{k}.png"
            figures.plot_forest(part, path, meta)
            written.append(path)
            page.figure(path, f"forest plot of paired effects, page {k}")
        page.table(
            table,
            ["package", "date", "outcome", "unit", "mean_baseline", "mean_other", "difference", "ci_low",
             "ci_high", "p_value", "p_adjusted", *(["param_share", "param_share_adjusted", "noise_share"] if nested else [])],
            formats={c: fmt for c in ("mean_baseline", "mean_other", "difference", "ci_low", "ci_high",
                                      "param_share", "param_share_adjusted", "noise_share")}
            | {"p_value": fmt_p, "p_adjusted": fmt_p},
            headers={"mean_baseline": "baseline", "mean_other": "package", "ci_low": "95% CI low",
                     "ci_high": "95% CI high", "p_value": "p", "p_adjusted": "p adj. (BH)",
                     "param_share": "parameter share", "param_share_adjusted": "parameter share (adj.)",
                     "noise_share": "noise share"},
        )

    page.heading("Trajectories")
    if sampled:
        page.note(
            "Lines pool design points that differ in their sampled parameters: the line is the median over design "
            "points of their replicate means and the band the 5-95 % range over design points. That band is the "
            "spread over the sampled design (parameters and noise), not a confidence interval."
        )
    for outcome in outcomes:
        path = dest / f"trajectory_{outcome}.png"
        if comparison:
            figures.plot_paired_over_time(df, design, outcome, path, meta)
        else:
            figures.plot_trajectories(df, design, outcome, path, meta, sampled=sampled)
        written.append(path)
        page.figure(path, f"trajectory of {outcome}")

    params_varied = [p for p in params if design[p].nunique() > 1]
    if spec["sampler"] == "grid" and len(params_varied) == 1:
        page.heading(f"Response to {params_varied[0]}")
        for outcome in outcomes:
            path = dest / f"response_{outcome}.png"
            figures.plot_response(summary, params_varied[0], outcome, path, meta, param_unit(params_varied[0]))
            written.append(path)
            page.figure(path, f"response of {outcome} to {params_varied[0]}")

    if spec["sampler"] in ("sobol", "morris"):
        month = max(months) if months else None
        sens = sensitivity(df, design, manifest, outcomes, month)
        written.append(write_csv(sens, dest / "sensitivity.csv"))
        page.heading("Sensitivity")
        page.note(
            "Indices computed on the replicate means of the design points; noise share = replicate noise variance "
            "over the variance of those means (near 0: the indices measure the parameters; near 1: noise, add "
            "replicates)."
        )
        for outcome in outcomes:
            part = sens[(sens["outcome"] == outcome) & (sens["parameter"] != "")]
            if not part.empty:
                path = dest / f"sensitivity_{outcome}.png"
                figures.plot_sensitivity(part, spec["sampler"], outcome, path, meta)
                written.append(path)
                page.figure(path, f"sensitivity of {outcome}")

    page.heading("Summary across replicates")
    page.note(CI_NOTE)
    shown = summary.head(HTML_TABLE_ROWS)
    if len(summary) > len(shown):
        page.note(f"First {len(shown)} of {len(summary)} rows; all of them are in summary.csv.")
    if not summary.empty:
        page.table(
            shown,
            ["policies", *params_varied, "date", "outcome", "unit", "n", "mean", "ci_low", "ci_high", "ci_method"],
            formats={c: fmt for c in ("mean", "ci_low", "ci_high", *params_varied)},
            headers={"policies": "package", "ci_low": "95% CI low", "ci_high": "95% CI high", "ci_method": "CI"},
        )

    failures = SweepDir(out).failures()
    if failures:
        fail = pd.DataFrame(failures).drop(columns=["traceback"], errors="ignore")
        written.append(write_csv(fail, dest / "failures.csv"))
        page.heading("Failed runs")
        page.table(fail, list(fail.columns))
    return [page.write(dest / "report.html"), *written]


def _page(spec: dict[str, Any], design: pd.DataFrame, df: pd.DataFrame, comparison: bool) -> HtmlReport:
    packages = list(dict.fromkeys(design["policies"]))
    title = (
        f"Comparison: {' vs '.join(packages)}" if comparison else f"Sweep report: {spec.get('name', 'sweep')}"
    )
    last = int(df["month"].max()) if len(df) else 0
    runs = df.groupby(["point", "replicate"]).ngroups if len(df) else 0
    setup = {
        "city": spec.get("city"),
        "households per run": f"{int(spec.get('households') or 0):,}",
        "replicates": spec.get("replicates"),
        "months": f"{spec.get('months')} (January 2009 to {month_label(int(spec.get('months') or 0))})",
        "packages": ", ".join(packages),
        "design": f"{spec.get('sampler')}, {len(design)} design points, {runs} runs read (last month {last})",
        "seed": f"{spec.get('seed')} (common random numbers: {spec.get('common_random_numbers', True)})",
        "code version": code_version(),
    }
    return HtmlReport(title, figures.subtitle(spec), setup)
