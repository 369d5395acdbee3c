"""The ``urbanize`` command line.

Sub-commands are registered by modules that expose ``register(subparsers)``; every input error a user can make
is an ``UrbanizeError`` (or ``CliError``) and is printed as one line with exit code 2, never a traceback.
Every ``--help`` shows each option's default; output piped into a command that stops reading early
(``urbanize list indicators | head``) ends quietly with exit code 141, as a shell tool would.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from urbanize.model.errors import UrbanizeError


class CliError(UrbanizeError):
    """A bad command-line argument (unwritable folder, malformed --set, ...)."""


class _HelpFormatter(argparse.ArgumentDefaultsHelpFormatter):
    """Appends '(default: X)' to an option's help, except when there is no default worth showing."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help or ""
        if action.default in (None, False, [], argparse.SUPPRESS) or "%(default)" in text or not action.option_strings:
            return text
        return super()._get_help_string(action)


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        kwargs.setdefault("formatter_class", _HelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:  # one line, exit code 2 (argparse prints usage first)
        self.exit(2, f"error: {message} (see '{self.prog} --help')\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="urbanize",
        description="Agent-based model of urbanization and equal access to social services (four pilot cities).",
    )
    from urbanize import __version__

    parser.add_argument("--version", action="version", version=f"urbanize {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    from urbanize.experiments import list_cli, run_cli, splits_cli

    run_cli.register(sub)
    list_cli.register(sub)
    splits_cli.register(sub)
    for module_name in (
        "urbanize.experiments.batch_cli",
        "urbanize.experiments.validate_cli",
        "urbanize.experiments.calibrate_cli",
        "urbanize.experiments.viz_cli",
    ):
        try:
            module = __import__(module_name, fromlist=["register"])
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        module.register(sub)
    return parser


def error_line(exc: BaseException) -> str:
    """``error: <message>`` on one line, whatever the input echoed in the message held."""
    return "error: " + str(exc).replace("\r", "\\r").replace("\n", "\\n")


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except UrbanizeError as exc:
        print(error_line(exc), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return _broken_pipe()


BROKEN_PIPE_EXIT = 141  # 128 + SIGPIPE, what a shell reports for a tool stopped by a closed pipe


def _broken_pipe() -> int:
    """The reader of stdout went away: point stdout at /dev/null so the interpreter's final flush is quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    return BROKEN_PIPE_EXIT


if __name__ == "__main__":
    sys.exit(main())
