"""The ``urbanize viz`` sub-command: serve the Solara app (see docs/app.md)."""

from __future__ import annotations

import argparse


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"port must be an integer, got {text!r}") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port must be in 1-65535, got {port}")
    return port


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"seconds must be a number, got {text!r}") from None
    if not 1 <= value <= 86400:
        raise argparse.ArgumentTypeError(f"seconds must be in 1-86400, got {text}")
    return value


def register(subparsers) -> None:
    """Add ``viz`` to the ``urbanize`` command line."""
    p = subparsers.add_parser(
        "viz",
        help="serve the interactive app (live city, twin run, analyst page) in your browser",
        description="Serve the Solara app on HOST:PORT and print its address; open it in a browser. "
        "Works offline. Ctrl-C stops it.",
    )
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1; any other prints a warning: the app has no "
                        "authentication)")
    p.add_argument("--port", type=_port, default=8765, help="port to listen on (default 8765)")
    p.add_argument("--root", default=None, metavar="DIR",
                   help="the analyst page opens sweep folders under DIR only (default: the working folder)")
    p.add_argument("--cull-after", type=_seconds, default=120.0, metavar="SECONDS",
                   help="free a closed or disconnected browser session's model after SECONDS (default 120)")
    p.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> int:
    from urbanize.experiments.extras import require

    require("solara", "app", "urbanize viz")
    from urbanize.viz import server

    root = server.check_root(args.root)  # an UrbanizeError: one line, exit 2
    return server.serve(host=args.host, port=args.port, root=root, cull_seconds=args.cull_after)
