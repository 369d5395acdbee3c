"""The app's memory comes back when browser sessions close (issue 13, reliability suite): 8 sessions opened and
closed; their sessions are closed and their memory released to within 15 % of the memory measured after one
session has opened and closed (issue 13's target; measured 277 MB after one session, 423 MB with 8 open,
303 MB after they closed: +9 %; see docs/app.md and viz/memory.py).

The server prints a line after each release (``viz.memory.RELEASE_LINE``); the test waits for the one that
follows the last close (no session open) and then reads the server's resident memory, so it does not depend on
how long the closes take on a loaded machine. Sessions lost without a close are culled after 3 s here
(``urbanize viz --cull-after``; 120 s by default, Solara's own is 24 hours). Not timed: only memory is asserted.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import psutil
import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.reliability, pytest.mark.timeout(300)]

CULL_SECONDS = 3
SESSIONS = 8


def rss(proc: subprocess.Popen) -> int:
    p = psutil.Process(proc.pid)
    return p.memory_info().rss + sum(c.memory_info().rss for c in p.children(recursive=True))


def releases(log_path: Path) -> int:
    """Releases the server has reported with no live-page session left open."""
    from urbanize.viz.memory import RELEASE_LINE

    text = log_path.read_text(errors="replace")
    return sum(1 for line in text.splitlines() if line.startswith(RELEASE_LINE) and "; 0 live-page" in line)


def released_rss(proc: subprocess.Popen, log_path: Path, seen: int) -> tuple[int, int]:
    """RSS once the server has released the memory of every closed session (a release line after the ``seen``
    ones); returns it with the new count of release lines."""
    deadline = time.monotonic() + 180
    while releases(log_path) <= seen:
        assert proc.poll() is None, f"the app server exited; see {log_path}"
        assert time.monotonic() < deadline, f"no release of the closed sessions' memory reported; see {log_path}"
        time.sleep(0.5)
    return rss(proc), releases(log_path)


def open_session(browser, url: str):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(url + "?households=2000")
    expect(page.locator(".urbanize-charts img")).to_be_visible(timeout=90_000)
    page.get_by_role("button", name="Step").click()
    expect(page.locator(".urbanize-status")).to_contain_text("month 1 ", timeout=60_000)
    return context


def test_closed_sessions_give_their_memory_back(browser, artifacts, tmp_path):
    from urbanize.viz import server

    log_path = artifacts / "server_reliability.log"
    with open(log_path, "w") as log:
        proc, url = server.start(log=log, cull_seconds=CULL_SECONDS, root=tmp_path)
        try:
            server.wait_ready(url, proc, timeout=90)
            start = rss(proc)
            open_session(browser, url).close()
            one, seen = released_rss(proc, log_path, 0)
            contexts = [open_session(browser, url) for _ in range(SESSIONS)]
            peak = rss(proc)
            for c in contexts:
                c.close()
            after, _ = released_rss(proc, log_path, seen)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    mb = 2**20
    report = (f"server RSS: started {start / mb:.0f} MB, after one session {one / mb:.0f} MB, with {SESSIONS} open "
              f"{peak / mb:.0f} MB, after they closed {after / mb:.0f} MB")
    (artifacts / "reliability_memory.txt").write_text(report + "\n")
    print(report)
    assert peak > 1.15 * one, report  # the sessions did hold memory: the test can tell
    # issue 13's target (before: +26 % with pymalloc and a trim timed from the start of the close; before
    # that, none of it came back for 24 hours)
    assert after <= 1.15 * one, report
