"""The app's memory comes back when browser sessions close (issue 13, reliability suite): 8 sessions opened and
closed; their sessions are culled and most of their memory is released. Issue 13's target (within 15 % of the
memory measured after one session has opened and closed) is checked as an expected failure: measured 270 MB
after one session, 416 MB with 8 open, 341 MB after they closed (+26 %); see docs/app.md.

The server runs with a 3-second cull delay (``urbanize viz --cull-after``; 120 s by default, Solara's own is
24 hours), so the test waits seconds, not minutes. Not timed: only memory is asserted.
"""

from __future__ import annotations

import gc
import subprocess
import time

import psutil
import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.reliability, pytest.mark.timeout(300)]

CULL_SECONDS = 3
SESSIONS = 8


def rss(proc: subprocess.Popen) -> int:
    p = psutil.Process(proc.pid)
    return p.memory_info().rss + sum(c.memory_info().rss for c in p.children(recursive=True))


def settled_rss(proc: subprocess.Popen) -> int:
    """RSS after the cull delay has passed and memory has stopped falling (Solara runs a deferred gc after a
    session closes)."""
    time.sleep(CULL_SECONDS + 2)
    last = rss(proc)
    for _ in range(30):
        time.sleep(2.0)
        now = rss(proc)
        if abs(now - last) < 2**20:
            return now
        last = now
    return last


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
            one = settled_rss(proc)
            contexts = [open_session(browser, url) for _ in range(SESSIONS)]
            peak = rss(proc)
            for c in contexts:
                c.close()
            gc.collect()
            after = settled_rss(proc)
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
    assert peak > one, report  # the sessions did hold memory: the test can tell
    # closed sessions are culled and their memory released (before: none of it came back for 24 hours)
    assert after <= one + 0.6 * (peak - one), report
    if after > 1.15 * one:  # issue 13's target; about half of the growth stays in the allocator's heap today
        pytest.xfail(f"memory back within 15 % of one session's figure not reached: {report}")
