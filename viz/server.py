"""Serve the Solara app on this machine: ``urbanize viz`` and ``make viz``.

The app is served by ``solara run`` in production mode on 127.0.0.1 (by default), without telemetry, version
checks or opening a browser, so it works offline. Assets come from the ``solara-assets`` package. The package
imports through the installed ``urbanize`` (the editable install's finder): nothing is put on PYTHONPATH.

A closed browser session's model is dropped after ``cull_seconds`` (Solara keeps a disconnected session for
24 hours by default: ``SOLARA_KERNEL_CULL_TIMEOUT``), and the analyst page reads sweeps only under ``root``
(``URBANIZE_VIZ_ROOT``).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

APP_MODULE = Path(__file__).with_name("app.py")
#: Seconds a disconnected browser session is kept before Solara closes it and frees its model. Assumed: a
#: dropped connection (Wi-Fi, a laptop lid) reconnecting within two minutes resumes its run; a later one starts
#: afresh at month 0 (cheap at workshop sizes), and a closed tab's memory comes back within minutes.
CULL_SECONDS = 120
#: Environment variable naming the only folder under which the analyst page opens sweeps.
ROOT_ENV = "URBANIZE_VIZ_ROOT"
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def is_loopback(host: str) -> bool:
    """Whether ``host`` only accepts connections from this machine."""
    return host in LOOPBACK or host.startswith("127.")


def host_warning(host: str) -> str | None:
    """The warning printed when the app listens beyond this machine (it has no authentication)."""
    if is_loopback(host):
        return None
    return (f"warning: the app listens on {host}: anyone who can reach this machine can use it (it has no "
            "authentication and runs models on this machine); use it on trusted networks only")


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def solara_command(host: str, port: int, production: bool = True) -> list[str]:
    """The ``solara run`` command line for the app."""
    cmd = [
        sys.executable, "-m", "solara", "run", str(APP_MODULE),
        "--host", host, "--port", str(port), "--no-open", "--no-check-version",
    ]
    if production:
        cmd.append("--production")
    return cmd


def server_env(cull_seconds: float = CULL_SECONDS, root: str | Path | None = None) -> dict[str, str]:
    """Environment for the server process: no telemetry, closed sessions culled after ``cull_seconds``, the
    analyst page's root folder (default: the working folder)."""
    env = dict(os.environ)
    env["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] = "false"
    env["SOLARA_THEME_SHOW_BANNER"] = "false"  # "This website runs on Solara" would cover the charts' corner
    env["SOLARA_KERNEL_CULL_TIMEOUT"] = f"{max(float(cull_seconds), 0.1):g}s"
    env[ROOT_ENV] = str(Path(root or Path.cwd()).resolve())
    env.setdefault("MPLBACKEND", "Agg")
    # What a closed session frees must go back to the system (viz/memory.py): Python objects from glibc's heap
    # instead of pymalloc's arenas (returned only when wholly empty, and pinned by a few long-lived objects
    # each: 8 closed sessions stayed at +26 % over one); Arrow's buffers (pandas' strings) from malloc instead
    # of its mimalloc pool, which keeps freed pages; one malloc arena (the GIL serialises the threads anyway),
    # so freed pages are not spread over heaps. Measured: 8 sessions closed, +9-11 % over one (docs/app.md).
    env.setdefault("PYTHONMALLOC", "malloc")
    env.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")
    env.setdefault("MALLOC_ARENA_MAX", "1")
    return env


def check_root(root: str | Path | None) -> Path:
    """The analyst page's root folder, resolved.

    Raises:
        UrbanizeError: when it is not an existing folder.
    """
    from urbanize.model.errors import UrbanizeError

    path = Path(root or Path.cwd()).expanduser().resolve()
    if not path.is_dir():
        raise UrbanizeError(f"--root {root}: no such folder; give the folder holding your sweeps")
    return path


def start(host: str = "127.0.0.1", port: int | None = None, log=None, cull_seconds: float = CULL_SECONDS,
          root: str | Path | None = None) -> tuple[subprocess.Popen, str]:
    """Start the server in the background; returns the process and the app's address."""
    port = port or free_port(host)
    proc = subprocess.Popen(
        solara_command(host, port), env=server_env(cull_seconds, root), stdout=log or subprocess.DEVNULL,
        stderr=subprocess.STDOUT if log else subprocess.DEVNULL,
    )
    return proc, f"http://{host}:{port}/"


def wait_ready(url: str, proc: subprocess.Popen | None = None, timeout: float = 60.0) -> None:
    """Poll ``<url>readyz`` until the server answers 200.

    Raises:
        RuntimeError: if the server process exits or does not answer within ``timeout`` seconds.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"the app server exited with code {proc.returncode} before it was ready")
        try:
            with urllib.request.urlopen(url.rstrip("/") + "/readyz", timeout=2) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            pass
        time.sleep(0.25)
    raise RuntimeError(f"the app server at {url} was not ready after {timeout:.0f} s")


def serve(host: str = "127.0.0.1", port: int = 8765, root: str | Path | None = None,
          cull_seconds: float = CULL_SECONDS) -> int:
    """Run the app in the foreground until Ctrl-C, printing its address once it answers."""
    warning = host_warning(host)
    if warning:
        print(warning, file=sys.stderr, flush=True)
    proc = subprocess.Popen(solara_command(host, port), env=server_env(cull_seconds, root))
    url = f"http://{host}:{port}/"

    def _stop(signum, frame):  # a SIGTERM stops the server too, like Ctrl-C
        raise KeyboardInterrupt

    try:
        signal.signal(signal.SIGTERM, _stop)
    except ValueError:  # not the main thread
        pass
    try:
        wait_ready(url, proc, timeout=120)
        print(f"urbanize app running at {url}  (analyst page: {url}analyst, sweeps under "
              f"{server_env(cull_seconds, root)[ROOT_ENV]})  - press Ctrl-C to stop", flush=True)
        return proc.wait()
    except KeyboardInterrupt:
        return 0
    except RuntimeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
