"""Checks of command-line values shared by ``run``, ``sweep``, ``compare`` and ``report``.

Each raises :class:`~urbanize.experiments.cli.CliError` with one line naming the flag, the value and what is
accepted, and writes nothing; they run before any model run or output file.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path

from urbanize.experiments import limits
from urbanize.experiments.cli import CliError


def csv_list(text: str | None) -> list[str] | None:
    """Comma-separated items without blanks; None when the flag was not given."""
    return [s.strip() for s in text.split(",") if s.strip()] if text is not None else None


def month_list(text: str | None, flag: str, last: int) -> list[int] | None:
    """Comma-separated whole months between 0 and ``last``; None when the flag was not given."""
    items = csv_list(text)
    if items is None:
        return None
    if not items:
        raise CliError(f"{flag} is empty; give comma-separated months from 0 to {last}, e.g. {flag} {last}")
    try:
        months = [int(s) for s in items]
    except ValueError:
        raise CliError(f"{flag} takes comma-separated whole months from 0 to {last}, got '{text}'") from None
    bad = [m for m in months if not 0 <= m <= last]
    if bad:
        raise CliError(f"{flag} month {bad[0]} is outside the simulated months 0 to {last}")
    return months


def seed(value: int, flag: str = "--seed") -> int:
    if not 0 <= value <= limits.MAX_SEED:
        raise CliError(f"{flag} {value} must be a non-negative integer (at most 2**63 - 1)")
    return value


def households(value: int, flag: str = "--households") -> int:
    if not limits.MIN_HOUSEHOLDS <= value <= limits.MAX_HOUSEHOLDS:
        raise CliError(
            f"{flag} {value} must be a whole number from {limits.MIN_HOUSEHOLDS} to {limits.MAX_HOUSEHOLDS:,}"
        )
    return value


def years(value: int, flag: str = "--years") -> int:
    if not 1 <= value <= limits.MAX_YEARS:
        raise CliError(f"{flag} {value} must be a whole number of years from 1 to {limits.MAX_YEARS}")
    return value


def months(value: int, flag: str = "--months") -> int:
    if not 1 <= value <= limits.MAX_MONTHS:
        raise CliError(f"{flag} {value} must be a whole number of months from 1 to {limits.MAX_MONTHS}")
    return value


def replicates(value: int, least: int = 1, flag: str = "--replicates") -> int:
    if not least <= value <= limits.MAX_RUNS:
        raise CliError(f"{flag} {value} must be a whole number from {least} to {limits.MAX_RUNS:,}")
    return value


def writable_folder(path: str | Path, flag: str) -> Path:
    """Create ``path`` if needed and check a file can be written there."""
    folder = Path(path)
    if not str(path).strip():
        raise CliError(f"{flag} is empty; give a folder")
    if folder.exists() and not folder.is_dir():
        raise CliError(f"{flag} '{folder}' is a file, not a folder; choose another {flag}")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".probe-"):
            pass
    except OSError as exc:
        raise CliError(f"cannot write to '{folder}' ({exc.strerror or type(exc).__name__}); choose another {flag}") from None
    return folder


def known_outcomes(outcomes: Sequence[str] | None, flag: str = "--outcomes") -> list[str] | None:
    """Indicator names, checked against the model's registry (before anything runs)."""
    if outcomes is None:
        return None
    if not outcomes:
        raise CliError(f"{flag} is empty; give indicator names (see 'urbanize list indicators')")
    from urbanize.model.indicators import list_indicators, unknown_indicator_hint

    known = {n for n, _ in list_indicators()}
    unknown = [o for o in outcomes if known and o not in known]
    if unknown:
        hint = unknown_indicator_hint(unknown[0])
        raise CliError(f"{flag}: unknown indicator '{unknown[0]}'{hint}; see 'urbanize list indicators'")
    return list(outcomes)
