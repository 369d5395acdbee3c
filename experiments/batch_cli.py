"""Command-line entry points of the batch layer: ``urbanize sweep``, ``urbanize report``, ``urbanize compare``.

``experiments.cli`` imports this module and calls :func:`register`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from urbanize.experiments.cli import CliError
from urbanize.experiments.spec import SpecError, load_spec


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "sweep",
        help="run (or resume) a sweep file",
        description="Run every design point and replicate of a sweep file into --out, one Parquet file per run. "
        "Re-running on the same folder resumes: finished runs are skipped.",
    )
    p.add_argument("spec", help="sweep file (TOML), e.g. experiments/specs/changshu_pilot.toml")
    p.add_argument("--out", required=True, help="output folder (created; may hold part of the same sweep)")
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
    p.add_argument("dir", help="sweep output folder")
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
    p.add_argument("--city", required=True)
    p.add_argument(
        "--policies",
        required=True,
        help="comma-separated packages, the first is the baseline; 'a+b' runs two together "
        "(e.g. status_quo,changshu_pilot)",
    )
    p.add_argument("--replicates", type=int, default=10)
    g = p.add_mutually_exclusive_group()
    g.add_argument("--years", type=int, default=None)
    g.add_argument("--months", type=int, default=None)
    p.add_argument("--households", type=int, default=2000)
    p.add_argument("--seed", type=int, default=20240101)
    p.add_argument("--outcomes", help="comma-separated indicators (default: all)")
    p.add_argument("--at", help="comma-separated months to report (default: the last)")
    p.add_argument("--out", required=True, help="output folder")
    _executor_args(p)
    p.add_argument("--no-progress", action="store_true")
    p.set_defaults(handler=cmd_compare)


def _executor_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--workers", type=int, default=None, help="worker processes (default: all CPUs)")
    p.add_argument(
        "--executor",
        choices=("process", "dask"),
        default="process",
        help="local process pool (default) or Dask",
    )
    p.add_argument("--scheduler", help="address of a running Dask scheduler (with --executor dask)")


def _csv_list(text: str | None) -> list[str] | None:
    return [s.strip() for s in text.split(",") if s.strip()] if text else None


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
    if args.workers is not None and args.workers < 1:
        raise CliError(f"--workers must be at least 1, got {args.workers}")
    if args.scheduler and args.executor != "dask":
        raise CliError("--scheduler needs --executor dask")


def _finish(result) -> int:  # noqa: ANN001
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


def cmd_sweep(args: argparse.Namespace) -> int:
    from urbanize.experiments.sweep import run_sweep

    try:
        spec = load_spec(args.spec)
    except SpecError as exc:
        return _print_spec_error(exc)
    _check_executor(args)
    if args.check:
        n_points = len(spec.design().points)
        print(
            f"{args.spec}: valid; {n_points} design points x {spec.replicates} replicates = {spec.n_runs} runs"
        )
        return 0
    result = run_sweep(
        spec,
        Path(args.out),
        executor=args.executor,
        workers=args.workers,
        scheduler=args.scheduler,
        retry_failed=args.retry_failed,
        progress=not args.no_progress,
    )
    return _finish(result)


def cmd_report(args: argparse.Namespace) -> int:
    from urbanize.experiments.report import write_report

    files = write_report(args.dir, _csv_list(args.outcomes), _int_list(args.months, "--months"), args.to)
    for f in files:
        print(f)
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    from urbanize.experiments.compare import comparison_spec, comparison_table, format_table, write_comparison
    from urbanize.experiments.report import write_report
    from urbanize.experiments.sweep import run_sweep

    _check_executor(args)
    packages = _csv_list(args.policies) or []
    if len(packages) < 2:
        raise CliError(f"--policies needs at least two packages separated by commas, got '{args.policies}'")
    if args.replicates < 2:
        raise CliError(f"--replicates must be at least 2 for a confidence interval, got {args.replicates}")
    months = args.months if args.months is not None else 12 * (args.years if args.years is not None else 10)
    outcomes = _csv_list(args.outcomes)
    try:
        spec = comparison_spec(
            args.city, packages, args.replicates, months, args.households, args.seed, outcomes
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
    )
    code = _finish(result)
    table = comparison_table(args.out, outcomes, _int_list(args.at, "--at"))
    path = write_comparison(args.out, table)
    print(format_table(table))
    print(f"wrote {path}")
    write_report(args.out, outcomes or spec.outcomes, _int_list(args.at, "--at"))
    return code
