"""Fixtures of the browser tests: the app served by ``solara run`` and Debian's Chromium driven by Playwright.

The server is started once per test session on a free port of 127.0.0.1 and stopped at the end; every test gets
a fresh browser context (so a fresh Solara session and model). Requests to anything but the app are blocked and
recorded: the app must render offline. Screenshots go to ``test-artifacts/browser/``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # tests run from a checkout without an install too
    sys.path.insert(0, str(ROOT))

ARTIFACTS = ROOT / "test-artifacts" / "browser"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def chromium_path() -> str:
    """Debian's Chromium, or a clear failure saying how to get it."""
    path = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    if not path:
        pytest.fail(
            "Chromium is not installed: the browser tests drive Debian's 'chromium' package. "
            "Run 'make browser-deps' (or 'sudo apt-get install -y chromium'), or deselect them with "
            "-m 'not browser'.",
            pytrace=False,
        )
    return path


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright's launch arguments, pointed at Debian's Chromium."""
    return {**browser_type_launch_args, "executable_path": chromium_path(), "headless": True,
            "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1400, "height": 1700}}


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def app_url(artifacts, tmp_path_factory):
    """Serve the app for the whole session; yields its address and stops the server afterwards. The analyst
    page's root is the session's temporary folder (where the test sweeps are made)."""
    from urbanize.viz import server

    chromium_path()  # fail early, before starting anything
    log = open(artifacts / "server.log", "w")  # noqa: SIM115  (closed below)
    proc, url = server.start(log=log, root=tmp_path_factory.getbasetemp())
    try:
        try:
            server.wait_ready(url, proc, timeout=90)
        except RuntimeError as exc:
            pytest.fail(f"{exc}; see {artifacts / 'server.log'}", pytrace=False)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@pytest.fixture
def app(page, app_url):
    """A page of the app with every request outside the app blocked; ``page.external`` lists those tried."""
    external: list[str] = []

    def gate(route):
        if route.request.url.startswith(app_url) or route.request.url.startswith(app_url.replace("http", "ws")):
            route.continue_()
        else:
            external.append(route.request.url)
            route.abort()

    missing: list[str] = []
    page.on("response", lambda r: missing.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.context.route("**/*", gate)
    page.external = external
    page.missing = missing
    page.set_default_timeout(30_000)
    expect.set_options(timeout=30_000)  # a loaded machine (the full suite) can take seconds to mount the app
    return page


@pytest.fixture(scope="session")
def small_sweep(tmp_path_factory):
    """A small finished sweep made with the experiments layer: 2 arrival rates x the packages, 3 replicates."""
    from concurrent.futures import ThreadPoolExecutor

    import urbanize.model.core  # noqa: F401  (imported once here: two threads' first imports race, see report)
    from urbanize.experiments.spec import parse_spec
    from urbanize.experiments.sweep import run_sweep
    from urbanize.viz.config import package_ready, packages

    pilots = [p for p in packages() if p != "status_quo" and package_ready(p)][:1]
    spec = parse_spec({
        "name": "browser_test", "city": "changshu", "policies": ["status_quo", *pilots], "households": 300,
        "months": 6, "replicates": 3, "seed": 11, "sampler": "grid",
        "parameters": {"arrival_rate": [0.005, 0.03]},
    }, source="browser test")
    out = tmp_path_factory.mktemp("sweep") / "browser_test"
    with ThreadPoolExecutor(2) as pool:
        result = run_sweep(spec, out, pool=pool, workers=2, progress=False)
    assert result.failed == 0, result.errors
    return out


@pytest.fixture(scope="session")
def eight_point_sweep(tmp_path_factory):
    """A tiny finished sweep with 8 design points (4 packages x 2 arrival rates), 2 replicates, 3 months."""
    from concurrent.futures import ThreadPoolExecutor

    import urbanize.model.core  # noqa: F401  (imported once here: two threads' first imports race, see report)
    from urbanize.experiments.spec import parse_spec
    from urbanize.experiments.sweep import run_sweep

    spec = parse_spec({
        "name": "eight_points", "city": "yanta", "households": 200, "months": 3, "replicates": 2, "seed": 5,
        "policies": ["status_quo", "yanta_pilot", "changshu_pilot", "zhengzhou_pilot"], "sampler": "grid",
        "parameters": {"arrival_rate": [0.005, 0.03]},
    }, source="browser test")
    out = tmp_path_factory.mktemp("sweep8") / "eight_points"
    with ThreadPoolExecutor(2) as pool:
        result = run_sweep(spec, out, pool=pool, workers=2, progress=False)
    assert result.failed == 0, result.errors
    return out
