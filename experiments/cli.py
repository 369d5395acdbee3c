"""The ``urbanize`` command line.

Sub-commands are registered by modules that expose ``register(subparsers)``; every input error a user can make
is an ``UrbanizeError`` (or ``CliError``) and is printed as one line with exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from urbanize.model.errors import UrbanizeError


class CliError(UrbanizeError):
    """A bad command-line argument (unwritable folder, malformed --set, ...)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit code 2 (argparse prints usage first)
        self.exit(2, f"error: {message} (see '{self.prog} --help')\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="urbanize",
        description="Agent-based model of urbanization and equal access to social services (four pilot cities).",
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    from urbanize.experiments import run_cli

    run_cli.register(sub)
    for module_name in ("urbanize.experiments.batch_cli", "urbanize.experiments.validate_cli", "urbanize.experiments.viz_cli"):
        try:
            module = __import__(module_name, fromlist=["register"])
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except UrbanizeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
