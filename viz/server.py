"""Serve the Solara app on this machine: ``urbanize viz`` and ``make viz``.

The app is served by ``solara run`` in production mode on 127.0.0.1 (by default), without telemetry, version
checks or opening a browser, so it works offline. Assets come from the ``solara-assets`` package.
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


def server_env() -> dict[str, str]:
    """Environment for the server process: no telemetry, the repository importable."""
    env = dict(os.environ)
    env["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] = "false"
    env.setdefault("MPLBACKEND", "Agg")
    root = str(APP_MODULE.parent.parent)
    env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def start(host: str = "127.0.0.1", port: int | None = None, log=None) -> tuple[subprocess.Popen, str]:
    """Start the server in the background; returns the process and the app's address."""
    port = port or free_port(host)
    proc = subprocess.Popen(
        solara_command(host, port), env=server_env(), stdout=log or subprocess.DEVNULL,
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


def serve(host: str = "127.0.0.1", port: int = 8765) -> int:
    """Run the app in the foreground until Ctrl-C, printing its address once it answers."""
    proc = subprocess.Popen(solara_command(host, port), env=server_env())
    url = f"http://{host}:{port}/"

    def _stop(signum, frame):  # a SIGTERM stops the server too, like Ctrl-C
        raise KeyboardInterrupt

    try:
        signal.signal(signal.SIGTERM, _stop)
    except ValueError:  # not the main thread
        pass
    try:
        wait_ready(url, proc, timeout=120)
        print(f"urbanize app running at {url}  (analyst page: {url}analyst)  - press Ctrl-C to stop", flush=True)
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
