"""Command-line entry points of the batch layer: ``urbanize sweep``, ``urbanize report``, ``urbanize compare``.

``experiments.cli`` imports this module and calls :func:`register`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from urbanize.experiments import checks, limits
from urbanize.experiments.cli import CliError
from urbanize.experiments.spec import SpecError, load_spec


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "sweep",
        help="run (or resume) a sweep file",
        description="Run every design point and replicate of a sweep file into --out, one Parquet file per run. "
        "Re-running on the same folder resumes: finished runs are skipped, corrupt run files are set aside and "
        "run again. --households, --replicates and --years shrink (or grow) a shipped file; they are recorded "
        "and a resume must repeat them.",
    )
    p.add_argument("spec", help="sweep file (TOML), e.g. experiments/specs/changshu_pilot.toml "
                   "(see 'urbanize list specs')")
    p.add_argument("--out", required=True, help="output folder (created; may hold part of the same sweep)")
    p.add_argument("--households", type=int, default=None, help="replace the file's households per run")
    p.add_argument("--replicates", type=int, default=None, help="replace the file's replicates per design point")
    p.add_argument("--years", type=int, default=None, help="replace the file's simulated years (or months)")
    _posterior_args(p)
    _executor_args(p)
    p.add_argument("--retry-failed", action="store_true", help="run again the runs recorded as failed")
    p.add_argument("--check", action="store_true", help="validate the file, print the design size and stop")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(handler=cmd_sweep)

    p = sub.add_parser(
        "report",
        help="summary tables and plots of a sweep folder",
        description="Write summary.csv (mean and 95%% CI per outcome and design point), trajectory plots and, for "
        "Sobol/Morris sweeps, sensitivity indices into DIR/report.",
    )
    p.add_argument("dir", help="sweep or compare output folder")
    p.add_argument("--outcomes", help="comma-separated indicators (default: the sweep's outcomes)")
    p.add_argument(
        "--months", help="comma-separated months to tabulate (default: the sweep's report_months or the last)"
    )
    p.add_argument("--to", help="folder for the report (default DIR/report)")
    p.set_defaults(handler=cmd_report)

    p = sub.add_parser(
        "compare",
        help="paired comparison of policy packages in one city",
        description="Run each package with the same replicate seeds and report every outcome's difference from "
        "the first package with its 95%% CI over the paired replicates.",
    )
    p.add_argument("--city", required=True, help="pilot city (see 'urbanize list cities')")
    p.add_argument(
        "--policies",
        required=True,
        help="comma-separated packages, the first is the baseline; 'a+b' runs two together "
        "(e.g. status_quo,changshu_pilot)",
    )
    p.add_argument("--replicates", type=int, default=10, help="paired replicates per package (at least 2)")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--years", type=int, default=None, help=f"years to simulate (default 10, at most {limits.MAX_YEARS})")
    g.add_argument("--months", type=int, default=None, help=f"months to simulate instead of --years (at most {limits.MAX_MONTHS})")
    p.add_argument("--households", type=int, default=limits.DEFAULT_HOUSEHOLDS, help="households per run")
    p.add_argument("--seed", type=int, default=20240101, help="root seed of every run's seed stream")
    p.add_argument("--outcomes", help="comma-separated indicators (default: all)")
    p.add_argument("--at", help="comma-separated months to report (default: the last)")
    p.add_argument("--out", required=True, help="output folder")
    _posterior_args(p)
    _executor_args(p)
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(handler=cmd_compare)


def _posterior_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--posterior",
        default=None,
        help="posterior.parquet of 'urbanize calibrate': run every package with --draws parameter sets drawn from "
        "it (same draws and replicate seeds for every package), so intervals include parameter uncertainty",
    )
    p.add_argument("--draws", type=int, default=None, help="parameter sets drawn from --posterior (default 20)")


def _posterior_overrides(args: argparse.Namespace) -> dict[str, object]:
    """``--posterior`` and ``--draws`` as spec keys (a relative path is taken from the current folder)."""
    if args.draws is not None and args.posterior is None:
        raise CliError("--draws needs --posterior FILE (the posterior to draw parameter sets from)")
    out: dict[str, object] = {}
    if args.posterior is not None:
        out["posterior"] = str(Path(args.posterior).absolute()) if args.posterior.strip() else args.posterior
    if args.draws is not None:
        out["posterior_draws"] = args.draws
    return out


def _executor_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--workers", type=int, default=None, help="worker processes (default: all CPUs)")
    p.add_argument(
        "--executor",
        choices=("process", "dask"),
        default="process",
        help="local process pool (default) or Dask",
    )
    p.add_argument("--scheduler", help="address of a running Dask scheduler (with --executor dask)")


_csv_list = checks.csv_list
MAX_WORKERS = 1024  # worker processes on one machine; more is a typo (assumed)


def _int_list(text: str | None, flag: str) -> list[int] | None:
    items = _csv_list(text)
    if items is None:
        return None
    try:
        return [int(s) for s in items]
    except ValueError:
        raise CliError(f"{flag} takes comma-separated whole months, got '{text}'") from None


def _print_spec_error(exc: SpecError) -> int:
    for line in exc.lines():
        print(f"error: {line}", file=sys.stderr)
    return 2


def _check_executor(args: argparse.Namespace) -> None:
    if args.workers is not None and not 1 <= args.workers <= MAX_WORKERS:
        raise CliError(f"--workers must be a whole number from 1 to {MAX_WORKERS}, got {args.workers}")
    if args.scheduler is not None and args.executor != "dask":
        raise CliError("--scheduler needs --executor dask")
    if args.scheduler is not None:
        from urbanize.experiments.executors import check_scheduler_address

        check_scheduler_address(args.scheduler)


def _finish(result) -> int:  # noqa: ANN001
    if result.set_aside:
        print(f"  {len(result.set_aside)} corrupt run file(s) set aside in {result.out}/set_aside and run again",
              file=sys.stderr)
    total_failed = result.failed + result.failed_before
    print(
        f"{result.out}: {result.skipped + result.done} of {result.total} runs finished "
        f"({result.done} now, {result.skipped} before), {total_failed} failed, {result.wall_seconds:.1f} s",
        file=sys.stderr,
    )
    if total_failed:
        for line in result.errors[:5]:
            print(f"  failed {line}", file=sys.stderr)
        hint = "" if result.failed else " (rerun them with --retry-failed)"
        print(f"  details in {result.out}/runs/*.failed.json{hint}", file=sys.stderr)
        return 1
    return 0


def sweep_overrides(args: argparse.Namespace) -> dict[str, int]:
    """The spec keys ``--households``, ``--replicates`` and ``--years`` replace (checked by the spec's rules)."""
    out = {k: v for k in ("households", "replicates", "years") if (v := getattr(args, k)) is not None}
    return out | _posterior_overrides(args)


def _size_line(spec) -> str:  # noqa: ANN001
    from urbanize.experiments.spec import spec_size

    size = spec_size(spec.policies, spec.parameters, spec.sampler, spec.samples, spec.runs_per_point,
                     spec.households, spec.months)
    return size.describe()


def cmd_sweep(args: argparse.Namespace) -> int:
    from urbanize.experiments.storage import out_folder
    from urbanize.experiments.sweep import run_sweep

    overrides = sweep_overrides(args)
    try:
        spec = load_spec(args.spec, overrides)
    except SpecError as exc:
        return _print_spec_error(exc)
    _check_executor(args)
    if args.check:
        print(f"{args.spec}: valid; {_size_line(spec)}")
        return 0
    out_folder(args.out)
    result = run_sweep(
        spec,
        Path(args.out),
        executor=args.executor,
        workers=args.workers,
        scheduler=args.scheduler,
        retry_failed=args.retry_failed,
        progress=not args.no_progress,
        overrides=overrides,
    )
    return _finish(result)


def cmd_report(args: argparse.Namespace) -> int:
    from urbanize.experiments.report import write_report

    if args.to is not None and not args.to.strip():
        raise CliError("--to is empty; give a folder for the report, or leave --to out (DIR/report)")
    outcomes = checks.known_outcomes(_csv_list(args.outcomes))
    files = write_report(args.dir, outcomes, _int_list(args.months, "--months"), args.to)
    for f in files:
        print(f)
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    from urbanize.experiments.compare import comparison_spec, comparison_table, format_table, write_comparison
    from urbanize.experiments.report import write_report
    from urbanize.experiments.storage import out_folder
    from urbanize.experiments.sweep import run_sweep

    _check_executor(args)
    out_folder(args.out)
    packages = _csv_list(args.policies) or []
    if len(packages) < 2:
        raise CliError(f"--policies needs at least two packages separated by commas, got '{args.policies}'")
    if args.replicates < 2:
        raise CliError(f"--replicates must be at least 2 for a confidence interval, got {args.replicates}")
    checks.replicates(args.replicates, least=2)
    checks.households(args.households)
    checks.seed(args.seed)
    if args.months is not None:
        months = checks.months(args.months)
    else:
        months = 12 * checks.years(args.years if args.years is not None else 10)
    at = checks.month_list(args.at, "--at", months)  # checked before anything runs
    outcomes = checks.known_outcomes(_csv_list(args.outcomes))
    post = _posterior_overrides(args)
    try:
        spec = comparison_spec(
            args.city, packages, args.replicates, months, args.households, args.seed, outcomes,
            post.get("posterior"), post.get("posterior_draws"),  # type: ignore[arg-type]
        )
    except SpecError as exc:
        return _print_spec_error(exc)
    result = run_sweep(
        spec,
        Path(args.out),
        executor=args.executor,
        workers=args.workers,
        scheduler=args.scheduler,
        progress=not args.no_progress,
        kind="compare",
    )
    code = _finish(result)
    table = comparison_table(args.out, outcomes, at)
    path = write_comparison(args.out, table)
    print(format_table(table))
    print(f"wrote {path}")
    write_report(args.out, outcomes or spec.outcomes, at)
    return code
