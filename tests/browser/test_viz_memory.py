"""The release of a closed session's memory (viz/memory.py) without a browser (fast; not marked ``browser``): it
waits until the session's close has finished, and closes in a burst are released once, after the last.
The browser test of the memory figures is test_reliability.py."""

from __future__ import annotations

import threading
import time

import pytest

from urbanize.viz import memory


def wait_for_lines(capsys, n: int, timeout: float = 30.0) -> list[str]:
    """Release lines printed so far, once there are at least ``n`` (or the timeout has passed)."""
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        seen += [line for line in capsys.readouterr().err.splitlines() if line.startswith(memory.RELEASE_LINE)]
        if len(seen) >= n:
            break
        time.sleep(0.05)
    return seen


@pytest.fixture
def idle_release():
    """No release pending before or after the test (a release of an earlier test would print its line here)."""
    for _ in range(600):
        if not memory._running:
            break
        time.sleep(0.05)
    assert not memory._running
    yield
    for _ in range(600):
        if not memory._running:
            break
        time.sleep(0.05)


def test_release_waits_for_the_close_to_finish_and_joins_a_burst(capsys, idle_release) -> None:
    closes = [threading.Event() for _ in range(3)]
    for event in closes:  # three sessions begin to close at once
        memory.release_soon(delay=0.01, closed=event)
    closes[0].set()
    closes[1].set()
    time.sleep(0.5)  # far beyond the delay: still nothing, the third close has not finished
    assert wait_for_lines(capsys, 1, timeout=0.1) == []
    closes[2].set()
    lines = wait_for_lines(capsys, 1)
    assert len(lines) == 1 and "resident" in lines[0]
    time.sleep(0.3)
    assert wait_for_lines(capsys, 1, timeout=0.1) == []  # one release for the burst


def test_a_close_after_a_release_gets_its_own(capsys, idle_release) -> None:
    first, second = threading.Event(), threading.Event()
    first.set()
    memory.release_soon(delay=0.01, closed=first)
    assert len(wait_for_lines(capsys, 1)) == 1
    memory.release_soon(delay=0.01, closed=second)
    second.set()
    assert len(wait_for_lines(capsys, 1)) == 1


def test_outside_a_server_nothing_is_registered() -> None:
    before = memory._open
    memory.release_on_session_close()  # no Solara session in a test process
    assert memory._open == before
